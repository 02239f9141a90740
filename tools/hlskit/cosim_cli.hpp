// What every kernel's `hlskit cosim` (and its part of the demo) shares: the back-pressure passes,
// the outcome it reports, and the --report file.
#pragma once

#include "kernels.hpp"
#include "outputs.hpp"

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

// Writes the JSON report, when one was asked for, into a staged file: it appears with the
// command's other outputs on commit().
inline void write_report(staged_outputs& staged, const std::string& path, const nlohmann::json& report) {
  if (!path.empty()) model_file::write_json(staged.stage(path), report);
}

// --trace on a config whose model was verilated without waveform support is an error, not a
// silent no-op. `configs`: the kernel's named configs (hlskit::hw::K::configs); `with_model`:
// calls its argument with the verilated model struct of a config (hlskit::verilated::with_K_model).
template <class Configs, class WithModel>
void check_trace(const command& cmd, const std::string& config, const Configs& configs, WithModel with_model) {
  if (cmd.trace.empty()) return;
  std::string traced;
  bool ok = false;
  for (const auto& c : configs)
    with_model(c.name, [&](auto model) {
      if (!decltype(model)::traced) return;
      traced += (traced.empty() ? "" : ", ") + std::string(c.name);
      ok = ok || config == c.name;
    });
  if (!ok)
    throw usage_error("--trace: config '" + config + "' of " + cmd.kernel +
                      " was built without waveform support (configs with waveforms: " +
                      (traced.empty() ? std::string("none") : traced) + ")");
}

// The cosim keeps every vector (stimulus and expected outputs) in memory: --vectors, and the
// vectors an --input adds, are limited to this (hlskit::cli::max_cosim_vectors).
inline void check_vector_count(std::size_t total, const std::string& what) {
  if (total > static_cast<std::size_t>(max_cosim_vectors))
    throw usage_error(what + ": " + std::to_string(total) + " vectors, more than the cosim's limit of " +
                      std::to_string(max_cosim_vectors) + " (it holds every vector in memory)");
}

}  // namespace hlskit::cli
