// `--mpi` and `--mpi-timeout` of the commands that can run across MPI ranks
// (prove, msm), and the frame every rank runs such a command in: an
// MpiSession for the job's lifetime, errors agreed by the ranks reported
// once, by rank 0 (docs/mpi.md).
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "zkacc/runtime/mpi_engine.hpp"

namespace zkacc::cli {

struct MpiFlags {
  bool enabled = false;
  double timeout_s = 600;  // longest wait for the other ranks at one exchange
};

void add_mpi_options(CLI::App& cmd, MpiFlags& flags);

// Test-only faults from ZKACC_MPI_TEST_FAIL_RANK / ZKACC_MPI_TEST_HANG_RANK.
runtime::MpiTestFaults mpi_test_faults_from_env();

// Runs job on this rank inside an MpiSession. An error the ranks agreed on
// (MpiJobError) is printed by rank 0 and is exit status 1 on every rank; an
// error only this rank saw ends the whole job
// (MPI_Abort) after this rank prints it, since the others would wait for it.
int run_with_mpi(const MpiFlags& flags, const std::function<int(runtime::MpiSession&)>& job);

}  // namespace zkacc::cli
