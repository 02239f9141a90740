// The declarations' cycle models (loaded_model::cycles, the systemc backend's timing) against the
// RTL, exactly: every named config of every declared kernel, its embedded model, runs of 0, 1, 2,
// 7 and 60 items. A run is measured as the systemc backend times it and the rtl backend counts
// it: from the cycle the ap_start write completes (its B handshake) to the cycle the interrupt
// pin (GIE, IER done) is high, every input item queued before the start and the output never
// stalled.
#include <gtest/gtest.h>

#include <hlskit/kernel.hpp>

#include "hlskit/cosim/axi_lite.hpp"
#include "hlskit/cosim/axi_stream.hpp"
#include "hlskit/cosim/simulation.hpp"
#include "hlskit/verilated/models.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace cosim = hlskit::cosim;

template <class M>
struct measure {
  using model = typename M::model;
  static std::vector<std::uint64_t> cycles(const hlskit::loaded_model& m, const hlskit::kernel_decl& k,
                                           const std::vector<std::size_t>& runs) {
    cosim::simulation<model> sim;
    cosim::axil_master<model> bus(sim);
    cosim::ap_ctrl<model> ctrl(bus);
    auto& t = sim.top();
    cosim::axis_source in(sim, cosim::make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST,
                                                     static_cast<int>(m.input().beat_bits)));
    cosim::axis_sink out(sim, cosim::make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY,
                                                    &t.out_r_TLAST, static_cast<int>(m.output().beat_bits)));
    std::vector<std::unique_ptr<cosim::axis_source>> side;  // the other input streams (sparse_llm's w)
    for (auto& port : M::side_ports(t)) side.push_back(std::make_unique<cosim::axis_source>(sim, std::move(port)));
    sim.reset();
    for (const auto& w : m.registers()) bus.write(w.offset, w.value);
    ctrl.set_global_interrupt(true);
    ctrl.set_interrupt_enable(cosim::irq_bit::done);
    std::vector<std::uint64_t> measured;
    for (std::size_t n : runs) {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t b = 0; b < m.input().beats; ++b) {
          cosim::bitvec d(static_cast<int>(m.input().beat_bits));
          d.set(0, 8, (i * 29 + b * 3 + 5) & 0xFF);
          in.push(std::move(d), b + 1 == m.input().beats);
        }
      const auto inputs = m.side_inputs(n);
      for (std::size_t i = 0; i < side.size(); ++i) cosim::push_bytes(*side[i], inputs.at(i).bytes);
      bus.write(k.count_offset, static_cast<std::uint32_t>(n));
      ctrl.start();
      const std::uint64_t from = sim.cycle();
      EXPECT_TRUE(sim.run_until([&] { return ctrl.interrupt_line(); }, 1'000'000)) << "no interrupt, run of " << n;
      measured.push_back(sim.cycle() - from);
      ctrl.clear_interrupt_status(cosim::irq_bit::done);
      ctrl.status();  // clear ap_done
      sim.tick(20);
    }
    return measured;
  }
};

template <class M>
void check() {
  if (!M::named) return;
  const hlskit::kernel_decl& k = hlskit::find_kernel(M::kernel);
  const auto m = k.load(M::name, "");
  const std::vector<std::size_t> runs = {1, 2, 7, 60, 0};
  const auto got = measure<M>::cycles(*m, k, runs);
  for (std::size_t i = 0; i < runs.size(); ++i)
    EXPECT_EQ(m->cycles(runs[i]), got[i]) << M::kernel << "/" << M::name << ": run of " << runs[i] << " items";
}

#define HLSKIT_CYCLE_TEST(k, c) \
  TEST(cycle_model, k##_##c) { check<hlskit::verilated::k##_##c>(); }
HLSKIT_VERILATED_MODELS(HLSKIT_CYCLE_TEST)
#undef HLSKIT_CYCLE_TEST

}  // namespace
