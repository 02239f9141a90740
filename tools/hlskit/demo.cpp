// `hlskit demo`. Until the kernels land: the cosimulation harness proving itself on
// rtl/common/hlskit_requant_top (fixed<12,6> -> fixed<8,3> in all 28 q_mode x o_mode
// combinations): every input code, then random codes, without and with random back-pressure.
#include "demo.hpp"

#include "Vrequant_demo.h"

#include <hlskit/cosim/requant_top.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>

namespace hlskit::cli {

namespace {

struct requant_demo_params {
  using model = Vrequant_demo;
  static constexpr int in_width = 12, in_frac = 6, out_width = 8, out_frac = 3;
  static constexpr bool in_signed = true, out_signed = true;
};
using requant = cosim::requant_top<requant_demo_params>;

}  // namespace

int run_demo(const demo_options& options) {
  // Every 12-bit code first (exhaustive), then random codes up to the requested count.
  std::vector<std::int64_t> codes;
  std::mt19937_64 rng(options.seed);
  for (std::size_t i = 0; i < static_cast<std::size_t>(options.vectors); ++i)
    codes.push_back(i < 4096 ? static_cast<std::int64_t>(i) - 2048 : static_cast<std::int64_t>(rng() % 4096) - 2048);

  fmt::print("hlskit demo: cosimulation harness self-test on hlskit_requant_top\n"
             "  fixed<12,6> -> fixed<8,3>, all 28 (q_mode, o_mode) results per sample vs hlskit::requantize\n\n");
  nlohmann::json report = {{"demo", "requant_top"}, {"runs", nlohmann::json::array()}};
  bool passed = true;
  struct pressure {
    const char* name;
    double gaps, stalls;
  };
  std::vector<std::vector<std::string>> rows;
  for (const pressure p : {pressure{"none", 0.0, 0.0}, pressure{"random", 0.3, 0.3}}) {
    cosim::run_options opt;
    opt.kernel = "requant_top";
    opt.seed = options.seed;
    opt.valid_gap_probability = p.gaps;
    opt.ready_stall_probability = p.stalls;
    opt.progress_every = options.vectors >= 100000 ? 50000 : 0;
    const cosim::run_result r = requant::run(opt, codes, {1, 3, 256, 4096}, true);
    fmt::print("{}\n", r.table());
    passed = passed && r.passed();
    report["runs"].push_back(r.to_json());
    const auto brief = [](const cosim::stats& s) { return fmt::format("{:.2f} ({:g}..{:g})", s.mean(), s.min, s.max); };
    rows.push_back({p.name, std::to_string(r.vectors), std::to_string(r.outputs_compared), std::to_string(r.mismatch_count),
                    brief(r.latency), brief(r.interval), r.passed() ? "PASS" : "FAIL"});
  }
  fmt::print("summary (cycles: mean (min..max))\n  {:<13} {:>8} {:>9} {:>11}  {:<16} {:<16} {}\n", "back-pressure",
             "vectors", "outputs", "mismatches", "latency", "II", "result");
  for (const auto& r : rows)
    fmt::print("  {:<13} {:>8} {:>9} {:>11}  {:<16} {:<16} {}\n", r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
  report["passed"] = passed;
  if (!options.report.empty()) {
    std::ofstream out(options.report);
    out << report.dump(2) << "\n";
    if (!out) {
      fmt::print(stderr, "hlskit demo: cannot write the report to {}\n", options.report);
      return 2;
    }
  }
  return passed ? 0 : 1;
}

}  // namespace hlskit::cli
