// `zkacc bench --ops scaling`: MSM and prove time under `mpirun -np 1, 2, 3`
// (zkacc's own binary with --mpi), the speedup and parallel efficiency of
// each rank count: scaling.json, scaling.md, scaling.png in the bench
// directory (docs/mpi.md, Scaling).
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "zkacc/bench/report_result.hpp"
#include "zkacc/common/thread_pool.hpp"

namespace zkacc::bench {

struct ScalingOptions {
  std::vector<unsigned> ranks{1, 2, 3};  // 1 is always measured: the baseline of speedup
  unsigned msm_log = 18;                 // MSM size measured per rank count
  std::string model = "cnn";             // the committed model (models/<model>.onnx) whose proof is timed
  std::string models_dir;                // where the committed models are (the source tree's models/)
  std::size_t repeat = 3;                // jobs per measurement; the median is reported
  std::size_t threads_per_rank = 1;      // k ranks use k·threads cores: beyond the machine's, oversubscribed
  std::string mpirun = "mpirun";
  double timeout_s = 600;                // longest one job (mpirun, or the key's setup) may run
};

// Progress lines go to `log`. Throws zkacc::Error when the build has no MPI,
// mpirun is missing or the model is unknown.
ReportResult run_scaling_report(const ScalingOptions& options, ThreadPool& pool, const std::filesystem::path& dir,
                                std::ostream& log);

}  // namespace zkacc::bench
