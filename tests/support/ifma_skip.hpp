// Ends a test case that needs AVX-512 IFMA on a CPU without it, saying so:
// Catch2 v3's SKIP where it exists; v2 (Debian 12's) has none, so a warning
// and a return.
#pragma once

#include "zkacc/field/ifma_x8.hpp"

#ifdef SKIP
#define ZKACC_SKIP_WITHOUT_IFMA()                                                           \
  do {                                                                                      \
    if (!::zkacc::cpu_has_avx512ifma()) SKIP("this CPU has no AVX-512 IFMA: case not run"); \
  } while (0)
#else
#define ZKACC_SKIP_WITHOUT_IFMA()                                 \
  do {                                                            \
    if (!::zkacc::cpu_has_avx512ifma()) {                         \
      WARN("SKIPPED: this CPU has no AVX-512 IFMA: case not run"); \
      return;                                                     \
    }                                                             \
  } while (0)
#endif
