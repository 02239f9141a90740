// The SVM RTL in Verilator, no back-pressure: cycles per inference against the ideal
// support_vectors * ceil(features / lanes) (every lane busy every cycle), for the embedded
// models (breast cancer on `default`, iris on `tiny`) and for a `default` model at full capacity
// (1024 SVs x 64 features, random codes); outputs checked against classify by the cosim driver.
//
//   bench_svm_rtl [--vectors N] [--report F.json]
#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/svm/quantize.hpp>

#include <svm/cosim.hpp>
#include "hlskit/verilated/svm_models.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

namespace sv = hlskit::svm;
namespace cosim = hlskit::cosim;
namespace svt = hlskit::cosim::svm_top;
constexpr const char* program = "bench_svm_rtl";

struct row {
  std::string name;
  int support_vectors, features, lanes;
  double ideal, cycles_per_inference, cycles_per_second;
  std::size_t vectors, mismatches;
};

template <class P>
row measure(const std::string& name, std::shared_ptr<const sv::parameters<typename P::config>> params,
            std::vector<svt::feature_vector<typename P::config>> vectors) {
  using Config = typename P::config;
  svt::stimulus_set<Config> set{name, params, std::move(vectors), 1};
  cosim::run_options opt;
  opt.kernel = "svm/" + name;
  opt.idle_timeout = 100'000;
  std::vector<svt::set_timing> timing;
  const auto t0 = std::chrono::steady_clock::now();
  const cosim::run_result r = svt::run_sets<svt::driver<P>>(opt, {set}, &timing);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto& p = *params;
  return {name, p.support_vectors, p.features, Config::lanes,
          static_cast<double>(p.support_vectors) * svt::beats_per_vector(p), timing.front().cycles_per_inference.mean(),
          static_cast<double>(r.cycles) / seconds, r.vectors, r.mismatch_count + r.errors.size()};
}

// An embedded model and its held-out samples, as `hlskit cosim svm` feeds them.
template <class P>
row embedded(const std::string& name, const std::string& csv, std::size_t vectors) {
  using Config = typename P::config;
  const std::string model = std::string(HLSKIT_MODELS_DIR) + "/svm/" + name + ".model";
  const sv::scale_ranges ranges = sv::read_ranges(std::string(HLSKIT_MODELS_DIR) + "/svm/" + name + ".range");
  const auto d = hlskit::data::load_breast_cancer(csv);
  const auto test = d.features_of(hlskit::data::stratified_split(d.labels, 1).test);
  const auto q = sv::quantize_model<Config>(sv::read_model(model), static_cast<int>(test.front().size()), model, P::name, &ranges);
  std::vector<svt::feature_vector<Config>> x;
  for (std::size_t i = 0; x.size() < vectors; ++i) {
    const auto codes = q.feature_codes(sv::scale(ranges, test[i % test.size()]));
    svt::feature_vector<Config> v{};
    for (int j = 0; j < Config::max_features; ++j) v[static_cast<std::size_t>(j)] = static_cast<std::int16_t>(codes[static_cast<std::size_t>(j)]);
    x.push_back(v);
  }
  return measure<P>(name + " (" + P::name + ")", std::make_shared<const sv::parameters<Config>>(*q.params), x);
}

// A random rbf model filling the `default` config.
row full_capacity(std::size_t vectors) {
  using Config = sv::default_config;
  auto p = std::make_shared<sv::parameters<Config>>();
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> code(-8192, 8191), coef(-65536, 65535);
  p->features = Config::max_features;
  p->support_vectors = Config::max_support_vectors;
  p->classes = Config::max_classes;
  p->kernel = sv::kernel_kind::rbf;
  p->gamma = Config::gamma_t::from_raw(40000);
  p->product_frac = 2 * 13 + 20;
  for (int c = 0; c < p->classes; ++c) {
    p->class_support_vectors[c] = p->support_vectors / p->classes;
    p->label[c] = c;
  }
  for (int k = 0; k < p->support_vectors; ++k) {
    for (int j = 0; j < p->features; ++j) p->support_vector[k][j] = Config::feature_t::from_raw(code(rng));
    for (int m = 0; m + 1 < p->classes; ++m) p->coef[m][k] = Config::coef_t::from_raw(coef(rng));
  }
  std::vector<svt::feature_vector<Config>> x(vectors);
  for (auto& v : x)
    for (auto& f : v) f = static_cast<std::int16_t>(code(rng));
  return measure<svm_default>("full capacity (default)", p, x);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t vectors = 200;
  std::string report;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--vectors" && i + 1 < argc) vectors = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--report" && i + 1 < argc) report = argv[++i];
    else {
      std::fprintf(stderr, "%s: unknown argument '%s'\nusage: %s [--vectors N] [--report F.json]\n", program, arg.c_str(), program);
      return 2;
    }
  }
  if (vectors < 2) {
    std::fprintf(stderr, "%s: --vectors must be >= 2\n", program);
    return 2;
  }
  try {
    const std::vector<row> rows = {
        embedded<svm_default>("breast_cancer", std::string(HLSKIT_DATA_DIR) + "/breast_cancer/breast_cancer.csv", vectors),
        embedded<svm_tiny>("iris", "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv", vectors),
        full_capacity(std::max<std::size_t>(2, vectors / 20))};
    std::printf("%-26s %5s %8s %5s %8s %10s %10s %12s %8s %10s\n", "model", "SVs", "features", "lanes", "ideal",
                "cyc/inf", "efficiency", "sim cyc/s", "vectors", "mismatches");
    nlohmann::json j = {{"benchmark", "svm_rtl"}, {"rows", nlohmann::json::array()}};
    bool ok = true;
    for (const auto& r : rows) {
      std::printf("%-26s %5d %8d %5d %8.0f %10.1f %10.3f %12.4g %8zu %10zu\n", r.name.c_str(), r.support_vectors,
                  r.features, r.lanes, r.ideal, r.cycles_per_inference, r.ideal / r.cycles_per_inference,
                  r.cycles_per_second, r.vectors, r.mismatches);
      ok = ok && r.mismatches == 0;
      j["rows"].push_back({{"model", r.name}, {"support_vectors", r.support_vectors}, {"features", r.features},
                           {"lanes", r.lanes}, {"ideal_cycles", r.ideal}, {"cycles_per_inference", r.cycles_per_inference},
                           {"efficiency", r.ideal / r.cycles_per_inference}, {"simulated_cycles_per_second", r.cycles_per_second},
                           {"vectors", r.vectors}, {"mismatches", r.mismatches}});
    }
    if (!report.empty()) hlskit::model_file::write_json(report, j);
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 2;
  }
}
