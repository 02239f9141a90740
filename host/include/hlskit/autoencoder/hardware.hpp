// autoencoder: how a model and its items meet the hardware (rtl/autoencoder/autoencoder_top.sv,
// DESIGN §5.1, §6): the register program of a parameter set, the stream layouts in device
// memory, and the RTL's timing. Register offsets come from the generated map
// (hlskit/hw/autoencoder_hw.h); the cosim driver, the kernel declaration and the runtime all use
// these functions.
#pragma once

#include <hlskit/hw/autoencoder_hw.h>
#include <hlskit/kernel.hpp>
#include <autoencoder/autoencoder.hpp>

#include <cstdint>
#include <vector>

namespace hlskit::autoencoder {

// The parameter bank: 2144 raw fixed<6,1> codes in bank order (model::parameters(): conv weight
// (kh, kw, in, out), conv bias, dense weight (in, out), dense bias), each written as a
// sign-extended 32-bit word at PARAMS_BASE + 4 i (the bank keeps bits [5:0]).
inline std::vector<register_write> register_program(const std::vector<std::int64_t>& bank) {
  std::vector<register_write> w;
  w.reserve(bank.size());
  for (std::size_t i = 0; i < bank.size(); ++i)
    w.push_back({XAUTOENCODER_CONTROL_ADDR_PARAMS_BASE + 4u * static_cast<std::uint32_t>(i),
                 static_cast<std::uint32_t>(static_cast<std::int32_t>(bank[i]))});
  return w;
}

// in_r: one image per 512-bit beat, pixel (row, col) as its raw ufixed<8,1> code at byte
// 8 row + col. out_r: one 144-bit beat (18 bytes in memory) per image, latent k as its raw
// ufixed<9,0> code at bits [9k +: 9].
inline constexpr stream_layout input_layout{8 * geometry::pixels, 1};
inline constexpr stream_layout output_layout{9 * geometry::latent, 1};

// One image through the C++ kernel, in the memory layouts above.
template <class Config>
void encode_item(const std::uint8_t* in, std::uint8_t* out, const weights<Config>& w) {
  typename Config::input_t x[Config::pixels];
  for (int p = 0; p < Config::pixels; ++p) x[p] = Config::input_t::from_raw(in[p]);
  typename Config::latent_t y[Config::latent];
  encode<Config>(x, w, y);
  for (std::size_t b = 0; b < output_layout.item_bytes(); ++b) out[b] = 0;
  for (int k = 0; k < Config::latent; ++k) {
    const auto code = static_cast<std::uint32_t>(y[k].raw());
    for (int bit = 0; bit < 9; ++bit)
      if ((code >> bit) & 1u) out[(9 * k + bit) / 8] |= static_cast<std::uint8_t>(1u << ((9 * k + bit) % 8));
  }
}

// The RTL's timing (autoencoder_top.sv): an image taken in cycle c is offered on out_r in cycle
// c + R + 2, and a new image is taken every R cycles, so a run of n >= 1 images delivers its last
// result (n - 1) R + R + 2 cycles after its first image is taken.
template <class Config>
constexpr std::uint64_t latency_cycles() { return Config::reuse_factor + 2; }
// Cycles of a run of `items` images, from the cycle the ap_start write completes (its B
// handshake) to the cycle the interrupt (ap_done, through ISR) is high, the input always offered
// and the output always taken: images enter every R cycles from the start, and the last result
// is delivered R + 2 cycles after its image (n R + 2 in all). A zero-image run on an empty
// pipeline is done by the time the write completes. tests/cosim/test_cycle_model checks this
// against the RTL, exactly.
template <class Config>
constexpr std::uint64_t run_cycles(std::uint64_t items) {
  return items == 0 ? 0 : items * Config::reuse_factor + 2;
}

}  // namespace hlskit::autoencoder
