// How much memory proving a circuit takes, estimated from its size before
// anything large is allocated, and how much this machine has: so that a
// model too large for the machine is refused with a number instead of being
// killed halfway through a key.
//
// The estimate is linear in the evaluation domain (2^k ≥ constraints +
// public inputs): the powers of tau, the key's H points, the NTT buffers
// and, through the circuit's density, its A, B, C points and coefficients
// all grow with it. The constants are the measured peaks of
// `zkacc prove-model` (resident set size, docs/zkml.md) with about 25 %
// added: at 2^19 and 2^20 a fresh key peaked at 2,790 and 2,350 bytes per
// domain point, a reused key at 1,230 and 930.
#pragma once

#include <cstdint>

namespace zkacc::prover {

struct MemoryEstimate {
  std::uint64_t with_setup = 0;   // making the key (powers of tau, setup), then proving
  std::uint64_t with_key = 0;     // proving with a key made earlier
};

MemoryEstimate estimate_proving_memory(std::uint64_t domain_size);

// Bytes this process can still allocate: MemAvailable (/proc/meminfo),
// capped by the cgroup's memory.max − memory.current when a container sets
// one; 0 when neither can be read.
std::uint64_t available_memory_bytes();

}  // namespace zkacc::prover
