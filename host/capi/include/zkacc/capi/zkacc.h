/*
 * zkacc's own C interface, beside rapidsnark's (prover.h, verifier.h): a
 * proving key loaded once and used for many proofs, proofs on a chosen
 * backend, and BN254 MSM and NTT on a chosen backend, for callers that are
 * not C++ (Go, Rust, Swift, Kotlin, Python through their FFIs).
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
 * (which may be NULL). Output sizes follow prover.h's contract: on
 * ZKACC_ERROR_SHORT_BUFFER nothing is written and the needed sizes (NUL
 * included) are written back; on success the string lengths.
 *
 * Threads: every function may be called from several threads at once; a
 * key may be shared by concurrent proofs (it is only read). Each call makes
 * its own thread pool and backends. No C++ exception crosses this interface.
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

#ifdef __cplusplus
}
#endif

#endif /* ZKACC_CAPI_ZKACC_H */
