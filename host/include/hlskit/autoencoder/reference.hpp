// The autoencoder's float reference (DESIGN §1, §5.1): the same encoder as the bit-exact kernel
// (hls/kernels/autoencoder/) in double precision without activation quantization, the float
// decoder, the input convention, and the C-simulation of a model on energies.
//
// Input convention (training, C simulation and evaluation all use it): an event is 64 cells,
// row-major, sum-normalized energies in [0, 1]. The kernel sees cell * model.input_gain (a power of
// two, so the product is exact) quantized to ufixed<8,1> round-half-up, saturated: code =
// min(255, floor(128 * gain * cell + 1/2)), negative -> 0. Sum-normalized cells are small (the
// median nonzero calorimeter cell is 0.09), so gain 1 would use only the lowest bits; training
// picks the gain (train.hpp). The float reference takes gain * cell unquantized.
//
// Encoder (float): conv 3x3 stride 2 TF-'same' (pad only at bottom/right: tap (ky, kx) of output
// (oy, ox) reads pixel (2 oy + ky, 2 ox + kx), zero when that is row or column 8), 8 filters, bias,
// ReLU; flatten (row, col, channel); dense 128 -> 16, bias, ReLU. Weights are the model's codes / 32.
//
// Decoder (float, host side): dense 16 -> 128 + bias + ReLU; reshape to 4x4x8 (row, col, channel);
// transposed conv 3x3 stride 2 'same' -> 8x8x1 + bias; ReLU. TF Conv2DTranspose semantics (the
// gradient of the conv above with respect to its 8x8 input): input position (iy, ix), channel c,
// tap (ky, kx) adds in[iy][ix][c] * w[ky][kx][c][0] to output pixel (2 iy + ky, 2 ix + kx), and
// contributions landing on row or column 8 are dropped. No kernel flip. So output row 0 gets only
// ky = 0 of iy = 0, row 1 only ky = 1 of iy = 0, row 2 ky = 2 of iy = 0 and ky = 0 of iy = 1, ...,
// row 7 only ky = 1 of iy = 3. The output is in the kernel's input units (gain * energy).
#pragma once

#include <autoencoder/autoencoder.hpp>
#include <hlskit/autoencoder/model.hpp>

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <vector>

namespace hlskit::autoencoder {

// One event per row (row-major, so a (n*16) x 8 conv output is the same memory as n x 128).
using batch = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// ---- input convention ----
// The ufixed<8,1> code the kernel sees for one cell (see above).
std::int64_t input_code(int gain, double cell);
// n events (n * 64 cells) -> n x 64 kernel-input values: quantized (codes / 128) or gain * cell.
batch kernel_inputs(int gain, const double* cells, std::size_t n, bool quantized);

// ---- parameters as real values ----
struct float_encoder {
  Eigen::MatrixXd conv_weight;   // 9 x 8: (tap ky * 3 + kx, filter)
  Eigen::RowVectorXd conv_bias;  // 8
  Eigen::MatrixXd dense_weight;  // 128 x 16: (flat (row * 4 + col) * 8 + channel, latent)
  Eigen::RowVectorXd dense_bias; // 16
};
struct float_decoder {
  Eigen::MatrixXd dense_weight;   // 16 x 128
  Eigen::RowVectorXd dense_bias;  // 128
  Eigen::MatrixXd deconv_weight;  // 8 x 9: (input channel, tap ky * 3 + kx)
  double deconv_bias = 0;
};

float_encoder encoder_from_codes(const model& m);     // the codes / 32: the kernel's own weights
float_encoder encoder_from_floats(const float_encoder_parameters& p);
float_decoder decoder_from(const float_decoder_parameters& p);
float_encoder_parameters to_parameters(const float_encoder& e);
float_decoder_parameters to_parameters(const float_decoder& d);
// The decoder of a model; throws std::invalid_argument if it has none.
float_decoder decoder_of(const model& m);

// ---- layers (also the training's building blocks) ----
// Input pixel read by tap t of conv output position p (p = oy * 4 + ox), or -1 for the padding.
int tap_pixel(int position, int tap);
batch im2col(const batch& inputs);                  // n x 64 -> (n*16) x 9
void col2im_add(const batch& columns, batch& out);  // (n*16) x 9 scattered into n x 64 (adds)

// Float encoder on kernel-input values: n x 64 -> n x 16 latents (no activation quantization).
batch encode_float(const float_encoder& e, const batch& inputs);
// Float decoder: n x 16 latents -> n x 64 reconstruction (kernel-input units).
batch decode(const float_decoder& d, const batch& latents);

// The float reference of a model on one event of 64 sum-normalized cells: the codes / 32, gain *
// cell unquantized, no activation quantization.
Eigen::VectorXd encode_float(const model& m, const double* cells64);

// ---- C simulation ----
// The bit-exact kernel encode<econt> on one event (input convention above): 16 ufixed<9,0> codes.
std::array<std::int64_t, geometry::latent> encode_csim(const model& m, const double* cells64);
// Same for n events with the weights converted once: n x 16 latent values (codes / 512).
batch encode_csim(const model& m, const double* cells, std::size_t n);

// Worst-case |float latent - kernel latent| per latent (16 values) for one model, valid for every
// event on which neither the kernel's input nor any of its activations saturates:
//   conv output error  e_h(f) = sum_t |w_conv(t, f)| * e_x + 2^-8
//   latent error       e_z(o) = sum_i |w_dense(i, o)| * e_h(channel of i) + 2^-10
// with e_x = 2^-8 the input's half LSB (0 when the float reference gets the quantized input) and
// 2^-8, 2^-10 the half LSBs of ufixed<8,1> and ufixed<9,0>. ReLU is 1-Lipschitz and the bias is
// exact in both, so the error only comes from rounding the input and the activations, and each
// layer passes its input error on through the absolute weights.
Eigen::RowVectorXd latent_error_bound(const model& m, bool float_input_quantized);

}  // namespace hlskit::autoencoder
