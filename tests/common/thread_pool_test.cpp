// ThreadPool: every task runs exactly once, ranges cover [0, n) without
// overlap, a task's exception reaches the caller, the pool is reusable
// after one, and ZKACC_THREADS is validated.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <vector>

#include "zkacc/common/thread_pool.hpp"

using namespace zkacc;

TEST_CASE("ThreadPool runs every task once and covers every range", "[common]") {
  for (std::size_t threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    CHECK(pool.size() == threads);
    for (std::size_t tasks : {0, 1, 2, 7, 100}) {
      std::vector<std::atomic<int>> hits(tasks);
      pool.run(tasks, [&](std::size_t i) { hits[i]++; });
      for (auto& h : hits) CHECK(h == 1);
    }
    for (std::size_t n : {0, 1, 5, 1000}) {
      std::vector<std::atomic<int>> hits(n);
      pool.parallel_for(n, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) hits[i]++;
      });
      for (auto& h : hits) CHECK(h == 1);
    }
  }
}

TEST_CASE("ThreadPool rethrows a task's exception and stays usable", "[common]") {
  ThreadPool pool(2);
  CHECK_THROWS_WITH(pool.run(10, [](std::size_t i) { if (i == 7) throw Error("task 7 failed"); }),
                    Catch::Contains("task 7 failed"));
  std::atomic<int> sum{0};
  pool.run(10, [&](std::size_t i) { sum += static_cast<int>(i); });
  CHECK(sum == 45);
}

TEST_CASE("ZKACC_THREADS is validated", "[common]") {
  ::setenv("ZKACC_THREADS", "3", 1);
  CHECK(ThreadPool::default_threads() == 3);
  for (const char* bad : {"0", "-1", "two", "3x", ""}) {
    ::setenv("ZKACC_THREADS", bad, 1);
    CHECK_THROWS_WITH(ThreadPool::default_threads(), Catch::Contains("ZKACC_THREADS"));
  }
  ::unsetenv("ZKACC_THREADS");
  CHECK(ThreadPool::default_threads() >= 1);
}
