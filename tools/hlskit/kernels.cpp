#include "kernels.hpp"

namespace hlskit::cli {

const std::vector<kernel_entry>& kernels() {
  static const std::vector<kernel_entry> list = {};
  return list;
}

const kernel_entry* find_kernel(const std::string& name) {
  for (const auto& k : kernels())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace hlskit::cli
