// Driving rtl/common/hlskit_requant_top (the harness's proving block): all 28 (q_mode, o_mode)
// results of every input code against hlskit::requantize. Shared by the cosim tests and
// `hlskit demo`. Params: a struct with in_width, in_frac, in_signed, out_width, out_frac,
// out_signed and `using model = V...` (the verilated top for those parameters).
#pragma once

#include "hlskit/cosim/stream_bench.hpp"
#include "hlskit/fixed.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace hlskit::cosim {

template <class Params>
struct requant_top {
  using model = typename Params::model;
  static constexpr int results = 28;  // result k = q_mode * 4 + o_mode
  static constexpr std::uint32_t count_reg = reg::args;  // 0x10: samples per run
  static constexpr int in_beat_bits = (Params::in_width + 7) / 8 * 8;

  static format in_format() { return {Params::in_width, Params::in_width - Params::in_frac, Params::in_signed}; }
  static format out_format(int k) {
    return {Params::out_width, Params::out_width - Params::out_frac, Params::out_signed, static_cast<q_mode>(k / 4),
            static_cast<o_mode>(k % 4)};
  }
  static std::vector<std::int64_t> expected(std::int64_t code) {
    std::vector<std::int64_t> out(results);
    for (int k = 0; k < results; ++k) out[k] = requantize(code, in_format(), out_format(k));
    return out;
  }

  static stream_ports ports(model& t) {
    return {make_axis_port("in_r", t.in_r_TDATA, t.in_r_TVALID, t.in_r_TREADY, &t.in_r_TLAST, in_beat_bits),
            make_axis_port("out_r", t.out_r_TDATA, t.out_r_TVALID, t.out_r_TREADY, &t.out_r_TLAST,
                           results * Params::out_width)};
  }
  static output_codec codec() { return lanes_codec(Params::out_width, results, Params::out_signed); }

  // The code in the low in_width bits; the pad bits above it carry `pad` (the DUT must ignore them).
  static bitvec beat(std::int64_t code, std::uint64_t pad) {
    bitvec b(in_beat_bits);
    b.set(0, Params::in_width, static_cast<std::uint64_t>(code));
    if (in_beat_bits > Params::in_width) b.set(Params::in_width, in_beat_bits - Params::in_width, pad);
    return b;
  }

  // Feeds codes[] in runs of run_lengths samples (count register, ap_start, wait for ap_done each;
  // the last length repeats), comparing the 28 results and TLAST of every sample. `tamper` may
  // alter an expectation (self-test of the comparison).
  static run_result run(const run_options& opt, const std::vector<std::int64_t>& codes,
                        const std::vector<std::size_t>& run_lengths, bool garbage_pad = false,
                        std::function<void(std::size_t, std::vector<std::int64_t>&)> tamper = {}) {
    return cosim::run<model>(opt, ports, codec(), [&](stream_bench<model>& tb) {
      std::mt19937_64 pad(opt.seed);  // created here, so a replay draws the same pad bits
      std::size_t next = 0;
      for (std::size_t r = 0; next < codes.size(); ++r) {
        const std::size_t n = std::min(run_lengths[std::min(r, run_lengths.size() - 1)], codes.size() - next);
        tb.ctrl.set_arg(count_reg, static_cast<std::uint32_t>(n));
        tb.ctrl.start();
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t v = next + i;
          auto want = expected(codes[v]);
          if (tamper) tamper(v, want);
          tb.push(v, beat(codes[v], garbage_pad ? pad() : 0), i + 1 == n);
          tb.expect(v, std::move(want), i + 1 == n);
        }
        tb.drain();
        tb.ctrl.wait_done(10'000);
        next += n;
      }
    });
  }
};

}  // namespace hlskit::cosim
