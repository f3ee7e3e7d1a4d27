// The version of bench.json's layout (bench/bench.schema.json,
// docs/bench_json.md). It changes when a field is removed or renamed or its
// meaning or unit changes; new fields keep it. A reader compares
// measurements only between files of the version it knows.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace zkacc::bench {

inline constexpr int kBenchSchemaVersion = 1;

// Throws zkacc::Error naming `path` when `report` has no schema_version or
// another one than kBenchSchemaVersion.
void require_schema_version(const nlohmann::ordered_json& report, const std::string& path);

}  // namespace zkacc::bench
