// The device layer against the copy kernel's Verilator model: the register
// map the driver writes is the one the RTL decodes, the ap_ctrl_hs handshake
// behaves as XRT expects, and every failure is a RunState or a DeviceError
// with the device's name, never a crash.
#include <catch2/catch.hpp>

#include <cstring>
#include <set>
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
  SECTION("wait() reports the timeout; the kernel is left busy, and the next start resets it first") {
    device.start();
    CHECK(device.wait(std::chrono::seconds(60)) == RunState::timeout);
    CHECK((device.read_register(kRegControl) & kControlIdle) == 0);  // still mid-run
    const std::uint64_t before = device.model_cycles();
    device.start();  // not refused: reset, arguments written again, started
    CHECK(device.model_cycles() - before >= 16);  // ap_rst_n held low
    CHECK(device.wait(std::chrono::seconds(60)) == RunState::timeout);
  }
  SECTION("run_and_wait() turns it into a DeviceError") {
    CHECK_THROWS_WITH(run_and_wait(device, std::chrono::seconds(60)),
                      Catch::Contains("sim:zkacc_copy_kernel") && Catch::Contains("timed out") &&
                          Catch::Contains("did not finish"));
  }
}

TEST_CASE("sim device: an AXI access outside card memory ends the run in an error, the next run is clean",
          "[drivers]") {
  CopyRun run(8);
  const auto data = random_bytes(8 * kBeatBytes, 5);
  run.device.write(run.src, data);
  // The source address is made to point past the end of the card memory
  // (behind the driver's back: the reset writes the arguments as set).
  const std::uint32_t off = copy_kernel_spec().args[copy_kernel_spec().arg_index("src")].offset;
  run.device.write_register(off + 4, 0x7FFF'FFFF);
  run.device.start();
  CHECK(run.device.wait(std::chrono::seconds(60)) == RunState::error);
  run_and_wait(run.device, std::chrono::seconds(60));
  std::vector<std::byte> out(data.size());
  run.device.read(run.dst, out);
  CHECK(out == data);
  CHECK(run.device.assertion_failures() == 0);
}

// Fault injection (test-only) against the copy kernel: each fault does what
// it says, counts, stops after `count`, and leaves the device usable.
namespace {

// The 8-byte words in which two buffers differ.
std::vector<std::size_t> differing_words(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
  std::vector<std::size_t> words;
  for (std::size_t w = 0; w * 8 < a.size(); ++w)
    if (std::memcmp(&a[w * 8], &b[w * 8], 8) != 0) words.push_back(w);
  return words;
}

}  // namespace

TEST_CASE("sim device fault: corrupt_result flips bits in one word the kernel wrote", "[drivers][fault]") {
  SEED_INFO();
  const std::uint32_t beats = 100;
  CopyRun run(beats);
  const auto data = random_bytes(beats * kBeatBytes, 7);
  run.device.write(run.src, data);
  run.device.inject_fault({SimFault::Kind::corrupt_result, 1, 2, zkacc::test::test_seed()});
  std::set<std::size_t> hit;
  for (int round = 0; round < 4; ++round) {
    INFO("run " << round);
    run_and_wait(run.device, std::chrono::seconds(60));
    std::vector<std::byte> out(data.size()), src(data.size());
    run.device.read(run.dst, out);
    run.device.read(run.src, src);
    CHECK(src == data);  // only what the kernel wrote is touched
    const auto words = differing_words(out, data);
    if (round == 1 || round == 2) {  // after = 1, count = 2
      REQUIRE(words.size() == 1);
      hit.insert(words[0]);
    } else {
      CHECK(words.empty());
    }
  }
  CHECK(hit.size() == 2);  // two different words, from the seeded stream
  CHECK(run.device.faults_fired() == 2);
}

TEST_CASE("sim device fault: never_done hides completion until the wait times out", "[drivers][fault]") {
  CopyRun run(16);
  const auto data = random_bytes(16 * kBeatBytes, 8);
  run.device.write(run.src, data);
  run.device.inject_fault({SimFault::Kind::never_done, 0, 1, 1});
  const auto t0 = std::chrono::steady_clock::now();
  run.device.start();
  CHECK(run.device.wait(std::chrono::milliseconds(300)) == RunState::timeout);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(300));
  CHECK(run.device.faults_fired() == 1);
  // The next run starts from a reset kernel with the same arguments.
  run.device.write(run.dst, std::vector<std::byte>(data.size()));
  run_and_wait(run.device, std::chrono::seconds(60));
  std::vector<std::byte> out(data.size());
  run.device.read(run.dst, out);
  CHECK(out == data);
  CHECK(run.device.faults_fired() == 1);
  CHECK(run.device.assertion_failures() == 0);
}

TEST_CASE("sim device fault: early_done signals completion with the results incomplete", "[drivers][fault]") {
  const std::uint32_t beats = 2000;  // far more cycles than the early done waits
  CopyRun run(beats);
  const auto data = random_bytes(beats * kBeatBytes, 9);
  run.device.write(run.src, data);
  run.device.inject_fault({SimFault::Kind::early_done, 0, 1, 1, 500});
  const std::uint64_t before = run.device.model_cycles();
  run_and_wait(run.device, std::chrono::seconds(60));  // "completed"
  const std::uint64_t cycles = run.device.model_cycles() - before;  // 500 and the register accesses of start()
  CHECK(cycles >= 500);
  CHECK(cycles < 550);
  CHECK(run.device.faults_fired() == 1);
  std::vector<std::byte> out(data.size());
  run.device.read(run.dst, out);
  const auto words = differing_words(out, data);
  CHECK(words.size() > data.size() / 16);  // most of the copy never happened
  // Reset before the next run, which completes.
  run_and_wait(run.device, std::chrono::seconds(60));
  run.device.read(run.dst, out);
  CHECK(out == data);
  // A kernel that finishes before the early done is not cut short.
  CopyRun quick(1);
  quick.device.inject_fault({SimFault::Kind::early_done, 0, 1, 1, 100'000});
  run_and_wait(quick.device, std::chrono::seconds(60));
  CHECK(quick.device.faults_fired() == 0);
  CHECK(run.device.assertion_failures() == 0);
}

TEST_CASE("sim device fault: fail_allocation throws a DeviceError naming the device", "[drivers][fault]") {
  SimDevice device(copy_kernel_spec());
  const std::size_t src = copy_kernel_spec().arg_index("src");
  device.inject_fault({SimFault::Kind::fail_allocation, 1, 2, 1});
  CHECK_NOTHROW(device.allocate(4096, src));
  for (int i = 0; i < 2; ++i)
    CHECK_THROWS_WITH(device.allocate(4096, src), Catch::Contains("sim:zkacc_copy_kernel") &&
                                                      Catch::Contains("could not allocate 4096 bytes") &&
                                                      Catch::Contains("'src'") && Catch::Contains("injected"));
  CHECK_NOTHROW(device.allocate(4096, src));
  CHECK(device.faults_fired() == 2);
  device.inject_fault({SimFault::Kind::fail_allocation, 0, SimFault::kAlways, 1});
  for (int i = 0; i < 5; ++i) CHECK_THROWS_AS(device.allocate(64, src), DeviceError);
  CHECK(device.faults_fired() == 7);
  device.inject_fault({});  // Kind::none: faults off
  CHECK_NOTHROW(device.allocate(64, src));
  CHECK(device.faults_fired() == 7);
}


TEST_CASE("sim device: sub-buffers as arguments, and writes beside a running kernel", "[drivers]") {
  // The copy kernel on the middle 300 beats of 1000: the kernel sees the
  // sub-buffers' addresses, reads and writes count from their first byte.
  // While it runs, the host may write memory no argument covers (the rest
  // of the source buffer) but not the argument's own.
  SEED_INFO();
  SimDevice device(copy_kernel_spec());
  const KernelSpec& spec = copy_kernel_spec();
  const BufferId src = device.allocate(1000 * kBeatBytes, spec.arg_index("src"));
  const BufferId dst = device.allocate(1000 * kBeatBytes, spec.arg_index("dst"));
  const BufferId src_part = sub_buffer(src, 400 * kBeatBytes, 300 * kBeatBytes);
  const BufferId dst_part = sub_buffer(dst, 100 * kBeatBytes, 300 * kBeatBytes);
  CHECK(device.buffer_address(src_part) == device.buffer_address(src) + 400 * kBeatBytes);
  CHECK_THROWS_AS(sub_buffer(src, 900 * kBeatBytes, 101 * kBeatBytes), DeviceError);
  const auto all = random_bytes(1000 * kBeatBytes, 7);
  device.write(src, all);
  device.set_arg(spec.arg_index("beats"), 300u);
  device.set_arg(spec.arg_index("src"), src_part);
  device.set_arg(spec.arg_index("dst"), dst_part);
  device.start();
  const auto fresh = random_bytes(400 * kBeatBytes, 8);
  device.write(src, fresh);  // beats 0..399 of src: outside the run's arguments
  CHECK_THROWS_WITH(device.write(src, fresh, 401 * kBeatBytes),
                    Catch::Contains("argument 'src'") && Catch::Contains("running"));
  CHECK_THROWS_WITH(device.write(dst_part, std::span(fresh).first(10 * kBeatBytes), 290 * kBeatBytes),
                    Catch::Contains("argument 'dst'"));
  CHECK_THROWS_AS(device.read(src, std::span<std::byte>()), DeviceError);
  CHECK(device.wait(std::chrono::seconds(60)) == RunState::completed);
  std::vector<std::byte> out(300 * kBeatBytes), expect(all.begin() + 400 * kBeatBytes, all.begin() + 700 * kBeatBytes);
  device.read(dst_part, out);
  CHECK(out == expect);
  std::vector<std::byte> head(400 * kBeatBytes);
  device.read(src, head);
  CHECK(head == fresh);
  CHECK(device.assertion_failures() == 0);
}
