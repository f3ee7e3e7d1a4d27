// The kernels' register maps: the driver's KernelSpec, the Vitis kernel.xml
// files in hw/vitis and the ap_ctrl_hs layout agree.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "zkacc/drivers/kernel_spec.hpp"

using namespace zkacc::drivers;

TEST_CASE("kernel specs: offsets follow the ap_ctrl_hs layout", "[drivers]") {
  for (const KernelSpec* spec : {&copy_kernel_spec(), &msm_kernel_spec(), &ntt_kernel_spec()}) {
    INFO(spec->name);
    std::uint32_t next = 0x10;
    for (const KernelArg& a : spec->args) {
      CHECK(a.offset == next);  // arguments packed from 0x10, buffers take two words
      next += a.kind == ArgKind::buffer ? 8 : 4;
    }
    for (const KernelStatus& s : spec->status) {
      CHECK(s.offset == next);  // status registers follow the arguments
      next += 4;
    }
    CHECK(&kernel_spec(spec->name) == spec);
  }
  CHECK_THROWS_WITH(kernel_spec("nope"), Catch::Contains("unknown kernel"));
}

TEST_CASE("kernel specs: hw/vitis kernel.xml files list the same arguments", "[drivers]") {
  for (const KernelSpec* spec : {&msm_kernel_spec(), &ntt_kernel_spec()}) {
    const std::string path = std::string(ZKACC_SOURCE_DIR) + "/hw/vitis/" + spec->name + ".xml";
    INFO(path);
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string xml = ss.str();
    CHECK(xml.find("kernel name=\"" + spec->name + "\"") != std::string::npos);
    CHECK(xml.find("hwControlProtocol=\"ap_ctrl_hs\"") != std::string::npos);
    const std::regex arg_re(R"re(<arg name="([a-z_0-9]+)" addressQualifier="(\d)" id="(\d+)" port="([a-z_]+)" size="(0x[0-9A-Fa-f]+)" offset="(0x[0-9A-Fa-f]+)")re");
    std::size_t count = 0;
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), arg_re); it != std::sregex_iterator(); ++it, ++count) {
      const auto& m = *it;
      const std::size_t id = std::stoul(m[3]);
      REQUIRE(id < spec->args.size());
      const KernelArg& a = spec->args[id];
      CHECK(m[1] == a.name);
      CHECK(std::stoul(m[6], nullptr, 16) == a.offset);
      const bool buffer = a.kind == ArgKind::buffer;
      CHECK(m[2] == std::string(buffer ? "1" : "0"));
      CHECK(std::stoul(m[5], nullptr, 16) == (buffer ? 8u : 4u));
      CHECK((m[4] == std::string("s_axi_control")) == !buffer);
    }
    CHECK(count == spec->args.size());
  }
}
