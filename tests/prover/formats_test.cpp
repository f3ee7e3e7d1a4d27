// The readers and writers of .r1cs, .wtns, .zkey, .ptau and snarkjs's JSON,
// against files circom and snarkjs produced.
#include <catch2/catch.hpp>

#include "prover/fixtures.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

using namespace zkacc;
using namespace zkacc::prover;
using zkacc::test::multiplier_path;

TEST_CASE("r1cs: header and constraints of the multiplier circuit", "[prover][r1cs]") {
  const R1cs r1cs = read_r1cs(multiplier_path("multiplier.r1cs"));
  // Multiplier(5): outputs c; public input a; private input b; t[0..4].
  CHECK(r1cs.n_wires == 8);
  CHECK(r1cs.n_pub_out == 1);
  CHECK(r1cs.n_pub_in == 1);
  CHECK(r1cs.n_prv_in == 1);
  CHECK(r1cs.n_labels == 9);
  CHECK(r1cs.n_constraints == 5);
  CHECK(r1cs.wire_to_label.size() == 8);
  const Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  REQUIRE(w.size() == 8);
  CHECK(w[0] == Fr::one());
  CHECK_NOTHROW(check_witness(r1cs, w.to_field(), "multiplier.wtns"));
}

TEST_CASE("r1cs, wtns, zkey: writers round-trip what snarkjs and circom wrote", "[prover][formats]") {
  zkacc::test::ScratchDir dir;
  ThreadPool pool(2);
  // circom writes the constraints section before the header; zkacc writes
  // them in numeric order, so compare what the files hold.
  const R1cs r1cs = read_r1cs(multiplier_path("multiplier.r1cs"));
  write_r1cs(dir.file("c.r1cs"), r1cs);
  const R1cs back = read_r1cs(dir.file("c.r1cs"));
  CHECK(back.n_wires == r1cs.n_wires);
  CHECK(back.n_labels == r1cs.n_labels);
  CHECK(back.offsets == r1cs.offsets);
  CHECK(back.wire_to_label == r1cs.wire_to_label);
  REQUIRE(back.terms.size() == r1cs.terms.size());
  for (std::size_t i = 0; i < r1cs.terms.size(); ++i)
    CHECK((back.terms[i].wire == r1cs.terms[i].wire && back.terms[i].coeff == r1cs.terms[i].coeff));
  CHECK(zkacc::test::read_bytes(dir.file("c.r1cs")).size() == zkacc::test::read_bytes(multiplier_path("multiplier.r1cs")).size());
  // snarkjs's .wtns has the sections in numeric order: identical bytes.
  write_wtns(dir.file("w.wtns"), read_wtns(multiplier_path("multiplier.wtns")));
  CHECK(zkacc::test::read_bytes(dir.file("w.wtns")) == zkacc::test::read_bytes(multiplier_path("multiplier.wtns")));
  const Groth16Zkey z = read_zkey(multiplier_path("multiplier.zkey"), pool);
  write_zkey(dir.file("k.zkey"), z);
  // snarkjs writes the sections in the order 1 2 4 3 9 8 5 6 7 10 (zkey new),
  // zkacc in numeric order: compare what the files hold, section by section.
  const Groth16Zkey again = read_zkey(dir.file("k.zkey"), pool);
  CHECK(again.n_vars == z.n_vars);
  CHECK(again.a == z.a);
  CHECK(again.b2 == z.b2);
  CHECK(again.h == z.h);
  CHECK(again.contributions == z.contributions);
  REQUIRE(again.coeffs.size() == z.coeffs.size());
  for (std::size_t i = 0; i < z.coeffs.size(); ++i) CHECK(again.coeffs[i].stored == z.coeffs[i].stored);
}

TEST_CASE("zkey: header, sections and coefficients match the circuit", "[prover][zkey]") {
  ThreadPool pool(2);
  const Groth16Zkey z = read_zkey(multiplier_path("multiplier.zkey"), pool);
  const R1cs r1cs = read_r1cs(multiplier_path("multiplier.r1cs"));
  CHECK(z.n_vars == 8);
  CHECK(z.n_public == 2);
  CHECK(z.domain_size == 8);
  CHECK(z.ic.size() == 3);
  CHECK(z.c.size() == 5);
  CHECK(z.h.size() == 8);
  // The coefficient section holds the A and B matrices, stored as c·R²:
  // value() must give back the r1cs coefficients, plus one A entry 1 per
  // public wire in rows nConstraints .. nConstraints + nPublic.
  std::vector<std::vector<Fr>> dense(2 * z.domain_size, std::vector<Fr>(z.n_vars));
  for (const auto& c : z.coeffs) dense[c.matrix * z.domain_size + c.constraint][c.signal] += c.value();
  for (std::uint32_t i = 0; i < r1cs.n_constraints; ++i)
    for (int m = 0; m < 2; ++m) {
      std::vector<Fr> row(z.n_vars);
      for (const auto& t : r1cs.lc(i, m)) row[t.wire] += t.coeff;
      CHECK(row == dense[m * z.domain_size + i]);
    }
  for (std::uint32_t s = 0; s <= z.n_public; ++s) CHECK(dense[r1cs.n_constraints + s][s] == Fr::one());
  // And the stored form is what ZkeyCoefficient::from_value writes.
  for (const auto& c : z.coeffs)
    CHECK(ZkeyCoefficient::from_value(c.matrix, c.constraint, c.signal, c.value()).stored == c.stored);
}

TEST_CASE("zkey: parts hold their share of each point section and add up to the whole key", "[prover][zkey]") {
  ThreadPool pool(2);
  const std::string path = multiplier_path("multiplier.zkey");
  const Groth16Zkey whole = read_zkey(path, pool);
  // 8 points in A, B1, B2, H and 5 in C: 3 and 5 parts are uneven, 9 leaves
  // some parts empty.
  for (std::uint32_t count : {1u, 2u, 3u, 5u, 9u}) {
    INFO(count << " parts");
    Groth16Zkey joined;
    for (std::uint32_t index = 0; index < count; ++index) {
      const Groth16Zkey p = read_zkey(path, pool, ZkeyPart{index, count});
      CHECK(p.part == ZkeyPart{index, count});
      CHECK(p.n_vars == whole.n_vars);
      CHECK(p.delta2 == whole.delta2);
      CHECK(p.ic == whole.ic);
      CHECK(p.coeffs.size() == whole.coeffs.size());
      CHECK(p.a.size() == p.part.range(whole.a.size()).size());
      CHECK(p.h.size() == p.part.range(whole.h.size()).size());
      joined.a.insert(joined.a.end(), p.a.begin(), p.a.end());
      joined.b1.insert(joined.b1.end(), p.b1.begin(), p.b1.end());
      joined.b2.insert(joined.b2.end(), p.b2.begin(), p.b2.end());
      joined.c.insert(joined.c.end(), p.c.begin(), p.c.end());
      joined.h.insert(joined.h.end(), p.h.begin(), p.h.end());
    }
    CHECK(joined.a == whole.a);
    CHECK(joined.b1 == whole.b1);
    CHECK(joined.b2 == whole.b2);
    CHECK(joined.c == whole.c);
    CHECK(joined.h == whole.h);
  }
  CHECK_THROWS_WITH(read_zkey(path, pool, ZkeyPart{3, 3}), Catch::Contains("multiplier.zkey: cannot read part"));
  CHECK_THROWS_WITH(read_zkey(path, pool, ZkeyPart{0, 0}), Catch::Contains("multiplier.zkey: cannot read part"));
  zkacc::test::ScratchDir dir;
  CHECK_THROWS_WITH(write_zkey(dir.file("p.zkey"), read_zkey(path, pool, ZkeyPart{0, 2})),
                    Catch::Contains("part 1 of 2") && Catch::Contains("only whole keys"));
}

TEST_CASE("zkey, wtns: read from memory as from the file, and the bytes are not needed afterwards",
          "[prover][formats]") {
  ThreadPool pool(2);
  const std::string zkey_path = multiplier_path("multiplier.zkey");
  const Groth16Zkey from_file = read_zkey(zkey_path, pool);
  auto bytes = zkacc::test::read_bytes(zkey_path);
  const Groth16Zkey from_memory = read_zkey(bytes, "key buffer", pool);
  const Groth16Zkey header = read_zkey_header(bytes, "key buffer");
  const Groth16Zkey part = read_zkey(bytes, "key buffer", pool, ZkeyPart{1, 2});
  std::fill(bytes.begin(), bytes.end(), std::uint8_t{0});  // the keys hold copies
  CHECK(from_memory.n_vars == from_file.n_vars);
  CHECK(from_memory.n_public == from_file.n_public);
  CHECK(from_memory.delta2 == from_file.delta2);
  CHECK(from_memory.ic == from_file.ic);
  CHECK(from_memory.a == from_file.a);
  CHECK(from_memory.b2 == from_file.b2);
  CHECK(from_memory.c == from_file.c);
  CHECK(from_memory.h == from_file.h);
  CHECK(from_memory.contributions == from_file.contributions);
  REQUIRE(from_memory.coeffs.size() == from_file.coeffs.size());
  for (std::size_t i = 0; i < from_file.coeffs.size(); ++i) CHECK(from_memory.coeffs[i].stored == from_file.coeffs[i].stored);
  CHECK(header.n_public == from_file.n_public);
  CHECK(header.ic == from_file.ic);
  CHECK(part.h == read_zkey(zkey_path, pool, ZkeyPart{1, 2}).h);

  const std::string wtns_path = multiplier_path("multiplier.wtns");
  CHECK(read_wtns(zkacc::test::read_bytes(wtns_path), "witness buffer").values == read_wtns(wtns_path).values);
  // Errors name the buffer as they would name the file.
  const auto wtns = zkacc::test::read_bytes(wtns_path);
  CHECK_THROWS_WITH(read_wtns(std::span(wtns).first(wtns.size() - 1), "witness buffer"),
                    Catch::Contains("witness buffer: truncated"));
  CHECK_THROWS_WITH(read_zkey(wtns, "key buffer", pool), Catch::Contains("key buffer: not a .zkey file"));
  CHECK_THROWS_WITH(read_zkey_header(std::span<const std::uint8_t>(), "key buffer"),
                    Catch::Contains("key buffer: file is 0 bytes"));
}

TEST_CASE("export-vkey: verification_key.json identical to snarkjs's", "[prover][json]") {
  const Groth16Zkey z = read_zkey_header(multiplier_path("multiplier.zkey"));
  CHECK(vkey_to_json(VerificationKey::from_zkey(z)) == read_text_file(multiplier_path("vk.json")));
  // and it reads back to the same key
  const VerificationKey vk = read_vkey_json(multiplier_path("vk.json"));
  CHECK(vk.ic == z.ic);
  CHECK(vk.delta2 == z.delta2);
}

TEST_CASE("proof.json and public.json round trip in snarkjs's layout", "[prover][json]") {
  const Proof p = read_proof_json(multiplier_path("proof.json"));
  CHECK(proof_to_json(p) == read_text_file(multiplier_path("proof.json")));
  const auto pub = read_public_json(multiplier_path("public.json"));
  REQUIRE(pub.size() == 2);
  CHECK(pub[0] == Fr::from_u64(3113));
  CHECK(pub[1] == Fr::from_u64(3));
  CHECK(public_to_json(pub) == read_text_file(multiplier_path("public.json")));
}

TEST_CASE("ptau: header and Lagrange sections of a prepared file", "[prover][ptau]") {
  const Ptau ptau(zkacc::test::prover_data_path("pot4.ptau"));
  CHECK(ptau.power() == 4);
  CHECK(ptau.prepared());
  // L_i(τ) over a domain sums to 1 (Σ L_i = 1), so Σ L_i(τ)·G = G.
  for (std::uint32_t k : {0u, 3u, 5u}) {
    G1Jacobian sum = G1Jacobian::infinity();
    for (const auto& p : ptau.lagrange_g1(12, k)) sum += p.to_jacobian();
    CHECK(sum.to_affine() == G1Affine::generator());
  }
  G2Jacobian sum2 = G2Jacobian::infinity();
  for (const auto& p : ptau.lagrange_g2(4)) sum2 += p.to_jacobian();
  CHECK(sum2.to_affine() == G2Affine::generator());
  CHECK_THROWS_WITH(ptau.lagrange_g2(5), Catch::Contains("holds domains up to 2^4"));
}
