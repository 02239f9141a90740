// Properties of the fixed-point types that the oracle cannot show: storage, constexpr use,
// the documented NaN / infinity rule, raw-code round trips, stream.
#include <hlskit/fixed.hpp>
#include <hlskit/stream.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using hlskit::fixed;
using hlskit::o_mode;
using hlskit::q_mode;
using hlskit::ufixed;

// Storage in the smallest native integer.
static_assert(sizeof(fixed<8, 3>) == 1);
static_assert(sizeof(fixed<9, 3>) == 2);
static_assert(sizeof(ufixed<16, 1>) == 2);
static_assert(sizeof(fixed<24, 9>) == 4);
static_assert(sizeof(fixed<33, 9>) == 8);
static_assert(sizeof(fixed<65, 9>) == 16);
static_assert(std::is_trivially_copyable_v<fixed<16, 6>>);

// Full-precision result types (as ap_fixed).
static_assert(std::is_same_v<decltype(fixed<8, 3>() * fixed<16, 6>()), fixed<24, 9>>);
static_assert(std::is_same_v<decltype(fixed<8, 3>() + fixed<16, 6>()), fixed<17, 7>>);
static_assert(std::is_same_v<decltype(ufixed<8, 1>() + ufixed<8, 1>()), ufixed<9, 2>>);
static_assert(std::is_same_v<decltype(ufixed<8, 1>() - ufixed<8, 1>()), fixed<9, 2>>);
static_assert(std::is_same_v<decltype(ufixed<8, 1>() + fixed<6, 1>()), fixed<10, 3>>);
static_assert(std::is_same_v<decltype(-ufixed<8, 1>()), fixed<9, 2>>);

// Everything is usable in constant expressions.
constexpr fixed<8, 3, q_mode::rnd, o_mode::sat> half_lsb_up(0.015625 * 3);  // 3/64 = 1.5 LSB -> 2 LSB
static_assert(half_lsb_up.raw() == 2);
static_assert(fixed<8, 3, q_mode::trn, o_mode::sat>(100.0).raw() == 127);
static_assert((fixed<8, 3>(1.5) * fixed<8, 3>(2.0)).to_double() == 3.0);
static_assert(fixed<16, 6>(fixed<8, 3>(-1.25)).raw() == -1.25 * 1024);
static_assert(fixed<8, 3>::from_raw(0x1ff).raw() == -1);  // from_raw keeps the low W bits
static_assert(ufixed<8, 1>::from_raw(-1).raw() == 255);
static_assert(hlskit::requantize(101, {12, 6, true}, {8, 3, true, q_mode::rnd, o_mode::sat}) == 51);  // tie rounds up

// Lazy wrap-around (wrapping types of a non-native width above 16 bits): which types, and a
// chain that wraps, evaluated at compile time.
static_assert(fixed<30, 15>::lazy_wrap && fixed<18, 8>::lazy_wrap && ufixed<17, 1>::lazy_wrap && fixed<40, 12>::lazy_wrap);
static_assert(!fixed<32, 17>::lazy_wrap && !fixed<64, 20>::lazy_wrap && !fixed<14, 2>::lazy_wrap && !fixed<6, 1>::lazy_wrap);
static_assert(!fixed<30, 15, q_mode::trn, o_mode::sat>::lazy_wrap && !fixed<24, 8, q_mode::rnd, o_mode::sat>::lazy_wrap);
static_assert(sizeof(fixed<30, 15>) == 4 && sizeof(fixed<40, 12>) == 8);
constexpr fixed<30, 15> lazy_chain_sum(int terms) {
  fixed<30, 15> acc = 0;
  for (int i = 0; i < terms; ++i) acc += fixed<8, 3>::from_raw(127) * fixed<16, 6>::from_raw(32767);
  return acc;
}
static_assert(lazy_chain_sum(100).raw() == 100LL * 127 * 32767);                // no wrap yet
static_assert(lazy_chain_sum(200).raw() == 200LL * 127 * 32767 - (1LL << 30));  // wrapped once
static_assert(lazy_chain_sum(200) < fixed<30, 15>(0) && lazy_chain_sum(200).to_double() == (200.0 * 127 * 32767 - 1073741824.0) / 32768);

TEST(FixedTypes, NanIsZero) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ((fixed<8, 3, q_mode::rnd, o_mode::sat>(nan).raw()), 0);
  EXPECT_EQ((fixed<8, 3>(nan).raw()), 0);
  EXPECT_EQ((ufixed<8, 3, q_mode::trn, o_mode::sat_sym>(-nan).raw()), 0);
  EXPECT_EQ(hlskit::quantize(nan, {64, 10, true, q_mode::rnd, o_mode::wrap}), 0);
}

TEST(FixedTypes, InfinitySaturatesExceptSatZero) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ((fixed<8, 3, q_mode::trn, o_mode::sat>(inf).raw()), 127);
  EXPECT_EQ((fixed<8, 3, q_mode::trn, o_mode::sat>(-inf).raw()), -128);
  EXPECT_EQ((fixed<8, 3, q_mode::trn, o_mode::wrap>(inf).raw()), 127);
  EXPECT_EQ((fixed<8, 3, q_mode::trn, o_mode::wrap>(-inf).raw()), -128);
  EXPECT_EQ((fixed<8, 3, q_mode::rnd, o_mode::sat_sym>(-inf).raw()), -127);
  EXPECT_EQ((fixed<8, 3, q_mode::rnd, o_mode::sat_zero>(inf).raw()), 0);
  EXPECT_EQ((ufixed<8, 3, q_mode::trn, o_mode::wrap>(inf).raw()), 255);
  EXPECT_EQ((ufixed<8, 3, q_mode::trn, o_mode::sat>(-inf).raw()), 0);
  EXPECT_EQ((fixed<64, 10, q_mode::trn, o_mode::sat>(inf).raw()), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ((ufixed<64, 10, q_mode::trn, o_mode::wrap>(inf).raw()), std::numeric_limits<std::uint64_t>::max());
}

TEST(FixedTypes, RawRoundTripEveryCode) {
  for (int code = -128; code < 128; ++code) {
    const auto x = fixed<8, 3>::from_raw(code);
    EXPECT_EQ(x.raw(), code);
    EXPECT_EQ(x.to_double(), code / 32.0);
    EXPECT_EQ((fixed<8, 3>(x.to_double()).raw()), code);
  }
  for (int code = 0; code < 512; ++code) {
    const auto x = ufixed<9, 0>::from_raw(code);
    EXPECT_EQ(x.raw(), code);
    EXPECT_EQ((ufixed<9, 0>(x.to_double()).raw()), code);
  }
}

TEST(FixedTypes, IntegersAreFixedWithoutFraction) {
  EXPECT_EQ(hlskit::sint<8>(-5).raw(), -5);
  EXPECT_EQ(hlskit::sint<8>(200).raw(), 200 - 256);  // wraps like sc_int
  EXPECT_EQ(hlskit::uint<4>(17).raw(), 1);
  EXPECT_EQ((fixed<16, 8>(3).raw()), 3 << 8);
  EXPECT_EQ((hlskit::sint<8>(100) * hlskit::sint<8>(100)).raw(), 10000);
}

TEST(FixedTypes, Stream) {
  hlskit::stream<fixed<8, 3>> s("s");
  EXPECT_TRUE(s.empty());
  s.write(fixed<8, 3>(1.5));
  s << fixed<8, 3>(-2.0);
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.read().to_double(), 1.5);
  fixed<8, 3> v;
  s >> v;
  EXPECT_EQ(v.to_double(), -2.0);
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.read_nb(v));
  EXPECT_THROW(s.read(), hlskit::stream_error);
}

}  // namespace
