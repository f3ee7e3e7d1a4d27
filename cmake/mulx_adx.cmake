# ZKACC_MULX_ADX: how the field's Montgomery product uses the x86-64 BMI2/ADX
# kernel (host/include/zkacc/field/montgomery_x86_64.hpp), written into the
# generated, installed zkacc/field/field_config.hpp.
#
#   AUTO      ALWAYS for a -march=native build on a machine with BMI2 and
#             ADX, DISPATCH for any other x86-64 build, OFF elsewhere
#   ALWAYS    the kernel, unconditionally (the binary needs BMI2 and ADX)
#   DISPATCH  the kernel where cpuid reports BMI2 and ADX, the portable
#             product elsewhere: one binary for every x86-64
#   OFF       portable C++ only, no x86 assembly (ThreadSanitizer builds)
set(ZKACC_MULX_ADX AUTO CACHE STRING "BMI2/ADX field product: AUTO, ALWAYS, DISPATCH or OFF")
set_property(CACHE ZKACC_MULX_ADX PROPERTY STRINGS AUTO ALWAYS DISPATCH OFF)

set(zkacc_mulx_adx ${ZKACC_MULX_ADX})
if(zkacc_mulx_adx STREQUAL "AUTO")
  if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(zkacc_mulx_adx OFF)
  elseif(ZKACC_NATIVE)
    include(CheckCXXSourceCompiles)
    set(CMAKE_REQUIRED_FLAGS -march=native)
    check_cxx_source_compiles("
#if !defined(__BMI2__) || !defined(__ADX__)
#error no BMI2/ADX
#endif
int main() { return 0; }" ZKACC_BUILD_MACHINE_HAS_MULX_ADX)
    unset(CMAKE_REQUIRED_FLAGS)
    if(ZKACC_BUILD_MACHINE_HAS_MULX_ADX)
      set(zkacc_mulx_adx ALWAYS)
    else()
      set(zkacc_mulx_adx DISPATCH)
    endif()
  else()
    set(zkacc_mulx_adx DISPATCH)
  endif()
endif()

if(zkacc_mulx_adx STREQUAL "ALWAYS")
  set(ZKACC_MULX_ADX_MODE 2)
elseif(zkacc_mulx_adx STREQUAL "DISPATCH")
  set(ZKACC_MULX_ADX_MODE 1)
elseif(zkacc_mulx_adx STREQUAL "OFF")
  set(ZKACC_MULX_ADX_MODE 0)
else()
  message(FATAL_ERROR "ZKACC_MULX_ADX=${ZKACC_MULX_ADX}: expected AUTO, ALWAYS, DISPATCH or OFF")
endif()
message(STATUS "zkacc: BMI2/ADX field product: ${zkacc_mulx_adx}")
