// Running items through a backend as the runtime does: buffers in device memory, the host's DMA,
// start, wait, read back.
#pragma once

#include <gtest/gtest.h>

#include <hlskit/detail/backend.hpp>
#include <hlskit/platform/platform.hpp>

#include <chrono>
#include <random>
#include <vector>

namespace platform_test {

using namespace std::chrono_literals;

struct job {
  std::vector<std::uint8_t> out;
  hlskit::detail::run_timing timing;
  bool completed = false;
};

inline job run_items(hlskit::detail::backend& dev, hlskit::detail::backend_kernel& k, const hlskit::loaded_model& m,
                     const std::vector<std::uint8_t>& in, std::size_t items,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(120'000)) {
  job j;
  const std::uint64_t a = dev.allocate(in.size()), b = dev.allocate(items * m.output().item_bytes());
  dev.write(a, in.data(), in.size());
  k.start(a, b, items);
  j.completed = k.wait(timeout);
  if (j.completed) {
    j.out.resize(items * m.output().item_bytes());
    dev.read(b, j.out.data(), j.out.size());
    j.timing = k.timing();
  }
  dev.release(a);
  dev.release(b);
  return j;
}

inline std::vector<std::uint8_t> csim(const hlskit::loaded_model& m, const std::vector<std::uint8_t>& in, std::size_t items) {
  std::vector<std::uint8_t> out(items * m.output().item_bytes());
  m.csim(in.data(), out.data(), items);
  return out;
}

inline std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

// Index of the first differing byte and the count of differing bits ("bit-exact" = zero).
inline std::size_t differing_bits(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  std::size_t n = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += static_cast<std::size_t>(__builtin_popcount(a[i] ^ b[i]));
  return n;
}

}  // namespace platform_test
