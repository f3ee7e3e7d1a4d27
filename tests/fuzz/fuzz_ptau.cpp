// libFuzzer target: snarkjs's powers-of-tau reader (prover::Ptau) and the
// reads a Groth16 setup makes of it: α, β and the smallest Lagrange bases.
#include "fuzz_support.hpp"
#include "zkacc/prover/ptau.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const zkacc::fuzz::MemoryFile file({data, size});
  zkacc::fuzz::expect_value_or_error([&] {
    const zkacc::prover::Ptau ptau(file.path());
    (void)ptau.alpha1();
    (void)ptau.beta1();
    (void)ptau.beta2();
    if (!ptau.prepared()) return;
    for (std::uint32_t log_n = 0; log_n <= std::min<std::uint32_t>(ptau.power(), 2); ++log_n) {
      zkacc::fuzz::require(ptau.lagrange_g1(12, log_n).size() == (std::size_t(1) << log_n), "G1 basis size");
      zkacc::fuzz::require(ptau.lagrange_g2(log_n).size() == (std::size_t(1) << log_n), "G2 basis size");
    }
  });
  return 0;
}
