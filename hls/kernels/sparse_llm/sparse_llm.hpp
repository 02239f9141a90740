// sparse_llm: the kernel (docs/kernels/sparse_llm.md; FlightLLM, arXiv 2401.03868 §4).
//
// y[b][r] = requant(sum_k W[r][k] x[b][k], m[r], s) for the b < MaxBatch vectors of a batch, with
// W streamed as the RTL receives it (weight beats of Chains lanes, spec §4) and the sums formed
// as the RTL's chains form them (spec §5): per beat, each sub-chain of N slices sums its slot
// products in slot order, the sub-chain sums are added in sub-chain order, and the beat's sum
// goes into the row's INT32 accumulator; dense INT4 beats carry two rows per slice (spec §5.3).
// Synthesizable subset: the kit's types, fixed-size arrays, bounded loops.
#pragma once

#include <sparse_llm/config.hpp>

#include <hlskit/fixed.hpp>

#include <cstdint>

namespace hlskit::sparse_llm {

// The run's registers (spec §2). check_shape (host/include/hlskit/sparse_llm/packed.hpp) says
// which values the RTL runs.
struct shape {
  int rows = 16;        // R
  int cols = 16;        // K
  int sparsity = 16;    // N
  int block = 16;       // M
  int precision = 8;    // weight bits, 8 or 4
  int scale_shift = 0;  // s

  constexpr bool dense() const { return sparsity == block; }
  // Spec §5.3: dense INT4 rows are packed two to a slice.
  constexpr bool packed() const { return precision == 4 && dense(); }
  constexpr int blocks() const { return cols / block; }                 // K / M, per row
  constexpr int sub_chains(int slices) const { return slices / sparsity; }  // S = floor(L / N)
  constexpr int beats_per_group(int slices) const {                     // T = ceil((K / M) / S)
    return (blocks() + sub_chains(slices) - 1) / sub_chains(slices);
  }
  constexpr int rows_per_group(int chains) const { return packed() ? 2 * chains : chains; }
  constexpr int groups(int chains) const { return rows / rows_per_group(chains); }
};

// One chain's part of a weight beat (224 bits of TDATA, spec §4).
struct lane {
  std::uint8_t value[16] = {};  // slot s: INT8 weight; INT4: low nibble (packed: lo row) and high nibble (hi row)
  std::uint8_t index[16] = {};  // slot s: the weight's index in its block, 0..M-1 (4 bits)
  std::uint16_t scale[2] = {};  // the group's first beat: m of the chain's row (packed: [0] lo row, [1] hi row)
};

template <class Config>
struct weight_beat {
  lane chain[Config::chains];
};

namespace detail {

inline constexpr std::int64_t sign_extend(std::int64_t v, int bits) {
  const std::int64_t m = std::int64_t{1} << (bits - 1);
  v &= (std::int64_t{1} << bits) - 1;
  return (v ^ m) - m;
}

}  // namespace detail

// The weight operand of slot s (the DSP's A/AD port, spec §5.1, §5.3).
template <class Config>
constexpr std::int64_t slot_weight(const lane& l, int s, const shape& sh) {
  const std::uint8_t v = l.value[s];
  if (sh.precision == 8) return static_cast<std::int8_t>(v);
  const std::int64_t lo = detail::sign_extend(v & 0xF, 4);
  if (!sh.packed()) return lo;
  const std::int64_t hi = detail::sign_extend(v >> 4, 4);
  return hi * (std::int64_t{1} << packing_shift) + lo;  // the pre-adder's w_hi 2^18 + w_lo
}

// One beat through one chain for one activation vector `x` (K activations): the chain's 48-bit
// cascade sum (spec §5.2). `t` is the beat's index within its row group.
template <class Config>
typename Config::chain_t chain_beat(const lane& l, const typename Config::act_t* x, int t, const shape& sh) {
  using chain_t = typename Config::chain_t;
  const int n = sh.sparsity, m = sh.block, subs = sh.sub_chains(Config::slices), blocks = sh.blocks();
  chain_t beat_sum = 0;
SubChains:
  for (int j = 0; j < subs; ++j) {
    const int blk = t * subs + j;
    chain_t sub = 0;  // a sub-chain's first slice takes PCIN = 0 (a reduction point)
  Slices:
    for (int i = 0; i < n; ++i) {
      const int s = j * n + i;
      // The sparse multiplexer: the slot's index picks one of its block's M activations (dense:
      // the slot itself). Padding blocks (blk >= K / M) carry weight 0, whatever x they meet.
      const int idx = sh.dense() ? i : (l.index[s] & (m - 1));
      const std::int64_t a = blk < blocks ? x[blk * m + idx].raw() : 0;
      sub += chain_t::from_raw(slot_weight<Config>(l, s, sh) * a);
    }
    beat_sum += sub;
  }
  return beat_sum;
}

// Spec §5.3: a packed beat sum P = 2^18 hi + lo with |lo| < 2^17: lo = signext(P[17:0]),
// hi = (P - lo) >> 18.
template <class Config>
void unpack_beat(typename Config::chain_t p, typename Config::acc_t& acc_lo, typename Config::acc_t& acc_hi) {
  const std::int64_t lo = detail::sign_extend(p.raw(), packing_shift);
  const std::int64_t hi = (p.raw() - lo) >> packing_shift;
  acc_lo += Config::acc_t::from_raw(lo);
  acc_hi += Config::acc_t::from_raw(hi);
}

// Spec §3: y = sat8(round_half_up(acc m 2^-s)), defined by the kit's format conversion.
template <class Config>
typename Config::out_t requantize(typename Config::acc_t acc, std::uint16_t m, int s) {
  const std::int64_t p = acc.raw() * static_cast<std::int64_t>(m);  // 48-bit signed
  const std::int64_t y = hlskit::requantize(p, format{48, 48 - s, true},
                                            format{8, 8, true, q_mode::rnd, o_mode::sat});
  return Config::out_t::from_raw(y);
}

// One batch (spec §6): the matrix `w` (groups(C) x beats_per_group(L) beats, group by group) against
// vectors x[0..b), outputs y[v][r]. 1 <= b <= MaxBatch.
template <class Config>
void run_batch(const shape& sh, const weight_beat<Config>* w, const typename Config::act_t x[][Config::max_cols],
               int b, typename Config::out_t y[][Config::max_rows]) {
  using acc_t = typename Config::acc_t;
  constexpr int C = Config::chains;
  const int beats = sh.beats_per_group(Config::slices), per_group = sh.rows_per_group(C);
Groups:
  for (int g = 0; g < sh.groups(C); ++g) {
    const weight_beat<Config>* group = w + static_cast<long>(g) * beats;
  Vectors:
    for (int v = 0; v < b; ++v) {
    Chains:
      for (int c = 0; c < C; ++c) {
        acc_t acc_lo = 0, acc_hi = 0;
      Beats:
        for (int t = 0; t < beats; ++t) {
          const auto p = chain_beat<Config>(group[t].chain[c], x[v], t, sh);
          if (sh.packed())
            unpack_beat<Config>(p, acc_lo, acc_hi);
          else
            acc_lo += acc_t::from_raw(p.raw());
        }
        const lane& first = group[0].chain[c];
        if (sh.packed()) {
          y[v][g * per_group + 2 * c] = requantize<Config>(acc_lo, first.scale[0], sh.scale_shift);
          y[v][g * per_group + 2 * c + 1] = requantize<Config>(acc_hi, first.scale[1], sh.scale_shift);
        } else {
          y[v][g * per_group + c] = requantize<Config>(acc_lo, first.scale[0], sh.scale_shift);
        }
      }
    }
  }
}

}  // namespace hlskit::sparse_llm
