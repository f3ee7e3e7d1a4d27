// MpiSession in a build without MPI: `--mpi` fails with a message saying how
// to get it; everything else of mpi_engine.hpp still links.
#include <cstdlib>
#include <iostream>

#include "zkacc/runtime/mpi_engine.hpp"

namespace zkacc::runtime {

MpiSession::MpiSession(MpiOptions options) : options_(options) {
  throw Error(
      "this build has no MPI: install an MPI library (Debian: libopenmpi-dev openmpi-bin) and configure again "
      "(-DZKACC_WITH_MPI=AUTO or ON)");
}

MpiSession::~MpiSession() { finalize_ = false; }  // nothing was initialised

std::vector<std::uint8_t> MpiSession::allgather(std::span<const std::uint8_t> mine, std::string_view) {
  return {mine.begin(), mine.end()};
}

void MpiSession::abort(const std::string& message, int status) {
  if (!message.empty()) std::cerr << message << std::endl;
  std::_Exit(status);
}

bool MpiSession::built_with_mpi() { return false; }
std::string MpiSession::library_version() { return ""; }

}  // namespace zkacc::runtime
