#include "zkacc/bench/schema_version.hpp"

#include "zkacc/common/error.hpp"

namespace zkacc::bench {

void require_schema_version(const nlohmann::ordered_json& report, const std::string& path) {
  const auto it = report.find("schema_version");
  if (it == report.end())
    throw Error("bench: " + path + ": no schema_version (a bench.json from before schema version " +
                std::to_string(kBenchSchemaVersion) + "; run the bench again with this zkacc)");
  if (!it->is_number_integer() || it->get<long long>() != kBenchSchemaVersion)
    throw Error("bench: " + path + ": schema_version " + it->dump() + ", but this zkacc reads and writes schema_version " +
                std::to_string(kBenchSchemaVersion) + " (docs/bench_json.md); run the bench again with this zkacc");
}

}  // namespace zkacc::bench
