// TEMP until hlskit_add_kernel generates it
#include "kernels.hpp"
#include <map>
namespace hlskit::cli {
namespace autoencoder_cli { kernel_actions actions(); }
namespace svm_cli { kernel_actions actions(); }
const kernel_actions& actions_of(const std::string& kernel) {
  static const std::map<std::string, kernel_actions> table = {{"autoencoder", autoencoder_cli::actions()}, {"svm", svm_cli::actions()}};
  return table.at(kernel);
}
}
