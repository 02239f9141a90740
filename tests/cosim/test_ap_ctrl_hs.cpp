// ap_ctrl_hs conformance of every verilated kernel top (rtl/common/hlskit_kernel_shell.sv), driven
// only through the top's ports: reset values, start / ready / done / idle, auto_restart,
// interrupt enable and status, a zero-item run, a start while a run is active, argument
// registers with byte strobes, unmapped addresses. Every kernel top config is one type; a kernel
// needs only a small trait: a valid minimal model's parameter writes, one item's input beats,
// its output beats per item, and its argument / unmapped addresses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <hlskit/kernel.hpp>

#include "ap_ctrl_models.hpp"
#include "hlskit/cosim/requant_top.hpp"
#include "hlskit/cosim/stream_bench.hpp"
#include "hlskit/verilated/models.hpp"

namespace {

namespace cosim = hlskit::cosim;
using cosim::ctrl_bit::auto_restart;
using cosim::ctrl_bit::done;
using cosim::ctrl_bit::idle;
using cosim::ctrl_bit::ready;
using cosim::ctrl_bit::start;

// ---- the kernels: every verilated config, from its declaration ---------------------------------

// A verilated config M (hlskit/verilated/models.hpp) driven from its kernel's declaration: the
// embedded default model's register program, its stream layouts, one item of fixed bytes. A
// test-only config (not declared) runs the model of the kernel's first config. Nothing here is
// kernel-specific: a new kernel is covered once hlskit_add_kernel verilates it.
template <class M>
struct declared_kernel {
  using model = typename M::model;
  static const hlskit::kernel_decl& decl() { return hlskit::find_kernel(M::kernel); }
  static const hlskit::loaded_model& loaded() {
    static const auto m = decl().load(M::named ? M::name : decl().configs.front().name, "");
    return *m;
  }
  static std::string name() { return std::string(M::kernel) + "_" + M::name; }
  static std::size_t out_beats() { return loaded().output().beats; }
  static std::size_t batch() { return loaded().batch(); }
  static cosim::stream_ports ports(model& t) {
    return {cosim::make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST,
                                  static_cast<int>(loaded().input().beat_bits)),
            cosim::make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST,
                                  static_cast<int>(loaded().output().beat_bits))};
  }
  static void load(cosim::axil_master<model>& bus) {
    for (const auto& w : loaded().registers()) bus.write(w.offset, w.value);
  }
  // The other input streams (sparse_llm's weights) and what one batch of one item reads from each.
  static std::vector<cosim::axis_port> side_ports(model& t) { return M::side_ports(t); }
  static std::vector<std::vector<std::uint8_t>> side_copies() {
    std::vector<std::vector<std::uint8_t>> copies;
    for (auto& s : loaded().side_inputs(1)) copies.push_back(std::move(s.bytes));
    return copies;
  }
  // One item: its beats of fixed bytes (every bit of TDATA exercised), TLAST on the last.
  static std::vector<cosim::axis_beat> item() {
    const hlskit::stream_layout l = loaded().input();
    std::vector<cosim::axis_beat> beats;
    for (std::size_t b = 0; b < l.beats; ++b) {
      cosim::bitvec d(static_cast<int>(l.beat_bits));
      for (unsigned bit = 0; bit < l.beat_bits; bit += 8) {
        const unsigned n = std::min(8u, l.beat_bits - bit);
        d.set(static_cast<int>(bit), static_cast<int>(n), ((b * 131 + bit * 7 + 11) & 0xFF) & ((1u << n) - 1));
      }
      beats.push_back({std::move(d), b + 1 == l.beats});
    }
    return beats;
  }
  // The argument registers: count and those the model writes next to it.
  static std::vector<std::uint32_t> args() {
    std::vector<std::uint32_t> a = {decl().count_offset};
    const auto regs = loaded().registers();
    const auto written = [&](std::uint32_t o) {
      return std::any_of(regs.begin(), regs.end(), [&](const hlskit::register_write& w) { return w.offset == o; });
    };
    while (written(a.back() + 4)) a.push_back(a.back() + 4);
    return a;
  }
  // The word after the last argument register.
  static std::vector<std::uint32_t> unmapped() { return {args().back() + 4}; }
};

template <class P>
struct requant_kernel {
  using model = typename P::model;
  using driver = cosim::requant_top<P>;
  static std::string name() { return std::string("requant_") + P::name; }
  static std::size_t out_beats() { return 1; }
  static std::size_t batch() { return 1; }
  static cosim::stream_ports ports(model& t) { return driver::ports(t); }
  static void load(cosim::axil_master<model>&) {}
  static std::vector<cosim::axis_port> side_ports(model&) { return {}; }
  static std::vector<std::vector<std::uint8_t>> side_copies() { return {}; }
  static std::vector<cosim::axis_beat> item() { return {{driver::beat(37, 0), true}}; }
  static std::vector<std::uint32_t> args() { return {cosim::reg::args}; }
  static std::vector<std::uint32_t> unmapped() { return {0x14, 0x20, 0x3C}; }
};

// ---- the bench: AXI4-Lite master, stream source and sink, from a random initial state -------------

template <class K>
struct bench {
  using model = typename K::model;
  static constexpr std::uint32_t count_reg = cosim::reg::args;

  cosim::simulation<model> sim;
  cosim::axil_master<model> bus;
  cosim::ap_ctrl<model> ctrl;
  cosim::axis_source in;
  cosim::axis_sink out;

  static cosim::sim_options options() {
    cosim::sim_options o;
    o.random_init = 0x5eed;  // every variable random before reset: reset values must come from the reset
    return o;
  }
  // The other input streams, kept supplied with whole copies of what a batch reads.
  std::vector<std::unique_ptr<cosim::axis_source>> side;
  std::vector<std::unique_ptr<cosim::refill>> side_refill;

  bench()
      : sim(options()), bus(sim), ctrl(bus), in(sim, K::ports(sim.top()).in), out(sim, K::ports(sim.top()).out) {
    const auto copies = K::side_copies();
    auto ports = K::side_ports(sim.top());
    for (std::size_t i = 0; i < ports.size(); ++i) {
      side.push_back(std::make_unique<cosim::axis_source>(sim, std::move(ports[i])));
      side_refill.push_back(std::make_unique<cosim::refill>(sim, *side.back(), copies.at(i)));
    }
    sim.reset();
  }

  std::uint32_t status() { return bus.read(cosim::reg::ctrl); }
  void push_items(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      for (auto& b : K::item()) in.push(std::move(b.data), b.last);
  }
  std::size_t beats_per_item() const { return K::item().size(); }
  // Polls CTRL (which clears done and ready) until `bit` reads set; returns every bit seen set.
  std::uint32_t wait_for(std::uint32_t bit, std::uint64_t max_cycles = 20000) {
    const std::uint64_t from = sim.cycle();
    std::uint32_t seen = 0;
    for (;;) {
      const std::uint32_t s = status();
      seen |= s;
      if (s & bit) return seen;
      if (sim.cycle() - from > max_cycles) {
        ADD_FAILURE() << K::name() << ": CTRL bit " << bit << " not set within " << max_cycles << " cycles";
        return seen;
      }
    }
  }
  // Ticks until the sink has accepted n beats.
  bool wait_out(std::size_t n, std::uint64_t max_cycles = 20000) {
    return sim.run_until([&] { return out.accepted() >= n; }, max_cycles);
  }
  bool interrupt() { return ctrl.interrupt_line(); }
  // Every accepted output beat's TLAST as the kernel defines it, for runs of `run` items.
  void check_tlast(std::size_t run) {
    const auto& beats = out.beats();
    for (std::size_t b = 0; b < beats.size(); ++b) {
      const std::size_t item = b / K::out_beats();
      const bool item_end = (b + 1) % K::out_beats() == 0;
      // Every kernel: TLAST on a run's last beat, never inside an item (between items of a run
      // it is the kernel's choice: per item for the svm, per run for the autoencoder).
      if (!item_end) EXPECT_FALSE(beats[b].last) << K::name() << ": TLAST inside an item, output beat " << b;
      if (item_end && (item + 1) % run == 0) EXPECT_TRUE(beats[b].last) << K::name() << ": TLAST of output beat " << b;
    }
  }
};

template <class K>
class ap_ctrl_hs : public ::testing::Test {};

#define HLSKIT_DECLARED_KERNEL(k, c) , declared_kernel<hlskit::verilated::k##_##c>
using kernels = ::testing::Types<requant_kernel<rq_s12f6_s8f3> HLSKIT_VERILATED_MODELS(HLSKIT_DECLARED_KERNEL)>;
#undef HLSKIT_DECLARED_KERNEL
struct kernel_names {
  template <class K>
  static std::string GetName(int) { return K::name(); }
};
TYPED_TEST_SUITE(ap_ctrl_hs, kernels, kernel_names);

// After reset: idle, nothing started, done or ready; GIE, IER, ISR 0; no interrupt; no input taken.
TYPED_TEST(ap_ctrl_hs, reset_values) {
  bench<TypeParam> tb;
  EXPECT_EQ(tb.status(), idle);
  EXPECT_EQ(tb.bus.read(cosim::reg::gie), 0u);
  EXPECT_EQ(tb.bus.read(cosim::reg::ier), 0u);
  EXPECT_EQ(tb.bus.read(cosim::reg::isr), 0u);
  EXPECT_EQ(tb.bus.read(cosim::reg::args), 0u);
  EXPECT_FALSE(tb.interrupt());
  EXPECT_EQ(tb.bus.last_resp(), 0u);
  // Input offered without a start is not taken.
  tb.push_items(1);
  tb.sim.tick(50);
  EXPECT_EQ(tb.in.accepted(), 0u);
  EXPECT_EQ(tb.status(), idle);
}

// start: ap_start reads 1 and ap_idle 0 until the run's last item is taken (ap_ready), then 0;
// ap_done after the result, clear-on-read, and set once per run.
TYPED_TEST(ap_ctrl_hs, start_ready_done_idle) {
  bench<TypeParam> tb;
  TypeParam::load(tb.bus);
  tb.ctrl.set_arg(tb.count_reg, 2);
  tb.ctrl.start();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(tb.status(), start) << "before any input";  // no idle, no done
  tb.push_items(1);
  if (TypeParam::batch() == 1) {  // item by item: the first result before the second item
    ASSERT_TRUE(tb.wait_out(TypeParam::out_beats())) << "the first item's result";
    tb.sim.tick(50);
    EXPECT_EQ(tb.out.accepted(), TypeParam::out_beats());
    EXPECT_EQ(tb.status(), start) << "one of two items in and out: no ap_done, ap_ready or ap_idle yet";
  } else {  // a batch kernel waits for its batch (here the run's two items)
    tb.sim.tick(2000);
    EXPECT_EQ(tb.out.accepted(), 0u) << "a result before the batch's last item";
    EXPECT_EQ(tb.status(), start) << "one of two items in: no ap_done, ap_ready or ap_idle yet";
  }
  // The last item, with the output held: ap_ready, not yet ap_done.
  tb.out.hold(true);
  tb.push_items(1);
  const std::uint32_t seen = tb.wait_for(ready);
  EXPECT_FALSE(seen & done) << "ap_done before the last result was delivered";
  tb.sim.tick(50);
  std::uint32_t s = tb.status();
  EXPECT_EQ(s & (start | ready | done), 0u) << "ap_start cleared by ap_ready, ap_ready cleared by the read";
  EXPECT_FALSE(s & idle) << "a result is still in flight";
  tb.out.hold(false);
  ASSERT_TRUE(tb.wait_out(2 * TypeParam::out_beats()));
  tb.sim.tick(10);
  s = tb.status();
  EXPECT_EQ(s, done | idle);
  EXPECT_EQ(tb.status(), idle) << "ap_done is clear-on-read";
  tb.sim.tick(100);
  EXPECT_EQ(tb.status(), idle) << "ap_done set once per run";
  EXPECT_EQ(tb.out.accepted(), 2 * TypeParam::out_beats());
  ASSERT_EQ(tb.out.beats().size(), 2 * TypeParam::out_beats());
  tb.check_tlast(2);
  // A second run after the first: the same again.
  tb.ctrl.set_arg(tb.count_reg, 1);
  tb.ctrl.start();
  tb.push_items(1);
  tb.wait_for(done);
  EXPECT_EQ(tb.status(), idle);
  EXPECT_EQ(tb.out.accepted(), 3 * TypeParam::out_beats());
}

// auto_restart: runs follow each other with ap_start kept set; clearing it lets the current run
// finish and starts no other.
TYPED_TEST(ap_ctrl_hs, auto_restart) {
  bench<TypeParam> tb;
  TypeParam::load(tb.bus);
  tb.ctrl.set_arg(tb.count_reg, 2);
  tb.ctrl.set_auto_restart(true);
  EXPECT_EQ(tb.status(), idle | auto_restart);
  tb.ctrl.start();
  tb.push_items(6);  // three runs
  ASSERT_TRUE(tb.wait_out(6 * TypeParam::out_beats()));
  std::uint32_t s = tb.status();
  EXPECT_EQ(s & (start | done | auto_restart), start | done | auto_restart);
  EXPECT_FALSE(s & idle) << "the fourth run has started and waits for input";
  tb.check_tlast(2);
  // Clear auto_restart during run 4: it completes, and no fifth run starts.
  tb.ctrl.set_auto_restart(false);
  tb.push_items(3);
  ASSERT_TRUE(tb.wait_out(8 * TypeParam::out_beats()));
  tb.sim.tick(200);
  s = tb.status();
  EXPECT_EQ(s & (start | auto_restart | idle), idle);
  EXPECT_EQ(tb.in.accepted(), 8 * tb.beats_per_item()) << "an item taken after the last run";
  EXPECT_EQ(tb.out.accepted(), 8 * TypeParam::out_beats());
  tb.check_tlast(2);
}

// GIE / IER / ISR: ISR bits set on done and ready when enabled in IER; the line is GIE and any ISR
// bit; writing 1 toggles (clears) an ISR bit.
TYPED_TEST(ap_ctrl_hs, interrupts) {
  bench<TypeParam> tb;
  TypeParam::load(tb.bus);
  tb.ctrl.set_arg(tb.count_reg, 1);
  auto one_run = [&] {
    tb.ctrl.start();
    tb.push_items(1);
    tb.wait_for(done);
  };
  // IER 0, GIE 1: no status, no line.
  tb.ctrl.set_global_interrupt(true);
  EXPECT_EQ(tb.bus.read(cosim::reg::gie), 1u);
  one_run();
  EXPECT_EQ(tb.ctrl.interrupt_status(), 0u);
  EXPECT_FALSE(tb.interrupt());
  // IER done only.
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::done);
  EXPECT_EQ(tb.bus.read(cosim::reg::ier), cosim::irq_bit::done);
  one_run();
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done);
  EXPECT_TRUE(tb.interrupt());
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::done);
  EXPECT_EQ(tb.ctrl.interrupt_status(), 0u);
  EXPECT_FALSE(tb.interrupt());
  // IER ready only.
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::ready);
  one_run();
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::ready);
  EXPECT_TRUE(tb.interrupt());
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::ready);
  EXPECT_FALSE(tb.interrupt());
  // Both, GIE 0: status set, line low until GIE is set; each bit clears on its own.
  tb.ctrl.set_global_interrupt(false);
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::done | cosim::irq_bit::ready);
  one_run();
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done | cosim::irq_bit::ready);
  EXPECT_FALSE(tb.interrupt());
  tb.ctrl.set_global_interrupt(true);
  tb.sim.tick();
  EXPECT_TRUE(tb.interrupt());
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::done);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::ready);
  EXPECT_TRUE(tb.interrupt());
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::ready);
  EXPECT_EQ(tb.ctrl.interrupt_status(), 0u);
  EXPECT_FALSE(tb.interrupt());
  // The ready event comes with the item, before the result: with the output held, only ready.
  tb.out.hold(true);
  tb.ctrl.start();
  tb.push_items(1);
  tb.sim.run_until([&] { return tb.ctrl.interrupt_line(); }, 5000);
  tb.sim.tick(20);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::ready);
  tb.out.hold(false);
  tb.wait_for(done);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::ready | cosim::irq_bit::done);
}

// count = 0: ap_ready and ap_done together, no input taken; after a run whose result is still in
// flight, only once the datapath has drained.
TYPED_TEST(ap_ctrl_hs, zero_item_run) {
  bench<TypeParam> tb;
  TypeParam::load(tb.bus);
  tb.ctrl.set_arg(tb.count_reg, 0);
  tb.ctrl.set_interrupt_enable(cosim::irq_bit::done | cosim::irq_bit::ready);
  tb.ctrl.start();
  tb.sim.tick(20);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done | cosim::irq_bit::ready);
  EXPECT_EQ(tb.status(), done | ready | idle);
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::done | cosim::irq_bit::ready);
  // Behind a run with its result held at the output.
  tb.out.hold(true);
  tb.ctrl.set_arg(tb.count_reg, 1);
  tb.ctrl.start();
  tb.push_items(1);
  tb.wait_for(ready);
  tb.ctrl.clear_interrupt_status(cosim::irq_bit::ready);
  tb.ctrl.set_arg(tb.count_reg, 0);
  tb.ctrl.start();
  tb.sim.tick(100);
  EXPECT_EQ(tb.ctrl.interrupt_status(), 0u) << "the empty run finished before the datapath drained";
  EXPECT_EQ(tb.status() & (start | done | ready | idle), start);
  tb.out.hold(false);
  ASSERT_TRUE(tb.wait_out(TypeParam::out_beats()));
  tb.sim.tick(20);
  EXPECT_EQ(tb.ctrl.interrupt_status(), cosim::irq_bit::done | cosim::irq_bit::ready);
  EXPECT_EQ(tb.status(), done | ready | idle);
  tb.push_items(1);
  tb.sim.tick(100);
  EXPECT_EQ(tb.in.accepted(), tb.beats_per_item()) << "the empty run took input";
}

// A start written while a run takes input neither starts a second run nor loses the first.
TYPED_TEST(ap_ctrl_hs, start_while_active) {
  bench<TypeParam> tb;
  TypeParam::load(tb.bus);
  tb.ctrl.set_arg(tb.count_reg, 3);
  tb.ctrl.start();
  tb.push_items(1);
  tb.sim.run_until([&] { return tb.in.pending() == 0; }, 1000);
  tb.ctrl.start();
  tb.ctrl.start();
  tb.push_items(2);
  tb.wait_for(done);
  EXPECT_EQ(tb.out.accepted(), 3 * TypeParam::out_beats());
  tb.check_tlast(3);
  tb.sim.tick(100);
  EXPECT_EQ(tb.status(), idle);
  tb.push_items(1);
  tb.sim.tick(200);
  EXPECT_EQ(tb.in.accepted(), 3 * tb.beats_per_item()) << "a second run started";
  EXPECT_EQ(tb.status(), idle);
}

// Argument registers read back what was written, byte lane by byte lane; control registers keep
// only their defined bits; unmapped addresses read 0 and ignore writes; every response is OKAY.
TYPED_TEST(ap_ctrl_hs, registers) {
  bench<TypeParam> tb;
  for (std::uint32_t a : TypeParam::args()) {
    tb.bus.write(a, 0x11223344u);
    EXPECT_EQ(tb.bus.last_resp(), 0u);
    EXPECT_EQ(tb.bus.read(a), 0x11223344u) << a;
    tb.bus.write(a, 0xAABBCCDDu, 0x5);
    EXPECT_EQ(tb.bus.read(a), 0x11BB33DDu) << a;
    tb.bus.write(a, 0x55667788u, 0xA);
    EXPECT_EQ(tb.bus.read(a), 0x55BB77DDu) << a;
    tb.bus.write(a, 0xFFFFFFFFu, 0x0);
    EXPECT_EQ(tb.bus.read(a), 0x55BB77DDu) << a;
    tb.bus.write(a, 0u);
    EXPECT_EQ(tb.bus.read(a), 0u) << a;
    EXPECT_EQ(tb.bus.last_resp(), 0u);
  }
  tb.bus.write(cosim::reg::gie, 0xFFFFFFFFu);
  tb.bus.write(cosim::reg::ier, 0xFFFFFFFFu);
  EXPECT_EQ(tb.bus.read(cosim::reg::gie), 1u);
  EXPECT_EQ(tb.bus.read(cosim::reg::ier), 3u);
  EXPECT_EQ(tb.bus.read(cosim::reg::isr), 0u);
  tb.bus.write(cosim::reg::ctrl, 0xFFFFFF7Eu);  // no start, no auto_restart: nothing changes
  EXPECT_EQ(tb.status(), idle);
  for (std::uint32_t a : TypeParam::unmapped()) {
    tb.bus.write(a, 0xDEADBEEFu);
    EXPECT_EQ(tb.bus.last_resp(), 0u);
    EXPECT_EQ(tb.bus.read(a), 0u) << a;
    EXPECT_EQ(tb.bus.last_resp(), 0u);
  }
  for (std::uint32_t a : TypeParam::args()) EXPECT_EQ(tb.bus.read(a), 0u) << a;
  EXPECT_EQ(tb.status(), idle);
}

}  // namespace
