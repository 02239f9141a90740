// The virtual platform's parts (vp.hpp).
#include "vp.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <thread>

namespace hlskit::platform::vp {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

std::string hex(std::uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// ---- contexts ---------------------------------------------------------------------------------
namespace {
std::recursive_mutex& sc_lock() {
  static std::recursive_mutex m;
  return m;
}
}  // namespace

sim_context::sim_context() {
  std::lock_guard<std::recursive_mutex> l(sc_lock());
  sc_core::sc_simcontext* const prev_curr = sc_core::sc_curr_simcontext;
  sc_core::sc_simcontext* const prev_default = sc_core::sc_default_global_context;
  ctx_ = new sc_core::sc_simcontext;
  // sc_start(SC_ZERO_TIME) with nothing to do is how the platform settles a delta cycle, not a
  // mistake worth a warning on every call.
  sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_, sc_core::SC_DO_NOTHING);
  sc_core::sc_curr_simcontext = prev_curr;
  sc_core::sc_default_global_context = prev_default;
}

sim_context::~sim_context() {
  std::lock_guard<std::recursive_mutex> l(sc_lock());
  sc_core::sc_simcontext* const prev_curr = sc_core::sc_curr_simcontext;
  sc_core::sc_simcontext* const prev_default = sc_core::sc_default_global_context;
  sc_core::sc_curr_simcontext = sc_core::sc_default_global_context = ctx_;
  delete ctx_;
  sc_core::sc_curr_simcontext = prev_curr == ctx_ ? nullptr : prev_curr;
  sc_core::sc_default_global_context = prev_default == ctx_ ? nullptr : prev_default;
}

context_scope::context_scope(const sim_context& c)
    : lock_(sc_lock()), ctx_(c.get()), prev_curr_(sc_core::sc_curr_simcontext),
      prev_default_(sc_core::sc_default_global_context) {
  sc_core::sc_curr_simcontext = sc_core::sc_default_global_context = ctx_;
}

void context_scope::yield(std::chrono::steady_clock::duration d) {
  sc_core::sc_curr_simcontext = prev_curr_;
  sc_core::sc_default_global_context = prev_default_;
  lock_.unlock();  // a nested scope of this thread still holds the lock: then nobody else gets in
  if (d > std::chrono::steady_clock::duration::zero()) std::this_thread::sleep_for(d);
  else std::this_thread::yield();
  lock_.lock();
  prev_curr_ = sc_core::sc_curr_simcontext;
  prev_default_ = sc_core::sc_default_global_context;
  sc_core::sc_curr_simcontext = sc_core::sc_default_global_context = ctx_;
}

context_scope::~context_scope() {
  sc_core::sc_curr_simcontext = prev_curr_;
  sc_core::sc_default_global_context = prev_default_;
}

// ---- memory -----------------------------------------------------------------------------------
namespace {
constexpr std::uint64_t page = 4096;
std::uint64_t round_up(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }
}  // namespace

memory::memory(sc_core::sc_module_name name, std::uint64_t capacity)
    : sc_module(name), socket("socket"), capacity_(capacity),
      data_(static_cast<std::uint8_t*>(std::calloc(static_cast<std::size_t>(capacity), 1))) {
  if (!data_) throw hlskit::error("device memory: cannot reserve " + std::to_string(capacity) + " bytes");
  socket.register_b_transport(this, &memory::b_transport);
  socket.register_transport_dbg(this, &memory::transport_dbg);
}

memory::~memory() { std::free(data_); }

std::uint64_t memory::allocate(std::size_t bytes) {
  const std::uint64_t need = round_up(std::max<std::uint64_t>(bytes, 1), page);
  std::uint64_t at = 0;
  for (const auto& [off, len] : used_) {
    if (off - at >= need) break;
    at = off + len;
  }
  if (at + need > capacity_)
    throw hlskit::error("device memory: cannot allocate " + std::to_string(bytes) + " bytes (" +
                        std::to_string(capacity_) + " bytes in all, " + std::to_string(used_.size()) +
                        " buffers allocated)");
  used_[at] = need;
  std::memset(data_ + at, 0, static_cast<std::size_t>(need));  // a fresh buffer reads zero
  return memory_base + at;
}

void memory::release(std::uint64_t address) noexcept {
  if (address >= memory_base) used_.erase(address - memory_base);
}

void memory::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
  const std::uint64_t a = gp.get_address();
  const std::uint64_t n = gp.get_data_length();
  if (gp.get_byte_enable_ptr()) {
    gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (a > capacity_ || n > capacity_ - a) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (gp.is_read()) std::memcpy(gp.get_data_ptr(), data_ + a, static_cast<std::size_t>(n));
  else if (gp.is_write()) std::memcpy(data_ + a, gp.get_data_ptr(), static_cast<std::size_t>(n));
  delay += ns(memory_latency_ns) + bus_cycles(static_cast<double>((n + bus_bytes - 1) / bus_bytes));
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned memory::transport_dbg(tlm::tlm_generic_payload& gp) {
  const std::uint64_t a = gp.get_address();
  std::uint64_t n = gp.get_data_length();
  if (a >= capacity_) return 0;
  n = std::min(n, capacity_ - a);
  if (gp.is_read()) std::memcpy(gp.get_data_ptr(), data_ + a, static_cast<std::size_t>(n));
  else if (gp.is_write()) std::memcpy(data_ + a, gp.get_data_ptr(), static_cast<std::size_t>(n));
  return static_cast<unsigned>(n);
}

// ---- router -----------------------------------------------------------------------------------
router::router(sc_core::sc_module_name name) : sc_module(name), in("in"), out("out") {
  in.register_b_transport(this, &router::b_transport);
  in.register_transport_dbg(this, &router::transport_dbg);
}

void router::map(std::uint64_t base, std::uint64_t size, std::string name) {
  map_.push_back({base, size, std::move(name)});
}

const router::range* router::decode(std::uint64_t a, unsigned len, int& index) const {
  for (std::size_t i = 0; i < map_.size(); ++i) {
    const range& r = map_[i];
    if (a >= r.base && a - r.base < r.size && len <= r.size - (a - r.base)) {
      index = static_cast<int>(i);
      return &r;
    }
  }
  return nullptr;
}

void router::b_transport(int, tlm::tlm_generic_payload& gp, sc_time& delay) {
  const std::uint64_t a = gp.get_address();
  int i = 0;
  const range* r = decode(a, gp.get_data_length(), i);
  delay += bus_cycles(hop_cycles);
  if (!r) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  gp.set_address(a - r->base);
  out[i]->b_transport(gp, delay);
  gp.set_address(a);
}

unsigned router::transport_dbg(int, tlm::tlm_generic_payload& gp) {
  const std::uint64_t a = gp.get_address();
  int i = 0;
  const range* r = decode(a, gp.get_data_length(), i);
  if (!r) return 0;
  gp.set_address(a - r->base);
  const unsigned n = out[i]->transport_dbg(gp);
  gp.set_address(a);
  return n;
}

// ---- mover ------------------------------------------------------------------------------------
mover::mover(sc_core::sc_module_name name, slot& owner)
    : sc_module(name), regs("regs"), master("master"), owner_(owner) {
  regs.register_b_transport(this, &mover::b_transport);
  SC_HAS_PROCESS(mover);
  SC_METHOD(on_done);
  sensitive << done_ev_;
  dont_initialize();
}

void mover::reset_run() {
  done_ev_.cancel();
  started_ = done_ = false;
  error_.clear();
}

void mover::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
  const std::uint64_t a = gp.get_address();
  if (gp.get_data_length() != 4 || a % 4 || a >= sizeof words_) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  delay += bus_cycles(register_cycles);
  std::uint32_t v = 0;
  const std::size_t w = static_cast<std::size_t>(a / 4);
  if (gp.is_write()) {
    std::memcpy(&v, gp.get_data_ptr(), 4);
    if (a == mover_reg::ctrl) {
      if ((v & 1u) && !(started_ && !done_ && error_.empty())) {
        auto q = [&](std::uint32_t r) { return words_[r / 4]; };
        prog_.src = q(mover_reg::src_lo) | std::uint64_t{q(mover_reg::src_hi)} << 32;
        prog_.dst = q(mover_reg::dst_lo) | std::uint64_t{q(mover_reg::dst_hi)} << 32;
        prog_.items = q(mover_reg::items);
        prog_.in_beat_bytes = q(mover_reg::in_beat_bytes);
        prog_.in_beats = q(mover_reg::in_beats);
        prog_.out_beat_bytes = q(mover_reg::out_beat_bytes);
        prog_.out_beats = q(mover_reg::out_beats);
        reset_run();
        started_ = true;
        start_time_ = sc_core::sc_time_stamp() + delay;
        owner_.wake(delay);
      }
    } else {
      words_[w] = v;
    }
  } else if (gp.is_read()) {
    v = a == mover_reg::ctrl ? (started_ && !done_ && error_.empty() ? mover_reg::busy : 0u) |
                                   (done_ ? mover_reg::done : 0u) | (error_.empty() ? 0u : mover_reg::error)
                             : words_[w];
    std::memcpy(gp.get_data_ptr(), &v, 4);
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

namespace {
sc_time transfer(tlm_utils::simple_initiator_socket<mover>& s, tlm::tlm_command cmd, std::uint64_t address,
                 std::uint8_t* p, std::size_t bytes, sc_time at, const std::string& who) {
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(dma_chunk, bytes - done);
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(address + done);
    gp.set_data_ptr(p + done);
    gp.set_data_length(static_cast<unsigned>(n));
    gp.set_streaming_width(static_cast<unsigned>(n));
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    const sc_time now = sc_core::sc_time_stamp();
    sc_time delay = at > now ? at - now : SC_ZERO_TIME;
    s->b_transport(gp, delay);
    if (gp.is_response_error())
      throw hlskit::error(who + ": " + (cmd == tlm::TLM_READ_COMMAND ? "read" : "write") + " of " +
                          std::to_string(n) + " bytes at " + hex(address + done) + ": " + gp.get_response_string());
    at = now + delay;
    done += n;
  }
  return at;
}
}  // namespace

sc_time mover::read(std::uint64_t address, std::uint8_t* dst, std::size_t bytes, sc_time at) {
  return transfer(master, tlm::TLM_READ_COMMAND, address, dst, bytes, at, std::string(name()));
}
sc_time mover::write(std::uint64_t address, const std::uint8_t* src, std::size_t bytes, sc_time at) {
  return transfer(master, tlm::TLM_WRITE_COMMAND, address, const_cast<std::uint8_t*>(src), bytes, at,
                  std::string(name()));
}

void mover::finish(sc_time at) {
  const sc_time now = sc_core::sc_time_stamp();
  done_ev_.cancel();
  if (at <= now) {
    done_ = true;
    owner_.mover_done();
  } else {
    done_ev_.notify(at - now);
  }
}

void mover::on_done() {
  done_ = true;
  owner_.mover_done();
}

void mover::fail(const std::string& why) {
  error_ = why;
  owner_.mover_done();
}

// ---- slot -------------------------------------------------------------------------------------
slot::slot(sc_core::sc_module_name name, unsigned index)
    : sc_module(name), regs("regs"), dm("mover", *this), irq("irq"), index_(index) {
  regs.register_b_transport(this, &slot::b_transport);
  SC_HAS_PROCESS(slot);
  SC_THREAD(thread);
  SC_METHOD(irq_method);
  sensitive << irq_q_;
  dont_initialize();
  SC_METHOD(progress_method);
  sensitive << progress_ << irq;
  dont_initialize();
}

void slot::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
  if (!impl_) {  // no kernel opened in this slot: nothing answers
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  impl_->registers(gp, delay);
}

void slot::wake(const sc_time& delay) {
  pending_wake_ = true;
  wake_ev_.notify(delay);
}

void slot::wait_until(const sc_time& t) {
  const sc_time now = sc_core::sc_time_stamp();
  if (t > now) wait(t - now, detach_ev_);
  if (detaching_ || stopping_) throw slot_detached{};
}

void slot::wait_wake() {
  while (!pending_wake_ && !detaching_ && !stopping_) wait(wake_ev_ | detach_ev_);
  if (detaching_ || stopping_) throw slot_detached{};
  pending_wake_ = false;
}

void slot::park() {
  while (!detaching_ && !stopping_) wait(detach_ev_);
  throw slot_detached{};
}

void slot::thread() {
  for (;;) {
    while (!pending_wake_ && !stopping_) wait(wake_ev_ | detach_ev_);
    if (stopping_) return;
    pending_wake_ = false;
    if (!impl_) continue;
    in_work_ = true;
    try {
      impl_->work();
    } catch (const slot_detached&) {
    } catch (const std::exception& e) {
      thread_error_ = e.what();
      progress_.notify(SC_ZERO_TIME);
    }
    in_work_ = false;
    if (stopping_) return;
  }
}

void slot::detach() {
  if (in_work_) {
    detaching_ = true;
    detach_ev_.notify();
    sc_core::sc_start(SC_ZERO_TIME);  // the thread unwinds out of work()
    sc_core::sc_start(SC_ZERO_TIME);
    if (in_work_)  // cannot happen: the thread waits on detach_ev_ wherever it waits inside work()
      std::fprintf(stderr, "hlskit platform: %s: the closed kernel's run did not stop\n", name());
  }
  detaching_ = false;
  pending_wake_ = false;
  impl_ = nullptr;
  irq_q_.cancel_all();
  irq_levels_.clear();
  irq_head_ = 0;
  irq.write(false);
  dm.reset_run();
  thread_error_.clear();
  sc_core::sc_start(SC_ZERO_TIME);
}

void slot::stop_thread() {
  stopping_ = true;
  detach_ev_.notify();
  wake_ev_.notify();
}

void slot::set_irq(bool level, const sc_time& at) {
  const sc_time now = sc_core::sc_time_stamp();
  irq_levels_.push_back(level);
  irq_q_.notify(at > now ? at - now : SC_ZERO_TIME);
}

void slot::irq_method() {
  if (irq_head_ < irq_levels_.size()) irq.write(irq_levels_[irq_head_++]);
  if (irq_head_ == irq_levels_.size()) {
    irq_levels_.clear();
    irq_head_ = 0;
  }
}

// Anything the host may be waiting for happened: let sc_start return so it can look.
void slot::progress_method() { sc_core::sc_pause(); }

// ---- host -------------------------------------------------------------------------------------
host::host(sc_core::sc_module_name name) : sc_module(name), socket("socket") {}

void host::transport(tlm::tlm_command cmd, std::uint64_t address, std::uint8_t* p, std::size_t bytes) {
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(dma_chunk, bytes - done);
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(address + done);
    gp.set_data_ptr(p + done);
    gp.set_data_length(static_cast<unsigned>(n));
    gp.set_streaming_width(static_cast<unsigned>(n));
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = local_;
    socket->b_transport(gp, delay);
    local_ = delay;
    if (gp.is_response_error())
      throw hlskit::error(std::string("host: ") + (cmd == tlm::TLM_READ_COMMAND ? "read" : "write") + " of " +
                          std::to_string(n) + " bytes at device address " + hex(address + done) + ": " +
                          (gp.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE
                               ? "no device memory or register there (TLM_ADDRESS_ERROR_RESPONSE)"
                               : gp.get_response_string()));
    done += n;
  }
  if (local_ >= ns(quantum_ns)) sync();  // the platform's own quantum: tlm_global_quantum is the user's
}

void host::write(std::uint64_t address, const void* src, std::size_t bytes) {
  transport(tlm::TLM_WRITE_COMMAND, address, const_cast<std::uint8_t*>(static_cast<const std::uint8_t*>(src)), bytes);
}
void host::read(std::uint64_t address, void* dst, std::size_t bytes) {
  transport(tlm::TLM_READ_COMMAND, address, static_cast<std::uint8_t*>(dst), bytes);
}

void host::sync() {
  const sc_time target = sc_core::sc_time_stamp() + local_;
  local_ = SC_ZERO_TIME;
  while (sc_core::sc_time_stamp() < target) sc_core::sc_start(target - sc_core::sc_time_stamp());
}

bool host::run_until(const std::function<bool()>& done, sc_time slice, std::chrono::steady_clock::time_point deadline,
                     context_scope& scope) {
  sync();
  auto last_yield = std::chrono::steady_clock::now();
  for (;;) {
    if (done()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (!sc_core::sc_pending_activity()) {  // nothing will happen any more: only the clock on the wall runs
      scope.yield(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(2), deadline - now));
      last_yield = std::chrono::steady_clock::now();
      continue;
    }
    sc_core::sc_start(slice);
    // Other threads' devices get in every millisecond, not after every slice: on a loaded machine
    // each yield can give the core away for a scheduler tick (the svm's 2,000-cycle slices at
    // 10,000 items made the systemc backend 4.5x slower than csim that way).
    if (std::chrono::steady_clock::now() - last_yield >= std::chrono::milliseconds(1)) {
      scope.yield();
      last_yield = std::chrono::steady_clock::now();
    }
  }
}

// ---- device -----------------------------------------------------------------------------------
device_model::device_model(const detail::device_options& opt) : options(opt) {
  context_scope scope(context);
  guarded("systemc platform: elaboration", [&] {
    cpu = std::make_unique<host>("host");
    bus = std::make_unique<router>("router");
    mem = std::make_unique<memory>("memory", default_memory_bytes);
    cpu->socket.bind(bus->in);
    bus->out.bind(mem->socket);
    bus->map(memory_base, mem->capacity(), "memory");
    for (unsigned i = 0; i < vp::slots; ++i) {
      slots.push_back(std::make_unique<slot>(("slot" + std::to_string(i)).c_str(), i));
      slot& s = *slots.back();
      s.dm.master.bind(bus->in);
      bus->out.bind(s.regs);
      bus->map(kernel_base + i * kernel_span, kernel_span, "kernel slot " + std::to_string(i));
      bus->out.bind(s.dm.regs);
      bus->map(mover_base + i * mover_span, mover_span, "mover " + std::to_string(i));
    }
    sc_core::sc_start(SC_ZERO_TIME);  // elaboration ends here
  });
}

device_model::~device_model() {
  context_scope scope(context);
  try {
    for (auto& s : slots) s->stop_thread();
    if (sc_core::sc_get_status() != sc_core::SC_STOPPED) sc_core::sc_start(SC_ZERO_TIME);
  } catch (...) {
  }
  slots.clear();
  mem.reset();
  bus.reset();
  cpu.reset();
}

slot& device_model::free_slot(const std::string& who) {
  for (auto& s : slots)
    if (!s->impl()) return *s;
  throw hlskit::error(who + ": every kernel slot of this device is in use (" + std::to_string(vp::slots) +
                      " kernels at once); close one first");
}

}  // namespace hlskit::platform::vp

// libsystemc refers to sc_main (its own main() calls it); a program that links the platform has
// its own main, so this weak default only satisfies the link. A program that defines sc_main wins.
extern "C" __attribute__((weak)) int sc_main(int, char**) {
  std::fprintf(stderr, "hlskit platform: sc_main called, but this program does not define one\n");
  return 1;
}
