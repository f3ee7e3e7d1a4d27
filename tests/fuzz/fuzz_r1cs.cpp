// libFuzzer target: circom's .r1cs reader (prover::read_r1cs).
#include "fuzz_support.hpp"
#include "zkacc/prover/r1cs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const zkacc::fuzz::MemoryFile file({data, size});
  zkacc::fuzz::expect_value_or_error([&] {
    const zkacc::prover::R1cs r = zkacc::prover::read_r1cs(file.path());
    using zkacc::fuzz::require;
    require(r.offsets.size() == 3 * std::size_t(r.n_constraints) + 1, "one offset per linear combination");
    require(r.offsets.back() == r.terms.size(), "offsets cover the terms");
    for (const auto& t : r.terms) require(t.wire < r.n_wires, "every term's wire exists");
    require(r.wire_to_label.empty() || r.wire_to_label.size() == r.n_wires, "one label per wire");
  });
  return 0;
}
