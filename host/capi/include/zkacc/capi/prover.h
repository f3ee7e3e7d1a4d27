/*
 * zkacc's Groth16 prover behind rapidsnark's C interface.
 *
 * The declarations, return codes, output strings and buffer contract are
 * those of iden3/rapidsnark's src/prover.h (release v0.0.8), so C code
 * written against rapidsnark (a program, or the C side of a Go, Rust, Swift
 * or Kotlin wrapper) compiles unchanged with `#include "prover.h"` and links
 * libzkacc_capi instead of librapidsnark (pkg-config --cflags --libs zkacc).
 * docs/library.md has the details and the differences.
 *
 * Inputs: a snarkjs Groth16 proving key (.zkey, BN254) as a buffer or a file
 * path, and a witness in snarkjs's .wtns format as a buffer. Buffers are
 * only read during the call and may be freed afterwards.
 *
 * Outputs, NUL-terminated JSON strings as rapidsnark writes them (compact,
 * keys in alphabetical order), which snarkjs reads:
 *   proof   {"pi_a":["x","y","1"],"pi_b":[["x0","x1"],["y0","y1"],["1","0"]],
 *            "pi_c":["x","y","1"],"protocol":"groth16"}
 *   public  ["s1","s2",...]   (witness values 1..nPublic, decimal)
 *
 * Buffer contract of the proving functions: *proof_size and *public_size
 * hold the capacities of proof_buffer and public_buffer on entry. On
 * PROVER_OK they hold the lengths written, without the terminating NUL. On
 * PROVER_ERROR_SHORT_BUFFER nothing is written into the two buffers and both
 * hold the capacities this proof's strings needed, NUL included (the proof
 * is then lost: a new call draws new blinding, and its proof string may be a
 * few digits longer). groth16_proof_size and groth16_public_size_for_zkey_*
 * give capacities that are always enough. On any other error both are left
 * unchanged.
 *
 * error_msg receives a NUL-terminated message, truncated to
 * error_msg_maxsize bytes, whenever the result is not PROVER_OK; it is not
 * touched on success, and may be NULL (or error_msg_maxsize 0) for none.
 *
 * Every proof is verified before it is returned: a witness that does not
 * satisfy the key's circuit gives PROVER_ERROR, never an invalid proof.
 *
 * Threads: every function may be called from several threads at once. Each
 * call proves on worker threads of its own (ZKACC_THREADS of them if that is
 * set, else one per core); nothing is shared between calls but a prover
 * object, which groth16_prover_prove only reads, so several threads may
 * prove with one prover object at once. groth16_prover_destroy must not run
 * while another call uses that object.
 *
 * No C++ exception crosses this interface: each function catches everything
 * and returns an error code with a message.
 */
#ifndef ZKACC_CAPI_PROVER_H
#define ZKACC_CAPI_PROVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. */
#define PROVER_OK                     0x0
#define PROVER_ERROR                  0x1 /* see error_msg */
#define PROVER_ERROR_SHORT_BUFFER     0x2 /* sizes written back, see above */
#define PROVER_INVALID_WITNESS_LENGTH 0x3 /* the witness's value count is not the key's nVars */

/*
 * Writes into *public_size a capacity for the public signals JSON of proofs
 * with this key: nPublic * 82 + 4 bytes (a decimal below r has at most 77
 * digits, plus quotes and a comma; brackets and the NUL). Reads the key's
 * headers only. PROVER_OK or PROVER_ERROR.
 */
int
groth16_public_size_for_zkey_buf(
    const void          *zkey_buffer,
    unsigned long long   zkey_size,
    unsigned long long  *public_size,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

/* The same for a key file. */
int
groth16_public_size_for_zkey_file(
    const char          *zkey_fname,
    unsigned long long  *public_size,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

/* Writes into *proof_size a capacity for the proof JSON of any proof: 810. */
void
groth16_proof_size(
    unsigned long long *proof_size);

/*
 * Reads and checks a proving key from a buffer into a new prover object
 * (*prover_object), for many proofs with one key. Every point of the key is
 * checked to be on the curve. PROVER_OK or PROVER_ERROR.
 */
int
groth16_prover_create(
    void                **prover_object,
    const void          *zkey_buffer,
    unsigned long long   zkey_size,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

/* The same from a key file. */
int
groth16_prover_create_zkey_file(
    void                **prover_object,
    const char          *zkey_file_path,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

/*
 * A proof for the witness in wtns_buffer with the prover object's key.
 * PROVER_OK, PROVER_ERROR_SHORT_BUFFER, PROVER_INVALID_WITNESS_LENGTH or
 * PROVER_ERROR.
 */
int
groth16_prover_prove(
    void                *prover_object,
    const void          *wtns_buffer,
    unsigned long long   wtns_size,
    char                *proof_buffer,
    unsigned long long  *proof_size,
    char                *public_buffer,
    unsigned long long  *public_size,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

/* Frees a prover object; NULL is allowed and does nothing. */
void
groth16_prover_destroy(void *prover_object);

/*
 * One proof from a key buffer and a witness buffer: groth16_prover_create,
 * groth16_prover_prove and groth16_prover_destroy in one call.
 */
int
groth16_prover(
    const void          *zkey_buffer,
    unsigned long long   zkey_size,
    const void          *wtns_buffer,
    unsigned long long   wtns_size,
    char                *proof_buffer,
    unsigned long long  *proof_size,
    char                *public_buffer,
    unsigned long long  *public_size,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

/* The same with the key read from a file. */
int
groth16_prover_zkey_file(
    const char          *zkey_file_path,
    const void          *wtns_buffer,
    unsigned long long   wtns_size,
    char                *proof_buffer,
    unsigned long long  *proof_size,
    char                *public_buffer,
    unsigned long long  *public_size,
    char                *error_msg,
    unsigned long long   error_msg_maxsize);

#ifdef __cplusplus
}
#endif

#endif /* ZKACC_CAPI_PROVER_H */
