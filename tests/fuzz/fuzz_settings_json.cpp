// libFuzzer target: the quantization settings file (zkml::settings_from_json).
// Settings that parse must survive a write and a second read unchanged.
#include "fuzz_support.hpp"
#include "zkacc/zkml/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(zkacc::fuzz::as_text(data, size));
  zkacc::fuzz::expect_value_or_error([&] {
    const zkacc::zkml::Settings s = zkacc::zkml::settings_from_json(text, "settings.json");
    const std::string once = zkacc::zkml::settings_to_json(s);
    zkacc::fuzz::require(zkacc::zkml::settings_to_json(zkacc::zkml::settings_from_json(once, "again")) == once,
                         "settings round trip");
  });
  return 0;
}
