#include "zkacc/runtime/device_ntt.hpp"

#include <bit>
#include <cstring>

namespace zkacc::runtime {
namespace {

using drivers::DeviceError;
using drivers::kBeatBytes;

constexpr std::size_t kElementBytes = 32;

std::uint64_t beat_round(std::uint64_t bytes) { return (bytes + kBeatBytes - 1) / kBeatBytes * kBeatBytes; }

void to_bytes(std::span<const Fr> values, std::vector<std::byte>& out) {
  out.assign(beat_round(values.size() * kElementBytes), std::byte{0});
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(&out[i * kElementBytes], values[i].montgomery_repr().data(), kElementBytes);
}

// Transposes a rows×cols matrix (row-major) into cols×rows.
void transpose(std::span<const Fr> in, std::span<Fr> out, std::size_t rows, std::size_t cols, ThreadPool& pool) {
  pool.parallel_for(cols, [&](std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c)
      for (std::size_t r = 0; r < rows; ++r) out[c * rows + r] = in[r * cols + c];
  });
}

}  // namespace

DeviceNtt::DeviceNtt(drivers::Device& device, ThreadPool& pool, std::chrono::milliseconds timeout)
    : device_(device), pool_(pool), timeout_(timeout) {
  const std::uint32_t config = device.read_status(device.kernel().status_index("config"));
  log_max_ = config & 0xFF;
  butterfly_latency_ = (config >> 8) & 0xFFFF;
  if (log_max_ < 1 || log_max_ > 28)
    throw DeviceError(device.name() + ": config register reports 2^" + std::to_string(log_max_) +
                      " as the largest transform; is this the NTT kernel?");
}

void DeviceNtt::run_batch(std::span<Fr> values, unsigned log_n, NttDirection direction) {
  const std::size_t n = std::size_t(1) << log_n;
  const std::size_t batch = values.size() / n;
  const drivers::KernelSpec& spec = device_.kernel();

  // Twiddles ω^0 … ω^(n/2−1) of the direction's root.
  const Fr root = direction == NttDirection::Forward ? Fr::root_of_unity(log_n) : Fr::root_of_unity(log_n).inverse();
  std::vector<Fr> tw(std::max<std::size_t>(n / 2, 1));
  tw[0] = Fr::one();
  for (std::size_t i = 1; i < tw.size(); ++i) tw[i] = tw[i - 1] * root;

  std::vector<std::byte> bytes;
  auto ensure = [&](drivers::BufferId& buf, std::uint64_t size, const char* arg) {
    drivers::ensure_buffer(device_, buf, size, spec.arg_index(arg));
  };
  to_bytes(tw, bytes);
  ensure(twiddles_, bytes.size(), "twiddles");
  device_.write(twiddles_, bytes);
  to_bytes(values, bytes);
  ensure(input_, bytes.size(), "input");
  ensure(output_, bytes.size(), "output");
  device_.write(input_, bytes);

  device_.set_arg(spec.arg_index("log_n"), log_n);
  device_.set_arg(spec.arg_index("batch"), static_cast<std::uint32_t>(batch));
  device_.set_arg(spec.arg_index("twiddles"), twiddles_);
  device_.set_arg(spec.arg_index("input"), input_);
  device_.set_arg(spec.arg_index("output"), output_);
  drivers::run_and_wait(device_, timeout_);
  // The kernel's own error bits (config 26:24, docs/kernel_ntt.md).
  if (const std::uint32_t errors = (device_.read_status(spec.status_index("config")) >> 24) & 0x7)
    throw DeviceError(device_.name() + ": NTT kernel reports " +
                      drivers::describe_error_bits(errors, {"an AXI read error", "an AXI write error", "bad arguments"}));
  const std::uint64_t cycles = drivers::read_status_u64(device_, "cycles");
  counters_.runs += 1;
  counters_.cycles += cycles;
  counters_.ntt_cycles += cycles;
  counters_.butterflies += drivers::read_status_u64(device_, "butterflies");

  device_.read(output_, std::span(bytes));
  for (std::size_t i = 0; i < values.size(); ++i) {
    BigInt<4> r;
    std::memcpy(r.data(), &bytes[i * kElementBytes], kElementBytes);
    if (bigint::compare(r, Fr::kModulus) >= 0)
      throw DeviceError(device_.name() + ": NTT range check failed: output element " + std::to_string(i) +
                        " is not below r (corrupt result)");
    values[i] = Fr::from_montgomery_unchecked(r);
  }
}

void DeviceNtt::run(std::span<Fr> values, NttDirection direction) {
  const std::size_t n = values.size();
  if (n < 2 || !std::has_single_bit(n)) throw Error("ntt: size " + std::to_string(n) + " is not a power of two ≥ 2");
  const unsigned log_n = static_cast<unsigned>(std::countr_zero(n));
  if (log_n > 2 * log_max_)
    throw Error("ntt: size 2^" + std::to_string(log_n) + " exceeds what the kernel (2^" + std::to_string(log_max_) +
                " on chip) and the four-step decomposition (2^" + std::to_string(2 * log_max_) + ") can do");
  if (log_n <= log_max_) {
    run_batch(values, log_n, direction);
  } else {
    const unsigned log_n1 = log_max_, log_n2 = log_n - log_max_;
    const std::size_t n1 = std::size_t(1) << log_n1, n2 = std::size_t(1) << log_n2;
    std::vector<Fr> tmp(n);
    // Columns j2 (stride n2) become rows: tmp[j2·n1 + j1] = x[j1·n2 + j2].
    transpose(values, tmp, n1, n2, pool_);
    run_batch(tmp, log_n1, direction);  // tmp[j2·n1 + k1]
    const Fr w = direction == NttDirection::Forward ? Fr::root_of_unity(log_n) : Fr::root_of_unity(log_n).inverse();
    pool_.parallel_for(n2, [&](std::size_t begin, std::size_t end) {
      for (std::size_t j2 = begin; j2 < end; ++j2) {
        const Fr step = w.pow(BigInt<1>{j2});
        Fr f = Fr::one();
        for (std::size_t k1 = 0; k1 < n1; ++k1) {
          tmp[j2 * n1 + k1] *= f;
          f *= step;
        }
      }
    });
    transpose(tmp, values, n2, n1, pool_);  // values[k1·n2 + j2]
    run_batch(values, log_n2, direction);   // values[k1·n2 + k2]
    transpose(values, tmp, n1, n2, pool_);  // tmp[k2·n1 + k1] = X[k1 + n1·k2]
    std::copy(tmp.begin(), tmp.end(), values.begin());
  }
  if (direction == NttDirection::Inverse) {
    const Fr n_inv = Fr::from_u64(n).inverse();
    for (Fr& v : values) v *= n_inv;
  }
}

}  // namespace zkacc::runtime
