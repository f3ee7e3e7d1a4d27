// What one of the suite's reports returns: its JSON (also written to its own
// files), whether every result passed its check, and the summary for people
// that the caller prints.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace zkacc::bench {

struct ReportResult {
  nlohmann::ordered_json json;
  bool ok = true;        // false when any result failed its check
  std::string summary;   // a few lines, newline-terminated
};

}  // namespace zkacc::bench
