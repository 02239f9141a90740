// `hlskit csim | cosim | train autoencoder` and the autoencoder part of `hlskit demo`.
#pragma once

#include "demo.hpp"
#include "kernels.hpp"

#include <nlohmann/json.hpp>

namespace hlskit::cli::autoencoder_cli {

int csim(const command& cmd);
int cosim(const command& cmd);
int train(const command& cmd);

// The demo story on the embedded default model: held-out calorimeter events -> csim -> EMD of
// csim vs the float encoder -> cosim of both named configs. Adds its section to `report` and its
// lines to `summary`; returns true when every check passed.
bool demo(const demo_options& options, nlohmann::json& report, summary_table& summary);

// The actions above, for the CLI registry hlskit_add_kernel generates.
kernel_actions actions();

}  // namespace hlskit::cli::autoencoder_cli
