// sparse_llm RTL efficiency (issue 13, items 5 and 7; docs/kernels/sparse_llm.md §7): the paper
// config in Verilator, no back-pressure, one layer per N:M pattern and weight precision, MV (one
// vector) and MM (a batch of MaxBatch), every output checked against the C++ kernel by the cosim
// driver. Per run: RTL cycles (ap_start write -> interrupt) and the cycle model's, useful and
// dense-equivalent MACs per slice per cycle over the whole run and over the compute phase (the
// cycles the weight stream is consumed). Exit 1 on a mismatch or a cycle-model difference.
//   bench_sparse_llm_rtl [--rows R] [--cols K] [--json FILE]
#include <sparse_llm/cosim.hpp>
#include <hlskit/sparse_llm/stimulus.hpp>
#include <hlskit/verilated/sparse_llm_models.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace cs = hlskit::cosim::sparse_llm_top;
namespace sl = hlskit::sparse_llm;
using P = hlskit::verilated::sparse_llm_paper;
using C = P::config;

int main(int argc, char** argv) {
  int rows = 256, cols = 4096;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool more = i + 1 < argc;
    if (a == "--rows" && more) rows = std::atoi(argv[++i]);
    else if (a == "--cols" && more) cols = std::atoi(argv[++i]);
    else if (a == "--json" && more) json_path = argv[++i];
    else {
      fmt::print(stderr, "usage: bench_sparse_llm_rtl [--rows R] [--cols K] [--json FILE]\n");
      return 2;
    }
  }
  try {
    sl::check_shape({rows, cols, 16, 16, 8, 0}, C::max_rows, C::max_cols, "--rows/--cols");
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_sparse_llm_rtl: {}\n", e.what());
    return 2;
  }
  const double slices = C::chains * C::slices;
  fmt::print("sparse_llm RTL, paper config ({} chains x {} slices), {} x {}, no back-pressure\n", C::chains, C::slices,
             rows, cols);
  fmt::print("MACs per slice per cycle: useful (kept weights) and dense-equivalent (R K per vector); run = ap_start to\n"
             "interrupt, compute = the cycles the weight stream is consumed\n");
  fmt::print("{:>6} {:>5} {:>3} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10} {:>6}\n", "N:M", "prec", "B", "cycles", "model",
             "useful", "dense-eq", "useful/cmp", "dense/cmp", "check");
  std::mt19937_64 rng(1);
  nlohmann::json results = nlohmann::json::array();
  bool ok = true;
  for (const auto& [n, m] : sl::patterns())
    for (int precision : {8, 4})
      for (int batch : {1, C::max_batch}) {
        cs::layer_set s;
        s.name = fmt::format("{}:{} INT{} B{}", n, m, precision, batch);
        s.layer = sl::random_layer({rows, cols, n, m, precision, 0}, sl::corner::random, rng, C::max_rows, C::max_cols);
        s.x = sl::random_activations(batch, cols, sl::corner::random, rng);
        s.run = static_cast<std::size_t>(batch);
        std::vector<cs::run_timing> timing;
        hlskit::cosim::run_options opt;
        opt.kernel = "sparse_llm/paper";
        const auto r = cs::run_sets<P>(opt, {s}, &timing);
        const std::uint64_t model = sl::run_cycles<C>(s.layer.layer, static_cast<std::uint64_t>(batch));
        const bool good = r.passed() && timing.size() == 1 && timing[0].cycles == model;
        ok = ok && good;
        if (timing.empty()) continue;
        const double cyc = static_cast<double>(timing[0].cycles), cmp = static_cast<double>(timing[0].compute_cycles);
        const double useful = static_cast<double>(sl::useful_macs(s.layer.layer, static_cast<std::uint64_t>(batch)));
        const double dense = static_cast<double>(sl::dense_macs(s.layer.layer, static_cast<std::uint64_t>(batch)));
        fmt::print("{:>6} {:>5} {:>3} {:>9} {:>9} {:>9.3f} {:>10.3f} {:>10.3f} {:>10.3f} {:>6}\n", fmt::format("{}:{}", n, m),
                   fmt::format("INT{}", precision), batch, timing[0].cycles, model, useful / (slices * cyc),
                   dense / (slices * cyc), useful / (slices * cmp), dense / (slices * cmp), good ? "ok" : "FAIL");
        results.push_back({{"sparsity", fmt::format("{}:{}", n, m)}, {"precision", precision}, {"batch", batch},
                           {"cycles", timing[0].cycles}, {"model_cycles", model}, {"compute_cycles", timing[0].compute_cycles},
                           {"useful_per_slice_cycle", useful / (slices * cyc)},
                           {"dense_equivalent_per_slice_cycle", dense / (slices * cyc)},
                           {"useful_per_slice_compute_cycle", useful / (slices * cmp)},
                           {"dense_equivalent_per_slice_compute_cycle", dense / (slices * cmp)},
                           {"mismatches", r.mismatch_count}, {"passed", good}});
      }
  if (!json_path.empty())
    std::ofstream(json_path) << nlohmann::json{{"config", "paper"}, {"rows", rows}, {"cols", cols}, {"results", results}}.dump(2)
                             << "\n";
  if (!ok) fmt::print("FAIL: a mismatch or a cycle count different from the model\n");
  return ok ? 0 : 1;
}
