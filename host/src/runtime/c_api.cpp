// hlskit_host.h over hlskit/host.hpp: each opaque handle holds a C++ handle.
#include "c_api.hpp"

#include <chrono>
#include <exception>
#include <new>
#include <string>

namespace {

thread_local std::string last_error;

int fail(int status, std::string message) {
  try {
    last_error = std::move(message);
  } catch (...) {
  }
  return status;
}

// Runs f, turning exceptions into status codes and the message.
template <class F>
int guarded(F&& f) noexcept {
  try {
    f();
    return HLSKIT_OK;
  } catch (const hlskit::timeout_error& e) {
    return fail(HLSKIT_TIMEOUT, e.what());
  } catch (const hlskit::error& e) {
    return fail(HLSKIT_ERROR, e.what());
  } catch (const std::bad_alloc&) {
    return fail(HLSKIT_OUT_OF_MEMORY, "out of host memory");
  } catch (const std::exception& e) {
    return fail(HLSKIT_ERROR, e.what());
  } catch (...) {
    return fail(HLSKIT_ERROR, "unknown error");
  }
}

int null_argument(const char* function, const char* argument) {
  return fail(HLSKIT_INVALID_ARGUMENT, std::string(function) + ": " + argument + " is NULL");
}

std::string text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

extern "C" {

const char* hlskit_last_error(void) { return last_error.c_str(); }

int hlskit_device_open(const char* name, hlskit_device** device) {
  if (device == nullptr) return null_argument("hlskit_device_open", "device");
  return guarded([&] { *device = new hlskit_device{hlskit::device::open(text(name))}; });
}

void hlskit_device_close(hlskit_device* device) { delete device; }

const char* hlskit_device_name(const hlskit_device* device) {
  return device == nullptr ? nullptr : device->d.name().c_str();
}

int hlskit_kernel_open(hlskit_device* device, const char* name, const char* config, hlskit_kernel** kernel) {
  if (device == nullptr) return null_argument("hlskit_kernel_open", "device");
  if (name == nullptr) return null_argument("hlskit_kernel_open", "name");
  if (kernel == nullptr) return null_argument("hlskit_kernel_open", "kernel");
  return guarded([&] { *kernel = new hlskit_kernel{device->d.kernel(name, text(config))}; });
}

int hlskit_kernel_load_model(hlskit_kernel* kernel, const char* path) {
  if (kernel == nullptr) return null_argument("hlskit_kernel_load_model", "kernel");
  return guarded([&] { kernel->k.load_model(text(path)); });
}

int hlskit_kernel_item_bytes(const hlskit_kernel* kernel, size_t* input_bytes, size_t* output_bytes) {
  if (kernel == nullptr) return null_argument("hlskit_kernel_item_bytes", "kernel");
  return guarded([&] {
    const std::size_t in = kernel->k.input().item_bytes(), out = kernel->k.output().item_bytes();
    if (input_bytes != nullptr) *input_bytes = in;
    if (output_bytes != nullptr) *output_bytes = out;
  });
}

void hlskit_kernel_close(hlskit_kernel* kernel) { delete kernel; }

int hlskit_buffer_alloc(hlskit_device* device, size_t bytes, hlskit_buffer** buffer) {
  if (device == nullptr) return null_argument("hlskit_buffer_alloc", "device");
  if (buffer == nullptr) return null_argument("hlskit_buffer_alloc", "buffer");
  return guarded([&] { *buffer = new hlskit_buffer{hlskit::buffer(device->d, bytes)}; });
}

int hlskit_buffer_write(hlskit_buffer* buffer, const void* src, size_t bytes, size_t offset) {
  if (buffer == nullptr) return null_argument("hlskit_buffer_write", "buffer");
  if (src == nullptr && bytes != 0) return null_argument("hlskit_buffer_write", "src");
  return guarded([&] { buffer->b.write(src, bytes, offset); });
}

int hlskit_buffer_read(const hlskit_buffer* buffer, void* dst, size_t bytes, size_t offset) {
  if (buffer == nullptr) return null_argument("hlskit_buffer_read", "buffer");
  if (dst == nullptr && bytes != 0) return null_argument("hlskit_buffer_read", "dst");
  return guarded([&] { buffer->b.read(dst, bytes, offset); });
}

int hlskit_buffer_sync(hlskit_buffer* buffer, int direction) {
  if (buffer == nullptr) return null_argument("hlskit_buffer_sync", "buffer");
  if (direction != HLSKIT_SYNC_TO_DEVICE && direction != HLSKIT_SYNC_FROM_DEVICE)
    return fail(HLSKIT_INVALID_ARGUMENT, "hlskit_buffer_sync: direction " + std::to_string(direction) +
                                             " is neither HLSKIT_SYNC_TO_DEVICE nor HLSKIT_SYNC_FROM_DEVICE");
  return guarded([&] {
    buffer->b.sync(direction == HLSKIT_SYNC_TO_DEVICE ? hlskit::sync::to_device : hlskit::sync::from_device);
  });
}

int hlskit_buffer_size(const hlskit_buffer* buffer, size_t* bytes) {
  if (buffer == nullptr) return null_argument("hlskit_buffer_size", "buffer");
  if (bytes == nullptr) return null_argument("hlskit_buffer_size", "bytes");
  return guarded([&] { *bytes = buffer->b.size(); });
}

int hlskit_buffer_address(const hlskit_buffer* buffer, uint64_t* address) {
  if (buffer == nullptr) return null_argument("hlskit_buffer_address", "buffer");
  if (address == nullptr) return null_argument("hlskit_buffer_address", "address");
  return guarded([&] { *address = buffer->b.address(); });
}

void hlskit_buffer_free(hlskit_buffer* buffer) { delete buffer; }

int hlskit_run_start(hlskit_kernel* kernel, hlskit_buffer* in, hlskit_buffer* out, size_t items, hlskit_run** run) {
  if (kernel == nullptr) return null_argument("hlskit_run_start", "kernel");
  if (in == nullptr) return null_argument("hlskit_run_start", "in");
  if (out == nullptr) return null_argument("hlskit_run_start", "out");
  if (run == nullptr) return null_argument("hlskit_run_start", "run");
  return guarded([&] {
    auto* h = new hlskit_run{};
    try {
      h->r = kernel->k(in->b, out->b, items);
    } catch (...) {
      delete h;
      throw;
    }
    *run = h;
  });
}

int hlskit_run_wait(hlskit_run* run, uint32_t timeout_ms) {
  if (run == nullptr) return null_argument("hlskit_run_wait", "run");
  return guarded([&] { run->r.wait(std::chrono::milliseconds(timeout_ms)); });
}

int hlskit_run_state(const hlskit_run* run, hlskit_state* state) {
  if (run == nullptr) return null_argument("hlskit_run_state", "run");
  if (state == nullptr) return null_argument("hlskit_run_state", "state");
  return guarded([&] {
    switch (run->r.state()) {
      case hlskit::state::idle: *state = HLSKIT_STATE_IDLE; break;
      case hlskit::state::running: *state = HLSKIT_STATE_RUNNING; break;
      case hlskit::state::completed: *state = HLSKIT_STATE_COMPLETED; break;
    }
  });
}

int hlskit_run_cycles(const hlskit_run* run, uint64_t* cycles) {
  if (run == nullptr) return null_argument("hlskit_run_cycles", "run");
  if (cycles == nullptr) return null_argument("hlskit_run_cycles", "cycles");
  return guarded([&] { *cycles = run->r.cycles(); });
}

int hlskit_run_simulated_ns(const hlskit_run* run, double* nanoseconds) {
  if (run == nullptr) return null_argument("hlskit_run_simulated_ns", "run");
  if (nanoseconds == nullptr) return null_argument("hlskit_run_simulated_ns", "nanoseconds");
  return guarded([&] { *nanoseconds = run->r.simulated_time().count(); });
}

void hlskit_run_close(hlskit_run* run) { delete run; }

}  // extern "C"
