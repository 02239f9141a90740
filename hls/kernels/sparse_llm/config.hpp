// sparse_llm: the FlightLLM sparse DSP-chain matrix engine (arXiv 2401.03868 §4; DESIGN §5.3),
// configuration. docs/kernels/sparse_llm.md is the specification: shapes, stream layouts, the
// chain's micro-architecture and the run schedule; the comments here cite its sections.
//
// A config is a capacity: any layer of R <= MaxRows output and K <= MaxCols input channels, any
// N:M pattern and either weight precision runs on it, chosen per run by the registers (shape).
#pragma once

#include <hlskit/fixed.hpp>

#include <cstdint>

namespace hlskit::sparse_llm {

// Template parameters in the kit's order: sizes (MaxCols, MaxRows, MaxBatch), then parallelism
// (Chains of Slices DSP slices each).
template <int MaxCols, int MaxRows, int MaxBatch, int Chains, int Slices = 16>
struct config {
  static constexpr int max_cols = MaxCols, max_rows = MaxRows, max_batch = MaxBatch;
  static constexpr int chains = Chains;  // C: row lanes computed at once (2 C rows with INT4 packing)
  static constexpr int slices = Slices;  // L: MAC slices per chain, one block of 16 per cycle dense
  static_assert(Slices == 16, "sparse_llm: a chain is 16 slices (spec §1: one dense block per cycle)");
  static_assert(8 % Chains == 0, "sparse_llm: Chains divides 8, so that R (a multiple of 16) is whole groups");
  static_assert(MaxCols % 16 == 0 && MaxRows % 16 == 0 && MaxCols >= 16 && MaxRows >= 16 && MaxBatch >= 1,
                "sparse_llm: MaxCols and MaxRows are multiples of 16");

  using act_t = sint<8>;      // activations (INT8 codes)
  using weight_t = sint<8>;   // an INT8 weight, or an INT4 one sign-extended
  using product_t = sint<16>; // w x: |w x| <= 128 * 128 = 2^14
  using acc_t = sint<32>;     // a row's accumulator (spec §3)
  using chain_t = sint<48>;   // the DSP48E2 P cascade
  using mantissa_t = uint<16>;// per-channel scale mantissa m[r]
  using out_t = sint<8>;      // requantized output

  // Spec §3: a row of K products is bounded by K 2^14; it must stay below 2^31 so that the INT32
  // accumulator is exact (no wrap) and every summation order gives the same bits.
  static constexpr std::int64_t max_abs_row_sum = std::int64_t{MaxCols} << 14;
  static_assert(max_abs_row_sum < (std::int64_t{1} << 31), "sparse_llm: MaxCols 2^14 must stay below 2^31");
};

// Named configs (spec §1).
using paper = config<4096, 4096, 8, 8>;  // one FlightLLM engine: 8 chains x 16 DSP48E2
using tiny = config<256, 64, 4, 2>;      // fast cosim

// The INT4 packing split (spec §5.3): a packed product is w_hi 2^18 + w_lo.
inline constexpr int packing_shift = 18;

}  // namespace hlskit::sparse_llm
