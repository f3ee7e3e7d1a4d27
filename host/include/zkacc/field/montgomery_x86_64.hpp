// x86-64 Montgomery product for 4-limb moduli below 2^254, with BMI2 (mulx)
// and ADX (adcx/adox): the same no-carry CIOS as MontgomeryField::mont_mul,
// but with two independent carry chains per row (adcx on CF for the high
// halves, adox on OF for the low halves), which the compiler cannot produce
// from C++. About 1.6x faster than the portable loop (bench/arith_bench).
//
// Row i:   (t0..t3, A) = t + a·b_i           -- mulx a_j·b_i, adox lo, adcx hi
//          m = t0·(-p^-1) mod 2^64
//          (t0..t3) = (t + m·p) / 2^64      -- the low word cancels by choice of m
// The registers rotate by one each row instead of moving the words.
// Finally t < 2p is reduced once by a conditional subtraction (cmov, no branch).
//
// Whether the product is used is the library build's choice, recorded in the
// generated field_config.hpp (ZKACC_MULX_ADX in CMake), never the including
// file's own -m flags: every translation unit, the library's and a
// program's, gets the same inline code. The assembler takes mulx/adcx/adox
// whatever the compiler targets; only running them needs the CPU to have
// BMI2 and ADX, which mode 1 checks at run time.
//
// The modular addition and subtraction at the end use only the base x86-64
// instructions (add/adc/sub/sbb/cmov) and are used on every x86-64 build but
// one with ZKACC_MULX_ADX=OFF (mode 0: portable C++ only, as a
// ThreadSanitizer build needs: its instrumentation leaves too few registers).
//
// Unoptimized code (-O0) is the exception: without optimization neither GCC
// nor clang can find the registers these asm statements need ("impossible
// constraints"), so a translation unit compiled at -O0 (a debug build of a
// program using zkacc) gets the portable C++, which computes the same
// values. Every optimized translation unit gets the same code.
#pragma once

#include <cstdint>

#include "zkacc/field/field_config.hpp"

#if defined(__x86_64__) && defined(__OPTIMIZE__) && ZKACC_MULX_ADX_MODE > 0
#define ZKACC_HAVE_X86_64_ASM 1
#if ZKACC_MULX_ADX_MODE == 1
#include <cpuid.h>
#endif

namespace zkacc::detail {

#if ZKACC_MULX_ADX_MODE == 2
#define ZKACC_HAVE_MONT_MUL_ADX 1
// Built with -march=native on a machine that has BMI2 and ADX.
[[gnu::always_inline]] constexpr bool use_mulx_adx() { return true; }
#elif ZKACC_MULX_ADX_MODE == 1
#define ZKACC_HAVE_MONT_MUL_ADX 1
// A portable build: CPUID leaf 7, sub-leaf 0, EBX bit 8 (BMI2) and bit 19
// (ADX), asked once at start-up (a CPU's features do not change while a
// program runs). A product computed by another static initializer before
// this one has run reads false and takes the portable path, which is always
// right. The cost, one load and a branch that always goes the same way,
// is measured in docs/library.md ("Portable builds").
inline bool cpu_has_mulx_adx() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  return ((b >> 8) & 1) && ((b >> 19) & 1);
}
inline const bool kCpuHasMulxAdx = cpu_has_mulx_adx();
[[gnu::always_inline]] inline bool use_mulx_adx() { return kCpuHasMulxAdx; }
#endif

#define ZKACC_MONT_MUL_ROWS \
      "movq 0(%[b]), %%rdx\n\t" \
      "mulxq 0(%[a]), %[t0], %[t1]\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 8(%[a]), %%rax, %[t2]\n\t" \
      "adcxq %%rax, %[t1]\n\t" \
      "mulxq 16(%[a]), %%rax, %[t3]\n\t" \
      "adcxq %%rax, %[t2]\n\t" \
      "mulxq 24(%[a]), %%rax, %[t4]\n\t" \
      "adcxq %%rax, %[t3]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t4]\n\t" \
      "movq %[inv], %%rdx\n\t" \
      "imulq %[t0], %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %[t0], %%rax\n\t" \
      "adoxq %%rbx, %[t1]\n\t" \
      "mulxq 8(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t1]\n\t" \
      "adoxq %%rbx, %[t2]\n\t" \
      "mulxq 16(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t2]\n\t" \
      "adoxq %%rbx, %[t3]\n\t" \
      "mulxq 24(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t3]\n\t" \
      "adoxq %%rbx, %[t4]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t4]\n\t" \
      "movq 8(%[b]), %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t1]\n\t" \
      "adcxq %%rbx, %[t2]\n\t" \
      "mulxq 8(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t2]\n\t" \
      "adcxq %%rbx, %[t3]\n\t" \
      "mulxq 16(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t3]\n\t" \
      "adcxq %%rbx, %[t4]\n\t" \
      "mulxq 24(%[a]), %%rax, %[t0]\n\t" \
      "adoxq %%rax, %[t4]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t0]\n\t" \
      "adoxq %%rax, %[t0]\n\t" \
      "movq %[inv], %%rdx\n\t" \
      "imulq %[t1], %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %[t1], %%rax\n\t" \
      "adoxq %%rbx, %[t2]\n\t" \
      "mulxq 8(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t2]\n\t" \
      "adoxq %%rbx, %[t3]\n\t" \
      "mulxq 16(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t3]\n\t" \
      "adoxq %%rbx, %[t4]\n\t" \
      "mulxq 24(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t4]\n\t" \
      "adoxq %%rbx, %[t0]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t0]\n\t" \
      "movq 16(%[b]), %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t2]\n\t" \
      "adcxq %%rbx, %[t3]\n\t" \
      "mulxq 8(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t3]\n\t" \
      "adcxq %%rbx, %[t4]\n\t" \
      "mulxq 16(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t4]\n\t" \
      "adcxq %%rbx, %[t0]\n\t" \
      "mulxq 24(%[a]), %%rax, %[t1]\n\t" \
      "adoxq %%rax, %[t0]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t1]\n\t" \
      "adoxq %%rax, %[t1]\n\t" \
      "movq %[inv], %%rdx\n\t" \
      "imulq %[t2], %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %[t2], %%rax\n\t" \
      "adoxq %%rbx, %[t3]\n\t" \
      "mulxq 8(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t3]\n\t" \
      "adoxq %%rbx, %[t4]\n\t" \
      "mulxq 16(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t4]\n\t" \
      "adoxq %%rbx, %[t0]\n\t" \
      "mulxq 24(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t0]\n\t" \
      "adoxq %%rbx, %[t1]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t1]\n\t" \
      "movq 24(%[b]), %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t3]\n\t" \
      "adcxq %%rbx, %[t4]\n\t" \
      "mulxq 8(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t4]\n\t" \
      "adcxq %%rbx, %[t0]\n\t" \
      "mulxq 16(%[a]), %%rax, %%rbx\n\t" \
      "adoxq %%rax, %[t0]\n\t" \
      "adcxq %%rbx, %[t1]\n\t" \
      "mulxq 24(%[a]), %%rax, %[t2]\n\t" \
      "adoxq %%rax, %[t1]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t2]\n\t" \
      "adoxq %%rax, %[t2]\n\t" \
      "movq %[inv], %%rdx\n\t" \
      "imulq %[t3], %%rdx\n\t" \
      "xorl %%eax, %%eax\n\t" \
      "mulxq 0(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %[t3], %%rax\n\t" \
      "adoxq %%rbx, %[t4]\n\t" \
      "mulxq 8(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t4]\n\t" \
      "adoxq %%rbx, %[t0]\n\t" \
      "mulxq 16(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t0]\n\t" \
      "adoxq %%rbx, %[t1]\n\t" \
      "mulxq 24(%[p]), %%rax, %%rbx\n\t" \
      "adcxq %%rax, %[t1]\n\t" \
      "adoxq %%rbx, %[t2]\n\t" \
      "movl $0, %%eax\n\t" \
      "adcxq %%rax, %[t2]\n\t" \
      "movq %[t4], %%rax\n\t" \
      "movq %[t0], %%rbx\n\t" \
      "movq %[t1], %%rdx\n\t" \
      "movq %[t2], %[t3]\n\t" \
      "subq 0(%[p]), %%rax\n\t" \
      "sbbq 8(%[p]), %%rbx\n\t" \
      "sbbq 16(%[p]), %%rdx\n\t" \
      "sbbq 24(%[p]), %[t3]\n\t"

// r = a·b·2^-256 mod p for a, b < p < 2^254; r may alias a or b. The asm
// stores the result itself: the form for in-place kernels (NTT butterflies,
// a *= b), where the next product reads it back through memory.
[[gnu::always_inline]] inline void mont_mul_adx(std::uint64_t* r, const std::uint64_t* a, const std::uint64_t* b,
                                                const std::uint64_t* p, std::uint64_t inv) {
  std::uint64_t t0, t1, t2, t3, t4;
  using Limbs = std::uint64_t[4];
  asm(ZKACC_MONT_MUL_ROWS
      "cmovcq %[t4], %%rax\n\t"
      "cmovcq %[t0], %%rbx\n\t"
      "cmovcq %[t1], %%rdx\n\t"
      "cmovcq %[t2], %[t3]\n\t"
      "movq %%rax, 0(%[r])\n\t"
      "movq %%rbx, 8(%[r])\n\t"
      "movq %%rdx, 16(%[r])\n\t"
      "movq %[t3], 24(%[r])\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        "=m"(*reinterpret_cast<Limbs*>(r))
      : [a] "r"(a), [b] "r"(b), [p] "r"(p), [r] "r"(r), [inv] "rm"(inv),
        "m"(*reinterpret_cast<const Limbs*>(a)), "m"(*reinterpret_cast<const Limbs*>(b)),
        "m"(*reinterpret_cast<const Limbs*>(p))
      : "rax", "rbx", "rdx", "cc");
}

// The same product with the result left in registers, for value-returning
// code (c = a * b): the compiler can keep c in registers, where a store from
// the asm followed by a 32-byte vector reload of the returned value stalls
// store-to-load forwarding (7 ns a product in bench/arith_bench).
[[gnu::always_inline]] inline void mont_mul_adx_to_registers(std::uint64_t* r, const std::uint64_t* a,
                                                             const std::uint64_t* b, const std::uint64_t* p,
                                                             std::uint64_t inv) {
  std::uint64_t t0, t1, t2, t3, t4;
  using Limbs = std::uint64_t[4];
  asm(ZKACC_MONT_MUL_ROWS
      "cmovncq %%rax, %[t4]\n\t"
      "cmovncq %%rbx, %[t0]\n\t"
      "cmovncq %%rdx, %[t1]\n\t"
      "cmovncq %[t3], %[t2]\n\t"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4)
      : [a] "r"(a), [b] "r"(b), [p] "r"(p), [inv] "rm"(inv), "m"(*reinterpret_cast<const Limbs*>(a)),
        "m"(*reinterpret_cast<const Limbs*>(b)), "m"(*reinterpret_cast<const Limbs*>(p))
      : "rax", "rbx", "rdx", "cc");
  // The rows rotate the registers: the reduced result sits in t4, t0, t1, t2.
  r[0] = t4;
  r[1] = t0;
  r[2] = t1;
  r[3] = t2;
}
#undef ZKACC_MONT_MUL_ROWS

// Modular addition and subtraction for a, b < p < 2^254 (a + b cannot carry
// out of 4 limbs). Written out because GCC vectorizes the final select
// through the stack, and the store-to-load forwarding stall costs more than
// the addition. As for the product, the store form serves in-place kernels
// and the register form value-returning code.
#define ZKACC_ADD_MOD_BODY                              \
  "movq 0(%[a]), %[s0]\n\t"                              \
  "movq 8(%[a]), %[s1]\n\t"                              \
  "movq 16(%[a]), %[s2]\n\t"                             \
  "movq 24(%[a]), %[s3]\n\t"                             \
  "addq 0(%[b]), %[s0]\n\t"                              \
  "adcq 8(%[b]), %[s1]\n\t"                              \
  "adcq 16(%[b]), %[s2]\n\t"                             \
  "adcq 24(%[b]), %[s3]\n\t"                             \
  "movq %[s0], %[d0]\n\t"                                \
  "movq %[s1], %[d1]\n\t"                                \
  "movq %[s2], %[d2]\n\t"                                \
  "movq %[s3], %[d3]\n\t"                                \
  "subq 0(%[p]), %[d0]\n\t"                              \
  "sbbq 8(%[p]), %[d1]\n\t"                              \
  "sbbq 16(%[p]), %[d2]\n\t"                             \
  "sbbq 24(%[p]), %[d3]\n\t"                             \
  "cmovcq %[s0], %[d0]\n\t"                              \
  "cmovcq %[s1], %[d1]\n\t"                              \
  "cmovcq %[s2], %[d2]\n\t"                              \
  "cmovcq %[s3], %[d3]\n\t"

// a - b, then p added back under the all-ones borrow mask.
#define ZKACC_SUB_MOD_BODY                              \
  "movq 0(%[a]), %[d0]\n\t"                              \
  "movq 8(%[a]), %[d1]\n\t"                              \
  "movq 16(%[a]), %[d2]\n\t"                             \
  "movq 24(%[a]), %[d3]\n\t"                             \
  "subq 0(%[b]), %[d0]\n\t"                              \
  "sbbq 8(%[b]), %[d1]\n\t"                              \
  "sbbq 16(%[b]), %[d2]\n\t"                             \
  "sbbq 24(%[b]), %[d3]\n\t"                             \
  "sbbq %[s0], %[s0]\n\t"                                \
  "movq %[s0], %[s1]\n\t"                                \
  "movq %[s0], %[s2]\n\t"                                \
  "movq %[s0], %[s3]\n\t"                                \
  "andq 0(%[p]), %[s0]\n\t"                              \
  "andq 8(%[p]), %[s1]\n\t"                              \
  "andq 16(%[p]), %[s2]\n\t"                             \
  "andq 24(%[p]), %[s3]\n\t"                             \
  "addq %[s0], %[d0]\n\t"                                \
  "adcq %[s1], %[d1]\n\t"                                \
  "adcq %[s2], %[d2]\n\t"                                \
  "adcq %[s3], %[d3]\n\t"

#define ZKACC_STORE_D                                   \
  "movq %[d0], 0(%[r])\n\t"                              \
  "movq %[d1], 8(%[r])\n\t"                              \
  "movq %[d2], 16(%[r])\n\t"                             \
  "movq %[d3], 24(%[r])\n\t"

#define ZKACC_MODADD_OUTPUTS                                                                          \
  [s0] "=&r"(s0), [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3), [d0] "=&r"(d0), [d1] "=&r"(d1), \
      [d2] "=&r"(d2), [d3] "=&r"(d3)
#define ZKACC_MODADD_INPUTS                                                                   \
  [a] "r"(a), [b] "r"(b), [p] "r"(p), "m"(*reinterpret_cast<const Limbs*>(a)),               \
      "m"(*reinterpret_cast<const Limbs*>(b)), "m"(*reinterpret_cast<const Limbs*>(p))

enum class ModAdd { Add, Sub };

// r = a ± b mod p, stored by the asm (in-place kernels).
template <ModAdd Op>
[[gnu::always_inline]] inline void add_sub_mod_x86(std::uint64_t* r, const std::uint64_t* a, const std::uint64_t* b,
                                                   const std::uint64_t* p) {
  std::uint64_t s0, s1, s2, s3, d0, d1, d2, d3;
  using Limbs = std::uint64_t[4];
  if constexpr (Op == ModAdd::Add)
    asm(ZKACC_ADD_MOD_BODY ZKACC_STORE_D
        : ZKACC_MODADD_OUTPUTS, "=m"(*reinterpret_cast<Limbs*>(r))
        : ZKACC_MODADD_INPUTS, [r] "r"(r)
        : "cc");
  else
    asm(ZKACC_SUB_MOD_BODY ZKACC_STORE_D
        : ZKACC_MODADD_OUTPUTS, "=m"(*reinterpret_cast<Limbs*>(r))
        : ZKACC_MODADD_INPUTS, [r] "r"(r)
        : "cc");
}

// r = a ± b mod p, left in registers (value-returning code).
template <ModAdd Op>
[[gnu::always_inline]] inline void add_sub_mod_x86_to_registers(std::uint64_t* r, const std::uint64_t* a,
                                                                const std::uint64_t* b, const std::uint64_t* p) {
  std::uint64_t s0, s1, s2, s3, d0, d1, d2, d3;
  using Limbs = std::uint64_t[4];
  if constexpr (Op == ModAdd::Add)
    asm(ZKACC_ADD_MOD_BODY : ZKACC_MODADD_OUTPUTS : ZKACC_MODADD_INPUTS : "cc");
  else
    asm(ZKACC_SUB_MOD_BODY : ZKACC_MODADD_OUTPUTS : ZKACC_MODADD_INPUTS : "cc");
  r[0] = d0;
  r[1] = d1;
  r[2] = d2;
  r[3] = d3;
}

#undef ZKACC_ADD_MOD_BODY
#undef ZKACC_SUB_MOD_BODY
#undef ZKACC_STORE_D
#undef ZKACC_MODADD_OUTPUTS
#undef ZKACC_MODADD_INPUTS

}  // namespace zkacc::detail
#endif
