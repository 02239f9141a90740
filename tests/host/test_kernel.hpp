// A kernel of the tests' own, opened through the runtime's internal hook
// (detail::kernel_state::open), so the runtime's contract is tested without the registry.
//
// "mac": configs "wide" (first) and "narrow". An input item is 3 beats of 12 bits (2 bytes each,
// little-endian, pad bits zero); an output item is 1 beat of 20 bits (3 bytes): gain * the sum
// of the three beats. Models: "" = gain 1 (wide) or 2 (narrow); else a file holding
// "gain N" (N <= 100 on narrow, else "does not fit").
#pragma once

#include "runtime.hpp"

#include <hlskit/kernel.hpp>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>

namespace hlskit::test {

inline std::atomic<int> mac_csim_calls{0};

class mac_model final : public loaded_model {
 public:
  explicit mac_model(std::uint32_t gain) : gain_(gain) {}
  stream_layout input() const override { return {12, 3}; }
  stream_layout output() const override { return {20, 1}; }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    ++mac_csim_calls;
    for (std::size_t i = 0; i < items; ++i) {
      std::uint32_t sum = 0;
      for (int b = 0; b < 3; ++b) sum += (in[6 * i + 2 * b] | (in[6 * i + 2 * b + 1] << 8)) & 0xFFFu;
      const std::uint32_t v = (sum * gain_) & 0xFFFFFu;
      out[3 * i] = v & 0xFF;
      out[3 * i + 1] = (v >> 8) & 0xFF;
      out[3 * i + 2] = (v >> 16) & 0xFF;
    }
  }
  std::vector<register_write> registers() const override { return {{0x18, gain_}}; }
  std::uint64_t cycles(std::size_t items) const override { return 3 * items + 4; }
  std::uint32_t gain() const { return gain_; }

 private:
  std::uint32_t gain_;
};

inline kernel_decl mac_decl() {
  kernel_decl d;
  d.name = "mac";
  d.summary = "test kernel: gain * the sum of three 12-bit beats";
  d.configs = {{"wide", "gain up to 255", 100.0}, {"narrow", "gain up to 100", 50.0}};
  d.count_offset = 0x10;
  d.load = [](const std::string& config, const std::string& path) -> std::unique_ptr<loaded_model> {
    if (path.empty()) return std::make_unique<mac_model>(config == "narrow" ? 2 : 1);
    std::ifstream f(path);
    if (!f) throw error(path + ": cannot open the model");
    std::string word;
    long gain = -1;
    if (!(f >> word >> gain) || word != "gain" || gain < 0 || gain > 255)
      throw error(path + ": field 'gain': expected 'gain N' with N in 0..255");
    if (config == "narrow" && gain > 100)
      throw error(path + ": field 'gain': " + std::to_string(gain) + " does not fit config 'narrow' (at most 100)");
    return std::make_unique<mac_model>(static_cast<std::uint32_t>(gain));
  };
  return d;
}

inline hlskit::kernel open_mac(const device& dev, const std::string& config = "") {
  return detail::kernel_state::open(dev, mac_decl(), config);
}

// Input items of the mac kernel and the outputs the kernel must give for them.
inline std::vector<std::uint8_t> mac_inputs(std::size_t items, unsigned seed = 1) {
  std::vector<std::uint8_t> in(6 * items);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < 3 * items; ++i) {
    x = x * 1664525u + 1013904223u;
    const std::uint32_t v = (x >> 8) & 0xFFFu;
    in[2 * i] = v & 0xFF;
    in[2 * i + 1] = (v >> 8) & 0xFF;
  }
  return in;
}
inline std::vector<std::uint8_t> mac_expected(const std::vector<std::uint8_t>& in, std::uint32_t gain) {
  const std::size_t items = in.size() / 6;
  std::vector<std::uint8_t> out(3 * items);
  mac_model(gain).csim(in.data(), out.data(), items);
  --mac_csim_calls;
  return out;
}

}  // namespace hlskit::test
