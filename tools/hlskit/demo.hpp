// `hlskit demo`: the main job on the embedded defaults.
#pragma once

#include <cstdint>
#include <string>

namespace hlskit::cli {

struct demo_options {
  long vectors = 20000;
  std::uint64_t seed = 1;
  std::string report;  // JSON summary, optional
};

int run_demo(const demo_options& options);

}  // namespace hlskit::cli
