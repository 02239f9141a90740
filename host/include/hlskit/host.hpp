// The host runtime (DESIGN §8), modelled on XRT's native C++ API (xrt::device, xrt::kernel,
// xrt::bo, xrt::run). The same program runs on three backends, chosen when the device is opened:
//
//   csim     the C++ kernel (loaded_model::csim), computed when the run is waited for
//   systemc  a SystemC TLM-2.0 virtual platform: interconnect, device memory with latency, the
//            kernel's register file, a data mover, an interrupt; the C model timed by the cycles
//            its RTL was measured to take, at the config's clock
//   rtl      the same platform with the kernel's Verilated RTL behind a TLM-to-AXI adapter
//
//   auto dev = hlskit::device::open();                 // $HLSKIT_EMULATION, else "csim"
//   auto k   = dev.kernel("autoencoder", "econt");     // "" = the kernel's first (paper) config
//   k.load_model("");                                  // "" = the embedded default model
//   hlskit::buffer in(dev, items * k.input().item_bytes()), out(dev, items * k.output().item_bytes());
//   in.write(codes, in.size());  in.sync(hlskit::sync::to_device);
//   hlskit::run r = k(in, out, items);                 // starts the kernel
//   r.wait(std::chrono::seconds(5));                   // state::completed, or hlskit::timeout_error
//   out.sync(hlskit::sync::from_device);  out.read(result, out.size());
//
// Data: a buffer holds raw stream bytes, the memory layout of hlskit/kernel.hpp: an item is its
// AXI4-Stream beats in order, each beat ceil(TDATA width / 8) bytes, little-endian, pad bits zero.
// kernel::input() / output() give the item layouts of the loaded model (the svm's input width
// depends on the model's features); K_hw.h documents each kernel's.
//
// Errors: every failure throws hlskit::error (hlskit/kernel.hpp) with a message that names what
// was wrong and, for names, lists the choices; a run that does not complete in time throws
// hlskit::timeout_error (a hlskit::error). A refused call changes nothing: no memory is written,
// no run is started.
//
// Handles: device, kernel, buffer and run are handles to shared state, like XRT's: copying one
// gives a second handle to the same object, moving one leaves an empty handle behind (using an
// empty handle throws hlskit::error; operator bool tells). The device lives as long as any
// handle of it, or of its kernels, buffers or runs, does. A device's calls are serialized by one
// lock, so handles may be used from several threads (a wait holds the device for its duration).
#pragma once

#include <hlskit/kernel.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hlskit {

namespace detail {
struct device_options;
struct device_state;
struct kernel_state;
struct buffer_state;
struct run_state;
}  // namespace detail

class kernel;
class buffer;
class run;

// The direction of buffer::sync.
enum class sync {
  to_device,    // the host copy -> device memory (before a run reads the buffer)
  from_device,  // device memory -> the host copy (after a run has written it)
};

// What a run handle has observed. A run is `running` from its start until a wait observes its
// completion; state() never advances the simulation, only wait() does.
enum class state {
  idle,       // an empty run handle (default-constructed or moved from)
  running,    // started, completion not yet observed
  completed,  // a wait observed ap_done: the output is in device memory
};

class device {
 public:
  device() = default;  // an empty handle

  // Opens a device of the backend `name`: "csim", "systemc" or "rtl" ("" = $HLSKIT_EMULATION
  // when set and not empty, else "csim"). Throws hlskit::error for an unknown name, listing the
  // backends this build has (detail::backends()).
  static device open(const std::string& name = "");
  // The same with the simulated backends' stream knobs (random gaps and stalls, the RTL's random
  // initial state): for tests and fault injection (hlskit/detail/backend.hpp).
  static device open(const std::string& name, const detail::device_options& options);

  // A kernel on this device: `name` as registered (hlskit::kernels()), `config` one of its named
  // configs ("" = its first, the paper design). Throws hlskit::error listing the kernels or the
  // kernel's configs when a name is unknown, or when the backend cannot run the config (rtl:
  // no Verilated model of it). Each call opens a new compute unit with its own busy state.
  hlskit::kernel kernel(const std::string& name, const std::string& config = "");

  const std::string& name() const;  // the backend: "csim", "systemc" or "rtl"
  explicit operator bool() const { return state_ != nullptr; }

 private:
  friend class hlskit::kernel;
  friend class buffer;
  friend struct detail::device_state;
  explicit device(std::shared_ptr<detail::device_state> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::device_state> state_;
};

// Device memory with a host copy (XRT's bo): write/read move bytes between the caller and the
// host copy, sync moves them between the host copy and device memory.
class buffer {
 public:
  buffer() = default;  // an empty handle
  // `bytes` (>= 1) of device memory, zero-filled, and a host copy of the same size. Throws
  // hlskit::error when the device's memory is exhausted.
  buffer(const device& dev, std::size_t bytes);

  // Bytes [offset, offset + bytes) of the host copy from `src` / into `dst`. Out of range ->
  // hlskit::error naming the range and the size (nothing copied).
  void write(const void* src, std::size_t bytes, std::size_t offset = 0);
  void read(void* dst, std::size_t bytes, std::size_t offset = 0) const;
  // The whole buffer, or bytes [offset, offset + bytes), between the host copy and device memory.
  void sync(hlskit::sync direction);
  void sync(hlskit::sync direction, std::size_t bytes, std::size_t offset);

  std::size_t size() const;
  std::uint64_t address() const;  // the device address of byte 0
  explicit operator bool() const { return state_ != nullptr; }

 private:
  friend class hlskit::kernel;
  std::shared_ptr<detail::buffer_state> state_;
};

// One run of a kernel (XRT's xrt::run).
class run {
 public:
  run() = default;  // an empty handle (state::idle)

  // Waits until the run completes or `timeout` of wall-clock time has passed. Returns
  // state::completed; throws hlskit::timeout_error naming the kernel, the items, the backend and
  // the time when it has not completed (the run stays in progress and wait may be called again).
  // csim computes the whole run inside wait, whatever the timeout. Waiting on a completed run
  // returns at once.
  hlskit::state wait(std::chrono::milliseconds timeout);
  hlskit::state state() const;

  // What the completed run took (hlskit::error before completion): ap_clk cycles from the start
  // write to ap_done, and the simulated time of the whole run (register writes, data movement,
  // interrupt). Both zero on csim, which has no time.
  std::uint64_t cycles() const;
  std::chrono::duration<double, std::nano> simulated_time() const;
  std::size_t items() const;
  explicit operator bool() const { return state_ != nullptr; }

 private:
  friend class hlskit::kernel;
  explicit run(std::shared_ptr<detail::run_state> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::run_state> state_;
};

// A kernel (one config) on a device: one compute unit, one run at a time.
class kernel {
 public:
  kernel() = default;  // an empty handle

  // Loads and programs a model (kernel_decl::load: "" = the config's embedded default model;
  // hlskit::error naming the file and field when it is malformed or does not fit the config).
  // Refused while a run is busy. A model that fails to load leaves the previous model in place;
  // if programming the device fails (a backend error), the kernel has no model afterwards.
  void load_model(const std::string& path = "");

  // Starts a run of `items` items: items * input().item_bytes() bytes from `in`'s device memory,
  // items * output().item_bytes() bytes to `out`'s (in may be out). Sync `in` to the device
  // first. Refused with hlskit::error, before anything is written or started, when no model is
  // loaded, a buffer belongs to another device, a buffer is too small, or this kernel's previous
  // run is busy: a kernel is busy from a start until a wait observes that run's completion (a run
  // whose handles are all gone is polled once at the next start).
  hlskit::run operator()(const buffer& in, const buffer& out, std::size_t items);

  const std::string& name() const;    // the kernel's registered name
  const std::string& config() const;  // the config's name
  bool has_model() const;
  stream_layout input() const;   // of the loaded model (hlskit::error when none is loaded)
  stream_layout output() const;
  explicit operator bool() const { return state_ != nullptr; }

 private:
  friend class device;
  friend struct detail::kernel_state;
  explicit kernel(std::shared_ptr<detail::kernel_state> s) : state_(std::move(s)) {}
  std::shared_ptr<detail::kernel_state> state_;
};

}  // namespace hlskit
