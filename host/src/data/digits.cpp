// Loader of scikit-learn's digits.csv.gz (format in digits.hpp).
#include "hlskit/data/digits.hpp"
#include "hlskit/input_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

namespace hlskit::data {
namespace {

constexpr int kPixels = 64;
constexpr int kMaxPixel = 16;
constexpr int kMaxLabel = 9;
constexpr std::size_t kMaxShown = 20;  // longest excerpt of a bad value quoted in a message

// The file through the one reader (bounded, one descriptor), then inflated in memory, bounded too;
// a file without the gzip magic is plain text.
std::string read_gzip(const std::string& path) {
  std::string packed;
  try {
    input_file f(path, "a gzip-compressed CSV");
    packed = f.read_rest(max_text_input_bytes, false);
  } catch (const file_error& e) {
    throw data_error(e.what());
  }
  // Not gzip (no 1f 8b magic): plain text, as gzread reads it.
  if (packed.size() < 2 || static_cast<unsigned char>(packed[0]) != 0x1f || static_cast<unsigned char>(packed[1]) != 0x8b)
    return packed;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw data_error(path + ": cannot start zlib");
  std::unique_ptr<z_stream, int (*)(z_stream*)> stream(&z, inflateEnd);
  z.next_in = reinterpret_cast<Bytef*>(packed.data());
  z.avail_in = static_cast<uInt>(packed.size());
  std::string text;
  char buffer[1 << 16];
  for (int rc = Z_OK; rc != Z_STREAM_END;) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END)
      throw data_error(path + ": cannot read: " +
                       (rc == Z_BUF_ERROR ? std::string("the compressed stream is truncated")
                                          : std::string(z.msg != nullptr ? z.msg : "not a gzip stream")));
    text.append(buffer, sizeof buffer - z.avail_out);
    if (text.size() > max_text_input_bytes)
      throw data_error(path + ": more than " + std::to_string(max_text_input_bytes >> 20) + " MiB once inflated");
  }
  return text;
}

std::string quoted(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c)) : "?";
  }
  return out + (s.size() > kMaxShown ? "'..." : "'");
}

// A plain decimal integer 0..max (digits only, up to 3 of them); anything else is an error.
int parse_value(std::string_view field, int max, const std::string& where, int column) {
  const char* what = column < kPixels ? "pixel" : "label";
  const std::string place = where + "column " + std::to_string(column + 1) + " (" + what + "): ";
  bool digits_only = !field.empty() && field.size() <= 3;
  for (char c : field) digits_only = digits_only && c >= '0' && c <= '9';
  if (!digits_only) throw data_error(place + quoted(field) + " is not a non-negative decimal integer");
  int value = 0;
  for (char c : field) value = value * 10 + (c - '0');
  if (value > max) throw data_error(place + std::to_string(value) + " is out of range 0.." + std::to_string(max));
  return value;
}

}  // namespace

digits load_digits(const std::string& path) {
  const std::string text = read_gzip(path);
  digits out;
  std::size_t line_number = 0;
  for (std::size_t begin = 0; begin < text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = path + ":" + std::to_string(line_number) + ": ";

    std::size_t fields = 1;
    for (char c : line) fields += c == ',';
    if (line.empty() || fields != kPixels + 1)
      throw data_error(where + "expected 65 comma-separated values (64 pixels, then the label), found " +
                       (line.empty() ? std::string("an empty line") : std::to_string(fields)));
    int sum = 0;
    for (int column = 0; column <= kPixels; ++column) {
      const std::size_t comma = std::min(line.find(','), line.size());
      const int value = parse_value(line.substr(0, comma), column < kPixels ? kMaxPixel : kMaxLabel, where, column);
      line.remove_prefix(std::min(comma + 1, line.size()));
      if (column < kPixels) {
        out.pixels.push_back(static_cast<std::uint8_t>(value));
        sum += value;
      } else {
        out.labels.push_back(value);
      }
    }
    if (sum == 0) throw data_error(where + "all 64 pixels are zero; the image cannot be sum-normalized");
    for (int p = 0; p < kPixels; ++p)
      out.images.push_back(out.pixels[out.pixels.size() - kPixels + p] / static_cast<double>(sum));
  }
  if (out.labels.empty()) throw data_error(path + ": no images (the file is empty)");
  return out;
}

}  // namespace hlskit::data
