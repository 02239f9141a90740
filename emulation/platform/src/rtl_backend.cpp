// The rtl backend: the kernel top's Verilated C++ model (built once per config in emulation/) in a
// slot of the virtual platform, driven only through its ports by the cosim harness' agents: the
// AXI4-Lite master is the TLM-to-AXI adapter (one b_transport = AW/W/B or AR/R, cycle by cycle),
// and the data mover feeds in_r and drains out_r beat by beat (axis_source / axis_sink).
//
// Time: model cycle c happens at origin + c * period. The slot's thread ticks the model a quantum
// ahead of SystemC time and then waits (temporal decoupling); a host transaction first brings the
// model up to the host's time. Between runs the model is clock-gated: its time jumps to the host's
// without ticks (an idle kernel with ap_start low and idle streams has nothing to do).
#include <cstring>
#include <deque>

#include <fmt/format.h>

// Verilator's headers first: they take SystemC's for granted once SYSTEMC_VERSION is defined, and
// these models are plain C++ models.
#include "hlskit/cosim/axi_lite.hpp"
#include "hlskit/cosim/axi_stream.hpp"
#include "hlskit/cosim/simulation.hpp"
#include "hlskit/verilated/models.hpp"
// clang-format off
#include "backend.hpp"
// clang-format on

namespace hlskit::platform {

namespace {

using sc_core::sc_time;
constexpr std::uint64_t quantum_cycles = 256;  // how far the model runs ahead of SystemC time

template <class M>  // a verilated config (hlskit/verilated/models.hpp)
class rtl_kernel final : public vp::kernel_impl {
  using Model = typename M::model;

 public:
  rtl_kernel(vp::device_model& dev, vp::slot& s, const config_decl& c, std::string who)
      : slot_(s), who_(std::move(who)), opt_(dev.options), period_(vp::ns(1000.0 / c.clock_mhz)),
        sim_(sim_opts(dev.options, who_)), bus_(sim_, 1000), watch_(*this), mover_(*this) {
    sim_.reset();
    origin_ = sc_core::sc_time_stamp() - period_ * static_cast<double>(sim_.cycle());
  }
  ~rtl_kernel() override {
    sim_.detach(watch_);
    sim_.detach(mover_);
  }

  void set_model(std::shared_ptr<const loaded_model> m) override {
    const stream_layout li = m->input(), lo = m->output();
    auto& t = sim_.top();
    const int in_storage = cosim::port_storage_bits(t.in_r_TDATA), out_storage = cosim::port_storage_bits(t.out_r_TDATA);
    if (li.beat_bits == 0 || static_cast<int>(li.beat_bits) > in_storage || lo.beat_bits == 0 ||
        static_cast<int>(lo.beat_bits) > out_storage || li.beats == 0 || lo.beats == 0)
      throw hlskit::error(fmt::format("{}: the model's streams ({} beats of {} bits in, {} of {} out) do not fit the "
                                      "RTL's in_r_TDATA ({} bits) / out_r_TDATA ({} bits)",
                                      who_, li.beats, li.beat_bits, lo.beats, lo.beat_bits, in_storage, out_storage));
    in_.reset();
    out_.reset();
    in_ = std::make_unique<cosim::axis_source>(
        sim_, cosim::make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST, static_cast<int>(li.beat_bits)),
        opt_.input_gaps, opt_.seed);
    out_ = std::make_unique<cosim::axis_sink>(
        sim_, cosim::make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST, static_cast<int>(lo.beat_bits)),
        opt_.output_stalls, opt_.seed ^ 0x9e3779b97f4a7c15ull);
    out_->on_beat([this](const cosim::axis_beat& b) { mover_.take(b); });
    side_.clear();
    for (auto& port : M::side_ports(t))
      side_.push_back(std::make_unique<cosim::axis_source>(sim_, std::move(port), opt_.input_gaps, opt_.seed + side_.size() + 1));
    model_ = std::move(m);
  }

  void begin_run() override {
    irq_seen_ = false;
    run_cycles_ = 0;
    start_cycle_ = 0;
    mover_.arm();
  }
  std::uint64_t run_cycles() const override { return run_cycles_; }

  // The TLM-to-AXI4-Lite adapter.
  void registers(tlm::tlm_generic_payload& gp, sc_time& delay) override {
    const std::uint64_t a = gp.get_address();
    const unsigned n = gp.get_data_length();
    if (a % 4 || n % 4 || n == 0 || gp.get_byte_enable_ptr()) {
      gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    catch_up(sc_core::sc_time_stamp() + delay);
    bool start = false;
    try {
      for (unsigned w = 0; w < n / 4; ++w) {
        const std::uint32_t off = static_cast<std::uint32_t>(a + 4 * w);
        std::uint32_t v = 0;
        if (gp.is_write()) {
          std::memcpy(&v, gp.get_data_ptr() + 4 * w, 4);
          if (off == vp::ap::ctrl && (v & vp::ap::start)) {
            active_ = true;  // the clock runs from here on (the write itself takes cycles)
            start = true;
          }
          bus_.write(off, v);
        } else if (gp.is_read()) {
          v = bus_.read(off);
          std::memcpy(gp.get_data_ptr() + 4 * w, &v, 4);
        }
        if (bus_.last_resp() != 0) {
          gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
          return;
        }
      }
    } catch (const cosim::cosim_error& e) {
      throw hlskit::error(who_ + ": AXI4-Lite: " + e.what());
    }
    if (start) start_cycle_ = sim_.cycle();
    delay = model_time() - sc_core::sc_time_stamp();
    if (start) slot_.wake(delay);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  // The clock: a quantum of cycles ahead of SystemC time, then SystemC catches up.
  void work() override {
    active_ = true;
    while (!finished()) {
      const sc_time target = sc_core::sc_time_stamp() + period_ * static_cast<double>(quantum_cycles);
      while (model_time() < target && !finished()) tick();
      slot_.wait_until(model_time());
    }
    active_ = false;
  }

 private:
  static cosim::sim_options sim_opts(const detail::device_options& o, const std::string& who) {
    cosim::sim_options so;
    if (o.random_init) {
      if (o.random_init > cosim::max_random_init_seed)
        throw hlskit::error(fmt::format("{}: random_init seed {} is out of range 1..{}", who, o.random_init,
                                        cosim::max_random_init_seed));
      so.random_init = o.random_init;
    }
    return so;
  }

  sc_time model_time() const { return origin_ + period_ * static_cast<double>(sim_.cycle()); }
  bool finished() const { return (irq_seen_ && slot_.dm.done()) || !slot_.dm.error().empty(); }
  void tick() {
    try {
      sim_.tick();
    } catch (const cosim::cosim_error& e) {
      throw hlskit::error(who_ + ": " + e.what());
    }
  }
  // Brings the model's time up to `t`: ticking during a run, skipping (clock-gated) between runs,
  // that is, up to the data mover's start when the host has started it.
  void catch_up(sc_time t) {
    if (t <= model_time()) return;
    if (!active_ && !mover_.running()) {
      sc_time gate_end = t;
      if (mover_.armed() && slot_.dm.started() && slot_.dm.start_time() < t) gate_end = slot_.dm.start_time();
      if (gate_end > model_time())
        origin_ += period_ * std::floor((gate_end - model_time()).to_seconds() / period_.to_seconds() + 1e-9);
    }
    while (model_time() < t) tick();
  }

  // The interrupt pin, sampled every cycle.
  struct irq_watch final : cosim::agent {
    explicit irq_watch(rtl_kernel& k) : k_(k) { k_.sim_.attach(*this); }
    void drive(std::uint64_t) override {}
    void sample(std::uint64_t cycle) override {
      auto& t = k_.sim_.top();
      bool level;
      if constexpr (cosim::detail::has_plain_interrupt<Model>::value) level = t.interrupt;
      else level = t.__SYM__interrupt;
      if (level == level_) return;
      level_ = level;
      // The pin changes at this cycle's rising edge.
      k_.slot_.set_irq(level, k_.origin_ + k_.period_ * static_cast<double>(cycle + 1));
      if (level && !k_.irq_seen_) {
        k_.irq_seen_ = true;
        // ISR takes ap_done one cycle after it pulses.
        k_.run_cycles_ = cycle > k_.start_cycle_ ? cycle - k_.start_cycle_ : 0;
      }
    }
    rtl_kernel& k_;
    bool level_ = false;
  };

  // The data mover's stream side: items from memory into in_r (TLAST on each item's last beat),
  // out_r beats back to memory, in chunks of dma_chunk bytes (one memory transaction each).
  struct mover_agent final : cosim::agent {
    explicit mover_agent(rtl_kernel& k) : k_(k) { k_.sim_.attach(*this); }
    void arm() {
      armed_ = true;
      running_ = false;
      staged_.clear();
      out_bytes_.clear();
    }
    bool running() const { return running_; }
    bool armed() const { return armed_; }
    void drive(std::uint64_t cycle) override {
      const sc_time now = k_.origin_ + k_.period_ * static_cast<double>(cycle);
      // The host's LT writes program the mover ahead of the model's time: it starts at its time.
      if (armed_ && k_.slot_.dm.started() && now >= k_.slot_.dm.start_time()) begin();
      if (!running_) return;
      // Keep one chunk in flight: fetch when less than a chunk of beats is waiting.
      if (fetched_ < items_ && k_.in_->pending() + staged_beats_ < chunk_items_ * in_beats_ && staged_.size() < 2) {
        const std::size_t n = std::min(chunk_items_, items_ - fetched_);
        staged s{{}, n, now};
        s.bytes.resize(n * in_item_);
        s.ready = k_.slot_.dm.read(src_ + fetched_ * in_item_, s.bytes.data(), s.bytes.size(), now);
        fetched_ += n;
        staged_beats_ += n * in_beats_;
        staged_.push_back(std::move(s));
      }
      while (!staged_.empty() && staged_.front().ready <= now) {
        const staged& s = staged_.front();
        for (std::size_t i = 0; i < s.items; ++i)
          for (std::size_t b = 0; b < in_beats_; ++b) {
            cosim::bitvec v(in_bits_);
            std::memcpy(v.words().data(), s.bytes.data() + i * in_item_ + b * in_beat_bytes_, in_beat_bytes_);
            if (in_bits_ % 32) v.words().back() &= (1u << (in_bits_ % 32)) - 1u;
            k_.in_->push(std::move(v), b + 1 == in_beats_);
          }
        staged_beats_ -= s.items * in_beats_;
        staged_.pop_front();
      }
      if (flush_) {
        flush_ = false;
        const std::size_t n = out_bytes_.size();
        written_at_ = k_.slot_.dm.write(dst_ + written_, out_bytes_.data(), n, std::max(now, written_at_));
        written_ += n;
        out_bytes_.clear();
        if (written_ == items_ * out_item_) {
          running_ = false;
          k_.slot_.dm.finish(written_at_);
        }
      }
    }
    void sample(std::uint64_t) override {}
    void take(const cosim::axis_beat& b) {
      if (!running_ || written_ + out_bytes_.size() >= items_ * out_item_) {
        k_.slot_.dm.fail(fmt::format("{}: out_r beat {} beyond the {} items of the run", k_.who_, b.data.hex(), items_));
        return;
      }
      const std::size_t at = out_bytes_.size();
      out_bytes_.resize(at + out_beat_bytes_);
      std::memcpy(out_bytes_.data() + at, b.data.words().data(), out_beat_bytes_);
      if (out_bits_ % 8) out_bytes_.back() &= static_cast<std::uint8_t>((1u << (out_bits_ % 8)) - 1u);
      if (out_bytes_.size() >= chunk_items_ * out_item_ || written_ + out_bytes_.size() == items_ * out_item_) flush_ = true;
    }

   private:
    struct staged {
      std::vector<std::uint8_t> bytes;
      std::size_t items;
      sc_time ready;
    };
    void begin() {
      armed_ = false;
      const auto& p = k_.slot_.dm.prog();
      const stream_layout li = k_.model_->input(), lo = k_.model_->output();
      if (p.in_item_bytes() != li.item_bytes() || p.out_item_bytes() != lo.item_bytes() || p.in_beats != li.beats ||
          p.out_beats != lo.beats) {
        k_.slot_.dm.fail(fmt::format("{}: the data mover is programmed for {} -> {} byte items, the model's are {} -> {}",
                                     k_.who_, p.in_item_bytes(), p.out_item_bytes(), li.item_bytes(), lo.item_bytes()));
        return;
      }
      src_ = p.src;
      dst_ = p.dst;
      items_ = p.items;
      in_beats_ = li.beats;
      in_beat_bytes_ = li.beat_bytes();
      in_bits_ = static_cast<int>(li.beat_bits);
      in_item_ = li.item_bytes();
      out_beat_bytes_ = lo.beat_bytes();
      out_bits_ = static_cast<int>(lo.beat_bits);
      out_item_ = lo.item_bytes();
      chunk_items_ = std::max<std::size_t>(1, vp::dma_chunk / std::max(in_item_, out_item_));
      // The other input streams (sparse_llm's weights): the whole run's image, queued at once
      // (their memory traffic is not modelled: docs/PLATFORM.md).
      const auto side = k_.model_->side_inputs(items_);
      for (std::size_t i = 0; i < k_.side_.size(); ++i) cosim::push_bytes(*k_.side_[i], side.at(i).bytes);
      fetched_ = written_ = staged_beats_ = 0;
      written_at_ = sc_core::SC_ZERO_TIME;
      flush_ = false;
      running_ = true;
      if (items_ == 0) {
        running_ = false;
        k_.slot_.dm.finish(sc_core::sc_time_stamp());
      }
    }

    rtl_kernel& k_;
    bool armed_ = false, running_ = false, flush_ = false;
    std::uint64_t src_ = 0, dst_ = 0;
    std::size_t items_ = 0, in_beats_ = 0, in_beat_bytes_ = 0, in_item_ = 0, out_beat_bytes_ = 0, out_item_ = 0;
    int in_bits_ = 0, out_bits_ = 0;
    std::size_t chunk_items_ = 1, fetched_ = 0, written_ = 0, staged_beats_ = 0;
    std::deque<staged> staged_;
    std::vector<std::uint8_t> out_bytes_;
    sc_time written_at_;
  };

  vp::slot& slot_;
  std::string who_;
  detail::device_options opt_;
  sc_time period_, origin_;
  cosim::simulation<Model> sim_;
  cosim::axil_master<Model> bus_;
  std::unique_ptr<cosim::axis_source> in_;
  std::unique_ptr<cosim::axis_sink> out_;
  std::vector<std::unique_ptr<cosim::axis_source>> side_;
  irq_watch watch_;
  mover_agent mover_;
  std::shared_ptr<const loaded_model> model_;
  bool active_ = false, irq_seen_ = false;
  std::uint64_t start_cycle_ = 0, run_cycles_ = 0;
};

struct rtl_entry {
  const char* kernel;
  const char* config;
  std::unique_ptr<vp::kernel_impl> (*make)(vp::device_model&, vp::slot&, const config_decl&, const std::string&);
};

// Every verilated config (hlskit/verilated/models.hpp; the declarations name only the named ones).
#define HLSKIT_PLATFORM_RTL_ENTRY(k, c)                                                                        \
  {#k, #c, [](vp::device_model& d, vp::slot& s, const config_decl& cfg, const std::string& who) {             \
     return std::unique_ptr<vp::kernel_impl>(                                                                  \
         std::make_unique<rtl_kernel<hlskit::verilated::k##_##c>>(d, s, cfg, who));                      \
   }},
const rtl_entry rtl_models[] = {HLSKIT_VERILATED_MODELS(HLSKIT_PLATFORM_RTL_ENTRY)};
#undef HLSKIT_PLATFORM_RTL_ENTRY

std::unique_ptr<vp::kernel_impl> make_rtl(vp::device_model& dev, vp::slot& s, const kernel_decl& k, const config_decl& c,
                                          const std::string& who) {
  std::string have;
  for (const auto& e : rtl_models) {
    if (k.name == e.kernel && c.name == e.config) return e.make(dev, s, c, who);
    have += std::string(have.empty() ? "" : ", ") + e.kernel + " " + e.config;
  }
  throw hlskit::error(who + ": no verilated model of this config (the rtl backend has: " + have + ")");
}

}  // namespace

std::unique_ptr<detail::backend> open_rtl(const detail::device_options& options) {
  return make_backend(options, "rtl", &make_rtl);
}

}  // namespace hlskit::platform
