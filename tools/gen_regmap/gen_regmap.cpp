// hlskit_gen_regmap: the register maps of the kernels, from one table per kernel (DESIGN §6,
// issue 11). The generated files are committed; ctest regmap_current_<K> keeps them current and
// `cmake --build B --target hlskit_update_regmap` rewrites them.
//
//   hlskit_gen_regmap --common rtl/common/ap_ctrl_hs.json [--kernel hls/kernels/K/K.json ...] --out ROOT
//
// writes, under ROOT (the source tree, or a scratch directory to compare with it):
//   from the common table (rtl/common/ap_ctrl_hs.json):
//     host/include/hlskit/hw/ap_ctrl_hs_hw.h   HLSKIT_AP_CTRL_ADDR_<REG>, HLSKIT_AP_CTRL_<FIELD> masks,
//                                              HLSKIT_AP_CTRL_ADDR_ARGS (C99 and C++)
//     host/include/hlskit/hw/config_tag.hpp    hlskit::hw::config_tag<C> (with_config's argument)
//     rtl/common/hlskit_ap_ctrl_pkg.sv         package hlskit_ap_ctrl_pkg: <Reg>Offset, <Reg><Field>Bit, ArgsOffset
//   from each kernel table hls/kernels/K/K.json:
//     host/include/hlskit/hw/K_hw.h            Vitis names: XK_CONTROL_ADDR_AP_CTRL/GIE/IER/ISR,
//                                              XK_CONTROL_AP_START/AP_DONE/AP_IDLE/AP_READY/AUTO_RESTART,
//                                              XK_CONTROL_GIE_ENABLE, XK_CONTROL_IER_DONE/READY, XK_CONTROL_ISR_DONE/READY,
//                                              XK_CONTROL_ADDR_<REG>_DATA, XK_CONTROL_BITS_<REG>_DATA,
//                                              XK_CONTROL_ADDR_<WIN>_BASE, XK_CONTROL_BYTES_<WIN>_ENTRY,
//                                              per config XK_<CFG>_<PARAM>, _<WIN>_ENTRIES, _ADDR_WIDTH,
//                                              _<STREAM>_TDATA_BITS, _<STREAM>_BEAT_BYTES, (_<STREAM>_BEATS,
//                                              _<STREAM>_ITEM_BYTES when fixed by the parameters), _CLOCK_MHZ
//     host/include/hlskit/hw/K_configs.hpp     hlskit::hw::K::configs[] (named configs, default first),
//                                              hlskit::hw::K::with_config(name, f)
//     rtl/K/K_regs_pkg.sv                      package K_regs_pkg: <Reg>Offset, <Reg>Bits, <Reg>Arg, NumArgs,
//                                              <Win>Base, <Win>EntryBytes, per config <Cfg><Param>,
//                                              <Cfg><Win>Entries, <Cfg>AddrWidth, <Cfg><Stream>TdataBits,
//                                              <Cfg>ClockKhz
// Every file is rendered before any is written; each is written to a temporary file and renamed.
// A bad table is one line on stderr naming the file and the field and what was expected, exit 2,
// and nothing written.
//
// The kernel table (JSON; offsets are strings "0x..." in hex; names are lower_snake_case):
//   kernel        the kernel's name (the file must be called <kernel>.json)
//   summary       one line;  source: the paper and DESIGN section
//   rtl           {top: module, files: [the kernel's own .sv files, relative to rtl/<kernel>/, in
//                  compile order], common: [rtl/common/ files by name], mem: [{file: rtl/common/ name,
//                  parameter: the top's parameter taking its path}]}; the generated packages
//                  (hlskit_ap_ctrl_pkg.sv, <kernel>_regs_pkg.sv) are added first by hlskit_add_kernel
//   parameters    [the top's RTL parameters (UpperCamelCase) a config sets]
//   configs       [{name, summary, named (true: a user-visible config, false: test only), clock_mhz,
//                  clock_doc (where the clock comes from), cpp (the C++ config type),
//                  rtl: {every parameter: integer}, waveform (true: verilated with FST tracing)}];
//                  the first config is the default and must be named
//   check_parameters  optional {parameter: {suffix, values: [...]}}: extra RTL checks (lint, Icarus)
//                 per value, named rtl_{lint,icarus}_K_<suffix><value> (cmake/HlskitKernel.cmake)
//   model_members optional [C++ lines for each verilated model's struct; @Param@ = the config's value]
//   registers     [{name, offset, bits (1..32), doc}]: scalar arguments, word aligned, from the
//                  common table's args_offset
//   windows       [{name, offset, entry_bytes (a multiple of 4), entries (an expression of the
//                  parameters), doc (the entry indexing)}]: parameter memories in s_axi_control
//   streams       [{name: in_r | out_r | another input stream's name (sparse_llm's weights `w`),
//                  tdata_bits (an expression of the parameters), beats (in_r and out_r only: an
//                  expression of the parameters and the registers, beats per item), doc (the layout;
//                  for another stream also how many beats a run takes)}]
// Expressions: integers, parameter and register names, + - * / % ( ), ceil(x), clog2(x); evaluated
// exactly (rationals), integer results required. Per config, the common block, every register and
// every window must not overlap; the address width is clog2 of the highest byte address + 1.
//
// The common table: {block, summary, source, registers: [{name, offset, doc, fields: [{name, bit,
// doc}]}], args_offset}. The fields of the register called ap_ctrl are named without the register
// (XK_CONTROL_AP_START), the others with it (XK_CONTROL_IER_DONE).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct table_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- reading the tables with errors naming file and field ---------------------------------------

struct reader {
  std::string file;  // as given on the command line
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw table_error(file + ": " + (field.empty() ? "" : "field '" + field + "': ") + what);
  }
  const json& get(const json& obj, const std::string& path, const char* key) const {
    const std::string field = path.empty() ? key : path + "." + key;
    if (!obj.is_object()) fail(path, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(field, "missing");
    return *it;
  }
  std::string str(const json& obj, const std::string& path, const char* key) const {
    const json& v = get(obj, path, key);
    if (!v.is_string()) fail(join(path, key), "expected a string");
    return v.get<std::string>();
  }
  std::string name(const json& obj, const std::string& path, const char* key) const {
    std::string s = str(obj, path, key);
    bool ok = !s.empty() && s[0] >= 'a' && s[0] <= 'z';
    for (char c : s) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok) fail(join(path, key), "expected a lower_snake_case name, got \"" + s + "\"");
    return s;
  }
  bool boolean(const json& obj, const std::string& path, const char* key) const {
    const json& v = get(obj, path, key);
    if (!v.is_boolean()) fail(join(path, key), "expected true or false");
    return v.get<bool>();
  }
  std::int64_t integer(const json& obj, const std::string& path, const char* key, std::int64_t lo, std::int64_t hi) const {
    const json& v = get(obj, path, key);
    if (!v.is_number_integer()) fail(join(path, key), "expected an integer");
    const std::int64_t x = v.get<std::int64_t>();
    if (x < lo || x > hi) fail(join(path, key), "expected " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + std::to_string(x));
    return x;
  }
  double number(const json& obj, const std::string& path, const char* key) const {
    const json& v = get(obj, path, key);
    if (!v.is_number()) fail(join(path, key), "expected a number");
    return v.get<double>();
  }
  std::uint32_t hex(const json& obj, const std::string& path, const char* key) const {
    const std::string s = str(obj, path, key);
    const std::string field = join(path, key);
    if (s.size() < 3 || s.size() > 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
      fail(field, "expected a hex byte offset \"0x...\" (at most 8 digits), got \"" + s + "\"");
    std::uint32_t v = 0;
    for (std::size_t i = 2; i < s.size(); ++i) {
      const char c = s[i];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) fail(field, "expected a hex byte offset \"0x...\", got \"" + s + "\" ('" + std::string(1, c) + "' is not a hex digit)");
      v = v * 16u + static_cast<std::uint32_t>(d);
    }
    return v;
  }
  std::uint32_t word_offset(const json& obj, const std::string& path, const char* key) const {
    const std::uint32_t v = hex(obj, path, key);
    if (v % 4 != 0) fail(join(path, key), "expected a word-aligned (multiple of 4) byte offset, got " + str(obj, path, key));
    return v;
  }
  const json& array(const json& obj, const std::string& path, const char* key) const {
    const json& v = get(obj, path, key);
    if (!v.is_array()) fail(join(path, key), "expected an array");
    return v;
  }
  static std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }
  static std::string at(const std::string& path, const char* key, std::size_t i) { return join(path, key) + "[" + std::to_string(i) + "]"; }
};

json load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw table_error(file + ": cannot open (" + std::strerror(errno) + ")");
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return json::parse(ss.str());
  } catch (const json::parse_error& e) {
    throw table_error(file + ": not valid JSON: " + e.what());
  }
}

// ---- expressions ----------------------------------------------------------------------------------

struct rational {
  std::int64_t num = 0, den = 1;
  static rational make(std::int64_t n, std::int64_t d) {
    if (d < 0) n = -n, d = -d;
    const std::int64_t g = std::gcd(n < 0 ? -n : n, d);
    return {n / (g ? g : 1), d / (g ? g : 1)};
  }
};

// Recursive descent over "a + b * (c - d) / 2", ceil(x), clog2(x). Names not in `values` but in
// `runtime` make the result unknown (std::nullopt); any other name is an error.
class expression {
 public:
  expression(const reader& r, std::string field, std::string text, const std::map<std::string, std::int64_t>& values,
             const std::set<std::string>& runtime)
      : r_(r), field_(std::move(field)), s_(std::move(text)), values_(values), runtime_(runtime) {}
  std::optional<rational> eval() {
    auto v = sum();
    skip();
    if (p_ != s_.size()) bad("unexpected '" + s_.substr(p_, 1) + "'");
    return v;
  }
  // The value when it is a known integer (error if known and not an integer).
  std::optional<std::int64_t> integer() {
    auto v = eval();
    if (!v) return std::nullopt;
    if (v->den != 1) bad("the value " + std::to_string(v->num) + "/" + std::to_string(v->den) + " is not an integer");
    return v->num;
  }

 private:
  [[noreturn]] void bad(const std::string& what) const { r_.fail(field_, "expression \"" + s_ + "\": " + what); }
  void skip() { while (p_ < s_.size() && s_[p_] == ' ') ++p_; }
  bool eat(char c) {
    skip();
    if (p_ < s_.size() && s_[p_] == c) return ++p_, true;
    return false;
  }
  using val = std::optional<rational>;
  static val bin(const val& a, const val& b, char op) {
    if (!a || !b) return std::nullopt;
    switch (op) {
      case '+': return rational::make(a->num * b->den + b->num * a->den, a->den * b->den);
      case '-': return rational::make(a->num * b->den - b->num * a->den, a->den * b->den);
      case '*': return rational::make(a->num * b->num, a->den * b->den);
      default: return rational::make(a->num * b->den, a->den * b->num);
    }
  }
  val sum() {
    val v = product();
    for (;;) {
      if (eat('+')) v = bin(v, product(), '+');
      else if (eat('-')) v = bin(v, product(), '-');
      else return v;
    }
  }
  val product() {
    val v = atom();
    for (;;) {
      if (eat('*')) v = bin(v, atom(), '*');
      else if (eat('/')) {
        val d = atom();
        if (d && d->num == 0) bad("division by zero");
        v = bin(v, d, '/');
      } else if (eat('%')) {
        val d = atom();
        if (v && d) {
          if (v->den != 1 || d->den != 1 || d->num == 0) bad("% needs nonzero integers");
          v = rational::make(v->num % d->num, 1);
        } else v = std::nullopt;
      } else return v;
    }
  }
  val atom() {
    skip();
    if (eat('(')) {
      val v = sum();
      if (!eat(')')) bad("expected ')'");
      return v;
    }
    if (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) {
      std::int64_t n = 0;
      while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) {
        n = n * 10 + (s_[p_++] - '0');
        if (n > (std::int64_t{1} << 40)) bad("number too large");
      }
      return rational::make(n, 1);
    }
    std::string id;
    while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_')) id += s_[p_++];
    if (id.empty()) bad(p_ < s_.size() ? "unexpected '" + s_.substr(p_, 1) + "'" : "unexpected end");
    if (id == "ceil" || id == "clog2") {
      if (!eat('(')) bad("expected '(' after " + id);
      val v = sum();
      if (!eat(')')) bad("expected ')'");
      if (!v) return v;
      if (id == "ceil") {
        std::int64_t q = v->num / v->den;
        if (q * v->den < v->num) ++q;
        return rational::make(q, 1);
      }
      if (v->den != 1 || v->num < 0) bad("clog2 of a non-integer");
      std::int64_t b = 0;
      while ((std::int64_t{1} << b) < v->num) ++b;
      return rational::make(b, 1);
    }
    if (auto it = values_.find(id); it != values_.end()) return rational::make(it->second, 1);
    if (runtime_.count(id)) return std::nullopt;
    bad("unknown name '" + id + "'");
  }

  const reader& r_;
  std::string field_, s_;
  const std::map<std::string, std::int64_t>& values_;
  const std::set<std::string>& runtime_;
  std::size_t p_ = 0;
};

// ---- the model ----------------------------------------------------------------------------------

struct field_t {
  std::string name, doc;
  int bit = 0;
};
struct ctrl_reg {
  std::string name, doc;
  std::uint32_t offset = 0;
  std::vector<field_t> fields;
};
struct common_t {
  std::string file, summary, source;
  std::vector<ctrl_reg> regs;
  std::uint32_t args_offset = 0;
};

struct reg_t {
  std::string name, doc;
  std::uint32_t offset = 0;
  int bits = 32;
};
struct window_t {
  std::string name, doc, entries;
  std::uint32_t offset = 0, entry_bytes = 4;
};
struct stream_t {
  std::string name, doc, tdata_bits, beats;
};
struct stream_values {
  std::int64_t tdata_bits = 0;
  std::optional<std::int64_t> beats;
};
struct config_t {
  std::string name, summary, clock_doc, cpp;
  bool named = false, waveform = false;
  double clock_mhz = 0;
  std::map<std::string, std::int64_t> rtl;
  // derived
  std::vector<std::int64_t> window_entries;
  std::vector<stream_values> streams;
  int addr_width = 0;
};
struct kernel_t {
  std::string file, name, summary, source, top;
  std::vector<std::string> parameters;
  std::vector<config_t> configs;
  std::vector<reg_t> regs;
  std::vector<window_t> windows;
  std::vector<stream_t> streams;
};

common_t read_common(const std::string& file) {
  reader r{file};
  const json j = load(file);
  common_t c;
  c.file = file;
  c.summary = r.str(j, "", "summary");
  c.source = r.str(j, "", "source");
  r.name(j, "", "block");
  const json& regs = r.array(j, "", "registers");
  std::set<std::string> names;
  std::set<std::uint32_t> offsets;
  for (std::size_t i = 0; i < regs.size(); ++i) {
    const std::string p = reader::at("", "registers", i);
    ctrl_reg g;
    g.name = r.name(regs[i], p, "name");
    g.doc = r.str(regs[i], p, "doc");
    g.offset = r.word_offset(regs[i], p, "offset");
    if (!names.insert(g.name).second) r.fail(p + ".name", "\"" + g.name + "\" appears twice");
    if (!offsets.insert(g.offset).second) r.fail(p + ".offset", "overlaps another register");
    const json& fs = r.array(regs[i], p, "fields");
    std::set<int> bits;
    for (std::size_t k = 0; k < fs.size(); ++k) {
      const std::string q = reader::at(p, "fields", k);
      field_t f;
      f.name = r.name(fs[k], q, "name");
      f.doc = r.str(fs[k], q, "doc");
      f.bit = static_cast<int>(r.integer(fs[k], q, "bit", 0, 31));
      if (!bits.insert(f.bit).second) r.fail(q + ".bit", "bit " + std::to_string(f.bit) + " is used twice");
      g.fields.push_back(f);
    }
    c.regs.push_back(g);
  }
  c.args_offset = r.word_offset(j, "", "args_offset");
  for (std::size_t i = 0; i < c.regs.size(); ++i)
    if (c.regs[i].offset >= c.args_offset)
      r.fail(reader::at("", "registers", i) + ".offset", "expected below args_offset");
  return c;
}

std::uint64_t ceil_log2(std::uint64_t x) {
  std::uint64_t b = 0;
  while ((std::uint64_t{1} << b) < x) ++b;
  return b;
}

kernel_t read_kernel(const std::string& file, const common_t& common) {
  reader r{file};
  const json j = load(file);
  kernel_t k;
  k.file = file;
  k.name = r.name(j, "", "kernel");
  if (fs::path(file).filename() != k.name + ".json") r.fail("kernel", "expected the file to be called " + k.name + ".json");
  k.summary = r.str(j, "", "summary");
  k.source = r.str(j, "", "source");
  const json& rtl = r.get(j, "", "rtl");
  k.top = r.name(rtl, "rtl", "top");
  for (const char* list : {"files", "common"}) {
    const json& a = r.array(rtl, "rtl", list);
    if (std::string(list) == "files" && a.empty()) r.fail("rtl.files", "expected at least the top's file");
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!a[i].is_string()) r.fail(reader::at("rtl", list, i), "expected a file name");
  }
  const json& mem = r.array(rtl, "rtl", "mem");
  for (std::size_t i = 0; i < mem.size(); ++i) {
    r.str(mem[i], reader::at("rtl", "mem", i), "file");
    r.str(mem[i], reader::at("rtl", "mem", i), "parameter");
  }

  const json& params = r.array(j, "", "parameters");
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (!params[i].is_string() || params[i].get<std::string>().empty() || !std::isupper(static_cast<unsigned char>(params[i].get<std::string>()[0])))
      r.fail(reader::at("", "parameters", i), "expected an UpperCamelCase RTL parameter name");
    k.parameters.push_back(params[i].get<std::string>());
  }

  // registers
  const json& regs = r.array(j, "", "registers");
  std::set<std::string> names;
  for (std::size_t i = 0; i < regs.size(); ++i) {
    const std::string p = reader::at("", "registers", i);
    reg_t g;
    g.name = r.name(regs[i], p, "name");
    g.offset = r.word_offset(regs[i], p, "offset");
    g.bits = static_cast<int>(r.integer(regs[i], p, "bits", 1, 32));
    g.doc = r.str(regs[i], p, "doc");
    if (!names.insert(g.name).second) r.fail(p + ".name", "\"" + g.name + "\" is used twice");
    if (g.offset < common.args_offset)
      r.fail(p + ".offset", "overlaps the ap_ctrl_hs block (arguments start at 0x" + [&] {
        char b[16];
        std::snprintf(b, sizeof b, "%X", common.args_offset);
        return std::string(b);
      }() + ")");
    k.regs.push_back(g);
  }
  if (k.regs.empty() || k.regs[0].name != "count" || k.regs[0].offset != common.args_offset)
    r.fail("registers[0]", "expected the count register at args_offset first");
  std::set<std::string> runtime;
  for (const auto& g : k.regs) runtime.insert(g.name);

  const json& wins = r.array(j, "", "windows");
  for (std::size_t i = 0; i < wins.size(); ++i) {
    const std::string p = reader::at("", "windows", i);
    window_t w;
    w.name = r.name(wins[i], p, "name");
    w.offset = r.word_offset(wins[i], p, "offset");
    w.entry_bytes = static_cast<std::uint32_t>(r.integer(wins[i], p, "entry_bytes", 4, 4096));
    if (w.entry_bytes % 4) r.fail(p + ".entry_bytes", "expected a multiple of 4");
    w.entries = r.str(wins[i], p, "entries");
    w.doc = r.str(wins[i], p, "doc");
    if (!names.insert(w.name).second) r.fail(p + ".name", "\"" + w.name + "\" is used twice");
    k.windows.push_back(w);
  }

  const json& streams = r.array(j, "", "streams");
  std::set<std::string> snames;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const std::string p = reader::at("", "streams", i);
    stream_t s;
    s.name = r.name(streams[i], p, "name");
    if (!snames.insert(s.name).second) r.fail(p + ".name", "\"" + s.name + "\" appears twice");
    s.tdata_bits = r.str(streams[i], p, "tdata_bits");
    const bool itemized = s.name == "in_r" || s.name == "out_r";
    if (itemized) s.beats = r.str(streams[i], p, "beats");
    else if (streams[i].contains("beats"))
      r.fail(p + ".beats", "only in_r and out_r have beats per item; say in the doc how " + s.name + " is streamed");
    s.doc = r.str(streams[i], p, "doc");
    k.streams.push_back(s);
  }

  // configs
  const json& cfgs = r.array(j, "", "configs");
  if (cfgs.empty()) r.fail("configs", "expected at least one config");
  std::set<std::string> cnames;
  const std::set<std::string> none;
  for (std::size_t i = 0; i < cfgs.size(); ++i) {
    const std::string p = reader::at("", "configs", i);
    config_t c;
    c.name = r.name(cfgs[i], p, "name");
    if (!cnames.insert(c.name).second) r.fail(p + ".name", "\"" + c.name + "\" is used twice");
    c.summary = r.str(cfgs[i], p, "summary");
    c.named = r.boolean(cfgs[i], p, "named");
    c.clock_mhz = r.number(cfgs[i], p, "clock_mhz");
    if (!(c.clock_mhz > 0 && c.clock_mhz < 100000) || std::fabs(c.clock_mhz * 1000 - std::round(c.clock_mhz * 1000)) > 1e-6)
      r.fail(p + ".clock_mhz", "expected a positive clock in MHz with at most 3 decimals");
    c.clock_doc = r.str(cfgs[i], p, "clock_doc");
    c.cpp = r.str(cfgs[i], p, "cpp");
    c.waveform = r.boolean(cfgs[i], p, "waveform");
    const json& rp = r.get(cfgs[i], p, "rtl");
    if (!rp.is_object()) r.fail(p + ".rtl", "expected an object of RTL parameters");
    for (const auto& name : k.parameters) c.rtl[name] = r.integer(rp, p + ".rtl", name.c_str(), 0, std::int64_t{1} << 31);
    for (auto it = rp.begin(); it != rp.end(); ++it)
      if (!c.rtl.count(it.key())) r.fail(p + ".rtl." + it.key(), "not one of the table's parameters");
    if (i == 0 && !c.named) r.fail(p + ".named", "the first config is the default and must be named");

    // derived values; the whole map must not overlap
    struct extent {
      std::uint64_t lo, hi;
      std::string field;
    };
    std::vector<extent> ex = {{0, common.args_offset, "the ap_ctrl_hs block"}};
    for (std::size_t g = 0; g < k.regs.size(); ++g)
      ex.push_back({k.regs[g].offset, k.regs[g].offset + 4ull, reader::at("", "registers", g) + ".offset"});
    for (std::size_t w = 0; w < k.windows.size(); ++w) {
      const std::string f = reader::at("", "windows", w) + ".entries";
      auto n = expression(r, f, k.windows[w].entries, c.rtl, none).integer();
      if (*n < 1) r.fail(f, "expected at least one entry, got " + std::to_string(*n) + " in config " + c.name);
      c.window_entries.push_back(*n);
      ex.push_back({k.windows[w].offset, k.windows[w].offset + static_cast<std::uint64_t>(*n) * k.windows[w].entry_bytes,
                    reader::at("", "windows", w) + ".offset"});
    }
    std::uint64_t top = 0;
    for (std::size_t a = 0; a < ex.size(); ++a) {
      top = std::max(top, ex[a].hi);
      for (std::size_t b = 0; b < a; ++b)
        if (ex[a].lo < ex[b].hi && ex[b].lo < ex[a].hi)
          r.fail(ex[a].field, "overlaps " + (b == 0 ? ex[b].field : "'" + ex[b].field + "'") + " in config " + c.name);
    }
    if (top > (std::uint64_t{1} << 32)) r.fail(p, "the register map exceeds 4 GiB");
    c.addr_width = static_cast<int>(ceil_log2(top));
    for (std::size_t s = 0; s < k.streams.size(); ++s) {
      stream_values v;
      auto bits = expression(r, reader::at("", "streams", s) + ".tdata_bits", k.streams[s].tdata_bits, c.rtl, none).integer();
      if (*bits < 1) r.fail(reader::at("", "streams", s) + ".tdata_bits", "expected a positive width");
      v.tdata_bits = *bits;
      if (!k.streams[s].beats.empty())
        v.beats = expression(r, reader::at("", "streams", s) + ".beats", k.streams[s].beats, c.rtl, runtime).integer();
      c.streams.push_back(v);
    }
    k.configs.push_back(c);
  }
  if (auto it = j.find("check_parameters"); it != j.end()) {
    if (!it->is_object()) r.fail("check_parameters", "expected an object {parameter: [values]}");
    for (auto p = it->begin(); p != it->end(); ++p) {
      if (std::find(k.parameters.begin(), k.parameters.end(), p.key()) == k.parameters.end())
        r.fail("check_parameters." + p.key(), "not one of the table's parameters");
      const std::string f = "check_parameters." + p.key();
      r.name(*p, f, "suffix");
      for (const auto& v : r.array(*p, f, "values"))
        if (!v.is_number_integer()) r.fail(f + ".values", "expected an array of integers");
    }
  }
  return k;
}

// ---- naming ---------------------------------------------------------------------------------------

std::string upper(const std::string& s) {
  std::string o;
  for (char c : s) o += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}
// lower_snake -> UpperCamel
std::string camel(const std::string& s) {
  std::string o;
  bool up = true;
  for (char c : s) {
    if (c == '_') {
      up = true;
      continue;
    }
    o += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return o;
}
// UpperCamel -> UPPER_SNAKE (MaxSupportVectors -> MAX_SUPPORT_VECTORS, ConvQMode -> CONV_Q_MODE)
std::string snake_upper(const std::string& s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool u = std::isupper(static_cast<unsigned char>(s[i]));
    if (i > 0 && u) {
      const bool prev_lower = std::islower(static_cast<unsigned char>(s[i - 1])) || std::isdigit(static_cast<unsigned char>(s[i - 1]));
      const bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
      if (prev_lower || (std::isupper(static_cast<unsigned char>(s[i - 1])) && next_lower)) o += '_';
    }
    o += static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
  }
  return o;
}
std::string hex(std::uint64_t v, int digits = 0) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return b;
}
std::string sv_hex(std::uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "32'h%llx", static_cast<unsigned long long>(v));
  return b;
}
std::string clock_text(double mhz) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", mhz);
  std::string s = b;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s += '0';
  return s;
}
std::string c_string(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}
// A table's repository path, for the "generated from" line (independent of where the tree is).
std::string kernel_table_path(const kernel_t& k) { return "hls/kernels/" + k.name + "/" + k.name + ".json"; }
const char* const common_table_path = "rtl/common/ap_ctrl_hs.json";

std::string define(const std::string& name, const std::string& value, const std::string& doc = "") {
  std::string line = "#define " + name;
  line += std::string(line.size() < 56 ? 56 - line.size() : 1, ' ') + value;
  if (!doc.empty()) line += "  /* " + doc + " */";
  return line + "\n";
}
std::string localparam(const std::string& name, const std::string& value, const std::string& doc = "") {
  std::string line = "  localparam int " + name;
  line += std::string(line.size() < 56 ? 56 - line.size() : 1, ' ') + "= " + value + ";";
  if (!doc.empty()) line += "  // " + doc;
  return line + "\n";
}
std::string field_macro(const ctrl_reg& g, const field_t& f) {
  return g.name == "ap_ctrl" ? upper(f.name) : upper(g.name) + "_" + upper(f.name);
}
// C comment text must not close the comment.
std::string c_doc(std::string s) {
  for (std::size_t p; (p = s.find("*/")) != std::string::npos;) s.replace(p, 2, "* /");
  return s;
}

// ---- rendering ------------------------------------------------------------------------------------

std::string render_common_h(const common_t& c) {
  std::ostringstream o;
  o << "/* generated by tools/gen_regmap from " << common_table_path << "; do not edit */\n"
    << "/* " << c_doc(c.summary) << " (" << c_doc(c.source) << ").\n"
    << " * Byte offsets in s_axi_control and bit masks; every kernel's K_hw.h repeats them with its prefix. */\n"
    << "#ifndef HLSKIT_HW_AP_CTRL_HS_HW_H\n#define HLSKIT_HW_AP_CTRL_HS_HW_H\n\n";
  for (const auto& g : c.regs) {
    o << define("HLSKIT_AP_CTRL_ADDR_" + upper(g.name), hex(g.offset, 2), c_doc(g.doc));
    for (const auto& f : g.fields) o << define("HLSKIT_AP_CTRL_" + field_macro(g, f), hex(1ull << f.bit, 2) + "u", c_doc(f.doc));
  }
  o << define("HLSKIT_AP_CTRL_ADDR_ARGS", hex(c.args_offset, 2), "the first argument register") << "\n#endif\n";
  return o.str();
}

std::string render_config_tag() {
  return std::string("// generated by tools/gen_regmap from ") + common_table_path + "; do not edit\n"
         "// The argument hlskit::hw::<kernel>::with_config(name, f) passes to f: the config's C++ type.\n"
         "#pragma once\n\nnamespace hlskit::hw {\n\ntemplate <class C>\nstruct config_tag {\n  using type = C;\n};\n\n}  // namespace hlskit::hw\n";
}

std::string render_common_pkg(const common_t& c) {
  std::ostringstream o;
  o << "// generated by tools/gen_regmap from " << common_table_path << "; do not edit\n"
    << "// " << c.summary << " (" << c.source << ").\n"
    << "// Byte offsets in s_axi_control (<Reg>Offset) and bit positions (<Reg><Field>Bit).\n"
    << "// Reference as hlskit_ap_ctrl_pkg::Name (Yosys 0.23 rejects import pkg::*).\n"
    << "// A package of constants: its users take what they need.\n/* verilator lint_off UNUSEDPARAM */\n"
    << "package hlskit_ap_ctrl_pkg;\n\n";
  for (const auto& g : c.regs) {
    o << localparam(camel(g.name) + "Offset", sv_hex(g.offset), g.doc);
    for (const auto& f : g.fields) o << localparam(camel(g.name) + camel(f.name) + "Bit", std::to_string(f.bit), f.doc);
  }
  o << localparam("ArgsOffset", sv_hex(c.args_offset), "the first argument register") << "\nendpackage\n/* verilator lint_on UNUSEDPARAM */\n";
  return o.str();
}

std::string render_kernel_h(const kernel_t& k, const common_t& c) {
  const std::string X = "X" + upper(k.name);
  std::ostringstream o;
  o << "/* generated by tools/gen_regmap from " << kernel_table_path(k) << "; do not edit */\n"
    << "/* " << k.name << ": " << c_doc(k.summary) << " (" << c_doc(k.source) << ").\n"
    << " * RTL top " << k.top << ": s_axi_control register map (byte offsets), parameter windows, stream\n"
    << " * layouts and per-config constants. Valid C99 and C++.\n *\n"
    << " * Memory layout of a stream: an item is its AXI4-Stream beats in order, each beat stored as\n"
    << " * ceil(TDATA width / 8) bytes, little-endian (TDATA bit b at byte b / 8, bit b % 8), pad bits zero.\n";
  for (const auto& s : k.streams)
    o << " *   " << s.name << ": TDATA " << s.tdata_bits << " bits, "
      << (s.beats.empty() ? std::string() : s.beats + " beats per item; ") << c_doc(s.doc) << "\n";
  o << " * Windows (parameter memories): entry i at X_CONTROL_ADDR_<WIN>_BASE + i * X_CONTROL_BYTES_<WIN>_ENTRY;\n"
    << " * words within an entry in increasing address order.\n";
  for (const auto& w : k.windows)
    o << " *   " << w.name << ": " << w.entries << " entries of " << w.entry_bytes << " bytes; " << c_doc(w.doc) << "\n";
  o << " */\n#ifndef HLSKIT_HW_" << upper(k.name) << "_HW_H\n#define HLSKIT_HW_" << upper(k.name) << "_HW_H\n\n"
    << "/* ap_ctrl_hs (" << common_table_path << ") */\n";
  for (const auto& g : c.regs) {
    o << define(X + "_CONTROL_ADDR_" + upper(g.name), hex(g.offset, 2), c_doc(g.doc));
    for (const auto& f : g.fields) o << define(X + "_CONTROL_" + field_macro(g, f), hex(1ull << f.bit, 2) + "u", c_doc(f.doc));
  }
  o << "\n/* arguments */\n";
  for (const auto& g : k.regs) {
    o << define(X + "_CONTROL_ADDR_" + upper(g.name) + "_DATA", hex(g.offset, 2), c_doc(g.doc));
    o << define(X + "_CONTROL_BITS_" + upper(g.name) + "_DATA", std::to_string(g.bits));
  }
  o << "\n/* parameter windows */\n";
  for (const auto& w : k.windows) {
    o << define(X + "_CONTROL_ADDR_" + upper(w.name) + "_BASE", hex(w.offset), c_doc(w.doc));
    o << define(X + "_CONTROL_BYTES_" + upper(w.name) + "_ENTRY", std::to_string(w.entry_bytes));
  }
  for (const auto& cf : k.configs) {
    const std::string P = X + "_" + upper(cf.name);
    o << "\n/* config " << cf.name << (cf.named ? "" : " (test only)") << ": " << c_doc(cf.summary) << " */\n";
    for (const auto& p : k.parameters) o << define(P + "_" + snake_upper(p), std::to_string(cf.rtl.at(p)), "RTL parameter " + p);
    for (std::size_t w = 0; w < k.windows.size(); ++w)
      o << define(P + "_" + upper(k.windows[w].name) + "_ENTRIES", std::to_string(cf.window_entries[w]));
    o << define(P + "_ADDR_WIDTH", std::to_string(cf.addr_width), "s_axi_control address bits");
    for (std::size_t s = 0; s < k.streams.size(); ++s) {
      const auto& v = cf.streams[s];
      const std::string S = P + "_" + upper(k.streams[s].name);
      o << define(S + "_TDATA_BITS", std::to_string(v.tdata_bits));
      o << define(S + "_BEAT_BYTES", std::to_string((v.tdata_bits + 7) / 8));
      if (v.beats) {
        o << define(S + "_BEATS", std::to_string(*v.beats));
        o << define(S + "_ITEM_BYTES", std::to_string(*v.beats * ((v.tdata_bits + 7) / 8)));
      }
    }
    o << define(P + "_CLOCK_MHZ", clock_text(cf.clock_mhz), c_doc(cf.clock_doc));
  }
  o << "\n#endif\n";
  return o.str();
}

std::string render_kernel_pkg(const kernel_t& k, const common_t& c) {
  std::ostringstream o;
  o << "// generated by tools/gen_regmap from " << kernel_table_path(k) << "; do not edit\n"
    << "// " << k.name << " (" << k.top << "): the s_axi_control register map. Byte offsets; <Reg>Arg is the\n"
    << "// argument's index in hlskit_axil_ctrl's args (from hlskit_ap_ctrl_pkg::ArgsOffset). Per config:\n"
    << "// the RTL parameters and what follows from them. Reference as " << k.name << "_regs_pkg::Name.\n"
    << "// A package of constants: its users take what they need.\n/* verilator lint_off UNUSEDPARAM */\n"
    << "package " << k.name << "_regs_pkg;\n\n  // Arguments\n";
  std::uint32_t last = c.args_offset;
  for (const auto& g : k.regs) {
    o << localparam(camel(g.name) + "Offset", sv_hex(g.offset), g.doc);
    o << localparam(camel(g.name) + "Bits", std::to_string(g.bits));
    o << localparam(camel(g.name) + "Arg", std::to_string((g.offset - c.args_offset) / 4));
    last = std::max(last, g.offset + 4);
  }
  o << localparam("NumArgs", std::to_string((last - c.args_offset) / 4), "argument registers from ArgsOffset") << "\n  // Windows\n";
  for (const auto& w : k.windows) {
    o << localparam(camel(w.name) + "Base", sv_hex(w.offset), w.entries + " entries");
    o << localparam(camel(w.name) + "EntryBytes", std::to_string(w.entry_bytes));
  }
  for (const auto& cf : k.configs) {
    const std::string P = camel(cf.name);
    o << "\n  // config " << cf.name << (cf.named ? "" : " (test only)") << ": " << cf.summary << "\n";
    for (const auto& p : k.parameters) o << localparam(P + p, std::to_string(cf.rtl.at(p)));
    for (std::size_t w = 0; w < k.windows.size(); ++w)
      o << localparam(P + camel(k.windows[w].name) + "Entries", std::to_string(cf.window_entries[w]));
    o << localparam(P + "AddrWidth", std::to_string(cf.addr_width));
    for (std::size_t s = 0; s < k.streams.size(); ++s)
      o << localparam(P + camel(k.streams[s].name) + "TdataBits", std::to_string(cf.streams[s].tdata_bits));
    o << localparam(P + "ClockKhz", std::to_string(static_cast<long long>(std::llround(cf.clock_mhz * 1000))), cf.clock_doc);
  }
  o << "\nendpackage\n/* verilator lint_on UNUSEDPARAM */\n";
  return o.str();
}

std::string render_configs_hpp(const kernel_t& k) {
  std::ostringstream o;
  o << "// generated by tools/gen_regmap from " << kernel_table_path(k) << "; do not edit\n"
    << "// The named configs of " << k.name << " (default first) and their C++ types.\n"
    << "#pragma once\n\n#include <string_view>\n\n#include \"hlskit/hw/config_tag.hpp\"\n#include \"" << k.name
    << "/config.hpp\"\n\nnamespace hlskit::hw::" << k.name << " {\n\n"
    << "struct config_info {\n  const char* name;\n  const char* summary;\n  double clock_mhz;\n};\n\n"
    << "inline constexpr config_info configs[] = {\n";
  for (const auto& cf : k.configs)
    if (cf.named) o << "    {" << c_string(cf.name) << ", " << c_string(cf.summary) << ", " << clock_text(cf.clock_mhz) << "},\n";
  o << "};\n\n"
    << "// Calls f(config_tag<C>{}) for the named config called `name`; false when there is none.\n"
    << "template <class F>\nbool with_config(std::string_view name, F&& f) {\n";
  for (const auto& cf : k.configs) {
    if (!cf.named) continue;
    const std::string type = cf.cpp.rfind("::", 0) == 0 ? cf.cpp : "::" + cf.cpp;
    o << "  if (name == " << c_string(cf.name) << ") {\n    f(config_tag<" << type << ">{});\n    return true;\n  }\n";
  }
  o << "  return false;\n}\n\n}  // namespace hlskit::hw::" << k.name << "\n";
  return o.str();
}

void write_atomically(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error(tmp.string() + ": cannot write");
    }
  }
  fs::rename(tmp, path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generates K_hw.h, K_configs.hpp and K_regs_pkg.sv from the kernels' register tables"};
  std::string common_file, out_dir;
  std::vector<std::string> kernel_files;
  app.add_option("--common", common_file, "the ap_ctrl_hs table (rtl/common/ap_ctrl_hs.json)")->required();
  app.add_option("--kernel", kernel_files, "a kernel table (hls/kernels/K/K.json); repeatable");
  app.add_option("--out", out_dir, "the root the files are written under (the source tree)")->required();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::pair<std::string, std::string>> files;  // repository path, contents
  try {
    const common_t common = read_common(common_file);
    files.emplace_back("host/include/hlskit/hw/ap_ctrl_hs_hw.h", render_common_h(common));
    files.emplace_back("host/include/hlskit/hw/config_tag.hpp", render_config_tag());
    files.emplace_back("rtl/common/hlskit_ap_ctrl_pkg.sv", render_common_pkg(common));
    std::set<std::string> seen;
    for (const auto& f : kernel_files) {
      const kernel_t k = read_kernel(f, common);
      if (!seen.insert(k.name).second) throw table_error(f + ": kernel '" + k.name + "' is given twice");
      files.emplace_back("host/include/hlskit/hw/" + k.name + "_hw.h", render_kernel_h(k, common));
      files.emplace_back("host/include/hlskit/hw/" + k.name + "_configs.hpp", render_configs_hpp(k));
      files.emplace_back("rtl/" + k.name + "/" + k.name + "_regs_pkg.sv", render_kernel_pkg(k, common));
    }
  } catch (const table_error& e) {
    std::cerr << "hlskit_gen_regmap: " << e.what() << "\n";
    return 2;
  }
  try {
    for (const auto& [rel, text] : files) write_atomically(fs::path(out_dir) / rel, text);
  } catch (const std::exception& e) {
    std::cerr << "hlskit_gen_regmap: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
