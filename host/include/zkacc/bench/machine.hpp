// Where and when a bench ran: the CPU's model name (/proc/cpuinfo) and the
// time now as ISO 8601 UTC.
#pragma once

#include <string>

namespace zkacc::bench {

std::string cpu_model_name();
std::string utc_timestamp();

}  // namespace zkacc::bench
