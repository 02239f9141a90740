// `hlskit csim / train svm` run as a user runs them: labels equal to libsvm's on the embedded
// model, decision values as codes and as values, and bad input files, models and options
// rejected with one line naming the file and the line or field, exit 2, no output written.
#include "cli_test.hpp"

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/npy.hpp>
#include <hlskit/svm/libsvm.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

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
