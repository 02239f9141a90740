// Driving rtl/svm/svm_top through its ports: a model's parameters<Config> over AXI-Lite (the
// register program of hlskit/svm/hardware.hpp), feature vectors as ceil(features / Lanes) input beats each, runs
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
#include <hlskit/svm/hardware.hpp>

namespace hlskit::cosim::svm_top {

namespace svm = hlskit::svm;

using svm::beats_per_vector;
using svm::check_params;
using svm::overhead_cycles;
using svm::pairs;

template <class Config>
using feature_vector = std::array<std::int16_t, Config::max_features>;  // feature_t codes

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

// Writes a model's register program (svm::register_program): the kernel must be idle.
template <class Model, class Config>
void load_params(axil_master<Model>& bus, const svm::parameters<Config>& p) {
  for (const auto& w : svm::register_program(p)) bus.write(w.offset, w.value);
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
      tb.ctrl.set_arg(XSVM_CONTROL_ADDR_COUNT_DATA, static_cast<std::uint32_t>(run));
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
