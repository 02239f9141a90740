// hlskit::decimal, the one rule for integers users write (options, model files): decimal only,
// the value as written over the whole 64-bit range, or an error quoting the text and the range.
#include <hlskit/decimal.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace dec = hlskit::decimal;

namespace {

constexpr std::uint64_t u64max = std::numeric_limits<std::uint64_t>::max();
constexpr std::int64_t i64min = std::numeric_limits<std::int64_t>::min(), i64max = std::numeric_limits<std::int64_t>::max();

TEST(Decimal, TakesTheValueAsWrittenOverTheWholeRange) {
  EXPECT_EQ(dec::parse<std::uint64_t>("18446744073709551615", 0, u64max), u64max);
  EXPECT_EQ(dec::parse<std::uint64_t>("0", 0, u64max), 0u);
  EXPECT_EQ(dec::parse<std::int64_t>("-9223372036854775808", i64min, i64max), i64min);
  EXPECT_EQ(dec::parse<std::int64_t>("9223372036854775807", i64min, i64max), i64max);
  EXPECT_EQ(dec::parse<std::int64_t>("-32", -32, 31), -32);
  EXPECT_EQ(dec::parse<std::int64_t>("-0", -32, 31), 0);
  EXPECT_EQ(dec::parse<int>("100000", 1, 100000), 100000);
}

TEST(Decimal, RefusesEverythingElse) {
  // Out of range (never wrapped, never clamped).
  for (const char* t : {"-1", "18446744073709551616", "99999999999999999999999"})
    EXPECT_FALSE(dec::parse<std::uint64_t>(t, 0, u64max)) << t;
  for (const char* t : {"9223372036854775808", "-9223372036854775809", "18446744073709551615"})
    EXPECT_FALSE(dec::parse<std::int64_t>(t, i64min, i64max)) << t;
  EXPECT_FALSE(dec::parse<std::int64_t>("32", -32, 31));
  EXPECT_FALSE(dec::parse<std::int64_t>("-33", -32, 31));
  // Not decimal.
  for (const char* t : {"010", "00", "0x10", "0X1", "0b1", "+5", " 5", "5 ", "5x", "1e3", "5.0", "", "-", "--1", "١"})
    EXPECT_FALSE(dec::parse<std::uint64_t>(t, 0, u64max)) << t;
}

TEST(Decimal, MessagesQuoteTheTextAndTheRange) {
  EXPECT_EQ(dec::message<std::uint64_t>("010", 0, u64max), "'010' is not a decimal integer in 0..18446744073709551615");
  EXPECT_EQ(dec::message<std::uint64_t>("-1", 0, u64max),
            "'-1' is out of range: expected a decimal integer in 0..18446744073709551615");
  EXPECT_EQ(dec::message<std::uint64_t>("18446744073709551616", 0, u64max),
            "'18446744073709551616' is out of range: expected a decimal integer in 0..18446744073709551615");
  EXPECT_EQ(dec::message<std::int64_t>("9223372036854775808", -32, 31),
            "'9223372036854775808' is out of range: expected a decimal integer in -32..31");
  EXPECT_EQ(dec::message<std::int64_t>("1.0", i64min, i64max),
            "'1.0' is not a decimal integer in -9223372036854775808..9223372036854775807");
}

}  // namespace
