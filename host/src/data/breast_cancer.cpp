// Loader of scikit-learn's breast_cancer.csv and the stratified split (rules in breast_cancer.hpp).
#include "hlskit/data/breast_cancer.hpp"
#include "hlskit/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace hlskit::data {
namespace {

constexpr std::size_t kMaxShown = 20;  // longest excerpt of a bad value quoted in a message

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
  }
  return out + (s.size() > kMaxShown ? "'..." : "'");
}

std::vector<std::string_view> split_commas(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    const std::size_t comma = line.find(',');
    fields.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return fields;
    line.remove_prefix(comma + 1);
  }
}

bool parse_whole(std::string_view s, double& value) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && std::isfinite(value);
}
bool parse_whole(std::string_view s, long long& value) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// Uniform in 0..bound - 1 from a 32-bit generator, by rejection (std::uniform_int_distribution's
// algorithm is implementation-defined; this one is the same everywhere).
std::uint32_t uniform_below(std::mt19937& rng, std::uint32_t bound) {
  const std::uint64_t range = std::uint64_t{1} << 32;
  const std::uint64_t limit = range - range % bound;  // outputs at or above it would bias the modulo
  for (;;) {
    const std::uint64_t r = rng();
    if (r < limit) return static_cast<std::uint32_t>(r % bound);
  }
}

}  // namespace

std::vector<std::vector<double>> breast_cancer::features_of(const std::vector<std::size_t>& rows) const {
  std::vector<std::vector<double>> out;
  for (std::size_t r : rows) out.push_back(features.at(r));
  return out;
}

std::vector<int> breast_cancer::labels_of(const std::vector<std::size_t>& rows) const {
  std::vector<int> out;
  for (std::size_t r : rows) out.push_back(labels.at(r));
  return out;
}

breast_cancer load_breast_cancer(const std::string& path) {
  std::string text;
  try {
    text = read_text_file(path, "a CSV data set");
  } catch (const file_error& e) {
    throw data_error(e.what());
  }
  if (text.empty()) throw data_error(path + ": the file is empty");

  breast_cancer out;
  long long n = 0, d = 0;
  std::size_t line_number = 0;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    const std::vector<std::string_view> fields = split_commas(line);

    if (line_number == 1) {  // "n,d,name_0,name_1,..."
      if (fields.size() < 4 || !parse_whole(fields[0], n) || !parse_whole(fields[1], d) || n < 1 || d < 1 ||
          d > 1 << 20)
        throw data_error(where + "expected the header 'samples,features,class name 0,class name 1,...' "
                                 "(positive counts, at least two classes)");
      for (std::size_t i = 2; i < fields.size(); ++i) out.class_names.emplace_back(fields[i]);
      continue;
    }
    if (static_cast<long long>(out.size()) == n)
      throw data_error(where + "expected the end of the file after " + std::to_string(n) + " samples (header)");
    if (static_cast<long long>(fields.size()) != d + 1)
      throw data_error(where + "expected " + std::to_string(d + 1) + " comma-separated values (" +
                       std::to_string(d) + " features, then the class), found " +
                       (line.empty() ? std::string("an empty line") : std::to_string(fields.size())));
    std::vector<double> row(static_cast<std::size_t>(d));
    for (std::size_t j = 0; j < row.size(); ++j)
      if (!parse_whole(fields[j], row[j]))
        throw data_error(where + "column " + std::to_string(j + 1) + " (feature): " + quoted(fields[j]) +
                         " is not a finite decimal number");
    long long label = 0;
    if (!parse_whole(fields.back(), label) || label < 0 || label >= static_cast<long long>(out.class_names.size()))
      throw data_error(where + "column " + std::to_string(d + 1) + " (class): " + quoted(fields.back()) +
                       " is not a class number 0.." + std::to_string(out.class_names.size() - 1));
    out.features.push_back(std::move(row));
    out.labels.push_back(static_cast<int>(label));
  }
  if (static_cast<long long>(out.size()) != n)
    throw data_error(path + ": the header announces " + std::to_string(n) + " samples, the file has " +
                     std::to_string(out.size()));
  return out;
}

split_indices stratified_split(const std::vector<int>& labels, unsigned seed, double test_fraction) {
  if (!(test_fraction >= 0 && test_fraction <= 1))
    throw std::invalid_argument("stratified_split: test_fraction must be in [0, 1]");
  std::map<int, std::vector<std::size_t>> rows_of_class;  // ordered: classes in increasing label order
  for (std::size_t i = 0; i < labels.size(); ++i) rows_of_class[labels[i]].push_back(i);

  std::mt19937 rng(seed);
  split_indices out;
  for (auto& [label, rows] : rows_of_class) {
    for (std::size_t i = rows.size() - 1; i > 0; --i)
      std::swap(rows[i], rows[uniform_below(rng, static_cast<std::uint32_t>(i + 1))]);
    const auto n_test = static_cast<std::size_t>(std::floor(test_fraction * static_cast<double>(rows.size()) + 0.5));
    out.test.insert(out.test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
    out.train.insert(out.train.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test), rows.end());
  }
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

}  // namespace hlskit::data
