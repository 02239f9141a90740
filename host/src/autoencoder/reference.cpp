#include <hlskit/autoencoder/reference.hpp>

#include <stdexcept>
#include <string>

namespace hlskit::autoencoder {

namespace {
using g = geometry;
constexpr int taps = g::kernel * g::kernel;         // 9
constexpr int positions = g::conv_rows * g::conv_cols;  // 16
constexpr double weight_lsb = 1.0 / 32;             // fixed<6,1>
// The input type's width with the input convention's modes (input_t itself is trn/wrap, which
// would wrap a cell of 2.0 to code 0).
constexpr format input_format{econt::input_t::width, econt::input_t::iwidth, false, q_mode::rnd, o_mode::sat};

// (tap, channel) matrices from the (kh, kw, in, out) row-major file layout.
Eigen::MatrixXd rows_of(const std::vector<double>& v, int rows, int cols) {
  if (v.size() != std::size_t(rows) * cols)
    throw std::invalid_argument("autoencoder: parameter has " + std::to_string(v.size()) + " values, expected " +
                                std::to_string(rows * cols));
  return Eigen::Map<const batch>(v.data(), rows, cols);
}
std::vector<double> values_of(const Eigen::MatrixXd& m) {
  const batch r = m;  // row-major copy
  return {r.data(), r.data() + r.size()};
}
}  // namespace

std::int64_t input_code(int gain, double cell) { return quantize(gain * cell, input_format); }

batch kernel_inputs(int gain, const double* cells, std::size_t n, bool quantized) {
  batch x(n, g::pixels);
  for (std::size_t i = 0; i < n * g::pixels; ++i)
    x.data()[i] = quantized ? to_double(input_code(gain, cells[i]), input_format) : gain * cells[i];
  return x;
}

float_encoder encoder_from_codes(const model& m) {
  const auto scaled = [](const std::vector<std::int64_t>& codes) {
    std::vector<double> v(codes.size());
    for (std::size_t i = 0; i < codes.size(); ++i) v[i] = codes[i] * weight_lsb;
    return v;
  };
  return encoder_from_floats({scaled(m.conv_weight), scaled(m.conv_bias), scaled(m.dense_weight), scaled(m.dense_bias)});
}

float_encoder encoder_from_floats(const float_encoder_parameters& p) {
  return {rows_of(p.conv_weight, taps, g::filters), rows_of(p.conv_bias, 1, g::filters),
          rows_of(p.dense_weight, g::flat, g::latent), rows_of(p.dense_bias, 1, g::latent)};
}

float_decoder decoder_from(const float_decoder_parameters& p) {
  if (p.deconv_bias.size() != 1) throw std::invalid_argument("autoencoder: the deconv bias has one value");
  // File (kh, kw, in, out=1) is (tap, in) row-major; the matrix is (in, tap).
  return {rows_of(p.dense_weight, g::latent, g::flat), rows_of(p.dense_bias, 1, g::flat),
          rows_of(p.deconv_weight, taps, g::filters).transpose(), p.deconv_bias[0]};
}

float_encoder_parameters to_parameters(const float_encoder& e) {
  return {values_of(e.conv_weight), values_of(e.conv_bias), values_of(e.dense_weight), values_of(e.dense_bias)};
}

float_decoder_parameters to_parameters(const float_decoder& d) {
  return {values_of(d.dense_weight), values_of(d.dense_bias), values_of(d.deconv_weight.transpose()), {d.deconv_bias}};
}

float_decoder decoder_of(const model& m) {
  if (!m.decoder) throw std::invalid_argument("autoencoder: the model has no decoder section");
  return decoder_from(*m.decoder);
}

int tap_pixel(int position, int tap) {
  const int y = position / g::conv_cols * g::stride + tap / g::kernel;
  const int x = position % g::conv_cols * g::stride + tap % g::kernel;
  return y < g::rows && x < g::cols ? y * g::cols + x : -1;  // TF 'same': the pad is row/col 8
}

batch im2col(const batch& inputs) {
  batch columns(inputs.rows() * positions, taps);
  for (Eigen::Index n = 0; n < inputs.rows(); ++n)
    for (int p = 0; p < positions; ++p)
      for (int t = 0; t < taps; ++t) {
        const int pixel = tap_pixel(p, t);
        columns(n * positions + p, t) = pixel < 0 ? 0.0 : inputs(n, pixel);
      }
  return columns;
}

void col2im_add(const batch& columns, batch& out) {
  for (Eigen::Index n = 0; n < out.rows(); ++n)
    for (int p = 0; p < positions; ++p)
      for (int t = 0; t < taps; ++t) {
        const int pixel = tap_pixel(p, t);
        if (pixel >= 0) out(n, pixel) += columns(n * positions + p, t);
      }
}

batch encode_float(const float_encoder& e, const batch& inputs) {
  batch conv = ((im2col(inputs) * e.conv_weight).rowwise() + e.conv_bias).cwiseMax(0.0);  // (n*16) x 8
  const Eigen::Map<const batch> flat(conv.data(), inputs.rows(), g::flat);
  return ((flat * e.dense_weight).rowwise() + e.dense_bias).cwiseMax(0.0);
}

batch decode(const float_decoder& d, const batch& latents) {
  batch hidden = ((latents * d.dense_weight).rowwise() + d.dense_bias).cwiseMax(0.0);  // n x 128
  const Eigen::Map<const batch> positions_by_channel(hidden.data(), latents.rows() * positions, g::filters);
  batch out = batch::Constant(latents.rows(), g::pixels, d.deconv_bias);
  col2im_add(positions_by_channel * d.deconv_weight, out);
  return out.cwiseMax(0.0);
}

Eigen::VectorXd encode_float(const model& m, const double* cells64) {
  return encode_float(encoder_from_codes(m), kernel_inputs(m.input_gain, cells64, 1, false)).row(0).transpose();
}

namespace {
void csim_one(const weights<econt>& w, int gain, const double* cells64, econt::latent_t latent[g::latent]) {
  econt::input_t image[g::pixels];
  for (int p = 0; p < g::pixels; ++p) image[p] = econt::input_t::from_raw(input_code(gain, cells64[p]));
  encode<econt>(image, w, latent);
}
}  // namespace

std::array<std::int64_t, geometry::latent> encode_csim(const model& m, const double* cells64) {
  econt::latent_t latent[g::latent];
  csim_one(to_weights<econt>(m), m.input_gain, cells64, latent);
  std::array<std::int64_t, g::latent> codes{};
  for (int o = 0; o < g::latent; ++o) codes[o] = latent[o].raw();
  return codes;
}

batch encode_csim(const model& m, const double* cells, std::size_t n) {
  const weights<econt> w = to_weights<econt>(m);
  batch out(n, g::latent);
  econt::latent_t latent[g::latent];
  for (std::size_t i = 0; i < n; ++i) {
    csim_one(w, m.input_gain, cells + i * g::pixels, latent);
    for (int o = 0; o < g::latent; ++o) out(i, o) = latent[o].to_double();
  }
  return out;
}

Eigen::RowVectorXd latent_error_bound(const model& m, bool float_input_quantized) {
  const float_encoder e = encoder_from_codes(m);
  const double input_error = float_input_quantized ? 0.0 : 0.5 / 128;
  const Eigen::RowVectorXd conv_error =
      (e.conv_weight.cwiseAbs().colwise().sum() * input_error).array() + 0.5 / 128;  // per filter
  Eigen::VectorXd flat_error(g::flat);
  for (int i = 0; i < g::flat; ++i) flat_error(i) = conv_error(i % g::filters);
  return (flat_error.transpose() * e.dense_weight.cwiseAbs()).array() + 0.5 / 512;
}

}  // namespace hlskit::autoencoder
