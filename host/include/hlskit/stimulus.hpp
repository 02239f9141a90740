// Random items in a stream's memory layout (hlskit/kernel.hpp): every TDATA bit of every beat
// random, pad bits zero, so any kernel's input buffer can be filled without knowing its fields.
// The tests and the benches of the runtime use it.
#pragma once

#include <hlskit/kernel.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace hlskit {

// `items` items of layout `l` (items * l.item_bytes() bytes), the same for the same seed.
inline std::vector<std::uint8_t> random_items(const stream_layout& l, std::size_t items, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint8_t> v(items * l.item_bytes());
  for (std::size_t beat = 0; beat < items * l.beats; ++beat)
    for (std::size_t b = 0; b < l.beat_bytes(); ++b) {
      const unsigned bits = std::min<unsigned>(8, l.beat_bits - 8 * static_cast<unsigned>(b));
      v[beat * l.beat_bytes() + b] = static_cast<std::uint8_t>(rng() & ((1u << bits) - 1));
    }
  return v;
}

}  // namespace hlskit
