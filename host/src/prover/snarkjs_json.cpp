#include "zkacc/prover/snarkjs_json.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "zkacc/curve/serialize.hpp"
#include "zkacc/prover/binfile.hpp"

namespace zkacc::prover {

namespace {

using ordered_json = nlohmann::ordered_json;

// JSON.stringify(value, null, 1): one space of indentation per level.
std::string dump(const ordered_json& j) { return j.dump(1); }

ordered_json g1_json(const G1Affine& p) {
  const G1Strings s = to_snarkjs_strings(p);
  return ordered_json::array({s[0], s[1], s[2]});
}

ordered_json g2_json(const G2Affine& q) {
  const G2Strings s = to_snarkjs_strings(q);
  ordered_json out = ordered_json::array();
  for (const auto& c : s) out.push_back(ordered_json::array({c[0], c[1]}));
  return out;
}

ordered_json fq12_json(const Fq12& f) {
  auto fq2 = [](const Fq2& x) { return ordered_json::array({x.c0.to_decimal(), x.c1.to_decimal()}); };
  auto fq6 = [&](const Fq6& x) { return ordered_json::array({fq2(x.c0), fq2(x.c1), fq2(x.c2)}); };
  return ordered_json::array({fq6(f.c0), fq6(f.c1)});
}

// vk_alphabeta_12 as snarkjs writes it. ffjavascript's final exponentiation
// (the hard part by the Fuentes-Castañeda et al. addition chain) returns
// the pairing raised to the fixed power 2x(6x² + 3x + 1), x = 4965661367192848881,
// which is coprime to r and so still a non-degenerate pairing; zkacc's
// final_exponentiation is the exact one, so the value is raised here to match.
Fq12 snarkjs_alpha_beta(const VerificationKey& vk) {
  const Fr x = Fr::from_u64(4965661367192848881ull);
  const Fr k = Fr::from_u64(2) * x * (Fr::from_u64(6) * x * x + Fr::from_u64(3) * x + Fr::one());
  return alpha_beta(vk).pow(k.to_canonical());
}

nlohmann::json parse(const std::string& text, const std::string& name) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for a number too large for a double
    // ("1e999"): both are bad input, not a crash.
    throw Error(name + ": not valid JSON (" + e.what() + ")");
  }
}

const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& name) {
  if (!j.is_object()) throw Error(name + ": expected a JSON object");
  auto it = j.find(key);
  if (it == j.end()) throw Error(name + ": missing \"" + key + "\"");
  return *it;
}

std::string str(const nlohmann::json& j, const std::string& what) {
  if (!j.is_string()) throw Error(what + ": expected a decimal string");
  return j.get<std::string>();
}

G1Affine g1_from(const nlohmann::json& j, const std::string& what) {
  if (!j.is_array() || j.size() != 3) throw Error(what + ": expected an array of 3 decimal strings");
  return g1_from_snarkjs_strings({str(j[0], what), str(j[1], what), str(j[2], what)}, what);
}

G2Affine g2_from(const nlohmann::json& j, const std::string& what) {
  if (!j.is_array() || j.size() != 3) throw Error(what + ": expected an array of 3 pairs of decimal strings");
  G2Strings s;
  for (std::size_t i = 0; i < 3; ++i) {
    if (!j[i].is_array() || j[i].size() != 2) throw Error(what + ": expected an array of 3 pairs of decimal strings");
    s[i] = {str(j[i][0], what), str(j[i][1], what)};
  }
  return g2_from_snarkjs_strings(s, what);
}

void expect_string(const nlohmann::json& j, const char* key, const char* value, const std::string& name) {
  auto it = j.find(key);
  if (it != j.end() && !(it->is_string() && it->get<std::string>() == value))
    throw Error(name + ": \"" + key + "\" is " + it->dump() + ", expected \"" + value + "\"");
}

}  // namespace

std::string proof_to_json(const Proof& proof) {
  ordered_json j;
  j["pi_a"] = g1_json(proof.a);
  j["pi_b"] = g2_json(proof.b);
  j["pi_c"] = g1_json(proof.c);
  j["protocol"] = "groth16";
  j["curve"] = "bn128";
  return dump(j);
}

std::string public_to_json(std::span<const Fr> signals) {
  ordered_json j = ordered_json::array();
  for (const Fr& s : signals) j.push_back(s.to_decimal());
  return dump(j);
}

std::string vkey_to_json(const VerificationKey& vk) {
  ordered_json j;
  j["protocol"] = "groth16";
  j["curve"] = "bn128";
  j["nPublic"] = vk.n_public;
  j["vk_alpha_1"] = g1_json(vk.alpha1);
  j["vk_beta_2"] = g2_json(vk.beta2);
  j["vk_gamma_2"] = g2_json(vk.gamma2);
  j["vk_delta_2"] = g2_json(vk.delta2);
  j["vk_alphabeta_12"] = fq12_json(snarkjs_alpha_beta(vk));
  ordered_json ic = ordered_json::array();
  for (const auto& p : vk.ic) ic.push_back(g1_json(p));
  j["IC"] = ic;
  return dump(j);
}

Proof proof_from_json(const std::string& text, const std::string& name) {
  const nlohmann::json j = parse(text, name);
  if (!j.is_object()) throw Error(name + ": expected a JSON object");
  expect_string(j, "protocol", "groth16", name);
  expect_string(j, "curve", "bn128", name);
  return {g1_from(field(j, "pi_a", name), name + ": pi_a"), g2_from(field(j, "pi_b", name), name + ": pi_b"),
          g1_from(field(j, "pi_c", name), name + ": pi_c")};
}

std::vector<Fr> public_from_json(const std::string& text, const std::string& name) {
  const nlohmann::json j = parse(text, name);
  if (!j.is_array()) throw Error(name + ": expected a JSON array of decimal strings");
  std::vector<Fr> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string what = name + ": signal " + std::to_string(i);
    try {
      out.push_back(Fr::from_decimal(str(j[i], what)));
    } catch (const Error& e) {
      throw Error(what + ": " + e.what());
    }
  }
  return out;
}

VerificationKey vkey_from_json(const std::string& text, const std::string& name) {
  const nlohmann::json j = parse(text, name);
  if (!j.is_object()) throw Error(name + ": expected a JSON object");
  expect_string(j, "protocol", "groth16", name);
  expect_string(j, "curve", "bn128", name);
  VerificationKey vk;
  const auto& np = field(j, "nPublic", name);
  if (!np.is_number_unsigned() || np.get<std::uint64_t>() >= 0xffffffffull)
    throw Error(name + ": nPublic is not an integer from 0 to 2^32 - 2");
  vk.n_public = static_cast<std::uint32_t>(np.get<std::uint64_t>());
  vk.alpha1 = g1_from(field(j, "vk_alpha_1", name), name + ": vk_alpha_1");
  vk.beta2 = g2_from(field(j, "vk_beta_2", name), name + ": vk_beta_2");
  vk.gamma2 = g2_from(field(j, "vk_gamma_2", name), name + ": vk_gamma_2");
  vk.delta2 = g2_from(field(j, "vk_delta_2", name), name + ": vk_delta_2");
  const auto& ic = field(j, "IC", name);
  if (!ic.is_array() || ic.size() != std::size_t(vk.n_public) + 1)
    throw Error(name + ": IC must hold nPublic + 1 = " + std::to_string(std::uint64_t(vk.n_public) + 1) + " points");
  for (std::size_t i = 0; i < ic.size(); ++i) vk.ic.push_back(g1_from(ic[i], name + ": IC[" + std::to_string(i) + "]"));
  return vk;
}

std::string read_text_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(display_name(path) + ": cannot open");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Proof read_proof_json(const std::string& path) { return proof_from_json(read_text_file(path), display_name(path)); }
std::vector<Fr> read_public_json(const std::string& path) {
  return public_from_json(read_text_file(path), display_name(path));
}
VerificationKey read_vkey_json(const std::string& path) {
  return vkey_from_json(read_text_file(path), display_name(path));
}

}  // namespace zkacc::prover
