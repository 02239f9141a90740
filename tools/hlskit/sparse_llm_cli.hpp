// `hlskit csim | cosim | train sparse_llm` (docs/kernels/sparse_llm.md).
#pragma once

#include "kernels.hpp"

namespace hlskit::cli::sparse_llm_cli {

int csim(const command& cmd);
int cosim(const command& cmd);
int train(const command& cmd);

// The actions above, for the CLI registry hlskit_add_kernel generates (no demo story yet: part 2's
// decode will be it).
kernel_actions actions();

}  // namespace hlskit::cli::sparse_llm_cli
