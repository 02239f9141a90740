// Cosimulation of rtl/svm/svm_top with models trained by libsvm (hlskit::svm::train: byte for
// byte what svm-scale + svm-train write), every supported kernel type, 2 classes (breast cancer
// on `default`) and 3 classes (iris on `tiny`): the held-out samples, scaled and quantized as
// csim does, plus a copy of every support vector; zero differing bits with classify, without
// and with back-pressure.
#include <gtest/gtest.h>

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/svm/quantize.hpp>

#include <svm/cosim.hpp>
#include "hlskit/verilated/svm_models.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cosim = hlskit::cosim;
namespace sv = hlskit::svm;
namespace fs = std::filesystem;
using namespace cosim::svm_top;

namespace {

struct dataset {
  std::string name, csv;
};
const dataset breast_cancer{"breast_cancer", std::string(HLSKIT_DATA_DIR) + "/breast_cancer/breast_cancer.csv"};
const dataset iris{"iris", "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv"};

template <class P>
void train_and_cosim(const dataset& ds, sv::kernel_type kernel) {
  using Config = typename P::config;
  const auto d = hlskit::data::load_breast_cancer(ds.csv);
  const auto split = hlskit::data::stratified_split(d.labels, 1);
  const fs::path dir = fs::temp_directory_path() / ("hlskit_svm_trained_cosim_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string model = (dir / "m.model").string(), ranges = (dir / "m.range").string();
  sv::train_options o;
  o.kernel = kernel;
  sv::train(d.features_of(split.train), d.labels_of(split.train), o, model, ranges);
  const sv::scale_ranges r = sv::read_ranges(ranges);
  const auto test = d.features_of(split.test);
  const auto q = sv::quantize_model<Config>(sv::read_model(model), static_cast<int>(test.front().size()), model, P::name, &r);
  fs::remove_all(dir);

  stimulus_set<Config> set{std::string(ds.name) + "/" + sv::kernel_name(kernel),
                           std::make_shared<const sv::parameters<Config>>(*q.params), {}, 1};
  for (const auto& x : test) {
    const auto codes = q.feature_codes(sv::scale(r, x));
    feature_vector<Config> v{};
    for (int j = 0; j < Config::max_features; ++j) v[static_cast<std::size_t>(j)] = static_cast<std::int16_t>(codes[static_cast<std::size_t>(j)]);
    set.vectors.push_back(v);
  }
  for (int k = 0; k < q.params->support_vectors; ++k) {
    feature_vector<Config> v{};
    for (int j = 0; j < q.features; ++j) v[static_cast<std::size_t>(j)] = static_cast<std::int16_t>(q.params->support_vector[k][j].raw());
    set.vectors.push_back(v);
  }
  for (const double pressure : {0.0, 0.3}) {
    cosim::run_options opt;
    opt.kernel = "svm/" + set.name;
    opt.valid_gap_probability = opt.ready_stall_probability = pressure;
    if (pressure > 0) opt.random_init = 123;  // and from a random initial state
    const auto result = run_sets<driver<P>>(opt, {set});
    EXPECT_TRUE(result.passed()) << result.table();
    EXPECT_EQ(result.vectors, set.vectors.size());
    EXPECT_EQ(result.mismatch_count, 0u);
  }
}

TEST(SvmTrainedCosim, BreastCancerOnDefaultEveryKernel) {
  for (const auto k : {sv::kernel_type::linear, sv::kernel_type::polynomial, sv::kernel_type::rbf})
    train_and_cosim<svm_default>(breast_cancer, k);
}

TEST(SvmTrainedCosim, IrisThreeClassesOnTinyEveryKernel) {
  for (const auto k : {sv::kernel_type::linear, sv::kernel_type::polynomial, sv::kernel_type::rbf})
    train_and_cosim<svm_tiny>(iris, k);
}

}  // namespace
