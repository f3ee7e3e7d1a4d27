#!/usr/bin/env python3
"""The C ABI from Python (ctypes, standard library only), as a Python
wrapper of rapidsnark would call it: prove the multiplier fixture from
buffers and with a prover object, verify, read the proof as JSON, reject a
tampered input, report errors and short buffers.

Usage: ctypes_test.py <install prefix> <multiplier fixture dir>
"""
import ctypes
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading

PROVER_OK, PROVER_ERROR, PROVER_ERROR_SHORT_BUFFER, PROVER_INVALID_WITNESS_LENGTH = 0, 1, 2, 3
VERIFIER_VALID_PROOF, VERIFIER_INVALID_PROOF, VERIFIER_ERROR = 0, 1, 2

prefix, fixture = sys.argv[1], sys.argv[2]
(path,) = glob.glob(os.path.join(prefix, "lib*", "**", "libzkacc_capi.so"), recursive=True)
lib = ctypes.CDLL(path)

ull, pull, vp, cp = ctypes.c_ulonglong, ctypes.POINTER(ctypes.c_ulonglong), ctypes.c_void_p, ctypes.c_char_p
lib.groth16_proof_size.argtypes = [pull]
lib.groth16_proof_size.restype = None
lib.groth16_public_size_for_zkey_buf.argtypes = [vp, ull, pull, cp, ull]
lib.groth16_prover.argtypes = [vp, ull, vp, ull, cp, pull, cp, pull, cp, ull]
lib.groth16_prover_create.argtypes = [ctypes.POINTER(vp), vp, ull, cp, ull]
lib.groth16_prover_prove.argtypes = [vp, vp, ull, cp, pull, cp, pull, cp, ull]
lib.groth16_prover_destroy.argtypes = [vp]
lib.groth16_prover_destroy.restype = None
lib.groth16_verify.argtypes = [cp, cp, cp, cp, ctypes.c_ulong]
for f in (lib.groth16_public_size_for_zkey_buf, lib.groth16_prover, lib.groth16_prover_create,
          lib.groth16_prover_prove, lib.groth16_verify):
    f.restype = ctypes.c_int

def read(name):
    with open(os.path.join(fixture, name), "rb") as f:
        return f.read()

zkey, wtns, vk = read("multiplier.zkey"), read("multiplier.wtns"), read("vk.json")
failures = 0

def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    failures += 0 if ok else 1

def sizes():
    proof_size, public_size = ull(), ull()
    lib.groth16_proof_size(ctypes.byref(proof_size))
    error = ctypes.create_string_buffer(256)
    rc = lib.groth16_public_size_for_zkey_buf(zkey, len(zkey), ctypes.byref(public_size), error, len(error))
    assert rc == PROVER_OK, error.value
    return proof_size.value, public_size.value

def prove(prove_call, proof_capacity, public_capacity):
    """prove_call(proof, &proof_size, public, &public_size, error, error size) -> rc, strings, sizes."""
    proof, public = ctypes.create_string_buffer(proof_capacity), ctypes.create_string_buffer(public_capacity)
    proof_size, public_size = ull(proof_capacity), ull(public_capacity)
    error = ctypes.create_string_buffer(256)
    rc = prove_call(proof, ctypes.byref(proof_size), public, ctypes.byref(public_size), error, len(error))
    return rc, proof.value, public.value, proof_size.value, public_size.value, error.value.decode()

def one_shot(*out):
    return lib.groth16_prover(zkey, len(zkey), wtns, len(wtns), *out)

def verify(proof, public, key=vk):
    error = ctypes.create_string_buffer(256)
    return lib.groth16_verify(proof, public, key, error, len(error)), error.value.decode()

proof_capacity, public_capacity = sizes()
check((proof_capacity, public_capacity) == (810, 2 * 82 + 4), "size helpers: 810 and nPublic * 82 + 4")

rc, proof, public, proof_size, public_size, error = prove(one_shot, proof_capacity, public_capacity)
check(rc == PROVER_OK, f"groth16_prover: {rc} {error}")
check((proof_size, public_size) == (len(proof), len(public)), "sizes written back are the string lengths")
check(json.loads(public) == ["3113", "3"], "public signals are the witness's")
parsed = json.loads(proof)
check(list(parsed) == ["pi_a", "pi_b", "pi_c", "protocol"] and parsed["protocol"] == "groth16"
      and parsed["pi_a"][2] == "1" and parsed["pi_b"][2] == ["1", "0"], "proof JSON in rapidsnark's layout")
check(verify(proof, public)[0] == VERIFIER_VALID_PROOF, "groth16_verify accepts the proof")
check(verify(proof, b'["3113","4"]')[0] == VERIFIER_INVALID_PROOF, "a tampered public input is invalid")
rc, error = verify(b"not json", public)
check(rc == VERIFIER_ERROR and "proof: not valid JSON" in error, f"unreadable proof: {rc} {error}")

rc, _, _, proof_size, public_size, error = prove(one_shot, 16, public_capacity)
check(rc == PROVER_ERROR_SHORT_BUFFER and 16 < proof_size <= 810 and public_size == len(b'["3113","3"]') + 1,
      f"short buffer: code and needed sizes back ({proof_size}, {public_size}): {error}")
rc, *_, error = prove(lambda *out: lib.groth16_prover(zkey[:100], 100, wtns, len(wtns), *out),
                      proof_capacity, public_capacity)
check(rc == PROVER_ERROR and "zkey buffer" in error, f"truncated key: {error}")

# One prover object, several Python threads proving with it at once (ctypes
# releases the GIL during the calls).
prover = vp()
error = ctypes.create_string_buffer(256)
check(lib.groth16_prover_create(ctypes.byref(prover), zkey, len(zkey), error, len(error)) == PROVER_OK,
      "groth16_prover_create")
results = []
def worker():
    out = prove(lambda *o: lib.groth16_prover_prove(prover, wtns, len(wtns), *o), proof_capacity, public_capacity)
    results.append(out[0] == PROVER_OK and verify(out[1], out[2])[0] == VERIFIER_VALID_PROOF)
threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
lib.groth16_prover_destroy(prover)
check(results == [True] * 4, "4 threads proving with one prover object: all verified")

# A circuit without public signals, w1 * w2 = w3 (all private): its key from
# the installed `zkacc setup` and the committed powers of tau; the public
# string is [] and verifies against the key's verification_key.json.
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617
def binfile(magic, version, sections):
    out = magic + struct.pack("<II", version, len(sections))
    for sid, body in sections:
        out += struct.pack("<IQ", sid, len(body)) + body
    return out
def fr(v):
    return v.to_bytes(32, "little")
def lc(wire):
    return struct.pack("<II", 1, wire) + fr(1)
r1cs = binfile(b"r1cs", 1, [(1, struct.pack("<I", 32) + fr(R) + struct.pack("<IIIIQI", 4, 0, 0, 2, 4, 1)),
                            (2, lc(1) + lc(2) + lc(3)),
                            (3, struct.pack("<4Q", 0, 1, 2, 3))])
private_wtns = binfile(b"wtns", 2, [(1, struct.pack("<I", 32) + fr(R) + struct.pack("<I", 4)),
                                    (2, fr(1) + fr(3) + fr(11) + fr(33))])
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "private.r1cs"), "wb") as f:
        f.write(r1cs)
    zkacc = os.path.join(prefix, "bin", "zkacc")
    subprocess.run([zkacc, "setup", os.path.join(tmp, "private.r1cs"), os.path.join(fixture, "..", "pot4.ptau"),
                    os.path.join(tmp, "private.zkey")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([zkacc, "export-vkey", os.path.join(tmp, "private.zkey"), os.path.join(tmp, "vk.json")],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(tmp, "private.zkey"), "rb") as f:
        private_zkey = f.read()
    with open(os.path.join(tmp, "vk.json"), "rb") as f:
        private_vk = f.read()
public_size = ull()
error = ctypes.create_string_buffer(256)
check(lib.groth16_public_size_for_zkey_buf(private_zkey, len(private_zkey), ctypes.byref(public_size), error,
                                           len(error)) == PROVER_OK and public_size.value == 4,
      "no public signals: the size helper gives 4")
rc, proof, public, *_, error = prove(
    lambda *out: lib.groth16_prover(private_zkey, len(private_zkey), private_wtns, len(private_wtns), *out),
    proof_capacity, public_size.value)
check(rc == PROVER_OK and public == b"[]", f"no public signals: proved, public string [] ({rc} {public} {error})")
check(verify(proof, public, private_vk)[0] == VERIFIER_VALID_PROOF, "no public signals: the proof verifies")

print("all checks passed" if failures == 0 else f"{failures} FAILED")
sys.exit(1 if failures else 0)
