// AXI4-Lite master on the model's s_axi_control_* ports, and the ap_ctrl_hs register helpers
// (DESIGN §6). Calls block, ticking the simulation (so streams keep flowing meanwhile), and throw
// cosim_error instead of hanging when the slave does not answer.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "hlskit/cosim/simulation.hpp"
#include "hlskit/hw/ap_ctrl_hs_hw.h"

namespace hlskit::cosim {

// ap_ctrl_hs register map (Vitis layout, DESIGN §6), from the generated hlskit/hw/ap_ctrl_hs_hw.h.
namespace reg {
constexpr std::uint32_t ctrl = HLSKIT_AP_CTRL_ADDR_AP_CTRL;  // start, done, idle, ready, auto_restart
constexpr std::uint32_t gie = HLSKIT_AP_CTRL_ADDR_GIE;       // global interrupt enable
constexpr std::uint32_t ier = HLSKIT_AP_CTRL_ADDR_IER;       // done, ready
constexpr std::uint32_t isr = HLSKIT_AP_CTRL_ADDR_ISR;       // status; toggle-on-write
constexpr std::uint32_t args = HLSKIT_AP_CTRL_ADDR_ARGS;     // first argument
}  // namespace reg
namespace ctrl_bit {
constexpr std::uint32_t start = HLSKIT_AP_CTRL_AP_START, done = HLSKIT_AP_CTRL_AP_DONE, idle = HLSKIT_AP_CTRL_AP_IDLE,
                        ready = HLSKIT_AP_CTRL_AP_READY, auto_restart = HLSKIT_AP_CTRL_AUTO_RESTART;
}
namespace irq_bit {
constexpr std::uint32_t done = HLSKIT_AP_CTRL_IER_DONE, ready = HLSKIT_AP_CTRL_IER_READY;
static_assert(HLSKIT_AP_CTRL_IER_DONE == HLSKIT_AP_CTRL_ISR_DONE && HLSKIT_AP_CTRL_IER_READY == HLSKIT_AP_CTRL_ISR_READY,
              "IER and ISR share their bits");
}

namespace detail {
// Verilator renames a port called `interrupt` (a common C++ word) to __SYM__interrupt.
template <class M, class = void>
struct has_plain_interrupt : std::false_type {};
template <class M>
struct has_plain_interrupt<M, std::void_t<decltype(std::declval<M&>().interrupt)>> : std::true_type {};
}  // namespace detail

template <class Model>
class axil_master final : public agent {
 public:
  explicit axil_master(simulation<Model>& sim, std::uint64_t timeout_cycles = 1000)
      : sim_(sim), timeout_(timeout_cycles) {
    sim_.attach(*this);
  }
  ~axil_master() override { sim_.detach(*this); }
  axil_master(const axil_master&) = delete;
  axil_master& operator=(const axil_master&) = delete;

  void write(std::uint32_t addr, std::uint32_t data, std::uint8_t strb = 0xF) {
    op_ = op::write;
    addr_ = addr;
    data_ = data;
    strb_ = strb;
    aw_done_ = w_done_ = false;
    complete("write", addr);
  }
  std::uint32_t read(std::uint32_t addr) {
    op_ = op::read;
    addr_ = addr;
    ar_done_ = false;
    complete("read", addr);
    return rdata_;
  }
  std::uint8_t last_resp() const { return resp_; }  // BRESP/RRESP of the last transaction (0 = OKAY)
  simulation<Model>& sim() { return sim_; }

  void drive(std::uint64_t) override {
    auto& t = sim_.top();
    t.s_axi_control_AWVALID = op_ == op::write && !aw_done_;
    t.s_axi_control_WVALID = op_ == op::write && !w_done_;
    t.s_axi_control_BREADY = op_ == op::write;
    t.s_axi_control_ARVALID = op_ == op::read && !ar_done_;
    t.s_axi_control_RREADY = op_ == op::read;
    set(t.s_axi_control_AWADDR, addr_);  // the address ports are as narrow as the register map
    set(t.s_axi_control_ARADDR, addr_);
    t.s_axi_control_WDATA = data_;
    t.s_axi_control_WSTRB = strb_;
  }
  void sample(std::uint64_t cycle) override {
    auto& t = sim_.top();
    if (op_ == op::write) {
      const bool b = t.s_axi_control_BVALID && t.s_axi_control_BREADY;
      if (b && !(aw_done_ && w_done_)) error_ = fmt::format("BVALID at cycle {} before the address and data handshakes", cycle);
      if (t.s_axi_control_AWVALID && t.s_axi_control_AWREADY) aw_done_ = true;
      if (t.s_axi_control_WVALID && t.s_axi_control_WREADY) w_done_ = true;
      if (b) {
        resp_ = t.s_axi_control_BRESP;
        op_ = op::none;
      }
    } else if (op_ == op::read) {
      const bool r = t.s_axi_control_RVALID && t.s_axi_control_RREADY;
      if (r && !ar_done_) error_ = fmt::format("RVALID at cycle {} before the address handshake", cycle);
      if (t.s_axi_control_ARVALID && t.s_axi_control_ARREADY) ar_done_ = true;
      if (r) {
        rdata_ = t.s_axi_control_RDATA;
        resp_ = t.s_axi_control_RRESP;
        op_ = op::none;
      }
    }
  }

 private:
  enum class op { none, write, read };

  template <class Port>
  static void set(Port& port, std::uint32_t value) { port = static_cast<Port>(value); }

  void complete(const char* what, std::uint32_t addr) {
    const std::uint64_t start = sim_.cycle();
    if (!sim_.run_until([&] { return op_ == op::none; }, timeout_)) {
      const char* waiting = op_ == op::write ? (!aw_done_ ? "AWREADY" : !w_done_ ? "WREADY" : "BVALID")
                                             : (!ar_done_ ? "ARREADY" : "RVALID");
      op_ = op::none;  // release the bus, so a caller that catches this can go on
      throw cosim_error(fmt::format("AXI-Lite {} of 0x{:02x}: no {} within {} cycles (cycles {}..{})", what, addr,
                                    waiting, timeout_, start, sim_.cycle()),
                        sim_.cycle());
    }
    if (!error_.empty()) {
      const std::string msg = fmt::format("AXI-Lite {} of 0x{:02x}: protocol violation: {}", what, addr, error_);
      error_.clear();
      throw cosim_error(msg, sim_.cycle());
    }
  }

  simulation<Model>& sim_;
  std::uint64_t timeout_;
  op op_ = op::none;
  std::uint32_t addr_ = 0, data_ = 0, rdata_ = 0;
  std::uint8_t strb_ = 0xF, resp_ = 0;
  bool aw_done_ = false, w_done_ = false, ar_done_ = false;
  std::string error_;
};

// ap_ctrl_hs block-level control through the register map, as a host driver does it.
template <class Model>
class ap_ctrl {
 public:
  explicit ap_ctrl(axil_master<Model>& bus) : bus_(bus) {}

  void start() { bus_.write(reg::ctrl, ctrl_bit::start | (auto_restart_ ? ctrl_bit::auto_restart : 0u)); }
  // Writing CTRL with bit0 = 0 only changes auto_restart (ap_start is not cleared by software).
  void set_auto_restart(bool on) {
    auto_restart_ = on;
    bus_.write(reg::ctrl, on ? ctrl_bit::auto_restart : 0u);
  }
  // CTRL; note that reading it clears ap_done and ap_ready, as on hardware.
  std::uint32_t status() { return bus_.read(reg::ctrl); }
  bool is_idle() { return status() & ctrl_bit::idle; }
  // Polls CTRL until ap_done reads set (which clears it); throws after timeout_cycles.
  void wait_done(std::uint64_t timeout_cycles = 1'000'000) {
    const std::uint64_t start = bus_.sim().cycle();
    while (!(status() & ctrl_bit::done))
      if (bus_.sim().cycle() - start > timeout_cycles)
        throw cosim_error(fmt::format("ap_done not set within {} cycles (cycles {}..{})", timeout_cycles, start,
                                      bus_.sim().cycle()),
                          bus_.sim().cycle());
  }

  void set_global_interrupt(bool on) { bus_.write(reg::gie, on ? 1u : 0u); }
  void set_interrupt_enable(std::uint32_t irq_mask) { bus_.write(reg::ier, irq_mask); }
  std::uint32_t interrupt_status() { return bus_.read(reg::isr); }
  void clear_interrupt_status(std::uint32_t irq_mask) { bus_.write(reg::isr, irq_mask); }  // toggle-on-write
  bool interrupt_line() {
    auto& t = bus_.sim().top();
    if constexpr (detail::has_plain_interrupt<Model>::value) return t.interrupt;
    else return t.__SYM__interrupt;
  }

  // Scalar arguments; `offset` comes from the kernel's generated K_hw.h.
  void set_arg(std::uint32_t offset, std::uint32_t value) { bus_.write(offset, value); }
  void set_arg64(std::uint32_t offset, std::uint64_t value) {  // 64-bit pointers: two words, low first
    bus_.write(offset, static_cast<std::uint32_t>(value));
    bus_.write(offset + 4, static_cast<std::uint32_t>(value >> 32));
  }
  std::uint32_t arg(std::uint32_t offset) { return bus_.read(offset); }

 private:
  axil_master<Model>& bus_;
  bool auto_restart_ = false;
};

}  // namespace hlskit::cosim
