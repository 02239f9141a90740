// The ECON-T encoder's RTL in Verilator: a stream of calorimeter events through each verilated
// configuration of autoencoder_top (emulation/: econt R = 1, fpga R = 8, r32_modes R = 32), driven
// by the shared cosim driver (emulation/kernels/autoencoder/cosim.hpp), which also
// compares every latent with encode<config> (exit 1 on any mismatch or protocol error).
// Printed per configuration: multipliers, measured cycles per inference (II) and latency, the
// efficiency ideal / measured cycles per inference, and the simulator's speed (simulated cycles
// and inferences per wall-clock second). No back-pressure: this is the throughput case.
//
// Simulator speed counts only the stream: each configuration also runs a one-image stream, and
// the differences (cycles, wall time) between the two runs remove what both pay once: building
// the model, reset, and the 2144 parameter writes over AXI-Lite.
//
//   bench_autoencoder_rtl [--events N (20000)] [--seed S] [--model M.json] [--report F.json]
#include "bench_common.hpp"

#include <autoencoder/cosim.hpp>
#include <hlskit/verilated/autoencoder_models.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

namespace ae = hlskit::autoencoder;
namespace hb = hlskit::bench;
namespace cosim = hlskit::cosim;
namespace aet = hlskit::cosim::autoencoder_top;

constexpr const char* program = "bench_autoencoder_rtl";

struct config_outcome {
  nlohmann::json json;
  std::string row;
  bool passed = false;
};

// All images in one run of `count` images (auto_restart off after it): one drain() batch, so
// every interval between consecutive images is measured.
template <class P>
cosim::run_result run_stream(const aet::param_set& params, const std::vector<hb::image>& images, std::uint64_t seed) {
  cosim::run_options opt;
  opt.kernel = fmt::format("autoencoder/{}", P::name);
  opt.seed = seed;
  const std::vector<aet::stimulus_set> sets = {{{"model", params, images.size()}, images}};
  return aet::run_sets<aet::driver<P>>(opt, sets, nullptr);
}

template <class P>
config_outcome bench_config(const aet::param_set& params, const std::vector<hb::image>& images, std::uint64_t seed) {
  constexpr int macs = ae::geometry::macs;                                // 3200
  constexpr int multipliers = (macs + P::reuse - 1) / P::reuse;           // ceil(3200 / R)
  constexpr int ideal_cycles = (macs + multipliers - 1) / multipliers;    // ceil(3200 / multipliers)
  const cosim::run_result one = run_stream<P>(params, {images.front()}, seed);
  const cosim::run_result all = run_stream<P>(params, images, seed);

  const double stream_cycles = static_cast<double>(all.cycles) - static_cast<double>(one.cycles);
  const double stream_seconds = all.wall_seconds - one.wall_seconds;
  const double stream_images = static_cast<double>(images.size() - 1);
  const bool timed = stream_cycles > 0 && stream_seconds > 0;
  const double cycles_per_second = timed ? stream_cycles / stream_seconds : 0;
  const double inferences_per_second = timed ? stream_images / stream_seconds : 0;
  const double measured_cycles = all.interval.mean();
  const double efficiency = measured_cycles > 0 ? ideal_cycles / measured_cycles : 0;

  config_outcome out;
  out.passed = one.passed() && all.passed() && all.vectors == images.size();
  for (const auto* r : {&one, &all})
    if (!r->passed()) std::fputs(r->table().c_str(), stderr);
  out.row = fmt::format("{:<10} {:>3} {:>11} {:>7} {:>10} {:>7} {:>8.2f} {:>10.3f} {:>12} {:>11.4g} {:>11.4g}  {}",
                        P::name, P::reuse, multipliers, all.vectors, all.mismatch_count, ideal_cycles, measured_cycles,
                        efficiency, fmt::format("{:.2f} ({:g}..{:g})", all.latency.mean(), all.latency.min, all.latency.max),
                        cycles_per_second, inferences_per_second, out.passed ? "PASS" : "FAIL");
  out.json = {{"config", P::name},
              {"reuse_factor", P::reuse},
              {"multipliers", multipliers},
              {"ideal_cycles_per_inference", ideal_cycles},
              {"cycles_per_inference", all.interval.to_json()},
              {"efficiency", efficiency},
              {"latency_cycles", all.latency.to_json()},
              {"nominal_latency_cycles", aet::driver<P>::nominal_latency},
              {"stream", {{"images", stream_images}, {"cycles", stream_cycles}, {"wall_seconds", stream_seconds},
                          {"simulated_cycles_per_second", cycles_per_second},
                          {"inferences_per_second", inferences_per_second}}},
              {"run", all.to_json()},
              {"one_image_run", {{"cycles", one.cycles}, {"wall_seconds", one.wall_seconds}, {"passed", one.passed()}}},
              {"passed", out.passed}};
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  hb::bench_options opt;
  opt.events = 20000;  // econt takes one image per cycle: enough cycles for a steady speed figure
  if (!hb::parse_options(argc, argv, program, false, opt)) return 2;
  if (opt.events < 2) {
    std::fprintf(stderr, "%s: --events must be >= 2 (the stream is measured against a one-image run)\n", program);
    return 2;
  }
  ae::model m;
  try {
    m = ae::load_model(opt.model);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 2;
  }
  const hb::event_set events = hb::make_events(m, opt.events, opt.seed);
  aet::param_set params;
  const auto codes = m.parameters();  // register-bank order, as the RTL's
  for (std::size_t i = 0; i < params.size(); ++i) params[i] = static_cast<std::int8_t>(codes[i]);

  fmt::print("ECON-T encoder RTL (Verilator), one stream of {} calorimeter events (seed {}) per configuration,\n"
             "no back-pressure; model {}. cycles/inf = measured II (mean), efficiency = ideal / measured,\n"
             "ideal = ceil(3200 / multipliers); sim speed over the stream only (wall clock, one core).\n\n",
             opt.events, opt.seed, opt.model);
  fmt::print("{:<10} {:>3} {:>11} {:>7} {:>10} {:>7} {:>8} {:>10} {:>12} {:>11} {:>11}  {}\n", "config", "R",
             "multipliers", "images", "mismatches", "ideal", "cyc/inf", "efficiency", "latency", "sim cyc/s",
             "sim inf/s", "result");
  std::vector<config_outcome> outcomes;
  const auto run = [&](config_outcome o) {
    std::puts(o.row.c_str());
    std::fflush(stdout);
    outcomes.push_back(std::move(o));
  };
  run(bench_config<ae_econt>(params, events.images, opt.seed));
  run(bench_config<ae_fpga>(params, events.images, opt.seed));
  run(bench_config<ae_r32_modes>(params, events.images, opt.seed));

  bool passed = true;
  nlohmann::json report = {{"benchmark", "autoencoder_rtl"}, {"model", opt.model}, {"events", opt.events},
                           {"seed", opt.seed}, {"configs", nlohmann::json::array()}};
  for (const auto& o : outcomes) {
    passed = passed && o.passed;
    report["configs"].push_back(o.json);
  }
  report["passed"] = passed;
  if (!hb::write_report(program, opt.report, report)) return 2;
  if (!passed) {
    std::fprintf(stderr, "%s: the RTL disagrees with encode<config> or broke the protocol (details above)\n", program);
    return 1;
  }
  return 0;
}
