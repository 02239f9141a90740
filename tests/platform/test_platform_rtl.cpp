// The rtl backend (emulation/platform): the Verilated kernel tops in the virtual platform, driven
// only through their ports. Outputs equal the C++ kernel bit for bit (random items, random stream
// gaps and stalls, random initial state); faults time out; several kernels and devices coexist.
#include <gtest/gtest.h>

#include "platform_test_util.hpp"
#include "test_models.hpp"

namespace {

using namespace platform_test;
using hlskit::detail::device_options;

device_options pressure(std::uint32_t random_init, std::uint64_t seed) {
  device_options o;
  o.random_init = random_init;
  o.seed = seed;
  o.input_gaps = 0.3;
  o.output_stalls = 0.4;
  return o;
}

// The cycles the systemc backend gives the same run (same outputs too).
std::uint64_t systemc_cycles(const hlskit::kernel_decl& decl, std::size_t config, std::shared_ptr<const hlskit::loaded_model> m,
                             const std::vector<std::uint8_t>& in, std::size_t items) {
  auto dev = hlskit::platform::open_systemc({});
  auto k = dev->open_kernel(decl, decl.configs[config]);
  k->load(m);
  const job j = run_items(*dev, *k, *m, in, items);
  EXPECT_TRUE(j.completed);
  EXPECT_EQ(differing_bits(j.out, csim(*m, in, items)), 0u);
  return j.timing.cycles;
}

TEST(PlatformRtl, SvmTinyBitExact) {
  const auto decl = svm_decl();
  auto m = std::make_shared<svm_model>(random_svm(21));
  const std::size_t items = 120, few = 5;
  const auto in = random_bytes(items * m->input().item_bytes(), 4);
  const auto want = csim(*m, in, items);
  const std::vector<std::uint8_t> in_few(in.begin(), in.begin() + static_cast<long>(few * m->input().item_bytes()));
  const std::vector<std::uint8_t> want_few(want.begin(), want.begin() + static_cast<long>(few * m->output().item_bytes()));
  for (const device_options& o : {device_options{}, pressure(12345, 3), pressure(777, 4)}) {
    auto dev = hlskit::platform::open_rtl(o);
    auto k = dev->open_kernel(decl, decl.configs[1]);
    k->load(m);
    const job j = run_items(*dev, *k, *m, in, items);
    ASSERT_TRUE(j.completed);
    EXPECT_EQ(differing_bits(j.out, want), 0u) << "random_init " << o.random_init << " gaps " << o.input_gaps;
    EXPECT_GE(j.timing.simulated_ns, static_cast<double>(j.timing.cycles) * 10.0);
    // A second run on the same kernel, fewer items.
    const job j2 = run_items(*dev, *k, *m, in_few, few);
    ASSERT_TRUE(j2.completed);
    EXPECT_EQ(differing_bits(j2.out, want_few), 0u);
    if (o.input_gaps == 0) {
      // The systemc backend's model of the same runs: this test model's cycles() is svm_top's
      // steady-state figure, a few cycles short of the first vector's pipeline fill, so the check
      // is on the cycles the extra 115 vectors take (the memory's share is in both backends).
      const std::uint64_t sc_many = systemc_cycles(decl, 1, m, in, items), sc_few = systemc_cycles(decl, 1, m, in_few, few);
      EXPECT_NEAR(static_cast<double>(j.timing.cycles - j2.timing.cycles), static_cast<double>(sc_many - sc_few), 4.0);
      EXPECT_NEAR(static_cast<double>(j.timing.cycles), static_cast<double>(sc_many), 16.0);
    } else {
      EXPECT_GT(j.timing.cycles, m->cycles(items));
    }
  }
}

TEST(PlatformRtl, AutoencoderFpgaBitExact) {
  const auto decl = ae_decl();
  auto m = std::make_shared<ae_model>(random_ae_params(5));
  const std::size_t items = 300;
  const auto in = random_bytes(items * 64, 6);
  const auto want = csim(*m, in, items);
  for (const device_options& o : {device_options{}, pressure(4242, 9)}) {
    auto dev = hlskit::platform::open_rtl(o);
    auto k = dev->open_kernel(decl, decl.configs[1]);
    k->load(m);
    const job j = run_items(*dev, *k, *m, in, items);
    ASSERT_TRUE(j.completed);
    EXPECT_EQ(differing_bits(j.out, want), 0u) << "random_init " << o.random_init;
    if (o.input_gaps == 0)
      EXPECT_NEAR(static_cast<double>(j.timing.cycles), static_cast<double>(systemc_cycles(decl, 1, m, in, items)), 4.0);
  }
}

TEST(PlatformRtl, AutoencoderEcontBitExact) {
  // R = 1: one 64-byte image per cycle at 40 MHz, the mover at full rate.
  const auto decl = ae_decl();
  auto m = std::make_shared<ae_model_t<hlskit::verilated::autoencoder_econt>>(random_ae_params(15));
  const std::size_t items = 200;
  const auto in = random_bytes(items * 64, 16);
  const auto want = csim(*m, in, items);
  for (const device_options& o : {device_options{}, pressure(31337, 17)}) {
    auto dev = hlskit::platform::open_rtl(o);
    auto k = dev->open_kernel(decl, decl.configs[0]);
    k->load(m);
    const job j = run_items(*dev, *k, *m, in, items);
    ASSERT_TRUE(j.completed);
    EXPECT_EQ(differing_bits(j.out, want), 0u) << "random_init " << o.random_init;
    if (o.input_gaps == 0)
      EXPECT_NEAR(static_cast<double>(j.timing.cycles), static_cast<double>(systemc_cycles(decl, 0, m, in, items)), 4.0);
  }
}

TEST(PlatformRtl, OutputStalledForGoodTimesOut) {
  device_options o;
  o.output_stalls = 1.0;
  auto dev = hlskit::platform::open_rtl(o);
  const auto decl = svm_decl();
  auto k = dev->open_kernel(decl, decl.configs[1]);
  auto m = std::make_shared<svm_model>(random_svm(2));
  k->load(m);
  const auto in = random_bytes(10 * m->input().item_bytes(), 1);
  const auto t0 = std::chrono::steady_clock::now();
  const job j = run_items(*dev, *k, *m, in, 10, 300ms);
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(j.completed);
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 10s);
}

TEST(PlatformRtl, InterruptLineEndsTheWait) {
  auto dev = hlskit::platform::open_rtl({});
  const auto decl = svm_decl();
  auto k = dev->open_kernel(decl, decl.configs[1]);
  auto quiet = std::make_shared<svm_model>(random_svm(3), std::vector<hlskit::register_write>{{0x04, 0}});  // GIE off
  k->load(quiet);
  const auto in = random_bytes(4 * quiet->input().item_bytes(), 1);
  EXPECT_FALSE(run_items(*dev, *k, *quiet, in, 4, 300ms).completed);
}

TEST(PlatformRtl, TwoKernelsAndDevices) {
  const auto sd = svm_decl();
  const auto ad = ae_decl();
  auto sm = std::make_shared<svm_model>(random_svm(8));
  auto am = std::make_shared<ae_model>(random_ae_params(8));
  const auto sin = random_bytes(20 * sm->input().item_bytes(), 2);
  const auto ain = random_bytes(20 * 64, 3);
  for (int round = 0; round < 2; ++round) {
    auto dev = hlskit::platform::open_rtl(pressure(99 + static_cast<std::uint32_t>(round), 5));
    auto ks = dev->open_kernel(sd, sd.configs[1]);
    auto ka = dev->open_kernel(ad, ad.configs[1]);
    ks->load(sm);
    ka->load(am);
    EXPECT_EQ(differing_bits(run_items(*dev, *ks, *sm, sin, 20).out, csim(*sm, sin, 20)), 0u);
    EXPECT_EQ(differing_bits(run_items(*dev, *ka, *am, ain, 20).out, csim(*am, ain, 20)), 0u);
  }
  // A random initial state Verilator cannot replay.
  device_options bad;
  bad.random_init = 0x80000000u;
  auto bad_dev = hlskit::platform::open_rtl(bad);
  EXPECT_THROW(bad_dev->open_kernel(sd, sd.configs[1]), hlskit::error);
  // A config without a verilated model, and a kernel the backend does not know.
  auto dev = hlskit::platform::open_rtl({});
  hlskit::kernel_decl other = sd;
  other.name = "nope";
  try {
    dev->open_kernel(other, other.configs[1]);
    FAIL() << "no error";
  } catch (const hlskit::error& e) {
    EXPECT_NE(std::string(e.what()).find("svm tiny"), std::string::npos) << e.what();
  }
}

TEST(PlatformRtl, SpeedAgainstRawCosim) {
  // Items per second, 1,000 images on the autoencoder fpga config: rtl backend vs the raw harness
  // (stream_bench). Reported, not asserted.
  const auto decl = ae_decl();
  const auto params = random_ae_params(11);
  auto m = std::make_shared<ae_model>(params);
  const std::size_t items = 1000;
  const auto in = random_bytes(items * 64, 12);
  auto dev = hlskit::platform::open_rtl({});
  auto k = dev->open_kernel(decl, decl.configs[1]);
  // Both sides: the parameter load (2,144 AXI-Lite writes), 1,000 images, the C++ expectations.
  const auto t0 = std::chrono::steady_clock::now();
  k->load(m);
  const job j = run_items(*dev, *k, *m, in, items);
  const auto want = csim(*m, in, items);
  const auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(j.completed);
  EXPECT_EQ(differing_bits(j.out, want), 0u);

  ae_top::stimulus_set s{{"speed", params, items}, {}};
  for (std::size_t i = 0; i < items; ++i) {
    ae_top::image img;
    std::copy(in.begin() + static_cast<long>(64 * i), in.begin() + static_cast<long>(64 * (i + 1)), img.begin());
    s.images.push_back(img);
  }
  hlskit::cosim::run_options ro;
  const auto t2 = std::chrono::steady_clock::now();
  const auto r = ae_top::run_sets<ae_driver>(ro, {s}, nullptr);
  const auto t3 = std::chrono::steady_clock::now();
  ASSERT_TRUE(r.passed());
  const double rtl_s = std::chrono::duration<double>(t1 - t0).count(), raw_s = std::chrono::duration<double>(t3 - t2).count();
  std::printf("autoencoder fpga, %zu images: rtl backend %.3g items/s, raw cosim %.3g items/s "
              "(both with the parameter load and the C++ expectations): rtl / raw %.2f\n",
              items, static_cast<double>(items) / rtl_s, static_cast<double>(items) / raw_s, raw_s / rtl_s);
}

}  // namespace
