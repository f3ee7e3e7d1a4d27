#include "zkacc/curve/pairing.hpp"

#include <array>
#include <vector>

namespace zkacc {
namespace {

constexpr std::uint64_t kBnX = 4965661367192848881ull;  // the BN parameter x of BN254

// Signed binary digits of 6x + 2 (non-adjacent form), least significant first.
constexpr auto kAteLoopNaf = [] {
  std::array<std::int8_t, 70> digits{};
  u128 e = static_cast<u128>(6) * kBnX + 2;
  std::size_t n = 0;
  while (e != 0) {
    std::int8_t d = 0;
    if (e & 1) {
      d = (e & 3) == 3 ? -1 : 1;
      if (d == 1) e -= 1;
      else e += 1;
    }
    digits[n++] = d;
    e >>= 1;
  }
  return std::pair{digits, n};
}();

struct LineCoeffs {
  Fq2 d0, d3, d4;  // line = d0·yP + (d3·xP)·w + d4·w^3
};

// T on the twist in homogeneous projective coordinates (x = X/Z, y = Y/Z).
struct TwistPoint {
  Fq2 x, y, z;

  // Doubling step (Costello-Lange-Naehrig, eprint 2009/615 / 2013/722 formula 3):
  // returns the tangent line at T, then T <- 2T.
  LineCoeffs dbl() {
    const Fq2 a = (x * y).half();
    const Fq2 b = y.square();
    const Fq2 c = z.square();
    const Fq2 e = Bn254G2Config::b() * (c.dbl() + c);
    const Fq2 f = e.dbl() + e;
    const Fq2 g = (b + f).half();
    const Fq2 h = (y + z).square() - (b + c);
    const Fq2 i = e - b;
    const Fq2 j = x.square();
    const Fq2 e2 = e.square();
    x = a * (b - f);
    y = g.square() - (e2.dbl() + e2);
    z = b * h;
    return {-h, j.dbl() + j, i};
  }

  // Mixed addition step (formula 4): returns the line through T and Q, then T <- T + Q.
  LineCoeffs add(const G2Affine& q) {
    const Fq2 theta = y - q.y * z;
    const Fq2 lambda = x - q.x * z;
    const Fq2 c = theta.square();
    const Fq2 d = lambda.square();
    const Fq2 e = lambda * d;
    const Fq2 f = z * c;
    const Fq2 g = x * d;
    const Fq2 h = e + f - g.dbl();
    x = lambda * h;
    y = theta * (g - h) - e * y;
    z = z * e;
    const Fq2 j = theta * q.x - lambda * q.y;
    return {lambda, -theta, j};
  }
};

void apply_line(Fq12& f, const LineCoeffs& l, const G1Affine& p) {
  f = f.mul_by_034(l.d0.mul_by_fq(p.y), l.d3.mul_by_fq(p.x), l.d4);
}

// π(Q) = (conj(x)·ξ^((q-1)/3), conj(y)·ξ^((q-1)/2)): the q-power Frobenius
// carried through the twist isomorphism.
G2Affine frobenius(const G2Affine& q) {
  const auto& g = bn254_frobenius::kGamma[1];
  return {q.x.conjugate() * g[2], q.y.conjugate() * g[3]};
}

Fq12 exp_by_x(const Fq12& f) {
  static_assert(kBnX >> 62 == 1, "x has 63 bits");
  Fq12 r = f;  // bit 62
  for (int i = 61; i >= 0; --i) {
    r = r.square();
    if ((kBnX >> i) & 1) r *= f;
  }
  return r;
}

}  // namespace

Fq12 miller_loop(std::span<const G1Affine> ps, std::span<const G2Affine> qs) {
  if (ps.size() != qs.size()) throw Error("miller_loop: different numbers of G1 and G2 points");
  struct Pair {
    G1Affine p;
    G2Affine q, neg_q;
    TwistPoint t;
  };
  std::vector<Pair> pairs;
  pairs.reserve(ps.size());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].is_infinity() || qs[i].is_infinity()) continue;
    pairs.push_back({ps[i], qs[i], -qs[i], {qs[i].x, qs[i].y, Fq2::one()}});
  }
  Fq12 f = Fq12::one();
  const auto& [naf, len] = kAteLoopNaf;
  for (std::size_t i = len - 1; i-- > 0;) {
    f = f.square();
    for (auto& pr : pairs) apply_line(f, pr.t.dbl(), pr.p);
    if (naf[i] == 1)
      for (auto& pr : pairs) apply_line(f, pr.t.add(pr.q), pr.p);
    else if (naf[i] == -1)
      for (auto& pr : pairs) apply_line(f, pr.t.add(pr.neg_q), pr.p);
  }
  for (auto& pr : pairs) {
    const G2Affine q1 = frobenius(pr.q);
    const G2Affine q2 = -frobenius(q1);
    apply_line(f, pr.t.add(q1), pr.p);
    apply_line(f, pr.t.add(q2), pr.p);
  }
  return f;
}

Fq12 final_exponentiation(const Fq12& in) {
  // Easy part: f^((q^6 - 1)(q^2 + 1)). Afterwards f is in the cyclotomic
  // subgroup, where conjugation is inversion.
  Fq12 f = in.conjugate() * in.inverse();
  f = f.frobenius(2) * f;

  // Hard part: f^((q^4 - q^2 + 1)/r).
  const Fq12 fp = f.frobenius(1);
  const Fq12 fp2 = f.frobenius(2);
  const Fq12 fp3 = fp2.frobenius(1);
  const Fq12 fu = exp_by_x(f);
  const Fq12 fu2 = exp_by_x(fu);
  const Fq12 fu3 = exp_by_x(fu2);
  const Fq12 fu2p = fu2.frobenius(1);
  const Fq12 fu3p = fu3.frobenius(1);

  const Fq12 y0 = fp * fp2 * fp3;
  const Fq12 y1 = f.conjugate();
  const Fq12 y2 = fu2.frobenius(2);
  const Fq12 y3 = fu.frobenius(1).conjugate();
  const Fq12 y4 = (fu * fu2p).conjugate();
  const Fq12 y5 = fu2.conjugate();
  const Fq12 y6 = (fu3 * fu3p).conjugate();

  Fq12 t0 = y6.square() * y4 * y5;
  Fq12 t1 = y3 * y5 * t0;
  t0 = t0 * y2;
  t1 = (t1.square() * t0).square();
  t0 = t1 * y1;
  t1 = t1 * y0;
  return t0.square() * t1;
}

Fq12 pairing(const G1Affine& p, const G2Affine& q) {
  return final_exponentiation(miller_loop(std::span(&p, 1), std::span(&q, 1)));
}

bool pairing_product_is_one(std::span<const G1Affine> ps, std::span<const G2Affine> qs) {
  return final_exponentiation(miller_loop(ps, qs)).is_one();
}

}  // namespace zkacc
