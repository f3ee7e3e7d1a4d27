#include "zkacc/prover/setup.hpp"

#include <bit>

#include "zkacc/prover/groth16.hpp"

namespace zkacc::prover {

namespace {

struct Entry {
  std::uint32_t row;
  Fr coeff;
};

}  // namespace

std::uint32_t setup_domain_size(const R1cs& r1cs) {
  const std::uint64_t rows = std::uint64_t(r1cs.n_constraints) + r1cs.n_public();
  const unsigned k = static_cast<unsigned>(std::bit_width(rows));
  // The prover works on a coset of twice the domain and Fr's roots of unity
  // stop at order 2^28, so the domain stops at 2^27.
  if (k >= 28)
    throw Error("circuit has " + std::to_string(rows) +
                " constraints and public inputs: too large (the largest Groth16 domain over BN254 is 2^27, "
                "for at most 2^27 - 1)");
  return std::uint32_t(1) << k;
}

Fr random_delta() {
  for (;;) {
    const Fr d = os_random_scalar();
    if (!d.is_zero()) return d;
  }
}

Groth16Zkey groth16_setup(const R1cs& r1cs, const Ptau& ptau, const Fr& delta, ThreadPool& pool) {
  if (delta.is_zero()) throw Error("setup: delta must be non-zero");
  const std::uint32_t n = setup_domain_size(r1cs);
  const std::uint32_t k = static_cast<std::uint32_t>(std::countr_zero(n));
  if (k > ptau.power())
    throw Error(ptau.name() + ": powers of tau of 2^" + std::to_string(ptau.power()) + " are too few for a circuit of " +
                std::to_string(r1cs.n_constraints) + " constraints (domain 2^" + std::to_string(k) + ")");
  const std::uint32_t n_pub = r1cs.n_public(), n_vars = r1cs.n_wires, m = r1cs.n_constraints;

  Groth16Zkey z;
  z.n_vars = n_vars;
  z.n_public = n_pub;
  z.domain_size = n;
  z.alpha1 = ptau.alpha1();
  z.beta1 = ptau.beta1();
  z.beta2 = ptau.beta2();
  z.gamma2 = G2Affine::generator();
  z.delta1 = (G1Jacobian::generator() * delta).to_affine();
  z.delta2 = (G2Jacobian::generator() * delta).to_affine();

  const std::vector<G1Affine> l_g1 = ptau.lagrange_g1(12, k);
  const std::vector<G2Affine> l_g2 = ptau.lagrange_g2(k);
  const std::vector<G1Affine> l_alpha = ptau.lagrange_g1(14, k);
  const std::vector<G1Affine> l_beta = ptau.lagrange_g1(15, k);

  // The matrices by column (signal), and the coefficient section in
  // snarkjs's order: per constraint its A then its B terms, then the public rows.
  std::vector<std::vector<Entry>> cols[3];
  for (auto& c : cols) c.resize(n_vars);
  for (std::uint32_t i = 0; i < m; ++i)
    for (int mat = 0; mat < 3; ++mat)
      for (const R1csTerm& t : r1cs.lc(i, mat)) {
        cols[mat][t.wire].push_back({i, t.coeff});
        if (mat < 2) z.coeffs.push_back(ZkeyCoefficient::from_value(static_cast<std::uint32_t>(mat), i, t.wire, t.coeff));
      }
  for (std::uint32_t s = 0; s <= n_pub; ++s) {
    cols[0][s].push_back({m + s, Fr::one()});
    z.coeffs.push_back(ZkeyCoefficient::from_value(0, m + s, s, Fr::one()));
  }

  std::vector<G1Jacobian> a(n_vars), b1(n_vars), kk(n_vars);
  std::vector<G2Jacobian> b2(n_vars);
  const Fr delta_inv = delta.inverse();
  pool.run(std::min<std::size_t>(n_vars, pool.size() * 8), [&](std::size_t task) {
    const std::size_t chunks = std::min<std::size_t>(n_vars, pool.size() * 8);
    for (std::size_t s = n_vars * task / chunks; s < n_vars * (task + 1) / chunks; ++s) {
      G1Jacobian acc_a, acc_b1, acc_k;
      G2Jacobian acc_b2;
      for (const Entry& e : cols[0][s]) {
        acc_a += l_g1[e.row].to_jacobian() * e.coeff;
        acc_k += l_beta[e.row].to_jacobian() * e.coeff;
      }
      for (const Entry& e : cols[1][s]) {
        acc_b1 += l_g1[e.row].to_jacobian() * e.coeff;
        acc_b2 += l_g2[e.row].to_jacobian() * e.coeff;
        acc_k += l_alpha[e.row].to_jacobian() * e.coeff;
      }
      for (const Entry& e : cols[2][s]) acc_k += l_g1[e.row].to_jacobian() * e.coeff;
      a[s] = acc_a;
      b1[s] = acc_b1;
      b2[s] = acc_b2;
      kk[s] = s <= n_pub ? acc_k : acc_k * delta_inv;
    }
  });
  auto affine1 = [](const std::vector<G1Jacobian>& in) {
    std::vector<G1Affine> out(in.size());
    batch_to_affine<Bn254G1Config>(in, out);
    return out;
  };
  z.a = affine1(a);
  z.b1 = affine1(b1);
  z.b2.resize(n_vars);
  batch_to_affine<Bn254G2Config>(b2, z.b2);
  const std::vector<G1Affine> k_aff = affine1(kk);
  z.ic.assign(k_aff.begin(), k_aff.begin() + n_pub + 1);
  z.c.assign(k_aff.begin() + n_pub + 1, k_aff.end());

  // H: odd points of the 2n-domain's Lagrange basis, divided by δ.
  const std::vector<G1Affine> l2 = ptau.lagrange_g1(12, k + 1);
  std::vector<G1Jacobian> h(n);
  pool.parallel_for(n, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t j = lo; j < hi; ++j) h[j] = l2[2 * j + 1].to_jacobian() * delta_inv;
  });
  z.h = affine1(h);
  return z;
}

}  // namespace zkacc::prover
