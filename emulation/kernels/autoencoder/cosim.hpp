// Driving rtl/autoencoder/autoencoder_top through its ports: the parameter bank over AXI-Lite
// (hlskit::autoencoder::register_program, bank order = hlskit::autoencoder::model::parameters()), images in runs of `count`
// with auto_restart, every latent compared with hlskit::autoencoder::encode (the C++ kernel), and
// the stimulus every autoencoder cosim includes: corner images (all zero, all maximum, one hot cell
// at each position) and corner weight sets (every parameter -1, every one +31/32, alternating
// signs). Shared by tests/cosim and `hlskit cosim autoencoder`.
//
// Params: a struct with `using model = V...` (autoencoder_top verilated with ReuseFactor = R and
// the config's output modes), `using config = hlskit::autoencoder::config<R, ...>`, and
// `static constexpr int reuse = R`.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <hlskit/autoencoder/hardware.hpp>
#include "hlskit/cosim/stream_bench.hpp"

namespace hlskit::cosim::autoencoder_top {

namespace ae = hlskit::autoencoder;

constexpr int pixels = ae::geometry::pixels;          // 64
constexpr int latents = ae::geometry::latent;         // 16
constexpr int num_params = ae::geometry::parameters;  // 2144
constexpr int in_bits = pixels * 8, out_bits = latents * 9;

using image = std::array<std::uint8_t, pixels>;       // raw ufixed<8,1> codes
using param_set = std::array<std::int8_t, num_params>;  // raw fixed<6,1> codes, RTL bank order

// Coverage of the output paths (counted on the C++ side, per compared image).
struct coverage {
  std::size_t conv_zero = 0, conv_max = 0, conv_mid = 0;        // ReLU/underflow, 255, other
  std::size_t latent_zero = 0, latent_max = 0, latent_mid = 0;  // 0, 511, other
  std::string text() const {
    return fmt::format("conv outputs: {} zero, {} at 255, {} between;  latents: {} zero, {} at 511, {} between",
                       conv_zero, conv_max, conv_mid, latent_zero, latent_max, latent_mid);
  }
};

template <class M>
struct driver {
  using model = typename M::model;
  using config = typename M::config;
  static constexpr int reuse = M::reuse;
  // Image accepted in cycle c: stage 1 steps in c+1 .. c+R, stage 2's last step in c+R+1, the
  // result offered (and, without back-pressure, accepted) in c+R+2.
  static constexpr double nominal_latency = reuse + 2;

  // The RTL bank order: conv_weight[kh][kw][in][out], conv_bias, dense weights in (in, out)
  // order (the struct stores them (out, in)), dense_bias.
  static ae::weights<config> weights(const param_set& p) {
    using w_t = typename config::weight_t;
    using b_t = typename config::bias_t;
    ae::weights<config> w{};
    int i = 0;
    for (int kh = 0; kh < config::kernel; ++kh)
      for (int kw = 0; kw < config::kernel; ++kw)
        for (int c = 0; c < config::channels; ++c)
          for (int f = 0; f < config::filters; ++f) w.conv_weight[kh][kw][c][f] = w_t::from_raw(p[i++]);
    for (int f = 0; f < config::filters; ++f) w.conv_bias[f] = b_t::from_raw(p[i++]);
    for (int in = 0; in < config::flat; ++in)
      for (int o = 0; o < config::latent; ++o) w.dense_weight[o][in] = w_t::from_raw(p[i++]);
    for (int o = 0; o < config::latent; ++o) w.dense_bias[o] = b_t::from_raw(p[i++]);
    return w;
  }

  static std::vector<std::int64_t> expected(const image& img, const ae::weights<config>& w, coverage* cov = nullptr) {
    typename config::input_t x[pixels];
    for (int p = 0; p < pixels; ++p) x[p] = config::input_t::from_raw(img[p]);
    typename config::latent_t y[latents];
    ae::encode<config>(x, w, y);
    std::vector<std::int64_t> codes(latents);
    for (int k = 0; k < latents; ++k) codes[k] = static_cast<std::int64_t>(y[k].raw());
    if (cov) {
      typename config::conv_out_t conv[config::flat];
      ae::conv_layer<config>(x, w, conv);
      for (const auto& c : conv) {
        const auto r = c.raw();
        (r == 0 ? cov->conv_zero : r == 255 ? cov->conv_max : cov->conv_mid)++;
      }
      for (auto r : codes) (r == 0 ? cov->latent_zero : r == 511 ? cov->latent_max : cov->latent_mid)++;
    }
    return codes;
  }

  static stream_ports ports(model& t) {
    return {make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST, in_bits),
            make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST, out_bits)};
  }
  static output_codec codec() { return lanes_codec(9, latents, false); }
  static bitvec beat(const image& img) {
    bitvec b(in_bits);
    for (int p = 0; p < pixels; ++p) b.set(8 * p, 8, img[p]);
    return b;
  }
};

// ---- stimulus ---------------------------------------------------------------------------------

// Always included: all-zero, all-maximum, a single hot cell (code 255) at each of the 64 positions.
inline std::vector<image> corner_images() {
  std::vector<image> v;
  v.push_back(image{});
  image full;
  full.fill(255);
  v.push_back(full);
  for (int p = 0; p < pixels; ++p) {
    image hot{};
    hot[static_cast<std::size_t>(p)] = 255;
    v.push_back(hot);
  }
  return v;
}

// Detector-like images: a few of the 48 sensor cells (the 8x8 grid without its bottom-right 4x4
// quadrant) carry energy, normalized to sum 1.0 (codes summing to about 128).
inline image sparse_image(std::mt19937_64& rng) {
  std::vector<int> cells;
  for (int p = 0; p < pixels; ++p)
    if (p / 8 < 4 || p % 8 < 4) cells.push_back(p);
  std::shuffle(cells.begin(), cells.end(), rng);
  const int hits = 1 + static_cast<int>(rng() % 12);
  std::exponential_distribution<double> energy(1.0);
  std::vector<double> e(static_cast<std::size_t>(hits));
  double sum = 0;
  for (auto& x : e) sum += (x = energy(rng) + 1e-3);
  image img{};
  for (int h = 0; h < hits; ++h) {
    const double code = std::round(e[static_cast<std::size_t>(h)] / sum * 128.0);
    img[static_cast<std::size_t>(cells[static_cast<std::size_t>(h)])] = static_cast<std::uint8_t>(std::min(code, 255.0));
  }
  return img;
}

// Uniform random codes; every third image with a random density of zero cells.
inline image random_image(std::mt19937_64& rng, std::size_t i) {
  image img;
  const unsigned keep = i % 3 == 0 ? static_cast<unsigned>(rng() % 101) : 100;
  for (auto& c : img) {
    const std::uint64_t r = rng();
    c = (r >> 8) % 100 < keep ? static_cast<std::uint8_t>(r) : 0;
  }
  return img;
}

struct weight_case {
  std::string name;
  param_set params;
  std::size_t run;  // images per run (count)
};

// The saturation corners: every weight and bias -1 (code -32), every one +31/32 (code 31), and
// alternating signs (+31/32, -1, ...: whole filters and whole latents at the positive / negative
// extreme). Run lengths 3, 17, 100.
inline std::vector<weight_case> corner_weight_cases() {
  param_set minus, plus, alt;
  minus.fill(-32);
  plus.fill(31);
  for (int i = 0; i < num_params; ++i) alt[static_cast<std::size_t>(i)] = i % 2 ? -32 : 31;
  return {{"all_minus_one", minus, 3}, {"all_max", plus, 17}, {"alternating", alt, 100}};
}

// random, the corners, small random (|w| <= 1/8: sums rarely saturate, so the rounding paths are
// exercised), random again. Run lengths: single-image runs back to back, then longer ones.
inline std::vector<weight_case> weight_cases(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int lo, int hi) {
    param_set p;
    for (auto& c : p) c = static_cast<std::int8_t>(lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)));
    return p;
  };
  std::vector<weight_case> cases = {{"random", uniform(-32, 31), 1}};
  for (auto& c : corner_weight_cases()) cases.push_back(std::move(c));
  cases.push_back({"random_small", uniform(-4, 4), 256});
  cases.push_back({"random_again", uniform(-32, 31), 1000});
  return cases;
}

struct stimulus_set {
  weight_case weights;
  std::vector<image> images;  // a multiple of weights.run images
};

// Appends sparse and random images alternately until s holds at least n images and a whole
// number of runs.
inline void fill_images(stimulus_set& s, std::size_t n, std::mt19937_64& rng) {
  n = (std::max(n, s.images.size()) + s.weights.run - 1) / s.weights.run * s.weights.run;
  for (std::size_t i = s.images.size(); i < n; ++i) s.images.push_back(i % 2 ? sparse_image(rng) : random_image(rng, i));
}

// Per weight case: the corner images, then sparse and random ones up to images_per_set (rounded
// up to a multiple of the run length).
inline std::vector<stimulus_set> make_stimulus(std::uint64_t seed, const std::vector<weight_case>& cases,
                                               std::size_t images_per_set) {
  std::vector<stimulus_set> sets;
  std::mt19937_64 rng(seed);
  for (const auto& w : cases) {
    stimulus_set s{w, corner_images()};
    fill_images(s, images_per_set, rng);
    sets.push_back(std::move(s));
  }
  return sets;
}
inline std::vector<stimulus_set> make_stimulus(std::uint64_t seed, std::size_t images_per_set) {
  return make_stimulus(seed, weight_cases(seed * 7 + 1), images_per_set);
}

// ---- driving the kernel -----------------------------------------------------------------------

template <class Model>
void load_params(stream_bench<Model>& tb, const param_set& p) {
  for (const auto& w : ae::register_program(std::vector<std::int64_t>(p.begin(), p.end()))) tb.bus.write(w.offset, w.value);
}

// Per weight case: load the parameters (kernel idle), set count = run, auto_restart on, start;
// stream all but the last run's images and compare (one drain() batch, so the measured
// intervals include every run boundary); then clear auto_restart, feed the run that has already
// restarted, and check that the kernel ends idle.
template <class A>
run_result run_sets(const run_options& opt, const std::vector<stimulus_set>& sets, coverage* cov) {
  using V = typename A::model;
  // Expectations first (the scenario may be replayed for a waveform).
  std::vector<std::vector<std::vector<std::int64_t>>> want;
  for (const auto& s : sets) {
    const auto w = A::weights(s.weights.params);
    auto& ws = want.emplace_back();
    for (const auto& img : s.images) ws.push_back(A::expected(img, w, cov));
  }
  return run<V>(opt, A::ports, A::codec(), [&](stream_bench<V>& tb) {
    std::size_t v = 0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const auto& s = sets[k];
      const std::size_t run = s.weights.run, n = s.images.size();
      load_params(tb, s.weights.params);
      tb.ctrl.set_arg(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA, static_cast<std::uint32_t>(run));
      tb.ctrl.set_auto_restart(true);
      tb.ctrl.start();
      auto feed = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i, ++v) {
          const bool last = (i + 1) % run == 0;
          tb.push(v, A::beat(s.images[i]), last);
          tb.expect(v, want[k][i], last);
        }
        tb.drain();
      };
      feed(0, n - run);
      tb.ctrl.set_auto_restart(false);
      feed(n - run, n);
      tb.ctrl.wait_done(10'000);
      if (!tb.ctrl.is_idle())
        tb.result().error(tb.sim.cycle(), fmt::format("weight case {}: kernel not idle after its last run", s.weights.name));
    }
  });
}

}  // namespace hlskit::cosim::autoencoder_top
