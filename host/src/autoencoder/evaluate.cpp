#include <hlskit/autoencoder/evaluate.hpp>
#include <hlskit/autoencoder/reference.hpp>
#include <hlskit/emd.hpp>

#include <autoencoder/autoencoder.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace hlskit::autoencoder {

namespace {
using g = geometry;

double emd_or_uniform(const double* cells, const double* reconstruction, bool* empty) {
  *empty = std::all_of(reconstruction, reconstruction + g::pixels, [](double v) { return v == 0; });
  if (!*empty) return emd(cells, reconstruction, g::rows, g::cols);
  const std::vector<double> uniform(g::pixels, 1.0);
  return emd(cells, uniform.data(), g::rows, g::cols);
}

nlohmann::json summary_json(const summary& s) { return {{"mean", s.mean}, {"median", s.median}, {"p90", s.p90}}; }
}  // namespace

summary summarize(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const auto quantile = [&](double q) {
    const double at = q * double(values.size() - 1);
    const std::size_t below = static_cast<std::size_t>(at);
    const double frac = at - double(below);
    return below + 1 < values.size() ? values[below] + frac * (values[below + 1] - values[below]) : values[below];
  };
  double sum = 0;
  for (double v : values) sum += v;
  return {sum / double(values.size()), quantile(0.5), quantile(0.9)};
}

evaluation evaluate(const model& m, const std::vector<double>& cells, const evaluate_options& options) {
  if (cells.size() % g::pixels != 0) throw std::invalid_argument("evaluate: the cells are not a whole number of 64-cell events");
  if (options.use_float_encoder && !m.float_encoder)
    throw std::invalid_argument("evaluate: the model has no float_encoder section");
  const float_decoder decoder = decoder_of(m);
  const std::size_t n = cells.size() / g::pixels;
  const float_encoder encoder = options.use_float_encoder ? encoder_from_floats(*m.float_encoder) : encoder_from_codes(m);
  // C simulation, layer by layer to see saturation.
  batch csim(n, g::latent);
  std::vector<bool> saturated(n, false);
  const weights<econt> w = to_weights<econt>(m);
  for (std::size_t e = 0; e < n; ++e) {
    econt::input_t image[g::pixels];
    econt::conv_out_t conv[g::flat];
    econt::latent_t latent[g::latent];
    for (int p = 0; p < g::pixels; ++p) image[p] = econt::input_t::from_raw(input_code(m.input_gain, cells[e * g::pixels + p]));
    conv_layer<econt>(image, w, conv);
    dense_layer<econt>(conv, w, latent);
    bool top = false;
    for (const auto& x : image) top |= x.raw() == (1 << econt::input_t::width) - 1;
    for (const auto& x : conv) top |= x.raw() == (1 << econt::conv_out_t::width) - 1;
    for (int o = 0; o < g::latent; ++o) {
      top |= latent[o].raw() == (1 << econt::latent_t::width) - 1;
      csim(e, o) = latent[o].to_double();
    }
    saturated[e] = top;
  }
  const Eigen::RowVectorXd bound = latent_error_bound(m, false);
  const batch reference = encode_float(encoder, kernel_inputs(m.input_gain, cells.data(), n, false));
  const batch csim_out = decode(decoder, csim) / m.input_gain;  // back to energy units (exact: power of two)
  const batch float_out = decode(decoder, reference) / m.input_gain;

  evaluation ev;
  ev.events = n;
  ev.float_encoder_from_shadow = options.use_float_encoder;
  ev.per_event.resize(n);
  const Eigen::Map<const batch> truth(cells.data(), n, g::pixels);
  for (std::size_t e = 0; e < n; ++e) {
    if ((truth.row(e).array() == 0).all()) throw std::invalid_argument(fmt::format("evaluate: event {} is all zero", e));
    auto& r = ev.per_event[e];
    const auto error = (csim.row(e) - reference.row(e)).cwiseAbs();
    r.latent_error_max = error.maxCoeff();
    r.latent_error_mean = error.mean();
    r.saturated = saturated[e];
    ev.saturated_events += r.saturated;
    if (!options.use_float_encoder && !r.saturated && (error.array() > bound.array()).any()) ++ev.bound_exceeded;
    bool empty = false;
    r.emd_csim = emd_or_uniform(&cells[e * g::pixels], csim_out.row(e).data(), &empty);
    ev.empty_csim += empty;
    r.emd_float = emd_or_uniform(&cells[e * g::pixels], float_out.row(e).data(), &empty);
    ev.empty_float += empty;
    r.mse_csim = (csim_out.row(e) - truth.row(e)).squaredNorm() / g::pixels;
    r.mse_float = (float_out.row(e) - truth.row(e)).squaredNorm() / g::pixels;
  }
  const auto column = [&](double event_metrics::*field) {
    std::vector<double> v(n);
    for (std::size_t e = 0; e < n; ++e) v[e] = ev.per_event[e].*field;
    return summarize(std::move(v));
  };
  ev.latent_error_bound = bound.maxCoeff();
  ev.latent_error_max = column(&event_metrics::latent_error_max);
  ev.latent_error_mean = column(&event_metrics::latent_error_mean);
  ev.emd_csim = column(&event_metrics::emd_csim);
  ev.emd_float = column(&event_metrics::emd_float);
  ev.mse_csim = column(&event_metrics::mse_csim);
  ev.mse_float = column(&event_metrics::mse_float);
  return ev;
}

nlohmann::json evaluation::to_json(bool with_events) const {
  nlohmann::json j = {{"events", events},
                      {"float_encoder", float_encoder_from_shadow ? "float_encoder section" : "codes / 32"},
                      {"latent_error_max", summary_json(latent_error_max)},
                      {"latent_error_mean", summary_json(latent_error_mean)},
                      {"emd_csim", summary_json(emd_csim)},
                      {"emd_float", summary_json(emd_float)},
                      {"mse_csim", summary_json(mse_csim)},
                      {"mse_float", summary_json(mse_float)},
                      {"empty_reconstructions", {{"csim", empty_csim}, {"float", empty_float}}},
                      {"saturated_events", saturated_events},
                      {"latent_error_bound", latent_error_bound},
                      {"bound_exceeded", bound_exceeded}};
  if (with_events) {
    auto& list = j["per_event"] = nlohmann::json::array();
    for (const auto& r : per_event)
      list.push_back({{"latent_error_max", r.latent_error_max}, {"latent_error_mean", r.latent_error_mean},
                      {"emd_csim", r.emd_csim}, {"emd_float", r.emd_float}, {"mse_csim", r.mse_csim},
                      {"mse_float", r.mse_float}, {"saturated", r.saturated}});
  }
  return j;
}

std::string evaluation::table() const {
  std::string t = fmt::format("autoencoder evaluation: {} events, float encoder = {}\n", events,
                              float_encoder_from_shadow ? "float_encoder section" : "codes / 32");
  t += fmt::format("  {:<28} {:>11} {:>11} {:>11}\n", "metric", "mean", "median", "p90");
  const auto row = [&](const char* name, const summary& s, double scale) {
    t += fmt::format("  {:<28} {:>11.4g} {:>11.4g} {:>11.4g}\n", name, s.mean * scale, s.median * scale, s.p90 * scale);
  };
  row("latent error max (LSB)", latent_error_max, 512);
  row("latent error mean (LSB)", latent_error_mean, 512);
  row("EMD csim (cells)", emd_csim, 1);
  row("EMD float (cells)", emd_float, 1);
  row("MSE csim", mse_csim, 1);
  row("MSE float", mse_float, 1);
  t += fmt::format("  all-zero reconstructions (scored vs uniform): csim {}, float {}\n", empty_csim, empty_float);
  t += fmt::format("  events at the top of a range: {}; latent error bound {:.4g} LSB, exceeded on {} other events\n",
                   saturated_events, latent_error_bound * 512, bound_exceeded);
  return t;
}

}  // namespace hlskit::autoencoder
