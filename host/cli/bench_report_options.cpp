#include "bench_report_options.hpp"

namespace zkacc::cli {

void add_scaling_options(CLI::App& cmd, bench::ScalingOptions& args) {
  cmd.add_option("--scaling-ranks", args.ranks, "scaling: rank counts to measure (1 is always measured)")
      ->delimiter(',')
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  cmd.add_option("--scaling-msm-log", args.msm_log, "scaling: the MSM's size as a power of two")
      ->check(CLI::Range(1u, 26u))
      ->capture_default_str();
  cmd.add_option("--scaling-model", args.model, "scaling: the committed model whose proof is timed (models/<name>.onnx)")
      ->capture_default_str();
  cmd.add_option("--scaling-repeat", args.repeat, "scaling: jobs per measurement (median)")
      ->check(CLI::Range(std::size_t(1), std::size_t(100)))
      ->capture_default_str();
  cmd.add_option("--scaling-threads", args.threads_per_rank, "scaling: worker threads of each rank")
      ->check(CLI::Range(std::size_t(1), std::size_t(1024)))
      ->capture_default_str();
  cmd.add_option("--scaling-mpirun", args.mpirun, "scaling: the mpirun to start the jobs with")->capture_default_str();
  cmd.add_option("--scaling-timeout", args.timeout_s, "scaling: seconds one job may run before it is ended")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void add_cost_options(CLI::App& cmd, bench::CostOptions& args) {
  cmd.add_option("--cost-models", args.models, "cost: committed models to prove (M: M.onnx, inputs/M_sample0.json)")
      ->delimiter(',')
      ->capture_default_str();
  cmd.add_option("--cost-models-dir", args.models_dir, "cost: where the models are")->capture_default_str();
  cmd.add_option("--cost-batch", args.batch,
                 "cost: also prove N inferences per proof (prove-model --batch) for each N of this list, e.g. 1,8,32")
      ->delimiter(',')
      ->check(CLI::Range(std::size_t(1), std::size_t(4096)));
  cmd.add_option("--cost-repeat", args.repeat, "cost: timed proofs per model (median)")
      ->check(CLI::Range(std::size_t(1), std::size_t(1000)))
      ->capture_default_str();
  cmd.add_option("--cost-inference-ms", args.inference_min_ms, "cost: time plain inference over at least this long")
      ->check(CLI::Range(1.0, 1e6))
      ->capture_default_str();
  cmd.add_option("--cpu-hour-usd", args.cpu_hour_usd,
                 "cost: price of one vCPU-hour (default: AWS c6i.large on-demand us-east-1, $0.085/h / 2 vCPUs)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd.add_option("--fpga-hour-usd", args.fpga_hour_usd,
                 "cost: price of one FPGA-card-hour (default: AWS f1.2xlarge on-demand us-east-1)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd.add_option("--cost-sim-log", args.sim_log,
                 "cost: measure the adder utilization on the simulated kernel with 2^k points (0: use the documented "
                 "98.1%)")
      ->check(CLI::Range(0u, 16u))
      ->capture_default_str();
  cmd.add_option("--cost-clock-mhz", args.card.clock_mhz, "cost: projected card's kernel clock")
      ->check(CLI::Range(1.0, 2000.0))
      ->capture_default_str();
  cmd.add_option("--cost-adders", args.card.adders, "cost: point adders on the projected card")
      ->check(CLI::Range(1u, 16u))
      ->capture_default_str();
  cmd.add_option("--cost-bucket-bits", args.card.bucket_bits, "cost: on-card buckets (log2) of the projected card")
      ->check(CLI::Range(8u, 20u))
      ->capture_default_str();
  cmd.add_option("--cost-digit-bits", args.card.digit_bits,
                 "cost: the projected card's digit width (16: c <= 15; 18: c <= 17)")
      ->check(CLI::Range(16u, 24u))
      ->capture_default_str();
}

}  // namespace zkacc::cli
