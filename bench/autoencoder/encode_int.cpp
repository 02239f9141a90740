#include "encode_int.hpp"

namespace hlskit::bench {

namespace {

using cfg = ae::econt;
using g = ae::geometry;

// Shifts and limits from the formats (the hand-written code must not drift from the config).
constexpr int product_frac = cfg::input_t::fwidth + cfg::weight_t::fwidth;  // 12, also the dense products'
static_assert(cfg::conv_out_t::fwidth + cfg::weight_t::fwidth == product_frac,
              "conv outputs and pixels share a format, so both layers' products have the same fraction bits");
constexpr int bias_shift = product_frac - cfg::bias_t::fwidth;         // 7
constexpr int conv_shift = product_frac - cfg::conv_out_t::fwidth;     // 5
constexpr int latent_shift = product_frac - cfg::latent_t::fwidth;     // 3
constexpr std::int32_t conv_max = (1 << cfg::conv_out_t::width) - 1;   // 255
constexpr std::int32_t latent_max = (1 << cfg::latent_t::width) - 1;   // 511
static_assert(!cfg::conv_out_t::is_signed && !cfg::latent_t::is_signed && conv_shift > 0 && latent_shift > 0,
              "relu_round_saturate assumes unsigned outputs with fewer fraction bits than the products");

// ReLU, round half up (add half an output LSB, floor), saturate at the largest code.
template <int Shift, std::int32_t Max>
inline std::int32_t relu_round_saturate(std::int32_t acc) {
  const std::int32_t rounded = ((acc > 0 ? acc : 0) + (1 << (Shift - 1))) >> Shift;
  return rounded < Max ? rounded : Max;
}

}  // namespace

int_encoder make_int_encoder(const ae::model& m) {
  int_encoder e{};
  // model.conv_weight is (kh, kw, in = 1, out): already tap-major with the filters innermost.
  for (int t = 0; t < int_encoder::taps; ++t)
    for (int f = 0; f < g::filters; ++f)
      e.conv_weight[t][f] = static_cast<std::int16_t>(m.conv_weight[static_cast<std::size_t>(t * g::filters + f)]);
  for (int f = 0; f < g::filters; ++f)
    e.conv_bias[f] = static_cast<std::int32_t>(m.conv_bias[static_cast<std::size_t>(f)]) * (1 << bias_shift);
  for (int i = 0; i < g::flat; ++i)
    for (int o = 0; o < g::latent; ++o)
      e.dense_weight[o][i] = static_cast<std::int16_t>(m.dense_weight[static_cast<std::size_t>(i * g::latent + o)]);
  for (int o = 0; o < g::latent; ++o)
    e.dense_bias[o] = static_cast<std::int32_t>(m.dense_bias[static_cast<std::size_t>(o)]) * (1 << bias_shift);
  return e;
}

void encode_int(const int_encoder& e, const std::uint8_t image[g::pixels], std::uint16_t latent[g::latent]) {
  // Conv 3x3 stride 2, TF 'same' (taps on row or column 8 read zero, so they are skipped), 8
  // filters per tap in the inner loop. Outputs in flatten order (row, col, filter), as int16 for
  // the dense layer's multiply-adds.
  alignas(64) std::int16_t hidden[g::flat];
  for (int oy = 0; oy < g::conv_rows; ++oy)
    for (int ox = 0; ox < g::conv_cols; ++ox) {
      std::int32_t acc[g::filters];
      for (int f = 0; f < g::filters; ++f) acc[f] = e.conv_bias[f];
      for (int ky = 0; ky < g::kernel; ++ky)
        for (int kx = 0; kx < g::kernel; ++kx) {
          const int y = oy * g::stride + ky, x = ox * g::stride + kx;
          if (y >= g::rows || x >= g::cols) continue;
          const std::int32_t pixel = image[y * g::cols + x];
          const std::int16_t* w = e.conv_weight[ky * g::kernel + kx];
          for (int f = 0; f < g::filters; ++f) acc[f] += pixel * w[f];
        }
      std::int16_t* out = &hidden[(oy * g::conv_cols + ox) * g::filters];
      for (int f = 0; f < g::filters; ++f) out[f] = static_cast<std::int16_t>(relu_round_saturate<conv_shift, conv_max>(acc[f]));
    }

  // Dense 128 -> 16: one dot product per latent over contiguous int16 inputs and weights.
  for (int o = 0; o < g::latent; ++o) {
    std::int32_t acc = 0;
    for (int i = 0; i < g::flat; ++i) acc += std::int32_t(hidden[i]) * std::int32_t(e.dense_weight[o][i]);
    latent[o] = static_cast<std::uint16_t>(relu_round_saturate<latent_shift, latent_max>(acc + e.dense_bias[o]));
  }
}

}  // namespace hlskit::bench
