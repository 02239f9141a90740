// TEMP (untracked) until gen_regmap lands
#pragma once
#include <svm/config.hpp>
#include <string_view>
#include "config_tag.hpp"
namespace hlskit::hw::svm {
struct config_info { const char* name; const char* summary; double clock_mhz; };
inline constexpr config_info configs[] = {{"default", "up to 64 features, 1024 support vectors, 8 classes; 8 feature lanes", 100.0},
                                          {"tiny", "up to 8 features, 64 support vectors, 4 classes; 2 feature lanes", 100.0}};
template <class F> bool with_config(std::string_view name, F&& f) {
  if (name == "default") { f(config_tag<hlskit::svm::default_config>{}); return true; }
  if (name == "tiny") { f(config_tag<hlskit::svm::tiny>{}); return true; }
  return false;
}
}
