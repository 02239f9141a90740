// The svm's kernel declaration (hlskit/kernel.hpp): its table (hls/kernels/svm/svm.json,
// generated into hlskit/hw/svm_configs.hpp) and its model loader: a libsvm model, its range
// file by the rule of hlskit/svm/model.hpp, quantized for the config (hlskit/svm/quantize.hpp).
// Items are feature_t codes of the scaled, quantized features (hardware.hpp's layouts).
#include <hlskit/hw/svm_configs.hpp>
#include <hlskit/kernel.hpp>
#include <hlskit/svm/hardware.hpp>
#include <hlskit/svm/model.hpp>
#include <hlskit/svm/quantize.hpp>

#include <memory>
#include <string>

namespace hlskit::svm {

namespace {

template <class Config>
class loaded final : public loaded_model {
 public:
  explicit loaded(quantized_model<Config> q) : q_(std::move(q)), registers_(register_program(*q_.params)) {}
  stream_layout input() const override { return input_layout(*q_.params); }
  stream_layout output() const override { return output_layout(*q_.params); }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    const std::size_t ib = input().item_bytes(), ob = output().item_bytes();
    for (std::size_t i = 0; i < items; ++i) classify_item<Config>(in + i * ib, out + i * ob, *q_.params);
  }
  std::vector<register_write> registers() const override { return registers_; }
  std::uint64_t cycles(std::size_t items) const override { return run_cycles(*q_.params, items); }

 private:
  quantized_model<Config> q_;
  std::vector<register_write> registers_;
};

template <class Config>
std::unique_ptr<loaded_model> load(const std::string& config, const std::string& path) {
  const model_set l = load_model_set(path, "", config, Config::max_features);
  feature_inputs in;
  in.model = &l.model;
  in.model_name = l.name;
  in.ranges = l.ranges ? &*l.ranges : nullptr;
  in.ranges_name = l.files.ranges;
  in.max_features = Config::max_features;
  in.config_name = config;
  const int features = plan_features(in).features;
  auto q = quantize_model<Config>(l.model, features, l.name, config, l.ranges ? &*l.ranges : nullptr);
  check_params(*q.params, l.name);
  return std::make_unique<loaded<Config>>(std::move(q));
}

}  // namespace

kernel_decl declaration() {
  kernel_decl k;
  k.name = "svm";
  k.summary = "SVM classifier: libsvm C-SVC models (linear, polynomial, RBF), one-vs-one voting (DESIGN 5.2)";
  for (const auto& c : hw::svm::configs) k.configs.push_back({c.name, c.summary, c.clock_mhz});
  k.count_offset = XSVM_CONTROL_ADDR_COUNT_DATA;
  k.default_model = default_model_path;
  k.load = [name = k.name](const std::string& config, const std::string& path) -> std::unique_ptr<loaded_model> {
    std::unique_ptr<loaded_model> l;
    bool known = false;
    try {
      known = hw::svm::with_config(config, [&](auto tag) { l = load<typename decltype(tag)::type>(config, path); });
    } catch (const std::exception& e) {
      throw error(e.what());
    }
    if (!known) find_kernel(name).config(config);  // throws, listing the configs
    return l;
  };
  return k;
}

}  // namespace hlskit::svm
