// sparse_llm: the packed weight format (host/include/hlskit/sparse_llm/packed.hpp).
#include <hlskit/atomic_file.hpp>
#include <hlskit/input_file.hpp>
#include <hlskit/sparse_llm/packed.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <string_view>

namespace hlskit::sparse_llm {
namespace {

constexpr char magic[8] = {'H', 'L', 'S', 'K', 'S', 'L', 'W', '1'};
constexpr std::size_t header_bytes = 32;
constexpr int max_scale_shift = 47;

[[noreturn]] void refuse(const std::string& name, const std::string& what) {
  throw error(fmt::format("sparse_llm weights '{}': {}", name, what));
}

std::size_t weight_count(const shape& sh) {
  return static_cast<std::size_t>(sh.rows) * static_cast<std::size_t>(sh.blocks()) * static_cast<std::size_t>(sh.sparsity);
}

// Bytes of a row's blocks in the file: values (INT4: two per byte) and, unless dense, indices.
std::size_t block_file_bytes(const shape& sh) {
  const std::size_t n = static_cast<std::size_t>(sh.sparsity);
  return (sh.precision == 4 ? n / 2 : n) + (sh.dense() ? 0 : n / 2);
}

void check_blocks(const packed_matrix& p, const std::string& name) {
  const shape& sh = p.layer;
  const int lo = sh.precision == 4 ? -8 : -128, hi = sh.precision == 4 ? 7 : 127;
  for (int r = 0; r < sh.rows; ++r)
    for (int b = 0; b < sh.blocks(); ++b) {
      const std::size_t o = p.block_offset(r, b);
      for (int i = 0; i < sh.sparsity; ++i) {
        const int v = p.values[o + static_cast<std::size_t>(i)], idx = p.indices[o + static_cast<std::size_t>(i)];
        const std::string where = fmt::format("row {} block {} weight {}", r, b, i);
        if (v < lo || v > hi) refuse(name, fmt::format("{}: value {} is outside INT{} ({}..{})", where, v, sh.precision, lo, hi));
        if (idx >= sh.block) refuse(name, fmt::format("{}: index {} is out of range (a block has {} weights)", where, idx, sh.block));
        if (sh.dense() && idx != i) refuse(name, fmt::format("{}: index {} in a dense block (expected {})", where, idx, i));
        if (i > 0) {
          const int prev = p.indices[o + static_cast<std::size_t>(i) - 1];
          if (idx == prev) refuse(name, fmt::format("{}: index {} is duplicated", where, idx));
          if (idx < prev) refuse(name, fmt::format("{}: indices are unsorted ({} after {})", where, idx, prev));
        }
      }
    }
}

}  // namespace

void check_shape(const shape& sh, int max_rows, int max_cols, const std::string& name) {
  if (sh.rows < 16 || sh.rows > max_rows || sh.rows % 16 != 0)
    refuse(name, fmt::format("rows {}: expected a multiple of 16 in 16..{}", sh.rows, max_rows));
  if (sh.cols < 16 || sh.cols > max_cols || sh.cols % 16 != 0)
    refuse(name, fmt::format("cols {}: expected a multiple of 16 in 16..{}", sh.cols, max_cols));
  if (sh.block == 16) {
    if (sh.sparsity < 2 || sh.sparsity > 16 || sh.sparsity % 2 != 0)
      refuse(name, fmt::format("sparsity {}:16: expected N in 2, 4, ..., 16", sh.sparsity));
  } else if (sh.block == 4) {
    if (sh.sparsity != 2) refuse(name, fmt::format("sparsity {}:4: the engine runs 2:4 only", sh.sparsity));
  } else {
    refuse(name, fmt::format("block {}: expected M = 16 or 4", sh.block));
  }
  if (sh.precision != 4 && sh.precision != 8) refuse(name, fmt::format("precision {}: expected 4 or 8 bits", sh.precision));
  if (sh.scale_shift < 0 || sh.scale_shift > max_scale_shift)
    refuse(name, fmt::format("scale_shift {}: expected 0..{}", sh.scale_shift, max_scale_shift));
}

void quantize_scales(const std::vector<double>& scales, packed_matrix& p, const std::string& name) {
  if (scales.size() != static_cast<std::size_t>(p.layer.rows))
    refuse(name, fmt::format("{} scales for {} rows", scales.size(), p.layer.rows));
  double top = 0;
  for (std::size_t r = 0; r < scales.size(); ++r) {
    if (!std::isfinite(scales[r])) refuse(name, fmt::format("row {}: scale {} is not finite", r, scales[r]));
    if (scales[r] < 0) refuse(name, fmt::format("row {}: scale {} is negative", r, scales[r]));
    top = std::max(top, scales[r]);
  }
  if (std::nearbyint(top) > 65535) refuse(name, fmt::format("scale {} is above 65535 (a 16-bit mantissa, shift 0)", top));
  int s = 0;
  while (s < max_scale_shift && std::nearbyint(std::ldexp(top, s + 1)) <= 65535) ++s;
  p.layer.scale_shift = s;
  p.mantissa.resize(scales.size());
  for (std::size_t r = 0; r < scales.size(); ++r)
    p.mantissa[r] = static_cast<std::uint16_t>(std::nearbyint(std::ldexp(scales[r], s)));
}

packed_matrix pack(const shape& layer, const std::vector<std::int8_t>& values, const std::vector<std::uint8_t>& indices,
                   const std::vector<double>& scales, int max_rows, int max_cols, const std::string& name) {
  check_shape(layer, max_rows, max_cols, name);
  packed_matrix p;
  p.layer = layer;
  const std::size_t n = weight_count(layer);
  if (values.size() != n || indices.size() != n)
    refuse(name, fmt::format("{} values and {} indices; {} x {} at {}:{} keeps {}", values.size(), indices.size(),
                             layer.rows, layer.cols, layer.sparsity, layer.block, n));
  p.values = values;
  p.indices = indices;
  check_blocks(p, name);
  quantize_scales(scales, p, name);
  return p;
}

packed_matrix pack_dense(const shape& layer, const std::vector<std::int8_t>& weights, const std::vector<std::uint8_t>& mask,
                         const std::vector<double>& scales, int max_rows, int max_cols, const std::string& name) {
  check_shape(layer, max_rows, max_cols, name);
  const std::size_t rk = static_cast<std::size_t>(layer.rows) * static_cast<std::size_t>(layer.cols);
  if (weights.size() != rk || mask.size() != rk)
    refuse(name, fmt::format("{} weights and {} mask entries for {} x {}", weights.size(), mask.size(), layer.rows, layer.cols));
  std::vector<std::int8_t> values;
  std::vector<std::uint8_t> indices;
  values.reserve(weight_count(layer));
  indices.reserve(weight_count(layer));
  for (int r = 0; r < layer.rows; ++r)
    for (int b = 0; b < layer.blocks(); ++b) {
      int kept = 0;
      for (int i = 0; i < layer.block; ++i) {
        const std::size_t k = static_cast<std::size_t>(r) * static_cast<std::size_t>(layer.cols) +
                              static_cast<std::size_t>(b * layer.block + i);
        if (mask[k] == 0) continue;
        ++kept;
        values.push_back(weights[k]);
        indices.push_back(static_cast<std::uint8_t>(i));
      }
      if (kept != layer.sparsity)
        refuse(name, fmt::format("row {} block {} (columns {}..{}): the mask keeps {} weights, expected {} ({}:{})", r, b,
                                 b * layer.block, b * layer.block + layer.block - 1, kept, layer.sparsity,
                                 layer.sparsity, layer.block));
    }
  return pack(layer, values, indices, scales, max_rows, max_cols, name);
}

void unpack(const packed_matrix& p, std::vector<std::int8_t>& weights, std::vector<std::uint8_t>& mask) {
  const shape& sh = p.layer;
  weights.assign(static_cast<std::size_t>(sh.rows) * static_cast<std::size_t>(sh.cols), 0);
  mask.assign(weights.size(), 0);
  for (int r = 0; r < sh.rows; ++r)
    for (int b = 0; b < sh.blocks(); ++b)
      for (int i = 0; i < sh.sparsity; ++i) {
        const std::size_t o = p.block_offset(r, b) + static_cast<std::size_t>(i);
        const std::size_t k = static_cast<std::size_t>(r) * static_cast<std::size_t>(sh.cols) +
                              static_cast<std::size_t>(b * sh.block + p.indices[o]);
        weights[k] = p.values[o];
        mask[k] = 1;
      }
}

std::vector<std::uint8_t> serialize(const packed_matrix& p) {
  const shape& sh = p.layer;
  std::vector<std::uint8_t> out(header_bytes, 0);
  std::memcpy(out.data(), magic, 8);
  const auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  put32(8, static_cast<std::uint32_t>(sh.rows));
  put32(12, static_cast<std::uint32_t>(sh.cols));
  out[16] = static_cast<std::uint8_t>(sh.sparsity);
  out[17] = static_cast<std::uint8_t>(sh.block);
  out[18] = static_cast<std::uint8_t>(sh.precision);
  out[19] = static_cast<std::uint8_t>(sh.scale_shift);
  for (std::uint16_t m : p.mantissa) {
    out.push_back(static_cast<std::uint8_t>(m));
    out.push_back(static_cast<std::uint8_t>(m >> 8));
  }
  for (int r = 0; r < sh.rows; ++r)
    for (int b = 0; b < sh.blocks(); ++b) {
      const std::size_t o = p.block_offset(r, b);
      if (sh.precision == 4) {
        for (int i = 0; i < sh.sparsity; i += 2)
          out.push_back(static_cast<std::uint8_t>((p.values[o + static_cast<std::size_t>(i)] & 0xF) |
                                                  ((p.values[o + static_cast<std::size_t>(i) + 1] & 0xF) << 4)));
      } else {
        for (int i = 0; i < sh.sparsity; ++i) out.push_back(static_cast<std::uint8_t>(p.values[o + static_cast<std::size_t>(i)]));
      }
      if (!sh.dense())
        for (int i = 0; i < sh.sparsity; i += 2)
          out.push_back(static_cast<std::uint8_t>(p.indices[o + static_cast<std::size_t>(i)] |
                                                  (p.indices[o + static_cast<std::size_t>(i) + 1] << 4)));
    }
  return out;
}

packed_matrix parse(const std::uint8_t* data, std::size_t size, int max_rows, int max_cols, const std::string& name) {
  if (size < header_bytes) refuse(name, fmt::format("{} bytes: shorter than the {}-byte header", size, header_bytes));
  if (std::memcmp(data, magic, 8) != 0) refuse(name, "bytes 0-7: expected the magic HLSKSLW1 (not a packed sparse_llm matrix)");
  const auto get32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(data[at + static_cast<std::size_t>(i)]) << (8 * i);
    return v;
  };
  const std::uint32_t rows = get32(8), cols = get32(12);
  if (rows > static_cast<std::uint32_t>(max_rows) || cols > static_cast<std::uint32_t>(max_cols))
    refuse(name, fmt::format("header: {} x {} exceeds {} x {}", rows, cols, max_rows, max_cols));
  for (std::size_t i = 20; i < header_bytes; ++i)
    if (data[i] != 0) refuse(name, fmt::format("header byte {}: expected 0 (reserved), got {}", i, data[i]));
  packed_matrix p;
  p.layer = shape{static_cast<int>(rows), static_cast<int>(cols), data[16], data[17], data[18], data[19]};
  check_shape(p.layer, max_rows, max_cols, name);
  const shape& sh = p.layer;
  const std::size_t expected = header_bytes + 2 * static_cast<std::size_t>(sh.rows) +
                               static_cast<std::size_t>(sh.rows) * static_cast<std::size_t>(sh.blocks()) * block_file_bytes(sh);
  if (size != expected)
    refuse(name, fmt::format("{} bytes; {} x {} at {}:{} INT{} takes {}", size, sh.rows, sh.cols, sh.sparsity, sh.block,
                             sh.precision, expected));
  std::size_t at = header_bytes;
  p.mantissa.resize(static_cast<std::size_t>(sh.rows));
  for (auto& m : p.mantissa) {
    m = static_cast<std::uint16_t>(data[at] | (data[at + 1] << 8));
    at += 2;
  }
  p.values.resize(weight_count(sh));
  p.indices.resize(weight_count(sh));
  for (int r = 0; r < sh.rows; ++r)
    for (int b = 0; b < sh.blocks(); ++b) {
      const std::size_t o = p.block_offset(r, b);
      for (int i = 0; i < sh.sparsity; ++i) {
        const std::size_t k = o + static_cast<std::size_t>(i);
        if (sh.precision == 4) {
          const int nib = (data[at + static_cast<std::size_t>(i / 2)] >> (4 * (i % 2))) & 0xF;
          p.values[k] = static_cast<std::int8_t>(nib >= 8 ? nib - 16 : nib);
        } else {
          p.values[k] = static_cast<std::int8_t>(data[at + static_cast<std::size_t>(i)]);
        }
      }
      at += sh.precision == 4 ? static_cast<std::size_t>(sh.sparsity / 2) : static_cast<std::size_t>(sh.sparsity);
      for (int i = 0; i < sh.sparsity; ++i)
        p.indices[o + static_cast<std::size_t>(i)] =
            sh.dense() ? static_cast<std::uint8_t>(i)
                       : static_cast<std::uint8_t>((data[at + static_cast<std::size_t>(i / 2)] >> (4 * (i % 2))) & 0xF);
      if (!sh.dense()) at += static_cast<std::size_t>(sh.sparsity / 2);
    }
  check_blocks(p, name);
  return p;
}

packed_matrix read_file(const std::string& path, int max_rows, int max_cols) {
  std::string bytes;
  try {
    input_file f(path, "a packed sparse_llm matrix (.slw)");
    bytes = f.read_rest(max_tensor_input_bytes, false);
  } catch (const file_error& e) {
    throw error(e.what());
  }
  return parse(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), max_rows, max_cols, path);
}

void write_file(const std::string& path, const packed_matrix& p) {
  const std::vector<std::uint8_t> bytes = serialize(p);
  try {
    hlskit::write_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  } catch (const file_error& e) {
    throw error(e.what());
  }
}

std::vector<lane> weight_lanes(const packed_matrix& p, int chains) {
  const shape& sh = p.layer;
  constexpr int slices = 16;
  const int n = sh.sparsity, subs = sh.sub_chains(slices), beats = sh.beats_per_group(slices);
  const int per_group = sh.rows_per_group(chains), groups = sh.groups(chains);
  std::vector<lane> out(static_cast<std::size_t>(groups) * static_cast<std::size_t>(beats) * static_cast<std::size_t>(chains));
  for (int g = 0; g < groups; ++g)
    for (int t = 0; t < beats; ++t)
      for (int c = 0; c < chains; ++c) {
        lane& l = out[(static_cast<std::size_t>(g) * static_cast<std::size_t>(beats) + static_cast<std::size_t>(t)) *
                          static_cast<std::size_t>(chains) + static_cast<std::size_t>(c)];
        // Spec §4: chain c computes row g C + c, or rows g 2C + 2c (lo) and + 1 (hi) when packed.
        const int row = sh.packed() ? g * per_group + 2 * c : g * per_group + c;
        if (t == 0) {
          l.scale[0] = p.mantissa[static_cast<std::size_t>(row)];
          if (sh.packed()) l.scale[1] = p.mantissa[static_cast<std::size_t>(row) + 1];
        }
        for (int j = 0; j < subs; ++j) {
          const int blk = t * subs + j;
          if (blk >= sh.blocks()) break;  // padding: value 0, index 0
          for (int i = 0; i < n; ++i) {
            const int s = j * n + i;
            const std::size_t o = p.block_offset(row, blk) + static_cast<std::size_t>(i);
            if (sh.packed()) {
              const std::size_t o_hi = p.block_offset(row + 1, blk) + static_cast<std::size_t>(i);
              l.value[s] = static_cast<std::uint8_t>((p.values[o] & 0xF) | ((p.values[o_hi] & 0xF) << 4));
            } else {
              l.value[s] = static_cast<std::uint8_t>(sh.precision == 4 ? (p.values[o] & 0xF) : p.values[o]);
            }
            l.index[s] = sh.dense() ? 0 : p.indices[o];
          }
        }
      }
  return out;
}

void lane_to_bytes(const lane& l, std::uint8_t* out) {
  std::memcpy(out, l.value, 16);                                   // bits [0, 128): slot values
  for (int s = 0; s < 16; s += 2)                                  // bits [128, 192): indices
    out[16 + s / 2] = static_cast<std::uint8_t>((l.index[s] & 0xF) | ((l.index[s + 1] & 0xF) << 4));
  for (int h = 0; h < 2; ++h) {                                    // bits [192, 224): scales
    out[24 + 2 * h] = static_cast<std::uint8_t>(l.scale[h]);
    out[25 + 2 * h] = static_cast<std::uint8_t>(l.scale[h] >> 8);
  }
}

lane lane_from_bytes(const std::uint8_t* in) {
  lane l;
  std::memcpy(l.value, in, 16);
  for (int s = 0; s < 16; ++s) l.index[s] = static_cast<std::uint8_t>((in[16 + s / 2] >> (4 * (s % 2))) & 0xF);
  for (int h = 0; h < 2; ++h) l.scale[h] = static_cast<std::uint16_t>(in[24 + 2 * h] | (in[25 + 2 * h] << 8));
  return l;
}

}  // namespace hlskit::sparse_llm
