// `zkacc bench --ops scaling`: MSM and prove time under `mpirun -np k` for
// each rank count k, with zkacc's own binary and --mpi as a user starts it;
// the speedup t1/tk and parallel efficiency speedup/k of each k, the MSMs'
// share of a proof and the bytes rank 0 exchanged. Writes scaling.json,
// scaling.md and scaling.png into the bench directory (docs/mpi.md, Scaling).
//
// Every job is a child process under a timeout, and every result is checked:
// each MSM against the single-process result, each proof verified (by prove
// itself and again by `zkacc verify`) with its public.json equal to the
// single-process one. The jobs of one round run every k in turn, so load
// from other work on the machine spreads over all rank counts.
//
// The ranks run on this machine (--oversubscribe): a row whose ranks ×
// threads exceed the hardware threads shares cores, is flagged
// "oversubscribed", and measures the cost of the split rather than its gain.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "zkacc/bench/format.hpp"
#include "zkacc/bench/machine.hpp"
#include "zkacc/bench/scaling_report.hpp"
#include "zkacc/bench/spread.hpp"
#include "zkacc/build_info.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/runtime/mpi_engine.hpp"

extern char** environ;

namespace zkacc::bench {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr const char* kNeedsMpi =
    "bench scaling: needs Open MPI: Debian libopenmpi-dev openmpi-bin, build with ZKACC_WITH_MPI";

// ---------------------------------------------------------------- processes

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last n non-empty lines, joined: enough of a child's stderr to say why
// it failed.
std::string tail_lines(const std::string& text, std::size_t n) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  std::string out;
  for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
    out += (out.empty() ? "" : " | ") + lines[i];
  return out;
}

// name itself if it holds a '/', else the first executable of that name on
// PATH; "" when there is none.
std::string find_program(const std::string& name) {
  const auto executable = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return executable(name) ? fs::absolute(name).string() : "";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (executable(candidate)) return fs::absolute(candidate).string();
  }
  return "";
}

struct ChildRun {
  std::string what;  // for messages: "msm np=2 (round 1)"
  int exit_code = -1;  // -1: ended by a signal, or by the timeout
  bool timed_out = false;
  double wall_ms = 0;
  std::string out, err;

  bool succeeded() const { return exit_code == 0 && !timed_out; }
  std::string failure() const {
    const std::string why = timed_out        ? "timed out"
                            : exit_code < 0 ? "ended by a signal"
                                            : "exit status " + std::to_string(exit_code);
    const std::string said = tail_lines(err.empty() ? out : err, 3);
    return what + ": " + why + (said.empty() ? "" : ": " + said);
  }
};

// Starts programs with an argument vector (no shell, so no quoting of paths
// or model names), stdin from /dev/null (mpirun would otherwise forward the
// terminal to rank 0), stdout and stderr into log files kept in the bench
// directory, and the environment the MPI tests give mpirun
// (tests/mpi/mpirun_env.sh): running as root (containers) needs Open MPI's
// explicit consent, and its single-copy mechanism (CMA) is often not
// permitted in containers while the exchanges are small anyway. The
// test-only fault variables are dropped so that a stray one in the caller's
// environment cannot fail the measurements.
class Launcher {
 public:
  Launcher(fs::path log_dir, double timeout_s)
      : log_dir_(std::move(log_dir)),
        timeout_(std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000))) {
    const std::vector<std::pair<std::string, std::string>> set = {
        {"OMPI_ALLOW_RUN_AS_ROOT", "1"},
        {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"},
        {"OMPI_MCA_btl_vader_single_copy_mechanism", "none"}};
    const std::vector<std::string> drop = {"ZKACC_MPI_TEST_FAIL_RANK", "ZKACC_MPI_TEST_HANG_RANK"};
    for (char** e = environ; e && *e; ++e) {
      const std::string entry(*e);
      const std::string key = entry.substr(0, entry.find('='));
      const bool replaced = std::any_of(set.begin(), set.end(), [&](const auto& kv) { return kv.first == key; });
      if (!replaced && std::find(drop.begin(), drop.end(), key) == drop.end()) env_.push_back(entry);
    }
    for (const auto& [k, v] : set) env_.push_back(k + "=" + v);
  }

  double timeout_s() const { return std::chrono::duration<double>(timeout_).count(); }

  // Runs argv (argv[0] a path) to its end or the timeout: SIGTERM then (mpirun
  // passes it to its ranks), SIGKILL 5 s later.
  ChildRun run(const std::string& what, const std::string& log_name, const std::vector<std::string>& argv) const {
    ChildRun r;
    r.what = what;
    const fs::path out_path = log_dir_ / (log_name + ".out"), err_path = log_dir_ / (log_name + ".err");
    std::vector<char*> args, envs;
    for (const auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
    args.push_back(nullptr);
    for (const auto& s : env_) envs.push_back(const_cast<char*>(s.c_str()));
    envs.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const auto t0 = Clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0].c_str(), &files, nullptr, args.data(), envs.data());
    posix_spawn_file_actions_destroy(&files);
    if (rc != 0) throw Error("bench scaling: cannot start " + argv[0] + " (" + what + "): " + std::strerror(rc));

    int status = 0;
    Clock::time_point kill_at{};
    for (;;) {
      const pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR)
        throw Error("bench scaling: waiting for " + what + ": " + std::strerror(errno));
      const auto now = Clock::now();
      if (!r.timed_out && now - t0 >= timeout_) {
        r.timed_out = true;
        ::kill(pid, SIGTERM);
        kill_at = now + std::chrono::seconds(5);
      } else if (r.timed_out && now >= kill_at) {
        ::kill(pid, SIGKILL);
        kill_at = now + std::chrono::hours(1);
      }
      // Polling, not a blocking wait, keeps the timeout without a signal
      // handler; 1 ms is below the resolution that matters here.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    r.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out_path);
    r.err = read_text(err_path);
    return r;
  }

 private:
  fs::path log_dir_;
  std::chrono::milliseconds timeout_;
  std::vector<std::string> env_;
};

// ---------------------------------------------------------------- the plan

struct Plan {
  const ScalingOptions& args;
  std::vector<unsigned> ranks;  // sorted, with 1
  std::string self, mpirun;
  unsigned hardware_threads;
  Launcher launcher;
  std::ostream& log;  // progress lines

  std::string threads() const { return std::to_string(args.threads_per_rank); }
  bool oversubscribed(unsigned k) const { return k * args.threads_per_rank > hardware_threads; }
  std::vector<std::string> under_mpirun(unsigned k, const std::vector<std::string>& command) const {
    std::vector<std::string> argv{mpirun, "--oversubscribe", "--bind-to", "none", "-np", std::to_string(k), self};
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
  }
  void progress(const std::string& what) const { log << "scaling: " << what << "\n"; }
};

std::optional<double> ratio(std::optional<double> num, std::optional<double> den) {
  if (!num || !den || *den <= 0) return std::nullopt;
  return *num / *den;
}
json or_null(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

// speedup = t1/tk and efficiency = speedup/k for each row's `field`, from the
// row with ranks = 1 (none when that row failed).
void add_speedups(json& rows, const char* field, const char* speedup, const char* efficiency) {
  std::optional<double> t1;
  for (const auto& row : rows)
    if (row["ranks"] == 1 && row["ok"].get<bool>() && row[field].is_number()) t1 = row[field].get<double>();
  for (auto& row : rows) {
    const std::optional<double> tk =
        row[field].is_number() ? std::optional<double>(row[field].get<double>()) : std::nullopt;
    const std::optional<double> s = ratio(t1, tk);
    row[speedup] = or_null(s);
    row[efficiency] = or_null(ratio(s, double(row["ranks"].get<unsigned>())));
  }
}

std::optional<double> median_of(const std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  return median(v);
}

// ---------------------------------------------------------------- MSM

struct MsmJob {
  bool ok = false;
  double msm_ms = 0, wall_ms = 0;
  json result;
  std::string error;
};

// The one JSON line `zkacc msm --json` prints (rank 0's, under mpirun).
MsmJob parse_msm(const ChildRun& run) {
  MsmJob job;
  job.wall_ms = run.wall_ms;
  if (!run.succeeded()) {
    job.error = run.failure();
    return job;
  }
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("{", 0) != 0) continue;
    try {
      const json j = json::parse(line);
      job.msm_ms = j.at("median_ms").get<double>();
      job.result = j.at("result");
      job.ok = j.at("ok").get<bool>();
      if (!job.ok) job.error = run.what + ": the result fails the check against the known discrete logs";
      return job;
    } catch (const std::exception& e) {
      job.error = run.what + ": unreadable JSON from msm --json: " + e.what();
      return job;
    }
  }
  job.error = run.what + ": no JSON line in msm's output";
  return job;
}

json measure_msm(const Plan& p) {
  const unsigned log_n = p.args.msm_log;
  const std::string n = std::to_string(std::size_t(1) << log_n), repeat = std::to_string(p.args.repeat);
  // The reference: one process, no MPI, the same seeded instance.
  p.progress("msm 2^" + std::to_string(log_n) + ", one process without MPI");
  const MsmJob single = parse_msm(p.launcher.run("msm without --mpi", "msm-single",
                                                 {p.self, "msm", "-n", n, "--seed", "1", "--json", "--threads",
                                                  p.threads(), "-r", repeat}));
  if (!single.error.empty()) throw Error("bench scaling: the single-process MSM failed: " + single.error);

  // One MSM per job (-r 1), so each job's wall time is start-up, the
  // instance (generated on every rank) and one MSM.
  std::map<unsigned, std::vector<MsmJob>> jobs;
  for (std::size_t round = 0; round < p.args.repeat; ++round)
    for (unsigned k : p.ranks) {
      const std::string what = "msm 2^" + std::to_string(log_n) + " np=" + std::to_string(k) + " (job " +
                               std::to_string(round + 1) + "/" + repeat + ")";
      p.progress(what);
      jobs[k].push_back(parse_msm(p.launcher.run(
          what, "msm-np" + std::to_string(k) + "-" + std::to_string(round + 1),
          p.under_mpirun(k, {"msm", "-n", n, "--seed", "1", "--json", "--mpi", "--threads", p.threads(), "-r", "1"}))));
    }

  json rows = json::array();
  for (unsigned k : p.ranks) {
    std::vector<double> msm_ms, wall_ms;
    json errors = json::array();
    bool matches = true;
    for (const MsmJob& j : jobs[k]) {
      if (!j.error.empty()) {
        errors.push_back(j.error);
        continue;
      }
      msm_ms.push_back(j.msm_ms);
      wall_ms.push_back(j.wall_ms);
      if (j.result != single.result) {
        matches = false;
        errors.push_back("np=" + std::to_string(k) + ": the result differs from the single-process result");
      }
    }
    json row = {{"ranks", k},
                {"cores_used", k * p.args.threads_per_rank},
                {"oversubscribed", p.oversubscribed(k)},
                {"jobs", jobs[k].size()},
                {"msm_ms", or_null(median_of(msm_ms))},
                {"msm_ms_each", msm_ms},
                {"job_wall_ms", or_null(median_of(wall_ms))},
                {"result_matches", matches && errors.empty()},
                {"ok", errors.empty()}};
    if (!errors.empty()) row["errors"] = errors;
    rows.push_back(row);
  }
  add_speedups(rows, "msm_ms", "speedup", "efficiency");
  add_speedups(rows, "job_wall_ms", "job_wall_speedup", "job_wall_efficiency");
  bool ok = true;
  for (const auto& r : rows) ok = ok && r["ok"].get<bool>();
  return {{"log_size", log_n},
          {"size", std::size_t(1) << log_n},
          {"seed", 1},
          {"single_process_ms", single.msm_ms},
          {"result", single.result},
          {"rows", rows},
          {"ok", ok}};
}

// ---------------------------------------------------------------- prove

struct Inputs {
  fs::path zkey, wtns, vkey, pub;  // pub: prove-model's single-process public.json
  json about;
};

// The model's key and witness, made once by `zkacc prove-model` (which also
// proves and verifies once without MPI, and reuses a key it made earlier in
// the same directory for the same circuit).
struct ModelFiles {
  fs::path onnx, sample;
};

// The committed model and its first sample input, checked before any job runs.
ModelFiles model_files(const ScalingOptions& options) {
  const std::string& model = options.model;
  const fs::path models = options.models_dir;
  const ModelFiles f{models / (model + ".onnx"), models / "inputs" / (model + "_sample0.json")};
  if (!fs::exists(f.onnx) || !fs::exists(f.sample)) {
    std::string known;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(models, ec))
      if (e.path().extension() == ".onnx") known += (known.empty() ? "" : ", ") + e.path().stem().string();
    throw Error("bench scaling: no committed model '" + model + "' (" + f.onnx.string() + " and " +
                f.sample.string() + "); the models are: " + (known.empty() ? "none found" : known));
  }
  return f;
}

Inputs make_inputs(const Plan& p, const fs::path& dir, std::size_t setup_threads) {
  const auto [onnx, sample] = model_files(p.args);
  const fs::path out = dir / "scaling-inputs";
  p.progress("the " + p.args.model + " model's key and witness (zkacc prove-model; the key is reused when present)");
  const ChildRun run = p.launcher.run("prove-model " + p.args.model, "prove-model",
                                      {p.self, "prove-model", onnx.string(), sample.string(), "--out", out.string(),
                                       "--threads", std::to_string(setup_threads)});
  if (!run.succeeded()) throw Error("bench scaling: making the inputs failed: " + run.failure());
  Inputs in{out / "circuit.zkey", out / "witness.wtns", out / "verification_key.json", out / "public.json", {}};
  in.about = {{"model", p.args.model}, {"onnx", "models/" + p.args.model + ".onnx"},
              {"input", "models/inputs/" + p.args.model + "_sample0.json"}, {"dir", out.string()}};
  std::smatch m;
  const std::regex circuit(R"(circuit: ([0-9,]+) constraints, ([0-9,]+) wires, domain 2\^([0-9]+))");
  if (std::regex_search(run.out, m, circuit)) {
    const auto number = [](std::string s) {
      s.erase(std::remove(s.begin(), s.end(), ','), s.end());
      return std::stoull(s);
    };
    in.about["constraints"] = number(m[1]);
    in.about["wires"] = number(m[2]);
    in.about["log_domain"] = std::stoi(m[3]);
  }
  in.about["key_reused"] = run.out.find("the key in --out was made for this circuit") != std::string::npos;
  in.about["prove_model_wall_ms"] = run.wall_ms;
  return in;
}

struct ProveJob {
  bool ok = false;
  std::string error;
  double wall_ms = 0, total_ms = 0, msm_ms = 0;
  std::vector<std::pair<std::string, double>> phases;
  std::optional<std::uint64_t> exchanges, sent, received;
};

// `prove --timings` prints "<phase>  <ms>  <busy %>" lines (ms with one
// decimal, busy % with none), "total  <ms>  <busy %>" and, with --mpi,
// "mpi: N ranks, E exchanges, rank 0 sent S bytes and received R".
ProveJob parse_prove(const ChildRun& run) {
  ProveJob job;
  job.wall_ms = run.wall_ms;
  if (!run.succeeded()) {
    job.error = run.failure();
    return job;
  }
  const std::regex phase(R"(^(\S.*\S)\s+([0-9]+\.[0-9]+)(\s+[0-9]+)?\s*$)");
  const std::regex mpi(R"(^mpi: ([0-9]+) ranks, ([0-9]+) exchanges, rank 0 sent ([0-9]+) bytes and received ([0-9]+))");
  std::istringstream in(run.out);
  bool in_phases = false, total = false;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (line.rfind("phase", 0) == 0) {
      in_phases = true;
    } else if (in_phases && std::regex_match(line, m, phase)) {
      const double ms = std::stod(m[2]);
      if (m[1] == "total") {
        job.total_ms = ms;
        total = true;
        in_phases = false;
      } else {
        job.phases.emplace_back(m[1], ms);
        if (std::string(m[1]).rfind("MSM ", 0) == 0) job.msm_ms += ms;
      }
    } else if (std::regex_search(line, m, mpi)) {
      job.exchanges = std::stoull(m[2]);
      job.sent = std::stoull(m[3]);
      job.received = std::stoull(m[4]);
    }
  }
  if (!total) {
    job.error = run.what + ": no phase timings in prove's output";
    return job;
  }
  job.ok = true;
  return job;
}

// Checks a finished proof: its public.json equals the single-process one,
// and `zkacc verify` accepts it (prove verified it before writing already;
// this check shares nothing with the job).
void check_proof(const Plan& p, const Inputs& in, const fs::path& proof, const fs::path& pub, ProveJob& job,
                 const std::string& what, const std::string& log_name) {
  if (!job.ok) return;
  if (read_text(pub) != read_text(in.pub)) {
    job.ok = false;
    job.error = what + ": public.json differs from the single-process one";
    return;
  }
  const ChildRun v =
      p.launcher.run(what + ": zkacc verify", log_name + "-verify", {p.self, "verify", in.vkey, pub, proof});
  if (!v.succeeded()) {
    job.ok = false;
    job.error = what + ": the proof does not verify: " + v.failure();
  }
}

json prove_row(const Plan& p, unsigned k, const std::vector<ProveJob>& jobs) {
  std::vector<double> total, msm, wall;
  std::map<std::string, std::vector<double>> phases;
  std::vector<std::string> order;
  json errors = json::array();
  std::optional<std::uint64_t> exchanges, sent, received;
  for (const ProveJob& j : jobs) {
    if (!j.ok) {
      errors.push_back(j.error);
      continue;
    }
    total.push_back(j.total_ms);
    msm.push_back(j.msm_ms);
    wall.push_back(j.wall_ms);
    for (const auto& [name, ms] : j.phases) {
      if (!phases.count(name)) order.push_back(name);
      phases[name].push_back(ms);
    }
    // The same every job: the exchanges do not depend on timing.
    exchanges = j.exchanges;
    sent = j.sent;
    received = j.received;
  }
  const std::optional<double> t = median_of(total), m = median_of(msm);
  json phase_ms = json::object();
  for (const auto& name : order) phase_ms[name] = median(phases[name]);
  json row = {{"ranks", k},
              {"cores_used", k * p.args.threads_per_rank},
              {"oversubscribed", p.oversubscribed(k)},
              {"jobs", jobs.size()},
              {"prove_ms", or_null(t)},
              {"prove_ms_each", total},
              {"msm_ms", or_null(m)},
              {"msm_share", or_null(ratio(m, t))},
              {"replicated_ms", t && m ? json(*t - *m) : json(nullptr)},
              {"job_wall_ms", or_null(median_of(wall))},
              {"exchanges", exchanges ? json(*exchanges) : json(nullptr)},
              {"bytes_sent", sent ? json(*sent) : json(nullptr)},
              {"bytes_received", received ? json(*received) : json(nullptr)},
              {"bytes_exchanged", sent && received ? json(*sent + *received) : json(nullptr)},
              {"phases_ms", phase_ms},
              {"verified_and_public_matches", errors.empty()},
              {"ok", errors.empty()}};
  if (!errors.empty()) row["errors"] = errors;
  return row;
}

json measure_prove(const Plan& p, const fs::path& dir, std::size_t setup_threads) {
  const Inputs in = make_inputs(p, dir, setup_threads);
  const fs::path runs = dir / "scaling-runs";
  const std::string repeat = std::to_string(p.args.repeat);

  // The reference without MPI: the same key, witness and threads.
  std::vector<ProveJob> single;
  for (std::size_t round = 0; round < p.args.repeat; ++round) {
    const std::string what = "prove without --mpi (job " + std::to_string(round + 1) + "/" + repeat + ")";
    const std::string log = "prove-single-" + std::to_string(round + 1);
    p.progress(what);
    const fs::path proof = runs / (log + "-proof.json"), pub = runs / (log + "-public.json");
    ProveJob job = parse_prove(p.launcher.run(
        what, log, {p.self, "prove", in.zkey, in.wtns, proof, pub, "--timings", "--threads", p.threads()}));
    check_proof(p, in, proof, pub, job, what, log);
    single.push_back(std::move(job));
  }

  std::map<unsigned, std::vector<ProveJob>> jobs;
  for (std::size_t round = 0; round < p.args.repeat; ++round)
    for (unsigned k : p.ranks) {
      const std::string what =
          "prove np=" + std::to_string(k) + " (job " + std::to_string(round + 1) + "/" + repeat + ")";
      const std::string log = "prove-np" + std::to_string(k) + "-" + std::to_string(round + 1);
      p.progress(what);
      const fs::path proof = runs / (log + "-proof.json"), pub = runs / (log + "-public.json");
      ProveJob job = parse_prove(p.launcher.run(
          what, log,
          p.under_mpirun(k, {"prove", in.zkey, in.wtns, proof, pub, "--mpi", "--timings", "--threads", p.threads()})));
      if (job.ok && !job.exchanges) {
        job.ok = false;
        job.error = what + ": no 'mpi: ...' line in prove --timings";
      }
      check_proof(p, in, proof, pub, job, what, log);
      jobs[k].push_back(std::move(job));
    }

  json rows = json::array();
  for (unsigned k : p.ranks) rows.push_back(prove_row(p, k, jobs[k]));
  add_speedups(rows, "prove_ms", "speedup", "efficiency");
  add_speedups(rows, "job_wall_ms", "job_wall_speedup", "job_wall_efficiency");
  json single_row = prove_row(p, 0, single);
  for (const char* drop : {"ranks", "cores_used", "oversubscribed", "exchanges", "bytes_sent", "bytes_received",
                           "bytes_exchanged"})
    single_row.erase(drop);
  bool ok = single_row["ok"].get<bool>();
  for (const auto& r : rows) ok = ok && r["ok"].get<bool>();
  json j = in.about;
  j["single_process"] = single_row;
  j["rows"] = rows;
  j["ok"] = ok;
  return j;
}

// ---------------------------------------------------------------- outputs

std::string fmt(const json& v, int digits) {
  if (!v.is_number()) return "–";
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v.get<double>();
  return s.str();
}
std::string percent(const json& v) { return v.is_number() ? fmt(100.0 * v.get<double>(), 0) + "%" : "–"; }

std::string row_note(const json& row, unsigned hardware_threads) {
  std::string note;
  if (row["oversubscribed"].get<bool>())
    note = "oversubscribed (" + std::to_string(row["cores_used"].get<unsigned>()) + " threads on " +
           std::to_string(hardware_threads) + ")";
  if (!row["ok"].get<bool>()) note += std::string(note.empty() ? "" : "; ") + "FAILED";
  return note;
}

void write_markdown(const fs::path& path, const json& r) {
  const unsigned hw = r["machine"]["hardware_threads"].get<unsigned>();
  const json& msm = r["msm"];
  const json& prove = r["prove"];
  std::ofstream md(path);
  md << "# zkacc bench: scaling over MPI ranks\n\n"
     << "Machine: " << r["machine"]["cpu"].get<std::string>() << ", " << hw << " hardware threads. "
     << r["mpi_library"].get<std::string>() << ", `mpirun --oversubscribe --bind-to none -np k`, "
     << r["threads_per_rank"] << " thread(s) per rank, " << r["repeat"]
     << " job(s) per row (median; the rounds run every k in turn). Build: zkacc "
     << r["build"]["version"].get<std::string>() << " (" << r["build"]["type"].get<std::string>() << ").\n\n"
     << "speedup = t(1 rank) / t(k ranks), efficiency = speedup / k. Rows whose ranks × threads exceed the "
        "hardware threads are marked *oversubscribed*: their ranks share cores, so they measure the cost of "
        "splitting, not its gain.\n\n";

  md << "## MSM: G1, 2^" << msm["log_size"] << " points (`zkacc msm --mpi`)\n\n"
     << "MSM ms: the MSM alone, as `msm --json` times it on rank 0 (split, exchange, sum). Job wall: the whole "
        "`mpirun` job, with start-up and the random instance every rank generates. One process without MPI: "
     << fmt(msm["single_process_ms"], 1) << " ms.\n\n"
     << "| ranks | MSM ms | speedup | efficiency | job wall ms | job speedup | result | note |\n"
     << "|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const auto& row : msm["rows"])
    md << "| " << row["ranks"] << " | " << fmt(row["msm_ms"], 1) << " | " << fmt(row["speedup"], 2) << " | "
       << percent(row["efficiency"]) << " | " << fmt(row["job_wall_ms"], 0) << " | "
       << fmt(row["job_wall_speedup"], 2) << " | "
       << (row["result_matches"].get<bool>() ? "= one process" : "DIFFERS") << " | " << row_note(row, hw) << " |\n";

  md << "\n## Prove: the " << prove["model"].get<std::string>() << " model (`zkacc prove --mpi`";
  if (prove.contains("log_domain"))
    md << "; " << with_commas(prove["constraints"].get<std::uint64_t>()) << " constraints, domain 2^"
       << prove["log_domain"];
  md << ")\n\n"
     << "Prove ms: the total of `prove --timings` on rank 0 (loading the key and witness to writing the proof); "
        "MSM ms: its five MSMs, the only split part; replicated: the rest, which every rank does whole. Bytes: "
        "what rank 0 sent + received in the job's exchanges. One process without MPI: "
     << fmt(prove["single_process"]["prove_ms"], 1) << " ms (MSMs " << fmt(prove["single_process"]["msm_ms"], 1)
     << " ms).\n\n"
     << "| ranks | prove ms | speedup | efficiency | MSM ms | MSM share | replicated ms | job wall ms | job speedup | "
        "exchanges | bytes | proof | note |\n"
     << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const auto& row : prove["rows"])
    md << "| " << row["ranks"] << " | " << fmt(row["prove_ms"], 1) << " | " << fmt(row["speedup"], 2) << " | "
       << percent(row["efficiency"]) << " | " << fmt(row["msm_ms"], 1) << " | " << percent(row["msm_share"])
       << " | " << fmt(row["replicated_ms"], 1) << " | " << fmt(row["job_wall_ms"], 0) << " | "
       << fmt(row["job_wall_speedup"], 2) << " | " << (row["exchanges"].is_null() ? "–" : row["exchanges"].dump())
       << " | " << (row["bytes_exchanged"].is_null() ? "–" : row["bytes_exchanged"].dump()) << " | "
       << (row["verified_and_public_matches"].get<bool>() ? "verifies, public = one process" : "FAILED") << " | "
       << row_note(row, hw) << " |\n";

  // The phases behind the prove rows: the split MSMs against what every rank
  // does whole (the figures the cluster model in docs/mpi.md starts from).
  md << "\nPhases of `prove --timings` (ms, median):\n\n| phase | no MPI |";
  for (const auto& row : prove["rows"]) md << " " << row["ranks"] << (row["ranks"] == 1 ? " rank" : " ranks") << " |";
  md << "\n|---|---:|";
  for (std::size_t i = 0; i < prove["rows"].size(); ++i) md << "---:|";
  md << "\n";
  for (const auto& [name, ms] : prove["single_process"]["phases_ms"].items()) {
    md << "| " << name << " | " << fmt(ms, 1) << " |";
    for (const auto& row : prove["rows"])
      md << " " << (row["phases_ms"].contains(name) ? fmt(row["phases_ms"][name], 1) : "–") << " |";
    md << "\n";
  }

  std::vector<std::string> over;
  for (const auto& row : msm["rows"])
    if (row["oversubscribed"].get<bool>()) over.push_back(std::to_string(row["ranks"].get<unsigned>()));
  md << "\nOversubscribed rows: " << (over.empty() ? std::string("none") : "");
  for (std::size_t i = 0; i < over.size(); ++i) md << (i ? ", " : "") << over[i] << " ranks";
  md << ".\n";
  if (!r["ok"].get<bool>()) {
    md << "\n## Failures\n\n";
    for (const json* part : {&msm, &prove})
      for (const auto& row : (*part)["rows"])
        if (row.contains("errors"))
          for (const auto& e : row["errors"]) md << "- " << e.get<std::string>() << "\n";
  }
}

// scaling.png: speedup against ranks, MSM and prove, against the ideal line.
std::string write_plot(const Plan& p, const fs::path& dir, const json& r) {
  const std::string gnuplot = find_program("gnuplot");
  if (gnuplot.empty()) return "gnuplot not found: no scaling.png";
  const unsigned max_k = p.ranks.back();
  std::ofstream gp(dir / "scaling.gp");
  gp << "set terminal pngcairo size 640,480\nset output '" << (dir / "scaling.png").string() << "'\n"
     << "set title 'zkacc over MPI ranks on one machine (" << r["machine"]["hardware_threads"]
     << " hardware threads)'\nset xlabel 'ranks (" << p.args.threads_per_rank
     << " thread each)'\nset ylabel 'speedup over 1 rank'\nset grid\nset key left top\nset xrange [0.8:"
     << max_k + 0.2 << "]\nset yrange [0:" << max_k + 0.5 << "]\nset xtics 1\n"
     << "plot x with lines dashtype 2 lc rgb 'gray' title 'ideal', "
     << "'-' with linespoints pt 7 lc rgb '#1f77b4' title 'MSM 2^{" << p.args.msm_log << "}', "
     << "'-' with linespoints pt 5 lc rgb '#d62728' title 'prove (" << p.args.model << ")', "
     << "'-' with linespoints pt 6 dashtype 3 lc rgb '#1f77b4' title 'MSM job (wall)', "
     << "'-' with linespoints pt 4 dashtype 3 lc rgb '#d62728' title 'prove job (wall)'\n";
  for (const auto& [part, field] : {std::pair{"msm", "speedup"}, std::pair{"prove", "speedup"},
                                    std::pair{"msm", "job_wall_speedup"}, std::pair{"prove", "job_wall_speedup"}}) {
    for (const auto& row : r[part]["rows"])
      if (row[field].is_number()) gp << row["ranks"] << " " << row[field].get<double>() << "\n";
    gp << "e\n";
  }
  gp.close();
  const ChildRun run = p.launcher.run("gnuplot", "gnuplot", {gnuplot, (dir / "scaling.gp").string()});
  if (!run.succeeded()) return "gnuplot failed: " + run.failure();
  return "";
}

void print_summary(std::ostream& out, const json& r, const fs::path& dir, const std::string& plot_note) {
  const unsigned hw = r["machine"]["hardware_threads"].get<unsigned>();
  out << "scaling: " << r["threads_per_rank"] << " thread(s) per rank, " << hw
            << " hardware threads, median of " << r["repeat"] << " job(s)\n"
            << "  ranks  msm 2^" << r["msm"]["log_size"] << " ms  speedup  eff   prove " << std::setw(5)
            << r["prove"]["model"].get<std::string>() << " ms  speedup  eff   msm share  bytes\n";
  const auto& m = r["msm"]["rows"];
  const auto& pr = r["prove"]["rows"];
  for (std::size_t i = 0; i < m.size() && i < pr.size(); ++i) {
    out << "  " << std::setw(5) << m[i]["ranks"].get<unsigned>() << std::setw(13) << fmt(m[i]["msm_ms"], 1)
              << std::setw(9) << fmt(m[i]["speedup"], 2) << std::setw(6) << percent(m[i]["efficiency"])
              << std::setw(16) << fmt(pr[i]["prove_ms"], 1) << std::setw(9) << fmt(pr[i]["speedup"], 2)
              << std::setw(6) << percent(pr[i]["efficiency"]) << std::setw(11) << percent(pr[i]["msm_share"])
              << std::setw(8) << (pr[i]["bytes_exchanged"].is_null() ? "–" : pr[i]["bytes_exchanged"].dump());
    const std::string note = row_note(m[i], hw) + (pr[i]["ok"].get<bool>() ? "" : " prove FAILED");
    out << (note.empty() ? "" : "  " + note) << "\n";
  }
  out << "  " << (r["ok"].get<bool>() ? "all results checked ok" : "SOME CHECKS FAILED (see scaling.md)")
            << "\n  " << (dir / "scaling.json").string() << "\n  " << (dir / "scaling.md").string() << "\n  "
            << (plot_note.empty() ? (dir / "scaling.png").string() : plot_note) << "\n";
}

}  // namespace

ReportResult run_scaling_report(const ScalingOptions& args, ThreadPool& pool, const fs::path& dir,
                                std::ostream& log) {
  if (!runtime::MpiSession::built_with_mpi()) throw Error(std::string(kNeedsMpi) + " (this build has no MPI)");
  const std::string mpirun = find_program(args.mpirun);
  if (mpirun.empty()) throw Error(std::string(kNeedsMpi) + " (no " + args.mpirun + " found)");
  std::error_code ec;
  model_files(args);
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("bench scaling: cannot find zkacc's own binary (/proc/self/exe): " + ec.message());
  const fs::path logs = dir / "scaling-runs";
  fs::create_directories(logs, ec);
  if (ec) throw Error("bench scaling: cannot create " + logs.string() + ": " + ec.message());

  std::vector<unsigned> ranks = args.ranks;
  ranks.push_back(1);
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  const Plan plan{args, ranks, self.string(), mpirun, std::max(1u, std::thread::hardware_concurrency()),
                  Launcher(logs, args.timeout_s), log};

  json r;
  r["what"] = "MSM and Groth16 prove time under mpirun -np k on this machine: speedup t1/tk, efficiency speedup/k";
  r["date"] = utc_timestamp();
  r["machine"] = {{"cpu", cpu_model_name()}, {"hardware_threads", plan.hardware_threads}};
  r["build"] = {{"version", build_info::kVersion}, {"type", build_info::kBuildType},
                {"compiler", build_info::kCompiler}};
  r["mpi_library"] = runtime::MpiSession::library_version();
  r["mpirun"] = mpirun;
  r["ranks"] = ranks;
  r["threads_per_rank"] = args.threads_per_rank;
  r["repeat"] = args.repeat;
  r["msm"] = measure_msm(plan);
  r["prove"] = measure_prove(plan, dir, pool.size());
  r["ok"] = r["msm"]["ok"].get<bool>() && r["prove"]["ok"].get<bool>();
  r["logs"] = logs.string();

  const std::string plot_note = write_plot(plan, dir, r);
  r["plot"] = plot_note.empty() ? (dir / "scaling.png").string() : plot_note;
  std::ofstream(dir / "scaling.json") << r.dump(2) << "\n";
  write_markdown(dir / "scaling.md", r);
  std::ostringstream summary;
  print_summary(summary, r, dir, plot_note);
  return {r, r["ok"].get<bool>(), summary.str()};
}

}  // namespace zkacc::bench
