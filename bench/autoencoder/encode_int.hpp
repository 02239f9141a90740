// The ECON-T encoder in plain integer code: the arithmetic of hlskit::autoencoder::encode<econt>
// written by hand for speed, the baseline the bit-exact kernel is measured against.
//
//   pixels  uint8  (ufixed<8,1> codes, 7 fraction bits)
//   weights int8 codes (fixed<6,1>, 5 fraction bits), stored widened to int16 in the order the
//           inner loops read them
//   sums    int32, exact (products have 7 + 5 = 12 fraction bits; biases are shifted up to 12)
//   conv  : ReLU, round half up to 7 fraction bits, saturate at 255 (ufixed<8,1>)
//   dense : ReLU, round half up to 9 fraction bits, saturate at 511 (ufixed<9,0>)
#pragma once

#include <autoencoder/config.hpp>
#include <hlskit/autoencoder/model.hpp>

#include <cstdint>

namespace hlskit::bench {

namespace ae = hlskit::autoencoder;

struct int_encoder {
  static constexpr int taps = ae::geometry::kernel * ae::geometry::kernel;  // 9 (one input channel)
  // Conv weights per tap, the 8 filters innermost: one tap's contribution to a position is a
  // scalar pixel times an 8-lane vector.
  alignas(64) std::int16_t conv_weight[taps][ae::geometry::filters];
  std::int32_t conv_bias[ae::geometry::filters];  // at the products' 12 fraction bits
  // Dense weights transposed to (out, in): each latent is a 128-term dot product over contiguous
  // int16 pairs, which compiles to multiply-add instructions (pmaddwd).
  alignas(64) std::int16_t dense_weight[ae::geometry::latent][ae::geometry::flat];
  std::int32_t dense_bias[ae::geometry::latent];  // at 12 fraction bits
};

// The model's codes (Keras layouts, model.hpp) in the layouts above.
int_encoder make_int_encoder(const ae::model& m);

// One image: 64 ufixed<8,1> codes in, 16 ufixed<9,0> codes out.
void encode_int(const int_encoder& e, const std::uint8_t image[ae::geometry::pixels],
                std::uint16_t latent[ae::geometry::latent]);

}  // namespace hlskit::bench
