// The SVM kernel and its quantization rule on hand-checkable models (libsvm_model built in code):
// decision values, libsvm's pair/coefficient layout and vote rule, binary points, capacity limits.
// The comparison with libsvm itself on trained models is in tests/csim/test_svm_csim.cpp.
#include <hlskit/svm/quantize.hpp>
#include <svm/svm.hpp>
#include <svm/svm_reference.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace hlskit::svm;
using cfg = tiny;

// A model with one SV per class at the given points, coefficients per class row.
libsvm_model make_model(kernel_type k, std::vector<std::vector<double>> svs, std::vector<std::vector<double>> coef,
                        std::vector<double> rho) {
  libsvm_model m;
  m.kernel = k;
  m.gamma = 0.5;
  m.nr_class = static_cast<int>(svs.size());
  for (int c = 0; c < m.nr_class; ++c) {
    m.label.push_back(10 * (c + 1));
    m.nr_sv.push_back(1);
  }
  m.n_features = static_cast<int>(svs[0].size());
  m.sv = std::move(svs);
  m.sv_coef = std::move(coef);
  m.rho = std::move(rho);
  return m;
}

result<cfg> classify_values(const quantized_model<cfg>& q, const std::vector<double>& x) {
  const auto codes = q.feature_codes(x);
  cfg::feature_t f[cfg::max_features];
  for (int j = 0; j < cfg::max_features; ++j) f[j] = cfg::feature_t::from_raw(codes[j]);
  result<cfg> r;
  classify<cfg>(f, *q.params, r);
  return r;
}

TEST(SvmKernel, LinearDecisionIsExact) {
  // K(x, sv0) = 0.5, K(x, sv1) = 0.25: decision = 1 * 0.5 - 1 * 0.25 - 0.125 = 0.125 -> class 0.
  const auto m = make_model(kernel_type::linear, {{1, 0}, {0, 1}}, {{1, -1}}, {0.125});
  const auto q = quantize_model<cfg>(m, 2, "hand", "tiny");
  const auto r = classify_values(q, {0.5, 0.25});
  EXPECT_EQ(q.decision_value(r.decision[0]), 0.125);
  EXPECT_EQ(r.class_index.raw(), 0);
  EXPECT_EQ(r.label, 10);
  const auto r2 = classify_values(q, {0.25, 0.5});  // 0.25 - 0.5 - 0.125 < 0 -> class 1
  EXPECT_EQ(q.decision_value(r2.decision[0]), -0.375);
  EXPECT_EQ(r2.label, 20);
}

TEST(SvmKernel, ZeroDecisionVotesForTheSecondClass) {
  // libsvm: dec > 0 votes i, else j.
  const auto m = make_model(kernel_type::linear, {{1, 0}, {0, 1}}, {{1, -1}}, {0.25});
  const auto q = quantize_model<cfg>(m, 2, "hand", "tiny");
  const auto r = classify_values(q, {0.5, 0.25});
  EXPECT_EQ(r.decision[0].raw(), 0);
  EXPECT_EQ(r.label, 20);
}

TEST(SvmKernel, RbfOnASupportVectorIsOne) {
  // K = exp(0) = 1 exactly: decision = 2 * 1 + (-1) * exp(-0.5 * 2) - 0.
  const auto m = make_model(kernel_type::rbf, {{0.5, -0.5}, {-0.5, 0.5}}, {{2, -1}}, {0});
  const auto q = quantize_model<cfg>(m, 2, "hand", "tiny");
  const auto r = classify_values(q, {0.5, -0.5});
  EXPECT_NEAR(q.decision_value(r.decision[0]), 2 - std::exp(-1.0), 1e-4);
  EXPECT_EQ(r.label, 10);
}

TEST(SvmKernel, OneVsOneLayoutAndTieRule) {
  // Three classes, one SV each; linear kernel with x = (1, 0, 0) gives K = (1, 0, 0) for SVs
  // e0, e1, e2. Rows: an SV of class c holds row m for the pair with class m (m < c) or m + 1.
  //   pair (0,1): coef[0][sv0] * 1 + coef[0][sv1] * 0 - rho0
  //   pair (0,2): coef[1][sv0] * 1 + coef[0][sv2] * 0 - rho1
  //   pair (1,2): coef[1][sv1] * 0 + coef[1][sv2] * 0 - rho2
  // rho = (0.5, 1.5, -0.25): (0,1) = 0.5 -> 0; (0,2) = -0.5 -> 2; (1,2) = 0.25 -> 1.
  // One vote each: the lowest index wins.
  const auto m = make_model(kernel_type::linear, {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                            {{1, 1, 1}, {1, 1, 1}}, {0.5, 1.5, -0.25});
  const auto q = quantize_model<cfg>(m, 3, "hand", "tiny");
  const auto r = classify_values(q, {1, 0, 0});
  EXPECT_EQ(q.decision_value(r.decision[0]), 0.5);
  EXPECT_EQ(q.decision_value(r.decision[1]), -0.5);
  EXPECT_EQ(q.decision_value(r.decision[2]), 0.25);
  EXPECT_EQ(r.class_index.raw(), 0);
  EXPECT_EQ(r.label, 10);
  // Make pair (0,1) vote for 1: class 1 has two votes.
  auto m2 = m;
  m2.rho[0] = 1.5;
  const auto r2 = classify_values(quantize_model<cfg>(m2, 3, "hand", "tiny"), {1, 0, 0});
  EXPECT_EQ(r2.label, 20);
}

TEST(SvmKernel, CoefficientRowsFollowTheOtherClass) {
  // x = (0, 1, 0): only SV1 (class 1) contributes. Its row 0 serves pair (0,1), row 1 pair (1,2).
  const auto m = make_model(kernel_type::linear, {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                            {{1, 0.75, 1}, {1, -0.5, 1}}, {0, 0, 0});
  const auto q = quantize_model<cfg>(m, 3, "hand", "tiny");
  const auto r = classify_values(q, {0, 1, 0});
  EXPECT_EQ(q.decision_value(r.decision[0]), 0.75);  // (0,1)
  EXPECT_EQ(q.decision_value(r.decision[1]), 0.0);   // (0,2)
  EXPECT_EQ(q.decision_value(r.decision[2]), -0.5);  // (1,2)
}

TEST(SvmKernel, PolynomialIsRescaledToFitKernelType) {
  // (0.5 <x, sv> + 1)^3 fits kernel_t as is: (0.5 * 1 + 1)^3 = 3.375 exactly.
  auto m = make_model(kernel_type::polynomial, {{1, 0}, {0, 1}}, {{1, 0}}, {0});
  m.coef0 = 1;
  m.degree = 3;
  const auto q = quantize_model<cfg>(m, 2, "hand", "tiny");
  EXPECT_EQ(q.points.kernel_scale_log2, 0);
  EXPECT_EQ(q.decision_value(classify_values(q, {1, 0}).decision[0]), 3.375);
  // coef0 = 100: (0.5 * 2 + 100)^3 would saturate kernel_t (< 128), so gamma and coef0 are divided
  // by 2^5 and the coefficients multiplied by 2^15: (0.5 + 100)^3 = 1015075.125, with K rounded
  // to 16 fraction bits at the scaled size.
  m.coef0 = 100;
  const auto q100 = quantize_model<cfg>(m, 2, "hand", "tiny");
  EXPECT_EQ(q100.points.kernel_scale_log2, 5);
  EXPECT_NEAR(q100.decision_value(classify_values(q100, {1, 0}).decision[0]), 1015075.125, 1015075.125 * 1e-4);
  // A linear kernel over a wide range is rescaled the same way: <x, sv> up to 8 * 4^2 = 128.
  auto lin = make_model(kernel_type::linear, {{4, 4, 4, 4, 4, 4, 4, 4}, {0, 0, 0, 0, 0, 0, 0, 0}}, {{1, -1}}, {0});
  const auto ql = quantize_model<cfg>(lin, 8, "hand", "tiny");
  EXPECT_EQ(ql.points.kernel_scale_log2, 1);
  EXPECT_EQ(ql.decision_value(classify_values(ql, {3, 3, 3, 3, 3, 3, 3, 3}).decision[0]), 96.0);
}

TEST(SvmQuantize, BinaryPointsFollowTheRule) {
  auto m = make_model(kernel_type::rbf, {{1, -1}, {0.5, 0}}, {{8, -3}}, {0.5});
  m.gamma = 1.0 / 3;
  const auto q = quantize_model<cfg>(m, 2, "hand", "tiny");
  EXPECT_EQ(q.points.feature_frac, 13);  // max |sv| = 1: floor(log2 1) + 3 = 3 integer bits
  EXPECT_EQ(q.points.gamma_frac, 17);    // floor(log2 1/3) = -2
  EXPECT_EQ(q.params->gamma.raw(), 43691);  // round(2^17 / 3)
  EXPECT_EQ(q.points.coef_frac, 13);     // max |coef| = 8: floor(log2 8) + 2 = 5 integer bits
  EXPECT_EQ(q.points.product_frac, 43);
  EXPECT_EQ(q.params->coef[0][0].raw(), 8 << 13);
  EXPECT_EQ(q.params->rho[0].raw(), std::int64_t{1} << (13 + 16 - 1));
  // Gamma just below a power of two rounds up to it: the mantissa renormalizes.
  m.gamma = std::nextafter(0.25, 0.0);
  const auto q2 = quantize_model<cfg>(m, 2, "hand", "tiny");
  EXPECT_EQ(q2.params->gamma.raw(), 1 << 15);
  EXPECT_EQ(q2.points.gamma_frac, 17);
  // Overrides pin the binary points: the config's, then the call's.
  const auto q3 = quantize_model<cfg>(m, 2, "hand", "tiny", nullptr, rule_overrides{12, 10});
  EXPECT_EQ(q3.points.feature_frac, 12);
  EXPECT_EQ(q3.points.coef_frac, 10);
  using pinned = config<8, 64, 4, 2, 4, 11, 9>;
  const auto q4 = quantize_model<pinned>(m, 2, "hand", "pinned");
  EXPECT_EQ(q4.points.feature_frac, 11);
  EXPECT_EQ(q4.points.coef_frac, 9);
  EXPECT_EQ(q4.params->coef[0][0].raw(), 8 << 9);
  EXPECT_EQ(quantize_model<pinned>(m, 2, "hand", "pinned", nullptr, rule_overrides{12, {}}).points.feature_frac, 12);
  // A pinned format too narrow for the model saturates, and says so.
  using narrow = config<8, 64, 4, 2, 4, automatic, 16>;  // coefficients in [-2, 2)
  EXPECT_EQ(quantize_model<narrow>(m, 2, "hand", "narrow").saturated, 2u);  // 8 and -3
}

void expect_refused(const libsvm_model& m, int features, const std::string& needle) {
  try {
    quantize_model<cfg>(m, features, "m.model", "tiny");
    FAIL() << "accepted; expected a refusal mentioning '" << needle << "'";
  } catch (const file_error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("m.model"), std::string::npos) << e.what();
  }
}

TEST(SvmQuantize, ModelsBeyondTheCapacityAreRefusedWithTheLimit) {
  const auto base = make_model(kernel_type::rbf, {{1, 0}, {0, 1}}, {{1, -1}}, {0});
  expect_refused(base, 9, "at most 8");  // features
  expect_refused(base, 1, "index 2");    // fewer input columns than the SVs use
  auto many = base;
  many.sv.assign(65, {0, 0});
  many.sv_coef.assign(1, std::vector<double>(65, 0.5));
  many.nr_sv = {33, 32};
  expect_refused(many, 2, "at most 64");
  auto classes = make_model(kernel_type::rbf, {{1}, {2}, {3}, {4}, {5}}, std::vector<std::vector<double>>(4, std::vector<double>(5, 1)),
                            std::vector<double>(10, 0));
  expect_refused(classes, 1, "at most 4");
  auto poly = base;
  poly.kernel = kernel_type::polynomial;
  poly.degree = 5;
  expect_refused(poly, 2, "1..4");
  auto tiny_gamma = base;
  tiny_gamma.gamma = 1e-30;
  expect_refused(tiny_gamma, 2, "shift");
}

// The fast kernel (svm.hpp) against the plain one it replaced (svm_reference.hpp), bit for bit:
// random parameter sets over both configs with the corners (every kernel kind and degree, empty
// and uneven classes, feature codes at the limits, junk past `features`, requantization shifts
// 0, 62, 63, 64, beyond and negative).
template <class Config>
bool same(const result<Config>& a, const result<Config>& b) {
  if (a.class_index.raw() != b.class_index.raw() || a.label != b.label) return false;
  for (int q = 0; q < Config::max_pairs; ++q)
    if (a.decision[q].raw() != b.decision[q].raw()) return false;
  return true;
}

// Vectors whose outputs differ in any bit (of `vectors_out` vectors).
template <class Config>
std::size_t random_sets_differing(std::uint64_t seed, std::size_t& vectors_out) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
  std::size_t differing = 0;
  auto p = std::make_unique<parameters<Config>>();
  typename Config::feature_t x[Config::max_features];
  for (int set = 0; set < 120; ++set) {
    const int kind = set % 3;
    p->kernel = static_cast<kernel_kind>(kind);
    p->degree = uniform(1, Config::max_degree);
    p->classes = set % 5 == 0 ? Config::max_classes : uniform(2, Config::max_classes);
    p->features = set % 7 == 0 ? Config::max_features : set % 7 == 1 ? 1 : uniform(0, Config::max_features);
    const int sv_limit = std::min(Config::max_support_vectors, 48);
    int total = 0;
    for (int c = 0; c < Config::max_classes; ++c) {
      p->class_support_vectors[c] = c < p->classes ? (uniform(0, 3) == 0 ? 0 : uniform(1, sv_limit / p->classes)) : 0;
      total += p->class_support_vectors[c];
      p->label[c] = static_cast<std::int32_t>(rng());
    }
    p->support_vectors = total;
    const int amplitude = set % 4 == 0 ? 32767 : uniform(1, 32767);
    for (int k = 0; k < Config::max_support_vectors && k < total + 1; ++k) {
      for (int j = 0; j < Config::max_features; ++j)  // junk past `features` too
        p->support_vector[k][j] = Config::feature_t::from_raw(set % 11 == 0 ? (j % 2 ? 32767 : -32768) : uniform(-amplitude, amplitude));
      for (int r = 0; r + 1 < Config::max_classes; ++r) p->coef[r][k] = Config::coef_t::from_raw(uniform(-131072, 131071));
    }
    p->gamma = Config::gamma_t::from_raw(kind == 0 ? 1 : uniform(1, 65535));
    p->coef0 = Config::kernel_t::from_raw(uniform(-(1 << 20), 1 << 20));
    for (int r = 0; r < Config::max_pairs; ++r)
      p->rho[r] = Config::rho_t::from_raw(static_cast<std::int64_t>(rng() >> 20) - (std::int64_t{1} << 43));
    // The requantization shift (product_frac - 14 or - 16): typical, the corners, and beyond them.
    const int frac = kind == 2 ? 14 : 16;
    const int shifts[] = {uniform(20, 40), 0, 62, 63, 64, 70, -1, -3, uniform(0, 62)};
    p->product_frac = frac + shifts[static_cast<std::size_t>(set) % (sizeof shifts / sizeof shifts[0])];
    for (int v = 0; v < 24; ++v) {
      for (int j = 0; j < Config::max_features; ++j) {
        int code = uniform(-amplitude, amplitude);
        if (v == 1) code = -32768;
        if (v == 2) code = 32767;
        if (v == 3) code = j % 2 ? -32768 : 32767;
        if (v == 4) code = 0;
        if (v >= 5 && v < 8 && total > 0 && j < p->features) code = p->support_vector[(v * 7) % total][j].raw();
        x[j] = Config::feature_t::from_raw(code);
      }
      result<Config> fast, plain;
      classify<Config>(x, *p, fast);
      reference::classify<Config>(x, *p, plain);
      differing += !same(fast, plain);
      ++vectors_out;
    }
  }
  return differing;
}


TEST(SvmKernel, FastKernelEqualsTheReferenceOnRandomParameterSets) {
  std::size_t vectors = 0;
  EXPECT_EQ(random_sets_differing<default_config>(1, vectors), 0u);
  EXPECT_EQ(random_sets_differing<tiny>(2, vectors), 0u);
  EXPECT_EQ(vectors, 2u * 120 * 24);
}

}  // namespace
