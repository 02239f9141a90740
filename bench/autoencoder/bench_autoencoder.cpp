// The ECON-T encoder's C simulation three ways on one core, measured in one run on the same
// calorimeter events and the same model:
//   a. the bit-exact kernel hlskit::autoencoder::encode<econt> (hls/kernels/autoencoder/)
//   b. the same arithmetic in hand-written integer code (encode_int.cpp)
//   c. the float reference encoder (Eigen, double; host reference.hpp), one call for all events
// (a) and (b) must give identical latent codes on every image (exit 1 otherwise); then
// inferences/s and the ratios are printed as a table and, with --report F.json, as JSON.
// Timing never fails the program: the a/b target (>= 0.8) is reported, not asserted.
//
//   bench_autoencoder [--events N] [--seconds S] [--seed S] [--model M.json] [--report F.json]
#include "bench_common.hpp"
#include "../common/timing.hpp"
#include "encode_int.hpp"

#include <autoencoder/autoencoder.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace {

namespace ae = hlskit::autoencoder;
namespace hb = hlskit::bench;
using cfg = ae::econt;

constexpr const char* program = "bench_autoencoder";
constexpr double kernel_vs_integer_target = 0.8;

using hb::keep;
using hb::variant;

// Out of line, as the integer encoder is (its own translation unit), so both are laid out alike.
__attribute__((noinline)) void encode_kernel(const cfg::input_t* image, const ae::weights<cfg>& w, cfg::latent_t* latent) {
  ae::encode<cfg>(image, w, latent);
}

}  // namespace

int main(int argc, char** argv) {
  hb::bench_options opt;
  if (!hb::parse_options(argc, argv, program, true, opt)) return 2;
  ae::model m;
  try {
    m = ae::load_model(opt.model);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 2;
  }
  const std::size_t n = opt.events;
  const hb::event_set events = hb::make_events(m, n, opt.seed);
  constexpr int pixels = cfg::pixels, latents = cfg::latent;

  // Each variant's inputs in its own representation, prepared outside the timed passes.
  const ae::weights<cfg> kernel_weights = ae::to_weights<cfg>(m);
  std::vector<cfg::input_t> kernel_in(n * pixels);
  for (std::size_t i = 0; i < n * pixels; ++i) kernel_in[i] = cfg::input_t::from_raw(events.images[i / pixels][i % pixels]);
  std::vector<cfg::latent_t> kernel_out(n * latents);

  const hb::int_encoder int_weights = hb::make_int_encoder(m);
  std::vector<std::uint16_t> int_out(n * latents);

  const ae::float_encoder float_weights = ae::encoder_from_codes(m);
  const ae::batch float_in = ae::kernel_inputs(m.input_gain, events.cells.data(), n, true);  // the same codes / 128
  ae::batch float_out;

  std::vector<variant> variants = {
      {"a  kernel encode<econt>", [&] {
         for (std::size_t k = 0; k < n; ++k) encode_kernel(&kernel_in[k * pixels], kernel_weights, &kernel_out[k * latents]);
         keep(kernel_out[0]);
       }},
      {"b  integer, hand-written", [&] {
         for (std::size_t k = 0; k < n; ++k) hb::encode_int(int_weights, events.images[k].data(), &int_out[k * latents]);
         keep(int_out[0]);
       }},
      {"c  float reference (Eigen)", [&] {
         float_out = ae::encode_float(float_weights, float_in);
         keep(float_out(0, 0));
       }},
  };

  // Agreement first: the kernel and the integer code give the same codes on every image.
  for (auto& v : variants) v.run_all();
  std::size_t images_disagreeing = 0, latent_zero = 0, latent_max = 0;
  double float_max_difference = 0;
  for (std::size_t k = 0; k < n; ++k) {
    bool same = true;
    for (int o = 0; o < latents; ++o) {
      const std::int64_t code = kernel_out[k * latents + o].raw();
      same = same && code == int_out[k * latents + o];
      latent_zero += code == 0;
      latent_max += code == 511;
      float_max_difference = std::max(float_max_difference, std::abs(float_out(static_cast<Eigen::Index>(k), o) -
                                                                    kernel_out[k * latents + o].to_double()));
    }
    if (!same && ++images_disagreeing <= 5) {
      std::fprintf(stderr, "image %zu: kernel / integer latent codes:", k);
      for (int o = 0; o < latents; ++o)
        std::fprintf(stderr, " %lld/%u", static_cast<long long>(kernel_out[k * latents + o].raw()), int_out[k * latents + o]);
      std::fprintf(stderr, "\n");
    }
  }

  hb::measure(variants, opt.seconds);

  const auto rate = [&](const variant& v) { return static_cast<double>(n) / v.best_seconds; };
  const double kernel_rate = rate(variants[0]), int_rate = rate(variants[1]), float_rate = rate(variants[2]);
  const double kernel_vs_integer = kernel_rate / int_rate;

  std::printf("ECON-T encoder, C simulation on one core: %zu calorimeter events (seed %llu), model %s\n"
              "latent codes: %zu compared, %zu zero, %zu at 511; images where kernel and integer code disagree: %zu\n"
              "float reference vs kernel: max |latent difference| %.4f (the float one neither rounds nor saturates)\n\n",
              n, static_cast<unsigned long long>(opt.seed), opt.model.c_str(), n * latents, latent_zero, latent_max,
              images_disagreeing, float_max_difference);
  std::printf("%-28s %14s %16s %15s\n", "variant", "inferences/s", "rate / integer", "rate / float");
  nlohmann::json report = {{"benchmark", "autoencoder_csim"},
                           {"model", opt.model},
                           {"events", n},
                           {"seed", opt.seed},
                           {"latent_codes_compared", n * latents},
                           {"images_disagreeing", images_disagreeing},
                           {"float_max_latent_difference", float_max_difference},
                           {"variants", nlohmann::json::array()}};
  for (const auto& v : variants) {
    std::printf("%-28s %14.4g %16.3f %15.3f\n", v.name.c_str(), rate(v), rate(v) / int_rate, rate(v) / float_rate);
    report["variants"].push_back({{"name", v.name},
                                  {"inferences_per_second", rate(v)},
                                  {"rate_vs_integer", rate(v) / int_rate},
                                  {"rate_vs_float", rate(v) / float_rate}});
  }
  std::printf("\nkernel / integer = %.3f (target >= %.1f: %s)\n", kernel_vs_integer, kernel_vs_integer_target,
              kernel_vs_integer >= kernel_vs_integer_target ? "met" : "not met");
  report["kernel_vs_integer"] = kernel_vs_integer;
  report["kernel_vs_integer_target"] = kernel_vs_integer_target;
  report["kernel_vs_integer_target_met"] = kernel_vs_integer >= kernel_vs_integer_target;
  report["kernel_vs_float"] = kernel_rate / float_rate;

  if (!hb::write_report(program, opt.report, report)) return 2;
  if (images_disagreeing != 0) {
    std::fprintf(stderr, "%s: the kernel and the integer code disagree on %zu of %zu images\n", program,
                 images_disagreeing, n);
    return 1;
  }
  return 0;
}
