// Bit-accurate fixed-point types: hlskit::fixed, ufixed, sint, uint (DESIGN §3).
//
// Semantics equal SystemC's sc_fixed<W, I, Q, O> / sc_ufixed (n_bits = 0): a value is
// raw * 2^(I - W); assigning a value of another format first quantizes (drops fraction bits with
// the destination's q_mode) and then handles overflow (the destination's o_mode). Arithmetic
// (+, -, *, unary -) returns full-precision types like ap_fixed, so the only rounding happens on
// assignment, exactly where a hardware designer puts it.
//
// Deliberate departures from SystemC (documented, tested):
//  * NaN converts to 0 (SystemC raises an error). +-infinity behaves as an infinitely large
//    value of that sign: sat/wrap give the most positive / most negative code, sat_sym +-max,
//    sat_zero 0 (SystemC raises an error). A float-to-fixed converter in hardware can do this.
//  * Full-precision result types are limited to 128 bits (127 for unsigned): a static_assert
//    names the limit. sc_fixed is unbounded, ap_fixed stops at 1024 bits.
//  * Shifts by a run-time amount return the operand's own type, rounded and overflowed by its
//    modes: `T(a << n)` and `T(a >> n)` of sc_fixed, which is what hardware assigns anyway.
//
// Speed: storage is the smallest native integer; every operation is constexpr, branch-free once
// the formats (template arguments) are folded in, and forced inline, so loops over these types
// auto-vectorize like plain integer code. `acc += w * x` with a wrapping accumulator whose
// fraction covers the addend's is computed in the accumulator's own width; when that width is
// not native (a 30-bit accumulator in a 32-bit word), the wrap-around is applied when the value
// is read, not after every addition (basic_fixed::lazy_wrap).
#pragma once

#include <cstdint>
#include <type_traits>

#if defined(__GNUC__) || defined(__clang__)
#define HLSKIT_INLINE __attribute__((always_inline)) inline
#else
#define HLSKIT_INLINE inline
#endif

namespace hlskit {

// Quantization modes (SystemC SC_RND ... SC_TRN_ZERO). The integer values are the RTL encoding
// (rtl/common/hlskit_requantize.sv parameter QMode): keep the order.
enum class q_mode : int {
  rnd,          // round half toward +infinity
  rnd_zero,     // round half toward zero
  rnd_min_inf,  // round half toward -infinity
  rnd_inf,      // round half away from zero
  rnd_conv,     // round half to even (convergent)
  trn,          // truncate toward -infinity (floor)
  trn_zero,     // truncate toward zero
};

// Overflow modes (SystemC SC_SAT ... SC_WRAP with n_bits = 0); RTL parameter OMode.
enum class o_mode : int {
  sat,       // clamp to the most positive / most negative code
  sat_zero,  // overflow gives zero
  sat_sym,   // clamp to +-max: the most negative code of a signed type is never produced
  wrap,      // keep the low W bits (two's complement wrap-around)
};

// A fixed-point format at run time (tools, file loaders, the RTL requantizer's reference).
struct format {
  int width = 1;
  int iwidth = 1;
  bool is_signed = true;
  q_mode q = q_mode::trn;
  o_mode o = o_mode::wrap;
  constexpr int fwidth() const { return width - iwidth; }
};

namespace detail {

__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

template <class T> struct int_traits;
template <> struct int_traits<std::int32_t> { using unsigned_type = std::uint32_t; static constexpr int bits = 32; };
template <> struct int_traits<std::int64_t> { using unsigned_type = std::uint64_t; static constexpr int bits = 64; };
template <> struct int_traits<int128> { using unsigned_type = uint128; static constexpr int bits = 128; };

// Working type for values of up to `Bits` signed bits; never narrower than int, as C++ computes.
template <int Bits>
using work_t = std::conditional_t<(Bits <= 32), std::int32_t,
               std::conditional_t<(Bits <= 64), std::int64_t, int128>>;

// Smallest native storage for a W-bit code.
template <int W, bool Signed>
using storage_t = std::conditional_t<Signed,
    std::conditional_t<(W <= 8), std::int8_t, std::conditional_t<(W <= 16), std::int16_t,
    std::conditional_t<(W <= 32), std::int32_t, std::conditional_t<(W <= 64), std::int64_t, int128>>>>,
    std::conditional_t<(W <= 8), std::uint8_t, std::conditional_t<(W <= 16), std::uint16_t,
    std::conditional_t<(W <= 32), std::uint32_t, std::conditional_t<(W <= 64), std::uint64_t, uint128>>>>>;

// Signed bits needed to hold every code of a W-bit format.
constexpr int signed_bits(int width, bool is_signed) { return width + (is_signed ? 0 : 1); }
constexpr int max_int(int a, int b) { return a > b ? a : b; }

template <class T>
HLSKIT_INLINE constexpr T min_code(int w) {  // -2^(w-1), 1 <= w <= bits(T)
  using U = typename int_traits<T>::unsigned_type;
  return static_cast<T>(~U(0) << (w - 1));
}

template <class T>
HLSKIT_INLINE constexpr T max_code(int w, bool is_signed) {  // needs signed_bits(w) <= bits(T)
  using U = typename int_traits<T>::unsigned_type;
  return static_cast<T>((U(1) << (is_signed ? w - 1 : w)) - 1);
}

// Keeps the low w bits of x as a signed (sign-extended) or unsigned (zero-extended) number.
template <class T>
HLSKIT_INLINE constexpr T wrap_bits(T x, int w, bool is_signed) {
  using U = typename int_traits<T>::unsigned_type;
  constexpr int n = int_traits<T>::bits;
  if (is_signed) {
    if (w >= n) return x;
    const int shift = n - w;
    return static_cast<T>(static_cast<U>(x) << shift) >> shift;  // arithmetic right shift
  }
  if (w >= n) return x;
  return static_cast<T>(static_cast<U>(x) & ((U(1) << w) - 1));
}

// The conversion at the heart of every assignment (sc_fixed's cast: quantize, then overflow).
//   x      the source value as an integer in units of its LSB, sign-extended in T
//   xbits  signed bits that hold every source code (width + 1 for unsigned sources)
//   shift  source fraction bits minus destination fraction bits (> 0 drops bits)
//   w, is_signed, q, o: the destination format
// Requires bits(T) >= max(xbits, signed_bits(w, is_signed)). Returns the destination code,
// sign- or zero-extended in T. With constant formats every branch folds away.
template <class T>
HLSKIT_INLINE constexpr T convert_raw(T x, int xbits, int shift, int w, bool is_signed, q_mode q, o_mode o) {
  using U = typename int_traits<T>::unsigned_type;
  constexpr int n = int_traits<T>::bits;
  T r = 0;                     // the value in destination LSB units, exact when in range
  bool over = false, under = false;
  const T hi = max_code<T>(w, is_signed);
  const T lo = is_signed ? min_code<T>(w) : T(0);
  if (shift > 0) {
    const bool neg = x < 0;
    T base = 0;
    bool half = false, sticky = false;
    if (shift >= xbits) {  // every source bit lies below the new LSB: |x / 2^shift| <= 1/2
      base = neg ? T(-1) : T(0);
      half = neg;          // bit shift-1 is the sign bit or its extension
      sticky = shift == xbits ? (static_cast<U>(x) & ((U(1) << (xbits - 1)) - 1)) != 0 : x != 0;
    } else {
      base = x >> shift;
      half = ((x >> (shift - 1)) & 1) != 0;
      sticky = shift > 1 && (static_cast<U>(x) & ((U(1) << (shift - 1)) - 1)) != 0;
    }
    // (if-chains, not switch: GCC 12 cannot evaluate this switch in constant expressions)
    bool up = false;
    if (q == q_mode::rnd) up = half;
    else if (q == q_mode::rnd_zero) up = half && (sticky || neg);
    else if (q == q_mode::rnd_min_inf) up = half && sticky;
    else if (q == q_mode::rnd_inf) up = half && (sticky || !neg);
    else if (q == q_mode::rnd_conv) up = half && (sticky || (base & 1) != 0);
    else if (q == q_mode::trn_zero) up = neg && (half || sticky);
    r = base + T(up);
    over = r > hi;
    under = r < lo;
  } else {
    // x * 2^k overflows iff x > floor(hi / 2^k) or x < ceil(lo / 2^k); both bounds fit in T.
    const int k = -shift;
    const int hi_bits = is_signed ? w - 1 : w;  // hi = 2^hi_bits - 1
    const T hi_bound = k <= hi_bits ? static_cast<T>((U(1) << (hi_bits - k)) - 1) : T(0);
    const T lo_bound = is_signed && k <= w - 1 ? min_code<T>(w - k) : T(0);
    over = x > hi_bound;
    under = x < lo_bound;
    r = k >= n ? T(0) : static_cast<T>(static_cast<U>(x) << k);
  }
  if (o == o_mode::wrap) return wrap_bits(r, w, is_signed);
  if (o == o_mode::sat) return over ? hi : under ? lo : r;
  if (o == o_mode::sat_zero) return over || under ? T(0) : r;
  if (!is_signed) return over ? hi : under ? T(0) : r;  // sat_sym of an unsigned type is sat
  return over ? hi : (under || r == lo) ? T(-hi) : r;
}

// Infinity as a value beyond every range, for convert_raw: one unit shifted left by more than
// any destination width.
constexpr int infinite_shift = -1000000;

// The value code * 2^-fwidth as a double. Codes wider than 53 bits round half away from zero,
// as SystemC's to_double does.
constexpr double code_to_double(int128 code, int fwidth) {
  const bool neg = code < 0;
  uint128 magnitude = neg ? uint128(0) - static_cast<uint128>(code) : static_cast<uint128>(code);
  int length = 0;
  while (length < 128 && (magnitude >> length) != 0) ++length;
  int scale = -fwidth;  // value = magnitude * 2^scale
  if (length > 53) {
    const int drop = length - 53;
    magnitude = (magnitude >> drop) + ((magnitude >> (drop - 1)) & 1);
    scale += drop;
  }
  double value = static_cast<double>(static_cast<std::uint64_t>(magnitude));
  for (; scale > 0; scale -= scale > 62 ? 62 : scale) value *= static_cast<double>(std::uint64_t(1) << (scale > 62 ? 62 : scale));
  for (; scale < 0; scale += scale < -62 ? 62 : -scale) value /= static_cast<double>(std::uint64_t(1) << (scale < -62 ? 62 : -scale));
  return neg ? -value : value;
}

// Converts a double: the exact binary value m * 2^e (|m| < 2^53) is a 54-bit fixed-point number.
template <class T>
HLSKIT_INLINE constexpr T convert_double(double d, int w, int fwidth, bool is_signed, q_mode q, o_mode o) {
  const std::uint64_t bits = __builtin_bit_cast(std::uint64_t, d);
  const bool neg = (bits >> 63) != 0;
  const int exp_field = static_cast<int>((bits >> 52) & 0x7ff);
  const std::int64_t frac_field = static_cast<std::int64_t>(bits & ((std::uint64_t(1) << 52) - 1));
  if (exp_field == 0x7ff) {
    if (frac_field != 0) return T(0);  // NaN
    const T r = convert_raw<T>(neg ? T(-1) : T(1), 2, infinite_shift, w, is_signed, q, o);
    if (o != o_mode::wrap) return r;
    return neg ? (is_signed ? min_code<T>(w) : T(0)) : max_code<T>(w, is_signed);
  }
  std::int64_t mantissa = exp_field == 0 ? frac_field : (frac_field | (std::int64_t(1) << 52));
  const int lsb_exponent = (exp_field == 0 ? 1 : exp_field) - 1075;  // value = mantissa * 2^lsb_exponent
  if (neg) mantissa = -mantissa;
  return convert_raw<T>(static_cast<T>(mantissa), 54, -lsb_exponent - fwidth, w, is_signed, q, o);
}

}  // namespace detail

template <int W, int I, bool S, q_mode Q = q_mode::trn, o_mode O = o_mode::wrap>
class basic_fixed;

template <int W, int I, q_mode Q = q_mode::trn, o_mode O = o_mode::wrap>
using fixed = basic_fixed<W, I, true, Q, O>;
template <int W, int I, q_mode Q = q_mode::trn, o_mode O = o_mode::wrap>
using ufixed = basic_fixed<W, I, false, Q, O>;
template <int W>
using sint = basic_fixed<W, W, true>;
template <int W>
using uint = basic_fixed<W, W, false>;

namespace detail {
// The operators' way to the stored code: no widening to raw_type, no re-wrapping of results that
// are exact by construction (both would cost vector lanes in inner loops).
struct access {
  template <class X>
  HLSKIT_INLINE static constexpr typename X::storage_type storage(const X& x) { return x.code(); }
  // The code as an operand of a result that is lazy_wrap: see basic_fixed::exact_code.
  template <bool ForLazyResult, class X>
  HLSKIT_INLINE static constexpr auto operand(const X& x) {
    if constexpr (ForLazyResult) return x.exact_code();
    else return x.code();
  }
  template <class X, class T>
  HLSKIT_INLINE static constexpr X make(T exact_code) {
    X x;
    x.v_ = static_cast<typename X::bits_type>(exact_code);
    return x;
  }
};

template <class T> struct is_fixed : std::false_type {};
template <int W, int I, bool S, q_mode Q, o_mode O>
struct is_fixed<basic_fixed<W, I, S, Q, O>> : std::true_type {};
}  // namespace detail

template <int W, int I, bool S, q_mode Q, o_mode O>
class basic_fixed {
  static_assert(W >= 1, "hlskit::fixed: width must be at least 1");
  static_assert(W <= (S ? 128 : 127),
                "hlskit::fixed: widths are limited to 128 bits (127 for unsigned types); a full-precision "
                "result that needs more must be assigned to a narrower type operand by operand");

 public:
  static constexpr int width = W;
  static constexpr int iwidth = I;
  static constexpr int fwidth = W - I;
  static constexpr bool is_signed = S;
  static constexpr q_mode quantization = Q;
  static constexpr o_mode overflow = O;
  static constexpr int signed_bits = detail::signed_bits(W, S);
  using storage_type = detail::storage_t<W, S>;  // the code's native type
  using bits_type = detail::storage_t<W, false>;  // what is stored
  // raw(): int64_t for every type up to 64 bits (ufixed<64, I> gives uint64_t), 128-bit beyond.
  using raw_type = std::conditional_t<(W > 64), storage_type,
                   std::conditional_t<(!S && W == 64), std::uint64_t, std::int64_t>>;
  using work_type = detail::work_t<signed_bits>;
  // Lazy wrap-around: a wrapping type of a non-native width above 16 bits (an accumulator, as
  // hls4ml's accum_t = ap_fixed<18, 8>) lets `+=` / `-=` keep v_ as any value congruent to the
  // code modulo 2^W, so a chain of additions needs no sign extension after each one (exact:
  // addition modulo 2^W is associative); code() normalizes on every read, in a form that folds
  // away wherever the compiler can bound the value (see code()). Every
  // other write stores the normalized code. Types of up to 16 bits (weights, inputs) are never
  // lazy: their reads from memory cost nothing.
  static constexpr bool lazy_wrap = O == o_mode::wrap && W > 16 && W < 8 * static_cast<int>(sizeof(bits_type));

  constexpr basic_fixed() = default;

  // Assignment from any fixed type: quantize with Q, then overflow with O. A format that holds
  // every value of the source (no fraction bit dropped, no overflow possible) takes the code
  // shifted, nothing else: neither rounding nor the wrap-around's sign extension is then left
  // for the compiler to prove away.
  template <int W2, int I2, bool S2, q_mode Q2, o_mode O2>
  HLSKIT_INLINE constexpr basic_fixed(const basic_fixed<W2, I2, S2, Q2, O2>& other)
      : v_(static_cast<bits_type>(convert_from<W2 - I2, basic_fixed<W2, I2, S2>::signed_bits, S2>(other.code()))) {}

  HLSKIT_INLINE constexpr basic_fixed(double d)  // NOLINT: implicit, like ap_fixed and sc_fixed
      : v_(static_cast<bits_type>(detail::convert_double<detail::work_t<detail::max_int(signed_bits, 64)>>(
            d, W, fwidth, S, Q, O))) {}

  template <class Int, std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>, int> = 0>
  HLSKIT_INLINE constexpr basic_fixed(Int i)  // NOLINT: implicit, an integer is a fixed<64, 64>
      : v_(static_cast<bits_type>(convert_from<0, std::is_signed_v<Int> ? 64 : 65, std::is_signed_v<Int>>(i))) {}

  // The code's low W bits, sign- or zero-extended (from_raw never fails, as a register load).
  HLSKIT_INLINE static constexpr basic_fixed from_raw(raw_type code) {
    basic_fixed r;
    using T = detail::work_t<detail::max_int(signed_bits, 64)>;
    r.v_ = static_cast<bits_type>(detail::wrap_bits<T>(static_cast<T>(code), W, S));
    return r;
  }
  HLSKIT_INLINE constexpr raw_type raw() const { return static_cast<raw_type>(code()); }

  constexpr double to_double() const { return detail::code_to_double(static_cast<detail::int128>(code()), fwidth); }
  constexpr explicit operator double() const { return to_double(); }

  // Compound assignment: full-precision operation, then assignment. The wrap fast path keeps
  // `acc += w * x` in the accumulator's own width (exact: only the low W bits are kept anyway).
  template <int W2, int I2, bool S2, q_mode Q2, o_mode O2>
  HLSKIT_INLINE constexpr basic_fixed& operator+=(const basic_fixed<W2, I2, S2, Q2, O2>& b) {
    if constexpr (O == o_mode::wrap && fwidth >= W2 - I2) {
      v_ = wrapping_add(b, false);
    } else {
      *this = *this + b;
    }
    return *this;
  }
  template <int W2, int I2, bool S2, q_mode Q2, o_mode O2>
  HLSKIT_INLINE constexpr basic_fixed& operator-=(const basic_fixed<W2, I2, S2, Q2, O2>& b) {
    if constexpr (O == o_mode::wrap && fwidth >= W2 - I2) {
      v_ = wrapping_add(b, true);
    } else {
      *this = *this - b;
    }
    return *this;
  }
  template <int W2, int I2, bool S2, q_mode Q2, o_mode O2>
  HLSKIT_INLINE constexpr basic_fixed& operator*=(const basic_fixed<W2, I2, S2, Q2, O2>& b) {
    *this = *this * b;
    return *this;
  }

  // value * 2^n and value / 2^n, rounded and overflowed by this type's modes.
  HLSKIT_INLINE constexpr basic_fixed operator<<(int n) const { return shifted(-n); }
  HLSKIT_INLINE constexpr basic_fixed operator>>(int n) const { return shifted(n); }
  HLSKIT_INLINE constexpr basic_fixed& operator<<=(int n) { return *this = shifted(-n); }
  HLSKIT_INLINE constexpr basic_fixed& operator>>=(int n) { return *this = shifted(n); }

 private:
  template <int W2, int I2, bool S2, q_mode Q2, o_mode O2>
  friend class basic_fixed;
  friend struct detail::access;

  // Converts a code with FromFrac fraction bits that fits in FromBits signed bits (FromSigned:
  // the source format is signed).
  template <int FromFrac, int FromBits, bool FromSigned, class Raw>
  HLSKIT_INLINE static constexpr storage_type convert_from(Raw code) {
    using T = detail::work_t<detail::max_int(FromBits, signed_bits)>;
    using U = typename detail::int_traits<T>::unsigned_type;
    // Every source value is representable: FromBits signed bits with FromFrac fraction bits fit
    // this format (the code is exact once shifted; no rounding, no overflow to handle).
    constexpr bool exact = FromFrac <= fwidth && FromBits + (fwidth - FromFrac) <= signed_bits &&
                           (S || !FromSigned);  // an unsigned destination holds no negative value
    if constexpr (exact) {
      return static_cast<storage_type>(static_cast<T>(static_cast<U>(static_cast<T>(code)) << (fwidth - FromFrac)));
    } else {
      return static_cast<storage_type>(
          detail::convert_raw<T>(static_cast<T>(code), FromBits, FromFrac - fwidth, W, S, Q, O));
    }
  }

  HLSKIT_INLINE constexpr basic_fixed shifted(int fraction_shift) const {
    basic_fixed r;
    r.v_ = static_cast<bits_type>(detail::convert_raw<work_type>(
        static_cast<work_type>(code()), signed_bits, fraction_shift, W, S, Q, O));
    return r;
  }

  template <int W2, int I2, bool S2, q_mode Q2, o_mode O2>
  HLSKIT_INLINE constexpr bits_type wrapping_add(const basic_fixed<W2, I2, S2, Q2, O2>& b, bool subtract) const {
    // Modulo 2^bits arithmetic in the wider of the two storages keeps the low W bits exact. v_
    // is read as stored (its bits above W never reach the low W bits of a sum or difference).
    using T = detail::work_t<detail::max_int(signed_bits, basic_fixed<W2, I2, S2>::signed_bits)>;
    using U = typename detail::int_traits<T>::unsigned_type;
    constexpr int align = fwidth - (W2 - I2);  // >= 0 on this path
    U addend = 0;  // an addend shifted past the accumulator's width contributes nothing
    if constexpr (align < detail::int_traits<T>::bits) addend = static_cast<U>(static_cast<T>(b.code())) << align;
    const U sum = subtract ? static_cast<U>(v_) - addend : static_cast<U>(v_) + addend;
    // Native W: the low bits are the code already. Lazy wrap: normalized when read (code()).
    // Either way `acc += w * x` is a plain unsigned reduction, which vectorizes.
    if constexpr (W == 8 * static_cast<int>(sizeof(bits_type)) || lazy_wrap) return static_cast<bits_type>(sum);
    else return static_cast<bits_type>(detail::wrap_bits<T>(static_cast<T>(sum), W, S));
  }

  // The code as a native signed or unsigned integer, sign- or zero-extended. Every read of the
  // value goes through here (operators, raw(), to_double(), conversions, comparisons).
  HLSKIT_INLINE constexpr storage_type code() const {
    if constexpr (!lazy_wrap) {
      return static_cast<storage_type>(v_);
    } else if constexpr (S) {
      // The low W bits sign-extended, written as ((x + 2^(W-1)) mod 2^W) - 2^(W-1) rather than a
      // shift pair: when the compiler knows the value is in range (a product or sum just
      // computed), the mask and the offsets fold away and the read costs nothing, so
      // `acc += w * x` keeps its dot-product instructions; otherwise it is three operations.
      constexpr bits_type half = bits_type(1) << (W - 1), mask = (bits_type(1) << W) - 1;
      return static_cast<storage_type>(static_cast<bits_type>(((v_ + half) & mask) - half));
    } else {
      return static_cast<storage_type>(v_ & ((bits_type(1) << W) - 1));  // folds away likewise
    }
  }

  // The code with its range evident to the compiler: a non-native width is sign- or
  // zero-extended from bit W explicitly (a no-op on the value, which is stored normalized). The
  // operators read their operands this way when their result type is lazy_wrap: the compiler
  // then proves that the product or sum fits the result's W bits, and the range test in the
  // result's code() folds away (a 6-bit weight times a 16-bit input read by `acc += w * x`).
  HLSKIT_INLINE constexpr auto exact_code() const {
    if constexpr (lazy_wrap || W == 8 * static_cast<int>(sizeof(bits_type))) {
      return code();  // native, or normalized by code() with its range evident
    } else if constexpr (S) {
      // The code shifted to the top of a word, then arithmetically back: in 16 bits for an
      // 8-bit storage (SSE2 has no byte shifts; the byte is widened for the multiply anyway),
      // in the storage's own width otherwise (a wider shift pair would widen the product too).
      using E = std::conditional_t<(sizeof(storage_type) < 2), std::int16_t, storage_type>;
      using EU = std::conditional_t<(sizeof(storage_type) < 2), std::uint16_t, bits_type>;
      constexpr int shift = 8 * static_cast<int>(sizeof(E)) - W;
      const E top = static_cast<E>(static_cast<EU>(static_cast<EU>(static_cast<E>(code())) << shift));
      return static_cast<E>(top >> shift);
    } else {
      return static_cast<storage_type>(code() & static_cast<storage_type>((storage_type(1) << W) - 1));
    }
  }

  // The code in an unsigned word: unsigned so that a wrapping accumulation is an unsigned
  // reduction, which compilers turn into dot-product instructions (pmaddwd); a signed reduction
  // written without undefined overflow is not recognized. Sign- or zero-extended, except in a
  // lazy_wrap type after `+=` / `-=` (then only its low W bits are the code).
  bits_type v_ = 0;
};

// ---- full-precision arithmetic (result types as ap_fixed) ----
namespace detail {
template <class A, class B>
struct arith {
  static constexpr int fwidth = max_int(A::fwidth, B::fwidth);
  // An unsigned operand needs one more integer bit beside a signed one.
  static constexpr int iwidth_ab = max_int(A::iwidth + (B::is_signed && !A::is_signed),
                                           B::iwidth + (A::is_signed && !B::is_signed));
  using plus = basic_fixed<iwidth_ab + 1 + fwidth, iwidth_ab + 1, A::is_signed || B::is_signed>;
  using minus = basic_fixed<iwidth_ab + 1 + fwidth, iwidth_ab + 1, true>;
  using mult = basic_fixed<A::width + B::width, A::iwidth + B::iwidth, A::is_signed || B::is_signed>;
};

// The operand's code scaled to `Frac` fraction bits, in T (exact: Frac >= the operand's).
template <class T, int Frac, class X, bool ForLazyResult = false>
HLSKIT_INLINE constexpr T aligned(const X& x) {
  using U = typename int_traits<T>::unsigned_type;
  return static_cast<T>(static_cast<U>(static_cast<T>(access::operand<ForLazyResult>(x))) << (Frac - X::fwidth));
}
}  // namespace detail

#define HLSKIT_FIXED_ARGS(n) int W##n, int I##n, bool S##n, q_mode Q##n, o_mode O##n
#define HLSKIT_FIXED(n) basic_fixed<W##n, I##n, S##n, Q##n, O##n>

template <HLSKIT_FIXED_ARGS(1), HLSKIT_FIXED_ARGS(2)>
HLSKIT_INLINE constexpr auto operator+(const HLSKIT_FIXED(1)& a, const HLSKIT_FIXED(2)& b) {
  using R = typename detail::arith<HLSKIT_FIXED(1), HLSKIT_FIXED(2)>::plus;
  using T = typename R::work_type;
  using U = typename detail::int_traits<T>::unsigned_type;
  constexpr bool lazy = R::lazy_wrap;
  const U sum = static_cast<U>(detail::aligned<T, R::fwidth, HLSKIT_FIXED(1), lazy>(a)) +
                static_cast<U>(detail::aligned<T, R::fwidth, HLSKIT_FIXED(2), lazy>(b));
  return detail::access::make<R>(static_cast<T>(sum));
}

template <HLSKIT_FIXED_ARGS(1), HLSKIT_FIXED_ARGS(2)>
HLSKIT_INLINE constexpr auto operator-(const HLSKIT_FIXED(1)& a, const HLSKIT_FIXED(2)& b) {
  using R = typename detail::arith<HLSKIT_FIXED(1), HLSKIT_FIXED(2)>::minus;
  using T = typename R::work_type;
  using U = typename detail::int_traits<T>::unsigned_type;
  constexpr bool lazy = R::lazy_wrap;
  const U diff = static_cast<U>(detail::aligned<T, R::fwidth, HLSKIT_FIXED(1), lazy>(a)) -
                 static_cast<U>(detail::aligned<T, R::fwidth, HLSKIT_FIXED(2), lazy>(b));
  return detail::access::make<R>(static_cast<T>(diff));
}

template <HLSKIT_FIXED_ARGS(1), HLSKIT_FIXED_ARGS(2)>
HLSKIT_INLINE constexpr auto operator*(const HLSKIT_FIXED(1)& a, const HLSKIT_FIXED(2)& b) {
  using R = typename detail::arith<HLSKIT_FIXED(1), HLSKIT_FIXED(2)>::mult;
  using T = typename R::work_type;  // holds the exact product
  constexpr bool lazy = R::lazy_wrap;
  return detail::access::make<R>(static_cast<T>(detail::access::operand<lazy>(a)) *
                                 static_cast<T>(detail::access::operand<lazy>(b)));
}

template <HLSKIT_FIXED_ARGS(1)>
HLSKIT_INLINE constexpr auto operator-(const HLSKIT_FIXED(1)& a) {
  using R = basic_fixed<W1 + 1, I1 + 1, true>;
  using T = typename R::work_type;
  return detail::access::make<R>(-static_cast<T>(detail::access::operand<R::lazy_wrap>(a)));
}

template <HLSKIT_FIXED_ARGS(1)>
HLSKIT_INLINE constexpr HLSKIT_FIXED(1) operator+(const HLSKIT_FIXED(1)& a) { return a; }

// ---- comparisons: exact values ----
namespace detail {
// Both codes aligned to the finer fraction in one signed type, then the plain integer comparison
// (a direct `x < y`, not a three-way result, so loops over comparisons stay vectorizable).
template <class A, class B, class Compare>
HLSKIT_INLINE constexpr bool compare(const A& a, const B& b, Compare cmp) {
  constexpr int frac = max_int(A::fwidth, B::fwidth);
  constexpr int bits = max_int(A::signed_bits + frac - A::fwidth, B::signed_bits + frac - B::fwidth);
  static_assert(bits <= 128, "hlskit::fixed: comparing these two formats needs more than 128 bits");
  using T = work_t<bits>;
  return cmp(aligned<T, frac>(a), aligned<T, frac>(b));
}
}  // namespace detail

#define HLSKIT_FIXED_COMPARISON(op)                                                                      \
  template <HLSKIT_FIXED_ARGS(1), HLSKIT_FIXED_ARGS(2)>                                                  \
  HLSKIT_INLINE constexpr bool operator op(const HLSKIT_FIXED(1) & a, const HLSKIT_FIXED(2) & b) {       \
    return detail::compare(a, b, [](auto x, auto y) { return x op y; });                                 \
  }
HLSKIT_FIXED_COMPARISON(==)
HLSKIT_FIXED_COMPARISON(!=)
HLSKIT_FIXED_COMPARISON(<)
HLSKIT_FIXED_COMPARISON(<=)
HLSKIT_FIXED_COMPARISON(>)
HLSKIT_FIXED_COMPARISON(>=)
#undef HLSKIT_FIXED_COMPARISON

#undef HLSKIT_FIXED_ARGS
#undef HLSKIT_FIXED

// ---- run-time formats (tools, loaders, the RTL requantizer's reference) ----

// Converts the raw code of `from` to `to` exactly as assigning an sc_fixed of format `from` to
// one of format `to` (quantize with to.q, then overflow with to.o). Codes are two's-complement
// bit patterns; only the low from.width bits of `raw` are read. Widths 1..64.
constexpr std::int64_t requantize(std::int64_t raw, const format& from, const format& to) {
  using T = detail::int128;
  const T x = detail::wrap_bits<T>(static_cast<T>(raw), from.width, from.is_signed);
  return static_cast<std::int64_t>(detail::convert_raw<T>(x, detail::signed_bits(from.width, from.is_signed),
                                                          from.fwidth() - to.fwidth(), to.width, to.is_signed,
                                                          to.q, to.o));
}

// The code of `to` nearest to d under to.q / to.o (NaN and infinity as for the types). Widths 1..64.
constexpr std::int64_t quantize(double d, const format& to) {
  return static_cast<std::int64_t>(
      detail::convert_double<detail::int128>(d, to.width, to.fwidth(), to.is_signed, to.q, to.o));
}

// The value of a raw code of format f (widths 1..64).
constexpr double to_double(std::int64_t raw, const format& f) {
  return detail::code_to_double(detail::wrap_bits<detail::int128>(static_cast<detail::int128>(raw), f.width, f.is_signed),
                                f.fwidth());
}

// The format of a type, for messages and run-time checks.
template <class T, std::enable_if_t<detail::is_fixed<T>::value, int> = 0>
constexpr format format_of() {
  return format{T::width, T::iwidth, T::is_signed, T::quantization, T::overflow};
}

}  // namespace hlskit
