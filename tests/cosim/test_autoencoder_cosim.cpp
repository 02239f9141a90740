// Cosimulation of rtl/autoencoder/autoencoder_top against hlskit::autoencoder::encode (the C++
// executable specification, hls/kernels/autoencoder/): all 16 latent codes of every image, zero
// differing bits, for each verilated configuration (R = 1 `econt`, R = 8 `fpga`, and R = 32 with
// non-default output modes). Parameters go in over AXI-Lite (autoencoder_hw.h's params window),
// images stream in runs of `count` with auto_restart, TLAST is checked on the last image of each run, and the
// measured II and latency are asserted. Plus the parameter bank and ap_ctrl_hs behaviour.
//
// Built a second time with HLSKIT_GATE_LEVEL (test_cosim_gatelevel_autoencoder): the same typed
// tests, stimulus and checks on the gate-level models (hlskit/verilated/autoencoder_gl_models.hpp:
// the Yosys netlist of a config with the Xilinx cell models), without the control tests below.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "autoencoder/autoencoder.hpp"
#ifdef HLSKIT_GATE_LEVEL
#include "hlskit/verilated/autoencoder_gl_models.hpp"
#else
#include "hlskit/verilated/autoencoder_models.hpp"
#endif
#include <autoencoder/cosim.hpp>
#include "hlskit/cosim/cosim.hpp"

namespace cosim = hlskit::cosim;
namespace ae = hlskit::autoencoder;

namespace {

#ifndef HLSKIT_GATE_LEVEL
static_assert(std::is_same_v<hlskit::verilated::autoencoder_econt::config, ae::econt>, "the R = 1 model must be the econt config");
static_assert(std::is_same_v<hlskit::verilated::autoencoder_fpga::config, ae::fpga>, "the R = 8 model must be the fpga config");
#endif

using namespace cosim::autoencoder_top;  // driver, stimulus, run_sets, coverage

cosim::run_options options(const std::string& kernel, std::uint64_t seed, double gap, double stall) {
  cosim::run_options o;
  o.kernel = kernel;
  o.seed = seed;
  o.valid_gap_probability = gap;
  o.ready_stall_probability = stall;
  // Passes with back-pressure also start from a random initial state (every register and RAM
  // word random before reset): a read of a never-written word cannot pass by luck.
  if (gap > 0 || stall > 0) o.random_init = static_cast<std::uint32_t>(seed);
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
#ifdef HLSKIT_GATE_LEVEL
using autoencoder_models = ::testing::Types<HLSKIT_AUTOENCODER_GL_MODELS>;
#else
using autoencoder_models = ::testing::Types<hlskit::verilated::autoencoder_econt, hlskit::verilated::autoencoder_fpga, hlskit::verilated::autoencoder_r32_modes>;
#endif
TYPED_TEST_SUITE(autoencoder_cosim, autoencoder_models);

TYPED_TEST(autoencoder_cosim, every_latent_matches_without_backpressure) {
  using A = driver<TypeParam>;
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
  using A = driver<TypeParam>;
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
  using A = driver<TypeParam>;
  auto sets = make_stimulus(24, 150);
  const auto r = run_sets<A>(options(std::string("autoencoder_stall_") + TypeParam::name, 25, 0.05, 0.95), sets, nullptr);
  std::cout << r.table();
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.vectors, total_images(sets));
  EXPECT_GT(r.interval.mean(), 10.0);  // the sink, not the kernel, sets the pace
}

// --random-init: the parameter bank has no reset, so before any write it shows the initial state
// (every config; on a netlist, its flops with INIT = x).
// All zero by default; random bits under a seed, the same bits for the same seed (a failing run
// can be replayed), other bits for another seed; control registers are reset either way.
TYPED_TEST(autoencoder_cosim, random_initial_state_is_random_and_reproducible) {
  using A = driver<TypeParam>;
  using V = typename A::model;
  const auto bank_after_reset = [](std::optional<std::uint32_t> seed) {
    cosim::run_result result;
    auto opt = options("autoencoder_init", 1, 0, 0);
    opt.random_init = seed;
    cosim::stream_bench<V> tb{opt, A::ports, A::codec(), result};
    tb.sim.reset();
    EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
    EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA), 0u);
    std::vector<std::uint32_t> words;
    for (std::uint32_t i = 0; i < 64; ++i) words.push_back(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * i));
    return words;
  };
  const auto zero = bank_after_reset(std::nullopt);
  EXPECT_EQ(std::count(zero.begin(), zero.end(), 0u), 64);
  const auto a = bank_after_reset(7), b = bank_after_reset(7), c = bank_after_reset(123);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_LT(std::count(a.begin(), a.end(), 0u), 8);  // 6-bit words: 1 in 64 is zero by chance
  cosim::sim_options bad;
  bad.random_init = 0;  // Verilator would seed from the system: refused
  EXPECT_THROW(cosim::simulation<V>{bad}, cosim::cosim_error);
}

#ifndef HLSKIT_GATE_LEVEL
// ---- parameter bank and control, on the fpga model ----------------------------------------------
using F = driver<hlskit::verilated::autoencoder_fpga>;
using VF = hlskit::verilated::autoencoder_fpga::model;

struct direct_bench {
  cosim::run_result result;
  cosim::stream_bench<VF> tb{options("autoencoder_regs", 1, 0, 0), F::ports, F::codec(), result};
  direct_bench() { tb.sim.reset(); }
};

TEST(autoencoder_control, registers_after_reset) {
  direct_bench d;
  auto& tb = d.tb;
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA), 0u);
  // (The parameter bank has no reset: its contents are undefined until the host writes them.)
  EXPECT_FALSE(tb.ctrl.interrupt_line());
}

TEST(autoencoder_control, parameter_bank_reads_back_and_decodes_exactly) {
  direct_bench d;
  auto& tb = d.tb;
  auto code = [](std::uint32_t i) { return (i * 37u + 11u) & 0x3Fu; };
  for (std::uint32_t i = 0; i < num_params; ++i) tb.bus.write(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * i, 0xABCDEF00u | code(i));
  tb.bus.write(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA, 0x12345678u);
  for (std::uint32_t i = 0; i < num_params; ++i) {
    ASSERT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * i), code(i)) << "parameter " << i;  // upper bits read 0
    ASSERT_EQ(tb.bus.last_resp(), 0u);
  }
  // Writes without byte lane 0 are ignored; the other lanes carry nothing.
  tb.bus.write(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * 5, 0x3Fu, 0b1110);
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * 5), code(5));
  tb.bus.write(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * 5, 0x3Fu, 0b0001);
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * 5), 0x3Fu);
  // Outside the bank: reads 0, writes ignored (no aliasing into the bank or the control registers).
  for (std::uint32_t a : {0x0800u, 0x0FFCu, XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4u * num_params, 0x3FFCu, 0x14u}) {
    tb.bus.write(a, 0xFFFFFFFFu);
    EXPECT_EQ(tb.bus.read(a), 0u) << std::hex << a;
    EXPECT_EQ(tb.bus.last_resp(), 0u);
  }
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE), code(0));
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * (num_params - 1)), code(num_params - 1));
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA), 0x12345678u);
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
  // The control registers do not leak into the bank's addresses (0x1010 is parameter 4, not count).
  EXPECT_EQ(tb.bus.read(XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 0x10), code(4));
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
    tb.ctrl.set_arg(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA, static_cast<std::uint32_t>(run));
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
    tb.ctrl.set_arg(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA, 1);
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
  tb.ctrl.set_arg(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA, 0);
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
  tb.ctrl.set_arg(XAUTOENCODER_CONTROL_ADDR_COUNT_DATA, 2);
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

#endif  // HLSKIT_GATE_LEVEL

}  // namespace
