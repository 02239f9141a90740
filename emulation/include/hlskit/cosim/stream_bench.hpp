// A kernel cosimulation with one AXI4-Stream input, one AXI4-Stream output and ap_ctrl_hs control:
// the common case, put together from the pieces in this directory.
//
//   auto result = cosim::run<Vk_top>(options, bind_ports, cosim::lanes_codec(9, 16, false),
//       [&](cosim::stream_bench<Vk_top>& tb) {
//         for (...) tb.bus.write(weight_offset + 4 * i, weights[i]);  // configure over AXI-Lite
//         tb.ctrl.set_arg(count_offset, n);
//         tb.ctrl.start();
//         for (std::size_t v = 0; v < n; ++v) {
//           tb.push(v, encode(x[v]), v + 1 == n);                    // input beats
//           tb.expect(v, raw_codes(kernel(x[v])));                    // the C++ kernel's answer
//         }
//         tb.drain();                                                 // outputs compared as they come
//         tb.ctrl.wait_done();
//       });
//
// The scenario must be deterministic (same stimulus when called twice): on a failure with
// options.trace_path set, run() replays it with the same seed and dumps an FST of the cycles
// [first failure - trace_before, first failure + trace_after] only. The first pass never traces,
// so passing runs pay nothing for waveforms, and the file stays small however long the run.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "hlskit/cosim/axi_lite.hpp"
#include "hlskit/cosim/axi_stream.hpp"
#include "hlskit/cosim/bitvec.hpp"
#include "hlskit/cosim/report.hpp"
#include "hlskit/cosim/simulation.hpp"

namespace hlskit::cosim {

struct run_options {
  std::string kernel = "kernel";    // name in reports
  std::uint64_t seed = 1;           // back-pressure patterns
  double valid_gap_probability = 0;    // input stream: chance per cycle of holding TVALID low
  double ready_stall_probability = 0;  // output stream: chance per cycle of TREADY low
  std::size_t keep_mismatches = 16;    // reported in full; all are counted
  std::optional<std::uint32_t> random_init;  // initial state: empty all zero, else random (sim_options)
  std::string trace_path;              // FST of the failing window; empty: never trace
  std::uint64_t trace_before = 1000, trace_after = 100;  // window around the first failure, cycles
  std::size_t progress_every = 0;      // a line on stderr every N vectors; 0: quiet
  std::uint64_t idle_timeout = 10000;  // drain() fails after this many cycles without a beat
  std::uint64_t axil_timeout = 1000;   // per AXI-Lite transaction
  int reset_cycles = 4;
};

// How an inference's output beats become raw codes.
struct output_codec {
  std::size_t beats = 1;  // output beats per inference
  std::function<std::vector<std::int64_t>(const std::vector<bitvec>&)> decode;
};

// `lanes` values of `lane_width` bits packed from bit 0 of each beat (lane k at [k*w +: w]);
// output index = beat * lanes + lane. Signed lanes are sign-extended, as raw() codes are.
inline output_codec lanes_codec(int lane_width, int lanes, bool is_signed, std::size_t beats = 1) {
  return {beats, [=](const std::vector<bitvec>& bs) {
            std::vector<std::int64_t> codes;
            codes.reserve(bs.size() * static_cast<std::size_t>(lanes));
            for (const auto& b : bs)
              for (int k = 0; k < lanes; ++k)
                codes.push_back(is_signed ? b.get_signed(k * lane_width, lane_width)
                                          : static_cast<std::int64_t>(b.get(k * lane_width, lane_width)));
            return codes;
          }};
}

// in_r and out_r, and any further input streams a run consumes (sparse_llm's weights `w`): the
// bench makes a source for each (`side`), with the input's TVALID gaps, and drain() waits for them.
struct stream_ports {
  axis_port in, out;
  std::vector<axis_port> side = {};
};

template <class Model>
class stream_bench {
 public:
  using bind_ports = std::function<stream_ports(Model&)>;

  // Per inference (in push order): when its first input beat and its last output beat were accepted.
  struct inference {
    std::size_t vector, first_in_beat, batch;
    std::uint64_t first_in_cycle = 0, last_out_cycle = 0;
  };

  stream_bench(const run_options& opt, const bind_ports& bind, output_codec codec, run_result& result,
               sim_options sim_opt = {})
      : sim(with_initial_state(std::move(sim_opt), opt)),
        bus(sim, opt.axil_timeout),
        ctrl(bus),
        in(sim, bind(sim.top()).in, opt.valid_gap_probability, opt.seed),
        out(sim, bind(sim.top()).out, opt.ready_stall_probability, opt.seed ^ 0x9e3779b97f4a7c15ull),
        opt_(opt),
        codec_(std::move(codec)),
        result_(result),
        started_(std::chrono::steady_clock::now()) {
    out.on_beat([this](const axis_beat& b) { take(b); });
    std::uint64_t k = 0;
    for (auto& port : bind(sim.top()).side)
      side.push_back(std::make_unique<axis_source>(sim, std::move(port), opt.valid_gap_probability,
                                                   opt.seed ^ (0xd1b54a32d192ed03ull * ++k)));
  }

  simulation<Model> sim;
  axil_master<Model> bus;
  ap_ctrl<Model> ctrl;
  axis_source in;
  axis_sink out;
  std::vector<std::unique_ptr<axis_source>> side;

  run_result& result() { return result_; }
  const std::vector<inference>& inferences() const { return inferences_; }
  std::size_t completed() const { return completed_; }

  void push(std::size_t vector, std::vector<axis_beat> beats) {
    std::size_t first = in.pushed();
    for (auto& b : beats) in.push(std::move(b.data), b.last);
    inferences_.push_back({vector, first, batch_});
  }
  void push(std::size_t vector, bitvec beat, bool last = false) {
    inferences_.push_back({vector, in.push(std::move(beat), last), batch_});
  }
  // The codes inference `vector` must produce (outputs are matched to expectations in order);
  // last: the TLAST its final beat must carry, if it matters; beats: its output beats when they
  // vary per inference (0: the codec's count).
  void expect(std::size_t vector, std::vector<std::int64_t> codes, std::optional<bool> last = std::nullopt,
              std::size_t beats = 0) {
    expected_.push_back({vector, std::move(codes), last, beats ? beats : codec_.beats});
  }
  std::size_t outstanding() const { return expected_.size(); }

  // Ticks until all queued input went in and every expected inference came out. Intervals are
  // measured between inferences pushed within one drain() batch.
  void drain() {
    const auto beats_moved = [&] {
      std::size_t n = in.accepted() + out.accepted();
      for (const auto& s : side) n += s->accepted();
      return n;
    };
    const auto side_pending = [&] {
      std::size_t n = 0;
      for (const auto& s : side) n += s->pending();
      return n;
    };
    std::size_t moved = beats_moved();
    std::uint64_t quiet_since = sim.cycle();
    while (!expected_.empty() || in.pending() || side_pending()) {
      sim.tick();
      if (beats_moved() != moved) {
        moved = beats_moved();
        quiet_since = sim.cycle();
      } else if (sim.cycle() - quiet_since > opt_.idle_timeout) {
        throw cosim_error(fmt::format("{}: no stream beat for {} cycles, {} input beats pending, {} inferences "
                                      "outstanding (cycle {})",
                                      opt_.kernel, opt_.idle_timeout, in.pending() + side_pending(), expected_.size(),
                                      sim.cycle()),
                          sim.cycle());
      }
    }
    ++batch_;
  }

 private:
  struct expectation {
    std::size_t vector;
    std::vector<std::int64_t> codes;
    std::optional<bool> last;
    std::size_t beats;
  };

  void take(const axis_beat& b) {
    if (expected_.empty()) {
      result_.error(b.cycle, fmt::format("{}: unexpected output beat at cycle {}: {}", opt_.kernel, b.cycle, b.data.hex()));
      return;
    }
    const expectation& e = expected_.front();
    pending_beats_.push_back(b.data);
    if (pending_beats_.size() < e.beats) return;

    const std::vector<std::int64_t> actual = codec_.decode(pending_beats_);
    for (std::size_t k = 0; k < e.codes.size(); ++k)
      result_.compare(e.vector, k, e.codes[k], k < actual.size() ? actual[k] : 0, b.cycle);
    if (e.last) result_.compare(e.vector, e.codes.size(), *e.last, b.last, b.cycle, "tlast");
    ++result_.vectors;
    record_timing(completed_, b.cycle);
    pending_beats_.clear();
    expected_.pop_front();
    ++completed_;
    if (opt_.progress_every && completed_ % opt_.progress_every == 0)
      fmt::print(stderr, "cosim {}: {} vectors, {} mismatches, cycle {}, {:.1f} s\n", opt_.kernel, completed_,
                 result_.mismatch_count, b.cycle,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  }

  // Inference k (in push order) has just delivered its last output beat.
  void record_timing(std::size_t k, std::uint64_t out_cycle) {
    if (k >= inferences_.size() || inferences_[k].first_in_beat >= in.accepted()) return;
    inference& i = inferences_[k];
    i.first_in_cycle = in.accepted_cycle(i.first_in_beat);
    i.last_out_cycle = out_cycle;
    result_.latency.add(static_cast<double>(i.last_out_cycle - i.first_in_cycle));
    if (k > 0 && inferences_[k - 1].batch == i.batch)
      result_.interval.add(static_cast<double>(i.first_in_cycle - inferences_[k - 1].first_in_cycle));
  }

  static sim_options with_initial_state(sim_options so, const run_options& opt) {
    if (!so.random_init) so.random_init = opt.random_init;
    return so;
  }

  run_options opt_;
  output_codec codec_;
  run_result& result_;
  std::chrono::steady_clock::time_point started_;
  std::deque<expectation> expected_;
  std::vector<bitvec> pending_beats_;
  std::vector<inference> inferences_;
  std::size_t completed_ = 0, batch_ = 0;
};

namespace detail {
template <class Model, class Scenario>
void run_pass(const run_options& opt, const typename stream_bench<Model>::bind_ports& bind, const output_codec& codec,
              Scenario& scenario, run_result& r, sim_options so) {
  r.kernel = opt.kernel;
  r.seed = opt.seed;
  r.random_init = opt.random_init;
  r.valid_gap_probability = opt.valid_gap_probability;
  r.ready_stall_probability = opt.ready_stall_probability;
  r.keep_mismatches = opt.keep_mismatches;
  stream_bench<Model> tb(opt, bind, codec, r, std::move(so));
  try {
    tb.sim.reset(opt.reset_cycles);
    scenario(tb);
  } catch (const cosim_error& e) {
    r.error(e.cycle(), e.what());
  } catch (const stop_simulation&) {
    // the traced replay reached the end of its window
  }
  for (const auto& v : tb.out.violations()) r.error(v.cycle, v.message);
  r.cycles = tb.sim.cycle();
}
}  // namespace detail

// Runs `scenario(stream_bench<Model>&)` on a fresh, reset model and returns what it found; see the
// comment at the top of this file. Timeouts and protocol violations become errors in the result.
template <class Model, class Scenario>
run_result run(const run_options& opt, const typename stream_bench<Model>::bind_ports& bind, const output_codec& codec,
               Scenario&& scenario) {
  const auto t0 = std::chrono::steady_clock::now();
  run_result r;
  detail::run_pass<Model>(opt, bind, codec, scenario, r, {});
  if (!r.passed() && !opt.trace_path.empty() && r.first_failure_cycle) {
    const std::uint64_t fail = *r.first_failure_cycle;
    sim_options so;
    so.trace_path = opt.trace_path;
    so.trace_from = fail > opt.trace_before ? fail - opt.trace_before : 0;
    so.trace_until = so.stop_after = fail + opt.trace_after;
    run_result replay;
    try {
      detail::run_pass<Model>(opt, bind, codec, scenario, replay, so);
      if (replay.first_failure_cycle != r.first_failure_cycle)
        r.errors.push_back(fmt::format("waveform replay diverged (first failure at cycle {} vs {}): is the scenario "
                                       "deterministic?", replay.first_failure_cycle.value_or(0), fail));
      r.trace_file = opt.trace_path;
    } catch (const cosim_error& e) {  // e.g. the model was verilated without --trace-fst
      r.errors.push_back(std::string("waveform not written: ") + e.what());
    }
  }
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace hlskit::cosim
