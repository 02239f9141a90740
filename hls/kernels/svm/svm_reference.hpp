// svm: the classifier as first written (issue 4), kept verbatim (only the calls qualified) as
// the plain statement of the arithmetic in config.hpp: one support vector at a time, a 64-bit
// feature sum in feature order, the run-time requantize(...) with generic formats, the class of
// every SV found anew. The kernel (svm.hpp) must give exactly these bits: bench/svm/bench_svm.cpp
// checks it on every run (trained models of every kernel type, random parameter sets with the
// corners), and the cosimulations check the kernel against the RTL. Not the synthesis top.
#pragma once

#include <hlskit/math/exp.hpp>

#include "svm/config.hpp"

namespace hlskit::svm::reference {

// The sum over the features of one support vector: (x - sv)^2 for rbf, x * sv otherwise, Lanes
// features per cycle in hardware. Exact, so the order of the additions cannot change a bit.
template <class Config>
HLSKIT_INLINE std::int64_t feature_sum(const typename Config::feature_t x[Config::max_features],
                                       const typename Config::feature_t sv[Config::max_features], int features,
                                       bool squared_distance) {
  sint<64> acc = 0;
  if (squared_distance) {
  distance_features:
    for (int j = 0; j < features; ++j) {
#pragma HLS LOOP_TRIPCOUNT max = Config::max_features
#pragma HLS UNROLL factor = Config::lanes
      const auto d = x[j] - sv[j];
      acc += d * d;
    }
  } else {
  product_features:
    for (int j = 0; j < features; ++j) {
#pragma HLS LOOP_TRIPCOUNT max = Config::max_features
#pragma HLS UNROLL factor = Config::lanes
      acc += x[j] * sv[j];
    }
  }
  return acc.raw();
}

// K(x, sv) from the feature sum: times gamma, then to the kernel's fixed binary point.
template <class Config>
HLSKIT_INLINE typename Config::kernel_t kernel_value(std::int64_t sum, const parameters<Config>& p) {
  using kernel_t = typename Config::kernel_t;
  using exp_in_t = typename Config::exp_in_t;
  const std::int64_t product = sum * static_cast<std::int64_t>(p.gamma.raw());  // < 2^62
  const format product_format{64, 64 - p.product_frac, true, q_mode::trn, o_mode::wrap};
  if (p.kernel == kernel_kind::rbf) {
    const auto arg = exp_in_t::from_raw(requantize(-product, product_format, format_of<exp_in_t>()));
    return kernel_t(math::exp<typename Config::exp_out_t>(arg));
  }
  const auto scaled = kernel_t::from_raw(requantize(product, product_format, format_of<kernel_t>()));
  if (p.kernel == kernel_kind::linear) return scaled;
  const kernel_t base = scaled + p.coef0;
  kernel_t power = base;
degree:
  for (int d = 1; d < Config::max_degree; ++d)
    if (d < p.degree) power = power * base;
  return power;
}

// One feature vector (codes of feature_t, zero beyond p.features) -> class and decision values.
template <class Config>
void classify(const typename Config::feature_t x[Config::max_features], const parameters<Config>& p,
              result<Config>& out) {
  using decision_t = typename Config::decision_t;
  decision_t acc[Config::max_pairs];
  for (int q = 0; q < Config::max_pairs; ++q) acc[q] = decision_t(0);

  // Pair (i, j), i < j, has index i * classes - i * (i + 1) / 2 + (j - i - 1), libsvm's order.
  // A support vector of class c holds coefficient row m for the pair with class m (m < c) or
  // class m + 1 (m >= c), as libsvm's sv_coef.
  int sv_class = 0, class_end = p.class_support_vectors[0];
support_vectors:
  for (int k = 0; k < Config::max_support_vectors; ++k) {
    if (k >= p.support_vectors) break;
  next_class:  // SVs are grouped by class; a class may hold none
    for (int c = 0; c < Config::max_classes - 1; ++c)
      if (k >= class_end && sv_class + 1 < p.classes) class_end += p.class_support_vectors[++sv_class];
    const typename Config::kernel_t kv =
        reference::kernel_value<Config>(reference::feature_sum<Config>(x, p.support_vector[k], p.features, p.kernel == kernel_kind::rbf), p);
  coefficients:
    for (int m = 0; m < Config::max_classes - 1; ++m) {
      if (m >= p.classes - 1) break;
      const int other = m < sv_class ? m : m + 1;
      const int i = other < sv_class ? other : sv_class, j = other < sv_class ? sv_class : other;
      const int pair = i * p.classes - i * (i + 1) / 2 + (j - i - 1);
      acc[pair] += p.coef[m][k] * kv;
    }
  }

  int votes[Config::max_classes] = {};
  int pair = 0;
pairs:
  for (int i = 0; i < Config::max_classes; ++i)
    for (int j = i + 1; j < Config::max_classes; ++j) {
      if (j >= p.classes) continue;
      out.decision[pair] = acc[pair] - p.rho[pair];
      ++votes[out.decision[pair] > decision_t(0) ? i : j];
      ++pair;
    }
  for (; pair < Config::max_pairs; ++pair) out.decision[pair] = decision_t(0);
  int best = 0;
  for (int c = 1; c < Config::max_classes; ++c)
    if (c < p.classes && votes[c] > votes[best]) best = c;
  out.class_index = best;
  out.label = p.label[best];
}

}  // namespace hlskit::svm::reference
