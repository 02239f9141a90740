// sparse_llm C simulation speed (issue 13, item 7): the kernel's C++ (hls/kernels/sparse_llm,
// summing in the chains' order) against auto-vectorized dense INT8 integer code on the same
// pruned matrix (bench/sparse_llm/dense_int8.cpp, the CPU's limit), per N:M pattern and weight
// precision, MV (1 vector) and MM (a batch of MaxBatch). Ratios from one run, interleaved rounds,
// best round each; the outputs of both must agree bit for bit (exit 1 otherwise).
//   bench_sparse_llm [--rows R] [--cols K] [--seconds S] [--json FILE]
#include "dense_int8.hpp"

#include "../common/timing.hpp"

#include <hlskit/sparse_llm/hardware.hpp>
#include <hlskit/sparse_llm/stimulus.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

namespace sl = hlskit::sparse_llm;
namespace hb = hlskit::bench;
using C = sl::paper;

int main(int argc, char** argv) {
  int rows = 512, cols = 4096;
  double seconds = 0.5;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool more = i + 1 < argc;
    if (a == "--rows" && more) rows = std::atoi(argv[++i]);
    else if (a == "--cols" && more) cols = std::atoi(argv[++i]);
    else if (a == "--seconds" && more) seconds = std::atof(argv[++i]);
    else if (a == "--json" && more) json_path = argv[++i];
    else {
      fmt::print(stderr, "usage: bench_sparse_llm [--rows R] [--cols K] [--seconds S] [--json FILE]\n");
      return 2;
    }
  }
  try {
    sl::check_shape({rows, cols, 16, 16, 8, 0}, C::max_rows, C::max_cols, "--rows/--cols");
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_sparse_llm: {}\n", e.what());
    return 2;
  }
  std::mt19937_64 rng(1);
  nlohmann::json results = nlohmann::json::array();
  bool agree = true;
  fmt::print("sparse_llm csim on one core, {} x {} (paper config), MACs per second (dense-equivalent = R K per vector)\n", rows, cols);
  fmt::print("{:>6} {:>5} {:>4} {:>14} {:>14} {:>14} {:>9}\n", "N:M", "prec", "B", "kernel MAC/s", "(dense-eq)",
             "dense int8", "speedup");
  for (const auto& [n, m] : sl::patterns())
    for (int precision : {8, 4})
      for (int batch : {1, C::max_batch}) {
        const auto p = sl::random_layer({rows, cols, n, m, precision, 0}, sl::corner::random, rng, C::max_rows, C::max_cols);
        const auto x = sl::random_activations(batch, cols, sl::corner::random, rng);
        std::vector<std::int8_t> w;
        std::vector<std::uint8_t> mask;
        sl::unpack(p, w, mask);
        const auto beats = sl::weight_beats<C>(p);
        std::vector<std::uint8_t> y_kernel(static_cast<std::size_t>(batch) * static_cast<std::size_t>(rows));
        std::vector<std::int8_t> y_dense(y_kernel.size());
        std::vector<hb::variant> variants = {
            {"kernel", [&] {
               sl::run_items<C>(p.layer, beats, reinterpret_cast<const std::uint8_t*>(x.data()), y_kernel.data(),
                                static_cast<std::size_t>(batch));
               hb::keep(y_kernel);
             }},
            {"dense", [&] {
               hb::dense_int8(w.data(), p.mantissa.data(), p.layer.scale_shift, rows, cols, x.data(), batch, y_dense.data());
               hb::keep(y_dense);
             }}};
        hb::measure(variants, seconds);
        const bool same = std::memcmp(y_kernel.data(), y_dense.data(), y_kernel.size()) == 0;
        agree = agree && same;
        const double useful = static_cast<double>(sl::useful_macs(p.layer, static_cast<std::uint64_t>(batch)));
        const double dense = static_cast<double>(sl::dense_macs(p.layer, static_cast<std::uint64_t>(batch)));
        const double t_kernel = variants[0].best_seconds, t_dense = variants[1].best_seconds;
        const double speedup = t_dense / t_kernel;
        fmt::print("{:>6} {:>5} {:>4} {:>14.3g} {:>14.3g} {:>14.3g} {:>8.2f}x{}\n", fmt::format("{}:{}", n, m),
                   fmt::format("INT{}", precision), batch, useful / t_kernel, dense / t_kernel, dense / t_dense, speedup,
                   same ? "" : "  OUTPUTS DIFFER");
        results.push_back({{"sparsity", fmt::format("{}:{}", n, m)}, {"precision", precision}, {"batch", batch},
                           {"kernel_seconds", t_kernel}, {"dense_seconds", t_dense},
                           {"kernel_useful_macs_per_second", useful / t_kernel},
                           {"kernel_dense_equivalent_macs_per_second", dense / t_kernel},
                           {"dense_int8_macs_per_second", dense / t_dense}, {"speedup_over_dense", speedup},
                           {"outputs_agree", same}});
      }
  if (!json_path.empty()) std::ofstream(json_path) << nlohmann::json{{"rows", rows}, {"cols", cols}, {"results", results}}.dump(2) << "\n";
  if (!agree) fmt::print("FAIL: the kernel and the dense code disagree\n");
  return agree ? 0 : 1;
}
