// Compiled with -fno-tree-vectorize -fno-tree-slp-vectorize (bench/CMakeLists.txt).
#include "dense_int_impl.hpp"

void dense_int_scalar(const std::int8_t* weights, const std::int16_t* input, std::int16_t* output) {
  dense_int_impl(weights, input, output);
}
