// `zkacc info`: what this build is and what it can use on this machine.
#include <cpuid.h>

#include <iostream>
#include <thread>

#include "commands.hpp"
#include "zkacc/build_info.hpp"
#include "zkacc/field/montgomery_x86_64.hpp"
#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/runtime/mpi_engine.hpp"

namespace zkacc::cli {
namespace {

struct CpuFeature {
  const char* name;
  bool compiled_in;  // the compiler was allowed to emit it
  bool present;      // this CPU has it
};

// CPUID leaf 7, sub-leaf 0, EBX bit 19: ADX.
bool cpu_has_adx() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  return (b >> 19) & 1;
}

std::vector<CpuFeature> cpu_features() {
  __builtin_cpu_init();
  return {
#ifdef __BMI2__
      {"bmi2 (mulx)", true, static_cast<bool>(__builtin_cpu_supports("bmi2"))},
#else
      {"bmi2 (mulx)", false, static_cast<bool>(__builtin_cpu_supports("bmi2"))},
#endif
#ifdef __ADX__
      {"adx (adcx/adox)", true, cpu_has_adx()},
#else
      {"adx (adcx/adox)", false, cpu_has_adx()},
#endif
#ifdef __AVX2__
      {"avx2", true, static_cast<bool>(__builtin_cpu_supports("avx2"))},
#else
      {"avx2", false, static_cast<bool>(__builtin_cpu_supports("avx2"))},
#endif
#ifdef __AVX512F__
      {"avx512f", true, static_cast<bool>(__builtin_cpu_supports("avx512f"))},
#else
      {"avx512f", false, static_cast<bool>(__builtin_cpu_supports("avx512f"))},
#endif
  };
}

// Which Montgomery product this build runs here (field_config.hpp).
const char* field_product() {
#if defined(ZKACC_HAVE_MONT_MUL_ADX) && ZKACC_MULX_ADX_MODE == 2
  return "BMI2/ADX (built in)";
#elif defined(ZKACC_HAVE_MONT_MUL_ADX)
  return detail::use_mulx_adx() ? "BMI2/ADX (chosen at run time: this CPU has them)"
                                : "portable (chosen at run time: this CPU lacks BMI2 or ADX)";
#else
  return "portable";
#endif
}

}  // namespace

Action add_info_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Print version, build type, CPU features, compiled-in backends and the devices each driver sees");
  (void)cmd;
  return [] {
    std::cout << "zkacc " << build_info::kVersion << "\n"
              << "build type:   " << build_info::kBuildType << "\n"
              << "compiler:     " << build_info::kCompiler << "\n"
              << "tuned for:    " << (build_info::kNative ? "this machine (-march=native)" : "generic x86-64") << "\n"
              << "threads:      " << std::thread::hardware_concurrency() << " hardware threads\n"
              << "backends:     " << build_info::kBackends << "\n"
              << "mpi:          "
              << (runtime::MpiSession::built_with_mpi() ? runtime::MpiSession::library_version() + " (--mpi)"
                                                         : std::string("not in this build"))
              << "\n"
              << "field product: " << field_product() << "\n"
              << "cpu features: ";
    bool first = true;
    for (const auto& f : cpu_features()) {
      std::cout << (first ? "" : ", ") << f.name << (f.compiled_in ? " [used]" : (f.present ? " [present, unused]" : " [absent]"));
      first = false;
    }
    std::cout << "\ndevices:\n";
    for (const auto& listing : runtime::list_devices()) {
      std::cout << "  " << listing.driver << ": ";
      if (listing.devices.empty()) std::cout << "none";
      for (std::size_t i = 0; i < listing.devices.size(); ++i) std::cout << (i ? "; " : "") << listing.devices[i];
      if (!listing.note.empty()) std::cout << " (" << listing.note << ")";
      std::cout << "\n";
    }
    return 0;
  };
}

}  // namespace zkacc::cli
