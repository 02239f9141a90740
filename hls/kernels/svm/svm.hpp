// svm: the synthesizable classifier top (C simulation = the hardware's bits). See config.hpp for
// the arithmetic; libsvm's svm_predict_values is the float reference. svm_reference.hpp keeps the
// first, plain statement of the same arithmetic: this kernel gives exactly its bits.
//
// Speed (issue 9; bench/svm/bench_svm measures it against libsvm's sparse float svm_predict). The
// first kernel ran at libsvm's speed; per support vector it spent its time on
//   * the feature sum, one 64-bit multiply-add per feature in feature order, which compilers do
//     not vectorize: here 16-bit multiply-adds on the codes' bytes into 32-bit partial sums
//     (below), two SVs per step;
//   * the requantization, requantize(...) with run-time formats in 128-bit arithmetic: here a
//     shift, an add and a clamp (the formats are compile-time; only the shift is a run-time value);
//   * the class bookkeeping, the SV's class and each row's pair found anew for every SV: here the
//     kernel values first, then the decisions class by class and pair by pair.
// The bits cannot change: the feature sums are exact integers, and the decision sums are exact
// too (42-bit products, at most 2^14 of them, in 64 bits), so any order of the additions gives
// the same codes (NOTES.md, "Reduction order"). The RTL adds in its own order.
#pragma once

#include <hlskit/math/exp.hpp>

#include <cstdint>

#include "svm/config.hpp"

namespace hlskit::svm {

namespace detail {

// The feature sums are exact integers, so they may be computed in any order and from any exact
// decomposition; the C simulation picks one that compilers turn into 16-bit multiply-adds
// (pmaddwd: eight 16 x 16-bit products summed in pairs into four 32-bit lanes; SSE2, so -O2 for
// a generic x86-64 vectorizes it). Every code v splits into bytes, v = 256 v_hi + v_lo with
// v_hi = v >> 8 in [-128, 127] and v_lo = v & 255 in [0, 255]; then
//   x sv         = 256 x_hi sv + x_lo sv
//   (x - sv)^2   = x^2 - sv (2x - sv),  2x - sv = 256 (2 x_hi - sv_hi) + (2 x_lo - sv_lo)
// with every factor a 16-bit operand (2 x_hi - sv_hi in [-383, 382], 2 x_lo - sv_lo in [-255,
// 510]) and every product below 2^24 in magnitude. The products are summed per segment of at most
// 32 features in 32 bits (< 2^29), the segments in 64 bits; sum x^2 once per vector. The
// hardware's Config::lanes (features per cycle) sums the same integers in another order.
template <class Config>
inline constexpr int csim_segment = Config::max_features % 32 == 0 ? 32
                                    : Config::max_features <= 32   ? Config::max_features
                                    : Config::max_features % 16 == 0 ? 16
                                    : Config::max_features % 8 == 0  ? 8
                                                                     : 1;

// The input vector as the feature loops read it, prepared once per classify: its bytes (and
// twice them), zero beyond `features` (the lanes there may hold anything, as the RTL's past
// n_features do), a mask that zeroes a support vector's codes there (its memory row may hold
// anything too), and sum x^2.
template <class Config>
struct lane_input {
  std::int16_t x_hi[Config::max_features], x_lo[Config::max_features];
  std::int16_t x2_hi[Config::max_features], x2_lo[Config::max_features];  // 2 x_hi, 2 x_lo
  std::int16_t mask[Config::max_features];  // -1 (all ones) below `features`, 0 beyond
  std::int64_t x_squared;
  int features;
};

// Two support vectors at a time (the C simulation's choice: the input's bytes are read once for
// both, and the two sums' additions interleave): sum over j < features of
//   squared: (x_j - sv_j)^2 = x_j^2 - sv_j (2 x_j - sv_j)      otherwise: x_j sv_j
// for sv = sv0 and sv = sv1, exact (see above).
template <class Config>
HLSKIT_INLINE void feature_sums(const lane_input<Config>& in, const typename Config::feature_t sv0[Config::max_features],
                                const typename Config::feature_t sv1[Config::max_features], bool squared,
                                std::int64_t& sum0, std::int64_t& sum1) {
  constexpr int segment = csim_segment<Config>;
  static_assert(segment <= 32 && Config::max_features % segment == 0, "svm: 32-bit segment sums");
  std::int64_t s0 = 0, s1 = 0;
  if (squared) {
  distance_segments:
    for (int g = 0; g < Config::max_features / segment; ++g) {
      if (g * segment >= in.features) break;
      std::int32_t h0 = 0, l0 = 0, h1 = 0, l1 = 0;  // sum sv (2 x_hi - sv_hi), sum sv (2 x_lo - sv_lo)
    distance_features:
      for (int t = 0; t < segment; ++t) {
#pragma HLS UNROLL factor = Config::lanes
        const int j = g * segment + t;
        const auto c0 = static_cast<std::int16_t>(static_cast<std::int16_t>(sv0[j].raw()) & in.mask[j]);
        const auto c1 = static_cast<std::int16_t>(static_cast<std::int16_t>(sv1[j].raw()) & in.mask[j]);
        h0 += std::int32_t{c0} * static_cast<std::int16_t>(in.x2_hi[j] - (c0 >> 8));
        l0 += std::int32_t{c0} * static_cast<std::int16_t>(in.x2_lo[j] - (c0 & 0xff));
        h1 += std::int32_t{c1} * static_cast<std::int16_t>(in.x2_hi[j] - (c1 >> 8));
        l1 += std::int32_t{c1} * static_cast<std::int16_t>(in.x2_lo[j] - (c1 & 0xff));
      }
      s0 -= std::int64_t{h0} * 256 + l0;
      s1 -= std::int64_t{h1} * 256 + l1;
    }
    sum0 = in.x_squared + s0;
    sum1 = in.x_squared + s1;
    return;
  }
product_segments:
  for (int g = 0; g < Config::max_features / segment; ++g) {
    if (g * segment >= in.features) break;
    std::int32_t h0 = 0, l0 = 0, h1 = 0, l1 = 0;  // sum x_hi sv, sum x_lo sv
  product_features:
    for (int t = 0; t < segment; ++t) {
#pragma HLS UNROLL factor = Config::lanes
      const int j = g * segment + t;
      const auto c0 = static_cast<std::int16_t>(sv0[j].raw()), c1 = static_cast<std::int16_t>(sv1[j].raw());
      h0 += std::int32_t{in.x_hi[j]} * c0;
      l0 += std::int32_t{in.x_lo[j]} * c0;
      h1 += std::int32_t{in.x_hi[j]} * c1;
      l1 += std::int32_t{in.x_lo[j]} * c1;
    }
    s0 += std::int64_t{h0} * 256 + l0;
    s1 += std::int64_t{h1} * 256 + l1;
  }
  sum0 = s0;
  sum1 = s1;
}

template <class Config>
HLSKIT_INLINE void prepare(const typename Config::feature_t x[Config::max_features], int features,
                           lane_input<Config>& in) {
  static_assert(Config::max_features < (1 << 15), "svm: feature indices in 16 bits");
  in.features = features;
  const auto used = static_cast<std::int16_t>(features < 0 ? 0 : features > Config::max_features ? Config::max_features : features);
prepare_features:
  for (std::int16_t j = 0; j < Config::max_features; ++j) {
#pragma HLS UNROLL
    const std::int16_t mask = j < used ? std::int16_t{-1} : std::int16_t{0};
    const auto v = static_cast<std::int16_t>(static_cast<std::int16_t>(x[j].raw()) & mask);
    in.x_hi[j] = static_cast<std::int16_t>(v >> 8);
    in.x_lo[j] = static_cast<std::int16_t>(v & 0xff);
    in.x2_hi[j] = static_cast<std::int16_t>(2 * (v >> 8));
    in.x2_lo[j] = static_cast<std::int16_t>(2 * (v & 0xff));
    in.mask[j] = mask;
  }
  std::int64_t squares = 0, unused = 0;
  feature_sums<Config>(in, x, x, false, squares, unused);  // x x: x_hi, x_lo are zero past `features`
  in.x_squared = squares;
}

// round_half_up(v * 2^-shift) saturated to a signed `Bits`-bit code: what assigning a signed
// value with `shift` more fraction bits to a fixed<Bits, ., rnd, sat> does (requantize(v, {64,
// 64 - product_frac, trn, wrap}, {Bits, ..., rnd, sat}) for the kernel's product), for 0 <= shift
// <= 63 and |v| < 2^62: floor((v + half) / 2^shift), half = 2^(shift - 1) (0 for shift 0).
template <int Bits>
HLSKIT_INLINE std::int64_t round_saturate(std::int64_t v, int shift) {
  constexpr std::int64_t hi = (std::int64_t{1} << (Bits - 1)) - 1, lo = -hi - 1;
  const auto half = static_cast<std::int64_t>((std::uint64_t{1} << shift) >> 1);
  const std::int64_t r = (v + half) >> shift;
  return r > hi ? hi : r < lo ? lo : r;
}

// The polynomial kernel on kernel_t codes from the code of gamma <x, sv>: base = kernel_t(scaled +
// coef0), then power = kernel_t(power * base) degree - 1 times, each assignment rounding half up
// and saturating (kernel_t's format is fixed: a clamp, and a constant shift for the product's
// 2 x 16 fraction bits). The codes stay in 64-bit integers between the steps.
template <class Config>
HLSKIT_INLINE typename Config::kernel_t polynomial(std::int64_t scaled, const parameters<Config>& p) {
  using kernel_t = typename Config::kernel_t;
  const std::int64_t base = round_saturate<kernel_t::width>(scaled + p.coef0.raw(), 0);
  std::int64_t power = base;
degree:
  for (int d = 1; d < Config::max_degree; ++d) {
    if (d >= p.degree) break;
    power = round_saturate<kernel_t::width>(power * base, kernel_t::fwidth);
  }
  return kernel_t::from_raw(power);
}

}  // namespace detail

// The sum over the features of one support vector: (x - sv)^2 for rbf, x * sv otherwise, Lanes
// features per cycle in hardware. Exact, so the order of the additions cannot change a bit.
// (classify prepares x once per vector and takes the SVs two at a time.)
template <class Config>
HLSKIT_INLINE std::int64_t feature_sum(const typename Config::feature_t x[Config::max_features],
                                       const typename Config::feature_t sv[Config::max_features], int features,
                                       bool squared_distance) {
  detail::lane_input<Config> in;
  detail::prepare<Config>(x, features, in);
  std::int64_t sum = 0, same = 0;
  detail::feature_sums<Config>(in, sv, sv, squared_distance, sum, same);
  return sum;
}

// K(x, sv) from the feature sum: times gamma, then to the kernel's fixed binary point.
template <class Config>
HLSKIT_INLINE typename Config::kernel_t kernel_value(std::int64_t sum, const parameters<Config>& p) {
  using kernel_t = typename Config::kernel_t;
  using exp_in_t = typename Config::exp_in_t;
  const std::int64_t product = sum * static_cast<std::int64_t>(p.gamma.raw());  // < 2^62
  const bool rbf = p.kernel == kernel_kind::rbf;
  const int shift = p.product_frac - (rbf ? exp_in_t::fwidth : kernel_t::fwidth);
  std::int64_t scaled = 0;  // kernel_t code of gamma <x, sv>
  if (shift >= 0 && shift <= 63) {  // every model the quantization rule accepts (0..62)
    if (rbf) {
      const auto arg = exp_in_t::from_raw(detail::round_saturate<exp_in_t::width>(-product, shift));
      return kernel_t(math::exp<typename Config::exp_out_t>(arg));
    }
    scaled = detail::round_saturate<kernel_t::width>(product, shift);
  } else {  // the general conversion (the RTL clamps the shift instead; no model gets here)
    const format product_format{64, 64 - p.product_frac, true, q_mode::trn, o_mode::wrap};
    if (rbf) {
      const auto arg = exp_in_t::from_raw(requantize(-product, product_format, format_of<exp_in_t>()));
      return kernel_t(math::exp<typename Config::exp_out_t>(arg));
    }
    scaled = requantize(product, product_format, format_of<kernel_t>());
  }
  if (p.kernel == kernel_kind::linear) return kernel_t::from_raw(scaled);
  return detail::polynomial<Config>(scaled, p);
}

// One feature vector (codes of feature_t; codes beyond p.features are ignored) -> class and
// decision values.
template <class Config>
void classify(const typename Config::feature_t x[Config::max_features], const parameters<Config>& p,
              result<Config>& out) {
  using decision_t = typename Config::decision_t;
  using kernel_t = typename Config::kernel_t;
  constexpr int rows = Config::max_classes - 1;
  decision_t acc[Config::max_pairs];
  for (int q = 0; q < Config::max_pairs; ++q) acc[q] = decision_t(0);
  detail::lane_input<Config> in;
  detail::prepare<Config>(x, p.features, in);
  const bool rbf = p.kernel == kernel_kind::rbf;
  const int total = p.support_vectors < Config::max_support_vectors ? p.support_vectors : Config::max_support_vectors;

  // K(x, sv) of every SV, two at a time.
  std::int32_t kv[Config::max_support_vectors];  // kernel_t codes
kernel_values:
  for (int k = 0; k < Config::max_support_vectors; k += 2) {
    if (k >= total) break;
    const int k1 = k + 1 < total ? k + 1 : k;  // an odd count: the last SV twice
    std::int64_t sum0 = 0, sum1 = 0;
    detail::feature_sums<Config>(in, p.support_vector[k], p.support_vector[k1], rbf, sum0, sum1);
    kv[k] = static_cast<std::int32_t>(kernel_value<Config>(sum0, p).raw());
    kv[k1] = static_cast<std::int32_t>(kernel_value<Config>(sum1, p).raw());
  }

  // The decisions: the SVs are grouped by class in class order (a class may hold none), the last
  // class taking whatever is left of the SVs. Pair (i, j), i < j, has index i * classes - i * (i +
  // 1) / 2 + (j - i - 1), libsvm's order. A support vector of class c holds coefficient row m for
  // the pair with class m (m < c) or class m + 1 (m >= c), as libsvm's sv_coef. The sums are exact.
  int first = 0, class_end = 0;
classes:
  for (int c = 0; c < Config::max_classes; ++c) {
    if (c >= p.classes) break;
    class_end += p.class_support_vectors[c];
    int end = c + 1 == p.classes || class_end > total ? total : class_end;  // class c: SVs first..end-1
    if (end < first) end = first;
  rows_of_class:
    for (int m = 0; m < rows; ++m) {
      if (m >= p.classes - 1) break;
      const int other = m < c ? m : m + 1;
      const int i = other < c ? other : c, j = other < c ? c : other;
      const int pair = i * p.classes - i * (i + 1) / 2 + (j - i - 1);
      decision_t sum = acc[pair];
    class_support_vectors:
      for (int n = 0; n < Config::max_support_vectors; ++n) {
        const int k = first + n;
        if (k >= end) break;
        sum += p.coef[m][k] * kernel_t::from_raw(kv[k]);
      }
      acc[pair] = sum;
    }
    first = end;
  }

  int votes[Config::max_classes] = {};
  int pair = 0;
pairs:
  for (int i = 0; i < Config::max_classes; ++i) {
    if (i + 1 >= p.classes) break;
    for (int j = i + 1; j < Config::max_classes; ++j) {
      if (j >= p.classes) break;
      out.decision[pair] = acc[pair] - p.rho[pair];
      ++votes[out.decision[pair] > decision_t(0) ? i : j];
      ++pair;
    }
  }
  for (; pair < Config::max_pairs; ++pair) out.decision[pair] = decision_t(0);
  int best = 0;
  for (int c = 1; c < Config::max_classes; ++c)
    if (c < p.classes && votes[c] > votes[best]) best = c;
  out.class_index = best;
  out.label = p.label[best];
}

}  // namespace hlskit::svm
