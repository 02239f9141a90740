#include "dense_int_impl.hpp"

void dense_int_vectorized(const std::int8_t* weights, const std::int16_t* input, std::int16_t* output) {
  dense_int_impl(weights, input, output);
}
