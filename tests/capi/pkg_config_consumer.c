/* A C program built with `pkg-config --cflags --libs zkacc`: the C ABI's
   functions on the committed multiplier circuit (Multiplier(5), public
   signals 3113 and 3), each output checked for the format rapidsnark writes
   and verified.

   Usage: pkg_config_consumer <multiplier fixture dir> <work dir> */
#include <string.h>

#include "prover.h"
#include "test_files.h"
#include "verifier.h"

static const char kPublic[] = "[\"3113\",\"3\"]";

static int ends_with(const char* s, const char* suffix) {
  const size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The layout of rapidsnark's proof string: compact JSON, keys sorted, no "curve". */
static int looks_like_rapidsnark_proof(const char* proof) {
  return strncmp(proof, "{\"pi_a\":[\"", 10) == 0 && strstr(proof, "\",\"1\"],\"pi_b\":[[\"") != NULL &&
         strstr(proof, "],[\"1\",\"0\"]],\"pi_c\":[\"") != NULL &&
         ends_with(proof, "\",\"1\"],\"protocol\":\"groth16\"}") && strchr(proof, ' ') == NULL &&
         strchr(proof, '\n') == NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <fixture dir> <work dir>\n", argv[0]);
    return 2;
  }
  const char* dir = argv[1];
  unsigned long long zkey_size, wtns_size, vk_size, n;
  unsigned char* zkey = read_fixture(dir, "multiplier.zkey", &zkey_size);
  unsigned char* wtns = read_fixture(dir, "multiplier.wtns", &wtns_size);
  const char* vk = (const char*)read_fixture(dir, "vk.json", &vk_size);
  char zkey_path[4096];
  snprintf(zkey_path, sizeof zkey_path, "%s/multiplier.zkey", dir);
  char error[256] = "untouched";

  /* The size helpers: 810 for any proof, nPublic * 82 + 4 for the signals. */
  unsigned long long proof_capacity = 0, public_capacity = 0, public_capacity_file = 0;
  groth16_proof_size(&proof_capacity);
  CHECK(proof_capacity == 810);
  CHECK(groth16_public_size_for_zkey_buf(zkey, zkey_size, &public_capacity, error, sizeof error) == PROVER_OK);
  CHECK(public_capacity == 2 * 82 + 4);
  CHECK(groth16_public_size_for_zkey_file(zkey_path, &public_capacity_file, error, sizeof error) == PROVER_OK);
  CHECK(public_capacity_file == public_capacity);
  CHECK(strcmp(error, "untouched") == 0);

  /* One-shot from buffers: lengths back without the NUL, strings as rapidsnark's. */
  char* proof = malloc(proof_capacity);
  char* pub = malloc(public_capacity);
  unsigned long long proof_size = proof_capacity, public_size = public_capacity;
  CHECK(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, pub, &public_size, error, sizeof error) ==
        PROVER_OK);
  CHECK(strcmp(error, "untouched") == 0);
  CHECK(proof_size == strlen(proof) && proof_size < proof_capacity);
  CHECK(public_size == strlen(pub));
  CHECK(strcmp(pub, kPublic) == 0);
  CHECK(looks_like_rapidsnark_proof(proof));
  CHECK(groth16_verify(proof, pub, vk, error, sizeof error) == VERIFIER_VALID_PROOF);
  printf("proof (%llu bytes): %s\npublic: %s\n", proof_size, proof, pub);

  /* A tampered public signal: invalid, and no message (as rapidsnark). */
  CHECK(groth16_verify(proof, "[\"3114\",\"3\"]", vk, error, sizeof error) == VERIFIER_INVALID_PROOF);
  CHECK(strcmp(error, "untouched") == 0);

  /* One-shot with the key file. */
  char* proof2 = malloc(proof_capacity);
  proof_size = proof_capacity;
  public_size = public_capacity;
  CHECK(groth16_prover_zkey_file(zkey_path, wtns, wtns_size, proof2, &proof_size, pub, &public_size, error,
                                 sizeof error) == PROVER_OK);
  CHECK(groth16_verify(proof2, pub, vk, error, sizeof error) == VERIFIER_VALID_PROOF);
  CHECK(strcmp(proof, proof2) != 0); /* fresh blinding each proof */

  /* A prover object from a buffer, freed before proving, and one from the file. */
  unsigned char* zkey_copy = malloc(zkey_size);
  memcpy(zkey_copy, zkey, zkey_size);
  void* prover = NULL;
  void* prover_file = NULL;
  CHECK(groth16_prover_create(&prover, zkey_copy, zkey_size, error, sizeof error) == PROVER_OK && prover != NULL);
  memset(zkey_copy, 0, zkey_size);
  free(zkey_copy);
  CHECK(groth16_prover_create_zkey_file(&prover_file, zkey_path, error, sizeof error) == PROVER_OK &&
        prover_file != NULL);
  for (n = 0; n < 2; ++n) {
    proof_size = proof_capacity;
    public_size = public_capacity;
    CHECK(groth16_prover_prove(n == 0 ? prover : prover_file, wtns, wtns_size, proof2, &proof_size, pub, &public_size,
                               error, sizeof error) == PROVER_OK);
    CHECK(strcmp(pub, kPublic) == 0);
    CHECK(groth16_verify(proof2, pub, vk, error, sizeof error) == VERIFIER_VALID_PROOF);
  }
  groth16_prover_destroy(prover);
  groth16_prover_destroy(prover_file);

  /* snarkjs's own files, pretty-printed and with "curve": valid too. */
  unsigned long long size;
  const char* snarkjs_proof = (const char*)read_fixture(dir, "proof.json", &size);
  const char* snarkjs_public = (const char*)read_fixture(dir, "public.json", &size);
  CHECK(groth16_verify(snarkjs_proof, snarkjs_public, vk, error, sizeof error) == VERIFIER_VALID_PROOF);

  free(proof);
  free(proof2);
  free(pub);
  free(zkey);
  free(wtns);
  free((void*)vk);
  free((void*)snarkjs_proof);
  free((void*)snarkjs_public);

  printf("%s\n", test_failures == 0 ? "all checks passed" : "FAILED");
  return test_failures == 0 ? 0 : 1;
}
