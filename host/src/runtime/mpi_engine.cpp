#include "zkacc/runtime/mpi_engine.hpp"

#include <chrono>
#include <cstring>
#include <thread>
#include <type_traits>

namespace zkacc::runtime {
namespace {

// One rank's record at an exchange, the same size at every exchange so that
// ranks out of step see it (by the step's name) instead of MPI failing on
// mismatched lengths:
//   u32 status (0 ok, 1 failed here, 2 carries an error agreed earlier)
//   i32 failed rank, u32 message length, u32 hash of the step's name,
//   payload (kMaxPayload bytes), message (kMessageBytes, truncated).
constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kMaxPayload = sizeof(G2Jacobian);
constexpr std::size_t kMessageBytes = 256;
constexpr std::size_t kRecordBytes = kHeaderBytes + kMaxPayload + kMessageBytes;

enum : std::uint32_t { kOk = 0, kFailed = 1, kAgreed = 2 };

std::uint32_t name_hash(std::string_view s) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (const char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
  return h;
}

void put_u32(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, 4); }
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

struct Record {
  std::uint32_t status, name;
  int failed_rank;
  std::string message;
  std::span<const std::uint8_t> payload;
};

Record parse(std::span<const std::uint8_t> r) {
  const std::uint32_t len = std::min<std::uint32_t>(get_u32(r.data() + 8), kMessageBytes);
  const auto* msg = r.data() + kHeaderBytes + kMaxPayload;
  return {get_u32(r.data()), get_u32(r.data() + 12), static_cast<int>(get_u32(r.data() + 4)),
          std::string(reinterpret_cast<const char*>(msg), len), r.subspan(kHeaderBytes, kMaxPayload)};
}

template <class J>
std::vector<std::uint8_t> point_bytes(const J& p) {
  static_assert(std::is_trivially_copyable_v<J> && sizeof(J) <= kMaxPayload);
  std::vector<std::uint8_t> out(sizeof(J));
  std::memcpy(out.data(), &p, sizeof(J));
  return out;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> agree(MpiSession& session, std::string_view what, std::size_t payload_bytes,
                                             const std::function<std::vector<std::uint8_t>()>& local) {
  if (payload_bytes > kMaxPayload)
    throw Error("MPI exchange '" + std::string(what) + "': payload of " + std::to_string(payload_bytes) +
                " bytes, at most " + std::to_string(kMaxPayload));
  std::vector<std::uint8_t> mine(kRecordBytes, 0);
  std::uint32_t status = kOk;
  int failed_rank = session.rank();
  std::string message;
  try {
    const std::vector<std::uint8_t> payload = local();
    if (payload.size() != payload_bytes)
      throw Error("MPI exchange '" + std::string(what) + "': payload of " + std::to_string(payload.size()) +
                  " bytes, expected " + std::to_string(payload_bytes));
    std::memcpy(mine.data() + kHeaderBytes, payload.data(), payload.size());
  } catch (const MpiJobError& e) {  // agreed at an inner exchange: passed on as it is
    status = kAgreed;
    failed_rank = e.failed_rank();
    message = e.what();
  } catch (const std::exception& e) {
    status = kFailed;
    message = e.what();
  } catch (...) {
    status = kFailed;
    message = "unknown error";
  }
  if (message.size() > kMessageBytes) message = message.substr(0, kMessageBytes - 3) + "...";
  put_u32(mine.data(), status);
  put_u32(mine.data() + 4, static_cast<std::uint32_t>(failed_rank));
  put_u32(mine.data() + 8, static_cast<std::uint32_t>(message.size()));
  put_u32(mine.data() + 12, name_hash(what));
  std::memcpy(mine.data() + kHeaderBytes + kMaxPayload, message.data(), message.size());

  const std::vector<std::uint8_t> all = session.allgather(mine, what);
  std::vector<Record> records;
  for (int r = 0; r < session.size(); ++r)
    records.push_back(parse(std::span(all).subspan(static_cast<std::size_t>(r) * kRecordBytes, kRecordBytes)));

  // Ranks at different steps: an error one rank hit outside any exchange let
  // it run ahead. There is no common point to recover at.
  for (int r = 0; r < session.size(); ++r)
    if (records[r].name != records[0].name)
      session.abort(session.rank() != 0 ? std::string() : "zkacc: error: MPI ranks out of step: rank " + std::to_string(r) +
                    " reached another exchange than rank 0's " + std::string(what) +
                    (records[r].status != kOk ? " (it failed: " + records[r].message + ")" : std::string()) +
                    "; aborting the job");

  int first_failed = -1;
  std::vector<int> others;
  for (int r = 0; r < session.size(); ++r) {
    if (records[r].status == kAgreed) throw MpiJobError(records[r].message, records[r].failed_rank);
    if (records[r].status != kFailed) continue;
    if (first_failed < 0) first_failed = r;
    else others.push_back(r);
  }
  if (first_failed >= 0) {
    std::string text = "rank " + std::to_string(first_failed) + ": " + records[first_failed].message;
    if (!others.empty()) {
      text += " (rank";
      text += others.size() > 1 ? "s" : "";
      for (std::size_t i = 0; i < others.size(); ++i) text += (i ? ", " : " ") + std::to_string(others[i]);
      text += " failed too)";
    }
    throw MpiJobError(text, first_failed);
  }
  std::vector<std::vector<std::uint8_t>> out;
  for (const Record& r : records) out.emplace_back(r.payload.begin(), r.payload.begin() + payload_bytes);
  return out;
}

void agree(MpiSession& session, std::string_view what, const std::function<void()>& local) {
  agree(session, what, 0, [&] {
    local();
    return std::vector<std::uint8_t>();
  });
}

RankRange rank_range(std::size_t n, int rank, int size) {
  const auto r = prover::ZkeyPart{static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(size)}.range(n);
  return {r.begin, r.end};
}

MpiEngine::MpiEngine(MpiSession& session, prover::ProverEngine& local, MpiTestFaults faults, Points points)
    : session_(session), local_(local), faults_(faults), points_(points) {}

prover::ZkeyPart MpiEngine::key_part() const {
  if (points_ == Points::all) return {};
  return {static_cast<std::uint32_t>(session_.rank()), static_cast<std::uint32_t>(session_.size())};
}

void MpiEngine::inject_test_fault() {
  if (fault_fired_) return;
  fault_fired_ = true;
  if (session_.rank() == faults_.fail_rank)
    throw Error("test fault injected in the first MSM (ZKACC_MPI_TEST_FAIL_RANK=" + std::to_string(faults_.fail_rank) +
                ")");
  if (session_.rank() == faults_.hang_rank)
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

template <class J, class LocalMsm>
J MpiEngine::msm(std::size_t n, std::string_view what, LocalMsm&& local_msm) {
  // Handed this rank's share already, the engine runs all of it.
  const RankRange range = points_ == Points::rank_share ? RankRange{0, n} : rank_range(n, session_.rank(), session_.size());
  const auto parts = agree(session_, what, sizeof(J), [&] {
    inject_test_fault();
    return point_bytes(range.begin == range.end ? J::infinity() : local_msm(range.begin, range.end));
  });
  // Every rank adds the same partial sums in the same order: the same bits.
  J sum = J::infinity();
  for (std::size_t r = 0; r < parts.size(); ++r) {
    J p;
    std::memcpy(&p, parts[r].data(), sizeof(J));
    if (!p.is_on_curve())
      throw MpiJobError("rank " + std::to_string(r) + ": its partial sum at " + std::string(what) +
                            " is not a curve point (ranks running different zkacc builds?)",
                        static_cast<int>(r));
    sum += p;
  }
  return sum;
}

G1Jacobian MpiEngine::msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) {
  if (points.size() != scalars.size())
    throw Error("MSM: " + std::to_string(points.size()) + " points, " + std::to_string(scalars.size()) + " scalars");
  return msm<G1Jacobian>(points.size(), "the exchange of a G1 MSM's partial sums", [&](std::size_t b, std::size_t e) {
    return local_.msm_g1(points.subspan(b, e - b), scalars.subspan(b, e - b));
  });
}

G1Jacobian MpiEngine::msm_g1_of_key(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                                    std::uint64_t key) {
  if (points.size() != scalars.size())
    throw Error("MSM: " + std::to_string(points.size()) + " points, " + std::to_string(scalars.size()) + " scalars");
  return msm<G1Jacobian>(points.size(), "the exchange of a G1 MSM's partial sums", [&](std::size_t b, std::size_t e) {
    return local_.msm_g1_of_key(points.subspan(b, e - b), scalars.subspan(b, e - b), key);
  });
}

G2Jacobian MpiEngine::msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars) {
  if (points.size() != scalars.size())
    throw Error("MSM: " + std::to_string(points.size()) + " points, " + std::to_string(scalars.size()) + " scalars");
  return msm<G2Jacobian>(points.size(), "the exchange of a G2 MSM's partial sums", [&](std::size_t b, std::size_t e) {
    return local_.msm_g2(points.subspan(b, e - b), scalars.subspan(b, e - b));
  });
}

void MpiEngine::evaluations_to_coset(std::span<Fr> values, const Fr& shift) {
  agree(session_, "the status exchange after an NTT", [&] { local_.evaluations_to_coset(values, shift); });
}

}  // namespace zkacc::runtime
