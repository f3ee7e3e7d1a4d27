#include "zkacc/bench/provenance.hpp"

#include "git_commit.hpp"
#include "zkacc/build_info.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/field/field_config.hpp"
#include "zkacc/runtime/device_backend.hpp"

namespace zkacc::bench {

using json = nlohmann::ordered_json;

json git_provenance() {
  return {{"commit", detail::kGitCommit ? json(detail::kGitCommit) : json(nullptr)},
          {"dirty", detail::kGitDirty < 0 ? json(nullptr) : json(detail::kGitDirty == 1)}};
}

namespace {

// How the library was compiled to multiply field elements (field_config.hpp).
const char* field_product_build() {
  switch (ZKACC_MULX_ADX_MODE) {
    case 0: return "portable";
    case 1: return "dispatch";
    default: return "mulx-adx";
  }
}

// What this CPU runs: the BMI2/ADX product only where the build has it and,
// for a dispatching build, the CPU reports BMI2 and ADX.
const char* field_product_in_use() {
#if defined(ZKACC_HAVE_MONT_MUL_ADX)
  return zkacc::detail::use_mulx_adx() ? "mulx-adx" : "portable";
#else
  return "portable";
#endif
}

}  // namespace

json build_provenance() {
  return {{"version", build_info::kVersion},
          {"type", build_info::kBuildType},
          {"compiler", build_info::kCompiler},
          {"native", build_info::kNative},
          {"backends", build_info::kBackends},
          {"field_product", {{"build", field_product_build()}, {"in_use", field_product_in_use()}}}};
}

json kernel_parameters(runtime::Backend& backend) {
  auto* device = dynamic_cast<runtime::DeviceBackend*>(&backend);
  if (!device) return nullptr;
  json msm = nullptr, ntt = nullptr;
  if (const runtime::DeviceMsm* m = device->msm())
    msm = {{"lanes", m->lanes()},
           {"bucket_bits", m->bucket_bits()},
           {"digit_bits", m->digit_bits()},
           {"adder_latency", m->adder_latency()}};
  if (const runtime::DeviceNtt* n = device->ntt_engine())
    ntt = {{"log_max_n", n->log_max_size()}, {"butterfly_latency", n->butterfly_latency()}};
  return {{"msm", msm}, {"ntt", ntt}};
}

}  // namespace zkacc::bench
