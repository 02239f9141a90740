// The autoencoder's kernel declaration (hlskit/kernel.hpp): its table (hls/kernels/autoencoder/
// autoencoder.json, generated into hlskit/hw/autoencoder_configs.hpp) and its model loader.
#include <hlskit/autoencoder/hardware.hpp>
#include <hlskit/autoencoder/model.hpp>
#include <hlskit/hw/autoencoder_configs.hpp>
#include <hlskit/kernel.hpp>

#include <memory>
#include <string>

namespace hlskit::autoencoder {

namespace {

template <class Config>
class loaded final : public loaded_model {
 public:
  explicit loaded(const model& m) : weights_(std::make_unique<weights<Config>>(to_weights<Config>(m))),
                                    registers_(register_program(m.parameters())) {}
  stream_layout input() const override { return input_layout; }
  stream_layout output() const override { return output_layout; }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    for (std::size_t i = 0; i < items; ++i)
      encode_item<Config>(in + i * input_layout.item_bytes(), out + i * output_layout.item_bytes(), *weights_);
  }
  std::vector<register_write> registers() const override { return registers_; }
  std::uint64_t cycles(std::size_t items) const override { return run_cycles<Config>(items); }

 private:
  std::unique_ptr<weights<Config>> weights_;
  std::vector<register_write> registers_;
};

}  // namespace

std::string default_model_path() { return models_dir() + "/autoencoder/econt.json"; }

kernel_decl declaration() {
  kernel_decl k;
  k.name = "autoencoder";
  k.summary = "ECON-T detector-data encoder: 8x8 image -> conv 3x3/2 -> dense -> 16 latents (DESIGN 5.1)";
  for (const auto& c : hw::autoencoder::configs) k.configs.push_back({c.name, c.summary, c.clock_mhz});
  k.count_offset = XAUTOENCODER_CONTROL_ADDR_COUNT_DATA;
  k.default_model = [](const std::string&) { return default_model_path(); };
  k.load = [name = k.name](const std::string& config, const std::string& path) -> std::unique_ptr<loaded_model> {
    const model m = [&] {
      try {
        return load_model(path.empty() ? default_model_path() : path);
      } catch (const std::exception& e) {
        throw error(e.what());
      }
    }();
    std::unique_ptr<loaded_model> l;
    if (!hw::autoencoder::with_config(config, [&](auto tag) { l = std::make_unique<loaded<typename decltype(tag)::type>>(m); }))
      find_kernel(name).config(config);  // throws, listing the configs
    return l;
  };
  return k;
}

}  // namespace hlskit::autoencoder
