// The 8x8 handwritten digits (UCI "Optical Recognition of Handwritten Digits", test part, as
// shipped by scikit-learn: 1797 images) as a real-data input for the ECON-T autoencoder.
//
// File format (Debian's python3-sklearn, digits.csv.gz): gzip-compressed text, no header, one
// image per line: 64 comma-separated integer pixels 0..16 (row-major 8x8), then the label 0..9.
// zlib also reads an uncompressed file transparently, so a plain .csv works too. Lines may end in
// "\n" or "\r\n"; the last line may lack its newline; no other blank lines are allowed.
//
// Images are sum-normalized per image (each sums to 1, like the autoencoder's input). An all-zero
// image cannot be normalized and is rejected as malformed (the real file has none: every image
// has at least one nonzero pixel).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace hlskit {

// Malformed or unreadable data file; the message names the file and, when known, the line.
class data_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hlskit

namespace hlskit::data {

inline constexpr const char* default_digits_path = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";

struct digits {
  std::vector<double> images;         // size() * 64, row-major (image, row, col), each sums to 1
  std::vector<std::uint8_t> pixels;   // the same images as read, 0..16
  std::vector<int> labels;            // 0..9
  std::size_t size() const { return labels.size(); }
};

// Reads the whole file. Throws hlskit::data_error ("<path>: <problem>" or "<path>:<line>:
// <problem>") for a missing or unreadable file, a decompression error, an empty file, a line
// without exactly 65 values, a value that is not a plain decimal integer, a pixel outside 0..16, a
// label outside 0..9, or an all-zero image.
digits load_digits(const std::string& path = default_digits_path);

}  // namespace hlskit::data
