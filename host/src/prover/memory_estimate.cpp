#include "zkacc/prover/memory_estimate.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace zkacc::prover {
namespace {

constexpr std::uint64_t kFixedBytes = 256ull << 20;     // the process, the model, the circuit builder
constexpr std::uint64_t kSetupBytesPerPoint = 3500;      // fresh key: 2,790 measured at 2^19, + 25 %
constexpr std::uint64_t kKeyBytesPerPoint = 1550;        // reused key: 1,230 measured at 2^19, + 25 %

// The first number in a file, 0 if there is none ("max" has none).
std::uint64_t read_number(const char* path) {
  std::ifstream f(path);
  std::uint64_t v = 0;
  return f >> v ? v : 0;
}

}  // namespace

MemoryEstimate estimate_proving_memory(std::uint64_t domain_size) {
  return {kFixedBytes + kSetupBytesPerPoint * domain_size, kFixedBytes + kKeyBytesPerPoint * domain_size};
}

std::uint64_t available_memory_bytes() {
  std::uint64_t available = 0;
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemAvailable:", 0) == 0) {
      std::istringstream in(line.substr(13));
      std::uint64_t kb = 0;
      if (in >> kb) available = kb * 1024;
    }
  const std::uint64_t limit = read_number("/sys/fs/cgroup/memory.max");
  if (limit > 0) {
    const std::uint64_t used = read_number("/sys/fs/cgroup/memory.current");
    const std::uint64_t room = limit > used ? limit - used : 0;
    available = available == 0 ? room : std::min(available, room);
  }
  return available;
}

}  // namespace zkacc::prover
