// Cosimulation of rtl/svm/svm_top against hlskit::svm::classify (the C++ executable
// specification, hls/kernels/svm/): class index, label and every pair's decision code of every
// vector, zero differing bits, for both named configs (tiny, default). Parameter sets are built
// directly as parameters<Config> (random codes, binary points picked so the kernel values are
// neither all saturated nor all zero, plus deliberate corners); they cover every kernel kind
// (linear, polynomial of degree 1..4, rbf with small and with large gamma, the latter saturating
// the exp argument at -32), 2 classes and the maximum, a class without SVs and very uneven ones,
// features = 1, odd counts, the maximum, and the requantizer's shift at 0 and 62; the capacity
// edges: 0 support vectors (decisions -rho) and 1, the maximum (rbf_uneven_max), each with 1
// feature or the maximum and 2 classes or the maximum. Vectors include
// the code limits, zero, copies of support vectors (rbf argument 0, K = 1), vectors whose
// decisions are exactly 0 or tie the votes, and junk in the lanes past `features`. Without
// back-pressure the measured cycles per inference are asserted; then with random back-pressure.
//
// Built a second time with HLSKIT_GATE_LEVEL (test_cosim_gatelevel_svm): the same typed tests,
// parameter sets, vectors and checks on the gate-level models (hlskit/verilated/svm_gl_models.hpp:
// the Yosys netlist of a config with the Xilinx cell models), without the control tests below.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <svm/cosim.hpp>
#ifdef HLSKIT_GATE_LEVEL
#include "hlskit/verilated/svm_gl_models.hpp"
#else
#include "hlskit/verilated/svm_models.hpp"
#endif

namespace cosim = hlskit::cosim;
namespace svm = hlskit::svm;
using namespace cosim::svm_top;

namespace {

using kind = svm::kernel_kind;

cosim::run_options options(const std::string& kernel, std::uint64_t seed, double gap, double stall) {
  cosim::run_options o;
  o.kernel = kernel;
  o.seed = seed;
  o.valid_gap_probability = gap;
  o.ready_stall_probability = stall;
  // Passes with back-pressure also start from a random initial state (every register and RAM
  // word random before reset): a read of a never-written word cannot pass by luck.
  if (gap > 0 || stall > 0) o.random_init = static_cast<std::uint32_t>(seed);
  o.idle_timeout = 100'000;  // one default-config vector takes up to 8192 + overhead cycles
  o.axil_timeout = 10'000;
  return o;
}

// What one parameter set looks like; the codes are drawn from it.
struct spec {
  std::string name;
  kind kernel = kind::rbf;
  int degree = 1;
  int features = 1;
  std::vector<int> class_svs;  // per class; the classes are class_svs.size()
  int amplitude = 32767;       // feature and SV codes in [-amplitude, amplitude]
  int target_bits = 16;        // typical |r| (requantized product) ~ 2^target_bits codes; -1: shift 0; 99: shift 62
  int coef_limit = 131071;
  std::size_t vectors = 40, run = 4;
};

template <class C>
struct builder {
  std::mt19937_64 rng;
  explicit builder(std::uint64_t seed) : rng(seed) {}

  int uniform(int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); }

  std::int64_t feature_sum(const feature_vector<C>& x, const typename C::feature_t* sv, int features, bool rbf) {
    std::int64_t s = 0;
    for (int j = 0; j < features; ++j) {
      const std::int64_t a = x[static_cast<std::size_t>(j)], b = sv[j].raw();
      s += rbf ? (a - b) * (a - b) : a * b;
    }
    return s;
  }

  feature_vector<C> random_vector(int amplitude) {
    feature_vector<C> x;
    for (auto& v : x) v = static_cast<std::int16_t>(uniform(-amplitude, amplitude));
    return x;
  }

  // The parameters, and the vectors: random ones, the corners, copies of SVs.
  stimulus_set<C> make(const spec& s) {
    auto p = std::make_shared<svm::parameters<C>>();
    p->features = s.features;
    p->classes = static_cast<int>(s.class_svs.size());
    p->kernel = s.kernel;
    p->degree = s.degree;
    int n = 0;
    for (int c = 0; c < p->classes; ++c) n += (p->class_support_vectors[c] = s.class_svs[static_cast<std::size_t>(c)]);
    p->support_vectors = n;
    for (int c = 0; c < C::max_classes; ++c) p->label[c] = static_cast<std::int32_t>(rng()) >> uniform(0, 24);
    for (int k = 0; k < n; ++k) {
      for (int j = 0; j < C::max_features; ++j)
        p->support_vector[k][j] = C::feature_t::from_raw(uniform(-s.amplitude, s.amplitude));
      for (int m = 0; m < C::max_classes - 1; ++m)
        p->coef[m][k] = C::coef_t::from_raw(k % 7 == 3 ? (k % 2 ? s.coef_limit : -s.coef_limit - 1)
                                                       : uniform(-s.coef_limit - 1, s.coef_limit));
    }
    const bool rbf = s.kernel == kind::rbf;
    p->gamma = C::gamma_t::from_raw(s.kernel == kind::linear ? 1 : uniform(1, 65535));
    p->coef0 = C::kernel_t::from_raw(uniform(-(1 << 17), 1 << 17));

    stimulus_set<C> set{s.name, nullptr, {}, s.run};
    for (std::size_t i = 0; i < s.vectors; ++i) set.vectors.push_back(random_vector(s.amplitude));
    feature_vector<C> lo, hi, alt, zero{};
    lo.fill(-32768);
    hi.fill(32767);
    for (std::size_t j = 0; j < alt.size(); ++j) alt[j] = j % 2 ? -32768 : 32767;
    for (const auto& x : {zero, lo, hi, alt}) set.vectors.push_back(x);
    for (int k : {0, n - 1, n / 2}) {  // x = an SV (rbf: argument 0, K = 1), junk past `features`
      if (n == 0) break;
      feature_vector<C> x = random_vector(32767);
      for (int j = 0; j < s.features; ++j) x[static_cast<std::size_t>(j)] = static_cast<std::int16_t>(p->support_vector[k][j].raw());
      set.vectors.push_back(x);
    }
    while (set.vectors.size() % s.run) set.vectors.push_back(random_vector(s.amplitude));

    // The shift: typical |gamma * sum| over the random vectors and SVs -> r ~ 2^target_bits.
    const int frac = rbf ? 14 : 16;
    int shift = 0;
    if (s.target_bits == 99) {
      shift = 62;
    } else if (s.target_bits >= 0 && n > 0) {
      std::vector<double> mags;
      for (std::size_t i = 0; i < s.vectors; ++i)
        mags.push_back(std::abs(static_cast<double>(feature_sum(set.vectors[i], p->support_vector[i % n], s.features, rbf))) *
                       static_cast<double>(p->gamma.raw()) + 1.0);
      std::nth_element(mags.begin(), mags.begin() + static_cast<long>(mags.size() / 2), mags.end());
      shift = std::clamp(static_cast<int>(std::lround(std::log2(mags[mags.size() / 2]))) - s.target_bits, 0, 62);
    }
    p->product_frac = shift + frac;

    // rho ~ the size of the sums, either sign.
    for (int q = 0; q < C::max_pairs; ++q)
      p->rho[q] = C::rho_t::from_raw(static_cast<std::int64_t>(rng() >> 20) - (std::int64_t{1} << 43));
    set.params = p;
    return set;
  }

  // rho such that vector `x`'s decisions are exactly `target[q]` (0: the vote goes to j).
  void fit_rho(stimulus_set<C>& set, const feature_vector<C>& x, const std::vector<int>& target) {
    auto p = std::make_shared<svm::parameters<C>>(*set.params);
    for (auto& r : p->rho) r = C::rho_t::from_raw(0);
    typename C::feature_t xs[C::max_features];
    for (int j = 0; j < C::max_features; ++j) xs[j] = C::feature_t::from_raw(x[static_cast<std::size_t>(j)]);
    svm::result<C> r;
    svm::classify<C>(xs, *p, r);
    for (int q = 0; q < pairs(*p); ++q)
      p->rho[q] = C::rho_t::from_raw(r.decision[q].raw() - target[static_cast<std::size_t>(q)]);
    set.params = p;
  }
};

// The parameter sets for a config: every kernel kind and the corners named at the top.
template <class C>
std::vector<stimulus_set<C>> make_sets(std::uint64_t seed) {
  constexpr int F = C::max_features, N = C::max_support_vectors, K = C::max_classes, L = C::lanes;
  const int odd = F > 2 * L ? 3 * L + 1 : F - 1;  // not a multiple of the lanes
  builder<C> b(seed);
  std::vector<spec> specs = {
      {"linear_f1_2cls", kind::linear, 1, 1, {3, 2}, 32767, 18},
      {"linear_odd_maxcls", kind::linear, 1, odd, std::vector<int>(K, 3), 32767, 20},
      {"poly_d1", kind::polynomial, 1, F, {4, 5, 1}, 32767, 16},
      {"poly_d2_odd", kind::polynomial, 2, odd, {2, 7}, 20000, 16},
      {"poly_d3_maxcls", kind::polynomial, 3, 5, std::vector<int>(K, 2), 32767, 16},
      {"poly_d4_saturating", kind::polynomial, 4, F, {6, 3, 2}, 32767, 18},
      {"rbf_small_gamma", kind::rbf, 1, F, {5, 4}, 32767, 15},
      {"rbf_large_gamma_sat", kind::rbf, 1, odd, {3, 0, 4}, 32767, 22},  // arguments at -32; an empty class
      {"rbf_shift0", kind::rbf, 1, 3, {3, 3}, 6, -1},
      {"rbf_shift62", kind::rbf, 1, F, {2, 2}, 32767, 99},
      {"linear_shift0", kind::linear, 1, 2, {2, 1}, 100, -1},
      {"rbf_uneven_max", kind::rbf, 1, F, {}, 32767, 16, 131071, 10, 3},
      {"rbf_tie_votes", kind::rbf, 1, odd, {}, 32767, 15},
      {"rbf_tie_3cls", kind::rbf, 1, 1, {2, 2, 2}, 32767, 15},
      {"linear_zero_2cls", kind::linear, 1, F, {3, 4}, 32767, 18},
      // Capacity edges (issue 9): no support vectors (libsvm writes such models; decisions -rho),
      // one, with 1 feature and the maximum, 2 classes and the maximum.
      {"rbf_sv0_2cls_f1", kind::rbf, 1, 1, {0, 0}, 32767, 16, 131071, 8, 4},
      {"linear_sv0_maxcls_maxf", kind::linear, 1, F, std::vector<int>(K, 0), 32767, 16, 131071, 8, 4},
      {"poly_sv0_maxcls_f1", kind::polynomial, 2, 1, std::vector<int>(K, 0), 32767, 16, 131071, 8, 4},
      {"rbf_sv0_2cls_maxf", kind::rbf, 1, F, {0, 0}, 32767, 16, 131071, 8, 4},  // the input beats set the pace
      {"rbf_sv1_2cls_maxf", kind::rbf, 1, F, {0, 1}, 32767, 15, 131071, 8, 4},
      {"linear_sv1_maxcls_f1", kind::linear, 1, 1, [] { std::vector<int> v(K, 0); v[K / 2] = 1; return v; }(), 32767, 18,
       131071, 8, 4},
      {"poly_sv1_2cls_f1", kind::polynomial, 3, 1, {1, 0}, 32767, 16, 131071, 8, 4},
  };
  // Very different SV counts over the max classes, the capacity filled: one big class, one
  // single-SV class, the rest split evenly.
  auto& uneven = specs[11].class_svs;
  uneven.assign(static_cast<std::size_t>(K), 0);
  uneven[0] = 1;
  uneven[static_cast<std::size_t>(K - 1)] = N / 2;
  int left = N - 1 - N / 2;
  for (int c = 1; c < K - 1; ++c) left -= (uneven[static_cast<std::size_t>(c)] = left / (K - 1 - c) / 2);
  uneven[static_cast<std::size_t>(K - 1)] += left;
  specs[12].class_svs.assign(static_cast<std::size_t>(K), 3);

  std::vector<stimulus_set<C>> sets;
  for (const auto& s : specs) sets.push_back(b.make(s));
  // Decisions exactly 0 and tied votes: rho fitted to the set's first vector.
  auto fit = [&](const std::string& name, auto target_of) {
    for (auto& s : sets)
      if (s.name == name) {
        std::vector<int> t;
        for (int i = 0, q = 0; i < s.params->classes; ++i)
          for (int j = i + 1; j < s.params->classes; ++j, ++q) t.push_back(target_of(i, j, q));
        b.fit_rho(s, s.vectors[0], t);
      }
  };
  fit("linear_zero_2cls", [](int, int, int) { return 0; });                   // decision 0: class 1
  fit("rbf_tie_3cls", [](int i, int j, int) { return i == 0 && j == 2 ? 0 : 1; });  // 1 vote each: class 0
  fit("rbf_tie_votes", [](int i, int j, int) { return (j - i) % 2 ? 1 : (i + j) % 3 == 0 ? 0 : -1; });
  return sets;
}

// The corners the stimulus must reach (counted on the C++ side): rbf arguments saturated at -32
// and exactly 0 (K = 1), linear / polynomial kernel values saturated, decisions exactly 0, and
// tied votes.
struct coverage {
  std::size_t arg_saturated = 0, k_one = 0, k_saturated = 0, decision_zero = 0, vote_tie = 0;
};

template <class C>
coverage coverage_of(const std::vector<stimulus_set<C>>& sets) {
  coverage cov;
  for (const auto& s : sets) {
    const auto& p = *s.params;
    const bool rbf = p.kernel == kind::rbf;
    for (const auto& x : s.vectors) {
      typename C::feature_t xs[C::max_features];
      for (int j = 0; j < C::max_features; ++j) xs[j] = C::feature_t::from_raw(x[static_cast<std::size_t>(j)]);
      for (int k = 0; k < p.support_vectors; ++k) {
        const std::int64_t sum = svm::feature_sum<C>(xs, p.support_vector[k], p.features, rbf);
        const auto kv = svm::kernel_value<C>(sum, p).raw();
        if (rbf) {
          const hlskit::format from{64, 64 - p.product_frac, true, hlskit::q_mode::trn, hlskit::o_mode::wrap};
          cov.arg_saturated += hlskit::requantize(-sum * p.gamma.raw(), from, hlskit::format_of<typename C::exp_in_t>()) == -(1 << 19);
          cov.k_one += kv == (1 << 16);
        } else {
          cov.k_saturated += kv == (1 << 23) - 1 || kv == -(1 << 23);
        }
      }
      svm::result<C> r;
      svm::classify<C>(xs, p, r);
      std::vector<int> votes(static_cast<std::size_t>(p.classes));
      for (int i = 0, q = 0; i < p.classes; ++i)
        for (int j = i + 1; j < p.classes; ++j, ++q) {
          cov.decision_zero += r.decision[q].raw() == 0;
          ++votes[static_cast<std::size_t>(r.decision[q].raw() > 0 ? i : j)];
        }
      cov.vote_tie += std::count(votes.begin(), votes.end(), *std::max_element(votes.begin(), votes.end())) > 1;
    }
  }
  return cov;
}

template <class M>
class svm_cosim : public ::testing::Test {};
#ifdef HLSKIT_GATE_LEVEL
using svm_models = ::testing::Types<HLSKIT_SVM_GL_MODELS>;
#else
using svm_models = ::testing::Types<hlskit::verilated::svm_tiny, hlskit::verilated::svm_default>;
#endif
TYPED_TEST_SUITE(svm_cosim, svm_models);

template <class Sets>
std::size_t total_vectors(const Sets& sets) {
  std::size_t n = 0;
  for (const auto& s : sets) n += s.vectors.size();
  return n;
}

TYPED_TEST(svm_cosim, every_output_matches_without_backpressure) {
  using A = driver<TypeParam>;
  using C = typename TypeParam::config;
  const auto sets = make_sets<C>(11);
  std::vector<set_timing> timing;
  const auto r = run_sets<A>(options(std::string("svm_") + TypeParam::name, 1, 0, 0), sets, &timing);
  const coverage cov = coverage_of(sets);
  std::cout << r.table()
            << fmt::format("  coverage: {} rbf arguments at -32, {} K = 1, {} K saturated, {} decisions 0, {} tied votes\n",
                           cov.arg_saturated, cov.k_one, cov.k_saturated, cov.decision_zero, cov.vote_tie);
  EXPECT_TRUE(r.passed()) << r.table();
  EXPECT_EQ(r.mismatch_count, 0u);
  EXPECT_GT(cov.arg_saturated, 0u);
  EXPECT_GT(cov.k_one, 0u);
  EXPECT_GT(cov.k_saturated, 0u);
  EXPECT_GT(cov.decision_zero, 0u);
  EXPECT_GT(cov.vote_tie, 0u);
  EXPECT_EQ(r.vectors, total_vectors(sets));
  ASSERT_EQ(timing.size(), sets.size());
  for (std::size_t k = 0; k < sets.size(); ++k) {
    const auto& t = timing[k];
    const auto& p = *sets[k].params;
    const double compute = t.support_vectors * t.beats_per_vector + overhead_cycles<C>(t.kernel);
    const double output = 1 + pairs(p);  // output beats per vector
    std::cout << fmt::format("  {:<22} SVs {:>4} x beats {:>2}: cycles per inference {}\n", t.name,
                             t.support_vectors, t.beats_per_vector, t.cycles_per_inference.text());
    ASSERT_GT(t.cycles_per_inference.count, 0u) << t.name;
    if (t.support_vectors == 0) {  // no datapath: the input beats or the output beats set the pace
      EXPECT_EQ(t.cycles_per_inference.min, std::max<double>(output, t.beats_per_vector)) << t.name;
      EXPECT_EQ(t.cycles_per_inference.max, std::max<double>(output, t.beats_per_vector)) << t.name;
    } else if (compute > output + 2) {  // the datapath sets the pace
      EXPECT_EQ(t.cycles_per_inference.min, compute) << t.name;
      EXPECT_EQ(t.cycles_per_inference.max, compute) << t.name;
    } else {
      EXPECT_GE(t.cycles_per_inference.min, compute) << t.name;
      EXPECT_LE(t.cycles_per_inference.max, output + compute) << t.name;
    }
  }
}

TYPED_TEST(svm_cosim, every_output_matches_with_random_backpressure) {
  using A = driver<TypeParam>;
  using C = typename TypeParam::config;
  const auto sets = make_sets<C>(12);
  for (const auto& [gap, stall] : {std::pair{0.3, 0.3}, std::pair{0.05, 0.9}}) {
    const auto r = run_sets<A>(options(std::string("svm_bp_") + TypeParam::name, 13, gap, stall), sets);
    std::cout << r.table();
    EXPECT_TRUE(r.passed()) << r.table();
    EXPECT_EQ(r.vectors, total_vectors(sets));
  }
}

#ifndef HLSKIT_GATE_LEVEL
// ---- registers and control, on the tiny model -----------------------------------------------------
using T = driver<hlskit::verilated::svm_tiny>;
using VT = hlskit::verilated::svm_tiny::model;

TEST(svm_control, registers_read_back) {
  cosim::run_result result;
  cosim::stream_bench<VT> tb{options("svm_regs", 1, 0, 0), T::ports, T::codec(), result};
  tb.sim.reset();
  EXPECT_EQ(tb.bus.read(cosim::reg::ctrl), cosim::ctrl_bit::idle);
  const std::uint32_t regs[] = {XSVM_CONTROL_ADDR_COUNT_DATA, XSVM_CONTROL_ADDR_FEATURES_DATA, XSVM_CONTROL_ADDR_SUPPORT_VECTORS_DATA, XSVM_CONTROL_ADDR_CLASSES_DATA, XSVM_CONTROL_ADDR_KERNEL_DATA,
                                XSVM_CONTROL_ADDR_DEGREE_DATA, XSVM_CONTROL_ADDR_GAMMA_DATA, XSVM_CONTROL_ADDR_PRODUCT_FRAC_DATA, XSVM_CONTROL_ADDR_COEF0_DATA};
  for (std::uint32_t a : regs) EXPECT_EQ(tb.bus.read(a), 0u) << a;
  for (std::uint32_t a : regs) tb.bus.write(a, 0xA5000000u | a);
  for (std::uint32_t a : regs) EXPECT_EQ(tb.bus.read(a), 0xA5000000u | a) << a;
  constexpr int K = hlskit::verilated::svm_tiny::config::max_classes, P = hlskit::verilated::svm_tiny::config::max_pairs;
  for (std::uint32_t c = 0; c < K; ++c) {
    tb.bus.write(XSVM_CONTROL_ADDR_CLASS_SUPPORT_VECTORS_BASE + 4 * c, 5 + c);
    tb.bus.write(XSVM_CONTROL_ADDR_LABEL_BASE + 4 * c, 0x80000000u + c);
  }
  for (std::uint32_t q = 0; q < P; ++q) {
    tb.bus.write(XSVM_CONTROL_ADDR_RHO_BASE + 8 * q, 0x12345678u + q);
    tb.bus.write(XSVM_CONTROL_ADDR_RHO_BASE + 8 * q + 4, q % 2 ? 0x00800000u : 0x007FFFFFu);  // bit 55: the sign
  }
  for (std::uint32_t c = 0; c < K; ++c) {
    EXPECT_EQ(tb.bus.read(XSVM_CONTROL_ADDR_CLASS_SUPPORT_VECTORS_BASE + 4 * c), 5 + c);
    EXPECT_EQ(tb.bus.read(XSVM_CONTROL_ADDR_LABEL_BASE + 4 * c), 0x80000000u + c);
  }
  for (std::uint32_t q = 0; q < P; ++q) {
    EXPECT_EQ(tb.bus.read(XSVM_CONTROL_ADDR_RHO_BASE + 8 * q), 0x12345678u + q);
    EXPECT_EQ(tb.bus.read(XSVM_CONTROL_ADDR_RHO_BASE + 8 * q + 4), q % 2 ? 0xFF800000u : 0x007FFFFFu);  // sign-extended
  }
  // The memories are write-only; unmapped words read 0.
  for (std::uint32_t a : std::initializer_list<std::uint32_t>{0x34u, 0xFCu, 0x400u + 8u * P, XSVM_CONTROL_ADDR_COEF_BASE, XSVM_CONTROL_ADDR_SUPPORT_VECTOR_BASE, 0x1FFFFCu}) EXPECT_EQ(tb.bus.read(a), 0u) << a;
  EXPECT_TRUE(result.passed()) << result.table();
}

TEST(svm_control, empty_run_completes_at_once) {
  cosim::run_result result;
  cosim::stream_bench<VT> tb{options("svm_empty", 1, 0, 0), T::ports, T::codec(), result};
  tb.sim.reset();
  tb.ctrl.set_arg(XSVM_CONTROL_ADDR_COUNT_DATA, 0);
  tb.ctrl.start();
  tb.ctrl.wait_done(100);
  EXPECT_TRUE(tb.ctrl.is_idle());
  EXPECT_TRUE(result.passed()) << result.table();
}

#endif  // HLSKIT_GATE_LEVEL

}  // namespace
