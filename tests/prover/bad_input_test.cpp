// Malformed inputs give a zkacc::Error that names the file and the problem.
#include <catch2/catch.hpp>

#include "prover/fixtures.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

using namespace zkacc;
using namespace zkacc::prover;
using zkacc::test::multiplier_path;
using zkacc::test::put_u32;
using zkacc::test::read_bytes;
using zkacc::test::write_bytes;
using Catch::Contains;

namespace {

// Byte offset of the payload of section `id` in a binfile image.
std::size_t section_offset(const std::vector<std::uint8_t>& b, std::uint32_t id) {
  auto u32 = [&](std::size_t p) { return std::uint32_t(b[p]) | b[p + 1] << 8 | b[p + 2] << 16 | std::uint32_t(b[p + 3]) << 24; };
  std::size_t pos = 12;
  for (std::uint32_t i = 0; i < u32(8); ++i) {
    const std::uint64_t size = u32(pos + 4) | std::uint64_t(u32(pos + 8)) << 32;
    if (u32(pos) == id) return pos + 12;
    pos += 12 + size;
  }
  FAIL("no section " << id);
  return 0;
}

}  // namespace

TEST_CASE("bad input: truncated files", "[prover][bad_input]") {
  zkacc::test::ScratchDir dir;
  ThreadPool pool(2);
  for (const char* name : {"multiplier.zkey", "multiplier.wtns", "multiplier.r1cs"}) {
    const auto full = read_bytes(multiplier_path(name));
    for (std::size_t len : {std::size_t(0), std::size_t(7), std::size_t(20), full.size() / 2, full.size() - 1}) {
      INFO(name << " cut to " << len << " bytes");
      const std::string path = dir.file(std::string("cut-") + name);
      write_bytes(path, std::vector<std::uint8_t>(full.begin(), full.begin() + static_cast<long>(len)));
      const std::string ext = std::string(name).substr(std::string(name).find('.') + 1);
      auto read = [&] {
        if (ext == "zkey") (void)read_zkey(path, pool);
        else if (ext == "wtns") (void)read_wtns(path);
        else (void)read_r1cs(path);
      };
      CHECK_THROWS_WITH(read(), Contains(std::string("cut-") + name) &&
                                    (Contains("too short") || Contains("truncated")));
    }
  }
}

TEST_CASE("bad input: wrong magic, version, protocol, curve", "[prover][bad_input]") {
  zkacc::test::ScratchDir dir;
  ThreadPool pool(2);
  const auto zkey = read_bytes(multiplier_path("multiplier.zkey"));
  const std::string path = dir.file("bad.zkey");

  auto b = zkey;
  b[0] = 'r';
  write_bytes(path, b);
  CHECK_THROWS_WITH(read_zkey(path, pool), Contains("bad.zkey: not a .zkey file"));
  CHECK_THROWS_WITH(read_wtns(multiplier_path("multiplier.zkey")), Contains("not a .wtns file"));

  b = zkey;
  put_u32(b, 4, 7);
  write_bytes(path, b);
  CHECK_THROWS_WITH(read_zkey(path, pool), Contains("bad.zkey: version 7 is not supported"));

  b = zkey;
  put_u32(b, section_offset(b, 1), 2);
  write_bytes(path, b);
  CHECK_THROWS_WITH(read_zkey(path, pool), Contains("bad.zkey: is a PLONK key"));
  put_u32(b, section_offset(b, 1), 10);
  write_bytes(path, b);
  CHECK_THROWS_WITH(read_zkey_header(path), Contains("FFLONK"));

  // Another curve: change the base field prime q (BLS12-381 keys have n8q = 48).
  b = zkey;
  b[section_offset(b, 2) + 4] ^= 0x01;
  write_bytes(path, b);
  CHECK_THROWS_WITH(read_zkey(path, pool), Contains("bad.zkey") && Contains("another curve"));
  b = zkey;
  put_u32(b, section_offset(b, 2), 48);
  write_bytes(path, b);
  CHECK_THROWS_WITH(read_zkey(path, pool), Contains("only BN254"));

  // A witness over another field.
  auto w = read_bytes(multiplier_path("multiplier.wtns"));
  w[section_offset(w, 1) + 4 + 31] ^= 0x08;
  write_bytes(dir.file("bad.wtns"), w);
  CHECK_THROWS_WITH(read_wtns(dir.file("bad.wtns")), Contains("bad.wtns") && Contains("another curve"));
}

TEST_CASE("bad input: section sizes disagree with the header", "[prover][bad_input]") {
  zkacc::test::ScratchDir dir;
  ThreadPool pool(2);
  // nVars one larger: section 5 (A) is now too short for the header's promise.
  auto b = read_bytes(multiplier_path("multiplier.zkey"));
  put_u32(b, section_offset(b, 2) + 4 + 32 + 4 + 32, 9);
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey(dir.file("bad.zkey"), pool),
                    Contains("bad.zkey: section 5 (A: 9 G1 points) is 512 bytes, expected 576"));
  // A witness count that is not what section 2 holds.
  auto w = read_bytes(multiplier_path("multiplier.wtns"));
  put_u32(w, section_offset(w, 1) + 4 + 32, 1000000);
  write_bytes(dir.file("bad.wtns"), w);
  CHECK_THROWS_WITH(read_wtns(dir.file("bad.wtns")), Contains("bad.wtns: section 2") && Contains("expected 32000000"));
  // A coefficient count far beyond the section.
  b = read_bytes(multiplier_path("multiplier.zkey"));
  put_u32(b, section_offset(b, 4), 0xffffffffu);
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey(dir.file("bad.zkey"), pool), Contains("section 4") && Contains("expected"));
}

TEST_CASE("bad input: non-canonical field elements and points off the curve", "[prover][bad_input]") {
  zkacc::test::ScratchDir dir;
  ThreadPool pool(2);
  auto w = read_bytes(multiplier_path("multiplier.wtns"));
  const std::size_t v3 = section_offset(w, 2) + 3 * 32;
  for (int i = 0; i < 32; ++i) w[v3 + i] = 0xff;
  write_bytes(dir.file("bad.wtns"), w);
  CHECK_THROWS_WITH(read_wtns(dir.file("bad.wtns")), Contains("bad.wtns: value 3") && Contains("not below r"));

  const auto zkey = read_bytes(multiplier_path("multiplier.zkey"));
  auto b = zkey;
  const std::size_t coeff0 = section_offset(b, 4) + 4 + 12;
  for (int i = 0; i < 32; ++i) b[coeff0 + i] = 0xff;
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey(dir.file("bad.zkey"), pool), Contains("coefficient 0") && Contains("not below r"));

  b = zkey;
  b[section_offset(b, 5) + 2 * 64 + 3] ^= 0x10;  // x of A point 2
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey(dir.file("bad.zkey"), pool), Contains("bad.zkey: A point 2") && Contains("curve"));

  b = zkey;
  b[section_offset(b, 7) + 1 * 128 + 70] ^= 0x10;  // y of B2 point 1
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey(dir.file("bad.zkey"), pool), Contains("bad.zkey: B2 point 1"));

  b = zkey;
  b[section_offset(b, 2) + 4 + 32 + 4 + 32 + 12 + 5] ^= 0x01;  // alpha1
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey_header(dir.file("bad.zkey")), Contains("bad.zkey: alpha1"));

  b = zkey;
  put_u32(b, section_offset(b, 4) + 4 + 8, 99);  // signal of coefficient 0
  write_bytes(dir.file("bad.zkey"), b);
  CHECK_THROWS_WITH(read_zkey(dir.file("bad.zkey"), pool), Contains("signal 99 is not below nVars = 8"));
}

TEST_CASE("bad input: JSON files", "[prover][bad_input]") {
  CHECK_THROWS_WITH(public_from_json("[\"12\", \"x\"]", "public.json"), Contains("public.json: signal 1"));
  CHECK_THROWS_WITH(public_from_json(
                        "[\"21888242871839275222246405745257275088548364400416034343698204186575808495617\"]",
                        "public.json"),
                    Contains("public.json: signal 0"));
  CHECK_THROWS_WITH(proof_from_json("{\"pi_a\": 1}", "proof.json"), Contains("proof.json: pi_a"));
  CHECK_THROWS_WITH(proof_from_json("{", "proof.json"), Contains("proof.json: not valid JSON"));
  std::string text = read_text_file(multiplier_path("proof.json"));
  text.replace(text.find("\"1\""), 3, "\"2\"");  // pi_a's z = 2 makes (x, y, 2) a different, off-curve point
  CHECK_THROWS_WITH(proof_from_json(text, "proof.json"), Contains("proof.json: pi_a"));
}

TEST_CASE("bad input: a witness that breaks a constraint is named", "[prover][bad_input]") {
  const R1cs r1cs = read_r1cs(multiplier_path("multiplier.r1cs"));
  auto w = read_wtns(multiplier_path("multiplier.wtns")).to_field();
  w[6] += Fr::one();
  CHECK_THROWS_WITH(check_witness(r1cs, w, "w.wtns"), Contains("w.wtns: does not satisfy constraint"));
  w.pop_back();
  CHECK_THROWS_WITH(check_witness(r1cs, w, "w.wtns"), Contains("w.wtns: has 7 values, the circuit has 8 wires"));
}

TEST_CASE("bad input: ptau", "[prover][bad_input]") {
  zkacc::test::ScratchDir dir;
  auto b = read_bytes(zkacc::test::prover_data_path("pot4.ptau"));
  b.resize(b.size() - 64);
  write_bytes(dir.file("bad.ptau"), b);
  CHECK_THROWS_WITH(Ptau(dir.file("bad.ptau")), Contains("bad.ptau") && Contains("truncated"));
}
