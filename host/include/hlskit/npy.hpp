// NumPy .npy tensor files: strict reader and atomic writer.
//
// Reads format versions 1.0, 2.0 and 3.0; writes 1.0 (2.0 when the header needs more than
// 65535 bytes). Element types: int8..int64, uint8..uint64, float32, float64, C order only.
// Little-endian ('<'), not-applicable ('|', 1-byte types only) and big-endian ('>', swapped on
// read) byte orders are accepted. Any malformed input throws npy::error with a one-line message
// naming the file, the field or byte offset, what was expected and what was found.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace hlskit::npy {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class dtype { i8, i16, i32, i64, u8, u16, u32, u64, f32, f64 };

std::size_t itemsize(dtype t);
bool is_integer(dtype t);
bool is_signed(dtype t);              // true for the signed integers and the floats
std::string_view type_name(dtype t);  // "int8" ... "float64"
std::string descr(dtype t);           // the NumPy descr written: "|i1", "<u2", "<f8", ...

// The dtype of a C++ arithmetic type (any integer type of 1, 2, 4 or 8 bytes, float, double).
template <class T>
constexpr dtype dtype_of() {
  static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, "npy: unsupported type");
  if constexpr (std::is_floating_point_v<T>) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "npy: only float and double");
    return sizeof(T) == 4 ? dtype::f32 : dtype::f64;
  } else {
    static_assert(sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);
    constexpr int k = sizeof(T) == 1 ? 0 : sizeof(T) == 2 ? 1 : sizeof(T) == 4 ? 2 : 3;
    return static_cast<dtype>(k + (std::is_signed_v<T> ? 0 : 4));
  }
}

// Element count of a shape (1 for the scalar shape ()); throws npy::error on overflow.
std::size_t element_count(const std::vector<std::size_t>& shape);
std::string shape_string(const std::vector<std::size_t>& shape);  // "(2, 3)", "(5,)", "()"

namespace detail {
// Elements are stored little-endian whatever the host; these load/store one element.
template <class T>
T load_le(const std::byte* p) {
  using U = std::conditional_t<
      sizeof(T) == 1, std::uint8_t,
      std::conditional_t<sizeof(T) == 2, std::uint16_t,
                         std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
  U u = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) u |= static_cast<U>(std::to_integer<U>(p[i]) << (8 * i));
  T v;
  std::memcpy(&v, &u, sizeof(T));
  return v;
}
template <class T>
void store_le(std::byte* p, T v) {
  using U = std::conditional_t<
      sizeof(T) == 1, std::uint8_t,
      std::conditional_t<sizeof(T) == 2, std::uint16_t,
                         std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
  U u;
  std::memcpy(&u, &v, sizeof(T));
  for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<std::byte>((u >> (8 * i)) & 0xFF);
}
[[noreturn]] void throw_conversion(const std::string& origin, const std::vector<std::size_t>& shape,
                                   std::size_t index, const std::string& value, dtype from, dtype to);
std::string format_double(double v);  // shortest round-trip text
void check_value_count(const std::string& origin, const std::vector<std::size_t>& shape, std::size_t count);
[[noreturn]] void throw_float_to_integer(const std::string& origin, dtype from, dtype to);
void check_data_size(const std::string& origin, dtype t, const std::vector<std::size_t>& shape,
                     std::size_t data_bytes);

// Converts one value, or returns false when it does not fit exactly (floats: may round, may
// not overflow to infinity; integers to floats: must be exactly representable).
template <class T, class S>
bool convert(S v, T& out) {
  if constexpr (std::is_integral_v<S> && std::is_integral_v<T>) {
    if constexpr (std::is_signed_v<S>) {
      if (v < 0) {
        if constexpr (!std::is_signed_v<T>)
          return false;
        else if (static_cast<std::int64_t>(v) < static_cast<std::int64_t>(std::numeric_limits<T>::min()))
          return false;
      } else if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        return false;
      }
    } else if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      return false;
    }
    out = static_cast<T>(v);
    return true;
  } else if constexpr (std::is_integral_v<S>) {  // integer -> floating point, exact only
    out = static_cast<T>(v);
    // Converting back is only defined inside the integer range; 2^63 and 2^64 are exact floats.
    if constexpr (std::is_signed_v<S>) {
      const T lim = static_cast<T>(9223372036854775808.0);
      return out >= -lim && out < lim && static_cast<std::int64_t>(out) == static_cast<std::int64_t>(v);
    } else {
      return out < static_cast<T>(18446744073709551616.0) &&
             static_cast<std::uint64_t>(out) == static_cast<std::uint64_t>(v);
    }
  } else {  // floating point -> floating point (float -> integer is refused before the loop)
    if constexpr (sizeof(T) < sizeof(S)) {  // narrowing a finite value past the range is UB
      if (std::isfinite(v) && std::fabs(v) > static_cast<S>(std::numeric_limits<T>::max())) return false;
    }
    out = static_cast<T>(v);
    return true;
  }
}
}  // namespace detail

struct array {
  dtype type = dtype::f64;
  std::vector<std::size_t> shape;  // () is a scalar holding one element
  std::vector<std::byte> data;     // C order, little-endian, size() * itemsize(type) bytes
  std::string origin;              // file name used in conversion errors (set by read/parse)

  std::size_t size() const { return element_count(shape); }

  // Checked element-wise conversion: integer -> integer only if every value fits; integer ->
  // floating point only if every value is exactly representable; float -> float unless a finite
  // value overflows; floating point -> integer is refused. Errors name the value and its index.
  template <class T>
  std::vector<T> as() const;
  std::vector<double> as_doubles() const { return as<double>(); }

  // Builds an array from typed values; throws npy::error (naming origin) if values.size() !=
  // element_count(shape).
  template <class T>
  static array from(std::vector<std::size_t> shape, const std::vector<T>& values, std::string origin = {});
};

array read(const std::string& path);
array parse(std::string_view bytes, const std::string& name_for_errors);

std::string serialize(const array& a);                // the complete .npy file content
void write(const std::string& path, const array& a);  // atomic: temp file + rename

template <class T>
void write(const std::string& path, const std::vector<std::size_t>& shape, const std::vector<T>& values) {
  write(path, array::from(shape, values, path));
}

template <class T>
std::vector<T> array::as() const {
  constexpr dtype to = dtype_of<T>();
  detail::check_data_size(origin, type, shape, data.size());
  if (!is_integer(type) && is_integer(to)) detail::throw_float_to_integer(origin, type, to);
  const std::size_t n = data.size() / itemsize(type);
  std::vector<T> out(n);
  auto convert_all = [&](auto tag) {
    using S = decltype(tag);
    for (std::size_t i = 0; i < n; ++i) {
      const S v = detail::load_le<S>(data.data() + i * sizeof(S));
      if (!detail::convert(v, out[i])) {
        std::string text;
        if constexpr (std::is_integral_v<S>)
          text = std::to_string(v);
        else
          text = detail::format_double(static_cast<double>(v));
        detail::throw_conversion(origin, shape, i, text, type, to);
      }
    }
  };
  switch (type) {
    case dtype::i8: convert_all(std::int8_t{}); break;
    case dtype::i16: convert_all(std::int16_t{}); break;
    case dtype::i32: convert_all(std::int32_t{}); break;
    case dtype::i64: convert_all(std::int64_t{}); break;
    case dtype::u8: convert_all(std::uint8_t{}); break;
    case dtype::u16: convert_all(std::uint16_t{}); break;
    case dtype::u32: convert_all(std::uint32_t{}); break;
    case dtype::u64: convert_all(std::uint64_t{}); break;
    case dtype::f32: convert_all(float{}); break;
    case dtype::f64: convert_all(double{}); break;
  }
  return out;
}

template <class T>
array array::from(std::vector<std::size_t> shape, const std::vector<T>& values, std::string origin) {
  array a;
  a.type = dtype_of<T>();
  a.shape = std::move(shape);
  a.origin = std::move(origin);
  detail::check_value_count(a.origin, a.shape, values.size());
  const std::size_t n = values.size();
  a.data.resize(n * sizeof(T));
  for (std::size_t i = 0; i < n; ++i) detail::store_le(a.data.data() + i * sizeof(T), values[i]);
  return a;
}

}  // namespace hlskit::npy
