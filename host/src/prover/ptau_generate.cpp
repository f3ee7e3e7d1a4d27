#include "zkacc/prover/ptau_generate.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/serialize.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/groth16.hpp"

namespace zkacc::prover {

namespace {

// [k]·B for one fixed base B: table[i][d-1] = d·2^(w·i)·B for 1 ≤ d ≤ 2^(w-1);
// k is recoded into signed w-bit digits, so a product is one mixed addition
// per window (about 22 for w = 12) and no doublings.
template <class Config>
class FixedBaseTable {
 public:
  using Affine = AffinePoint<Config>;
  using Jacobian = JacobianPoint<Config>;

  FixedBaseTable(const Affine& base, int w) : w_(w), windows_((256 + w - 1) / w + 1), half_(std::size_t(1) << (w - 1)) {
    std::vector<Jacobian> jac(windows_ * half_);
    Jacobian b = base.to_jacobian();
    for (std::size_t i = 0; i < windows_; ++i) {
      Jacobian acc = b;
      for (std::size_t d = 0; d < half_; ++d) {
        jac[i * half_ + d] = acc;
        acc += b;
      }
      for (int k = 0; k < w_; ++k) b = b.dbl();
    }
    table_.resize(jac.size());
    batch_to_affine<Config>(jac, table_);
  }

  Jacobian mul(const BigInt<4>& k) const {
    Jacobian acc = Jacobian::infinity();
    std::uint64_t carry = 0;
    const std::uint64_t mask = (std::uint64_t(1) << w_) - 1;
    for (std::size_t i = 0; i < windows_; ++i) {
      const std::size_t bit = i * static_cast<std::size_t>(w_);
      std::uint64_t d = 0;
      if (bit < 256) {
        const std::size_t limb = bit / 64, off = bit % 64;
        d = k[limb] >> off;
        if (off + static_cast<std::size_t>(w_) > 64 && limb + 1 < 4) d |= k[limb + 1] << (64 - off);
        d &= mask;
      }
      d += carry;  // 0 ≤ d ≤ 2^w
      if (d == 0 || d == (std::uint64_t(1) << w_)) {
        carry = d ? 1 : 0;
        continue;
      }
      if (d <= half_) {
        carry = 0;
        acc = acc.add_mixed(table_[i * half_ + d - 1]);
      } else {
        carry = 1;
        acc = acc.add_mixed(-table_[i * half_ + ((std::uint64_t(1) << w_) - d) - 1]);
      }
    }
    return acc;
  }

 private:
  int w_;
  std::size_t windows_, half_;
  std::vector<Affine> table_;
};

// Writes [s]·B for every scalar, in order, as LEM bytes.
template <class Config, std::size_t kBytes>
void write_points(BinFileWriter& out, const FixedBaseTable<Config>& table, const std::vector<Fr>& scalars,
                  ThreadPool& pool) {
  constexpr std::size_t kChunk = std::size_t(1) << 14;
  std::vector<JacobianPoint<Config>> jac;
  std::vector<AffinePoint<Config>> aff;
  std::vector<std::uint8_t> buf;
  for (std::size_t lo = 0; lo < scalars.size(); lo += kChunk) {
    const std::size_t n = std::min(kChunk, scalars.size() - lo);
    jac.resize(n);
    aff.resize(n);
    buf.resize(n * kBytes);
    pool.parallel_for(n, [&](std::size_t a, std::size_t b) {
      for (std::size_t i = a; i < b; ++i) jac[i] = table.mul(scalars[lo + i].to_canonical());
      batch_to_affine<Config>(std::span<const JacobianPoint<Config>>(jac).subspan(a, b - a),
                              std::span<AffinePoint<Config>>(aff).subspan(a, b - a));
      for (std::size_t i = a; i < b; ++i) to_lem_bytes(aff[i], std::span<std::uint8_t, kBytes>(buf.data() + i * kBytes, kBytes));
    });
    out.bytes(buf);
  }
}

std::vector<Fr> powers(const Fr& x, std::size_t n, const Fr& first) {
  std::vector<Fr> p(n);
  Fr v = first;
  for (std::size_t i = 0; i < n; ++i, v *= x) p[i] = v;
  return p;
}

// L_i(τ) for the domain of 2^j points, scaled by `factor`.
void append_lagrange(std::vector<Fr>& out, const Fr& tau, std::uint32_t j, const Fr& factor) {
  const std::size_t m = std::size_t(1) << j;
  const Fr omega = Fr::root_of_unity(j);
  // z = factor·(τ^m − 1)/m; L_i = z·ω^i / (τ − ω^i)
  const Fr z = factor * (tau.pow(static_cast<std::uint64_t>(m)) - Fr::one()) * Fr::from_u64(m).inverse();
  std::vector<Fr> den(m), w(m);
  Fr wi = Fr::one();
  for (std::size_t i = 0; i < m; ++i, wi *= omega) {
    w[i] = wi;
    den[i] = tau - wi;
  }
  // Batch inversion (Montgomery's trick).
  std::vector<Fr> prefix(m);
  Fr run = Fr::one();
  for (std::size_t i = 0; i < m; ++i) {
    prefix[i] = run;
    run *= den[i];
  }
  Fr inv = run.inverse();
  std::vector<Fr> l(m);
  for (std::size_t i = m; i-- > 0;) {
    l[i] = z * w[i] * (inv * prefix[i]);
    inv *= den[i];
  }
  out.insert(out.end(), l.begin(), l.end());
}

}  // namespace

PtauSecrets PtauSecrets::random() {
  auto nonzero = [] {
    for (;;) {
      const Fr x = os_random_scalar();
      if (!x.is_zero()) return x;
    }
  };
  return {nonzero(), nonzero(), nonzero()};
}

void generate_ptau(const std::string& path, std::uint32_t power, const PtauSecrets& s, ThreadPool& pool) {
  if (power < 1 || power > 27) throw Error(display_name(path) + ": power " + std::to_string(power) + " is outside 1..27");
  if (s.tau.is_zero() || s.alpha.is_zero() || s.beta.is_zero()) throw Error("ptau secrets must be non-zero");
  // τ must not be a root of unity of any domain (L_i(τ) would divide by zero).
  if (s.tau.pow(std::uint64_t(1) << (power + 1)) == Fr::one()) throw Error("ptau secret τ is a root of unity");
  const std::size_t n = std::size_t(1) << power;
  const int w = 12;  // 22 additions per point; 16 was slower at 2^14 (table build, cache misses)
  const FixedBaseTable<Bn254G1Config> g1(G1Affine::generator(), w);
  const FixedBaseTable<Bn254G2Config> g2(G2Affine::generator(), w);
  constexpr std::size_t kG1 = kG1LemBytes, kG2 = kG2LemBytes;

  BinFileWriter out(path, "ptau", 1, 11);
  out.begin_section(1);
  out.u32(32);
  out.bigint(Fq::kModulus, 32);
  out.u32(power);
  out.u32(power);
  out.end_section();

  out.begin_section(2);
  write_points<Bn254G1Config, kG1>(out, g1, powers(s.tau, 2 * n - 1, Fr::one()), pool);
  out.end_section();
  out.begin_section(3);
  write_points<Bn254G2Config, kG2>(out, g2, powers(s.tau, n, Fr::one()), pool);
  out.end_section();
  out.begin_section(4);
  write_points<Bn254G1Config, kG1>(out, g1, powers(s.tau, n, s.alpha), pool);
  out.end_section();
  out.begin_section(5);
  write_points<Bn254G1Config, kG1>(out, g1, powers(s.tau, n, s.beta), pool);
  out.end_section();
  out.begin_section(6);
  write_points<Bn254G2Config, kG2>(out, g2, {s.beta}, pool);
  out.end_section();
  out.begin_section(7);  // the contributions: none, this file is not from a ceremony
  out.u32(0);
  out.end_section();

  auto lagrange = [&](std::uint32_t max_j, const Fr& factor) {
    std::vector<Fr> v;
    for (std::uint32_t j = 0; j <= max_j; ++j) append_lagrange(v, s.tau, j, factor);
    return v;
  };
  out.begin_section(12);
  write_points<Bn254G1Config, kG1>(out, g1, lagrange(power + 1, Fr::one()), pool);
  out.end_section();
  out.begin_section(13);
  write_points<Bn254G2Config, kG2>(out, g2, lagrange(power, Fr::one()), pool);
  out.end_section();
  out.begin_section(14);
  write_points<Bn254G1Config, kG1>(out, g1, lagrange(power, s.alpha), pool);
  out.end_section();
  out.begin_section(15);
  write_points<Bn254G1Config, kG1>(out, g1, lagrange(power, s.beta), pool);
  out.end_section();
  out.commit();
}

std::string default_ptau_cache_dir() {
  if (const char* d = std::getenv("ZKACC_PTAU_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/zkacc/ptau";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/zkacc/ptau";
  return ".zkacc-ptau";
}

std::string cached_generated_ptau(const std::string& dir, std::uint32_t power, ThreadPool& pool, bool* generated) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir + ": cannot create the powers-of-tau cache directory (" + ec.message() + ")");
  for (std::uint32_t k = power; k <= 27; ++k) {
    const std::string p = dir + "/generated_pot" + std::to_string(k) + ".ptau";
    if (fs::exists(p)) {
      if (generated) *generated = false;
      return p;
    }
  }
  const std::string p = dir + "/generated_pot" + std::to_string(power) + ".ptau";
  generate_ptau(p, power, PtauSecrets::random(), pool);
  if (generated) *generated = true;
  return p;
}

}  // namespace zkacc::prover
