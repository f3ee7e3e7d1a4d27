// The model input as JSON, the format of models/inputs/*.json (and ezkl's):
//
//   {"input": [[0.0, 0.5, ...]], "input_shape": [1, 1, 28, 28], ...}
//
// "input" (or "input_data") is a list, possibly nested, of numbers in
// row-major order; its total length must be the model input's size. An
// "input_shape", when present, must equal the model's. Other keys are
// ignored (label, float_logits, ...).
#pragma once

#include <string>
#include <vector>
#include <vector>

#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml {

// Throws zkacc::Error naming `name` and the problem: not JSON, no "input",
// a value that is not a number ("input[0][17] is a string"), the wrong count
// or shape.
std::vector<double> input_from_json(const std::string& text, const std::string& name, const Shape& expected);
std::vector<double> read_input_json(const std::string& path, const Shape& expected);

// A calibration set: a JSON file holding one input (an object, as above) or
// a list of inputs (each an object or a possibly nested list of numbers), or
// a directory whose *.json files each hold one input (in name order). Every
// input must have the model input's size: otherwise the error names the file
// and the input's index ("cal.json: input 3: has 783 input values ...").
std::vector<std::vector<double>> read_calibration_set(const std::string& path, const Shape& expected);

}  // namespace zkacc::zkml
