#include <hlskit/autoencoder/model.hpp>
#include <hlskit/hw/autoencoder_configs.hpp>
#include <hlskit/model_file.hpp>

#include <cmath>

namespace hlskit::autoencoder {

namespace {
constexpr format parameter_type{6, 1, true};  // fixed<6,1>

using shape_t = std::vector<std::size_t>;
using g = geometry;
const shape_t conv_weight_shape{g::kernel, g::kernel, g::channels, g::filters}, conv_bias_shape{g::filters},
    dense_weight_shape{g::flat, g::latent}, dense_bias_shape{g::latent}, decoder_dense_weight_shape{g::latent, g::flat},
    decoder_dense_bias_shape{g::flat}, deconv_weight_shape{g::kernel, g::kernel, g::filters, g::channels},
    deconv_bias_shape{g::channels};

bool is_power_of_two(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

nlohmann::json float_json(const std::string& path, const std::string& field, const shape_t& shape,
                          const std::vector<double>& values) {
  std::size_t count = 1;
  for (auto d : shape) count *= d;
  if (values.size() != count)
    throw model_file::error(path + ": cannot save field '" + field + "': " + std::to_string(values.size()) +
                            " values for " + std::to_string(count) + " entries");
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw model_file::error(path + ": cannot save field '" + field + ".values[" + std::to_string(i) + "]': not finite");
  return model_file::float_tensor_json(shape, values);
}
}  // namespace

std::vector<std::int64_t> model::parameters() const {
  std::vector<std::int64_t> all;
  all.reserve(geometry::parameters);
  for (const auto* part : {&conv_weight, &conv_bias, &dense_weight, &dense_bias}) all.insert(all.end(), part->begin(), part->end());
  return all;
}

bool is_config_name(const std::string& name) {
  return hw::autoencoder::with_config(name, [](auto) {});
}

model load_model(const std::string& path) {
  const nlohmann::json doc = model_file::read_json(path);
  const model_file::tensor_reader reader{path};
  model m;
  // Every key is known: a misspelt one ("inputs") is an error, never a silent default.
  reader.only(doc, "", {"kernel", "config", "conv", "dense", "input", "decoder", "float_encoder"});
  const std::string kernel = reader.string_field(doc, "", "kernel");
  if (kernel != "autoencoder") reader.fail("kernel", "expected \"autoencoder\", found \"" + kernel + "\"");
  m.config = reader.string_field(doc, "", "config");
  if (!is_config_name(m.config)) {
    std::string names;
    for (const auto& c : hw::autoencoder::configs) names += std::string(names.empty() ? "" : " or ") + "\"" + c.name + "\"";
    reader.fail("config", "expected " + names + ", found \"" + m.config + "\"");
  }
  const auto& conv = reader.field(doc, "", "conv");
  const auto& dense = reader.field(doc, "", "dense");
  reader.only(conv, "conv", {"weight", "bias"});
  reader.only(dense, "dense", {"weight", "bias"});
  using g = geometry;
  m.conv_weight = reader.read(conv, "conv", "weight", parameter_type, {g::kernel, g::kernel, g::channels, g::filters}, &m.saturated_on_import);
  m.conv_bias = reader.read(conv, "conv", "bias", parameter_type, {g::filters}, &m.saturated_on_import);
  m.dense_weight = reader.read(dense, "dense", "weight", parameter_type, {g::flat, g::latent}, &m.saturated_on_import);
  m.dense_bias = reader.read(dense, "dense", "bias", parameter_type, {g::latent}, &m.saturated_on_import);
  if (doc.contains("input")) {
    const auto& input = reader.field(doc, "", "input");
    reader.only(input, "input", {"gain"});
    const std::int64_t gain =
        reader.integer(reader.field(input, "input", "gain"), "input.gain", 1, max_input_gain, "(a power of two)");
    if (!is_power_of_two(gain))
      reader.fail("input.gain", "expected a power of two 1.." + std::to_string(max_input_gain) + ", found " +
                                    std::to_string(gain));
    m.input_gain = static_cast<int>(gain);
  }
  if (doc.contains("decoder")) {
    const auto& decoder = doc["decoder"];
    reader.only(decoder, "decoder", {"dense", "deconv"});
    const auto& d_dense = reader.field(decoder, "decoder", "dense");
    const auto& d_deconv = reader.field(decoder, "decoder", "deconv");
    reader.only(d_dense, "decoder.dense", {"weight", "bias"});
    reader.only(d_deconv, "decoder.deconv", {"weight", "bias"});
    float_decoder_parameters d;
    d.dense_weight = reader.read_floats(d_dense, "decoder.dense", "weight", decoder_dense_weight_shape);
    d.dense_bias = reader.read_floats(d_dense, "decoder.dense", "bias", decoder_dense_bias_shape);
    d.deconv_weight = reader.read_floats(d_deconv, "decoder.deconv", "weight", deconv_weight_shape);
    d.deconv_bias = reader.read_floats(d_deconv, "decoder.deconv", "bias", deconv_bias_shape);
    m.decoder = std::move(d);
  }
  if (doc.contains("float_encoder")) {
    const auto& encoder = doc["float_encoder"];
    reader.only(encoder, "float_encoder", {"conv", "dense"});
    const auto& f_conv = reader.field(encoder, "float_encoder", "conv");
    const auto& f_dense = reader.field(encoder, "float_encoder", "dense");
    reader.only(f_conv, "float_encoder.conv", {"weight", "bias"});
    reader.only(f_dense, "float_encoder.dense", {"weight", "bias"});
    float_encoder_parameters e;
    e.conv_weight = reader.read_floats(f_conv, "float_encoder.conv", "weight", conv_weight_shape);
    e.conv_bias = reader.read_floats(f_conv, "float_encoder.conv", "bias", conv_bias_shape);
    e.dense_weight = reader.read_floats(f_dense, "float_encoder.dense", "weight", dense_weight_shape);
    e.dense_bias = reader.read_floats(f_dense, "float_encoder.dense", "bias", dense_bias_shape);
    m.float_encoder = std::move(e);
  }
  return m;
}

void save_model(const std::string& path, const model& m) {
  using model_file::tensor_json;
  if (!is_power_of_two(m.input_gain) || m.input_gain > max_input_gain)
    throw model_file::error(path + ": cannot save field 'input.gain': " + std::to_string(m.input_gain) +
                            " is not a power of two 1.." + std::to_string(max_input_gain));
  nlohmann::json doc = {
      {"kernel", "autoencoder"},
      {"config", m.config},
      {"conv", {{"weight", tensor_json(parameter_type, {g::kernel, g::kernel, g::channels, g::filters}, m.conv_weight)},
                {"bias", tensor_json(parameter_type, {g::filters}, m.conv_bias)}}},
      {"dense", {{"weight", tensor_json(parameter_type, {g::flat, g::latent}, m.dense_weight)},
                 {"bias", tensor_json(parameter_type, {g::latent}, m.dense_bias)}}},
      {"input", {{"gain", m.input_gain}}}};
  if (m.decoder) {
    const auto& d = *m.decoder;
    doc["decoder"] = {
        {"dense", {{"weight", float_json(path, "decoder.dense.weight", decoder_dense_weight_shape, d.dense_weight)},
                   {"bias", float_json(path, "decoder.dense.bias", decoder_dense_bias_shape, d.dense_bias)}}},
        {"deconv", {{"weight", float_json(path, "decoder.deconv.weight", deconv_weight_shape, d.deconv_weight)},
                    {"bias", float_json(path, "decoder.deconv.bias", deconv_bias_shape, d.deconv_bias)}}}};
  }
  if (m.float_encoder) {
    const auto& e = *m.float_encoder;
    doc["float_encoder"] = {
        {"conv", {{"weight", float_json(path, "float_encoder.conv.weight", conv_weight_shape, e.conv_weight)},
                  {"bias", float_json(path, "float_encoder.conv.bias", conv_bias_shape, e.conv_bias)}}},
        {"dense", {{"weight", float_json(path, "float_encoder.dense.weight", dense_weight_shape, e.dense_weight)},
                   {"bias", float_json(path, "float_encoder.dense.bias", dense_bias_shape, e.dense_bias)}}}};
  }
  model_file::write_json(path, doc);
}

}  // namespace hlskit::autoencoder
