// The device layer against the copy kernel's Verilator model: the register
// map the driver writes is the one the RTL decodes, the ap_ctrl_hs handshake
// behaves as XRT expects, and every failure is a RunState or a DeviceError
// with the device's name, never a crash.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/drivers/sim_device.hpp"

using namespace zkacc::drivers;

namespace {

std::vector<std::byte> random_bytes(std::size_t n, std::uint64_t salt) {
  auto rng = zkacc::test::make_rng(salt);
  std::vector<std::byte> v(n);
  for (auto& b : v) b = std::byte(rng() & 0xFF);
  return v;
}

struct CopyRun {
  SimDevice device{copy_kernel_spec()};
  BufferId src, dst;
  explicit CopyRun(std::uint32_t beats) {
    src = device.allocate(beats * kBeatBytes, copy_kernel_spec().arg_index("src"));
    dst = device.allocate(beats * kBeatBytes, copy_kernel_spec().arg_index("dst"));
    device.set_arg(copy_kernel_spec().arg_index("beats"), beats);
    device.set_arg(copy_kernel_spec().arg_index("src"), src);
    device.set_arg(copy_kernel_spec().arg_index("dst"), dst);
  }
};

}  // namespace

TEST_CASE("sim device: arguments land at the register map's offsets", "[drivers]") {
  CopyRun run(5);
  const KernelSpec& spec = copy_kernel_spec();
  CHECK(run.device.read_register(spec.args[spec.arg_index("beats")].offset) == 5);
  const std::uint64_t src = run.device.buffer_address(run.src);
  const std::uint32_t off = spec.args[spec.arg_index("src")].offset;
  CHECK(run.device.read_register(off) == static_cast<std::uint32_t>(src));
  CHECK(run.device.read_register(off + 4) == static_cast<std::uint32_t>(src >> 32));
  CHECK((src >> 32) != 0);  // the high word is really exercised
  CHECK((run.device.read_register(kRegControl) & kControlIdle) != 0);
  CHECK((run.device.read_register(kRegControl) & kControlStart) == 0);
}

TEST_CASE("sim device: a run copies exactly and ap_ctrl_hs completes, twice", "[drivers]") {
  SEED_INFO();
  for (std::uint32_t beats : {1u, 65u, 1000u}) {
    CopyRun run(beats);
    const auto data = random_bytes(beats * kBeatBytes, beats);
    run.device.write(run.src, data);
    for (int round = 0; round < 2; ++round) {
      run_and_wait(run.device, std::chrono::seconds(60));
      std::vector<std::byte> out(data.size());
      run.device.read(run.dst, out);
      CHECK(out == data);
      // Done was acknowledged (clear on read) and the kernel is idle again.
      const std::uint32_t control = run.device.read_register(kRegControl);
      CHECK((control & kControlIdle) != 0);
      CHECK((control & kControlDone) == 0);
      const std::uint64_t cycles = read_status_u64(run.device, "cycles");
      CHECK(cycles >= beats);
      CHECK(cycles < 100 * beats + 1000);
    }
    CHECK(run.device.assertion_failures() == 0);
  }
}

TEST_CASE("sim device: host-side misuse is a DeviceError naming the device", "[drivers]") {
  CopyRun run(4);
  const auto too_big = random_bytes(5 * kBeatBytes, 1);
  CHECK_THROWS_WITH(run.device.write(run.src, too_big), Catch::Contains("sim:zkacc_copy_kernel") && Catch::Contains("past the end"));
  CHECK_THROWS_AS(run.device.set_arg(copy_kernel_spec().arg_index("beats"), run.src), DeviceError);
  CHECK_THROWS_AS(run.device.allocate(64, copy_kernel_spec().arg_index("beats")), DeviceError);
  CHECK_THROWS_WITH(run.device.wait(std::chrono::seconds(1)), Catch::Contains("without start"));
  SimDevice small(copy_kernel_spec(), SimDeviceOptions{1 << 20, 1 << 20});
  CHECK_THROWS_WITH(small.allocate(2 << 20, 1), Catch::Contains("out of simulated card memory"));
}

TEST_CASE("sim device: a kernel that does not finish in its cycle budget times out", "[drivers]") {
  SimDeviceOptions options;
  options.max_cycles = 50;  // far fewer than 2000 beats take
  SimDevice device(copy_kernel_spec(), options);
  const auto src = device.allocate(2000 * kBeatBytes, 1), dst = device.allocate(2000 * kBeatBytes, 2);
  device.set_arg(0, 2000u);
  device.set_arg(1, src);
  device.set_arg(2, dst);
  SECTION("wait() reports the timeout; the kernel is still busy, so a new start is refused") {
    device.start();
    CHECK(device.wait(std::chrono::seconds(60)) == RunState::timeout);
    CHECK_THROWS_WITH(device.start(), Catch::Contains("not idle"));
  }
  SECTION("run_and_wait() turns it into a DeviceError") {
    CHECK_THROWS_WITH(run_and_wait(device, std::chrono::seconds(60)),
                      Catch::Contains("sim:zkacc_copy_kernel") && Catch::Contains("did not finish"));
  }
}

TEST_CASE("sim device: an AXI access outside card memory ends the run in an error", "[drivers]") {
  CopyRun run(8);
  // The source address is made to point past the end of the card memory.
  const std::uint32_t off = copy_kernel_spec().args[copy_kernel_spec().arg_index("src")].offset;
  run.device.write_register(off + 4, 0x7FFF'FFFF);
  run.device.start();
  CHECK(run.device.wait(std::chrono::seconds(60)) == RunState::error);
}

