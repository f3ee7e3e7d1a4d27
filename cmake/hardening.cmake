# Sanitizer and fuzzing builds (docs/reliability.md).
#
# ZKACC_SANITIZE=address,undefined instruments every target: out-of-bounds
# and use-after-free reads, leaks, and undefined behaviour (signed overflow,
# misaligned or null access, bad shifts) abort the test that hits them
# instead of passing unnoticed. ZKACC_WITH_FUZZERS builds the libFuzzer
# targets of tests/fuzz and adds libFuzzer's coverage instrumentation to the
# library code they reach; it needs clang. scripts/run_hardening.sh makes
# such a build (build-hardening/) and runs the tests and fuzzers in it.
set(ZKACC_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address,undefined (empty: none)")
option(ZKACC_WITH_FUZZERS "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

if(ZKACC_SANITIZE)
  message(STATUS "zkacc: sanitizers: ${ZKACC_SANITIZE}")
  # Every report is fatal, so a test that triggers one fails.
  add_compile_options(-fsanitize=${ZKACC_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ZKACC_SANITIZE})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND ZKACC_SANITIZE MATCHES "undefined")
    # UBSan's overflow check of __int128 products calls __muloti4, which is
    # in compiler-rt's builtins and not in libgcc.
    add_link_options(--rtlib=compiler-rt -lgcc_s)
  endif()
endif()

if(ZKACC_WITH_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ZKACC_WITH_FUZZERS needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  message(STATUS "zkacc: libFuzzer targets: ON")
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
