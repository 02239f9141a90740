// The shared state behind the handles of hlskit/host.hpp. Internal: not installed; the tests
// include it for one hook (kernel_state::open with a kernel_decl of their own).
#pragma once

#include <hlskit/detail/backend.hpp>
#include <hlskit/host.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hlskit::detail {

struct device_state {
  std::string name;                   // the backend's
  std::unique_ptr<backend> impl;
  std::recursive_mutex lock;          // every call into impl and its kernels

  static const std::shared_ptr<device_state>& of(const device& d);
  // A device on a backend of the caller's (the tests' hook for fault injection).
  static device make(std::string name, std::unique_ptr<backend> impl);
};

struct buffer_state {
  std::shared_ptr<device_state> dev;
  std::uint64_t address = 0;
  std::vector<std::uint8_t> host;  // the host copy
  ~buffer_state();
};

struct run_state;

struct kernel_state {
  std::shared_ptr<device_state> dev;  // keeps the backend alive as long as the kernel
  kernel_decl decl;                   // a copy: outlives impl, which may refer to it
  config_decl config;
  std::shared_ptr<const loaded_model> model;
  stream_layout in_layout, out_layout;
  std::unique_ptr<backend_kernel> impl;
  // The run in progress (started, completion not yet observed), if any. Held weakly: a run whose
  // handles are all gone is polled by the next start.
  std::weak_ptr<run_state> current;
  bool busy = false;
  std::size_t busy_items = 0;
  // The buffers of the run in progress: their memory stays allocated until its completion is
  // observed, even when the caller drops every handle (XRT's run holds its arguments too).
  std::shared_ptr<buffer_state> busy_in, busy_out;

  ~kernel_state();
  void idle() {  // a wait has observed the completion of the run in progress
    busy = false;
    busy_items = 0;
    busy_in.reset();
    busy_out.reset();
    current.reset();
  }
  std::string label() const { return decl.name + "/" + config.name; }

  // Opens `decl` (config "" = its first) on `dev` without the registry: the tests' hook for a
  // kernel of their own. device::kernel is find_kernel + this.
  static hlskit::kernel open(const device& dev, kernel_decl decl, const std::string& config);
};

struct run_state {
  std::shared_ptr<kernel_state> kernel;
  std::size_t items = 0;
  hlskit::state observed = hlskit::state::running;
  run_timing timing;
};

// The csim backend (csim.cpp): memory in host vectors, kernels computed by loaded_model::csim.
std::unique_ptr<backend> open_csim(const device_options& options);

}  // namespace hlskit::detail
