// autoencoder: the ECON-T encoder (DESIGN §5.1, arXiv 2105.01683), configuration.
//
//   image 8x8x1 ufixed<8,1>
//   -> Conv2D 8 filters 3x3, stride 2, 'same' (TF: the one pad row/column at bottom/right)
//      + bias, ReLU, quantize -> 4x4x8 conv_out_t
//   -> flatten (row, col, channel) = 128 -> Dense 16 + bias, ReLU, quantize -> 16 latent_t
// Weights and biases fixed<6,1>: 72 + 8 + 2048 + 16 = 2144 parameters, loaded at run time.
// 3200 MACs per inference; reuse factor R: II = R cycles, 3200 / R multipliers.
#pragma once

#include <hlskit/fixed.hpp>

namespace hlskit::autoencoder {

// Geometry (fixed by the chip).
struct geometry {
  static constexpr int rows = 8, cols = 8, channels = 1;
  static constexpr int filters = 8, kernel = 3, stride = 2;
  static constexpr int conv_rows = 4, conv_cols = 4;  // ceil(8 / 2)
  static constexpr int flat = conv_rows * conv_cols * filters;  // 128
  static constexpr int latent = 16;
  static constexpr int pixels = rows * cols * channels;        // 64
  static constexpr int conv_weights = kernel * kernel * channels * filters;  // 72
  static constexpr int dense_weights = flat * latent;                      // 2048
  static constexpr int parameters = conv_weights + filters + dense_weights + latent;  // 2144
  static constexpr int conv_macs = conv_rows * conv_cols * filters * kernel * kernel * channels;  // 1152
  static constexpr int dense_macs = flat * latent;  // 2048
  static constexpr int macs = conv_macs + dense_macs;  // 3200
};

// The configuration of one build: sizes, types, output quantization per layer, reuse factor.
// The C++ accumulators are exact at a native width (32 bits; the sums need 18 and 21 bits), so
// they never wrap and the order of the additions cannot change a bit (see NOTES.md: a native
// width keeps the inner loops vectorizable; the RTL uses the minimal widths).
template <int ReuseFactor, q_mode ConvQ = q_mode::rnd, o_mode ConvO = o_mode::sat, q_mode DenseQ = q_mode::rnd,
          o_mode DenseO = o_mode::sat>
struct config : geometry {
  static constexpr int reuse_factor = ReuseFactor;
  static_assert(conv_macs % ReuseFactor == 0 && dense_macs % ReuseFactor == 0,
                "autoencoder: the reuse factor must divide both layers' MACs (1152 and 2048): 1, 2, 4, ..., 128");
  using input_t = ufixed<8, 1>;
  using weight_t = fixed<6, 1>;
  using bias_t = fixed<6, 1>;
  using conv_accum_t = fixed<32, 20>;   // 12 fraction bits: products ufixed<8,1> x fixed<6,1>
  using conv_out_t = ufixed<8, 1, ConvQ, ConvO>;
  // The conv outputs as the dense layer reads them in C simulation: conv_out_t's values (already
  // quantized by it) held in a signed 16-bit word with the same binary point. Exact; a 16-bit
  // operand makes each dense product 16 x 8 bits, which compilers turn into multiply-add
  // instructions (pmaddwd), while 8 x 8-bit products of mixed signs have none on x86-64 SSE2.
  // The hardware keeps conv_out_t's 8 bits (the values are the same).
  using hidden_t = fixed<16, 16 - conv_out_t::fwidth>;
  static_assert(hidden_t::fwidth == conv_out_t::fwidth && hidden_t::iwidth > conv_out_t::iwidth,
                "hidden_t must hold every conv_out_t value exactly");
  // The conv weights as the C simulation stores them: weight_t's values exactly, in a 16-bit word
  // (set once per model, as the integer code's int16 weights), so that no inference widens them
  // again. The register bank and the model files keep weight_t's 6 bits.
  using conv_weight_store_t = fixed<16, 16 - weight_t::fwidth>;
  static_assert(conv_weight_store_t::fwidth == weight_t::fwidth && conv_weight_store_t::iwidth > weight_t::iwidth,
                "conv_weight_store_t must hold every weight_t value exactly");
  using dense_accum_t = fixed<32, 20>;  // 12 fraction bits: products ufixed<8,1> x fixed<6,1>
  using latent_t = ufixed<9, 0, DenseQ, DenseO>;
};

// Named configs.
using econt = config<1>;  // the ASIC: one inference per cycle (25 ns bunch crossing at 40 MHz)
using fpga = config<8>;   // 400 multipliers, II = 8

// Run-time parameters: conv in Keras' layout (kh, kw, in, out); dense stored (out, in), each
// latent's 128 weights contiguous, so the C simulation's dense layer is 16 dot products over
// contiguous memory (model files and the RTL's register bank keep Keras' (in, out) order:
// model.hpp to_weights and the cosim driver transpose). The flatten order is (row, col, channel).
template <class Config>
struct weights {
  typename Config::conv_weight_store_t conv_weight[Config::kernel][Config::kernel][Config::channels][Config::filters];
  typename Config::bias_t conv_bias[Config::filters];
  typename Config::weight_t dense_weight[Config::latent][Config::flat];  // (out, in)
  typename Config::bias_t dense_bias[Config::latent];
};

}  // namespace hlskit::autoencoder
