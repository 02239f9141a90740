// Test kernels for the platform backends: a toy C model for the systemc backend, and loaded_models
// of the svm and the autoencoder from random parameters (not model files), on the same hardware
// rules as the kernels' declarations (hlskit/{svm,autoencoder}/hardware.hpp: register program,
// layouts, timing), for random-parameter coverage the embedded models do not give.
#pragma once

#include <hlskit/detail/backend.hpp>
#include <hlskit/kernel.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include <hlskit/autoencoder/hardware.hpp>
#include <hlskit/svm/hardware.hpp>

#include "autoencoder/cosim.hpp"
#include "svm/cosim.hpp"
#include "hlskit/verilated/models.hpp"

namespace platform_test {

using hlskit::loaded_model;
using hlskit::register_write;
using hlskit::stream_layout;

// ---- toy: out = (a * scale + b) mod 2^24 per item of two 32-bit beats --------------------------
constexpr std::uint32_t toy_scale_reg = 0x20;

class toy_model final : public loaded_model {
 public:
  explicit toy_model(std::uint32_t scale, std::vector<register_write> extra = {}) : scale_(scale), extra_(std::move(extra)) {}
  stream_layout input() const override { return {32, 2}; }
  stream_layout output() const override { return {24, 1}; }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    for (std::size_t i = 0; i < items; ++i) {
      std::uint32_t a, b;
      std::memcpy(&a, in + 8 * i, 4);
      std::memcpy(&b, in + 8 * i + 4, 4);
      const std::uint32_t y = (a * scale_ + b) & 0xFFFFFFu;
      out[3 * i] = static_cast<std::uint8_t>(y);
      out[3 * i + 1] = static_cast<std::uint8_t>(y >> 8);
      out[3 * i + 2] = static_cast<std::uint8_t>(y >> 16);
    }
  }
  std::vector<register_write> registers() const override {
    std::vector<register_write> w = {{toy_scale_reg, scale_}};
    w.insert(w.end(), extra_.begin(), extra_.end());
    return w;
  }
  std::uint64_t cycles(std::size_t items) const override { return 100 + 10 * items; }  // latency 110, II 10

 private:
  std::uint32_t scale_;
  std::vector<register_write> extra_;
};

inline hlskit::kernel_decl toy_decl() {
  hlskit::kernel_decl k;
  k.name = "toy";
  k.summary = "test kernel";
  k.configs = {{"default", "100 MHz", 100.0}};
  k.count_offset = 0x10;
  return k;
}

// ---- svm tiny ----------------------------------------------------------------------------------
namespace svm = hlskit::svm;
namespace svm_top = hlskit::cosim::svm_top;
using svm_cfg = svm::tiny;

class svm_model final : public loaded_model {
 public:
  explicit svm_model(std::shared_ptr<const svm::parameters<svm_cfg>> p, std::vector<register_write> extra = {})
      : p_(std::move(p)), extra_(std::move(extra)) {}
  stream_layout input() const override { return svm::input_layout(*p_); }
  stream_layout output() const override { return svm::output_layout(*p_); }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    const std::size_t ib = input().item_bytes(), ob = output().item_bytes();
    for (std::size_t i = 0; i < items; ++i) svm::classify_item<svm_cfg>(in + i * ib, out + i * ob, *p_);
  }
  std::vector<register_write> registers() const override {
    std::vector<register_write> w = svm::register_program(*p_);
    w.insert(w.end(), extra_.begin(), extra_.end());
    return w;
  }
  std::uint64_t cycles(std::size_t items) const override {  // the declaration's rule (host/src/svm/declaration.cpp)
    return items == 0 ? 2 : items * svm::cycles_per_vector(*p_) + static_cast<std::uint64_t>(svm::pairs(*p_)) + 3;
  }

 private:
  std::shared_ptr<const svm::parameters<svm_cfg>> p_;
  std::vector<register_write> extra_;
};

// Random rbf parameters: 3 classes, 8 features, 30 support vectors, a shift that keeps the kernel
// values in range for random inputs.
inline std::shared_ptr<svm::parameters<svm_cfg>> random_svm(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
  auto p = std::make_shared<svm::parameters<svm_cfg>>();
  p->features = 7;  // 4 beats, the last one half padding
  p->classes = 3;
  p->kernel = svm::kernel_kind::rbf;
  const int per[3] = {9, 11, 10};
  for (int c = 0; c < 3; ++c) p->class_support_vectors[c] = per[c];
  p->support_vectors = 30;
  for (int c = 0; c < svm_cfg::max_classes; ++c) p->label[c] = static_cast<std::int32_t>(rng()) >> uni(0, 24);
  for (int k = 0; k < p->support_vectors; ++k) {
    for (int j = 0; j < svm_cfg::max_features; ++j) p->support_vector[k][j] = svm_cfg::feature_t::from_raw(uni(-4000, 4000));
    for (int m = 0; m < svm_cfg::max_classes - 1; ++m) p->coef[m][k] = svm_cfg::coef_t::from_raw(uni(-131072, 131071));
  }
  p->gamma = svm_cfg::gamma_t::from_raw(uni(1, 65535));
  p->product_frac = 14 + 28;
  for (int q = 0; q < svm_cfg::max_pairs; ++q)
    p->rho[q] = svm_cfg::rho_t::from_raw(static_cast<std::int64_t>(rng() >> 24) - (std::int64_t{1} << 39));
  svm::check_params(*p, "random");
  return p;
}

inline hlskit::kernel_decl svm_decl() {
  hlskit::kernel_decl k;
  k.name = "svm";
  k.configs = {{"default", "", 100.0}, {"tiny", "", 100.0}};
  k.count_offset = XSVM_CONTROL_ADDR_COUNT_DATA;
  return k;
}

// ---- autoencoder fpga --------------------------------------------------------------------------
namespace ae_top = hlskit::cosim::autoencoder_top;

// M: a verilated config of hlskit/verilated/autoencoder_models.hpp (hlskit::verilated::autoencoder_fpga, hlskit::verilated::autoencoder_econt).
template <class M>
class ae_model_t final : public loaded_model {
 public:
  using ae_driver = ae_top::driver<M>;
  explicit ae_model_t(const ae_top::param_set& p) : p_(p), w_(ae_driver::weights(p)) {}
  stream_layout input() const override { return hlskit::autoencoder::input_layout; }
  stream_layout output() const override { return hlskit::autoencoder::output_layout; }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    for (std::size_t i = 0; i < items; ++i)
      hlskit::autoencoder::encode_item<typename ae_driver::config>(in + 64 * i, out + 18 * i, w_);
  }
  std::vector<register_write> registers() const override {
    return hlskit::autoencoder::register_program(std::vector<std::int64_t>(p_.begin(), p_.end()));
  }
  std::uint64_t cycles(std::size_t items) const override {
    return hlskit::autoencoder::run_cycles<typename ae_driver::config>(items);
  }

 private:
  ae_top::param_set p_;
  hlskit::autoencoder::weights<typename ae_driver::config> w_;
};
using ae_model = ae_model_t<hlskit::verilated::autoencoder_fpga>;
using ae_driver = ae_model::ae_driver;

inline hlskit::kernel_decl ae_decl() {
  hlskit::kernel_decl k;
  k.name = "autoencoder";
  k.configs = {{"econt", "", 40.0}, {"fpga", "", 200.0}};
  k.count_offset = XAUTOENCODER_CONTROL_ADDR_COUNT_DATA;
  return k;
}

inline ae_top::param_set random_ae_params(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  ae_top::param_set p;
  for (auto& c : p) c = static_cast<std::int8_t>(static_cast<int>(rng() % 64) - 32);
  return p;
}

}  // namespace platform_test
