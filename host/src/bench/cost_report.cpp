// `zkacc bench --ops cost`: what a proof of one inference costs, per
// committed model (models/M.onnx, input models/inputs/M_sample0.json,
// settings models/reference/M.settings.json when there are some):
//
//   inference   the float model (zkml::evaluate_float) and the quantized
//               integer model (zkml::evaluate_quantized) on that input, each
//               the median of batches timed over --cost-inference-ms
//   one-time    import, quantize, compile, powers of tau, Groth16 key and a
//               warm-up proof: reported, never charged per proof
//   per proof   witness + prove on the CPU (--cost-repeat runs, median): wall
//               time and process CPU time (thread-seconds), then verify
//   card        the four G1 MSMs (A, B1, C, H) projected on a card
//               (runtime/card_projection.hpp) with the adder utilization
//               measured on the simulated kernel when the build has it; the
//               G2 MSM, the NTTs and the witness stay on the host
//   dollars     per million proofs at --cpu-hour-usd and --fpga-hour-usd
//   batch       with --cost-batch N1,N2,...: one proof of N inferences
//               (prove-model --batch: N copies of the circuit, one key),
//               its own key made once (not charged), then witness + prove
//               timed once; cost per inference against N
//
// and writes cost.json, cost.md and cost.png (overhead ratio against
// constraints, log-log) into the bench directory. Formulas and price
// sources: docs/cost.md.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "zkacc/bench/card_projection_report.hpp"
#include "zkacc/bench/cost_report.hpp"
#include "zkacc/bench/format.hpp"
#include "zkacc/bench/gnuplot.hpp"
#include "zkacc/bench/machine.hpp"
#include "zkacc/bench/msm_instance.hpp"
#include "zkacc/bench/spread.hpp"
#include "zkacc/build_info.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/msm/signed_digits.hpp"
#include "zkacc/prover/batch.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/ptau_generate.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/setup.hpp"
#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/runtime/card_projection.hpp"
#include "zkacc/runtime/device_backend.hpp"
#include "zkacc/runtime/device_msm.hpp"
#include "zkacc/runtime/host_addition_timing.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"
#include "zkacc/runtime/scheduler.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/float_eval.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkacc/zkml/qeval.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::bench {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kCpuPriceSource =
    "AWS EC2 c6i.large on-demand, us-east-1, Linux: $0.085/h for 2 vCPUs = $0.0425 per vCPU-hour";
constexpr const char* kFpgaPriceSource =
    "AWS EC2 f1.2xlarge on-demand, us-east-1, Linux: $1.65/h for one Xilinx VU9P FPGA with 8 vCPUs "
    "(no U250 is offered on AWS; the price includes 8 vCPUs, so charging host CPU on top overstates the card case)";
constexpr double kDocumentedUtilization = 0.981;

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Milliseconds per call of fn: calls are batched until a batch takes at
// least 1/10 of min_ms, batches repeat until min_ms has passed (at least
// five), and the median batch gives the figure.
template <class Fn>
double time_per_call_ms(double min_ms, Fn&& fn) {
  std::size_t batch = 1;
  const double target = std::max(min_ms / 10, 1e-3);
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < batch; ++i) fn();
    if (ms_since(t0) >= target || batch >= (std::size_t(1) << 30)) break;
    batch *= 2;
  }
  std::vector<double> per_call;
  const auto start = std::chrono::steady_clock::now();
  while (per_call.size() < 5 || ms_since(start) < min_ms) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < batch; ++i) fn();
    per_call.push_back(ms_since(t0) / double(batch));
  }
  return median(per_call);
}



// The adder utilization the projection uses: measured on the simulated
// kernel (one MSM of 2^log_n random points, c = 8: 32 windows × 128 buckets
// in one run, the configuration of docs/kernel_msm.md's figures), else the
// documented 98.1%. The kernel's cycle count from start to done includes the
// bucket write-back (two beats per bucket) and, on the first run after a
// reset, the 2^BucketBits-cycle RAM sweep; both are taken out, as the
// projection counts the write-back itself and a card sweeps once per 255 runs.
json measure_utilization(const CostOptions& args, ThreadPool& pool, bool& ok, std::ostream& log) {
  const auto built = runtime::available_backends();
  const bool have_sim = std::find(built.begin(), built.end(), "sim") != built.end();
  json j = {{"value", kDocumentedUtilization},
            {"source", "documented: 98.1% measured at 2^14 random points on the sim build (docs/kernel_msm.md)"}};
  if (!have_sim || args.sim_log == 0) {
    j["why"] = have_sim ? "--cost-sim-log 0" : "this build has no sim backend";
    return j;
  }
  constexpr unsigned kWindowBits = 8;
  const std::size_t n = std::size_t(1) << args.sim_log;
  log << "cost: adder utilization: one MSM of 2^" << args.sim_log << " points on the simulated kernel\n";
  runtime::BackendConfig config;
  config.msm_window_bits = kWindowBits;
  config.ntt = false;
  const auto backends = runtime::make_backends("sim", pool, config);
  runtime::Scheduler scheduler(backends, pool);
  const auto instance = MsmInstance<Bn254G1Config>::random(n, 4242 + args.sim_log);
  const auto t0 = std::chrono::steady_clock::now();
  const G1Jacobian result = scheduler.msm_g1(instance.points, instance.canonical_scalars());
  const double wall_ms = ms_since(t0);
  const auto* device = dynamic_cast<const runtime::DeviceBackend*>(backends.at(0).get());
  const runtime::DeviceCounters c = backends.at(0)->counters();
  if (!instance.is_result(result)) {
    ok = false;
    j["why"] = "the simulated MSM gave a wrong result";
    return j;
  }
  if (!device || !device->msm() || c.runs == 0 || c.additions == 0) {
    j["why"] = "the simulated kernel did not run the MSM (the scheduler fell back to the CPU)";
    return j;
  }
  const double written_buckets = double(num_windows(kWindowBits)) * double(std::size_t(1) << (kWindowBits - 1));
  const double sweep = double(std::size_t(1) << device->msm()->bucket_bits());
  const double accumulation = double(c.msm_cycles) - 2.0 * written_buckets - sweep;
  if (accumulation <= 0) {
    j["why"] = "the simulated kernel's cycle count is too small to measure at 2^" + std::to_string(args.sim_log);
    return j;
  }
  const double u = std::min(1.0, double(c.additions) / accumulation);
  j = {{"value", u},
       {"source", "measured now: one MSM of 2^" + std::to_string(args.sim_log) +
                      " random points on the simulated kernel (Verilator), c = 8, additions ÷ (cycles − bucket "
                      "write-back − RAM sweep after reset)"},
       {"points", n}, {"runs", c.runs}, {"cycles", c.msm_cycles}, {"additions", c.additions},
       {"conflicts", c.conflicts}, {"writeback_cycles", 2.0 * written_buckets}, {"sweep_cycles", sweep},
       {"start_to_done_utilization", double(c.additions) / double(c.msm_cycles)}, {"simulation_wall_ms", wall_ms}};
  return j;
}

}  // namespace

namespace {

// Nonzero digits of `scalars` at window width c in the card's digit rows
// (the digits DeviceMsm sends): the card kernel's additions for them.
double nonzero_digits(std::span<const BigInt<4>> scalars, unsigned c, unsigned digit_bits, ThreadPool& pool) {
  const std::size_t n = scalars.size(), windows = num_windows(c), per_row = runtime::msm_row_digits(digit_bits);
  double count = 0;
  for (std::size_t first = 0; first < windows; first += per_row) {
    runtime::MsmDigitRows rows(n, c, digit_bits, first, std::min(per_row, windows - first));
    pool.parallel_for(n, [&](std::size_t begin, std::size_t end) { rows.fill(scalars, begin, end); });
    for (std::size_t k = 0; k < rows.count(); ++k) count += double(rows.nonzero(k));
  }
  return count;
}


struct ProofRun {
  double wall_ms = 0, cpu_s = 0, witness_ms = 0, prove_ms = 0, verify_ms = 0, g1_msm_ms = 0, prove_phases_ms = 0;
  prover::PhaseTimings phases;
};

// One proof of n inferences of `circuit` (the sample inputs in turn): the
// batch's key is made first (one-time, reported apart), then the witnesses
// (in parallel) and the proof are timed once, and the proof is verified.
json batch_cost(const std::string& name, const zkml::ModelCircuit& circuit, const std::vector<std::vector<double>>& inputs,
                std::size_t n, double float_ms, const CostOptions& args, ThreadPool& pool, bool& ok,
                std::ostream& log) {
  log << "cost: " << name << ": a batch of " << n << " inferences\n";
  const prover::R1cs one = circuit.r1cs();
  const prover::BatchLayout layout(one, static_cast<std::uint32_t>(n));
  prover::PhaseTimings once;
  const prover::R1cs r1cs = once.time("batch r1cs", [&] { return layout.r1cs(one); });
  const std::uint32_t domain = prover::setup_domain_size(r1cs);
  const auto log_domain = static_cast<std::uint32_t>(std::countr_zero(domain));
  const std::string ptau_path = once.time("powers of tau", [&] {
    return prover::cached_generated_ptau(prover::default_ptau_cache_dir(), log_domain, pool, nullptr);
  });
  const prover::Groth16Zkey zkey = once.time("setup (Groth16 key)", [&] {
    return prover::groth16_setup(r1cs, prover::Ptau(ptau_path), prover::random_delta(), pool);
  });
  prover::CpuEngine engine(pool);
  prover::ProveOptions no_verify;
  no_verify.verify = false;
  once.time("warm-up proof (engine's NTT domain)", [&] {
    std::vector<prover::Witness> ws(n);
    pool.run(n, [&](std::size_t i) { ws[i] = zkml::infer(circuit, inputs[i % inputs.size()], name).witness; });
    prover::prove(zkey, layout.witness(ws).values, prover::ProofRandomness::random(), engine, no_verify);
  });
  const double cpu0 = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<prover::Witness> ws(n);
  pool.run(n, [&](std::size_t i) { ws[i] = zkml::infer(circuit, inputs[i % inputs.size()], name).witness; });
  const prover::Witness w = layout.witness(ws);
  const double witness_ms = ms_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  const prover::Proof proof = prover::prove(zkey, w.values, prover::ProofRandomness::random(), engine, no_verify);
  const double prove_ms = ms_since(t1), wall_ms = ms_since(t0), cpu_s = process_cpu_seconds() - cpu0;
  const auto t2 = std::chrono::steady_clock::now();
  const bool good = prover::verify(prover::VerificationKey::from_zkey(zkey), prover::public_signals(zkey, w.values), proof);
  const double verify_ms = ms_since(t2);
  if (!good) ok = false;
  json once_json = json::object();
  for (const auto& p : once.phases()) once_json[p.name] = p.ms;
  return {{"n", n},
          {"constraints", r1cs.n_constraints},
          {"domain", domain},
          {"one_time_ms", once_json},
          {"witness_ms", witness_ms},
          {"prove_ms", prove_ms},
          {"proof_wall_ms", wall_ms},
          {"verify_ms", verify_ms},
          {"cpu_s", cpu_s},
          {"ok", good},
          {"per_inference_ms", wall_ms / double(n)},
          {"per_inference_cpu_s", cpu_s / double(n)},
          {"overhead_cpu_per_inference", wall_ms / double(n) / float_ms},
          {"usd_per_million_inferences_cpu", cpu_s / double(n) * args.cpu_hour_usd / 3600.0 * 1e6}};
}

json cost_of_model(const std::string& name, const CostOptions& args, const runtime::CardParams& card, ThreadPool& pool,
                   bool& ok, std::ostream& log) {
  const fs::path dir(args.models_dir);
  const std::string model_path = (dir / (name + ".onnx")).string();
  const std::string input_path = (dir / "inputs" / (name + "_sample0.json")).string();
  const std::string input_name = prover::display_name(input_path);
  log << "cost: " << name << ": one-time setup\n";

  // One-time work, as prove-model does it.
  prover::PhaseTimings once;
  const zkml::Graph graph = once.time("import ONNX", [&] { return zkml::import_onnx(model_path); });
  const std::vector<double> input =
      zkml::read_input_json(input_path, graph.tensors[static_cast<std::size_t>(graph.input)].shape);
  // The committed settings when the model has them (models/reference/M.settings.json:
  // the ResNet's and ViT's are calibrated on training images), else calibrated on the input.
  const fs::path committed = dir / "reference" / (name + ".settings.json");
  const zkml::Settings settings = once.time("quantize (settings)", [&] {
    zkml::SettingsRequest opts;
    if (fs::exists(committed)) opts.settings = committed.string();
    return zkml::resolve_settings(graph, model_path, opts, &input, input_name);
  });
  const zkml::ModelCircuit circuit =
      once.time("compile circuit", [&] { return zkml::ModelCircuit(zkml::quantize(graph, settings, "settings")); });
  const prover::R1cs r1cs = once.time("r1cs (to Fr)", [&] { return circuit.r1cs(); });
  const std::uint32_t domain = prover::setup_domain_size(r1cs);
  const auto log_domain = static_cast<std::uint32_t>(std::countr_zero(domain));
  bool generated = false;
  const std::string ptau_path = once.time("powers of tau", [&] {
    return prover::cached_generated_ptau(prover::default_ptau_cache_dir(), log_domain, pool, &generated);
  });
  const prover::Groth16Zkey zkey = once.time("setup (Groth16 key)", [&] {
    return prover::groth16_setup(r1cs, prover::Ptau(ptau_path), prover::random_delta(), pool);
  });
  const prover::VerificationKey vk = prover::VerificationKey::from_zkey(zkey);
  prover::CpuEngine engine(pool);
  prover::ProveOptions no_verify;
  no_verify.verify = false;  // verified below, apart from the timed work
  once.time("warm-up proof (engine's NTT domain)", [&] {
    const zkml::Inference inf = zkml::infer(circuit, input, input_name);
    prover::prove(zkey, inf.witness.values, prover::ProofRandomness::random(), engine, no_verify);
  });

  // Plain inference: the float model as deployed, and the integer model the
  // circuit proves.
  log << "cost: " << name << ": plain inference\n";
  const double float_ms = time_per_call_ms(args.inference_min_ms, [&] {
    const zkml::FloatRun run = zkml::evaluate_float(graph, input);
    if (run.values.empty()) throw Error(name + ": the float evaluator returned nothing");
  });
  const std::vector<std::int64_t> qinput = zkml::quantize_input(circuit.model(), input, input_name);
  const double quantized_ms = time_per_call_ms(args.inference_min_ms, [&] {
    const zkml::QuantizedRun run = zkml::evaluate_quantized(circuit.model(), qinput);
    if (run.values.empty()) throw Error(name + ": the quantized evaluator returned nothing");
  });

  // Per proof: witness + prove, timed together; verify apart.
  std::vector<ProofRun> runs;
  std::size_t verified = 0;
  prover::Witness witness;  // the last run's, for the card's digit counts
  for (std::size_t r = 0; r < args.repeat; ++r) {
    log << "cost: " << name << ": proof " << (r + 1) << "/" << args.repeat << "\n";
    ProofRun run;
    const double cpu0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    zkml::Inference inf = zkml::infer(circuit, input, input_name);
    run.witness_ms = ms_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    const prover::Proof proof =
        prover::prove(zkey, inf.witness.values, prover::ProofRandomness::random(), engine, no_verify, &run.phases);
    run.prove_ms = ms_since(t1);
    run.wall_ms = ms_since(t0);
    run.cpu_s = process_cpu_seconds() - cpu0;
    const auto t2 = std::chrono::steady_clock::now();
    const bool good = prover::verify(vk, prover::public_signals(zkey, inf.witness.values), proof);
    run.verify_ms = ms_since(t2);
    verified += good;
    for (const auto& p : run.phases.phases()) {
      run.prove_phases_ms += p.ms;
      if (p.name.rfind("MSM ", 0) == 0 && p.name.find("(G1)") != std::string::npos) run.g1_msm_ms += p.ms;
    }
    witness = std::move(inf.witness);
    runs.push_back(std::move(run));
  }
  if (verified != runs.size()) ok = false;
  const auto med = [&](double ProofRun::*field) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.*field);
    return median(v);
  };
  const double wall_ms = med(&ProofRun::wall_ms), cpu_s = med(&ProofRun::cpu_s);
  // The G1 MSMs' share of a proof: their wall time over witness + prove,
  // per run, median. Applied to CPU time too (an estimate: the MSMs keep
  // every thread busy, as most of the prover does).
  std::vector<double> shares;
  for (const auto& r : runs) shares.push_back(r.g1_msm_ms / r.wall_ms);
  const double g1_share = median(shares);
  // The phases of the run closest to the median wall time.
  const ProofRun& typical = *std::min_element(runs.begin(), runs.end(), [&](const ProofRun& a, const ProofRun& b) {
    return std::abs(a.wall_ms - wall_ms) < std::abs(b.wall_ms - wall_ms);
  });

  // The card: the four G1 MSMs, additions from the witness's own digits
  // (A, B1, C); H's scalars are computed inside the prover and look random.
  const std::span<const BigInt<4>> w = witness.values;
  const std::size_t n_vars = zkey.n_vars, n_c = std::size_t(zkey.n_vars) - zkey.n_public - 1;
  struct Msm {
    const char* name;
    std::size_t n;
    std::optional<std::span<const BigInt<4>>> scalars;
  };
  const Msm msms[] = {{"A", n_vars, w}, {"B1", n_vars, w}, {"C", n_c, w.subspan(zkey.n_public + 1)}, {"H", domain, {}}};
  json card_msms = json::object();
  double card_s = 0, card_latency_s = 0, card_host_cpu_s = 0, card_kernel_s = 0;
  for (const Msm& m : msms) {
    std::optional<double> adds;
    if (m.scalars) adds = nonzero_digits(*m.scalars, runtime::card_window_bits(m.n, card), card.digit_bits, pool);
    const runtime::MsmProjection p = runtime::project_g1_msm(m.n, card, adds);
    card_s += p.card_s;
    card_kernel_s += p.kernel_s;
    card_latency_s += p.latency_s;
    card_host_cpu_s += p.host_cpu_s;
    card_msms[m.name] = projection_json(p);
    card_msms[m.name]["scalars"] = m.scalars ? "the witness (digits counted)" : "random-looking (dense digits)";
  }
  const double host_cpu_s = cpu_s * (1.0 - g1_share) + card_host_cpu_s;
  const double host_wall_s = wall_ms / 1e3 * (1.0 - g1_share);
  const double card_proof_s = host_wall_s + card_latency_s;

  std::uint64_t params = 0, macs = 0;
  for (const auto& l : graph.layers) params += l.weight.data.size() + l.bias.data.size();
  for (const auto& l : circuit.summary().layers) macs += l.macs;
  json once_json = json::object();
  for (const auto& p : once.phases()) once_json[p.name] = p.ms;
  json phases = json::object();
  for (const auto& p : typical.phases.phases()) phases[p.name] = p.ms;

  json batches = json::array();
  if (!args.batch.empty()) {
    std::vector<std::vector<double>> inputs;  // the model's sample inputs, in turn
    for (int k = 0;; ++k) {
      const fs::path p = dir / "inputs" / (name + "_sample" + std::to_string(k) + ".json");
      if (!fs::exists(p)) break;
      inputs.push_back(zkml::read_input_json(p.string(), graph.tensors[static_cast<std::size_t>(graph.input)].shape));
    }
    for (std::size_t n : args.batch) batches.push_back(batch_cost(name, circuit, inputs, n, float_ms, args, pool, ok, log));
  }

  const double usd_cpu = cpu_s * args.cpu_hour_usd / 3600.0 * 1e6;
  const double usd_card = (card_s * args.fpga_hour_usd + host_cpu_s * args.cpu_hour_usd) / 3600.0 * 1e6;
  return {{"model", name},
          {"onnx", prover::display_name(model_path)},
          {"input", input_name},
          {"parameters", params},
          {"macs", macs},
          {"constraints", r1cs.n_constraints},
          {"wires", r1cs.n_wires},
          {"public", zkey.n_public},
          {"domain", domain},
          {"inference_float_ms", float_ms},
          {"inference_quantized_ms", quantized_ms},
          {"one_time_ms", once_json},
          {"one_time_total_ms", once.total_ms()},
          {"ptau", generated ? "generated now (NOT a ceremony), cached" : "generated earlier (NOT a ceremony), cached"},
          {"repeat", runs.size()},
          {"verified", verified},
          {"ok", verified == runs.size()},
          {"witness_ms", med(&ProofRun::witness_ms)},
          {"prove_ms", med(&ProofRun::prove_ms)},
          {"proof_wall_ms", wall_ms},
          {"verify_ms", med(&ProofRun::verify_ms)},
          {"cpu_s", cpu_s},
          {"cpu_s_runs", [&] {
             json a = json::array();
             for (const auto& r : runs) a.push_back(r.cpu_s);
             return a;
           }()},
          {"wall_ms_runs", [&] {
             json a = json::array();
             for (const auto& r : runs) a.push_back(r.wall_ms);
             return a;
           }()},
          {"prover_phases_ms", phases},
          {"g1_msm_share", g1_share},
          {"overhead_cpu", wall_ms / float_ms},
          {"overhead_cpu_vs_quantized", wall_ms / quantized_ms},
          {"card",
           {{"card_s", card_s},
            {"kernel_s", card_kernel_s},
            {"msm_latency_s", card_latency_s},
            {"host_cpu_s", host_cpu_s},
            {"host_cpu_s_card_msms", card_host_cpu_s},
            {"host_wall_s", host_wall_s},
            {"proof_s", card_proof_s},
            {"msms", card_msms}}},
          {"overhead_card", card_proof_s * 1e3 / float_ms},
          {"usd_per_million_cpu", usd_cpu},
          {"usd_per_million_card", usd_card},
          {"batch", batches}};
}

void write_markdown(const fs::path& path, const json& report) {
  std::ofstream md(path);
  const json& m = report["machine"];
  const json& prices = report["prices"];
  md << "# zkacc bench: cost of a proof per model\n\n"
     << "Machine: " << m["cpu"].get<std::string>() << ", " << m["hardware_threads"] << " hardware threads (vCPUs), "
     << m["threads"] << " prover threads. Build: zkacc " << report["build"]["version"].get<std::string>() << " ("
     << report["build"]["type"].get<std::string>() << "). " << report["date"].get<std::string>() << ".\n\n"
     << "Prices: $" << prices["cpu_hour_usd"].get<double>() << " per vCPU-hour ("
     << prices["cpu_source"].get<std::string>() << "); $" << prices["fpga_hour_usd"].get<double>()
     << " per FPGA-hour (" << prices["fpga_source"].get<std::string>() << ").\n\n"
     << "| model | constraints | domain | float inference ms | quantized ms | proof ms (witness + prove) | overhead, CPU "
        "| CPU-s per proof | card-s per proof (projected) | proof ms with card (projected) | overhead with card "
        "| $ per 1M proofs, CPU | $ per 1M proofs, card + host |\n"
     << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : report["models"]) {
    md << "| " << r["model"].get<std::string>() << " | " << with_commas(r["constraints"].get<std::uint64_t>())
       << " | 2^" << std::countr_zero(r["domain"].get<std::uint32_t>()) << " | "
       << sig3(r["inference_float_ms"].get<double>()) << " | " << sig3(r["inference_quantized_ms"].get<double>())
       << " | " << sig3(r["proof_wall_ms"].get<double>()) << " | " << sig3(r["overhead_cpu"].get<double>()) << "× | "
       << sig3(r["cpu_s"].get<double>()) << " | " << sig3(r["card"]["card_s"].get<double>()) << " | "
       << sig3(r["card"]["proof_s"].get<double>() * 1e3) << " | " << sig3(r["overhead_card"].get<double>()) << "× | "
       << sig3(r["usd_per_million_cpu"].get<double>()) << " | " << sig3(r["usd_per_million_card"].get<double>())
       << " |" << (r["ok"].get<bool>() ? "" : " **PROOF DID NOT VERIFY**") << "\n";
  }
  md << "\nOne-time work per model (not charged per proof), ms:\n\n| model | phase | ms |\n|---|---|---:|\n";
  for (const auto& r : report["models"])
    for (auto it = r["one_time_ms"].begin(); it != r["one_time_ms"].end(); ++it)
      md << "| " << r["model"].get<std::string>() << " | " << it.key() << " | " << sig3(it.value().get<double>())
         << " |\n";
  md << "\nProjected G1 MSMs on the card, per proof:\n\n"
     << "| model | MSM | points | c | runs | additions | card ms | host CPU ms (reduction, checks) |\n"
     << "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : report["models"])
    for (auto it = r["card"]["msms"].begin(); it != r["card"]["msms"].end(); ++it) {
      const json& p = it.value();
      md << "| " << r["model"].get<std::string>() << " | " << it.key() << " | "
         << with_commas(p["points"].get<std::uint64_t>()) << " | " << p["window_bits"] << " | " << p["runs"] << " | "
         << with_commas(std::uint64_t(p["additions"].get<double>())) << " | " << sig3(p["card_s"].get<double>() * 1e3)
         << " | " << sig3(p["host_cpu_s"].get<double>() * 1e3) << " |\n";
    }
  bool any_batch = false;
  for (const auto& r : report["models"]) any_batch = any_batch || !r["batch"].empty();
  if (any_batch) {
    md << "\nMany inferences per proof (prove-model --batch: N copies of the circuit, one key, one proof):\n\n"
       << "| model | N | constraints | domain | witness ms | prove ms | ms per inference | CPU-s per inference "
          "| overhead per inference, CPU | $ per 1M inferences, CPU | verified |\n"
       << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (const auto& r : report["models"])
      for (const auto& b : r["batch"])
        md << "| " << r["model"].get<std::string>() << " | " << b["n"] << " | "
           << with_commas(b["constraints"].get<std::uint64_t>()) << " | 2^"
           << std::countr_zero(b["domain"].get<std::uint32_t>()) << " | " << sig3(b["witness_ms"].get<double>()) << " | "
           << sig3(b["prove_ms"].get<double>()) << " | " << sig3(b["per_inference_ms"].get<double>()) << " | "
           << sig3(b["per_inference_cpu_s"].get<double>()) << " | " << sig3(b["overhead_cpu_per_inference"].get<double>())
           << "× | " << sig3(b["usd_per_million_inferences_cpu"].get<double>()) << " | "
           << (b["ok"].get<bool>() ? "yes" : "**NO**") << " |\n";
  }
  const json& a = report["card_assumptions"];
  md << "\n## How the numbers are made\n\n"
     << "- Overhead, CPU = proof wall time (witness + prove, median of " << report["models"][0]["repeat"]
     << ") ÷ float inference time (zkml::evaluate_float, a straightforward double-precision evaluator, "
        "not an optimized runtime).\n"
     << "- CPU-s per proof = process CPU time over witness + prove: thread-seconds, i.e. vCPU-seconds.\n"
     << "- Card: the four G1 MSMs (A, B1, C, H) projected on one card; witness, G2 MSM (B2), NTTs and the rest "
        "stay on the host. Host CPU-s with a card = CPU-s × (1 − G1 MSMs' share of the wall time) + the host's "
        "share of the card MSMs (bucket reduction, subset checks). Proof time with card = host wall share + the "
        "MSMs' projected latency. Overhead with card = that ÷ float inference time.\n"
     << "- $ per 1M proofs: CPU = CPU-s × CPU price ÷ 3600 × 10^6; card = (card-s × FPGA price + host CPU-s × "
        "CPU price) ÷ 3600 × 10^6.\n"
     << "- Card assumptions (a projection, not a measurement): " << a["clock_mhz"].get<double>() << " MHz, 2^"
     << a["bucket_bits"] << " buckets, " << a["adders"] << " adder(s), adder utilization "
     << format_fixed(100 * a["adder_utilization"].get<double>(), 1) << "% (" << a["utilization_source"].get<std::string>()
     << "), " << a["launch_overhead_us"].get<double>() << " µs per kernel run, PCIe "
     << a["pcie_gb_per_s"].get<double>() << " GB/s, transfers "
     << (a["overlap_transfers"].get<bool>() ? "double-buffered" : "serial") << ", host XYZZ addition "
     << format_fixed(a["host_addition_ns"].get<double>(), 0) << " ns (" << a["host_addition_source"].get<std::string>()
     << "), subset check " << (a["subset_check"].get<bool>() ? "on" : "off") << ".\n";
  md << "\nFormulas, sources and discussion: docs/cost.md in the zkacc source tree.\n";
}

// cost.png: overhead ratio against constraints, log-log, CPU and projected card.
std::string write_plot(const fs::path& dir, const json& report) {
  if (!have_gnuplot()) return "gnuplot not found: no cost.png";
  double x_min = 1e300, x_max = 0;
  for (const auto& r : report["models"]) {
    x_min = std::min(x_min, double(r["constraints"].get<std::uint64_t>()));
    x_max = std::max(x_max, double(r["constraints"].get<std::uint64_t>()));
  }
  std::ofstream gp(dir / "cost.gp");
  gp << "set terminal pngcairo size 720,480\nset output '" << (dir / "cost.png").string() << "'\n"
     << "set xrange [" << x_min / 4 << ":" << x_max * 4 << "]\n"
     << "set logscale xy 10\nset grid\nset key left top\nset format y '%.0f'\n"
     << "set title 'Proof overhead (proof time / float inference time), this machine'\n"
     << "set xlabel 'model size (R1CS constraints)'\nset ylabel 'overhead ratio (x)'\n"
     << "set offsets 0, 0, graph 0.3, graph 0.3\n"
     << "plot '-' using 1:2 with linespoints pt 7 title 'CPU (measured)', "
        "'-' using 1:2 with linespoints pt 5 title 'G1 MSMs on a card (projected)', "
        "'-' using 1:2:3 with labels offset 1.5,0.8 notitle, '-' using 1:2:3 with labels offset 1.5,-0.8 notitle, "
        "1000 with lines dt 2 lc rgb 'gray40' title '1,000x (the overhead commonly quoted for ZKML)'\n";
  for (const char* key : {"overhead_cpu", "overhead_card"}) {
    for (const auto& r : report["models"])
      gp << r["constraints"].get<std::uint64_t>() << " " << r[key].get<double>() << "\n";
    gp << "e\n";
  }
  for (const char* key : {"overhead_cpu", "overhead_card"}) {
    for (const auto& r : report["models"])
      gp << r["constraints"].get<std::uint64_t>() << " " << r[key].get<double>() << " \""
         << r["model"].get<std::string>() << "\"\n";
    gp << "e\n";
  }
  gp.close();
  return run_gnuplot(dir / "cost.gp", dir / "cost-gnuplot.log");
}

void print_summary(std::ostream& out, const json& report) {
  out << "cost per proof (CPU measured on this machine; card projected, not measured):\n"
      << std::left << std::setw(7) << "model" << std::right << std::setw(12) << "constraints" << std::setw(11)
      << "infer ms" << std::setw(11) << "proof ms" << std::setw(11) << "overhead" << std::setw(9) << "CPU-s"
      << std::setw(10) << "card-s" << std::setw(12) << "ovh w/card" << std::setw(11) << "$/M CPU" << std::setw(12)
      << "$/M card" << "  verified\n";
  for (const auto& r : report["models"])
    out << std::left << std::setw(7) << r["model"].get<std::string>() << std::right << std::setw(12)
        << with_commas(r["constraints"].get<std::uint64_t>()) << std::setw(11)
        << sig3(r["inference_float_ms"].get<double>()) << std::setw(11) << sig3(r["proof_wall_ms"].get<double>())
        << std::setw(10) << sig3(r["overhead_cpu"].get<double>()) << "x" << std::setw(9)
        << sig3(r["cpu_s"].get<double>()) << std::setw(10) << sig3(r["card"]["card_s"].get<double>())
        << std::setw(11) << sig3(r["overhead_card"].get<double>()) << "x" << std::setw(11)
        << sig3(r["usd_per_million_cpu"].get<double>()) << std::setw(12)
        << sig3(r["usd_per_million_card"].get<double>()) << "  " << r["verified"] << "/" << r["repeat"] << "\n";
  for (const auto& r : report["models"])
    for (const auto& b : r["batch"])
      out << "  " << r["model"].get<std::string>() << " batch of " << b["n"] << ": " << sig3(b["per_inference_ms"].get<double>())
          << " ms per inference, overhead " << sig3(b["overhead_cpu_per_inference"].get<double>()) << "x per inference"
          << (b["ok"].get<bool>() ? "" : " (DID NOT VERIFY)") << "\n";
  out << "prices: $" << report["prices"]["cpu_hour_usd"].get<double>() << "/vCPU-hour, $"
      << report["prices"]["fpga_hour_usd"].get<double>() << "/FPGA-hour (--cpu-hour-usd, --fpga-hour-usd)\n";
}

}  // namespace

ReportResult run_cost_report(const CostOptions& args, ThreadPool& pool, const fs::path& dir, std::ostream& log) {
  if (args.models.empty()) throw Error("bench cost: --cost-models is empty");
  CostOptions resolved = args;
  if (resolved.models_dir.empty()) throw Error("bench cost: no models directory given");
  // Every model and input must exist before any work starts.
  for (const auto& name : resolved.models) {
    const fs::path onnx = fs::path(resolved.models_dir) / (name + ".onnx");
    const fs::path input = fs::path(resolved.models_dir) / "inputs" / (name + "_sample0.json");
    if (!fs::exists(onnx) || !fs::exists(input)) {
      std::string have;
      std::error_code ec;
      std::vector<std::string> names;
      for (const auto& e : fs::directory_iterator(resolved.models_dir, ec))
        if (e.path().extension() == ".onnx") names.push_back(e.path().stem().string());
      std::sort(names.begin(), names.end());
      for (const auto& n : names) have += (have.empty() ? "" : ", ") + n;
      throw Error("bench cost: unknown model '" + name + "': " + (fs::exists(onnx) ? input : onnx).string() +
                  " not found (models in " + resolved.models_dir + ": " + (have.empty() ? "none" : have) + ")");
    }
  }
  ReportResult result;
  json& report = result.json;
  report["date"] = utc_timestamp();
  report["machine"] = {{"cpu", cpu_model_name()},
                       {"hardware_threads", std::thread::hardware_concurrency()},
                       {"threads", pool.size()},
                       {"note", "CPU-seconds are thread-seconds of this machine's hardware threads (vCPUs)"}};
  report["build"] = {{"version", build_info::kVersion}, {"type", build_info::kBuildType},
                     {"compiler", build_info::kCompiler}, {"backends", build_info::kBackends}};
  report["prices"] = {{"cpu_hour_usd", resolved.cpu_hour_usd}, {"cpu_unit", "one vCPU (hardware thread) for one hour"},
                      {"cpu_source", resolved.cpu_hour_usd == CostOptions{}.cpu_hour_usd ? kCpuPriceSource : "--cpu-hour-usd"},
                      {"fpga_hour_usd", resolved.fpga_hour_usd},
                      {"fpga_unit", "one FPGA card for one hour"},
                      {"fpga_source", resolved.fpga_hour_usd == CostOptions{}.fpga_hour_usd ? kFpgaPriceSource : "--fpga-hour-usd"},
                      {"note", "on-demand list prices change; both are parameters (--cpu-hour-usd, --fpga-hour-usd)"}};

  // The card's parameters: the utilization from the simulated kernel when
  // there is one, the host's addition time from this machine.
  runtime::CardParams card;
  card.clock_mhz = resolved.card.clock_mhz;
  card.adders = resolved.card.adders;
  card.bucket_bits = resolved.card.bucket_bits;
  card.digit_bits = resolved.card.digit_bits;
  const json utilization = measure_utilization(resolved, pool, result.ok, log);
  card.adder_utilization = utilization["value"].get<double>();
  card.host_addition_ns = runtime::host_xyzz_addition_ns();
  report["card_assumptions"] = {
      {"what", "G1 MSMs A, B1, C, H of each proof on one card running zkacc_msm_kernel; a projection"},
      {"clock_mhz", card.clock_mhz},
      {"bucket_bits", card.bucket_bits},
      {"adders", card.adders},
      {"adder_utilization", card.adder_utilization},
      {"utilization_source", utilization["source"]},
      {"utilization_measurement", utilization},
      {"adder_latency", card.adder_latency},
      {"run_overhead_cycles", card.run_overhead_cycles},
      {"launch_overhead_us", card.launch_overhead_us},
      {"launch_overhead_source", "XRT run start + wait round trip per kernel run; an estimate (tens of µs), no card here"},
      {"pcie_gb_per_s", card.pcie_gb_per_s},
      {"overlap_transfers", card.overlap_transfers},
      {"host_addition_ns", card.host_addition_ns},
      {"host_addition_source", "measured now: an XYZZ + XYZZ addition on one core of this machine (runtime::host_xyzz_addition_ns, the unit the runtime's planner uses)"},
      {"digit_bits", card.digit_bits},
      {"host_slice_ns", card.host_slice_ns},
      {"host_slice_source", "documented: bench/msm_bench msm_digit_rows (slicing a scalar into its digit row, one core)"},
      {"subset_check", card.subset_check},
      {"host_threads", card.host_threads},
      {"host_threads_note", "host wall time modelled on this many threads (0: this machine's, as the runtime uses); CPU-seconds do not depend on it"},
      {"points_on_card", "loaded once per proving key; not charged per proof"},
      {"on_host", "witness, G2 MSM (B2), NTTs, H scalars, assembly"}};

  report["models"] = json::array();
  for (const auto& name : resolved.models) {
    json m = cost_of_model(name, resolved, card, pool, result.ok, log);
    report["models"].push_back(std::move(m));
  }
  report["ok"] = result.ok;

  std::ofstream(dir / "cost.json") << report.dump(2) << "\n";
  write_markdown(dir / "cost.md", report);
  const std::string plot_note = write_plot(dir, report);
  std::ostringstream summary;
  print_summary(summary, report);
  summary << "  " << (dir / "cost.json").string() << "\n  " << (dir / "cost.md").string() << "\n  "
            << (plot_note.empty() ? (dir / "cost.png").string() : plot_note) << "\n";
  result.summary = summary.str();
  return result;
}

}  // namespace zkacc::bench
