// svm: the quantization rule. A libsvm model (float) -> the kernel's run-time parameters for a
// config (hls/kernels/svm/config.hpp), binary points picked from the model's ranges:
//
//   feature_frac  features and SVs share feature_t (16 bits) so x - sv is exact. The integer
//                 part holds m = max(|lower|, |upper|, max |sv|) (the svm-scale range and every SV
//                 value) with one bit of headroom for test samples outside the training range:
//                 integer bits (sign included) = floor(log2 m) + 3, so [-1, 1] gives 13 fraction
//                 bits and saturation beyond +-4.
//   kernel scale  linear and polynomial: K = (gamma <x, sv> + coef0)^d (linear: gamma 1, coef0 0,
//                 d 1) must fit kernel_t (|K| < 128). The model is rewritten into the same
//                 decision function with gamma / 2^k, coef0 / 2^k and coefficients * 2^(k d), k >= 0
//                 the smallest with (gamma * features * m^2 + |coef0|)^d / 2^(k d) < 127 (m as
//                 below: features within the training range never saturate K).
//   gamma_frac    gamma (after the kernel scale) as a 16-bit mantissa in [2^15, 2^16), round half
//                 up: 15 - floor(log2 gamma).
//   product_frac  2 feature_frac + gamma_frac; refused unless the kernel's requantization shift
//                 (product_frac - 14 for rbf, - 16 otherwise) is 0..62.
//   coef_frac     alpha * y in coef_t (18 bits): integer bits floor(log2 max|coef|) + 2.
//   rho           at the decision's binary point, coef_frac + 16, in rho_t (refused if it does not fit).
//   coef0         polynomial: kernel_t (16 fraction bits), saturated.
// Rounding is round half up everywhere (q_mode::rnd), saturation on overflow. The config's
// FeatureFrac / CoefFrac, or `overrides` (which wins), pin feature_frac or coef_frac; values that
// then do not fit saturate, and are counted.
//
// Precision (feature_precision_losses): one binary point serves every feature, so a feature much
// smaller than the largest one keeps few fraction bits (a model trained on unscaled features: one
// around 1000 gives every feature 4 fraction bits, a step of 1/16, and a feature around 2.5 is then
// resolved to 16 steps). A feature loses precision when the spread of its values (over the
// support vectors and the samples run) covers fewer than 2^min_steps_log2 = 256 quantization
// steps (a feature svm-scaled to [-1, 1] covers 2^14). hlskit csim names each such feature, its
// range and the step, and counts the labels that differ from libsvm's because of it.
#pragma once

#include <hlskit/fixed.hpp>
#include <hlskit/svm/libsvm.hpp>
#include <svm/config.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hlskit::svm {

struct rule_overrides {
  std::optional<int> feature_frac, coef_frac;
};

struct binary_points {
  int feature_frac = 0, gamma_frac = 0, coef_frac = 0, product_frac = 0;
  int kernel_scale_log2 = 0;  // k: gamma and coef0 / 2^k, coefficients * 2^(k degree)
  int decision_frac() const { return coef_frac + 16; }
  // What set feature_frac: the largest magnitude m, at a support vector's feature
  // (feature_max_index, 1-based) or the range file's limits (feature_max_index 0).
  double feature_max = 0;
  int feature_max_index = 0;
};

template <class Config>
struct quantized_model {
  std::unique_ptr<parameters<Config>> params = std::make_unique<parameters<Config>>();
  binary_points points;
  int features = 0;
  std::size_t saturated = 0;  // SV values, coefficients, coef0 clipped by the formats

  format feature_format() const { return {16, 16 - points.feature_frac, true, q_mode::rnd, o_mode::sat}; }

  // Scaled feature values -> feature_t codes, zero beyond the given columns (round half up,
  // saturate; *clipped counts saturated values).
  std::vector<std::int64_t> feature_codes(const std::vector<double>& scaled, std::size_t* clipped = nullptr) const;
  double decision_value(const typename Config::decision_t& d) const {
    return std::ldexp(static_cast<double>(d.raw()), -points.decision_frac());
  }
};

namespace detail {
inline int floor_log2(double m) { return static_cast<int>(std::floor(std::log2(m))); }
// Round half up never moves a value by more than half an LSB: more means it saturated.
inline bool saturated(std::int64_t code, double value, const format& f) {
  return std::fabs(to_double(code, f) - value) > std::ldexp(0.5, -f.fwidth());
}
}  // namespace detail

template <class Config>
std::vector<std::int64_t> quantized_model<Config>::feature_codes(const std::vector<double>& scaled,
                                                                 std::size_t* clipped) const {
  std::vector<std::int64_t> codes(Config::max_features, 0);
  const format f = feature_format();
  for (std::size_t j = 0; j < scaled.size() && j < codes.size(); ++j) {
    codes[j] = quantize(scaled[j], f);
    if (clipped && detail::saturated(codes[j], scaled[j], f)) ++*clipped;
  }
  return codes;
}

// `features`: the number of input columns the model runs on (>= the largest SV index; extra
// columns are features no SV uses, which still count in |x - sv|^2). Throws file_error naming
// the model file and the limit when the model does not fit the config.
template <class Config>
quantized_model<Config> quantize_model(const libsvm_model& m, int features, const std::string& model_name,
                                       const std::string& config_name, const scale_ranges* ranges = nullptr,
                                       const rule_overrides& overrides = {}) {
  const auto refuse = [&](const std::string& what) {
    throw file_error(fmt::format("{}: does not fit the svm config '{}': {}", model_name, config_name, what));
  };
  if (features < m.n_features)
    refuse(fmt::format("the input has {} features but support vectors use index {}", features, m.n_features));
  if (features > Config::max_features)
    refuse(fmt::format("{} features; the config holds at most {}", features, Config::max_features));
  if (m.total_sv() > Config::max_support_vectors)
    refuse(fmt::format("{} support vectors; the config holds at most {}", m.total_sv(), Config::max_support_vectors));
  if (m.nr_class > Config::max_classes)
    refuse(fmt::format("{} classes; the config holds at most {}", m.nr_class, Config::max_classes));
  if (m.kernel == kernel_type::polynomial && (m.degree < 1 || m.degree > Config::max_degree))
    refuse(fmt::format("polynomial degree {}; the config supports 1..{}", m.degree, Config::max_degree));
  if (m.kernel != kernel_type::linear && !(m.gamma > 0))
    refuse(fmt::format("gamma {} (must be positive)", m.gamma));

  quantized_model<Config> q;
  q.features = features;
  auto& p = *q.params;
  binary_points& bp = q.points;

  // Features.
  double feature_max = 0;
  if (ranges) feature_max = std::max(std::fabs(ranges->lower), std::fabs(ranges->upper));
  for (const auto& sv : m.sv)
    for (std::size_t j = 0; j < sv.size(); ++j)
      if (std::fabs(sv[j]) > feature_max) {
        feature_max = std::fabs(sv[j]);
        bp.feature_max_index = static_cast<int>(j + 1);
      }
  bp.feature_max = feature_max;
  const int feature_rule = feature_max > 0 ? 16 - (detail::floor_log2(feature_max) + 3) : 13;
  bp.feature_frac = overrides.feature_frac.value_or(Config::feature_frac != automatic ? Config::feature_frac : feature_rule);
  // Kernel scale (linear, polynomial), then gamma.
  const int degree = m.kernel == kernel_type::polynomial ? m.degree : 1;
  double gamma = m.kernel == kernel_type::linear ? 1.0 : m.gamma;
  double coef0 = m.kernel == kernel_type::polynomial ? m.coef0 : 0.0;
  double coef_scale = 1.0;
  if (m.kernel != kernel_type::rbf) {
    const double base_max = gamma * features * feature_max * feature_max + std::fabs(coef0);
    // A bounded search: kernel values beyond 127 * 2^(64 degree) are refused, not looped over.
    if (!std::isfinite(base_max))
      refuse(fmt::format("gamma {}, coef0 {} and feature values up to {} give kernel values beyond any scale", gamma,
                         coef0, feature_max));
    while (std::pow(std::ldexp(base_max, -bp.kernel_scale_log2), degree) >= 127.0)
      if (++bp.kernel_scale_log2 > 64)
        refuse(fmt::format("kernel values up to ({} * {} features * {}^2 + |{}|)^{} need a scale beyond 2^-64", gamma,
                           features, feature_max, coef0, degree));
    gamma = std::ldexp(gamma, -bp.kernel_scale_log2);
    coef0 = std::ldexp(coef0, -bp.kernel_scale_log2);
    coef_scale = std::ldexp(1.0, bp.kernel_scale_log2 * degree);
  }
  bp.gamma_frac = 15 - detail::floor_log2(gamma);
  if (bp.gamma_frac < -64 || bp.gamma_frac > 128)  // far outside any shift the kernel supports
    refuse(fmt::format("gamma {} with {} feature fraction bits needs a requantization shift far outside 0..62", m.gamma,
                       bp.feature_frac));
  std::int64_t gamma_code = quantize(gamma, format{17, 17 - bp.gamma_frac, true, q_mode::rnd, o_mode::wrap});
  if (gamma_code >= (std::int64_t{1} << 16)) {  // rounded up to the next power of two
    gamma_code >>= 1;
    --bp.gamma_frac;
  }
  bp.product_frac = 2 * bp.feature_frac + bp.gamma_frac;
  const int kernel_frac = m.kernel == kernel_type::rbf ? Config::exp_in_t::fwidth : Config::kernel_t::fwidth;
  if (bp.product_frac - kernel_frac < 0 || bp.product_frac - kernel_frac > 62)
    refuse(fmt::format("gamma {} with {} feature fraction bits needs a requantization shift of {} (0..62 supported)",
                       m.gamma, bp.feature_frac, bp.product_frac - kernel_frac));
  // Coefficients and rho.
  double coef_max = 0;
  for (const auto& row : m.sv_coef)
    for (double c : row) coef_max = std::max(coef_max, std::fabs(c) * coef_scale);
  const int coef_rule = coef_max > 0 ? 18 - (detail::floor_log2(coef_max) + 2) : 17;
  bp.coef_frac = overrides.coef_frac.value_or(Config::coef_frac != automatic ? Config::coef_frac : coef_rule);

  p.features = features;
  p.support_vectors = m.total_sv();
  p.classes = m.nr_class;
  p.kernel = m.kernel == kernel_type::linear ? kernel_kind::linear
             : m.kernel == kernel_type::polynomial ? kernel_kind::polynomial : kernel_kind::rbf;
  p.degree = degree;
  p.gamma = Config::gamma_t::from_raw(gamma_code);
  p.product_frac = bp.product_frac;
  const auto count_clip = [&](std::int64_t code, double value, const format& f) {
    if (detail::saturated(code, value, f)) ++q.saturated;
    return code;
  };
  const format kernel_format = format_of<typename Config::kernel_t>();
  p.coef0 = Config::kernel_t::from_raw(count_clip(quantize(coef0, kernel_format), coef0, kernel_format));
  for (int c = 0; c < m.nr_class; ++c) {
    p.class_support_vectors[c] = m.nr_sv[c];
    p.label[c] = m.label[c];
  }
  const format rho_format{Config::rho_t::width, Config::rho_t::width - bp.decision_frac(), true, q_mode::rnd, o_mode::sat};
  for (std::size_t r = 0; r < m.rho.size(); ++r) {
    const std::int64_t code = quantize(m.rho[r], rho_format);
    if (detail::saturated(code, m.rho[r], rho_format))
      refuse(fmt::format("rho[{}] = {} does not fit {} bits at {} fraction bits", r, m.rho[r], rho_format.width,
                         rho_format.fwidth()));
    p.rho[r] = Config::rho_t::from_raw(code);
  }
  const format coef_format{18, 18 - bp.coef_frac, true, q_mode::rnd, o_mode::sat};
  for (int row = 0; row + 1 < m.nr_class; ++row)
    for (int k = 0; k < m.total_sv(); ++k)
      p.coef[row][k] = Config::coef_t::from_raw(
          count_clip(quantize(m.sv_coef[row][k] * coef_scale, coef_format), m.sv_coef[row][k] * coef_scale, coef_format));
  const format feature_format = q.feature_format();
  for (int k = 0; k < m.total_sv(); ++k)
    for (int j = 0; j < m.n_features; ++j)
      p.support_vector[k][j] = Config::feature_t::from_raw(count_clip(quantize(m.sv[k][j], feature_format), m.sv[k][j], feature_format));
  return q;
}

// A feature that keeps few quantization steps over the spread of its values (rule at the top).
struct precision_loss {
  int feature = 0;           // 1-based
  double min = 0, max = 0;   // over the support vectors and the samples
  double step = 0;           // 2^-feature_frac
  double steps() const { return (max - min) / step; }
};
inline constexpr int min_steps_log2 = 8;

// `scaled`: the samples as the kernel gets them (after the range file). Features without spread
// (one value everywhere) lose nothing and are not listed.
template <class Config>
std::vector<precision_loss> feature_precision_losses(const quantized_model<Config>& q, const libsvm_model& m,
                                                     const std::vector<std::vector<double>>& scaled) {
  std::vector<precision_loss> out;
  const double step = std::ldexp(1.0, -q.points.feature_frac);
  for (int j = 0; j < q.features; ++j) {
    const auto at = [&](const std::vector<double>& row) { return static_cast<std::size_t>(j) < row.size() ? row[static_cast<std::size_t>(j)] : 0.0; };
    bool any = false;
    double lo = 0, hi = 0;
    const auto add = [&](double v) {
      lo = any ? std::min(lo, v) : v;
      hi = any ? std::max(hi, v) : v;
      any = true;
    };
    for (const auto& sv : m.sv) add(at(sv));
    for (const auto& x : scaled) add(at(x));
    if (any && hi > lo && (hi - lo) < std::ldexp(step, min_steps_log2)) out.push_back({j + 1, lo, hi, step});
  }
  return out;
}

}  // namespace hlskit::svm
