// Driving rtl/sparse_llm/sparse_llm_top through its ports (docs/kernels/sparse_llm.md): a layer's
// registers over AXI-Lite (register_program), activation vectors on in_r, the weight image on `w`
// (one copy per batch of MaxBatch vectors), and every output vector compared, code by code, with
// the C++ kernel (hlskit::sparse_llm::run_items). Each run is timed from the cycle its ap_start
// write completes to the cycle the interrupt rises, and its compute phase per batch from the first
// accepted `w` beat to the end of the last one (held for the batch's b vectors). Shared by tests/cosim and `hlskit cosim sparse_llm`.
//
// Params: a verilated config struct (hlskit/verilated/sparse_llm_models.hpp): `model`, `config`,
// side_ports().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <hlskit/sparse_llm/hardware.hpp>
#include "hlskit/cosim/stream_bench.hpp"

namespace hlskit::cosim::sparse_llm_top {

namespace sl = hlskit::sparse_llm;

// One layer and its vectors, run `run` vectors at a time (the last run may be shorter).
struct layer_set {
  std::string name;
  sl::packed_matrix layer;
  std::vector<std::int8_t> x;  // vectors x K, row-major
  std::size_t run = 1;
  std::size_t vectors() const { return x.size() / static_cast<std::size_t>(layer.layer.cols); }
};

// What one run took on the RTL (streams as the options set them).
struct run_timing {
  std::string set;
  std::size_t items = 0;
  std::uint64_t cycles = 0;          // ap_start write completed -> interrupt
  std::uint64_t compute_cycles = 0;  // per batch: first accepted w beat -> the end of the last one's b cycles
};

// The interrupt pin's first rising cycle after arm().
template <class Model>
class irq_edge final : public agent {
 public:
  irq_edge(simulation<Model>& sim, ap_ctrl<Model>& ctrl) : sim_(sim), ctrl_(ctrl) { sim_.attach(*this); }
  ~irq_edge() override { sim_.detach(*this); }
  void arm() { seen_.reset(); }
  std::optional<std::uint64_t> seen() const { return seen_; }
  void drive(std::uint64_t) override {}
  void sample(std::uint64_t cycle) override {
    if (!seen_ && ctrl_.interrupt_line()) seen_ = cycle;
  }

 private:
  simulation<Model>& sim_;
  ap_ctrl<Model>& ctrl_;
  std::optional<std::uint64_t> seen_;
};

template <class M>
struct driver {
  using model = typename M::model;
  using config = typename M::config;

  static stream_ports ports(model& t) {
    return {make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST, 128),
            make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST, 128),
            M::side_ports(t)};
  }
  static output_codec codec() { return lanes_codec(8, 16, true); }  // output r at byte r, R / 16 beats

  // Activation k at byte k % 16 of beat k / 16, TLAST on the vector's last beat.
  static std::vector<axis_beat> beats(const std::int8_t* x, int cols) {
    std::vector<axis_beat> bs;
    for (int b = 0; b < cols / 16; ++b) {
      axis_beat beat{bitvec(128), b + 1 == cols / 16};
      for (int k = 0; k < 16; ++k) beat.data.set(8 * k, 8, static_cast<std::uint8_t>(x[16 * b + k]));
      bs.push_back(std::move(beat));
    }
    return bs;
  }
};

// Runs every set: registers, then runs of `run` vectors (count, start, vectors and weight copies
// queued, outputs compared as they come, the interrupt awaited). `timing`: one entry per run.
template <class M>
run_result run_sets(const run_options& opt, const std::vector<layer_set>& sets, std::vector<run_timing>* timing = nullptr) {
  using V = typename M::model;
  using C = typename M::config;
  using D = driver<M>;
  struct prepared {
    std::vector<std::uint8_t> image;  // one copy of the weight stream
    std::vector<std::uint8_t> out;    // the C++ kernel's outputs, vectors x R
  };
  std::vector<prepared> prep;  // expectations first: the scenario may be replayed
  for (const auto& s : sets) {
    sl::check_shape(s.layer.layer, C::max_rows, C::max_cols, s.name);
    if (s.run == 0) throw std::invalid_argument(s.name + ": runs of 0 vectors");
    const auto w = sl::weight_beats<C>(s.layer);
    prepared p{sl::weight_image<C>(s.layer), std::vector<std::uint8_t>(s.vectors() * static_cast<std::size_t>(s.layer.layer.rows))};
    sl::run_items<C>(s.layer.layer, w, reinterpret_cast<const std::uint8_t*>(s.x.data()), p.out.data(), s.vectors());
    prep.push_back(std::move(p));
  }
  return run<V>(opt, D::ports, D::codec(), [&](stream_bench<V>& tb) {
    if (timing) timing->clear();  // a replay starts over
    irq_edge<V> irq(tb.sim, tb.ctrl);
    tb.ctrl.set_global_interrupt(true);
    tb.ctrl.set_interrupt_enable(irq_bit::done);
    std::size_t v = 0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const auto& s = sets[k];
      const sl::shape& sh = s.layer.layer;
      for (const auto& w : sl::register_program(sh)) tb.bus.write(w.offset, w.value);
      const std::size_t n = s.vectors(), out_beats = static_cast<std::size_t>(sh.rows / 16);
      for (std::size_t first = 0; first < n; first += s.run) {
        const std::size_t items = std::min(s.run, n - first);
        const std::size_t w_first = tb.side.at(0)->pushed();
        tb.ctrl.set_arg(XSPARSE_LLM_CONTROL_ADDR_COUNT_DATA, static_cast<std::uint32_t>(items));
        // Everything the run reads is offered before the start, as the cycle model assumes.
        for (std::uint64_t c = 0; c < sl::batches<C>(items); ++c) push_bytes(*tb.side.at(0), prep[k].image);
        for (std::size_t i = first; i < first + items; ++i, ++v) {
          tb.push(v, D::beats(s.x.data() + i * static_cast<std::size_t>(sh.cols), sh.cols));
          const std::uint8_t* y = prep[k].out.data() + i * static_cast<std::size_t>(sh.rows);
          tb.expect(v, std::vector<std::int64_t>(reinterpret_cast<const std::int8_t*>(y),
                                                 reinterpret_cast<const std::int8_t*>(y) + sh.rows),
                    true, out_beats);
        }
        irq.arm();
        tb.ctrl.start();
        const std::uint64_t started = tb.sim.cycle();
        tb.drain();
        if (!tb.sim.run_until([&] { return irq.seen().has_value(); }, 100'000))
          tb.result().error(tb.sim.cycle(), fmt::format("{}: no interrupt after the run of vectors {}..{}", s.name, first,
                                                        first + items - 1));
        // Compute phase: per batch, from its first w beat's cycle to the end of its last beat's b
        // cycles (each beat is held for the batch's b vectors).
        const auto& wsrc = *tb.side.at(0);
        const std::size_t per_copy = prep[k].image.size() / (wsrc.port().width / 8);
        if (timing && irq.seen() && wsrc.accepted() >= w_first + per_copy * sl::batches<C>(items)) {
          std::uint64_t compute = 0;
          for (std::uint64_t c = 0; c < sl::batches<C>(items); ++c) {
            const std::size_t b0 = w_first + c * per_copy;
            const std::uint64_t b = std::min<std::uint64_t>(C::max_batch, items - c * C::max_batch);
            compute += wsrc.accepted_cycle(b0 + per_copy - 1) - wsrc.accepted_cycle(b0) + b;
          }
          timing->push_back({s.name, items, *irq.seen() - started, compute});
        }
        tb.ctrl.clear_interrupt_status(irq_bit::done);
        tb.ctrl.status();  // clears ap_done
      }
      if (!tb.ctrl.is_idle())
        tb.result().error(tb.sim.cycle(), fmt::format("layer {}: kernel not idle after its last run", s.name));
    }
  });
}

}  // namespace hlskit::cosim::sparse_llm_top
