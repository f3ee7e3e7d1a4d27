#include "zkacc/prover/zkey.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "field_io.hpp"
#include "zkacc/prover/binfile.hpp"

namespace zkacc::prover {

namespace {

constexpr std::uint32_t kHeader = 1, kGrothHeader = 2, kIc = 3, kCoeffs = 4, kA = 5, kB1 = 6, kB2 = 7, kC = 8,
                        kH = 9, kContributions = 10;
constexpr std::size_t kG1 = kG1LemBytes, kG2 = kG2LemBytes;
constexpr std::size_t kGrothHeaderBytes = 4 + 32 + 4 + 32 + 3 * 4 + 3 * kG1 + 3 * kG2;
constexpr std::size_t kCoeffBytes = 3 * 4 + 32;

// R^-1 mod r as a field element: from_montgomery_unchecked(1) represents 1·R^-1.
constexpr Fr kRInverse = Fr::from_montgomery_unchecked(bigint::from_u64<4>(1));

const char* protocol_name(std::uint32_t id) {
  switch (id) {
    case 1: return "Groth16";
    case 2: return "PLONK";
    case 10: return "FFLONK";
    default: return "unknown";
  }
}

struct Header {
  std::uint32_t n_vars, n_public, domain_size;
  G1Affine alpha1, beta1, delta1;
  G2Affine beta2, gamma2, delta2;
};

Header read_headers(const BinFile& file) {
  file.expect_section_size(kHeader, 4, "protocol header");
  const std::uint32_t protocol = file.reader(kHeader).u32();
  if (protocol != kZkeyProtocolGroth16)
    throw file.error("is a " + std::string(protocol_name(protocol)) + " key (protocol " + std::to_string(protocol) +
                     "), not Groth16");
  file.expect_section_size(kGrothHeader, kGrothHeaderBytes, "Groth16 header");
  SectionReader in = file.reader(kGrothHeader);
  detail::expect_prime(in, Fq::kModulus, "the base field prime q");
  detail::expect_prime(in, Fr::kModulus, "the scalar field prime r");
  Header h{};
  h.n_vars = in.u32();
  h.n_public = in.u32();
  h.domain_size = in.u32();
  if (h.n_vars == 0 || h.n_public >= h.n_vars)
    throw file.error("header declares " + std::to_string(h.n_vars) + " variables and " + std::to_string(h.n_public) +
                     " public inputs; need nPublic < nVars");
  if (h.domain_size == 0 || !std::has_single_bit(h.domain_size) || std::countr_zero(h.domain_size) >= 28)
    throw file.error("domain size " + std::to_string(h.domain_size) + " is not a power of two below 2^28");
  auto g1 = [&](const char* what) {
    return g1_from_lem_bytes(in.fixed<kG1>(), file.name() + ": " + what);
  };
  auto g2 = [&](const char* what) {
    return g2_from_lem_bytes(in.fixed<kG2>(), file.name() + ": " + what);
  };
  h.alpha1 = g1("alpha1");
  h.beta1 = g1("beta1");
  h.beta2 = g2("beta2");
  h.gamma2 = g2("gamma2");
  h.delta1 = g1("delta1");
  h.delta2 = g2("delta2");
  in.expect_end();
  return h;
}

void apply_header(Groth16Zkey& z, const Header& h) {
  z.n_vars = h.n_vars;
  z.n_public = h.n_public;
  z.domain_size = h.domain_size;
  z.alpha1 = h.alpha1;
  z.beta1 = h.beta1;
  z.delta1 = h.delta1;
  z.beta2 = h.beta2;
  z.gamma2 = h.gamma2;
  z.delta2 = h.delta2;
}

// Points [range.begin, range.end) of a section of `count` points. Messages
// name a point by its index in the whole section.
std::vector<G1Affine> read_g1_section(const BinFile& file, std::uint32_t id, std::size_t count, const char* what,
                                      ThreadPool* pool, ZkeyPart part = {}) {
  file.expect_section_size(id, std::uint64_t(count) * kG1, std::string(what) + ": " + std::to_string(count) + " G1 points");
  const ZkeyPart::Range range = part.range(count);
  const std::uint8_t* base = file.section(id).data();
  std::vector<G1Affine> out(range.size());
  auto body = [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      const std::size_t i = range.begin + k;
      out[k] = detail::g1_from_lem(base + i * kG1, [&] { return file.name() + ": " + what + " point " + std::to_string(i); });
    }
  };
  if (pool) pool->parallel_for(out.size(), body);
  else body(0, out.size());
  return out;
}

std::vector<G2Affine> read_g2_section(const BinFile& file, std::uint32_t id, std::size_t count, const char* what,
                                      ThreadPool& pool, ZkeyPart part) {
  file.expect_section_size(id, std::uint64_t(count) * kG2, std::string(what) + ": " + std::to_string(count) + " G2 points");
  const ZkeyPart::Range range = part.range(count);
  const std::uint8_t* base = file.section(id).data();
  std::vector<G2Affine> out(range.size());
  pool.parallel_for(out.size(), [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      const std::size_t i = range.begin + k;
      out[k] = detail::g2_from_lem_unchecked_subgroup(
          base + i * kG2, [&] { return file.name() + ": " + what + " point " + std::to_string(i); });
    }
  });
  return out;
}

}  // namespace

ZkeyPart::Range ZkeyPart::range(std::size_t n) const {
  // 128-bit products: n·index overflows 64 bits only for absurd n, but costs nothing.
  const auto k = static_cast<unsigned __int128>(index), c = static_cast<unsigned __int128>(count);
  return {static_cast<std::size_t>(n * k / c), static_cast<std::size_t>(n * (k + 1) / c)};
}

std::string ZkeyPart::describe() const {
  return whole() ? "the whole key" : "part " + std::to_string(index + 1) + " of " + std::to_string(count);
}

Fr ZkeyCoefficient::value() const { return stored * kRInverse; }

ZkeyCoefficient ZkeyCoefficient::from_value(std::uint32_t matrix, std::uint32_t constraint, std::uint32_t signal,
                                            const Fr& c) {
  // stored must represent c·R, i.e. c times the field element R mod r.
  const Fr r_mod = Fr::from_montgomery_unchecked(Fr::kR2);  // represents R²·R^-1 = R
  return {matrix, constraint, signal, c * r_mod};
}

std::uint32_t Groth16Zkey::log_domain_size() const { return static_cast<std::uint32_t>(std::countr_zero(domain_size)); }

namespace {

constexpr std::uint32_t kZkeyMaxVersion = 2;

Groth16Zkey read_header_and_ic(const BinFile& file) {
  Groth16Zkey z;
  apply_header(z, read_headers(file));
  z.ic = read_g1_section(file, kIc, std::size_t(z.n_public) + 1, "IC", nullptr);
  return z;
}

void check_part(const std::string& name, ZkeyPart part) {
  if (part.count == 0 || part.index >= part.count)
    throw Error(name + ": cannot read part " + std::to_string(part.index) + " of " + std::to_string(part.count) +
                " of the key");
}

Groth16Zkey read_sections(const BinFile& file, ThreadPool& pool, ZkeyPart part) {
  Groth16Zkey z = read_header_and_ic(file);
  z.part = part;

  // Coefficients: the count is checked against the section size before the
  // table is allocated.
  {
    const auto sec = file.section(kCoeffs);
    SectionReader in(sec, file.name() + ": section 4 (coefficients)");
    const std::uint32_t n = in.u32();
    file.expect_section_size(kCoeffs, 4 + std::uint64_t(n) * kCoeffBytes,
                             "coefficients: " + std::to_string(n) + " entries of " + std::to_string(kCoeffBytes) +
                                 " bytes");
    z.coeffs.resize(n);
    const std::uint8_t* base = sec.data() + 4;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint8_t* p = base + std::size_t(i) * kCoeffBytes;
      ZkeyCoefficient& c = z.coeffs[i];
      std::memcpy(&c.matrix, p, 4);
      std::memcpy(&c.constraint, p + 4, 4);
      std::memcpy(&c.signal, p + 8, 4);
      const BigInt<4> v = detail::load_repr(p + 12);
      if (c.matrix > 1 || c.constraint >= z.domain_size || c.signal >= z.n_vars || !detail::below(v, Fr::kModulus)) {
        const std::string at = "coefficient " + std::to_string(i) + ": ";
        if (c.matrix > 1) throw in.error(at + "matrix " + std::to_string(c.matrix) + " is neither A (0) nor B (1)");
        if (c.constraint >= z.domain_size)
          throw in.error(at + "constraint " + std::to_string(c.constraint) + " is outside the domain of " +
                         std::to_string(z.domain_size));
        if (c.signal >= z.n_vars)
          throw in.error(at + "signal " + std::to_string(c.signal) + " is not below nVars = " + std::to_string(z.n_vars));
        throw in.error(at + "value 0x" + bigint::to_hex(v) + " is not below r (non-canonical field element)");
      }
      c.stored = Fr::from_montgomery_unchecked(v);
    }
  }

  file.release(kCoeffs);
  z.a = read_g1_section(file, kA, z.n_vars, "A", &pool, part);
  file.release(kA);
  z.b1 = read_g1_section(file, kB1, z.n_vars, "B1", &pool, part);
  file.release(kB1);
  z.b2 = read_g2_section(file, kB2, z.n_vars, "B2", pool, part);
  file.release(kB2);
  z.c = read_g1_section(file, kC, std::size_t(z.n_vars) - z.n_public - 1, "C", &pool, part);
  file.release(kC);
  z.h = read_g1_section(file, kH, z.domain_size, "H", &pool, part);
  file.release(kH);
  if (file.has_section(kContributions)) {
    const auto s = file.section(kContributions);
    z.contributions.assign(s.begin(), s.end());
  }
  return z;
}

}  // namespace

Groth16Zkey read_zkey_header(const std::string& path) {
  return read_header_and_ic(BinFile(path, "zkey", kZkeyMaxVersion));
}

Groth16Zkey read_zkey_header(std::span<const std::uint8_t> bytes, const std::string& name) {
  return read_header_and_ic(BinFile(bytes, name, "zkey", kZkeyMaxVersion));
}

Groth16Zkey read_zkey(const std::string& path, ThreadPool& pool, ZkeyPart part) {
  check_part(display_name(path), part);
  return read_sections(BinFile(path, "zkey", kZkeyMaxVersion), pool, part);
}

Groth16Zkey read_zkey(std::span<const std::uint8_t> bytes, const std::string& name, ThreadPool& pool, ZkeyPart part) {
  check_part(name, part);
  return read_sections(BinFile(bytes, name, "zkey", kZkeyMaxVersion), pool, part);
}

void write_zkey(const std::string& path, const Groth16Zkey& z) {
  const std::string name = display_name(path);
  if (!z.part.whole())
    throw Error(name + ": cannot write " + z.part.describe() + " of a key: only whole keys are written");
  auto expect = [&](std::size_t have, std::size_t want, const char* what) {
    if (have != want)
      throw Error(name + ": cannot write: " + what + " has " + std::to_string(have) + " entries, expected " +
                  std::to_string(want));
  };
  expect(z.ic.size(), std::size_t(z.n_public) + 1, "IC");
  expect(z.a.size(), z.n_vars, "A");
  expect(z.b1.size(), z.n_vars, "B1");
  expect(z.b2.size(), z.n_vars, "B2");
  expect(z.c.size(), std::size_t(z.n_vars) - z.n_public - 1, "C");
  expect(z.h.size(), z.domain_size, "H");

  BinFileWriter out(path, "zkey", 1, z.contributions.empty() ? 9 : 10);
  std::array<std::uint8_t, kG2> buf{};
  auto g1 = [&](const G1Affine& p) {
    to_lem_bytes(p, std::span<std::uint8_t, kG1>(buf.data(), kG1));
    out.bytes(std::span<const std::uint8_t>(buf.data(), kG1));
  };
  auto g2 = [&](const G2Affine& p) {
    to_lem_bytes(p, std::span<std::uint8_t, kG2>(buf.data(), kG2));
    out.bytes(buf);
  };
  out.begin_section(kHeader);
  out.u32(kZkeyProtocolGroth16);
  out.end_section();
  out.begin_section(kGrothHeader);
  out.u32(32);
  out.bigint(Fq::kModulus, 32);
  out.u32(32);
  out.bigint(Fr::kModulus, 32);
  out.u32(z.n_vars);
  out.u32(z.n_public);
  out.u32(z.domain_size);
  g1(z.alpha1);
  g1(z.beta1);
  g2(z.beta2);
  g2(z.gamma2);
  g1(z.delta1);
  g2(z.delta2);
  out.end_section();
  out.begin_section(kIc);
  for (const auto& p : z.ic) g1(p);
  out.end_section();
  out.begin_section(kCoeffs);
  out.u32(static_cast<std::uint32_t>(z.coeffs.size()));
  for (const auto& c : z.coeffs) {
    out.u32(c.matrix);
    out.u32(c.constraint);
    out.u32(c.signal);
    out.bigint(c.stored.montgomery_repr(), 32);
  }
  out.end_section();
  for (auto [id, pts] : {std::pair{kA, &z.a}, std::pair{kB1, &z.b1}}) {
    out.begin_section(id);
    for (const auto& p : *pts) g1(p);
    out.end_section();
  }
  out.begin_section(kB2);
  for (const auto& p : z.b2) g2(p);
  out.end_section();
  for (auto [id, pts] : {std::pair{kC, &z.c}, std::pair{kH, &z.h}}) {
    out.begin_section(id);
    for (const auto& p : *pts) g1(p);
    out.end_section();
  }
  if (!z.contributions.empty()) {
    out.begin_section(kContributions);
    out.bytes(z.contributions);
    out.end_section();
  }
  out.commit();
}

}  // namespace zkacc::prover
