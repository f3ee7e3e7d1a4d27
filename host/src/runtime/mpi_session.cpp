// MpiSession on Open MPI (or any MPI-3 library): only this file includes
// mpi.h. Waits are nonblocking collectives polled with a short sleep, which
// bounds every wait (MpiOptions::timeout) without a watchdog thread (so
// MPI_THREAD_FUNNELED suffices) and leaves the cores to the ranks still
// computing, where a blocking MPI call would spin on one.
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "zkacc/runtime/mpi_engine.hpp"

namespace zkacc::runtime {

MpiSession::MpiSession(MpiOptions options) : options_(options) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized || finalized) throw Error("MPI: already initialized in this process (one MpiSession per process)");
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw Error("MPI: MPI_Init_thread failed (is the job started with mpirun?)");
  finalize_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm host;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &host) == MPI_SUCCESS) {
    MPI_Comm_rank(host, &local_rank_);
    MPI_Comm_free(&host);
  }
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalize_ && !finalized) MPI_Finalize();
}

std::vector<std::uint8_t> MpiSession::allgather(std::span<const std::uint8_t> mine, std::string_view what) {
  std::vector<std::uint8_t> all(mine.size() * static_cast<std::size_t>(size_));
  // Besides the collective, each rank tells rank 0 it has arrived (an empty
  // message tagged with the exchange's number), so that on a timeout rank 0
  // can name the ranks that never came.
  const int tag = static_cast<int>(exchanges_ % 32768);
  std::vector<MPI_Request> arrivals;
  if (rank_ == 0) {
    arrivals.resize(static_cast<std::size_t>(size_), MPI_REQUEST_NULL);
    for (int r = 1; r < size_; ++r) MPI_Irecv(nullptr, 0, MPI_BYTE, r, tag, MPI_COMM_WORLD, &arrivals[r]);
  } else {
    arrivals.resize(1);
    MPI_Isend(nullptr, 0, MPI_BYTE, 0, tag, MPI_COMM_WORLD, &arrivals[0]);
  }
  MPI_Request request;
  MPI_Iallgather(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.data(), static_cast<int>(mine.size()),
                 MPI_BYTE, MPI_COMM_WORLD, &request);
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  // The other ranks wait a little longer than rank 0, so that rank 0 is the
  // one to report a hung rank (unless it hung itself).
  const auto timeout = rank_ == 0 ? options_.timeout
                                  : options_.timeout + std::max<std::chrono::milliseconds>(
                                                           std::chrono::seconds(2), options_.timeout / 10);
  auto pause = std::chrono::microseconds(20);
  for (;;) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) break;
    if (clock::now() - start >= timeout) {
      const auto seconds = std::to_string(static_cast<long long>(std::chrono::duration<double>(timeout).count() + 0.5));
      std::string missing;
      if (rank_ == 0) {
        for (int r = 1; r < size_; ++r) {
          int arrived = 0;
          MPI_Test(&arrivals[r], &arrived, MPI_STATUS_IGNORE);
          if (!arrived) missing += (missing.empty() ? "" : ", ") + std::to_string(r);
        }
      }
      abort(missing.empty()
                ? "zkacc: error: rank " + std::to_string(rank_) + ": waited " + seconds + " s for the other ranks at " +
                      std::string(what) + " (a rank hung or died; --mpi-timeout); aborting the job"
                : "zkacc: error: rank" + std::string(missing.find(',') != std::string::npos ? "s " : " ") + missing +
                      " did not reach " + std::string(what) + " within " + seconds +
                      " s (hung or died; --mpi-timeout); aborting the job");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(1000));
  }
  // Everyone posted its arrival before joining the collective: these finish.
  MPI_Waitall(static_cast<int>(arrivals.size()), arrivals.data(), MPI_STATUSES_IGNORE);
  ++exchanges_;
  bytes_sent_ += mine.size();
  bytes_received_ += all.size() - mine.size();
  return all;
}

void MpiSession::abort(const std::string& message, int status) {
  if (!message.empty()) {
    std::cout.flush();
    std::cerr << message << std::endl;
  }
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);  // MPI_Abort does not return; this is for the compiler
}

bool MpiSession::built_with_mpi() { return true; }

std::string MpiSession::library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string s(text, static_cast<std::size_t>(length));
  const std::size_t end = s.find_first_of(",\n");
  s = s.substr(0, end);
  int major = 0, minor = 0;
  MPI_Get_version(&major, &minor);
  return s + " (MPI " + std::to_string(major) + "." + std::to_string(minor) + ")";
}

}  // namespace zkacc::runtime
