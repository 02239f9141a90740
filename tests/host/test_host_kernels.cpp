// The registered kernels (hlskit::kernels(), every config) through the runtime.
// csim: the outputs equal the kernel's C++ (loaded_model::csim called directly) on random raw
// items. With the emulation platform (HLSKIT_HAVE_PLATFORM): the same host program gives
// identical outputs on csim, systemc and rtl for both kernels; a stalled output stream gives
// timeout_error within the timeout, never a hang; a zero-item run completes or times out, never
// hangs; the simulated backends report cycles and simulated time.
#include <hlskit/detail/backend.hpp>
#include <hlskit/host.hpp>
#include <hlskit/stimulus.hpp>

#include <gtest/gtest.h>


namespace {

using namespace std::chrono_literals;

struct case_t {
  std::string kernel, config;
};
// Every config of every registered kernel.
std::vector<case_t> cases() {
  std::vector<case_t> v;
  for (const auto& k : hlskit::kernels())
    for (const auto& c : k.configs) v.push_back({k.name, c.name});
  return v;
}

struct outcome {
  std::vector<std::uint8_t> out;
  std::uint64_t cycles = 0;
  double simulated_ns = 0;
};

// The host program of the issue: open, load the embedded model, write, run, wait, read.
outcome run_on(const std::string& backend, const case_t& c, const std::vector<std::uint8_t>& in_bytes,
               std::size_t items, const hlskit::detail::device_options& options = {}) {
  auto dev = hlskit::device::open(backend, options);
  auto k = dev.kernel(c.kernel, c.config);
  k.load_model("");
  hlskit::buffer in(dev, std::max<std::size_t>(1, in_bytes.size())),
      out(dev, std::max<std::size_t>(1, items * k.output().item_bytes()));
  in.write(in_bytes.data(), in_bytes.size());
  in.sync(hlskit::sync::to_device);
  hlskit::run r = k(in, out, items);
  EXPECT_EQ(r.wait(120s), hlskit::state::completed);
  out.sync(hlskit::sync::from_device);
  outcome o;
  o.out.resize(items * k.output().item_bytes());
  out.read(o.out.data(), o.out.size());
  o.cycles = r.cycles();
  o.simulated_ns = r.simulated_time().count();
  return o;
}

TEST(HostKernels, CsimEqualsTheKernelsCpp) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(std::string(c.kernel) + "/" + c.config);
    const auto& decl = hlskit::find_kernel(c.kernel);
    const auto model = decl.load(c.config, "");
    for (std::size_t items : {std::size_t{1}, std::size_t{1000}}) {
      const auto in = hlskit::random_items(model->input(), items, 7);
      std::vector<std::uint8_t> expected(items * model->output().item_bytes());
      model->csim(in.data(), expected.data(), items);
      const outcome o = run_on("csim", c, in, items);
      EXPECT_EQ(o.out, expected);
      EXPECT_EQ(o.cycles, 0u);
      EXPECT_EQ(o.simulated_ns, 0.0);
    }
  }
}

TEST(HostKernels, EveryConfigOpensAndTheDefaultIsTheFirst) {
  auto dev = hlskit::device::open("csim");
  for (const auto& decl : hlskit::kernels()) {
    EXPECT_EQ(dev.kernel(decl.name).config(), decl.configs.front().name);
    for (const auto& c : decl.configs) {
      auto k = dev.kernel(decl.name, c.name);
      k.load_model();
      EXPECT_GT(k.input().item_bytes(), 0u);
      EXPECT_GT(k.output().item_bytes(), 0u);
    }
    try {
      dev.kernel(decl.name, "nosuchconfig");
      ADD_FAILURE() << "no error";
    } catch (const hlskit::error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("nosuchconfig"), std::string::npos) << m;
      for (const auto& c : decl.configs) EXPECT_NE(m.find(c.name), std::string::npos) << m;
    }
  }
}

#if HLSKIT_HAVE_PLATFORM

TEST(HostKernels, IdenticalOutputsOnEveryBackend) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(std::string(c.kernel) + "/" + c.config);
    const auto model = hlskit::find_kernel(c.kernel).load(c.config, "");
    const std::size_t items = 200;
    const auto in = hlskit::random_items(model->input(), items, 11);
    const outcome csim = run_on("csim", c, in, items);
    for (const char* backend : {"systemc", "rtl"}) {
      SCOPED_TRACE(backend);
      const outcome o = run_on(backend, c, in, items);
      EXPECT_EQ(o.out, csim.out);
      EXPECT_GT(o.cycles, 0u);
      EXPECT_GT(o.simulated_ns, 0.0);
      EXPECT_GE(o.cycles, model->cycles(items));  // the timing model is the unstalled minimum
    }
    // With random gaps and stalls on the streams: the same bytes.
    hlskit::detail::device_options bp;
    bp.seed = 5;
    bp.input_gaps = 0.3;
    bp.output_stalls = 0.3;
    bp.random_init = 7;
    EXPECT_EQ(run_on("rtl", c, in, items, bp).out, csim.out);
  }
}

// A run that never raises done must end in timeout_error within the timeout (plus the time one
// simulation slice takes), never a hang.
void expect_timeout(const std::string& backend, const case_t& c, std::size_t items,
                    const hlskit::detail::device_options& options) {
  auto dev = hlskit::device::open(backend, options);
  auto k = dev.kernel(c.kernel, c.config);
  k.load_model();
  hlskit::buffer in(dev, std::max<std::size_t>(1, items * k.input().item_bytes())),
      out(dev, std::max<std::size_t>(1, items * k.output().item_bytes()));
  in.sync(hlskit::sync::to_device);
  hlskit::run r = k(in, out, items);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    r.wait(500ms);
    ADD_FAILURE() << backend << ": no timeout_error";
  } catch (const hlskit::timeout_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(std::string(c.kernel) + "/" + c.config), std::string::npos) << m;
    EXPECT_NE(m.find(std::to_string(items) + " item"), std::string::npos) << m;
    EXPECT_NE(m.find("500 ms"), std::string::npos) << m;
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
  EXPECT_EQ(r.state(), hlskit::state::running);
  EXPECT_THROW(k(in, out, items), hlskit::error);  // busy
}

TEST(HostKernels, AStalledOutputStreamTimesOut) {
  for (const auto& c : cases()) {
    hlskit::detail::device_options stalled;
    stalled.output_stalls = 1;
    for (const char* backend : {"systemc", "rtl"}) expect_timeout(backend, c, 50, stalled);
  }
}

// A zero-item run: the kernel shell (rtl/common) raises done at once, so it completes; an RTL top
// without it would never raise done, and the wait must then end in timeout_error, never a hang.
TEST(HostKernels, AZeroItemRunCompletesOrTimesOutNeverHangs) {
  for (const auto& c : cases()) {
    for (const char* backend : {"csim", "systemc", "rtl"}) {
      SCOPED_TRACE(std::string(c.kernel) + "/" + c.config + " on " + backend);
      auto dev = hlskit::device::open(backend);
      auto k = dev.kernel(c.kernel, c.config);
      k.load_model();
      hlskit::buffer in(dev, 1), out(dev, 8);
      const std::uint8_t pattern[8] = {1, 2, 3, 4, 5, 6, 7, 8};
      out.write(pattern, 8);
      out.sync(hlskit::sync::to_device);
      hlskit::run r = k(in, out, 0);
      const auto t0 = std::chrono::steady_clock::now();
      try {
        EXPECT_EQ(r.wait(2s), hlskit::state::completed);
        out.sync(hlskit::sync::from_device);
        std::uint8_t back[8] = {};
        out.read(back, 8);
        EXPECT_EQ(std::vector<std::uint8_t>(back, back + 8), std::vector<std::uint8_t>(pattern, pattern + 8));
      } catch (const hlskit::timeout_error& e) {
        EXPECT_NE(std::string(backend), "csim") << e.what();
        EXPECT_NE(std::string(e.what()).find("0 items did not complete within 2000 ms"), std::string::npos) << e.what();
      }
      EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
    }
  }
}

#endif  // HLSKIT_HAVE_PLATFORM

}  // namespace
