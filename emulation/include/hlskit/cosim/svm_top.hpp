// Driving rtl/svm/svm_top through its ports: a model's parameters<Config> over AXI-Lite (the
// register map in svm_top.sv), feature vectors as ceil(features / Lanes) input beats each, runs
// of `count` vectors with auto_restart, and every output compared with hlskit::svm::classify (the
// C++ kernel): the class index, the label and each pair's decision code. Shared by tests/cosim and
// `hlskit cosim svm`.
//
// Params: a struct with `using model = V...` (svm_top verilated with the config's capacity) and
// `using config = hlskit::svm::config<...>` (hlskit/verilated/svm_models.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hlskit/cosim/stream_bench.hpp"
#include "hlskit/hw/svm_hw.h"
#include "svm/svm.hpp"

namespace hlskit::cosim::svm_top {

namespace svm = hlskit::svm;

// Register map (byte offsets; the generated hlskit/hw/svm_hw.h, from hls/kernels/svm/svm.json).
constexpr std::uint32_t count_reg = XSVM_CONTROL_ADDR_COUNT_DATA;  // vectors per run
constexpr std::uint32_t features_reg = XSVM_CONTROL_ADDR_FEATURES_DATA,
                        support_vectors_reg = XSVM_CONTROL_ADDR_SUPPORT_VECTORS_DATA,
                        classes_reg = XSVM_CONTROL_ADDR_CLASSES_DATA, kernel_reg = XSVM_CONTROL_ADDR_KERNEL_DATA,
                        degree_reg = XSVM_CONTROL_ADDR_DEGREE_DATA, gamma_reg = XSVM_CONTROL_ADDR_GAMMA_DATA,
                        product_frac_reg = XSVM_CONTROL_ADDR_PRODUCT_FRAC_DATA, coef0_reg = XSVM_CONTROL_ADDR_COEF0_DATA;
constexpr std::uint32_t class_sv_base = XSVM_CONTROL_ADDR_CLASS_SUPPORT_VECTORS_BASE;  // + 4c
constexpr std::uint32_t label_base = XSVM_CONTROL_ADDR_LABEL_BASE;                     // + 4c
constexpr std::uint32_t rho_base = XSVM_CONTROL_ADDR_RHO_BASE;        // + 8p: low word, high word
constexpr std::uint32_t coef_base = XSVM_CONTROL_ADDR_COEF_BASE;      // + 4 (m * max_support_vectors + k)
constexpr std::uint32_t sv_base = XSVM_CONTROL_ADDR_SUPPORT_VECTOR_BASE;  // + 4 (k * max_features + j)
static_assert(XSVM_CONTROL_BYTES_CLASS_SUPPORT_VECTORS_ENTRY == 4 && XSVM_CONTROL_BYTES_LABEL_ENTRY == 4 &&
                  XSVM_CONTROL_BYTES_RHO_ENTRY == 8 && XSVM_CONTROL_BYTES_COEF_ENTRY == 4 &&
                  XSVM_CONTROL_BYTES_SUPPORT_VECTOR_ENTRY == 4,
              "load_params writes 32-bit entries and 64-bit rho entries");

// Cycles from one vector's last output beat to the next one's (no back-pressure, the output not
// the bottleneck): support_vectors * ceil(features / lanes) + this (svm_top.sv derives it). A model
// without support vectors skips the datapath: max(ceil(features / lanes), 1 + pairs) cycles.
template <class Config>
constexpr int overhead_cycles(svm::kernel_kind kind) {
  return kind == svm::kernel_kind::linear ? 8 : kind == svm::kernel_kind::rbf ? 12 : 8 + Config::max_degree;
}

template <class Config>
using feature_vector = std::array<std::int16_t, Config::max_features>;  // feature_t codes

template <class Config>
int beats_per_vector(const svm::parameters<Config>& p) { return (p.features + Config::lanes - 1) / Config::lanes; }
template <class Config>
int pairs(const svm::parameters<Config>& p) { return p.classes * (p.classes - 1) / 2; }

template <class M>
struct driver {
  using model = typename M::model;
  using config = typename M::config;
  static constexpr int lanes = config::lanes, in_bits = 16 * lanes, out_bits = 64;

  // classify's answer as the codes the codec reads: class index (bits 63:32 of beat 0, so any
  // stray upper bit is a mismatch), label, then each pair's decision code.
  static std::vector<std::int64_t> expected(const feature_vector<config>& x, const svm::parameters<config>& p) {
    typename config::feature_t xs[config::max_features];
    for (int j = 0; j < config::max_features; ++j) xs[j] = config::feature_t::from_raw(x[static_cast<std::size_t>(j)]);
    svm::result<config> r;
    svm::classify<config>(xs, p, r);
    std::vector<std::int64_t> codes = {static_cast<std::int64_t>(r.class_index.raw()), r.label};
    for (int q = 0; q < pairs(p); ++q) codes.push_back(static_cast<std::int64_t>(r.decision[q].raw()));
    return codes;
  }

  static stream_ports ports(model& t) {
    return {make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST, in_bits),
            make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST, out_bits)};
  }
  static output_codec codec() {
    return {1, [](const std::vector<bitvec>& bs) {
              std::vector<std::int64_t> codes = {static_cast<std::int64_t>(bs[0].get(32, 32)), bs[0].get_signed(0, 32)};
              for (std::size_t b = 1; b < bs.size(); ++b) codes.push_back(bs[b].get_signed(0, 64));
              return codes;
            }};
  }
  // Feature j at lane j % lanes of beat j / lanes; TLAST on the last beat. Every lane carries
  // x[j] (also past `features`, where the kernel must ignore it).
  static std::vector<axis_beat> beats(const feature_vector<config>& x, int features) {
    std::vector<axis_beat> bs;
    const int n = (features + lanes - 1) / lanes;
    for (int b = 0; b < n; ++b) {
      axis_beat beat{bitvec(in_bits), b + 1 == n};
      for (int l = 0; l < lanes && b * lanes + l < config::max_features; ++l)
        beat.data.set(16 * l, 16, static_cast<std::uint16_t>(x[static_cast<std::size_t>(b * lanes + l)]));
      bs.push_back(std::move(beat));
    }
    return bs;
  }
};

// The parameter sets svm_top runs (its "valid models"): 1 <= features <= MaxFeatures,
// 0 <= support_vectors <= MaxSupportVectors (0: decisions -rho), 2 <= classes <= MaxClasses, the
// class counts summing to support_vectors, a known kernel, polynomial degree 1..MaxDegree, and a
// requantization shift (product_frac - 14 for rbf, - 16 otherwise) of 0..62. Anything else is
// refused with std::invalid_argument before a simulation starts.
template <class Config>
void check_params(const svm::parameters<Config>& p, const std::string& name) {
  const auto refuse = [&](const std::string& what) {
    throw std::invalid_argument(fmt::format("svm cosim, parameter set '{}': {}", name, what));
  };
  if (p.features < 1 || p.features > Config::max_features)
    refuse(fmt::format("{} features; the RTL runs 1..{}", p.features, Config::max_features));
  if (p.support_vectors < 0 || p.support_vectors > Config::max_support_vectors)
    refuse(fmt::format("{} support vectors; the RTL runs 0..{}", p.support_vectors, Config::max_support_vectors));
  if (p.classes < 2 || p.classes > Config::max_classes)
    refuse(fmt::format("{} classes; the RTL runs 2..{}", p.classes, Config::max_classes));
  int sum = 0;
  for (int c = 0; c < p.classes; ++c) {
    if (p.class_support_vectors[c] < 0) refuse(fmt::format("class {} has {} support vectors", c, p.class_support_vectors[c]));
    sum += p.class_support_vectors[c];
  }
  if (sum != p.support_vectors)
    refuse(fmt::format("the classes' support vectors sum to {}, not {}", sum, p.support_vectors));
  const int kind = static_cast<int>(p.kernel);
  if (kind < 0 || kind > 2) refuse(fmt::format("kernel kind {} (0 linear, 1 polynomial, 2 rbf)", kind));
  if (p.kernel == svm::kernel_kind::polynomial && (p.degree < 1 || p.degree > Config::max_degree))
    refuse(fmt::format("polynomial degree {}; the RTL runs 1..{}", p.degree, Config::max_degree));
  const int shift = p.product_frac - (p.kernel == svm::kernel_kind::rbf ? 14 : 16);
  if (shift < 0 || shift > 62) refuse(fmt::format("requantization shift {} (product_frac {}); the RTL runs 0..62", shift, p.product_frac));
}

// Writes a model's control registers and the memory words it uses (SVs k < support_vectors,
// features j < features, coefficient rows m < classes - 1): the kernel must be idle.
template <class Model, class Config>
void load_params(axil_master<Model>& bus, const svm::parameters<Config>& p) {
  auto word = [](std::int64_t v) { return static_cast<std::uint32_t>(v); };
  bus.write(features_reg, word(p.features));
  bus.write(support_vectors_reg, word(p.support_vectors));
  bus.write(classes_reg, word(p.classes));
  bus.write(kernel_reg, word(static_cast<int>(p.kernel)));
  bus.write(degree_reg, word(p.degree));
  bus.write(gamma_reg, word(p.gamma.raw()));
  bus.write(product_frac_reg, word(p.product_frac));
  bus.write(coef0_reg, word(p.coef0.raw()));
  for (std::uint32_t c = 0; c < Config::max_classes; ++c) {
    bus.write(class_sv_base + 4 * c, word(p.class_support_vectors[c]));
    bus.write(label_base + 4 * c, word(p.label[c]));
  }
  for (std::uint32_t q = 0; q < Config::max_pairs; ++q) {
    bus.write(rho_base + 8 * q, word(p.rho[q].raw()));
    bus.write(rho_base + 8 * q + 4, word(p.rho[q].raw() >> 32));
  }
  for (int m = 0; m + 1 < p.classes; ++m)
    for (int k = 0; k < p.support_vectors; ++k)
      bus.write(coef_base + 4u * static_cast<std::uint32_t>(m * Config::max_support_vectors + k), word(p.coef[m][k].raw()));
  for (int k = 0; k < p.support_vectors; ++k)
    for (int j = 0; j < p.features; ++j)
      bus.write(sv_base + 4u * static_cast<std::uint32_t>(k * Config::max_features + j),
                word(p.support_vector[k][j].raw()));
}

template <class Config>
struct stimulus_set {
  std::string name;
  std::shared_ptr<const svm::parameters<Config>> params;
  std::vector<feature_vector<Config>> vectors;  // a multiple of run
  std::size_t run = 1;                          // vectors per run (count)
};

// Per set: cycles between consecutive vectors' last output beats within one drain() batch.
struct set_timing {
  std::string name;
  int support_vectors = 0, beats_per_vector = 0;
  svm::kernel_kind kernel{};
  stats cycles_per_inference;
};

// Per set: load the parameters (kernel idle), count = run, auto_restart on, start; stream all
// but the last run's vectors and compare (one drain() batch); then clear auto_restart, feed the
// run that has already restarted, and check that the kernel ends idle.
template <class A>
run_result run_sets(const run_options& opt, const std::vector<stimulus_set<typename A::config>>& sets,
                    std::vector<set_timing>* timing = nullptr) {
  using V = typename A::model;
  for (const auto& s : sets) check_params(*s.params, s.name);
  std::vector<std::vector<std::vector<std::int64_t>>> want;  // expectations first: the scenario may be replayed
  for (const auto& s : sets) {
    auto& ws = want.emplace_back();
    for (const auto& x : s.vectors) ws.push_back(A::expected(x, *s.params));
  }
  if (timing) timing->clear();
  return run<V>(opt, A::ports, A::codec(), [&](stream_bench<V>& tb) {
    if (timing) timing->clear();  // a replay starts over
    std::size_t v = 0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const auto& s = sets[k];
      const auto& p = *s.params;
      const std::size_t run = s.run, n = s.vectors.size(), out_beats = 1 + static_cast<std::size_t>(pairs(p));
      load_params(tb.bus, p);
      tb.ctrl.set_arg(count_reg, static_cast<std::uint32_t>(run));
      tb.ctrl.set_auto_restart(true);
      tb.ctrl.start();
      set_timing t{s.name, p.support_vectors, beats_per_vector(p), p.kernel, {}};
      auto feed = [&](std::size_t from, std::size_t to) {
        const std::size_t first = tb.inferences().size();
        for (std::size_t i = from; i < to; ++i, ++v) {
          tb.push(v, A::beats(s.vectors[i], p.features));
          tb.expect(v, want[k][i], true, out_beats);
        }
        tb.drain();
        const auto& inf = tb.inferences();
        for (std::size_t i = first + 1; i < inf.size(); ++i)
          t.cycles_per_inference.add(static_cast<double>(inf[i].last_out_cycle - inf[i - 1].last_out_cycle));
      };
      feed(0, n - run);
      tb.ctrl.set_auto_restart(false);
      feed(n - run, n);
      tb.ctrl.wait_done(10'000);
      if (!tb.ctrl.is_idle())
        tb.result().error(tb.sim.cycle(), fmt::format("parameter set {}: kernel not idle after its last run", s.name));
      if (timing) timing->push_back(std::move(t));
    }
  });
}

}  // namespace hlskit::cosim::svm_top
