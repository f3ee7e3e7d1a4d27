/*
 * zkacc's own C interface, beside rapidsnark's (prover.h, verifier.h): a
 * proving key loaded once and used for many proofs, proofs on a chosen
 * backend, BN254 MSM and NTT on a chosen backend, and the ZKML model
 * pipeline (ONNX model -> circuit -> witness -> key -> proof, as the zkacc
 * command's compile, witness and prove-model do), for callers that are not
 * C++ (Go, Rust, Swift, Kotlin, Python through their FFIs).
 *
 * Backends are named as the zkacc command's --backend names them: "cpu",
 * "sim" (the Verilator models of the kernels), "xrt" (a card; the xclbin
 * argument names the file, NULL otherwise), or a comma-separated list that
 * splits each MSM across them ("cpu,sim"). Device results are checked on
 * the host and redone on the CPU if wrong (docs/runtime.md).
 *
 * Binary formats (all little-endian, canonical, never Montgomery form):
 *   Fr element (scalar, NTT value)  32 bytes, below r
 *   G1 point (affine)               64 bytes: x then y, each 32 bytes below q;
 *                                   all zero is the point at infinity
 *
 * Every function returns ZKACC_OK or an error code and writes a
 * NUL-terminated message, cut to error_msg_maxsize bytes, into error_msg
 * (which may be NULL). Output sizes follow prover.h's contract: *size holds
 * the buffer's capacity on entry; on ZKACC_ERROR_SHORT_BUFFER nothing is
 * written into any of the call's buffers and every size holds what its
 * output needs (a string's NUL included); on success the lengths written
 * (a string's without its NUL). Other errors leave the sizes alone.
 *
 * Threads: every function may be called from several threads at once. Key
 * and model handles are only read after they are made, so one handle may be
 * shared by any number of concurrent calls (proofs, witnesses, setups);
 * only its _free must wait until no call uses it. Each call makes its own
 * thread pool (ZKACC_THREADS threads if set, else one per core) and
 * backends. Memory: a key is held once however many proofs share it; each
 * proof in flight adds about 256 bytes per point of the circuit's domain
 * (docs/library.md measures it). No C++ exception crosses this interface.
 */
#ifndef ZKACC_CAPI_ZKACC_H
#define ZKACC_CAPI_ZKACC_H

#ifdef __cplusplus
extern "C" {
#endif

#define ZKACC_OK 0
#define ZKACC_ERROR 1                  /* see error_msg */
#define ZKACC_ERROR_SHORT_BUFFER 2     /* an output buffer is too small: sizes written back */
#define ZKACC_ERROR_INVALID_INPUT 3    /* a value out of range, a point off the curve, a bad size */

typedef struct zkacc_proving_key zkacc_proving_key;

/* A Groth16 proving key (.zkey, snarkjs's format) from a file or a buffer,
   checked and kept in memory until zkacc_proving_key_free. */
int zkacc_proving_key_load(const char *zkey_path, zkacc_proving_key **key,
                           char *error_msg, unsigned long long error_msg_maxsize);
int zkacc_proving_key_load_buffer(const void *zkey, unsigned long long zkey_size, zkacc_proving_key **key,
                                  char *error_msg, unsigned long long error_msg_maxsize);
/* NULL is allowed and does nothing. */
void zkacc_proving_key_free(zkacc_proving_key *key);

/* Fixed-base tables of the key's H points within budget_bytes (0 frees
   them): every later zkacc_prove with the key runs its H MSM, about half of
   a proof, over them on the host, about a quarter faster (docs/msm.md). The
   build costs a few proofs' time once, so it pays for a key that proves
   many times. Not thread-safe on the key: call it before sharing the key
   with other calls. */
int zkacc_proving_key_precompute(zkacc_proving_key *key, unsigned long long budget_bytes,
                                 char *error_msg, unsigned long long error_msg_maxsize);

/* A proof of the witness (.wtns bytes) with the key, its MSMs and NTTs on
   `backends`; proof and public signals as snarkjs's JSON strings. The proof
   is verified before it is returned. */
int zkacc_prove(const zkacc_proving_key *key, const void *wtns, unsigned long long wtns_size,
                const char *backends, const char *xclbin,
                char *proof_buffer, unsigned long long *proof_size,
                char *public_buffer, unsigned long long *public_size,
                char *error_msg, unsigned long long error_msg_maxsize);

/* result = Σ scalars[i]·points[i] over n G1 points (64 bytes each) and n
   scalars (32 bytes each); result is 64 bytes, all zero for infinity. */
int zkacc_msm_g1(const char *backends, const char *xclbin,
                 const unsigned char *points, const unsigned char *scalars, unsigned long long n,
                 unsigned char *result, char *error_msg, unsigned long long error_msg_maxsize);

/* The NTT of n Fr values (32 bytes each) in place, n a power of two up to
   2^28, natural order in and out; inverse != 0 for the inverse transform
   (scaled by 1/n). */
int zkacc_ntt(const char *backends, const char *xclbin, unsigned char *values, unsigned long long n, int inverse,
              char *error_msg, unsigned long long error_msg_maxsize);

/* --- The model pipeline (docs/zkml.md) ------------------------------------
 * An ONNX model compiled once into a handle (its quantization settings and
 * circuit), then any number of witnesses and proofs of its inferences.
 * Inputs are JSON text as the zkacc command reads it from a file:
 * {"input": [[0.0, 0.5, ...]]}, the values in row-major order, their count
 * the model input's size. Messages name the model file, the settings or
 * calibration file, and "input_json" for the input. */
typedef struct zkacc_model zkacc_model;

/* Imports an ONNX model and compiles its quantized circuit, as `zkacc
   compile` does. Exactly one of settings_path and calibration_path, the
   other NULL:
     settings_path     a settings.json made for this model file (by zkacc
                       compile, prove-model or zkacc_model_settings): its
                       quantization is reused, so the circuit is the one a
                       key made earlier for it fits;
     calibration_path  new settings, the fixed-point scales chosen on an
                       input JSON, a JSON list of inputs or a directory of
                       input JSON files (default bits; input and output are
                       public signals).
   *model holds the handle on success, NULL otherwise. */
int zkacc_model_compile(const char *onnx_path, const char *settings_path, const char *calibration_path,
                        zkacc_model **model, char *error_msg, unsigned long long error_msg_maxsize);
/* NULL is allowed and does nothing. */
void zkacc_model_free(zkacc_model *model);

/* The model's settings.json text (the file zkacc compile writes): given to
   zkacc_model_compile as settings_path it compiles the same circuit. */
int zkacc_model_settings(const zkacc_model *model, char *settings_buffer, unsigned long long *settings_size,
                         char *error_msg, unsigned long long error_msg_maxsize);

/* Writes the circuit to r1cs_path (circom's .r1cs, which snarkjs reads). */
int zkacc_model_write_r1cs(const zkacc_model *model, const char *r1cs_path, char *error_msg,
                           unsigned long long error_msg_maxsize);

/* One inference: the witness of input_json (a .wtns file's bytes, for
   zkacc_prove or groth16_prover; wtns_size counts bytes, no NUL) and
   output.json's text (the output dequantized and quantized, its argmax,
   what the public signals hold), as `zkacc witness` writes them. An input
   outside the circuit's range is an error naming the value. */
int zkacc_model_witness(const zkacc_model *model, const char *input_json, void *wtns_buffer,
                        unsigned long long *wtns_size, char *output_buffer, unsigned long long *output_size,
                        char *error_msg, unsigned long long error_msg_maxsize);

/* A Groth16 key for the model's circuit, written to zkey_path (snarkjs's
   .zkey), made from the prepared powers of tau at ptau_path, or with
   ptau_path NULL from a generated one cached per size in $ZKACC_PTAU_DIR
   (else $XDG_CACHE_HOME/zkacc/ptau, else ~/.cache/zkacc/ptau), as `zkacc
   prove-model` does. A generated powers of tau is NOT a ceremony: a key
   made from it is only as trustworthy as the machine and process that
   generated it (docs/prover.md says how a production key is made). The
   setup's own secret is drawn here and forgotten. Load the key with
   zkacc_proving_key_load;
   zkacc_model_verification_key gives its verification key. */
int zkacc_model_setup(const zkacc_model *model, const char *ptau_path, const char *zkey_path, char *error_msg,
                      unsigned long long error_msg_maxsize);

/* The verification key of the model's key (snarkjs's verification_key.json,
   for groth16_verify or snarkjs), with "zkacc_public_signals" saying what
   the public signals stand for, as `zkacc prove-model` writes it. An error
   if the key was made for another circuit. */
int zkacc_model_verification_key(const zkacc_model *model, const zkacc_proving_key *key, char *vkey_buffer,
                                 unsigned long long *vkey_size, char *error_msg,
                                 unsigned long long error_msg_maxsize);

/* `zkacc prove-model` with a key made earlier: the witness of input_json,
   a proof of it with the model's key (its MSMs and NTTs on `backends`, as
   zkacc_prove), verified before it is returned; the proof and public
   signals as zkacc_prove gives them and output.json as zkacc_model_witness
   does. public.json lists the outputs, then the inputs (docs/zkml.md
   "Public inputs"). Size proof_buffer with groth16_proof_size: a second
   call after ZKACC_ERROR_SHORT_BUFFER makes a new proof. */
int zkacc_model_prove(const zkacc_model *model, const zkacc_proving_key *key, const char *input_json,
                      const char *backends, const char *xclbin, char *proof_buffer, unsigned long long *proof_size,
                      char *public_buffer, unsigned long long *public_size, char *output_buffer,
                      unsigned long long *output_size, char *error_msg, unsigned long long error_msg_maxsize);

#ifdef __cplusplus
}
#endif

#endif /* ZKACC_CAPI_ZKACC_H */
