// Timing for the report programs in bench/: variants measured in interleaved rounds on a shared,
// noisy machine, the best round of each counting. Ratios come from one run, never pass/fail.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace hlskit::bench {

struct variant {
  std::string name;
  std::function<void()> run_all;  // one pass over every input
  double best_seconds = 1e30;     // per pass
};

// Keeps the compiler from discarding a computation whose result is never read.
template <class T>
void keep(const T& value) {
  asm volatile("" : : "g"(&value) : "memory");
}

inline void measure(std::vector<variant>& variants, double seconds_per_variant) {
  constexpr int rounds = 5;
  for (int round = 0; round < rounds; ++round)
    for (auto& v : variants) {
      int passes = 0;
      const auto start = std::chrono::steady_clock::now();
      double elapsed = 0;
      do {
        v.run_all();
        ++passes;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } while (elapsed < seconds_per_variant / rounds);
      v.best_seconds = std::min(v.best_seconds, elapsed / passes);
    }
}

}  // namespace hlskit::bench
