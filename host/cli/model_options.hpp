// Options and steps shared by the model commands (compile, witness,
// prove-model): the flags that choose the quantization settings (the choice
// itself is zkml::resolve_settings), where outputs go, and the circuit
// summary they print.
#pragma once

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "zkacc/bench/format.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::cli {

// The flags of zkml::SettingsRequest (pipeline.hpp), how the model
// commands choose the quantization.
inline void add_model_options(CLI::App* cmd, zkml::SettingsRequest& o) {
  auto* s = cmd->add_option("--settings", o.settings, "Reuse the quantization of this settings.json (the same circuit)");
  auto* c = cmd->add_option("--calibration", o.calibration,
                            "Choose the fixed-point scales from this input JSON, a JSON list of inputs, or a directory "
                            "of input JSON files");
  s->excludes(c);
  cmd->add_option("--calibration-statistic", o.statistic,
                  "The range each tensor is scaled for: max (default) or a percentile of |values| such as p99.99")
      ->capture_default_str()
      ->excludes(s);
  for (auto [name, field, help] : {
           std::tuple{"--activation-bits", &o.config.activation_bits, "Signed bits of every computed tensor"},
           std::tuple{"--weight-bits", &o.config.weight_bits, "Signed bits of the weights"},
           std::tuple{"--input-bits", &o.config.input_bits, "Signed bits of the model input"},
           std::tuple{"--headroom-bits", &o.config.headroom_bits, "Bits kept free above the calibration range"}}) {
    cmd->add_option(name, *field, help)->capture_default_str()->excludes(s);
  }
  const char* visibility_help =
      ": public (every value a public input), packed (values packed floor(253/B) to a public field element) or hashed "
      "(one public input, the values' Poseidon commitment; circomlibjs computes the same). Default: the settings', "
      "public for new settings";
  cmd->add_option("--input-visibility", o.input_visibility, std::string("How the proof shows the model input") + visibility_help)
      ->check(CLI::IsMember({"public", "packed", "hashed"}));
  cmd->add_option("--output-visibility", o.output_visibility, std::string("How the proof shows the model output") + visibility_help)
      ->check(CLI::IsMember({"public", "packed", "hashed"}));
}

inline void make_output_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(dir + ": cannot create the output directory (" + ec.message() + ")");
}

inline std::string out_path(const std::string& dir, const char* file) { return (std::filesystem::path(dir) / file).string(); }

using bench::with_commas;  // 1,234,567 (zkacc/bench/format.hpp)

inline void print_circuit_summary(std::ostream& out, const zkml::CircuitSummary& c) {
  int name_w = 8, ops_w = 6;
  for (const auto& l : c.layers) {
    name_w = std::max(name_w, static_cast<int>(l.name.size()) + 2);
    ops_w = std::max(ops_w, static_cast<int>(l.ops.size()) + 2);
  }
  out << std::left << std::setw(name_w) << "layer" << std::setw(ops_w) << "ops" << std::right << std::setw(12) << "constraints"
      << std::setw(10) << "outputs" << std::setw(10) << "MACs" << std::setw(14) << "per output" << "\n";
  for (const auto& l : c.layers) {
    out << std::left << std::setw(name_w) << l.name << std::setw(ops_w) << l.ops << std::right << std::setw(12)
        << with_commas(l.constraints) << std::setw(10) << with_commas(l.outputs) << std::setw(10) << with_commas(l.macs)
        << std::setw(14) << std::fixed << std::setprecision(1)
        << (l.outputs ? double(l.constraints) / double(l.outputs) : 0.0) << "\n";
  }
  out << "total: " << with_commas(c.constraints) << " constraints, " << with_commas(c.wires) << " wires, "
      << c.public_outputs << " public outputs, " << c.public_inputs << " public inputs\n";
}

inline void print_output(std::ostream& out, const zkml::Inference& inf, const std::string& dropped_head) {
  out << "output (" << (dropped_head.empty() ? "the model's output" : "logits before the model's " + dropped_head)
      << ", dequantized):";
  out << std::fixed << std::setprecision(4);
  for (double v : inf.output) out << " " << v;
  out << "\nargmax: " << inf.argmax << "\n";
}

}  // namespace zkacc::cli
