#include "zkacc/bench/kernel_resources.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace zkacc::bench {

nlohmann::ordered_json read_kernel_resources(const std::string& csv_path) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::ifstream in(csv_path);
  if (!in) return rows;
  std::string line, header;
  std::getline(in, header);
  std::vector<std::string> names;
  std::stringstream hs(header);
  for (std::string f; std::getline(hs, f, ',');) names.push_back(f);
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ls(line);
    nlohmann::ordered_json row;
    std::size_t k = 0;
    for (std::string f; std::getline(ls, f, ',') && k < names.size(); ++k) row[names[k]] = f;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace zkacc::bench
