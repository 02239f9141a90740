// A little bit vector (little-endian 32-bit words) and copies to/from Verilated ports.
// Verilator stores a port of up to 8/16/32/64 bits as CData/SData/IData/QData and a wider one
// as VlWide<N>; the harness moves every port through this one type so stream drivers do not
// care which it is.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <verilated.h>

namespace hlskit::cosim {

class bitvec {
 public:
  bitvec() = default;
  explicit bitvec(int width) : width_(width), words_(static_cast<std::size_t>((width + 31) / 32), 0u) {}

  int width() const { return width_; }
  const std::vector<std::uint32_t>& words() const { return words_; }
  std::vector<std::uint32_t>& words() { return words_; }

  bool bit(int i) const { return (words_[static_cast<std::size_t>(i / 32)] >> (i % 32)) & 1u; }

  // Bits [lsb, lsb + n) as an unsigned value, n <= 64.
  std::uint64_t get(int lsb, int n) const {
    check_range(lsb, n);
    std::uint64_t v = 0;
    for (int done = 0; done < n;) {
      const int pos = lsb + done, off = pos % 32, take = std::min(32 - off, n - done);
      const std::uint64_t chunk = (words_[static_cast<std::size_t>(pos / 32)] >> off) & low_mask(take);
      v |= chunk << done;
      done += take;
    }
    return v;
  }
  // The same bits sign-extended from bit n-1.
  std::int64_t get_signed(int lsb, int n) const {
    const std::uint64_t v = get(lsb, n);
    if (n == 64) return static_cast<std::int64_t>(v);
    const std::uint64_t sign = std::uint64_t{1} << (n - 1);
    return static_cast<std::int64_t>((v ^ sign) - sign);
  }
  // Writes the low n bits of v to [lsb, lsb + n), n <= 64.
  void set(int lsb, int n, std::uint64_t v) {
    check_range(lsb, n);
    for (int done = 0; done < n;) {
      const int pos = lsb + done, off = pos % 32, take = std::min(32 - off, n - done);
      auto& w = words_[static_cast<std::size_t>(pos / 32)];
      const std::uint32_t m = static_cast<std::uint32_t>(low_mask(take) << off);
      w = (w & ~m) | (static_cast<std::uint32_t>((v >> done) << off) & m);
      done += take;
    }
  }

  bool operator==(const bitvec& o) const { return width_ == o.width_ && words_ == o.words_; }
  bool operator!=(const bitvec& o) const { return !(*this == o); }

  // Hexadecimal, most significant digit first, exactly ceil(width/4) digits.
  std::string hex() const {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (int d = (width_ + 3) / 4 - 1; d >= 0; --d) s += digits[get(d * 4, std::min(4, width_ - d * 4))];
    return s;
  }

 private:
  static std::uint64_t low_mask(int n) { return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1; }
  void check_range(int lsb, int n) const {
    if (lsb < 0 || n < 1 || n > 64 || lsb + n > width_)
      throw std::out_of_range("bitvec: bits [" + std::to_string(lsb) + ", " + std::to_string(lsb + n) +
                              ") outside width " + std::to_string(width_));
  }
  int width_ = 0;
  std::vector<std::uint32_t> words_;
};

// Storage bits of a Verilated port type.
template <class T>
constexpr int port_storage_bits(const T&) {
  static_assert(std::is_integral_v<T> && std::is_unsigned_v<T>, "not a Verilator port type");
  return static_cast<int>(sizeof(T) * 8);
}
template <std::size_t N>
constexpr int port_storage_bits(const VlWide<N>&) { return static_cast<int>(N * 32); }

// Port -> bitvec of `width` bits (bits above width are dropped). Reuses dst's storage.
template <class T>
void load_port(bitvec& dst, const T& port, int width) {
  if (dst.width() != width) dst = bitvec(width);
  const std::uint64_t v = static_cast<std::uint64_t>(port);
  dst.words()[0] = static_cast<std::uint32_t>(v);
  if (dst.words().size() > 1) dst.words()[1] = static_cast<std::uint32_t>(v >> 32);
  if (width % 32) dst.words().back() &= (1u << (width % 32)) - 1u;
}
template <std::size_t N>
void load_port(bitvec& dst, const VlWide<N>& port, int width) {
  if (dst.width() != width) dst = bitvec(width);
  for (std::size_t i = 0; i < dst.words().size(); ++i) dst.words()[i] = port.at(i);
  if (width % 32) dst.words().back() &= (1u << (width % 32)) - 1u;
}

// bitvec -> port. Bits of the port above src.width() are zeroed: Verilator expects the unused
// upper storage bits of an input to be zero.
template <class T>
void store_port(T& port, const bitvec& src) {
  std::uint64_t v = src.words().empty() ? 0 : src.words()[0];
  if (src.words().size() > 1) v |= static_cast<std::uint64_t>(src.words()[1]) << 32;
  port = static_cast<T>(v);
}
template <std::size_t N>
void store_port(VlWide<N>& port, const bitvec& src) {
  for (std::size_t i = 0; i < N; ++i) port.at(i) = i < src.words().size() ? src.words()[i] : 0u;
}

}  // namespace hlskit::cosim
