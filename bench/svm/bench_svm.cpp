// The SVM kernel's C simulation against libsvm's svm_predict on the same model and samples, one
// core, measured in one run: inferences per second and the ratio. The samples are the embedded
// breast-cancer model's held-out 30 % (scaled as svm-scale writes them); libsvm gets its own
// sparse svm_node arrays and the kernel its feature codes, both prepared outside the timing.
//
//   bench_svm [--seconds S] [--model M --scale R] [--report F.json]
#include "../common/timing.hpp"

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/svm/evaluate.hpp>

#include <svm.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace sv = hlskit::svm;
namespace hb = hlskit::bench;
using cfg = sv::default_config;
constexpr const char* program = "bench_svm";

struct options {
  double seconds = 1.0;
  std::string model = std::string(HLSKIT_MODELS_DIR) + "/svm/breast_cancer.model";
  std::string scale = std::string(HLSKIT_MODELS_DIR) + "/svm/breast_cancer.range";
  std::string report;
};

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--seconds" && has_value) o.seconds = std::atof(argv[++i]);
    else if (arg == "--model" && has_value) o.model = argv[++i];
    else if (arg == "--scale" && has_value) o.scale = argv[++i];
    else if (arg == "--report" && has_value) o.report = argv[++i];
    else {
      std::fprintf(stderr, "%s: unknown argument '%s'\nusage: %s [--seconds S] [--model M --scale R] [--report F.json]\n",
                   program, arg.c_str(), program);
      return false;
    }
  }
  if (!(o.seconds > 0)) {
    std::fprintf(stderr, "%s: --seconds must be > 0\n", program);
    return false;
  }
  return true;
}

struct model_deleter {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};

}  // namespace

int main(int argc, char** argv) {
  options opt;
  if (!parse(argc, argv, opt)) return 2;
  try {
    const auto d = hlskit::data::load_breast_cancer(std::string(HLSKIT_DATA_DIR) + "/breast_cancer/breast_cancer.csv");
    const auto heldout = d.features_of(hlskit::data::stratified_split(d.labels, 1).test);
    const sv::libsvm_model m = sv::read_model(opt.model);
    const sv::scale_ranges ranges = sv::read_ranges(opt.scale);
    const auto scaled = sv::scaled_features(ranges, heldout);
    const int features = static_cast<int>(heldout.front().size());
    const auto q = sv::quantize_model<cfg>(m, features, opt.model, "default", &ranges);
    const std::size_t n = scaled.size();

    // The kernel's inputs: feature codes.
    std::vector<cfg::feature_t> codes(n * cfg::max_features);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = q.feature_codes(scaled[i]);
      for (int j = 0; j < cfg::max_features; ++j) codes[i * cfg::max_features + j] = cfg::feature_t::from_raw(c[j]);
    }
    // libsvm's inputs: sparse nodes (zeros left out, as libsvm's own tools write them).
    std::vector<std::vector<svm_node>> nodes(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (int j = 0; j < features; ++j)
        if (scaled[i][j] != 0) nodes[i].push_back({j + 1, scaled[i][j]});
      nodes[i].push_back({-1, 0});
    }
    svm_set_print_string_function([](const char*) {});
    std::unique_ptr<svm_model, model_deleter> reference(svm_load_model(opt.model.c_str()));
    if (!reference) throw std::runtime_error(opt.model + ": libsvm cannot load it");

    std::vector<sv::result<cfg>> kernel_out(n);
    std::vector<double> libsvm_out(n);
    std::vector<hb::variant> variants = {
        {"csim  classify<default>", [&] {
           for (std::size_t i = 0; i < n; ++i) sv::classify<cfg>(&codes[i * cfg::max_features], *q.params, kernel_out[i]);
           hb::keep(kernel_out);
         }},
        {"libsvm svm_predict", [&] {
           for (std::size_t i = 0; i < n; ++i) libsvm_out[i] = svm_predict(reference.get(), nodes[i].data());
           hb::keep(libsvm_out);
         }},
    };
    for (auto& v : variants) v.run_all();
    std::size_t agree = 0;
    for (std::size_t i = 0; i < n; ++i) agree += kernel_out[i].label == static_cast<int>(libsvm_out[i]);
    hb::measure(variants, opt.seconds);

    const double csim_rate = n / variants[0].best_seconds, libsvm_rate = n / variants[1].best_seconds;
    std::printf("svm: %s, %d support vectors x %d features, %zu held-out samples; labels csim == libsvm: %zu of %zu\n\n",
                sv::kernel_name(m.kernel), m.total_sv(), features, n, agree, n);
    std::printf("%-26s %14s %16s\n", "variant", "inferences/s", "rate / libsvm");
    std::printf("%-26s %14.4g %16.2f\n", variants[0].name.c_str(), csim_rate, csim_rate / libsvm_rate);
    std::printf("%-26s %14.4g %16.2f\n", variants[1].name.c_str(), libsvm_rate, 1.0);
    nlohmann::json report = {{"benchmark", "svm_csim_vs_libsvm"},
                             {"model", opt.model},
                             {"support_vectors", m.total_sv()},
                             {"features", features},
                             {"samples", n},
                             {"labels_equal", agree},
                             {"csim_inferences_per_second", csim_rate},
                             {"libsvm_inferences_per_second", libsvm_rate},
                             {"csim_vs_libsvm", csim_rate / libsvm_rate}};
    if (!opt.report.empty()) hlskit::model_file::write_json(opt.report, report);
    return agree == n ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 2;
  }
}
