// The kernel declarations (hlskit/kernel.hpp): every declared kernel and config loads its
// embedded model; its C simulation through the declaration's memory layout equals the C++
// kernel called directly, code for code; its register program and layouts follow the register
// map; lookups and loaders fail with messages that name the choices or the file.
#include <hlskit/autoencoder/hardware.hpp>
#include <hlskit/autoencoder/model.hpp>
#include <hlskit/hw/autoencoder_hw.h>
#include <hlskit/hw/svm_hw.h>
#include <hlskit/kernel.hpp>
#include <hlskit/svm/hardware.hpp>
#include <hlskit/svm/model.hpp>
#include <hlskit/svm/quantize.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace ae = hlskit::autoencoder;
namespace sv = hlskit::svm;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hlskit::error& e) {
    return e.what();
  }
  return "(no hlskit::error)";
}

TEST(KernelDeclaration, EveryKernelAndConfigLoadsItsEmbeddedModel) {
  ASSERT_GE(hlskit::kernels().size(), 2u);
  for (const auto& k : hlskit::kernels()) {
    ASSERT_FALSE(k.configs.empty()) << k.name;
    EXPECT_NE(k.count_offset, 0u) << k.name;
    for (const auto& c : k.configs) {
      SCOPED_TRACE(k.name + "/" + c.name);
      EXPECT_GT(c.clock_mhz, 0);
      const auto m = k.load(c.name, "");
      ASSERT_TRUE(m);
      EXPECT_GT(m->input().item_bytes(), 0u);
      EXPECT_GT(m->output().item_bytes(), 0u);
      EXPECT_FALSE(m->registers().empty());
      EXPECT_GT(m->cycles(10), m->cycles(1));
      for (const auto& w : m->registers()) {
        EXPECT_EQ(w.offset % 4, 0u);
        EXPECT_GE(w.offset, 0x14u) << "the model writes no ap_ctrl_hs register nor count";
      }
    }
  }
}

TEST(KernelDeclaration, UnknownNamesListTheChoices) {
  EXPECT_EQ(error_of([] { hlskit::find_kernel("nope"); }), "unknown kernel 'nope' (kernels: autoencoder, svm, sparse_llm)");
  EXPECT_EQ(error_of([] { hlskit::find_kernel("svm").config("huge"); }),
            "kernel 'svm' has no config 'huge' (configs: default, tiny)");
  EXPECT_EQ(error_of([] { hlskit::find_kernel("autoencoder").load("r2", ""); }),
            "kernel 'autoencoder' has no config 'r2' (configs: econt, fpga)");
}

TEST(KernelDeclaration, LoadersNameTheFile) {
  const std::string missing = "/nonexistent/model.json";
  EXPECT_NE(error_of([&] { hlskit::find_kernel("autoencoder").load("econt", missing); }).find(missing), std::string::npos);
  // The breast-cancer model has 30 features: it does not fit `tiny` (8).
  const std::string bc = sv::default_model_path("default");
  const std::string msg = error_of([&] { hlskit::find_kernel("svm").load("tiny", bc); });
  EXPECT_NE(msg.find("breast_cancer"), std::string::npos) << msg;
  EXPECT_NE(msg.find("8 features"), std::string::npos) << msg;
}

// The autoencoder's csim through the memory layout equals encode() on the same codes.
TEST(KernelDeclaration, AutoencoderCsimIsTheKernel) {
  const ae::model model = ae::load_model(ae::default_model_path());
  const auto w = std::make_unique<ae::weights<ae::fpga>>(ae::to_weights<ae::fpga>(model));
  const auto m = hlskit::find_kernel("autoencoder").load("fpga", "");
  ASSERT_EQ(m->input().item_bytes(), 64u);
  ASSERT_EQ(m->output().item_bytes(), 18u);
  std::mt19937_64 rng(5);
  const std::size_t n = 500;
  std::vector<std::uint8_t> in(n * 64), out(n * 18, 0xAA);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = i < 64 ? 255 : i < 128 ? 0 : static_cast<std::uint8_t>(rng());
  m->csim(in.data(), out.data(), n);
  for (std::size_t i = 0; i < n; ++i) {
    ae::fpga::input_t x[64];
    for (int p = 0; p < 64; ++p) x[p] = ae::fpga::input_t::from_raw(in[i * 64 + static_cast<std::size_t>(p)]);
    ae::fpga::latent_t y[16];
    ae::encode<ae::fpga>(x, *w, y);
    for (int k = 0; k < 16; ++k) {
      std::uint32_t code = 0;
      for (int b = 0; b < 9; ++b) {
        const std::size_t bit = static_cast<std::size_t>(9 * k + b);
        code |= ((out[i * 18 + bit / 8] >> (bit % 8)) & 1u) << b;
      }
      ASSERT_EQ(code, static_cast<std::uint32_t>(y[k].raw())) << "image " << i << " latent " << k;
    }
  }
  // The register program: every parameter, sign-extended, at PARAMS_BASE + 4 i.
  const auto regs = m->registers();
  const auto bank = model.parameters();
  ASSERT_EQ(regs.size(), bank.size());
  for (std::size_t i = 0; i < bank.size(); ++i) {
    EXPECT_EQ(regs[i].offset, XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4 * i);
    EXPECT_EQ(static_cast<std::int32_t>(regs[i].value), bank[i]);
  }
  EXPECT_EQ(m->cycles(100), ae::run_cycles<ae::fpga>(100));
}

// The svm's csim through the memory layout equals classify() on the same codes.
TEST(KernelDeclaration, SvmCsimIsTheKernel) {
  for (const std::string config : {"default", "tiny"}) {
    SCOPED_TRACE(config);
    const auto m = hlskit::find_kernel("svm").load(config, "");
    const auto run = [&](auto cfg) {
      using C = decltype(cfg);
      const sv::model_set l = sv::load_model_set("", "", config, C::max_features);
      sv::feature_inputs fi;
      fi.model = &l.model;
      fi.ranges = l.ranges ? &*l.ranges : nullptr;
      fi.max_features = C::max_features;
      const int features = sv::plan_features(fi).features;
      const auto q = sv::quantize_model<C>(l.model, features, l.name, config, l.ranges ? &*l.ranges : nullptr);
      const auto& p = *q.params;
      ASSERT_EQ(m->input().item_bytes(), static_cast<std::size_t>(2 * C::lanes * sv::beats_per_vector(p)));
      ASSERT_EQ(m->output().item_bytes(), static_cast<std::size_t>(8 * (1 + sv::pairs(p))));
      EXPECT_EQ(m->registers().size(), sv::register_program(p).size());
      std::mt19937_64 rng(9);
      const std::size_t n = 300, ib = m->input().item_bytes(), ob = m->output().item_bytes();
      std::vector<std::uint8_t> in(n * ib, 0), out(n * ob, 0xAA);
      for (std::size_t i = 0; i < n; ++i)
        for (int j = 0; j < features; ++j) {
          // codes within the scaled range, with the extremes in the first vectors
          const std::int16_t c = i == 0 ? INT16_MIN : i == 1 ? INT16_MAX : static_cast<std::int16_t>(static_cast<int>(rng() % 16385) - 8192);
          std::memcpy(&in[i * ib + 2 * static_cast<std::size_t>(j)], &c, 2);
        }
      m->csim(in.data(), out.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        typename C::feature_t x[C::max_features] = {};
        for (int j = 0; j < features; ++j) {
          std::int16_t c;
          std::memcpy(&c, &in[i * ib + 2 * static_cast<std::size_t>(j)], 2);
          x[j] = C::feature_t::from_raw(c);
        }
        sv::result<C> r;
        sv::classify<C>(x, p, r);
        std::int64_t head, d;
        std::memcpy(&head, &out[i * ob], 8);
        ASSERT_EQ(head & 0xFFFFFFFF, static_cast<std::uint32_t>(r.label)) << i;
        ASSERT_EQ(head >> 32, static_cast<std::int64_t>(r.class_index.raw())) << i;
        for (int q2 = 0; q2 < sv::pairs(p); ++q2) {
          std::memcpy(&d, &out[i * ob + 8 * static_cast<std::size_t>(q2 + 1)], 8);
          ASSERT_EQ(d, static_cast<std::int64_t>(r.decision[q2].raw())) << i << " pair " << q2;
        }
      }
    };
    if (config == "tiny") run(sv::tiny{});
    else run(sv::default_config{});
  }
}

}  // namespace
