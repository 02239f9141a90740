#pragma once
#include <cstdint>

namespace hlskit::bench {
// y[v][r] = sat8(round_half_up(sum_k w[r][k] x[v][k] * mantissa[r] 2^-shift)), row-major arrays.
void dense_int8(const std::int8_t* w, const std::uint16_t* mantissa, int shift, int rows, int cols, const std::int8_t* x,
                int vectors, std::int8_t* y);
}  // namespace hlskit::bench
