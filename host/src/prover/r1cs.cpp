#include "zkacc/prover/r1cs.hpp"

#include "field_io.hpp"
#include "zkacc/prover/binfile.hpp"

namespace zkacc::prover {

namespace {
constexpr std::uint32_t kHeaderSection = 1, kConstraintsSection = 2, kWireMapSection = 3;
constexpr std::uint32_t kCustomGatesListSection = 4, kCustomGatesUsesSection = 5;
constexpr std::size_t kHeaderBytes = 4 + 32 + 4 * 4 + 8 + 4;
}  // namespace

void R1cs::add_constraint(std::span<const R1csTerm> a, std::span<const R1csTerm> b, std::span<const R1csTerm> c) {
  for (auto lc : {a, b, c}) {
    terms.insert(terms.end(), lc.begin(), lc.end());
    offsets.push_back(terms.size());
  }
  ++n_constraints;
}

R1cs read_r1cs(const std::string& path) {
  const BinFile file(path, "r1cs", 1);
  if (file.has_section(kCustomGatesListSection) || file.has_section(kCustomGatesUsesSection))
    throw file.error("uses custom gates (PLONK only); Groth16 needs a plain R1CS");

  R1cs r1cs;
  file.expect_section_size(kHeaderSection, kHeaderBytes, "header");
  SectionReader h = file.reader(kHeaderSection);
  detail::expect_prime(h, Fr::kModulus, "the prime");
  r1cs.n_wires = h.u32();
  r1cs.n_pub_out = h.u32();
  r1cs.n_pub_in = h.u32();
  r1cs.n_prv_in = h.u32();
  r1cs.n_labels = h.u64();
  const std::uint32_t n_constraints = h.u32();
  h.expect_end();
  if (r1cs.n_wires == 0) throw file.error("header declares no wires (wire 0, the constant 1, must exist)");
  if (std::uint64_t(r1cs.n_pub_out) + r1cs.n_pub_in + r1cs.n_prv_in >= r1cs.n_wires)
    throw file.error("header declares " + std::to_string(r1cs.n_pub_out) + " outputs, " +
                     std::to_string(r1cs.n_pub_in) + " public and " + std::to_string(r1cs.n_prv_in) +
                     " private inputs, more than its " + std::to_string(r1cs.n_wires) + " wires hold");

  // Each constraint needs at least 12 bytes (three term counts): check the
  // count against the section before reserving anything.
  const auto cs = file.section(kConstraintsSection);
  if (std::uint64_t(n_constraints) * 12 > cs.size())
    throw file.error("section 2 (constraints) is " + std::to_string(cs.size()) + " bytes, too short for the " +
                     std::to_string(n_constraints) + " constraints the header declares");
  SectionReader in(cs, file.name() + ": section 2 (constraints)");
  r1cs.offsets.reserve(3 * std::size_t(n_constraints) + 1);
  r1cs.terms.reserve(cs.size() / (4 + 32));
  for (std::uint32_t i = 0; i < n_constraints; ++i) {
    for (int m = 0; m < 3; ++m) {
      const std::uint32_t n_terms = in.u32();
      if (std::uint64_t(n_terms) * 36 > in.remaining())
        throw in.error("constraint " + std::to_string(i) + " declares " + std::to_string(n_terms) +
                       " terms, more than the section holds");
      for (std::uint32_t t = 0; t < n_terms; ++t) {
        const std::uint32_t wire = in.u32();
        const BigInt<4> v = detail::load_repr(in.bytes(32).data());
        if (wire >= r1cs.n_wires)
          throw in.error("constraint " + std::to_string(i) + " uses wire " + std::to_string(wire) + ", but there are " +
                         std::to_string(r1cs.n_wires) + " wires");
        if (!detail::below(v, Fr::kModulus))
          throw in.error("constraint " + std::to_string(i) + ": coefficient 0x" + bigint::to_hex(v) +
                         " is not below r (non-canonical field element)");
        r1cs.terms.push_back({wire, Fr::from_canonical_unchecked(v)});
      }
      r1cs.offsets.push_back(r1cs.terms.size());
    }
  }
  in.expect_end();
  r1cs.n_constraints = n_constraints;

  if (file.has_section(kWireMapSection)) {
    file.expect_section_size(kWireMapSection, std::uint64_t(r1cs.n_wires) * 8, "wire-to-label map");
    SectionReader m = file.reader(kWireMapSection);
    r1cs.wire_to_label.resize(r1cs.n_wires);
    for (auto& l : r1cs.wire_to_label) l = m.u64();
  }
  return r1cs;
}

void write_r1cs(const std::string& path, const R1cs& r1cs) {
  if (r1cs.offsets.size() != 3 * std::size_t(r1cs.n_constraints) + 1)
    throw Error(display_name(path) + ": constraint table is inconsistent");
  BinFileWriter out(path, "r1cs", 1, r1cs.wire_to_label.empty() ? 2 : 3);
  out.begin_section(kHeaderSection);
  out.u32(32);
  out.bigint(Fr::kModulus, 32);
  out.u32(r1cs.n_wires);
  out.u32(r1cs.n_pub_out);
  out.u32(r1cs.n_pub_in);
  out.u32(r1cs.n_prv_in);
  out.u64(r1cs.n_labels);
  out.u32(r1cs.n_constraints);
  out.end_section();
  out.begin_section(kConstraintsSection);
  for (std::size_t k = 0; k + 1 < r1cs.offsets.size(); ++k) {
    out.u32(static_cast<std::uint32_t>(r1cs.offsets[k + 1] - r1cs.offsets[k]));
    for (std::size_t t = r1cs.offsets[k]; t < r1cs.offsets[k + 1]; ++t) {
      out.u32(r1cs.terms[t].wire);
      out.bigint(r1cs.terms[t].coeff.to_canonical(), 32);
    }
  }
  out.end_section();
  if (!r1cs.wire_to_label.empty()) {
    out.begin_section(kWireMapSection);
    for (auto l : r1cs.wire_to_label) out.u64(l);
    out.end_section();
  }
  out.commit();
}

void check_witness(const R1cs& r1cs, std::span<const Fr> w, const std::string& witness_name) {
  if (w.size() != r1cs.n_wires)
    throw Error(witness_name + ": has " + std::to_string(w.size()) + " values, the circuit has " +
                std::to_string(r1cs.n_wires) + " wires");
  if (!w.empty() && !w[0].is_one()) throw Error(witness_name + ": value 0 (the constant wire) is not 1");
  auto eval = [&](std::span<const R1csTerm> lc) {
    Fr acc;
    for (const auto& t : lc) acc += t.coeff * w[t.wire];
    return acc;
  };
  for (std::uint32_t i = 0; i < r1cs.n_constraints; ++i) {
    const Fr a = eval(r1cs.lc(i, 0)), b = eval(r1cs.lc(i, 1)), c = eval(r1cs.lc(i, 2));
    if (a * b != c) {
      std::string wires;
      for (int m = 0; m < 3 && wires.size() < 200; ++m)
        for (const auto& t : r1cs.lc(i, m)) wires += (wires.empty() ? "" : ", ") + std::to_string(t.wire);
      throw Error(witness_name + ": does not satisfy constraint " + std::to_string(i) + " of " +
                  std::to_string(r1cs.n_constraints) + " (A·B = " + (a * b).to_decimal() + ", C = " + c.to_decimal() +
                  "; wires " + wires + ")");
    }
  }
}

}  // namespace zkacc::prover
