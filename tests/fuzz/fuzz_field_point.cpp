// libFuzzer target: field elements and points from every encoding zkacc
// reads (curve/serialize.hpp, field/montgomery.hpp): LEM bytes of .zkey and
// .ptau files, EVM bytes, snarkjs decimal strings, decimal and hex integers.
// The first byte picks the decoder; a value that decodes must encode back to
// the same bytes (the encodings are canonical) and be a valid point.
#include <algorithm>
#include <cstring>
#include <vector>

#include "fuzz_support.hpp"
#include "zkacc/curve/serialize.hpp"
#include "zkacc/field/bn254.hpp"

using namespace zkacc;

namespace {

// The rest of the input as n bytes, zero-padded.
template <std::size_t N>
std::array<std::uint8_t, N> take(const std::uint8_t* data, std::size_t size) {
  std::array<std::uint8_t, N> a{};
  std::memcpy(a.data(), data, std::min(size, N));
  return a;
}

// Splits text on commas into exactly n strings (missing ones empty).
std::vector<std::string> split(std::string_view text, std::size_t n) {
  std::vector<std::string> parts(n);
  std::size_t i = 0;
  for (char c : text) {
    if (c == ',') {
      if (++i == n) break;
    } else {
      parts[i].push_back(c);
    }
  }
  return parts;
}

template <class Point>
void require_valid(const Point& p) {
  fuzz::require(p.is_infinity() || p.is_on_curve(), "decoded point is on the curve");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0] % 8;
  ++data;
  --size;
  fuzz::expect_value_or_error([&] {
    switch (selector) {
      case 0: {
        const auto in = take<kG1LemBytes>(data, size);
        const G1Affine p = g1_from_lem_bytes(in, "G1 (LEM)");
        require_valid(p);
        std::array<std::uint8_t, kG1LemBytes> out{};
        to_lem_bytes(p, out);
        fuzz::require(out == in, "G1 LEM round trip");
        break;
      }
      case 1: {
        const auto in = take<kG2LemBytes>(data, size);
        const G2Affine q = g2_from_lem_bytes(in, "G2 (LEM)");
        require_valid(q);
        std::array<std::uint8_t, kG2LemBytes> out{};
        to_lem_bytes(q, out);
        fuzz::require(out == in, "G2 LEM round trip");
        break;
      }
      case 2: {
        const auto in = take<kG1EvmBytes>(data, size);
        const G1Affine p = g1_from_evm_bytes(in, "G1 (EVM)");
        require_valid(p);
        fuzz::require(to_evm_bytes(p) == in, "G1 EVM round trip");
        break;
      }
      case 3: {
        const auto in = take<kG2EvmBytes>(data, size);
        const G2Affine q = g2_from_evm_bytes(in, "G2 (EVM)");
        require_valid(q);
        fuzz::require(to_evm_bytes(q) == in, "G2 EVM round trip");
        break;
      }
      case 4: {
        const std::string_view text = fuzz::as_text(data, size);
        const Fr a = Fr::from_decimal(text);
        fuzz::require(Fr::from_decimal(bigint::to_decimal(a.to_canonical())) == a, "Fr decimal round trip");
        const Fq b = Fq::from_decimal(text);
        fuzz::require(Fq::from_decimal(bigint::to_decimal(b.to_canonical())) == b, "Fq decimal round trip");
        break;
      }
      case 5: {
        BigInt<4> v{};
        if (bigint::parse_hex(fuzz::as_text(data, size), v)) {
          BigInt<4> w{};
          fuzz::require(bigint::parse_hex(bigint::to_hex(v), w) && w == v, "hex round trip");
        }
        break;
      }
      case 6: {
        const auto s = split(fuzz::as_text(data, size), 3);
        const G1Affine p = g1_from_snarkjs_strings({s[0], s[1], s[2]}, "G1 (snarkjs)");
        require_valid(p);
        fuzz::require(g1_from_snarkjs_strings(to_snarkjs_strings(p), "again") == p, "G1 snarkjs round trip");
        break;
      }
      case 7: {
        const auto s = split(fuzz::as_text(data, size), 6);
        const G2Affine q = g2_from_snarkjs_strings({{{s[0], s[1]}, {s[2], s[3]}, {s[4], s[5]}}}, "G2 (snarkjs)");
        require_valid(q);
        fuzz::require(g2_from_snarkjs_strings(to_snarkjs_strings(q), "again") == q, "G2 snarkjs round trip");
        break;
      }
    }
  });
  return 0;
}
