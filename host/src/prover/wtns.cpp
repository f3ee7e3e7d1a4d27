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

std::vector<std::uint8_t> wtns_bytes(const Witness& witness) {
  constexpr std::uint64_t kHeader = 4 + 32 + 4;  // n8, the prime, nWitness
  const std::uint64_t n = witness.values.size();
  std::vector<std::uint8_t> out(12 + (12 + kHeader) + (12 + 32 * n));
  std::uint8_t* p = out.data();
  auto put = [&](std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) *p++ = static_cast<std::uint8_t>(v >> (8 * i));
  };
  auto put_value = [&](const BigInt<4>& v) {
    for (std::uint64_t limb : v) put(limb, 8);
  };
  for (char c : {'w', 't', 'n', 's'}) put(static_cast<std::uint8_t>(c), 1);
  put(2, 4);  // version
  put(2, 4);  // sections
  put(1, 4);  // section 1: the header
  put(kHeader, 8);
  put(32, 4);
  put_value(Fr::kModulus);
  put(n, 4);
  put(2, 4);  // section 2: the values
  put(32 * n, 8);
  for (const auto& v : witness.values) put_value(v);
  return out;
}

void write_wtns(const std::string& path, const Witness& witness) {
  const std::vector<std::uint8_t> bytes = wtns_bytes(witness);
  write_file_atomically(path, {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

}  // namespace zkacc::prover
