// `hlskit export`: see export_cli.hpp and docs/EXPORT.md.
#include "export_cli.hpp"

#include "kernels.hpp"

#include <hlskit/kernel.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace hlskit::cli::export_cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// ---- where the sources are ---------------------------------------------------------------------

std::string source_dir() {
  if (const char* d = std::getenv("HLSKIT_SOURCE_DIR"); d != nullptr && *d != '\0') return d;
  return HLSKIT_SOURCE_DIR;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw usage_error(fmt::format("cannot read '{}' (the hlskit sources: set HLSKIT_SOURCE_DIR to the source tree)", p.string()));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw usage_error(fmt::format("cannot read '{}'", p.string()));
  return s.str();
}

json read_json(const fs::path& p) {
  try {
    return json::parse(read_text(p));
  } catch (const json::exception& e) {
    throw usage_error(fmt::format("{}: {}", p.string(), e.what()));
  }
}

// ---- templates: {{name}} is a value; {{#list}}...{{/list}} repeats for each item of a list (its
// fields as names, the outer names still visible); {{^list}}...{{/list}} appears when it is empty.
// A name without a value is an error (a misspelt placeholder never leaves a hole). ---------------

struct context {
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> lists;
};

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string render(const std::string& text, const context& ctx, const std::string& file,
                   const std::map<std::string, std::string>* item = nullptr) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("{{", i);
    if (open == std::string::npos) {
      out.append(text, i, std::string::npos);
      break;
    }
    std::size_t p = open + 2;
    const char kind = p < text.size() && (text[p] == '#' || text[p] == '^' || text[p] == '/') ? text[p] : '\0';
    if (kind != '\0') ++p;
    const std::size_t name_start = p;
    while (p < text.size() && name_char(text[p])) ++p;
    if (p == name_start || text.compare(p, 2, "}}") != 0) {  // not a placeholder ("{{{x}}}" is "{" + x + "}")
      out.append(text, i, open + 1 - i);
      i = open + 1;
      continue;
    }
    out.append(text, i, open - i);
    const std::string name = text.substr(name_start, p - name_start);
    i = p + 2;
    if (kind == '/') throw std::logic_error(file + ": {{/" + name + "}} without its section");
    if (kind == '#' || kind == '^') {
      const std::string close = "{{/" + name + "}}";
      const std::size_t end = text.find(close, i);
      if (end == std::string::npos) throw std::logic_error(file + ": {{" + kind + name + "}} is not closed");
      const std::string body = text.substr(i, end - i);
      i = end + close.size();
      const auto it = ctx.lists.find(name);
      if (it == ctx.lists.end()) throw std::logic_error(file + ": no list called '" + name + "'");
      if (kind == '^') {
        if (it->second.empty()) out += render(body, ctx, file, item);
      } else {
        for (const auto& entry : it->second) out += render(body, ctx, file, &entry);
      }
      continue;
    }
    if (item != nullptr) {
      if (const auto v = item->find(name); v != item->end()) {
        out += v->second;
        continue;
      }
    }
    const auto v = ctx.values.find(name);
    if (v == ctx.values.end()) throw std::logic_error(file + ": no value for {{" + name + "}}");
    out += v->second;
  }
  return out;
}

// ---- the part families (constraints/parts.json) -----------------------------------------------

// A part the nextpnr flow places and routes (parts.json "devices"): nextpnr's device options, the
// PCF template and the chip top's pins.
struct device {
  std::string pattern, nextpnr, pcf, yosys, board, pin_clk, pin_rst;
  std::vector<std::string> pin_sig;
};

struct family {
  std::string name, title, example, constraints, constraints_doc, yosys, yosys_doc, quartus_family, clock_buffer;
  std::vector<std::string> patterns, vendors;
  std::vector<device> devices;
};

struct parts_table {
  std::vector<family> families;
  double io_delay_fraction = 0, clock_min = 0, clock_max = 0;
};

std::string str_or(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

parts_table read_parts(const fs::path& file) {
  const json j = read_json(file);
  parts_table t;
  try {
    t.io_delay_fraction = j.at("io_delay_fraction").get<double>();
    t.clock_min = j.at("clock_mhz").at("min").get<double>();
    t.clock_max = j.at("clock_mhz").at("max").get<double>();
    for (const json& f : j.at("families")) {
      family x;
      x.name = f.at("name").get<std::string>();
      x.title = f.at("title").get<std::string>();
      x.example = f.at("example").get<std::string>();
      x.patterns = f.at("patterns").get<std::vector<std::string>>();
      x.vendors = f.at("vendors").get<std::vector<std::string>>();
      x.constraints = str_or(f, "constraints");
      x.constraints_doc = str_or(f, "constraints_doc");
      x.yosys = f.at("yosys").get<std::string>();
      x.yosys_doc = str_or(f, "yosys_doc");
      x.quartus_family = str_or(f, "quartus_family");
      x.clock_buffer = str_or(f, "clock_buffer");
      if (const auto d = f.find("devices"); d != f.end())
        for (const json& e : *d) {
          device dev;
          dev.pattern = e.at("pattern").get<std::string>();
          dev.nextpnr = e.at("nextpnr").get<std::string>();
          dev.pcf = e.at("pcf").get<std::string>();
          dev.yosys = e.at("yosys").get<std::string>();
          dev.board = e.at("board").get<std::string>();
          dev.pin_clk = e.at("pins").at("ap_clk").get<std::string>();
          dev.pin_rst = e.at("pins").at("ap_rst_n").get<std::string>();
          dev.pin_sig = e.at("pins").at("sig_o").get<std::vector<std::string>>();
          if (dev.pin_sig.empty() || dev.pin_sig.size() > 32)
            throw usage_error(fmt::format("{}: device {}: sig_o takes 1..32 pins", file.string(), dev.pattern));
          x.devices.push_back(dev);
        }
      t.families.push_back(x);
    }
  } catch (const json::exception& e) {
    throw usage_error(fmt::format("{}: {}", file.string(), e.what()));
  }
  return t;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const family& family_of(const parts_table& t, const std::string& part) {
  // A part number: letters, digits and '-' (Xilinx: xc7z020clg400-1; Intel: 5CGXFC7C7F23C8).
  bool ok = !part.empty() && part.size() <= 64;
  for (char c : part) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-');
  if (ok)
    for (const family& f : t.families)
      for (const std::string& p : f.patterns)
        if (std::regex_search(part, std::regex("^(" + p + ")", std::regex::icase))) return f;
  std::string known;
  for (const family& f : t.families) known += fmt::format("{}{} (e.g. {})", known.empty() ? "" : "; ", f.name, f.example);
  throw usage_error(fmt::format("--part: '{}' is not a part of a known family (constraints/parts.json: {})", part, known));
}

// ---- the clock ---------------------------------------------------------------------------------

// MHz as a plain decimal ("100", "156.25"), within the table's range.
double parse_clock(const std::string& text, const parts_table& t) {
  static const std::regex decimal("^[0-9]{1,6}(\\.[0-9]{1,6})?$");
  const std::string range = fmt::format("a decimal number of MHz in {}..{}", t.clock_min, t.clock_max);
  if (!std::regex_match(text, decimal)) throw usage_error(fmt::format("--clock: '{}' is not {}", text, range));
  const double mhz = std::strtod(text.c_str(), nullptr);
  if (!(mhz >= t.clock_min && mhz <= t.clock_max)) throw usage_error(fmt::format("--clock: {} MHz is not {}", text, range));
  return mhz;
}

std::string number(double x) {  // at most 3 decimals, no trailing zeros
  std::string s = fmt::format("{:.3f}", x);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// ---- the kernel's table and generated header ---------------------------------------------------

struct kernel_table {
  std::string top;
  std::vector<fs::path> files;                            // in compile order
  std::vector<std::pair<fs::path, std::string>> mems;     // (file, the top's parameter taking its path)
  std::vector<std::pair<std::string, std::string>> params;  // the config's RTL parameters
  json registers, windows;
};

kernel_table read_table(const fs::path& root, const std::string& k, const std::string& config) {
  const fs::path file = root / "hls/kernels" / k / (k + ".json");
  const json j = read_json(file);
  kernel_table t;
  try {
    const json& rtl = j.at("rtl");
    t.top = rtl.at("top").get<std::string>();
    t.files.push_back(root / "rtl/common/hlskit_ap_ctrl_pkg.sv");
    t.files.push_back(root / "rtl" / k / (k + "_regs_pkg.sv"));
    for (const json& f : rtl.at("common")) t.files.push_back(root / "rtl/common" / f.get<std::string>());
    for (const json& f : rtl.at("files")) t.files.push_back(root / "rtl" / k / f.get<std::string>());
    for (const json& m : rtl.at("mem"))
      t.mems.emplace_back(root / "rtl/common" / m.at("file").get<std::string>(), m.at("parameter").get<std::string>());
    const json* cfg = nullptr;
    for (const json& c : j.at("configs"))
      if (c.at("name").get<std::string>() == config) cfg = &c;
    if (cfg == nullptr) throw usage_error(fmt::format("{}: no config '{}'", file.string(), config));
    for (const json& p : j.at("parameters")) {
      const std::string name = p.get<std::string>();
      t.params.emplace_back(name, std::to_string(cfg->at("rtl").at(name).get<long long>()));
    }
    t.registers = j.at("registers");
    t.windows = j.at("windows");
  } catch (const json::exception& e) {
    throw usage_error(fmt::format("{}: {}", file.string(), e.what()));
  }
  for (const fs::path& f : t.files)
    if (!fs::is_regular_file(f)) throw usage_error(fmt::format("{}: '{}' does not exist", file.string(), f.string()));
  for (const auto& m : t.mems)
    if (!fs::is_regular_file(m.first)) throw usage_error(fmt::format("{}: '{}' does not exist", file.string(), m.first.string()));
  return t;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A per-config constant of the generated K_hw.h: #define X<K>_<CONFIG>_<NAME> <integer>.
long header_constant(const std::string& header, const std::string& file, const std::string& name) {
  const std::regex re("#define[ \t]+" + name + "[ \t]+([0-9]+)");
  std::smatch m;
  if (!std::regex_search(header, m, re)) throw usage_error(fmt::format("{}: no {}", file, name));
  return std::stol(m[1].str());
}

// ---- the tree ----------------------------------------------------------------------------------

// The private directory the tree is built in, beside DIR; removed unless committed.
class staging_dir {
 public:
  explicit staging_dir(const fs::path& target) {
    std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".export-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw usage_error(fmt::format("--out: cannot create a directory beside '{}': {}", target.string(), std::strerror(errno)));
    path_ = pattern;
  }
  ~staging_dir() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& rel, const std::string& bytes) {
    const fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    out.close();
    if (!out) throw usage_error(fmt::format("--out: cannot write '{}'", p.string()));
  }
  // Renames the tree to `target` (an empty or absent directory, or with `replace` any directory,
  // swapped atomically and the old tree removed afterwards).
  void commit(const fs::path& target, bool replace) {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(path_.c_str(), 0777 & ~mask);
    if (::rename(path_.c_str(), target.c_str()) == 0) {
      path_.clear();
      return;
    }
    if (!replace || (errno != ENOTEMPTY && errno != EEXIST))
      throw usage_error(fmt::format("--out: cannot put the tree in place at '{}': {}", target.string(), std::strerror(errno)));
    // Swap the new tree and the old one, then remove the old one (now at the staging path).
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
      throw usage_error(fmt::format("--out: cannot replace '{}': {}", target.string(), std::strerror(errno)));
  }

 private:
  fs::path path_;
};

// SIGINT, SIGTERM and SIGHUP held back while the tree is built and put in place (well under a
// second): one arriving meanwhile takes effect once the staging directory is gone or committed.
class signals_held {
 public:
  signals_held() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~signals_held() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  signals_held(const signals_held&) = delete;
  signals_held& operator=(const signals_held&) = delete;

 private:
  sigset_t old_{};
};

struct port {
  std::string name, direction;
  int bits = 1;
  bool bus = false;
};

// The ports of the rendered wrapper (its own fixed format: "input  logic [N:0] name").
std::vector<port> ports_of(const std::string& wrapper) {
  static const std::regex re("^[ \t]*(input|output)[ \t]+logic[ \t]*(\\[([0-9]+):0\\])?[ \t]*([A-Za-z_][A-Za-z0-9_]*)");
  std::vector<port> ports;
  std::istringstream in(wrapper);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, re)) continue;
    port p;
    p.direction = m[1].str();
    p.bus = m[2].matched;
    p.bits = p.bus ? std::stoi(m[3].str()) + 1 : 1;
    p.name = m[4].str();
    ports.push_back(p);
  }
  return ports;
}

std::string hex32(std::uint32_t v) { return fmt::format("{:08x}", v); }

int run_checked(const options& o) {
  // Names first: kernel and config (the declaration lists the choices).
  const kernel_decl* kernel = nullptr;
  try {
    kernel = &find_kernel(o.kernel);
  } catch (const hlskit::error& e) {
    throw usage_error(e.what());
  }
  const std::string config = config_of(command{"export", o.kernel, o.config});
  const config_decl& cdecl = kernel->config(config);

  const fs::path root = source_dir();
  const parts_table parts = read_parts(root / "constraints/parts.json");
  const family& fam = family_of(parts, o.part);
  const double mhz = parse_clock(o.clock, parts);
  const std::string vendor = o.vendor.empty() ? fam.vendors.front() : o.vendor;
  if (std::find(fam.vendors.begin(), fam.vendors.end(), vendor) == fam.vendors.end()) {
    std::string v;
    for (const auto& x : fam.vendors) v += (v.empty() ? "" : ", ") + x;
    throw usage_error(fmt::format("--vendor: {} does not take part '{}' ({}: {})", vendor, o.part, fam.title, v));
  }
  // The nextpnr flow needs the device's options, PCF template and pins.
  const device* dev = nullptr;
  if (vendor == "nextpnr") {
    std::string known;
    for (const device& d : fam.devices) {
      if (dev == nullptr && std::regex_search(o.part, std::regex("^(" + d.pattern + ")", std::regex::icase))) dev = &d;
      known += (known.empty() ? "" : ", ") + d.pattern;
    }
    if (dev == nullptr)
      throw usage_error(fmt::format("--vendor: nextpnr has no device entry for part '{}' (constraints/parts.json: {}; "
                                    "--vendor yosys synthesizes for any {} part)",
                                    o.part, known.empty() ? "none" : known, fam.name));
  }

  // The output directory: absent or empty, or any directory with --force; its parent exists.
  if (o.out.empty()) throw usage_error("--out: expected a directory");
  const fs::path out = fs::absolute(fs::path(o.out)).lexically_normal();
  const fs::path target = out.has_filename() ? out : out.parent_path();
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode))
      throw usage_error(fmt::format("--out: '{}' is a symbolic link (give the directory itself)", o.out));
    if (!S_ISDIR(st.st_mode)) throw usage_error(fmt::format("--out: '{}' exists and is not a directory", o.out));
    if (!fs::is_empty(target) && !o.force)
      throw usage_error(fmt::format("--out: '{}' is not empty (--force replaces it)", o.out));
  } else if (errno != ENOENT) {
    throw usage_error(fmt::format("--out: '{}': {}", o.out, std::strerror(errno)));
  }
  const fs::path parent = target.parent_path();
  if (!fs::is_directory(parent)) throw usage_error(fmt::format("--out: directory '{}' does not exist", parent.string()));
  if (::access(parent.c_str(), W_OK | X_OK) != 0)
    throw usage_error(fmt::format("--out: directory '{}' is not writable", parent.string()));
  if (!o.model.empty() && ::access(o.model.c_str(), R_OK) != 0)
    throw usage_error(fmt::format("--model: cannot read '{}': {}", o.model, std::strerror(errno)));

  // The kernel's table, register map and model.
  const kernel_table table = read_table(root, o.kernel, config);
  const fs::path header_file = root / "host/include/hlskit/hw" / (o.kernel + "_hw.h");
  const std::string header = read_text(header_file);
  const std::string prefix = "X" + upper(o.kernel) + "_" + upper(config) + "_";
  const long addr_bits = header_constant(header, header_file.string(), prefix + "ADDR_WIDTH");
  const long in_bits = header_constant(header, header_file.string(), prefix + "IN_R_TDATA_BITS");
  const long out_bits = header_constant(header, header_file.string(), prefix + "OUT_R_TDATA_BITS");
  std::unique_ptr<loaded_model> model;
  try {
    model = kernel->load(config, o.model);
  } catch (const hlskit::error& e) {
    throw usage_error(e.what());
  }
  if (model->input().beat_bits != static_cast<unsigned>(in_bits) || model->output().beat_bits != static_cast<unsigned>(out_bits))
    throw std::logic_error(fmt::format("{}: the stream widths ({}, {}) differ from the model's ({}, {})",
                                       header_file.string(), in_bits, out_bits, model->input().beat_bits,
                                       model->output().beat_bits));
  // Side input streams (sparse_llm's weights `w`): the wrapper passes them through, their widths
  // from the register map like in_r's.
  const std::vector<side_input> side = model->side_inputs(0);
  for (const side_input& si : side)
    if (header_constant(header, header_file.string(), prefix + upper(si.name) + "_TDATA_BITS") != static_cast<long>(si.beat_bits))
      throw std::logic_error(fmt::format("{}: the width of {} differs from the model's ({})", header_file.string(), si.name,
                                         si.beat_bits));
  if (vendor == "nextpnr" && !side.empty())
    throw usage_error(fmt::format("--vendor nextpnr: {} reads a side input stream ({}) that the iCE40 harness "
                                  "(rtl/pnr/hlskit_axi_harness.sv) does not drive",
                                  o.kernel, side.front().name));
  const std::vector<register_write> writes = model->registers();
  // The embedded default is named by its place under models/ (not by this machine's path).
  const std::string model_name =
      o.model.empty()
          ? "embedded default models/" + fs::path(kernel->default_model(config)).lexically_relative(models_dir()).string()
          : o.model;

  // The values every template sees.
  const std::string top = o.kernel + "_" + config + "_top";
  const fs::path templates = root / "tools/hlskit/templates/export";
  context ctx;
  auto& v = ctx.values;
  v["kernel"] = o.kernel;
  v["config"] = config;
  v["summary"] = cdecl.summary;
  v["kernel_summary"] = kernel->summary;
  v["kernel_top"] = table.top;
  v["top"] = top;
  v["part"] = o.part;
  v["family"] = fam.name;
  v["family_title"] = fam.title;
  v["vendor"] = vendor;
  v["clock_mhz"] = number(mhz);
  v["clock_hz"] = fmt::format("{:.0f}", mhz * 1e6);
  v["period_ns"] = number(1000.0 / mhz);
  v["io_delay_ns"] = number(1000.0 / mhz * parts.io_delay_fraction);
  v["io_delay_percent"] = number(parts.io_delay_fraction * 100);
  v["config_clock_mhz"] = number(cdecl.clock_mhz);
  v["addr_msb"] = std::to_string(addr_bits - 1);
  v["in_msb"] = std::to_string(in_bits - 1);
  v["out_msb"] = std::to_string(out_bits - 1);
  v["yosys_synth"] = fam.yosys;
  v["yosys_doc"] = fam.yosys_doc;
  v["quartus_family"] = fam.quartus_family;
  v["clock_buffer"] = fam.clock_buffer;
  v["constraints_doc"] = fam.constraints_doc;
  v["model"] = model_name;
  v["model_writes"] = std::to_string(writes.size());
  v["header"] = o.kernel + "_hw.h";
  v["hw_prefix"] = "X" + upper(o.kernel);
  v["count_offset"] = fmt::format("0x{:02x}", kernel->count_offset);
  v["constraints_file"] = "";
  // Every list exists, empty or not (an unknown list in a template is an error).
  for (const char* name : {"parameters", "mem_parameters", "mem_files", "registers", "windows", "input_ports",
                           "output_ports", "virtual_pins", "files", "side_streams"})
    ctx.lists[name];
  for (const side_input& si : side)
    ctx.lists["side_streams"].push_back({{"name", si.name}, {"msb", std::to_string(si.beat_bits - 1)}});
  for (const auto& p : table.params) ctx.lists["parameters"].push_back({{"name", p.first}, {"value", p.second}});
  for (std::size_t i = 0; i < table.mems.size(); ++i) {
    const std::string name = table.mems[i].first.filename().string();
    ctx.lists["mem_parameters"].push_back({{"name", table.mems[i].second}, {"value", "\"mem/" + name + "\""}});
    ctx.lists["mem_files"].push_back({{"path", "mem/" + name}});
  }
  // The parameters and the .mem paths, one list for the wrapper (commas between, none after).
  std::vector<std::map<std::string, std::string>> all_params = ctx.lists["parameters"];
  for (const auto& m : ctx.lists["mem_parameters"]) all_params.push_back(m);
  for (std::size_t i = 0; i < all_params.size(); ++i) all_params[i]["comma"] = i + 1 < all_params.size() ? "," : "";
  ctx.lists["wrapper_parameters"] = all_params;
  for (const json& r : table.registers)
    ctx.lists["registers"].push_back({{"name", r.at("name").get<std::string>()},
                                      {"offset", r.at("offset").get<std::string>()},
                                      {"bits", std::to_string(r.at("bits").get<int>())},
                                      {"doc", r.at("doc").get<std::string>()}});
  for (const json& w : table.windows)
    ctx.lists["windows"].push_back({{"name", w.at("name").get<std::string>()},
                                    {"offset", w.at("offset").get<std::string>()},
                                    {"entry_bytes", std::to_string(w.at("entry_bytes").get<int>())},
                                    {"entries", w.at("entries").get<std::string>()},
                                    {"config_entries", std::to_string(header_constant(
                                                           header, header_file.string(),
                                                           prefix + upper(w.at("name").get<std::string>()) + "_ENTRIES"))},
                                    {"doc", w.at("doc").get<std::string>()}});
  const auto flag = [&](const char* name, bool on) {
    ctx.lists[name] = on ? std::vector<std::map<std::string, std::string>>{{}} : std::vector<std::map<std::string, std::string>>{};
  };
  flag("vivado", vendor == "vivado");
  flag("quartus", vendor == "quartus");
  flag("yosys_doc_given", !fam.yosys_doc.empty());
  flag("nextpnr", vendor == "nextpnr");
  v["in_bits"] = std::to_string(in_bits);
  v["out_bits"] = std::to_string(out_bits);
  v["addr_bits"] = std::to_string(addr_bits);
  const std::string chip_top = o.kernel + "_" + config + "_ice40";
  v["chip_top"] = chip_top;
  v["pcf_file"] = "constraints/" + chip_top + ".pcf";
  v["nextpnr_device"] = dev != nullptr ? dev->nextpnr : "";
  v["ice40_synth"] = dev != nullptr ? dev->yosys : "";
  v["board"] = dev != nullptr ? dev->board : "";
  v["pcf_template"] = dev != nullptr ? dev->pcf : "";
  v["pin_ap_clk"] = dev != nullptr ? dev->pin_clk : "";
  v["pin_ap_rst_n"] = dev != nullptr ? dev->pin_rst : "";
  const std::size_t sig_bits = dev != nullptr ? dev->pin_sig.size() : 0;
  v["sig_bits"] = std::to_string(sig_bits);
  v["sig_msb"] = std::to_string(sig_bits == 0 ? 0 : sig_bits - 1);
  v["chip_io_bits"] = std::to_string(sig_bits + 2);
  ctx.lists["sig_pins"];
  ctx.lists["ice40_files"];
  for (std::size_t i = 0; i < sig_bits; ++i)
    ctx.lists["sig_pins"].push_back({{"bit", std::to_string(i)}, {"pin", dev->pin_sig[i]}});

  // The wrapper first: the ports everything else names come from it.
  const std::string wrapper = render(read_text(templates / "wrapper.sv.in"), ctx, "wrapper.sv.in");
  const std::vector<port> ports = ports_of(wrapper);
  long io_bits = 0;
  for (const port& p : ports) {
    io_bits += p.bits;
    const std::string pattern = p.bus ? p.name + "[*]" : p.name;
    if (p.name == "ap_clk") continue;
    ctx.lists[p.direction == "input" ? "input_ports" : "output_ports"].push_back({{"port", pattern}});
    ctx.lists["virtual_pins"].push_back({{"port", pattern}});
  }
  v["io_bits"] = std::to_string(io_bits);

  // The files in compile order, the wrapper last.
  std::vector<std::string> rtl;
  for (const fs::path& f : table.files) rtl.push_back("rtl/" + f.filename().string());
  rtl.push_back("rtl/" + top + ".sv");
  for (const std::string& f : rtl) ctx.lists["files"].push_back({{"path", f}});
  // The nextpnr flow: the harness (rtl/pnr/ of the sources) and the chip top in rtl/ice40/, after
  // the kernel's files.
  static const char* const harness_files[] = {"hlskit_xor_fold.sv", "hlskit_lfsr.sv", "hlskit_misr.sv",
                                              "hlskit_axi_harness.sv"};
  if (dev != nullptr) {
    for (const std::string& f : rtl) ctx.lists["ice40_files"].push_back({{"path", f}});
    for (const char* f : harness_files) ctx.lists["ice40_files"].push_back({{"path", std::string("rtl/ice40/") + f}});
    ctx.lists["ice40_files"].push_back({{"path", "rtl/ice40/" + chip_top + ".sv"}});
  }

  const signals_held held;  // declared first: released after the staging directory is removed
  staging_dir tree(target);
  for (const fs::path& f : table.files) tree.write("rtl/" + f.filename().string(), read_text(f));
  tree.write("rtl/" + top + ".sv", wrapper);
  tree.write("rtl/filelist.f", render(read_text(templates / "filelist.f.in"), ctx, "filelist.f.in"));
  for (const auto& m : table.mems) tree.write("mem/" + m.first.filename().string(), read_text(m.first));

  // The model's parameter image: the AXI-Lite writes in order (params.csv), and the word image
  // ($readmemh, word address = byte offset / 4; "@" before every discontinuity).
  std::string csv = render(read_text(templates / "params.csv.in"), ctx, "params.csv.in");
  std::string mem = render(read_text(templates / "params.mem.in"), ctx, "params.mem.in");
  std::map<std::uint32_t, std::uint32_t> image;
  for (const register_write& w : writes) {
    csv += fmt::format("0x{},0x{}\n", hex32(w.offset), hex32(w.value));
    image[w.offset / 4] = w.value;
  }
  long next = -1;
  for (const auto& [word, value] : image) {
    if (static_cast<long>(word) != next) mem += fmt::format("@{}\n", hex32(word));
    mem += hex32(value) + "\n";
    next = static_cast<long>(word) + 1;
  }
  tree.write("mem/params.csv", csv);
  tree.write("mem/params.mem", mem);

  if (!fam.constraints.empty()) {
    const std::string ext = fs::path(fam.constraints).stem().extension().string();  // x.xdc.in -> .xdc
    v["constraints_file"] = "constraints/" + top + ext;
    tree.write(v["constraints_file"], render(read_text(root / "constraints" / fam.constraints), ctx, fam.constraints));
  }
  flag("constraints_given", !fam.constraints.empty());
  tree.write("include/" + o.kernel + "_hw.h", header);
  tree.write("scripts/yosys_synth.ys", render(read_text(templates / "yosys_synth.ys.in"), ctx, "yosys_synth.ys.in"));
  if (vendor == "vivado") {
    tree.write("scripts/vivado_build.tcl", render(read_text(templates / "vivado_build.tcl.in"), ctx, "vivado_build.tcl.in"));
    tree.write("scripts/vivado_package_ip.tcl",
               render(read_text(templates / "vivado_package_ip.tcl.in"), ctx, "vivado_package_ip.tcl.in"));
  }
  if (vendor == "quartus")
    tree.write("scripts/quartus_build.tcl", render(read_text(templates / "quartus_build.tcl.in"), ctx, "quartus_build.tcl.in"));
  if (dev != nullptr) {
    for (const char* f : harness_files) tree.write(std::string("rtl/ice40/") + f, read_text(root / "rtl/pnr" / f));
    tree.write("rtl/ice40/" + chip_top + ".sv", render(read_text(templates / "ice40_chip.sv.in"), ctx, "ice40_chip.sv.in"));
    tree.write("rtl/ice40/filelist.f", render(read_text(templates / "ice40_filelist.f.in"), ctx, "ice40_filelist.f.in"));
    tree.write(v["pcf_file"], render(read_text(root / "constraints" / dev->pcf), ctx, dev->pcf));
    tree.write("scripts/ice40_synth.ys", render(read_text(templates / "ice40_synth.ys.in"), ctx, "ice40_synth.ys.in"));
    tree.write("scripts/ice40_build.sh", render(read_text(templates / "ice40_build.sh.in"), ctx, "ice40_build.sh.in"));
  }
  tree.write("README.md", render(read_text(templates / "README.md.in"), ctx, "README.md.in"));

  tree.commit(target, o.force);
  std::printf("export %s/%s for %s (%s, %s) at %s MHz -> %s (top %s, %zu RTL files, %zu parameter writes)\n",
              o.kernel.c_str(), config.c_str(), o.part.c_str(), fam.name.c_str(), vendor.c_str(), number(mhz).c_str(),
              o.out.c_str(), top.c_str(), rtl.size(), writes.size());
  return 0;
}

}  // namespace

int run(const options& o) {
  try {
    return run_checked(o);
  } catch (const std::exception& e) {
    // Bad input (names, part, clock, directory, model) and anything else: one line, nothing written.
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::fprintf(stderr, "hlskit export: %s\n", what.c_str());
    return 2;
  }
}

std::function<int()> add(CLI::App& app) {
  auto o = std::make_shared<options>();
  auto* sub = app.add_subcommand("export", "export RTL, memory images, constraints and vendor scripts");
  sub->add_option("kernel", o->kernel, "kernel name (see hlskit list)")->required();
  sub->add_option("--config", o->config, "named config of the kernel (default: its first)");
  sub->add_option("--model", o->model, "model whose parameter image goes to mem/ (default: the config's embedded model)");
  sub->add_option("--out", o->out, "output directory (absent or empty; --force replaces a non-empty one)")->required();
  sub->add_option("--part", o->part, "FPGA part number, e.g. xc7z020clg400-1, xczu3eg-sbva484-1-e, 5CGXFC7C7F23C8")->required();
  sub->add_option("--clock", o->clock, "ap_clk in MHz (decimal, 1..1000)")->required();
  sub->add_option("--vendor", o->vendor, "vivado, quartus, nextpnr or yosys (default: the part family's first)")
      ->check(CLI::IsMember({"vivado", "quartus", "nextpnr", "yosys"}));
  sub->add_flag("--force", o->force, "replace a non-empty output directory");
  return [o] { return run(*o); };
}

}  // namespace hlskit::cli::export_cli
