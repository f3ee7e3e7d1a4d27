#include "zkacc/zkml/input_json.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/snarkjs_json.hpp"

namespace zkacc::zkml {

namespace {

void flatten(const nlohmann::json& j, const std::string& path, const std::string& name, std::vector<double>& out,
             std::size_t limit) {
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) flatten(j[i], path + "[" + std::to_string(i) + "]", name, out, limit);
    return;
  }
  if (!j.is_number()) throw Error(name + ": " + path + " is " + (j.is_string() ? "a string" : j.is_null() ? "null" : j.is_boolean() ? "a boolean" : "an object") + ", not a number");
  const double v = j.get<double>();
  if (!std::isfinite(v)) throw Error(name + ": " + path + " is not a finite number");
  if (out.size() >= limit) throw Error(name + ": has more input values than the model's input takes (" + std::to_string(limit) + ")");
  out.push_back(v);
}

}  // namespace

std::vector<double> input_from_json(const std::string& text, const std::string& name, const Shape& expected) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(name + ": is not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw Error(name + ": is not a JSON object with an \"input\" list");
  const char* key = j.contains("input") ? "input" : j.contains("input_data") ? "input_data" : nullptr;
  if (!key) throw Error(name + ": has no \"input\" list");
  if (!j[key].is_array()) throw Error(name + ": \"" + key + "\" is not a list");
  const std::int64_t n = shape_size(expected);
  if (j.contains("input_shape")) {
    const auto& s = j["input_shape"];
    Shape got;
    bool ok = s.is_array();
    if (ok)
      for (const auto& d : s) {
        if (!d.is_number_integer()) {
          ok = false;
          break;
        }
        got.push_back(d.get<std::int64_t>());
      }
    if (!ok) throw Error(name + ": \"input_shape\" is not a list of integers");
    if (got != expected)
      throw Error(name + ": \"input_shape\" is " + shape_str(got) + ", the model's input is " + shape_str(expected));
  }
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n));
  flatten(j[key], key, name, out, static_cast<std::size_t>(n));
  if (static_cast<std::int64_t>(out.size()) != n)
    throw Error(name + ": has " + std::to_string(out.size()) + " input values, the model's input " + shape_str(expected) +
                " takes " + std::to_string(n));
  return out;
}

std::vector<double> read_input_json(const std::string& path, const Shape& expected) {
  return input_from_json(prover::read_text_file(path), prover::display_name(path), expected);
}

std::vector<std::vector<double>> read_calibration_set(const std::string& path, const Shape& expected) {
  const std::string name = prover::display_name(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(path, ec))
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    if (ec) throw Error(name + ": cannot list the directory (" + ec.message() + ")");
    std::sort(files.begin(), files.end());
    if (files.empty()) throw Error(name + ": the calibration directory holds no .json input");
    std::vector<std::vector<double>> set;
    for (const std::string& f : files) set.push_back(read_input_json(f, expected));
    return set;
  }
  const std::string text = prover::read_text_file(path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(name + ": is not valid JSON (" + e.what() + ")");
  }
  if (!j.is_array()) return {input_from_json(text, name, expected)};
  if (j.empty()) throw Error(name + ": the calibration list is empty");
  const auto n = static_cast<std::size_t>(shape_size(expected));
  std::vector<std::vector<double>> set;
  for (std::size_t k = 0; k < j.size(); ++k) {
    const std::string item = name + ": input " + std::to_string(k);
    if (j[k].is_object()) {
      set.push_back(input_from_json(j[k].dump(), item, expected));
      continue;
    }
    if (!j[k].is_array()) throw Error(item + " is neither a list of numbers nor an object with an \"input\" list");
    std::vector<double> x;
    x.reserve(n);
    std::string path = "[";  // built stepwise: GCC 12 warns falsely (-Wrestrict) on "[" + s + "]"
    path += std::to_string(k);
    path += ']';
    flatten(j[k], path, name, x, n);
    if (x.size() != n)
      throw Error(item + ": has " + std::to_string(x.size()) + " input values, the model's input " + shape_str(expected) +
                  " takes " + std::to_string(n));
    set.push_back(std::move(x));
  }
  return set;
}

}  // namespace zkacc::zkml
