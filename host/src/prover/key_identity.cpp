#include "zkacc/prover/key_identity.hpp"

#include <atomic>

namespace zkacc::prover {

std::uint64_t KeyIdentity::next() {
  // 2^64 identities: a process making a key every nanosecond runs out in
  // 584 years.
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace zkacc::prover
