// Cosimulation of rtl/common/hlskit_requant_top against hlskit::requantize (the C++ reference):
// all 28 (q_mode, o_mode) results of every sample, zero differing bits, for each verilated
// parameter set; plus its ap_ctrl_hs register file and self-tests of the harness on real RTL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>
#include <vector>

#include "hlskit/cosim/cosim.hpp"
#include "hlskit/cosim/requant_top.hpp"
#include "hlskit/fixed.hpp"
#include "requant_models.hpp"

namespace cosim = hlskit::cosim;

namespace {

constexpr int results = cosim::requant_top<rq_s12f6_s8f3>::results;
constexpr std::uint32_t count_reg = cosim::requant_top<rq_s12f6_s8f3>::count_reg;
// hlskit_requant_top's latency without back-pressure: input beat accepted at edge c, its
// results registered at c + 1, accepted at edge c + 1.
constexpr double nominal_latency = 1;
// Run lengths (ap_start each); the last one repeats until the vectors are used up.
const std::vector<std::size_t> run_lengths = {1, 2, 3, 17, 256, 4096};

template <class M>
struct requant : cosim::requant_top<M> {
  // Raw code of an in_width-bit pattern: sign-extended for signed inputs, as raw() gives it.
  static std::int64_t code_of(std::uint64_t bits) {
    const std::uint64_t m = M::in_width == 64 ? ~0ull : (1ull << M::in_width) - 1;
    bits &= m;
    if (M::in_signed && M::in_width < 64 && (bits >> (M::in_width - 1)) & 1) bits |= ~m;
    return static_cast<std::int64_t>(bits);
  }

  // Up to 12 input bits: every code. Wider: corner codes, then `random` random codes.
  static std::vector<std::int64_t> codes(std::uint64_t seed, std::size_t random = 100'000) {
    std::vector<std::int64_t> c;
    if (M::in_width <= 12) {
      for (std::uint64_t u = 0; u < (1ull << M::in_width); ++u) c.push_back(code_of(u));
      return c;
    }
    using i128 = __int128;
    const i128 in_lo = M::in_signed ? -(i128{1} << (M::in_width - 1)) : 0;
    const i128 in_hi = M::in_signed ? (i128{1} << (M::in_width - 1)) - 1 : (i128{1} << M::in_width) - 1;
    const i128 out_lo = M::out_signed ? -(i128{1} << (M::out_width - 1)) : 0;
    const i128 out_hi = M::out_signed ? (i128{1} << (M::out_width - 1)) - 1 : (i128{1} << M::out_width) - 1;
    const int shift = M::in_frac - M::out_frac;  // fraction bits dropped (> 0) or appended (< 0)
    auto add = [&](i128 v) {
      if (v >= in_lo && v <= in_hi) c.push_back(static_cast<std::int64_t>(v));
    };
    for (i128 v : {in_lo, in_lo + 1, in_hi - 1, in_hi, i128{0}, i128{1}, i128{-1}}) add(v);
    // Around the saturation bounds and around 0, at every rounding-relevant offset: exact ties
    // (+-1) and the last codes below the next output step.
    for (i128 b : {out_lo - 1, out_lo, out_lo + 1, out_hi - 1, out_hi, out_hi + 1, -out_hi, i128{0}, i128{1},
                   i128{-1}, i128{2}, i128{-2}}) {
      if (shift > 0) {
        const i128 step = i128{1} << shift, half = step / 2;
        for (i128 off : {-half - 1, -half, -half + 1, i128{-1}, i128{0}, i128{1}, half - 1, half, half + 1, step - 1})
          add(b * step + off);
      } else {
        for (i128 off = -2; off <= 2; ++off) add(b / (i128{1} << -shift) + off);
      }
    }
    std::mt19937_64 rng(seed);
    if (shift > 0)  // exact ties anywhere in the range (round-half modes differ only there)
      for (int i = 0; i < 1000; ++i) {
        const i128 tie = static_cast<i128>(code_of(rng())) / (i128{1} << shift) * (i128{1} << shift) + (i128{1} << (shift - 1));
        for (i128 off : {-1, 0, 1}) add(tie + off);
      }
    for (std::size_t i = 0; i < random; ++i) {
      // 3/4 uniform over all codes; 1/4 small magnitudes (a random number of significant bits).
      const std::int64_t r = code_of(rng());
      if (i % 4) c.push_back(r);
      else c.push_back(r >> (rng() % static_cast<unsigned>(M::in_width)));
    }
    return c;
  }
};

template <class R>
cosim::run_result run_requant(const cosim::run_options& opt, const std::vector<std::int64_t>& codes,
                              bool garbage_pad = false,
                              std::function<void(std::size_t, std::vector<std::int64_t>&)> tamper = {}) {
  return R::run(opt, codes, run_lengths, garbage_pad, std::move(tamper));
}
cosim::run_options options(const std::string& kernel, std::uint64_t seed = 1, double backpressure = 0) {
  cosim::run_options o;
  o.kernel = kernel;
  o.seed = seed;
  o.valid_gap_probability = o.ready_stall_probability = backpressure;
  // Passes with back-pressure also start from a random initial state (see test_autoencoder_cosim).
  if (backpressure > 0) o.random_init = static_cast<std::uint32_t>(seed);
  return o;
}

template <class M>
class requant_cosim : public ::testing::Test {};
TYPED_TEST_SUITE(requant_cosim, requant_models);

TYPED_TEST(requant_cosim, every_result_matches_without_backpressure) {
  using R = requant<TypeParam>;
  const auto codes = R::codes(11);
  const auto r = run_requant<R>(options(std::string("requant_") + TypeParam::name), codes);
  std::cout << r.table();
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.mismatch_count, 0u);
  EXPECT_EQ(r.vectors, codes.size());
  EXPECT_EQ(r.outputs_compared, codes.size() * (results + 1));  // + TLAST
  EXPECT_EQ(r.latency.min, nominal_latency);
  EXPECT_EQ(r.latency.max, nominal_latency);
  EXPECT_EQ(r.interval.min, 1);  // II = 1 within a run
  EXPECT_EQ(r.interval.max, 1);
}

TYPED_TEST(requant_cosim, every_result_matches_with_random_backpressure) {
  using R = requant<TypeParam>;
  auto codes = R::codes(12);
  std::shuffle(codes.begin(), codes.end(), std::mt19937_64(13));  // no help from neighbouring codes
  const auto r = run_requant<R>(options(std::string("requant_bp_") + TypeParam::name, 14, 0.3), codes, true);
  std::cout << r.table();
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.vectors, codes.size());
  EXPECT_EQ(r.outputs_compared, codes.size() * (results + 1));
  EXPECT_EQ(r.latency.min, nominal_latency);  // samples that met no stall
  EXPECT_GT(r.latency.max, nominal_latency);  // the stalls did hold outputs back
  EXPECT_EQ(r.interval.min, 1);
  EXPECT_GT(r.interval.mean(), 1.2);  // ~30 % gaps and stalls
}

// auto_restart: three runs back to back from a single ap_start; clearing auto_restart during the
// third run stops the kernel after it.
TYPED_TEST(requant_cosim, auto_restart_runs_back_to_back) {
  using R = requant<TypeParam>;
  using V = typename R::model;
  constexpr std::size_t run = 37, runs = 3;
  const auto all = R::codes(15, 200);  // narrow inputs have fewer codes than samples: cycle them
  std::vector<std::int64_t> codes(run * runs);
  for (std::size_t v = 0; v < codes.size(); ++v) codes[v] = all[v % all.size()];
  for (double bp : {0.0, 0.3}) {
    SCOPED_TRACE(bp);
    const auto r = cosim::run<V>(options(std::string("requant_ar_") + TypeParam::name, 16, bp), R::ports, R::codec(),
                                 [&](cosim::stream_bench<V>& tb) {
      tb.ctrl.set_arg(count_reg, run);
      tb.ctrl.set_auto_restart(true);
      tb.ctrl.start();
      for (std::size_t v = 0; v < codes.size(); ++v) {
        tb.push(v, R::beat(codes[v], 0), v % run == run - 1);
        tb.expect(v, R::expected(codes[v]), v % run == run - 1);
      }
      ASSERT_TRUE(tb.sim.run_until([&] { return tb.out.accepted() > 2 * run; }, 100'000));
      tb.ctrl.set_auto_restart(false);
      tb.drain();
      tb.ctrl.wait_done(10'000);
      EXPECT_TRUE(tb.ctrl.is_idle());
      if (bp == 0) {
        // II 1 within a run; at a restart the RTL (as its header documents) starts the next run
        // the cycle after ap_ready, leaving one empty input cycle: II 2 there.
        const auto& inf = tb.inferences();
        for (std::size_t v = 1; v < codes.size(); ++v)
          EXPECT_EQ(inf[v].first_in_cycle - inf[v - 1].first_in_cycle, v % run == 0 ? 2u : 1u) << "vector " << v;
      }
      // Stopped: a further beat is not taken.
      tb.in.push(R::beat(0, 0));
      tb.sim.tick(50);
      EXPECT_EQ(tb.in.accepted(), codes.size());
      EXPECT_TRUE(tb.ctrl.is_idle());
    });
    std::cout << r.table();
    EXPECT_TRUE(r.passed()) << r.table();
    EXPECT_EQ(r.vectors, codes.size());
    if (bp == 0) EXPECT_EQ(r.latency.max, nominal_latency);
  }
}

// ---- the default parameter set: register file and harness self-tests on real RTL ----
using M0 = rq_s12f6_s8f3;
using R0 = requant<M0>;
using V0 = M0::model;

// A bench outside cosim::run(), for tests that poke at things directly.
struct direct_bench {
  cosim::run_result result;
  cosim::stream_bench<V0> tb{options("requant_regs"), R0::ports, R0::codec(), result};
  direct_bench() { tb.sim.reset(); }
};

TEST(requant_control, registers_after_reset) {
  direct_bench d;
  auto& tb = d.tb;
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
  EXPECT_EQ(tb.bus.read(cosim::reg::gie), 0u);
  EXPECT_EQ(tb.bus.read(cosim::reg::ier), 0u);
  EXPECT_EQ(tb.bus.read(cosim::reg::isr), 0u);
  EXPECT_EQ(tb.bus.read(count_reg), 0u);
  EXPECT_EQ(tb.bus.last_resp(), 0u);
  EXPECT_FALSE(tb.ctrl.interrupt_line());
}

TEST(requant_control, idle_until_started_and_done_is_clear_on_read) {
  direct_bench d;
  auto& tb = d.tb;
  tb.ctrl.set_arg(count_reg, 4);
  for (std::size_t v = 0; v < 4; ++v) {
    tb.push(v, R0::beat(static_cast<std::int64_t>(v), 0), v == 3);
    tb.expect(v, R0::expected(static_cast<std::int64_t>(v)), v == 3);
  }
  tb.sim.tick(50);
  EXPECT_EQ(tb.in.accepted(), 0u) << "input taken before ap_start";
  EXPECT_TRUE(tb.ctrl.is_idle());

  tb.in.set_gap_probability(1.0);  // hold the inputs back, to see the started state
  tb.ctrl.start();
  const std::uint32_t running = tb.ctrl.status();
  EXPECT_TRUE(running & cosim::ctrl_bit::start) << std::hex << running;
  EXPECT_FALSE(running & cosim::ctrl_bit::idle) << std::hex << running;
  EXPECT_FALSE(running & cosim::ctrl_bit::done) << std::hex << running;

  tb.in.set_gap_probability(0.0);
  tb.drain();
  tb.sim.tick(5);
  const std::uint32_t done = tb.ctrl.status();
  EXPECT_EQ(done & 0xFu, cosim::ctrl_bit::done | cosim::ctrl_bit::idle | cosim::ctrl_bit::ready) << std::hex << done;
  EXPECT_EQ(tb.ctrl.status() & 0xFu, cosim::ctrl_bit::idle) << "ap_done and ap_ready are clear-on-read";
  EXPECT_TRUE(d.result.passed()) << d.result.table();
  EXPECT_EQ(d.result.vectors, 4u);
}

// One 1-sample run; returns with the kernel idle again.
void one_run(cosim::stream_bench<V0>& tb, std::size_t v) {
  tb.ctrl.set_arg(count_reg, 1);
  tb.ctrl.start();
  tb.push(v, R0::beat(0, 0), true);
  tb.expect(v, R0::expected(0), true);
  tb.drain();
  tb.ctrl.wait_done(1000);
}

TEST(requant_control, empty_run_completes_without_taking_input) {
  direct_bench d;
  auto& tb = d.tb;
  tb.ctrl.set_arg(count_reg, 0);
  tb.in.push(R0::beat(0, 0));
  tb.ctrl.start();
  tb.ctrl.wait_done(100);
  tb.sim.tick(20);
  EXPECT_EQ(tb.in.accepted(), 0u);
  EXPECT_EQ(tb.out.accepted(), 0u);
  EXPECT_TRUE(tb.ctrl.is_idle());
  EXPECT_TRUE(d.result.passed()) << d.result.table();
}

TEST(requant_control, interrupt_status_and_line) {
  direct_bench d;
  auto& tb = d.tb;
  // IER = 0: events do not set ISR.
  one_run(tb, 0);
  EXPECT_EQ(tb.ctrl.interrupt_status(), 0u);
  EXPECT_FALSE(tb.ctrl.interrupt_line());

  // IER = done | ready, GIE = 0: ISR set, line low.
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::done | cosim::irq_bit::ready);
  EXPECT_EQ(tb.bus.read(cosim::reg::ier), 3u);
  one_run(tb, 1);
  EXPECT_EQ(tb.ctrl.interrupt_status(), 3u);
  EXPECT_FALSE(tb.ctrl.interrupt_line());

  // GIE = 1: line high while any ISR bit is set.
  tb.ctrl.set_global_interrupt(true);
  EXPECT_EQ(tb.bus.read(cosim::reg::gie), 1u);
  tb.sim.tick(2);
  EXPECT_TRUE(tb.ctrl.interrupt_line());

  // Toggle-on-write: writing 1 flips a bit, writing 0 leaves it.
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::done);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::ready);
  tb.sim.tick(2);
  EXPECT_TRUE(tb.ctrl.interrupt_line());
  tb.bus.write(cosim::reg::isr, 0);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::ready);
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::ready);
  EXPECT_EQ(tb.ctrl.interrupt_status(), 0u);
  tb.sim.tick(2);
  EXPECT_FALSE(tb.ctrl.interrupt_line());
  tb.bus.write(cosim::reg::isr, cosim::irq_bit::done);  // toggling a clear bit sets it
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done);
  tb.sim.tick(2);
  EXPECT_TRUE(tb.ctrl.interrupt_line());
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::done);

  // Only the enabled event is recorded.
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::done);
  one_run(tb, 2);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done);
  tb.sim.tick(2);
  EXPECT_TRUE(tb.ctrl.interrupt_line());
  tb.ctrl.set_global_interrupt(false);
  tb.sim.tick(2);
  EXPECT_FALSE(tb.ctrl.interrupt_line());
  EXPECT_TRUE(d.result.passed()) << d.result.table();
}

TEST(requant_control, argument_write_strobes_and_unmapped_reads) {
  direct_bench d;
  auto& tb = d.tb;
  tb.bus.write(count_reg, 0x12345678u);
  EXPECT_EQ(tb.bus.read(count_reg), 0x12345678u);
  tb.bus.write(count_reg, 0xAABBCCDDu, 0b0101);  // bytes 0 and 2 only
  EXPECT_EQ(tb.bus.read(count_reg), 0x12BB56DDu);
  tb.bus.write(count_reg, 0xFFFFFFFFu, 0);
  EXPECT_EQ(tb.bus.read(count_reg), 0x12BB56DDu);
  for (std::uint32_t a : {0x14u, 0x18u, 0x1Cu, 0x20u, 0x3Cu}) {
    EXPECT_EQ(tb.bus.read(a), 0u) << "address 0x" << std::hex << a;
    EXPECT_EQ(tb.bus.last_resp(), 0u);
  }
  tb.bus.write(0x3C, 0xFFFFFFFFu);  // unmapped write: ignored, must not disturb the registers
  EXPECT_EQ(tb.bus.read(count_reg), 0x12BB56DDu);
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
}

TEST(requant_harness, wrong_reference_gives_exactly_one_mismatch) {
  const auto codes = R0::codes(0);
  constexpr std::size_t bad_vector = 1234, bad_output = 13;
  const std::int64_t truth = R0::expected(codes[bad_vector])[bad_output];
  const std::string wave = (std::filesystem::temp_directory_path() / "hlskit_cosim_selftest.fst").string();
  std::filesystem::remove(wave);
  auto opt = options("requant_selftest", 3, 0.2);
  opt.trace_path = wave;
  opt.trace_before = 40;
  opt.trace_after = 10;
  opt.progress_every = 1000;
  testing::internal::CaptureStderr();
  const auto r = run_requant<R0>(opt, codes, false, [&](std::size_t v, std::vector<std::int64_t>& want) {
    if (v == bad_vector) want[bad_output] ^= 4;
  });
  const std::string progress = testing::internal::GetCapturedStderr();
  std::cout << r.table();

  EXPECT_FALSE(r.passed());
  ASSERT_EQ(r.mismatch_count, 1u);
  ASSERT_EQ(r.mismatches.size(), 1u);
  const auto& m = r.mismatches[0];
  EXPECT_EQ(m.kernel, "requant_selftest");
  EXPECT_EQ(m.vector, bad_vector);
  EXPECT_EQ(m.output, bad_output);
  EXPECT_EQ(m.signal, "tdata");
  EXPECT_EQ(m.expected, truth ^ 4);
  EXPECT_EQ(m.actual, truth);
  EXPECT_GT(m.cycle, bad_vector);
  EXPECT_TRUE(r.errors.empty()) << r.table();  // includes: the traced replay did not diverge
  EXPECT_EQ(r.vectors, codes.size());

  const auto j = r.to_json();
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["mismatch_count"], 1);
  EXPECT_EQ(j["mismatches"][0]["vector"], bad_vector);
  EXPECT_EQ(j["mismatches"][0]["output"], bad_output);
  EXPECT_EQ(j["mismatches"][0]["expected"], truth ^ 4);
  EXPECT_EQ(j["mismatches"][0]["actual"], truth);
  EXPECT_NE(r.table().find("FAIL"), std::string::npos);

  // Waveform of the failing window only.
  EXPECT_EQ(r.trace_file, wave);
  ASSERT_TRUE(std::filesystem::exists(wave));
  EXPECT_GT(std::filesystem::file_size(wave), 100u);
  // Progress lines: one per 1000 vectors, in the first pass (the replay stops early).
  EXPECT_NE(progress.find("cosim requant_selftest: 4000 vectors, 1 mismatches"), std::string::npos) << progress;
}

TEST(requant_harness, stalled_kernel_times_out_with_a_clear_error) {
  auto opt = options("requant_stall");
  opt.idle_timeout = 200;
  const auto r = cosim::run<V0>(opt, R0::ports, R0::codec(), [&](cosim::stream_bench<V0>& tb) {
    tb.push(0, R0::beat(1, 0), true);  // never started: the kernel must not take it
    tb.expect(0, R0::expected(1), true);
    tb.drain();
  });
  EXPECT_FALSE(r.passed());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("no stream beat for 200 cycles, 1 input beats pending, 1 inferences outstanding"),
            std::string::npos)
      << r.errors[0];
  EXPECT_LT(r.cycles, 300u);
}

TEST(requant_harness, axi_lite_timeout_is_an_error_not_a_hang) {
  direct_bench d;
  d.tb.sim.top().ap_rst_n = 0;  // handshakes do not count in reset: nothing can complete
  try {
    d.tb.bus.write(count_reg, 1);
    FAIL() << "no timeout";
  } catch (const cosim::cosim_error& e) {
    EXPECT_NE(std::string(e.what()).find("AXI-Lite write of 0x10: no AWREADY within 1000 cycles"), std::string::npos)
        << e.what();
  }
  d.tb.sim.top().ap_rst_n = 1;
  EXPECT_EQ(d.tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);  // the bus was released
}

}  // namespace
