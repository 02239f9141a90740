// libsvm files: the model file svm-train writes and the range file `svm-scale -s` writes, read
// strictly (every error names the file, the line and the field), plus libsvm itself as the float
// reference (svm_predict_values of Debian's libsvm, not a re-implementation) and training.
//
// Supported: svm_type c_svc; kernel_type linear, polynomial, rbf; two or more classes. Refused
// with a clear message: nu_svc, one_class, epsilon_svr, nu_svr, sigmoid, precomputed.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace hlskit::svm {

// A malformed or unsupported file: "model.txt: line 7: field 'rho': expected 3 numbers, got 2".
class file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class kernel_type { linear, polynomial, rbf };
const char* kernel_name(kernel_type k);

// A C-SVC model, as libsvm holds it, with the support vectors made dense.
struct libsvm_model {
  kernel_type kernel = kernel_type::rbf;
  int degree = 3;       // polynomial: (gamma * <x, sv> + coef0)^degree
  double gamma = 0.0;   // polynomial and rbf: exp(-gamma * |x - sv|^2)
  double coef0 = 0.0;   // polynomial
  int nr_class = 0;
  std::vector<int> label;   // [nr_class], libsvm's class order (first seen in the training data)
  std::vector<int> nr_sv;   // [nr_class], support vectors per class; SVs are grouped by class in this order
  std::vector<double> rho;  // [nr_class * (nr_class - 1) / 2], pairs (0,1), (0,2), ..., (1,2), ...
  // [nr_class - 1][total_sv]. Pair (i, j), i < j: decision = sum over class i's SVs of
  // sv_coef[j - 1][s] K(x, sv[s]) + sum over class j's SVs of sv_coef[i][s] K(x, sv[s]) - rho[pair];
  // positive votes for label[i]. svm_save_model writes coefficients with "%.17g" (exact) but SV
  // values with "%.8g": a saved model is not bit-identical to the one svm_train returned.
  std::vector<std::vector<double>> sv_coef;
  int n_features = 0;                        // largest feature index in any SV (indices are 1-based in the file)
  std::vector<std::vector<double>> sv;       // [total_sv][n_features], feature i at column i - 1, absent = 0
  int total_sv() const { return static_cast<int>(sv.size()); }
  std::string source;  // the text it was read from (read_model, parse_model_text); libsvm_predictor loads it
};

// The model file svm-train writes (svm_save_model): header lines "key value..." (any order, but
// nr_class before rho / label / probA / probB / nr_sv, as libsvm's loader needs; probA / probB are
// checked and ignored), the line "SV", then total_sv lines of nr_class - 1 coefficients and
// index:value pairs with increasing indices >= 1, and nothing after them. Lines may end in "\r\n";
// fields are separated by spaces or tabs. Every number must be finite; gamma and degree >= 0.
// Limits against hostile files: feature index <= 2^20, total_sv * n_features <= 2^24.
//
// `limit` lowers the largest feature index a file may name (e.g. to a kernel config's capacity):
// a larger one is refused while reading, naming the file, line, field and index, before any dense
// table is allocated; `limit.why` says where the limit comes from.
struct feature_limit {
  int max_index = 1 << 20;
  std::string why;  // e.g. "the svm config 'default' holds 64 features"
};
libsvm_model read_model(const std::string& path, const feature_limit& limit = {});
// The same from text in memory; `name` stands for the file in messages.
libsvm_model parse_model_text(const std::string& text, const std::string& name, const feature_limit& limit = {});

// The range file `svm-scale -l L -u U -s FILE` writes: "x", "lower upper", then "index min max"
// per feature (an optional "y" section before it is read and ignored: labels are never scaled).
struct scale_ranges {
  double lower = -1.0, upper = 1.0;
  int n_features = 0;                // largest index listed
  std::vector<double> min, max;      // [n_features], feature i at i - 1
  std::vector<bool> listed;          // [n_features], false: the index had no line
  // `hlskit train svm` ends the file with "# hlskit: model fnv1a64 HEX", the hash of the model
  // file written with it (svm-scale stops reading at the '#', so the file stays svm-scale's).
  // Empty for a range file without that line (one svm-scale wrote).
  std::string model_hash;
};

// The hash a range file names its model by: FNV-1a (64 bits) of the model file's bytes, as 16
// lower-case hex digits. It detects a mixed pair (a model with another training run's range
// file); it is no defence against a forgery.
std::string model_hash(std::string_view model_text);
// Refuses a range file that names another model: "R: belongs to the model with hash ..., not M
// (hash ...): the model and the range file come from different training runs".
void check_pair(const libsvm_model& model, const std::string& model_name, const scale_ranges& ranges,
                const std::string& ranges_name);

// Strict: "x" alone on its line, "lower upper" with lower < upper, then "index min max" lines with
// increasing indices >= 1 (<= 2^20) and min <= max (svm-scale writes only min < max; a listed
// min == max is read and, as svm-scale does, the feature is dropped). All numbers finite. An
// optional last line "# hlskit: model fnv1a64 HEX" names the model (model_hash).
scale_ranges read_ranges(const std::string& path, const feature_limit& limit = {});
scale_ranges parse_ranges_text(const std::string& text, const std::string& name, const feature_limit& limit = {});

// One sample's features scaled exactly as svm-scale writes them: lower + (upper - lower) *
// (v - min) / (max - min), min -> lower and max -> upper exactly, printed with "%g" (6
// significant digits; svm-predict reads that text back), features with min == max or without a
// range line dropped (0). The result has n_features columns: input columns beyond it are dropped,
// as svm-scale drops indices it has no range for, and missing input columns count as 0 (scaled,
// as svm-scale scales the zeros a sparse file leaves out).
std::vector<double> scale(const scale_ranges& ranges, const std::vector<double>& features);

// The feature-count rule: how many features a model runs on, given the model (M = the largest
// feature index any support vector uses), the range file if any (R = its largest index), a dense
// input if any (D = its columns) and a kernel config (C = its capacity). svm-scale's rule, for
// dense inputs:
//   * features = max(D, R, M) (svm-scale scales indices up to max(R, D); svm-predict's kernel sums
//     over every index of the sample and the SV); without an input max(R, M), at least 1.
//   * an input feature the range file has no line for (or min == max) is scaled to 0, as svm-scale
//     does ("dropped": the features constant in the training data, which svm-scale -s leaves
//     out); plan.dropped lists them, to be reported.
// Refused (file_error naming the file and the feature index), in this order:
//   * features > C;
//   * D < M: a support vector uses feature index M, which the input does not have;
//   * D < R: the range file scales feature index D + 1, which the input does not have (svm-scale
//     would read a missing sparse value as 0 and scale it; a dense array has no missing values,
//     so a narrower one is a different data set);
//   * a support vector with a nonzero value at a feature the range file does not scale: the
//     model was not trained on this range file's output (every sample has 0 there).
// The kernel then sees exactly the sample libsvm sees: the scaled values, zeros beyond them.
struct feature_inputs {
  const libsvm_model* model = nullptr;
  std::string model_name;
  const scale_ranges* ranges = nullptr;  // null: no range file
  std::string ranges_name;
  int input_features = -1;               // D; -1: no input
  std::string input_name;
  int max_features = 1 << 20;            // C
  std::string config_name;
};
struct feature_plan {
  int features = 1;
  std::vector<int> dropped;  // 1-based input features scaled to 0 (no range line, or min == max)
};
feature_plan plan_features(const feature_inputs& in);
// "3, 5..9, 12": a list of 1-based indices, runs folded.
std::string index_list(const std::vector<int>& indices);

// libsvm's own prediction (svm_predict_values) for a dense sample: the label and the
// nr_class * (nr_class - 1) / 2 decision values in libsvm's pair order.
struct prediction {
  int label = 0;
  std::vector<double> decision;
};

// Loads the file with read_model first (its checks and messages), then svm_load_model. Sets
// libsvm's (global) print function to a quiet one.
class libsvm_predictor {
 public:
  explicit libsvm_predictor(const std::string& model_path);  // read_model, then as below
  // libsvm's own svm_load_model on the text `model` was read from (never the file again).
  libsvm_predictor(const libsvm_model& model, const std::string& name);
  ~libsvm_predictor();
  libsvm_predictor(const libsvm_predictor&) = delete;
  libsvm_predictor& operator=(const libsvm_predictor&) = delete;
  prediction predict(const std::vector<double>& scaled_features) const;

 private:
  struct impl;
  impl* impl_;
};

// `hlskit train svm`: scale to [lower, upper] with ranges from the training split (svm-scale's
// rule), grid search over C and gamma with k-fold cross-validation (libsvm's
// svm_cross_validation, seeded), train on the whole training split with the best pair, write
// the model (svm_save_model) and the range file. Deterministic for a seed.
//
// Exactly: the ranges are each column's min and max over the split ("%.17g" in the range file,
// columns with min == max left out, as svm-scale -s does); samples are scaled with scale() and
// given to libsvm without their zeros (what svm-train reads from svm-scale's output); the
// parameters are svm-train's defaults (cache 100 MB, eps 1e-3, shrinking on, no probability).
// The grid is visited C outer, gamma inner (the linear kernel has no gamma: C only, gamma 0);
// std::srand(seed) before every svm_cross_validation (it draws its folds with rand()); a pair
// replaces the best only with a strictly higher accuracy, so ties go to the first in grid order.
// Both files are written to a temporary file beside the target and renamed into place.
// std::invalid_argument for bad inputs (sizes, non-finite features, empty grids, folds < 2, fewer
// samples than folds, fewer than 2 classes, no feature with two values).
struct train_options {
  kernel_type kernel = kernel_type::rbf;
  int degree = 3;
  double coef0 = 0.0;
  std::vector<double> c_grid{0.125, 0.5, 2, 8, 32, 128};
  std::vector<double> gamma_grid{1.0 / 512, 1.0 / 128, 1.0 / 32, 1.0 / 8, 0.5};  // rbf, polynomial
  int folds = 5;
  unsigned seed = 1;
  double lower = -1.0, upper = 1.0;
};

struct train_result {
  double c = 0, gamma = 0, cv_accuracy = 0;  // the chosen pair and its cross-validation accuracy
  int total_sv = 0;
};

// features: [n][d] unscaled; labels: [n] integers.
train_result train(const std::vector<std::vector<double>>& features, const std::vector<int>& labels,
                   const train_options& options, const std::string& model_path, const std::string& range_path);

}  // namespace hlskit::svm
