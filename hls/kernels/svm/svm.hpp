// svm: the synthesizable classifier top (C simulation = the hardware's bits). See config.hpp for
// the arithmetic; libsvm's svm_predict_values is the float reference. svm_reference.hpp keeps the
// first, plain statement of the same arithmetic: this kernel gives exactly its bits, faster.
//
// Where the time goes (one support vector of the embedded breast-cancer model, 30 features), and
// what is done about it:
//   * the feature sum: 8 csim lanes of 16-bit codes with 32-bit partial sums (below), which
//     compilers turn into 128-bit vector code even at -O2 for a generic x86-64; the 64-bit sum in
//     feature order does not vectorize. Exact either way, so the order is free (NOTES.md,
//     "Reduction order").
//   * the requantization to exp_in_t / kernel_t: a shift-add-clamp with the formats fixed at
//     compile time instead of the run-time requantize(...) with generic formats in 128 bits.
//   * the class bookkeeping: the SVs are walked class by class with each class's pair indices
//     worked out once, not the class and pairs found anew for every SV.
// The decision sums stay in decision_t, exact (42-bit products, 64-bit sums), so their order is
// free too; the RTL adds in SV order.
#pragma once

#include <hlskit/math/exp.hpp>

#include <cstdint>

#include "svm/config.hpp"

namespace hlskit::svm {

namespace detail {

// The C simulation's lanes: 8 codes of 16 bits, one 128-bit vector. The hardware's Config::lanes
// is a different choice (features per cycle); the sums are exact, so the two never differ.
template <class Config>
inline constexpr int csim_lanes = Config::max_features % 8 == 0 ? 8 : Config::max_features % 4 == 0 ? 4 : 1;

// The input vector as the feature loops read it, prepared once per classify: codes beyond
// `features` zeroed (they may hold anything, as the RTL's lanes past n_features do) and a mask
// that zeroes a support vector's codes there (its memory row may hold anything too).
template <class Config>
struct lane_input {
  std::int16_t x[Config::max_features];
  std::uint16_t mask[Config::max_features];  // 0xffff below `features`, 0 beyond
  int features;
};

template <class Config>
HLSKIT_INLINE void prepare(const typename Config::feature_t x[Config::max_features], int features,
                           lane_input<Config>& in) {
  in.features = features;
prepare_features:
  for (int j = 0; j < Config::max_features; ++j) {
#pragma HLS UNROLL
    const bool used = j < features;
    in.x[j] = used ? static_cast<std::int16_t>(x[j].raw()) : std::int16_t{0};
    in.mask[j] = used ? std::uint16_t{0xffff} : std::uint16_t{0};
  }
}

// sum over j < features of (x_j - sv_j)^2, exact. |x_j - sv_j| < 2^16 is the larger code minus
// the smaller in 16-bit unsigned arithmetic, its square < 2^32 fits 32 unsigned bits; each lane
// adds the squares' high and low 16 bits into separate 32-bit sums (< 2^28 each, see above), so
// every lane is a 32-bit adder: sum = 2^16 sum_hi + sum_lo.
template <class Config>
HLSKIT_INLINE std::int64_t squared_distance(const lane_input<Config>& in,
                                            const typename Config::feature_t sv[Config::max_features]) {
  constexpr int lanes = csim_lanes<Config>;
  static_assert(Config::max_features <= (1 << 16), "svm: 32-bit lane sums of 16-bit halves");
  std::uint32_t hi[lanes] = {}, lo[lanes] = {};
#pragma HLS ARRAY_PARTITION variable = hi complete
#pragma HLS ARRAY_PARTITION variable = lo complete
distance_blocks:
  for (int b = 0; b < Config::max_features / lanes; ++b) {
#pragma HLS PIPELINE II = 1
    if (b * lanes >= in.features) break;
  distance_lanes:
    for (int l = 0; l < lanes; ++l) {
      const int j = b * lanes + l;
      const std::int16_t a = in.x[j], c = static_cast<std::int16_t>(sv[j].raw());
      const std::int16_t larger = a > c ? a : c, smaller = a > c ? c : a;
      const std::uint16_t d = static_cast<std::uint16_t>(
          static_cast<std::uint16_t>(static_cast<std::uint16_t>(larger) - static_cast<std::uint16_t>(smaller)) & in.mask[j]);
      const std::uint32_t square = std::uint32_t{d} * d;
      hi[l] += square >> 16;
      lo[l] += square & 0xffffu;
    }
  }
  std::uint32_t sum_hi = 0, sum_lo = 0;
  for (int l = 0; l < lanes; ++l) {
    sum_hi += hi[l];
    sum_lo += lo[l];
  }
  return static_cast<std::int64_t>((std::uint64_t{sum_hi} << 16) + sum_lo);
}

// sum over j < features of x_j sv_j, exact (x is zero beyond `features`). Each product lies in
// [-2^30 + 2^15, 2^30]; a lane adds its high 16 bits (signed, |.| <= 2^14) and its low 16 bits
// (unsigned) into separate 32-bit sums: sum = 2^16 sum_hi + sum_lo.
template <class Config>
HLSKIT_INLINE std::int64_t dot_product(const lane_input<Config>& in,
                                       const typename Config::feature_t sv[Config::max_features]) {
  constexpr int lanes = csim_lanes<Config>;
  static_assert(Config::max_features <= (1 << 16), "svm: 32-bit lane sums of 16-bit halves");
  std::int32_t hi[lanes] = {};
  std::uint32_t lo[lanes] = {};
#pragma HLS ARRAY_PARTITION variable = hi complete
#pragma HLS ARRAY_PARTITION variable = lo complete
product_blocks:
  for (int b = 0; b < Config::max_features / lanes; ++b) {
#pragma HLS PIPELINE II = 1
    if (b * lanes >= in.features) break;
  product_lanes:
    for (int l = 0; l < lanes; ++l) {
      const int j = b * lanes + l;
      const std::int32_t product = std::int32_t{in.x[j]} * static_cast<std::int16_t>(sv[j].raw());
      hi[l] += product >> 16;  // arithmetic shift: floor
      lo[l] += static_cast<std::uint32_t>(product) & 0xffffu;
    }
  }
  std::int32_t sum_hi = 0;
  std::uint32_t sum_lo = 0;
  for (int l = 0; l < lanes; ++l) {
    sum_hi += hi[l];
    sum_lo += lo[l];
  }
  return std::int64_t{sum_hi} * 65536 + sum_lo;
}

// round_half_up(v * 2^-shift) saturated to a signed `Bits`-bit code: requantize(v, {64, 64 -
// product_frac, trn, wrap}, {Bits, ..., rnd, sat}) for 0 <= shift <= 63, |v| < 2^62.
template <int Bits>
HLSKIT_INLINE std::int64_t round_saturate(std::int64_t v, int shift) {
  constexpr std::int64_t hi = (std::int64_t{1} << (Bits - 1)) - 1, lo = -hi - 1;
  const std::int64_t r = shift == 0 ? v : ((v >> (shift - 1)) + 1) >> 1;  // floor((floor(v 2^(1-s)) + 1) / 2)
  return r > hi ? hi : r < lo ? lo : r;
}

}  // namespace detail

// The sum over the features of one support vector: (x - sv)^2 for rbf, x * sv otherwise, Lanes
// features per cycle in hardware. Exact, so the order of the additions cannot change a bit.
// (classify prepares x once per vector and calls the lane sums directly.)
template <class Config>
HLSKIT_INLINE std::int64_t feature_sum(const typename Config::feature_t x[Config::max_features],
                                       const typename Config::feature_t sv[Config::max_features], int features,
                                       bool squared_distance) {
  detail::lane_input<Config> in;
  detail::prepare<Config>(x, features, in);
  return squared_distance ? detail::squared_distance<Config>(in, sv) : detail::dot_product<Config>(in, sv);
}

// K(x, sv) from the feature sum: times gamma, then to the kernel's fixed binary point.
template <class Config>
HLSKIT_INLINE typename Config::kernel_t kernel_value(std::int64_t sum, const parameters<Config>& p) {
  using kernel_t = typename Config::kernel_t;
  using exp_in_t = typename Config::exp_in_t;
  const std::int64_t product = sum * static_cast<std::int64_t>(p.gamma.raw());  // < 2^62
  const bool rbf = p.kernel == kernel_kind::rbf;
  const int shift = p.product_frac - (rbf ? exp_in_t::fwidth : kernel_t::fwidth);
  kernel_t scaled;
  if (shift >= 0 && shift <= 63) {  // every model the quantization rule accepts (0..62)
    if (rbf) {
      const auto arg = exp_in_t::from_raw(detail::round_saturate<exp_in_t::width>(-product, shift));
      return kernel_t(math::exp<typename Config::exp_out_t>(arg));
    }
    scaled = kernel_t::from_raw(detail::round_saturate<kernel_t::width>(product, shift));
  } else {  // the general conversion (the RTL clamps the shift instead; no model gets here)
    const format product_format{64, 64 - p.product_frac, true, q_mode::trn, o_mode::wrap};
    if (rbf) {
      const auto arg = exp_in_t::from_raw(requantize(-product, product_format, format_of<exp_in_t>()));
      return kernel_t(math::exp<typename Config::exp_out_t>(arg));
    }
    scaled = kernel_t::from_raw(requantize(product, product_format, format_of<kernel_t>()));
  }
  if (p.kernel == kernel_kind::linear) return scaled;
  const kernel_t base = scaled + p.coef0;
  kernel_t power = base;
degree:
  for (int d = 1; d < Config::max_degree; ++d)
    if (d < p.degree) power = power * base;
  return power;
}

// One feature vector (codes of feature_t; codes beyond p.features are ignored) -> class and
// decision values.
template <class Config>
void classify(const typename Config::feature_t x[Config::max_features], const parameters<Config>& p,
              result<Config>& out) {
  using decision_t = typename Config::decision_t;
  constexpr int rows = Config::max_classes - 1;
  decision_t acc[Config::max_pairs];
  for (int q = 0; q < Config::max_pairs; ++q) acc[q] = decision_t(0);
  detail::lane_input<Config> in;
  detail::prepare<Config>(x, p.features, in);
  const bool rbf = p.kernel == kernel_kind::rbf;

  // The SVs are grouped by class in class order (a class may hold none); the last class takes
  // whatever is left of p.support_vectors. Pair (i, j), i < j, has index i * classes - i * (i + 1)
  // / 2 + (j - i - 1), libsvm's order. A support vector of class c holds coefficient row m for the
  // pair with class m (m < c) or class m + 1 (m >= c), as libsvm's sv_coef.
  const int total = p.support_vectors < Config::max_support_vectors ? p.support_vectors : Config::max_support_vectors;
  int first = 0, class_end = 0;
classes:
  for (int c = 0; c < Config::max_classes; ++c) {
    if (c >= p.classes) break;
    class_end += p.class_support_vectors[c];
    int end = c + 1 == p.classes || class_end > total ? total : class_end;  // class c: SVs first..end-1
    if (end < first) end = first;
    int pair_of_row[rows];
  pair_index:
    for (int m = 0; m < rows; ++m) {
      const int other = m < c ? m : m + 1;
      const int i = other < c ? other : c, j = other < c ? c : other;
      pair_of_row[m] = i * p.classes - i * (i + 1) / 2 + (j - i - 1);
    }
  support_vectors:
    for (int n = 0; n < Config::max_support_vectors; ++n) {
      const int k = first + n;
      if (k >= end) break;
      const std::int64_t sum = rbf ? detail::squared_distance<Config>(in, p.support_vector[k])
                                   : detail::dot_product<Config>(in, p.support_vector[k]);
      const typename Config::kernel_t kv = kernel_value<Config>(sum, p);
    coefficients:
      for (int m = 0; m < rows; ++m) {
        if (m >= p.classes - 1) break;
        acc[pair_of_row[m]] += p.coef[m][k] * kv;
      }
    }
    first = end;
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

}  // namespace hlskit::svm
