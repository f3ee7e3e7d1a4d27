// Helpers shared by the file readers: field elements and points from
// little-endian words, with messages that name the file and the item.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "zkacc/common/error.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/serialize.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/prover/binfile.hpp"

namespace zkacc::prover::detail {

static_assert(std::endian::native == std::endian::little, "the file readers assume a little-endian host");

inline BigInt<4> load_repr(const std::uint8_t* p) {
  BigInt<4> v;
  std::memcpy(v.data(), p, 32);
  return v;
}

inline void store_repr(const BigInt<4>& v, std::uint8_t* p) { std::memcpy(p, v.data(), 32); }

inline bool below(const BigInt<4>& v, const BigInt<4>& m) { return bigint::compare(v, m) < 0; }

// Checks the header fields "n8, prime" of an r1cs/wtns/zkey/ptau file.
inline void expect_prime(SectionReader& in, const BigInt<4>& expected, const char* field_name) {
  const std::uint32_t n8 = in.u32();
  if (n8 != 32)
    throw in.error("field element size is " + std::to_string(n8) + " bytes; only BN254 (32 bytes) is supported");
  const BigInt<4> p = in.bigint(n8);
  if (p != expected)
    throw in.error(std::string(field_name) + " is " + bigint::to_decimal(p) + ", not BN254's (" +
                   bigint::to_decimal(expected) + "): the file is for another curve");
}

// Fast path for bulk key points: canonical and on-curve checks without
// building a message; on failure the serialize.hpp reader rebuilds the point
// with `describe()` as context and throws its precise message.
template <class Describe>
G1Affine g1_from_lem(const std::uint8_t* p, Describe&& describe) {
  const BigInt<4> x = load_repr(p), y = load_repr(p + 32);
  if (below(x, Fq::kModulus) && below(y, Fq::kModulus)) {
    const G1Affine pt{Fq::from_montgomery_unchecked(x), Fq::from_montgomery_unchecked(y)};
    if (pt.is_infinity() || pt.is_on_curve()) return pt;
  }
  return g1_from_lem_bytes(std::span<const std::uint8_t, kG1LemBytes>(p, kG1LemBytes), describe());
}

template <class Describe>
G2Affine g2_from_lem_unchecked_subgroup(const std::uint8_t* p, Describe&& describe) {
  const BigInt<4> x0 = load_repr(p), x1 = load_repr(p + 32), y0 = load_repr(p + 64), y1 = load_repr(p + 96);
  if (below(x0, Fq::kModulus) && below(x1, Fq::kModulus) && below(y0, Fq::kModulus) && below(y1, Fq::kModulus)) {
    const G2Affine pt{{Fq::from_montgomery_unchecked(x0), Fq::from_montgomery_unchecked(x1)},
                      {Fq::from_montgomery_unchecked(y0), Fq::from_montgomery_unchecked(y1)}};
    if (pt.is_infinity() || pt.is_on_curve()) return pt;
  }
  return g2_from_lem_bytes_no_subgroup_check(std::span<const std::uint8_t, kG2LemBytes>(p, kG2LemBytes), describe());
}

}  // namespace zkacc::prover::detail
