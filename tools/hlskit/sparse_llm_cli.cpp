// `hlskit csim | cosim | train sparse_llm` and its part of `hlskit demo` (docs/kernels/sparse_llm.md).
//
// csim:  one layer, bit-exact: --model F.slw, or --matrix W.npy (R x K integer weight codes) with
//        --mask M.npy (R x K, nonzero = kept; N:M from --sparsity or from the mask) and
//        --precision int8|int4, optional --scales S.npy (R output scales; default: per row
//        127 / (128 sum_k |W[r][k]|), which no INT8 input can saturate); --input X.npy (n x K or
//        K, int8 codes) -> --output Y.npy (n x R int8 codes). Checked against the integer
//        reference: exit 1 on any difference.
// cosim: random layers and the corners (hlskit/sparse_llm/stimulus.hpp) at every N:M pattern and
//        precision asked for, --vectors per pattern and precision, without and with back-pressure;
//        the report gives vectors, mismatches, cycles and the efficiency of spec §7.
// train: --matrix W.npy (R x K float; default a seeded Gaussian --rows x --cols matrix) pruned to
//        N:M by magnitude (the N largest |w| of each block) and quantized per row (symmetric,
//        scale max|w| / 127 or / 7), the output scale chosen as for csim -> --output F.slw.
#include "sparse_llm_cli.hpp"

#include "cosim_cli.hpp"
#include "outputs.hpp"

#include <hlskit/hw/sparse_llm_configs.hpp>
#include <hlskit/npy.hpp>
#include <hlskit/sparse_llm/hardware.hpp>
#include <hlskit/sparse_llm/reference.hpp>
#include <hlskit/sparse_llm/stimulus.hpp>

#ifdef HLSKIT_HAVE_RTL
#include <sparse_llm/cosim.hpp>
#include <hlskit/verilated/sparse_llm_models.hpp>
#endif

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace hlskit::cli::sparse_llm_cli {

namespace sl = hlskit::sparse_llm;

namespace {

std::pair<int, int> parse_sparsity(const std::string& text) {
  const auto colon = text.find(':');
  int n = 0, m = 0;
  try {
    if (colon == std::string::npos) throw std::invalid_argument(text);
    std::size_t a = 0, b = 0;
    n = std::stoi(text.substr(0, colon), &a);
    m = std::stoi(text.substr(colon + 1), &b);
    if (a != colon || b != text.size() - colon - 1) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    throw usage_error("--sparsity: expected N:M (2:16, 4:16, ..., 16:16 or 2:4), found '" + text + "'");
  }
  const auto patterns = sl::patterns();
  if (std::find(patterns.begin(), patterns.end(), std::make_pair(n, m)) == patterns.end())
    throw usage_error("--sparsity: " + text + " is not a pattern the engine runs (N:16 with N = 2, 4, ..., 16, or 2:4)");
  return {n, m};
}

int parse_precision(const std::string& text) {
  if (text == "int8") return 8;
  if (text == "int4") return 4;
  throw usage_error("--precision: expected int8 or int4, found '" + text + "'");
}

template <class F>
auto with_config(const std::string& name, F&& f) {
  using R = decltype(f(sl::tiny{}));
  R r{};
  if (!hw::sparse_llm::with_config(name, [&](auto tag) { r = f(typename decltype(tag)::type{}); }))
    find_kernel("sparse_llm").config(name);  // throws, listing the configs
  return r;
}

// Integer codes of a .npy file, every one within [lo, hi]; `what` names it in errors.
std::vector<std::int64_t> read_codes(const std::string& path, const std::string& what, std::int64_t lo, std::int64_t hi,
                                     std::vector<std::size_t>& shape) {
  const npy::array a = npy::read(path);
  if (!npy::is_integer(a.type))
    throw usage_error(fmt::format("{} {}: {} values; expected integer codes ({}..{})", what, path, npy::type_name(a.type), lo, hi));
  auto v = a.as<std::int64_t>();
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] < lo || v[i] > hi)
      throw usage_error(fmt::format("{} {}: element {} is {}, outside {}..{}", what, path, i, v[i], lo, hi));
  shape = a.shape;
  return v;
}

// Per row: 127 / (128 sum_k |W[r][k]|), the largest scale no INT8 input saturates (0 for a zero row).
std::vector<double> safe_scales(const std::vector<std::int8_t>& w, int rows, int cols) {
  std::vector<double> s(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    double l1 = 0;
    for (int k = 0; k < cols; ++k) l1 += std::abs(w[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(k)]);
    s[static_cast<std::size_t>(r)] = l1 > 0 ? 127.0 / (128.0 * l1) : 0.0;
  }
  return s;
}

// The N:M pattern a mask keeps (every block the same count), or usage_error.
std::pair<int, int> pattern_of(const std::vector<std::uint8_t>& mask, int rows, int cols, const std::string& path) {
  for (int m : {16, 4}) {
    if (cols % m) continue;
    int n = -1;
    bool uniform = true;
    for (int r = 0; r < rows && uniform; ++r)
      for (int b = 0; b < cols / m && uniform; ++b) {
        int kept = 0;
        for (int i = 0; i < m; ++i) kept += mask[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(b * m + i)] != 0;
        if (n < 0) n = kept;
        uniform = kept == n;
      }
    const auto patterns = sl::patterns();
    if (uniform && std::find(patterns.begin(), patterns.end(), std::make_pair(n, m)) != patterns.end()) return {n, m};
  }
  throw usage_error("--mask " + path + ": not an N:M pattern the engine runs (every block of 16 keeping the same even "
                    "N, or every block of 4 keeping 2); give --sparsity N:M to see the first block that differs");
}

}  // namespace

// ---- csim ---------------------------------------------------------------------------------------

int csim(const command& cmd) {
  if (cmd.input.empty()) throw usage_error("--input X.npy is required");
  const bool from_matrix = !cmd.matrix.empty();
  if (from_matrix && !cmd.model.empty()) throw usage_error("--model and --matrix: give one layer, not both");
  if (from_matrix && cmd.mask.empty()) throw usage_error("--matrix needs --mask M.npy (nonzero = kept)");
  if (!from_matrix && (!cmd.mask.empty() || !cmd.scales.empty() || !cmd.precision.empty() || !cmd.sparsity.empty()))
    throw usage_error("--mask, --scales, --precision and --sparsity describe a --matrix; a --model carries its own");
  const std::string config = config_of(cmd);
  return with_config(config, [&](auto c) -> int {
    using C = decltype(c);
    file_plan files;
    files.input("--input", cmd.input);
    files.input("--model", cmd.model);
    files.input("--matrix", cmd.matrix);
    files.input("--mask", cmd.mask);
    files.input("--scales", cmd.scales);
    files.output("--output", cmd.output);
    files.output("--report", cmd.report);
    files.check();
    sl::packed_matrix p;
    if (from_matrix) {
      const int precision = parse_precision(cmd.precision.empty() ? "int8" : cmd.precision);
      std::vector<std::size_t> ws, ms;
      const auto wc = read_codes(cmd.matrix, "--matrix", precision == 4 ? -8 : -128, precision == 4 ? 7 : 127, ws);
      const auto mc = read_codes(cmd.mask, "--mask", 0, 1, ms);
      if (ws.size() != 2) throw usage_error("--matrix " + cmd.matrix + ": shape " + npy::shape_string(ws) + ", expected (R, K)");
      if (ms != ws)
        throw usage_error("--mask " + cmd.mask + ": shape " + npy::shape_string(ms) + ", the matrix's is " + npy::shape_string(ws));
      const int rows = static_cast<int>(ws[0]), cols = static_cast<int>(ws[1]);
      std::vector<std::int8_t> w(wc.begin(), wc.end());
      std::vector<std::uint8_t> mask(mc.begin(), mc.end());
      const auto [n, m] = cmd.sparsity.empty() ? pattern_of(mask, rows, cols, cmd.mask) : parse_sparsity(cmd.sparsity);
      std::vector<double> scales;
      if (cmd.scales.empty()) {
        std::vector<std::int8_t> kept(w.size());
        for (std::size_t i = 0; i < w.size(); ++i) kept[i] = mask[i] ? w[i] : 0;
        scales = safe_scales(kept, rows, cols);
      } else {
        const npy::array s = npy::read(cmd.scales);
        if (s.shape != std::vector<std::size_t>{ws[0]})
          throw usage_error("--scales " + cmd.scales + ": shape " + npy::shape_string(s.shape) + ", expected (" + std::to_string(rows) + ",)");
        scales = s.as<double>();
      }
      p = sl::pack_dense({rows, cols, n, m, precision, 0}, w, mask, scales, C::max_rows, C::max_cols, cmd.matrix);
    } else {
      p = sl::read_file(cmd.model.empty() ? sl::default_model_path(config) : cmd.model, C::max_rows, C::max_cols);
    }
    const sl::shape& sh = p.layer;
    std::vector<std::size_t> xs;
    const auto xc = read_codes(cmd.input, "--input", -128, 127, xs);
    const std::size_t n = xs.size() == 1 ? 1 : xs.size() == 2 ? xs[0] : 0;
    if (n == 0 || xs.back() != static_cast<std::size_t>(sh.cols))
      throw usage_error(fmt::format("--input {}: shape {}, expected (n, {}) or ({},)", cmd.input, npy::shape_string(xs), sh.cols, sh.cols));
    std::vector<std::uint8_t> x(xc.size()), y(n * static_cast<std::size_t>(sh.rows));
    for (std::size_t i = 0; i < xc.size(); ++i) x[i] = static_cast<std::uint8_t>(xc[i]);
    const auto beats = sl::weight_beats<C>(p);
    const auto t0 = std::chrono::steady_clock::now();
    sl::run_items<C>(sh, beats, x.data(), y.data(), n);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t differ = 0;
    for (std::size_t v = 0; v < n; ++v) {
      const auto ref = sl::reference_integer(p, reinterpret_cast<const std::int8_t*>(x.data()) + v * static_cast<std::size_t>(sh.cols));
      for (int r = 0; r < sh.rows; ++r)
        differ += static_cast<std::int8_t>(y[v * static_cast<std::size_t>(sh.rows) + static_cast<std::size_t>(r)]) != ref[static_cast<std::size_t>(r)];
    }
    const double macs = static_cast<double>(sl::useful_macs(sh, n));
    nlohmann::json report = {{"kernel", "sparse_llm"}, {"config", config}, {"rows", sh.rows}, {"cols", sh.cols},
                             {"sparsity", fmt::format("{}:{}", sh.sparsity, sh.block)}, {"precision", sh.precision},
                             {"scale_shift", sh.scale_shift}, {"vectors", n}, {"outputs_differing_from_reference", differ},
                             {"seconds", seconds}, {"useful_macs_per_second", seconds > 0 ? macs / seconds : 0.0}};
    staged_outputs staged;
    if (!cmd.output.empty()) {
      std::vector<std::int8_t> out(y.begin(), y.end());
      npy::write(staged.stage(cmd.output), xs.size() == 1 ? std::vector<std::size_t>{static_cast<std::size_t>(sh.rows)}
                                                         : std::vector<std::size_t>{n, static_cast<std::size_t>(sh.rows)},
                 out);
    }
    write_report(staged, cmd.report, report);
    staged.commit();
    fmt::print("sparse_llm csim ({}): {} x {} at {}:{} INT{}, scale 2^-{}\n", config, sh.rows, sh.cols, sh.sparsity,
               sh.block, sh.precision, sh.scale_shift);
    fmt::print("  {} vectors, {:.3f} s, {:.3g} useful MACs/s\n", n, seconds, seconds > 0 ? macs / seconds : 0.0);
    fmt::print("  outputs equal to the integer reference: {} of {}\n", n * static_cast<std::size_t>(sh.rows) - differ,
               n * static_cast<std::size_t>(sh.rows));
    if (!cmd.output.empty()) fmt::print("  wrote {} ({} x {} int8 codes)\n", cmd.output, n, sh.rows);
    if (differ) {
      fmt::print("FAIL: {} outputs differ from the integer reference\n", differ);
      return 1;
    }
    return 0;
  });
}

// ---- train --------------------------------------------------------------------------------------

int train(const command& cmd) {
  if (cmd.output.empty()) throw usage_error("--output F.slw is required");
  if (!cmd.matrix.empty() && (cmd.rows || cmd.cols)) throw usage_error("--rows and --cols size the random matrix; --matrix has its own shape");
  const std::string config = config_of(cmd);
  const auto [n, m] = parse_sparsity(cmd.sparsity.empty() ? "8:16" : cmd.sparsity);
  const int precision = parse_precision(cmd.precision.empty() ? "int8" : cmd.precision);
  return with_config(config, [&](auto c) -> int {
    using C = decltype(c);
    file_plan files;
    files.input("--matrix", cmd.matrix);
    files.output("--output", cmd.output);
    files.check();
    std::vector<double> w;
    int rows = static_cast<int>(cmd.rows ? cmd.rows : std::min(64, C::max_rows));
    int cols = static_cast<int>(cmd.cols ? cmd.cols : std::min(256, C::max_cols));
    if (!cmd.matrix.empty()) {
      const npy::array a = npy::read(cmd.matrix);
      if (a.shape.size() != 2) throw usage_error("--matrix " + cmd.matrix + ": shape " + npy::shape_string(a.shape) + ", expected (R, K)");
      rows = static_cast<int>(a.shape[0]);
      cols = static_cast<int>(a.shape[1]);
      w = a.as<double>();
      for (std::size_t i = 0; i < w.size(); ++i)
        if (!std::isfinite(w[i])) throw usage_error(fmt::format("--matrix {}: element {} is not finite", cmd.matrix, i));
    } else {
      std::mt19937_64 rng(cmd.seed);
      std::normal_distribution<double> g(0.0, 1.0);
      w.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
      for (auto& v : w) v = g(rng);
    }
    sl::check_shape({rows, cols, n, m, precision, 0}, C::max_rows, C::max_cols, cmd.matrix.empty() ? "--rows/--cols" : cmd.matrix);
    const int qmax = precision == 4 ? 7 : 127;
    std::vector<std::int8_t> codes(w.size());
    std::vector<std::uint8_t> mask(w.size());
    std::vector<int> order(static_cast<std::size_t>(m));
    for (int r = 0; r < rows; ++r) {
      const std::size_t row = static_cast<std::size_t>(r) * static_cast<std::size_t>(cols);
      double top = 0;
      for (int k = 0; k < cols; ++k) top = std::max(top, std::fabs(w[row + static_cast<std::size_t>(k)]));
      const double step = top > 0 ? top / qmax : 1.0;
      for (int b = 0; b < cols / m; ++b) {  // magnitude pruning: the N largest |w| of the block, ties to the lower index
        std::iota(order.begin(), order.end(), b * m);
        std::stable_sort(order.begin(), order.end(), [&](int i, int j) {
          return std::fabs(w[row + static_cast<std::size_t>(i)]) > std::fabs(w[row + static_cast<std::size_t>(j)]);
        });
        for (int i = 0; i < n; ++i) mask[row + static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = 1;
      }
      for (int k = 0; k < cols; ++k)
        codes[row + static_cast<std::size_t>(k)] = static_cast<std::int8_t>(
            std::clamp(std::nearbyint(w[row + static_cast<std::size_t>(k)] / step), -double(qmax), double(qmax)));
    }
    std::vector<std::int8_t> kept(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) kept[i] = mask[i] ? codes[i] : 0;
    const auto p = sl::pack_dense({rows, cols, n, m, precision, 0}, codes, mask, safe_scales(kept, rows, cols), C::max_rows,
                                  C::max_cols, cmd.matrix.empty() ? "random" : cmd.matrix);
    staged_outputs staged;
    sl::write_file(staged.stage(cmd.output), p);
    staged.commit();
    fmt::print("sparse_llm train ({}): {} x {} {} pruned to {}:{} INT{}, scale shift {}; wrote {}\n", config, rows, cols,
               cmd.matrix.empty() ? fmt::format("Gaussian (seed {})", cmd.seed) : cmd.matrix, n, m, precision,
               p.layer.scale_shift, cmd.output);
    return 0;
  });
}

// ---- cosim --------------------------------------------------------------------------------------

#ifdef HLSKIT_HAVE_RTL
namespace {

namespace cs = hlskit::cosim::sparse_llm_top;

struct cosim_request {
  std::vector<std::pair<int, int>> patterns;
  std::vector<int> precisions;
  int rows = 0, cols = 0;
  long vectors = 0;
  std::uint64_t seed = 1;
  std::uint32_t random_init = 0;
  std::string trace;
};

// Per pattern and precision: every corner layer, `vectors` vectors spread over them, in runs of
// 2 MaxBatch + 1 (whole batches and a partial one).
template <class C>
std::vector<cs::layer_set> cosim_sets(const cosim_request& q, int n, int m, int precision, std::mt19937_64& rng) {
  std::vector<cs::layer_set> sets;
  const std::size_t corners = std::size(sl::all_corners);
  for (std::size_t i = 0; i < corners; ++i) {
    const sl::corner kind = sl::all_corners[i];
    const sl::shape sh{q.rows, q.cols, n, m, precision, 0};
    cs::layer_set s;
    s.name = fmt::format("{}:{} INT{} {}", n, m, precision, sl::corner_name(kind));
    s.layer = sl::random_layer(sh, kind, rng, C::max_rows, C::max_cols, kind == sl::corner::random ? 10 : 14);
    const long share = q.vectors / static_cast<long>(corners) + (static_cast<long>(i) < q.vectors % static_cast<long>(corners));
    s.x = sl::random_activations(static_cast<int>(share), q.cols, kind, rng);
    s.run = 2 * C::max_batch + 1;
    if (share > 0) sets.push_back(std::move(s));
  }
  return sets;
}

template <class P>
cosim_outcome cosim_config(const cosim_request& q, const std::string& config) {
  using C = typename P::config;
  cosim_outcome out;
  out.json = nlohmann::json::array();
  for (const auto& [n, m] : q.patterns)
    for (int precision : q.precisions) {
      std::mt19937_64 rng(q.seed ^ (static_cast<std::uint64_t>(n * 100 + m) << 8) ^ static_cast<std::uint64_t>(precision));
      const auto sets = cosim_sets<C>(q, n, m, precision, rng);
      for (const auto& bp : back_pressure_passes) {
        hlskit::cosim::run_options opt;
        opt.kernel = "sparse_llm/" + config;
        opt.seed = q.seed;
        opt.valid_gap_probability = bp.gaps;
        opt.ready_stall_probability = bp.stalls;
        if (q.random_init) opt.random_init = q.random_init;
        opt.trace_path = q.trace;
        std::vector<cs::run_timing> timing;
        const auto r = cs::run_sets<P>(opt, sets, &timing);
        std::uint64_t cycles = 0, compute = 0, useful = 0, dense = 0;
        for (std::size_t i = 0; i < timing.size(); ++i) cycles += timing[i].cycles, compute += timing[i].compute_cycles;
        for (const auto& s : sets) {
          useful += sl::useful_macs(s.layer.layer, s.vectors());
          dense += sl::dense_macs(s.layer.layer, s.vectors());
        }
        const double slices = static_cast<double>(C::chains * C::slices);
        const double eff = cycles ? static_cast<double>(useful) / (slices * static_cast<double>(cycles)) : 0;
        const double dense_eq = cycles ? static_cast<double>(dense) / (slices * static_cast<double>(cycles)) : 0;
        const double eff_compute = compute ? static_cast<double>(useful) / (slices * static_cast<double>(compute)) : 0;
        out.passed = out.passed && r.passed();
        out.vectors += r.vectors;
        out.mismatches += r.mismatch_count;
        nlohmann::json j = r.to_json();
        j["sparsity"] = fmt::format("{}:{}", n, m);
        j["precision"] = precision;
        j["back_pressure"] = bp.name;
        j["run_cycles"] = cycles;
        j["compute_cycles"] = compute;
        j["useful_macs"] = useful;
        j["efficiency"] = eff;                    // useful MACs per slice per cycle, whole runs
        j["dense_equivalent_per_slice_cycle"] = dense_eq;
        j["compute_efficiency"] = eff_compute;    // the same over the compute phase only
        out.json.push_back(j);
        out.table_rows.push_back(fmt::format("{:>6} {:>5} {:>7} {:>8} {:>10} {:>10} {:>11.3f} {:>11.3f} {:>8}",
                                             fmt::format("{}:{}", n, m), fmt::format("INT{}", precision), bp.name,
                                             r.vectors, r.mismatch_count, cycles, eff, dense_eq,
                                             r.passed() ? "PASS" : "FAIL"));
        for (const auto& e : r.errors) fmt::print(stderr, "  error: {}\n", e);
        for (const auto& mm : r.mismatches)
          fmt::print(stderr, "  mismatch: vector {} output {}: expected {}, got {} (cycle {})\n", mm.vector, mm.output,
                     mm.expected, mm.actual, mm.cycle);
      }
    }
  return out;
}

}  // namespace
#endif

int cosim(const command& cmd) {
#ifndef HLSKIT_HAVE_RTL
  (void)cmd;
  throw usage_error("this build has no RTL models (configured without Verilator)");
#else
  const std::string config = config_of(cmd);
  cosim_request q;
  q.patterns = cmd.sparsity.empty() ? sl::patterns() : std::vector<std::pair<int, int>>{parse_sparsity(cmd.sparsity)};
  q.precisions = cmd.precision.empty() ? std::vector<int>{8, 4} : std::vector<int>{parse_precision(cmd.precision)};
  q.vectors = cmd.vectors ? cmd.vectors : 2000;
  q.seed = cmd.seed;
  q.random_init = cmd.random_init;
  q.trace = cmd.trace;
  file_plan files;
  files.output("--report", cmd.report);
  files.output("--trace", cmd.trace);
  files.check();
  check_trace(cmd, config, hw::sparse_llm::configs, [](const std::string& c, auto f) { hlskit::verilated::with_sparse_llm_model(c, f); });
  cosim_outcome out;
  hlskit::verilated::with_sparse_llm_model(config, [&](auto p) {
    using P = decltype(p);
    using C = typename P::config;
    q.rows = static_cast<int>(cmd.rows ? cmd.rows : std::min(32, C::max_rows));
    q.cols = static_cast<int>(cmd.cols ? cmd.cols : std::min(64, C::max_cols));
    for (const auto& [n, m] : q.patterns)
      for (int precision : q.precisions) sl::check_shape({q.rows, q.cols, n, m, precision, 0}, C::max_rows, C::max_cols, "--rows/--cols");
    fmt::print("sparse_llm cosim ({}): {} x {}, {} vectors per pattern and precision\n", config, q.rows, q.cols, q.vectors);
    fmt::print("{:>6} {:>5} {:>7} {:>8} {:>10} {:>10} {:>11} {:>11} {:>8}\n", "N:M", "prec", "press", "vectors",
               "mismatches", "cycles", "MAC/slc/cy", "dense-eq", "result");
    out = cosim_config<P>(q, config);
    for (const auto& row : out.table_rows) fmt::print("{}\n", row);
  });
  staged_outputs staged;
  write_report(staged, cmd.report,
               {{"kernel", "sparse_llm"}, {"config", config}, {"rows", q.rows}, {"cols", q.cols}, {"seed", q.seed},
                {"vectors", out.vectors}, {"mismatches", out.mismatches}, {"passed", out.passed}, {"runs", out.json}});
  staged.commit();
  fmt::print("{}: {} vectors, {} mismatches\n", out.passed ? "PASS" : "FAIL", out.vectors, out.mismatches);
  return out.passed ? 0 : 1;
#endif
}

kernel_actions actions() { return {csim, cosim, train, {}}; }

}  // namespace hlskit::cli::sparse_llm_cli
