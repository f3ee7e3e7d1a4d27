// The host halves read the kernels' own error bits (the config status
// register, docs/kernel_msm.md and docs/kernel_ntt.md) after every run and
// turn them into a DeviceError that names them, before any counter or
// result of the run is believed. A stand-in Device completes every run and
// reports chosen error bits.
#include <catch2/catch.hpp>

#include "zkacc/drivers/device.hpp"
#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/runtime/device_msm.hpp"
#include "zkacc/runtime/device_ntt.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

// Completes every run at once; its config register holds `config`.
class ErrorBitsDevice final : public drivers::Device {
 public:
  ErrorBitsDevice(const drivers::KernelSpec& spec, std::uint32_t config) : spec_(spec), config_(config) {}
  std::string name() const override { return "test:" + spec_.name; }
  const drivers::KernelSpec& kernel() const override { return spec_; }
  drivers::BufferId allocate(std::uint64_t bytes, std::size_t) override { return {next_++, bytes}; }
  void write(const drivers::BufferId&, std::span<const std::byte>, std::uint64_t) override {}
  void read(const drivers::BufferId&, std::span<std::byte> data, std::uint64_t) override {
    std::fill(data.begin(), data.end(), std::byte{0});
  }
  void set_arg(std::size_t, std::uint32_t) override {}
  void set_arg(std::size_t, const drivers::BufferId&) override {}
  void start() override { ++runs_; }
  drivers::RunState wait(std::chrono::milliseconds) override { return drivers::RunState::completed; }
  std::uint32_t read_status(std::size_t index) override {
    // Before the first run the error bits are clear, as after reset.
    return spec_.status.at(index).name == "config" ? (runs_ ? config_ : config_ & 0xFFFFFF) : 0;
  }

 private:
  const drivers::KernelSpec& spec_;
  std::uint32_t config_;
  std::uint32_t next_ = 0;
  int runs_ = 0;
};

}  // namespace

TEST_CASE("device error bits: the MSM kernel's errors are named in a DeviceError", "[runtime]") {
  ThreadPool pool(1);
  const std::vector<G1Affine> points(8, G1Affine::generator());
  const std::vector<BigInt<4>> scalars(8, BigInt<4>{5});
  const std::uint32_t config = 12 | (129u << 8);  // 2^12 buckets, adder latency 129
  struct Case {
    std::uint32_t bits;
    const char* named;
  };
  for (const Case c : {Case{1, "a digit beyond the buckets"}, Case{2, "an AXI read error"},
                       Case{4, "an AXI write error"}, Case{8, "bad arguments"}}) {
    ErrorBitsDevice device(drivers::msm_kernel_spec(), config | c.bits << 24);
    DeviceMsm msm(device, pool);
    CHECK_THROWS_MATCHES(msm.run(points, scalars), drivers::DeviceError,
                         Catch::Matchers::Message("test:zkacc_msm_kernel: MSM kernel reports " + std::string(c.named)));
  }
  ErrorBitsDevice both(drivers::msm_kernel_spec(), config | 6u << 24);
  DeviceMsm msm(both, pool);
  CHECK_THROWS_WITH(msm.run(points, scalars), Catch::Contains("an AXI read error, an AXI write error"));
}

TEST_CASE("device error bits: the NTT kernel's errors are named in a DeviceError", "[runtime]") {
  ThreadPool pool(1);
  std::vector<Fr> values(16, Fr::one());
  const std::uint32_t config = 12 | (30u << 8);  // 2^12 on chip, butterfly latency 30
  for (const auto& [bits, named] : {std::pair{1u, "an AXI read error"}, std::pair{2u, "an AXI write error"},
                                    std::pair{4u, "bad arguments"}}) {
    ErrorBitsDevice device(drivers::ntt_kernel_spec(), config | bits << 24);
    DeviceNtt ntt(device, pool);
    CHECK_THROWS_MATCHES(ntt.run(values, NttDirection::Forward), drivers::DeviceError,
                         Catch::Matchers::Message("test:zkacc_ntt_kernel: NTT kernel reports " + std::string(named)));
  }
}
