// Device faults injected into the sim backend's kernels (SimDevice's
// test-only switch): a corrupted result word, a completion that never comes,
// a completion that comes early, a failed card allocation. For each, on MSMs
// and NTTs through the Scheduler: the fault is detected (a check, the
// timeout, the error), warned about, retried on the device, and when it
// keeps coming redone on the CPU; the result always equals the CPU's. Then a
// Groth16 proof through RuntimeEngine on faulty kernels verifies.
//
// Sizes are small: the MSM kernel's model runs a few thousand cycles per
// second, and one MSM here is two kernel runs (16 points, 4-bit windows).
#include <catch2/catch.hpp>

#include <chrono>
#include <initializer_list>
#include <sstream>
#include <string>

#include "support/test_rng.hpp"
#include "zkacc/drivers/sim_device.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/runtime/device_backend.hpp"
#include "zkacc/runtime/scheduler.hpp"

using namespace zkacc;
using namespace zkacc::runtime;
using drivers::SimFault;
using Kind = drivers::SimFault::Kind;
using namespace std::chrono_literals;

namespace {

// A kernel run that never signals done costs its whole timeout, so those
// tests use short ones; the MSM kernel's model (with the point adder's
// simulation model, the sim backend's) needs some 20 ms for one of the runs
// here (the first after a reset sweeps the bucket RAM), so its timeout keeps
// a margin of fifty for a loaded machine. The other tests use a long one, so
// a slow machine cannot turn into a spurious timeout.
constexpr auto kMsmShortTimeout = 1000ms;
constexpr auto kNttShortTimeout = 2000ms;
constexpr auto kLongTimeout = 120'000ms;

// The sim backend as make_backend builds it, one kernel or both, its
// SimDevices, and a scheduler over it that keeps its warnings.
struct Rig {
  ThreadPool pool{1};
  std::shared_ptr<DeviceBackend> backend;
  std::ostringstream warnings;
  Scheduler scheduler;

  Rig(bool msm, bool ntt, std::chrono::milliseconds timeout)
      : backend(std::dynamic_pointer_cast<DeviceBackend>(
            make_backend("sim", pool, BackendConfig{"", 0, 300, msm, ntt, 4, timeout}))),
        scheduler({backend}, pool, SchedulerOptions{true, &warnings, 7, 1}) {}

  drivers::SimDevice& msm_device() { return dynamic_cast<drivers::SimDevice&>(*backend->msm_device()); }
  drivers::SimDevice& ntt_device() { return dynamic_cast<drivers::SimDevice&>(*backend->ntt_device()); }
  const JobPart& part(std::size_t i = 0) const { return scheduler.last_job().at(i); }
};

bool mentions_any(const std::string& text, std::initializer_list<const char*> phrases) {
  for (const char* p : phrases)
    if (text.find(p) != std::string::npos) return true;
  return false;
}

struct MsmInstance {
  std::vector<G1Affine> points;
  std::vector<BigInt<4>> scalars;
  G1Jacobian expected;
};

const MsmInstance& msm_instance() {
  static const MsmInstance m = [] {
    auto rng = test::make_rng(31);
    const std::size_t n = 16;
    MsmInstance out;
    std::vector<G1Jacobian> jac(n);
    for (auto& p : jac) p = G1Jacobian::generator() * Fr::random(rng);
    out.points.resize(n);
    batch_to_affine(std::span<const G1Jacobian>(jac), std::span<G1Affine>(out.points));
    for (std::size_t i = 0; i < n; ++i) out.scalars.push_back(Fr::random(rng).to_canonical());
    ThreadPool pool(1);
    out.expected = msm_unchecked<Bn254G1Config>(out.points, out.scalars, pool);
    return out;
  }();
  return m;
}

// A part whose fault fired once: caught (`detected` names how, in the part's
// error and the warning), retried on the device, not redone on the CPU, and
// the RTL's own checks held through the reset. `warning_prefix`: the start
// of the warning, which names the device or backend.
void expect_survived_by_retry(const JobPart& part, const std::string& warnings, drivers::SimDevice& device,
                              std::initializer_list<const char*> detected, const char* warning_prefix) {
  INFO(warnings);
  CHECK(device.faults_fired() == 1);
  CHECK(part.attempts == 2);
  CHECK_FALSE(part.fell_back);
  CHECK(mentions_any(part.error, detected));
  CHECK(mentions_any(warnings, detected));
  CHECK_THAT(warnings, Catch::StartsWith(warning_prefix) && Catch::Contains("retrying on the device (attempt 2 of 2)"));
  CHECK_THAT(warnings, !Catch::Contains("redone on the CPU"));
  CHECK(device.assertion_failures() == 0);
}

std::uint64_t fault_seed(Kind kind) { return test::test_seed() ^ (0x51f7ull * (static_cast<unsigned>(kind) + 1)); }

// One MSM with the fault firing once, on the first run or allocation (the
// retry on the device gets it right), then one with it firing every time
// (both attempts fail; the CPU redoes the points). `detected`: how the warning
// names the fault, `not_by`: checks that must not be the ones that caught
// it. `fired_always`: the faults the second MSM takes.
// An MSM fault; an early done lands 4,300 cycles into the run: past the
// bucket RAM's sweep after the reset (4,096 cycles), with the first pairs in
// the adder, so the reset that follows is tested on a busy kernel (the
// default, 32 cycles, comes before any data).
SimFault msm_fault(Kind kind, std::uint64_t count) {
  SimFault f{kind, 0, count, fault_seed(kind)};
  if (kind == Kind::early_done) f.early_cycles = 4300;
  return f;
}

void msm_fault_case(Kind kind, std::chrono::milliseconds timeout, std::initializer_list<const char*> detected,
                    std::initializer_list<const char*> not_by, std::uint64_t fired_always) {
  SEED_INFO();
  const MsmInstance& m = msm_instance();
  {
    INFO("fault fires once");
    Rig rig(true, false, timeout);
    rig.msm_device().inject_fault(msm_fault(kind, 1));
    CHECK(rig.scheduler.msm_g1(m.points, m.scalars) == m.expected);
    expect_survived_by_retry(rig.part(), rig.warnings.str(), rig.msm_device(), detected,
                             "zkacc: warning: sim:zkacc_msm_kernel: ");
    CHECK_FALSE(mentions_any(rig.warnings.str(), not_by));
  }
  {
    INFO("fault fires always");
    Rig rig(true, false, timeout);
    rig.msm_device().inject_fault(msm_fault(kind, SimFault::kAlways));
    CHECK(rig.scheduler.msm_g1(m.points, m.scalars) == m.expected);
    CHECK(rig.msm_device().faults_fired() == fired_always);
    CHECK(rig.part().attempts == 2);
    CHECK(rig.part().fell_back);
    const std::string w = rig.warnings.str();
    INFO(w);
    CHECK(mentions_any(w, detected));
    CHECK_FALSE(mentions_any(w, not_by));
    CHECK_THAT(w, Catch::Contains("retrying on the device (attempt 2 of 2)") &&
                      Catch::Contains("points 0..16 redone on the CPU (2 device attempts failed)"));
    CHECK(rig.msm_device().assertion_failures() == 0);
  }
}

struct NttInstance {
  std::vector<Fr> values, forward, coset;
  Fr shift;
};

const NttInstance& ntt_instance() {
  static const NttInstance t = [] {
    auto rng = test::make_rng(32);
    NttInstance out;
    out.values.resize(1 << 8);  // about 1,500 kernel cycles, far from finished at the early done
    for (auto& v : out.values) v = Fr::random(rng);
    out.shift = Fr::random(rng);
    ThreadPool pool(1);
    CpuBackend cpu(pool);
    out.forward = out.values;
    cpu.ntt(out.forward, NttDirection::Forward);
    out.coset = out.values;
    cpu.evaluations_to_coset(out.coset, out.shift);
    return out;
  }();
  return t;
}

// As msm_fault_case: a forward NTT with the fault once (retried on the
// device), then a coset transform — two device NTTs — with it always (each
// NTT tried twice, then redone on the CPU).
// An early done lands mid-transform (about 700 of 1,500 cycles), with data
// loaded and butterflies in flight, so the reset that follows is tested on
// a busy engine.
SimFault ntt_fault(Kind kind, std::uint64_t count) {
  SimFault f{kind, 0, count, fault_seed(kind)};
  if (kind == Kind::early_done) f.early_cycles = 700;
  return f;
}

void ntt_fault_case(Kind kind, std::chrono::milliseconds timeout, std::initializer_list<const char*> detected) {
  SEED_INFO();
  const NttInstance& t = ntt_instance();
  {
    INFO("fault fires once");
    Rig rig(false, true, timeout);
    rig.ntt_device().inject_fault(ntt_fault(kind, 1));
    std::vector<Fr> values = t.values;
    rig.scheduler.ntt(values, NttDirection::Forward);
    CHECK(values == t.forward);
    // The device's name ("sim:zkacc_ntt_kernel") or, for a failed check
    // the scheduler makes, the backend's ("sim").
    expect_survived_by_retry(rig.part(), rig.warnings.str(), rig.ntt_device(), detected, "zkacc: warning: sim");
  }
  {
    INFO("fault fires always, coset transform");
    Rig rig(false, true, timeout);
    rig.ntt_device().inject_fault(ntt_fault(kind, SimFault::kAlways));
    std::vector<Fr> values = t.values;
    rig.scheduler.evaluations_to_coset(values, t.shift);
    CHECK(values == t.coset);
    CHECK(rig.ntt_device().faults_fired() == 4);
    REQUIRE(rig.scheduler.last_job().size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(rig.part(i).attempts == 2);
      CHECK(rig.part(i).fell_back);
    }
    const std::string w = rig.warnings.str();
    INFO(w);
    CHECK(mentions_any(w, detected));
    CHECK_THAT(w, Catch::Contains("retrying on the device (attempt 2 of 2)") &&
                      Catch::Contains("NTT redone on the CPU (2 device attempts failed)"));
    CHECK(rig.ntt_device().assertion_failures() == 0);
  }
}

}  // namespace

// --- MSM ---------------------------------------------------------------------

TEST_CASE("fault injection: a corrupted MSM result word fails the bucket validity check", "[runtime][sim][fault]") {
  // Both runs of an attempt are corrupted when the fault always fires: the
  // first run's buckets are checked while the second runs.
  // One word is caught by the deterministic checks of every bucket, not by
  // the random subset.
  msm_fault_case(Kind::corrupt_result, kLongTimeout, {"bucket validity check failed", "bucket range check failed"},
                 {"subset check failed"}, 4);
}

TEST_CASE("fault injection: an MSM kernel that never signals done times out", "[runtime][sim][fault]") {
  msm_fault_case(Kind::never_done, kMsmShortTimeout, {"MSM kernel timed out (did not finish within 1000 ms)"}, {}, 2);
}

TEST_CASE("fault injection: an MSM kernel that signals done early fails the additions check", "[runtime][sim][fault]") {
  msm_fault_case(Kind::early_done, kLongTimeout, {"additions check failed"}, {}, 2);
}

TEST_CASE("fault injection: a fault in the middle of a first run launched chunk by chunk", "[runtime][sim][fault]") {
  // The first run as four launches of four points each (hold, continue):
  // the scalars are counted, written and launched on three threads. A
  // done that comes early on the second launch, or never on the third,
  // must end in an error the scheduler sees (not a hang, not a wrong
  // result); the retry on the device then gets it right. After the early
  // done the device resets the kernel, which drops the held buckets, so
  // the next launch's continue is refused as a bad argument.
  SEED_INFO();
  const MsmInstance& m = msm_instance();
  struct Case {
    Kind kind;
    std::uint64_t after;  // launches let through first
    std::chrono::milliseconds timeout;
    const char* detected;
  };
  for (const Case& cs : {Case{Kind::early_done, 1, kLongTimeout, "MSM kernel reports bad arguments"},
                         Case{Kind::never_done, 2, kMsmShortTimeout, "MSM kernel timed out"}}) {
    INFO("fault " << static_cast<int>(cs.kind) << " after " << cs.after << " launches");
    ThreadPool pool(1);
    DeviceBackendOptions options;
    options.msm.window_bits = 8;  // 32 windows: the scalars go as they are (the card slices them)
    options.msm.upload_chunk_points = 4;
    options.msm.upload_chunk_growth = 1.0;
    options.msm.timeout = cs.timeout;
    auto owned = std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec());
    drivers::SimDevice& device = *owned;
    auto backend = std::make_shared<DeviceBackend>("sim", std::move(owned), nullptr, options);
    std::ostringstream warnings;
    Scheduler scheduler({backend}, pool, SchedulerOptions{true, &warnings, 7, 1});
    device.inject_fault({cs.kind, cs.after, 1, fault_seed(cs.kind)});
    CHECK(scheduler.msm_g1(m.points, m.scalars) == m.expected);
    CHECK(device.faults_fired() == 1);
    const JobPart& part = scheduler.last_job().at(0);
    INFO(warnings.str());
    CHECK(part.attempts == 2);
    CHECK_FALSE(part.fell_back);
    CHECK_THAT(warnings.str(), Catch::Contains(cs.detected) && Catch::Contains("retrying on the device (attempt 2 of 2)"));
    CHECK(device.assertion_failures() == 0);
  }
}

TEST_CASE("fault injection: a failed card allocation for an MSM", "[runtime][sim][fault]") {
  msm_fault_case(Kind::fail_allocation, kLongTimeout, {"could not allocate"}, {}, 2);
}

// --- NTT ---------------------------------------------------------------------

TEST_CASE("fault injection: a corrupted NTT result word fails the NTT checks", "[runtime][sim][fault]") {
  ntt_fault_case(Kind::corrupt_result, kLongTimeout,
                 {"random linear-combination check failed", "NTT range check failed"});
}

TEST_CASE("fault injection: an NTT kernel that never signals done times out", "[runtime][sim][fault]") {
  ntt_fault_case(Kind::never_done, kNttShortTimeout, {"kernel timed out (did not finish within 2000 ms)"});
}

TEST_CASE("fault injection: an NTT kernel that signals done early fails the linear-combination check",
          "[runtime][sim][fault]") {
  ntt_fault_case(Kind::early_done, kLongTimeout, {"random linear-combination check failed"});
}

TEST_CASE("fault injection: a failed card allocation for an NTT", "[runtime][sim][fault]") {
  ntt_fault_case(Kind::fail_allocation, kLongTimeout, {"could not allocate"});
}

// --- Proof -------------------------------------------------------------------

TEST_CASE("fault injection: a Groth16 proof through faulty sim kernels verifies", "[runtime][sim][fault]") {
  SEED_INFO();
  using namespace zkacc::prover;
  ThreadPool pool(2);
  const std::string dir = std::string(ZKACC_PROVER_DATA_DIR) + "/multiplier/";
  const Groth16Zkey zkey = read_zkey(dir + "multiplier.zkey", pool);
  const Witness witness = read_wtns(dir + "multiplier.wtns");
  const VerificationKey vk = read_vkey_json(dir + "vk.json");
  const auto pub = public_signals(zkey, witness.values);

  Rig rig(true, true, kLongTimeout);
  // Six corrupted MSM runs (two per attempt): the first MSM fails on the
  // device twice and is redone on the CPU, the second fails once and passes
  // on the retry. Every NTT run ends early, so every NTT of the three coset
  // transforms is tried twice and redone on the CPU.
  rig.msm_device().inject_fault({Kind::corrupt_result, 0, 6, fault_seed(Kind::corrupt_result)});
  rig.ntt_device().inject_fault({Kind::early_done, 0, SimFault::kAlways, 1});
  RuntimeEngine engine(rig.scheduler);
  auto rng = test::make_rng(33);
  const ProofRandomness rs{Fr::random(rng), Fr::random(rng)};
  ProveOptions no_verify;  // verified below, to see the answer rather than an exception
  no_verify.verify = false;
  const Proof proof = prove(zkey, witness.values, rs, engine, no_verify);

  CHECK(verify(vk, pub, proof));
  const Proof cpu = prove(zkey, witness.values, rs, pool, no_verify);
  CHECK(proof.a == cpu.a);
  CHECK(proof.b == cpu.b);
  CHECK(proof.c == cpu.c);
  CHECK(rig.msm_device().faults_fired() == 6);
  CHECK(rig.ntt_device().faults_fired() >= 6);  // at least one early done per NTT
  CHECK(rig.ntt_device().faults_fired() % 2 == 0);  // two per NTT: no NTT passed on the device
  CHECK(rig.msm_device().assertion_failures() == 0);
  CHECK(rig.ntt_device().assertion_failures() == 0);
  const std::string w = rig.warnings.str();
  INFO(w);
  CHECK(mentions_any(w, {"bucket validity check failed", "bucket range check failed"}));
  CHECK_THAT(w, Catch::Contains("zkacc: warning: sim:zkacc_msm_kernel: ") &&
                    Catch::Contains("zkacc: warning: sim: random linear-combination check failed on the NTT result") &&
                    Catch::Contains("retrying on the device (attempt 2 of 2)") &&
                    Catch::Contains("redone on the CPU (2 device attempts failed)") &&
                    Catch::Contains("NTT redone on the CPU"));
}
