#include "mpi_options.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

namespace zkacc::cli {
namespace {

int rank_from_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return -1;
  char* end = nullptr;
  const long r = std::strtol(v, &end, 10);
  if (*end || r < 0) throw Error(std::string(name) + "=" + v + ": not a rank number");
  return static_cast<int>(r);
}

}  // namespace

void add_mpi_options(CLI::App& cmd, MpiFlags& flags) {
  auto* mpi = cmd.add_flag(
      "--mpi", flags.enabled,
      "Split the MSMs across the ranks of an MPI job (start with mpirun -np N; every rank reads the inputs)");
  cmd.add_option("--mpi-timeout", flags.timeout_s,
                 "With --mpi: seconds a rank waits for the others at one exchange before it aborts the job")
      ->check(CLI::Range(0.1, 1e6))
      ->needs(mpi);
}

runtime::MpiTestFaults mpi_test_faults_from_env() {
  return {rank_from_env("ZKACC_MPI_TEST_FAIL_RANK"), rank_from_env("ZKACC_MPI_TEST_HANG_RANK")};
}

int run_with_mpi(const MpiFlags& flags, const std::function<int(runtime::MpiSession&)>& job) {
  runtime::MpiOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<long long>(flags.timeout_s * 1000));
  runtime::MpiSession session(options);
  try {
    return job(session);
  } catch (const runtime::MpiJobError& e) {
    // Printed before MPI_Finalize: once a rank has exited non-zero, mpirun
    // may kill the rest, and the message must be out by then.
    if (session.rank() == 0) std::cerr << "zkacc: error: " << e.what() << std::endl;
    return 1;
  } catch (const std::exception& e) {
    session.abort("zkacc: error: rank " + std::to_string(session.rank()) + ": " + e.what());
  }
}

}  // namespace zkacc::cli
