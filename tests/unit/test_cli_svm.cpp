// `hlskit csim / train svm` run as a user runs them: labels equal to libsvm's on the embedded
// model, decision values as codes and as values, and bad input files, models and options
// rejected with one line naming the file and the line or field, exit 2, no output written.
#include "cli_test.hpp"

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/npy.hpp>
#include <hlskit/svm/libsvm.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <random>

namespace fs = std::filesystem;
namespace npy = hlskit::npy;
namespace sv = hlskit::svm;
using hlskit::test::slurp;

namespace {

const std::string models = HLSKIT_MODELS_DIR;
const std::string model = models + "/svm/breast_cancer.model", ranges = models + "/svm/breast_cancer.range";

class CliSvm : public hlskit::test::cli_test {
 protected:
  // The held-out breast-cancer samples (unscaled) as float64 (n, 30).
  std::vector<std::vector<double>> write_heldout(const std::string& name) const {
    const auto d = hlskit::data::load_breast_cancer(std::string(HLSKIT_DATA_DIR) + "/breast_cancer/breast_cancer.csv");
    const auto x = d.features_of(hlskit::data::stratified_split(d.labels, 1).test);
    std::vector<double> flat;
    for (const auto& row : x) flat.insert(flat.end(), row.begin(), row.end());
    npy::write(path(name), {x.size(), x.front().size()}, flat);
    return x;
  }
};

TEST_F(CliSvm, LabelsAndDecisionsOfTheEmbeddedModel) {
  const auto x = write_heldout("x.npy");
  const auto r = run("csim svm --input '" + path("x.npy") + "' --output '" + path("y.npy") + "' --decision '" +
                     path("d.npy") + "' --report '" + path("r.json") + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("labels equal to libsvm's (svm_predict_values, float): 171 of 171"), std::string::npos) << r.out;
  const auto y = npy::read(path("y.npy"));
  ASSERT_EQ(y.shape, (std::vector<std::size_t>{171}));
  EXPECT_EQ(y.type, npy::dtype::i32);
  const auto labels = y.as<std::int64_t>();
  const sv::libsvm_predictor reference(model);
  const sv::scale_ranges rg = sv::read_ranges(ranges);
  const auto codes = npy::read(path("d.npy"));
  ASSERT_EQ(codes.shape, (std::vector<std::size_t>{171, 1}));
  EXPECT_EQ(codes.type, npy::dtype::i64);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto p = reference.predict(sv::scale(rg, x[i]));
    EXPECT_EQ(labels[i], p.label) << i;
    EXPECT_EQ(codes.as<std::int64_t>()[i] > 0, p.decision[0] > 0) << i;
  }
  // --decision-as values: code * 2^-decision_frac, the binary point the report gives.
  ASSERT_EQ(run("csim svm --input '" + path("x.npy") + "' --decision '" + path("v.npy") + "' --decision-as values").status, 0);
  const auto values = npy::read(path("v.npy")).as<double>();
  const int frac = nlohmann::json::parse(slurp(path("r.json")))["decision_frac"].get<int>();
  for (std::size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(values[i], std::ldexp(static_cast<double>(codes.as<std::int64_t>()[i]), -frac)) << i;
}

TEST_F(CliSvm, RejectsMalformedInputs) {
  const std::string y = path("y.npy");
  auto csim = [&](const std::string& input, const std::string& extra = "") {
    return "csim svm --input '" + input + "' --output '" + y + "' " + extra;
  };
  npy::write(path("int.npy"), {2, 30}, std::vector<std::int32_t>(60, 1));
  expect_rejected(csim(path("int.npy")), {"int.npy", "int32", "float32 or float64"});
  npy::write(path("flat.npy"), {30}, std::vector<double>(30, 1.0));
  expect_rejected(csim(path("flat.npy")), {"flat.npy", "(30,)", "(n, features)"});
  std::vector<double> nan(60, 1.0);
  nan[33] = std::numeric_limits<double>::quiet_NaN();
  npy::write(path("nan.npy"), {2, 30}, nan);
  expect_rejected(csim(path("nan.npy")), {"nan.npy", "element 33 (sample 1, feature 3)", "finite"});
  npy::write(path("wide.npy"), {1, 65}, std::vector<double>(65, 1.0));
  expect_rejected(csim(path("wide.npy")), {"65 features", "at most 64"});
  npy::write(path("x4.npy"), {1, 4}, std::vector<double>(4, 1.0));
  expect_rejected(csim(path("x4.npy")), {"breast_cancer.model", "4 features", "index 30"});
  expect_rejected(csim(path("missing.npy")), {"missing.npy"});
  EXPECT_FALSE(fs::exists(y)) << "no output may be written for rejected input";
}

TEST_F(CliSvm, RejectsMalformedModelsAndRangesWithTheLine) {
  npy::write(path("x.npy"), {1, 30}, std::vector<double>(30, 1.0));
  const std::string in = " --input '" + path("x.npy") + "' --output '" + path("y.npy") + "'";
  std::string good = slurp(model);
  std::ofstream(path("gamma.model")) << std::string(good).replace(good.find("gamma 0.0078125"), 15, "gamma x");
  expect_rejected("csim svm --model '" + path("gamma.model") + "' --scale '" + ranges + "'" + in,
                  {"gamma.model", "line 3", "gamma"});
  std::ofstream(path("sigmoid.model")) << std::string(good).replace(good.find("kernel_type rbf"), 15, "kernel_type sigmoid");
  expect_rejected("csim svm --model '" + path("sigmoid.model") + "'" + in, {"sigmoid.model", "sigmoid"});
  std::ofstream(path("short.model")) << good.substr(0, good.size() / 2);
  expect_rejected("csim svm --model '" + path("short.model") + "'" + in, {"short.model"});
  std::ofstream(path("bad.range")) << "x\n-1 1\n1 zero 3\n";
  expect_rejected("csim svm --model '" + model + "' --scale '" + path("bad.range") + "'" + in, {"bad.range", "line 3"});
  // A 30-feature model does not fit `tiny`.
  expect_rejected("csim svm --config tiny" + in, {"tiny", "30 features", "at most 8"});
  EXPECT_FALSE(fs::exists(path("y.npy")));
}

TEST_F(CliSvm, RejectsBadOptions) {
  npy::write(path("x.npy"), {1, 30}, std::vector<double>(30, 1.0));
  const std::string in = " --input '" + path("x.npy") + "'";
  expect_rejected("csim svm --config huge" + in, {"no config 'huge'", "default", "tiny"});
  expect_rejected("csim svm --decision-as bits" + in, {"--decision-as"});
  expect_rejected("train svm --output '" + path("m.model") + "' --kernel-type sigmoid", {"--kernel-type"});
  expect_rejected("train svm --output '" + path("m.model") + "' --dataset '" + path("none.csv") + "'", {"none.csv"});
  EXPECT_FALSE(fs::exists(path("m.model")));
}

// The embedded model is what `hlskit train svm --seed 1` writes (models/svm/README.md), byte for byte.
TEST_F(CliSvm, TrainReproducesTheEmbeddedModel) {
  const auto r = run("train svm --seed 1 --output '" + path("bc.model") + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(path("bc.model")), slurp(model));
  EXPECT_EQ(slurp(path("bc.range")), slurp(ranges));
}

}  // namespace

// ---- issue 9 ------------------------------------------------------------------------------------
namespace {

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A two-class rbf model (gamma 0.5, rho 0): support vector 1 (label 1) has 0.5 at feature index
// `m`, support vector 2 (label -1) has -0.5 at index 1.
std::string rbf_model(int m) {
  return fmt::format("svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0\nlabel 1 -1\n"
                     "nr_sv 1 1\nSV\n1 {}:0.5\n-1 1:-0.5\n", m);
}
// A range file for [-1, 1] with "j 0 1" for every listed index (0.75 scales to 0.5).
std::string range_file(const std::vector<int>& listed) {
  std::string t = "x\n-1 1\n";
  for (int j : listed) t += fmt::format("{} 0 1\n", j);
  return t;
}
std::vector<int> one_to(int n) {
  std::vector<int> v;
  for (int j = 1; j <= n; ++j) v.push_back(j);
  return v;
}

}  // namespace

// Issue 9, item 1, the example: the range file lists feature 2, the (1, 1) input does not have it.
// svm-scale would read the missing value as 0 (scaled to -1: 1:1 2:-1, libsvm label -1, decision
// -0.13886); csim used to run on 1 feature (label 1, decision 0.4817, exit 0). The rule refuses a
// dense input without every feature the range file scales, naming the input and the index.
TEST_F(CliSvm, RangeFileWithMoreFeaturesThanTheInputIsRefused) {
  write_file(path("m.model"), "svm_type c_svc\nkernel_type rbf\ngamma 1\nnr_class 2\ntotal_sv 2\nrho 0.5\nlabel 1 -1\n"
                              "nr_sv 1 1\nSV\n1 1:1\n-1 1:-1\n");
  write_file(path("r.range"), "x\n-1 1\n1 0 2\n2 0 2\n");
  npy::write(path("x.npy"), {1, 1}, std::vector<double>{2.0});
  const std::string tail = " --output '" + path("y.npy") + "' --decision '" + path("d.npy") + "' --decision-as values";
  const auto r = run("csim svm --model '" + path("m.model") + "' --scale '" + path("r.range") + "' --input '" +
                     path("x.npy") + "'" + tail);
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_EQ(r.err, "hlskit csim: " + path("x.npy") + ": 1 features per sample, but the range file " + path("r.range") +
                       " scales feature index 2 (a dense input must hold every feature the range file scales; "
                       "svm-scale would scale a missing one as the value 0)\n");
  EXPECT_FALSE(fs::exists(path("y.npy")));
  EXPECT_FALSE(fs::exists(path("d.npy")));
  // With the feature present (the 0 svm-scale assumed), csim and libsvm agree: label -1,
  // decision -0.13886 (libsvm: e^-1 - e^-5 - 0.5 on the scaled sample 1:1 2:-1).
  npy::write(path("x2.npy"), {1, 2}, std::vector<double>{2.0, 0.0});
  const auto ok = run("csim svm --model '" + path("m.model") + "' --scale '" + path("r.range") + "' --input '" +
                      path("x2.npy") + "'" + tail);
  ASSERT_EQ(ok.status, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("labels equal to libsvm's (svm_predict_values, float): 1 of 1"), std::string::npos) << ok.out;
  EXPECT_EQ(npy::read(path("y.npy")).as<std::int64_t>(), (std::vector<std::int64_t>{-1}));
  const sv::libsvm_predictor reference(path("m.model"));
  const auto p = reference.predict(sv::scale(sv::read_ranges(path("r.range")), {2.0, 0.0}));
  EXPECT_EQ(p.label, -1);
  EXPECT_NEAR(p.decision[0], std::exp(-1.0) - std::exp(-5.0) - 0.5, 1e-12);
  EXPECT_NEAR(p.decision[0], -0.13886, 5e-6);
  EXPECT_NEAR(npy::read(path("d.npy")).as<double>()[0], p.decision[0], 1e-3);
}

// Issue 9, item 1: the feature counts of model (M: the largest index an SV uses), range file (R),
// input (D columns) and config (C) in every combination: features = max(D, R, M) <= C, else
// refused; D < M and D < R refused; an SV at an index the range file does not scale refused;
// input features without a range line scaled to 0 (svm-scale) and reported. Accepted rows run
// with csim equal to libsvm (label 1).
TEST_F(CliSvm, FeatureCountsOfModelRangeInputAndConfig) {
  struct row {
    const char* config;
    int m;                    // the SV index of support vector 1
    std::vector<int> ranges;  // listed indices; empty: --scale none
    int d;                    // input columns
    int features;             // accepted: the kernel's features; 0: refused
    std::vector<std::string> needles;  // refused: in the one-line message; accepted: in stdout
  };
  const std::vector<row> rows = {
      {"default", 1, {}, 1, 1, {"features: 1 = max(input columns 1, range file's largest index 0, support vectors' largest index 1)"}},
      {"default", 1, {}, 5, 5, {"features: 5 = max(input columns 5"}},
      {"default", 3, {}, 3, 3, {"features: 3 = "}},
      {"default", 3, {}, 2, 0, {"m.model: support vector 1 uses feature index 3", "x.npy has 2 features per sample"}},
      {"default", 3, {1, 2, 3}, 3, 3, {"features: 3 = "}},
      {"default", 3, {1, 2, 3}, 5, 5, {"features: 5 = ", "note: input features 4..5 have no line in the range file"}},
      {"default", 3, {1, 2, 3, 4, 5}, 5, 5, {"features: 5 = "}},
      {"default", 3, {1, 2, 3, 4, 5}, 4, 0, {"x.npy: 4 features per sample, but the range file", "scales feature index 5"}},
      {"default", 1, {1, 2, 3, 4, 5}, 2, 0, {"x.npy: 2 features per sample", "scales feature index 3..5"}},
      {"default", 3, {1, 2}, 3, 0, {"m.model: support vector 1 has a value at feature index 3, which the range file",
                                    "does not scale (no line for it)"}},
      {"default", 1, {1, 3}, 3, 3, {"features: 3 = ", "note: input feature 2 has no line in the range file"}},
      {"default", 2, {1, 3}, 3, 0, {"support vector 1 has a value at feature index 2", "(no line, or min == max)"}},
      {"default", 1, {}, 64, 64, {"features: 64 = "}},
      {"default", 1, {}, 65, 0, {"x.npy: 65 features (columns); the svm config 'default' holds at most 64"}},
      {"default", 1, one_to(64), 64, 64, {"features: 64 = "}},
      {"default", 1, {1, 65}, 65, 0, {"r.range: line 4: field 'index': feature index 65 is out of range 1..64 (the svm "
                                      "config 'default' holds 64 features)"}},
      {"default", 65, {}, 65, 0, {"m.model: line 10: field 'SV 1 index': feature index 65 is out of range 1..64"}},
      {"default", 64, {}, 64, 64, {"features: 64 = "}},
      {"tiny", 1, {}, 8, 8, {"features: 8 = "}},
      {"tiny", 1, {}, 9, 0, {"x.npy: 9 features (columns); the svm config 'tiny' holds at most 8"}},
      {"tiny", 8, one_to(8), 8, 8, {"features: 8 = "}},
      {"tiny", 1, one_to(8), 9, 0, {"x.npy: 9 features (columns); the svm config 'tiny' holds at most 8"}},
      {"tiny", 1, {1, 9}, 2, 0, {"r.range: line 4: field 'index': feature index 9 is out of range 1..8"}},
      {"tiny", 9, {}, 9, 0, {"m.model: line 10: field 'SV 1 index': feature index 9 is out of range 1..8"}},
      {"tiny", 3, {1, 2, 3}, 2, 0, {"m.model: support vector 1 uses feature index 3", "2 features per sample"}},
      {"tiny", 1, {1, 2, 3}, 1, 0, {"x.npy: 1 features per sample", "scales feature index 2..3"}},
      // Absurd indices: refused while reading, never a bad_alloc.
      {"default", 1, {1, 1000000}, 1, 0, {"feature index 1000000 is out of range 1..64"}},
      {"default", 1000000, {}, 1, 0, {"feature index 1000000 is out of range 1..64"}},
      {"tiny", 1000000, {}, 1, 0, {"feature index 1000000 is out of range 1..8"}},
  };
  for (const row& t : rows) {
    const std::string what = fmt::format("config {} M {} R {} D {}", t.config, t.m, t.ranges.size(), t.d);
    SCOPED_TRACE(what);
    fs::remove(path("y.npy"));
    write_file(path("m.model"), rbf_model(t.m));
    write_file(path("r.range"), range_file(t.ranges));
    // 0.75 in the first 3 columns (0.5 scaled on "j 0 1", as given without a range file), then 0
    // after scaling (0.5 on "j 0 1"): the rbf arguments stay small, the decision clearly positive.
    std::vector<double> x(static_cast<std::size_t>(t.d), t.ranges.empty() ? 0.0 : 0.5);
    for (std::size_t j = 0; j < x.size() && j < 3; ++j) x[j] = 0.75;
    npy::write(path("x.npy"), {1, x.size()}, x);
    const std::string args = fmt::format("csim svm --config {} --model '{}' --scale {} --input '{}' --output '{}'", t.config,
                                         path("m.model"), t.ranges.empty() ? "none" : "'" + path("r.range") + "'",
                                         path("x.npy"), path("y.npy"));
    if (t.features == 0) {
      expect_rejected(args, t.needles);
      EXPECT_FALSE(fs::exists(path("y.npy")));
      continue;
    }
    const auto r = run(args);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find(fmt::format("1 samples x {} features", t.features)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("labels equal to libsvm's (svm_predict_values, float): 1 of 1"), std::string::npos) << r.out;
    for (const auto& n : t.needles) EXPECT_NE(r.out.find(n), std::string::npos) << n << "\n" << r.out;
    EXPECT_EQ(npy::read(path("y.npy")).as<std::int64_t>(), (std::vector<std::int64_t>{1}));
  }
}

// Issue 9, item 4: a model on unscaled features (feature 1 at 1000, feature 2 around 2.5) gets 4
// fraction bits for every feature; the sample (1000, 2.51), which libsvm classifies by 0.0088,
// quantizes to (1000, 2.5), where the decision is 0: the label flips. csim names the feature, its
// range and the step, counts the label as differing because of the feature quantization, and
// exits 1 (outputs written: they are the kernel's results).
TEST_F(CliSvm, PrecisionLossIsNamedAndADifferingLabelFails) {
  write_file(path("u.model"), "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0\nlabel 1 -1\n"
                              "nr_sv 1 1\nSV\n1 1:1000 2:3\n-1 1:1000 2:2\n");
  npy::write(path("x.npy"), {1, 2}, std::vector<double>{1000, 2.51});
  const sv::libsvm_predictor reference(path("u.model"));
  const auto p = reference.predict({1000, 2.51});
  ASSERT_EQ(p.label, 1);
  EXPECT_NEAR(p.decision[0], 0.0088, 5e-5);
  const auto r = run("csim svm --model '" + path("u.model") + "' --input '" + path("x.npy") + "' --output '" +
                     path("y.npy") + "' --decision '" + path("d.npy") + "' --decision-as values --report '" +
                     path("r.json") + "'");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("range file: none (no --scale, no " + path("u.range") + " beside the model)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: 1 feature loses precision: every feature has 4 fraction bits (quantization step "
                       "0.0625), set by the largest value 1000 (feature 1 of a support vector)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("    feature 2: values 2 .. 3, 16 quantization steps of 0.0625 (fewer than 256)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("feature 1: values"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("labels equal to libsvm's (svm_predict_values, float): 0 of 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("labels different from libsvm's: 1 of 1, 1 of them because of the feature quantization"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL: 1 of 1 labels differ from libsvm's"), std::string::npos) << r.out;
  EXPECT_EQ(npy::read(path("y.npy")).as<std::int64_t>(), (std::vector<std::int64_t>{-1}));
  EXPECT_EQ(npy::read(path("d.npy")).as<double>(), (std::vector<double>{0.0}));  // (1000, 2.5): K1 = K2
  const auto j = nlohmann::json::parse(slurp(path("r.json")));
  EXPECT_EQ(j["feature_frac"], 4);
  EXPECT_EQ(j["feature_step"], 0.0625);
  ASSERT_EQ(j["precision_losses"].size(), 1u);
  EXPECT_EQ(j["precision_losses"][0]["feature"], 2);
  EXPECT_EQ(j["precision_losses"][0]["min"], 2.0);
  EXPECT_EQ(j["precision_losses"][0]["max"], 3.0);
  EXPECT_EQ(j["precision_losses"][0]["step"], 0.0625);
  EXPECT_EQ(j["precision_losses"][0]["steps"], 16.0);
  EXPECT_EQ(j["labels_equal_to_libsvm"], 0);
  EXPECT_EQ(j["labels_differing_from_libsvm"], 1);
  EXPECT_EQ(j["labels_differing_by_feature_quantization"], 1);
  EXPECT_EQ(j["passed"], false);
}

// Issue 9, item 9: one range-file rule for every model: --scale R, else M.range beside the model,
// else none (--scale none: none); the summary and the report say which.
TEST_F(CliSvm, TheRangeFileRule) {
  const auto x = write_heldout("x.npy");
  fs::copy_file(model, path("bc.model"));
  // No range file beside the copy: the features go unscaled, and the summary says so.
  auto r = run("csim svm --model '" + path("bc.model") + "' --input '" + path("x.npy") + "' --report '" + path("r.json") + "'");
  EXPECT_NE(r.out.find("range file: none (no --scale, no " + path("bc.range") + " beside the model): features used as given"),
            std::string::npos) << r.out;
  EXPECT_EQ(nlohmann::json::parse(slurp(path("r.json")))["ranges"], "");
  // Beside it: used, as for the embedded model.
  fs::copy_file(ranges, path("bc.range"));
  r = run("csim svm --model '" + path("bc.model") + "' --input '" + path("x.npy") + "' --report '" + path("r.json") + "'");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("range file: " + path("bc.range") + " (found beside the model)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("labels equal to libsvm's (svm_predict_values, float): 171 of 171"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(slurp(path("r.json")));
  EXPECT_EQ(j["ranges"], path("bc.range"));
  EXPECT_EQ(j["ranges_rule"], "found beside the model");
  // The embedded default: the same rule.
  r = run("csim svm --input '" + path("x.npy") + "' --report '" + path("r.json") + "'");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("range file: " + ranges + " (found beside the model)"), std::string::npos) << r.out;
  // --scale wins; --scale none turns scaling off.
  r = run("csim svm --model '" + path("bc.model") + "' --scale '" + ranges + "' --input '" + path("x.npy") + "' --report '" +
          path("r.json") + "'");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("range file: " + ranges + " (given with --scale)"), std::string::npos) << r.out;
  EXPECT_EQ(nlohmann::json::parse(slurp(path("r.json")))["ranges_rule"], "given with --scale");
  r = run("csim svm --model '" + path("bc.model") + "' --scale none --input '" + path("x.npy") + "' --report '" +
          path("r.json") + "'");
  EXPECT_NE(r.out.find("range file: none (--scale none): features used as given"), std::string::npos) << r.out;
  j = nlohmann::json::parse(slurp(path("r.json")));
  EXPECT_EQ(j["ranges"], "");
  EXPECT_EQ(j["ranges_rule"], "none (--scale none): features used as given");
}

// Issue 9, item 3: training data validated before training; a failing train writes nothing and
// names the user's file and what is wrong with it.
TEST_F(CliSvm, TrainRefusesUnusableDataAndWritesNothing) {
  const auto train = [&](const std::string& csv, const std::string& extra = "") {
    return "train svm --dataset '" + path(csv) + "' --seed 1 --output '" + path("m.model") + "'" + extra;
  };
  write_file(path("one_class.csv"), "6,2,a,b\n1,2,0\n2,3,0\n3,1,0\n4,4,0\n5,2,0\n6,1,0\n");
  expect_rejected(train("one_class.csv"),
                  {path("one_class.csv") + ": all 6 samples are of class 0 ('a'), so the training split (70 %, seed 1) "
                                           "holds only one class: training needs samples of at least 2 classes"});
  write_file(path("few.csv"), "4,2,a,b\n1,2,0\n2,3,1\n3,1,0\n4,4,1\n");
  expect_rejected(train("few.csv"), {path("few.csv") + ": the training split (70 %, seed 1) holds 2 of the 4 samples, "
                                                       "fewer than the 5 cross-validation folds"});
  write_file(path("single.csv"), "6,1,a,b,c,d,e,f\n1,0\n2,1\n3,2\n4,3\n5,4\n6,5\n");
  expect_rejected(train("single.csv"), {path("single.csv") + ": the held-out split (30 %, seed 1) is empty"});
  write_file(path("flat.csv"), "8,2,a,b\n1,2,0\n1,2,1\n1,2,0\n1,2,1\n1,2,0\n1,2,1\n1,2,0\n1,2,1\n");
  expect_rejected(train("flat.csv"), {path("flat.csv") + ": every feature has a single value over the training split"});
  std::string wide = "8,9,a,b\n";
  for (int i = 0; i < 8; ++i) wide += fmt::format("{},1,2,3,4,5,6,7,8,{}\n", i, i % 2);
  write_file(path("wide.csv"), wide);
  expect_rejected(train("wide.csv", " --config tiny"),
                  {path("wide.csv") + ": 9 features; the svm config 'tiny' holds at most 8 (--config)"});
  std::string many = "10,1,a,b,c,d,e\n";
  for (int i = 0; i < 10; ++i) many += fmt::format("{},{}\n", i, i % 5);
  write_file(path("many.csv"), many);
  expect_rejected(train("many.csv", " --config tiny"),
                  {path("many.csv") + ": 5 classes; the svm config 'tiny' holds at most 4 (--config)"});
  // Random labels: nearly every training sample becomes a support vector, more than tiny's 64.
  std::string noise = "200,2,a,b\n";
  std::mt19937 rng(5);
  for (int i = 0; i < 200; ++i) noise += fmt::format("{},{},{}\n", rng() % 1000, rng() % 1000, rng() % 2);
  write_file(path("noise.csv"), noise);
  expect_rejected(train("noise.csv", " --config tiny"), {path("noise.csv") + ": training gave ", " support vectors; the svm "
                                                         "config 'tiny' holds at most 64 (nothing written)"});
  EXPECT_FALSE(fs::exists(path("m.model")));
  EXPECT_FALSE(fs::exists(path("m.range")));
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().string().find(".partial"), std::string::npos) << e.path();
  // A model already there is left as it was.
  write_file(path("m.model"), "old");
  expect_rejected(train("one_class.csv"), {"one_class.csv"});
  EXPECT_EQ(slurp(path("m.model")), "old");
  EXPECT_FALSE(fs::exists(path("m.range")));
}

// Issue 9, item 2: a model without support vectors (libsvm writes them) runs in csim: every
// decision is -rho, every label -1, as libsvm's.
TEST_F(CliSvm, ModelWithoutSupportVectors) {
  write_file(path("m.model"), "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 0\nrho 0.25\nlabel 1 -1\n"
                              "nr_sv 0 0\nSV\n");
  npy::write(path("x.npy"), {3, 2}, std::vector<double>{0.5, -1, 2, 0, -3, 7});
  const auto r = run("csim svm --config tiny --model '" + path("m.model") + "' --input '" + path("x.npy") + "' --output '" +
                     path("y.npy") + "' --decision '" + path("d.npy") + "' --decision-as values");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 samples x 2 features, linear kernel, 2 classes, 0 support vectors"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("labels equal to libsvm's (svm_predict_values, float): 3 of 3"), std::string::npos) << r.out;
  EXPECT_EQ(npy::read(path("y.npy")).as<std::int64_t>(), (std::vector<std::int64_t>{-1, -1, -1}));
  EXPECT_EQ(npy::read(path("d.npy")).as<double>(), (std::vector<double>{-0.25, -0.25, -0.25}));
}

// Models the reader accepts but no binary point can hold: refused with the reason, never a hang
// or undefined arithmetic (issue 9, item 2's class).
TEST_F(CliSvm, ModelsBeyondAnyBinaryPointAreRefused) {
  npy::write(path("x.npy"), {1, 1}, std::vector<double>{0.5});
  write_file(path("big.model"), "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 1 -1\n"
                                "nr_sv 1 0\nSV\n1 1:1e200\n");
  expect_rejected("csim svm --model '" + path("big.model") + "' --input '" + path("x.npy") + "'",
                  {"big.model", "does not fit the svm config 'default'", "kernel values beyond any scale"});
  write_file(path("g.model"), "svm_type c_svc\nkernel_type rbf\ngamma 1e-300\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 1 -1\n"
                              "nr_sv 1 0\nSV\n1 1:1\n");
  expect_rejected("csim svm --model '" + path("g.model") + "' --input '" + path("x.npy") + "'",
                  {"g.model", "gamma 1e-300", "requantization shift"});
}
