// settings.json: every choice the quantizer made, so that the same model and
// settings always give the same circuit, and a witness made later (or on
// another machine) fits the circuit compiled earlier.
//
// Fixed point: a tensor with `frac` fractional bits stores x as the integer
// round(x·2^frac); its `bits` give the signed range [-2^(bits-1), 2^(bits-1)).
// Weights of Dense/Conv layers have their own `weight_frac`; a layer's
// accumulator has frac = input frac + weight frac and is rescaled to the
// output frac with rounding. Rounding and saturation rules are in
// docs/zkml.md and in the file itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zkacc::zkml {

// The knobs of the quantizer (zkacc compile --activation-bits ...).
struct QuantConfig {
  int activation_bits = 12;  // signed width of every tensor the circuit computes
  int weight_bits = 10;      // signed width of weights
  int input_bits = 8;        // signed width of the model input (a non-negative input is checked on bits - 1)
  int headroom_bits = 2;     // bits left free above the calibration input's largest value
};

struct LayerSettings {
  std::string name;          // the layer's name (graph.hpp), checked against the model
  std::string kind;          // layer_kind_name(), checked against the model
  int frac = 0;              // output scale: value = integer · 2^-frac
  int bits = 0;              // output range [-2^(bits-1), 2^(bits-1))
  int weight_frac = 0;       // Dense/Conv: weight scale
  double calibration_max_abs = 0;  // informational: largest |value| seen while calibrating (before a fused Relu)
};

// What compile measured; the witness command checks the rebuilt circuit against it.
struct CircuitSummary {
  std::uint64_t constraints = 0, wires = 0, public_outputs = 0, public_inputs = 0;
  struct Layer {
    std::string name, ops;
    std::uint64_t constraints = 0, outputs = 0, macs = 0;
  };
  std::vector<Layer> layers;  // "input" first: its range checks
};

// How the circuit shows the model's input and output to the verifier
// (settings.json "visibility"; zkml/commitment.hpp has the encodings):
//   public   every value is a public input (negative v as r − |v|)
//   packed   the values, offset into [0, 2^B), packed floor(253 / B) to a
//            field element: ⌈n·B / 253⌉ public inputs instead of n
//   hashed   one public input, the Poseidon commitment of the packed
//            elements; the values are private witnesses
// The Groth16 verifier pays per public input (about 7 k gas each on
// Ethereum), so a model's 784 input pixels cost more as public inputs than
// the whole pairing check; the hash costs ~600 constraints per 16 elements.
enum class Visibility { public_values, packed, hashed };
const char* visibility_name(Visibility v);  // "public", "packed", "hashed"
// Throws zkacc::Error naming `what` for anything else.
Visibility parse_visibility(const std::string& text, const std::string& what);

struct Exposure {
  Visibility input = Visibility::public_values;
  Visibility output = Visibility::public_values;
  bool operator==(const Exposure&) const = default;
};

struct Settings {
  std::string model_file;     // informational
  std::string model_sha256;   // of the ONNX file: a settings file is only valid for that model
  std::string calibration;    // what the scales were chosen from (a file name, or "settings")
  QuantConfig config;
  int input_frac = 0, input_bits = 0;
  // The input is ≥ 0 (the calibration input had no negative value): its range
  // is [0, 2^(bits-1)) and its range check one bit shorter.
  bool input_nonneg = false;
  std::vector<LayerSettings> layers;  // one per graph layer, in order
  Exposure exposure;          // "visibility"; absent in files before it existed: both public
  CircuitSummary circuit;     // empty until compiled
};

std::string settings_to_json(const Settings& s);
// `name` is used in messages ("settings.json: layers[2].frac is missing").
Settings settings_from_json(const std::string& text, const std::string& name);
Settings read_settings(const std::string& path);
void write_settings(const std::string& path, const Settings& s);

}  // namespace zkacc::zkml
