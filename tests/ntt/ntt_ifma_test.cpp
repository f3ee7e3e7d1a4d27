// The NTT's two kernels (NttTuning::kernel): the AVX-512 IFMA butterflies
// give the same values as the portable ones for forward, inverse and coset
// transforms at every size 2^1 … 2^16, every order, on one and two threads
// and with tunings that put the stages in whole-array sweeps and in blocks;
// and both equal the O(n²) DFT sum for small n, so the portable kernel stays
// checked against an independent model on machines where Auto picks IFMA.
// The IFMA cases are skipped, with a message, on a CPU without IFMA.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/ifma_skip.hpp"
#include "support/ntt_tuning.hpp"
#include "support/test_rng.hpp"
#include "zkacc/ntt/ntt_domain.hpp"

using namespace zkacc;

namespace {

using Vec = std::vector<Fr>;

constexpr Order kOrders[] = {Order::Natural, Order::BitReversed};

// The default tuning (blocks of 2^14, 2^12 before threads join in), and two
// that put small sizes through several whole-array sweeps of every fusion
// depth, on two threads from the first element. Ranges of groups that are
// not a multiple of eight (the portable tail of the IFMA sweep) come from
// the thread chunks and the small sizes.
std::vector<NttTuning> tunings(NttKernel kernel) {
  std::vector<NttTuning> t = {
      NttTuning{},
      NttTuning{.block_log = 3, .outer_fuse = 2, .inner_fuse = 2, .parallel_min_log = 0},
      NttTuning{.block_log = 6, .outer_fuse = 4, .inner_fuse = 3, .parallel_min_log = 0},
      NttTuning{.block_log = 9, .outer_fuse = 1, .inner_fuse = 4, .parallel_min_log = 0},
  };
  for (auto& x : t) x.kernel = kernel;
  return t;
}

using test::describe;
using test::random_vec;

}  // namespace

TEST_CASE("NttTuning::kernel picks the butterflies", "[ntt][ifma]") {
  CHECK(NttDomain(64).kernel() == (cpu_has_avx512ifma() ? NttKernel::Ifma : NttKernel::Portable));
  CHECK(NttDomain(64, NttTuning{.kernel = NttKernel::Portable}).kernel() == NttKernel::Portable);
  if (cpu_has_avx512ifma())
    CHECK(NttDomain(64, NttTuning{.kernel = NttKernel::Ifma}).kernel() == NttKernel::Ifma);
  else
    CHECK_THROWS_WITH(NttDomain(64, NttTuning{.kernel = NttKernel::Ifma}),
                      Catch::Contains("no AVX-512 IFMA"));
}

TEST_CASE("IFMA NTT equals the portable NTT: forward, inverse and coset, 2^1 … 2^16, 1 and 2 threads",
          "[ntt][ifma]") {
  ZKACC_SKIP_WITHOUT_IFMA();
  SEED_INFO();
  auto rng = zkacc::test::make_rng(31);
  const Fr shift = Fr::root_of_unity(17);  // snarkjs's coset for 2^16 (a 2n-th root)
  for (std::size_t threads : {1, 2}) {
    ThreadPool pool(threads);
    for (std::size_t k = 1; k <= 16; ++k) {
      const std::size_t n = std::size_t(1) << k;
      const Vec x = random_vec(n, rng);
      const auto portable = tunings(NttKernel::Portable);
      const auto ifma = tunings(NttKernel::Ifma);
      // The extra tunings only at sizes where they change the sweep layout
      // and the test stays fast.
      const std::size_t count = k <= 12 ? portable.size() : 1;
      for (std::size_t t = 0; t < count; ++t) {
        const NttDomain dp(n, portable[t]), di(n, ifma[t]);
        REQUIRE(di.kernel() == NttKernel::Ifma);
        INFO("n=2^" << k << " threads=" << threads << " " << describe(portable[t]));
        for (Order in : kOrders)
          for (Order out : kOrders) {
            INFO("in=" << int(in) << " out=" << int(out));
            Vec a = x, b = x;
            dp.forward(a, pool, in, out);
            di.forward(b, pool, in, out);
            CHECK(a == b);
            a = x;
            b = x;
            dp.inverse(a, pool, in, out);
            di.inverse(b, pool, in, out);
            CHECK(a == b);
          }
        Vec a = x, b = x;
        dp.evaluations_to_coset(a, shift, pool);
        di.evaluations_to_coset(b, shift, pool);
        CHECK(a == b);
        a = x;
        b = x;
        dp.coset_inverse(a, shift, pool);
        di.coset_inverse(b, shift, pool);
        CHECK(a == b);
        // And the round trip through the IFMA kernel alone.
        di.coset_forward(b, shift, pool);
        CHECK(b == x);
      }
    }
  }
}

TEST_CASE("both NTT kernels equal the DFT sum for n <= 2^7", "[ntt][ifma]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(32);
  ThreadPool pool(2);
  std::vector<NttKernel> kernels = {NttKernel::Portable};
  if (cpu_has_avx512ifma()) kernels.push_back(NttKernel::Ifma);
  for (std::size_t k = 1; k <= 7; ++k) {
    const std::size_t n = std::size_t(1) << k;
    const Vec x = random_vec(n, rng);
    const Fr w = Fr::root_of_unity(k);
    Vec expected(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Fr wi = w.pow(static_cast<std::uint64_t>(i));
      Fr acc, p = Fr::one();
      for (std::size_t j = 0; j < n; ++j, p *= wi) acc += x[j] * p;
      expected[i] = acc;
    }
    for (NttKernel kernel : kernels)
      for (const NttTuning& tuning : tunings(kernel)) {
        INFO("n=" << n << " kernel=" << (kernel == NttKernel::Ifma ? "ifma" : "portable") << " "
                  << describe(tuning));
        const NttDomain d(n, tuning);
        Vec v = x;
        d.forward(v, pool);
        CHECK(v == expected);
        d.inverse(v, pool);
        CHECK(v == x);
      }
  }
}
