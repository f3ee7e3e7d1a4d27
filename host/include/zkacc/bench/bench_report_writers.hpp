// bench.json's companions for people: bench.md (the measurements, the
// projected card MSM, the baseline comparison and the kernels' resources as
// Markdown tables) and bench.png (wall time against size, log-log, one panel
// per op and one line per backend and scalar distribution; the gnuplot
// script is kept as bench.gp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zkacc::bench {

void write_bench_markdown(const std::filesystem::path& path, const nlohmann::ordered_json& report);

// "" when bench.png was written, else why not.
std::string write_bench_plot(const std::filesystem::path& dir, const nlohmann::ordered_json& report,
                             const std::vector<std::string>& ops);

}  // namespace zkacc::bench
