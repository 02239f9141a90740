// sparse_llm: how a layer and its items meet the hardware (rtl/sparse_llm/sparse_llm_top.sv,
// docs/kernels/sparse_llm.md): the register program, the stream layouts in device memory, the
// weight stream image, and the RTL's timing. Offsets from the generated map
// (hlskit/hw/sparse_llm_hw.h); the cosim driver, the kernel declaration and the runtime use these.
#pragma once

#include <hlskit/hw/sparse_llm_hw.h>
#include <hlskit/kernel.hpp>
#include <hlskit/sparse_llm/packed.hpp>
#include <sparse_llm/sparse_llm.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace hlskit::sparse_llm {

// The argument registers of a layer (not count).
inline std::vector<register_write> register_program(const shape& sh) {
  auto u = [](int v) { return static_cast<std::uint32_t>(v); };
  return {{XSPARSE_LLM_CONTROL_ADDR_ROWS_DATA, u(sh.rows)},         {XSPARSE_LLM_CONTROL_ADDR_COLS_DATA, u(sh.cols)},
          {XSPARSE_LLM_CONTROL_ADDR_SPARSITY_DATA, u(sh.sparsity)}, {XSPARSE_LLM_CONTROL_ADDR_BLOCK_DATA, u(sh.block)},
          {XSPARSE_LLM_CONTROL_ADDR_PRECISION_DATA, u(sh.precision)},
          {XSPARSE_LLM_CONTROL_ADDR_SCALE_SHIFT_DATA, u(sh.scale_shift)}};
}

// in_r: an activation vector, K / 16 beats of 128 bits (activation k at byte k).
inline stream_layout input_layout(const shape& sh) { return {128u, static_cast<std::size_t>(sh.cols / 16)}; }
// out_r: an output vector, R / 16 beats of 128 bits (output r at byte r).
inline stream_layout output_layout(const shape& sh) { return {128u, static_cast<std::size_t>(sh.rows / 16)}; }

// w: one copy of the matrix, in the memory layout (beats of Chains x 28 bytes).
template <class Config>
std::vector<std::uint8_t> weight_image(const packed_matrix& p) {
  const std::vector<lane> lanes = weight_lanes(p, Config::chains);
  std::vector<std::uint8_t> bytes(lanes.size() * lane_bytes);
  for (std::size_t i = 0; i < lanes.size(); ++i) lane_to_bytes(lanes[i], bytes.data() + i * lane_bytes);
  return bytes;
}
template <class Config>
constexpr unsigned weight_beat_bits() { return 224u * Config::chains; }

// Batches of a run of `items` vectors: ceil(items / MaxBatch); the matrix streams once per batch.
template <class Config>
std::uint64_t batches(std::uint64_t items) { return (items + Config::max_batch - 1) / Config::max_batch; }

// `items` vectors through the C++ kernel, in the memory layouts above.
template <class Config>
void run_items(const shape& sh, const std::vector<weight_beat<Config>>& w, const std::uint8_t* in, std::uint8_t* out,
               std::size_t items) {
  using act_t = typename Config::act_t;
  using out_t = typename Config::out_t;
  auto x = std::make_unique<act_t[][Config::max_cols]>(Config::max_batch);
  auto y = std::make_unique<out_t[][Config::max_rows]>(Config::max_batch);
  for (std::size_t v0 = 0; v0 < items; v0 += Config::max_batch) {
    const int b = static_cast<int>(std::min<std::size_t>(Config::max_batch, items - v0));
    for (int v = 0; v < b; ++v)
      for (int k = 0; k < sh.cols; ++k)
        x[v][k] = act_t::from_raw(static_cast<std::int8_t>(in[(v0 + static_cast<std::size_t>(v)) * static_cast<std::size_t>(sh.cols) +
                                                              static_cast<std::size_t>(k)]));
    run_batch<Config>(sh, w.data(), x.get(), b, y.get());
    for (int v = 0; v < b; ++v)
      for (int r = 0; r < sh.rows; ++r)
        out[(v0 + static_cast<std::size_t>(v)) * static_cast<std::size_t>(sh.rows) + static_cast<std::size_t>(r)] =
            static_cast<std::uint8_t>(y[v][r].raw());
  }
}

// Cycles of a run of `items` vectors, from the cycle the ap_start write completes (its B
// handshake) to the cycle the interrupt (ap_done through ISR) is high, streams never stalled
// (docs/kernels/sparse_llm.md §6): per vector its K / 16 load beats, (R / G_r) T compute cycles
// and R / 16 drain beats; per batch L + 7 cycles of pipeline fill, drain and phase changes; minus
// one for the first in_r beat taken at the write's own edge. A zero-item run is done by the time
// the write completes. tests/cosim checks it against the RTL for every pattern and precision.
template <class Config>
std::uint64_t run_cycles(const shape& sh, std::uint64_t items) {
  if (items == 0) return 0;
  constexpr std::uint64_t per_batch = Config::slices + 7;
  const std::uint64_t per_item = static_cast<std::uint64_t>(sh.cols / 16) +
                                 static_cast<std::uint64_t>(sh.groups(Config::chains)) *
                                     static_cast<std::uint64_t>(sh.beats_per_group(Config::slices)) +
                                 static_cast<std::uint64_t>(sh.rows / 16);
  return items * per_item + per_batch * batches<Config>(items) - 1;
}

// Useful MACs of a run (kept weights times vectors) and the dense-equivalent MACs.
inline std::uint64_t useful_macs(const shape& sh, std::uint64_t items) {
  return items * static_cast<std::uint64_t>(sh.rows) * static_cast<std::uint64_t>(sh.blocks()) *
         static_cast<std::uint64_t>(sh.sparsity);
}
inline std::uint64_t dense_macs(const shape& sh, std::uint64_t items) {
  return items * static_cast<std::uint64_t>(sh.rows) * static_cast<std::uint64_t>(sh.cols);
}

// The embedded default layer of a config (models/sparse_llm/<config>.slw; models/sparse_llm/README.md
// gives the command that made it).
std::string default_model_path(const std::string& config);

}  // namespace hlskit::sparse_llm
