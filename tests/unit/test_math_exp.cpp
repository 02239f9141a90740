// hlskit::math::exp: the compile-time table against std::exp2l, and the error bound against
// std::exp over every input code of three (In, Out) pairs (the pairs the RTL cosim also runs).
#include <hlskit/fixed.hpp>
#include <hlskit/math/exp.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>

namespace {

using hlskit::fixed;
using hlskit::ufixed;
namespace math = hlskit::math;
namespace ed = hlskit::math::exp_detail;

// Usable in constant expressions (a kernel may build its own tables from it).
static_assert(math::exp<ufixed<17, 1>>(fixed<20, 6>(0.0)).raw() == 1 << 16);
static_assert(math::exp<ufixed<17, 1>>(fixed<20, 6>(-1.0)).raw() == 24109);  // e^-1 * 2^16 = 24109.1

TEST(math_exp, table_entries_equal_exp2l) {
  for (int j = 0; j < ed::kTableEntries; ++j) {
    const long double exact = std::exp2l(-static_cast<long double>(j) / (1 << ed::kTableBits)) * (1 << ed::kTableFrac);
    EXPECT_EQ(math::kExp2Table[j], static_cast<std::uint32_t>(std::llroundl(exact))) << "entry " << j;
    // No entry is within reach of a rounding tie, where double's series and exp2l could disagree.
    EXPECT_GT(std::fabs(exact - std::floor(exact) - 0.5L), 1e-6L) << "entry " << j;
  }
}

TEST(math_exp, log2e_constant_is_rounded_to_nearest) {
  const long double log2e = 1.0L / std::log(2.0L);
  EXPECT_EQ(ed::kLog2eCode, static_cast<std::uint64_t>(std::llroundl(log2e * (1 << ed::kLog2eFrac))));
}

struct error_stats {
  double max_lsb = 0;      // max |exp<Out>(x) - exp(x)| in output LSBs
  double max_at = 0;       // x where it occurs
  std::int64_t positive_inputs = 0;
  bool monotonic = true;   // non-decreasing in x
  bool ones_for_positive_x = true;
};

// Every input code, in increasing order of x.
template <class Out, class In>
error_stats measure() {
  error_stats s;
  const std::int64_t lo = -(std::int64_t{1} << (In::width - 1)), hi = (std::int64_t{1} << (In::width - 1)) - 1;
  const long double lsb = std::ldexp(1.0L, -Out::fwidth);
  std::int64_t previous = -1;
  for (std::int64_t code = lo; code <= hi; ++code) {
    const In x = In::from_raw(code);
    const std::int64_t y = math::exp<Out>(x).raw();
    if (y < previous) s.monotonic = false;
    previous = y;
    if (code > 0) {
      ++s.positive_inputs;
      if (y != (std::int64_t{1} << Out::fwidth)) s.ones_for_positive_x = false;
      continue;
    }
    const long double exact = std::exp(static_cast<long double>(x.to_double()));
    const double err = static_cast<double>(std::fabs(y * lsb - exact) / lsb);
    if (err > s.max_lsb) {
      s.max_lsb = err;
      s.max_at = x.to_double();
    }
  }
  return s;
}

template <class Out, class In>
void expect_bound(const char* name, double bound_lsb) {
  const error_stats s = measure<Out, In>();
  std::cout << name << ": max error " << s.max_lsb << " LSB at x = " << s.max_at << "\n";
  EXPECT_LT(s.max_lsb, bound_lsb) << name << " at x = " << s.max_at;
  EXPECT_TRUE(s.monotonic) << name;
  EXPECT_TRUE(s.ones_for_positive_x) << name << ": x > 0 must give exactly 1";
  EXPECT_GT(s.positive_inputs, 0) << name;
}

// The documented bounds (hls/include/hlskit/math/exp.hpp): < 0.65 LSB with 16 fraction bits,
// < 0.8 LSB with 17.
TEST(math_exp, error_bound_s20i6_to_u17i1) { expect_bound<ufixed<17, 1>, fixed<20, 6>>("fixed<20,6> -> ufixed<17,1>", 0.65); }
TEST(math_exp, error_bound_s20i6_to_u18i2) { expect_bound<ufixed<18, 2>, fixed<20, 6>>("fixed<20,6> -> ufixed<18,2>", 0.65); }
TEST(math_exp, error_bound_s24i8_to_u18i1) { expect_bound<ufixed<18, 1>, fixed<24, 8>>("fixed<24,8> -> ufixed<18,1>", 0.8); }

// Corners of the definition: exact 1 at 0, underflow to exactly 0, no undefined shifts for
// the most negative code, the output's extra integer bit unused.
TEST(math_exp, corners) {
  EXPECT_EQ((math::exp<ufixed<17, 1>>(fixed<20, 6>(0.0)).raw()), 1 << 16);
  EXPECT_EQ((math::exp<ufixed<18, 2>>(fixed<20, 6>(0.0)).raw()), 1 << 16);
  EXPECT_EQ((math::exp<ufixed<17, 1>>(fixed<20, 6>::from_raw(-1)).raw()), 65532);  // e^-2^-14 * 2^16 = 65532.0
  EXPECT_EQ((math::exp<ufixed<17, 1>>(fixed<20, 6>(-32.0)).raw()), 0);
  EXPECT_EQ((math::exp<ufixed<18, 1>>(fixed<24, 8>(-128.0)).raw()), 0);
  EXPECT_EQ((math::exp<ufixed<8, 1>>(fixed<40, 20>::from_raw(-(std::int64_t{1} << 39))).raw()), 0);
  EXPECT_EQ((math::exp<ufixed<8, 1>>(fixed<40, 20>::from_raw((std::int64_t{1} << 39) - 1)).raw()), 1 << 7);
  // Integer inputs (no fraction bits: t appended with zeros instead of rounded).
  EXPECT_EQ((math::exp<ufixed<21, 1>>(fixed<8, 8>(-1.0)).raw()), 385750);  // e^-1 * 2^20 = 385749.6
  EXPECT_NEAR((math::exp<ufixed<21, 1>>(fixed<8, 8>(-3.0)).to_double()), std::exp(-3.0), 3e-6);
}

}  // namespace
