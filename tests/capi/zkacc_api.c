/* zkacc's own C interface (zkacc.h) from an installed prefix:
   1. a proving key loaded once (file and buffer), proofs on "cpu" and on
      "sim" (the Verilator kernels) from it, each accepted by groth16_verify;
   2. MSM: n copies of the generator G = (1, 2) with scalars 1..n give
      (n(n+1)/2)·G, which a one-point MSM gives too, on "cpu" and "sim";
      n = 0 gives infinity;
   3. NTT: forward then inverse is the identity, and "cpu" and "sim" agree;
   4. bad input: a scalar >= r, a point off the curve, a size that is not a
      power of two, an unknown backend, NULL arguments, a short buffer.

   Usage: zkacc_api <multiplier fixture dir> <work dir> */
#include <string.h>

#include "prover.h"
#include "test_files.h"
#include "verifier.h"
#include "zkacc.h"

/* Little-endian 32-byte encodings of small numbers. */
static void put_u64(unsigned char* p, unsigned long long v) {
  memset(p, 0, 32);
  for (int i = 0; i < 8; ++i) p[i] = (unsigned char)(v >> (8 * i));
}

static void put_generator(unsigned char* p) {
  put_u64(p, 1);
  put_u64(p + 32, 2);
}

/* r = 21888242871839275222246405745257275088548364400416034343698204186575808495617, little-endian. */
static const unsigned char kR[32] = {0x01, 0x00, 0x00, 0xf0, 0x93, 0xf5, 0xe1, 0x43, 0x91, 0x70, 0xb9, 0x79, 0x48, 0xe8, 0x33, 0x28,
                                     0x5d, 0x58, 0x81, 0x81, 0xb6, 0x45, 0x50, 0xb8, 0x29, 0xa0, 0x31, 0xe1, 0x72, 0x4e, 0x64, 0x30};

static int prove_and_verify(const zkacc_proving_key* key, const unsigned char* wtns, unsigned long long wtns_size,
                            const char* backend, const char* vk) {
  char proof[1024], pub[1024], error[512] = "";
  unsigned long long proof_size = sizeof proof, public_size = sizeof pub;
  const int rc = zkacc_prove(key, wtns, wtns_size, backend, NULL, proof, &proof_size, pub, &public_size, error,
                             sizeof error);
  if (rc != ZKACC_OK) {
    fprintf(stderr, "zkacc_prove on %s: %d %s\n", backend, rc, error);
    return 0;
  }
  return groth16_verify(proof, pub, vk, error, sizeof error) == VERIFIER_VALID_PROOF;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <fixture dir> <work dir>\n", argv[0]);
    return 2;
  }
  const char* dir = argv[1];
  unsigned long long zkey_size, wtns_size, vk_size;
  unsigned char* zkey = read_fixture(dir, "multiplier.zkey", &zkey_size);
  unsigned char* wtns = read_fixture(dir, "multiplier.wtns", &wtns_size);
  const char* vk = (const char*)read_fixture(dir, "vk.json", &vk_size);
  char zkey_path[4096], error[512] = "";
  snprintf(zkey_path, sizeof zkey_path, "%s/multiplier.zkey", dir);

  /* 1. Keys and proofs. */
  zkacc_proving_key* from_file = NULL;
  zkacc_proving_key* from_buffer = NULL;
  CHECK(zkacc_proving_key_load(zkey_path, &from_file, error, sizeof error) == ZKACC_OK);
  CHECK(zkacc_proving_key_load_buffer(zkey, zkey_size, &from_buffer, error, sizeof error) == ZKACC_OK);
  CHECK(prove_and_verify(from_file, wtns, wtns_size, "cpu", vk));
  CHECK(prove_and_verify(from_buffer, wtns, wtns_size, "cpu", vk));
  CHECK(prove_and_verify(from_file, wtns, wtns_size, "sim", vk));
  /* H tables: proofs still verify, on every backend; 0 frees them. */
  CHECK(zkacc_proving_key_precompute(from_buffer, 1ull << 30, error, sizeof error) == ZKACC_OK);
  CHECK(prove_and_verify(from_buffer, wtns, wtns_size, "cpu", vk));
  CHECK(prove_and_verify(from_buffer, wtns, wtns_size, "sim", vk));
  CHECK(zkacc_proving_key_precompute(from_buffer, 0, error, sizeof error) == ZKACC_OK);
  CHECK(prove_and_verify(from_buffer, wtns, wtns_size, "cpu", vk));
  CHECK(zkacc_proving_key_precompute(NULL, 1024, error, sizeof error) == ZKACC_ERROR);
  {
    char proof[8], pub[8];
    unsigned long long proof_size = sizeof proof, public_size = sizeof pub;
    CHECK(zkacc_prove(from_file, wtns, wtns_size, "cpu", NULL, proof, &proof_size, pub, &public_size, error,
                      sizeof error) == ZKACC_ERROR_SHORT_BUFFER);
    CHECK(proof_size > sizeof proof && public_size > sizeof pub);
  }
  CHECK(zkacc_prove(from_file, wtns, wtns_size / 2, "cpu", NULL, error, NULL, error, NULL, error, sizeof error) ==
        ZKACC_ERROR);
  CHECK(strstr(error, "proof_size is NULL") != NULL);

  /* 2. MSM. */
  enum { n = 300 };
  static unsigned char points[n * 64], scalars[n * 32];
  for (int i = 0; i < n; ++i) {
    put_generator(points + 64 * i);
    put_u64(scalars + 32 * i, (unsigned long long)i + 1);
  }
  unsigned char expected[64], got[64], one_scalar[32];
  put_u64(one_scalar, (unsigned long long)n * (n + 1) / 2);
  CHECK(zkacc_msm_g1("cpu", NULL, points, one_scalar, 1, expected, error, sizeof error) == ZKACC_OK);
  const char* backends[] = {"cpu", "sim", "cpu,sim"};
  for (int b = 0; b < 3; ++b) {
    memset(got, 0xff, sizeof got);
    const int rc = zkacc_msm_g1(backends[b], NULL, points, scalars, n, got, error, sizeof error);
    if (rc != ZKACC_OK) fprintf(stderr, "msm on %s: %s\n", backends[b], error);
    CHECK(rc == ZKACC_OK && memcmp(got, expected, 64) == 0);
  }
  unsigned char zero[64] = {0};
  CHECK(zkacc_msm_g1("cpu", NULL, NULL, NULL, 0, got, error, sizeof error) == ZKACC_OK && memcmp(got, zero, 64) == 0);

  /* 3. NTT. */
  enum { m = 256 };
  static unsigned char values[m * 32], original[m * 32], on_cpu[m * 32];
  for (int i = 0; i < m; ++i) put_u64(values + 32 * i, (unsigned long long)i * 7919u + 3u);
  memcpy(original, values, sizeof values);
  CHECK(zkacc_ntt("cpu", NULL, values, m, 0, error, sizeof error) == ZKACC_OK);
  memcpy(on_cpu, values, sizeof values);
  CHECK(memcmp(values, original, sizeof values) != 0);
  CHECK(zkacc_ntt("cpu", NULL, values, m, 1, error, sizeof error) == ZKACC_OK);
  CHECK(memcmp(values, original, sizeof values) == 0);
  memcpy(values, original, sizeof values);
  CHECK(zkacc_ntt("sim", NULL, values, m, 0, error, sizeof error) == ZKACC_OK);
  CHECK(memcmp(values, on_cpu, sizeof values) == 0);

  /* 4. Bad input. */
  memcpy(scalars + 32 * 5, kR, 32);
  CHECK(zkacc_msm_g1("cpu", NULL, points, scalars, n, got, error, sizeof error) == ZKACC_ERROR_INVALID_INPUT);
  CHECK(strstr(error, "scalar 5 is not below the modulus") != NULL);
  put_u64(scalars + 32 * 5, 6);
  put_u64(points + 64 * 7 + 32, 3); /* (1, 3) is not on y^2 = x^3 + 3 */
  CHECK(zkacc_msm_g1("cpu", NULL, points, scalars, n, got, error, sizeof error) == ZKACC_ERROR_INVALID_INPUT);
  CHECK(strstr(error, "point 7 is not on the curve") != NULL);
  put_generator(points + 64 * 7);
  CHECK(zkacc_msm_g1("gpu", NULL, points, scalars, n, got, error, sizeof error) == ZKACC_ERROR);
  CHECK(strstr(error, "unknown backend 'gpu'") != NULL);
  CHECK(zkacc_ntt("cpu", NULL, values, 100, 0, error, sizeof error) == ZKACC_ERROR_INVALID_INPUT);
  CHECK(zkacc_ntt("cpu", NULL, NULL, 4, 0, error, sizeof error) == ZKACC_ERROR);
  CHECK(zkacc_proving_key_load("/nonexistent.zkey", &from_buffer, error, sizeof error) == ZKACC_ERROR);
  CHECK(zkacc_proving_key_load_buffer(zkey, zkey_size / 3, &from_buffer, error, sizeof error) == ZKACC_ERROR);

  zkacc_proving_key_free(from_file);
  zkacc_proving_key_free(NULL);
  free(zkey);
  free(wtns);
  free((void*)vk);
  printf("%s\n", test_failures == 0 ? "all checks passed" : "FAILED");
  return test_failures == 0 ? 0 : 1;
}
