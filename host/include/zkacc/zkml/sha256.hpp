// SHA-256 (FIPS 180-4), to tie a settings.json to the exact ONNX file it was
// made for (models/<name>.json records the same digest).
#pragma once

#include <span>
#include <string>

namespace zkacc::zkml {

std::string sha256_hex(std::span<const unsigned char> data);
// Digest of a file's bytes; throws zkacc::Error naming the file if it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace zkacc::zkml
