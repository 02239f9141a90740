// NumPy .npy reader and writer. Format reference:
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#include "hlskit/npy.hpp"

#include "hlskit/atomic_file.hpp"
#include "hlskit/input_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace hlskit::npy {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr std::size_t kAlign = 64;         // NumPy aligns the data start to 64 bytes
constexpr std::size_t kGrowthDigits = 21;  // NumPy >= 1.24 pads the header for in-place growth
constexpr std::size_t kMaxShown = 40;      // longest excerpt of bad input quoted in a message

struct type_info {
  char kind;
  std::size_t size;
  std::string_view name;
};
// Indexed by dtype; the order matches the enum.
constexpr type_info kTypes[] = {
    {'i', 1, "int8"},   {'i', 2, "int16"},  {'i', 4, "int32"},  {'i', 8, "int64"},   {'u', 1, "uint8"},
    {'u', 2, "uint16"}, {'u', 4, "uint32"}, {'u', 8, "uint64"}, {'f', 4, "float32"}, {'f', 8, "float64"}};
const type_info& info(dtype t) { return kTypes[static_cast<int>(t)]; }

// Quotes an excerpt of untrusted input so that the message stays one printable line.
std::string excerpt(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\' || c == '\'')
      out += fmt::format("\\{}", static_cast<char>(c));
    else if (c >= 0x20 && c < 0x7F)
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  return out + (s.size() > kMaxShown ? "'..." : "'");
}

[[noreturn]] void fail(std::string_view name, std::string_view where, std::string_view expected,
                       std::string_view found) {
  throw error(fmt::format("{}: {}: expected {}, found {}", name, where, expected, found));
}

std::string_view origin_or_default(const std::string& origin) {
  return origin.empty() ? std::string_view("<array>") : std::string_view(origin);
}

// Element count and byte size of a shape; false on size_t overflow. A zero dimension makes the
// count 0 whatever the other dimensions are, as in NumPy.
bool checked_size(const std::vector<std::size_t>& shape, std::size_t item, std::size_t& count,
                  std::size_t& bytes) {
  count = 1;
  if (std::find(shape.begin(), shape.end(), std::size_t{0}) != shape.end())
    count = 0;
  else
    for (std::size_t d : shape) {
      if (count > std::numeric_limits<std::size_t>::max() / d) return false;
      count *= d;
    }
  if (count > std::numeric_limits<std::size_t>::max() / item) return false;
  bytes = count * item;
  return true;
}

// "dtype" from a NumPy descr string; only plain little/big-endian numeric types.
bool parse_descr(std::string_view s, dtype& type, bool& big_endian) {
  if (s.size() < 3) return false;
  const char order = s[0];
  for (int i = 0; i < 10; ++i) {
    const auto t = static_cast<dtype>(i);
    if (s[1] != info(t).kind || s.substr(2) != std::to_string(info(t).size)) continue;
    // '|' ("not applicable") is what NumPy writes for 1-byte types only.
    if (order == '<' || order == '>' || (order == '|' && info(t).size == 1)) {
      type = t;
      big_endian = order == '>' && info(t).size > 1;
      return true;
    }
  }
  return false;
}

struct header {
  dtype type = dtype::f64;
  bool big_endian = false;
  std::vector<std::size_t> shape;
};

// Recursive-descent parser for the header: a Python dict literal with exactly the keys 'descr',
// 'fortran_order' and 'shape', followed by padding. No recursion deeper than the tuple level,
// so hostile input cannot exhaust the stack.
class header_parser {
 public:
  header_parser(std::string_view text, std::size_t file_offset, const std::string& name)
      : text_(text), base_(file_offset), name_(name) {}

  header parse() {
    header h;
    bool seen[3] = {false, false, false};
    static constexpr std::string_view keys[3] = {"descr", "fortran_order", "shape"};
    skip_ws();
    if (!eat('{')) fail_here("a dict literal starting with '{'");
    for (;;) {
      skip_ws();
      if (eat('}')) break;
      const std::size_t key_pos = pos_;
      if (peek() != '\'' && peek() != '"') fail_here("a quoted key or '}'");
      const std::string key = parse_string();
      const auto k = std::find(std::begin(keys), std::end(keys), key) - std::begin(keys);
      if (k == 3) fail_at(key_pos, "one of the keys 'descr', 'fortran_order', 'shape'", excerpt(key));
      if (seen[k]) fail_at(key_pos, "each key once", fmt::format("{} again", excerpt(key)));
      seen[k] = true;
      field_ = key;
      skip_ws();
      if (!eat(':')) fail_here("':' after the key");
      skip_ws();
      if (k == 0)
        parse_descr_value(h);
      else if (k == 1)
        parse_fortran_order();
      else
        h.shape = parse_shape();
      field_.clear();
      skip_ws();
      if (eat(',')) continue;
      if (eat('}')) break;
      fail_here("',' or '}'");
    }
    skip_ws();
    if (pos_ < text_.size()) fail_here("only spaces and a newline after the dict");
    for (int k = 0; k < 3; ++k)
      if (!seen[k])
        fail(name_, fmt::format("header field '{}'", keys[k]), "the key in the header dict", "it missing");
    return h;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t base_;  // file offset of text_[0], for messages
  const std::string& name_;
  std::string field_;  // key whose value is being parsed, for messages

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) return ++pos_, true;
    return false;
  }
  void skip_ws() {
    while (pos_ < text_.size() && std::string_view(" \t\n\r\f\v").find(text_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  static bool is_word_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '.' || c == '+' || c == '-';
  }
  // The token starting at `at`, quoted, for "found ..." (a word, or a single other character).
  std::string token_at(std::size_t at) const {
    if (at >= text_.size()) return "the end of the header";
    std::size_t end = at;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    if (end == at) end = at + 1;
    return excerpt(text_.substr(at, end - at));
  }
  [[noreturn]] void fail_at(std::size_t at, std::string_view expected, std::string_view found) const {
    const std::string where = field_.empty() ? fmt::format("header (byte {})", base_ + at)
                                             : fmt::format("header field '{}' (byte {})", field_, base_ + at);
    fail(name_, where, expected, found);
  }
  [[noreturn]] void fail_here(std::string_view expected) const { fail_at(pos_, expected, token_at(pos_)); }

  // A Python string literal. NumPy never writes escapes in keys or dtypes, so rather than
  // decode them (and risk reading '\a' as 'a') they are refused.
  std::string parse_string() {
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote && text_[pos_] != '\n') {
      if (text_[pos_] == '\\') fail_here("a string without escape sequences");
      out += text_[pos_++];
    }
    if (!eat(quote)) fail_here(fmt::format("a closing {} quote", quote));
    return out;
  }

  void parse_descr_value(header& h) {
    const std::size_t at = pos_;
    if (peek() == '[') fail_here("a dtype string like '<f8'; structured dtypes are not supported");
    if (peek() != '\'' && peek() != '"') fail_here("a dtype string like '<f8'");
    const std::string s = parse_string();
    if (!parse_descr(s, h.type, h.big_endian))
      fail_at(at,
              "a supported dtype: '|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '<u8', '<f4', "
              "'<f8' (or '>' big-endian)",
              excerpt(s));
  }

  void parse_fortran_order() {
    const std::size_t at = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    const std::string_view word = text_.substr(at, pos_ - at);
    if (word != "False") fail_at(at, "False (C order)", word == "True" ? "True" : token_at(at));
  }

  std::vector<std::size_t> parse_shape() {
    if (peek() == '[') fail_here("a tuple like (2, 3), not a list");
    if (!eat('(')) fail_here("a tuple like (2, 3), (5,) or ()");
    const std::size_t open = pos_ - 1;
    std::vector<std::size_t> dims;
    bool comma = false;
    skip_ws();
    while (!eat(')')) {
      dims.push_back(parse_dim());
      skip_ws();
      comma = eat(',');
      skip_ws();
      if (!comma && peek() != ')') fail_here("',' or ')' in the shape tuple");
    }
    // In Python "(5)" is the integer 5, not a tuple; NumPy would reject it too.
    if (dims.size() == 1 && !comma)
      fail_at(open, "a tuple: (5,) for one dimension", excerpt(text_.substr(open, pos_ - open)));
    return dims;
  }

  std::size_t parse_dim() {
    const std::size_t at = pos_;
    constexpr std::string_view expected = "a non-negative integer dimension";
    if (peek() < '0' || peek() > '9') fail_here(expected);
    std::size_t value = 0;
    bool overflow = false;
    while (peek() >= '0' && peek() <= '9') {
      const auto digit = static_cast<std::size_t>(text_[pos_++] - '0');
      if (value > (std::numeric_limits<std::size_t>::max() - digit) / 10)
        overflow = true;
      else
        value = value * 10 + digit;
    }
    if (peek() == 'L' || peek() == 'l') ++pos_;  // Python 2 long suffix, found in old files
    if (is_word_char(peek())) fail_at(at, expected, token_at(at));  // 2.5, 1e3, 0x10, 3_0
    if (overflow)
      fail_at(at, fmt::format("a dimension of at most {}", std::numeric_limits<std::size_t>::max()),
              token_at(at));
    return value;
  }
};

std::string serialize_checked(const array& a, std::string_view name) {
  detail::check_data_size(std::string(name), a.type, a.shape, a.data.size());
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr(a.type),
                                 shape_string(a.shape));
  if (!a.shape.empty()) dict.append(kGrowthDigits - std::to_string(a.shape[0]).size(), ' ');
  // Pad with spaces so that magic + version + length + header ends on a 64-byte boundary, then
  // '\n'. Like NumPy, a header already aligned gets a full extra block of padding.
  auto padded_size = [&](std::size_t length_field) {
    const std::size_t used = kMagic.size() + 2 + length_field + dict.size() + 1;
    return dict.size() + (kAlign - used % kAlign) + 1;
  };
  const bool v2 = padded_size(2) > 0xFFFF;
  const std::size_t length_field = v2 ? 4 : 2;
  const std::size_t header_size = padded_size(length_field);
  if (header_size > 0xFFFFFFFFu) fail(name, "header", "at most 4 GiB of header", "more");
  std::string out(kMagic);
  out += static_cast<char>(v2 ? 2 : 1);
  out += '\0';
  for (std::size_t i = 0; i < length_field; ++i) out += static_cast<char>((header_size >> (8 * i)) & 0xFF);
  out += dict;
  out.append(header_size - dict.size() - 1, ' ');
  out += '\n';
  out.append(reinterpret_cast<const char*>(a.data.data()), a.data.size());
  return out;
}

}  // namespace

std::size_t itemsize(dtype t) { return info(t).size; }
bool is_integer(dtype t) { return info(t).kind != 'f'; }
bool is_signed(dtype t) { return info(t).kind != 'u'; }
std::string_view type_name(dtype t) { return info(t).name; }
std::string descr(dtype t) {
  return fmt::format("{}{}{}", info(t).size == 1 ? '|' : '<', info(t).kind, info(t).size);
}

std::size_t element_count(const std::vector<std::size_t>& shape) {
  std::size_t count = 0, bytes = 0;
  if (!checked_size(shape, 1, count, bytes))
    fail("npy", fmt::format("shape {}", shape_string(shape)), "an element count that fits in size_t",
         "an overflow");
  return count;
}

std::string shape_string(const std::vector<std::size_t>& shape) {
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  return fmt::format("({})", fmt::join(shape, ", "));
}

namespace detail {
std::string format_double(double v) { return fmt::format("{}", v); }

void check_data_size(const std::string& origin, dtype t, const std::vector<std::size_t>& shape,
                     std::size_t data_bytes) {
  std::size_t count = 0, bytes = 0;
  if (!checked_size(shape, itemsize(t), count, bytes))
    fail(origin_or_default(origin), "array shape", "a size in bytes that fits in size_t",
         shape_string(shape));
  if (bytes != data_bytes)
    fail(origin_or_default(origin), "array data",
         fmt::format("{} bytes for shape {} of {}", bytes, shape_string(shape), type_name(t)),
         std::to_string(data_bytes));
}

void check_value_count(const std::string& origin, const std::vector<std::size_t>& shape, std::size_t count) {
  const std::size_t expected = element_count(shape);
  if (count != expected)
    fail(origin_or_default(origin), "values",
         fmt::format("{} values for shape {}", expected, shape_string(shape)), std::to_string(count));
}

void throw_conversion(const std::string& origin, const std::vector<std::size_t>& shape, std::size_t index,
                      const std::string& value, dtype from, dtype to) {
  std::vector<std::size_t> position(shape.size());
  for (std::size_t i = shape.size(), rest = index; i-- > 0; rest /= shape[i]) position[i] = rest % shape[i];
  const std::string where = fmt::format("element ({}) (flat index {})", fmt::join(position, ", "), index);
  const std::string expected =
      !is_integer(to) && !is_integer(from) ? fmt::format("a value within the {} range", type_name(to))
      : !is_integer(to)                    ? fmt::format("a value exactly representable as {}", type_name(to))
                                           : fmt::format("a value that fits in {}", type_name(to));
  fail(origin_or_default(origin), where, expected, fmt::format("{} ({})", value, type_name(from)));
}

void throw_float_to_integer(const std::string& origin, dtype from, dtype to) {
  fail(origin_or_default(origin), "data type",
       fmt::format("integer data to convert to {} (floating point to integer is refused)", type_name(to)),
       type_name(from));
}
}  // namespace detail

namespace {

// What the bytes up to the end of the header say: the header, where the data starts and how many
// bytes it must be. `bytes` may hold the whole file or only its beginning (at least data_start
// bytes, else the checks report the file as truncated).
struct layout {
  header h;
  std::size_t data_start = 0, data_bytes = 0;
};

// The magic string, version and header length: how many bytes the prefix must hold.
std::size_t header_end(std::string_view bytes, const std::string& name) {
  const std::size_t n = bytes.size();
  const std::string_view head = bytes.substr(0, kMagic.size());
  if (head != kMagic.substr(0, head.size()) || n == 0)
    fail(name, "byte 0", "the .npy magic string '\\x93NUMPY'",
         n == 0 ? "an empty file" : excerpt(bytes.substr(0, 8)));
  if (n < kMagic.size() + 2)
    fail(name, fmt::format("byte {}", n), "the 6-byte magic string and 2-byte format version",
         "the end of the file");
  const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
  if (minor != 0 || major < 1 || major > 3)
    fail(name, "format version (byte 6)", "1.0, 2.0 or 3.0", fmt::format("{}.{}", major, minor));
  const std::size_t length_field = major == 1 ? 2 : 4;
  const std::size_t header_start = 8 + length_field;
  if (n < header_start)
    fail(name, "header length (byte 8)", fmt::format("{} bytes", length_field),
         fmt::format("{} (the file is truncated)", n - 8));
  std::size_t header_size = 0;
  for (std::size_t i = 0; i < length_field; ++i)
    header_size |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  return header_start + header_size;
}

// `file_size`: the size of the whole file (for the error message when the header runs past it).
layout parse_layout(std::string_view bytes, std::size_t file_size, const std::string& name) {
  const std::size_t end = header_end(bytes, name);
  const std::size_t header_start = bytes[6] == 1 ? 10 : 12;
  if (end > file_size)
    fail(name, "header length (byte 8)",
         fmt::format("at most {} (the bytes left in the file)", file_size - header_start),
         std::to_string(end - header_start));
  layout l;
  // Version 3.0 only changes the header encoding to UTF-8; the parser only needs ASCII.
  l.h = header_parser(bytes.substr(header_start, end - header_start), header_start, name).parse();
  l.data_start = end;
  std::size_t count = 0;
  if (!checked_size(l.h.shape, itemsize(l.h.type), count, l.data_bytes))
    fail(name, "header field 'shape'", "a shape whose size in bytes fits in size_t", shape_string(l.h.shape));
  return l;
}

// The data must be exactly what the header declares; `n` is the size of the whole file.
void check_file_size(std::size_t n, const layout& l, const std::string& name) {
  if (l.data_bytes != n - l.data_start)
    fail(name, fmt::format("data (byte {})", l.data_start),
         fmt::format("{} bytes for shape {} of {}", l.data_bytes, shape_string(l.h.shape), type_name(l.h.type)),
         fmt::format(
             "{} bytes ({})", n - l.data_start,
             n - l.data_start < l.data_bytes ? "the file is truncated" : "trailing bytes after the array"));
}

array parse_with_layout(std::string_view bytes, const layout& l, const std::string& name) {
  check_file_size(bytes.size(), l, name);  // before allocating anything
  array a;
  a.type = l.h.type;
  a.shape = l.h.shape;
  a.origin = name;
  const auto* first = reinterpret_cast<const std::byte*>(bytes.data() + l.data_start);
  a.data.assign(first, first + l.data_bytes);  // not memcpy: data() may be null when empty
  if (l.h.big_endian) {
    const std::size_t item = itemsize(l.h.type);
    for (std::size_t i = 0; i < l.data_bytes; i += item)
      std::reverse(a.data.data() + i, a.data.data() + i + item);
  }
  return a;
}

}  // namespace

array parse(std::string_view bytes, const std::string& name) {
  return parse_with_layout(bytes, parse_layout(bytes, bytes.size(), name), name);
}

// One descriptor, header first: the data size the header declares is checked (against the file's
// size when it has one, and against max_tensor_input_bytes) before the body is read, so an
// endless or huge input is refused at once.
array read(const std::string& path) {
  try {
    input_file f(path, "a .npy file");
    std::string bytes = f.read(12);
    const std::size_t end = header_end(bytes, path);
    if (end > bytes.size()) bytes += f.read(end - bytes.size());
    const std::size_t known = f.size() >= 0 ? static_cast<std::size_t>(f.size()) : bytes.size();
    const layout l = parse_layout(bytes, known, path);
    if (l.data_bytes > max_tensor_input_bytes)
      fail(path, "header field 'shape'",
           fmt::format("at most {} GiB of data (hlskit's limit for a tensor input)", max_tensor_input_bytes >> 30),
           fmt::format("{} bytes for shape {}", l.data_bytes, shape_string(l.h.shape)));
    if (f.size() >= 0) check_file_size(static_cast<std::size_t>(f.size()), l, path);
    bytes += f.read(l.data_bytes + 1);  // one more: trailing bytes are an error
    return parse_with_layout(bytes, l, path);
  } catch (const file_error& e) {
    throw error(e.what());
  }
}

std::string serialize(const array& a) { return serialize_checked(a, origin_or_default(a.origin)); }

void write(const std::string& path, const array& a) {
  const std::string bytes = serialize_checked(a, path);
  try {
    hlskit::write_file(path, bytes);
  } catch (const file_error& e) {
    throw error(e.what());
  }
}

}  // namespace hlskit::npy
