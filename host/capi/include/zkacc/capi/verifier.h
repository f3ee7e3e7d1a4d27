/*
 * zkacc's Groth16 verifier behind rapidsnark's C interface (iden3/rapidsnark
 * src/verifier.h, release v0.0.8): same declaration and return codes.
 *
 * proof, inputs and verification_key are NUL-terminated JSON strings in
 * snarkjs's formats (proof.json, public.json, verification_key.json of a
 * BN254 Groth16 key); the prover's output strings are accepted as they are.
 * Every number must be a canonical decimal (public inputs below r), every
 * point on the curve and in its subgroup; anything else is VERIFIER_ERROR.
 *
 * error_msg receives a NUL-terminated message, truncated to
 * error_msg_maxsize bytes, on VERIFIER_ERROR only; it may be NULL.
 *
 * Threads: may be called from several threads at once (no shared state).
 * No C++ exception crosses this interface.
 */
#ifndef ZKACC_CAPI_VERIFIER_H
#define ZKACC_CAPI_VERIFIER_H

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. */
#define VERIFIER_VALID_PROOF        0x0
#define VERIFIER_INVALID_PROOF      0x1
#define VERIFIER_ERROR              0x2 /* unreadable input or wrong input count, see error_msg */

int
groth16_verify(const char    *proof,
               const char    *inputs,
               const char    *verification_key,
               char          *error_msg,
               unsigned long  error_msg_maxsize);

#ifdef __cplusplus
}
#endif

#endif /* ZKACC_CAPI_VERIFIER_H */
