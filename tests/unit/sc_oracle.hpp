// SystemC's sc_fix / sc_ufix as the oracle of hlskit's fixed-point semantics: helpers to move
// raw codes in and out of SystemC and to name formats in failure messages.
#pragma once

#include <hlskit/fixed.hpp>

#include <systemc>

#include <cstdint>
#include <optional>
#include <string>

namespace oracle {

using hlskit::detail::int128;
using hlskit::detail::uint128;

inline sc_dt::sc_q_mode to_sc(hlskit::q_mode q) {
  switch (q) {
    case hlskit::q_mode::rnd: return sc_dt::SC_RND;
    case hlskit::q_mode::rnd_zero: return sc_dt::SC_RND_ZERO;
    case hlskit::q_mode::rnd_min_inf: return sc_dt::SC_RND_MIN_INF;
    case hlskit::q_mode::rnd_inf: return sc_dt::SC_RND_INF;
    case hlskit::q_mode::rnd_conv: return sc_dt::SC_RND_CONV;
    case hlskit::q_mode::trn: return sc_dt::SC_TRN;
    case hlskit::q_mode::trn_zero: return sc_dt::SC_TRN_ZERO;
  }
  return sc_dt::SC_TRN;
}

inline sc_dt::sc_o_mode to_sc(hlskit::o_mode o) {
  switch (o) {
    case hlskit::o_mode::sat: return sc_dt::SC_SAT;
    case hlskit::o_mode::sat_zero: return sc_dt::SC_SAT_ZERO;
    case hlskit::o_mode::sat_sym: return sc_dt::SC_SAT_SYM;
    case hlskit::o_mode::wrap: return sc_dt::SC_WRAP;
  }
  return sc_dt::SC_WRAP;
}

inline const char* name(hlskit::q_mode q) {
  static const char* names[] = {"rnd", "rnd_zero", "rnd_min_inf", "rnd_inf", "rnd_conv", "trn", "trn_zero"};
  return names[static_cast<int>(q)];
}
inline const char* name(hlskit::o_mode o) {
  static const char* names[] = {"sat", "sat_zero", "sat_sym", "wrap"};
  return names[static_cast<int>(o)];
}

inline std::string describe(const hlskit::format& f) {
  return std::string(f.is_signed ? "fixed<" : "ufixed<") + std::to_string(f.width) + "," + std::to_string(f.iwidth) +
         "," + name(f.q) + "," + name(f.o) + ">";
}

inline std::string to_string(int128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  uint128 u = neg ? uint128(0) - static_cast<uint128>(v) : static_cast<uint128>(v);
  std::string s;
  while (u != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return neg ? "-" + s : s;
}

// The raw code of an sc_fix / sc_ufix, sign-extended for signed formats.
inline int128 raw_of(const sc_dt::sc_fxnum& x, bool is_signed) {
  const int wl = x.wl();
  uint128 bits = 0;
  for (int i = 0; i < wl; ++i)
    if (x[i]) bits |= uint128(1) << i;
  if (is_signed && wl < 128 && ((bits >> (wl - 1)) & 1)) bits |= ~uint128(0) << wl;
  return static_cast<int128>(bits);
}

// A SystemC fixed-point variable of format f (sc_fix or sc_ufix, chosen at run time).
class variable {
 public:
  explicit variable(const hlskit::format& f) : is_signed_(f.is_signed) {
    if (f.is_signed) fix_.emplace(f.width, f.iwidth, to_sc(f.q), to_sc(f.o));
    else ufix_.emplace(f.width, f.iwidth, to_sc(f.q), to_sc(f.o));
  }
  template <class V>
  variable& operator=(const V& value) {
    if (fix_) *fix_ = value;
    else *ufix_ = value;
    return *this;
  }
  // Compound assignment as sc_fixed computes it: the exact result, then quantization and overflow.
  template <class V>
  variable& operator+=(const V& value) {
    if (fix_) *fix_ += value;
    else *ufix_ += value;
    return *this;
  }
  template <class V>
  variable& operator-=(const V& value) {
    if (fix_) *fix_ -= value;
    else *ufix_ -= value;
    return *this;
  }
  int128 raw() const { return fix_ ? raw_of(*fix_, true) : raw_of(*ufix_, false); }
  sc_dt::sc_fxval value() const { return fix_ ? fix_->value() : ufix_->value(); }

 private:
  bool is_signed_;
  std::optional<sc_dt::sc_fix> fix_;
  std::optional<sc_dt::sc_ufix> ufix_;
};

// The exact value code * 2^-frac as an sc_fxval (built from 32-bit chunks, all exact).
inline sc_dt::sc_fxval value_of(int128 code, int frac) {
  const bool neg = code < 0;
  uint128 magnitude = neg ? uint128(0) - static_cast<uint128>(code) : static_cast<uint128>(code);
  sc_dt::sc_fxval v(0.0);
  for (int chunk = 3; chunk >= 0; --chunk) {
    v = v << 32;
    v = v + sc_dt::sc_fxval(static_cast<double>(static_cast<std::uint32_t>(magnitude >> (32 * chunk))));
  }
  if (neg) v = -v;
  return frac >= 0 ? sc_dt::sc_fxval(v >> frac) : sc_dt::sc_fxval(v << -frac);
}

// sc_fixed of format `to` assigned the exact value code * 2^-frac: the reference conversion.
inline int128 convert(int128 code, int frac, const hlskit::format& to) {
  variable x(to);
  x = value_of(code, frac);
  return x.raw();
}

inline int128 convert(double d, const hlskit::format& to) {
  variable x(to);
  x = d;
  return x.raw();
}

// sc_fixed of format `to` assigned an exact value.
inline int128 convert(const sc_dt::sc_fxval& v, const hlskit::format& to) {
  variable x(to);
  x = v;
  return x.raw();
}

}  // namespace oracle
