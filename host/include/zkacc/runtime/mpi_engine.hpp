// Proving across MPI ranks (Open MPI), SPMD and in lockstep: every rank runs
// the same command on the same inputs, and MpiEngine splits each MSM by point
// range over the ranks, each rank running its range on its own local engine
// (CPU, sim or card through the Scheduler). The ranks exchange their partial
// sums (one allgather of a few hundred bytes per rank) and add them in rank
// order, so every rank holds the same result and builds the same proof. The
// NTTs are replicated: each rank transforms the whole vector, which costs no
// communication and one process's time; splitting them moves about the whole
// vector twice per transform, which loses on 1 GbE links and gains from
// about 2^20 on 10 GbE (docs/mpi.md has the figures: the next step).
//
// Failures never hang the job:
//  * every exchange carries each rank's status and error message, so a rank
//    whose local work threw reports it at the exchange and every rank throws
//    the same MpiJobError ("rank 1: <what went wrong>");
//  * every wait for the other ranks is bounded (MpiOptions::timeout): a rank
//    that hung or died makes rank 0 abort the job with a message naming the
//    ranks that did not arrive and the exchange.
//
// This header needs no mpi.h: a build without MPI links a stub whose
// MpiSession constructor throws an Error saying how to get MPI.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/engine.hpp"

namespace zkacc::runtime {

struct MpiOptions {
  // Longest rank 0 waits at one exchange for the others before it aborts the
  // whole job (MPI_Abort); the other ranks wait max(2 s, 10%) longer, so rank
  // 0 reports unless it hung itself. The ranks do the same work, so a healthy
  // job's waits are its imbalance, far below this.
  std::chrono::milliseconds timeout{std::chrono::seconds(600)};
};

// An error every rank agreed on at an exchange: all ranks throw it, rank 0
// reports it, and the job ends with status 1 on every rank.
class MpiJobError : public Error {
 public:
  MpiJobError(const std::string& what, int failed_rank) : Error(what), failed_rank_(failed_rank) {}
  int failed_rank() const { return failed_rank_; }

 private:
  int failed_rank_;
};

// MPI_Init_thread on construction, MPI_Finalize on destruction: one per
// process, for the lifetime of the job. Not copyable.
class MpiSession {
 public:
  explicit MpiSession(MpiOptions options = {});
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  // This rank's index among the ranks on its host (MPI_COMM_TYPE_SHARED):
  // the card it uses by default, so ranks sharing a host use one card each.
  int local_rank() const { return local_rank_; }
  const MpiOptions& options() const { return options_; }

  // Every rank passes `mine` (the same length on every rank); returns all
  // ranks' buffers concatenated in rank order. Waits at most the timeout
  // (see MpiOptions), then prints why on stderr and aborts the job (status 1).
  std::vector<std::uint8_t> allgather(std::span<const std::uint8_t> mine, std::string_view what);

  // Ends every rank of the job now, with `status`, after printing `message`
  // (if not empty) on stderr. For errors the ranks cannot agree on.
  [[noreturn]] void abort(const std::string& message, int status = 1);

  // Bytes this rank sent and received in exchanges so far, and their number.
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  std::uint64_t bytes_received() const { return bytes_received_; }
  std::uint64_t exchanges() const { return exchanges_; }

  // Whether this build has MPI, and the MPI library's version line ("" if not).
  static bool built_with_mpi();
  static std::string library_version();

 private:
  MpiOptions options_;
  int rank_ = 0, size_ = 1, local_rank_ = 0;
  bool finalize_ = false;
  std::uint64_t bytes_sent_ = 0, bytes_received_ = 0, exchanges_ = 0;
};

// One agreed step: every rank runs `local` (which returns exactly
// payload_bytes bytes or throws), then the ranks exchange their payloads and
// statuses. Returns the payloads of all ranks in rank order; if any rank
// threw, every rank throws the same MpiJobError naming the lowest failing
// rank and its message. All ranks must call it in the same order.
std::vector<std::vector<std::uint8_t>> agree(MpiSession& session, std::string_view what, std::size_t payload_bytes,
                                             const std::function<std::vector<std::uint8_t>()>& local);
// The same without payload: a barrier that carries errors.
void agree(MpiSession& session, std::string_view what, const std::function<void()>& local);

// Test-only faults (the CLI reads them from ZKACC_MPI_TEST_FAIL_RANK and
// ZKACC_MPI_TEST_HANG_RANK): that rank throws, or sleeps for good, in its
// first MSM, so tests can see the job end with a clear error in bounded time.
struct MpiTestFaults {
  int fail_rank = -1;
  int hang_rank = -1;
};

// The rank's share of an n-point MSM: [n·rank/size, n·(rank+1)/size), the
// same ranges as prover::ZkeyPart{rank, size}.
struct RankRange {
  std::size_t begin, end;
};
RankRange rank_range(std::size_t n, int rank, int size);

class MpiEngine final : public prover::ProverEngine {
 public:
  // What each MSM call is handed: all n points and scalars (the engine runs
  // this rank's range of them), or only this rank's range, as prove() passes
  // them from a key read in parts (read_zkey(..., key_part())), so that each
  // rank reads and holds only its share of the key's points.
  enum class Points { all, rank_share };

  // `local` runs this rank's MSM ranges and the replicated NTTs.
  MpiEngine(MpiSession& session, prover::ProverEngine& local, MpiTestFaults faults = {}, Points points = Points::all);

  G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) override;
  // This rank's share of a key's points goes to the local engine with the
  // key, so a card keeps the share resident.
  G1Jacobian msm_g1_of_key(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                           std::uint64_t key) override;
  G2Jacobian msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars) override;
  // Replicated: the whole transform on this rank, then an agreed status.
  void evaluations_to_coset(std::span<Fr> values, const Fr& shift) override;
  ThreadPool& pool() override { return local_.pool(); }
  // With Points::rank_share, part rank+1 of size; else the whole key.
  prover::ZkeyPart key_part() const override;

 private:
  void inject_test_fault();
  // local_msm(begin, end): this rank's partial sum over points [begin, end).
  template <class J, class LocalMsm>
  J msm(std::size_t n, std::string_view what, LocalMsm&& local_msm);

  MpiSession& session_;
  prover::ProverEngine& local_;
  MpiTestFaults faults_;
  Points points_;
  bool fault_fired_ = false;
};

}  // namespace zkacc::runtime
