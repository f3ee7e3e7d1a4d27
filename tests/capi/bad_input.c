/* The C ABI on bad input: every case returns its error code with a message
   that says what is wrong, and nothing crashes or writes where it must not.
   Built with pkg-config, like pkg_config_consumer.c.

   Usage: bad_input <multiplier fixture dir> <work dir> */
#include <string.h>

#include "prover.h"
#include "test_files.h"
#include "verifier.h"

static char error[512];

static void reset_error(void) { strcpy(error, "untouched"); }

/* The code, and a message containing `needle`. */
static int failed_with(int rc, int want, const char* needle) {
  if (rc != want || strstr(error, needle) == NULL) {
    fprintf(stderr, "  got %d \"%s\", expected %d and a message with \"%s\"\n", rc, error, want, needle);
    return 0;
  }
  return 1;
}

static unsigned char* zkey;
static unsigned char* wtns;
static unsigned long long zkey_size, wtns_size;
static char proof[1024], pub[256];
static unsigned long long proof_size, public_size;

/* groth16_prover with full-size output buffers. */
static int prove(const void* zkey_buffer, unsigned long long zsize, const void* wtns_buffer,
                 unsigned long long wsize) {
  reset_error();
  proof_size = sizeof proof;
  public_size = sizeof pub;
  return groth16_prover(zkey_buffer, zsize, wtns_buffer, wsize, proof, &proof_size, pub, &public_size, error,
                        sizeof error);
}

static unsigned int load_u32(const unsigned char* p) {
  return (unsigned int)p[0] | (unsigned int)p[1] << 8 | (unsigned int)p[2] << 16 | (unsigned int)p[3] << 24;
}
static void store_u32(unsigned char* p, unsigned int v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <fixture dir> <work dir>\n", argv[0]);
    return 2;
  }
  const char* dir = argv[1];
  unsigned long long vk_size;
  zkey = read_fixture(dir, "multiplier.zkey", &zkey_size);
  wtns = read_fixture(dir, "multiplier.wtns", &wtns_size);
  const char* vk = (const char*)read_fixture(dir, "vk.json", &vk_size);
  char zkey_path[4096];
  snprintf(zkey_path, sizeof zkey_path, "%s/multiplier.zkey", dir);
  void* object = NULL;
  unsigned long long size = 0;

  /* --- NULL arguments ------------------------------------------------------ */
  CHECK(failed_with(prove(NULL, zkey_size, wtns, wtns_size), PROVER_ERROR, "zkey_buffer is NULL"));
  CHECK(failed_with(prove(zkey, zkey_size, NULL, wtns_size), PROVER_ERROR, "wtns_buffer is NULL"));
  reset_error();
  public_size = sizeof pub;
  CHECK(failed_with(groth16_prover(zkey, zkey_size, wtns, wtns_size, NULL, &proof_size, pub, &public_size, error,
                                   sizeof error),
                    PROVER_ERROR, "proof_buffer is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, NULL, pub, &public_size, error,
                                   sizeof error),
                    PROVER_ERROR, "proof_size is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, NULL, &public_size, error,
                                   sizeof error),
                    PROVER_ERROR, "public_buffer is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, pub, NULL, error,
                                   sizeof error),
                    PROVER_ERROR, "public_size is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover_zkey_file(NULL, wtns, wtns_size, proof, &proof_size, pub, &public_size, error,
                                             sizeof error),
                    PROVER_ERROR, "zkey_file_path is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover_create(NULL, zkey, zkey_size, error, sizeof error), PROVER_ERROR,
                    "prover_object is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover_create(&object, NULL, zkey_size, error, sizeof error), PROVER_ERROR,
                    "zkey_buffer is NULL"));
  reset_error();
  CHECK(failed_with(groth16_prover_create_zkey_file(&object, NULL, error, sizeof error), PROVER_ERROR,
                    "zkey_file_path is NULL"));
  CHECK(object == NULL);
  reset_error();
  CHECK(failed_with(groth16_prover_prove(NULL, wtns, wtns_size, proof, &proof_size, pub, &public_size, error,
                                         sizeof error),
                    PROVER_ERROR, "prover_object is NULL"));
  reset_error();
  CHECK(failed_with(groth16_public_size_for_zkey_buf(zkey, zkey_size, NULL, error, sizeof error), PROVER_ERROR,
                    "public_size is NULL"));
  reset_error();
  CHECK(failed_with(groth16_public_size_for_zkey_file(NULL, &size, error, sizeof error), PROVER_ERROR,
                    "zkey_fname is NULL"));
  groth16_proof_size(NULL);       /* nothing to write to: no crash */
  groth16_prover_destroy(NULL);   /* allowed, does nothing */
  /* No message buffer, or one of size 0: the code alone, nothing written. */
  CHECK(prove(NULL, 0, NULL, 0) == PROVER_ERROR);
  CHECK(groth16_prover(NULL, 0, wtns, wtns_size, proof, &proof_size, pub, &public_size, NULL, 100) == PROVER_ERROR);
  reset_error();
  CHECK(groth16_prover(NULL, 0, wtns, wtns_size, proof, &proof_size, pub, &public_size, error, 0) == PROVER_ERROR);
  CHECK(strcmp(error, "untouched") == 0);
  /* A short message buffer: cut, NUL-terminated, nothing past it. */
  {
    char small[16];
    memset(small, '#', sizeof small);
    CHECK(groth16_prover(NULL, 0, wtns, wtns_size, proof, &proof_size, pub, &public_size, small, 8) == PROVER_ERROR);
    CHECK(strlen(small) == 7 && memcmp(small, "zkey_bu", 7) == 0 && small[8] == '#' && small[15] == '#');
  }

  /* --- Short output buffers -------------------------------------------------- */
  /* Too small for the proof: the code, both needed sizes (NUL included)
     written back, nothing written into either buffer. */
  memset(proof, 'x', sizeof proof);
  memset(pub, 'x', sizeof pub);
  proof_size = 100;
  public_size = sizeof pub;
  reset_error();
  CHECK(failed_with(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, pub, &public_size, error,
                                   sizeof error),
                    PROVER_ERROR_SHORT_BUFFER, "too small"));
  CHECK(proof_size > 100 && proof_size <= 810);
  CHECK(public_size == sizeof "[\"3113\",\"3\"]");
  CHECK(proof[0] == 'x' && proof[sizeof proof - 1] == 'x' && pub[0] == 'x' && pub[sizeof pub - 1] == 'x');
  /* Too small for the public signals only: the same. */
  proof_size = sizeof proof;
  public_size = 12; /* the string's length: no room for the NUL */
  reset_error();
  CHECK(failed_with(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, pub, &public_size, error,
                                   sizeof error),
                    PROVER_ERROR_SHORT_BUFFER, "public signals 13"));
  CHECK(public_size == 13 && proof_size > 100 && proof_size <= 810 && pub[0] == 'x');
  /* The needed public size, and the proof size groth16_proof_size gives: OK. */
  groth16_proof_size(&proof_size);
  reset_error();
  CHECK(groth16_prover(zkey, zkey_size, wtns, wtns_size, proof, &proof_size, pub, &public_size, error,
                       sizeof error) == PROVER_OK);
  CHECK(public_size == 12 && strcmp(pub, "[\"3113\",\"3\"]") == 0);

  /* --- Truncated and wrong files ------------------------------------------- */
  {
    const unsigned long long cuts[] = {0, 7, 20, zkey_size / 2, zkey_size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; ++i) {
      /* A copy of exactly the cut length, so a read past it would be caught
         by a memory checker rather than land in the rest of the file. */
      unsigned char* cut = malloc(cuts[i] + 1);
      memcpy(cut, zkey, cuts[i]);
      CHECK(failed_with(prove(cut, cuts[i], wtns, wtns_size), PROVER_ERROR, "zkey buffer"));
      CHECK(strstr(error, "too short") != NULL || strstr(error, "truncated") != NULL);
      reset_error();
      object = NULL;
      CHECK(failed_with(groth16_prover_create(&object, cut, cuts[i], error, sizeof error), PROVER_ERROR,
                        "zkey buffer"));
      CHECK(object == NULL);
      reset_error();
      CHECK(failed_with(groth16_public_size_for_zkey_buf(cut, cuts[i], &size, error, sizeof error), PROVER_ERROR,
                        "zkey buffer"));
      free(cut);
    }
  }
  {
    const unsigned long long cuts[] = {0, 7, 20, wtns_size / 2, wtns_size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; ++i) {
      unsigned char* cut = malloc(cuts[i] + 1);
      memcpy(cut, wtns, cuts[i]);
      CHECK(failed_with(prove(zkey, zkey_size, cut, cuts[i]), PROVER_ERROR, "wtns buffer"));
      CHECK(strstr(error, "too short") != NULL || strstr(error, "truncated") != NULL);
      free(cut);
    }
  }
  CHECK(failed_with(prove(wtns, wtns_size, wtns, wtns_size), PROVER_ERROR, "not a .zkey file"));
  CHECK(failed_with(prove(zkey, zkey_size, zkey, zkey_size), PROVER_ERROR, "not a .wtns file"));
  reset_error();
  CHECK(failed_with(groth16_prover_create_zkey_file(&object, "/nonexistent/circuit.zkey", error, sizeof error),
                    PROVER_ERROR, "circuit.zkey: cannot open"));
  reset_error();
  CHECK(failed_with(groth16_public_size_for_zkey_file("/nonexistent/circuit.zkey", &size, error, sizeof error),
                    PROVER_ERROR, "cannot open"));

  /* --- Witnesses that do not fit the key ------------------------------------ */
  /* snarkjs's layout: section 1 (40 bytes: n8, prime, count at offset 60),
     then section 2 (id at 64, size at 68, values from 76). */
  const unsigned int n_values = load_u32(wtns + 60);
  CHECK(load_u32(wtns + 64) == 2 && load_u32(wtns + 68) == n_values * 32 && 76 + 32ull * n_values == wtns_size);
  {
    /* One value more: a well-formed witness of another length. */
    unsigned char* longer = calloc(wtns_size + 32, 1);
    memcpy(longer, wtns, wtns_size);
    store_u32(longer + 60, n_values + 1);
    store_u32(longer + 68, (n_values + 1) * 32);
    CHECK(failed_with(prove(zkey, zkey_size, longer, wtns_size + 32), PROVER_INVALID_WITNESS_LENGTH, "nVars"));
    reset_error();
    CHECK(groth16_prover_create(&object, zkey, zkey_size, error, sizeof error) == PROVER_OK);
    proof_size = sizeof proof;
    public_size = sizeof pub;
    const unsigned long long before_proof = proof_size, before_public = public_size;
    CHECK(failed_with(groth16_prover_prove(object, longer, wtns_size + 32, proof, &proof_size, pub, &public_size,
                                           error, sizeof error),
                      PROVER_INVALID_WITNESS_LENGTH, "nVars"));
    CHECK(proof_size == before_proof && public_size == before_public);
    groth16_prover_destroy(object);
    free(longer);
  }
  {
    /* The last (private) value changed: the constraints fail, no proof. */
    unsigned char* wrong = malloc(wtns_size);
    memcpy(wrong, wtns, wtns_size);
    wrong[76 + 32 * (n_values - 1)] ^= 1;
    CHECK(failed_with(prove(zkey, zkey_size, wrong, wtns_size), PROVER_ERROR, "does not verify"));
    /* A value not below r. */
    memset(wrong + 76 + 32 * (n_values - 1), 0xff, 32);
    CHECK(failed_with(prove(zkey, zkey_size, wrong, wtns_size), PROVER_ERROR, "not below r"));
    free(wrong);
  }

  /* --- The verifier ---------------------------------------------------------- */
  CHECK(prove(zkey, zkey_size, wtns, wtns_size) == PROVER_OK);
  reset_error();
  CHECK(failed_with(groth16_verify(NULL, pub, vk, error, sizeof error), VERIFIER_ERROR, "proof is NULL"));
  reset_error();
  CHECK(failed_with(groth16_verify(proof, NULL, vk, error, sizeof error), VERIFIER_ERROR, "inputs is NULL"));
  reset_error();
  CHECK(failed_with(groth16_verify(proof, pub, NULL, error, sizeof error), VERIFIER_ERROR,
                    "verification_key is NULL"));
  CHECK(groth16_verify(NULL, NULL, NULL, NULL, 0) == VERIFIER_ERROR);
  reset_error();
  CHECK(failed_with(groth16_verify("{\"pi_a\":", pub, vk, error, sizeof error), VERIFIER_ERROR, "not valid JSON"));
  reset_error();
  CHECK(failed_with(groth16_verify(proof, "[\"3113\"]", vk, error, sizeof error), VERIFIER_ERROR, "expects 2"));
  reset_error();
  CHECK(failed_with(groth16_verify(proof, "[3113, 3]", vk, error, sizeof error), VERIFIER_ERROR, "decimal string"));
  reset_error();
  CHECK(failed_with(
      groth16_verify(proof, "[\"21888242871839275222246405745257275088548364400416034343698204186575808495617\",\"3\"]",
                     vk, error, sizeof error),
      VERIFIER_ERROR, "inputs: signal 0"));
  reset_error();
  CHECK(failed_with(groth16_verify(proof, pub, "{\"protocol\":\"plonk\"}", error, sizeof error), VERIFIER_ERROR,
                    "verification_key"));
  {
    /* pi_a's x coordinate changed by one: not on the curve. */
    char moved[1024];
    strcpy(moved, proof);
    char* x_end = strchr(moved + strlen("{\"pi_a\":[\""), '"');
    x_end[-1] = x_end[-1] == '0' ? '1' : (char)(x_end[-1] - 1);
    reset_error();
    CHECK(failed_with(groth16_verify(moved, pub, vk, error, sizeof error), VERIFIER_ERROR, "pi_a"));
  }
  {
    /* Another protocol named in the proof. */
    char plonk[1024];
    strcpy(plonk, proof);
    strcpy(strstr(plonk, "\"protocol\":"), "\"protocol\":\"plonk\"}");
    reset_error();
    CHECK(failed_with(groth16_verify(plonk, pub, vk, error, sizeof error), VERIFIER_ERROR, "protocol"));
  }
  {
    char small[16];
    memset(small, '#', sizeof small);
    CHECK(groth16_verify(NULL, pub, vk, small, 6) == VERIFIER_ERROR);
    CHECK(strcmp(small, "proof") == 0 && small[6] == '#');
  }
  free(zkey);
  free(wtns);
  free((void*)vk);
  printf("%s\n", test_failures == 0 ? "all checks passed" : "FAILED");
  return test_failures == 0 ? 0 : 1;
}
