// sparse_llm: random and corner-case layers for the tests, the cosim and the benches
// (docs/kernels/sparse_llm.md; issue corners: all weights at their minimum, all activations at
// -128, zero blocks, indices at both ends of a block, accumulators at their bound).
#pragma once

#include <hlskit/sparse_llm/packed.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace hlskit::sparse_llm {

enum class corner {
  random,        // random kept positions, values and scales
  min_weights,   // every kept weight at -128 (INT8) or -8 (INT4)
  zero_blocks,   // random, with every other block all zero
  edge_indices,  // kept positions at both ends of every block (0, M-1, 1, M-2, ...)
  bound,         // weights -128/-8, indices as edge_indices: with x = -128 the accumulators reach K N/M 2^14
};
inline const char* corner_name(corner c) {
  switch (c) {
    case corner::random: return "random";
    case corner::min_weights: return "min_weights";
    case corner::zero_blocks: return "zero_blocks";
    case corner::edge_indices: return "edge_indices";
    case corner::bound: return "bound";
  }
  return "?";
}
inline constexpr corner all_corners[] = {corner::random, corner::min_weights, corner::zero_blocks,
                                         corner::edge_indices, corner::bound};

// Every (N, M) the engine runs (spec §2): N:16 for N = 2..16 step 2, then 2:4.
inline std::vector<std::pair<int, int>> patterns() {
  std::vector<std::pair<int, int>> p;
  for (int n = 2; n <= 16; n += 2) p.emplace_back(n, 16);
  p.emplace_back(2, 4);
  return p;
}

// A packed R x K layer at N:M and `precision`. Scales: random in [0, 2^-scale_exp) with at least
// one near the top, so the chosen shift is about scale_exp + 16; outputs then span INT8 and
// saturate sometimes when scale_exp is small.
inline packed_matrix random_layer(shape sh, corner kind, std::mt19937_64& rng, int max_rows, int max_cols, int scale_exp = 10) {
  const int lo = sh.precision == 4 ? -8 : -128, hi = sh.precision == 4 ? 7 : 127;
  std::uniform_int_distribution<int> value(lo, hi);
  std::vector<std::int8_t> values;
  std::vector<std::uint8_t> indices;
  std::vector<int> slots(static_cast<std::size_t>(sh.block));
  for (int r = 0; r < sh.rows; ++r)
    for (int b = 0; b < sh.blocks(); ++b) {
      std::iota(slots.begin(), slots.end(), 0);
      if (kind == corner::edge_indices || kind == corner::bound) {
        for (int i = 0; i < sh.block; ++i) slots[static_cast<std::size_t>(i)] = i % 2 == 0 ? i / 2 : sh.block - 1 - i / 2;
      } else {
        std::shuffle(slots.begin(), slots.end(), rng);
      }
      std::vector<int> keep(slots.begin(), slots.begin() + sh.sparsity);
      std::sort(keep.begin(), keep.end());
      for (int idx : keep) {
        int v = value(rng);
        if (kind == corner::min_weights || kind == corner::bound) v = lo;
        if (kind == corner::zero_blocks && b % 2 == 1) v = 0;
        values.push_back(static_cast<std::int8_t>(v));
        indices.push_back(static_cast<std::uint8_t>(idx));
      }
    }
  std::uniform_real_distribution<double> scale(0.0, std::ldexp(1.0, -scale_exp));
  std::vector<double> scales(static_cast<std::size_t>(sh.rows));
  for (auto& s : scales) s = scale(rng);
  scales[0] = std::ldexp(1.0, -scale_exp) * 0.999;
  return pack(sh, values, indices, scales, max_rows, max_cols, std::string("random ") + corner_name(kind));
}

// `count` activation vectors of K codes, row-major; corners bound and min_weights use -128.
inline std::vector<std::int8_t> random_activations(int count, int cols, corner kind, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> value(-128, 127);
  std::vector<std::int8_t> x(static_cast<std::size_t>(count) * static_cast<std::size_t>(cols));
  for (auto& v : x) v = static_cast<std::int8_t>(kind == corner::bound ? -128 : value(rng));
  return x;
}

}  // namespace hlskit::sparse_llm
