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

#include "cosim_cli.hpp"
#include "outputs.hpp"

#include <hlskit/data/breast_cancer.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/npy.hpp>
#include <hlskit/svm/evaluate.hpp>

#ifdef HLSKIT_HAVE_RTL
#include <hlskit/cosim/svm_top.hpp>
#include <hlskit/verilated/svm_models.hpp>
#endif

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
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

std::string config_name(const command& cmd) { return cmd.config.empty() ? "default" : cmd.config; }

// The embedded default model of a config: breast cancer (30 features) fits `default`, iris
// (4 features, 3 classes) fits `tiny`.
std::string default_model_for(const std::string& config) {
  return config == "tiny" ? iris_model_path() : default_model_path();
}
std::string dataset_of(const std::string& model_path) {
  return model_path == iris_model_path() ? "iris" : model_path == default_model_path() ? "breast_cancer" : "";
}

struct loaded_model {
  sv::model_files files;
  sv::libsvm_model model;
  std::optional<sv::scale_ranges> ranges;
};

// --model (else the config's embedded default, with its range file) and --scale.
loaded_model load(const std::string& model, const std::string& scale, const std::string& config) {
  loaded_model l;
  l.files.model = model.empty() ? default_model_for(config) : model;
  l.files.ranges = !scale.empty() ? scale : model.empty() ? range_beside(l.files.model) : "";
  l.model = sv::read_model(l.files.model);
  if (!l.files.ranges.empty()) l.ranges = sv::read_ranges(l.files.ranges);
  return l;
}

// The files a command reads (file_plan: no output may overwrite them).
void plan_inputs(file_plan& plan, const command& cmd, const std::string& config) {
  plan.input(cmd.model.empty() ? "the embedded model" : "--model", cmd.model.empty() ? default_model_for(config) : cmd.model);
  plan.input(cmd.scale.empty() ? "the embedded range file" : "--scale",
             !cmd.scale.empty() ? cmd.scale : cmd.model.empty() ? range_beside(default_model_for(config)) : "");
  plan.input("--input", cmd.input);
}

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
  file_plan plan;
  plan_inputs(plan, cmd, config);
  plan.output("--output", cmd.output);
  plan.output("--decision", cmd.decision);
  plan.output("--report", cmd.report);
  plan.check();
  const loaded_model l = load(cmd.model, cmd.scale, config);
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
    staged_outputs staged;
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
    const double rate = seconds > 0 ? static_cast<double>(n) / seconds : 0;
    fmt::print("csim svm ({}): {} samples x {} features, {} kernel, {} classes, {} support vectors\n"
               "  {} feature values saturated, {} model parameters saturated\n"
               "  labels equal to libsvm's (svm_predict_values, float): {} of {}\n"
               "  decision values: {} fraction bits (value = code * 2^-{})\n"
               "  {:.3f} s, {:.0f} inferences/s\n",
               config, n, features, sv::kernel_name(l.model.kernel), l.model.nr_class, l.model.total_sv(), run.clipped,
               q.saturated, agree, n, q.points.decision_frac(), q.points.decision_frac(), seconds, rate);
    write_report(staged, cmd.report, {{"kernel", "svm"},
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
    staged.commit();
    if (!cmd.output.empty()) fmt::print("  wrote {} ({} int32 labels)\n", cmd.output, n);
    if (!cmd.decision.empty())
      fmt::print("  wrote {} ({} x {} decision {})\n", cmd.decision, n, pairs,
                 cmd.decision_as == "codes" ? "codes, int64" : "values, float64");
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
  const std::string range_path = range_beside(cmd.output);
  file_plan plan;
  plan.input("--dataset", dataset_path(cmd.dataset));
  plan.output("--output", cmd.output);
  plan.output("the range file beside --output", range_path);
  plan.output("--report", cmd.report);
  plan.check();
  const split_data data = load_split(cmd.dataset, o.seed);
  // Model and range file are staged: nothing appears unless the held-out evaluation succeeds.
  staged_outputs staged;
  const std::string model_tmp = staged.stage(cmd.output), range_tmp = staged.stage(range_path);
  const auto t0 = std::chrono::steady_clock::now();
  sv::train_result tr;
  sv::evaluation ev;
  try {
    tr = sv::train(data.train_x, data.train_y, o, model_tmp, range_tmp);
    const loaded_model l = load(model_tmp, range_tmp, config);
    ev = with_config(config, [&](auto tag) { return evaluate_on<decltype(tag)>(l, config, data.test_x, data.test_y); });
  } catch (const std::exception& e) {
    throw usage_error(staged.real_names(e.what()));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_report(staged, cmd.report, {{"kernel", "svm"},
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
  staged.commit();
  fmt::print("trained svm ({} kernel) on {} samples of {} in {:.1f} s (seed {}, {}-fold cross-validation)\n"
             "  best C {:g}, gamma {:g}: cross-validation accuracy {:.2f} %, {} support vectors\n"
             "  wrote {} and {}\n\nheld-out {} samples on config '{}':\n{}",
             sv::kernel_name(o.kernel), data.train_x.size(), dataset_path(cmd.dataset), seconds, o.seed, o.folds, tr.c,
             tr.gamma, 100 * tr.cv_accuracy, tr.total_sv, cmd.output, range_path, data.test_x.size(), config, ev.table());
  return 0;
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
std::vector<svt::feature_vector<Config>> cosim_vectors(const sv::quantized_model<Config>& q, const loaded_model& l,
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
    const cosim::stats& cpi = timing.front().cycles_per_inference;
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

// Cosim of a loaded model on a config: data samples + corners + random up to `vectors`.
cosim_outcome run_cosim(const std::string& config, const loaded_model& l, const std::vector<std::vector<double>>& data,
                        const command& cmd, std::size_t vectors) {
#ifdef HLSKIT_HAVE_RTL
  const int features = data.empty() ? l.model.n_features : static_cast<int>(data.front().size());
  return with_config(config, [&](auto tag) {
    using Config = decltype(tag);
    const auto q = sv::quantize_model<Config>(l.model, features, l.files.model, config, l.ranges ? &*l.ranges : nullptr);
    const auto x = cosim_vectors<Config>(q, l, sv::scaled_features(l.ranges, data), vectors, cmd.seed);
    if constexpr (std::is_same_v<Config, sv::tiny>) return cosim_model<svm_tiny>(q, x, cmd);
    else return cosim_model<svm_default>(q, x, cmd);
  });
#else
  (void)config, (void)l, (void)data, (void)cmd, (void)vectors;
  throw usage_error("this hlskit was built without the RTL models (configure with -DHLSKIT_BUILD_COSIM=ON)");
#endif
}

}  // namespace

int cosim(const command& cmd) {
  const std::string config = config_name(cmd);
#ifdef HLSKIT_HAVE_RTL
  check_trace(cmd, config, config == "tiny" ? svm_tiny::traced : svm_default::traced,
              std::string(svm_default::traced ? "default" : "") + (svm_default::traced && svm_tiny::traced ? ", " : "") +
                  (svm_tiny::traced ? "tiny" : ""));
#endif
  file_plan plan;
  plan_inputs(plan, cmd, config);
  plan.output("--trace", cmd.trace);
  plan.output("--report", cmd.report);
  plan.check();
  const loaded_model l = load(cmd.model, cmd.scale, config);
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
  fmt::print("cosim svm ({}): model {}, data: {} ({} samples) + {} corner and random vectors, seed {}\n", config,
             l.files.model, source, data.size(), vectors, cmd.seed);
  const auto r = run_cosim(config, l, data, cmd, vectors);
  fmt::print("summary (cycles per inference: mean (min..max); ideal = support vectors x ceil(features / lanes))\n{}\n",
             cosim_table_header());
  for (const auto& row : r.table_rows) fmt::print("{}\n", row);
  auto j = r.json;
  j["kernel"] = "svm";
  j["action"] = "cosim";
  j["model"] = l.files.model;
  j["ranges"] = l.files.ranges;
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
  for (const story& st : {story{"breast cancer", default_model_path(), "breast_cancer", "default"},
                          story{"iris", iris_model_path(), "iris", "tiny"}}) {
    const loaded_model l = load(st.model, range_beside(st.model), st.config);
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
    const auto cos = run_cosim(st.config, l, data.test_x, cmd, static_cast<std::size_t>(options.vectors));
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

}  // namespace hlskit::cli::svm_cli
