#include "kernels.hpp"

#include <hlskit/kernel.hpp>

namespace hlskit::cli {

std::string config_of(const command& cmd, const std::string& fallback) {
  const kernel_decl& k = find_kernel(cmd.kernel);
  const std::string name = !cmd.config.empty() ? cmd.config : !fallback.empty() ? fallback : k.configs.front().name;
  try {
    return k.config(name).name;
  } catch (const hlskit::error& e) {
    throw usage_error(e.what());
  }
}

}  // namespace hlskit::cli
