// TEMP until hlskit_add_kernel generates the registry
#include <hlskit/kernel.hpp>
namespace hlskit {
namespace autoencoder { kernel_decl declaration(); }
namespace svm { kernel_decl declaration(); }
const std::vector<kernel_decl>& kernels() {
  static const std::vector<kernel_decl> list = {autoencoder::declaration(), svm::declaration()};
  return list;
}
}
