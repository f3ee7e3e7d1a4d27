// libFuzzer target: the model input JSON (zkml::input_from_json) for the
// shapes of the committed MLP and CNN.
#include "fuzz_support.hpp"
#include "zkacc/zkml/input_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(zkacc::fuzz::as_text(data, size));
  for (const zkacc::zkml::Shape& shape : {zkacc::zkml::Shape{1, 784}, zkacc::zkml::Shape{1, 1, 28, 28}}) {
    zkacc::fuzz::expect_value_or_error([&] {
      const std::vector<double> v = zkacc::zkml::input_from_json(text, "input.json", shape);
      zkacc::fuzz::require(v.size() == 784, "as many values as the shape holds");
    });
  }
  return 0;
}
