// What a bench.json's numbers were measured with, so that two runs can be
// told apart before they are compared: the source (git commit), the build
// (type, compiler, -march=native or portable, which field product the
// Montgomery multiplication uses) and the kernels' parameters as the
// devices report them from their registers.
#pragma once

#include <nlohmann/json.hpp>

#include "zkacc/runtime/backend.hpp"

namespace zkacc::bench {

// {"commit": the 40-hex commit the build was made from, "dirty": whether
// tracked files differed from it}; both null when the source was not a git
// checkout (a release tarball). Taken at build time, each build.
nlohmann::ordered_json git_provenance();

// The build: version, type, compiler, native, backends (as bench.json has
// always carried them) and field_product {"build": "portable", "dispatch" or
// "mulx-adx" (how the library was compiled: ZKACC_MULX_ADX), "in_use":
// "mulx-adx" or "portable" (what this CPU runs)}.
nlohmann::ordered_json build_provenance();

// A device backend's kernels as their registers describe them:
//   {"msm": {"lanes", "bucket_bits", "digit_bits", "adder_latency"} or null,
//    "ntt": {"log_max_n", "butterfly_latency"} or null}
// (null: that kernel was not opened). Null for a backend that is no device.
nlohmann::ordered_json kernel_parameters(runtime::Backend& backend);

}  // namespace zkacc::bench
