// libFuzzer target: snarkjs's Groth16 .zkey reader, header only and whole
// (prover::read_zkey_header, prover::read_zkey), with the points checked.
#include "fuzz_support.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/zkey.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const zkacc::fuzz::MemoryFile file({data, size});
  static zkacc::ThreadPool pool(1);
  zkacc::fuzz::expect_value_or_error([&] { (void)zkacc::prover::read_zkey_header(file.path()); });
  zkacc::fuzz::expect_value_or_error([&] {
    const zkacc::prover::Groth16Zkey z = zkacc::prover::read_zkey(file.path(), pool);
    using zkacc::fuzz::require;
    require(z.ic.size() == std::size_t(z.n_public) + 1, "one IC point per public input and the constant");
    require(z.a.size() == z.n_vars && z.b1.size() == z.n_vars && z.b2.size() == z.n_vars, "A, B per wire");
    require(z.h.size() == z.domain_size, "H per domain point");
    for (const auto& c : z.coeffs) require(c.constraint < z.domain_size, "coefficient rows inside the domain");
  });
  return 0;
}
