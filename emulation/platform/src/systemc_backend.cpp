// The systemc backend: the kernel is its C model (loaded_model::csim) behind an ap_ctrl_hs register
// file, timed by loaded_model::cycles at the config's clock (docs/PLATFORM.md, "timing model").
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

// Verilator's headers (through axi_stream.hpp) before SystemC's: see rtl_backend.cpp.
#include "hlskit/cosim/axi_stream.hpp"  // coin: the harness' seeded back-pressure draws
// clang-format off
#include "backend.hpp"
// clang-format on

namespace hlskit::platform {

namespace {

using sc_core::sc_time;

class c_model_kernel final : public vp::kernel_impl {
 public:
  static constexpr unsigned axil_write_cycles = 3, axil_read_cycles = 2;  // ap_clk cycles
  c_model_kernel(vp::device_model& dev, vp::slot& s, const kernel_decl& k, const config_decl& c, std::string who)
      : slot_(s), who_(std::move(who)), count_offset_(k.count_offset), period_(vp::ns(1000.0 / c.clock_mhz)),
        gaps_(dev.options.input_gaps, dev.options.seed), stalls_(dev.options.output_stalls, dev.options.seed ^ 0x9e3779b97f4a7c15ull),
        stall_forever_(dev.options.output_stalls >= 1.0) {}

  void set_model(std::shared_ptr<const loaded_model> m) override { model_ = std::move(m); }
  void begin_run() override {
    run_cycles_ = 0;
    if (!slot_.in_work()) {  // a run that failed part-way leaves no state behind
      running_ = start_pending_ = false;
      idle_ = true;
    }
  }
  std::uint64_t run_cycles() const override { return run_cycles_; }

  // The ap_ctrl_hs register file (rtl/common/hlskit_axil_ctrl.sv) and the argument registers.
  void registers(tlm::tlm_generic_payload& gp, sc_time& delay) override {
    const std::uint64_t a = gp.get_address();
    const unsigned n = gp.get_data_length();
    if (a % 4 || n % 4 || n == 0 || gp.get_byte_enable_ptr()) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    // The control block runs on ap_clk: an AXI4-Lite write takes 3 cycles, a read 2 (AW/W to B,
    // AR to R in rtl/common/hlskit_axil_ctrl.sv, as the harness' master measures them).
    delay += period_ * static_cast<double>((gp.is_write() ? axil_write_cycles : axil_read_cycles) * (n / 4));
    for (unsigned w = 0; w < n / 4; ++w) {
      const std::uint32_t off = static_cast<std::uint32_t>(a + 4 * w);
      std::uint32_t v = 0;
      if (gp.is_write()) {
        std::memcpy(&v, gp.get_data_ptr() + 4 * w, 4);
        write(off, v, delay);
      } else if (gp.is_read()) {
        v = read(off);
        std::memcpy(gp.get_data_ptr() + 4 * w, &v, 4);
      }
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  // A run: the mover's input read from memory in chunks, each chunk's items through csim, the
  // outputs written back; the timing (below) decides when each chunk's outputs exist.
  void work() override {
    if (!start_pending_ || !slot_.dm.started() || running_) return;  // the other half is not started yet
    running_ = true;
    start_pending_ = false;
    const auto& prog = slot_.dm.prog();
    const std::size_t items = count_;
    const stream_layout li = model_->input(), lo = model_->output();
    if (prog.items != items || prog.in_item_bytes() != li.item_bytes() || prog.out_item_bytes() != lo.item_bytes() ||
        prog.in_beats != li.beats || prog.out_beats != lo.beats)
      throw hlskit::error(who_ + ": the data mover is programmed for " + std::to_string(prog.items) + " items of " +
                          std::to_string(prog.in_item_bytes()) + " -> " + std::to_string(prog.out_item_bytes()) +
                          " bytes, the kernel for " + std::to_string(items) + " items of " +
                          std::to_string(li.item_bytes()) + " -> " + std::to_string(lo.item_bytes()));
    const sc_time t0 = start_time_;
    const double T = period_.to_seconds();
    // Absolute time -> cycles since t0 (rounded up: a beat is taken at the next rising edge).
    auto cycles_at = [&](sc_time t) -> std::int64_t {
      return t <= t0 ? -static_cast<std::int64_t>(std::floor((t0 - t).to_seconds() / T))
                     : static_cast<std::int64_t>(std::ceil((t - t0).to_seconds() / T - 1e-9));
    };
    auto at_cycle = [&](std::int64_t c) { return t0 + period_ * static_cast<double>(c); };

    const std::size_t in_b = li.item_bytes(), out_b = lo.item_bytes();
    const std::size_t chunk = std::max<std::size_t>(1, vp::dma_chunk / std::max<std::size_t>({in_b, out_b, 1}));
    const std::int64_t latency = items ? static_cast<std::int64_t>(model_->cycles(1)) : 0;
    const std::int64_t in_beats = static_cast<std::int64_t>(li.beats);
    std::vector<std::uint8_t> in(chunk * in_b), out(chunk * out_b);
    sc_time fetch_at = std::max(slot_.dm.start_time(), sc_core::sc_time_stamp());
    sc_time stored_at = fetch_at;
    std::int64_t finish = 0, offer = std::numeric_limits<std::int64_t>::min() / 2;
    std::uint64_t prev_ideal = 0;
    const sc_time quantum = vp::ns(vp::quantum_ns);

    // The mover keeps one read ahead: chunk i + 1 is requested when chunk i has arrived.
    std::vector<std::uint8_t> next(chunk * in_b);
    if (items) fetch_at = slot_.dm.read(prog.src, next.data(), std::min(chunk, items) * in_b, fetch_at);
    for (std::size_t i0 = 0; i0 < items; i0 += chunk) {
      const std::size_t k = std::min(chunk, items - i0);
      in.swap(next);
      const std::int64_t ready = cycles_at(fetch_at);
      if (i0 + k < items)
        fetch_at = slot_.dm.read(prog.src + (i0 + k) * in_b, next.data(), std::min(chunk, items - i0 - k) * in_b, fetch_at);
      model_->csim(in.data(), out.data(), k);
      for (std::size_t j = 0; j < k; ++j) {
        // Input beats: one per cycle at most, from when the chunk is in, plus the TVALID gaps.
        for (std::int64_t b = 0; b < in_beats; ++b) offer = std::max(ready, offer + 1) + draws(gaps_);
        const std::uint64_t ideal = model_->cycles(i0 + j + 1);
        finish = std::max(finish + static_cast<std::int64_t>(ideal - prev_ideal), offer - (in_beats - 1) + latency);
        prev_ideal = ideal;
        // Output beats: the TREADY stalls.
        for (std::size_t b = 0; b < lo.beats; ++b) {
          if (stall_forever_) slot_.park();  // TREADY low for good: the run never ends
          finish += draws(stalls_);
        }
      }
      stored_at = slot_.dm.write(prog.dst + i0 * out_b, out.data(), k * out_b, std::max(stored_at, at_cycle(finish)));
      // Temporal decoupling: the run may be ahead of SystemC time by at most a quantum.
      if (at_cycle(finish) > sc_core::sc_time_stamp() + quantum) slot_.wait_until(at_cycle(finish) - quantum);
    }
    if (items == 0) finish = static_cast<std::int64_t>(model_->cycles(0));
    run_cycles_ = static_cast<std::uint64_t>(finish);
    slot_.dm.finish(stored_at);
    slot_.wait_until(at_cycle(finish));
    // ap_done: done and ready set, idle again, ISR and the interrupt line.
    done_ = ready_ = idle_ = true;
    if (ier_ & vp::ap::irq_done) isr_ |= vp::ap::irq_done;
    if (ier_ & vp::ap::irq_ready) isr_ |= vp::ap::irq_ready;
    update_irq();
    running_ = false;
  }

 private:
  // Cycles of a back-pressure draw: consecutive cycles the coin says "hold".
  static std::int64_t draws(cosim::coin& c) {
    if (c.probability() <= 0) return 0;
    std::int64_t n = 0;
    while (c.flip()) ++n;
    return n;
  }

  void update_irq() {
    const bool level = gie_ && isr_ != 0;
    if (level != irq_) {
      irq_ = level;
      slot_.set_irq(level, sc_core::sc_time_stamp());
    }
  }

  void write(std::uint32_t off, std::uint32_t v, const sc_time& delay) {
    switch (off) {
      case vp::ap::ctrl:
        auto_restart_ = v & vp::ap::auto_restart;
        if ((v & vp::ap::start) && idle_ && !start_pending_) {
          start_pending_ = true;
          idle_ = false;
          count_ = args_[count_offset_];
          start_time_ = sc_core::sc_time_stamp() + delay;
          slot_.wake(delay);
        }
        break;
      case vp::ap::gie:
        gie_ = v & 1u;
        update_irq();
        break;
      case vp::ap::ier:
        ier_ = v & 3u;
        break;
      case vp::ap::isr:
        isr_ ^= v & 3u;
        update_irq();
        break;
      default:
        args_[off] = v;
        writes_.push_back({off, v});
    }
  }

  std::uint32_t read(std::uint32_t off) {
    switch (off) {
      case vp::ap::ctrl: {
        const std::uint32_t v = (start_pending_ || running_ ? vp::ap::start : 0u) | (done_ ? vp::ap::done : 0u) |
                                (idle_ ? vp::ap::idle : 0u) | (ready_ ? vp::ap::ready : 0u) |
                                (auto_restart_ ? vp::ap::auto_restart : 0u);
        done_ = ready_ = false;  // clear on read
        return v;
      }
      case vp::ap::gie: return gie_ ? 1u : 0u;
      case vp::ap::ier: return ier_;
      case vp::ap::isr: return isr_;
      default: {
        const auto it = args_.find(off);
        return it == args_.end() ? 0u : it->second;
      }
    }
  }

  vp::slot& slot_;
  std::string who_;
  std::uint32_t count_offset_;
  sc_time period_;
  cosim::coin gaps_, stalls_;
  bool stall_forever_;
  std::shared_ptr<const loaded_model> model_;
  // registers
  bool gie_ = false, irq_ = false, done_ = false, ready_ = false, idle_ = true, auto_restart_ = false;
  std::uint32_t ier_ = 0, isr_ = 0;
  std::map<std::uint32_t, std::uint32_t> args_;
  std::vector<register_write> writes_;  // every argument/parameter write, in order
  // run
  bool start_pending_ = false, running_ = false;
  std::size_t count_ = 0;
  sc_time start_time_;
  std::uint64_t run_cycles_ = 0;
};

std::unique_ptr<vp::kernel_impl> make_c_model(vp::device_model& dev, vp::slot& s, const kernel_decl& k,
                                              const config_decl& c, const std::string& who) {
  return std::make_unique<c_model_kernel>(dev, s, k, c, who);
}

}  // namespace

std::unique_ptr<detail::backend> open_systemc(const detail::device_options& options) {
  return make_backend(options, "systemc", &make_c_model);
}

}  // namespace hlskit::platform
