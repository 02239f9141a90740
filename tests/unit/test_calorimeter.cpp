// Tests of the calorimeter event generator: reproducibility, the event invariants (normalized,
// non-negative, inactive block empty, zero suppression), shower-count statistics, option checks
// and the .npy output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "hlskit/data/calorimeter.hpp"
#include "hlskit/npy.hpp"

namespace data = hlskit::data;

namespace {

constexpr int kCells = data::calorimeter_cells;

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST(Calorimeter, SameSeedGivesIdenticalBitsAndDifferentSeedsDiffer) {
  const auto a = data::generate_events(500, 42), b = data::generate_events(500, 42);
  EXPECT_TRUE(same_bits(a, b));
  const auto c = data::generate_events(500, 43);
  EXPECT_FALSE(same_bits(a, c));
  // One sequential stream: a shorter run is a prefix of a longer one.
  const auto prefix = data::generate_events(100, 42);
  EXPECT_TRUE(same_bits(prefix, std::vector<double>(a.begin(), a.begin() + 100 * kCells)));
}

TEST(Calorimeter, OutputIsPinned) {
  // Guards the model and the hand-written distributions against accidental change. The tolerance
  // admits last-bit differences between libms (see calorimeter.hpp), nothing more.
  const auto events = data::generate_events(3, 2024);
  const struct {
    int index;
    double value;
  } pinned[] = {{0 * kCells + 0, 0.011139213261542418},  {0 * kCells + 18, 0.086659168141641624},
                {0 * kCells + 43, 0.0},                   {1 * kCells + 56, 0.48203867826154156},
                {1 * kCells + 57, 0.51796132173845832},   {2 * kCells + 16, 0.23478498638258929},
                {2 * kCells + 33, 0.036453085191347705},  {2 * kCells + 34, 0.0}};
  for (const auto& p : pinned) EXPECT_NEAR(events[p.index], p.value, 1e-12) << "value " << p.index;
}

TEST(Calorimeter, EventsAreNormalizedNonNegativeAndEmptyOnTheInactiveBlock) {
  const std::size_t n = 5000;
  const auto events = data::generate_events(n, 7);
  ASSERT_EQ(events.size(), n * kCells);
  std::size_t active_zeros = 0;
  for (std::size_t e = 0; e < n; ++e) {
    double sum = 0;
    for (int r = 0; r < 8; ++r)
      for (int c = 0; c < 8; ++c) {
        const double v = events[e * kCells + r * 8 + c];
        ASSERT_GE(v, 0.0);
        sum += v;
        if (!data::is_active_cell(r, c))
          ASSERT_EQ(v, 0.0) << "event " << e << " cell " << r << "," << c;
        else
          active_zeros += v == 0;
      }
    ASSERT_NEAR(sum, 1.0, 1e-12) << "event " << e;
  }
  int active = 0;
  for (int r = 0; r < 8; ++r)
    for (int c = 0; c < 8; ++c) active += data::is_active_cell(r, c);
  EXPECT_EQ(active, data::calorimeter_active_cells);
  // Zero suppression empties most of the 48 cells of a sparse event, but not all.
  const double zero_fraction = double(active_zeros) / (n * data::calorimeter_active_cells);
  EXPECT_GT(zero_fraction, 0.5);
  EXPECT_LT(zero_fraction, 0.98);
}

TEST(Calorimeter, ZeroSuppressionIsWhatMakesTheZeros) {
  data::calorimeter_options no_noise;
  no_noise.noise_sigma = 0;
  no_noise.zero_suppression = 0;
  const auto dense = data::generate_events(500, 11, no_noise);
  std::size_t zeros = 0;
  for (int k = 0; k < 500 * kCells; ++k) zeros += data::is_active_cell(k % kCells / 8, k % 8) && dense[k] == 0;
  EXPECT_LT(zeros, 500u * 48 / 10);  // Gaussian tails reach nearly every cell

  // Raising the threshold can only remove cells: same stream, more zeros, none created.
  data::calorimeter_options strict;
  strict.zero_suppression = 6.0;
  const auto loose_events = data::generate_events(500, 12), strict_events = data::generate_events(500, 12, strict);
  std::size_t loose_zeros = 0, strict_zeros = 0;
  for (std::size_t k = 0; k < loose_events.size(); ++k)
    loose_zeros += loose_events[k] == 0, strict_zeros += strict_events[k] == 0;
  EXPECT_GT(strict_zeros, loose_zeros);
}

TEST(Calorimeter, ShowerCountsFollowTheTruncatedPoisson) {
  // Without noise and threshold no event can end all-zero, so the accepted events show the shower
  // law itself: 1 + Poisson(0.6), capped at 4.
  const std::size_t n = 20000;
  auto fractions = [&](const data::calorimeter_options& o, std::size_t& redraws) {
    std::vector<data::calorimeter_truth> truth;
    data::generate_events(n, 5, o, &truth);
    EXPECT_EQ(truth.size(), n);
    std::vector<double> fraction(5, 0.0);
    redraws = 0;
    for (const auto& t : truth) {
      EXPECT_TRUE(t.showers >= 1 && t.showers <= 4) << t.showers;
      fraction[std::clamp(t.showers, 0, 4)] += 1.0 / n;
      redraws += t.redraws;
      EXPECT_GT(t.deposited, 0.0);
    }
    return fraction;
  };
  const double mu = 0.6, p0 = std::exp(-mu), p1 = p0 * mu, p2 = p1 * mu / 2;
  const double expected[5] = {0, p0, p1, p2, 1 - p0 - p1 - p2};
  data::calorimeter_options noiseless;
  noiseless.noise_sigma = 0;
  noiseless.zero_suppression = 0;
  std::size_t redraws = 0;
  auto fraction = fractions(noiseless, redraws);
  EXPECT_EQ(redraws, 0u);
  for (int k = 1; k <= 4; ++k) EXPECT_NEAR(fraction[k], expected[k], 0.012) << k << " showers";  // ~3.5 sigma

  // With the defaults about 2.5 % of the draws vanish under zero suppression, mostly single
  // showers, which shifts the accepted counts a little.
  fraction = fractions({}, redraws);
  EXPECT_LT(redraws, n * 4 / 100);
  for (int k = 1; k <= 4; ++k) EXPECT_NEAR(fraction[k], expected[k], 0.03) << k << " showers";
  EXPECT_LT(fraction[1], expected[1]);

  std::vector<data::calorimeter_truth> truth;
  data::calorimeter_options single;
  single.mean_extra_showers = 0;
  data::generate_events(200, 5, single, &truth);
  for (const auto& t : truth) EXPECT_EQ(t.showers, 1);
  data::calorimeter_options capped;
  capped.mean_extra_showers = 50;
  capped.max_showers = 3;
  data::generate_events(200, 5, capped, &truth);
  for (const auto& t : truth) EXPECT_EQ(t.showers, 3);
}

TEST(Calorimeter, RejectsBadOptions) {
  auto with = [](auto change) {
    data::calorimeter_options o;
    change(o);
    return o;
  };
  const data::calorimeter_options bad[] = {
      with([](auto& o) { o.mean_extra_showers = -1; }), with([](auto& o) { o.max_showers = 0; }),
      with([](auto& o) { o.energy_median = 0; }),       with([](auto& o) { o.energy_log_sigma = NAN; }),
      with([](auto& o) { o.width_min = 3; }),           with([](auto& o) { o.width_min = 0; }),
      with([](auto& o) { o.noise_sigma = -0.1; }),      with([](auto& o) { o.zero_suppression = INFINITY; })};
  for (const auto& o : bad) EXPECT_THROW(data::generate_events(1, 1, o), std::invalid_argument);
  // Options under which every event is suppressed are reported instead of looping forever.
  const auto silent = with([](auto& o) { o.zero_suppression = 1e9; });
  EXPECT_THROW(data::generate_events(1, 1, silent), std::runtime_error);
}

TEST(Calorimeter, WritesEventsAsFloat64Npy) {
  const auto events = data::generate_events(10, 3);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hlskit_calo_" + std::to_string(::getpid()) + ".npy")).string();
  data::write_events_npy(path, events);
  const auto file = hlskit::npy::read(path);
  std::filesystem::remove(path);
  EXPECT_EQ(file.type, hlskit::npy::dtype::f64);
  EXPECT_EQ(file.shape, (std::vector<std::size_t>{10, 8, 8, 1}));
  EXPECT_TRUE(same_bits(file.as_doubles(), events));
  EXPECT_THROW(data::write_events_npy(path, std::vector<double>(65)), std::invalid_argument);
}
