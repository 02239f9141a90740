// The one rule for integers a user writes, on the command line and in files: decimal only, the
// value exactly as written, within a stated range. Anything else is an error, never a
// conversion: no octal (010), no hex (0x10), no '+', no spaces, no leading zeros, no wrap-around
// of negative numbers into unsigned ones, no clamping of numbers that do not fit.
//
//   hlskit::decimal::parse("010", 0, UINT64_MAX)  -> nullopt
//   hlskit::decimal::message("010", 0, UINT64_MAX)
//       -> "'010' is not a decimal integer in 0..18446744073709551615"
//   hlskit::decimal::message("-1", 0, UINT64_MAX)
//       -> "'-1' is out of range: expected a decimal integer in 0..18446744073709551615"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace hlskit::decimal {

// A value of the whole int64 and uint64 range (the sign and the magnitude).
struct value {
  bool negative = false;
  std::uint64_t magnitude = 0;

  bool operator<(const value& o) const {
    if (negative != o.negative) return negative;
    return negative ? magnitude > o.magnitude : magnitude < o.magnitude;
  }
  bool operator<=(const value& o) const { return !(o < *this); }
  std::string text() const { return (negative && magnitude != 0 ? "-" : "") + std::to_string(magnitude); }
  std::int64_t as_int64() const {  // only for values within int64
    return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  }
};

template <class T>
value of(T v) {
  static_assert(std::is_integral_v<T>);
  if constexpr (std::is_signed_v<T>) {
    const auto w = static_cast<std::int64_t>(v);
    return w < 0 ? value{true, 0 - static_cast<std::uint64_t>(w)} : value{false, static_cast<std::uint64_t>(w)};
  } else {
    return value{false, static_cast<std::uint64_t>(v)};
  }
}

// `-?(0|[1-9][0-9]*)` whose value fits 64 bits with its sign; nullopt otherwise.
inline std::optional<value> parse_any(std::string_view text) {
  value v;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') v.negative = true, ++i;
  if (i == text.size()) return std::nullopt;
  if (text[i] == '0' && i + 1 != text.size()) return std::nullopt;  // leading zero: octal in C
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v.magnitude > (UINT64_MAX - d) / 10) return std::nullopt;  // beyond 64 bits
    v.magnitude = v.magnitude * 10 + d;
  }
  return v;
}

// Whether `text` is written as a decimal integer (whatever its size).
inline bool is_decimal_text(std::string_view text) {
  std::size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  if (i == text.size() || (text[i] == '0' && i + 1 != text.size())) return false;
  for (; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

// The value of `text` when it is a decimal integer in lo..hi.
inline std::optional<value> parse(std::string_view text, value lo, value hi) {
  const auto v = parse_any(text);
  if (!v || *v < lo || hi < *v) return std::nullopt;
  return v;
}
template <class T>
std::optional<T> parse(std::string_view text, T lo, T hi) {
  const auto v = parse(text, of(lo), of(hi));
  if (!v) return std::nullopt;
  if constexpr (std::is_signed_v<T>) return static_cast<T>(v->as_int64());
  else return static_cast<T>(v->magnitude);
}

// The error for `text` that is not a decimal integer in lo..hi (the text quoted as written):
//   "'010' is not a decimal integer in 0..255", "'256' is out of range: expected a decimal integer in 0..255"
inline std::string message(std::string_view text, value lo, value hi) {
  const std::string range = lo.text() + ".." + hi.text();
  if (is_decimal_text(text)) return "'" + std::string(text) + "' is out of range: expected a decimal integer in " + range;
  return "'" + std::string(text) + "' is not a decimal integer in " + range;
}
template <class T>
std::string message(std::string_view text, T lo, T hi) {
  return message(text, of(lo), of(hi));
}

}  // namespace hlskit::decimal
