/* A program written against rapidsnark's C interface only: the declarations
   of iden3/rapidsnark's src/prover.h and src/verifier.h (release v0.0.8),
   included as a rapidsnark user includes them, built with the flags such a
   user has (-I to the headers, -l the library) and run on libzkacc_capi.so.

   1. groth16_prover_zkey_file proves the multiplier fixture, groth16_verify
      accepts; proof.json and public.json go to the work dir, where
      capi_snarkjs_verify has snarkjs check them.
   2. Several threads prove at once, half with one shared prover object
      (groth16_prover_create), half with groth16_prover; every proof verifies.

   Usage: rapidsnark_compat <multiplier fixture dir> <work dir> */
#include <pthread.h>
#include <string.h>

#include "prover.h"
#include "verifier.h"
#include "test_files.h"

enum { kThreads = 8, kProofsPerThread = 3 };

static unsigned char* zkey;
static unsigned char* wtns;
static unsigned long long zkey_size, wtns_size, proof_capacity, public_capacity;
static const char* vk;
static void* shared_prover;

struct ThreadResult {
  int index, proved, verified;
  char error[256];
};

static void* prove_in_thread(void* arg) {
  struct ThreadResult* r = arg;
  char* proof = malloc(proof_capacity);
  char* pub = malloc(public_capacity);
  for (int i = 0; i < kProofsPerThread; ++i) {
    unsigned long long proof_size = proof_capacity, public_size = public_capacity;
    const int rc = (r->index + i) % 2 == 0
                       ? groth16_prover_prove(shared_prover, wtns, wtns_size, proof, &proof_size, pub, &public_size,
                                              r->error, sizeof r->error)
                       : groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, pub, &public_size,
                                        r->error, sizeof r->error);
    if (rc != PROVER_OK) continue;
    ++r->proved;
    if (groth16_verify(proof, pub, vk, r->error, sizeof r->error) == VERIFIER_VALID_PROOF) ++r->verified;
  }
  free(proof);
  free(pub);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <fixture dir> <work dir>\n", argv[0]);
    return 2;
  }
  const char* dir = argv[1];
  const char* work = argv[2];
  unsigned long long vk_size;
  zkey = read_fixture(dir, "multiplier.zkey", &zkey_size);
  wtns = read_fixture(dir, "multiplier.wtns", &wtns_size);
  vk = (const char*)read_fixture(dir, "vk.json", &vk_size);
  char zkey_path[4096];
  snprintf(zkey_path, sizeof zkey_path, "%s/multiplier.zkey", dir);
  char error[256] = "";

  /* 1. Buffers sized by the helpers, one proof from the key file. */
  groth16_proof_size(&proof_capacity);
  CHECK(groth16_public_size_for_zkey_file(zkey_path, &public_capacity, error, sizeof error) == PROVER_OK);
  char* proof = malloc(proof_capacity);
  char* pub = malloc(public_capacity);
  unsigned long long proof_size = proof_capacity, public_size = public_capacity;
  const int rc = groth16_prover_zkey_file(zkey_path, wtns, wtns_size, proof, &proof_size, pub, &public_size, error,
                                          sizeof error);
  if (rc != PROVER_OK) {
    fprintf(stderr, "groth16_prover_zkey_file: %d %s\n", rc, error);
    return 1;
  }
  CHECK(groth16_verify(proof, pub, vk, error, sizeof error) == VERIFIER_VALID_PROOF);
  write_text(work, "proof.json", proof);
  write_text(work, "public.json", pub);
  printf("proof.json, public.json written to %s\n", work);

  /* 2. Threads. */
  CHECK(groth16_prover_create(&shared_prover, zkey, zkey_size, error, sizeof error) == PROVER_OK);
  pthread_t threads[kThreads];
  struct ThreadResult results[kThreads];
  memset(results, 0, sizeof results);
  for (int t = 0; t < kThreads; ++t) {
    results[t].index = t;
    CHECK(pthread_create(&threads[t], NULL, prove_in_thread, &results[t]) == 0);
  }
  for (int t = 0; t < kThreads; ++t) {
    pthread_join(threads[t], NULL);
    if (results[t].verified != kProofsPerThread)
      fprintf(stderr, "thread %d: %d proved, %d verified: %s\n", t, results[t].proved, results[t].verified,
              results[t].error);
    CHECK(results[t].proved == kProofsPerThread && results[t].verified == kProofsPerThread);
  }
  groth16_prover_destroy(shared_prover);
  printf("%d threads x %d proofs at once: all verified\n", kThreads, kProofsPerThread);

  free(proof);
  free(pub);
  free(zkey);
  free(wtns);
  free((void*)vk);

  printf("%s\n", test_failures == 0 ? "all checks passed" : "FAILED");
  return test_failures == 0 ? 0 : 1;
}
