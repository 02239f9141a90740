// sparse_llm C simulation (docs/kernels/sparse_llm.md): the kernel, fed the weight stream its
// config's chains consume, against the integer reference (bit for bit) and the real-valued layer
// (within the bound of §3), for every N:M pattern, both precisions, both named configs, MV and
// MM batches, and the corners.
#include <hlskit/sparse_llm/reference.hpp>
#include <hlskit/sparse_llm/stimulus.hpp>
#include <sparse_llm/sparse_llm.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <random>

namespace sl = hlskit::sparse_llm;

namespace {

struct counts {
  long outputs = 0, saturated = 0;
};

// Runs `count` vectors through the kernel in batches of MaxBatch; checks every output.
template <class Config>
counts check_layer(const sl::packed_matrix& p, const std::vector<double>* scales, const std::vector<std::int8_t>& x,
                   int count, const std::string& what) {
  using act_t = typename Config::act_t;
  using out_t = typename Config::out_t;
  const auto beats = sl::weight_beats<Config>(p);
  const sl::shape& sh = p.layer;
  EXPECT_EQ(beats.size(), static_cast<std::size_t>(sh.groups(Config::chains) * sh.beats_per_group(Config::slices))) << what;
  auto xb = std::make_unique<act_t[][Config::max_cols]>(Config::max_batch);
  auto yb = std::make_unique<out_t[][Config::max_rows]>(Config::max_batch);
  counts n;
  for (int v0 = 0; v0 < count; v0 += Config::max_batch) {
    const int b = std::min(Config::max_batch, count - v0);
    for (int v = 0; v < b; ++v)
      for (int k = 0; k < sh.cols; ++k)
        xb[v][k] = act_t::from_raw(x[static_cast<std::size_t>(v0 + v) * static_cast<std::size_t>(sh.cols) + static_cast<std::size_t>(k)]);
    sl::run_batch<Config>(sh, beats.data(), xb.get(), b, yb.get());
    for (int v = 0; v < b; ++v) {
      const std::int8_t* xv = x.data() + static_cast<std::size_t>(v0 + v) * static_cast<std::size_t>(sh.cols);
      const auto expected = sl::reference_integer(p, xv);
      std::vector<std::int8_t> w;
      std::vector<std::uint8_t> mask;
      sl::unpack(p, w, mask);
      const auto acc = sl::reference_accumulators(w, sh.rows, sh.cols, xv);
      const auto real = scales ? sl::reference_real(p, *scales, xv) : std::vector<double>{};
      for (int r = 0; r < sh.rows; ++r) {
        const auto got = yb[v][r].raw();
        if (got != expected[static_cast<std::size_t>(r)]) {  // stop at the first: one message, not thousands
          ADD_FAILURE() << what << ": vector " << v0 + v << " row " << r << ": kernel " << got << ", reference "
                        << int{expected[static_cast<std::size_t>(r)]};
          return n;
        }
        EXPECT_LE(std::llabs(acc[static_cast<std::size_t>(r)]), Config::max_abs_row_sum) << what;
        ++n.outputs;
        if (got == 127 || got == -128) ++n.saturated;
        if (scales) {
          const double clamped = std::clamp(real[static_cast<std::size_t>(r)], -128.0, 127.0);
          EXPECT_LE(std::fabs(static_cast<double>(got) - clamped),
                    sl::output_error_bound(acc[static_cast<std::size_t>(r)], (*scales)[static_cast<std::size_t>(r)],
                                           p.mantissa[static_cast<std::size_t>(r)], sh.scale_shift))
              << what << ": vector " << v0 + v << " row " << r;
        }
      }
    }
  }
  return n;
}

template <class Config>
void every_pattern(int rows, int cols, int vectors) {
  std::mt19937_64 rng(2401'03868);
  for (const auto& [n, m] : sl::patterns())
    for (int precision : {8, 4})
      for (sl::corner kind : sl::all_corners) {
        const sl::shape sh{rows, cols, n, m, precision, 0};
        const std::string what = std::to_string(n) + ":" + std::to_string(m) + " INT" + std::to_string(precision) + " " +
                                 sl::corner_name(kind);
        const auto p = sl::random_layer(sh, kind, rng, Config::max_rows, Config::max_cols);
        const auto x = sl::random_activations(vectors, cols, kind, rng);
        check_layer<Config>(p, nullptr, x, vectors, what);
      }
}

}  // namespace

TEST(SparseLlmCsim, TinyEveryPatternPrecisionAndCorner) { every_pattern<sl::tiny>(64, 256, 6); }
TEST(SparseLlmCsim, TinySmallestShape) { every_pattern<sl::tiny>(16, 16, 5); }
TEST(SparseLlmCsim, PaperEveryPatternAtMaximumK) { every_pattern<sl::paper>(32, 4096, 9); }

// The accumulators reach the bound of spec §3 (K 2^14 at dense INT8 with w = x = -128) and the
// outputs saturate; scale 0 rows give 0.
TEST(SparseLlmCsim, AccumulatorBoundAndSaturation) {
  std::mt19937_64 rng(7);
  const sl::shape sh{16, 4096, 16, 16, 8, 0};
  auto p = sl::random_layer(sh, sl::corner::bound, rng, sl::paper::max_rows, sl::paper::max_cols);
  const auto x = sl::random_activations(1, 4096, sl::corner::bound, rng);
  std::vector<std::int8_t> w;
  std::vector<std::uint8_t> mask;
  sl::unpack(p, w, mask);
  EXPECT_EQ(sl::reference_accumulators(w, 16, 4096, x.data())[0], sl::paper::max_abs_row_sum);
  const counts n = check_layer<sl::paper>(p, nullptr, x, 1, "bound");
  EXPECT_GT(n.saturated, 0);
}

// The real-valued layer: float scales quantized to 16-bit mantissas, outputs within §3's bound.
TEST(SparseLlmCsim, WithinBoundOfTheRealLayer) {
  std::mt19937_64 rng(11);
  for (const auto& [n, m] : sl::patterns())
    for (int precision : {8, 4}) {
      const sl::shape sh{64, 256, n, m, precision, 0};
      std::vector<double> scales(64);
      std::uniform_real_distribution<double> u(1e-5, 4e-3);
      for (auto& s : scales) s = u(rng);
      auto p = sl::random_layer(sh, sl::corner::random, rng, 64, 256);
      p = sl::pack(p.layer, p.values, p.indices, scales, 64, 256, "real");
      const auto x = sl::random_activations(8, 256, sl::corner::random, rng);
      const counts c = check_layer<sl::tiny>(p, &scales, x, 8, "real " + std::to_string(n) + ":" + std::to_string(m));
      EXPECT_EQ(c.outputs, 8 * 64);
    }
}
