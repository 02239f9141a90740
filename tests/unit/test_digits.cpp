// Tests of the digits loader: the real file from python3-sklearn (skipped, naming the file, when
// it is not installed) and one malformed file per kind of error, written with zlib.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hlskit/data/digits.hpp"

namespace data = hlskit::data;
namespace fs = std::filesystem;

namespace {

// A valid line: pixel k is k % 17 unless replaced, then the label.
std::string csv_line(int label, int seed = 0) {
  std::string line;
  for (int k = 0; k < 64; ++k) line += std::to_string((k + seed) % 17) + ",";
  return line + std::to_string(label);
}

class DigitsFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hlskit_digits_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_gz(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    gzFile file = gzopen(path.c_str(), "wb");
    EXPECT_NE(file, nullptr);
    EXPECT_EQ(gzwrite(file, content.data(), static_cast<unsigned>(content.size())), static_cast<int>(content.size()));
    EXPECT_EQ(gzclose(file), Z_OK);
    return path;
  }

  // Loads and returns the data_error message ("" if it loaded).
  static std::string error_of(const std::string& path) {
    try {
      data::load_digits(path);
    } catch (const hlskit::data_error& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

}  // namespace

TEST(Digits, LoadsTheScikitLearnFile) {
  if (!fs::exists(data::default_digits_path))
    GTEST_SKIP() << data::default_digits_path << " not found (Debian package python3-sklearn)";
  const data::digits d = data::load_digits();
  ASSERT_EQ(d.size(), 1797u);
  ASSERT_EQ(d.images.size(), 1797u * 64);
  ASSERT_EQ(d.pixels.size(), 1797u * 64);
  // The first image is a 0; its first row is 0,0,5,13,9,1,0,0.
  EXPECT_EQ(d.labels[0], 0);
  EXPECT_EQ(std::vector<int>(d.pixels.begin(), d.pixels.begin() + 8), (std::vector<int>{0, 0, 5, 13, 9, 1, 0, 0}));
  // Published class counts of the scikit-learn digits set.
  std::vector<int> count(10, 0);
  for (int label : d.labels) {
    ASSERT_GE(label, 0);
    ASSERT_LE(label, 9);
    ++count[label];
  }
  EXPECT_EQ(count, (std::vector<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}));
  EXPECT_EQ(*std::max_element(d.pixels.begin(), d.pixels.end()), 16);
  for (std::size_t i = 0; i < d.size(); ++i) {
    double sum = 0, pixel_sum = 0;
    for (int k = 0; k < 64; ++k) sum += d.images[i * 64 + k], pixel_sum += d.pixels[i * 64 + k];
    ASSERT_NEAR(sum, 1.0, 1e-12) << "image " << i;
    for (int k = 0; k < 64; ++k) ASSERT_EQ(d.images[i * 64 + k], d.pixels[i * 64 + k] / pixel_sum);
  }
}

TEST_F(DigitsFiles, AcceptsCrLfPlainTextAndAMissingFinalNewline) {
  const std::string body = csv_line(3) + "\r\n" + csv_line(7, 5);
  const data::digits d = data::load_digits(write_gz("ok.csv.gz", body));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.labels, (std::vector<int>{3, 7}));
  EXPECT_EQ(d.pixels[64 + 0], 5);
  const std::string plain = (dir_ / "plain.csv").string();
  std::ofstream(plain) << csv_line(1) << "\n" << csv_line(2) << "\n";
  EXPECT_EQ(data::load_digits(plain).labels, (std::vector<int>{1, 2}));
}

TEST_F(DigitsFiles, RejectsMalformedLinesNamingFileAndLine) {
  std::string short_line = csv_line(4);
  short_line.erase(0, short_line.find(',') + 1);  // 64 values
  std::string bad_pixel = csv_line(4);
  bad_pixel.replace(0, 1, "17");
  std::string non_numeric = csv_line(4);
  non_numeric.replace(0, 1, "x");
  std::string negative = csv_line(4);
  negative.replace(0, 1, "-1");
  std::string decimal = csv_line(4);
  decimal.replace(0, 1, "0.5");
  std::string blank_field = csv_line(4);
  blank_field.replace(0, 1, "");
  std::string zero_image;
  for (int k = 0; k < 64; ++k) zero_image += "0,";
  zero_image += "5";
  const struct {
    std::string line, expected;
  } cases[] = {
      {short_line, ":2: expected 65 comma-separated values (64 pixels, then the label), found 64"},
      {csv_line(4) + ",3", "found 66"},
      {bad_pixel, ":2: column 1 (pixel): 17 is out of range 0..16"},
      {csv_line(10), ":2: column 65 (label): 10 is out of range 0..9"},
      {non_numeric, ":2: column 1 (pixel): 'x' is not a non-negative decimal integer"},
      {negative, "'-1' is not a non-negative decimal integer"},
      {decimal, "'0.5' is not"},
      {blank_field, "'' is not"},
      {"", ":2: expected 65 comma-separated values (64 pixels, then the label), found an empty line"},
      {zero_image, ":2: all 64 pixels are zero"},
  };
  int index = 0;
  for (const auto& c : cases) {
    const std::string name = "bad" + std::to_string(index++) + ".csv.gz";
    const std::string path = write_gz(name, csv_line(0) + "\n" + c.line + "\n" + csv_line(1) + "\n");
    const std::string message = error_of(path);
    EXPECT_EQ(message.rfind(path, 0), 0u) << message;  // starts with the file name
    EXPECT_NE(message.find(c.expected), std::string::npos) << "got: " << message;
  }
}

TEST_F(DigitsFiles, RejectsMissingEmptyAndCorruptFiles) {
  const std::string missing = (dir_ / "missing.csv.gz").string();
  EXPECT_EQ(error_of(missing), missing + ": cannot open a gzip-compressed CSV: No such file or directory");
  const std::string empty = write_gz("empty.csv.gz", "");
  EXPECT_EQ(error_of(empty), empty + ": no images (the file is empty)");

  std::string body;
  for (int i = 0; i < 200; ++i) body += csv_line(i % 10, i) + "\n";
  const std::string whole = write_gz("whole.csv.gz", body);
  ASSERT_EQ(data::load_digits(whole).size(), 200u);
  std::string bytes;
  {
    std::ifstream in(whole, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string truncated = (dir_ / "truncated.csv.gz").string();
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_NE(error_of(truncated).find(truncated + ": cannot read: "), std::string::npos) << error_of(truncated);
}
