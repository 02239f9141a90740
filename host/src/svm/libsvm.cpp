// libsvm's model and range files (strict readers), svm-scale's arithmetic, libsvm itself as the
// float reference, and training through libsvm's C API. Formats and rules in libsvm.hpp.
#include "hlskit/svm/libsvm.hpp"

#include <hlskit/atomic_file.hpp>
#include <hlskit/input_file.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <svm.h>


#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

namespace hlskit::svm {
namespace {

// Bounds that keep a hostile file from asking for gigabytes: a dense support-vector matrix (or
// range table) larger than this is refused. Real models are far below (the breast-cancer model:
// ~100 SVs x 30 features); the hardware keeps them in on-chip memory.
constexpr long long kMaxFeatureIndex = 1 << 20;
constexpr long long kMaxDenseValues = 1 << 24;
// libsvm counts the nr_class * (nr_class - 1) / 2 classifier pairs in an int.
constexpr long long kMaxClasses = 65536;
constexpr std::size_t kMaxQuoted = 24;  // longest excerpt of a bad token quoted in a message

void quiet(const char*) {}

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < kMaxQuoted; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
  }
  return out + (s.size() > kMaxQuoted ? "'..." : "'");
}

// Once, bounded, text only (hlskit/input_file.hpp).
std::string read_text(const std::string& path, std::string_view what) {
  try {
    return read_text_file(path, what);
  } catch (const hlskit::file_error& e) {
    throw file_error(e.what());
  }
}

// The lines of a text file, numbered from 1, and errors in the form
// "<file>: line <n>: field '<field>': <problem>". Lines end in "\n" (an "\r" before it is
// dropped); the last line may lack its newline. Fields are separated by spaces or tabs.
class line_reader {
 public:
  line_reader(std::string text, std::string path) : text_(std::move(text)), path_(std::move(path)) {}

  // The next line's fields; false at the end of the file.
  bool next(std::vector<std::string_view>& fields) {
    if (pos_ >= text_.size()) {
      if (!at_end_) ++line_;  // messages about the end of the file name the line after the last
      at_end_ = true;
      return false;
    }
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string::npos) end = text_.size();
    std::string_view line(text_.data() + pos_, end - pos_);
    pos_ = end + 1;
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fields.clear();
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] == ' ' || line[i] == '\t') {
        ++i;
        continue;
      }
      const std::size_t stop = std::min(line.find_first_of(" \t", i), line.size());
      fields.push_back(line.substr(i, stop - i));
      i = stop;
    }
    return true;
  }

  int line() const { return line_; }

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const { fail_at(line(), field, problem); }
  [[noreturn]] void fail_at(int line, const std::string& field, const std::string& problem) const {
    throw file_error(fmt::format("{}: line {}: {}{}", path_, line, field.empty() ? "" : "field '" + field + "': ",
                                 problem));
  }

  // A whole field as a finite double / an int in [min, max]; anything else fails naming `field`.
  double real(std::string_view token, const std::string& field) const {
    double value = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (token.empty() || ec != std::errc() || end != token.data() + token.size() || !std::isfinite(value))
      fail(field, "expected a finite number, got " + quoted(token));
    return value;
  }
  long long integer(std::string_view token, const std::string& field, long long min, long long max) const {
    long long value = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (token.empty() || ec != std::errc() || end != token.data() + token.size())
      fail(field, "expected an integer, got " + quoted(token));
    if (value < min || value > max) fail(field, fmt::format("{} is out of range {}..{}", value, min, max));
    return value;
  }
  std::vector<double> reals(const std::vector<std::string_view>& fields, std::size_t first,
                            const std::string& field) const {
    std::vector<double> values;
    for (std::size_t i = first; i < fields.size(); ++i) values.push_back(real(fields[i], field));
    return values;
  }

 private:
  std::string text_;
  std::string path_;
  std::size_t pos_ = 0;
  int line_ = 0;
  bool at_end_ = false;
};

std::string count_of(std::size_t n, const char* what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); }

// Expects exactly `count` values after the key.
void expect_values(const line_reader& in, const std::vector<std::string_view>& fields, std::size_t count,
                   const std::string& key, const char* what) {
  if (fields.size() - 1 != count)
    in.fail(key, fmt::format("expected {}, got {}", count_of(count, what), fields.size() - 1));
}

// A feature index beyond the caller's limit (a kernel config's capacity): refused while reading.
void check_limit(const line_reader& in, const std::string& field, long long index, const feature_limit& limit) {
  if (index > limit.max_index)
    in.fail(field, fmt::format("feature index {} is out of range 1..{}{}", index, limit.max_index,
                               limit.why.empty() ? "" : " (" + limit.why + ")"));
}

constexpr const char* kSvmTypes[] = {"c_svc", "nu_svc", "one_class", "epsilon_svr", "nu_svr"};
constexpr const char* kKernelTypes[] = {"linear", "polynomial", "rbf", "sigmoid", "precomputed"};

template <std::size_t N>
bool one_of(std::string_view s, const char* const (&names)[N]) {
  return std::find(std::begin(names), std::end(names), s) != std::end(names);
}

libsvm_model parse_model(std::string text, const std::string& path, const feature_limit& limit) {
  line_reader in(std::move(text), path);
  std::vector<std::string_view> fields;
  libsvm_model m;
  std::map<std::string, int> seen;  // header key -> its line
  long long total_sv = -1;

  // Header: "key values..." lines up to "SV". libsvm's loader needs nr_class before the
  // per-class and per-pair keys (it sizes them by it), and so does this reader.
  for (;;) {
    if (!in.next(fields)) {
      in.fail(seen.empty() ? "svm_type" : "SV",
              seen.empty() ? "expected the model header, got an empty file"
                           : "expected the line 'SV' that starts the support vectors, got end of file");
    }
    if (fields.empty()) in.fail("", "expected a header line 'key value...', got an empty line");
    const std::string key(fields[0]);
    if (key == "SV") {
      if (fields.size() != 1) in.fail("SV", "expected 'SV' alone on its line");
      break;
    }
    if (seen.count(key)) in.fail(key, fmt::format("appears twice (first on line {})", seen[key]));
    const auto nr_class_first = [&] {
      if (!seen.count("nr_class")) in.fail(key, "expected nr_class on an earlier line (it sizes this field)");
      return static_cast<std::size_t>(m.nr_class);
    };
    const std::size_t pairs = m.nr_class > 1 ? static_cast<std::size_t>(m.nr_class) * (m.nr_class - 1) / 2 : 0;
    if (key == "svm_type") {
      expect_values(in, fields, 1, key, "value");
      if (fields[1] != "c_svc") {
        if (one_of(fields[1], kSvmTypes))
          in.fail(key, "svm_type " + std::string(fields[1]) + " is not supported (supported: c_svc)");
        in.fail(key, "unknown svm_type " + quoted(fields[1]) +
                         " (libsvm's are c_svc, nu_svc, one_class, epsilon_svr, nu_svr; supported: c_svc)");
      }
    } else if (key == "kernel_type") {
      expect_values(in, fields, 1, key, "value");
      if (fields[1] == "linear") m.kernel = kernel_type::linear;
      else if (fields[1] == "polynomial") m.kernel = kernel_type::polynomial;
      else if (fields[1] == "rbf") m.kernel = kernel_type::rbf;
      else if (one_of(fields[1], kKernelTypes))
        in.fail(key, "kernel_type " + std::string(fields[1]) + " is not supported (supported: linear, polynomial, rbf)");
      else
        in.fail(key, "unknown kernel_type " + quoted(fields[1]) +
                         " (libsvm's are linear, polynomial, rbf, sigmoid, precomputed; supported: linear, "
                         "polynomial, rbf)");
    } else if (key == "degree") {
      expect_values(in, fields, 1, key, "value");
      m.degree = static_cast<int>(in.integer(fields[1], key, 0, INT_MAX));  // libsvm: "degree of polynomial kernel < 0"
    } else if (key == "gamma") {
      expect_values(in, fields, 1, key, "value");
      m.gamma = in.real(fields[1], key);
      if (m.gamma < 0) in.fail(key, "expected a number >= 0, got " + quoted(fields[1]));  // libsvm: "gamma < 0"
    } else if (key == "coef0") {
      expect_values(in, fields, 1, key, "value");
      m.coef0 = in.real(fields[1], key);
    } else if (key == "nr_class") {
      expect_values(in, fields, 1, key, "value");
      m.nr_class = static_cast<int>(in.integer(fields[1], key, 2, kMaxClasses));
    } else if (key == "total_sv") {
      expect_values(in, fields, 1, key, "value");
      total_sv = in.integer(fields[1], key, 0, INT_MAX);
    } else if (key == "rho") {
      nr_class_first();
      expect_values(in, fields, pairs, key, "number");
      m.rho = in.reals(fields, 1, key);
    } else if (key == "probA" || key == "probB") {  // probability models: read, not used
      nr_class_first();
      expect_values(in, fields, pairs, key, "number");
      in.reals(fields, 1, key);
    } else if (key == "label") {
      expect_values(in, fields, nr_class_first(), key, "label");
      std::set<int> distinct;
      for (std::size_t i = 1; i < fields.size(); ++i) {
        const int label = static_cast<int>(in.integer(fields[i], key, INT_MIN, INT_MAX));
        if (!distinct.insert(label).second) in.fail(key, fmt::format("label {} appears twice", label));
        m.label.push_back(label);
      }
    } else if (key == "nr_sv") {
      expect_values(in, fields, nr_class_first(), key, "count");
      for (std::size_t i = 1; i < fields.size(); ++i)
        m.nr_sv.push_back(static_cast<int>(in.integer(fields[i], key, 0, INT_MAX)));
    } else {
      in.fail(key, "unknown header key (expected svm_type, kernel_type, degree, gamma, coef0, nr_class, total_sv, "
                   "rho, label, probA, probB, nr_sv or SV)");
    }
    seen.emplace(key, in.line());
  }

  // Every key the C-SVC decision function needs, and the counts agreeing.
  const int sv_line = in.line();
  const auto require = [&](const char* key, const char* why) {
    if (!seen.count(key)) in.fail_at(sv_line, key, std::string("missing from the header") + why);
  };
  require("svm_type", "");
  require("kernel_type", "");
  require("nr_class", "");
  require("total_sv", "");
  require("rho", "");
  require("label", "");
  require("nr_sv", "");
  if (m.kernel != kernel_type::linear) require("gamma", m.kernel == kernel_type::rbf ? " (rbf needs it)" : " (polynomial needs it)");
  if (m.kernel == kernel_type::polynomial) {
    require("degree", " (polynomial needs it)");
    require("coef0", " (polynomial needs it)");
  }
  long long counted = 0;
  for (int n : m.nr_sv) counted += n;
  if (counted != total_sv)
    in.fail_at(seen["nr_sv"], "nr_sv", fmt::format("the counts sum to {}, but total_sv is {}", counted, total_sv));

  // Support vectors: nr_class - 1 coefficients, then index:value pairs, indices increasing from 1.
  const std::size_t n_coef = static_cast<std::size_t>(m.nr_class - 1);
  m.sv_coef.assign(n_coef, {});
  std::vector<std::vector<std::pair<int, double>>> sparse;
  for (long long k = 0; k < total_sv; ++k) {
    const std::string field = fmt::format("SV {}", k + 1);
    if (!in.next(fields))
      in.fail(field, fmt::format("expected {} (total_sv), got end of file after {}",
                                 count_of(static_cast<std::size_t>(total_sv), "support vector"), k));
    if (fields.size() < n_coef)
      in.fail(field, fmt::format("expected {} (nr_class - 1), got {} fields", count_of(n_coef, "coefficient"),
                                 fields.size()));
    for (std::size_t c = 0; c < n_coef; ++c)
      m.sv_coef[c].push_back(in.real(fields[c], fmt::format("{} coefficient {}", field, c + 1)));
    std::vector<std::pair<int, double>> pairs;
    for (std::size_t i = n_coef; i < fields.size(); ++i) {
      const std::string_view token = fields[i];
      const std::size_t colon = token.find(':');
      if (colon == std::string_view::npos)
        in.fail(field, "expected index:value, got " + quoted(token));
      const int index = static_cast<int>(in.integer(token.substr(0, colon), field + " index", 1, kMaxFeatureIndex));
      check_limit(in, field + " index", index, limit);
      if (!pairs.empty() && index <= pairs.back().first)
        in.fail(field + " index", fmt::format("indices must increase, got {} after {}", index, pairs.back().first));
      pairs.emplace_back(index, in.real(token.substr(colon + 1), fmt::format("{} feature {}", field, index)));
      m.n_features = std::max(m.n_features, index);
    }
    sparse.push_back(std::move(pairs));
  }
  if (in.next(fields))
    in.fail("", fmt::format("expected the end of the file after {} (total_sv), got another line",
                            count_of(static_cast<std::size_t>(total_sv), "support vector")));
  if (static_cast<long long>(m.n_features) * total_sv > kMaxDenseValues)
    in.fail_at(sv_line, "SV", fmt::format("{} support vectors x {} features exceed the limit of {} values",
                                          total_sv, m.n_features, kMaxDenseValues));

  m.sv.assign(sparse.size(), std::vector<double>(static_cast<std::size_t>(m.n_features), 0.0));
  for (std::size_t k = 0; k < sparse.size(); ++k)
    for (const auto& [index, value] : sparse[k]) m.sv[k][static_cast<std::size_t>(index - 1)] = value;
  return m;
}

scale_ranges parse_ranges(std::string text, const std::string& path, const feature_limit& limit) {
  line_reader in(std::move(text), path);
  std::vector<std::string_view> fields;
  const auto numbers = [&](const char* field, const char* what) {
    if (!in.next(fields)) in.fail(field, std::string("expected ") + what + ", got end of file");
    if (fields.size() != 2) in.fail(field, fmt::format("expected {}, got {} fields", what, fields.size()));
    return std::pair<double, double>(in.real(fields[0], field), in.real(fields[1], field));
  };

  // svm-scale -s writes an optional "y" section (label scaling: "y_lower y_upper", "y_min y_max").
  if (!in.next(fields)) in.fail("x", "expected 'x' (or 'y') on the first line, got an empty file");
  if (fields.size() == 1 && fields[0] == "y") {
    numbers("y", "2 numbers (y_lower y_upper)");
    numbers("y", "2 numbers (y_min y_max)");
    if (!in.next(fields)) in.fail("x", "expected 'x', got end of file");
  }
  if (fields.size() != 1 || fields[0] != "x") in.fail("x", "expected the line 'x' that starts the feature ranges");

  scale_ranges r;
  std::tie(r.lower, r.upper) = numbers("lower upper", "2 numbers (lower upper)");
  if (!(r.lower < r.upper))
    in.fail("lower upper", fmt::format("expected lower < upper, got {} {}", r.lower, r.upper));

  std::vector<std::pair<int, std::pair<double, double>>> lines;
  while (in.next(fields)) {
    if (!fields.empty() && fields[0] == "#") {  // the last line: "# hlskit: model fnv1a64 HEX"
      const bool hex = fields.size() == 5 && fields[4].size() == 16 &&
                       fields[4].find_first_not_of("0123456789abcdef") == std::string_view::npos;
      if (!hex || fields[1] != "hlskit:" || fields[2] != "model" || fields[3] != "fnv1a64")
        in.fail("model hash", "expected '# hlskit: model fnv1a64' and 16 hex digits");
      r.model_hash = std::string(fields[4]);
      if (in.next(fields)) in.fail("model hash", "expected the end of the file after the model hash line");
      break;
    }
    if (fields.size() != 3)
      in.fail("index min max", fmt::format("expected 3 fields (index min max), got {}", fields.size()));
    const int index = static_cast<int>(in.integer(fields[0], "index", 1, kMaxFeatureIndex));
    check_limit(in, "index", index, limit);
    if (!lines.empty() && index <= lines.back().first)
      in.fail("index", fmt::format("indices must increase, got {} after {}", index, lines.back().first));
    const double min = in.real(fields[1], fmt::format("min of feature {}", index));
    const double max = in.real(fields[2], fmt::format("max of feature {}", index));
    if (min > max) in.fail(fmt::format("min of feature {}", index), fmt::format("min {} > max {}", min, max));
    lines.push_back({index, {min, max}});
  }
  r.n_features = lines.empty() ? 0 : lines.back().first;
  r.min.assign(static_cast<std::size_t>(r.n_features), 0.0);
  r.max.assign(static_cast<std::size_t>(r.n_features), 0.0);
  r.listed.assign(static_cast<std::size_t>(r.n_features), false);
  for (const auto& [index, range] : lines) {
    r.min[static_cast<std::size_t>(index - 1)] = range.first;
    r.max[static_cast<std::size_t>(index - 1)] = range.second;
    r.listed[static_cast<std::size_t>(index - 1)] = true;
  }
  return r;
}


// A sample in libsvm's sparse form: nonzero features only (what svm-scale writes and svm-predict
// reads), 1-based indices, terminated by index -1.
std::vector<svm_node> sparse_nodes(const std::vector<double>& features) {
  std::vector<svm_node> nodes;
  for (std::size_t i = 0; i < features.size(); ++i)
    if (features[i] != 0) nodes.push_back({static_cast<int>(i + 1), features[i]});
  nodes.push_back({-1, 0.0});
  return nodes;
}

// svm-scale -s's range file for the training features: min and max per column, "%.17g" (exact),
// columns with min == max not listed (svm-scale drops them).
std::string range_file_text(const std::vector<std::vector<double>>& features, double lower, double upper) {
  std::string text = fmt::format("x\n{:.17g} {:.17g}\n", lower, upper);
  const std::size_t d = features.front().size();
  for (std::size_t j = 0; j < d; ++j) {
    double min = features[0][j], max = features[0][j];
    for (const auto& row : features) min = std::min(min, row[j]), max = std::max(max, row[j]);
    if (min != max) text += fmt::format("{} {:.17g} {:.17g}\n", j + 1, min, max);
  }
  return text;
}

// What svm_save_model writes, in memory (it only writes by name: an anonymous memory file).
std::string saved_model_text(const svm_model* model, const std::string& name) {
  const int fd = ::memfd_create("hlskit-libsvm-model", MFD_CLOEXEC);
  if (fd < 0) throw file_error(name + ": cannot create a memory file for libsvm: " + std::strerror(errno));
  const bool saved = svm_save_model(fmt::format("/proc/self/fd/{}", fd).c_str(), model) == 0;
  std::string text;
  char buffer[1 << 16];
  for (ssize_t n; saved && (n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()))) > 0;)
    text.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  if (!saved) throw file_error(name + ": libsvm's svm_save_model failed");
  return text;
}

struct model_deleter {
  void operator()(svm_model* m) const { svm_free_and_destroy_model(&m); }
};
using model_ptr = std::unique_ptr<svm_model, model_deleter>;

}  // namespace

const char* kernel_name(kernel_type k) {
  switch (k) {
    case kernel_type::linear: return "linear";
    case kernel_type::polynomial: return "polynomial";
    case kernel_type::rbf: return "rbf";
  }
  return "?";
}

std::string model_hash(std::string_view model_text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : model_text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return fmt::format("{:016x}", h);
}

void check_pair(const libsvm_model& model, const std::string& model_name, const scale_ranges& ranges,
                const std::string& ranges_name) {
  if (ranges.model_hash.empty() || model.source.empty()) return;
  const std::string h = model_hash(model.source);
  if (h != ranges.model_hash)
    throw file_error(fmt::format("{}: belongs to the model with hash {}, not {} (hash {}): the model and the range file "
                                 "come from different training runs",
                                 ranges_name, ranges.model_hash, model_name, h));
}

libsvm_model read_model(const std::string& path, const feature_limit& limit) {
  return parse_model_text(read_text(path, "a libsvm model file"), path, limit);
}
libsvm_model parse_model_text(const std::string& text, const std::string& name, const feature_limit& limit) {
  libsvm_model m = parse_model(text, name, limit);
  m.source = text;
  return m;
}

scale_ranges read_ranges(const std::string& path, const feature_limit& limit) {
  return parse_ranges(read_text(path, "an svm-scale range file"), path, limit);
}
scale_ranges parse_ranges_text(const std::string& text, const std::string& name, const feature_limit& limit) {
  return parse_ranges(text, name, limit);
}

std::string index_list(const std::vector<int>& indices) {
  std::string out;
  for (std::size_t i = 0; i < indices.size();) {
    std::size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    out += (out.empty() ? "" : ", ") + (j == i ? std::to_string(indices[i])
                                               : fmt::format("{}..{}", indices[i], indices[j]));
    i = j + 1;
  }
  return out;
}

feature_plan plan_features(const feature_inputs& in) {
  const int m = in.model ? in.model->n_features : 0;
  const int r = in.ranges ? in.ranges->n_features : 0;
  const int d = in.input_features;
  feature_plan plan;
  plan.features = std::max({d, r, m, 1});
  if (plan.features > in.max_features) {
    // Name the file that asks for the most features.
    const std::string& who = d == plan.features ? in.input_name : r == plan.features ? in.ranges_name : in.model_name;
    const char* what = d == plan.features ? "columns" : r == plan.features ? "the largest index with a range line"
                                                                          : "the largest index a support vector uses";
    throw file_error(fmt::format("{}: {} features ({}); the svm config '{}' holds at most {}", who, plan.features,
                                 what, in.config_name, in.max_features));
  }
  const auto first_sv_using = [&](int index) {  // 1-based SV number with a nonzero value at index
    for (std::size_t k = 0; k < in.model->sv.size(); ++k)
      if (in.model->sv[k][static_cast<std::size_t>(index - 1)] != 0) return static_cast<int>(k + 1);
    return 0;
  };
  if (d >= 0 && d < m)
    throw file_error(fmt::format("{}: support vector {} uses feature index {}, but the input {} has {} features per "
                                 "sample (a dense input must hold every feature the model uses)",
                                 in.model_name, std::max(first_sv_using(m), 1), m, in.input_name, d));
  if (d >= 0 && d < r)
    throw file_error(fmt::format("{}: {} features per sample, but the range file {} scales feature index {}{} (a "
                                 "dense input must hold every feature the range file scales; svm-scale would "
                                 "scale a missing one as the value 0)",
                                 in.input_name, d, in.ranges_name, d + 1, r > d + 1 ? fmt::format("..{}", r) : ""));
  if (in.ranges) {
    const auto scaled = [&](int index) {  // 1-based
      const auto i = static_cast<std::size_t>(index - 1);
      return index <= in.ranges->n_features && in.ranges->listed[i] && in.ranges->min[i] != in.ranges->max[i];
    };
    for (int j = 1; j <= m; ++j)
      if (!scaled(j))
        if (const int k = first_sv_using(j))
          throw file_error(fmt::format("{}: support vector {} has a value at feature index {}, which the range file "
                                       "{} does not scale ({}): every scaled sample is 0 there, so the model was "
                                       "not trained on this range file's features",
                                       in.model_name, k, j, in.ranges_name,
                                       j > in.ranges->n_features ? "no line for it" : "no line, or min == max"));
    for (int j = 1; j <= d; ++j)
      if (!scaled(j)) plan.dropped.push_back(j);
  }
  return plan;
}

std::vector<double> scale(const scale_ranges& ranges, const std::vector<double>& features) {
  std::vector<double> out(static_cast<std::size_t>(ranges.n_features), 0.0);
  const double lower = ranges.lower, upper = ranges.upper;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double min = ranges.min[i], max = ranges.max[i];
    if (!ranges.listed[i] || min == max) continue;  // svm-scale's output() skips the feature
    double value = i < features.size() ? features[i] : 0.0;
    // svm-scale.c's output(), operation for operation: the ends exactly, else its formula.
    if (value == min)
      value = lower;
    else if (value == max)
      value = upper;
    else
      value = lower + (upper - lower) * (value - min) / (max - min);
    if (value == 0) continue;  // not written, so 0 in the sparse sample
    // printf("%g"), then svm-predict's strtod; to_chars / from_chars do both without the locale.
    char text[64];
    const auto written = std::to_chars(text, text + sizeof text, value, std::chars_format::general, 6);
    std::from_chars(text, written.ptr, out[i]);
  }
  return out;
}

struct libsvm_predictor::impl {
  model_ptr model;
  int nr_class = 0;
};

libsvm_predictor::libsvm_predictor(const std::string& model_path) : libsvm_predictor(read_model(model_path), model_path) {}

// libsvm only loads by file name: the text the model was read from goes into an anonymous memory
// file, which svm_load_model opens by its /proc/self/fd name. The model file is never opened again.
libsvm_predictor::libsvm_predictor(const libsvm_model& model, const std::string& name) : impl_(new impl) {
  std::unique_ptr<impl> owner(impl_);
  impl_->nr_class = model.nr_class;
  if (model.source.empty()) throw file_error(name + ": no model text to give libsvm (read it with read_model)");
  const int fd = ::memfd_create("hlskit-libsvm-model", MFD_CLOEXEC);
  if (fd < 0) throw file_error(name + ": cannot create a memory file for libsvm: " + std::strerror(errno));
  const bool written = ::write(fd, model.source.data(), model.source.size()) == static_cast<ssize_t>(model.source.size());
  svm_set_print_string_function(&quiet);
  if (written) impl_->model.reset(svm_load_model(fmt::format("/proc/self/fd/{}", fd).c_str()));
  ::close(fd);
  if (!impl_->model) throw file_error(name + ": libsvm's svm_load_model could not load it");
  owner.release();
}

libsvm_predictor::~libsvm_predictor() { delete impl_; }

prediction libsvm_predictor::predict(const std::vector<double>& scaled_features) const {
  const std::vector<svm_node> nodes = sparse_nodes(scaled_features);
  prediction p;
  p.decision.assign(static_cast<std::size_t>(impl_->nr_class) * (impl_->nr_class - 1) / 2, 0.0);
  p.label = static_cast<int>(svm_predict_values(impl_->model.get(), nodes.data(), p.decision.data()));
  return p;
}

train_result train(const std::vector<std::vector<double>>& features, const std::vector<int>& labels,
                   const train_options& options, const std::string& model_path, const std::string& range_path) {
  if (features.empty() || features.size() != labels.size())
    throw std::invalid_argument(fmt::format("svm::train: {} samples but {} labels", features.size(), labels.size()));
  for (const auto& row : features)
    if (row.size() != features.front().size())
      throw std::invalid_argument("svm::train: samples of different lengths");
  for (const auto& row : features)
    for (double v : row)
      if (!std::isfinite(v)) throw std::invalid_argument("svm::train: a feature is not a finite number");
  if (options.c_grid.empty() || (options.kernel != kernel_type::linear && options.gamma_grid.empty()))
    throw std::invalid_argument("svm::train: empty C or gamma grid");
  if (options.folds < 2) throw std::invalid_argument("svm::train: folds must be >= 2");
  if (features.size() < static_cast<std::size_t>(options.folds))
    throw std::invalid_argument(fmt::format("svm::train: {} samples, fewer than the {} cross-validation folds",
                                            features.size(), options.folds));
  if (std::set<int>(labels.begin(), labels.end()).size() < 2)
    throw std::invalid_argument(fmt::format("svm::train: every sample has the label {}: at least 2 classes are needed",
                                            labels.front()));
  if (!(options.lower < options.upper)) throw std::invalid_argument("svm::train: expected lower < upper");

  // Scale as svm-scale would (ranges from this split), through the range file's own text.
  const std::string range_text = range_file_text(features, options.lower, options.upper);
  const scale_ranges ranges = parse_ranges(range_text, range_path, {});
  if (ranges.n_features == 0)
    throw std::invalid_argument("svm::train: every feature has one value over the samples: nothing to train on");
  std::vector<std::vector<svm_node>> nodes;
  std::vector<svm_node*> rows;
  std::vector<double> targets;
  for (std::size_t i = 0; i < features.size(); ++i) {
    nodes.push_back(sparse_nodes(scale(ranges, features[i])));
    targets.push_back(labels[i]);
  }
  for (auto& n : nodes) rows.push_back(n.data());
  svm_problem problem{static_cast<int>(rows.size()), targets.data(), rows.data()};

  svm_parameter param{};  // svm-train's defaults, C-SVC
  param.svm_type = C_SVC;
  param.kernel_type = options.kernel == kernel_type::linear ? LINEAR
                      : options.kernel == kernel_type::polynomial ? POLY
                                                                  : RBF;
  param.degree = options.degree;
  param.coef0 = options.coef0;
  param.cache_size = 100;
  param.eps = 1e-3;
  param.nu = 0.5;
  param.p = 0.1;
  param.shrinking = 1;
  svm_set_print_string_function(&quiet);

  // Grid search, C outer, gamma inner; a later pair must be strictly better to replace the best.
  const std::vector<double> gammas =
      options.kernel == kernel_type::linear ? std::vector<double>{0.0} : options.gamma_grid;
  train_result best;
  best.cv_accuracy = -1;
  std::vector<double> predicted(rows.size());
  for (double c : options.c_grid) {
    for (double gamma : gammas) {
      param.C = c;
      param.gamma = gamma;
      if (const char* problem_text = svm_check_parameter(&problem, &param))
        throw std::invalid_argument(fmt::format("svm::train: libsvm refuses C {} gamma {}: {}", c, gamma, problem_text));
      std::srand(options.seed);  // svm_cross_validation draws its folds with rand()
      svm_cross_validation(&problem, &param, options.folds, predicted.data());
      std::size_t correct = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) correct += predicted[i] == targets[i];
      const double accuracy = static_cast<double>(correct) / static_cast<double>(rows.size());
      if (accuracy > best.cv_accuracy) best.c = c, best.gamma = gamma, best.cv_accuracy = accuracy;
    }
  }

  param.C = best.c;
  param.gamma = best.gamma;
  std::srand(options.seed);
  const model_ptr model(svm_train(&problem, &param));  // its SVs point into `nodes`: save before they go
  best.total_sv = svm_get_nr_sv(model.get());
  // The model and its range file are one unit: both complete before either is renamed into place,
  // and the range file names the model by its hash (check_pair refuses a mixed pair).
  try {
    const std::string model_text = saved_model_text(model.get(), model_path);
    file_group outputs;
    outputs.add(model_path, model_text);
    outputs.add(range_path, range_text + fmt::format("# hlskit: model fnv1a64 {}\n", model_hash(model_text)));
    outputs.commit();
  } catch (const hlskit::file_error& e) {
    throw file_error(e.what());
  }
  return best;
}

}  // namespace hlskit::svm
