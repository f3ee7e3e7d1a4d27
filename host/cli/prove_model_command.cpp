// `zkacc prove-model model.onnx input.json --out out/`: from an ONNX model
// and one input to a verified Groth16 proof of the model's inference, in one
// command:
//
//   import ONNX → quantize (settings) → circuit (.r1cs) → witness (.wtns)
//   → powers of tau (--ptau, or a generated file cached per size: NOT a
//     ceremony, see prover/ptau_generate.hpp) → Groth16 setup (.zkey)
//   → prove (ProverEngine of --backend) → verify → proof.json, public.json
//
// With --batch the input file is a list of inputs (or a directory of them):
// one proof covers every inference (prover/batch.hpp), so the key, the
// setup and the verification are paid once for the batch.
//
// It prints the model's output (dequantized, and its argmax), the circuit's
// size and the time of each phase. Every file goes to --out; proof.json and
// public.json are written only once the proof has verified, and nothing is
// written if the model, settings or input is rejected.
#include <bit>
#include <iomanip>
#include <iostream>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "backend_options.hpp"
#include "commands.hpp"
#include "model_options.hpp"
#include "zkacc/prover/batch.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/ptau_generate.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/setup.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/sha256.hpp"

namespace zkacc::cli {
namespace {

struct ProveModelArgs {
  std::string model, input, out = "zkml-out", ptau;
  BackendFlags backend;
  ModelOptions opts;
  std::size_t threads = 0;
  bool timings = false, new_key = false, batch = false;
};

// Whether --out holds a key made for exactly this circuit (key.json records
// the digest of the circuit.r1cs it was made for) and, when --ptau is given,
// from that file.
bool can_reuse_key(const std::string& out, const std::string& r1cs_sha, const std::string& ptau) {
  if (!std::filesystem::exists(out_path(out, "circuit.zkey"))) return false;
  try {
    const auto rec = nlohmann::json::parse(prover::read_text_file(out_path(out, "key.json")));
    return rec.at("r1cs_sha256") == r1cs_sha && (ptau.empty() || rec.at("ptau") == ptau);
  } catch (const std::exception&) {
    return false;  // no record, or not one of ours
  }
}

void print_phases(const prover::PhaseTimings& t, const char* title) {
  std::cout << std::left << std::setw(40) << title << std::right << std::setw(10) << "ms" << "\n";
  for (const auto& p : t.phases())
    std::cout << "  " << std::left << std::setw(38) << p.name << std::right << std::setw(10) << std::fixed
              << std::setprecision(1) << p.ms << "\n";
  std::cout << "  " << std::left << std::setw(38) << "total" << std::right << std::setw(10) << t.total_ms() << "\n";
}

int run(const ProveModelArgs& a) {
  ThreadPool pool(a.threads);
  // The prover's MSMs and NTTs go through the runtime: --backend cpu, sim
  // (the kernels' Verilator models) or xrt. Made before any work, so a bad
  // --backend fails fast.
  BackendSet backends = make_backend_set(a.backend, pool);
  runtime::RuntimeEngine runtime_engine(*backends.scheduler);
  prover::CpuEngine cpu_engine(pool);
  prover::ProverEngine& engine = a.backend.uses_device() ? static_cast<prover::ProverEngine&>(runtime_engine) : cpu_engine;
  prover::PhaseTimings t;
  const zkml::Graph graph = t.time("import ONNX", [&] { return zkml::import_onnx(a.model); });
  const std::string input_name = prover::display_name(a.input);
  const zkml::Shape& in_shape = graph.tensors[static_cast<std::size_t>(graph.input)].shape;
  const std::vector<std::vector<double>> inputs =
      a.batch ? zkml::read_calibration_set(a.input, in_shape) : std::vector<std::vector<double>>{zkml::read_input_json(a.input, in_shape)};
  zkml::Settings settings = t.time("quantize (settings)", [&] {
    if (a.batch && a.opts.settings.empty() && a.opts.calibration.empty()) {  // calibrated on the whole batch
      ModelOptions o = a.opts;
      o.calibration = a.input;
      return resolve_settings(graph, a.model, o, nullptr, input_name);
    }
    return resolve_settings(graph, a.model, a.opts, &inputs[0], input_name);
  });
  const std::string sname = a.opts.settings.empty() ? "settings" : prover::display_name(a.opts.settings);
  const zkml::ModelCircuit circuit = t.time("compile circuit", [&] { return zkml::ModelCircuit(zkml::quantize(graph, settings, sname)); });
  settings.circuit = circuit.summary();
  const std::vector<zkml::Inference> infs = t.time("witness", [&] {
    std::vector<zkml::Inference> v;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      v.push_back(zkml::infer(circuit, inputs[i], a.batch ? input_name + ": input " + std::to_string(i) : input_name));
    return v;
  });
  // One inference: the model's circuit. A batch: that many copies side by side.
  const auto [r1cs, witness] = t.time("r1cs (to Fr)", [&] {
    prover::R1cs one = circuit.r1cs();
    if (!a.batch) return std::pair{std::move(one), infs[0].witness};
    const prover::BatchLayout layout(one, static_cast<std::uint32_t>(infs.size()));
    std::vector<prover::Witness> ws;
    for (const auto& inf : infs) ws.push_back(inf.witness);
    return std::pair{layout.r1cs(one), layout.witness(ws)};
  });

  const std::uint32_t domain = prover::setup_domain_size(r1cs);
  const std::uint32_t log_domain = static_cast<std::uint32_t>(std::countr_zero(domain));
  if (!a.ptau.empty() && prover::Ptau(a.ptau).power() < log_domain)
    throw Error(prover::display_name(a.ptau) + ": powers of tau of 2^" + std::to_string(prover::Ptau(a.ptau).power()) +
                " are too few for this circuit of " + std::to_string(r1cs.n_constraints) + " constraints (domain 2^" +
                std::to_string(log_domain) + ")");

  // Everything was accepted: from here on files are written.
  make_output_dir(a.out);
  t.time("write r1cs, settings, witness", [&] {
    prover::write_r1cs(out_path(a.out, "circuit.r1cs"), r1cs);
    zkml::write_settings(out_path(a.out, "settings.json"), settings);
    prover::write_wtns(out_path(a.out, "witness.wtns"), witness);
    prover::write_file_atomically(out_path(a.out, "output.json"),
                                  a.batch ? zkml::batch_to_json(circuit, infs) : zkml::inference_to_json(circuit, infs[0]));
  });

  // The key depends only on the circuit (and the ptau): a key made earlier in
  // --out for this very circuit.r1cs is reused, as a deployment would.
  const std::string r1cs_sha = zkml::sha256_file_hex(out_path(a.out, "circuit.r1cs"));
  const bool reuse = !a.new_key && can_reuse_key(a.out, r1cs_sha, a.ptau);
  std::string ptau_path = a.ptau, ptau_note = "given";
  if (reuse) {
    ptau_note = "not needed: the key in --out was made for this circuit";
  } else if (ptau_path.empty()) {
    bool generated = false;
    const std::string dir = prover::default_ptau_cache_dir();
    ptau_path = t.time("powers of tau", [&] { return prover::cached_generated_ptau(dir, log_domain, pool, &generated); });
    ptau_note = generated ? "generated now (NOT a ceremony), cached" : "generated earlier (NOT a ceremony), cached";
  }
  const prover::Groth16Zkey zkey =
      reuse ? t.time("load key (made earlier)", [&] { return prover::read_zkey(out_path(a.out, "circuit.zkey"), pool); })
            : t.time("setup (Groth16 key)", [&] {
                const prover::Ptau ptau(ptau_path);
                return prover::groth16_setup(r1cs, ptau, prover::random_delta(), pool);
              });
  const prover::VerificationKey vk = prover::VerificationKey::from_zkey(zkey);
  if (!reuse)
    t.time("write zkey, verification key", [&] {
      const std::string record = out_path(a.out, "key.json");
      std::remove(record.c_str());  // no stale record next to a half-written key
      prover::write_zkey(out_path(a.out, "circuit.zkey"), zkey);
      prover::write_file_atomically(out_path(a.out, "verification_key.json"), prover::vkey_to_json(vk));
      const nlohmann::ordered_json rec = {{"r1cs_sha256", r1cs_sha}, {"ptau", ptau_path},
                                          {"note", "circuit.zkey was made for this circuit.r1cs; prove-model reuses it"}};
      prover::write_file_atomically(record, rec.dump(1) + "\n");
    });

  prover::PhaseTimings prover_t;
  prover::ProveOptions no_verify;
  no_verify.verify = false;  // verified below, as a phase of its own
  const prover::Proof proof = t.time("prove (" + a.backend.backend + ")", [&] {
    return prover::prove(zkey, witness.values, prover::ProofRandomness::random(), engine, no_verify, &prover_t);
  });
  const std::vector<Fr> pub = prover::public_signals(zkey, witness.values);
  const bool ok = t.time("verify", [&] { return prover::verify(vk, pub, proof); });
  if (!ok) throw Error("the proof does not verify (internal error: the witness satisfied the circuit)");
  t.time("write proof", [&] {
    prover::write_file_atomically(out_path(a.out, "public.json"), prover::public_to_json(pub));
    prover::write_file_atomically(out_path(a.out, "proof.json"), prover::proof_to_json(proof));
  });

  for (const auto& note : graph.notes) std::cout << "note: " << note << "\n";
  std::cout << "model: " << prover::display_name(a.model) << ", input " << input_name << ", settings from "
            << settings.calibration << "\n";
  for (std::size_t i = 0; i < infs.size(); ++i) {
    if (a.batch) std::cout << "input " << i << ": ";
    print_output(std::cout, infs[i], graph.dropped_head);
  }
  std::cout << "circuit: " << with_commas(r1cs.n_constraints) << " constraints, " << with_commas(r1cs.n_wires)
            << " wires, domain 2^" << log_domain << "; public: " << r1cs.n_pub_out << " outputs + " << r1cs.n_pub_in
            << " inputs\n";
  std::cout << "powers of tau: " << ptau_path << " (" << ptau_note << ")\n";
  std::cout << "proof verified; wrote " << out_path(a.out, "proof.json") << ", public.json, verification_key.json, "
            << "circuit.zkey, circuit.r1cs, witness.wtns, settings.json, output.json\n";
  print_phases(t, "phase");
  if (a.timings) print_phases(prover_t, "prover phases");
  print_device_report(std::cout, backends);
  return 0;
}

}  // namespace

Action add_prove_model_command(CLI::App& app) {
  auto args = std::make_shared<ProveModelArgs>();
  auto* cmd = app.add_subcommand("prove-model", "ONNX model + input -> verified Groth16 proof of the inference, in one step");
  cmd->add_option("model", args->model, "The model (.onnx)")->required();
  cmd->add_option("input", args->input, "The input (JSON: {\"input\": [...]}); with --batch, a JSON list of inputs or a "
                                        "directory of input files")->required();
  cmd->add_flag("--batch", args->batch,
                "Prove every input of the list with one key and one proof (public.json: every output, then every input; "
                "settings calibrated on the batch unless --calibration or --settings)");
  cmd->add_option("-o,--out", args->out, "Output directory")->capture_default_str();
  cmd->add_option("--ptau", args->ptau,
                  "Prepared powers of tau (.ptau); default: a generated one, cached per size (NOT a ceremony)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd->add_flag("--timings", args->timings, "Also print the prover's own phases");
  cmd->add_flag("--new-key", args->new_key, "Make a new Groth16 key even if --out holds one for this circuit");
  add_model_options(cmd, args->opts);
  add_backend_options(*cmd, args->backend);
  return [args] { return run(*args); };
}

}  // namespace zkacc::cli
