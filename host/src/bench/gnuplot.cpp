#include "zkacc/bench/gnuplot.hpp"

#include <cstdlib>

namespace zkacc::bench {

bool have_gnuplot() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

std::string run_gnuplot(const std::filesystem::path& script, const std::filesystem::path& log) {
  const std::string cmd = "gnuplot '" + script.string() + "' 2>'" + log.string() + "'";
  if (std::system(cmd.c_str()) != 0) return "gnuplot failed (see " + log.filename().string() + ")";
  return "";
}

}  // namespace zkacc::bench
