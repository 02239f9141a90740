// The Wisconsin diagnostic breast-cancer set (data/breast_cancer/, 569 x 30, CC BY 4.0): the
// SVM kernel's embedded medical-diagnosis data (DESIGN §5.2), and a seeded stratified split.
//
// File format (scikit-learn's breast_cancer.csv, see data/breast_cancer/README.md): the first line
// is "n,d,name_0,name_1,..." (sample count, feature count, the class names); then exactly n lines
// of d comma-separated real features and the class (an integer 0 .. number of names - 1). Lines
// may end in "\n" or "\r\n"; the last may lack its newline; no blank lines.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hlskit/data/digits.hpp"  // hlskit::data_error

namespace hlskit::data {

struct breast_cancer {
  std::vector<std::vector<double>> features;  // [n][d], d = 30 for the real file
  std::vector<int> labels;                    // [n], 0 = malignant, 1 = benign in the real file
  std::vector<std::string> class_names;       // from the first line
  std::size_t size() const { return labels.size(); }

  std::vector<std::vector<double>> features_of(const std::vector<std::size_t>& rows) const;
  std::vector<int> labels_of(const std::vector<std::size_t>& rows) const;
};

// Throws hlskit::data_error ("<path>: <problem>" or "<path>:<line>: <problem>") for a missing
// file, a bad first line, a line without d + 1 values, a value that is not a finite decimal
// number, a class that is not one of the named ones, or a sample count other than n.
breast_cancer load_breast_cancer(const std::string& path);

// Row indices of a split, each list increasing.
struct split_indices {
  std::vector<std::size_t> train, test;
};

// Stratified split, deterministic for a seed on every platform. Rule: for each class in
// increasing label order, its rows (in file order) are shuffled by Fisher-Yates (i from the last
// position down to 1, swap with j uniform in 0..i) driven by one std::mt19937(seed) shared by all
// classes in that order; j is the 32-bit output modulo i + 1, redrawn while the output falls in
// the incomplete last block (no modulo bias). The first round(test_fraction * n_class) shuffled
// rows (half away from zero) go to test, the rest to train; both lists are then sorted.
// 70/30 on the real file: 398 train (148 malignant, 250 benign), 171 test (64 + 107).
split_indices stratified_split(const std::vector<int>& labels, unsigned seed, double test_fraction = 0.3);

}  // namespace hlskit::data
