#include <hlskit/model_file.hpp>

#include <hlskit/atomic_file.hpp>
#include <hlskit/input_file.hpp>
#include <hlskit/decimal.hpp>

#include <cstring>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace hlskit::model_file {

namespace {

const char* q_names[] = {"rnd", "rnd_zero", "rnd_min_inf", "rnd_inf", "rnd_conv", "trn", "trn_zero"};
const char* o_names[] = {"sat", "sat_zero", "sat_sym", "wrap"};

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

format parse_type(const std::string& text, bool* modes) {
  static const std::regex pattern(R"(\s*(u?fixed)\s*<\s*(\d+)\s*,\s*(-?\d+)\s*(?:,\s*(\w+)\s*(?:,\s*(\w+)\s*)?)?>\s*)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern))
    throw error("type '" + text + "' is not fixed<W,I> or ufixed<W,I> (optionally with q_mode and o_mode)");
  format f;
  f.is_signed = m[1] == "fixed";
  if (m[2].length() > 3 || m[3].length() > 4) throw error("type '" + text + "': width out of range 1..64");
  f.width = std::stoi(m[2]);
  f.iwidth = std::stoi(m[3]);
  if (f.width < 1 || f.width > 64) throw error("type '" + text + "': width out of range 1..64");
  if (modes) *modes = m[4].matched;
  if (m[4].matched) {
    bool found = false;
    for (int i = 0; i < 7; ++i)
      if (m[4] == q_names[i]) f.q = static_cast<q_mode>(i), found = true;
    if (!found) throw error("type '" + text + "': unknown q_mode '" + m[4].str() + "'");
  }
  if (m[5].matched) {
    bool found = false;
    for (int i = 0; i < 4; ++i)
      if (m[5] == o_names[i]) f.o = static_cast<o_mode>(i), found = true;
    if (!found) throw error("type '" + text + "': unknown o_mode '" + m[5].str() + "'");
  }
  return f;
}

std::string type_name(const format& f) {
  return std::string(f.is_signed ? "fixed<" : "ufixed<") + std::to_string(f.width) + "," + std::to_string(f.iwidth) + ">";
}

nlohmann::json read_json(const std::string& path) {
  std::string text;
  try {
    text = read_text_file(path, "a JSON model file");
  } catch (const file_error& e) {
    throw error(e.what());
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for a number like 1e999
    throw error(path + ": not valid JSON (" + e.what() + ")");
  }
}

void write_json(const std::string& path, const nlohmann::json& doc) {
  try {
    write_file(path, doc.dump(1) + "\n");
  } catch (const file_error& e) {
    throw error(e.what());
  }
}

void tensor_reader::fail(const std::string& path, const std::string& message) const {
  throw error(file + ": field '" + path + "': " + message);
}

void tensor_reader::only(const nlohmann::json& object, const std::string& path,
                         const std::vector<std::string>& known) const {
  if (!object.is_object()) fail(path.empty() ? "(top level)" : path, "expected an object, found " + object.dump());
  for (const auto& item : object.items()) {
    bool found = false;
    for (const auto& k : known) found = found || item.key() == k;
    if (found) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    fail(path.empty() ? item.key() : path + "." + item.key(), "unknown key (expected only: " + list + ")");
  }
}

std::int64_t tensor_reader::integer(const nlohmann::json& value, const std::string& path, std::int64_t lo,
                                    std::int64_t hi, const std::string& what) const {
  // JSON integers are decimal by the grammar; the library keeps int64 and uint64 as written, so
  // its text is what the file says (a larger number has become a float: not an integer).
  const std::string text = value.dump();
  const auto v = decimal::parse<std::int64_t>(text, lo, hi);
  if (!v) fail(path, decimal::message(text, lo, hi) + (what.empty() ? "" : " " + what));
  return *v;
}

const nlohmann::json& tensor_reader::field(const nlohmann::json& object, const std::string& path,
                                           const std::string& key) const {
  const std::string where = path.empty() ? key : path + "." + key;
  if (!object.is_object()) fail(path.empty() ? "(top level)" : path, "expected an object");
  const auto it = object.find(key);
  if (it == object.end()) fail(where, "missing");
  return *it;
}

std::string tensor_reader::string_field(const nlohmann::json& object, const std::string& path,
                                        const std::string& key) const {
  const auto& value = field(object, path, key);
  if (!value.is_string()) fail(path.empty() ? key : path + "." + key, "expected a string, found " + value.dump());
  return value.get<std::string>();
}

std::vector<std::int64_t> tensor_reader::read(const nlohmann::json& parent, const std::string& path,
                                              const std::string& key, const format& expected,
                                              const std::vector<std::size_t>& shape, std::size_t* saturated) const {
  const std::string where = path.empty() ? key : path + "." + key;
  const auto& t = field(parent, path, key);
  only(t, where, {"type", "shape", "raw", "values"});
  const std::string type_text = string_field(t, where, "type");
  format type;
  bool modes = false;
  try {
    type = parse_type(type_text, &modes);
  } catch (const error& e) {
    fail(where + ".type", e.what());
  }
  if (type.width != expected.width || type.iwidth != expected.iwidth || type.is_signed != expected.is_signed)
    fail(where + ".type", "expected " + type_name(expected) + ", found '" + type_text + "'");
  const auto& shape_json = field(t, where, "shape");
  std::vector<std::size_t> found_shape;
  if (!shape_json.is_array()) fail(where + ".shape", "expected an array of sizes, found " + shape_json.dump());
  for (std::size_t i = 0; i < shape_json.size(); ++i)
    found_shape.push_back(static_cast<std::size_t>(
        integer(shape_json[i], where + ".shape[" + std::to_string(i) + "]", 0, INT64_MAX, "(a size)")));
  if (found_shape != shape) fail(where + ".shape", "expected " + shape_text(shape) + ", found " + shape_text(found_shape));
  std::size_t count = 1;
  for (auto d : shape) count *= d;

  const bool has_raw = t.contains("raw"), has_values = t.contains("values");
  if (has_raw == has_values) fail(where, "expected exactly one of 'raw' (integer codes) and 'values' (floats)");
  const std::string data_key = has_raw ? "raw" : "values";
  if (has_raw && modes)
    fail(where + ".type", "'" + type_text + "' declares quantization / overflow modes, which apply to 'values' only (raw "
                          "codes are exact): drop the modes, or give 'values'");
  const auto& data = t[data_key];
  if (!data.is_array()) fail(where + "." + data_key, "expected an array");
  if (data.size() != count)
    fail(where + "." + data_key, "expected " + std::to_string(count) + " entries for shape " + shape_text(shape) +
                                     ", found " + std::to_string(data.size()));
  const std::int64_t lo = type.is_signed ? -(std::int64_t(1) << (type.width - 1)) : 0;
  const std::int64_t hi = type.width == 64 ? INT64_MAX
                          : type.is_signed ? (std::int64_t(1) << (type.width - 1)) - 1
                                           : (std::int64_t(1) << type.width) - 1;
  // Values: the declared modes, else round half up and saturate.
  format q = type;
  if (!modes) q.q = q_mode::rnd, q.o = o_mode::sat;
  format wide = q;  // the same binary point and rounding with room for any double: did it overflow?
  wide.width = 64;
  wide.iwidth = 64 - type.fwidth();
  wide.is_signed = true;
  wide.o = o_mode::sat;
  std::vector<std::int64_t> codes(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string at = where + "." + data_key + "[" + std::to_string(i) + "]";
    if (has_raw) {
      codes[i] = integer(data[i], at, lo, hi, "(a " + type_name(type) + " code)");
    } else {
      if (!data[i].is_number()) fail(at, "expected a number, found " + data[i].dump());
      const double v = data[i].get<double>();
      if (!std::isfinite(v)) fail(at, "expected a finite number");
      codes[i] = quantize(v, q);
      const std::int64_t unbounded = quantize(v, wide);
      if (saturated && (unbounded < lo || unbounded > hi)) ++*saturated;
    }
  }
  return codes;
}

std::vector<double> tensor_reader::read_floats(const nlohmann::json& parent, const std::string& path,
                                              const std::string& key, const std::vector<std::size_t>& shape) const {
  const std::string where = path.empty() ? key : path + "." + key;
  const auto& t = field(parent, path, key);
  if (!t.is_object()) fail(where, "expected an object {\"shape\": [...], \"values\": [...]}, found " + t.dump());
  if (t.contains("type")) {
    const std::string type = string_field(t, where, "type");
    if (type != "float64" && type != "float32") fail(where + ".type", "expected \"float64\" or \"float32\", found '" + type + "'");
  }
  if (t.contains("raw")) fail(where + ".raw", "a float tensor has 'values', not integer codes");
  only(t, where, {"type", "shape", "values"});
  const auto& shape_json = field(t, where, "shape");
  std::vector<std::size_t> found_shape;
  if (!shape_json.is_array()) fail(where + ".shape", "expected an array of sizes, found " + shape_json.dump());
  for (std::size_t i = 0; i < shape_json.size(); ++i)
    found_shape.push_back(static_cast<std::size_t>(
        integer(shape_json[i], where + ".shape[" + std::to_string(i) + "]", 0, INT64_MAX, "(a size)")));
  if (found_shape != shape) fail(where + ".shape", "expected " + shape_text(shape) + ", found " + shape_text(found_shape));
  std::size_t count = 1;
  for (auto d : shape) count *= d;
  const auto& data = field(t, where, "values");
  if (!data.is_array()) fail(where + ".values", "expected an array");
  if (data.size() != count)
    fail(where + ".values", "expected " + std::to_string(count) + " entries for shape " + shape_text(shape) + ", found " +
                                std::to_string(data.size()));
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string at = where + ".values[" + std::to_string(i) + "]";
    if (!data[i].is_number()) fail(at, "expected a number, found " + data[i].dump());
    values[i] = data[i].get<double>();
    if (!std::isfinite(values[i])) fail(at, "expected a finite number");
  }
  return values;
}

nlohmann::json float_tensor_json(const std::vector<std::size_t>& shape, const std::vector<double>& values) {
  return {{"type", "float64"}, {"shape", shape}, {"values", values}};
}

nlohmann::json tensor_json(const format& type, const std::vector<std::size_t>& shape, const std::vector<std::int64_t>& raw) {
  return {{"type", type_name(type)}, {"shape", shape}, {"raw", raw}};
}

}  // namespace hlskit::model_file
