// The bench's plots: gnuplot run on a script the report wrote. Plots are
// optional (gnuplot may be missing); their absence is reported, not an error.
#pragma once

#include <filesystem>
#include <string>

namespace zkacc::bench {

// Whether gnuplot is on PATH.
bool have_gnuplot();
// gnuplot on `script`, its stderr in `log`: "" when it succeeded, else a
// note naming the log.
std::string run_gnuplot(const std::filesystem::path& script, const std::filesystem::path& log);

}  // namespace zkacc::bench
