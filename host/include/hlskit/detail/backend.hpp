// The seam between the host runtime (hlskit/host.hpp) and its backends (DESIGN §8): one table of
// backends, each a device with memory and kernels. Not part of the user API; tests may use
// device_options to inject faults.
#pragma once

#include <hlskit/kernel.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hlskit::detail {

// How a device is opened. The stream knobs model the data mover's side of the kernel's streams
// on the simulated backends (csim ignores them).
struct device_options {
  std::uint32_t random_init = 0;  // rtl: 0 = every RTL variable starts at zero, else the seed of a random state
  std::uint64_t seed = 1;         // the random stream gaps and stalls below
  double input_gaps = 0;          // chance per cycle that the mover holds in_r TVALID low
  double output_stalls = 0;       // chance per cycle that the mover holds out_r TREADY low; 1 = stalled for good (fault test)
};

// What a completed run took on a simulated backend (zero on csim).
struct run_timing {
  std::uint64_t cycles = 0;    // ap_clk cycles from the start write to ap_done
  double simulated_ns = 0;     // simulated time of the whole run (register writes, memory, interrupt)
};

// One kernel (one config) on one device.
class backend_kernel {
 public:
  virtual ~backend_kernel() = default;
  // Programs `model` (its registers(); the kernel is idle). The model outlives the kernel's runs.
  virtual void load(std::shared_ptr<const loaded_model> model) = 0;
  // Starts a run of `items` items from device address `in` to `out`: the runtime has checked the
  // sizes and that no run is in progress.
  virtual void start(std::uint64_t in, std::uint64_t out, std::size_t items) = 0;
  // Advances the run until it completes (true) or `timeout` of wall-clock time has passed (false;
  // the run stays in progress and wait may be called again).
  virtual bool wait(std::chrono::milliseconds timeout) = 0;
  virtual run_timing timing() const = 0;  // of the last completed run
};

// A device: memory (addresses are the device's) and kernels.
class backend {
 public:
  virtual ~backend() = default;
  virtual std::uint64_t allocate(std::size_t bytes) = 0;  // hlskit::error when memory is exhausted
  virtual void release(std::uint64_t address) noexcept = 0;
  virtual void write(std::uint64_t address, const std::uint8_t* src, std::size_t bytes) = 0;
  virtual void read(std::uint64_t address, std::uint8_t* dst, std::size_t bytes) = 0;
  // hlskit::error when the backend cannot run this config (e.g. no verilated model of it).
  virtual std::unique_ptr<backend_kernel> open_kernel(const kernel_decl& kernel, const config_decl& config) = 0;
};

struct backend_entry {
  const char* name;     // "csim", "systemc", "rtl"
  const char* summary;  // one line
  std::unique_ptr<backend> (*open)(const device_options&);
};

// The backends this build has (csim always; systemc and rtl with the emulation platform).
const std::vector<backend_entry>& backends();

}  // namespace hlskit::detail
