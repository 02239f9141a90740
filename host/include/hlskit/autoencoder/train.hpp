// Quantization-aware training of the ECON-T encoder together with its float decoder
// (DESIGN §5.1; reference.hpp has the geometry, the decoder and the input convention).
//
// Forward pass (quantized = true), exactly the kernel's arithmetic:
//   * weights and biases: the float "shadow" weights rounded to fixed<6,1> (round half up,
//     saturate), i.e. exactly the codes the model file gets;
//   * input: gain * cell quantized to ufixed<8,1> (the kernel's input convention);
//   * conv + bias (exact: every value is a multiple of 2^-12 well inside a double's 53 bits, so
//     Eigen's summation order cannot change a bit), ReLU, hlskit::quantize to conv_out_t
//     (ufixed<8,1> round-half-up, saturate); dense + bias, ReLU, quantize to latent_t
//     (ufixed<9,0> round-half-up, saturate);
//   * float decoder on the quantized latents.
// After training, train() runs the bit-exact kernel encode<econt> on every training event and
// checks its latent codes equal this forward pass's, bit for bit (std::logic_error if not).
// Gradients: straight-through estimator. An activation quantizer passes the gradient where the
// ReLU input lies in its representable range (0, max] (ufixed<8,1>: 255/128, ufixed<9,0>:
// 511/512) and blocks it where ReLU or saturation clips; rounding is treated as the identity. For
// the weights the rounding is the identity, and the shadow weights are clamped to the
// representable range [-1, 31/32] after every step, so no weight ever sits in a clipped region
// (where it would get no gradient and stay stuck).
// Loss: mean squared error between the reconstruction and gain * cells (unquantized: the truth,
// in the kernel's input units), plus telescope_weight times the same error on 2x2- and 4x4-summed
// cells (ECON-T's "telescope" loss: misplacing energy by several cells costs more than by one,
// a differentiable stand-in for the EMD the design is judged by).
// Optimizer: Adam (beta1 0.9, beta2 0.999, eps 1e-7, Keras' defaults), minibatches, learning
// rate decayed by a cosine to 10 % over the run. Initialization: Glorot uniform, zero biases.
// Determinism: one std::mt19937_64 seeded with `seed` drives the initialization (own 53-bit
// uniforms) and the shuffling (own unbiased Fisher-Yates); Eigen runs single-threaded. The same
// seed gives the same model bit for bit with the same build on the same machine (Eigen's blocked
// products pick block sizes from the CPU's cache sizes, which could reorder float sums elsewhere).
#pragma once

#include <hlskit/autoencoder/model.hpp>
#include <hlskit/autoencoder/reference.hpp>
#include <hlskit/data/digits.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hlskit::autoencoder {

struct epoch_progress {
  int epoch = 0, epochs = 0;  // 1-based
  double loss = 0;            // mean training loss of the epoch (quantized forward pass)
  double learning_rate = 0;   // at the epoch's end
  double seconds = 0;         // since the start of training
  std::string line() const;   // "epoch  3/12  loss 1.234e-03  lr 2.0e-03  4.1 s"
};

struct train_options {
  std::uint64_t seed = 1;
  int epochs = 25;
  int batch_size = 32;
  double learning_rate = 4e-3;               // peak; cosine-decayed to 10 %
  std::size_t events = 50000;             // training events (digits: at most the 80 % training split)
  std::string dataset = "calorimeter";     // "calorimeter" (data/calorimeter.hpp) or "digits"
  std::string digits_path = data::default_digits_path;
  int input_gain = 0;                      // a power of two, or 0: choose_input_gain on the training set
  double telescope_weight = 0.1;           // 0: plain MSE
  std::function<void(const epoch_progress&)> progress;  // called after every epoch
};

struct train_report {
  std::vector<double> epoch_loss;
  std::size_t training_events = 0;
  std::size_t verified_events = 0;  // events on which kernel and forward pass agreed (all of them)
  int input_gain = 1;
  double seconds = 0;
};

// Throws std::invalid_argument for options outside their domain (unknown dataset, epochs or
// batch size < 1, non-positive or non-finite learning rate, gain not a power of two, negative
// telescope weight), hlskit::data_error for an unreadable digits file, std::logic_error if the
// kernel disagrees with the training's forward pass.
model train(const train_options& options, train_report* report = nullptr);

// The dataset's events (n * 64 sum-normalized cells). Training: the first n training events;
// held out: n events the training never sees (calorimeter: another seed's stream; digits: the
// 20 % of a seeded permutation the training split leaves out). n is capped at what exists.
std::vector<double> dataset_events(const train_options& options, bool heldout, std::size_t n);

// The largest power of two g <= max_input_gain for which saturating gain * cell at the top of
// ufixed<8,1> (255/128) loses at most 0.1 % of the events' total energy. Calorimeter events give
// 2 (only cells >= 0.998, i.e. single-cell events, clip, by < 0.4 %); the digits give 32.
int choose_input_gain(const std::vector<double>& cells);

// ---- the network (exposed for the tests) ----
struct network {
  float_encoder encoder;  // shadow weights (quantized = true rounds them in the forward pass)
  float_decoder decoder;
};

// Mean loss over the batch; if `gradient` is given it receives d loss / d parameter (same shapes).
// quantized = false: the float network (no rounding anywhere; exact gradients).
double loss_and_gradient(const network& net, const batch& inputs, const batch& targets, bool quantized,
                         double telescope_weight, network* gradient = nullptr);

// The quantized forward pass's latents (values = codes / 512) for kernel inputs (n x 64).
batch qat_latents(const float_encoder& shadow, const batch& inputs);

// The model file of a trained network: codes = the shadow weights rounded to fixed<6,1>
// (round half up, saturate), the decoder, and the shadow weights as float_encoder.
model to_model(const network& net, int input_gain);

}  // namespace hlskit::autoencoder
