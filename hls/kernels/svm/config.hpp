// svm: the SVM classifier (DESIGN §5.2), configuration.
//
// A config is a capacity, not one model: any libsvm C-SVC model (linear, polynomial or RBF
// kernel, one-vs-one voting) within MaxFeatures / MaxSupportVectors / MaxClasses / MaxDegree runs
// on it, its parameters loaded into on-chip memory at run time.
//
// The datapath is integer with per-model binary points (the quantization rule in
// host/include/hlskit/svm/quantize.hpp picks them from the model's ranges), so one build serves
// models whose gamma or C differ by orders of magnitude:
//   features and support vectors  feature_t codes, value = code * 2^-feature_frac
//   per support vector, Lanes features per cycle:
//     rbf:             sum (x - sv)^2       linear, polynomial:  sum x * sv          (exact)
//   times gamma (gamma_t code, value = code * 2^-gamma_frac; linear: code 1, frac 0)  (exact)
//   -> requantized to a fixed binary point (round half up, saturate):
//     rbf:         exp_in_t argument -gamma |x - sv|^2, then K = exp (hlskit::math::exp) in kernel_t
//     linear:      K = gamma <x, sv> in kernel_t
//     polynomial:  u = gamma <x, sv> + coef0 in kernel_t, K = u^degree, each product to kernel_t
//   decision(i, j) = sum over the SVs of classes i and j of coef * K - rho, exact in decision_t
//   (coef_t codes, value = code * 2^-coef_frac: the decision's binary point is coef_frac + 16)
//   vote: decision > 0 -> class i, else class j; the most votes wins, ties to the lower index.
#pragma once

#include <hlskit/fixed.hpp>

namespace hlskit::svm {

enum class kernel_kind : int { linear = 0, polynomial = 1, rbf = 2 };  // the RTL's encoding

inline constexpr int automatic = -1;  // a binary point left to the quantization rule

// FeatureFrac, CoefFrac: pin the features' / coefficients' fraction bits for every model run on
// this config (automatic: the rule in host/include/hlskit/svm/quantize.hpp picks them per model).
template <int MaxFeatures, int MaxSupportVectors, int MaxClasses, int Lanes, int MaxDegree = 4,
          int FeatureFrac = automatic, int CoefFrac = automatic>
struct config {
  static constexpr int max_features = MaxFeatures;
  static constexpr int max_support_vectors = MaxSupportVectors;
  static constexpr int max_classes = MaxClasses;
  static constexpr int max_pairs = MaxClasses * (MaxClasses - 1) / 2;
  static constexpr int lanes = Lanes;  // P: features per cycle
  static constexpr int max_degree = MaxDegree;
  static constexpr int feature_frac = FeatureFrac, coef_frac = CoefFrac;
  static_assert(MaxClasses >= 2 && Lanes >= 1 && MaxDegree >= 1, "svm: at least 2 classes, 1 lane, degree 1");

  using feature_t = sint<16>;          // scaled features and support vectors (binary point per model)
  using gamma_t = uint<16>;            // gamma mantissa (binary point per model)
  using coef_t = sint<18>;             // alpha_i * y_i (binary point per model)
  using exp_in_t = fixed<20, 6, q_mode::rnd, o_mode::sat>;   // rbf: -gamma |x - sv|^2 in [-32, 0]
  using exp_out_t = ufixed<17, 1>;                            // exp of it, in [0, 1]
  using kernel_t = fixed<24, 8, q_mode::rnd, o_mode::sat>;   // K(x, sv): 16 fraction bits
  using rho_t = fixed<56, 40>;          // rho at the decision's binary point (coef_frac + 16)
  using decision_t = fixed<64, 48>;     // exact: products 42 bits, + log2(MaxSupportVectors) + rho
  using class_t = uint<8>;

  // The sums are exact in 64 bits: |x - sv|^2 < 2^34 per feature, times gamma < 2^16.
  static_assert(MaxFeatures <= (1 << 12), "svm: MaxFeatures above 4096 would overflow the 64-bit product");
  static_assert(MaxSupportVectors <= (1 << 14), "svm: MaxSupportVectors above 16384 would overflow decision_t");
};

// Named configs.
using default_config = config<64, 1024, 8, 8>;  // "default": the breast-cancer model and its kin
using tiny = config<8, 64, 4, 2>;                // "tiny": small models, fast cosim

// Run-time parameters: the control registers and on-chip memories of one model.
template <class Config>
struct parameters {
  // control registers
  int features = 0;         // n_features
  int support_vectors = 0;  // total SVs, grouped by class in class order
  int classes = 0;
  kernel_kind kernel = kernel_kind::rbf;
  int degree = 1;                        // polynomial only
  typename Config::gamma_t gamma{};      // linear: 1
  int product_frac = 0;                  // fraction bits of the sum times gamma: 2 feature_frac + gamma_frac
  typename Config::kernel_t coef0{};     // polynomial only
  int class_support_vectors[Config::max_classes] = {};  // libsvm nSV
  std::int32_t label[Config::max_classes] = {};         // libsvm's label numbers
  typename Config::rho_t rho[Config::max_pairs] = {};   // pairs (0,1), (0,2), ..., (1,2), ...
  // memories
  typename Config::coef_t coef[Config::max_classes - 1][Config::max_support_vectors] = {};
  typename Config::feature_t support_vector[Config::max_support_vectors][Config::max_features] = {};
};

template <class Config>
struct result {
  typename Config::class_t class_index{};  // into parameters::label
  std::int32_t label = 0;
  typename Config::decision_t decision[Config::max_pairs] = {};  // libsvm's pair order
};

}  // namespace hlskit::svm
