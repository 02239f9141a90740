// Cosimulation of rtl/autoencoder/autoencoder_top against hlskit::autoencoder::encode (the C++
// executable specification, hls/kernels/autoencoder/): all 16 latent codes of every image, zero
// differing bits, for each verilated configuration (R = 1 `econt`, R = 8 `fpga`, and R = 32 with
// non-default output modes). Parameters go in over AXI-Lite (0x1000 + 4*i), images stream in
// runs of `count` with auto_restart, TLAST is checked on the last image of each run, and the
// measured II and latency are asserted. Plus the parameter bank and ap_ctrl_hs behaviour.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "autoencoder/autoencoder.hpp"
#include "autoencoder_models.hpp"
#include "hlskit/cosim/cosim.hpp"

namespace cosim = hlskit::cosim;
namespace ae = hlskit::autoencoder;

namespace {

static_assert(std::is_same_v<ae_econt::config, ae::econt>, "the R = 1 model must be the econt config");
static_assert(std::is_same_v<ae_fpga::config, ae::fpga>, "the R = 8 model must be the fpga config");

constexpr std::uint32_t count_reg = cosim::reg::args;  // 0x10: images per run
constexpr std::uint32_t param_base = 0x1000;           // parameter i at param_base + 4*i
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
struct autoencoder {
  using model = typename M::model;
  using config = typename M::config;
  static constexpr int reuse = M::reuse;
  // Image accepted in cycle c: stage 1 steps in c+1 .. c+R, stage 2's last step in c+R+1, the
  // result offered (and, without back-pressure, accepted) in c+R+2.
  static constexpr double nominal_latency = reuse + 2;

  // The RTL bank order is the C++ struct's: conv_weight[kh][kw][in][out], conv_bias,
  // dense_weight[in][out], dense_bias.
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
      for (int o = 0; o < config::latent; ++o) w.dense_weight[in][o] = w_t::from_raw(p[i++]);
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

  static cosim::stream_ports ports(model& t) {
    return {cosim::make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST, in_bits),
            cosim::make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST, out_bits)};
  }
  static cosim::output_codec codec() { return cosim::lanes_codec(9, latents, false); }
  static cosim::bitvec beat(const image& img) {
    cosim::bitvec b(in_bits);
    for (int p = 0; p < pixels; ++p) b.set(8 * p, 8, img[p]);
    return b;
  }
};

// ---- stimulus ---------------------------------------------------------------------------------

// Always included: all-zero, all-maximum, a single hot cell (code 255) at each of the 64 positions.
std::vector<image> corner_images() {
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
image sparse_image(std::mt19937_64& rng) {
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
image random_image(std::mt19937_64& rng, std::size_t i) {
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

// random, every weight and bias -1 (code -32), every one +31/32 (code 31), alternating signs
// (+31/32, -1, ...: whole filters and whole latents at the positive / negative extreme), small
// random (|w| <= 1/8: sums rarely saturate, so the rounding paths are exercised), random again.
std::vector<weight_case> weight_cases(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int lo, int hi) {
    param_set p;
    for (auto& c : p) c = static_cast<std::int8_t>(lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)));
    return p;
  };
  param_set minus, plus, alt;
  minus.fill(-32);
  plus.fill(31);
  for (int i = 0; i < num_params; ++i) alt[static_cast<std::size_t>(i)] = i % 2 ? -32 : 31;
  // Run lengths: single-image runs back to back, then longer ones.
  return {{"random", uniform(-32, 31), 1},  {"all_minus_one", minus, 3}, {"all_max", plus, 17},
          {"alternating", alt, 100},        {"random_small", uniform(-4, 4), 256},
          {"random_again", uniform(-32, 31), 1000}};
}

struct stimulus_set {
  weight_case weights;
  std::vector<image> images;  // a multiple of weights.run images
};

// images_per_set (rounded up to a multiple of the run length) per weight case: the corners,
// then sparse and random images alternately.
std::vector<stimulus_set> make_stimulus(std::uint64_t seed, std::size_t images_per_set) {
  std::vector<stimulus_set> sets;
  std::mt19937_64 rng(seed);
  const auto corners = corner_images();
  for (auto& w : weight_cases(seed * 7 + 1)) {
    stimulus_set s{w, corners};
    const std::size_t n = (std::max(images_per_set, corners.size()) + w.run - 1) / w.run * w.run;
    for (std::size_t i = s.images.size(); i < n; ++i)
      s.images.push_back(i % 2 ? sparse_image(rng) : random_image(rng, i));
    sets.push_back(std::move(s));
  }
  return sets;
}

// ---- driving the kernel -----------------------------------------------------------------------

template <class Model>
void load_params(cosim::stream_bench<Model>& tb, const param_set& p) {
  // Sign-extended 32-bit words: the bank keeps bits [5:0].
  for (int i = 0; i < num_params; ++i)
    tb.bus.write(param_base + 4u * static_cast<std::uint32_t>(i),
                 static_cast<std::uint32_t>(static_cast<std::int32_t>(p[static_cast<std::size_t>(i)])));
}

// Per weight case: load the parameters (kernel idle), set count = run, auto_restart on, start;
// stream all but the last run's images and compare (one drain() batch, so the measured
// intervals include every run boundary); then clear auto_restart, feed the run that has already
// restarted, and check that the kernel ends idle.
template <class A>
cosim::run_result run_sets(const cosim::run_options& opt, const std::vector<stimulus_set>& sets, coverage* cov) {
  using V = typename A::model;
  // Expectations first (the scenario may be replayed for a waveform).
  std::vector<std::vector<std::vector<std::int64_t>>> want;
  for (const auto& s : sets) {
    const auto w = A::weights(s.weights.params);
    auto& ws = want.emplace_back();
    for (const auto& img : s.images) ws.push_back(A::expected(img, w, cov));
  }
  return cosim::run<V>(opt, A::ports, A::codec(), [&](cosim::stream_bench<V>& tb) {
    std::size_t v = 0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const auto& s = sets[k];
      const std::size_t run = s.weights.run, n = s.images.size();
      load_params(tb, s.weights.params);
      tb.ctrl.set_arg(count_reg, static_cast<std::uint32_t>(run));
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

cosim::run_options options(const std::string& kernel, std::uint64_t seed, double gap, double stall) {
  cosim::run_options o;
  o.kernel = kernel;
  o.seed = seed;
  o.valid_gap_probability = gap;
  o.ready_stall_probability = stall;
  o.progress_every = 0;
  return o;
}

std::size_t total_images(const std::vector<stimulus_set>& sets) {
  std::size_t n = 0;
  for (const auto& s : sets) n += s.images.size();
  return n;
}

// Vectors per weight case: >= 10,000 per config for the default-mode configs.
template <class M>
constexpr std::size_t images_per_set() { return M::default_modes ? 1700 : 600; }

template <class M>
class autoencoder_cosim : public ::testing::Test {};
TYPED_TEST_SUITE(autoencoder_cosim, autoencoder_models);

TYPED_TEST(autoencoder_cosim, every_latent_matches_without_backpressure) {
  using A = autoencoder<TypeParam>;
  const auto sets = make_stimulus(21, images_per_set<TypeParam>());
  coverage cov;
  const auto r = run_sets<A>(options(std::string("autoencoder_") + TypeParam::name, 1, 0, 0), sets, &cov);
  std::cout << r.table() << "  coverage: " << cov.text() << "\n";
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.mismatch_count, 0u);
  EXPECT_EQ(r.vectors, total_images(sets));
  EXPECT_EQ(r.outputs_compared, r.vectors * (latents + 1));  // + TLAST
  if (TypeParam::default_modes) EXPECT_GE(r.vectors, 10'000u);
  // II = R, across run boundaries too (single-image runs with auto_restart included).
  EXPECT_EQ(r.interval.min, A::reuse);
  EXPECT_EQ(r.interval.max, A::reuse);
  EXPECT_EQ(r.latency.min, A::nominal_latency);
  EXPECT_EQ(r.latency.max, A::nominal_latency);
  if (TypeParam::default_modes) {  // every output path was taken (rnd + sat)
    EXPECT_GT(cov.conv_zero, 0u);
    EXPECT_GT(cov.conv_max, 0u);
    EXPECT_GT(cov.conv_mid, 0u);
    EXPECT_GT(cov.latent_zero, 0u);
    EXPECT_GT(cov.latent_max, 0u);
    EXPECT_GT(cov.latent_mid, 0u);
  }
}

TYPED_TEST(autoencoder_cosim, every_latent_matches_with_random_backpressure) {
  using A = autoencoder<TypeParam>;
  const auto sets = make_stimulus(22, images_per_set<TypeParam>());
  const auto r = run_sets<A>(options(std::string("autoencoder_bp_") + TypeParam::name, 23, 0.3, 0.3), sets, nullptr);
  std::cout << r.table();
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.vectors, total_images(sets));
  if (TypeParam::default_modes) EXPECT_GE(r.vectors, 10'000u);
  EXPECT_EQ(r.latency.min, A::nominal_latency);  // images that met no stall
  EXPECT_GT(r.latency.max, A::nominal_latency);
  EXPECT_EQ(r.interval.min, A::reuse);
  // For R > 1 a TVALID gap shorter than R cycles costs nothing (the next image waits in the
  // source anyway), so only R = 1 must slow down.
  if (A::reuse == 1) EXPECT_GT(r.interval.mean(), A::reuse);
  else EXPECT_GE(r.interval.mean(), A::reuse);
}

// The output side mostly stalled: results pile up in the output buffer and the pipeline stops
// behind it, for every R.
TYPED_TEST(autoencoder_cosim, every_latent_matches_under_heavy_output_stalls) {
  using A = autoencoder<TypeParam>;
  auto sets = make_stimulus(24, 150);
  const auto r = run_sets<A>(options(std::string("autoencoder_stall_") + TypeParam::name, 25, 0.05, 0.95), sets, nullptr);
  std::cout << r.table();
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.vectors, total_images(sets));
  EXPECT_GT(r.interval.mean(), 10.0);  // the sink, not the kernel, sets the pace
}

// ---- parameter bank and control, on the fpga model ----------------------------------------------
using F = autoencoder<ae_fpga>;
using VF = ae_fpga::model;

struct direct_bench {
  cosim::run_result result;
  cosim::stream_bench<VF> tb{options("autoencoder_regs", 1, 0, 0), F::ports, F::codec(), result};
  direct_bench() { tb.sim.reset(); }
};

TEST(autoencoder_control, registers_after_reset) {
  direct_bench d;
  auto& tb = d.tb;
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
  EXPECT_EQ(tb.bus.read(count_reg), 0u);
  // (The parameter bank has no reset: its contents are undefined until the host writes them.)
  EXPECT_FALSE(tb.ctrl.interrupt_line());
}

TEST(autoencoder_control, parameter_bank_reads_back_and_decodes_exactly) {
  direct_bench d;
  auto& tb = d.tb;
  auto code = [](std::uint32_t i) { return (i * 37u + 11u) & 0x3Fu; };
  for (std::uint32_t i = 0; i < num_params; ++i) tb.bus.write(param_base + 4 * i, 0xABCDEF00u | code(i));
  tb.bus.write(count_reg, 0x12345678u);
  for (std::uint32_t i = 0; i < num_params; ++i) {
    ASSERT_EQ(tb.bus.read(param_base + 4 * i), code(i)) << "parameter " << i;  // upper bits read 0
    ASSERT_EQ(tb.bus.last_resp(), 0u);
  }
  // Writes without byte lane 0 are ignored; the other lanes carry nothing.
  tb.bus.write(param_base + 4 * 5, 0x3Fu, 0b1110);
  EXPECT_EQ(tb.bus.read(param_base + 4 * 5), code(5));
  tb.bus.write(param_base + 4 * 5, 0x3Fu, 0b0001);
  EXPECT_EQ(tb.bus.read(param_base + 4 * 5), 0x3Fu);
  // Outside the bank: reads 0, writes ignored (no aliasing into the bank or the control registers).
  for (std::uint32_t a : {0x0800u, 0x0FFCu, param_base + 4u * num_params, 0x3FFCu, 0x14u}) {
    tb.bus.write(a, 0xFFFFFFFFu);
    EXPECT_EQ(tb.bus.read(a), 0u) << std::hex << a;
    EXPECT_EQ(tb.bus.last_resp(), 0u);
  }
  EXPECT_EQ(tb.bus.read(param_base), code(0));
  EXPECT_EQ(tb.bus.read(param_base + 4 * (num_params - 1)), code(num_params - 1));
  EXPECT_EQ(tb.bus.read(count_reg), 0x12345678u);
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
  // The control registers do not leak into the bank's addresses (0x1010 is parameter 4, not count).
  EXPECT_EQ(tb.bus.read(param_base + 0x10), code(4));
}

// Host-started runs (no auto_restart): the kernel takes exactly `count` images, then stops.
TEST(autoencoder_control, host_started_runs_take_exactly_count_images) {
  direct_bench d;
  auto& tb = d.tb;
  const auto cases = weight_cases(5);
  load_params(tb, cases[0].params);
  const auto w = F::weights(cases[0].params);
  std::mt19937_64 rng(6);
  std::size_t v = 0;
  for (std::size_t run : {1u, 3u, 2u}) {
    const std::size_t before = tb.in.accepted();
    tb.ctrl.set_arg(count_reg, static_cast<std::uint32_t>(run));
    // One image more than the run takes; it is the next (single-image) run's.
    for (std::size_t i = 0; i <= run; ++i, ++v) {
      const image img = random_image(rng, i);
      const bool last = i + 1 >= run;
      tb.push(v, F::beat(img), last);
      tb.expect(v, F::expected(img, w), last);
    }
    tb.sim.tick(30);
    EXPECT_EQ(tb.in.accepted(), before) << "input taken before ap_start";
    tb.ctrl.start();
    ASSERT_TRUE(tb.sim.run_until([&] { return tb.outstanding() == 1; }, 1000));
    tb.ctrl.wait_done(1000);
    tb.sim.tick(30);
    EXPECT_EQ(tb.in.accepted(), before + run) << "the run must not take the extra image";
    EXPECT_EQ(tb.outstanding(), 1u);
    EXPECT_TRUE(tb.ctrl.is_idle());
    tb.ctrl.set_arg(count_reg, 1);
    tb.ctrl.start();
    tb.drain();
    tb.ctrl.wait_done(1000);
    EXPECT_TRUE(tb.ctrl.is_idle());
  }
  EXPECT_TRUE(d.result.passed()) << d.result.table();
  EXPECT_EQ(d.result.vectors, v);
}

TEST(autoencoder_control, empty_run_completes_without_taking_input) {
  direct_bench d;
  auto& tb = d.tb;
  tb.ctrl.set_arg(count_reg, 0);
  tb.in.push(F::beat(image{}));
  tb.ctrl.start();
  tb.ctrl.wait_done(100);
  tb.sim.tick(20);
  EXPECT_EQ(tb.in.accepted(), 0u);
  EXPECT_EQ(tb.out.accepted(), 0u);
  EXPECT_TRUE(tb.ctrl.is_idle());
  EXPECT_TRUE(d.result.passed()) << d.result.table();
}

TEST(autoencoder_control, done_interrupt) {
  direct_bench d;
  auto& tb = d.tb;
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::done);
  tb.ctrl.set_global_interrupt(true);
  tb.ctrl.set_arg(count_reg, 2);
  tb.ctrl.start();
  const param_set zero{};
  const auto w = F::weights(zero);
  for (std::size_t v = 0; v < 2; ++v) {
    tb.push(v, F::beat(image{}), v == 1);
    tb.expect(v, F::expected(image{}, w), v == 1);
  }
  tb.drain();
  tb.sim.tick(3);
  EXPECT_TRUE(tb.ctrl.interrupt_line());
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done);
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::done);
  tb.sim.tick(3);
  EXPECT_FALSE(tb.ctrl.interrupt_line());
  EXPECT_TRUE(d.result.passed()) << d.result.table();
}

}  // namespace
