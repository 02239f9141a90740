// The kernels' own declarations (hlskit::autoencoder::declaration(), hlskit::svm::declaration(),
// hlskit::sparse_llm::declaration(), whose weights are a side input)
// with their embedded default models on the systemc and rtl backends: outputs byte-identical to
// csim on both, and the declarations' cycles() checked against the RTL (the systemc backend runs
// cycles() through the same memory and mover, so the two backends' cycle counts differ by the
// declaration's error only).
#include <gtest/gtest.h>

#include <hlskit/kernel.hpp>

#include "platform_test_util.hpp"

namespace hlskit::autoencoder {
kernel_decl declaration();
}
namespace hlskit::svm {
kernel_decl declaration();
}
namespace hlskit::sparse_llm {
kernel_decl declaration();
}

namespace {

using namespace platform_test;
using hlskit::detail::device_options;

struct kernel_case {
  hlskit::kernel_decl (*decl)();
  const char* config;
  std::size_t items;
};

// Random items: every 16-bit lane of the svm's items too (lanes past the model's features are
// junk the kernel ignores, and the csim reads exactly the features the RTL reads).
std::vector<std::uint8_t> items_for(const hlskit::loaded_model& m, std::size_t n, std::uint64_t seed) {
  return random_bytes(n * m.input().item_bytes(), seed);
}

class PlatformKernels : public ::testing::TestWithParam<kernel_case> {};

TEST_P(PlatformKernels, SameBytesOnEveryBackendAndCyclesMatchTheRtl) {
  const kernel_case c = GetParam();
  const hlskit::kernel_decl decl = c.decl();
  const hlskit::config_decl* cfg = nullptr;
  for (const auto& x : decl.configs)
    if (x.name == c.config) cfg = &x;
  ASSERT_NE(cfg, nullptr) << c.config;
  std::shared_ptr<const hlskit::loaded_model> m = decl.load(c.config, "");
  const auto in = items_for(*m, c.items, 42);
  const auto want = csim(*m, in, c.items);

  auto sdev = hlskit::platform::open_systemc({});
  auto sk = sdev->open_kernel(decl, *cfg);
  sk->load(m);
  const job s = run_items(*sdev, *sk, *m, in, c.items);
  ASSERT_TRUE(s.completed);
  EXPECT_EQ(differing_bits(s.out, want), 0u);

  auto rdev = hlskit::platform::open_rtl({});
  auto rk = rdev->open_kernel(decl, *cfg);
  rk->load(m);
  const job r = run_items(*rdev, *rk, *m, in, c.items);
  ASSERT_TRUE(r.completed);
  EXPECT_EQ(differing_bits(r.out, want), 0u);

  // cycles() is the RTL's, exactly (tests/cosim/test_cycle_model); the two backends differ only
  // by when the platform's memory delivers the first input beat: at most 2 cycles here.
  const double tolerance = 2.0;
  EXPECT_NEAR(static_cast<double>(r.timing.cycles), static_cast<double>(s.timing.cycles), tolerance)
      << decl.name << " " << c.config << ": declaration cycles(" << c.items << ") = " << m->cycles(c.items);
  // From a random initial state, with back-pressure: the same bytes.
  device_options o;
  o.random_init = 2024;
  o.seed = 6;
  o.input_gaps = 0.25;
  o.output_stalls = 0.5;
  auto pdev = hlskit::platform::open_rtl(o);
  auto pk = pdev->open_kernel(decl, *cfg);
  pk->load(m);
  const job p = run_items(*pdev, *pk, *m, in, c.items);
  ASSERT_TRUE(p.completed);
  EXPECT_EQ(differing_bits(p.out, want), 0u);
}

INSTANTIATE_TEST_SUITE_P(Declarations, PlatformKernels,
                         ::testing::Values(kernel_case{&hlskit::autoencoder::declaration, "econt", 300},
                                           kernel_case{&hlskit::autoencoder::declaration, "fpga", 300},
                                           kernel_case{&hlskit::svm::declaration, "default", 60},
                                           // whole batches and a partial one
                                           kernel_case{&hlskit::sparse_llm::declaration, "tiny", 11},
                                           kernel_case{&hlskit::sparse_llm::declaration, "paper", 9}),
                         [](const auto& info) { return info.param.decl().name + "_" + info.param.config; });

}  // namespace
