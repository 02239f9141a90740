// sparse_llm: the references the kernel is checked against (docs/kernels/sparse_llm.md §3).
//   integer: the dense matrix (dropped weights 0) times x in plain int64 loops, then the same
//            requantization: equal to the kernel bit for bit (the engine's sums are exact).
//   real:    the float layer, sum_k W[r][k] x[k] times the float scale scale[r], no rounding: the
//            kernel's output is within output_error_bound of it once clamped to [-128, 127].
#pragma once

#include <hlskit/sparse_llm/packed.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace hlskit::sparse_llm {

// The INT32 accumulators of x (K codes) against the dense R x K matrix `w`.
inline std::vector<std::int64_t> reference_accumulators(const std::vector<std::int8_t>& w, int rows, int cols,
                                                        const std::int8_t* x) {
  std::vector<std::int64_t> acc(static_cast<std::size_t>(rows), 0);
  for (int r = 0; r < rows; ++r)
    for (int k = 0; k < cols; ++k)
      acc[static_cast<std::size_t>(r)] += std::int64_t{w[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) +
                                                         static_cast<std::size_t>(k)]} * x[k];
  return acc;
}

// Spec §3 in plain integers: clamp((acc m + 2^(s-1)) >> s, -128, 127).
inline std::int8_t reference_requantize(std::int64_t acc, std::uint16_t m, int s) {
  std::int64_t p = acc * m;
  if (s > 0) p = (p + (std::int64_t{1} << (s - 1))) >> s;
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(p, -128, 127));
}

// The integer reference of one vector: R outputs.
inline std::vector<std::int8_t> reference_integer(const packed_matrix& p, const std::int8_t* x) {
  std::vector<std::int8_t> w;
  std::vector<std::uint8_t> mask;
  unpack(p, w, mask);
  const auto acc = reference_accumulators(w, p.layer.rows, p.layer.cols, x);
  std::vector<std::int8_t> y(acc.size());
  for (std::size_t r = 0; r < acc.size(); ++r) y[r] = reference_requantize(acc[r], p.mantissa[r], p.layer.scale_shift);
  return y;
}

// The real-valued layer: acc[r] scale[r] (float scales, before their 16-bit quantization).
inline std::vector<double> reference_real(const packed_matrix& p, const std::vector<double>& scales, const std::int8_t* x) {
  std::vector<std::int8_t> w;
  std::vector<std::uint8_t> mask;
  unpack(p, w, mask);
  const auto acc = reference_accumulators(w, p.layer.rows, p.layer.cols, x);
  std::vector<double> y(acc.size());
  for (std::size_t r = 0; r < acc.size(); ++r) y[r] = static_cast<double>(acc[r]) * scales[r];
  return y;
}

// |kernel - clamp(real)| <= 1/2 (rounding) + |acc| |scale - m 2^-s| (the mantissa's quantization,
// at most |acc| 2^-(s+1)).
inline double output_error_bound(std::int64_t acc, double scale, std::uint16_t m, int s) {
  return 0.5 + std::fabs(static_cast<double>(acc)) * std::fabs(scale - std::ldexp(static_cast<double>(m), -s)) + 1e-9;
}

}  // namespace hlskit::sparse_llm
