#include "zkacc/curve/serialize.hpp"

namespace zkacc {
namespace {

std::string context(std::string_view what, std::string_view detail) {
  return std::string(what) + ": " + std::string(detail);
}

Fq parse_fq(const std::string& s, std::string_view what) {
  try {
    return Fq::from_decimal(s);
  } catch (const Error& e) {
    throw Error(context(what, e.what()));
  }
}

template <class Point>
Point checked(const Point& p, std::string_view what, bool subgroup) {
  if (!p.is_on_curve()) throw Error(context(what, "point is not on the curve"));
  if (subgroup && !is_in_subgroup(p)) throw Error(context(what, "point is not in the order-r subgroup"));
  return p;
}

Fq fq_lem(std::span<const std::uint8_t> in, std::string_view what) {
  try {
    return Fq::from_montgomery_bytes_le(in.first<32>());
  } catch (const Error& e) {
    throw Error(context(what, e.what()));
  }
}

Fq fq_be(std::span<const std::uint8_t> in, std::string_view what) {
  try {
    return Fq::from_bytes_be(in.first<32>());
  } catch (const Error& e) {
    throw Error(context(what, e.what()));
  }
}

void put(std::span<std::uint8_t> out, const std::array<std::uint8_t, 32>& b) { std::copy(b.begin(), b.end(), out.begin()); }

bool all_zero(std::span<const std::uint8_t> in) {
  for (auto b : in)
    if (b) return false;
  return true;
}

}  // namespace

G1Strings to_snarkjs_strings(const G1Affine& p) {
  if (p.is_infinity()) return {"0", "1", "0"};
  return {p.x.to_decimal(), p.y.to_decimal(), "1"};
}

G2Strings to_snarkjs_strings(const G2Affine& q) {
  if (q.is_infinity()) return {{{"0", "0"}, {"1", "0"}, {"0", "0"}}};
  return {{{q.x.c0.to_decimal(), q.x.c1.to_decimal()}, {q.y.c0.to_decimal(), q.y.c1.to_decimal()}, {"1", "0"}}};
}

G1Affine g1_from_snarkjs_strings(const G1Strings& s, std::string_view what) {
  G1Jacobian j{parse_fq(s[0], what), parse_fq(s[1], what), parse_fq(s[2], what)};
  if (j.is_infinity()) return G1Affine::infinity();
  if (!j.is_on_curve()) throw Error(context(what, "point is not on the curve"));
  return j.to_affine();
}

G2Affine g2_from_snarkjs_strings(const G2Strings& s, std::string_view what) {
  auto fq2 = [&](const std::array<std::string, 2>& c) { return Fq2{parse_fq(c[0], what), parse_fq(c[1], what)}; };
  G2Jacobian j{fq2(s[0]), fq2(s[1]), fq2(s[2])};
  if (j.is_infinity()) return G2Affine::infinity();
  if (!j.is_on_curve()) throw Error(context(what, "point is not on the curve"));
  return checked(j.to_affine(), what, true);
}

void to_lem_bytes(const G1Affine& p, std::span<std::uint8_t, kG1LemBytes> out) {
  put(out.subspan<0, 32>(), p.x.to_montgomery_bytes_le());
  put(out.subspan<32, 32>(), p.y.to_montgomery_bytes_le());
}

void to_lem_bytes(const G2Affine& q, std::span<std::uint8_t, kG2LemBytes> out) {
  put(out.subspan<0, 32>(), q.x.c0.to_montgomery_bytes_le());
  put(out.subspan<32, 32>(), q.x.c1.to_montgomery_bytes_le());
  put(out.subspan<64, 32>(), q.y.c0.to_montgomery_bytes_le());
  put(out.subspan<96, 32>(), q.y.c1.to_montgomery_bytes_le());
}

G1Affine g1_from_lem_bytes(std::span<const std::uint8_t, kG1LemBytes> in, std::string_view what) {
  G1Affine p{fq_lem(in.subspan(0, 32), what), fq_lem(in.subspan(32, 32), what)};
  return checked(p, what, false);
}

G2Affine g2_from_lem_bytes_no_subgroup_check(std::span<const std::uint8_t, kG2LemBytes> in, std::string_view what) {
  G2Affine q{{fq_lem(in.subspan(0, 32), what), fq_lem(in.subspan(32, 32), what)},
             {fq_lem(in.subspan(64, 32), what), fq_lem(in.subspan(96, 32), what)}};
  return checked(q, what, false);
}

G2Affine g2_from_lem_bytes(std::span<const std::uint8_t, kG2LemBytes> in, std::string_view what) {
  return checked(g2_from_lem_bytes_no_subgroup_check(in, what), what, true);
}

std::array<std::uint8_t, kG1EvmBytes> to_evm_bytes(const G1Affine& p) {
  std::array<std::uint8_t, kG1EvmBytes> out{};
  put(std::span(out).subspan(0, 32), p.x.to_bytes_be());
  put(std::span(out).subspan(32, 32), p.y.to_bytes_be());
  return out;
}

std::array<std::uint8_t, kG2EvmBytes> to_evm_bytes(const G2Affine& q) {
  std::array<std::uint8_t, kG2EvmBytes> out{};
  put(std::span(out).subspan(0, 32), q.x.c1.to_bytes_be());
  put(std::span(out).subspan(32, 32), q.x.c0.to_bytes_be());
  put(std::span(out).subspan(64, 32), q.y.c1.to_bytes_be());
  put(std::span(out).subspan(96, 32), q.y.c0.to_bytes_be());
  return out;
}

G1Affine g1_from_evm_bytes(std::span<const std::uint8_t, kG1EvmBytes> in, std::string_view what) {
  if (all_zero(in)) return G1Affine::infinity();
  G1Affine p{fq_be(in.subspan(0, 32), what), fq_be(in.subspan(32, 32), what)};
  return checked(p, what, false);
}

G2Affine g2_from_evm_bytes(std::span<const std::uint8_t, kG2EvmBytes> in, std::string_view what) {
  if (all_zero(in)) return G2Affine::infinity();
  G2Affine q{{fq_be(in.subspan(32, 32), what), fq_be(in.subspan(0, 32), what)},
             {fq_be(in.subspan(96, 32), what), fq_be(in.subspan(64, 32), what)}};
  return checked(q, what, true);
}

}  // namespace zkacc
