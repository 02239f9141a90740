// autoencoder: the synthesizable encoder top (C simulation = the hardware's bits).
#pragma once

#include "autoencoder/config.hpp"

namespace hlskit::autoencoder {

// ReLU, then the layer's output quantization (assignment: q_mode, then o_mode).
// (One conversion of the selected sum: a select of two codes, which vectorizes.)
template <class Out, class Accum>
HLSKIT_INLINE Out relu_quantize(const Accum& acc) {
  return Out(acc < Accum(0) ? Accum(0) : acc);
}

// Conv2D 3x3 stride 2 'same' + bias + ReLU: 8x8x1 -> 4x4x8. TF 'same' pads only after the
// image (pad total 1 = (4 - 1) * 2 + 3 - 8): taps on row/column 8 read zero, which the padded
// copy holds (wiring in hardware), so the tap loops have no branches. The filters are the
// innermost loop: one pixel times 8 contiguous weights into 8 local accumulators, a vector
// operation in C simulation (the sums are exact, so their order is free).
//
// The outputs are conv_out_t's values (ReLU and quantization by conv_out_t); Out is the type that
// holds them: conv_out_t itself, or hidden_t (encode), which holds the same values exactly.
template <class Config, class Out>
void conv_layer(const typename Config::input_t image[Config::pixels], const weights<Config>& w,
                Out conv_out[Config::flat]) {
  using accum_t = typename Config::conv_accum_t;
  using input_t = typename Config::input_t;
  constexpr int padded_rows = (Config::conv_rows - 1) * Config::stride + Config::kernel;  // 9
  constexpr int padded_cols = (Config::conv_cols - 1) * Config::stride + Config::kernel;  // 9
  accum_t bias[Config::filters];
  for (int f = 0; f < Config::filters; ++f) bias[f] = w.conv_bias[f];
  input_t padded[padded_rows][padded_cols][Config::channels] = {};
  for (int y = 0; y < Config::rows; ++y)
    for (int x = 0; x < Config::cols; ++x)
      for (int c = 0; c < Config::channels; ++c) padded[y][x][c] = image[(y * Config::cols + x) * Config::channels + c];
conv_rows:
  for (int oy = 0; oy < Config::conv_rows; ++oy) {
  conv_cols:
    for (int ox = 0; ox < Config::conv_cols; ++ox) {
      accum_t acc[Config::filters];  // one output position, all filters: a local vector
      for (int f = 0; f < Config::filters; ++f) acc[f] = bias[f];
    conv_taps:
      for (int ky = 0; ky < Config::kernel; ++ky)
        for (int kx = 0; kx < Config::kernel; ++kx)
          for (int c = 0; c < Config::channels; ++c) {
            const input_t pixel = padded[oy * Config::stride + ky][ox * Config::stride + kx][c];
          conv_filters:
            for (int f = 0; f < Config::filters; ++f) acc[f] += pixel * w.conv_weight[ky][kx][c][f];
          }
      // ReLU and quantization of the position's filters, in flatten order (row, col, channel).
      Out* out = &conv_out[(oy * Config::conv_cols + ox) * Config::filters];
    conv_outputs:
      for (int f = 0; f < Config::filters; ++f) out[f] = Out(relu_quantize<typename Config::conv_out_t>(acc[f]));
    }
  }
}

// Dense 128 -> 16 + bias + ReLU: one dot product per latent over contiguous inputs and weights,
// then ReLU and quantization of the 16 sums in one loop.
// In: conv_out_t or hidden_t (the same values).
template <class Config, class In>
void dense_layer(const In flat[Config::flat], const weights<Config>& w, typename Config::latent_t latent[Config::latent]) {
  using accum_t = typename Config::dense_accum_t;
  accum_t acc[Config::latent];
dense_outputs:
  for (int o = 0; o < Config::latent; ++o) {
    acc[o] = w.dense_bias[o];
  dense_inputs:
    for (int i = 0; i < Config::flat; ++i) acc[o] += flat[i] * w.dense_weight[o][i];
  }
latents:
  for (int o = 0; o < Config::latent; ++o) latent[o] = relu_quantize<typename Config::latent_t>(acc[o]);
}

// The top: one image in, 16 latent codes out. In hardware the two layers form a two-stage
// pipeline, each stage doing its MACs in R cycles on (MACs / R) multipliers.
template <class Config>
void encode(const typename Config::input_t image[Config::pixels], const weights<Config>& w,
            typename Config::latent_t latent[Config::latent]) {
#pragma HLS PIPELINE II = Config::reuse_factor
#pragma HLS ARRAY_PARTITION variable = w complete dim = 0
  typename Config::hidden_t hidden[Config::flat];
  conv_layer<Config>(image, w, hidden);
  dense_layer<Config>(hidden, w, latent);
}

}  // namespace hlskit::autoencoder
