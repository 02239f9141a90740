// sparse_llm: N:M block-sparse weights (docs/kernels/sparse_llm.md §4, §8): the packer from a
// dense matrix and a mask, the unpacker, the `.slw` file, and the weight stream a config's
// chains consume.
//
// Every function that takes outside data checks it completely and throws hlskit::error naming
// `name` (a file, or what the caller calls the matrix), the field (row, block, slot) and what was
// expected: a block with the wrong count, indices unsorted, duplicated or out of range, a value
// outside the precision's range, a scale that is not finite, negative or too large, a shape the
// engine does not run. Nothing here is the kernel: it runs on the host.
#pragma once

#include <hlskit/kernel.hpp>
#include <sparse_llm/sparse_llm.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hlskit::sparse_llm {

// The layer's part of the registers: rows, cols, N:M and precision (scale_shift comes with the
// scales). Throws hlskit::error unless R and K are multiples of 16 within [16, max_rows] and
// [16, max_cols], M = 16 with N in {2, 4, ..., 16} or M = 4 with N = 2, precision 4 or 8.
void check_shape(const shape& sh, int max_rows, int max_cols, const std::string& name);

// A packed N:M matrix (spec §8): per row, its K / M blocks; per block N weights (INT8 or INT4
// codes, stored sign-extended in int8) and their N indices (strictly increasing, < M).
struct packed_matrix {
  shape layer;                           // rows, cols, sparsity, block, precision, scale_shift
  std::vector<std::uint16_t> mantissa;   // m[r]: the scale of row r is m[r] 2^-scale_shift
  std::vector<std::int8_t> values;       // [r][block][i], rows * (cols / M) * N
  std::vector<std::uint8_t> indices;     // same indexing; dense (N = M): index = i

  std::size_t block_offset(int row, int blk) const {
    return (static_cast<std::size_t>(row) * static_cast<std::size_t>(layer.blocks()) + static_cast<std::size_t>(blk)) *
           static_cast<std::size_t>(layer.sparsity);
  }
};

// Per-channel scales to mantissas (spec §3): the largest shift s in 0..47 with every
// round(scale[r] 2^s) <= 65535. Throws on a scale that is not finite, negative, or above 65535.
void quantize_scales(const std::vector<double>& scales, packed_matrix& p, const std::string& name);

// Packs explicit blocks: values and indices laid out as packed_matrix's, scales one per row.
// Checks the shape (limits max_rows, max_cols), the counts, every index and value, the scales.
packed_matrix pack(const shape& layer, const std::vector<std::int8_t>& values, const std::vector<std::uint8_t>& indices,
                   const std::vector<double>& scales, int max_rows, int max_cols, const std::string& name);

// Packs a dense row-major R x K matrix of weight codes under a mask (nonzero = kept): every block
// of M must keep exactly N weights; kept weights must fit the precision (dropped ones are ignored).
packed_matrix pack_dense(const shape& layer, const std::vector<std::int8_t>& weights, const std::vector<std::uint8_t>& mask,
                         const std::vector<double>& scales, int max_rows, int max_cols, const std::string& name);

// The dense R x K matrix (dropped weights 0) and its mask.
void unpack(const packed_matrix& p, std::vector<std::int8_t>& weights, std::vector<std::uint8_t>& mask);

// The `.slw` file (spec §8).
std::vector<std::uint8_t> serialize(const packed_matrix& p);
packed_matrix parse(const std::uint8_t* data, std::size_t size, int max_rows, int max_cols, const std::string& name);
packed_matrix read_file(const std::string& path, int max_rows, int max_cols);  // errors name the file
void write_file(const std::string& path, const packed_matrix& p);               // atomic; nothing on error

// The weight stream of one matrix copy for a config with `chains` chains of 16 slices (spec §4):
// groups in order, beats_per_group beats each, chains lanes per beat.
std::vector<lane> weight_lanes(const packed_matrix& p, int chains);

template <class Config>
std::vector<weight_beat<Config>> weight_beats(const packed_matrix& p) {
  const std::vector<lane> lanes = weight_lanes(p, Config::chains);
  std::vector<weight_beat<Config>> beats(lanes.size() / Config::chains);
  for (std::size_t b = 0; b < beats.size(); ++b)
    for (int c = 0; c < Config::chains; ++c) beats[b].chain[c] = lanes[b * Config::chains + static_cast<std::size_t>(c)];
  return beats;
}

// A lane as its 224 TDATA bits (28 bytes, spec §4), and back.
constexpr std::size_t lane_bytes = 28;
void lane_to_bytes(const lane& l, std::uint8_t* out);
lane lane_from_bytes(const std::uint8_t* in);

}  // namespace hlskit::sparse_llm
