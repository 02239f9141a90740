#include "kernels.hpp"

#include "autoencoder_cli.hpp"
#include "svm_cli.hpp"

#include <cstdlib>

namespace hlskit::cli {

const std::vector<kernel_entry>& kernels() {
  static const std::vector<kernel_entry> list = {
      {"autoencoder",
       "ECON-T detector-data encoder: 8x8 image -> conv 3x3/2 -> dense -> 16 latents (DESIGN 5.1)",
       {{"econt", "R = 1: one image per cycle, 3200 multipliers (the ASIC design)"},
        {"fpga", "R = 8: one image per 8 cycles, 400 multipliers"}},
       autoencoder_cli::csim,
       autoencoder_cli::cosim,
       autoencoder_cli::train},
      {"svm",
       "SVM classifier: libsvm C-SVC models (linear, polynomial, RBF), one-vs-one voting (DESIGN 5.2)",
       {{"default", "up to 64 features, 1024 support vectors, 8 classes; 8 feature lanes"},
        {"tiny", "up to 8 features, 64 support vectors, 4 classes; 2 feature lanes"}},
       svm_cli::csim,
       svm_cli::cosim,
       svm_cli::train},
  };
  return list;
}

const kernel_entry* find_kernel(const std::string& name) {
  for (const auto& k : kernels())
    if (k.name == name) return &k;
  return nullptr;
}

std::string models_dir() {
  if (const char* dir = std::getenv("HLSKIT_MODELS"); dir != nullptr && *dir != '\0') return dir;
  return HLSKIT_MODELS_DIR;
}

}  // namespace hlskit::cli
