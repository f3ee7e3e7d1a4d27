// The run-time check behind IfmaX8 (field/ifma_x8.hpp).
#include "zkacc/field/ifma_x8.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif

namespace zkacc {

namespace {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
bool query_avx512ifma() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  // CPUID.1:ECX bit 27: the OS has enabled XGETBV/XSAVE.
  if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1)) return false;
  // XCR0 bits 1, 2 (SSE, AVX state) and 5, 6, 7 (opmask, upper halves of
  // ZMM0-15, ZMM16-31): without them the OS does not save the registers.
  // xgetbv by its encoding, so that no -mxsave is needed.
  unsigned lo = 0, hi = 0;
  asm volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xe6) != 0xe6) return false;
  // CPUID.(7,0):EBX bits 16 (AVX512F), 17 (DQ), 21 (IFMA), 30 (BW), 31 (VL).
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  constexpr unsigned kNeeded = (1u << 16) | (1u << 17) | (1u << 21) | (1u << 30) | (1u << 31);
  return (b & kNeeded) == kNeeded;
}
#else
bool query_avx512ifma() noexcept { return false; }
#endif

}  // namespace

bool cpu_has_avx512ifma() noexcept {
  // A CPU's features do not change while a program runs.
  static const bool has = query_avx512ifma();
  return has;
}

}  // namespace zkacc
