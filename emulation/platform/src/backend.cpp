// The systemc and rtl backends' device and kernel objects (hlskit/detail/backend.hpp): what the
// host runtime calls, as a host driver would do it, over the virtual platform (vp.hpp).
#include "backend.hpp"

#include <cmath>

namespace hlskit::platform {

using sc_core::sc_time;

namespace {

class platform_kernel final : public detail::backend_kernel {
 public:
  // Call with dev's context current.
  platform_kernel(std::shared_ptr<vp::device_model> dev, vp::slot& s, std::unique_ptr<vp::kernel_impl> impl,
                  std::string who, std::uint32_t count_offset, double clock_mhz)
      : dev_(std::move(dev)), impl_(std::move(impl)), who_(std::move(who)), count_offset_(count_offset),
        clock_mhz_(clock_mhz), slot_(&s) {
    slot_->attach(impl_.get());
    regs_ = vp::kernel_base + slot_->index() * vp::kernel_span;
    mover_ = vp::mover_base + slot_->index() * vp::mover_span;
    vp::guarded(who_.c_str(), [&] {
      // Interrupt on ap_done, as a host driver enables it once.
      dev_->cpu->write32(regs_ + vp::ap::gie, 1);
      dev_->cpu->write32(regs_ + vp::ap::ier, vp::ap::irq_done);
      dev_->cpu->sync();
    });
  }
  ~platform_kernel() override {
    vp::context_scope scope(dev_->context);
    try {
      slot_->detach();
    } catch (...) {
    }
  }

  void load(std::shared_ptr<const loaded_model> model) override {
    vp::context_scope scope(dev_->context);
    vp::guarded(who_.c_str(), [&] {
      if (!model) throw hlskit::error(who_ + ": load: no model");
      impl_->set_model(model);
      for (const auto& w : model->registers()) dev_->cpu->write32(regs_ + w.offset, w.value);
      dev_->cpu->sync();
      model_ = std::move(model);
    });
  }

  void start(std::uint64_t in, std::uint64_t out, std::size_t items) override {
    vp::context_scope scope(dev_->context);
    vp::guarded(who_.c_str(), [&] {
      if (!model_) throw hlskit::error(who_ + ": start: no model loaded");
      if (items > 0xffffffffull) throw hlskit::error(who_ + ": start: " + std::to_string(items) + " items; at most 2^32 - 1 per run");
      const stream_layout li = model_->input(), lo = model_->output();
      slot_->clear_thread_error();
      impl_->begin_run();
      auto& cpu = *dev_->cpu;
      started_at_ = cpu.now();
      running_ = true;
      // The data mover first (it waits for the kernel's stream), then the kernel.
      cpu.write32(mover_ + vp::mover_reg::src_lo, static_cast<std::uint32_t>(in));
      cpu.write32(mover_ + vp::mover_reg::src_hi, static_cast<std::uint32_t>(in >> 32));
      cpu.write32(mover_ + vp::mover_reg::dst_lo, static_cast<std::uint32_t>(out));
      cpu.write32(mover_ + vp::mover_reg::dst_hi, static_cast<std::uint32_t>(out >> 32));
      cpu.write32(mover_ + vp::mover_reg::items, static_cast<std::uint32_t>(items));
      cpu.write32(mover_ + vp::mover_reg::in_beat_bytes, static_cast<std::uint32_t>(li.beat_bytes()));
      cpu.write32(mover_ + vp::mover_reg::in_beats, static_cast<std::uint32_t>(li.beats));
      cpu.write32(mover_ + vp::mover_reg::out_beat_bytes, static_cast<std::uint32_t>(lo.beat_bytes()));
      cpu.write32(mover_ + vp::mover_reg::out_beats, static_cast<std::uint32_t>(lo.beats));
      cpu.write32(mover_ + vp::mover_reg::ctrl, 1);
      cpu.write32(regs_ + count_offset_, static_cast<std::uint32_t>(items));
      cpu.write32(regs_ + vp::ap::ctrl, vp::ap::start);
    });
  }

  bool wait(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    vp::context_scope scope(dev_->context);
    return vp::guarded(who_.c_str(), [&] {
      if (!running_) throw hlskit::error(who_ + ": wait: no run started");
      auto failed = [&] { return !slot_->thread_error().empty() || !slot_->dm.error().empty(); };
      // The host waits for the interrupt line (and for its data mover to finish writing).
      const bool ok = dev_->cpu->run_until([&] { return failed() || (slot_->irq.read() && slot_->dm.done()); },
                                           vp::ns(2000.0 * 1000.0 / clock_mhz_), deadline, scope);
      if (!ok) return false;
      if (failed()) {
        running_ = false;
        throw hlskit::error(who_ + ": run failed: " +
                            (slot_->dm.error().empty() ? slot_->thread_error() : "data mover: " + slot_->dm.error()));
      }
      auto& cpu = *dev_->cpu;
      const std::uint32_t isr = cpu.read32(regs_ + vp::ap::isr);
      if (!(isr & vp::ap::irq_done))
        throw hlskit::error(who_ + ": interrupt without ap_done in ISR (ISR = " + vp::hex(isr) + ")");
      cpu.write32(regs_ + vp::ap::isr, vp::ap::irq_done);  // toggle-on-write: clears the done interrupt
      const std::uint32_t ctrl = cpu.read32(regs_ + vp::ap::ctrl);
      const std::uint32_t dm = cpu.read32(mover_ + vp::mover_reg::ctrl);
      if (!(ctrl & vp::ap::idle) || !(dm & vp::mover_reg::done))
        throw hlskit::error(who_ + ": after the interrupt the kernel is not idle (CTRL " + vp::hex(ctrl) +
                            ") or the data mover not done (status " + vp::hex(dm) + ")");
      cpu.sync();
      timing_.cycles = impl_->run_cycles();
      timing_.simulated_ns = (cpu.now() - started_at_).to_seconds() * 1e9;
      running_ = false;
      return true;
    });
  }

  detail::run_timing timing() const override { return timing_; }

 private:
  std::shared_ptr<vp::device_model> dev_;
  std::unique_ptr<vp::kernel_impl> impl_;
  std::string who_;
  std::uint32_t count_offset_;
  double clock_mhz_;
  vp::slot* slot_ = nullptr;
  std::uint64_t regs_ = 0, mover_ = 0;
  std::shared_ptr<const loaded_model> model_;
  sc_time started_at_;
  bool running_ = false;
  detail::run_timing timing_;
};

class platform_backend final : public detail::backend {
 public:
  platform_backend(const detail::device_options& opt, std::string name, impl_factory make)
      : name_(std::move(name)), make_(make) {
    dev_ = std::make_shared<vp::device_model>(opt);
  }
  ~platform_backend() override = default;

  std::uint64_t allocate(std::size_t bytes) override {
    vp::context_scope scope(dev_->context);
    return dev_->mem->allocate(bytes);
  }
  void release(std::uint64_t address) noexcept override {
    vp::context_scope scope(dev_->context);
    dev_->mem->release(address);
  }
  void write(std::uint64_t address, const std::uint8_t* src, std::size_t bytes) override {
    vp::context_scope scope(dev_->context);
    vp::guarded("device write", [&] {
      dev_->cpu->write(address, src, bytes);
      dev_->cpu->sync();
    });
  }
  void read(std::uint64_t address, std::uint8_t* dst, std::size_t bytes) override {
    vp::context_scope scope(dev_->context);
    vp::guarded("device read", [&] {
      dev_->cpu->read(address, dst, bytes);
      dev_->cpu->sync();
    });
  }
  std::unique_ptr<detail::backend_kernel> open_kernel(const kernel_decl& kernel, const config_decl& config) override {
    const std::string who = name_ + " " + kernel.name + " " + config.name;
    if (!(config.clock_mhz > 0) || !std::isfinite(config.clock_mhz))
      throw hlskit::error(who + ": the config declares no clock (clock_mhz = " + std::to_string(config.clock_mhz) + ")");
    vp::context_scope scope(dev_->context);
    vp::slot& s = dev_->free_slot(who);
    auto impl = make_(*dev_, s, kernel, config, who);
    return std::make_unique<platform_kernel>(dev_, s, std::move(impl), who, kernel.count_offset, config.clock_mhz);
  }

 private:
  std::string name_;
  impl_factory make_;
  std::shared_ptr<vp::device_model> dev_;
};

}  // namespace

std::unique_ptr<detail::backend> make_backend(const detail::device_options& opt, const char* name, impl_factory make) {
  if (!(opt.input_gaps >= 0 && opt.input_gaps < 1))
    throw hlskit::error(std::string(name) + ": input_gaps " + std::to_string(opt.input_gaps) + " is not in [0, 1)");
  if (!(opt.output_stalls >= 0 && opt.output_stalls <= 1))
    throw hlskit::error(std::string(name) + ": output_stalls " + std::to_string(opt.output_stalls) + " is not in [0, 1]");
  return std::make_unique<platform_backend>(opt, name, make);
}

}  // namespace hlskit::platform
