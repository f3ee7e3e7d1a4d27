// A small fixed pool of worker threads for the CPU engines (MSM, NTT).
//
// One pool is created by the caller and passed down (no global pool, no
// thread per call). parallel_for splits [0, n) into at most `size()` tasks
// or into the given number of chunks, runs them on the workers and on the
// calling thread, and returns when all are done; an exception thrown by a
// task is rethrown in the caller.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "zkacc/common/error.hpp"

namespace zkacc {

class ThreadPool {
 public:
  // threads = 0: ZKACC_THREADS if set, else the hardware concurrency.
  explicit ThreadPool(std::size_t threads = 0) {
    if (threads == 0) threads = default_threads();
    for (std::size_t i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Number of threads that run tasks, the caller included.
  std::size_t size() const { return workers_.size() + 1; }

  static std::size_t default_threads() {
    if (const char* env = std::getenv("ZKACC_THREADS")) {
      char* end = nullptr;
      unsigned long v = std::strtoul(env, &end, 10);
      if (end == env || *end != '\0' || v == 0 || v > 4096)
        throw Error(std::string("ZKACC_THREADS=\"") + env + "\" is not a thread count between 1 and 4096");
      return v;
    }
    return std::max(1u, std::thread::hardware_concurrency());
  }

  // Runs task(i) for every i in [0, tasks). Blocks until all have finished.
  void run(std::size_t tasks, const std::function<void(std::size_t)>& task) {
    if (tasks == 0) return;
    if (tasks == 1 || workers_.empty()) {
      for (std::size_t i = 0; i < tasks; ++i) task(i);
      return;
    }
    Batch batch{&task, tasks, {}, 0, 0, nullptr};
    {
      std::lock_guard lock(mu_);
      batch_ = &batch;
      ++generation_;
    }
    cv_.notify_all();
    drain(batch);
    std::unique_lock lock(mu_);
    // Wait for the tasks and for every worker to have left drain(): a worker
    // that picked up the batch late still touches batch.next.
    done_cv_.wait(lock, [&] { return batch.finished == batch.tasks && batch.active == 0; });
    batch_ = nullptr;
    if (batch.error) std::rethrow_exception(batch.error);
  }

  // Splits [0, n) into contiguous ranges, one per thread, and runs
  // body(begin, end) on each.
  void parallel_for(std::size_t n, const std::function<void(std::size_t, std::size_t)>& body) {
    const std::size_t chunks = std::min(n, size());
    run(chunks, [&](std::size_t c) { body(n * c / chunks, n * (c + 1) / chunks); });
  }

 private:
  struct Batch {
    const std::function<void(std::size_t)>* task;
    std::size_t tasks;
    std::atomic<std::size_t> next{0};
    std::size_t finished = 0;  // guarded by mu_
    std::size_t active = 0;    // workers inside drain(), guarded by mu_
    std::exception_ptr error;  // guarded by mu_
  };

  void drain(Batch& b) {
    for (;;) {
      std::size_t i = b.next.fetch_add(1);
      if (i >= b.tasks) return;
      std::exception_ptr err;
      try {
        (*b.task)(i);
      } catch (...) {
        err = std::current_exception();
      }
      std::lock_guard lock(mu_);
      if (err && !b.error) b.error = err;
      if (++b.finished == b.tasks) done_cv_.notify_all();
    }
  }

  void work() {
    std::size_t seen = 0;
    for (;;) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || (batch_ && generation_ != seen); });
        if (stop_) return;
        seen = generation_;
        b = batch_;
        ++b->active;
      }
      drain(*b);
      std::lock_guard lock(mu_);
      if (--b->active == 0) done_cv_.notify_all();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  Batch* batch_ = nullptr;
  std::size_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace zkacc
