// Until the kernel declarations land (hlskit/kernel.hpp: the registry hlskit_add_kernel
// generates, find_kernel, kernel_decl::config, models_dir), the host tests link these stand-ins:
// a registry holding the tests' mac kernel (test_kernel.hpp), and the lookups with the messages the declarations' contract gives. Weak,
// so real definitions win wherever both are linked; tests/host/CMakeLists.txt adds this file only
// while host/ has no kernel declarations.
#include "test_kernel.hpp"

#include <hlskit/kernel.hpp>

#include <cstdlib>

namespace hlskit {

namespace {
template <class Items>
std::string names_of(const Items& items) {
  std::string names;
  for (const auto& i : items) names += (names.empty() ? "" : ", ") + i.name;
  return names.empty() ? std::string("none") : names;
}
}  // namespace

__attribute__((weak)) const std::vector<kernel_decl>& kernels() {
  static const std::vector<kernel_decl> registry{test::mac_decl()};
  return registry;
}

__attribute__((weak)) const kernel_decl& find_kernel(const std::string& name) {
  for (const auto& k : kernels())
    if (k.name == name) return k;
  throw error("unknown kernel '" + name + "' (kernels: " + names_of(kernels()) + ")");
}

__attribute__((weak)) const config_decl& kernel_decl::config(const std::string& config_name) const {
  for (const auto& c : configs)
    if (c.name == config_name) return c;
  throw error("kernel '" + name + "' has no config '" + config_name + "' (configs: " + names_of(configs) + ")");
}

__attribute__((weak)) std::string models_dir() {
  const char* env = std::getenv("HLSKIT_MODELS");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(HLSKIT_MODELS_DIR);
}

}  // namespace hlskit
