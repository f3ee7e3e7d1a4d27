#include "zkacc/prover/wtns.hpp"

#include "field_io.hpp"
#include "zkacc/prover/binfile.hpp"

namespace zkacc::prover {

std::vector<Fr> Witness::to_field() const {
  std::vector<Fr> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = Fr::from_canonical_unchecked(values[i]);
  return out;
}

namespace {

constexpr std::uint32_t kWtnsMaxVersion = 2;

Witness read_values(const BinFile& file) {
  file.expect_section_size(1, 4 + 32 + 4, "header");
  SectionReader h = file.reader(1);
  detail::expect_prime(h, Fr::kModulus, "the prime");
  const std::uint32_t n = h.u32();
  file.expect_section_size(2, std::uint64_t(n) * 32,
                           "values: the header declares " + std::to_string(n) + " values of 32 bytes");
  const auto data = file.section(2);
  Witness w;
  w.values.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    w.values[i] = detail::load_repr(data.data() + 32 * std::size_t(i));
    if (!detail::below(w.values[i], Fr::kModulus))
      throw file.error("value " + std::to_string(i) + " (0x" + bigint::to_hex(w.values[i]) +
                       ") is not below r (non-canonical field element)");
  }
  return w;
}

}  // namespace

Witness read_wtns(const std::string& path) { return read_values(BinFile(path, "wtns", kWtnsMaxVersion)); }

Witness read_wtns(std::span<const std::uint8_t> bytes, const std::string& name) {
  return read_values(BinFile(bytes, name, "wtns", kWtnsMaxVersion));
}

void write_wtns(const std::string& path, const Witness& witness) {
  BinFileWriter out(path, "wtns", 2, 2);
  out.begin_section(1);
  out.u32(32);
  out.bigint(Fr::kModulus, 32);
  out.u32(static_cast<std::uint32_t>(witness.values.size()));
  out.end_section();
  out.begin_section(2);
  for (const auto& v : witness.values) out.bigint(v, 32);
  out.end_section();
  out.commit();
}

}  // namespace zkacc::prover
