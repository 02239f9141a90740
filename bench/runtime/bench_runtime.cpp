// The host runtime's cost (issue 11, item 8): items per second of each backend this build has
// (hlskit::detail::backends()) against the plain C simulation (loaded_model::csim called
// directly) and, where the Verilated models are built, the raw cosim harness, as ratios measured
// in one run (interleaved rounds, the best round of each counting: bench/common/timing.hpp). The
// raw cosim's figure is its stream alone (bench_autoencoder_rtl's rule): a one-item run's time
// (building the model, reset, 2144 parameter writes) is subtracted; the backends keep their
// device, kernel and model open across passes, so neither side pays setup.
//
// Per registered kernel (its first config: autoencoder econt, svm default) and batch (1,000 and
// 10,000 items of random raw codes): a backend pass is the whole host path a driver pays:
// write + sync to the device, start, wait, sync from the device + read. Every backend's output
// must equal the plain call's, byte for byte (exit 1 otherwise); timing never fails the program.
//
// Targets (reported, not enforced): systemc overhead (plain / systemc time) <= 2x at >= 1,000
// items; rtl >= 0.5x the raw Verilator cosim's items per second.
//
//   bench_runtime [--seconds S (0.5 per variant)] [--batches N,N (1000,10000)] [--report F.json]
#include "../common/timing.hpp"

#include <hlskit/detail/backend.hpp>
#include <hlskit/host.hpp>
#include <hlskit/stimulus.hpp>
#include <hlskit/model_file.hpp>

#if HLSKIT_HAVE_RAW_COSIM
#include "../autoencoder/bench_common.hpp"

#include <autoencoder/cosim.hpp>
#include <hlskit/verilated/autoencoder_models.hpp>
#endif

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace hb = hlskit::bench;
constexpr const char* program = "bench_runtime";

// One backend's device, kernel and buffers for a batch, opened once; pass() is one host pass.
struct backend_run {
  std::string name;
  hlskit::device dev;
  hlskit::kernel k;
  hlskit::buffer in, out;
  std::vector<std::uint8_t> result;
  std::uint64_t cycles = 0;
  double simulated_ns = 0;

  backend_run(const std::string& backend, const hlskit::kernel_decl& decl, const std::vector<std::uint8_t>& input,
              std::size_t items)
      : name(backend), dev(hlskit::device::open(backend)), k(dev.kernel(decl.name, decl.configs.front().name)) {
    k.load_model("");
    in = hlskit::buffer(dev, input.size());
    out = hlskit::buffer(dev, items * k.output().item_bytes());
    result.resize(out.size());
  }
  void pass(const std::vector<std::uint8_t>& input, std::size_t items) {
    in.write(input.data(), input.size());
    in.sync(hlskit::sync::to_device);
    hlskit::run r = k(in, out, items);
    r.wait(std::chrono::minutes(10));
    out.sync(hlskit::sync::from_device);
    out.read(result.data(), result.size());
    cycles = r.cycles();
    simulated_ns = r.simulated_time().count();
  }
};

struct options {
  double seconds = 0.5;
  std::vector<std::size_t> batches{1000, 10000};
  std::string report;
};

std::optional<options> parse(int argc, char** argv) {
  options o;
  const char* usage = "usage: bench_runtime [--seconds S] [--batches N,N,...] [--report F.json]\n";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      o.seconds = std::atof(argv[++i]);
    } else if (arg == "--batches" && i + 1 < argc) {
      o.batches.clear();
      std::stringstream s(argv[++i]);
      for (std::string item; std::getline(s, item, ',');) o.batches.push_back(std::strtoull(item.c_str(), nullptr, 10));
    } else if (arg == "--report" && i + 1 < argc) {
      o.report = argv[++i];
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n%s", program, arg.c_str(), usage);
      return std::nullopt;
    }
  }
  bool ok = o.seconds > 0 && !o.batches.empty();
  for (const auto b : o.batches) ok = ok && b >= 1 && b <= 1000000;
  if (!ok) {
    std::fprintf(stderr, "%s: --seconds must be > 0 and every batch in 1..1000000\n%s", program, usage);
    return std::nullopt;
  }
  return o;
}

#if HLSKIT_HAVE_RAW_COSIM
// The raw cosim harness on the autoencoder's econt RTL: `items` calorimeter events in one stream
// through the Verilated model (no runtime, no platform), the outputs checked by the harness.
double raw_cosim_seconds(std::size_t items, bool& passed) {
  namespace aet = hlskit::cosim::autoencoder_top;
  const hlskit::autoencoder::model m = hlskit::autoencoder::load_model(std::string(HLSKIT_MODELS_DIR) + "/autoencoder/econt.json");
  const hb::event_set events = hb::make_events(m, items, 1);
  aet::param_set params;
  const auto codes = m.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i] = static_cast<std::int8_t>(codes[i]);
  hlskit::cosim::run_options opt;
  opt.kernel = "autoencoder/econt";
  opt.seed = 1;
  const std::vector<aet::stimulus_set> sets = {{{"model", params, events.images.size()}, events.images}};
  const auto r = aet::run_sets<aet::driver<hlskit::verilated::autoencoder_econt>>(opt, sets, nullptr);
  passed = r.passed() && r.vectors == items;
  return r.wall_seconds;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parse(argc, argv);
  if (!parsed) return 2;
  const options& o = *parsed;
  bool agree = true;
  nlohmann::json report = {{"benchmark", "runtime"}, {"seconds_per_variant", o.seconds}, {"cases", nlohmann::json::array()}};
  std::string backends;
  for (const auto& b : hlskit::detail::backends()) backends += (backends.empty() ? "" : ", ") + std::string(b.name);
  fmt::print("host runtime vs the plain C simulation (loaded_model::csim), items/s on one core; a backend pass is\n"
             "write + sync + start + wait + sync + read. Backends: {}. ratio = backend items/s / plain items/s.\n\n",
             backends);
  fmt::print("{:<22} {:>7} {:<8} {:>14} {:>9} {:>10} {:>12}  {}\n", "kernel", "items", "variant", "items/s", "ratio",
             "overhead", "cycles", "outputs");
  try {
    for (const auto& decl : hlskit::kernels()) {
      const std::string config = decl.configs.front().name;
      const auto model = decl.load(config, "");
      for (const std::size_t items : o.batches) {
        const auto input = hlskit::random_items(model->input(), items, 3);
        std::vector<std::uint8_t> expected(items * model->output().item_bytes());
        std::vector<hb::variant> variants;
        variants.push_back({"plain", [&] {
                              model->csim(input.data(), expected.data(), items);
                              hb::keep(expected);
                            }});
        std::vector<std::unique_ptr<backend_run>> runs;
        for (const auto& b : hlskit::detail::backends()) {
          runs.push_back(std::make_unique<backend_run>(b.name, decl, input, items));
          backend_run* r = runs.back().get();
          variants.push_back({b.name, [r, &input, items] { r->pass(input, items); }});
        }
#if HLSKIT_HAVE_RAW_COSIM
        bool raw_passed = true;
        if (decl.name == "autoencoder" && config == "econt" && items >= 2) {
          // The stream alone: the one-item run (model build, reset, parameter writes) subtracted.
          variants.push_back({"raw", [&] {
                                bool p = true;
                                raw_cosim_seconds(items, p);
                                raw_passed = raw_passed && p;
                              }});
          variants.push_back({"raw1", [&] {
                                bool p = true;
                                raw_cosim_seconds(1, p);
                                raw_passed = raw_passed && p;
                              }});
        }
#endif
        hb::measure(variants, o.seconds);
        const double plain_ips = static_cast<double>(items) / variants.front().best_seconds;
        double raw_ips = 0, raw_seconds = 0, raw1_seconds = 0;
        for (const auto& v : variants) {
          if (v.name == "raw") raw_seconds = v.best_seconds;
          if (v.name == "raw1") raw1_seconds = v.best_seconds;
        }
        if (raw_seconds > raw1_seconds && raw1_seconds > 0)
          raw_ips = static_cast<double>(items - 1) / (raw_seconds - raw1_seconds);
        nlohmann::json c = {{"kernel", decl.name}, {"config", config}, {"items", items}, {"variants", nlohmann::json::array()}};
        for (std::size_t i = 0; i < variants.size(); ++i) {
          const auto& v = variants[i];
          if (v.name == "raw1" || (v.name == "raw" && raw_ips <= 0)) continue;  // raw1: folded into raw's figure
          const double ips = v.name == "raw" ? raw_ips : static_cast<double>(items) / v.best_seconds;
          const backend_run* r = i >= 1 && i <= runs.size() ? runs[i - 1].get() : nullptr;
          bool same = true;
          std::string outputs = v.name == "plain" ? "reference" : "-";
          if (r != nullptr) {
            same = r->result == expected;
            outputs = same ? "identical" : "DIFFER";
          }
#if HLSKIT_HAVE_RAW_COSIM
          if (v.name == "raw") {
            same = raw_passed;
            outputs = raw_passed ? "harness PASS" : "harness FAIL";
          }
#endif
          agree = agree && same;
          nlohmann::json j = {{"variant", v.name}, {"items_per_second", ips}, {"seconds_per_pass", v.best_seconds},
                              {"ratio_to_plain", ips / plain_ips}, {"overhead", plain_ips / ips}, {"outputs_agree", same}};
          std::string cycles = "-";
          if (r != nullptr && r->cycles != 0) {
            j["cycles"] = r->cycles;
            j["simulated_ns"] = r->simulated_ns;
            cycles = std::to_string(r->cycles);
          }
          if (v.name == "rtl" && raw_ips > 0) j["ratio_to_raw_cosim"] = ips / raw_ips;
          c["variants"].push_back(j);
          fmt::print("{:<22} {:>7} {:<8} {:>14.0f} {:>9.3f} {:>9.2f}x {:>12}  {}\n", decl.name + "/" + config, items,
                     v.name, ips, ips / plain_ips, plain_ips / ips, cycles, outputs);
        }
        // The targets, reported.
        for (const auto& j : c["variants"]) {
          if (j["variant"] == "systemc" && items >= 1000)
            c["systemc_overhead_target_met"] = j["overhead"].get<double>() <= 2.0;
          if (j.contains("ratio_to_raw_cosim")) c["rtl_vs_raw_target_met"] = j["ratio_to_raw_cosim"].get<double>() >= 0.5;
        }
        report["cases"].push_back(c);
        std::fflush(stdout);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 2;
  }
  fmt::print("\ntargets: systemc overhead <= 2x plain at >= 1,000 items; rtl >= 0.5x the raw Verilator cosim"
             " (reported in the JSON per case; never pass/fail)\n");
  report["outputs_agree"] = agree;
  if (!o.report.empty()) {
    try {
      hlskit::model_file::write_json(o.report, report);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", program, e.what());
      return 2;
    }
  }
  if (!agree) {
    std::fprintf(stderr, "%s: a backend's outputs differ from the plain C simulation's (table above)\n", program);
    return 1;
  }
  return 0;
}
