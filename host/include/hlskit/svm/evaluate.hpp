// svm: the bit-exact kernel against libsvm on a data set. One sample's path, the same for both:
// unscaled features -> svm-scale's values (when a range file is given) -> libsvm's
// svm_predict_values (float) and -> feature codes -> hlskit::svm::classify (csim).
#pragma once

#include <hlskit/svm/libsvm.hpp>
#include <hlskit/svm/quantize.hpp>
#include <svm/svm.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace hlskit::svm {

// A model as the command line names it: the libsvm model file and, optionally, its range file.
struct model_files {
  std::string model, ranges;  // ranges empty: features are used as given (already scaled)
};

// The scaled values of every sample (svm-scale's rule) or the samples as given.
inline std::vector<std::vector<double>> scaled_features(const std::optional<scale_ranges>& ranges,
                                                        const std::vector<std::vector<double>>& features) {
  if (!ranges) return features;
  std::vector<std::vector<double>> out;
  out.reserve(features.size());
  for (const auto& x : features) out.push_back(scale(*ranges, x));
  return out;
}

// csim of every sample: feature codes, results and the count of saturated feature values.
template <class Config>
struct csim_run {
  std::vector<std::vector<std::int64_t>> codes;  // [n][max_features]
  std::vector<result<Config>> results;
  std::size_t clipped = 0;
};

template <class Config>
csim_run<Config> run_csim(const quantized_model<Config>& q, const std::vector<std::vector<double>>& scaled) {
  csim_run<Config> run;
  run.codes.reserve(scaled.size());
  run.results.resize(scaled.size());
  typename Config::feature_t x[Config::max_features];
  for (std::size_t n = 0; n < scaled.size(); ++n) {
    run.codes.push_back(q.feature_codes(scaled[n], &run.clipped));
    for (int j = 0; j < Config::max_features; ++j) x[j] = Config::feature_t::from_raw(run.codes.back()[j]);
    classify<Config>(x, *q.params, run.results[n]);
  }
  return run;
}

// Accuracy of csim and libsvm, their agreement, and how many pairwise decisions change sign.
struct evaluation {
  std::size_t samples = 0, pairs = 0;
  std::size_t csim_correct = 0, libsvm_correct = 0, labels_agree = 0;
  std::size_t decisions = 0, decision_sign_changes = 0, clipped_features = 0;
  double max_decision_error = 0;  // |csim - libsvm| over every decision value
  binary_points points;
  std::size_t saturated_parameters = 0;

  double csim_accuracy() const { return samples ? double(csim_correct) / samples : 0; }
  double libsvm_accuracy() const { return samples ? double(libsvm_correct) / samples : 0; }
  double agreement() const { return samples ? double(labels_agree) / samples : 0; }
  nlohmann::json to_json() const {
    return {{"samples", samples},
            {"csim_accuracy", csim_accuracy()},
            {"libsvm_accuracy", libsvm_accuracy()},
            {"label_agreement", agreement()},
            {"decisions", decisions},
            {"decision_sign_changes", decision_sign_changes},
            {"max_decision_error", max_decision_error},
            {"clipped_features", clipped_features},
            {"saturated_parameters", saturated_parameters},
            {"binary_points",
             {{"feature_frac", points.feature_frac},
              {"gamma_frac", points.gamma_frac},
              {"coef_frac", points.coef_frac},
              {"product_frac", points.product_frac},
              {"kernel_scale_log2", points.kernel_scale_log2}}}};
  }
  std::string table() const {
    return fmt::format(
        "  {:<34} {:>10}\n  {:<34} {:>9.2f}%\n  {:<34} {:>9.2f}%\n  {:<34} {:>9.2f}%  ({} of {})\n"
        "  {:<34} {:>10}  (of {})\n  {:<34} {:>10.3g}\n  {:<34} {:>10}\n"
        "  {:<34} feature {}, gamma {}, coef {} (decision {}); kernel scale 2^-{}\n",
        "samples", samples, "accuracy csim (fixed point)", 100 * csim_accuracy(), "accuracy libsvm (float)",
        100 * libsvm_accuracy(), "labels csim == libsvm", 100 * agreement(), labels_agree, samples,
        "decision values changing sign", decision_sign_changes, decisions, "max |decision csim - libsvm|",
        max_decision_error, "feature values saturated", clipped_features, "fraction bits", points.feature_frac,
        points.gamma_frac, points.coef_frac, points.decision_frac(), points.kernel_scale_log2);
  }
};

template <class Config>
evaluation evaluate(const quantized_model<Config>& q, const libsvm_predictor& reference,
                    const std::vector<std::vector<double>>& scaled, const std::vector<int>& labels,
                    csim_run<Config>* run_out = nullptr) {
  evaluation e;
  e.points = q.points;
  e.saturated_parameters = q.saturated;
  e.samples = scaled.size();
  const int classes = q.params->classes;
  e.pairs = static_cast<std::size_t>(classes * (classes - 1) / 2);
  csim_run<Config> run = run_csim(q, scaled);
  e.clipped_features = run.clipped;
  for (std::size_t n = 0; n < scaled.size(); ++n) {
    const prediction ref = reference.predict(scaled[n]);
    const auto& r = run.results[n];
    e.csim_correct += r.label == labels[n];
    e.libsvm_correct += ref.label == labels[n];
    e.labels_agree += r.label == ref.label;
    for (std::size_t p = 0; p < e.pairs; ++p) {
      const double d = q.decision_value(r.decision[p]);
      e.decision_sign_changes += (d > 0) != (ref.decision[p] > 0);
      e.max_decision_error = std::max(e.max_decision_error, std::fabs(d - ref.decision[p]));
      ++e.decisions;
    }
  }
  if (run_out) *run_out = std::move(run);
  return e;
}

}  // namespace hlskit::svm
