// sparse_llm's kernel declaration (hlskit/kernel.hpp): its table (hls/kernels/sparse_llm/
// sparse_llm.json, generated into hlskit/hw/sparse_llm_configs.hpp) and its model loader: a
// packed N:M layer (.slw, hlskit/sparse_llm/packed.hpp). Items are INT8 activation vectors in,
// INT8 output vectors out; the weights are the side input `w`, one copy per batch of MaxBatch.
#include <hlskit/hw/sparse_llm_configs.hpp>
#include <hlskit/kernel.hpp>
#include <hlskit/sparse_llm/hardware.hpp>

#include <memory>
#include <string>

namespace hlskit::sparse_llm {

std::string default_model_path(const std::string& config) { return models_dir() + "/sparse_llm/" + config + ".slw"; }

namespace {

template <class Config>
class loaded final : public loaded_model {
 public:
  explicit loaded(packed_matrix p)
      : p_(std::move(p)), beats_(weight_beats<Config>(p_)), image_(weight_image<Config>(p_)) {}
  stream_layout input() const override { return input_layout(p_.layer); }
  stream_layout output() const override { return output_layout(p_.layer); }
  void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const override {
    run_items<Config>(p_.layer, beats_, in, out, items);
  }
  std::vector<register_write> registers() const override { return register_program(p_.layer); }
  std::uint64_t cycles(std::size_t items) const override { return run_cycles<Config>(p_.layer, items); }
  std::size_t batch() const override { return Config::max_batch; }
  std::vector<side_input> side_inputs(std::size_t items) const override {
    side_input w{"w", weight_beat_bits<Config>(), {}};
    const std::uint64_t copies = batches<Config>(items);
    w.bytes.reserve(copies * image_.size());
    for (std::uint64_t c = 0; c < copies; ++c) w.bytes.insert(w.bytes.end(), image_.begin(), image_.end());
    return {std::move(w)};
  }

 private:
  packed_matrix p_;
  std::vector<weight_beat<Config>> beats_;
  std::vector<std::uint8_t> image_;
};

}  // namespace

kernel_decl declaration() {
  kernel_decl k;
  k.name = "sparse_llm";
  k.summary = "FlightLLM sparse DSP-chain matrix engine: N:M sparse INT8/INT4 weights x INT8 vectors (DESIGN 5.3)";
  for (const auto& c : hw::sparse_llm::configs) k.configs.push_back({c.name, c.summary, c.clock_mhz});
  k.count_offset = XSPARSE_LLM_CONTROL_ADDR_COUNT_DATA;
  k.default_model = default_model_path;
  k.load = [name = k.name](const std::string& config, const std::string& path) -> std::unique_ptr<loaded_model> {
    std::unique_ptr<loaded_model> l;
    const bool known = hw::sparse_llm::with_config(config, [&](auto tag) {
      using C = typename decltype(tag)::type;
      l = std::make_unique<loaded<C>>(read_file(path.empty() ? default_model_path(config) : path, C::max_rows, C::max_cols));
    });
    if (!known) find_kernel(name).config(config);  // throws, listing the configs
    return l;
  };
  return k;
}

}  // namespace hlskit::sparse_llm
