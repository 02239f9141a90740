// `hlskit csim | cosim | train autoencoder` and the autoencoder part of `hlskit demo`.
//
// Inputs (.npy, shape (n, 8, 8, 1) or (n, 64)): an integer dtype holds raw ufixed<8,1> codes
// (0..255, anything else is an error); a float dtype holds values, quantized to ufixed<8,1>
// round-half-up with saturation (NaN and infinity are errors). With --energies the float values
// are sum-normalized cell energies and the model's input gain applies first (the convention the
// model was trained with: reference.hpp input_code).
// Outputs: (n, 16) latents as raw ufixed<9,0> codes (uint16; --output-as codes, the default) or as
// values (float64 = code / 512; --output-as values).
#include "autoencoder_cli.hpp"

#include "cosim_cli.hpp"
#include "outputs.hpp"

#include <autoencoder/autoencoder.hpp>
#include <hlskit/autoencoder/evaluate.hpp>
#include <hlskit/autoencoder/model.hpp>
#include <hlskit/autoencoder/reference.hpp>
#include <hlskit/autoencoder/train.hpp>
#include <hlskit/hw/autoencoder_configs.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/npy.hpp>

#ifdef HLSKIT_HAVE_RTL
#include <autoencoder/cosim.hpp>
#include <hlskit/verilated/autoencoder_models.hpp>
#endif

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace hlskit::cli::autoencoder_cli {

namespace ae = hlskit::autoencoder;

namespace {

using image = std::array<std::uint8_t, ae::geometry::pixels>;  // raw ufixed<8,1> codes

std::string model_path(const command& cmd) { return cmd.model.empty() ? ae::default_model_path() : cmd.model; }

ae::model load(const command& cmd) { return ae::load_model(model_path(cmd)); }

// The files of csim / cosim: the model (given or embedded) and --input are read.
void plan_inputs(file_plan& plan, const command& cmd) {
  plan.input(cmd.model.empty() ? "the embedded model" : "--model", model_path(cmd));
  plan.input("--input", cmd.input);
}

// The images of an input file (see the top of this file); *clipped counts float values that
// saturated.
std::vector<image> read_images(const std::string& path, const ae::model& m, bool energies, std::size_t* clipped) {
  const npy::array a = npy::read(path);
  const auto& s = a.shape;
  const bool nhwc = s.size() == 4 && s[1] == 8 && s[2] == 8 && s[3] == 1;
  const bool flat = s.size() == 2 && s[1] == 64;
  if (!nhwc && !flat)
    throw usage_error(fmt::format("{}: shape {}: expected (n, 8, 8, 1) or (n, 64)", path, npy::shape_string(s)));
  if (s[0] == 0) throw usage_error(fmt::format("{}: no images (shape {})", path, npy::shape_string(s)));
  const std::size_t n = s[0];
  std::vector<image> images(n);
  *clipped = 0;
  if (npy::is_integer(a.type)) {
    if (energies) throw usage_error(fmt::format("{}: --energies needs a float dtype, found {}", path, npy::type_name(a.type)));
    const auto codes = a.as<std::int64_t>();
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (codes[i] < 0 || codes[i] > 255)
        throw usage_error(fmt::format("{}: element {} (image {}, cell {}): code {} is out of range for ufixed<8,1> (0..255)",
                                      path, i, i / 64, i % 64, codes[i]));
      images[i / 64][i % 64] = static_cast<std::uint8_t>(codes[i]);
    }
    return images;
  }
  const auto values = a.as<double>();
  const int gain = energies ? m.input_gain : 1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      throw usage_error(fmt::format("{}: element {} (image {}, cell {}) is {}: expected a finite value", path, i, i / 64,
                                    i % 64, values[i]));
    const std::int64_t code = ae::input_code(gain, values[i]);
    const double scaled = gain * values[i] * 128;
    if (scaled < -0.5 || scaled >= 255.5) ++*clipped;
    images[i / 64][i % 64] = static_cast<std::uint8_t>(code);
  }
  return images;
}

// Held-out calorimeter events (another seed's stream than training's) in the model's input
// convention.
std::vector<image> calorimeter_images(const ae::model& m, std::size_t n, std::uint64_t seed) {
  ae::train_options o;
  o.seed = seed;
  const auto cells = ae::dataset_events(o, true, n);
  std::vector<image> images(cells.size() / 64);
  for (std::size_t i = 0; i < cells.size(); ++i)
    images[i / 64][i % 64] = static_cast<std::uint8_t>(ae::input_code(m.input_gain, cells[i]));
  return images;
}

template <class Config>
void encode_all(const ae::model& m, const std::vector<image>& images, std::vector<std::uint16_t>& latents) {
  const auto w = ae::to_weights<Config>(m);
  latents.resize(images.size() * Config::latent);
  typename Config::input_t x[Config::pixels];
  typename Config::latent_t y[Config::latent];
  for (std::size_t n = 0; n < images.size(); ++n) {
    for (int p = 0; p < Config::pixels; ++p) x[p] = Config::input_t::from_raw(images[n][static_cast<std::size_t>(p)]);
    ae::encode<Config>(x, w, y);
    for (int k = 0; k < Config::latent; ++k)
      latents[n * Config::latent + static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(y[k].raw());
  }
}

void encode_all(const std::string& config, const ae::model& m, const std::vector<image>& images,
                std::vector<std::uint16_t>& latents) {
  if (!hw::autoencoder::with_config(config, [&](auto tag) { encode_all<typename decltype(tag)::type>(m, images, latents); }))
    throw usage_error("no config '" + config + "'");
}

}  // namespace

// ---- csim -------------------------------------------------------------------------------------

int csim(const command& cmd) {
  if (cmd.input.empty()) throw usage_error("--input X.npy is required");
  if (cmd.output_as != "codes" && cmd.output_as != "values")
    throw usage_error("--output-as: expected 'codes' or 'values', found '" + cmd.output_as + "'");
  file_plan plan;
  plan_inputs(plan, cmd);
  plan.output("--output", cmd.output);
  plan.output("--report", cmd.report);
  plan.check();
  const ae::model m = load(cmd);
  const std::string config = config_of(cmd, m.config);
  std::size_t clipped = 0;
  const auto images = read_images(cmd.input, m, cmd.energies, &clipped);

  std::vector<std::uint16_t> latents;
  const auto t0 = std::chrono::steady_clock::now();
  encode_all(config, m, images, latents);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::size_t n = images.size();
  staged_outputs staged;
  if (!cmd.output.empty()) {
    if (cmd.output_as == "codes") {
      npy::write(staged.stage(cmd.output), {n, 16}, latents);
    } else {
      std::vector<double> values(latents.size());
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = latents[i] / 512.0;
      npy::write(staged.stage(cmd.output), {n, 16}, values);
    }
  }
  std::size_t zero = 0, top = 0;
  for (auto c : latents) {
    zero += c == 0;
    top += c == 511;
  }
  const double rate = seconds > 0 ? static_cast<double>(n) / seconds : 0;
  fmt::print("csim autoencoder ({}): {} images, {} input values clipped to ufixed<8,1>\n"
             "  latents: {} codes, {} zero, {} at the maximum (511)\n"
             "  {:.3f} s, {:.0f} inferences/s\n",
             config, n, clipped, latents.size(), zero, top, seconds, rate);
  write_report(staged, cmd.report, {{"kernel", "autoencoder"},
                            {"action", "csim"},
                            {"config", config},
                            {"model", model_path(cmd)},
                            {"input", cmd.input},
                            {"images", n},
                            {"input_values_clipped", clipped},
                            {"output", cmd.output},
                            {"output_as", cmd.output_as},
                            {"latent_codes", {{"count", latents.size()}, {"zero", zero}, {"max", top}}},
                            {"seconds", seconds},
                            {"inferences_per_second", rate}});
  staged.commit();
  if (!cmd.output.empty()) fmt::print("  wrote {} ({} x 16 {})\n", cmd.output, n, cmd.output_as == "codes" ? "raw ufixed<9,0> codes, uint16" : "values, float64");
  return 0;
}

// ---- cosim ------------------------------------------------------------------------------------

namespace {

#ifdef HLSKIT_HAVE_RTL
namespace aet = cosim::autoencoder_top;

// The stimulus: the model's parameters with the corner images, every data image, then sparse
// and random images up to `vectors` (whole runs of 64); then each corner weight set (every
// parameter -1, +31/32, alternating) with the corner images and random ones.
std::vector<aet::stimulus_set> cosim_stimulus(const ae::model& m, const std::vector<image>& data, std::size_t vectors,
                                              std::uint64_t seed) {
  aet::param_set params;
  const auto codes = m.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i] = static_cast<std::int8_t>(codes[i]);
  aet::stimulus_set user{{"model", params, 64}, aet::corner_images()};
  user.images.insert(user.images.end(), data.begin(), data.end());
  std::mt19937_64 rng(seed);
  aet::fill_images(user, vectors, rng);
  auto sets = aet::make_stimulus(seed + 1, aet::corner_weight_cases(), 200);
  sets.insert(sets.begin(), std::move(user));
  return sets;
}

template <class P>
cosim_outcome cosim_config(const ae::model& m, const std::vector<image>& data, const command& cmd, std::size_t vectors) {
  using driver = aet::driver<P>;
  const auto sets = cosim_stimulus(m, data, vectors, cmd.seed);
  std::size_t total = 0;
  for (const auto& s : sets) total += s.images.size();
  cosim_outcome out;
  const std::size_t corners = aet::corner_images().size(), model_set = sets.front().images.size();
  out.json = {{"config", P::name},
              {"reuse_factor", P::reuse},
              {"model_set", {{"corner_images", corners},
                             {"data_images", data.size()},
                             {"generated_images", model_set - corners - data.size()},
                             {"vectors", model_set}}},
              {"corner_weight_set_vectors", total - model_set},
              {"passes", nlohmann::json::array()}};
  fmt::print("cosim autoencoder ({}): model set {} vectors: {} corner images, {} data images, {} generated; "
             "corner weight sets {} vectors\n",
             P::name, model_set, corners, data.size(), model_set - corners - data.size(), total - model_set);
  for (const back_pressure& p : back_pressure_passes) {
    cosim::run_options opt;
    opt.kernel = fmt::format("autoencoder/{}", P::name);
    opt.seed = cmd.seed;
    if (cmd.random_init != 0) opt.random_init = cmd.random_init;
    opt.valid_gap_probability = p.gaps;
    opt.ready_stall_probability = p.stalls;
    opt.progress_every = total >= 20000 ? 10000 : 0;
    if (P::traced) opt.trace_path = cmd.trace;
    const cosim::run_result r = aet::run_sets<driver>(opt, sets, nullptr);
    // Without back-pressure the kernel must accept an image every R cycles, also across runs.
    const bool ii_ok = p.gaps > 0 || (r.interval.min == P::reuse && r.interval.max == P::reuse);
    const bool ok = r.passed() && r.vectors == total && ii_ok;
    out.passed = out.passed && ok;
    out.vectors += r.vectors;
    out.mismatches += r.mismatch_count;
    std::fputs(r.table().c_str(), stdout);
    if (!ii_ok) fmt::print("  II {}..{} cycles, expected {} (the reuse factor)\n", r.interval.min, r.interval.max, P::reuse);
    auto j = r.to_json();
    j["back_pressure"] = p.name;
    j["ii_equals_reuse_factor"] = ii_ok;
    out.json["passes"].push_back(j);
    const auto brief = [](const cosim::stats& s) { return fmt::format("{:.2f} ({:g}..{:g})", s.mean(), s.min, s.max); };
    out.table_rows.push_back(fmt::format("  {:<6} {:>3}  {:<7} {:>7} {:>10} {:>10}  {:<18} {:<18} {}", P::name, P::reuse,
                                         p.name, r.vectors, r.outputs_compared, r.mismatch_count, brief(r.latency),
                                         brief(r.interval), ok ? "PASS" : "FAIL"));
  }
  out.json["passed"] = out.passed;
  return out;
}
#endif

std::string cosim_table_header() {
  return fmt::format("  {:<6} {:>3}  {:<7} {:>7} {:>10} {:>10}  {:<18} {:<18} {}", "config", "R", "BP", "vectors",
                     "outputs", "mismatches", "latency", "II", "result");
}

cosim_outcome run_cosim(const std::string& config, const ae::model& m, const std::vector<image>& data,
                        const command& cmd, std::size_t vectors) {
#ifdef HLSKIT_HAVE_RTL
  if (config == "econt") return cosim_config<ae_econt>(m, data, cmd, vectors);
  if (config == "fpga") return cosim_config<ae_fpga>(m, data, cmd, vectors);
  throw usage_error("no verilated model of config '" + config + "'");
#else
  (void)config, (void)m, (void)data, (void)cmd, (void)vectors;
  throw usage_error("this hlskit was built without the RTL models (configure with -DHLSKIT_BUILD_COSIM=ON)");
#endif
}

void require_rtl() {
#ifndef HLSKIT_HAVE_RTL
  throw usage_error("this hlskit was built without the RTL models (configure with -DHLSKIT_BUILD_COSIM=ON)");
#endif
}

// Whether a config's verilated model can write waveforms (emulation/CMakeLists.txt).
void check_trace_support(const command& cmd, const std::string& config) {
#ifdef HLSKIT_HAVE_RTL
  std::string traced;
  if (ae_econt::traced) traced += "econt";
  if (ae_fpga::traced) traced += traced.empty() ? "fpga" : ", fpga";
  check_trace(cmd, config, config == "econt" ? ae_econt::traced : ae_fpga::traced, traced);
#else
  (void)cmd, (void)config;
#endif
}

// The vectors of the model set (cosim_stimulus): the corner images, the data, the rest generated.
constexpr std::size_t corner_image_count = 2 + ae::geometry::pixels;

}  // namespace

int cosim(const command& cmd) {
  file_plan plan;
  plan_inputs(plan, cmd);
  plan.output("--trace", cmd.trace);
  plan.output("--report", cmd.report);
  plan.check();
  require_rtl();
  const ae::model m = load(cmd);
  const std::string config = config_of(cmd, m.config);
  check_trace_support(cmd, config);
  const std::size_t vectors = cmd.vectors > 0 ? static_cast<std::size_t>(cmd.vectors) : 10000;
  if (vectors < 100) throw usage_error("--vectors: at least 100 (the corner images alone are 66)");
  check_vector_count(vectors, "--vectors");
  std::size_t clipped = 0;
  // Without --input: held-out calorimeter events fill three quarters of the model set, the
  // rest are sparse and random images. With --input: every image of the file is simulated.
  const auto data = cmd.input.empty() ? calorimeter_images(m, vectors - vectors / 4 - corner_image_count, cmd.seed)
                                      : read_images(cmd.input, m, cmd.energies, &clipped);
  if (!cmd.input.empty()) check_vector_count(corner_image_count + data.size(), "--input " + cmd.input);
  fmt::print("cosim autoencoder ({}): at least {} vectors under the model + corner weight sets; all {} data images ({}, "
             "{} input values clipped to ufixed<8,1>); seed {}\n",
             config, vectors, data.size(), cmd.input.empty() ? "held-out calorimeter events" : cmd.input, clipped,
             cmd.seed);
  const auto r = run_cosim(config, m, data, cmd, vectors);
  fmt::print("summary (cycles: mean (min..max))\n{}\n", cosim_table_header());
  for (const auto& row : r.table_rows) fmt::print("{}\n", row);
  auto j = r.json;
  j["kernel"] = "autoencoder";
  j["action"] = "cosim";
  j["model"] = model_path(cmd);
  j["input"] = cmd.input.empty() ? "calorimeter (held-out)" : cmd.input;
  j["input_values_clipped"] = clipped;
  staged_outputs staged;
  write_report(staged, cmd.report, j);
  staged.commit();
  return r.passed ? 0 : 1;
}

// ---- train ------------------------------------------------------------------------------------

int train(const command& cmd) {
  if (cmd.output.empty()) throw usage_error("--output M.json is required (the model file to write)");
  const std::string config = config_of(cmd);  // --config, else the declaration's first
  file_plan plan;
  plan.output("--output", cmd.output);
  plan.output("--report", cmd.report);
  plan.check();
  ae::train_options o;
  o.seed = cmd.seed;
  if (cmd.epochs > 0) o.epochs = cmd.epochs;
  if (cmd.events > 0) o.events = static_cast<std::size_t>(cmd.events);
  if (!cmd.dataset.empty()) o.dataset = cmd.dataset;
  o.progress = [](const ae::epoch_progress& p) { std::fprintf(stderr, "%s\n", p.line().c_str()); };
  ae::train_report tr;
  ae::model m;
  try {
    m = ae::train(o, &tr);
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }
  m.config = config;
  staged_outputs staged;
  ae::save_model(staged.stage(cmd.output), m);
  // The held-out quality: csim vs the float encoder.
  const auto heldout = ae::dataset_events(o, true, 2000);
  const auto ev = ae::evaluate(m, heldout);
  write_report(staged, cmd.report, {{"kernel", "autoencoder"},
                            {"action", "train"},
                            {"output", cmd.output},
                            {"seed", o.seed},
                            {"dataset", o.dataset},
                            {"epochs", o.epochs},
                            {"training_events", tr.training_events},
                            {"epoch_loss", tr.epoch_loss},
                            {"input_gain", tr.input_gain},
                            {"seconds", tr.seconds},
                            {"heldout", ev.to_json()}});
  staged.commit();
  fmt::print("trained autoencoder: {} epochs on {} {} events in {:.1f} s (seed {}), input gain {}\n"
             "  kernel == training forward pass on all {} training events\n  wrote {}\n\n{}",
             tr.epoch_loss.size(), tr.training_events, o.dataset, tr.seconds, o.seed, tr.input_gain,
             tr.verified_events, cmd.output, ev.table());
  return ev.bound_exceeded == 0 ? 0 : 1;
}

// ---- demo -------------------------------------------------------------------------------------

bool demo(const demo_options& options, nlohmann::json& report, summary_table& summary) {
  command cmd;
  cmd.seed = options.seed;
  cmd.random_init = options.random_init;
  const ae::model m = load(cmd);
  fmt::print("== autoencoder (ECON-T encoder): embedded model {}\n\n", ae::default_model_path());

  // Data -> csim and float encoder -> EMD.
  ae::train_options o;
  o.seed = options.seed;
  const auto cells = ae::dataset_events(o, true, static_cast<std::size_t>(options.events));
  const auto ev = ae::evaluate(m, cells);
  fmt::print("{}\n", ev.table());
  const bool bound_ok = ev.bound_exceeded == 0;
  summary.add("autoencoder", "data", fmt::format("{} held-out calorimeter events (seed {})", ev.events, options.seed));
  summary.add("autoencoder", "csim vs float",
              fmt::format("latent error mean {:.2f} LSB (bound {:.2f} LSB, exceeded on {} events)",
                          ev.latent_error_mean.mean * 512, ev.latent_error_bound * 512, ev.bound_exceeded),
              bound_ok);
  summary.add("autoencoder", "EMD (cells)",
              fmt::format("csim {:.4f} vs float {:.4f} (mean; {:+.1f} %)", ev.emd_csim.mean, ev.emd_float.mean,
                          100 * (ev.emd_csim.mean / ev.emd_float.mean - 1)));

  // Cosim of both named configs on the same events: as many as fill three quarters of the
  // model set (the rest are sparse and random images), said in the summary.
  const auto vectors = static_cast<std::size_t>(options.vectors);
  const std::size_t used = std::min(cells.size() / 64, vectors - vectors / 4 - corner_image_count);
  std::vector<image> data(used);
  for (std::size_t i = 0; i < used * 64; ++i)
    data[i / 64][i % 64] = static_cast<std::uint8_t>(ae::input_code(m.input_gain, cells[i]));
  bool passed = bound_ok;
  nlohmann::json cos = nlohmann::json::array();
  std::vector<std::string> rows;
  for (const auto& c : hw::autoencoder::configs) {
    const std::string config = c.name;
    const auto r = run_cosim(config, m, data, cmd, vectors);
    passed = passed && r.passed;
    cos.push_back(r.json);
    rows.insert(rows.end(), r.table_rows.begin(), r.table_rows.end());
    const auto& none = r.json["passes"][0];
    summary.add("autoencoder", fmt::format("cosim {}", config),
                fmt::format("{} vectors ({} of the {} events), {} mismatches; II {} cycles, latency {} cycles",
                            r.vectors, used, cells.size() / 64, r.mismatches,
                            none["interval_cycles"].value("mean", 0.0), none["latency_cycles"].value("mean", 0.0)),
                r.passed);
  }
  fmt::print("cosim summary (cycles: mean (min..max))\n{}\n", cosim_table_header());
  for (const auto& row : rows) fmt::print("{}\n", row);
  fmt::print("\n");
  report["autoencoder"] = {{"model", ae::default_model_path()}, {"evaluation", ev.to_json()}, {"cosim", cos}, {"passed", passed}};
  return passed;
}

kernel_actions actions() { return {csim, cosim, train, demo}; }

}  // namespace hlskit::cli::autoencoder_cli
