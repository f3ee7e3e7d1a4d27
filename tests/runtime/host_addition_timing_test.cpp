// The host's XYZZ addition timed at run time: a positive, plausible figure,
// measured once per process.
#include <catch2/catch.hpp>

#include "zkacc/common/error.hpp"
#include "zkacc/runtime/host_addition_timing.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

TEST_CASE("host addition timing: a positive, plausible figure, cached per process", "[runtime]") {
  const double ns = host_xyzz_addition_ns();
  // 12M + 2S over a 254-bit field: tens of nanoseconds on a fast core with
  // ADX, some hundreds on a slow shared one; never below 5 ns (14 products
  // of four-limb numbers) nor above 100 µs.
  CHECK(ns > 5.0);
  CHECK(ns < 1e5);
  // Measured once: the same figure again, however the machine is loaded now.
  CHECK(host_xyzz_addition_ns() == ns);
  // A fresh measurement gives a figure of the same order.
  const double again = time_host_xyzz_addition_ns(512, 3);
  CHECK(again > 5.0);
  CHECK(again < 1e5);
  CHECK_THROWS_AS(time_host_xyzz_addition_ns(0, 3), Error);
  // The small scalars' affine sum: a point costs less than an XYZZ
  // addition (5M + 1S against 12M + 2S, an inversion shared by a level),
  // measured once as well.
  const double affine = host_affine_sum_ns();
  CHECK(affine > 1.0);
  CHECK(affine < ns);
  CHECK(host_affine_sum_ns() == affine);
  CHECK_THROWS_AS(time_host_affine_sum_ns(1, 3), Error);
  CHECK_THROWS_AS(time_host_xyzz_addition_ns(16, 0), Error);
}
