// `zkacc prove-model model.onnx input.json --out out/`: from an ONNX model
// and one input to a verified Groth16 proof of the model's inference, in one
// command:
//
//   import ONNX → quantize (settings) → circuit (.r1cs) → witness (.wtns)
//   → powers of tau (--ptau, or a generated file cached per size: NOT a
//     ceremony, see prover/ptau_generate.hpp) → Groth16 setup (.zkey)
//   → prove (ProverEngine of --backend) → verify → proof.json, public.json
//
// With --mpi (under mpirun) the ranks split the proof's MSMs (docs/mpi.md);
// rank 0 writes every file.
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
#include <sstream>
#include <iostream>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "backend_options.hpp"
#include "commands.hpp"
#include "model_options.hpp"
#include "mpi_options.hpp"
#include "mpi_prove.hpp"
#include "zkacc/prover/batch.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/prover/memory_estimate.hpp"
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
  zkml::SettingsRequest opts;
  std::size_t threads = 0;
  double memory_limit_gib = 0;  // 0: what the machine has available
  bool timings = false, new_key = false, batch = false;
  MpiFlags mpi;
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

// The model's side of a proof: everything before the key, the same on
// every rank of an MPI job.
struct ModelStatement {
  zkml::Graph graph;
  zkml::Settings settings;
  std::unique_ptr<zkml::ModelCircuit> circuit;
  std::vector<zkml::Inference> infs;
  prover::R1cs r1cs;
  prover::Witness witness;
  std::uint32_t log_domain = 0;
};

// Throws before a large allocation if proving needs more memory than there
// is (the estimate: prover/memory_estimate.hpp).
void check_memory(const ProveModelArgs& a, std::uint64_t needed, std::uint64_t constraints, std::uint64_t domain,
                  const char* what) {
  const std::uint64_t available = a.memory_limit_gib > 0 ? static_cast<std::uint64_t>(a.memory_limit_gib * double(1ull << 30))
                                                         : prover::available_memory_bytes();
  if (available == 0 || needed <= available) return;
  const auto gib = [](std::uint64_t b) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << double(b) / double(1ull << 30);
    return s.str();
  };
  throw Error(prover::display_name(a.model) + ": proving this circuit (" + std::to_string(constraints) +
              " constraints, domain 2^" + std::to_string(std::countr_zero(domain)) + ") " + what + " needs about " +
              gib(needed) + " GiB of memory; " + gib(available) + " GiB " +
              (a.memory_limit_gib > 0 ? "allowed (--memory-limit)" : "available on this machine") +
              ". Make the key on a larger machine and reuse it (--out), prove across machines (--mpi), or use "
              "fewer bits or a smaller batch");
}

ModelStatement build_statement(const ProveModelArgs& a, ThreadPool& pool, prover::PhaseTimings& t) {
  ModelStatement m;
  m.graph = t.time("import ONNX", [&] { return zkml::import_onnx(a.model); });
  const std::string input_name = prover::display_name(a.input);
  const zkml::Shape& in_shape = m.graph.tensors[static_cast<std::size_t>(m.graph.input)].shape;
  const std::vector<std::vector<double>> inputs =
      a.batch ? zkml::read_calibration_set(a.input, in_shape) : std::vector<std::vector<double>>{zkml::read_input_json(a.input, in_shape)};
  m.settings = t.time("quantize (settings)", [&] {
    if (a.batch && a.opts.settings.empty() && a.opts.calibration.empty()) {  // calibrated on the whole batch
      zkml::SettingsRequest o = a.opts;
      o.calibration = a.input;
      return zkml::resolve_settings(m.graph, a.model, o, nullptr, input_name);
    }
    return zkml::resolve_settings(m.graph, a.model, a.opts, &inputs[0], input_name);
  });
  m.circuit = t.time("compile circuit", [&] { return zkml::compile_circuit(m.graph, m.settings, a.opts); });
  {  // before the witnesses, the field R1CS and the key: do they fit?
    const std::uint64_t copies = a.batch ? inputs.size() : 1;
    const std::uint64_t rows = copies * (std::uint64_t(m.settings.circuit.constraints) + m.settings.circuit.public_inputs +
                                         m.settings.circuit.public_outputs);
    const std::uint64_t domain = std::bit_ceil(rows + 1);
    check_memory(a, prover::estimate_proving_memory(domain).with_key, copies * m.settings.circuit.constraints, domain,
                 "with a key made earlier");
  }
  m.infs = t.time("witness", [&] {  // a batch's inferences on the pool's threads
    std::vector<zkml::Inference> v(inputs.size());
    pool.run(inputs.size(), [&](std::size_t i) {
      v[i] = zkml::infer(*m.circuit, inputs[i], a.batch ? input_name + ": input " + std::to_string(i) : input_name);
    });
    return v;
  });
  // One inference: the model's circuit. A batch: that many copies side by side.
  t.time("r1cs (to Fr)", [&] {
    prover::R1cs one = m.circuit->r1cs();
    if (!a.batch) {
      m.r1cs = std::move(one);
      m.witness = m.infs[0].witness;
      return;
    }
    const prover::BatchLayout layout(one, static_cast<std::uint32_t>(m.infs.size()));
    std::vector<prover::Witness> ws;
    for (const auto& inf : m.infs) ws.push_back(inf.witness);
    m.r1cs = layout.r1cs(one);
    m.witness = layout.witness(ws);
  });
  const std::uint32_t domain = prover::setup_domain_size(m.r1cs);
  m.log_domain = static_cast<std::uint32_t>(std::countr_zero(domain));
  if (!a.ptau.empty() && prover::Ptau(a.ptau).power() < m.log_domain)
    throw Error(prover::display_name(a.ptau) + ": powers of tau of 2^" + std::to_string(prover::Ptau(a.ptau).power()) +
                " are too few for this circuit of " + std::to_string(m.r1cs.n_constraints) + " constraints (domain 2^" +
                std::to_string(m.log_domain) + ")");
  return m;
}

struct KeyNote {
  std::string ptau_path, ptau_note;
};

// Writes the circuit, settings, witness and output into --out, then makes
// the key there (or finds the one made earlier for this very circuit).
prover::Groth16Zkey write_statement_and_key(const ProveModelArgs& a, const ModelStatement& m, ThreadPool& pool,
                                            prover::PhaseTimings& t, KeyNote& note) {
  const std::uint64_t domain = std::uint64_t(1) << m.log_domain;
  const auto check_setup_memory = [&] {
    check_memory(a, prover::estimate_proving_memory(domain).with_setup, m.r1cs.n_constraints, domain, "with a new key");
  };
  // No key in --out: a new one is certain, checked before anything is written.
  if (a.new_key || !std::filesystem::exists(out_path(a.out, "circuit.zkey"))) check_setup_memory();
  make_output_dir(a.out);
  t.time("write r1cs, settings, witness", [&] {
    prover::write_r1cs(out_path(a.out, "circuit.r1cs"), m.r1cs);
    zkml::write_settings(out_path(a.out, "settings.json"), m.settings);
    prover::write_wtns(out_path(a.out, "witness.wtns"), m.witness);
    prover::write_file_atomically(out_path(a.out, "output.json"), a.batch ? zkml::batch_to_json(*m.circuit, m.infs)
                                                                          : zkml::inference_to_json(*m.circuit, m.infs[0]));
  });
  // The key depends only on the circuit (and the ptau): a key made earlier in
  // --out for this very circuit.r1cs is reused, as a deployment would.
  const std::string r1cs_sha = zkml::sha256_file_hex(out_path(a.out, "circuit.r1cs"));
  const bool reuse = !a.new_key && can_reuse_key(a.out, r1cs_sha, a.ptau);
  note = {a.ptau, "given"};
  if (reuse) {
    note.ptau_note = "not needed: the key in --out was made for this circuit";
  } else {  // a key for another circuit in --out: a new one after all
    check_setup_memory();
  }
  if (!reuse && note.ptau_path.empty()) {
    bool generated = false;
    const std::string dir = prover::default_ptau_cache_dir();
    note.ptau_path = t.time("powers of tau", [&] { return prover::cached_generated_ptau(dir, m.log_domain, pool, &generated); });
    note.ptau_note = generated ? "generated now (NOT a ceremony), cached" : "generated earlier (NOT a ceremony), cached";
  }
  prover::Groth16Zkey zkey =
      reuse ? t.time("load key (made earlier)", [&] { return prover::read_zkey(out_path(a.out, "circuit.zkey"), pool); })
            : t.time("setup (Groth16 key)", [&] {
                const prover::Ptau ptau(note.ptau_path);
                return prover::groth16_setup(m.r1cs, ptau, prover::random_delta(), pool);
              });
  if (!reuse)
    t.time("write zkey, verification key", [&] {
      const std::string record = out_path(a.out, "key.json");
      std::remove(record.c_str());  // no stale record next to a half-written key
      prover::write_zkey(out_path(a.out, "circuit.zkey"), zkey);
      // snarkjs's verification key, plus what its public signals stand for
      // (snarkjs and the export commands ignore the extra key).
      prover::write_file_atomically(
          out_path(a.out, "verification_key.json"),
          zkml::verification_key_json(prover::VerificationKey::from_zkey(zkey), m.settings.exposure));
      const nlohmann::ordered_json rec = {{"r1cs_sha256", r1cs_sha}, {"ptau", note.ptau_path},
                                          {"note", "circuit.zkey was made for this circuit.r1cs; prove-model reuses it"}};
      prover::write_file_atomically(record, rec.dump(1) + "\n");
    });
  return zkey;
}

void write_proof(const ProveModelArgs& a, const prover::Proof& proof, const std::vector<Fr>& pub) {
  prover::write_file_atomically(out_path(a.out, "public.json"), prover::public_to_json(pub));
  prover::write_file_atomically(out_path(a.out, "proof.json"), prover::proof_to_json(proof));
}

void print_report(const ProveModelArgs& a, const ModelStatement& m, const KeyNote& note, const prover::PhaseTimings& t,
                  const prover::PhaseTimings& prover_t, BackendSet& backends) {
  for (const auto& n : m.graph.notes) std::cout << "note: " << n << "\n";
  std::cout << "model: " << prover::display_name(a.model) << ", input " << prover::display_name(a.input)
            << ", settings from " << m.settings.calibration << "\n";
  for (std::size_t i = 0; i < m.infs.size(); ++i) {
    if (a.batch) std::cout << "input " << i << ": ";
    print_output(std::cout, m.infs[i], m.graph.dropped_head);
  }
  std::cout << "circuit: " << with_commas(m.r1cs.n_constraints) << " constraints, " << with_commas(m.r1cs.n_wires)
            << " wires, domain 2^" << m.log_domain << "; public: " << m.r1cs.n_pub_out << " outputs ("
            << zkml::visibility_name(m.settings.exposure.output) << ") + " << m.r1cs.n_pub_in << " inputs ("
            << zkml::visibility_name(m.settings.exposure.input) << ")\n";
  std::cout << "powers of tau: " << note.ptau_path << " (" << note.ptau_note << ")\n";
  std::cout << "proof verified; wrote " << out_path(a.out, "proof.json") << ", public.json, verification_key.json, "
            << "circuit.zkey, circuit.r1cs, witness.wtns, settings.json, output.json\n";
  print_phases(t, "phase");
  if (a.timings) print_phases(prover_t, "prover phases");
  print_device_report(std::cout, backends);
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
  const ModelStatement m = build_statement(a, pool, t);
  // Everything was accepted: from here on files are written.
  KeyNote note;
  const prover::Groth16Zkey zkey = write_statement_and_key(a, m, pool, t, note);
  const prover::VerificationKey vk = prover::VerificationKey::from_zkey(zkey);

  prover::PhaseTimings prover_t;
  prover::ProveOptions no_verify;
  no_verify.verify = false;  // verified below, as a phase of its own
  const prover::Proof proof = t.time("prove (" + a.backend.backend + ")", [&] {
    return prover::prove(zkey, m.witness.values, prover::ProofRandomness::random(), engine, no_verify, &prover_t);
  });
  const std::vector<Fr> pub = prover::public_signals(zkey, m.witness.values);
  const bool ok = t.time("verify", [&] { return prover::verify(vk, pub, proof); });
  if (!ok) throw Error("the proof does not verify (internal error: the witness satisfied the circuit)");
  t.time("write proof", [&] { write_proof(a, proof, pub); });
  print_report(a, m, note, t, prover_t, backends);
  return 0;
}

// Under mpirun: every rank builds the statement (the same on each), rank 0
// writes it and makes or finds the key in --out, every rank reads its part
// of that key and the ranks prove in lockstep (mpi_prove.hpp); rank 0
// writes the proof. --out must be a directory every rank can read.
int run_mpi(const ProveModelArgs& a, runtime::MpiSession& session) {
  const int rank = session.rank();
  ThreadPool pool(a.threads);
  prover::PhaseTimings t, prover_t;
  ModelStatement m;
  runtime::agree(session, "building the circuit and witness", [&] { m = build_statement(a, pool, t); });
  KeyNote note;
  runtime::agree(session, "writing the circuit and making the key", [&] {
    if (rank == 0) (void)write_statement_and_key(a, m, pool, t, note);
  });
  const prover::ZkeyPart part{static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(session.size())};
  prover::Groth16Zkey zkey;
  const std::string zkey_path = out_path(a.out, "circuit.zkey");
  const auto fingerprints = runtime::agree(session, "loading the key", sizeof(std::uint64_t), [&] {
    zkey = t.time("load key part", [&] { return prover::read_zkey(zkey_path, pool, part); });
    return input_fingerprint(zkey, m.witness);
  });
  check_same_inputs(fingerprints, prover::display_name(zkey_path), "witness");
  BackendSet backends;
  const LockstepProof lp = t.time("prove (" + a.backend.backend + ", " + std::to_string(session.size()) + " ranks)", [&] {
    return prove_in_lockstep(session, zkey, m.witness, a.backend, pool, true, prover_t, backends);
  });
  runtime::agree(session, "writing the proof", [&] {
    if (rank == 0) t.time("write proof", [&] { write_proof(a, lp.proof, lp.pub); });
  });
  if (rank == 0) {
    print_report(a, m, note, t, prover_t, backends);
    std::cout << "mpi: " << session.size() << " ranks, " << session.exchanges() << " exchanges\n";
  }
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
  cmd->add_option("--memory-limit", args->memory_limit_gib,
                  "GiB this proof may use (default: what the machine has available); a circuit estimated to need more "
                  "is refused before anything large is allocated")
      ->check(CLI::NonNegativeNumber);
  add_model_options(cmd, args->opts);
  add_backend_options(*cmd, args->backend);
  add_mpi_options(*cmd, args->mpi);
  return [args] {
    if (!args->mpi.enabled) return run(*args);
    return run_with_mpi(args->mpi, [&](runtime::MpiSession& session) { return run_mpi(*args, session); });
  };
}

}  // namespace zkacc::cli
