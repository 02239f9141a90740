// A 64 x 64 quantized dense layer five ways, measured in one run: hlskit types, plain integer
// code (auto-vectorized, and with vectorization disabled), SystemC sc_fixed, and float.
// The four bit-accurate versions must give identical output codes (exit 1 otherwise); then
// MAC/s and the ratios are printed as a table and, with --json FILE, as JSON.
//
//   bench_fixed_dense [--vectors N] [--seconds S] [--json FILE]
#include "dense_config.hpp"
#include "../common/timing.hpp"

#include <hlskit/fixed.hpp>

#include <systemc>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using weight_t = hlskit::fixed<8, 3>;
using input_t = hlskit::fixed<16, 6>;
using output_t = hlskit::fixed<16, 6, hlskit::q_mode::rnd, hlskit::o_mode::sat>;
// Exact accumulators: 64 products of fixed<24, 9> need 30 bits. Both widths give the same codes
// (neither ever wraps). The native 32-bit one keeps `acc += w * x` a plain reduction; so does the
// 30-bit one (a lazy_wrap type: it sign-extends from bit 29 when read, not after every addition).
using accum_native_t = hlskit::fixed<32, 17>;
using accum_minimal_t = hlskit::fixed<30, 15>;

// Out of line, as the integer variants are (their own translation units): inlined into the timing
// lambda, GCC 12 lays the same inner loop out differently and it measured 1.65x slower here.
template <class Accum>
__attribute__((noinline)) void dense_hlskit(const weight_t* weights, const input_t* input, output_t* output) {
outputs:
  for (int o = 0; o < dense_outputs; ++o) {
    Accum acc = 0;
  products:
    for (int i = 0; i < dense_inputs; ++i) acc += weights[o * dense_inputs + i] * input[i];
    output[o] = acc;
  }
}

using sc_weight_t = sc_dt::sc_fixed<8, 3>;
using sc_input_t = sc_dt::sc_fixed<16, 6>;
using sc_accum_t = sc_dt::sc_fixed<30, 15>;
using sc_output_t = sc_dt::sc_fixed<16, 6, sc_dt::SC_RND, sc_dt::SC_SAT>;

void dense_sc_fixed(const sc_weight_t* weights, const sc_input_t* input, sc_output_t* output) {
  for (int o = 0; o < dense_outputs; ++o) {
    sc_accum_t acc = 0;
    for (int i = 0; i < dense_inputs; ++i) acc += weights[o * dense_inputs + i] * input[i];
    output[o] = acc;
  }
}

void dense_float(const float* weights, const float* input, float* output) {
  for (int o = 0; o < dense_outputs; ++o) {
    float acc = 0;
    for (int i = 0; i < dense_inputs; ++i) acc += weights[o * dense_inputs + i] * input[i];
    output[o] = acc;
  }
}

using hlskit::bench::keep;
using hlskit::bench::variant;

}  // namespace

int sc_main(int argc, char** argv) {
  int vectors = 512;
  double seconds = 0.3;  // per variant and round
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--vectors" && i + 1 < argc) vectors = std::atoi(argv[++i]);
    else if (arg == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (arg == "--json" && i + 1 < argc) json_path = argv[++i];
    else {
      std::fprintf(stderr, "bench_fixed_dense: unknown argument '%s'\nusage: bench_fixed_dense [--vectors N] [--seconds S] [--json FILE]\n", arg.c_str());
      return 2;
    }
  }
  if (vectors < 1 || seconds <= 0) {
    std::fprintf(stderr, "bench_fixed_dense: --vectors must be >= 1 and --seconds > 0\n");
    return 2;
  }

  // Weights over the full code range; inputs mostly moderate, some vectors full range, so the outputs
  // cover rounding and both saturation limits.
  std::mt19937 gen(2026);
  std::vector<std::int8_t> w_int(dense_outputs * dense_inputs);
  std::vector<std::int16_t> x_int(static_cast<std::size_t>(vectors) * dense_inputs);
  for (auto& w : w_int) w = static_cast<std::int8_t>(std::uniform_int_distribution<int>(-128, 127)(gen));
  for (int v = 0; v < vectors; ++v) {  // one vector in eight spans the full input range
    const int range = v % 8 == 0 ? 32768 : 512;
    for (int i = 0; i < dense_inputs; ++i)
      x_int[v * dense_inputs + i] = static_cast<std::int16_t>(std::uniform_int_distribution<int>(-range, range - 1)(gen));
  }

  std::vector<weight_t> w_fixed;
  std::vector<sc_weight_t> w_sc;
  std::vector<float> w_float;
  for (auto w : w_int) {
    w_fixed.push_back(weight_t::from_raw(w));
    w_sc.push_back(sc_weight_t(w / 32.0));
    w_float.push_back(static_cast<float>(w / 32.0));
  }
  std::vector<input_t> x_fixed;
  std::vector<sc_input_t> x_sc;
  std::vector<float> x_float;
  for (auto x : x_int) {
    x_fixed.push_back(input_t::from_raw(x));
    x_sc.push_back(sc_input_t(x / 1024.0));
    x_float.push_back(static_cast<float>(x / 1024.0));
  }

  const std::size_t outputs = static_cast<std::size_t>(vectors) * dense_outputs;
  std::vector<output_t> y_fixed(outputs), y_fixed30(outputs);
  std::vector<std::int16_t> y_vec(outputs), y_scalar(outputs);
  std::vector<sc_output_t> y_sc(outputs);
  std::vector<float> y_float(outputs);

  std::vector<variant> variants = {
      {"hlskit, 32-bit accumulator", [&] { for (int v = 0; v < vectors; ++v) dense_hlskit<accum_native_t>(w_fixed.data(), &x_fixed[v * dense_inputs], &y_fixed[v * dense_outputs]); keep(y_fixed[0]); }},
      {"integer, auto-vectorized", [&] { for (int v = 0; v < vectors; ++v) dense_int_vectorized(w_int.data(), &x_int[v * dense_inputs], &y_vec[v * dense_outputs]); keep(y_vec[0]); }},
      {"integer, not vectorized", [&] { for (int v = 0; v < vectors; ++v) dense_int_scalar(w_int.data(), &x_int[v * dense_inputs], &y_scalar[v * dense_outputs]); keep(y_scalar[0]); }},
      {"SystemC sc_fixed", [&] { for (int v = 0; v < vectors; ++v) dense_sc_fixed(w_sc.data(), &x_sc[v * dense_inputs], &y_sc[v * dense_outputs]); keep(y_sc[0]); }},
      {"hlskit, 30-bit accumulator", [&] { for (int v = 0; v < vectors; ++v) dense_hlskit<accum_minimal_t>(w_fixed.data(), &x_fixed[v * dense_inputs], &y_fixed30[v * dense_outputs]); keep(y_fixed30[0]); }},
      {"float", [&] { for (int v = 0; v < vectors; ++v) dense_float(w_float.data(), &x_float[v * dense_inputs], &y_float[v * dense_outputs]); keep(y_float[0]); }},
  };

  // Agreement first: every bit-accurate variant gives the same output codes.
  for (auto& v : variants) v.run_all();
  std::size_t disagreements = 0, saturated = 0;
  for (std::size_t k = 0; k < outputs; ++k) {
    const std::int64_t code = y_fixed[k].raw();
    const std::int64_t sc_code = static_cast<std::int64_t>(std::llround(y_sc[k].to_double() * 1024.0));
    if (code != y_vec[k] || code != y_scalar[k] || code != sc_code || code != y_fixed30[k].raw()) {
      if (++disagreements <= 5)
        std::fprintf(stderr, "output %zu: hlskit %lld / %lld, integer %d / %d, sc_fixed %lld\n", k,
                   static_cast<long long>(code), static_cast<long long>(y_fixed30[k].raw()), y_vec[k], y_scalar[k],
                   static_cast<long long>(sc_code));
    }
    saturated += code == 32767 || code == -32768;
  }

  // Timing: rounds interleave the variants (the machine is noisy); the best round counts.
  hlskit::bench::measure(variants, seconds);

  const double macs_per_pass = double(vectors) * dense_inputs * dense_outputs;
  const double reference = variants[1].best_seconds;  // auto-vectorized integer
  const double hlskit_time = variants[0].best_seconds;
  nlohmann::json report = {{"benchmark", "fixed_dense_64x64"},
                           {"vectors", vectors},
                           {"outputs_compared", outputs},
                           {"outputs_saturated", saturated},
                           {"disagreements", disagreements},
                           {"variants", nlohmann::json::array()}};
  std::printf("64x64 dense layer, %d vectors: weights fixed<8,3>, inputs fixed<16,6>, exact accumulator,\n"
              "output fixed<16,6,rnd,sat>. Output codes: %zu compared, %zu saturated, %zu disagreements.\n\n",
              vectors, outputs, saturated, disagreements);
  std::printf("%-26s %14s %22s %16s\n", "variant", "MAC/s", "time / int-vectorized", "time / hlskit");
  for (const auto& v : variants) {
    const double macs = macs_per_pass / v.best_seconds;
    std::printf("%-26s %14.3e %22.2f %16.2f\n", v.name.c_str(), macs, v.best_seconds / reference, v.best_seconds / hlskit_time);
    report["variants"].push_back({{"name", v.name},
                                  {"macs_per_second", macs},
                                  {"time_vs_integer_vectorized", v.best_seconds / reference},
                                  {"time_vs_hlskit", v.best_seconds / hlskit_time}});
  }
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << report.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "bench_fixed_dense: cannot write %s\n", json_path.c_str());
      return 2;
    }
  }
  if (disagreements != 0) {
    std::fprintf(stderr, "bench_fixed_dense: the bit-accurate variants disagree on %zu outputs\n", disagreements);
    return 1;
  }
  return 0;
}
