// libFuzzer target: snarkjs's .wtns reader (prover::read_wtns).
#include "fuzz_support.hpp"
#include "zkacc/prover/wtns.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const zkacc::fuzz::MemoryFile file({data, size});
  zkacc::fuzz::expect_value_or_error([&] {
    const zkacc::prover::Witness w = zkacc::prover::read_wtns(file.path());
    // 32 bytes per value were in the file, so the count is bounded by it.
    zkacc::fuzz::require(w.values.size() * 32 <= size, "no more values than the file holds");
  });
  return 0;
}
