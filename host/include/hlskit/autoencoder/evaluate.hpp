// The accuracy cost of the quantized encoder on held-out events (DESIGN §5.1 quality metric).
//
// Per event (cells: 64 sum-normalized energies):
//   csim latents   the bit-exact kernel encode<econt> (reference.hpp: encode_csim);
//   float latents  the float reference: the same weights (the codes / 32, or the model's
//                  float_encoder section if options.use_float_encoder), gain * cells unquantized,
//                  no activation quantization;
//   latent error   |csim - float| per latent: max and mean over the 16 (latent units: one LSB of
//                  ufixed<9,0> is 1/512);
//   EMD            hlskit::emd(cells, decode(latents)) for both latent sets (the EMD normalizes
//                  the reconstruction to unit sum). An all-zero reconstruction has no
//                  distribution; it is scored against the uniform distribution over the 64 cells
//                  (the reconstruction that knows nothing) and counted in empty_*;
//   MSE            mean over the 64 cells of (decode(latents) / gain - cells)^2 (energy units).
//   saturated      the kernel's input, a conv output or a latent reached its largest code on the
//                  event (the float reference has no clip, so there the difference is the clip,
//                  not rounding); on every other event the latent error must stay within
//                  latent_error_bound (reference.hpp), checked here: bound_exceeded counts misses
//                  (0 unless the kernel and the reference disagree on the network).
// Summaries: mean, median and 90th percentile (linear interpolation between order statistics,
// as numpy's default).
#pragma once

#include <hlskit/autoencoder/model.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hlskit::autoencoder {

struct event_metrics {
  double latent_error_max = 0, latent_error_mean = 0;
  double emd_csim = 0, emd_float = 0;
  double mse_csim = 0, mse_float = 0;
  bool saturated = false;
};

struct summary {
  double mean = 0, median = 0, p90 = 0;
};

struct evaluation {
  std::size_t events = 0;
  bool float_encoder_from_shadow = false;  // the float path used the float_encoder section
  summary latent_error_max, latent_error_mean, emd_csim, emd_float, mse_csim, mse_float;
  std::size_t empty_csim = 0, empty_float = 0;  // all-zero reconstructions (scored vs uniform)
  std::size_t saturated_events = 0;
  double latent_error_bound = 0;     // max over latents of the bound (codes / 32, unquantized input)
  std::size_t bound_exceeded = 0;    // unsaturated events beyond the bound (codes / 32 only)
  std::vector<event_metrics> per_event;
  nlohmann::json to_json(bool with_events = false) const;
  std::string table() const;
};

struct evaluate_options {
  bool use_float_encoder = false;  // float path: the shadow weights instead of the codes / 32
};

// Throws std::invalid_argument if the model has no decoder (or no float_encoder when asked for),
// or the cells are not a whole number of 64-cell events, or an event is all zero.
evaluation evaluate(const model& m, const std::vector<double>& cells, const evaluate_options& options = {});

summary summarize(std::vector<double> values);

}  // namespace hlskit::autoencoder
