// Fixed-point exponential for x <= 0 (DESIGN §4): hlskit::math::exp<Out>(x).
//
// Used by the SVM RBF kernel, exp(-gamma * |x - sv|^2), and by softmax. Defined exactly, step by
// step, so that rtl/common/hlskit_exp.sv computes the same bits (tests/cosim/test_exp_cosim.cpp
// proves it on every input code). With X the input's raw code and Fin = In::fwidth:
//
//   1. a = max(-X, 0)                  x > 0 is treated as x = 0 (the result is exactly 1)
//   2. p = a * kLog2eCode              exact; log2(e) as ufixed<18,1>: round(log2(e) * 2^17)
//   3. t = round_half_up(p * 2^-(Fin + 17)) to kTFrac = 20 fraction bits
//          (Fin <= 3: nothing to round, t = p * 2^(3 - Fin) exactly)
//                                      t = -x * log2(e) >= 0, so exp(x) = 2^-t
//   4. n = t >> 20 (integer part), f = t mod 2^20 (fraction);
//      i = f >> 12 (table index, kTableBits = 8), r = f mod 2^12 (interpolation weight)
//   5. m = T[i] - floor(((T[i] - T[i+1]) * r + 2^11) / 2^12)
//          T = kExp2Table: 257 codes T[j] = round(2^(-j/256) * 2^20), so m * 2^-20 ~ 2^-f
//   6. y = round_half_up(m * 2^-(20 + n)) to Out::fwidth fraction bits: the output code is
//          floor((floor(m * 2^(1 - s)) + 1) / 2) with s = n + 20 - Out::fwidth >= 0, and n
//          clamped to 22 first (every n >= 22 gives 0: underflow, no shift past the width).
//
// The result is at most 1.0 (x = 0 exactly), which Out represents because Out::iwidth >= 1: no
// saturation is ever needed. Out's q_mode and o_mode play no part (step 6 is the rounding).
//
// Error bound against std::exp, measured over every input code (tests/unit/test_math_exp.cpp
// asserts it): at most 0.61 output LSB for Out::fwidth = 16 (fixed<20,6> and fixed<24,8> inputs;
// asserted < 0.65), 0.74 LSB for 17 fraction bits (asserted < 0.8); exact at x = 0. So the result
// is always one of the two output codes nearest to exp(x) (faithful rounding). Apart from the
// final rounding (<= 0.5 LSB) the error is below 3e-6 absolute: 2^-f rounded into the table
// (2^-21), linear interpolation (<= 9.2e-7), the interpolation step rounded (2^-21), t rounded
// (2^-21 relative), log2(e) rounded (5.8e-7 relative). It shows only in wide outputs: measured
// 0.97 LSB with 18 fraction bits, 1.9 LSB with 20 (the most Out may have).
//
// Synthesizable subset: no heap, no exceptions, constexpr, 64-bit integer arithmetic only.
#pragma once

#include <array>
#include <cstdint>

#include "hlskit/fixed.hpp"

namespace hlskit::math {

namespace exp_detail {

constexpr int kLog2eFrac = 17;                // log2(e) as ufixed<18,1>
constexpr std::uint64_t kLog2eCode = 189097;  // round(log2(e) * 2^17) = 1.442695618 (error 5.8e-7)
constexpr int kTFrac = 20;                    // fraction bits of t = -x * log2(e)
constexpr int kTableBits = 8;                 // 2^8 table intervals over [0, 1]
constexpr int kTableEntries = (1 << kTableBits) + 1;
constexpr int kTableFrac = 20;                // table codes: 2^-f * 2^20, in [2^19, 2^20]
constexpr int kWeightBits = kTFrac - kTableBits;  // r: the fraction bits below the table index
// Every n >= kMaxShiftN gives 0 (m <= 2^20, so floor(m * 2^(1 - s)) = 0 once s >= 22); clamping
// n there bounds the shift without changing a single result.
constexpr int kMaxShiftN = kTableFrac + 2;

// 2^-v for v in [0, 1], in double, at compile time: exp(-v ln 2) by its Taylor series (|v ln 2| <
// 0.7, so 30 terms are far below double's rounding).
constexpr double exp2_neg(double v) {
  constexpr double ln2 = 0.693147180559945309417232121458176568;
  const double z = -v * ln2;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k < 30; ++k) {
    term *= z / k;
    sum += term;
  }
  return sum;
}

// T[j] = round(2^(-j / 2^kTableBits) * 2^kTableFrac). tests/unit/test_math_exp.cpp checks every
// entry against std::exp2l; tools/gen_mem writes this array as rtl/common/hlskit_exp2_table.mem.
constexpr std::array<std::uint32_t, kTableEntries> make_exp2_table() {
  std::array<std::uint32_t, kTableEntries> t{};
  for (int j = 0; j < kTableEntries; ++j) {
    const double scaled = exp2_neg(static_cast<double>(j) / (1 << kTableBits)) * (1 << kTableFrac);
    t[j] = static_cast<std::uint32_t>(scaled + 0.5);  // positive: +0.5 then truncation rounds
  }
  return t;
}

// Width of the table differences T[j] - T[j+1]; the RTL's interpolation multiplier has this width.
constexpr int kTableDiffBits = 12;
constexpr bool table_diffs_fit(const std::array<std::uint32_t, kTableEntries>& t) {
  for (int j = 0; j + 1 < kTableEntries; ++j)
    if (t[j] < t[j + 1] || t[j] - t[j + 1] >= (1u << kTableDiffBits)) return false;
  return true;
}

}  // namespace exp_detail

// The table of 2^-f over [0, 1] (257 codes, 20 fraction bits): the one definition, also read by
// the RTL through the generated .mem file.
inline constexpr std::array<std::uint32_t, exp_detail::kTableEntries> kExp2Table = exp_detail::make_exp2_table();
static_assert(kExp2Table[0] == (1u << exp_detail::kTableFrac) &&
                  kExp2Table[exp_detail::kTableEntries - 1] == (1u << (exp_detail::kTableFrac - 1)),
              "exp2 table: 2^0 and 2^-1 must be exact");
static_assert(exp_detail::table_diffs_fit(kExp2Table),
              "exp2 table: differences must be non-negative and fit hlskit_exp.sv's DiffWidth");

// exp(x) for x <= 0 (x > 0 is treated as 0), rounded as specified above.
// In: hlskit::fixed<W, I> (signed, W <= 40, fraction bits >= 0); Out: hlskit::ufixed<Wo, Io> with
// Io >= 1 and 0 <= fraction bits <= 20.
template <class Out, class In>
constexpr Out exp(const In& x) {
  using namespace exp_detail;
  static_assert(hlskit::detail::is_fixed<In>::value && In::is_signed, "math::exp: the input must be an hlskit::fixed");
  static_assert(In::width <= 40, "math::exp: inputs are limited to 40 bits (a 64-bit datapath)");
  static_assert(In::fwidth >= 0, "math::exp: the input needs a non-negative number of fraction bits");
  static_assert(hlskit::detail::is_fixed<Out>::value && !Out::is_signed, "math::exp: the output must be an hlskit::ufixed");
  static_assert(Out::iwidth >= 1, "math::exp: the output needs an integer bit, exp(0) = 1");
  static_assert(Out::fwidth >= 0 && Out::fwidth <= kTableFrac,
                "math::exp: the output has at most 20 fraction bits (the datapath's precision)");

  // 1-2. a = max(-X, 0) <= 2^(W-1); p < 2^(W-1+18) fits 64 bits.
  const std::int64_t code = static_cast<std::int64_t>(x.raw());
  const std::uint64_t a = code < 0 ? static_cast<std::uint64_t>(-code) : 0;
  const std::uint64_t p = a * kLog2eCode;

  // 3. t with kTFrac fraction bits.
  constexpr int drop = In::fwidth + kLog2eFrac - kTFrac;  // fraction bits dropped (> 0) or appended
  std::uint64_t t = 0;
  if constexpr (drop > 0) {
    t = (p + (std::uint64_t{1} << (drop - 1))) >> drop;
  } else {
    t = p << -drop;
  }

  // 4. integer part, table index, interpolation weight.
  const std::uint64_t n_full = t >> kTFrac;
  const int n = n_full > static_cast<std::uint64_t>(kMaxShiftN) ? kMaxShiftN : static_cast<int>(n_full);
  const std::uint32_t f = static_cast<std::uint32_t>(t & ((std::uint64_t{1} << kTFrac) - 1));
  const std::uint32_t i = f >> kWeightBits;
  const std::uint32_t r = f & ((1u << kWeightBits) - 1);

  // 5. linear interpolation between T[i] and T[i+1], the step rounded half up.
  const std::uint32_t lo = kExp2Table[i], hi = kExp2Table[i + 1];
  const std::uint32_t step = ((lo - hi) * r + (1u << (kWeightBits - 1))) >> kWeightBits;
  const std::uint32_t m = lo - step;

  // 6. shift right by s = n + 20 - Fo, rounding half up; s <= 42 after the clamp.
  const int s = n + kTableFrac - Out::fwidth;
  const std::uint64_t halves = (std::uint64_t{m} << 1) >> s;  // floor(m * 2^(1 - s))
  return Out::from_raw(static_cast<typename Out::raw_type>((halves + 1) >> 1));
}

}  // namespace hlskit::math
