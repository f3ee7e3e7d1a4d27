// libFuzzer target: the ONNX importer (zkml::import_onnx_bytes): protobuf
// decoding, op and attribute checks, shape inference, BatchNorm folding.
#include "fuzz_support.hpp"
#include "zkacc/zkml/onnx_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  zkacc::fuzz::expect_value_or_error([&] {
    const zkacc::zkml::Graph g = zkacc::zkml::import_onnx_bytes(zkacc::fuzz::as_text(data, size), "model.onnx");
    zkacc::fuzz::require(!g.layers.empty(), "an imported graph has a layer");
  });
  return 0;
}
