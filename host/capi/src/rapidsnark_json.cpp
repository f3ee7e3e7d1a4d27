#include "rapidsnark_json.hpp"

#include <nlohmann/json.hpp>

#include "zkacc/curve/serialize.hpp"

namespace zkacc::capi {

namespace {

// nlohmann::json, not ordered_json: its objects are std::maps, whose sorted
// keys are the order rapidsnark's strings have.
using json = nlohmann::json;

json g1(const G1Affine& p) {
  const G1Strings s = to_snarkjs_strings(p);
  return json::array({s[0], s[1], s[2]});
}

json g2(const G2Affine& q) {
  const G2Strings s = to_snarkjs_strings(q);
  json out = json::array();
  for (const auto& c : s) out.push_back(json::array({c[0], c[1]}));
  return out;
}

}  // namespace

std::string proof_json(const prover::Proof& proof) {
  json j;
  j["pi_a"] = g1(proof.a);
  j["pi_b"] = g2(proof.b);
  j["pi_c"] = g1(proof.c);
  j["protocol"] = "groth16";
  return j.dump();
}

std::string public_json(std::span<const Fr> signals) {
  json j = json::array();
  for (const Fr& s : signals) j.push_back(s.to_decimal());
  return j.dump();
}

}  // namespace zkacc::capi
