// The handles of hlskit/host.hpp over the backend seam (hlskit/detail/backend.hpp).
#include "runtime.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

namespace hlskit {

namespace detail {

namespace {

template <class State>
State& checked(const std::shared_ptr<State>& s, const char* what) {
  if (!s) throw error(std::string("empty hlskit::") + what + " handle (default-constructed or moved from)");
  return *s;
}

std::string backend_names() {
  std::string names;
  for (const auto& b : backends()) names += (names.empty() ? "" : ", ") + std::string(b.name);
  return names;
}

std::string bytes_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }
std::string items_text(std::size_t n) { return std::to_string(n) + (n == 1 ? " item" : " items"); }

}  // namespace

const std::shared_ptr<device_state>& device_state::of(const device& d) {
  checked(d.state_, "device");
  return d.state_;
}

device device_state::make(std::string name, std::unique_ptr<backend> impl) {
  if (!impl) throw error("backend '" + name + "' could not be opened");
  auto s = std::make_shared<device_state>();
  s->name = std::move(name);
  s->impl = std::move(impl);
  return device(std::move(s));
}

buffer_state::~buffer_state() {
  if (!dev) return;
  std::lock_guard<std::recursive_mutex> g(dev->lock);
  dev->impl->release(address);
}

kernel_state::~kernel_state() {
  // The backend's kernel goes first (it may hold a run in progress), then the run's buffers.
  std::lock_guard<std::recursive_mutex> g(dev->lock);
  impl.reset();
  busy_in.reset();
  busy_out.reset();
}

hlskit::kernel kernel_state::open(const device& d, kernel_decl decl, const std::string& config) {
  const auto& dev = device_state::of(d);
  if (decl.configs.empty()) throw error("kernel '" + decl.name + "' declares no config");
  const config_decl& c = config.empty() ? decl.configs.front() : decl.config(config);
  auto k = std::make_shared<kernel_state>();
  k->dev = dev;
  k->config = c;
  k->decl = std::move(decl);
  {
    std::lock_guard<std::recursive_mutex> g(dev->lock);
    k->impl = dev->impl->open_kernel(k->decl, k->config);
  }
  if (!k->impl) throw error("backend '" + dev->name + "' returned no kernel for " + k->label());
  return hlskit::kernel(std::move(k));
}

}  // namespace detail

// ---- device -----------------------------------------------------------------------------------

device device::open(const std::string& name) { return open(name, detail::device_options{}); }

device device::open(const std::string& name, const detail::device_options& options) {
  std::string chosen = name, origin;
  if (chosen.empty()) {
    const char* env = std::getenv("HLSKIT_EMULATION");
    if (env != nullptr && *env != '\0') {
      chosen = env;
      origin = " (from HLSKIT_EMULATION)";
    } else {
      chosen = "csim";
    }
  }
  for (const auto& b : detail::backends())
    if (chosen == b.name) return detail::device_state::make(b.name, b.open(options));
  throw error("unknown backend '" + chosen + "'" + origin + " (this build has: " + detail::backend_names() + ")");
}

kernel device::kernel(const std::string& name, const std::string& config) {
  detail::checked(state_, "device");
  return detail::kernel_state::open(*this, find_kernel(name), config);
}

const std::string& device::name() const { return detail::checked(state_, "device").name; }

// ---- buffer -----------------------------------------------------------------------------------

buffer::buffer(const device& dev, std::size_t bytes) {
  const auto& d = detail::device_state::of(dev);
  if (bytes == 0) throw error("a buffer of 0 bytes: a buffer holds at least one byte");
  auto s = std::make_shared<detail::buffer_state>();
  try {
    s->host.assign(bytes, 0);
  } catch (const std::bad_alloc&) {
    throw error("cannot allocate the host copy of a buffer of " + detail::bytes_text(bytes));
  }
  {
    std::lock_guard<std::recursive_mutex> g(d->lock);
    s->address = d->impl->allocate(bytes);  // zero-filled by the backend
  }
  s->dev = d;  // from here on, the state releases the memory
  state_ = std::move(s);
}

namespace {

void check_range(const char* what, std::size_t bytes, std::size_t offset, std::size_t size) {
  if (offset > size || bytes > size - offset)
    throw error(std::string("buffer ") + what + " of " + detail::bytes_text(bytes) + " at offset " +
                std::to_string(offset) + " is out of range: the buffer holds " + detail::bytes_text(size));
}

}  // namespace

void buffer::write(const void* src, std::size_t bytes, std::size_t offset) {
  auto& s = detail::checked(state_, "buffer");
  check_range("write", bytes, offset, s.host.size());
  if (bytes == 0) return;
  if (src == nullptr) throw error("buffer write from a null pointer");
  std::lock_guard<std::recursive_mutex> g(s.dev->lock);
  std::memcpy(s.host.data() + offset, src, bytes);
}

void buffer::read(void* dst, std::size_t bytes, std::size_t offset) const {
  auto& s = detail::checked(state_, "buffer");
  check_range("read", bytes, offset, s.host.size());
  if (bytes == 0) return;
  if (dst == nullptr) throw error("buffer read into a null pointer");
  std::lock_guard<std::recursive_mutex> g(s.dev->lock);
  std::memcpy(dst, s.host.data() + offset, bytes);
}

void buffer::sync(hlskit::sync direction) { sync(direction, size(), 0); }

void buffer::sync(hlskit::sync direction, std::size_t bytes, std::size_t offset) {
  auto& s = detail::checked(state_, "buffer");
  check_range("sync", bytes, offset, s.host.size());
  if (bytes == 0) return;
  std::lock_guard<std::recursive_mutex> g(s.dev->lock);
  if (direction == hlskit::sync::to_device)
    s.dev->impl->write(s.address + offset, s.host.data() + offset, bytes);
  else
    s.dev->impl->read(s.address + offset, s.host.data() + offset, bytes);
}

std::size_t buffer::size() const { return detail::checked(state_, "buffer").host.size(); }
std::uint64_t buffer::address() const { return detail::checked(state_, "buffer").address; }

// ---- kernel -----------------------------------------------------------------------------------

void kernel::load_model(const std::string& path) {
  auto& k = detail::checked(state_, "kernel");
  std::lock_guard<std::recursive_mutex> g(k.dev->lock);
  if (k.busy)
    throw error(k.label() + ": busy: a model cannot be loaded while a run (" + detail::items_text(k.busy_items) +
                ") has not been waited to completion");
  if (!k.decl.load) throw error(k.label() + ": the kernel declares no model loader");
  std::shared_ptr<const loaded_model> m = k.decl.load(k.config.name, path);  // throws: the old model stays
  if (!m) throw error(k.label() + ": the model loader returned no model for '" + path + "'");
  const stream_layout in = m->input(), out = m->output();
  k.model.reset();  // not loaded unless programming succeeds
  k.impl->load(m);
  k.model = std::move(m);
  k.in_layout = in;
  k.out_layout = out;
}

run kernel::operator()(const buffer& in, const buffer& out, std::size_t items) {
  auto& k = detail::checked(state_, "kernel");
  const auto& bin = detail::checked(in.state_, "buffer");
  const auto& bout = detail::checked(out.state_, "buffer");
  std::lock_guard<std::recursive_mutex> g(k.dev->lock);
  const std::string who = k.label();
  if (!k.model) throw error(who + ": no model loaded (call load_model first); nothing was started");
  if (bin.dev != k.dev)
    throw error(who + ": buffer 'in' belongs to another device than the kernel's; nothing was started");
  if (bout.dev != k.dev)
    throw error(who + ": buffer 'out' belongs to another device than the kernel's; nothing was started");
  const auto need = [&](const char* name, const detail::buffer_state& b, const stream_layout& l) {
    const std::size_t each = l.item_bytes();
    const bool overflow = each != 0 && items > std::numeric_limits<std::size_t>::max() / each;
    if (overflow || b.host.size() < items * each)
      throw error(who + ": buffer '" + name + "' holds " + detail::bytes_text(b.host.size()) + ", " +
                  detail::items_text(items) + " need " +
                  (overflow ? std::string("more than SIZE_MAX") : detail::bytes_text(items * each)) + " (" +
                  detail::bytes_text(each) + " per item); nothing was started");
  };
  need("in", bin, k.in_layout);
  need("out", bout, k.out_layout);
  if (k.busy) {
    // A run whose handles are all gone cannot be waited for: poll it once.
    if (k.current.expired() && k.impl->wait(std::chrono::milliseconds(0))) k.idle();
    if (k.busy)
      throw error(who + ": busy: the previous run (" + detail::items_text(k.busy_items) +
                  ") has not been waited to completion; nothing was started");
  }
  auto r = std::make_shared<detail::run_state>();
  r->kernel = state_;
  r->items = items;
  k.impl->start(bin.address, bout.address, items);
  k.busy = true;
  k.busy_items = items;
  k.busy_in = in.state_;
  k.busy_out = out.state_;
  k.current = r;
  return run(std::move(r));
}

const std::string& kernel::name() const { return detail::checked(state_, "kernel").decl.name; }
const std::string& kernel::config() const { return detail::checked(state_, "kernel").config.name; }
bool kernel::has_model() const { return detail::checked(state_, "kernel").model != nullptr; }

stream_layout kernel::input() const {
  auto& k = detail::checked(state_, "kernel");
  if (!k.model) throw error(k.label() + ": no model loaded: the item layouts come from the model");
  return k.in_layout;
}

stream_layout kernel::output() const {
  auto& k = detail::checked(state_, "kernel");
  if (!k.model) throw error(k.label() + ": no model loaded: the item layouts come from the model");
  return k.out_layout;
}

// ---- run --------------------------------------------------------------------------------------

state run::wait(std::chrono::milliseconds timeout) {
  auto& r = detail::checked(state_, "run");
  if (timeout.count() < 0) timeout = std::chrono::milliseconds(0);
  auto& k = *r.kernel;
  std::lock_guard<std::recursive_mutex> g(k.dev->lock);
  if (r.observed == state::completed) return state::completed;
  if (!k.impl->wait(timeout))
    throw timeout_error(k.label() + " on " + k.dev->name + ": the run of " + detail::items_text(r.items) +
                        " did not complete within " + std::to_string(timeout.count()) +
                        " ms (it is still running; wait again or give up on this kernel)");
  r.timing = k.impl->timing();
  r.observed = state::completed;
  k.idle();
  return state::completed;
}

state run::state() const {
  if (!state_) return state::idle;
  std::lock_guard<std::recursive_mutex> g(state_->kernel->dev->lock);
  return state_->observed;
}

namespace {
const detail::run_state& completed(const std::shared_ptr<detail::run_state>& s, const char* what) {
  const auto& r = detail::checked(s, "run");
  std::lock_guard<std::recursive_mutex> g(r.kernel->dev->lock);
  if (r.observed != state::completed)
    throw error(r.kernel->label() + ": the run's " + what + " is known once a wait has observed its completion");
  return r;
}
}  // namespace

std::uint64_t run::cycles() const { return completed(state_, "cycle count").timing.cycles; }

std::chrono::duration<double, std::nano> run::simulated_time() const {
  return std::chrono::duration<double, std::nano>(completed(state_, "simulated time").timing.simulated_ns);
}

std::size_t run::items() const { return detail::checked(state_, "run").items; }

}  // namespace hlskit
