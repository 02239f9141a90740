// `hlskit csim | cosim | train svm` and the SVM part of `hlskit demo`.
//
// A model is a libsvm model file plus, optionally, the svm-scale range file its features were
// scaled with. The range-file rule, one for every model (embedded or not): --scale R if given
// (--scale none: no range file), else M.range beside the model M if it exists (where
// `hlskit train svm` writes it), else none; the summary and the report say which was used.
// Inputs (.npy, shape (n, features), float32 or float64): unscaled features; with a range file
// they are scaled exactly as svm-scale writes them, then quantized by the model's feature format.
// The number of features the kernel runs on: the rule of sv::plan_features (libsvm.hpp).
// csim exits 1 when any label differs from libsvm's (the outputs are still written: they are
// the kernel's results), and names every feature that loses precision (quantize.hpp).
// Outputs: (n,) int32 predicted labels, libsvm's numbering; --decision D.npy adds the
// (n, classes * (classes - 1) / 2) decision values in libsvm's pair order, as raw int64 codes
// (--decision-as codes, binary point in the report) or float64 values (--decision-as values).
#include "svm_cli.hpp"

#include "cosim_cli.hpp"
#include "outputs.hpp"

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/npy.hpp>
#include <hlskit/hw/svm_configs.hpp>
#include <hlskit/svm/evaluate.hpp>
#include <hlskit/svm/model.hpp>

#ifdef HLSKIT_HAVE_RTL
#include <svm/cosim.hpp>
#include <hlskit/verilated/svm_models.hpp>
#endif

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace hlskit::cli::svm_cli {

namespace sv = hlskit::svm;

namespace {

constexpr unsigned default_split_seed = 1;  // the split the default models were trained on

std::string dataset_of(const std::string& model_path) {
  return model_path == sv::default_model_path("tiny")      ? "iris"
         : model_path == sv::default_model_path("default") ? "breast_cancer"
                                                           : "";
}

sv::feature_limit limit_of(const std::string& config, int max_features) {
  return {max_features, fmt::format("the svm config '{}' holds {} features", config, max_features)};
}

std::string ranges_line(const sv::model_set& l) {
  return l.files.ranges.empty() ? l.ranges_rule : fmt::format("{} ({})", l.files.ranges, l.ranges_rule);
}

// The feature-count rule (sv::plan_features) for a loaded model and an input of `input_features`
// columns (-1: none).
sv::feature_plan plan_for(const sv::model_set& l, int input_features, const std::string& input_name,
                          const std::string& config, int max_features) {
  sv::feature_inputs in;
  in.model = &l.model;
  in.model_name = l.name;
  in.ranges = l.ranges ? &*l.ranges : nullptr;
  in.ranges_name = l.files.ranges;
  in.input_features = input_features;
  in.input_name = input_name;
  in.max_features = max_features;
  in.config_name = config;
  return sv::plan_features(in);
}

// The files a command reads (file_plan: no output may overwrite them): the model and range file
// the rule chose, and the input.
void plan_inputs(file_plan& plan, const command& cmd, const sv::model_set& l) {
  plan.input(cmd.model.empty() ? "the embedded model" : "--model", l.files.model);
  plan.input(!cmd.scale.empty()  ? "--scale"
             : cmd.model.empty() ? "the embedded range file"
                                 : "the range file beside the model",
             l.files.ranges);
  plan.input("--input", cmd.input);
}

// Calls f(Config{}) for the named config (the declaration's: hls/kernels/svm/svm.json).
template <class F>
auto with_config(const std::string& name, F&& f) -> decltype(f(sv::default_config{})) {
  std::optional<decltype(f(sv::default_config{}))> r;
  if (!hw::svm::with_config(name, [&](auto tag) { r.emplace(f(typename decltype(tag)::type{})); }))
    throw usage_error("kernel 'svm' has no config '" + name + "'");
  return std::move(*r);
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

// The held-out evaluation of a model on a config: csim vs libsvm.
template <class Config>
sv::evaluation evaluate_on(const sv::model_set& l, const std::string& config, const std::vector<std::vector<double>>& x,
                           const std::vector<int>& y) {
  const int d = x.empty() ? -1 : static_cast<int>(x.front().size());
  const int features = plan_for(l, d, "the held-out data", config, Config::max_features).features;
  const auto q = sv::quantize_model<Config>(l.model, features, l.name, config, l.ranges ? &*l.ranges : nullptr);
  const sv::libsvm_predictor reference(l.model, l.name);
  return sv::evaluate<Config>(q, reference, sv::scaled_features(l.ranges, x), y);
}

}  // namespace

// ---- csim -------------------------------------------------------------------------------------

int csim(const command& cmd) {
  if (cmd.input.empty()) throw usage_error("--input X.npy is required");
  if (cmd.decision_as != "codes" && cmd.decision_as != "values")
    throw usage_error("--decision-as: expected 'codes' or 'values', found '" + cmd.decision_as + "'");
  const std::string config = config_of(cmd);

  return with_config(config, [&](auto tag) {
    using Config = decltype(tag);
    const sv::model_set l = sv::load_model_set(cmd.model, cmd.scale, config, Config::max_features);
    file_plan files;
    plan_inputs(files, cmd, l);
    files.output("--output", cmd.output);
    files.output("--decision", cmd.decision);
    files.output("--report", cmd.report);
    files.check();
    const auto x = read_features(cmd.input);
    const std::size_t n = x.size();
    const int columns = static_cast<int>(x.front().size());
    const sv::feature_plan plan = plan_for(l, columns, cmd.input, config, Config::max_features);
    const int features = plan.features;
    const auto q = sv::quantize_model<Config>(l.model, features, l.name, config, l.ranges ? &*l.ranges : nullptr);
    const auto scaled = sv::scaled_features(l.ranges, x);
    const auto t0 = std::chrono::steady_clock::now();
    const auto run = sv::run_csim(q, scaled);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // libsvm on the same scaled values, for the agreement line; a label that differs is put down to
    // the feature quantization when libsvm itself changes its label on the quantized features.
    const sv::libsvm_predictor reference(l.model, l.name);
    const double step = std::ldexp(1.0, -q.points.feature_frac);
    std::size_t agree = 0, by_features = 0;
    std::vector<std::int32_t> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
      labels[i] = run.results[i].label;
      const int ref = reference.predict(scaled[i]).label;
      if (ref == labels[i]) {
        ++agree;
        continue;
      }
      std::vector<double> quantized(static_cast<std::size_t>(features));
      for (std::size_t j = 0; j < quantized.size(); ++j) quantized[j] = static_cast<double>(run.codes[i][j]) * step;
      by_features += reference.predict(quantized).label != ref;
    }
    const std::size_t differ = n - agree;
    const auto losses = sv::feature_precision_losses(q, l.model, scaled);

    // The outputs and the report, staged once everything has been computed and committed together.
    const double rate = seconds > 0 ? static_cast<double>(n) / seconds : 0;
    const std::size_t pairs = static_cast<std::size_t>(l.model.nr_class * (l.model.nr_class - 1) / 2);
    staged_outputs staged;
    {
      if (!cmd.output.empty()) npy::write(staged.stage(cmd.output), {n}, labels);
      if (!cmd.decision.empty()) {
        if (cmd.decision_as == "codes") {
          std::vector<std::int64_t> d(n * pairs);
          for (std::size_t i = 0; i < n; ++i)
            for (std::size_t p = 0; p < pairs; ++p) d[i * pairs + p] = run.results[i].decision[p].raw();
          npy::write(staged.stage(cmd.decision), {n, pairs}, d);
        } else {
          std::vector<double> d(n * pairs);
          for (std::size_t i = 0; i < n; ++i)
            for (std::size_t p = 0; p < pairs; ++p) d[i * pairs + p] = q.decision_value(run.results[i].decision[p]);
          npy::write(staged.stage(cmd.decision), {n, pairs}, d);
        }
      }

      nlohmann::json loss_json = nlohmann::json::array();
      for (const auto& loss : losses)
        loss_json.push_back({{"feature", loss.feature}, {"min", loss.min}, {"max", loss.max}, {"step", loss.step},
                             {"steps", loss.steps()}});
      write_report(staged, cmd.report, {{"kernel", "svm"},
                                {"action", "csim"},
                                {"config", config},
                                {"model", l.name},
                                {"ranges", l.files.ranges},
                                {"ranges_rule", l.ranges_rule},
                                {"input", cmd.input},
                                {"samples", n},
                                {"features", features},
                                {"input_columns", columns},
                                {"dropped_features", plan.dropped},
                                {"clipped_features", run.clipped},
                                {"saturated_parameters", q.saturated},
                                {"feature_frac", q.points.feature_frac},
                                {"feature_step", step},
                                {"precision_losses", loss_json},
                                {"labels_equal_to_libsvm", agree},
                                {"labels_differing_from_libsvm", differ},
                                {"labels_differing_by_feature_quantization", by_features},
                                {"passed", differ == 0},
                                {"decision_frac", q.points.decision_frac()},
                                {"output", cmd.output},
                                {"decision", cmd.decision},
                                {"decision_as", cmd.decision_as},
                                {"seconds", seconds},
                                {"inferences_per_second", rate}});
    }
    staged.commit();

    const int m = l.model.n_features, r = l.ranges ? l.ranges->n_features : 0;
    fmt::print("csim svm ({}): {} samples x {} features, {} kernel, {} classes, {} support vectors\n"
               "  model {}\n  range file: {}\n"
               "  features: {} = max(input columns {}, range file's largest index {}, support vectors' largest index {})\n",
               config, n, features, sv::kernel_name(l.model.kernel), l.model.nr_class, l.model.total_sv(), l.name,
               ranges_line(l), features, columns, r, m);
    if (!plan.dropped.empty())
      fmt::print("  note: input feature{} {} {} no line in the range file (or min == max): scaled to 0, as svm-scale does\n",
                 plan.dropped.size() == 1 ? "" : "s", sv::index_list(plan.dropped), plan.dropped.size() == 1 ? "has" : "have");
    fmt::print("  {} feature values saturated, {} model parameters saturated\n", run.clipped, q.saturated);
    if (!losses.empty()) {
      const std::string origin =
          Config::feature_frac != sv::automatic ? std::string("pinned by the config")
          : q.points.feature_max_index > 0
              ? fmt::format("set by the largest value {:g} (feature {} of a support vector)", q.points.feature_max,
                            q.points.feature_max_index)
          : q.points.feature_max > 0 ? fmt::format("set by the range file's limits (+-{:g})", q.points.feature_max)
                                     : std::string("the rule's default (no support vector values, no range file)");
      fmt::print("  warning: {} feature{} lose{} precision: every feature has {} fraction bits (quantization step {:g}), "
                 "{}; scale the features (svm-scale, as hlskit train svm does)\n",
                 losses.size(), losses.size() == 1 ? "" : "s", losses.size() == 1 ? "s" : "", q.points.feature_frac, step,
                 origin);
      for (const auto& loss : losses)
        fmt::print("    feature {}: values {:g} .. {:g}, {:g} quantization steps of {:g} (fewer than {})\n", loss.feature,
                   loss.min, loss.max, loss.steps(), loss.step, 1 << sv::min_steps_log2);
    }
    fmt::print("  labels equal to libsvm's (svm_predict_values, float): {} of {}\n", agree, n);
    if (differ > 0)
      fmt::print("  labels different from libsvm's: {} of {}, {} of them because of the feature quantization "
                 "(libsvm given the quantized feature values changes its label too)\n",
                 differ, n, by_features);
    fmt::print("  decision values: {} fraction bits (value = code * 2^-{})\n"
               "  {:.3f} s, {:.0f} inferences/s\n",
               q.points.decision_frac(), q.points.decision_frac(), seconds, rate);
    if (!cmd.output.empty()) fmt::print("  wrote {} ({} int32 labels)\n", cmd.output, n);
    if (!cmd.decision.empty())
      fmt::print("  wrote {} ({} x {} decision {})\n", cmd.decision, n, pairs,
                 cmd.decision_as == "codes" ? "codes, int64" : "values, float64");
    if (differ > 0) {
      fmt::print("FAIL: {} of {} labels differ from libsvm's (exit status 1{})\n", differ, n,
                 cmd.output.empty() && cmd.decision.empty() ? "" : "; the files written hold the kernel's results");
      return 1;
    }
    return 0;
  });
}

// ---- train ------------------------------------------------------------------------------------

namespace {

// The training data, checked before anything is trained or written: at least 2 classes, every
// class in the training split, a held-out split to evaluate on, at least as many training samples
// as cross-validation folds, a feature with two values, and features and classes within the
// config's capacity.
void validate_training(const hlskit::data::breast_cancer& d, const hlskit::data::split_indices& split,
                       const std::string& path, const sv::train_options& o, const std::string& config,
                       int max_features, int max_classes) {
  const auto name = [&](int c) {
    return fmt::format("{} ('{}')", c, d.class_names.at(static_cast<std::size_t>(c)));
  };
  std::map<int, std::size_t> all, train;
  for (int y : d.labels) ++all[y];
  for (std::size_t i : split.train) ++train[d.labels[i]];
  const std::string split_name = fmt::format("the training split (70 %, seed {})", o.seed);
  if (all.size() < 2)
    throw usage_error(fmt::format("{}: all {} samples are of class {}, so {} holds only one class: training needs "
                                  "samples of at least 2 classes",
                                  path, d.size(), name(all.begin()->first), split_name));
  for (const auto& [c, count] : all)
    if (!train.count(c))
      throw usage_error(fmt::format("{}: class {} has {} sample{}, none of them in {}", path, name(c), count,
                                    count == 1 ? "" : "s", split_name));
  if (split.test.empty())
    throw usage_error(fmt::format("{}: the held-out split (30 %, seed {}) is empty: no class has the 2 samples it "
                                  "needs to give one to it",
                                  path, o.seed));
  if (split.train.size() < static_cast<std::size_t>(o.folds))
    throw usage_error(fmt::format("{}: {} holds {} of the {} samples, fewer than the {} cross-validation folds", path,
                                  split_name, split.train.size(), d.size(), o.folds));
  const std::size_t columns = d.features.front().size();
  if (columns > static_cast<std::size_t>(max_features))
    throw usage_error(fmt::format("{}: {} features; the svm config '{}' holds at most {} (--config)", path, columns,
                                  config, max_features));
  if (all.size() > static_cast<std::size_t>(max_classes))
    throw usage_error(fmt::format("{}: {} classes; the svm config '{}' holds at most {} (--config)", path, all.size(),
                                  config, max_classes));
  bool varies = false;
  for (std::size_t j = 0; j < columns && !varies; ++j)
    for (std::size_t i : split.train)
      if (d.features[i][j] != d.features[split.train.front()][j]) {
        varies = true;
        break;
      }
  if (!varies)
    throw usage_error(fmt::format("{}: every feature has a single value over {}: nothing to train on", path, split_name));
}

}  // namespace

int train(const command& cmd) {
  if (cmd.output.empty()) throw usage_error("--output M.model is required (the model file; the range file goes beside it)");
  sv::train_options o;
  o.seed = static_cast<unsigned>(cmd.seed);
  const std::string& kt = cmd.kernel_type;
  if (kt.empty() || kt == "rbf") o.kernel = sv::kernel_type::rbf;
  else if (kt == "linear") o.kernel = sv::kernel_type::linear;
  else if (kt == "polynomial") o.kernel = sv::kernel_type::polynomial;
  else throw usage_error("--kernel-type: expected linear, polynomial or rbf, found '" + kt + "'");
  const std::string config = config_of(cmd);
  return with_config(config, [&](auto tag) {
    using Config = decltype(tag);
    const std::string path = dataset_path(cmd.dataset);
    const std::string range_path = sv::range_beside(cmd.output);
    file_plan plan;
    plan.input("--dataset", path);
    plan.output("--output", cmd.output);
    plan.output("the range file beside --output", range_path);
    plan.output("--report", cmd.report);
    plan.check();
    const auto all = hlskit::data::load_breast_cancer(path);
    const auto split = hlskit::data::stratified_split(all.labels, o.seed);
    validate_training(all, split, path, o, config, Config::max_features, Config::max_classes);
    const split_data data{all.features_of(split.train), all.features_of(split.test), all.labels_of(split.train),
                          all.labels_of(split.test)};

    // Model, range file and report are staged: they appear together, and only when training, the
    // config's capacity check and the held-out evaluation have succeeded.
    staged_outputs staged;
    const std::string model_tmp = staged.stage(cmd.output), range_tmp = staged.stage(range_path);
    const auto t0 = std::chrono::steady_clock::now();
    sv::train_result tr;
    try {
      tr = sv::train(data.train_x, data.train_y, o, model_tmp, range_tmp);
    } catch (const std::exception& e) {  // e.g. a full disk: name the user's paths
      throw usage_error(staged.real_names(e.what()));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (tr.total_sv > Config::max_support_vectors)
      throw usage_error(fmt::format("{}: training gave {} support vectors; the svm config '{}' holds at most {} "
                                    "(nothing written)",
                                    path, tr.total_sv, config, Config::max_support_vectors));
    sv::model_set l;
    l.files = {model_tmp, range_tmp};
    l.name = cmd.output;
    l.ranges_rule = "written beside the model";
    const sv::feature_limit limit = limit_of(config, Config::max_features);
    l.model = sv::read_model(model_tmp, limit);
    l.ranges = sv::read_ranges(range_tmp, limit);
    const auto ev = evaluate_on<Config>(l, config, data.test_x, data.test_y);
    write_report(staged, cmd.report, {{"kernel", "svm"},
                                      {"action", "train"},
                                      {"dataset", path},
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
    staged.commit();
    fmt::print("trained svm ({} kernel) on {} samples of {} in {:.1f} s (seed {}, {}-fold cross-validation)\n"
               "  best C {:g}, gamma {:g}: cross-validation accuracy {:.2f} %, {} support vectors\n"
               "  wrote {} and {}\n\nheld-out {} samples on config '{}':\n{}",
               sv::kernel_name(o.kernel), data.train_x.size(), path, seconds, o.seed, o.folds, tr.c, tr.gamma,
               100 * tr.cv_accuracy, tr.total_sv, cmd.output, range_path, data.test_x.size(), config, ev.table());
    return 0;
  });
}

// ---- cosim ------------------------------------------------------------------------------------

namespace {

std::string cosim_table_header() {
  return fmt::format("  {:<8} {:<7} {:>7} {:>9} {:>10}  {:<22} {:>8} {:>10}  {}", "config", "BP", "vectors", "outputs",
                     "mismatches", "cycles/inference", "ideal", "efficiency", "result");
}

#ifdef HLSKIT_HAVE_RTL
namespace svt = cosim::svm_top;

// The stimulus of one model: the data samples (held-out or --input, scaled and quantized as csim
// does), then the corners: the all-zero vector; every feature at the scale limits (lower, upper,
// alternating); the feature codes' extremes (-32768, 32767: beyond any training range); a copy
// of every support vector (rbf argument 0, K = 1); a vector at the code limits opposite the first
// SV (the largest rbf arguments the model allows: with the iris model's gamma they saturate at
// -32, beyond the exp table); then random vectors over 1.5x the scale range: the
// corners and random vectors number `vectors` besides the data samples.
template <class Config>
std::vector<svt::feature_vector<Config>> cosim_vectors(const sv::quantized_model<Config>& q, const sv::model_set& l,
                                                       const std::vector<std::vector<double>>& scaled,
                                                       std::size_t vectors, std::uint64_t seed) {
  using fv = svt::feature_vector<Config>;
  const auto& p = *q.params;
  std::vector<fv> out;
  const auto from_values = [&](const std::vector<double>& v) {
    fv x{};
    const auto codes = q.feature_codes(v);
    for (int j = 0; j < q.features; ++j) x[static_cast<std::size_t>(j)] = static_cast<std::int16_t>(codes[static_cast<std::size_t>(j)]);
    return x;
  };
  for (const auto& v : scaled) out.push_back(from_values(v));
  const double lower = l.ranges ? l.ranges->lower : -1.0, upper = l.ranges ? l.ranges->upper : 1.0;
  const auto n = static_cast<std::size_t>(q.features);
  out.push_back(fv{});
  out.push_back(from_values(std::vector<double>(n, lower)));
  out.push_back(from_values(std::vector<double>(n, upper)));
  std::vector<double> alternating(n);
  for (std::size_t j = 0; j < n; ++j) alternating[j] = j % 2 ? upper : lower;
  out.push_back(from_values(alternating));
  fv lo{}, hi{}, far{};
  for (std::size_t j = 0; j < n; ++j) {
    lo[j] = std::numeric_limits<std::int16_t>::min();
    hi[j] = std::numeric_limits<std::int16_t>::max();
  }
  out.push_back(lo);
  out.push_back(hi);
  for (int k = 0; k < p.support_vectors; ++k) {
    fv x{};
    for (int j = 0; j < q.features; ++j) x[static_cast<std::size_t>(j)] = static_cast<std::int16_t>(p.support_vector[k][j].raw());
    out.push_back(x);
  }
  for (std::size_t j = 0; j < n; ++j)
    far[j] = p.support_vectors > 0 && p.support_vector[0][j].raw() > 0 ? lo[j] : hi[j];
  out.push_back(far);
  std::mt19937_64 rng(seed);
  const double mid = (lower + upper) / 2, half = 0.75 * (upper - lower);
  std::uniform_real_distribution<double> value(mid - half, mid + half);
  while (out.size() < scaled.size() + vectors) {
    std::vector<double> v(n);
    for (auto& e : v) e = value(rng);
    out.push_back(from_values(v));
  }
  return out;
}

template <class P>
cosim_outcome cosim_model(const sv::quantized_model<typename P::config>& q, const std::vector<svt::feature_vector<typename P::config>>& vectors,
                          const command& cmd) {
  using Config = typename P::config;
  using driver = svt::driver<P>;
  const auto params = std::make_shared<const sv::parameters<Config>>(*q.params);
  // Runs of 64 vectors (auto-restart between them); the vector count rounded up to whole runs
  // with random repeats of the data.
  constexpr std::size_t run = 64;
  svt::stimulus_set<Config> set{"model", params, vectors, run};
  for (std::size_t i = 0; set.vectors.size() % run != 0; ++i) set.vectors.push_back(vectors[i % vectors.size()]);
  const std::vector<svt::stimulus_set<Config>> sets{set};
  const auto& p = *params;
  const int beats = svt::beats_per_vector(p);
  const double ideal = static_cast<double>(p.support_vectors) * beats;

  cosim_outcome out;
  out.json = {{"config", P::name}, {"lanes", Config::lanes}, {"support_vectors", p.support_vectors},
              {"features", p.features}, {"ideal_cycles_per_inference", ideal}, {"passes", nlohmann::json::array()}};
  for (const back_pressure& bp : back_pressure_passes) {
    cosim::run_options opt;
    opt.kernel = fmt::format("svm/{}", P::name);
    opt.seed = cmd.seed;
    if (cmd.random_init != 0) opt.random_init = cmd.random_init;
    opt.valid_gap_probability = bp.gaps;
    opt.ready_stall_probability = bp.stalls;
    if (P::traced) opt.trace_path = cmd.trace;
    std::vector<svt::set_timing> timing;
    const cosim::run_result r = svt::run_sets<driver>(opt, sets, &timing);
    const bool ok = r.passed() && r.vectors == set.vectors.size();
    out.passed = out.passed && ok;
    out.vectors += r.vectors;
    out.mismatches += r.mismatch_count;
    std::fputs(r.table().c_str(), stdout);
    // No timing when the run stopped early (a timeout): the table says FAIL and why.
    const cosim::stats cpi = timing.empty() ? cosim::stats{} : timing.front().cycles_per_inference;
    auto j = r.to_json();
    j["back_pressure"] = bp.name;
    j["cycles_per_inference"] = {{"mean", cpi.mean()}, {"min", cpi.min}, {"max", cpi.max}};
    j["efficiency"] = cpi.mean() > 0 ? ideal / cpi.mean() : 0.0;
    out.json["passes"].push_back(j);
    out.table_rows.push_back(fmt::format("  {:<8} {:<7} {:>7} {:>9} {:>10}  {:<22} {:>8g} {:>10.3f}  {}", P::name, bp.name,
                                         r.vectors, r.outputs_compared, r.mismatch_count,
                                         fmt::format("{:.1f} ({:g}..{:g})", cpi.mean(), cpi.min, cpi.max), ideal,
                                         cpi.mean() > 0 ? ideal / cpi.mean() : 0.0, ok ? "PASS" : "FAIL"));
  }
  out.json["passed"] = out.passed;
  return out;
}
#endif

// Cosim of a loaded model on a config: data samples + corners + random up to `vectors`. The
// kernel's feature count by the rule of sv::plan_features (the data's columns, if any, count).
cosim_outcome run_cosim(const std::string& config, const sv::model_set& l, const std::vector<std::vector<double>>& data,
                        const std::string& data_name, const command& cmd, std::size_t vectors) {
#ifdef HLSKIT_HAVE_RTL
  return with_config(config, [&](auto tag) {
    using Config = decltype(tag);
    const int d = data.empty() ? -1 : static_cast<int>(data.front().size());
    const int features = plan_for(l, d, data_name, config, Config::max_features).features;
    const auto q = sv::quantize_model<Config>(l.model, features, l.name, config, l.ranges ? &*l.ranges : nullptr);
    const auto x = cosim_vectors<Config>(q, l, sv::scaled_features(l.ranges, data), vectors, cmd.seed);
    if constexpr (std::is_same_v<Config, sv::tiny>) return cosim_model<svm_tiny>(q, x, cmd);
    else return cosim_model<svm_default>(q, x, cmd);
  });
#else
  (void)config, (void)l, (void)data, (void)data_name, (void)cmd, (void)vectors;
  throw usage_error("this hlskit was built without the RTL models (configure with -DHLSKIT_BUILD_COSIM=ON)");
#endif
}

}  // namespace

int cosim(const command& cmd) {
  const std::string config = config_of(cmd);
  const int max_features = with_config(config, [](auto tag) { return decltype(tag)::max_features; });
  const sv::model_set l = sv::load_model_set(cmd.model, cmd.scale, config, max_features);
#ifdef HLSKIT_HAVE_RTL
  check_trace(cmd, config, config == "tiny" ? svm_tiny::traced : svm_default::traced,
              std::string(svm_default::traced ? "default" : "") + (svm_default::traced && svm_tiny::traced ? ", " : "") +
                  (svm_tiny::traced ? "tiny" : ""));
#endif
  file_plan plan;
  plan_inputs(plan, cmd, l);
  plan.output("--trace", cmd.trace);
  plan.output("--report", cmd.report);
  plan.check();
  const std::size_t vectors = cmd.vectors > 0 ? static_cast<std::size_t>(cmd.vectors) : 5000;
  check_vector_count(vectors, "--vectors");
  std::vector<std::vector<double>> data;
  std::string source = "none (random and corner vectors only)";
  if (!cmd.input.empty()) {
    data = read_features(cmd.input);
    source = cmd.input;
  } else if (const std::string ds = dataset_of(l.files.model); !ds.empty()) {
    data = load_split(ds, default_split_seed).test_x;
    source = fmt::format("{} held-out 30 % (split seed {})", ds, default_split_seed);
  }
  check_vector_count(data.size() + vectors, "--input samples + --vectors");
  fmt::print("cosim svm ({}): model {}, range file: {}\n  data: {} ({} samples) + {} corner and random vectors, seed {}\n",
             config, l.name, ranges_line(l), source, data.size(), vectors, cmd.seed);
  const auto r = run_cosim(config, l, data, source, cmd, vectors);
  fmt::print("summary (cycles per inference: mean (min..max); ideal = support vectors x ceil(features / lanes))\n{}\n",
             cosim_table_header());
  for (const auto& row : r.table_rows) fmt::print("{}\n", row);
  auto j = r.json;
  j["kernel"] = "svm";
  j["action"] = "cosim";
  j["model"] = l.name;
  j["ranges"] = l.files.ranges;
  j["ranges_rule"] = l.ranges_rule;
  j["input"] = source;
  staged_outputs staged;
  write_report(staged, cmd.report, j);
  staged.commit();
  return r.passed ? 0 : 1;
}

// ---- demo -------------------------------------------------------------------------------------

bool demo(const demo_options& options, nlohmann::json& report, summary_table& summary) {
  // The held-out split is the one the embedded models were trained on (seed 1), whatever --seed.
  bool passed = true;
  nlohmann::json section = nlohmann::json::array();
  struct story {
    const char* name;
    std::string model, dataset, config;
  };
  for (const story& st : {story{"breast cancer", sv::default_model_path("default"), "breast_cancer", "default"},
                          story{"iris", sv::default_model_path("tiny"), "iris", "tiny"}}) {
    const int max_features = with_config(st.config, [](auto tag) { return decltype(tag)::max_features; });
    const sv::model_set l = sv::load_model_set(st.model, sv::range_beside(st.model), st.config, max_features);
    const split_data data = load_split(st.dataset, default_split_seed);
    fmt::print("== svm ({}): embedded model {} on config '{}'\n", st.name, st.model, st.config);
    const auto ev =
        with_config(st.config, [&](auto tag) { return evaluate_on<decltype(tag)>(l, st.config, data.test_x, data.test_y); });
    fmt::print("held-out {} samples (30 %, split seed {}):\n{}\n", ev.samples, default_split_seed, ev.table());
    // The bar for the breast-cancer model; the iris model is held to full agreement.
    const bool accuracy_ok = st.config != "default" || ev.csim_accuracy() >= 0.96;
    const bool agreement_ok = ev.agreement() >= 0.995;
    passed = passed && accuracy_ok && agreement_ok;
    summary.add("svm", fmt::format("{} csim", st.name),
                fmt::format("accuracy {:.2f} % (libsvm {:.2f} %) on {} held-out samples", 100 * ev.csim_accuracy(),
                            100 * ev.libsvm_accuracy(), ev.samples),
                accuracy_ok);
    summary.add("svm", fmt::format("{} vs libsvm", st.name),
                fmt::format("labels equal on {:.2f} %, {} of {} decision values change sign", 100 * ev.agreement(),
                            ev.decision_sign_changes, ev.decisions),
                agreement_ok);
    // Cosim: the held-out samples, the corners and random vectors, with and without back-pressure.
    command cmd;
    cmd.seed = options.seed;
    cmd.random_init = options.random_init;
    const auto cos = run_cosim(st.config, l, data.test_x, "the held-out data", cmd, static_cast<std::size_t>(options.vectors));
    fmt::print("cosim summary (cycles per inference: mean (min..max))\n{}\n", cosim_table_header());
    for (const auto& row : cos.table_rows) fmt::print("{}\n", row);
    fmt::print("\n");
    passed = passed && cos.passed;
    const auto& none = cos.json["passes"][0];
    summary.add("svm", fmt::format("{} cosim {}", st.name, st.config),
                fmt::format("{} vectors, {} mismatches; {:.1f} cycles/inference (ideal {:g}, efficiency {:.3f})",
                            cos.vectors, cos.mismatches, none["cycles_per_inference"].value("mean", 0.0),
                            cos.json["ideal_cycles_per_inference"].get<double>(), none.value("efficiency", 0.0)),
                cos.passed);
    section.push_back({{"story", st.name}, {"model", st.model}, {"config", st.config}, {"evaluation", ev.to_json()},
                       {"cosim", cos.json}});
  }
  report["svm"] = {{"models", section}, {"passed", passed}};
  return passed;
}

kernel_actions actions() { return {csim, cosim, train, demo}; }

}  // namespace hlskit::cli::svm_cli
