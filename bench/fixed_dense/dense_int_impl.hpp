// The dense layer in plain integer code: the same arithmetic as the hlskit version, written by
// hand (int8 weights, int16 inputs, int32 accumulator, round half up, saturate to int16).
// Included by two translation units: one compiled normally (auto-vectorized), one with
// vectorization disabled.
#pragma once

#include "dense_config.hpp"

#include <cstdint>

namespace {

inline void dense_int_impl(const std::int8_t* weights, const std::int16_t* input, std::int16_t* output) {
  for (int o = 0; o < dense_outputs; ++o) {
    std::int32_t acc = 0;
    for (int i = 0; i < dense_inputs; ++i) acc += std::int32_t(weights[o * dense_inputs + i]) * std::int32_t(input[i]);
    // Products have 5 + 10 = 15 fraction bits, the output 10: drop 5 bits, round half up.
    std::int32_t rounded = (acc >> 5) + ((acc >> 4) & 1);
    output[o] = static_cast<std::int16_t>(rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded);
  }
}

}  // namespace
