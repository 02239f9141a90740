// `hlskit csim | cosim | train svm` and the SVM part of `hlskit demo`.
//
// A model is a libsvm model file plus, optionally, the svm-scale range file its features were
// scaled with (--scale; the embedded default model brings its own, beside it as .range).
// Inputs (.npy, shape (n, features), float32 or float64): unscaled features; with a range file
// they are scaled exactly as svm-scale writes them, then quantized by the model's feature format.
// Outputs: (n,) int32 predicted labels, libsvm's numbering; --decision D.npy adds the
// (n, classes * (classes - 1) / 2) decision values in libsvm's pair order, as raw int64 codes
// (--decision-as codes, binary point in the report) or float64 values (--decision-as values).
#include "svm_cli.hpp"

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/npy.hpp>
#include <hlskit/svm/evaluate.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace hlskit::cli::svm_cli {

namespace sv = hlskit::svm;

namespace {

// The embedded defaults (models/svm/README.md has the commands that made them).
std::string default_model_path() { return models_dir() + "/svm/breast_cancer.model"; }
std::string iris_model_path() { return models_dir() + "/svm/iris.model"; }
constexpr unsigned default_split_seed = 1;  // the split the default models were trained on

// M.model -> M.range: where `hlskit train svm` writes the range file of a model.
std::string range_beside(const std::string& model_path) {
  const auto slash = model_path.find_last_of('/');
  const auto dot = model_path.find_last_of('.');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return (has_ext ? model_path.substr(0, dot) : model_path) + ".range";
}

struct loaded_model {
  sv::model_files files;
  sv::libsvm_model model;
  std::optional<sv::scale_ranges> ranges;
};

loaded_model load(const std::string& model, const std::string& scale) {
  loaded_model l;
  l.files.model = model.empty() ? default_model_path() : model;
  l.files.ranges = !scale.empty() ? scale : model.empty() ? range_beside(default_model_path()) : "";
  l.model = sv::read_model(l.files.model);
  if (!l.files.ranges.empty()) l.ranges = sv::read_ranges(l.files.ranges);
  return l;
}

std::string config_name(const command& cmd) { return cmd.config.empty() ? "default" : cmd.config; }

// Calls f(Config{}) for a named config.
template <class F>
decltype(auto) with_config(const std::string& name, F&& f) {
  if (name == "tiny") return f(sv::tiny{});
  return f(sv::default_config{});
}

// Unscaled features of an input file; NaN and infinity are errors.
std::vector<std::vector<double>> read_features(const std::string& path) {
  const npy::array a = npy::read(path);
  if (a.shape.size() != 2 || a.shape[0] == 0 || a.shape[1] == 0)
    throw usage_error(fmt::format("{}: shape {}: expected (n, features) with n, features >= 1", path,
                                  npy::shape_string(a.shape)));
  if (a.type != npy::dtype::f32 && a.type != npy::dtype::f64)
    throw usage_error(fmt::format("{}: dtype {}: expected float32 or float64 (unscaled feature values)", path,
                                  npy::type_name(a.type)));
  const auto values = a.as<double>();
  const std::size_t n = a.shape[0], d = a.shape[1];
  std::vector<std::vector<double>> x(n, std::vector<double>(d));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      throw usage_error(fmt::format("{}: element {} (sample {}, feature {}) is {}: expected a finite value", path, i,
                                    i / d, i % d, values[i]));
    x[i / d][i % d] = values[i];
  }
  return x;
}

// A data set by name: breast_cancer (data/), iris (Debian's python3-sklearn), or a CSV path in
// scikit-learn's format.
std::string dataset_path(const std::string& name) {
  if (name.empty() || name == "breast_cancer") return std::string(HLSKIT_DATA_DIR) + "/breast_cancer/breast_cancer.csv";
  if (name == "iris") return "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv";
  return name;
}

struct split_data {
  std::vector<std::vector<double>> train_x, test_x;
  std::vector<int> train_y, test_y;
};

split_data load_split(const std::string& dataset, unsigned seed) {
  const auto data = hlskit::data::load_breast_cancer(dataset_path(dataset));
  const auto split = hlskit::data::stratified_split(data.labels, seed);
  return {data.features_of(split.train), data.features_of(split.test), data.labels_of(split.train),
          data.labels_of(split.test)};
}

void write_report(const std::string& path, const nlohmann::json& j) {
  if (!path.empty()) model_file::write_json(path, j);
}

// The held-out evaluation of a model on a config: csim vs libsvm.
template <class Config>
sv::evaluation evaluate_on(const loaded_model& l, const std::string& config, const std::vector<std::vector<double>>& x,
                           const std::vector<int>& y) {
  const int features = static_cast<int>(x.front().size());
  const auto q = sv::quantize_model<Config>(l.model, features, l.files.model, config, l.ranges ? &*l.ranges : nullptr);
  const sv::libsvm_predictor reference(l.files.model);
  return sv::evaluate<Config>(q, reference, sv::scaled_features(l.ranges, x), y);
}

}  // namespace

// ---- csim -------------------------------------------------------------------------------------

int csim(const command& cmd) {
  if (cmd.input.empty()) throw usage_error("--input X.npy is required");
  if (cmd.decision_as != "codes" && cmd.decision_as != "values")
    throw usage_error("--decision-as: expected 'codes' or 'values', found '" + cmd.decision_as + "'");
  const std::string config = config_name(cmd);
  const loaded_model l = load(cmd.model, cmd.scale);
  const auto x = read_features(cmd.input);
  const std::size_t n = x.size();
  const int features = static_cast<int>(x.front().size());

  return with_config(config, [&](auto tag) {
    using Config = decltype(tag);
    const auto q = sv::quantize_model<Config>(l.model, features, l.files.model, config, l.ranges ? &*l.ranges : nullptr);
    const auto scaled = sv::scaled_features(l.ranges, x);
    const auto t0 = std::chrono::steady_clock::now();
    const auto run = sv::run_csim(q, scaled);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // libsvm on the same scaled values, for the agreement line.
    const sv::libsvm_predictor reference(l.files.model);
    std::size_t agree = 0;
    std::vector<std::int32_t> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
      labels[i] = run.results[i].label;
      agree += reference.predict(scaled[i]).label == labels[i];
    }
    const std::size_t pairs = static_cast<std::size_t>(l.model.nr_class * (l.model.nr_class - 1) / 2);
    if (!cmd.output.empty()) npy::write(cmd.output, {n}, labels);
    if (!cmd.decision.empty()) {
      if (cmd.decision_as == "codes") {
        std::vector<std::int64_t> d(n * pairs);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t p = 0; p < pairs; ++p) d[i * pairs + p] = run.results[i].decision[p].raw();
        npy::write(cmd.decision, {n, pairs}, d);
      } else {
        std::vector<double> d(n * pairs);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t p = 0; p < pairs; ++p) d[i * pairs + p] = q.decision_value(run.results[i].decision[p]);
        npy::write(cmd.decision, {n, pairs}, d);
      }
    }
    const double rate = seconds > 0 ? static_cast<double>(n) / seconds : 0;
    fmt::print("csim svm ({}): {} samples x {} features, {} kernel, {} classes, {} support vectors\n"
               "  {} feature values saturated, {} model parameters saturated\n"
               "  labels equal to libsvm's (svm_predict_values, float): {} of {}\n"
               "  decision values: {} fraction bits (value = code * 2^-{})\n"
               "  {:.3f} s, {:.0f} inferences/s\n",
               config, n, features, sv::kernel_name(l.model.kernel), l.model.nr_class, l.model.total_sv(), run.clipped,
               q.saturated, agree, n, q.points.decision_frac(), q.points.decision_frac(), seconds, rate);
    if (!cmd.output.empty()) fmt::print("  wrote {} ({} int32 labels)\n", cmd.output, n);
    if (!cmd.decision.empty())
      fmt::print("  wrote {} ({} x {} decision {})\n", cmd.decision, n, pairs,
                 cmd.decision_as == "codes" ? "codes, int64" : "values, float64");
    write_report(cmd.report, {{"kernel", "svm"},
                              {"action", "csim"},
                              {"config", config},
                              {"model", l.files.model},
                              {"ranges", l.files.ranges},
                              {"input", cmd.input},
                              {"samples", n},
                              {"features", features},
                              {"clipped_features", run.clipped},
                              {"saturated_parameters", q.saturated},
                              {"labels_equal_to_libsvm", agree},
                              {"decision_frac", q.points.decision_frac()},
                              {"output", cmd.output},
                              {"decision", cmd.decision},
                              {"decision_as", cmd.decision_as},
                              {"seconds", seconds},
                              {"inferences_per_second", rate}});
    return 0;
  });
}

// ---- train ------------------------------------------------------------------------------------

int train(const command& cmd) {
  if (cmd.output.empty()) throw usage_error("--output M.model is required (the model file; the range file goes beside it)");
  sv::train_options o;
  o.seed = static_cast<unsigned>(cmd.seed);
  const std::string& kt = cmd.kernel_type;
  if (kt.empty() || kt == "rbf") o.kernel = sv::kernel_type::rbf;
  else if (kt == "linear") o.kernel = sv::kernel_type::linear;
  else if (kt == "polynomial") o.kernel = sv::kernel_type::polynomial;
  else throw usage_error("--kernel-type: expected linear, polynomial or rbf, found '" + kt + "'");
  const std::string config = config_name(cmd);
  const split_data data = load_split(cmd.dataset, o.seed);
  const std::string range_path = range_beside(cmd.output);
  const auto t0 = std::chrono::steady_clock::now();
  const sv::train_result tr = sv::train(data.train_x, data.train_y, o, cmd.output, range_path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const loaded_model l = load(cmd.output, range_path);
  const auto ev = with_config(config, [&](auto tag) { return evaluate_on<decltype(tag)>(l, config, data.test_x, data.test_y); });
  fmt::print("trained svm ({} kernel) on {} samples of {} in {:.1f} s (seed {}, {}-fold cross-validation)\n"
             "  best C {:g}, gamma {:g}: cross-validation accuracy {:.2f} %, {} support vectors\n"
             "  wrote {} and {}\n\nheld-out {} samples on config '{}':\n{}",
             sv::kernel_name(o.kernel), data.train_x.size(), dataset_path(cmd.dataset), seconds, o.seed, o.folds, tr.c,
             tr.gamma, 100 * tr.cv_accuracy, tr.total_sv, cmd.output, range_path, data.test_x.size(), config, ev.table());
  write_report(cmd.report, {{"kernel", "svm"},
                            {"action", "train"},
                            {"dataset", dataset_path(cmd.dataset)},
                            {"kernel_type", sv::kernel_name(o.kernel)},
                            {"seed", o.seed},
                            {"c", tr.c},
                            {"gamma", tr.gamma},
                            {"cv_accuracy", tr.cv_accuracy},
                            {"support_vectors", tr.total_sv},
                            {"model", cmd.output},
                            {"ranges", range_path},
                            {"seconds", seconds},
                            {"heldout", ev.to_json()}});
  return 0;
}

}  // namespace hlskit::cli::svm_cli
