// The CPU's limit for the same layer: dense INT8 x INT8 -> INT32 matrix-vector products in plain
// loops (the pruned weights stored as zeros), left to the compiler's auto-vectorizer, then the
// same requantization. Its own translation unit, so the loop is compiled on its own.
#include "dense_int8.hpp"

#include <algorithm>

namespace hlskit::bench {

void dense_int8(const std::int8_t* w, const std::uint16_t* mantissa, int shift, int rows, int cols, const std::int8_t* x,
                int vectors, std::int8_t* y) {
  for (int v = 0; v < vectors; ++v) {
    const std::int8_t* xv = x + static_cast<long>(v) * cols;
    for (int r = 0; r < rows; ++r) {
      const std::int8_t* wr = w + static_cast<long>(r) * cols;
      std::int32_t acc = 0;
      for (int k = 0; k < cols; ++k) acc += static_cast<std::int32_t>(wr[k]) * static_cast<std::int32_t>(xv[k]);
      std::int64_t p = static_cast<std::int64_t>(acc) * mantissa[r];
      if (shift > 0) p = (p + (std::int64_t{1} << (shift - 1))) >> shift;
      y[static_cast<long>(v) * rows + r] = static_cast<std::int8_t>(std::clamp<std::int64_t>(p, -128, 127));
    }
  }
}

}  // namespace hlskit::bench
