// `hlskit csim | cosim | train svm` and the SVM part of `hlskit demo`.
#pragma once

#include "demo.hpp"
#include "kernels.hpp"

#include <nlohmann/json.hpp>

namespace hlskit::cli::svm_cli {

int csim(const command& cmd);
int cosim(const command& cmd);
int train(const command& cmd);

// The demo story on the embedded default models: the breast-cancer model on its held-out 30 %
// (csim accuracy and agreement with libsvm) and cosim of it on `default`, then the three-class
// iris model on `tiny`. Adds its section to `report` and its lines to `summary`.
bool demo(const demo_options& options, nlohmann::json& report, summary_table& summary);

// The actions above, for the CLI registry hlskit_add_kernel generates.
kernel_actions actions();

}  // namespace hlskit::cli::svm_cli
