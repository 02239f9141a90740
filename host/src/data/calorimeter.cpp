// Synthetic calorimeter events (model and units in calorimeter.hpp).
#include "hlskit/data/calorimeter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "hlskit/npy.hpp"

namespace hlskit::data {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kMaxConsecutiveRedraws = 1000;

// Distributions written out (the std:: ones are implementation-defined).
class random_stream {
 public:
  explicit random_stream(std::uint64_t seed) : engine_(seed) {}

  // Uniform on (0, 1): 53 random bits, offset by half a step so that 0 and 1 never occur.
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1p-53; }

  // Standard normal by Box-Muller; the second value of each pair is kept for the next call.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * kPi * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

  // Poisson(mean) truncated at `cap`: the number of uniforms whose running product stays above
  // exp(-mean) (Knuth), counting stopped at the cap.
  int poisson(double mean, int cap) {
    const double limit = std::exp(-mean);
    int k = 0;
    for (double product = uniform(); product > limit && k < cap; product *= uniform()) ++k;
    return k;
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// P(lo <= Z < hi) for a standard normal Z, from the tail that keeps precision.
double normal_interval(double lo, double hi) {
  const double s = 1.0 / std::sqrt(2.0);
  if (lo >= 0) return 0.5 * (std::erfc(lo * s) - std::erfc(hi * s));
  if (hi <= 0) return 0.5 * (std::erfc(-hi * s) - std::erfc(-lo * s));
  return 1.0 - 0.5 * (std::erfc(hi * s) + std::erfc(-lo * s));
}

void check_options(const calorimeter_options& o) {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("calorimeter_options: ") + what);
  };
  auto finite_nonnegative = [](double x) { return std::isfinite(x) && x >= 0; };
  require(finite_nonnegative(o.mean_extra_showers), "mean_extra_showers must be finite and >= 0");
  require(o.max_showers >= 1 && o.max_showers <= 1000, "max_showers must be in 1..1000");
  require(finite_nonnegative(o.energy_median) && o.energy_median > 0, "energy_median must be finite and > 0");
  require(finite_nonnegative(o.energy_log_sigma), "energy_log_sigma must be finite and >= 0");
  require(finite_nonnegative(o.width_median) && o.width_median > 0, "width_median must be finite and > 0");
  require(finite_nonnegative(o.width_log_sigma), "width_log_sigma must be finite and >= 0");
  require(finite_nonnegative(o.width_min) && o.width_min > 0 && std::isfinite(o.width_max) && o.width_min <= o.width_max,
          "need finite 0 < width_min <= width_max");
  require(finite_nonnegative(o.noise_sigma), "noise_sigma must be finite and >= 0");
  require(finite_nonnegative(o.zero_suppression), "zero_suppression must be finite and >= 0");
}

// Draws one event into `cells` (64 values, not normalized); returns the shower count and the
// deposited energy.
calorimeter_truth draw_event(random_stream& random, const calorimeter_options& o, double* cells) {
  calorimeter_truth truth;
  truth.showers = 1 + random.poisson(o.mean_extra_showers, o.max_showers - 1);
  std::fill(cells, cells + calorimeter_cells, 0.0);
  for (int s = 0; s < truth.showers; ++s) {
    double x, y;  // centre, uniform over the active L-shaped area (rejection from the square)
    do {
      x = calorimeter_cols * random.uniform();
      y = calorimeter_rows * random.uniform();
    } while (!is_active_cell(static_cast<int>(y), static_cast<int>(x)));
    const double width =
        std::clamp(o.width_median * std::exp(o.width_log_sigma * random.normal()), o.width_min, o.width_max);
    const double energy = o.energy_median * std::exp(o.energy_log_sigma * random.normal());
    std::array<double, calorimeter_cols> along_x{};
    std::array<double, calorimeter_rows> along_y{};
    for (int c = 0; c < calorimeter_cols; ++c) along_x[c] = normal_interval((c - x) / width, (c + 1 - x) / width);
    for (int r = 0; r < calorimeter_rows; ++r) along_y[r] = normal_interval((r - y) / width, (r + 1 - y) / width);
    for (int r = 0; r < calorimeter_rows; ++r)
      for (int c = 0; c < calorimeter_cols; ++c)
        if (is_active_cell(r, c)) {
          const double deposit = energy * along_y[r] * along_x[c];
          cells[r * calorimeter_cols + c] += deposit;
          truth.deposited += deposit;
        }
  }
  for (int r = 0; r < calorimeter_rows; ++r)
    for (int c = 0; c < calorimeter_cols; ++c) {
      if (!is_active_cell(r, c)) continue;
      double& cell = cells[r * calorimeter_cols + c];
      cell += o.noise_sigma * random.normal();
      if (cell < o.zero_suppression || cell <= 0) cell = 0;
    }
  return truth;
}

}  // namespace

std::vector<double> generate_events(std::size_t n, std::uint64_t seed, const calorimeter_options& options,
                                    std::vector<calorimeter_truth>* truth) {
  check_options(options);
  random_stream random(seed);
  std::vector<double> events(n * calorimeter_cells);
  if (truth != nullptr) truth->clear();
  for (std::size_t e = 0; e < n; ++e) {
    double* cells = events.data() + e * calorimeter_cells;
    for (int redraws = 0;; ++redraws) {
      if (redraws == kMaxConsecutiveRedraws)
        throw std::runtime_error("calorimeter: " + std::to_string(kMaxConsecutiveRedraws) +
                                 " consecutive events were all zero after zero suppression; check the options");
      calorimeter_truth t = draw_event(random, options, cells);
      double sum = 0;
      for (int k = 0; k < calorimeter_cells; ++k) sum += cells[k];
      if (sum == 0) continue;
      for (int k = 0; k < calorimeter_cells; ++k) cells[k] /= sum;
      t.redraws = redraws;
      if (truth != nullptr) truth->push_back(t);
      break;
    }
  }
  return events;
}

void write_events_npy(const std::string& path, const std::vector<double>& events) {
  if (events.size() % calorimeter_cells != 0)
    throw std::invalid_argument("write_events_npy(" + path + "): " + std::to_string(events.size()) +
                                " values is not a whole number of 8x8 events");
  npy::write(path, {events.size() / calorimeter_cells, calorimeter_rows, calorimeter_cols, 1}, events);
}

}  // namespace hlskit::data
