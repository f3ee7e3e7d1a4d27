// snarkjs's powers-of-tau file (.ptau, version 1), the parts a Groth16
// setup reads:
//
//   1  header        n8 u32, q (n8 bytes), power u32, ceremonyPower u32
//   2  τ^i·G1        2^(power+1) − 1 points
//   3  τ^i·G2        2^power points
//   4  α·τ^i·G1      2^power points
//   5  β·τ^i·G1      2^power points
//   6  β·G2          1 point
//   7  contributions (not read)
//   12..15           "prepared for phase 2": the Lagrange-basis versions of
//                    2..5 for every domain 2^0 .. 2^power (for τ·G1 up to
//                    2^(power+1)), concatenated smallest first: domain 2^k
//                    starts at point 2^k − 1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zkacc/curve/bn254.hpp"
#include "zkacc/prover/binfile.hpp"

namespace zkacc::prover {

class Ptau {
 public:
  explicit Ptau(const std::string& path);

  std::uint32_t power() const { return power_; }
  bool prepared() const { return file_.has_section(12); }
  const std::string& name() const { return file_.name(); }

  G1Affine alpha1() const;  // α·G1 = section 4, point 0
  G1Affine beta1() const;   // β·G1 = section 5, point 0
  G2Affine beta2() const;   // section 6

  // The Lagrange basis L_i(τ) of the 2^log_n domain: G1 (section 12), G2
  // (13), α·L_i(τ)·G1 (14), β·L_i(τ)·G1 (15). log_n ≤ power (≤ power + 1 for G1).
  std::vector<G1Affine> lagrange_g1(std::uint32_t section, std::uint32_t log_n) const;
  std::vector<G2Affine> lagrange_g2(std::uint32_t log_n) const;

 private:
  BinFile file_;
  std::uint32_t power_ = 0;
};

}  // namespace zkacc::prover
