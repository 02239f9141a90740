// The virtual platform's parts (DESIGN §8), shared by the systemc and rtl backends. Internal to
// hlskit_platform.
//
//   host ──► router ──► device memory            memory_base ..  (+ capacity)
//   mover ─┘   │  └──► kernel slot i: registers  kernel_base + i * kernel_span
//              └─────► kernel slot i: mover regs mover_base + i * mover_span
//
// One device = one SystemC simulation context (sim_context) holding this fixed structure, elaborated
// when the device opens: the host port, the router, the memory and `slots` kernel slots (a slot is
// a compute unit of a shell: a control register target, a data mover and an interrupt line). An
// opened kernel plugs its implementation (the C model or the Verilated RTL) into a free slot, so
// nothing is elaborated after sc_start.
//
// Timing is loosely timed (TLM-2.0 LT): targets never wait, they add their latency to the delay of
// b_transport; initiators keep a local time ahead of SystemC time and synchronize per quantum.
#pragma once

#include <hlskit/hw/ap_ctrl_hs_hw.h>
#include <hlskit/detail/backend.hpp>
#include <hlskit/kernel.hpp>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hlskit::platform::vp {

// ---- figures (see docs/PLATFORM.md for their sources) ------------------------------------------
// The memory system of an Alveo U200/U250-class shell: a 512-bit AXI data path at 300 MHz into a
// DDR4-2400 x64 channel (64 B x 300 MHz = 19.2 GB/s = the channel's peak 2400 MT/s x 8 B).
inline constexpr double bus_mhz = 300.0;             // interconnect and memory-side clock
inline constexpr unsigned bus_bytes = 64;            // data path width, bytes per bus clock
inline constexpr double memory_latency_ns = 100.0;   // fixed latency of one memory transaction
inline constexpr unsigned hop_cycles = 2;            // router latency per hop, bus clocks
inline constexpr unsigned register_cycles = 2;       // a register file access (C-model slot, mover), bus clocks
inline constexpr std::size_t dma_chunk = 4096;       // bytes per memory transaction of a DMA (host or mover)
inline constexpr double bus_period_ns = 1000.0 / bus_mhz;
inline constexpr double quantum_ns = 1000.0;         // how far the host and a C-model run may run ahead of SystemC time

// ---- address map ------------------------------------------------------------------------------
inline constexpr std::uint64_t memory_base = 0x1'0000'0000ull;      // device memory
inline constexpr std::uint64_t default_memory_bytes = 256ull << 20;  // capacity of a device
inline constexpr std::uint64_t kernel_base = 0xA000'0000ull;        // slot i's s_axi_control at + i * kernel_span
inline constexpr std::uint64_t kernel_span = 0x0100'0000ull;         // 16 MiB: the svm's SV memory window fits
inline constexpr std::uint64_t mover_base = 0xA400'0000ull;         // slot i's mover registers at + i * mover_span
inline constexpr std::uint64_t mover_span = 0x1000ull;
inline constexpr unsigned slots = 4;                                 // kernels one device can hold at once

// ap_ctrl_hs register layout (DESIGN §6): the generated hlskit/hw/ap_ctrl_hs_hw.h.
namespace ap {
inline constexpr std::uint32_t ctrl = HLSKIT_AP_CTRL_ADDR_AP_CTRL, gie = HLSKIT_AP_CTRL_ADDR_GIE,
                               ier = HLSKIT_AP_CTRL_ADDR_IER, isr = HLSKIT_AP_CTRL_ADDR_ISR;
inline constexpr std::uint32_t start = HLSKIT_AP_CTRL_AP_START, done = HLSKIT_AP_CTRL_AP_DONE,
                               idle = HLSKIT_AP_CTRL_AP_IDLE, ready = HLSKIT_AP_CTRL_AP_READY,
                               auto_restart = HLSKIT_AP_CTRL_AUTO_RESTART;
inline constexpr std::uint32_t irq_done = HLSKIT_AP_CTRL_ISR_DONE, irq_ready = HLSKIT_AP_CTRL_ISR_READY;
}  // namespace ap

// The data mover's registers (a memory-to-stream / stream-to-memory pair, like Vitis' mm2s/s2mm).
namespace mover_reg {
inline constexpr std::uint32_t ctrl = 0x00;        // W: bit0 start.  R: bit0 busy, bit1 done, bit2 error
inline constexpr std::uint32_t src_lo = 0x10, src_hi = 0x14;   // input items' device address
inline constexpr std::uint32_t dst_lo = 0x18, dst_hi = 0x1C;   // output items' device address
inline constexpr std::uint32_t items = 0x20;                   // items of this transfer
inline constexpr std::uint32_t in_beat_bytes = 0x24, in_beats = 0x28;    // input item layout
inline constexpr std::uint32_t out_beat_bytes = 0x2C, out_beats = 0x30;  // output item layout
inline constexpr std::uint32_t busy = 1u << 0, done = 1u << 1, error = 1u << 2;
}  // namespace mover_reg

inline sc_core::sc_time ns(double v) { return sc_core::sc_time(v, sc_core::SC_NS); }
inline sc_core::sc_time bus_cycles(double n) { return ns(n * bus_period_ns); }
std::string hex(std::uint64_t v);

// ---- simulation contexts ----------------------------------------------------------------------
// SystemC cannot elaborate after sc_start, and a process opens devices one after another (and
// several at once). Each device owns a fresh sc_simcontext; every entry into a device makes its
// context current (sc_curr_simcontext, sc_default_global_context: SystemC 2.3.4 reads these two
// globals everywhere) under one process-wide lock (SystemC itself is not thread-safe).
class sim_context {
 public:
  sim_context();
  ~sim_context();
  sim_context(const sim_context&) = delete;
  sim_context& operator=(const sim_context&) = delete;
  sc_core::sc_simcontext* get() const { return ctx_; }

 private:
  sc_core::sc_simcontext* ctx_;
};

class context_scope {
 public:
  explicit context_scope(const sim_context& c);
  ~context_scope();
  // Lets other threads use SystemC (their own devices) for `d`, then makes this context current
  // again: a long wait() does not hold every device in the process.
  void yield(std::chrono::steady_clock::duration d = std::chrono::steady_clock::duration::zero());
  context_scope(const context_scope&) = delete;
  context_scope& operator=(const context_scope&) = delete;

 private:
  std::unique_lock<std::recursive_mutex> lock_;
  sc_core::sc_simcontext *ctx_, *prev_curr_, *prev_default_;
};

// Runs `f`, turning SystemC reports and other exceptions into hlskit::error naming `where`.
template <class F>
auto guarded(const char* where, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const hlskit::error&) {
    throw;
  } catch (const sc_core::sc_report& r) {
    throw hlskit::error(std::string(where) + ": SystemC: " + r.what());
  }
}

// ---- targets ----------------------------------------------------------------------------------
// Device memory: `capacity` bytes at memory_base, zero at start (pages come from calloc, so an
// untouched gigabyte costs nothing). Latency per transaction: memory_latency_ns + ceil(bytes /
// bus_bytes) bus clocks. Also the allocator behind backend::allocate (first fit, 4 KiB aligned).
class memory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<memory> socket;
  memory(sc_core::sc_module_name name, std::uint64_t capacity);
  ~memory() override;

  std::uint64_t allocate(std::size_t bytes);  // device address; hlskit::error when full
  void release(std::uint64_t address) noexcept;
  std::uint64_t capacity() const { return capacity_; }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& gp);
  std::uint64_t capacity_;
  std::uint8_t* data_;
  std::map<std::uint64_t, std::uint64_t> used_;  // offset -> bytes (rounded to 4 KiB)
};

// Address decoder: every initiator binds to `in`, every target to `out` with map(); unmapped
// addresses get TLM_ADDRESS_ERROR_RESPONSE. hop_cycles bus clocks per transaction.
class router : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<router> in;
  tlm_utils::multi_passthrough_initiator_socket<router> out;
  explicit router(sc_core::sc_module_name name);
  // Call in bind order of `out`.
  void map(std::uint64_t base, std::uint64_t size, std::string name);

 private:
  struct range {
    std::uint64_t base, size;
    std::string name;
  };
  void b_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned transport_dbg(int id, tlm::tlm_generic_payload& gp);
  const range* decode(std::uint64_t a, unsigned len, int& index) const;
  std::vector<range> map_;
};

// ---- kernel slots ------------------------------------------------------------------------------
class slot;

// What an opened kernel plugs into a slot: its register target and the work of a run, done in the
// slot's thread. Implementations: the C model (systemc_backend.cpp), the RTL (rtl_backend.cpp).
class kernel_impl {
 public:
  virtual ~kernel_impl() = default;
  virtual void set_model(std::shared_ptr<const loaded_model> m) = 0;  // before its registers are written
  virtual void begin_run() = 0;                   // the host is about to start a run
  virtual std::uint64_t run_cycles() const = 0;   // ap_clk cycles from the ap_start write to ap_done, last run
  // A b_transport to the kernel's s_axi_control space (gp's address is the offset).
  virtual void registers(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) = 0;
  // Runs in the slot's SC_THREAD after a wake(); returns when nothing is left to do. May call
  // slot::wait_until (which unwinds with slot_detached when the kernel closes).
  virtual void work() = 0;
};

struct slot_detached {};  // unwinds a slot's thread out of kernel_impl::work when the kernel closes

// The data mover of a slot: its register target, and the memory-side operations the kernel
// implementations call from the slot's thread (LT: local time in and out).
class mover : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<mover> regs;        // bound to the router
  tlm_utils::simple_initiator_socket<mover> master;   // into the router
  explicit mover(sc_core::sc_module_name name, slot& owner);

  struct program {
    std::uint64_t src = 0, dst = 0, items = 0;
    std::uint32_t in_beat_bytes = 0, in_beats = 0, out_beat_bytes = 0, out_beats = 0;
    std::size_t in_item_bytes() const { return std::size_t{in_beat_bytes} * in_beats; }
    std::size_t out_item_bytes() const { return std::size_t{out_beat_bytes} * out_beats; }
  };
  const program& prog() const { return prog_; }
  bool started() const { return started_; }
  sc_core::sc_time start_time() const { return start_time_; }  // absolute
  // Memory transfers at absolute time `at`; returns the absolute completion time. A bus error
  // throws hlskit::error (recorded in the status register by the caller's run).
  sc_core::sc_time read(std::uint64_t address, std::uint8_t* dst, std::size_t bytes, sc_core::sc_time at);
  sc_core::sc_time write(std::uint64_t address, const std::uint8_t* src, std::size_t bytes, sc_core::sc_time at);
  // The transfer finished (all output written) at absolute time `at`, or failed.
  void finish(sc_core::sc_time at);
  void fail(const std::string& why);
  bool done() const { return done_; }
  const std::string& error() const { return error_; }
  void reset_run();

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void on_done();
  slot& owner_;
  program prog_;
  std::uint32_t words_[16] = {};
  bool started_ = false, done_ = false;
  std::string error_;
  sc_core::sc_time start_time_;
  sc_core::sc_event done_ev_;
};

class slot : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<slot> regs;  // s_axi_control, bound to the router
  mover dm;
  sc_core::sc_signal<bool> irq;  // the kernel's interrupt line, to the host
  slot(sc_core::sc_module_name name, unsigned index);

  unsigned index() const { return index_; }
  void attach(kernel_impl* k) { impl_ = k; }
  kernel_impl* impl() const { return impl_; }
  // Frees the slot: unwinds the thread out of work() (the caller's scope runs a delta cycle),
  // drops pending interrupt events and lowers the line.
  void detach();
  void wake(const sc_core::sc_time& delay);  // the thread runs impl->work() at now + delay
  // In the slot's thread: waits until absolute time `t` (if in the future) or a wake; throws
  // slot_detached when the kernel is closing.
  void wait_until(const sc_core::sc_time& t);
  void wait_wake();  // waits for the next wake() (or detach)
  [[noreturn]] void park();  // waits until the kernel closes (a run that can never finish)
  // The interrupt line at absolute time `at` (>= now): events are applied in order.
  void set_irq(bool level, const sc_core::sc_time& at);
  void mover_done() { progress_.notify(sc_core::SC_ZERO_TIME); }
  void stop_thread();  // device teardown: the thread returns at the next delta cycle
  const std::string& thread_error() const { return thread_error_; }
  void clear_thread_error() { thread_error_.clear(); }
  bool in_work() const { return in_work_; }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  void thread();
  void irq_method();
  void progress_method();
  unsigned index_;
  kernel_impl* impl_ = nullptr;
  bool detaching_ = false, stopping_ = false, in_work_ = false, pending_wake_ = false;
  sc_core::sc_event wake_ev_, detach_ev_;
  sc_core::sc_event_queue irq_q_;
  std::vector<bool> irq_levels_;  // FIFO of pending levels (irq_q_ fires in time order)
  std::size_t irq_head_ = 0;
  sc_core::sc_event progress_;
  std::string thread_error_;
};

// The host's port: an LT initiator with its own quantum keeper (local time ahead of SystemC
// time), the interrupt lines of the slots, and the synchronization the backends' calls need.
class host : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<host> socket;
  explicit host(sc_core::sc_module_name name);

  void write(std::uint64_t address, const void* src, std::size_t bytes);  // hlskit::error on a bus error
  void read(std::uint64_t address, void* dst, std::size_t bytes);
  void write32(std::uint64_t address, std::uint32_t v) { write(address, &v, 4); }
  std::uint32_t read32(std::uint64_t address) {
    std::uint32_t v = 0;
    read(address, &v, 4);
    return v;
  }
  // The host's time: SystemC time plus its local offset.
  sc_core::sc_time now() const { return sc_core::sc_time_stamp() + local_; }
  // Runs the simulation until the host's local time is reached.
  void sync();
  // Runs the simulation until done() holds or wall-clock `deadline` passes (false). Simulated
  // time advances in slices of `slice`; a simulation with nothing left to do just waits.
  bool run_until(const std::function<bool()>& done, sc_core::sc_time slice,
                 std::chrono::steady_clock::time_point deadline, context_scope& scope);

 private:
  void transport(tlm::tlm_command cmd, std::uint64_t address, std::uint8_t* p, std::size_t bytes);
  sc_core::sc_time local_;
};

// One device: the context, and the elaborated platform in it.
struct device_model {
  explicit device_model(const detail::device_options& opt);
  ~device_model();
  detail::device_options options;
  sim_context context;
  std::unique_ptr<host> cpu;
  std::unique_ptr<router> bus;
  std::unique_ptr<memory> mem;
  std::vector<std::unique_ptr<slot>> slots;

  slot& free_slot(const std::string& who);  // a slot without a kernel, or hlskit::error
};

}  // namespace hlskit::platform::vp
