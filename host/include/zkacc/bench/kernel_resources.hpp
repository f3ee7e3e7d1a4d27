// The kernels' synthesis results (hw/synth/resources.csv: one row per
// kernel build, the first line naming the columns), as bench.json carries
// them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace zkacc::bench {

// One object per row, every value a string as the CSV has it; an empty array
// when the file is missing (a build without the hardware tree).
nlohmann::ordered_json read_kernel_resources(const std::string& csv_path);

}  // namespace zkacc::bench
