// The kernels the command line knows: name, named configs, and the actions each offers.
// A kernel registers itself here when it lands (DESIGN §5); until then the list is empty.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hlskit::cli {

struct kernel_config {
  std::string name;
  std::string summary;
};

struct kernel_entry {
  std::string name;
  std::string summary;
  std::vector<kernel_config> configs;
};

const std::vector<kernel_entry>& kernels();
const kernel_entry* find_kernel(const std::string& name);

}  // namespace hlskit::cli
