// zkacc's own C interface (zkacc/capi/zkacc.h): proving keys as handles,
// proofs, MSMs and NTTs on the runtime's backends (the model pipeline is
// model_api.cpp). Every call builds its own thread pool, backends and
// Scheduler (as the zkacc command does per run), so concurrent calls share
// nothing but a key, which they only read.
#include "zkacc/capi/zkacc.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "proof_outputs.hpp"
#include "zkacc/capi/prover.h"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/ntt/ntt_order.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/runtime/scheduler.hpp"
#include "zkacc_api.hpp"

// write_outputs and read_witness report rapidsnark's codes; zkacc.h gives
// them the same values.
static_assert(ZKACC_OK == PROVER_OK && ZKACC_ERROR == PROVER_ERROR &&
              ZKACC_ERROR_SHORT_BUFFER == PROVER_ERROR_SHORT_BUFFER &&
              ZKACC_ERROR_INVALID_INPUT == PROVER_INVALID_WITNESS_LENGTH);

namespace zkacc::capi {

Backends::Backends(const char* names, const char* xclbin, bool msm, bool ntt) {
  require_non_null(names, "backends");
  runtime::BackendConfig config;
  if (xclbin) config.xclbin = xclbin;
  config.msm = msm;
  config.ntt = ntt;
  list = runtime::make_backends(names, pool, config);
  scheduler = std::make_unique<runtime::Scheduler>(list, pool);
}

BackendProver::BackendProver(const char* backends, const char* xclbin) : backends_(backends, xclbin, true, true) {
  if (std::string(backends) != "cpu") engine_ = std::make_unique<runtime::RuntimeEngine>(*backends_.scheduler);
}

ProofTexts BackendProver::prove(const prover::Groth16Zkey& zkey, const prover::Witness& witness,
                                const prover::ProveOptions& options) {
  return prove_texts(zkey, witness, engine_.get(), backends_.pool, options);
}

namespace {

constexpr std::size_t kFrBytes = 32, kG1Bytes = 64;
constexpr unsigned long long kMaxNttLog = 28;  // Fr's two-adicity

BigInt<4> read_le(const unsigned char* p) {
  BigInt<4> v{};
  for (std::size_t i = 0; i < 32; ++i) v[i / 8] |= std::uint64_t(p[i]) << (8 * (i % 8));
  return v;
}

void write_le(const BigInt<4>& v, unsigned char* p) {
  for (std::size_t i = 0; i < 32; ++i) p[i] = static_cast<unsigned char>(v[i / 8] >> (8 * (i % 8)));
}

// A value of the C interface's format, or ZKACC_ERROR_INVALID_INPUT naming it.
template <class Field>
Field read_field(const unsigned char* p, const char* what, std::size_t index) {
  const BigInt<4> v = read_le(p);
  if (bigint::compare(v, Field::kModulus) >= 0)
    throw CodedError(ZKACC_ERROR_INVALID_INPUT, std::string(what) + " " + std::to_string(index) + " is not below the modulus");
  return Field::from_canonical_unchecked(v);
}

G1Affine read_point(const unsigned char* p, std::size_t index) {
  const G1Affine a{read_field<Fq>(p, "point", index), read_field<Fq>(p + 32, "point", index)};
  // BN254 G1 has cofactor 1: on the curve is in the group.
  if (!a.is_on_curve())
    throw CodedError(ZKACC_ERROR_INVALID_INPUT, "point " + std::to_string(index) + " is not on the curve");
  return a;
}

}  // namespace
}  // namespace zkacc::capi

using namespace zkacc;
using namespace zkacc::capi;

int zkacc_proving_key_load(const char* zkey_path, zkacc_proving_key** key, char* error_msg,
                           unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(zkey_path, "zkey_path");
    require_non_null(key, "key");
    *key = new zkacc_proving_key{read_key(zkey_path), std::nullopt};
    return ZKACC_OK;
  });
}

int zkacc_proving_key_load_buffer(const void* zkey, unsigned long long zkey_size, zkacc_proving_key** key,
                                  char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(zkey, "zkey");
    require_non_null(key, "key");
    *key = new zkacc_proving_key{read_key(zkey, zkey_size), std::nullopt};
    return ZKACC_OK;
  });
}

void zkacc_proving_key_free(zkacc_proving_key* key) { delete key; }

int zkacc_proving_key_precompute(zkacc_proving_key* key, unsigned long long budget_bytes, char* error_msg,
                                 unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(key, "key");
    key->h_tables.reset();
    if (budget_bytes == 0) return ZKACC_OK;
    ThreadPool pool;
    key->h_tables.emplace(prover::make_h_tables(key->zkey, static_cast<std::size_t>(budget_bytes), pool));
    return ZKACC_OK;
  });
}

int zkacc_prove(const zkacc_proving_key* key, const void* wtns, unsigned long long wtns_size, const char* backends,
                const char* xclbin, char* proof_buffer, unsigned long long* proof_size, char* public_buffer,
                unsigned long long* public_size, char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(key, "key");
    require_non_null(wtns, "wtns");
    const Outputs out{proof_buffer, proof_size, public_buffer, public_size};
    out.require_non_null();
    BackendProver prover(backends, xclbin);
    prover::ProveOptions options;
    if (key->h_tables) options.h_tables = &*key->h_tables;
    const ProofTexts texts = prover.prove(key->zkey, read_witness(key->zkey, bytes_of(wtns, wtns_size)), options);
    return write_outputs({out.proof(), out.public_signals()}, {texts.proof, texts.public_signals}, error_msg,
                         error_msg_maxsize);
  });
}

int zkacc_msm_g1(const char* backends, const char* xclbin, const unsigned char* points, const unsigned char* scalars,
                 unsigned long long n, unsigned char* result, char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(result, "result");
    if (n > 0) {
      require_non_null(points, "points");
      require_non_null(scalars, "scalars");
    }
    std::vector<G1Affine> p(n);
    std::vector<BigInt<4>> s(n);
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = read_point(points + kG1Bytes * i, i);
      s[i] = read_field<Fr>(scalars + kFrBytes * i, "scalar", i).to_canonical();
    }
    Backends b(backends, xclbin, true, false);
    const G1Affine sum = b.scheduler->msm_g1(p, s).to_affine();
    write_le(sum.x.to_canonical(), result);
    write_le(sum.y.to_canonical(), result + 32);
    return ZKACC_OK;
  });
}

int zkacc_ntt(const char* backends, const char* xclbin, unsigned char* values, unsigned long long n, int inverse,
              char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(ZKACC_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(values, "values");
    if (n == 0 || (n & (n - 1)) != 0 || n > (1ull << kMaxNttLog))
      throw CodedError(ZKACC_ERROR_INVALID_INPUT,
                       "n = " + std::to_string(n) + " is not a power of two from 1 to 2^28");
    std::vector<Fr> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = read_field<Fr>(values + kFrBytes * i, "value", i);
    Backends b(backends, xclbin, false, true);
    b.scheduler->ntt(v, inverse ? NttDirection::Inverse : NttDirection::Forward);
    for (std::size_t i = 0; i < n; ++i) write_le(v[i].to_canonical(), values + kFrBytes * i);
    return ZKACC_OK;
  });
}
