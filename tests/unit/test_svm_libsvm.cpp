// Tests of hlskit/svm/libsvm.hpp against Debian's libsvm 3.24 itself: models written by the real
// svm-train (every supported kernel, 2 to 4 classes) read field for field as svm_load_model reads
// them; scale() against the text svm-scale writes; libsvm_predictor against svm-predict; one
// malformed file per kind of error; randomized corruption; train() (determinism, the same model
// svm-train makes from svm-scale's files, held-out accuracy on the breast-cancer split). Also the
// breast-cancer loader and its stratified split.
#include <gtest/gtest.h>
#include <svm.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hlskit/data/breast_cancer.hpp"
#include "hlskit/svm/libsvm.hpp"

#include <fmt/format.h>

namespace svm = hlskit::svm;
namespace data = hlskit::data;
namespace fs = std::filesystem;

namespace {

using matrix = std::vector<std::vector<double>>;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string g17(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

// libsvm's sparse text format: "label index:value ..." with zeros left out, "%.17g" (exact).
std::string problem_text(const matrix& x, const std::vector<int>& y) {
  std::string text;
  for (std::size_t i = 0; i < x.size(); ++i) {
    text += std::to_string(y[i]);
    for (std::size_t j = 0; j < x[i].size(); ++j)
      if (x[i][j] != 0) text += " " + std::to_string(j + 1) + ":" + g17(x[i][j]);
    text += "\n";
  }
  return text;
}

// A sparse libsvm file's rows: each (index, value) as written, and the value text.
struct sparse_row {
  std::vector<std::pair<int, std::string>> pairs;
};
std::vector<sparse_row> read_sparse(const std::string& path) {
  std::vector<sparse_row> rows;
  std::istringstream in(read_text(path));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string token;
    fields >> token;  // the label
    sparse_row row;
    while (fields >> token) {
      const std::size_t colon = token.find(':');
      row.pairs.emplace_back(std::stoi(token.substr(0, colon)), token.substr(colon + 1));
    }
    rows.push_back(row);
  }
  return rows;
}

// Clustered samples of `classes` classes with labels in a scrambled first-seen order, d = 6
// features: column 2 constant (svm-scale drops it), column 4 mostly zero (sparse), the rest
// Gaussian around the class centre, with exact repeats of extreme values (value == min / max).
void make_problem(int classes, int n, std::uint64_t seed, matrix& x, std::vector<int>& y) {
  static const int kLabels[] = {2, -1, 5, 0, 9};
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  x.clear();
  y.clear();
  for (int i = 0; i < n; ++i) {
    const int c = static_cast<int>((i * 7 + i / 3) % classes);
    std::vector<double> row(6);
    for (int j = 0; j < 6; ++j) row[j] = (c == j % classes ? 2.0 : 0.0) + normal(rng);
    row[2] = 2.5;
    if (i % 4 != 0) row[4] = 0;
    if (i % 13 == 5) row[0] = 10.0;  // repeated maximum
    x.push_back(row);
    y.push_back(kLabels[c]);
  }
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const svm::file_error& e) {
    return e.what();
  }
  return "";
}

class SvmFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hlskit_svm_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);  // kept for inspection when a test failed
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs a libsvm-tools command in the test directory; stdout to `out` ("" = discarded).
  void run(const std::string& command, const std::string& out = "") {
    const std::string full = "cd '" + dir_.string() + "' && " + command + " > " +
                             (out.empty() ? std::string("/dev/null") : "'" + path(out) + "'") + " 2>/dev/null";
    ASSERT_EQ(std::system(full.c_str()), 0) << full;
  }

  // A model from the real binaries: svm-scale -s (ranges), then svm-train on the scaled file.
  struct trained {
    std::string model, ranges;
    matrix x;
    std::vector<int> y;
  };
  trained train_with_binaries(const std::string& name, int classes, const std::string& options) {
    trained t;
    make_problem(classes, 90, 7 + classes, t.x, t.y);
    write_text(path(name + ".train"), problem_text(t.x, t.y));
    t.ranges = path(name + ".range");
    t.model = path(name + ".model");
    run("svm-scale -s " + name + ".range " + name + ".train", name + ".train.scaled");
    run("svm-train -q " + options + " " + name + ".train.scaled " + name + ".model");
    return t;
  }

  fs::path dir_;
};

struct kernel_case {
  const char* name;
  const char* options;
};
const kernel_case kKernels[] = {{"linear", "-t 0 -c 2"},
                                {"poly", "-t 1 -d 3 -g 0.3 -r 0.5 -c 1"},
                                {"poly2", "-t 1 -d 2 -c 4"},
                                {"rbf", "-t 2 -g 0.5 -c 8"},
                                {"rbf_prob", "-t 2 -b 1"}};

// Our dense decision values from the parsed fields (libsvm's one-vs-one layout): a check that
// the fields mean what the header says, for the hardware kernel that will use them.
std::vector<double> decision_from_fields(const svm::libsvm_model& m, const std::vector<double>& x) {
  std::vector<double> k(m.sv.size());
  for (std::size_t s = 0; s < m.sv.size(); ++s) {
    double dot = 0, distance = 0;
    for (std::size_t f = 0; f < m.sv[s].size(); ++f) {
      const double xf = f < x.size() ? x[f] : 0.0;
      dot += xf * m.sv[s][f];
      distance += (xf - m.sv[s][f]) * (xf - m.sv[s][f]);
    }
    for (std::size_t f = m.sv[s].size(); f < x.size(); ++f) distance += x[f] * x[f];
    k[s] = m.kernel == svm::kernel_type::linear       ? dot
           : m.kernel == svm::kernel_type::polynomial ? std::pow(m.gamma * dot + m.coef0, m.degree)
                                                      : std::exp(-m.gamma * distance);
  }
  std::vector<int> start(m.nr_class, 0);
  for (int c = 1; c < m.nr_class; ++c) start[c] = start[c - 1] + m.nr_sv[c - 1];
  std::vector<double> decision;
  for (int i = 0; i < m.nr_class; ++i)
    for (int j = i + 1; j < m.nr_class; ++j) {
      double sum = 0;
      for (int s = start[i]; s < start[i] + m.nr_sv[i]; ++s) sum += m.sv_coef[j - 1][s] * k[s];
      for (int s = start[j]; s < start[j] + m.nr_sv[j]; ++s) sum += m.sv_coef[i][s] * k[s];
      decision.push_back(sum - m.rho[decision.size()]);
    }
  return decision;
}

TEST_F(SvmFiles, ReadModelMatchesSvmLoadModel) {
  svm_set_print_string_function([](const char*) {});
  for (int classes = 2; classes <= 4; ++classes) {
    for (const auto& kc : kKernels) {
      SCOPED_TRACE(std::string(kc.name) + ", " + std::to_string(classes) + " classes");
      const trained t = train_with_binaries(std::string(kc.name) + std::to_string(classes), classes, kc.options);
      ASSERT_FALSE(HasFatalFailure());
      const svm::libsvm_model m = svm::read_model(t.model);
      svm_model* ref = svm_load_model(t.model.c_str());
      ASSERT_NE(ref, nullptr);
      EXPECT_EQ(svm_get_svm_type(ref), C_SVC);
      const int expected_kernel = m.kernel == svm::kernel_type::linear       ? LINEAR
                                  : m.kernel == svm::kernel_type::polynomial ? POLY
                                                                             : RBF;
      EXPECT_EQ(ref->param.kernel_type, expected_kernel);
      if (m.kernel != svm::kernel_type::linear) {
        EXPECT_EQ(m.gamma, ref->param.gamma);
      }
      if (m.kernel == svm::kernel_type::polynomial) {
        EXPECT_EQ(m.degree, ref->param.degree);
        EXPECT_EQ(m.coef0, ref->param.coef0);
      }
      ASSERT_EQ(m.nr_class, svm_get_nr_class(ref));
      ASSERT_EQ(m.nr_class, classes);
      std::vector<int> labels(classes);
      svm_get_labels(ref, labels.data());
      EXPECT_EQ(m.label, labels);
      ASSERT_EQ(m.total_sv(), svm_get_nr_sv(ref));
      EXPECT_EQ(m.nr_sv, std::vector<int>(ref->nSV, ref->nSV + classes));
      EXPECT_EQ(m.rho, std::vector<double>(ref->rho, ref->rho + classes * (classes - 1) / 2));
      ASSERT_EQ(m.sv_coef.size(), static_cast<std::size_t>(classes - 1));
      int max_index = 0;
      for (int s = 0; s < ref->l; ++s) {
        for (int c = 0; c < classes - 1; ++c) EXPECT_EQ(m.sv_coef[c][s], ref->sv_coef[c][s]);
        std::vector<double> dense(m.n_features, 0.0);
        for (const svm_node* node = ref->SV[s]; node->index != -1; ++node) {
          max_index = std::max(max_index, node->index);
          if (node->index <= m.n_features) dense[node->index - 1] = node->value;
        }
        EXPECT_EQ(m.sv[s], dense) << "SV " << s + 1;
      }
      EXPECT_EQ(m.n_features, max_index);

      // The fields reproduce libsvm's decision values (to rounding: other summation order).
      for (std::size_t i = 0; i < t.x.size(); i += 7) {
        const std::vector<double> x = svm::scale(svm::read_ranges(t.ranges), t.x[i]);
        std::vector<svm_node> nodes;
        for (std::size_t f = 0; f < x.size(); ++f)
          if (x[f] != 0) nodes.push_back({static_cast<int>(f + 1), x[f]});
        nodes.push_back({-1, 0});
        std::vector<double> expected(classes * (classes - 1) / 2);
        svm_predict_values(ref, nodes.data(), expected.data());
        const std::vector<double> ours = decision_from_fields(m, x);
        ASSERT_EQ(ours.size(), expected.size());
        for (std::size_t p = 0; p < ours.size(); ++p)
          EXPECT_NEAR(ours[p], expected[p], 1e-9 * (1 + std::abs(expected[p])));
      }
      svm_free_and_destroy_model(&ref);
    }
  }
}

// scale() against svm-scale's output text: the restore run (-r) on new data with values outside
// the ranges, exact ends, absent (zero) features and a constant column; also the save run (-s)
// and another target interval, and a range file with a y section.
TEST_F(SvmFiles, ScaleReproducesSvmScale) {
  matrix x, x_new;
  std::vector<int> y, y_new;
  make_problem(3, 60, 1, x, y);
  make_problem(3, 40, 2, x_new, y_new);
  x_new[3][1] = 1e6;  // far outside the range
  x_new[4][1] = -1e6;
  x_new[5][0] = 10.0;  // exactly the training maximum
  x_new[6][3] = 0;     // absent in the sparse file: svm-scale scales the implied 0
  write_text(path("train"), problem_text(x, y));
  write_text(path("new"), problem_text(x_new, y_new));
  const struct {
    const char* options;
    const char* name;
  } runs[] = {{"", "default"}, {"-l 0 -u 1", "unit"}, {"-l -3 -u 7.25 -y 0 1", "odd_with_y"}};
  for (const auto& r : runs) {
    SCOPED_TRACE(r.name);
    const std::string range = std::string(r.name) + ".range";
    run("svm-scale " + std::string(r.options) + " -s " + range + " train", std::string(r.name) + ".train.scaled");
    run("svm-scale -r " + range + " new", std::string(r.name) + ".new.scaled");
    ASSERT_FALSE(HasFatalFailure());
    const svm::scale_ranges ranges = svm::read_ranges(path(range));
    EXPECT_EQ(ranges.n_features, 6);
    EXPECT_FALSE(ranges.listed[2]);  // the constant column
    for (const auto& [data, file] : {std::pair<const matrix*, std::string>{&x, ".train.scaled"},
                                     std::pair<const matrix*, std::string>{&x_new, ".new.scaled"}}) {
      const std::vector<sparse_row> rows = read_sparse(path(r.name + file));
      ASSERT_EQ(rows.size(), data->size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::vector<double> ours = svm::scale(ranges, (*data)[i]);
        ASSERT_EQ(ours.size(), 6u);
        std::size_t next = 0;
        for (std::size_t f = 0; f < ours.size(); ++f) {
          if (ours[f] == 0) continue;
          ASSERT_LT(next, rows[i].pairs.size()) << "row " << i << " feature " << f + 1 << ": svm-scale wrote 0";
          const auto& [index, text] = rows[i].pairs[next++];
          char g[64];
          std::snprintf(g, sizeof g, "%g", ours[f]);
          EXPECT_EQ(index, static_cast<int>(f + 1)) << "row " << i;
          EXPECT_EQ(text, g) << "row " << i << " feature " << f + 1;
          EXPECT_EQ(std::strtod(text.c_str(), nullptr), ours[f]);
        }
        EXPECT_EQ(next, rows[i].pairs.size()) << "row " << i << ": svm-scale wrote more features";
      }
    }
  }
}

TEST_F(SvmFiles, PredictorAgreesWithSvmPredict) {
  for (int classes = 2; classes <= 4; ++classes) {
    for (const auto& kc : kKernels) {
      SCOPED_TRACE(std::string(kc.name) + ", " + std::to_string(classes) + " classes");
      const std::string name = std::string(kc.name) + std::to_string(classes);
      const trained t = train_with_binaries(name, classes, kc.options);
      matrix x_new;
      std::vector<int> y_new;
      make_problem(classes, 60, 100 + classes, x_new, y_new);
      for (auto& row : x_new) row[1] *= 1.7;  // a shifted distribution: some mistakes
      write_text(path(name + ".new"), problem_text(x_new, y_new));
      run("svm-scale -r " + name + ".range " + name + ".new", name + ".new.scaled");
      run("svm-predict " + name + ".new.scaled " + name + ".model " + name + ".predicted");
      ASSERT_FALSE(HasFatalFailure());
      std::istringstream predicted(read_text(path(name + ".predicted")));
      const svm::libsvm_predictor predictor(t.model);
      const svm::scale_ranges ranges = svm::read_ranges(t.ranges);
      for (std::size_t i = 0; i < x_new.size(); ++i) {
        int expected = 0;
        ASSERT_TRUE(predicted >> expected);
        const svm::prediction p = predictor.predict(svm::scale(ranges, x_new[i]));
        EXPECT_EQ(p.label, expected) << "sample " << i;
        EXPECT_EQ(p.decision.size(), static_cast<std::size_t>(classes * (classes - 1) / 2));
      }
    }
  }
}

// ---- malformed files ----

// A 3-class polynomial model as svm-train writes it (every header key), for editing.
const char* const kModel =
    "svm_type c_svc\n"                       // 1
    "kernel_type polynomial\n"               // 2
    "degree 3\n"                             // 3
    "gamma 0.25\n"                           // 4
    "coef0 0.5\n"                            // 5
    "nr_class 3\n"                           // 6
    "total_sv 5\n"                           // 7
    "rho 0.1 -0.2 0.30000000000000004\n"     // 8
    "label 2 -1 5\n"                         // 9
    "nr_sv 2 2 1\n"                          // 10
    "SV\n"                                   // 11
    "1 0.5 1:0.25 3:-1 \n"                   // 12
    "0.75 -1 2:0.5 \n"                       // 13
    "-1 1 1:1 2:0.125 4:0.5 \n"              // 14
    "-0.25 0 \n"                             // 15 (an all-zero SV)
    "-1 -0.5 1:-0.75 4:1 \n";                // 16

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

std::string model_error(const std::string& text) {
  return error_of([&] { svm::parse_model_text(text, "m.model"); });
}

TEST(SvmModelFile, TheEditedBaseIsValid) {
  const svm::libsvm_model m = svm::parse_model_text(kModel, "m.model");
  EXPECT_EQ(m.kernel, svm::kernel_type::polynomial);
  EXPECT_EQ(m.n_features, 4);
  EXPECT_EQ(m.total_sv(), 5);
  EXPECT_EQ(m.sv[2], (std::vector<double>{1, 0.125, 0, 0.5}));
  EXPECT_EQ(m.sv[3], (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(m.sv_coef[1][4], -0.5);
  EXPECT_EQ(m.rho[2], 0.30000000000000004);
  // Windows line ends, tabs, probA / probB, and keys in another order are read the same.
  std::string crlf;
  for (char c : std::string(kModel)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(svm::parse_model_text(crlf, "m").sv, m.sv);
  EXPECT_EQ(svm::parse_model_text(replace(kModel, "0.75 -1 2:0.5 ", "0.75\t-1\t2:0.5"), "m").sv, m.sv);
  EXPECT_EQ(svm::parse_model_text(replace(kModel, "nr_sv", "probA 1 2 3\nprobB -1 -2 -3\nnr_sv"), "m").rho, m.rho);
  EXPECT_EQ(svm::parse_model_text(replace(replace(kModel, "degree 3\n", ""), "SV\n", "degree 3\nSV\n"), "m").degree, 3);
}

TEST(SvmModelFile, EachMalformationIsNamed) {
  const struct {
    std::string text;
    std::vector<std::string> expected;  // substrings of the message
  } cases[] = {
      {"", {"m.model: line 1: field 'svm_type'", "empty file"}},
      {replace(kModel, "total_sv 5\n", ""), {"line 10:", "field 'total_sv'", "missing"}},
      {replace(kModel, "gamma 0.25\n", ""), {"line 10:", "field 'gamma'", "missing", "polynomial"}},
      {replace(replace(kModel, "kernel_type polynomial", "kernel_type rbf"), "gamma 0.25\n", ""),
       {"field 'gamma'", "rbf needs it"}},
      {replace(kModel, "coef0 0.5\n", ""), {"field 'coef0'", "missing"}},
      {replace(kModel, "label 2 -1 5\n", ""), {"field 'label'", "missing"}},
      {replace(kModel, "rho 0.1 -0.2 0.30000000000000004\n", ""), {"field 'rho'", "missing"}},
      {replace(kModel, "svm_type c_svc\n", ""), {"field 'svm_type'", "missing"}},
      {replace(kModel, "gamma 0.25", "gamma 0.2x5"), {"line 4: field 'gamma': expected a finite number, got '0.2x5'"}},
      {replace(kModel, "gamma 0.25", "gamma nan"), {"line 4: field 'gamma'", "finite"}},
      {replace(kModel, "gamma 0.25", "gamma 1e999"), {"line 4: field 'gamma'", "finite"}},
      {replace(kModel, "gamma 0.25", "gamma -0.25"), {"line 4: field 'gamma'", ">= 0"}},
      {replace(kModel, "gamma 0.25", "gamma"), {"line 4: field 'gamma'", "expected 1 value, got 0"}},
      {replace(kModel, "degree 3", "degree 3.5"), {"line 3: field 'degree'", "expected an integer"}},
      {replace(kModel, "nr_class 3", "nr_class 1"), {"line 6: field 'nr_class'", "out of range 2.."}},
      {replace(kModel, "rho 0.1 -0.2 0.30000000000000004", "rho 0.1 -0.2"),
       {"line 8: field 'rho'", "expected 3 numbers, got 2"}},
      {replace(kModel, "label 2 -1 5", "label 2 -1"), {"line 9: field 'label'", "expected 3 labels, got 2"}},
      {replace(kModel, "label 2 -1 5", "label 2 -1 2"), {"line 9: field 'label'", "label 2 appears twice"}},
      {replace(kModel, "nr_sv 2 2 1", "nr_sv 2 2 2"), {"line 10: field 'nr_sv'", "sum to 6, but total_sv is 5"}},
      {replace(kModel, "nr_sv 2 2 1", "nr_sv 2 -2 5"), {"line 10: field 'nr_sv'", "out of range"}},
      {replace(kModel, "total_sv 5", "total_sv 4"), {"field 'nr_sv'", "but total_sv is 4"}},
      {replace(kModel, "svm_type c_svc", "svm_type nu_svc"),
       {"line 1: field 'svm_type'", "nu_svc is not supported (supported: c_svc)"}},
      {replace(kModel, "svm_type c_svc", "svm_type one_class"), {"line 1:", "one_class is not supported"}},
      {replace(kModel, "svm_type c_svc", "svm_type epsilon_svr"), {"line 1:", "epsilon_svr is not supported"}},
      {replace(kModel, "svm_type c_svc", "svm_type nu_svr"), {"line 1:", "nu_svr is not supported"}},
      {replace(kModel, "svm_type c_svc", "svm_type c-svc"), {"line 1:", "unknown svm_type 'c-svc'"}},
      {replace(kModel, "kernel_type polynomial", "kernel_type sigmoid"),
       {"line 2: field 'kernel_type'", "sigmoid is not supported (supported: linear, polynomial, rbf)"}},
      {replace(kModel, "kernel_type polynomial", "kernel_type precomputed"),
       {"line 2: field 'kernel_type'", "precomputed is not supported"}},
      {replace(kModel, "gamma 0.25\n", "gamma 0.25\ngamma 0.5\n"), {"line 5: field 'gamma'", "twice (first on line 4)"}},
      {replace(kModel, "coef0", "coeff0"), {"line 5: field 'coeff0'", "unknown header key"}},
      {replace(kModel, "nr_class 3\n", "") + "", {"line 7: field 'rho'", "nr_class on an earlier line"}},
      {replace(kModel, "SV\n", "SV x\n"), {"line 11: field 'SV'", "alone"}},
      {replace(kModel, "nr_sv 2 2 1\n", "nr_sv 2 2 1\n\n"), {"line 11:", "empty line"}},
      {replace(kModel, "SV\n1 0.5 1:0.25 3:-1 \n0.75 -1 2:0.5 \n-1 1 1:1 2:0.125 4:0.5 \n-0.25 0 \n-1 -0.5 1:-0.75 4:1 \n", ""),
       {"line 11: field 'SV'", "expected the line 'SV'", "end of file"}},
      {std::string(kModel).substr(0, std::string(kModel).find("-0.25 0 \n")),
       {"line 15: field 'SV 4'", "expected 5 support vectors (total_sv), got end of file after 3"}},
      {std::string(kModel) + "1 1 1:1\n", {"line 17:", "expected the end of the file after 5 support vectors"}},
      {std::string(kModel) + "\n", {"line 17:", "expected the end of the file"}},
      {replace(kModel, "-1 1 1:1 2:0.125 4:0.5", "-1 1 2:1 2:0.125 4:0.5"),
       {"line 14: field 'SV 3 index'", "indices must increase, got 2 after 2"}},
      {replace(kModel, "-1 1 1:1 2:0.125 4:0.5", "-1 1 2:1 1:0.125 4:0.5"),
       {"line 14: field 'SV 3 index'", "got 1 after 2"}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75 -1 0:0.5"), {"line 13: field 'SV 2 index'", "out of range 1.."}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75 -1 2:"), {"line 13: field 'SV 2 feature 2'", "finite number"}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75 -1 2:inf"), {"line 13: field 'SV 2 feature 2'", "finite number"}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75 -1 2=0.5"), {"line 13: field 'SV 2'", "expected index:value"}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75 2:0.5"), {"line 13: field 'SV 2 coefficient 2'", "'2:0.5'"}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75"), {"line 13: field 'SV 2'", "expected 2 coefficients"}},
      {replace(kModel, "0.75 -1 2:0.5", "0.75 -1 1048577:1"), {"line 13: field 'SV 2 index'", "out of range"}},
  };
  for (const auto& c : cases) {
    const std::string message = model_error(c.text);
    ASSERT_FALSE(message.empty()) << "accepted:\n" << c.text;
    EXPECT_EQ(message.rfind("m.model: line ", 0), 0u) << message;
    for (const auto& part : c.expected) EXPECT_NE(message.find(part), std::string::npos) << message << "\n  lacks: " << part;
  }
}

TEST_F(SvmFiles, ModelFilesOfUnsupportedTypesFromSvmTrain) {
  matrix x;
  std::vector<int> y;
  make_problem(2, 40, 3, x, y);
  write_text(path("p"), problem_text(x, y));
  const struct {
    const char* options;
    const char* expected;
  } cases[] = {{"-s 1", "line 1: field 'svm_type': svm_type nu_svc is not supported (supported: c_svc)"},
               {"-s 2", "line 1: field 'svm_type': svm_type one_class is not supported"},
               {"-s 3", "line 1: field 'svm_type': svm_type epsilon_svr is not supported"},
               {"-s 4", "line 1: field 'svm_type': svm_type nu_svr is not supported"},
               {"-t 3", "line 2: field 'kernel_type': kernel_type sigmoid is not supported (supported: linear, "
                        "polynomial, rbf)"}};
  for (const auto& c : cases) {
    run(std::string("svm-train -q ") + c.options + " p m");
    const std::string message = error_of([&] { svm::read_model(path("m")); });
    EXPECT_EQ(message.rfind(path("m") + ": " + c.expected, 0), 0u) << message << "\n  expected: " << c.expected;
    EXPECT_EQ(error_of([&] { svm::libsvm_predictor p(path("m")); }), message) << c.options;
  }
  const std::string missing = path("no_such.model");
  EXPECT_NE(error_of([&] { svm::read_model(missing); }).find(missing + ": cannot open"), std::string::npos);
  EXPECT_NE(error_of([&] { svm::libsvm_predictor p(missing); }).find(missing + ": cannot open"), std::string::npos);
  write_text(path("empty"), "");
  EXPECT_EQ(error_of([&] { svm::read_model(path("empty")); }),
            path("empty") + ": line 1: field 'svm_type': expected the model header, got an empty file");
  EXPECT_NE(error_of([&] { svm::read_ranges(missing); }).find(missing + ": cannot open"), std::string::npos);
}

const char* const kRanges =
    "x\n"              // 1
    "-1 1\n"           // 2
    "1 0.5 2\n"        // 3
    "3 -4 7.25\n";     // 4

std::string range_error(const std::string& text) {
  return error_of([&] { svm::parse_ranges_text(text, "r.range"); });
}

TEST(SvmRangeFile, ValidAndMalformed) {
  const svm::scale_ranges r = svm::parse_ranges_text(kRanges, "r.range");
  EXPECT_EQ(r.n_features, 3);
  EXPECT_EQ(r.listed, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(r.max[2], 7.25);
  EXPECT_EQ(svm::parse_ranges_text("y\n0 1\n-3 5\n" + std::string(kRanges), "r").min, r.min);
  EXPECT_EQ(svm::parse_ranges_text("x\n0 1\n", "r").n_features, 0);
  // svm-scale's rules: ends exactly, dropped columns, columns beyond the ranges dropped, missing as 0.
  EXPECT_EQ(svm::scale(r, {0.5, 9, 7.25, 3}), (std::vector<double>{-1, 0, 1}));
  EXPECT_EQ(svm::scale(r, {2}), (std::vector<double>{1, 0, std::strtod("-0.288889", nullptr)}));

  const struct {
    std::string text;
    std::vector<std::string> expected;
  } cases[] = {
      {"", {"line 1: field 'x'", "empty file"}},
      {"-1 1\n1 0 1\n", {"line 1: field 'x'", "expected the line 'x'"}},
      {"x\n", {"line 2: field 'lower upper'", "end of file"}},
      {"x\n-1\n", {"line 2: field 'lower upper'", "got 1 fields"}},
      {"x\n1 -1\n", {"line 2: field 'lower upper'", "lower < upper"}},
      {"x\n-1 one\n", {"line 2: field 'lower upper'", "finite number, got 'one'"}},
      {replace(kRanges, "3 -4 7.25", "3 -4"), {"line 4: field 'index min max'", "got 2"}},
      {replace(kRanges, "3 -4 7.25", "1 -4 7.25"), {"line 4: field 'index'", "increase, got 1 after 1"}},
      {replace(kRanges, "1 0.5 2", "0 0.5 2"), {"line 3: field 'index'", "out of range"}},
      {replace(kRanges, "1 0.5 2", "1.5 0.5 2"), {"line 3: field 'index'", "integer"}},
      {replace(kRanges, "3 -4 7.25", "3 7.25 -4"), {"line 4: field 'min of feature 3'", "min 7.25 > max -4"}},
      {replace(kRanges, "3 -4 7.25", "3 -4 nan"), {"line 4: field 'max of feature 3'", "finite"}},
      {"y\n0 1\n", {"line 3: field 'y'", "end of file"}},
      {"y\n0 1\n0 1\n-1 1\n", {"line 4: field 'x'", "expected the line 'x'"}},
      {std::string(kRanges) + "\n", {"line 5: field 'index min max'", "got 0"}},
  };
  for (const auto& c : cases) {
    const std::string message = range_error(c.text);
    ASSERT_FALSE(message.empty()) << "accepted:\n" << c.text;
    EXPECT_EQ(message.rfind("r.range: line ", 0), 0u) << message;
    for (const auto& part : c.expected) EXPECT_NE(message.find(part), std::string::npos) << message << "\n  lacks: " << part;
  }
}

// ---- randomized corruption ----

const std::vector<std::string> kTokens = {" ", "\t", "\n", "\r", ":", "-", "+", ".", "0", "1", "-1", "e", "1e999",
                                          "nan", "inf", "2147483648", "99999999999999999999", "1048576", "SV",
                                          "svm_type", "nr_class", "total_sv", "rho", "label", "nr_sv", "gamma",
                                          "x", "y", std::string(1, '\0'), "\xff"};

class corrupter {
 public:
  explicit corrupter(std::uint64_t seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  template <class C>
  auto pick(const C& c) {
    return c[below(c.size())];
  }

  void mutate(std::string& s) {
    switch (below(9)) {
      case 0:
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1 << below(8));
        break;
      case 1:
        if (!s.empty()) s[below(s.size())] = static_cast<char>(below(256));
        break;
      case 2: s.insert(below(s.size() + 1), pick(kTokens)); break;
      case 3: s.erase(below(s.size() + 1), 1 + below(6)); break;
      case 4: s.resize(below(s.size() + 1)); break;
      case 5: s.replace(below(s.size() + 1), 1 + below(3), pick(kTokens)); break;
      case 6: lines(s, [&](std::vector<std::string>& l) { l.erase(l.begin() + below(l.size())); }); break;
      case 7: lines(s, [&](std::vector<std::string>& l) { l.insert(l.begin() + below(l.size() + 1), pick(l)); }); break;
      default:  // a digit changed: counts and indices off by a little
        for (std::size_t tries = 0; tries < 20 && !s.empty(); ++tries) {
          const std::size_t at = below(s.size());
          if (s[at] >= '0' && s[at] <= '9') {
            s[at] = static_cast<char>('0' + below(10));
            break;
          }
        }
    }
  }

 private:
  template <class F>
  void lines(std::string& s, F edit) {
    std::vector<std::string> l;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) l.push_back(line);
    if (l.empty()) return;
    edit(l);
    s.clear();
    for (const auto& line : l) s += line + "\n";
  }
  std::mt19937_64 rng_;
};

TEST_F(SvmFiles, RandomizedCorruption) {
  svm_set_print_string_function([](const char*) {});
  std::vector<std::string> models, ranges;
  for (int classes = 2; classes <= 3; ++classes)
    for (const auto& kc : kKernels) {
      const trained t = train_with_binaries(std::string(kc.name) + std::to_string(classes), classes, kc.options);
      ASSERT_FALSE(HasFatalFailure());
      models.push_back(read_text(t.model));
      ranges.push_back(read_text(t.ranges));
    }
  models.push_back(kModel);
  ranges.push_back(kRanges);
  ranges.push_back("y\n0 1\n-3 5\n" + std::string(kRanges));

  const std::uint64_t seed = env_or("HLSKIT_FUZZ_SEED", 0x6c6962737663);  // "libsvc"
  const std::uint64_t max_iterations = env_or("HLSKIT_FUZZ_ITERATIONS", 200000);
  const auto budget = std::chrono::seconds(env_or("HLSKIT_FUZZ_SECONDS", 15));
  const auto start = std::chrono::steady_clock::now();
  corrupter c(seed);
  std::size_t accepted = 0, rejected = 0, loaded_by_libsvm = 0;
  std::uint64_t i = 0;
  for (; i < max_iterations; ++i) {
    if (i % 256 == 0 && std::chrono::steady_clock::now() - start > budget) break;
    const bool model = i % 4 != 3;
    std::string input = model ? c.pick(models) : c.pick(ranges);
    for (std::size_t n = 1 + c.below(3); n > 0; --n) c.mutate(input);
    try {
      if (model) {
        const svm::libsvm_model m = svm::parse_model_text(input, "fuzz");
        ASSERT_EQ(m.label.size(), static_cast<std::size_t>(m.nr_class));
        ASSERT_EQ(m.rho.size(), static_cast<std::size_t>(m.nr_class * (m.nr_class - 1) / 2));
        ASSERT_EQ(m.sv_coef.size(), static_cast<std::size_t>(m.nr_class - 1));
        for (const auto& coef : m.sv_coef) ASSERT_EQ(coef.size(), m.sv.size());
        for (const auto& sv : m.sv) ASSERT_EQ(sv.size(), static_cast<std::size_t>(m.n_features));
        // What this reader accepts, libsvm loads (sampled: each load writes a file).
        if (accepted % 8 == 0) {
          write_text(path("accepted.model"), input);
          svm_model* ref = svm_load_model(path("accepted.model").c_str());
          ASSERT_NE(ref, nullptr) << "libsvm refuses an accepted model:\n" << input;
          EXPECT_EQ(svm_get_nr_sv(ref), m.total_sv());
          svm_free_and_destroy_model(&ref);
          ++loaded_by_libsvm;
        }
      } else {
        const svm::scale_ranges r = svm::parse_ranges_text(input, "fuzz");
        ASSERT_EQ(r.listed.size(), static_cast<std::size_t>(r.n_features));
        ASSERT_LT(r.lower, r.upper);
      }
      ++accepted;
    } catch (const svm::file_error& e) {
      ++rejected;
      const std::string message = e.what();
      ASSERT_EQ(message.rfind("fuzz: line ", 0), 0u) << message;
      ASSERT_EQ(message.find('\n'), std::string::npos) << message;
    } catch (const std::exception& e) {
      FAIL() << "exception other than file_error: " << e.what() << "\n  input:\n" << input;
    }
  }
  std::cout << "[ fuzz     ] seed " << seed << ": " << i << " inputs, " << accepted << " accepted ("
            << loaded_by_libsvm << " also loaded by svm_load_model), " << rejected << " rejected\n";
  EXPECT_GT(i, 1000u);
  EXPECT_GT(accepted, i / 50);
  EXPECT_GT(rejected, i / 2);
}

// ---- training ----

TEST_F(SvmFiles, TrainIsDeterministicAndIsSvmTrainOnSvmScaleFiles) {
  matrix x;
  std::vector<int> y;
  make_problem(3, 120, 11, x, y);
  for (const auto kernel : {svm::kernel_type::linear, svm::kernel_type::polynomial, svm::kernel_type::rbf}) {
    SCOPED_TRACE(svm::kernel_name(kernel));
    svm::train_options options;
    options.kernel = kernel;
    options.c_grid = {0.5, 4};
    options.gamma_grid = {0.125, 0.5};
    options.seed = 3;
    const std::string name = svm::kernel_name(kernel);
    const svm::train_result a = svm::train(x, y, options, path(name + ".a.model"), path(name + ".a.range"));
    const svm::train_result b = svm::train(x, y, options, path(name + ".b.model"), path(name + ".b.range"));
    EXPECT_EQ(read_text(path(name + ".a.model")), read_text(path(name + ".b.model")));
    EXPECT_EQ(read_text(path(name + ".a.range")), read_text(path(name + ".b.range")));
    EXPECT_EQ(a.c, b.c);
    EXPECT_EQ(a.gamma, b.gamma);
    EXPECT_EQ(a.cv_accuracy, b.cv_accuracy);
    EXPECT_EQ(a.total_sv, svm::read_model(path(name + ".a.model")).total_sv());
    if (kernel == svm::kernel_type::linear) {
      EXPECT_EQ(a.gamma, 0.0);
    }

    // The same files as svm-scale -s, then svm-train with the chosen pair.
    write_text(path(name + ".train"), problem_text(x, y));
    run("svm-scale -s " + name + ".range " + name + ".train", name + ".scaled");
    const std::string kernel_options = kernel == svm::kernel_type::linear       ? "-t 0"
                                       : kernel == svm::kernel_type::polynomial ? "-t 1 -d 3 -r 0"
                                                                                : "-t 2";
    char pair[128];
    std::snprintf(pair, sizeof pair, " -c %.17g -g %.17g ", a.c, a.gamma);
    run("svm-train -q " + kernel_options + pair + name + ".scaled " + name + ".model");
    // svm-scale's range file, plus the line naming the model (svm-scale stops reading at its '#').
    EXPECT_EQ(read_text(path(name + ".a.range")), read_text(path(name + ".range")) + "# hlskit: model fnv1a64 " +
                                                      svm::model_hash(read_text(path(name + ".a.model"))) + "\n");
    EXPECT_EQ(svm::read_ranges(path(name + ".a.range")).model_hash, svm::model_hash(read_text(path(name + ".a.model"))));
    EXPECT_EQ(read_text(path(name + ".a.model")), read_text(path(name + ".model")));
  }
  // No temporary files left beside the targets.
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST_F(SvmFiles, BreastCancerHeldOutAccuracy) {
  const data::breast_cancer set = data::load_breast_cancer(HLSKIT_DATA_DIR "/breast_cancer/breast_cancer.csv");
  const data::split_indices split = data::stratified_split(set.labels, 1);
  const matrix x_train = set.features_of(split.train), x_test = set.features_of(split.test);
  const std::vector<int> y_train = set.labels_of(split.train), y_test = set.labels_of(split.test);
  svm::train_options options;  // rbf, the default grid, 5 folds
  const auto start = std::chrono::steady_clock::now();
  const svm::train_result result = svm::train(x_train, y_train, options, path("bc.model"), path("bc.range"));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  svm::train(x_train, y_train, options, path("bc2.model"), path("bc2.range"));
  EXPECT_EQ(read_text(path("bc.model")), read_text(path("bc2.model")));

  const svm::libsvm_predictor predictor(path("bc.model"));
  const svm::scale_ranges ranges = svm::read_ranges(path("bc.range"));
  std::size_t correct = 0;
  std::string predicted_labels;
  for (std::size_t i = 0; i < x_test.size(); ++i) {
    const int label = predictor.predict(svm::scale(ranges, x_test[i])).label;
    correct += label == y_test[i];
    predicted_labels += std::to_string(label) + "\n";
  }
  const double accuracy = static_cast<double>(correct) / static_cast<double>(x_test.size());
  std::cout << "[ svm      ] breast cancer, seed 1: C " << result.c << ", gamma " << result.gamma << ", CV accuracy "
            << 100 * result.cv_accuracy << " %, " << result.total_sv << " SVs, held-out accuracy " << 100 * accuracy
            << " % (" << correct << "/" << x_test.size() << "), trained in " << seconds << " s\n";
  RecordProperty("held_out_accuracy_percent", std::to_string(100 * accuracy));
  EXPECT_GE(accuracy, 0.96);

  // A range file names its model: the pair is accepted, a mixed pair refused.
  EXPECT_NO_THROW(svm::check_pair(svm::read_model(path("bc.model")), "bc.model", ranges, "bc.range"));
  options.kernel = svm::kernel_type::linear;
  svm::train(x_train, y_train, options, path("lin.model"), path("lin.range"));
  try {
    svm::check_pair(svm::read_model(path("lin.model")), "lin.model", ranges, "bc.range");
    ADD_FAILURE() << "a mixed pair was accepted";
  } catch (const svm::file_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "bc.range: belongs to the model with hash " + ranges.model_hash + ", not lin.model (hash " +
                  svm::model_hash(read_text(path("lin.model"))) +
                  "): the model and the range file come from different training runs");
  }
  // A range file without the line (svm-scale's own) pairs with any model; a malformed line is refused.
  std::string plain = read_text(path("bc.range"));
  plain.erase(plain.find("# hlskit"));
  EXPECT_NO_THROW(svm::check_pair(svm::read_model(path("lin.model")), "lin.model",
                                  svm::parse_ranges_text(plain, "plain.range"), "plain.range"));
  EXPECT_THROW(svm::parse_ranges_text(plain + "# hlskit: model fnv1a64 xyz\n", "bad.range"), svm::file_error);
  EXPECT_THROW(svm::parse_ranges_text(plain + "# hlskit: model fnv1a64 0123456789abcdef\n1 0 1\n", "bad.range"),
               svm::file_error);

  // The binaries agree on the held-out split (svm-scale reads the range file with its hash line).
  write_text(path("bc.test"), problem_text(x_test, y_test));
  run("svm-scale -r bc.range bc.test", "bc.test.scaled");
  run("svm-predict bc.test.scaled bc.model bc.predicted");
  EXPECT_EQ(read_text(path("bc.predicted")), predicted_labels);
}

// ---- the breast-cancer file and the split ----

TEST(BreastCancer, TheRealFile) {
  const data::breast_cancer set = data::load_breast_cancer(HLSKIT_DATA_DIR "/breast_cancer/breast_cancer.csv");
  ASSERT_EQ(set.size(), 569u);
  EXPECT_EQ(set.class_names, (std::vector<std::string>{"malignant", "benign"}));
  EXPECT_EQ(std::count(set.labels.begin(), set.labels.end(), 0), 212);
  EXPECT_EQ(std::count(set.labels.begin(), set.labels.end(), 1), 357);
  for (const auto& row : set.features) ASSERT_EQ(row.size(), 30u);
  EXPECT_EQ(set.features[0][0], 17.99);
  EXPECT_EQ(set.features[0][29], 0.1189);
  EXPECT_EQ(set.labels[0], 0);
}

TEST(BreastCancer, StratifiedSplit) {
  const data::breast_cancer set = data::load_breast_cancer(HLSKIT_DATA_DIR "/breast_cancer/breast_cancer.csv");
  const data::split_indices a = data::stratified_split(set.labels, 1);
  ASSERT_EQ(a.train.size(), 398u);
  ASSERT_EQ(a.test.size(), 171u);
  const std::vector<int> test_labels = set.labels_of(a.test);
  EXPECT_EQ(std::count(test_labels.begin(), test_labels.end(), 0), 64);
  EXPECT_EQ(std::count(test_labels.begin(), test_labels.end(), 1), 107);
  EXPECT_TRUE(std::is_sorted(a.train.begin(), a.train.end()));
  EXPECT_TRUE(std::is_sorted(a.test.begin(), a.test.end()));
  std::set<std::size_t> all(a.train.begin(), a.train.end());
  all.insert(a.test.begin(), a.test.end());
  EXPECT_EQ(all.size(), 569u);
  const data::split_indices again = data::stratified_split(set.labels, 1);
  EXPECT_EQ(again.test, a.test);
  EXPECT_NE(data::stratified_split(set.labels, 2).test, a.test);
  // Pinned: the rule is platform-independent (mt19937 + the documented Fisher-Yates), so the
  // first held-out rows never change.
  EXPECT_EQ(std::vector<std::size_t>(a.test.begin(), a.test.begin() + 8), (std::vector<std::size_t>{1, 4, 5, 6, 7, 10, 11, 13}));
}

TEST_F(SvmFiles, BreastCancerMalformed) {
  const std::string row = "1,2,3,0";
  const struct {
    std::string text;
    std::string expected;
  } cases[] = {
      {"", ": the file is empty"},
      {"2,3,a\n" + row + "\n", ":1: expected the header"},
      {"x,3,a,b\n" + row + "\n", ":1: expected the header"},
      {"2,3,a,b\n" + row + "\n1,2,0\n", ":3: expected 4 comma-separated values (3 features, then the class), found 3"},
      {"2,3,a,b\n" + row + "\n1,2x,3,0\n", ":3: column 2 (feature): '2x' is not a finite decimal number"},
      {"2,3,a,b\n" + row + "\n1,nan,3,0\n", ":3: column 2 (feature): 'nan'"},
      {"2,3,a,b\n" + row + "\n1,2,3,2\n", ":3: column 4 (class): '2' is not a class number 0..1"},
      {"2,3,a,b\n" + row + "\n1,2,3,0.0\n", ":3: column 4 (class)"},
      {"2,3,a,b\n" + row + "\n\n", ":3: expected 4 comma-separated values (3 features, then the class), found an empty line"},
      {"2,3,a,b\n" + row + "\n", ": the header announces 2 samples, the file has 1"},
      {"1,3,a,b\n" + row + "\n" + row + "\n", ":3: expected the end of the file after 1 samples"},
  };
  for (const auto& c : cases) {
    write_text(path("bc.csv"), c.text);
    std::string message;
    try {
      data::load_breast_cancer(path("bc.csv"));
    } catch (const hlskit::data_error& e) {
      message = e.what();
    }
    EXPECT_EQ(message.rfind(path("bc.csv") + c.expected, 0), 0u) << message << "\n  expected: " << c.expected;
  }
  write_text(path("ok.csv"), "2,3,a,b\r\n" + row + "\r\n1,2,3,1");
  EXPECT_EQ(data::load_breast_cancer(path("ok.csv")).labels, (std::vector<int>{0, 1}));
  std::string missing;
  try {
    data::load_breast_cancer(path("missing.csv"));
  } catch (const hlskit::data_error& e) {
    missing = e.what();
  }
  EXPECT_EQ(missing.rfind(path("missing.csv") + ": cannot open", 0), 0u) << missing;
}

}  // namespace

// ---- issue 9: the feature-count rule, limits while reading, training inputs --------------------
namespace {

svm::libsvm_model model_using(int index) {
  return svm::parse_model_text(
      "svm_type c_svc\nkernel_type rbf\ngamma 1\nnr_class 2\ntotal_sv 2\nrho 0\nlabel 1 -1\nnr_sv 1 1\nSV\n1 " +
          std::to_string(index) + ":0.5\n-1 1:-0.5\n",
      "m.model");
}

}  // namespace

// plan_features: features = max(D, R, M) (at least 1), refusals in the documented order, and the
// input features the range file does not scale.
TEST(SvmFeaturePlan, EveryCombination) {
  struct row {
    int m;                    // SV index
    const char* ranges;       // range file text; nullptr: none
    int d;                    // input columns, -1: none
    int c;                    // config capacity
    int features;             // 0: refused
    std::vector<int> dropped;
    std::string error;        // refused: the whole message
  };
  const char* r13 = "x\n-1 1\n1 0 1\n3 0 1\n";      // no line for 2
  const char* r12 = "x\n-1 1\n1 0 1\n2 0 1\n";
  const char* r1eq = "x\n-1 1\n1 0 1\n2 5 5\n";     // min == max: dropped
  const std::vector<row> rows = {
      {1, nullptr, 1, 8, 1, {}, ""},
      {3, nullptr, -1, 8, 3, {}, ""},
      {1, nullptr, 4, 8, 4, {}, ""},
      {0, nullptr, -1, 8, 1, {}, ""},  // no SV features, no input: 1
      {1, r12, -1, 8, 2, {}, ""},
      {1, r12, 2, 8, 2, {}, ""},
      {1, r12, 4, 8, 4, {3, 4}, ""},
      {1, r13, 3, 8, 3, {2}, ""},
      {1, r1eq, 2, 8, 2, {2}, ""},
      {1, nullptr, 9, 8, 0, {}, "x.npy: 9 features (columns); the svm config 'tiny' holds at most 8"},
      {9, nullptr, -1, 8, 0, {}, "m.model: 9 features (the largest index a support vector uses); the svm config 'tiny' holds at most 8"},
      {1, "x\n-1 1\n9 0 1\n", 2, 8, 0, {}, "r.range: 9 features (the largest index with a range line); the svm config 'tiny' holds at most 8"},
      {3, nullptr, 2, 8, 0, {}, "m.model: support vector 1 uses feature index 3, but the input x.npy has 2 features per sample "
                                "(a dense input must hold every feature the model uses)"},
      {1, r12, 1, 8, 0, {}, "x.npy: 1 features per sample, but the range file r.range scales feature index 2 (a dense input "
                            "must hold every feature the range file scales; svm-scale would scale a missing one as the value 0)"},
      {2, r13, 3, 8, 0, {}, "m.model: support vector 1 has a value at feature index 2, which the range file r.range does not "
                            "scale (no line, or min == max): every scaled sample is 0 there, so the model was not trained on "
                            "this range file's features"},
      {3, r12, 3, 8, 0, {}, "m.model: support vector 1 has a value at feature index 3, which the range file r.range does not "
                            "scale (no line for it): every scaled sample is 0 there, so the model was not trained on this "
                            "range file's features"},
      {2, r1eq, 2, 8, 0, {}, "m.model: support vector 1 has a value at feature index 2, which the range file r.range does not "
                             "scale (no line, or min == max): every scaled sample is 0 there, so the model was not trained on "
                             "this range file's features"},
  };
  for (const row& t : rows) {
    SCOPED_TRACE(fmt::format("M {} ranges {} D {} C {}", t.m, t.ranges ? t.ranges : "none", t.d, t.c));
    const svm::libsvm_model m = t.m == 0 ? svm::parse_model_text("svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 0\n"
                                                                 "rho 0.25\nlabel 1 -1\nnr_sv 0 0\nSV\n", "m.model")
                                         : model_using(t.m);
    std::optional<svm::scale_ranges> r;
    if (t.ranges) r = svm::parse_ranges_text(t.ranges, "r.range");
    svm::feature_inputs in;
    in.model = &m;
    in.model_name = "m.model";
    in.ranges = r ? &*r : nullptr;
    in.ranges_name = "r.range";
    in.input_features = t.d;
    in.input_name = "x.npy";
    in.max_features = t.c;
    in.config_name = "tiny";
    if (t.features == 0) {
      EXPECT_EQ(error_of([&] { svm::plan_features(in); }), t.error);
      continue;
    }
    const svm::feature_plan plan = svm::plan_features(in);
    EXPECT_EQ(plan.features, t.features);
    EXPECT_EQ(plan.dropped, t.dropped);
  }
  EXPECT_EQ(svm::index_list({1, 2, 3, 5, 7, 8}), "1..3, 5, 7..8");
}

// A config's capacity as the readers' limit: an index beyond it is refused at its line, before
// any dense table is allocated (1,000,000 included); without a limit 2^20 still holds.
TEST(SvmFeaturePlan, IndicesBeyondTheLimitAreRefusedWhileReading) {
  const svm::feature_limit tiny{8, "the svm config 'tiny' holds 8 features"};
  EXPECT_EQ(error_of([&] {
              svm::parse_model_text("svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 1 -1\n"
                                    "nr_sv 1 0\nSV\n1 2:1 1000000:1\n", "m.model", tiny);
            }),
            "m.model: line 9: field 'SV 1 index': feature index 1000000 is out of range 1..8 (the svm config 'tiny' "
            "holds 8 features)");
  EXPECT_EQ(error_of([&] { svm::parse_ranges_text("x\n-1 1\n1 0 1\n1000000 0 1\n", "r.range", tiny); }),
            "r.range: line 4: field 'index': feature index 1000000 is out of range 1..8 (the svm config 'tiny' holds 8 "
            "features)");
  EXPECT_EQ(svm::parse_ranges_text("x\n-1 1\n8 0 1\n", "r.range", tiny).n_features, 8);
  EXPECT_NE(error_of([&] { svm::parse_ranges_text("x\n-1 1\n1048577 0 1\n", "r.range"); }).find("out of range 1..1048576"),
            std::string::npos);
}

// train() refuses what libsvm would otherwise turn into a one-class model or a silent
// leave-one-out: fewer than 2 classes, fewer samples than folds, no feature with two values.
TEST_F(SvmFiles, TrainRefusesUnusableData) {
  const auto refused = [&](const matrix& x, const std::vector<int>& y) {
    try {
      svm::train(x, y, {}, path("m.model"), path("m.range"));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(refused({{1, 2}, {2, 3}, {3, 1}, {4, 4}, {5, 5}}, {7, 7, 7, 7, 7}),
            "svm::train: every sample has the label 7: at least 2 classes are needed");
  EXPECT_EQ(refused({{1, 2}, {2, 3}, {3, 1}, {4, 4}}, {0, 1, 0, 1}),
            "svm::train: 4 samples, fewer than the 5 cross-validation folds");
  EXPECT_EQ(refused({{1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}}, {0, 1, 0, 1, 0}),
            "svm::train: every feature has one value over the samples: nothing to train on");
  EXPECT_FALSE(fs::exists(path("m.model")));
  EXPECT_FALSE(fs::exists(path("m.range")));
}

// A model file is read once: replaced after it was read, the reference libsvm still runs the model
// that was read (it loads the text kept in libsvm_model::source, never the file again).
TEST_F(SvmFiles, AModelReplacedAfterReadingIsNotReadAgain) {
  const auto model_text = [](const char* rho) {
    return std::string("svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 1\nrho ") + rho +
           "\nlabel 1 -1\nnr_sv 1 0\nSV\n1 1:1\n";
  };
  write_text(path("m.model"), model_text("0.5"));  // x = 0: decision -0.5, label -1
  const svm::libsvm_model read = svm::read_model(path("m.model"));
  write_text(path("m.model"), model_text("-0.5"));  // the replacement would say label 1
  const svm::libsvm_predictor predictor(read, path("m.model"));
  const svm::prediction p = predictor.predict({0.0});
  EXPECT_EQ(p.label, -1);
  EXPECT_DOUBLE_EQ(p.decision.at(0), -0.5);
  EXPECT_EQ(svm::libsvm_predictor(path("m.model")).predict({0.0}).label, 1);  // read anew: the new model
}
