// The benchmark's layer: 64 x 64 dense, weights fixed<8,3>, inputs fixed<16,6>, exact
// accumulator, output fixed<16,6> rounded half up and saturated.
#pragma once

#include <cstdint>

constexpr int dense_inputs = 64;
constexpr int dense_outputs = 64;

// Plain-integer variants (defined in dense_int_vectorized.cpp / dense_int_scalar.cpp).
void dense_int_vectorized(const std::int8_t* weights, const std::int16_t* input, std::int16_t* output);
void dense_int_scalar(const std::int8_t* weights, const std::int16_t* input, std::int16_t* output);
