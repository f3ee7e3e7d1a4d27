#include "zkacc/prover/ptau.hpp"

#include "field_io.hpp"

namespace zkacc::prover {

namespace {
constexpr std::size_t kG1 = kG1LemBytes, kG2 = kG2LemBytes;
}

Ptau::Ptau(const std::string& path) : file_(path, "ptau", 1) {
  file_.expect_section_size(1, 4 + 32 + 4 + 4, "header");
  SectionReader h = file_.reader(1);
  detail::expect_prime(h, Fq::kModulus, "the base field prime q");
  power_ = h.u32();
  h.u32();  // ceremony power: the largest power the ceremony supports, not needed here
  if (power_ == 0 || power_ > 27) throw file_.error("power " + std::to_string(power_) + " is out of range (1 to 27)");
  const std::uint64_t n = std::uint64_t(1) << power_;
  file_.expect_section_size(2, (2 * n - 1) * kG1, "tau G1: 2^(power+1) - 1 points");
  file_.expect_section_size(3, n * kG2, "tau G2: 2^power points");
  file_.expect_section_size(4, n * kG1, "alpha tau G1: 2^power points");
  file_.expect_section_size(5, n * kG1, "beta tau G1: 2^power points");
  file_.expect_section_size(6, kG2, "beta G2: one point");
  if (prepared()) {
    file_.expect_section_size(12, (4 * n - 1) * kG1, "Lagrange tau G1 for domains up to 2^(power+1)");
    file_.expect_section_size(13, (2 * n - 1) * kG2, "Lagrange tau G2");
    file_.expect_section_size(14, (2 * n - 1) * kG1, "Lagrange alpha tau G1");
    file_.expect_section_size(15, (2 * n - 1) * kG1, "Lagrange beta tau G1");
  }
}

G1Affine Ptau::alpha1() const {
  return g1_from_lem_bytes(file_.section(4).first<kG1>(), file_.name() + ": alpha G1");
}
G1Affine Ptau::beta1() const { return g1_from_lem_bytes(file_.section(5).first<kG1>(), file_.name() + ": beta G1"); }
G2Affine Ptau::beta2() const { return g2_from_lem_bytes(file_.section(6).first<kG2>(), file_.name() + ": beta G2"); }

std::vector<G1Affine> Ptau::lagrange_g1(std::uint32_t section, std::uint32_t log_n) const {
  if (!prepared()) throw file_.error("is not prepared for phase 2 (run snarkjs powersoftau prepare phase2)");
  const std::uint32_t max_log = section == 12 ? power_ + 1 : power_;
  if (log_n > max_log)
    throw file_.error("holds domains up to 2^" + std::to_string(max_log) + ", the circuit needs 2^" +
                      std::to_string(log_n));
  const std::size_t n = std::size_t(1) << log_n;
  const std::uint8_t* base = file_.section(section).data() + (n - 1) * kG1;
  std::vector<G1Affine> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = detail::g1_from_lem(base + i * kG1, [&] {
      return file_.name() + ": section " + std::to_string(section) + " point " + std::to_string(n - 1 + i);
    });
  return out;
}

std::vector<G2Affine> Ptau::lagrange_g2(std::uint32_t log_n) const {
  if (!prepared()) throw file_.error("is not prepared for phase 2 (run snarkjs powersoftau prepare phase2)");
  if (log_n > power_)
    throw file_.error("holds domains up to 2^" + std::to_string(power_) + ", the circuit needs 2^" +
                      std::to_string(log_n));
  const std::size_t n = std::size_t(1) << log_n;
  const std::uint8_t* base = file_.section(13).data() + (n - 1) * kG2;
  std::vector<G2Affine> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = detail::g2_from_lem_unchecked_subgroup(
        base + i * kG2, [&] { return file_.name() + ": section 13 point " + std::to_string(n - 1 + i); });
  return out;
}

}  // namespace zkacc::prover
