// XrtDevice on a machine without a card: every way of failing is a clear
// DeviceError (which device index, which file, what XRT said), not a crash.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/drivers/xrt_device.hpp"

using namespace zkacc::drivers;

TEST_CASE("xrt device: a missing xclbin is named", "[drivers]") {
  CHECK_THROWS_WITH(XrtDevice(0, "/nonexistent/zkacc.xclbin", msm_kernel_spec()),
                    Catch::Contains("/nonexistent/zkacc.xclbin") && Catch::Contains("no such xclbin"));
  CHECK_THROWS_WITH(XrtDevice(0, "", msm_kernel_spec()), Catch::Contains("no xclbin given"));
}

TEST_CASE("xrt device: no card gives the device index and XRT's reason", "[drivers]") {
  const auto path = std::filesystem::temp_directory_path() / "zkacc_test_empty.xclbin";
  std::ofstream(path) << "not an xclbin";
  try {
    XrtDevice device(3, path.string(), msm_kernel_spec());
    FAIL("opening device 3 succeeded on a machine without cards");
  } catch (const DeviceError& e) {
    const std::string what = e.what();
    INFO(what);
    // Either no device 3 (with XRT set up) or XRT not set up at all: both
    // say which device, and the message carries XRT's own words.
    const bool names_device = what.find("device 3") != std::string::npos;
    CHECK(names_device);
    CHECK(what.size() > std::string("xrt: cannot open device 3: ").size());
  }
  std::filesystem::remove(path);
}

TEST_CASE("xrt device: the device listing explains an empty list", "[drivers]") {
  const DeviceListing listing = list_xrt_devices();
  CHECK(listing.driver == "xrt");
  if (listing.devices.empty()) CHECK_FALSE(listing.note.empty());
}

TEST_CASE("xrt device: the XRT release it was built against", "[drivers]") {
  const std::string release = xrt_release();
  INFO(release);
  // Debian's libxrt-dev: "2.13.0"; any release is numbers and dots.
  CHECK(!release.empty());
  CHECK(release.find_first_not_of("0123456789.") == std::string::npos);
  CHECK(release.find('.') != std::string::npos);
}
