// The runtime's contract (hlskit/host.hpp) on csim and on a fault-injecting backend, with a
// kernel of the tests' own (test_kernel.hpp): opening, names, buffers, runs, every refusal
// (message text checked, nothing written or started), busy, timeouts, handles.
#include "test_kernel.hpp"

#include <hlskit/host.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace {

using namespace std::chrono_literals;
using hlskit::test::mac_expected;
using hlskit::test::mac_inputs;
using hlskit::test::open_mac;

// Runs `f` and returns the hlskit::error's message ("" when nothing was thrown).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const hlskit::error& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_CONTAINS(text, needle) \
  EXPECT_NE(std::string(text).find(needle), std::string::npos) << "'" << (needle) << "' not in: " << (text)

struct env_guard {
  std::string name, old;
  bool had;
  env_guard(const char* n, const char* value) : name(n) {
    const char* o = std::getenv(n);
    had = o != nullptr;
    if (had) old = o;
    if (value != nullptr) ::setenv(n, value, 1);
    else ::unsetenv(n);
  }
  ~env_guard() {
    if (had) ::setenv(name.c_str(), old.c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

std::vector<std::uint8_t> read_all(const hlskit::buffer& b) {
  std::vector<std::uint8_t> v(b.size());
  b.read(v.data(), v.size());
  return v;
}

// A device whose kernels run on csim memory but can be stalled (never raising done), as the
// systemc and rtl backends do with a stalled output stream; timing is made up but non-zero.
struct fault_flags {
  std::atomic<bool> stalled{false};
  std::atomic<int> waits{0}, starts{0};
};

class fault_kernel final : public hlskit::detail::backend_kernel {
 public:
  fault_kernel(std::unique_ptr<backend_kernel> inner, std::shared_ptr<fault_flags> f)
      : inner_(std::move(inner)), flags_(std::move(f)) {}
  void load(std::shared_ptr<const hlskit::loaded_model> m) override { inner_->load(std::move(m)); }
  void start(std::uint64_t in, std::uint64_t out, std::size_t items) override {
    ++flags_->starts;
    items_ = items;
    inner_->start(in, out, items);
  }
  bool wait(std::chrono::milliseconds timeout) override {
    ++flags_->waits;
    if (flags_->stalled) {
      std::this_thread::sleep_for(timeout);
      return false;
    }
    return inner_->wait(timeout);
  }
  hlskit::detail::run_timing timing() const override { return {3 * items_ + 4, 10.0 * (3 * items_ + 4) + 50}; }

 private:
  std::unique_ptr<backend_kernel> inner_;
  std::shared_ptr<fault_flags> flags_;
  std::size_t items_ = 0;
};

class fault_backend final : public hlskit::detail::backend {
 public:
  explicit fault_backend(std::shared_ptr<fault_flags> f)
      : mem_(hlskit::detail::open_csim({})), flags_(std::move(f)) {}
  std::uint64_t allocate(std::size_t bytes) override { return mem_->allocate(bytes); }
  void release(std::uint64_t a) noexcept override { mem_->release(a); }
  void write(std::uint64_t a, const std::uint8_t* s, std::size_t n) override { mem_->write(a, s, n); }
  void read(std::uint64_t a, std::uint8_t* d, std::size_t n) override { mem_->read(a, d, n); }
  std::unique_ptr<hlskit::detail::backend_kernel> open_kernel(const hlskit::kernel_decl& k,
                                                              const hlskit::config_decl& c) override {
    return std::make_unique<fault_kernel>(mem_->open_kernel(k, c), flags_);
  }

 private:
  std::unique_ptr<backend> mem_;
  std::shared_ptr<fault_flags> flags_;
};

hlskit::device fault_device(const std::shared_ptr<fault_flags>& flags) {
  return hlskit::detail::device_state::make("faulty", std::make_unique<fault_backend>(flags));
}

// ---- devices and names ------------------------------------------------------------------------

TEST(HostDevice, OpensCsimByDefaultAndFromTheEnvironment) {
  {
    env_guard e("HLSKIT_EMULATION", nullptr);
    EXPECT_EQ(hlskit::device::open().name(), "csim");
  }
  {
    env_guard e("HLSKIT_EMULATION", "");
    EXPECT_EQ(hlskit::device::open().name(), "csim");
  }
  {
    env_guard e("HLSKIT_EMULATION", "csim");
    EXPECT_EQ(hlskit::device::open("").name(), "csim");
  }
  {
    env_guard e("HLSKIT_EMULATION", "hw_emu");
    const std::string m = error_of([] { hlskit::device::open(); });
    EXPECT_CONTAINS(m, "unknown backend 'hw_emu' (from HLSKIT_EMULATION)");
    EXPECT_CONTAINS(m, "this build has: csim");
    EXPECT_EQ(hlskit::device::open("csim").name(), "csim");  // an explicit name wins
  }
}

TEST(HostDevice, UnknownBackendListsTheBackends) {
  const std::string m = error_of([] { hlskit::device::open("fpga"); });
  std::string names;
  for (const auto& b : hlskit::detail::backends()) names += (names.empty() ? "" : ", ") + std::string(b.name);
  EXPECT_EQ(m, "unknown backend 'fpga' (this build has: " + names + ")");
#if HLSKIT_HAVE_PLATFORM
  EXPECT_EQ(names, "csim, systemc, rtl");
#else
  EXPECT_EQ(names, "csim");
#endif
}

TEST(HostDevice, UnknownKernelIsAnErrorNamingItAndTheKernels) {
  auto dev = hlskit::device::open("csim");
  const std::string m = error_of([&] { dev.kernel("nosuchkernel"); });
  EXPECT_CONTAINS(m, "nosuchkernel");
  for (const auto& k : hlskit::kernels()) EXPECT_CONTAINS(m, k.name);
}

TEST(HostDevice, UnknownConfigListsTheConfigsAndEmptyMeansTheFirst) {
  auto dev = hlskit::device::open("csim");
  const std::string m = error_of([&] { open_mac(dev, "paper"); });
  EXPECT_CONTAINS(m, "paper");
  EXPECT_CONTAINS(m, "wide");
  EXPECT_CONTAINS(m, "narrow");
  EXPECT_EQ(open_mac(dev).config(), "wide");
  EXPECT_EQ(open_mac(dev, "narrow").config(), "narrow");
  EXPECT_EQ(open_mac(dev).name(), "mac");
}

// ---- runs -------------------------------------------------------------------------------------

TEST(HostRun, CsimGivesTheKernelsOutputsComputedOnWait) {
  auto dev = hlskit::device::open("csim");
  auto k = open_mac(dev, "narrow");
  EXPECT_FALSE(k.has_model());
  k.load_model();
  EXPECT_TRUE(k.has_model());
  EXPECT_EQ(k.input().item_bytes(), 6u);
  EXPECT_EQ(k.output().item_bytes(), 3u);
  const std::size_t items = 1000;
  const auto data = mac_inputs(items);
  hlskit::buffer in(dev, data.size()), out(dev, 3 * items);
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  const int calls = hlskit::test::mac_csim_calls;
  hlskit::run r = k(in, out, items);
  EXPECT_EQ(r.state(), hlskit::state::running);
  EXPECT_EQ(hlskit::test::mac_csim_calls, calls) << "csim computes on wait, not on start";
  EXPECT_EQ(r.wait(5s), hlskit::state::completed);
  EXPECT_EQ(hlskit::test::mac_csim_calls, calls + 1);
  EXPECT_EQ(r.state(), hlskit::state::completed);
  EXPECT_EQ(r.items(), items);
  EXPECT_EQ(r.cycles(), 0u);
  EXPECT_EQ(r.simulated_time().count(), 0.0);
  // The host copy changes only on sync from the device.
  EXPECT_EQ(read_all(out), std::vector<std::uint8_t>(3 * items, 0));
  out.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(out), mac_expected(data, 2));
  EXPECT_EQ(r.wait(0ms), hlskit::state::completed);  // again: at once
  EXPECT_EQ(hlskit::test::mac_csim_calls, calls + 1);
}

TEST(HostRun, ModelsLoadAndAFailedLoadKeepsThePreviousModel) {
  auto dev = hlskit::device::open("csim");
  auto k = open_mac(dev, "narrow");
  const std::string dir = ::testing::TempDir();
  const std::string good = dir + "/mac_gain7.model", big = dir + "/mac_gain200.model", bad = dir + "/mac_bad.model";
  std::ofstream(good) << "gain 7\n";
  std::ofstream(big) << "gain 200\n";
  std::ofstream(bad) << "weights 1 2 3\n";
  k.load_model(good);
  EXPECT_EQ(error_of([&] { k.load_model(big); }), big + ": field 'gain': 200 does not fit config 'narrow' (at most 100)");
  EXPECT_EQ(error_of([&] { k.load_model(bad); }), bad + ": field 'gain': expected 'gain N' with N in 0..255");
  EXPECT_EQ(error_of([&] { k.load_model(dir + "/none.model"); }), dir + "/none.model: cannot open the model");
  const auto data = mac_inputs(10, 3);
  hlskit::buffer in(dev, data.size()), out(dev, 30);
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  k(in, out, 10).wait(1s);
  out.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(out), mac_expected(data, 7));
  std::remove(good.c_str()), std::remove(big.c_str()), std::remove(bad.c_str());
}

TEST(HostRun, InPlaceAndZeroItemRuns) {
  auto dev = hlskit::device::open("csim");
  auto k = open_mac(dev);
  k.load_model();
  const auto data = mac_inputs(50, 9);
  hlskit::buffer io(dev, data.size());
  io.write(data.data(), data.size());
  io.sync(hlskit::sync::to_device);
  k(io, io, 50).wait(1s);
  io.sync(hlskit::sync::from_device);
  auto got = read_all(io);
  got.resize(150);
  EXPECT_EQ(got, mac_expected(data, 1));
  hlskit::run r = k(io, io, 0);
  EXPECT_EQ(r.wait(1s), hlskit::state::completed);
}

// ---- refusals: nothing written, nothing started -----------------------------------------------

class HostRefusal : public ::testing::Test {
 protected:
  std::shared_ptr<fault_flags> flags = std::make_shared<fault_flags>();
  hlskit::device dev = fault_device(flags);
  hlskit::kernel k = open_mac(dev);
  std::vector<std::uint8_t> data = mac_inputs(10);

  // `out` holds a pattern in its host copy and in device memory; after a refused start both
  // must still hold it, and no start may have reached the backend.
  void expect_untouched(hlskit::buffer& out, int starts_before) {
    std::vector<std::uint8_t> pattern(out.size());
    for (std::size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<std::uint8_t>(0xA5 ^ i);
    EXPECT_EQ(read_all(out), pattern) << "host copy written";
    out.sync(hlskit::sync::from_device);
    EXPECT_EQ(read_all(out), pattern) << "device memory written";
    EXPECT_EQ(flags->starts, starts_before) << "a refused run reached the backend";
  }
  hlskit::buffer patterned(std::size_t bytes) {
    hlskit::buffer b(dev, bytes);
    std::vector<std::uint8_t> pattern(bytes);
    for (std::size_t i = 0; i < bytes; ++i) pattern[i] = static_cast<std::uint8_t>(0xA5 ^ i);
    b.write(pattern.data(), bytes);
    b.sync(hlskit::sync::to_device);
    return b;
  }
};

TEST_F(HostRefusal, RunBeforeAModelIsLoaded) {
  hlskit::buffer in(dev, 60);
  auto out = patterned(30);
  EXPECT_EQ(error_of([&] { k(in, out, 10); }), "mac/wide: no model loaded (call load_model first); nothing was started");
  expect_untouched(out, 0);
  EXPECT_EQ(error_of([&] { k.input(); }), "mac/wide: no model loaded: the item layouts come from the model");
}

TEST_F(HostRefusal, BuffersTooSmall) {
  k.load_model();
  hlskit::buffer in(dev, 60), small_in(dev, 59);
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  auto out = patterned(29);
  EXPECT_EQ(error_of([&] { k(small_in, out, 10); }),
            "mac/wide: buffer 'in' holds 59 bytes, 10 items need 60 bytes (6 bytes per item); nothing was started");
  EXPECT_EQ(error_of([&] { k(in, out, 10); }),
            "mac/wide: buffer 'out' holds 29 bytes, 10 items need 30 bytes (3 bytes per item); nothing was started");
  EXPECT_CONTAINS(error_of([&] { k(in, out, SIZE_MAX / 2); }), "need more than SIZE_MAX");
  expect_untouched(out, 0);
  // Not busy: a run that fits starts.
  auto fits = patterned(30);
  k(in, fits, 10).wait(1s);
  fits.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(fits), mac_expected(data, 1));
}

TEST_F(HostRefusal, BufferOfAnotherDevice) {
  k.load_model();
  auto other = hlskit::device::open("csim");
  hlskit::buffer foreign_in(other, 60), in(dev, 60), foreign_out(other, 30);
  auto out = patterned(30);
  EXPECT_EQ(error_of([&] { k(foreign_in, out, 10); }),
            "mac/wide: buffer 'in' belongs to another device than the kernel's; nothing was started");
  EXPECT_EQ(error_of([&] { k(in, foreign_out, 10); }),
            "mac/wide: buffer 'out' belongs to another device than the kernel's; nothing was started");
  expect_untouched(out, 0);
}

TEST_F(HostRefusal, ASecondStartWhileBusy) {
  k.load_model();
  hlskit::buffer in(dev, 60);
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  auto out = patterned(30), out2 = patterned(30);
  hlskit::run first = k(in, out, 10);
  EXPECT_EQ(flags->starts, 1);
  EXPECT_EQ(error_of([&] { k(in, out2, 10); }),
            "mac/wide: busy: the previous run (10 items) has not been waited to completion; nothing was started");
  EXPECT_EQ(error_of([&] { k.load_model(); }),
            "mac/wide: busy: a model cannot be loaded while a run (10 items) has not been waited to completion");
  expect_untouched(out2, 1);
  // Another compute unit of the same kernel is not busy.
  auto k2 = open_mac(dev);
  k2.load_model();
  k2(in, out2, 10).wait(1s);
  // Busy until a wait observes the completion, then free.
  EXPECT_EQ(first.wait(1s), hlskit::state::completed);
  hlskit::run second = k(in, out, 10);
  EXPECT_EQ(second.wait(1s), hlskit::state::completed);
  out.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(out), mac_expected(data, 1));
}

TEST_F(HostRefusal, ARunWhoseHandlesAreGoneIsPolledAtTheNextStart) {
  k.load_model();
  hlskit::buffer in(dev, 60);
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  {
    hlskit::buffer out(dev, 30);
    k(in, out, 10);  // the run and its out buffer handle dropped: the memory stays until completion
  }
  flags->stalled = true;
  hlskit::buffer out(dev, 30);
  EXPECT_EQ(error_of([&] { k(in, out, 10); }),
            "mac/wide: busy: the previous run (10 items) has not been waited to completion; nothing was started");
  flags->stalled = false;
  EXPECT_EQ(k(in, out, 10).wait(1s), hlskit::state::completed);
  out.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(out), mac_expected(data, 1));
}

// ---- timeouts ---------------------------------------------------------------------------------

TEST(HostTimeout, AStalledRunTimesOutWithinTheTimeoutAndCanBeWaitedAgain) {
  auto flags = std::make_shared<fault_flags>();
  auto dev = fault_device(flags);
  auto k = open_mac(dev, "narrow");
  k.load_model();
  const auto data = mac_inputs(20);
  hlskit::buffer in(dev, data.size()), out(dev, 60);
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  flags->stalled = true;
  hlskit::run r = k(in, out, 20);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    r.wait(200ms);
    ADD_FAILURE() << "no timeout_error";
  } catch (const hlskit::timeout_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "mac/narrow on faulty: the run of 20 items did not complete within 200 ms (it is still running; wait "
              "again or give up on this kernel)");
  }
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(waited, 0.2);
  EXPECT_LT(waited, 5.0);
  EXPECT_EQ(r.state(), hlskit::state::running);
  EXPECT_CONTAINS(error_of([&] { r.cycles(); }), "mac/narrow: the run's cycle count is known once a wait has observed");
  EXPECT_CONTAINS(error_of([&] { k(in, out, 20); }), "busy");
  flags->stalled = false;
  EXPECT_EQ(r.wait(1s), hlskit::state::completed);
  EXPECT_EQ(r.cycles(), 64u);
  EXPECT_DOUBLE_EQ(r.simulated_time().count(), 690.0);
  out.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(out), mac_expected(data, 2));
}

// ---- buffers ----------------------------------------------------------------------------------

TEST(HostBuffer, WriteReadSyncAndRanges) {
  auto dev = hlskit::device::open("csim");
  hlskit::buffer a(dev, 100), b(dev, 5000);
  EXPECT_EQ(a.size(), 100u);
  EXPECT_NE(a.address(), 0u);
  EXPECT_NE(a.address(), b.address());
  EXPECT_EQ(read_all(a), std::vector<std::uint8_t>(100, 0));
  const std::uint8_t bytes[4] = {1, 2, 3, 4};
  a.write(bytes, 4, 96);
  std::uint8_t back[4] = {};
  a.read(back, 4, 96);
  EXPECT_EQ(std::vector<std::uint8_t>(back, back + 4), std::vector<std::uint8_t>(bytes, bytes + 4));
  EXPECT_EQ(error_of([&] { a.write(bytes, 4, 97); }),
            "buffer write of 4 bytes at offset 97 is out of range: the buffer holds 100 bytes");
  EXPECT_EQ(error_of([&] { a.read(back, 1, 100); }),
            "buffer read of 1 byte at offset 100 is out of range: the buffer holds 100 bytes");
  EXPECT_EQ(error_of([&] { a.read(back, SIZE_MAX, 2); }),
            "buffer read of " + std::to_string(SIZE_MAX) + " bytes at offset 2 is out of range: the buffer holds 100 bytes");
  EXPECT_EQ(error_of([&] { a.sync(hlskit::sync::to_device, 10, 95); }),
            "buffer sync of 10 bytes at offset 95 is out of range: the buffer holds 100 bytes");
  // Partial sync moves only its range.
  a.sync(hlskit::sync::to_device, 2, 96);  // device: 1 2 at 96..97
  const std::uint8_t zeros[4] = {};
  a.write(zeros, 4, 96);
  a.sync(hlskit::sync::from_device);
  a.read(back, 4, 96);
  EXPECT_EQ(std::vector<std::uint8_t>(back, back + 4), (std::vector<std::uint8_t>{1, 2, 0, 0}));
  EXPECT_EQ(error_of([&] { hlskit::buffer(dev, 0); }), "a buffer of 0 bytes: a buffer holds at least one byte");
  EXPECT_EQ(error_of([&] { hlskit::buffer(hlskit::device(), 10); }),
            "empty hlskit::device handle (default-constructed or moved from)");
}

TEST(HostBuffer, DeviceMemoryIsBoundsChecked) {
  auto mem = hlskit::detail::open_csim({});
  const auto a = mem->allocate(10);
  std::uint8_t x[11] = {};
  mem->write(a, x, 10);
  EXPECT_CONTAINS(error_of([&] { mem->write(a, x, 11); }), "csim: device write of 11 bytes at 0x");
  EXPECT_CONTAINS(error_of([&] { mem->read(a + 5, x, 6); }), "is outside every allocated buffer");
  mem->release(a);
  EXPECT_CONTAINS(error_of([&] { mem->read(a, x, 1); }), "is outside every allocated buffer");
  EXPECT_EQ(error_of([&] { mem->allocate(0); }), "csim: a device allocation of 0 bytes");
}

// ---- handles ----------------------------------------------------------------------------------

TEST(HostHandles, MoveLeavesAnEmptyHandleCopiesShare) {
  static_assert(std::is_nothrow_move_constructible_v<hlskit::buffer>);
  static_assert(std::is_nothrow_move_constructible_v<hlskit::run>);
  auto dev = hlskit::device::open("csim");
  hlskit::buffer a(dev, 16);
  hlskit::buffer b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_TRUE(b);
  EXPECT_EQ(error_of([&] { a.size(); }), "empty hlskit::buffer handle (default-constructed or moved from)");
  hlskit::buffer c = b;  // a second handle to the same memory
  const std::uint8_t v = 42;
  c.write(&v, 1, 3);
  std::uint8_t got = 0;
  b.read(&got, 1, 3);
  EXPECT_EQ(got, 42);
  EXPECT_EQ(b.address(), c.address());

  auto k = open_mac(dev);
  hlskit::kernel k2 = std::move(k);
  EXPECT_FALSE(k);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(error_of([&] { k.load_model(); }), "empty hlskit::kernel handle (default-constructed or moved from)");
  hlskit::run r;
  EXPECT_EQ(r.state(), hlskit::state::idle);
  EXPECT_EQ(error_of([&] { r.wait(1ms); }), "empty hlskit::run handle (default-constructed or moved from)");
  hlskit::device d2 = std::move(dev);
  EXPECT_FALSE(dev);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(error_of([&] { dev.kernel("mac"); }), "empty hlskit::device handle (default-constructed or moved from)");
}

TEST(HostHandles, TheDeviceLivesAsLongAsItsKernelsAndBuffers) {
  hlskit::kernel k;
  hlskit::buffer in, out;
  const auto data = mac_inputs(5);
  {
    auto dev = hlskit::device::open("csim");
    k = open_mac(dev);
    in = hlskit::buffer(dev, 30);
    out = hlskit::buffer(dev, 15);
  }
  k.load_model();
  in.write(data.data(), data.size());
  in.sync(hlskit::sync::to_device);
  hlskit::run r = k(in, out, 5);
  k = hlskit::kernel();  // the run keeps its kernel
  in = hlskit::buffer();
  EXPECT_EQ(r.wait(1s), hlskit::state::completed);
  out.sync(hlskit::sync::from_device);
  EXPECT_EQ(read_all(out), mac_expected(data, 1));
}

TEST(HostHandles, ThreadsShareADevice) {
  auto dev = hlskit::device::open("csim");
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto k = open_mac(dev);
      k.load_model();
      const auto data = mac_inputs(200, static_cast<unsigned>(t + 1));
      for (int i = 0; i < 20; ++i) {
        hlskit::buffer in(dev, data.size()), out(dev, 600);
        in.write(data.data(), data.size());
        in.sync(hlskit::sync::to_device);
        k(in, out, 200).wait(5s);
        out.sync(hlskit::sync::from_device);
        good += read_all(out) == mac_expected(data, 1);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(good, 80);
}

}  // namespace
