#include <hlskit/autoencoder/train.hpp>
#include <hlskit/data/calorimeter.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <random>
#include <stdexcept>
#include <utility>

namespace hlskit::autoencoder {

namespace {
using g = geometry;
constexpr int taps = g::kernel * g::kernel;
constexpr int positions = g::conv_rows * g::conv_cols;
constexpr format weight_format{6, 1, true, q_mode::rnd, o_mode::sat};  // the model file's import rule
constexpr format conv_out_format = format_of<econt::conv_out_t>();
constexpr format latent_format = format_of<econt::latent_t>();
constexpr double weight_min = -1.0, weight_max = 31.0 / 32;
constexpr double pi = 3.14159265358979323846;

double largest_value(const format& f) { return to_double((std::int64_t(1) << f.width) - 1, f); }

// ---- randomness: the standard fixes mt19937_64's output, not std:: distributions' ----
double uniform01(std::mt19937_64& rng) { return (rng() >> 11) * 0x1.0p-53; }

std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {  // unbiased: reject the short last block
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t r;
  do r = rng(); while (r >= limit);
  return r % n;
}

template <class T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(rng, i)]);
}

Eigen::MatrixXd glorot(int rows, int cols, int fan_in, int fan_out, std::mt19937_64& rng) {
  const double limit = std::sqrt(6.0 / (fan_in + fan_out));
  Eigen::MatrixXd w(rows, cols);
  for (int r = 0; r < rows; ++r)  // row-major draw order, independent of Eigen's storage
    for (int c = 0; c < cols; ++c) w(r, c) = (2 * uniform01(rng) - 1) * limit;
  return w;
}

network initial_network(std::mt19937_64& rng) {
  network n;
  n.encoder.conv_weight = glorot(taps, g::filters, taps, taps * g::filters, rng);
  n.encoder.conv_bias = Eigen::RowVectorXd::Zero(g::filters);
  n.encoder.dense_weight = glorot(g::flat, g::latent, g::flat, g::latent, rng);
  n.encoder.dense_bias = Eigen::RowVectorXd::Zero(g::latent);
  n.decoder.dense_weight = glorot(g::latent, g::flat, g::latent, g::flat, rng);
  n.decoder.dense_bias = Eigen::RowVectorXd::Zero(g::flat);
  n.decoder.deconv_weight = glorot(g::filters, taps, taps * g::filters, taps, rng);
  n.decoder.deconv_bias = 0;
  return n;
}

// Every parameter tensor of a network as (data, size), in a fixed order.
std::vector<std::pair<double*, Eigen::Index>> tensors(network& n) {
  auto& e = n.encoder;
  auto& d = n.decoder;
  return {{e.conv_weight.data(), e.conv_weight.size()},   {e.conv_bias.data(), e.conv_bias.size()},
          {e.dense_weight.data(), e.dense_weight.size()}, {e.dense_bias.data(), e.dense_bias.size()},
          {d.dense_weight.data(), d.dense_weight.size()}, {d.dense_bias.data(), d.dense_bias.size()},
          {d.deconv_weight.data(), d.deconv_weight.size()}, {&d.deconv_bias, 1}};
}
constexpr int encoder_tensors = 4;  // the first four: clamped to the fixed<6,1> range

network zeros_like(const network& n) {
  network z = n;
  for (auto [data, size] : tensors(z)) std::fill(data, data + size, 0.0);
  return z;
}

Eigen::MatrixXd quantized_weights(const Eigen::MatrixXd& w) {
  return w.unaryExpr([](double v) { return to_double(quantize(v, weight_format), weight_format); });
}

float_encoder quantized_encoder(const float_encoder& e) {
  return {quantized_weights(e.conv_weight), quantized_weights(e.conv_bias), quantized_weights(e.dense_weight),
          quantized_weights(e.dense_bias)};
}

// ReLU then the layer's quantizer (as relu_quantize in the kernel); `mask` gets the STE's 0/1.
batch activation(const batch& pre, bool quantized, const format& f, batch* mask) {
  const double top = largest_value(f);
  batch out = pre.cwiseMax(0.0);
  if (quantized) out = out.unaryExpr([&](double v) { return to_double(quantize(v, f), f); });
  if (mask) *mask = pre.unaryExpr([&](double v) { return v > 0 && (!quantized || v <= top) ? 1.0 : 0.0; });
  return out;
}

// Cell -> 2x2 block and cell -> 4x4 block summing matrices, for the telescope term.
const Eigen::MatrixXd& pooling(int block) {
  static const auto make = [](int b) {
    const int per_row = g::cols / b;
    Eigen::MatrixXd p = Eigen::MatrixXd::Zero(g::pixels, per_row * (g::rows / b));
    for (int pixel = 0; pixel < g::pixels; ++pixel) p(pixel, (pixel / g::cols / b) * per_row + pixel % g::cols / b) = 1;
    return p;
  };
  static const Eigen::MatrixXd pool2 = make(2), pool4 = make(4);
  return block == 2 ? pool2 : pool4;
}

void check_options(const train_options& o) {
  if (o.dataset != "calorimeter" && o.dataset != "digits")
    throw std::invalid_argument("train: unknown dataset '" + o.dataset + "' (expected calorimeter or digits)");
  if (o.epochs < 1) throw std::invalid_argument("train: epochs must be at least 1");
  if (o.batch_size < 1) throw std::invalid_argument("train: batch size must be at least 1");
  if (o.events < 1) throw std::invalid_argument("train: at least one training event is needed");
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
    throw std::invalid_argument("train: the learning rate must be positive and finite");
  if (o.input_gain != 0 && (o.input_gain < 0 || (o.input_gain & (o.input_gain - 1)) != 0 || o.input_gain > max_input_gain))
    throw std::invalid_argument("train: the input gain must be 0 (automatic) or a power of two up to " +
                                std::to_string(max_input_gain));
  if (!(o.telescope_weight >= 0) || !std::isfinite(o.telescope_weight))
    throw std::invalid_argument("train: the telescope weight must be non-negative and finite");
}
}  // namespace

std::string epoch_progress::line() const {
  return fmt::format("epoch {:>3}/{}  loss {:.4e}  lr {:.1e}  {:.1f} s", epoch, epochs, loss, learning_rate, seconds);
}

double loss_and_gradient(const network& net, const batch& inputs, const batch& targets, bool quantized,
                         double telescope_weight, network* gradient) {
  const Eigen::Index n = inputs.rows();
  const float_encoder enc = quantized ? quantized_encoder(net.encoder) : net.encoder;
  const float_decoder& dec = net.decoder;

  // Forward.
  const batch columns = im2col(inputs);  // (n*16) x 9
  batch conv_mask, latent_mask;
  const batch conv_pre = (columns * enc.conv_weight).rowwise() + enc.conv_bias;
  batch conv = activation(conv_pre, quantized, conv_out_format, gradient ? &conv_mask : nullptr);
  const Eigen::Map<const batch> flat(conv.data(), n, g::flat);
  const batch latent_pre = (flat * enc.dense_weight).rowwise() + enc.dense_bias;
  const batch latent = activation(latent_pre, quantized, latent_format, gradient ? &latent_mask : nullptr);
  batch hidden = ((latent * dec.dense_weight).rowwise() + dec.dense_bias).cwiseMax(0.0);  // n x 128
  const Eigen::Map<const batch> hidden_positions(hidden.data(), n * positions, g::filters);
  batch out_pre = batch::Constant(n, g::pixels, dec.deconv_bias);
  col2im_add(hidden_positions * dec.deconv_weight, out_pre);
  const batch residual = out_pre.cwiseMax(0.0) - targets;

  const batch pooled2 = residual * pooling(2), pooled4 = residual * pooling(4);
  const double loss = residual.squaredNorm() / double(n * g::pixels) +
                      telescope_weight * (pooled2.squaredNorm() / double(n * pooled2.cols()) +
                                          pooled4.squaredNorm() / double(n * pooled4.cols()));
  if (!gradient) return loss;

  // Backward (the adjoint of col2im is im2col; the STE masks stand for the quantizers).
  batch d_out = residual * (2.0 / double(n * g::pixels)) +
                (pooled2 * (2 * telescope_weight / double(n * pooled2.cols()))) * pooling(2).transpose() +
                (pooled4 * (2 * telescope_weight / double(n * pooled4.cols()))) * pooling(4).transpose();
  d_out = d_out.cwiseProduct((out_pre.array() > 0).cast<double>().matrix());
  gradient->decoder.deconv_bias = d_out.sum();
  const batch d_columns = im2col(d_out);  // (n*16) x 9
  gradient->decoder.deconv_weight = hidden_positions.transpose() * d_columns;
  batch d_hidden = d_columns * dec.deconv_weight.transpose();  // (n*16) x 8, same memory as n x 128
  Eigen::Map<batch> d_hidden_flat(d_hidden.data(), n, g::flat);
  d_hidden_flat = d_hidden_flat.cwiseProduct((hidden.array() > 0).cast<double>().matrix());
  gradient->decoder.dense_weight = latent.transpose() * d_hidden_flat;
  gradient->decoder.dense_bias = d_hidden_flat.colwise().sum();
  const batch d_latent_pre = (d_hidden_flat * dec.dense_weight.transpose()).cwiseProduct(latent_mask);
  gradient->encoder.dense_weight = flat.transpose() * d_latent_pre;
  gradient->encoder.dense_bias = d_latent_pre.colwise().sum();
  batch d_flat = d_latent_pre * enc.dense_weight.transpose();  // n x 128
  const Eigen::Map<const batch> d_conv(d_flat.data(), n * positions, g::filters);
  const batch d_conv_pre = d_conv.cwiseProduct(conv_mask);
  gradient->encoder.conv_weight = columns.transpose() * d_conv_pre;
  gradient->encoder.conv_bias = d_conv_pre.colwise().sum();
  return loss;
}

batch qat_latents(const float_encoder& shadow, const batch& inputs) {
  const float_encoder enc = quantized_encoder(shadow);
  batch conv = activation((im2col(inputs) * enc.conv_weight).rowwise() + enc.conv_bias, true, conv_out_format, nullptr);
  const Eigen::Map<const batch> flat(conv.data(), inputs.rows(), g::flat);
  return activation((flat * enc.dense_weight).rowwise() + enc.dense_bias, true, latent_format, nullptr);
}

model to_model(const network& net, int input_gain) {
  const auto codes = [](const Eigen::MatrixXd& w) {
    const batch r = w;  // row-major: the file's order
    std::vector<std::int64_t> c(r.size());
    for (Eigen::Index i = 0; i < r.size(); ++i) c[i] = quantize(r.data()[i], weight_format);
    return c;
  };
  model m;
  m.config = "econt";
  m.conv_weight = codes(net.encoder.conv_weight);
  m.conv_bias = codes(net.encoder.conv_bias);
  m.dense_weight = codes(net.encoder.dense_weight);
  m.dense_bias = codes(net.encoder.dense_bias);
  m.input_gain = input_gain;
  m.decoder = to_parameters(net.decoder);
  m.float_encoder = to_parameters(net.encoder);
  return m;
}

int choose_input_gain(const std::vector<double>& cells) {
  double total = 0;
  for (double c : cells) total += std::max(c, 0.0);
  int gain = 1;
  for (int next = 2; next <= max_input_gain; next *= 2) {
    const double top = largest_value(format_of<econt::input_t>()) / next;  // in cell units
    double clipped = 0;
    for (double c : cells) clipped += std::max(c - top, 0.0);
    if (clipped > 1e-3 * total) break;
    gain = next;
  }
  return gain;
}

std::vector<double> dataset_events(const train_options& options, bool heldout, std::size_t n) {
  if (options.dataset == "calorimeter")  // an independent stream for the held-out events
    return data::generate_events(n, heldout ? options.seed ^ 0x9e3779b97f4a7c15ULL : options.seed);
  if (options.dataset != "digits") throw std::invalid_argument("unknown dataset '" + options.dataset + "'");
  const data::digits all = data::load_digits(options.digits_path);
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(options.seed);
  shuffle(order, rng);
  const std::size_t train_size = all.size() * 4 / 5;
  const std::size_t first = heldout ? train_size : 0, available = heldout ? all.size() - train_size : train_size;
  std::vector<double> cells;
  for (std::size_t k = 0; k < std::min(n, available); ++k) {
    const double* image = &all.images[order[first + k] * g::pixels];
    cells.insert(cells.end(), image, image + g::pixels);
  }
  return cells;
}

model train(const train_options& options, train_report* report) {
  check_options(options);
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  const std::vector<double> cells = dataset_events(options, false, options.events);
  const std::size_t events = cells.size() / g::pixels;
  const int gain = options.input_gain ? options.input_gain : choose_input_gain(cells);
  const batch inputs = kernel_inputs(gain, cells.data(), events, true);
  const batch targets = kernel_inputs(gain, cells.data(), events, false);

  std::mt19937_64 rng(options.seed);
  network net = initial_network(rng);
  network grad = zeros_like(net), first_moment = zeros_like(net), second_moment = zeros_like(net);
  constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7;
  const std::size_t batches_per_epoch = (events + options.batch_size - 1) / options.batch_size;
  const double total_steps = double(batches_per_epoch) * options.epochs;
  long step = 0;
  std::vector<std::size_t> order(events);
  for (std::size_t i = 0; i < events; ++i) order[i] = i;
  std::vector<double> epoch_loss;
  double learning_rate = options.learning_rate;
  batch batch_inputs, batch_targets;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    shuffle(order, rng);
    double loss_sum = 0;
    for (std::size_t begin = 0; begin < events; begin += options.batch_size) {
      const std::size_t size = std::min<std::size_t>(options.batch_size, events - begin);
      batch_inputs.resize(size, g::pixels);
      batch_targets.resize(size, g::pixels);
      for (std::size_t k = 0; k < size; ++k) {
        batch_inputs.row(k) = inputs.row(order[begin + k]);
        batch_targets.row(k) = targets.row(order[begin + k]);
      }
      loss_sum += size * loss_and_gradient(net, batch_inputs, batch_targets, true, options.telescope_weight, &grad);

      // Adam with a cosine decay of the rate to 10 %.
      ++step;
      learning_rate = options.learning_rate * (0.1 + 0.45 * (1 + std::cos(pi * step / total_steps)));
      const double correction1 = 1 - std::pow(beta1, double(step)), correction2 = 1 - std::pow(beta2, double(step));
      const auto params = tensors(net), grads = tensors(grad), m1 = tensors(first_moment), m2 = tensors(second_moment);
      for (std::size_t t = 0; t < params.size(); ++t) {
        double *w = params[t].first, *gr = grads[t].first, *m = m1[t].first, *v = m2[t].first;
        for (Eigen::Index i = 0; i < params[t].second; ++i) {
          m[i] = beta1 * m[i] + (1 - beta1) * gr[i];
          v[i] = beta2 * v[i] + (1 - beta2) * gr[i] * gr[i];
          w[i] -= learning_rate * (m[i] / correction1) / (std::sqrt(v[i] / correction2) + epsilon);
          if (t < encoder_tensors) w[i] = std::min(std::max(w[i], weight_min), weight_max);
        }
      }
    }
    epoch_loss.push_back(loss_sum / events);
    if (options.progress) options.progress({epoch, options.epochs, epoch_loss.back(), learning_rate, elapsed()});
  }

  model m = to_model(net, gain);
  // The forward pass must be the kernel's arithmetic: compare every training event bit for bit.
  const batch forward = qat_latents(net.encoder, inputs);
  const batch kernel = encode_csim(m, cells.data(), events);
  for (std::size_t e = 0; e < events; ++e)
    for (int o = 0; o < g::latent; ++o)
      if (forward(e, o) != kernel(e, o))
        throw std::logic_error(fmt::format(
            "train: the training's forward pass disagrees with encode<econt> on training event {}, latent {}: "
            "code {} vs {}",
            e, o, quantize(forward(e, o), latent_format), quantize(kernel(e, o), latent_format)));
  if (report) *report = {epoch_loss, events, events, gain, elapsed()};
  return m;
}

}  // namespace hlskit::autoencoder
