// What every kernel's `hlskit cosim` (and its part of the demo) shares: the back-pressure passes,
// the outcome it reports, and the --report file.
#pragma once

#include <hlskit/model_file.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace hlskit::cli {

// Every cosim runs twice: without back-pressure (where the cycle figures are measured), then
// with random TVALID gaps on the input and TREADY stalls on the output.
struct back_pressure {
  const char* name;
  double gaps, stalls;
};
inline constexpr back_pressure back_pressure_passes[] = {{"none", 0.0, 0.0}, {"random", 0.3, 0.3}};

struct cosim_outcome {
  nlohmann::json json;                  // the report section ("passes": one entry per pass)
  std::vector<std::string> table_rows;  // one per pass
  bool passed = true;
  std::size_t vectors = 0, mismatches = 0;  // over all passes
};

// Writes the JSON report when one was asked for (nothing half-written: model_file::write_json).
inline void write_report(const std::string& path, const nlohmann::json& report) {
  if (!path.empty()) model_file::write_json(path, report);
}

}  // namespace hlskit::cli
