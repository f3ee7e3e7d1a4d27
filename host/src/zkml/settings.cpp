#include "zkacc/zkml/settings.hpp"

#include <nlohmann/json.hpp>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/snarkjs_json.hpp"

namespace zkacc::zkml {

namespace {

using json = nlohmann::ordered_json;
constexpr const char* kFormat = "zkacc-zkml-settings";
constexpr int kVersion = 1;

// Typed field access with the path in the message.
class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}
  [[noreturn]] void fail(const std::string& path, const std::string& msg) const {
    throw Error(name_ + ": " + path + " " + msg);
  }
  const json& field(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) fail(path, "is not an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(path + "." + key, "is missing");
    return *it;
  }
  int integer(const json& obj, const std::string& path, const char* key, int lo, int hi) const {
    const json& v = field(obj, path, key);
    if (!v.is_number_integer()) fail(path + "." + key, "is not an integer");
    const auto x = v.get<std::int64_t>();
    if (x < lo || x > hi) fail(path + "." + key, "= " + std::to_string(x) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(x);
  }
  std::string string(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_string()) fail(path + "." + key, "is not a string");
    return v.get<std::string>();
  }
  double number(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_number()) fail(path + "." + key, "is not a number");
    return v.get<double>();
  }
  std::uint64_t count(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
      fail(path + "." + key, "is not a non-negative integer");
    return v.get<std::uint64_t>();
  }

 private:
  std::string name_;
};

}  // namespace

const char* visibility_name(Visibility v) {
  switch (v) {
    case Visibility::public_values: return "public";
    case Visibility::packed: return "packed";
    case Visibility::hashed: return "hashed";
  }
  return "?";
}

Visibility parse_visibility(const std::string& text, const std::string& what) {
  for (Visibility v : {Visibility::public_values, Visibility::packed, Visibility::hashed})
    if (text == visibility_name(v)) return v;
  throw Error(what + ": '" + text + "' is not a visibility (public, packed or hashed)");
}

std::string settings_to_json(const Settings& s) {
  json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["model"] = {{"file", s.model_file}, {"sha256", s.model_sha256}};
  j["calibration"] = s.calibration;
  j["config"] = {{"activation_bits", s.config.activation_bits},
                 {"weight_bits", s.config.weight_bits},
                 {"input_bits", s.config.input_bits},
                 {"headroom_bits", s.config.headroom_bits}};
  j["rules"] = {
      {"fixed_point", "value = integer * 2^-frac; range [-2^(bits-1), 2^(bits-1)), or [0, 2^(bits-1)) for a nonneg input"},
      {"rounding", "inputs, weights and biases: round to nearest, ties away from zero; rescale and average: "
                   "floor((acc + floor(d/2)) / d), i.e. to nearest, ties toward +infinity"},
      {"saturation", "none: a value outside its range is an error when the witness is made, never clipped"}};
  j["input"] = {{"frac", s.input_frac}, {"bits", s.input_bits}, {"nonneg", s.input_nonneg}};
  json layers = json::array();
  for (const LayerSettings& l : s.layers) {
    json e = {{"name", l.name}, {"kind", l.kind}, {"frac", l.frac}, {"bits", l.bits}};
    if (l.kind == "Dense" || l.kind == "Conv" || l.kind == "Scale" || l.kind == "LeakyRelu" || l.kind == "LayerNorm" || l.kind == "Exp") e["weight_frac"] = l.weight_frac;
    e["calibration_max_abs"] = l.calibration_max_abs;
    layers.push_back(std::move(e));
  }
  j["layers"] = std::move(layers);
  j["visibility"] = {{"input", visibility_name(s.exposure.input)}, {"output", visibility_name(s.exposure.output)}};
  if (s.circuit.constraints) {
    json c = {{"constraints", s.circuit.constraints},
              {"wires", s.circuit.wires},
              {"public_outputs", s.circuit.public_outputs},
              {"public_inputs", s.circuit.public_inputs}};
    json per = json::array();
    for (const auto& l : s.circuit.layers)
      per.push_back({{"name", l.name}, {"ops", l.ops}, {"constraints", l.constraints}, {"outputs", l.outputs}, {"macs", l.macs}});
    c["layers"] = std::move(per);
    j["circuit"] = std::move(c);
  }
  return j.dump(1) + "\n";
}

Settings settings_from_json(const std::string& text, const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(name + ": is not valid JSON (" + e.what() + ")");
  }
  const Reader r(name);
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat)
    throw Error(name + ": is not a zkacc settings file (\"format\": \"" + kFormat + "\" is missing)");
  if (r.integer(j, "$", "version", 0, 1 << 20) != kVersion)
    throw Error(name + ": settings version " + j["version"].dump() + " is not supported (this zkacc reads version " +
                std::to_string(kVersion) + ")");
  Settings s;
  const json& m = r.field(j, "$", "model");
  s.model_file = r.string(m, "model", "file");
  s.model_sha256 = r.string(m, "model", "sha256");
  s.calibration = r.string(j, "$", "calibration");
  const json& c = r.field(j, "$", "config");
  s.config.activation_bits = r.integer(c, "config", "activation_bits", 2, 64);
  s.config.weight_bits = r.integer(c, "config", "weight_bits", 2, 64);
  s.config.input_bits = r.integer(c, "config", "input_bits", 2, 64);
  s.config.headroom_bits = r.integer(c, "config", "headroom_bits", 0, 32);
  const json& in = r.field(j, "$", "input");
  s.input_frac = r.integer(in, "input", "frac", -64, 64);
  s.input_bits = r.integer(in, "input", "bits", 2, 64);
  const json& nn = r.field(in, "input", "nonneg");
  if (!nn.is_boolean()) r.fail("input.nonneg", "is not true or false");
  s.input_nonneg = nn.get<bool>();
  const json& layers = r.field(j, "$", "layers");
  if (!layers.is_array()) r.fail("layers", "is not an array");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string p = "layers[" + std::to_string(i) + "]";
    LayerSettings l;
    l.name = r.string(layers[i], p, "name");
    l.kind = r.string(layers[i], p, "kind");
    l.frac = r.integer(layers[i], p, "frac", -64, 64);
    l.bits = r.integer(layers[i], p, "bits", 2, 64);
    if (l.kind == "Dense" || l.kind == "Conv" || l.kind == "Scale" || l.kind == "LeakyRelu" || l.kind == "LayerNorm" || l.kind == "Exp") l.weight_frac = r.integer(layers[i], p, "weight_frac", -64, 64);
    if (layers[i].contains("calibration_max_abs")) l.calibration_max_abs = r.number(layers[i], p, "calibration_max_abs");
    s.layers.push_back(std::move(l));
  }
  if (j.contains("visibility")) {
    const json& v = j["visibility"];
    s.exposure.input = parse_visibility(r.string(v, "visibility", "input"), name + ": visibility.input");
    s.exposure.output = parse_visibility(r.string(v, "visibility", "output"), name + ": visibility.output");
  }
  if (j.contains("circuit")) {
    const json& cj = j["circuit"];
    s.circuit.constraints = r.count(cj, "circuit", "constraints");
    s.circuit.wires = r.count(cj, "circuit", "wires");
    s.circuit.public_outputs = r.count(cj, "circuit", "public_outputs");
    s.circuit.public_inputs = r.count(cj, "circuit", "public_inputs");
    if (cj.contains("layers") && cj["layers"].is_array())
      for (const auto& e : cj["layers"]) {
        CircuitSummary::Layer l;
        l.name = r.string(e, "circuit.layers[]", "name");
        l.ops = r.string(e, "circuit.layers[]", "ops");
        l.constraints = r.count(e, "circuit.layers[]", "constraints");
        l.outputs = r.count(e, "circuit.layers[]", "outputs");
        l.macs = r.count(e, "circuit.layers[]", "macs");
        s.circuit.layers.push_back(std::move(l));
      }
  }
  return s;
}

Settings read_settings(const std::string& path) {
  return settings_from_json(prover::read_text_file(path), prover::display_name(path));
}

void write_settings(const std::string& path, const Settings& s) { prover::write_file_atomically(path, settings_to_json(s)); }

}  // namespace zkacc::zkml
