/* The model pipeline of zkacc.h (zkacc_model_*) from an installed prefix,
   on the committed Fashion-MNIST MLP (models/mlp.onnx):
   1. compiled with its committed settings (models/reference/mlp.settings.json):
      zkacc_model_settings's text compiles the same circuit again, and the
      .r1cs written has the public signals and constraints those settings
      recorded;
   2. the witness and output.json of test images 0, 1, 2
      (models/inputs/mlp_sample<k>.json): the quantized outputs and their
      argmax equal models/reference/mlp_test100.json's, which numpy computed
      from the fixed-point rules without zkacc's code;
   3. a key from a generated powers of tau (cached in the work dir, not in
      $HOME), loaded, its verification key; prove-model on "cpu" accepted by
      groth16_verify, a tampered public signal refused; the witness of 2
      proved with zkacc_prove and the same key;
   4. three threads witnessing and proving the three images at once with one
      model handle and one key handle;
   5. bad input: NULL arguments, a missing model file, neither or both of
      settings and calibration, settings of another model, an input of the
      wrong length or not JSON, a powers of tau too small, a key of another
      circuit, an unknown backend, short buffers (sizes written back,
      buffers untouched).

   Usage: model_api <source dir> <work dir> */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "prover.h"
#include "test_files.h"
#include "verifier.h"
#include "zkacc.h"

enum { kClasses = 10, kSamples = 3 };

static char error[1024];

/* The code, and a message containing `needle`. */
static int failed_with(int rc, int want, const char* needle) {
  if (rc != want || strstr(error, needle) == NULL) {
    fprintf(stderr, "  got %d \"%s\", expected %d and a message with \"%s\"\n", rc, error, want, needle);
    return 0;
  }
  return 1;
}

/* The integers of the list after "key" (the first inner list if nested).
   Returns how many were read. */
static int int_list(const char* json, const char* key, long long* out, int max) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char* p = strstr(json, quoted);
  if (!p || !(p = strchr(p, '['))) return 0;
  ++p;
  while (*p == ' ' || *p == '\n' || *p == '[') ++p;
  int n = 0;
  while (n < max) {
    char* end;
    const long long v = strtoll(p, &end, 10);
    if (end == p) break;
    out[n++] = v;
    p = end;
    while (*p == ' ' || *p == '\n' || *p == ',') ++p;
    if (*p == ']') break;
  }
  return n;
}

/* The integer after "key": */
static long long int_value(const char* json, const char* key) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char* p = strstr(json, quoted);
  if (!p || !(p = strchr(p, ':'))) return -1;
  return strtoll(p + 1, NULL, 10);
}

/* The first index of the largest value. */
static int argmax(const long long* v, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (v[i] > v[best]) best = i;
  return best;
}

/* The reference's quantized outputs of test image k: the k-th inner list. */
static int reference_outputs(const char* reference, int k, long long* out) {
  const char* p = strstr(reference, "\"quantized_outputs\"");
  if (!p || !(p = strchr(p, '['))) return 0;
  for (int i = 0; i <= k; ++i)
    if (!(p = strchr(p + 1, '['))) return 0;
  char key_and_list[4096];
  snprintf(key_and_list, sizeof key_and_list, "\"l\": %.4000s", p);
  return int_list(key_and_list, "l", out, kClasses);
}

/* Whether output.json's quantized outputs and argmax are the reference's. */
static int output_matches(const char* output_json, const char* reference, int k) {
  long long got[kClasses], want[kClasses];
  if (int_list(output_json, "output_quantized", got, kClasses) != kClasses) return 0;
  if (reference_outputs(reference, k, want) != kClasses) return 0;
  if (memcmp(got, want, sizeof got) != 0) {
    fprintf(stderr, "  image %d: quantized outputs differ from the reference\n", k);
    return 0;
  }
  return int_value(output_json, "argmax") == argmax(want, kClasses);
}

static unsigned long long file_size(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  const long n = ftell(f);
  fclose(f);
  return (unsigned long long)n;
}

static unsigned int load_u32(const unsigned char* p) {
  return (unsigned int)p[0] | (unsigned int)p[1] << 8 | (unsigned int)p[2] << 16 | (unsigned int)p[3] << 24;
}

static const zkacc_model* model;
static const zkacc_proving_key* key;
static const char* vkey;
static const char* reference;
static char* inputs[kSamples];

/* Thread k: the witness and a proof of image k, with the shared handles. */
static void* prove_sample(void* arg) {
  const int k = (int)(size_t)arg;
  static char wtns[kSamples][300000], output[kSamples][4096], proof[kSamples][1024], pub[kSamples][65536];
  char err[512] = "";
  unsigned long long wtns_size = sizeof wtns[k], output_size = sizeof output[k];
  int ok = zkacc_model_witness(model, inputs[k], wtns[k], &wtns_size, output[k], &output_size, err, sizeof err) ==
               ZKACC_OK &&
           output_matches(output[k], reference, k);
  unsigned long long proof_size = sizeof proof[k], public_size = sizeof pub[k];
  output_size = sizeof output[k];
  ok = ok && zkacc_model_prove(model, key, inputs[k], "cpu", NULL, proof[k], &proof_size, pub[k], &public_size,
                               output[k], &output_size, err, sizeof err) == ZKACC_OK;
  ok = ok && output_matches(output[k], reference, k) &&
       groth16_verify(proof[k], pub[k], vkey, err, sizeof err) == VERIFIER_VALID_PROOF;
  if (!ok) fprintf(stderr, "  thread %d: %s\n", k, err);
  return (void*)(size_t)ok;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <source dir> <work dir>\n", argv[0]);
    return 2;
  }
  const char* source = argv[1];
  const char* work = argv[2];
  char onnx[4096], settings_path[4096], path[4096], zkey_path[4096];
  snprintf(onnx, sizeof onnx, "%s/models/mlp.onnx", source);
  snprintf(settings_path, sizeof settings_path, "%s/models/reference/mlp.settings.json", source);
  snprintf(zkey_path, sizeof zkey_path, "%s/mlp.zkey", work);
  /* The generated powers of tau go to the work dir, not the user's cache. */
  snprintf(path, sizeof path, "%s/ptau", work);
  setenv("ZKACC_PTAU_DIR", path, 1);
  unsigned long long size;
  reference = (const char*)read_fixture(source, "models/reference/mlp_test100.json", &size);
  for (int k = 0; k < kSamples; ++k) {
    char name[64];
    snprintf(name, sizeof name, "models/inputs/mlp_sample%d.json", k);
    inputs[k] = (char*)read_fixture(source, name, &size);
  }

  /* 1. Compile, settings, r1cs. */
  zkacc_model* m = NULL;
  if (zkacc_model_compile(onnx, settings_path, NULL, &m, error, sizeof error) != ZKACC_OK) {
    fprintf(stderr, "zkacc_model_compile: %s\n", error);
    return 1;
  }
  model = m;
  static char settings[65536], again[65536];
  unsigned long long settings_size = sizeof settings, again_size = sizeof again;
  CHECK(zkacc_model_settings(m, settings, &settings_size, error, sizeof error) == ZKACC_OK);
  CHECK(settings_size == strlen(settings) && strstr(settings, "\"constraints\": 7280") != NULL);
  write_text(work, "settings.json", settings);
  snprintf(path, sizeof path, "%s/settings.json", work);
  zkacc_model* m2 = NULL;
  CHECK(zkacc_model_compile(onnx, path, NULL, &m2, error, sizeof error) == ZKACC_OK);
  CHECK(zkacc_model_settings(m2, again, &again_size, error, sizeof error) == ZKACC_OK);
  CHECK(again_size == settings_size && strcmp(settings, again) == 0);
  zkacc_model_free(m2);
  snprintf(path, sizeof path, "%s/mlp.r1cs", work);
  CHECK(zkacc_model_write_r1cs(m, path, error, sizeof error) == ZKACC_OK);
  {
    unsigned long long r1cs_size;
    const unsigned char* r1cs = read_fixture(work, "mlp.r1cs", &r1cs_size);
    /* "r1cs", version 1, then section 1 (the header) first: n8, prime,
       nWires, nPubOut, nPubIn, nPrvIn, nLabels (u64), mConstraints. */
    CHECK(r1cs_size > 88 && memcmp(r1cs, "r1cs", 4) == 0 && load_u32(r1cs + 12) == 1);
    CHECK(load_u32(r1cs + 64) == 10 && load_u32(r1cs + 68) == 784 && load_u32(r1cs + 84) == 7280);
    free((void*)r1cs);
  }

  /* 2. The witness and output of image 0. */
  static unsigned char wtns[300000];
  static char output[4096];
  unsigned long long wtns_size = sizeof wtns, output_size = sizeof output;
  CHECK(zkacc_model_witness(m, inputs[0], wtns, &wtns_size, output, &output_size, error, sizeof error) == ZKACC_OK);
  CHECK(output_size == strlen(output) && output_matches(output, reference, 0));
  CHECK(memcmp(wtns, "wtns", 4) == 0 && wtns_size == 12 + 52 + 12 + 32ull * 7239);
  CHECK(int_value(inputs[0], "label") == int_value(output, "argmax"));

  /* 3. Key, verification key, prove-model, verify. */
  CHECK(zkacc_model_setup(m, NULL, zkey_path, error, sizeof error) == ZKACC_OK);
  zkacc_proving_key* k = NULL;
  if (zkacc_proving_key_load(zkey_path, &k, error, sizeof error) != ZKACC_OK) {
    fprintf(stderr, "zkacc_proving_key_load: %s\n", error);
    return 1;
  }
  key = k;
  static char vk[1 << 20]; /* 795 points of IC: about 200 kB */
  unsigned long long vk_size = sizeof vk;
  const int got_vk = zkacc_model_verification_key(m, k, vk, &vk_size, error, sizeof error);
  if (got_vk != ZKACC_OK) fprintf(stderr, "zkacc_model_verification_key: %s\n", error);
  CHECK(got_vk == ZKACC_OK);
  CHECK(vk_size == strlen(vk) && strstr(vk, "\"nPublic\": 794") && strstr(vk, "\"zkacc_public_signals\""));
  vkey = vk;
  static char proof[1024], pub[65536];
  unsigned long long proof_size = sizeof proof, public_size = sizeof pub;
  output_size = sizeof output;
  memset(output, 0, sizeof output);
  const int proved = zkacc_model_prove(m, k, inputs[0], "cpu", NULL, proof, &proof_size, pub, &public_size, output,
                                       &output_size, error, sizeof error);
  if (proved != ZKACC_OK) fprintf(stderr, "zkacc_model_prove: %s\n", error);
  CHECK(proved == ZKACC_OK && output_matches(output, reference, 0));
  CHECK(proof_size == strlen(proof) && public_size == strlen(pub));
  CHECK(groth16_verify(proof, pub, vk, error, sizeof error) == VERIFIER_VALID_PROOF);
  {
    /* The last digit of the first public signal (the first output) changed. */
    static char tampered[65536];
    strcpy(tampered, pub);
    char* digit = strchr(strchr(tampered, '"') + 1, '"') - 1;
    *digit = *digit == '0' ? '1' : (char)(*digit - 1);
    CHECK(groth16_verify(proof, tampered, vk, error, sizeof error) == VERIFIER_INVALID_PROOF);
  }
  {
    /* zkacc_model_witness's witness fits the key too. */
    static char proof2[1024], pub2[65536];
    unsigned long long proof2_size = sizeof proof2, public2_size = sizeof pub2;
    CHECK(zkacc_prove(k, wtns, wtns_size, "cpu", NULL, proof2, &proof2_size, pub2, &public2_size, error,
                      sizeof error) == ZKACC_OK);
    CHECK(strcmp(pub2, pub) == 0 && groth16_verify(proof2, pub2, vk, error, sizeof error) == VERIFIER_VALID_PROOF);
  }

  /* 4. Three threads, one model and one key. */
  pthread_t threads[kSamples];
  for (int i = 0; i < kSamples; ++i) CHECK(pthread_create(&threads[i], NULL, prove_sample, (void*)(size_t)i) == 0);
  for (int i = 0; i < kSamples; ++i) {
    void* ok = NULL;
    CHECK(pthread_join(threads[i], &ok) == 0 && ok != NULL);
  }

  /* 5. Bad input. */
  zkacc_model* bad = (zkacc_model*)m; /* must be set to NULL by a failed compile */
  CHECK(failed_with(zkacc_model_compile(NULL, settings_path, NULL, &bad, error, sizeof error), ZKACC_ERROR,
                    "onnx_path is NULL") && bad == NULL);
  CHECK(failed_with(zkacc_model_compile(onnx, settings_path, NULL, NULL, error, sizeof error), ZKACC_ERROR,
                    "model is NULL"));
  snprintf(path, sizeof path, "%s/missing.onnx", work);
  CHECK(failed_with(zkacc_model_compile(path, settings_path, NULL, &bad, error, sizeof error), ZKACC_ERROR,
                    "missing.onnx: cannot open") && bad == NULL);
  CHECK(failed_with(zkacc_model_compile(onnx, NULL, NULL, &bad, error, sizeof error), ZKACC_ERROR,
                    "settings_path and calibration_path are both NULL"));
  snprintf(path, sizeof path, "%s/models/inputs/mlp_sample0.json", source);
  CHECK(failed_with(zkacc_model_compile(onnx, settings_path, path, &bad, error, sizeof error), ZKACC_ERROR,
                    "settings_path and calibration_path are both given"));
  snprintf(path, sizeof path, "%s/models/cnn.onnx", source);
  CHECK(failed_with(zkacc_model_compile(path, settings_path, NULL, &bad, error, sizeof error), ZKACC_ERROR,
                    "mlp.settings.json: was made for mlp.onnx"));
  CHECK(failed_with(zkacc_model_witness(m, "{\"input\": [0.5, 0.25, 0.125]}", wtns, &wtns_size, output, &output_size,
                                        error, sizeof error),
                    ZKACC_ERROR, "input_json: has 3 input values, the model's input [1, 784] takes 784"));
  CHECK(failed_with(zkacc_model_witness(m, "{\"input\": [0.5,", wtns, &wtns_size, output, &output_size, error,
                                        sizeof error),
                    ZKACC_ERROR, "input_json: is not valid JSON"));
  CHECK(failed_with(zkacc_model_witness(m, NULL, wtns, &wtns_size, output, &output_size, error, sizeof error),
                    ZKACC_ERROR, "input_json is NULL"));
  CHECK(failed_with(zkacc_model_witness(NULL, inputs[0], wtns, &wtns_size, output, &output_size, error, sizeof error),
                    ZKACC_ERROR, "model is NULL"));
  CHECK(failed_with(zkacc_model_witness(m, inputs[0], wtns, NULL, output, &output_size, error, sizeof error),
                    ZKACC_ERROR, "wtns_size is NULL"));
  CHECK(failed_with(zkacc_model_settings(m, NULL, &settings_size, error, sizeof error), ZKACC_ERROR,
                    "settings_buffer is NULL"));
  CHECK(failed_with(zkacc_model_write_r1cs(m, NULL, error, sizeof error), ZKACC_ERROR, "r1cs_path is NULL"));
  snprintf(path, sizeof path, "%s/tests/data/prover/pot4.ptau", source);
  snprintf(zkey_path, sizeof zkey_path, "%s/never.zkey", work);
  CHECK(failed_with(zkacc_model_setup(m, path, zkey_path, error, sizeof error), ZKACC_ERROR,
                    "pot4.ptau: powers of tau of 2^4 are too few") && file_size(zkey_path) == 0);
  CHECK(failed_with(zkacc_model_setup(m, NULL, NULL, error, sizeof error), ZKACC_ERROR, "zkey_path is NULL"));
  {
    zkacc_proving_key* other = NULL;
    snprintf(path, sizeof path, "%s/tests/data/prover/multiplier/multiplier.zkey", source);
    CHECK(zkacc_proving_key_load(path, &other, error, sizeof error) == ZKACC_OK);
    proof_size = sizeof proof, public_size = sizeof pub, output_size = sizeof output;
    CHECK(failed_with(zkacc_model_prove(m, other, inputs[0], "cpu", NULL, proof, &proof_size, pub, &public_size,
                                        output, &output_size, error, sizeof error),
                      ZKACC_ERROR, "key: was made for another circuit"));
    vk_size = sizeof vk;
    CHECK(failed_with(zkacc_model_verification_key(m, other, vk, &vk_size, error, sizeof error), ZKACC_ERROR,
                      "key: was made for another circuit"));
    zkacc_proving_key_free(other);
  }
  CHECK(failed_with(zkacc_model_prove(m, k, inputs[0], "gpu", NULL, proof, &proof_size, pub, &public_size, output,
                                      &output_size, error, sizeof error),
                    ZKACC_ERROR, "unknown backend 'gpu'"));
  CHECK(failed_with(zkacc_model_prove(m, k, inputs[0], "cpu", NULL, proof, &proof_size, pub, &public_size, NULL,
                                      &output_size, error, sizeof error),
                    ZKACC_ERROR, "output_buffer is NULL"));

  /* Short buffers: nothing written, every size set to what its output needs. */
  {
    const unsigned long long wtns_need = wtns_size;
    output_size = sizeof output;
    CHECK(zkacc_model_witness(m, inputs[0], wtns, &wtns_size, output, &output_size, error, sizeof error) == ZKACC_OK);
    const unsigned long long output_need = output_size + 1;
    unsigned char small_wtns[16];
    char small_output[16];
    memset(small_wtns, 'w', sizeof small_wtns);
    memset(small_output, 'o', sizeof small_output);
    unsigned long long ws = sizeof small_wtns, os = sizeof output;
    CHECK(failed_with(zkacc_model_witness(m, inputs[0], small_wtns, &ws, output, &os, error, sizeof error),
                      ZKACC_ERROR_SHORT_BUFFER, "buffers too small: the witness needs"));
    CHECK(ws == wtns_need && os == output_need && small_wtns[0] == 'w');
    ws = wtns_size;
    os = sizeof small_output;
    CHECK(failed_with(zkacc_model_witness(m, inputs[0], wtns, &ws, small_output, &os, error, sizeof error),
                      ZKACC_ERROR_SHORT_BUFFER, "the output JSON"));
    CHECK(ws == wtns_need && os == output_need && small_output[0] == 'o');
    unsigned long long ss = sizeof small_output;
    CHECK(failed_with(zkacc_model_settings(m, small_output, &ss, error, sizeof error), ZKACC_ERROR_SHORT_BUFFER,
                      "buffer too small: the settings JSON needs"));
    CHECK(ss == settings_size + 1 && small_output[0] == 'o');
    unsigned long long vs = sizeof small_output;
    CHECK(zkacc_model_verification_key(m, k, small_output, &vs, error, sizeof error) == ZKACC_ERROR_SHORT_BUFFER);
    CHECK(vs == strlen(vk) + 1 && small_output[0] == 'o');
    const unsigned long long public_need = strlen(pub) + 1;
    char small_public[16];
    memset(small_public, 'p', sizeof small_public);
    proof_size = sizeof proof, public_size = sizeof small_public, os = sizeof small_output;
    CHECK(failed_with(zkacc_model_prove(m, k, inputs[0], "cpu", NULL, proof, &proof_size, small_public, &public_size,
                                        small_output, &os, error, sizeof error),
                      ZKACC_ERROR_SHORT_BUFFER, "the public signals"));
    unsigned long long capacity;
    groth16_proof_size(&capacity);
    CHECK(proof_size > 100 && proof_size <= capacity && public_size == public_need && os == output_need);
    CHECK(small_public[0] == 'p' && small_output[0] == 'o');
  }

  zkacc_model_free(m);
  zkacc_model_free(NULL);
  zkacc_proving_key_free(k);
  free((void*)reference);
  for (int i = 0; i < kSamples; ++i) free(inputs[i]);
  printf("%s\n", test_failures == 0 ? "all checks passed" : "FAILED");
  return test_failures == 0 ? 0 : 1;
}
