// TEMP (untracked) until gen_regmap lands
#pragma once
#include <autoencoder/config.hpp>
#include <string_view>
#include "config_tag.hpp"
namespace hlskit::hw::autoencoder {
struct config_info { const char* name; const char* summary; double clock_mhz; };
inline constexpr config_info configs[] = {{"econt", "R = 1: one image per cycle, 3200 multipliers (the ASIC design)", 40.0},
                                          {"fpga", "R = 8: one image per 8 cycles, 400 multipliers", 200.0}};
template <class F> bool with_config(std::string_view name, F&& f) {
  if (name == "econt") { f(config_tag<hlskit::autoencoder::econt>{}); return true; }
  if (name == "fpga") { f(config_tag<hlskit::autoencoder::fpga>{}); return true; }
  return false;
}
}
