// The generated register maps (tools/gen_regmap, from hls/kernels/K/K.json) against the C++
// configs they describe: the per-config constants equal the config types' values, with_config
// finds every named config (default first) and refuses the rest, and every kernel header repeats
// the common ap_ctrl_hs block. The verilated models (hlskit/verilated/models.hpp) are checked
// against the same tables in test_verilated_models.
#include <string>
#include <type_traits>

#include <gtest/gtest.h>

#include "autoencoder/autoencoder.hpp"
#include "hlskit/hw/ap_ctrl_hs_hw.h"
#include "hlskit/hw/autoencoder_configs.hpp"
#include "hlskit/hw/autoencoder_hw.h"
#include "hlskit/hw/svm_configs.hpp"
#include "hlskit/hw/svm_hw.h"
#include "svm/svm.hpp"

namespace {

namespace ae = hlskit::autoencoder;
namespace sv = hlskit::svm;

template <class Expected, class F>
bool selects(F with_config, const char* name) {
  bool same = false;
  const bool found = with_config(name, [&](auto tag) { same = std::is_same_v<typename decltype(tag)::type, Expected>; });
  return found && same;
}

TEST(Regmap, ConfigsAreTheCppConfigs) {
  EXPECT_TRUE(selects<ae::econt>([](auto n, auto f) { return hlskit::hw::autoencoder::with_config(n, f); }, "econt"));
  EXPECT_TRUE(selects<ae::fpga>([](auto n, auto f) { return hlskit::hw::autoencoder::with_config(n, f); }, "fpga"));
  EXPECT_TRUE(selects<sv::default_config>([](auto n, auto f) { return hlskit::hw::svm::with_config(n, f); }, "default"));
  EXPECT_TRUE(selects<sv::tiny>([](auto n, auto f) { return hlskit::hw::svm::with_config(n, f); }, "tiny"));
  // Test-only and unknown configs are not named: an error, never a fallback.
  const auto never = [](auto) { ADD_FAILURE() << "called for an unnamed config"; };
  EXPECT_FALSE(hlskit::hw::autoencoder::with_config("r32_modes", never));
  EXPECT_FALSE(hlskit::hw::autoencoder::with_config("", never));
  EXPECT_FALSE(hlskit::hw::svm::with_config("Default", never));

  ASSERT_EQ(std::size(hlskit::hw::autoencoder::configs), 2u);
  EXPECT_EQ(std::string(hlskit::hw::autoencoder::configs[0].name), "econt");  // the default
  EXPECT_EQ(hlskit::hw::autoencoder::configs[0].clock_mhz, XAUTOENCODER_ECONT_CLOCK_MHZ);
  EXPECT_EQ(hlskit::hw::autoencoder::configs[1].clock_mhz, XAUTOENCODER_FPGA_CLOCK_MHZ);
  ASSERT_EQ(std::size(hlskit::hw::svm::configs), 2u);
  EXPECT_EQ(std::string(hlskit::hw::svm::configs[0].name), "default");
  EXPECT_EQ(hlskit::hw::svm::configs[1].clock_mhz, XSVM_TINY_CLOCK_MHZ);
}

TEST(Regmap, PerConfigConstantsEqualTheConfigTypes) {
  static_assert(XAUTOENCODER_ECONT_REUSE_FACTOR == ae::econt::reuse_factor);
  static_assert(XAUTOENCODER_FPGA_REUSE_FACTOR == ae::fpga::reuse_factor);
  // in_r: one 8x8 image of 8-bit codes per beat; out_r: 16 latents of 9 bits.
  static_assert(XAUTOENCODER_FPGA_IN_R_TDATA_BITS == 64 * ae::econt::input_t::width);
  static_assert(XAUTOENCODER_FPGA_OUT_R_TDATA_BITS == 16 * ae::econt::latent_t::width);
  static_assert(XAUTOENCODER_ECONT_IN_R_ITEM_BYTES == XAUTOENCODER_ECONT_IN_R_TDATA_BITS / 8);
  static_assert(XAUTOENCODER_ECONT_OUT_R_ITEM_BYTES == (XAUTOENCODER_ECONT_OUT_R_TDATA_BITS + 7) / 8);
  static_assert(XAUTOENCODER_ECONT_PARAMS_ENTRIES == XAUTOENCODER_FPGA_PARAMS_ENTRIES);

#define HLSKIT_CHECK_SVM(P, C)                                                                        \
  static_assert(P##_MAX_FEATURES == C::max_features && P##_MAX_SUPPORT_VECTORS == C::max_support_vectors && \
                P##_MAX_CLASSES == C::max_classes && P##_LANES == C::lanes && P##_MAX_DEGREE == C::max_degree); \
  static_assert(P##_CLASS_SUPPORT_VECTORS_ENTRIES == C::max_classes && P##_LABEL_ENTRIES == C::max_classes &&     \
                P##_RHO_ENTRIES == C::max_pairs &&                                                              \
                P##_COEF_ENTRIES == (C::max_classes - 1) * C::max_support_vectors &&                           \
                P##_SUPPORT_VECTOR_ENTRIES == C::max_support_vectors * C::max_features);                      \
  static_assert(P##_IN_R_TDATA_BITS == C::lanes * C::feature_t::width && P##_OUT_R_TDATA_BITS == 64);           \
  static_assert((1u << P##_ADDR_WIDTH) >= XSVM_CONTROL_ADDR_SUPPORT_VECTOR_BASE +                              \
                                              P##_SUPPORT_VECTOR_ENTRIES * XSVM_CONTROL_BYTES_SUPPORT_VECTOR_ENTRY);
  HLSKIT_CHECK_SVM(XSVM_DEFAULT, sv::default_config)
  HLSKIT_CHECK_SVM(XSVM_TINY, sv::tiny)
#undef HLSKIT_CHECK_SVM
  // rho is a 56-bit code in two words; the decision's binary point is metadata.
  static_assert(XSVM_CONTROL_BYTES_RHO_ENTRY * 8 >= sv::tiny::rho_t::width);
  SUCCEED();
}

TEST(Regmap, KernelHeadersRepeatTheCommonBlock) {
  static_assert(XSVM_CONTROL_ADDR_AP_CTRL == HLSKIT_AP_CTRL_ADDR_AP_CTRL && XSVM_CONTROL_ADDR_GIE == HLSKIT_AP_CTRL_ADDR_GIE &&
                XSVM_CONTROL_ADDR_IER == HLSKIT_AP_CTRL_ADDR_IER && XSVM_CONTROL_ADDR_ISR == HLSKIT_AP_CTRL_ADDR_ISR);
  static_assert(XAUTOENCODER_CONTROL_ADDR_ISR == HLSKIT_AP_CTRL_ADDR_ISR &&
                XAUTOENCODER_CONTROL_AUTO_RESTART == HLSKIT_AP_CTRL_AUTO_RESTART &&
                XSVM_CONTROL_AP_START == HLSKIT_AP_CTRL_AP_START && XSVM_CONTROL_IER_READY == HLSKIT_AP_CTRL_IER_READY);
  // count is the first argument of every kernel (kernel_decl::count_offset).
  static_assert(XSVM_CONTROL_ADDR_COUNT_DATA == HLSKIT_AP_CTRL_ADDR_ARGS &&
                XAUTOENCODER_CONTROL_ADDR_COUNT_DATA == HLSKIT_AP_CTRL_ADDR_ARGS);
  SUCCEED();
}

}  // namespace
