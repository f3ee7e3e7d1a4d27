// Which card and which kernels a bench on a card ran on: the card as XRT
// lists it, the xclbin's UUID and the platform (shell) it was linked for,
// read from the xclbin's header. Null fields are what the device layer does
// not report (the XRT version).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace zkacc::bench {

// The identifying fields of an xclbin's header (XRT's struct axlf).
struct XclbinHeader {
  std::string uuid;      // 8-4-4-4-12 lowercase hex, as xbutil prints it
  std::string platform;  // the platform's VBNV, e.g. xilinx_u250_gen3x16_xdma_4_1_202210_1
};

// Throws zkacc::Error naming `path` when the file cannot be read, is shorter
// than the header or does not start with "xclbin2".
XclbinHeader read_xclbin_header(const std::string& path);

// {"device_index", "card", "shell", "xclbin", "xclbin_uuid", "xrt_version"}
// for card `device_index` running `xclbin`: "card" as XRT lists the card
// (null when it does not), "shell" the xclbin's platform, "xrt_version" the
// XRT release the device layer was built against (drivers::xrt_release();
// null in a build without XRT).
nlohmann::ordered_json card_identity(unsigned device_index, const std::string& xclbin);

}  // namespace zkacc::bench
