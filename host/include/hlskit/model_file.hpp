// Quantized tensors in JSON model files (DESIGN §1: exact integers in files):
//   {"type": "fixed<6,1>", "shape": [3, 3, 1, 8], "raw": [...]}      raw two's-complement codes
//   {"type": "fixed<6,1>", "shape": [3, 3, 1, 8], "values": [...]}   floats, quantized on import
//   {"type": "float64",    "shape": [16, 128],    "values": [...]}   float parameters (host side)
// Every error names the file and the field path, e.g.
//   model.json: field 'dense.weight.raw[17]': code 40 is out of range for fixed<6,1> (-32..31)
#pragma once

#include <hlskit/fixed.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace hlskit::model_file {

class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "fixed<W,I>" or "ufixed<W,I>" (1 <= W <= 64), optionally with modes: "fixed<8,3,rnd,sat>".
// *modes (when given) tells whether the text declared a q_mode (and maybe an o_mode).
format parse_type(const std::string& text, bool* modes = nullptr);
std::string type_name(const format& f);

// Reads the whole file as JSON (error names the file, line and column on a syntax error).
nlohmann::json read_json(const std::string& path);
// Writes JSON by hlskit::write_file's rules (atomic_file.hpp): nothing half-written.
void write_json(const std::string& path, const nlohmann::json& doc);

// A tensor field of a model document: checks its keys (type, shape, and one of raw / values:
// nothing else), its type string equals `expected` (width and integer width), its shape, and
// every code's range. Integers (codes, sizes) are decimal::parse'd from the text as written:
// 18446744073709551615 is an error quoting it, never -1.
// Modes in the type say how "values" are quantized: "fixed<6,1,trn,wrap>" truncates and wraps;
// without modes values are quantized with q_mode::rnd and o_mode::sat. Raw codes are exact, so
// a type with modes over "raw" is an error (the modes would do nothing). Values that overflowed
// (lay outside the format's range) are counted in *saturated.
struct tensor_reader {
  std::string file;  // for messages
  std::vector<std::int64_t> read(const nlohmann::json& parent, const std::string& path, const std::string& key,
                                 const format& expected, const std::vector<std::size_t>& shape,
                                 std::size_t* saturated = nullptr) const;
  // The member `key` of `object` at `path`; an error names the missing field.
  const nlohmann::json& field(const nlohmann::json& object, const std::string& path, const std::string& key) const;
  std::string string_field(const nlohmann::json& object, const std::string& path, const std::string& key) const;
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;
  // Fails naming the first member of `object` (at `path`) that is not one of `known`: a
  // misspelt key is an error, never ignored.
  void only(const nlohmann::json& object, const std::string& path, const std::vector<std::string>& known) const;
  // An integer field within lo..hi, by hlskit::decimal's rule on the JSON text as written;
  // `what` ends the message, e.g. "(a fixed<6,1> code)".
  std::int64_t integer(const nlohmann::json& value, const std::string& path, std::int64_t lo, std::int64_t hi,
                       const std::string& what = "") const;
  // A float tensor {"type": "float64" (optional; "float32" also accepted), "shape": [...],
  // "values": [...]}: the shape must equal `shape` and every value must be a finite number.
  std::vector<double> read_floats(const nlohmann::json& parent, const std::string& path, const std::string& key,
                                  const std::vector<std::size_t>& shape) const;
};

nlohmann::json tensor_json(const format& type, const std::vector<std::size_t>& shape, const std::vector<std::int64_t>& raw);
// {"type": "float64", "shape": ..., "values": ...}; nlohmann writes the shortest decimal that
// reads back as the same double, so float tensors round-trip bit for bit.
nlohmann::json float_tensor_json(const std::vector<std::size_t>& shape, const std::vector<double>& values);

}  // namespace hlskit::model_file
