#include "zkacc/bench/card_identity.hpp"

#include <cstdio>
#include <fstream>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/runtime/backend_factory.hpp"

#if ZKACC_HAVE_XRT
#include "zkacc/drivers/xrt_device.hpp"
#endif

namespace zkacc::bench {

namespace {

// Offsets in XRT's struct axlf (xrt/xclbin.h): the 8-byte magic, the
// signature length and 28 reserved bytes, the 256-byte key block and the
// 8-byte unique id put the axlf_header at 304; in it the platform's VBNV
// (64 bytes, NUL-terminated) is at 48 and the xclbin's UUID (16 bytes) at
// 112, after the interface UUID.
constexpr std::size_t kPlatformOffset = 352, kPlatformBytes = 64;
constexpr std::size_t kUuidOffset = 416, kUuidBytes = 16;

std::string uuid_text(const unsigned char* b) {
  std::string s;
  char hex[3];
  for (std::size_t i = 0; i < kUuidBytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    std::snprintf(hex, sizeof hex, "%02x", b[i]);
    s += hex;
  }
  return s;
}

}  // namespace

XclbinHeader read_xclbin_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("bench: " + path + ": cannot open the xclbin");
  std::vector<unsigned char> head(kUuidOffset + kUuidBytes);
  in.read(reinterpret_cast<char*>(head.data()), std::streamsize(head.size()));
  if (std::size_t(in.gcount()) < head.size())
    throw Error("bench: " + path + ": shorter than an xclbin header (" + std::to_string(in.gcount()) + " bytes)");
  if (std::string(reinterpret_cast<const char*>(head.data()), 8) != std::string("xclbin2\0", 8))
    throw Error("bench: " + path + ": not an xclbin (no \"xclbin2\" magic)");
  const char* platform = reinterpret_cast<const char*>(head.data() + kPlatformOffset);
  std::size_t len = 0;
  while (len < kPlatformBytes && platform[len] != '\0') ++len;
  return {uuid_text(head.data() + kUuidOffset), std::string(platform, len)};
}

nlohmann::ordered_json card_identity(unsigned device_index, const std::string& xclbin) {
  nlohmann::ordered_json card = nullptr;
  const std::string prefix = std::to_string(device_index) + ": ";
  for (const auto& listing : runtime::list_devices())
    if (listing.driver == "xrt")
      for (const auto& d : listing.devices)
        if (d.rfind(prefix, 0) == 0) card = d.substr(prefix.size());
  const XclbinHeader header = read_xclbin_header(xclbin);
  return {{"device_index", device_index},
          {"card", card},
          {"shell", header.platform.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(header.platform)},
          {"xclbin", xclbin},
          {"xclbin_uuid", header.uuid},
#if ZKACC_HAVE_XRT
          {"xrt_version", drivers::xrt_release()}};
#else
          {"xrt_version", nullptr}};
#endif
}

}  // namespace zkacc::bench
