// `hlskit demo`: the main job on the embedded defaults, each kernel's story in turn, then one
// summary table (and the same as JSON with --report).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hlskit::cli {

struct demo_options {
  long vectors = 3000;     // cosim vectors per config (plus the corner cases)
  long events = 2000;      // held-out events for the csim / float comparison
  std::uint64_t seed = 1;
  std::uint32_t random_init = 0;  // cosim: 0 = all-zero initial RTL state, else the seed of a random one
  std::string report;      // JSON summary, optional
};

// The summary: one row per check or figure.
struct summary_table {
  struct row {
    std::string kernel, step, figure;
    bool passed = true;
  };
  std::vector<row> rows;
  void add(std::string kernel, std::string step, std::string figure, bool passed = true) {
    rows.push_back({std::move(kernel), std::move(step), std::move(figure), passed});
  }
  std::string text() const;
};

int run_demo(const demo_options& options);

}  // namespace hlskit::cli
