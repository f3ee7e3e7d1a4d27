#include "zkacc/prover/groth16.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <cstring>

#include "zkacc/curve/pairing.hpp"

namespace zkacc::prover {

namespace {

// The coset snarkjs evaluates on: g = ω_2n (Fr.w[k+1]), so the points are the
// odd powers of a primitive 2n-th root; at k = 28 no such root exists and it
// uses Fr.shift = 5² instead (the zkey reader rejects that size anyway).
Fr coset_shift(std::uint32_t log_n) {
  return log_n < Fr::kTwoAdicity ? Fr::root_of_unity(log_n + 1) : Fr::from_u64(25);
}

}  // namespace

double PhaseTimings::process_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

double PhaseTimings::total_ms() const {
  double t = 0;
  for (const auto& p : phases_) t += p.ms;
  return t;
}

VerificationKey VerificationKey::from_zkey(const Groth16Zkey& zkey) {
  return {zkey.n_public, zkey.alpha1, zkey.beta2, zkey.gamma2, zkey.delta2, zkey.ic};
}

Fr os_random_scalar() {
  // getrandom(2): the kernel's CSPRNG, blocking only until it is seeded at boot.
  struct Source {
    std::uint64_t operator()() {
      std::uint64_t v = 0;
      auto* p = reinterpret_cast<unsigned char*>(&v);
      std::size_t got = 0;
      while (got < sizeof v) {
        const ssize_t r = ::getrandom(p + got, sizeof v - got, 0);
        if (r < 0) {
          if (errno == EINTR) continue;
          throw Error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        got += static_cast<std::size_t>(r);
      }
      return v;
    }
  } src;
  return Fr::random(src);
}

ProofRandomness ProofRandomness::random() {
  const Fr r = os_random_scalar();
  return {r, os_random_scalar()};
}

std::vector<Fr> public_signals(const Groth16Zkey& zkey, std::span<const BigInt<4>> witness) {
  if (witness.size() < std::size_t(zkey.n_public) + 1)
    throw Error("witness has " + std::to_string(witness.size()) + " values, fewer than the key's " +
                std::to_string(zkey.n_public) + " public inputs plus one");
  std::vector<Fr> out(zkey.n_public);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = Fr::from_canonical(witness[i + 1]);
  return out;
}

Proof prove(const Groth16Zkey& zkey, std::span<const BigInt<4>> witness, const ProofRandomness& randomness,
            ThreadPool& pool, const ProveOptions& options, PhaseTimings* timings) {
  CpuEngine engine(pool);
  return prove(zkey, witness, randomness, engine, options, timings);
}

Proof prove(const Groth16Zkey& zkey, std::span<const BigInt<4>> witness, const ProofRandomness& rnd,
            ProverEngine& engine, const ProveOptions& options, PhaseTimings* timings) {
  ThreadPool& pool = engine.pool();
  if (witness.size() != zkey.n_vars)
    throw Error("witness has " + std::to_string(witness.size()) + " values, the proving key expects " +
                std::to_string(zkey.n_vars));
  for (std::size_t i = 0; i < witness.size(); ++i)
    if (bigint::compare(witness[i], Fr::kModulus) >= 0)
      throw Error("witness value " + std::to_string(i) + " is not below r");
  // A key read in parts pairs with an engine that adds the parts' partial
  // sums; either without the other would be a wrong proof.
  if (engine.key_part() != zkey.part)
    throw Error("the proving key holds " + zkey.part.describe() + "'s points, the prover's engine expects " +
                engine.key_part().describe() + "'s");
  const auto section_ok = [&](std::size_t have, std::size_t whole) { return have == zkey.part.range(whole).size(); };
  if (!section_ok(zkey.a.size(), zkey.n_vars) || !section_ok(zkey.b1.size(), zkey.n_vars) ||
      !section_ok(zkey.b2.size(), zkey.n_vars) || !section_ok(zkey.c.size(), std::size_t(zkey.n_vars) - zkey.n_public - 1) ||
      !section_ok(zkey.h.size(), zkey.domain_size))
    throw Error("the proving key's point sections do not match its header (" + zkey.part.describe() + ")");
  // Tables from another key would give a wrong H sum: compare the points.
  if (options.h_tables) {
    const auto tabled = options.h_tables->points();
    if (tabled.size() != zkey.h.size() ||
        !std::equal(tabled.begin(), tabled.end(), zkey.h.begin(),
                    [](const G1Affine& x, const G1Affine& y) { return x == y; }))
      throw Error("the fixed-base tables were built from other H points than this proving key's");
  }
  PhaseTimings local;
  PhaseTimings& t = timings ? *timings : local;
  const std::size_t n = zkey.domain_size;

  // 1. A·w and B·w on the domain, C = A∘B. The coefficient list is sorted by
  // constraint in snarkjs's keys but nothing relies on that: each thread
  // accumulates the rows of its own range, scanning every coefficient.
  std::vector<Fr> a(n), b(n), c(n);
  t.time("A, B, C evaluation", [&] {
    const std::size_t chunks = pool.size();
    pool.run(chunks, [&](std::size_t ch) {
      const std::size_t lo = n * ch / chunks, hi = n * (ch + 1) / chunks;
      for (const ZkeyCoefficient& co : zkey.coeffs) {
        if (co.constraint < lo || co.constraint >= hi) continue;
        std::vector<Fr>& dst = co.matrix == 0 ? a : b;
        dst[co.constraint] += co.times(witness[co.signal]);
      }
      for (std::size_t i = lo; i < hi; ++i) c[i] = a[i] * b[i];
    });
  });

  // 2. Evaluations on the odd coset of the 2n-th roots.
  const Fr shift = coset_shift(zkey.log_domain_size());
  t.time("NTT: A, B, C to the coset", [&] {
    for (std::vector<Fr>* v : {&a, &b, &c}) engine.evaluations_to_coset(*v, shift);
  });
  engine.release_transform_tables();

  // 3. h = A·B − C there, into a's storage so that B and C are freed before
  // h's canonical integers for the MSM are made (peak 3n values, not 4n).
  std::vector<BigInt<4>> h;
  t.time("H scalars", [&] {
    pool.parallel_for(n, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) a[i] = a[i] * b[i] - c[i];
    });
    b = {};
    c = {};
    h.resize(n);
    pool.parallel_for(n, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) h[i] = a[i].to_canonical();
    });
    a = {};
  });

  // 4. MSMs. The key is trusted (read_zkey checked every point is on the
  // curve) and the witness canonical (checked above).
  // With a key in parts, each MSM gets the scalars of this part's points.
  const auto share = [&](std::span<const BigInt<4>> s) {
    const ZkeyPart::Range r = zkey.part.range(s.size());
    return s.subspan(r.begin, r.size());
  };
  const std::span<const BigInt<4>> w = witness;
  const std::size_t n_public = zkey.n_public;
  // The G1 MSMs name the key, so an engine on a card keeps its points
  // there across proofs (ProverEngine::msm_g1_of_key).
  const std::uint64_t key = zkey.identity.value();
  const G1Jacobian msm_a = t.time("MSM A (G1)", [&] { return engine.msm_g1_of_key(zkey.a, share(w), key); });
  const G1Jacobian msm_b1 = t.time("MSM B1 (G1)", [&] { return engine.msm_g1_of_key(zkey.b1, share(w), key); });
  const G2Jacobian msm_b2 = t.time("MSM B2 (G2)", [&] { return engine.msm_g2(zkey.b2, share(w)); });
  const G1Jacobian msm_c = t.time(
      "MSM C (G1)", [&] { return engine.msm_g1_of_key(zkey.c, share(w.subspan(n_public + 1)), key); });
  const G1Jacobian msm_h = t.time("MSM H (G1)", [&] {
    if (!options.h_tables) return engine.msm_g1_of_key(zkey.h, share(h), key);
    return options.h_tables->msm(share(h), pool);
  });

  Proof proof;
  t.time("assemble", [&] {
    const G1Jacobian delta1 = zkey.delta1.to_jacobian();
    const G1Jacobian pi_a = zkey.alpha1.to_jacobian() + msm_a + delta1 * rnd.r;
    const G2Jacobian pi_b = zkey.beta2.to_jacobian() + msm_b2 + zkey.delta2.to_jacobian() * rnd.s;
    const G1Jacobian b1 = zkey.beta1.to_jacobian() + msm_b1 + delta1 * rnd.s;
    const G1Jacobian pi_c = msm_c + msm_h + pi_a * rnd.s + b1 * rnd.r - delta1 * (rnd.r * rnd.s);
    proof = {pi_a.to_affine(), pi_b.to_affine(), pi_c.to_affine()};
  });

  if (options.verify) {
    const bool ok = t.time("verify", [&] {
      return verify(VerificationKey::from_zkey(zkey), public_signals(zkey, witness), proof);
    });
    if (!ok)
      throw Error(
          "the proof does not verify: the witness does not satisfy the circuit of this key (check it with "
          "the circuit's .r1cs), or the key is inconsistent");
  }
  return proof;
}

FixedBaseTables<Bn254G1Config> make_h_tables(const Groth16Zkey& zkey, std::size_t budget_bytes, ThreadPool& pool) {
  const FixedBaseLayout layout = FixedBaseLayout::choose(zkey.h.size(), sizeof(G1Affine), budget_bytes, pool.size());
  return FixedBaseTables<Bn254G1Config>(zkey.h, layout, pool);
}

bool verify(const VerificationKey& vk, std::span<const Fr> inputs, const Proof& proof) {
  if (inputs.size() != vk.n_public || vk.ic.size() != std::size_t(vk.n_public) + 1)
    throw Error("verification key expects " + std::to_string(vk.n_public) + " public inputs, got " +
                std::to_string(inputs.size()));
  G1Jacobian vk_x = vk.ic[0].to_jacobian();
  for (std::size_t i = 0; i < inputs.size(); ++i) vk_x += vk.ic[i + 1].to_jacobian() * inputs[i];
  const std::array<G1Affine, 4> ps = {-proof.a, vk_x.to_affine(), proof.c, vk.alpha1};
  const std::array<G2Affine, 4> qs = {proof.b, vk.gamma2, vk.delta2, vk.beta2};
  return pairing_product_is_one(ps, qs);
}

Fq12 alpha_beta(const VerificationKey& vk) { return pairing(vk.alpha1, vk.beta2); }

}  // namespace zkacc::prover
