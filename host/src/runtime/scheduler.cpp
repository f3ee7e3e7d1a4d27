#include "zkacc/runtime/scheduler.hpp"

#include <chrono>
#include <future>
#include <iostream>

#include "zkacc/drivers/device.hpp"
#include "zkacc/msm/pippenger.hpp"

namespace zkacc::runtime {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string retry_note(unsigned attempt, unsigned attempts) {
  return "; retrying on the device (attempt " + std::to_string(attempt) + " of " + std::to_string(attempts) + ")";
}

std::string failed_note(unsigned attempts) {
  return " redone on the CPU (" + std::to_string(attempts) + (attempts == 1 ? " device attempt" : " device attempts") +
         " failed)";
}

}  // namespace

Scheduler::Scheduler(std::vector<std::shared_ptr<Backend>> backends, ThreadPool& pool, SchedulerOptions options)
    : pool_(pool), cpu_(pool), backends_(std::move(backends)), options_(options) {
  for (const auto& b : backends_) weights_.push_back(b->throughput_hint());
  rng_.seed(options.check_seed ? options.check_seed : std::random_device{}());
}

void Scheduler::set_weights(std::vector<double> weights) {
  if (weights.size() != backends_.size()) throw Error("scheduler: one weight per backend is needed");
  for (double w : weights)
    if (!(w >= 0)) throw Error("scheduler: weights must be non-negative");
  weights_ = std::move(weights);
}

void Scheduler::warn(const std::string& what) {
  const std::lock_guard lock(warn_mutex_);
  (options_.warnings ? *options_.warnings : std::cerr) << "zkacc: warning: " << what << "\n";
}

G1Jacobian Scheduler::msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                             std::uint64_t points_key) {
  last_job_.clear();
  if (points.size() != scalars.size()) throw Error("msm: points and scalars differ in length");
  if (backends_.empty()) {
    const auto t0 = std::chrono::steady_clock::now();
    G1Jacobian r = cpu_.msm_g1(points, scalars);
    last_job_.push_back({"cpu", 0, points.size(), seconds_since(t0), false, "", 1});
    return r;
  }
  // Point ranges in proportion to the weights.
  const std::size_t n = points.size();
  double total = 0;
  for (double w : weights_) total += w;
  if (!(total > 0)) throw Error("scheduler: every backend has weight 0");
  std::vector<std::size_t> bounds{0};
  double acc = 0;
  for (std::size_t i = 0; i < backends_.size(); ++i) {
    acc += weights_[i];
    bounds.push_back(i + 1 == backends_.size() ? n : std::min(n, static_cast<std::size_t>(double(n) * acc / total)));
  }
  struct Part {
    G1Jacobian result = G1Jacobian::infinity();
    JobPart info;
  };
  std::vector<Part> parts(backends_.size());
  // A device part that fails runs on the device again, up to device_retries
  // times; the CPU fallback comes after the parts are joined.
  auto run_part = [&](std::size_t i) {
    Part& part = parts[i];
    part.info = {backends_[i]->name(), bounds[i], bounds[i + 1], 0, false, "", 0};
    if (bounds[i] == bounds[i + 1]) return;
    const auto t0 = std::chrono::steady_clock::now();
    const unsigned tries = backends_[i]->is_device() ? 1 + options_.device_retries : 1;
    for (unsigned attempt = 1; attempt <= tries; ++attempt) {
      part.info.attempts = attempt;
      try {
        part.result = backends_[i]->msm_g1_of_key(points.subspan(bounds[i], bounds[i + 1] - bounds[i]),
                                                  scalars.subspan(bounds[i], bounds[i + 1] - bounds[i]), points_key);
        break;
      } catch (const drivers::DeviceError& e) {
        part.info.error = e.what();
        if (attempt == tries) part.info.fell_back = true;
        else warn(part.info.error + retry_note(attempt + 1, tries));
      }
    }
    part.info.seconds = seconds_since(t0);
  };
  // Device parts on their own threads, host parts on this one.
  std::vector<std::future<void>> running;
  for (std::size_t i = 0; i < backends_.size(); ++i)
    if (backends_[i]->is_device()) running.push_back(std::async(std::launch::async, run_part, i));
  for (std::size_t i = 0; i < backends_.size(); ++i)
    if (!backends_[i]->is_device()) run_part(i);
  for (auto& f : running) f.get();

  G1Jacobian sum = G1Jacobian::infinity();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Part& part = parts[i];
    if (part.info.fell_back) {
      warn(part.info.error + "; points " + std::to_string(part.info.begin) + ".." + std::to_string(part.info.end) +
           failed_note(part.info.attempts));
      const auto t0 = std::chrono::steady_clock::now();
      part.result = cpu_.msm_g1(points.subspan(part.info.begin, part.info.end - part.info.begin),
                                scalars.subspan(part.info.begin, part.info.end - part.info.begin));
      part.info.seconds += seconds_since(t0);
    }
    sum += part.result;
    last_job_.push_back(part.info);
  }
  return sum;
}

G2Jacobian Scheduler::msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars) {
  return msm_unchecked<Bn254G2Config>(points, scalars, pool_);
}

// A random linear combination of the outputs, with weights z^k, computed two
// ways. For y_k = Σ_j x_j·ω^(jk):
//   Σ_k z^k·y_k = Σ_j x_j·Σ_k (z·ω^j)^k = (z^n − 1)·Σ_j x_j / (z·ω^j − 1).
// Any wrong output changes the left side as a nonzero polynomial in z, so a
// random z catches it except with probability n/r. Cost: about 6n
// multiplications and one inversion (a CPU NTT is n/2·log n).
bool Scheduler::ntt_matches(std::span<const Fr> input, std::span<const Fr> output, NttDirection direction) {
  const std::size_t n = input.size();
  const unsigned log_n = static_cast<unsigned>(std::countr_zero(n));
  Fr root = Fr::root_of_unity(log_n);
  if (direction == NttDirection::Inverse) root = root.inverse();
  const Fr z = Fr::random(rng_);
  Fr lhs = Fr::zero();
  for (std::size_t k = n; k-- > 0;) lhs = lhs * z + output[k];
  std::vector<Fr> denominators(n);
  Fr zw = z;
  for (std::size_t j = 0; j < n; ++j) {
    denominators[j] = zw - Fr::one();
    zw *= root;
  }
  for (const Fr& d : denominators)
    if (d.is_zero()) return ntt_matches(input, output, direction);  // z·ω^j = 1: draw again
  batch_inverse(std::span<Fr>(denominators));
  Fr sum = Fr::zero();
  for (std::size_t j = 0; j < n; ++j) sum += input[j] * denominators[j];
  Fr rhs = (z.pow(BigInt<1>{n}) - Fr::one()) * sum;
  if (direction == NttDirection::Inverse) rhs *= Fr::from_u64(n).inverse();
  return lhs == rhs;
}

void Scheduler::ntt(std::span<Fr> values, NttDirection direction) {
  last_job_.clear();
  Backend& backend = backends_.empty() ? static_cast<Backend&>(cpu_) : *backends_.front();
  JobPart info{backend.name(), 0, values.size(), 0, false, "", 1};
  const auto t0 = std::chrono::steady_clock::now();
  if (!backend.is_device()) {
    backend.ntt(values, direction);
  } else {
    const std::vector<Fr> input(values.begin(), values.end());
    const unsigned tries = 1 + options_.device_retries;
    for (unsigned attempt = 1; attempt <= tries; ++attempt) {
      info.attempts = attempt;
      std::string error;
      try {
        backend.ntt(values, direction);
        if (options_.check_ntt && !ntt_matches(input, values, direction))
          error = backend.name() + ": random linear-combination check failed on the NTT result";
      } catch (const drivers::DeviceError& e) {
        error = e.what();
      }
      if (error.empty()) break;
      info.error = error;
      std::copy(input.begin(), input.end(), values.begin());
      if (attempt < tries) {
        warn(error + retry_note(attempt + 1, tries));
        continue;
      }
      info.fell_back = true;
      warn(error + "; NTT" + failed_note(tries));
      cpu_.ntt(values, direction);
    }
  }
  info.seconds = seconds_since(t0);
  last_job_.push_back(info);
}

void Scheduler::evaluations_to_coset(std::span<Fr> values, const Fr& shift) {
  // NTTs run on the first backend; when that is the CPU (the only backend
  // that is not a device), its fused coset transform is used.
  if (backends_.empty() || !backends_.front()->is_device()) {
    last_job_.clear();
    const auto t0 = std::chrono::steady_clock::now();
    cpu_.evaluations_to_coset(values, shift);
    last_job_.push_back({cpu_.name(), 0, values.size(), seconds_since(t0), false, "", 1});
    return;
  }
  // On a device: two NTTs, each checked, retried and with its own CPU
  // fallback, and the coset scaling on the host between them.
  ntt(values, NttDirection::Inverse);
  std::vector<JobPart> parts = last_job_;
  multiply_by_powers(values, shift, pool_);
  ntt(values, NttDirection::Forward);
  parts.insert(parts.end(), last_job_.begin(), last_job_.end());
  last_job_ = std::move(parts);
}

}  // namespace zkacc::runtime
