// hlskit::fixed vs SystemC sc_fix / sc_ufix: randomized, every (q_mode, o_mode) pair, widths 1..64,
// integer widths below 0 and above the width. Every comparison is of raw integer codes.
//
// The run-time conversion core (detail::convert_raw / convert_double) is driven with random
// formats through every working type the templates would pick for them; the templates
// themselves (arithmetic result types, assignment, shifts, comparisons, compound assignment)
// are instantiated over a generated set of 96 operand-type pairs covering widths 1..64.
#include "sc_oracle.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <random>
#include <tuple>
#include <utility>

namespace {

using hlskit::format;
using hlskit::o_mode;
using hlskit::q_mode;
using hlskit::detail::int128;
using hlskit::detail::uint128;

constexpr q_mode all_q[] = {q_mode::rnd, q_mode::rnd_zero, q_mode::rnd_min_inf, q_mode::rnd_inf,
                            q_mode::rnd_conv, q_mode::trn, q_mode::trn_zero};
constexpr o_mode all_o[] = {o_mode::sat, o_mode::sat_zero, o_mode::sat_sym, o_mode::wrap};

// Counts compared cases and reports the first mismatches in full.
struct tally {
  long long cases = 0;
  int failures = 0;
  void check(int128 expected, int128 actual, const std::string& what) {
    ++cases;
    if (expected == actual) return;
    if (++failures <= 20)
      ADD_FAILURE() << what << ": SystemC " << oracle::to_string(expected) << ", hlskit " << oracle::to_string(actual);
  }
};

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : gen_(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen_); }
  std::uint64_t bits() { return gen_(); }
  bool coin() { return (gen_() & 1) != 0; }

  // Widths biased toward the edges of the native storage sizes.
  int width() {
    static constexpr int edges[] = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 53, 54, 63, 64};
    return coin() ? edges[uniform(0, 14)] : uniform(1, 64);
  }
  format random_format(q_mode q, o_mode o) {
    const int w = width();
    return format{w, uniform(-12, w + 12), coin(), q, o};
  }

  // A code of format f: random, or one of the corner codes.
  int128 code(const format& f) {
    const int128 lo = f.is_signed ? -(int128(1) << (f.width - 1)) : 0;
    const int128 hi = (int128(1) << (f.is_signed ? f.width - 1 : f.width)) - 1;
    switch (uniform(0, 9)) {
      case 0: return lo;
      case 1: return hi;
      case 2: return 0;
      case 3: return f.is_signed ? -1 : 1;
      case 4: return uniform(0, 1) ? lo + 1 : hi - 1 < lo ? lo : hi - 1;
      default: {
        const uint128 raw = (static_cast<uint128>(bits()) << 64) | bits();
        return hlskit::detail::wrap_bits<int128>(static_cast<int128>(raw), f.width, f.is_signed);
      }
    }
  }

  // A double worth converting to f: near its codes (ties, exact codes, just out of range),
  // any magnitude, or a special value.
  double value(const format& f) {
    const int frac = f.fwidth();
    switch (uniform(0, 7)) {
      case 0: {
        static constexpr double specials[] = {0.0, -0.0, 1e300, -1e300, DBL_MAX, -DBL_MAX,
                                              DBL_MIN, -DBL_MIN, 4.9406564584124654e-324, -4.9406564584124654e-324};
        return specials[uniform(0, 9)];
      }
      case 1: {  // any magnitude
        const double mantissa = static_cast<double>(static_cast<std::int64_t>(bits() >> 11)) / 9007199254740992.0;
        return std::ldexp(coin() ? mantissa : -mantissa, uniform(-1074, 1023));
      }
      default: {  // a code (in or just out of range) plus an offset of 0, 1/2, 1/4, 3/4 or any
        const int span = std::min(f.width + 2, 52);
        const double code = static_cast<double>(static_cast<std::int64_t>(bits() >> (64 - span)) - (std::int64_t(1) << (span - 1)));
        static constexpr double offsets[] = {0.0, 0.5, 0.25, 0.75, -0.5};
        const int pick = uniform(0, 5);
        const double offset = pick < 5 ? offsets[pick] : static_cast<double>(bits() >> 11) / 9007199254740992.0;
        return std::ldexp(code + offset, -frac);
      }
    }
  }

 private:
  std::mt19937_64 gen_;
};

// A 64-bit code of the run-time API as the value it stands for (ufixed<64> codes are bit patterns).
int128 code_value(std::int64_t code, const format& f) {
  return hlskit::detail::wrap_bits<int128>(static_cast<int128>(code), f.width, f.is_signed);
}

// The run-time core through the working type T, if T is wide enough for the conversion.
template <class T>
void check_core_with(tally& t, int128 code, const format& from, const format& to, int128 expected, const std::string& what) {
  const int xbits = hlskit::detail::signed_bits(from.width, from.is_signed);
  if (std::max(xbits, hlskit::detail::signed_bits(to.width, to.is_signed)) > hlskit::detail::int_traits<T>::bits) return;
  const T got = hlskit::detail::convert_raw<T>(static_cast<T>(code), xbits, from.fwidth() - to.fwidth(), to.width,
                                               to.is_signed, to.q, to.o);
  t.check(expected, static_cast<int128>(got), what + " [working type " + std::to_string(sizeof(T) * 8) + " bits]");
}

TEST(FixedOracle, ConversionBetweenFormats) {
  random_source rng(0x5eed0001);
  tally t;
  for (int round = 0; round < 40000; ++round) {
    for (q_mode q : all_q) {
      for (o_mode o : all_o) {
        if (round % 7 != 0 && o != all_o[round % 4]) continue;  // every pair each 7th round, one o_mode otherwise
        const format from = rng.random_format(q_mode::trn, o_mode::wrap);
        const format to = rng.random_format(q, o);
        const int128 code = rng.code(from);
        const int128 expected = oracle::convert(code, from.fwidth(), to);
        const std::string what = "code " + oracle::to_string(code) + " of " + oracle::describe(from) + " -> " + oracle::describe(to);
        t.check(expected, code_value(hlskit::requantize(static_cast<std::int64_t>(code), from, to), to), what + " [requantize]");
        check_core_with<std::int32_t>(t, code, from, to, expected, what);
        check_core_with<std::int64_t>(t, code, from, to, expected, what);
      }
    }
  }
  std::printf("format conversions compared: %lld\n", t.cases);
  EXPECT_GE(t.cases, 800000);
}

TEST(FixedOracle, ConversionFromDouble) {
  random_source rng(0x5eed0002);
  tally t;
  for (int round = 0; round < 8000; ++round) {
    for (q_mode q : all_q) {
      for (o_mode o : all_o) {
        const format to = rng.random_format(q, o);
        const double d = rng.value(to);
        const int128 expected = oracle::convert(d, to);
        char text[64];
        std::snprintf(text, sizeof text, "%a", d);
        const std::string what = std::string("double ") + text + " -> " + oracle::describe(to);
        t.check(expected, code_value(hlskit::quantize(d, to), to), what + " [quantize]");
        if (hlskit::detail::signed_bits(to.width, to.is_signed) <= 64)
          t.check(expected, hlskit::detail::convert_double<std::int64_t>(d, to.width, to.fwidth(), to.is_signed, to.q, to.o),
                  what + " [working type 64 bits]");
      }
    }
  }
  std::printf("double conversions compared: %lld\n", t.cases);
  EXPECT_GE(t.cases, 400000);
}

// Every case that ever failed during development, kept as a regression.
struct regression_case {
  format to;
  double value;
};
const regression_case regression_cases[] = {
    {{4, 2, true, q_mode::trn, o_mode::sat_sym}, -2.0},     // exactly the minimum code: sat_sym gives -max
    {{1, 1, true, q_mode::trn, o_mode::sat_sym}, -1.0},     // 1-bit signed: max = 0, so -max = 0
    {{4, -2, true, q_mode::rnd, o_mode::wrap}, 0.01},       // negative integer width
    {{4, 7, true, q_mode::rnd, o_mode::wrap}, 37.0},        // integer width above the width
    {{8, 3, true, q_mode::rnd, o_mode::wrap}, 1e300},       // far out of range wraps to 0
    {{8, 3, true, q_mode::rnd_min_inf, o_mode::sat}, -0.0}, // negative zero
};

struct to_double_case {
  format f;
  std::int64_t code;
};
const to_double_case to_double_cases[] = {
    {{55, 54, false}, 11847096165905821},  // 54-bit code, a tie between two doubles: away from zero
    {{55, 54, true}, -11847096165905821},
    {{2, 3, true}, 1},                     // scale by 2^+1 (a scaling loop once applied it twice)
    {{2, 3, true}, -2},
};

TEST(FixedOracle, RegressionCases) {
  tally t;
  for (const auto& c : to_double_cases)
    t.check(static_cast<int128>(__builtin_bit_cast(std::int64_t, oracle::value_of(c.code, c.f.fwidth()).to_double())),
            static_cast<int128>(__builtin_bit_cast(std::int64_t, hlskit::to_double(c.code, c.f))),
            "to_double of code " + std::to_string(c.code) + " of " + oracle::describe(c.f));
  for (const auto& c : regression_cases) {
    char text[64];
    std::snprintf(text, sizeof text, "%a", c.value);
    t.check(oracle::convert(c.value, c.to), code_value(hlskit::quantize(c.value, c.to), c.to), std::string(text) + " -> " + oracle::describe(c.to));
  }
  EXPECT_EQ(t.failures, 0);
}

// ---- the templates, over generated operand-type pairs ----

template <int Index>
struct pair_params {
  static constexpr int w1 = 1 + Index % 64;
  static constexpr int w2 = 1 + (Index * 37 + 5) % 64;
  static constexpr bool s1 = Index % 3 != 0;
  static constexpr bool s2_raw = Index % 4 != 1;
  // ufixed * ufixed of 128 bits would exceed the 127-bit unsigned limit.
  static constexpr bool s2 = s2_raw || (!s1 && w1 + w2 > 127);
  static constexpr int i1 = -4 + (Index * 7) % (w1 + 9);
  static constexpr int i2_raw = -4 + (Index * 11 + 3) % (w2 + 9);
  // Keep full-precision sums within 128 bits: far-apart binary points would need more.
  static constexpr int sum_width = std::max(i1, i2_raw) + 2 + std::max(w1 - i1, w2 - i2_raw);
  static constexpr int i2 = sum_width > 126 ? i1 : i2_raw;
  using A = hlskit::basic_fixed<w1, i1, s1, all_q[Index % 7], all_o[(Index / 7) % 4]>;
  using B = hlskit::basic_fixed<w2, i2, s2, all_q[(Index + 3) % 7], all_o[(Index / 7 + 1) % 4]>;
};

template <class X>
format format_of() {
  return hlskit::format_of<X>();
}

template <class X>
int128 code_of(const X& x) {
  return static_cast<int128>(x.raw());
}

// The exact value of a full-precision result, then its assignment to a random format.
template <class R>
void check_full_precision(tally& t, random_source& rng, const R& result, const sc_dt::sc_fxval& exact, const std::string& what) {
  // The result type holds the exact value: assigning the exact value to it changes nothing.
  t.check(oracle::convert(exact, format_of<R>()), code_of(result),
          what + " (full precision, in " + oracle::describe(format_of<R>()) + ")");
  const format to = rng.random_format(all_q[rng.uniform(0, 6)], all_o[rng.uniform(0, 3)]);
  const int128 got = hlskit::detail::convert_raw<int128>(code_of(result), R::signed_bits, R::fwidth - to.fwidth(),
                                                         to.width, to.is_signed, to.q, to.o);
  t.check(oracle::convert(exact, to), got, what + " assigned to " + oracle::describe(to));
}

template <int Index>
void check_pair(tally& t) {
  using P = pair_params<Index>;
  using A = typename P::A;
  using B = typename P::B;
  random_source rng(0x5eed1000 + Index);
  const format fa = format_of<A>(), fb = format_of<B>();
  for (int i = 0; i < 800; ++i) {
    const A a = A::from_raw(static_cast<typename A::raw_type>(rng.code(fa)));
    const B b = B::from_raw(static_cast<typename B::raw_type>(rng.code(fb)));
    const sc_dt::sc_fxval va = oracle::value_of(code_of(a), A::fwidth);
    const sc_dt::sc_fxval vb = oracle::value_of(code_of(b), B::fwidth);
    const std::string what = oracle::describe(fa) + " " + oracle::to_string(code_of(a)) + " and " + oracle::describe(fb) +
                             " " + oracle::to_string(code_of(b));

    check_full_precision(t, rng, a + b, va + vb, what + ": a + b");
    check_full_precision(t, rng, a - b, va - vb, what + ": a - b");
    check_full_precision(t, rng, a * b, va * vb, what + ": a * b");
    check_full_precision(t, rng, -a, -va, what + ": -a");

    t.check(va == vb, a == b, what + ": a == b");
    t.check(va != vb, a != b, what + ": a != b");
    t.check(va < vb, a < b, what + ": a < b");
    t.check(va <= vb, a <= b, what + ": a <= b");
    t.check(va > vb, a > b, what + ": a > b");
    t.check(va >= vb, a >= b, what + ": a >= b");

    // Assignment between the two types (quantize and overflow by the destination's modes).
    t.check(oracle::convert(code_of(b), B::fwidth, fa), code_of(A(b)), what + ": A(b)");
    t.check(oracle::convert(code_of(a), A::fwidth, fb), code_of(B(a)), what + ": B(a)");

    // Compound assignment (the wrap fast path where it applies).
    {
      A acc = a;
      acc += b;
      t.check(oracle::convert(va + vb, fa), code_of(acc), what + ": a += b");
      acc = a;
      acc -= b;
      t.check(oracle::convert(va - vb, fa), code_of(acc), what + ": a -= b");
      acc = a;
      acc *= b;
      t.check(oracle::convert(va * vb, fa), code_of(acc), what + ": a *= b");
    }

    // Shifts by a run-time amount, rounded and overflowed by the operand's own modes.
    {
      const int n = rng.uniform(-70, 70);
      t.check(oracle::convert(va << n, fa), code_of(a << n), what + ": a << " + std::to_string(n));
      t.check(oracle::convert(va >> n, fa), code_of(a >> n), what + ": a >> " + std::to_string(n));
    }

    // The value as a double (rounded to nearest when wider than 53 bits), bit for bit.
    t.check(static_cast<int128>(__builtin_bit_cast(std::int64_t, va.to_double())),
            static_cast<int128>(__builtin_bit_cast(std::int64_t, a.to_double())), what + ": a.to_double()");

    // Construction from double, through the class.
    {
      const double d = rng.value(fa);
      char text[64];
      std::snprintf(text, sizeof text, "%a", d);
      t.check(oracle::convert(d, fa), code_of(A(d)), std::string("A(") + text + ") with A = " + oracle::describe(fa));
    }
  }
}

template <std::size_t... Index>
long long check_pairs(std::index_sequence<Index...>) {
  tally t;
  (check_pair<static_cast<int>(Index)>(t), ...);
  return t.cases;
}

TEST(FixedOracle, TemplatesOverTypePairs) {
  const long long cases = check_pairs(std::make_index_sequence<96>{});
  std::printf("template operations compared: %lld\n", cases);
  EXPECT_GE(cases, 96LL * 800 * 20);
}

// ---- lazy wrap-around: long += / -= chains on wrapping accumulators of non-native widths ----
//
// Such an accumulator (basic_fixed::lazy_wrap) skips the sign extension after each addition and
// normalizes when read. Each chain below wraps around many times (corner and random codes,
// products near full scale); at random points and at the end every way of observing the value
// is compared with SystemC running the same chain: raw(), to_double(), comparisons, conversion
// to other formats, +, -, *, unary -, shifts, copies, compound assignment with the accumulator
// itself as the addend (into wider, narrower and saturating accumulators), and further chains.

template <class Acc, class A, class B>
struct lazy_chain {
  static_assert(Acc::lazy_wrap, "the chain must exercise a lazy_wrap accumulator");
  static_assert(Acc::fwidth >= A::fwidth + B::fwidth && Acc::fwidth >= A::fwidth && Acc::fwidth >= B::fwidth,
                "every addend of the chain must take the wrap fast path");
  // Accumulators that take this one as an addend: wider and narrower, same binary point (lazy
  // too where their width is non-native), and a saturating one (the general path).
  using wider = hlskit::basic_fixed<Acc::width + 5, Acc::iwidth + 5, Acc::is_signed>;
  using narrower = hlskit::basic_fixed<Acc::width - 3, Acc::iwidth - 3, Acc::is_signed>;
  using saturating = hlskit::basic_fixed<Acc::width + 2, Acc::iwidth + 2, true, q_mode::trn, o_mode::sat>;
  // Conversion targets: rounding and saturating, narrower; wrapping with fewer fraction bits.
  using conv1 = hlskit::fixed<16, 6, q_mode::rnd, o_mode::sat>;
  using conv2 = hlskit::basic_fixed<Acc::width - 2, Acc::iwidth, Acc::is_signed, q_mode::rnd_conv, o_mode::wrap>;
  using conv3 = hlskit::ufixed<12, 4, q_mode::trn_zero, o_mode::sat_sym>;

  static void run(tally& t, std::uint64_t seed, int length) {
    random_source rng(seed);
    const format facc = format_of<Acc>(), fa = format_of<A>(), fb = format_of<B>();
    const std::string name = oracle::describe(facc) + " chain (seed " + std::to_string(seed) + ")";
    Acc acc = Acc::from_raw(static_cast<typename Acc::raw_type>(rng.code(facc)));
    oracle::variable ref(facc);
    ref = oracle::value_of(code_of(acc), Acc::fwidth);
    wider acc_wide = 0;
    narrower acc_narrow = 0;
    saturating acc_sat = 0;
    oracle::variable ref_wide(format_of<wider>()), ref_narrow(format_of<narrower>()), ref_sat(format_of<saturating>());
    ref_wide = 0.0;
    ref_narrow = 0.0;
    ref_sat = 0.0;
    int next_observation = rng.uniform(1, 64);
    for (int step = 1; step <= length; ++step) {
      const A a = A::from_raw(static_cast<typename A::raw_type>(rng.code(fa)));
      const B b = B::from_raw(static_cast<typename B::raw_type>(rng.code(fb)));
      const sc_dt::sc_fxval va = oracle::value_of(code_of(a), A::fwidth), vb = oracle::value_of(code_of(b), B::fwidth);
      switch (rng.uniform(0, 5)) {
        case 0: case 1: acc += a * b; ref += va * vb; break;
        case 2: acc -= a * b; ref -= va * vb; break;
        case 3: acc += a; ref += va; break;
        case 4: acc -= b; ref -= vb; break;
        default: {  // a named product (an lvalue addend), then the accumulator's own value
          const auto p = a * b;
          acc += p;
          ref += va * vb;
          if (rng.uniform(0, 7) == 0) {
            const sc_dt::sc_fxval before = ref.value();
            acc += acc;
            ref += before;
          }
        }
      }
      if (step == next_observation || step == length) {
        observe(t, rng, acc, ref, name + " after " + std::to_string(step) + " steps");
        // The (unnormalized) accumulator as an addend, into the accumulators of other widths.
        acc_wide += acc;
        ref_wide += ref.value();
        acc_narrow -= acc;
        ref_narrow -= ref.value();
        acc_sat += acc;
        ref_sat += ref.value();
        t.check(ref_wide.raw(), code_of(acc_wide), name + ": wider accumulator += acc");
        t.check(ref_narrow.raw(), code_of(acc_narrow), name + ": narrower accumulator -= acc");
        t.check(ref_sat.raw(), code_of(acc_sat), name + ": saturating accumulator += acc");
        next_observation = step + rng.uniform(1, 64);
      }
    }
  }

  // Every observation of an accumulator that may hold its code unnormalized.
  static void observe(tally& t, random_source& rng, const Acc& acc, const oracle::variable& ref, const std::string& what) {
    const int128 expected = ref.raw();
    const sc_dt::sc_fxval v = ref.value();
    t.check(expected, code_of(acc), what + ": raw()");
    t.check(static_cast<int128>(__builtin_bit_cast(std::int64_t, v.to_double())),
            static_cast<int128>(__builtin_bit_cast(std::int64_t, acc.to_double())), what + ": to_double()");
    t.check(static_cast<int128>(__builtin_bit_cast(std::int64_t, v.to_double())),
            static_cast<int128>(__builtin_bit_cast(std::int64_t, static_cast<double>(acc))), what + ": (double)");
    {
      const Acc copy = acc;  // a copy, and a round trip through the raw code
      t.check(expected, code_of(copy), what + ": copy");
      t.check(expected, code_of(Acc::from_raw(acc.raw())), what + ": from_raw(raw())");
      Acc assigned;
      assigned = acc;
      t.check(expected, code_of(assigned), what + ": assignment");
    }
    // Comparisons with values of other formats, with zero and with a normalized copy of itself.
    {
      const B b = B::from_raw(static_cast<typename B::raw_type>(rng.code(format_of<B>())));
      const sc_dt::sc_fxval vb = oracle::value_of(code_of(b), B::fwidth);
      t.check(v == vb, acc == b, what + ": acc == b");
      t.check(v != vb, acc != b, what + ": acc != b");
      t.check(v < vb, acc < b, what + ": acc < b");
      t.check(v <= vb, acc <= b, what + ": acc <= b");
      t.check(v > vb, b < acc, what + ": b < acc");
      t.check(v >= vb, b <= acc, what + ": b <= acc");
      const Acc zero = 0;
      t.check(v < sc_dt::sc_fxval(0.0), acc < zero, what + ": acc < 0");
      t.check(v == sc_dt::sc_fxval(0.0), acc == zero, what + ": acc == 0");
      const Acc same = Acc::from_raw(static_cast<typename Acc::raw_type>(expected));
      t.check(true, acc == same && !(acc < same) && acc >= same, what + ": acc == its normalized code");
      // Arithmetic with the accumulator as an operand (full precision, then assigned anywhere).
      check_full_precision(t, rng, acc + b, v + vb, what + ": acc + b");
      check_full_precision(t, rng, b - acc, vb - v, what + ": b - acc");
      check_full_precision(t, rng, -acc, -v, what + ": -acc");
      if constexpr (Acc::width + B::width <= 127) {  // products within the 128-bit limit
        check_full_precision(t, rng, acc * b, v * vb, what + ": acc * b");
        Acc m = acc;
        m *= b;
        t.check(oracle::convert(v * vb, format_of<Acc>()), code_of(m), what + ": acc *= b");
      }
      if constexpr (2 * Acc::width <= 127) check_full_precision(t, rng, acc * acc, v * v, what + ": acc * acc");
    }
    // Conversions (each destination's q_mode and o_mode).
    t.check(oracle::convert(v, format_of<conv1>()), code_of(conv1(acc)), what + ": to " + oracle::describe(format_of<conv1>()));
    t.check(oracle::convert(v, format_of<conv2>()), code_of(conv2(acc)), what + ": to " + oracle::describe(format_of<conv2>()));
    t.check(oracle::convert(v, format_of<conv3>()), code_of(conv3(acc)), what + ": to " + oracle::describe(format_of<conv3>()));
    // Shifts by run-time amounts (the accumulator's own modes).
    const int n = rng.uniform(-40, 40);
    t.check(oracle::convert(v << n, format_of<Acc>()), code_of(acc << n), what + ": acc << " + std::to_string(n));
    t.check(oracle::convert(v >> n, format_of<Acc>()), code_of(acc >> n), what + ": acc >> " + std::to_string(n));
  }
};

TEST(FixedOracle, LazyWrapAccumulatorChains) {
  using hlskit::fixed;
  using hlskit::sint;
  using hlskit::ufixed;
  tally t;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const int length = seed % 3 == 0 ? 20000 : 2000;
    // bench/fixed_dense's 30-bit accumulator of fixed<8,3> x fixed<16,6> products
    lazy_chain<fixed<30, 15>, fixed<8, 3>, fixed<16, 6>>::run(t, 0x1a2f0000 + seed, length);
    // hls4ml-style 18-bit accumulator of 6-bit weights x unsigned 8-bit inputs
    lazy_chain<fixed<18, 6>, fixed<6, 1>, ufixed<8, 1>>::run(t, 0x1a2f0100 + seed, length);
    // unsigned accumulator, unsigned addends with fewer fraction bits (aligned by a shift)
    lazy_chain<ufixed<20, 4>, ufixed<8, 2>, ufixed<10, 2>>::run(t, 0x1a2f0200 + seed, length);
    // unsigned accumulator of signed products (wrap-around below zero every few steps)
    lazy_chain<ufixed<26, 10>, fixed<8, 3>, fixed<10, 2>>::run(t, 0x1a2f0300 + seed, length);
    // 64-bit container
    lazy_chain<fixed<40, 12>, fixed<17, 5>, fixed<19, 3>>::run(t, 0x1a2f0400 + seed, length);
    // 128-bit container, addends 27 fraction bits below the accumulator's
    lazy_chain<fixed<100, 30>, fixed<33, 10>, fixed<40, 20>>::run(t, 0x1a2f0500 + seed, length);
    // integers; the products (28 bits) are wider than the accumulator
    lazy_chain<sint<21>, sint<12>, sint<16>>::run(t, 0x1a2f0600 + seed, length);
    // the accumulator has the product's own type (fixed<24,9> = fixed<8,3> * fixed<16,6>)
    lazy_chain<fixed<24, 9>, fixed<8, 3>, fixed<16, 6>>::run(t, 0x1a2f0700 + seed, length);
    // lazy products of narrow non-native operands (read sign- / zero-extended: exact_code):
    // a 6-bit weight in an 8-bit word times a 16-bit input, and an unsigned 7-bit operand
    lazy_chain<fixed<27, 12>, fixed<6, 1>, fixed<16, 6>>::run(t, 0x1a2f0800 + seed, length);
    lazy_chain<fixed<33, 17>, ufixed<7, 2>, fixed<12, 1>>::run(t, 0x1a2f0900 + seed, length);
  }
  std::printf("lazy wrap-around observations compared: %lld\n", t.cases);
  EXPECT_EQ(t.failures, 0);
  EXPECT_GE(t.cases, 100000);
}

}  // namespace

int sc_main(int, char**) { return 0; }  // libsystemc wants one; GoogleTest's main runs the tests
