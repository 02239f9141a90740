// The autoencoder's model file (JSON, Keras layouts, raw codes; see docs in model.cpp):
//   {"kernel": "autoencoder", "config": "econt",
//    "conv":  {"weight": {"type": "fixed<6,1>", "shape": [3,3,1,8],  "raw": [...]},
//              "bias":   {"type": "fixed<6,1>", "shape": [8],        "raw": [...]}},
//    "dense": {"weight": {"type": "fixed<6,1>", "shape": [128,16],   "raw": [...]},
//              "bias":   {"type": "fixed<6,1>", "shape": [16],       "raw": [...]}}}
// "values" (floats) instead of "raw" imports float weights, quantized round-half-up, saturated,
// or with the modes the type declares ("fixed<6,1,trn,wrap>"; modes over "raw" are an error).
// Every key is known: an unknown or misspelt one ("inputs") is an error naming it, and every
// integer (codes, sizes, the gain) is read as written (model_file.hpp, hlskit/decimal.hpp).
//
// Optional sections (host side, written by hlskit::autoencoder::train):
//   "input":   {"gain": 2}   the input convention: the kernel sees image cells (sum-normalized
//              energies) times this power of two, quantized to ufixed<8,1> round-half-up,
//              saturated (reference.hpp: input_code). Absent: gain 1.
//   "decoder": {"dense":  {"weight": {"type": "float64", "shape": [16,128],   "values": [...]},
//                          "bias":   {"type": "float64", "shape": [128],      "values": [...]}},
//               "deconv": {"weight": {"type": "float64", "shape": [3,3,8,1],  "values": [...]},
//                          "bias":   {"type": "float64", "shape": [1],        "values": [...]}}}
//              the float decoder (reference.hpp); deconv weight is (kh, kw, in, out), which for
//              one output channel is the same flat order as Keras' Conv2DTranspose (kh, kw, out, in).
//   "float_encoder": {"conv": {"weight": [3,3,1,8], "bias": [8]}, "dense": {"weight": [128,16],
//              "bias": [16]}} as float tensors: the unquantized (shadow) weights QAT ended with.
//              Informational (fine-tuning, comparisons); the kernel and the float reference use
//              the codes.
#pragma once

#include <autoencoder/config.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hlskit::autoencoder {

// Float parameters, row-major in the shapes of the file (see above).
struct float_decoder_parameters {
  std::vector<double> dense_weight;   // 16 x 128 (in, out)
  std::vector<double> dense_bias;     // 128
  std::vector<double> deconv_weight;  // 3 x 3 x 8 x 1 (kh, kw, in, out)
  std::vector<double> deconv_bias;    // 1
};
struct float_encoder_parameters {
  std::vector<double> conv_weight;   // 3 x 3 x 1 x 8
  std::vector<double> conv_bias;     // 8
  std::vector<double> dense_weight;  // 128 x 16
  std::vector<double> dense_bias;    // 16
};

inline constexpr int max_input_gain = 1 << 16;

struct model {
  std::string config = "econt";
  std::vector<std::int64_t> conv_weight;   // 72 codes, (kh, kw, in, out) row-major
  std::vector<std::int64_t> conv_bias;     // 8
  std::vector<std::int64_t> dense_weight;  // 2048, (in, out) row-major
  std::vector<std::int64_t> dense_bias;    // 16
  std::size_t saturated_on_import = 0;     // float values clipped by the import
  int input_gain = 1;                      // power of two, 1..max_input_gain
  std::optional<float_decoder_parameters> decoder;
  std::optional<float_encoder_parameters> float_encoder;

  // The 2144 codes in register-bank order: conv weight, conv bias, dense weight, dense bias.
  std::vector<std::int64_t> parameters() const;
};

// Named configs a model may name (the declaration's: hls/kernels/autoencoder/autoencoder.json).
bool is_config_name(const std::string& name);

// The embedded default model, models/autoencoder/econt.json under hlskit::models_dir() (trained
// for the ECON-T geometry; the same weights run on every config).
std::string default_model_path();

// Throws hlskit::model_file::error naming the file and the field.
model load_model(const std::string& path);
void save_model(const std::string& path, const model& m);

template <class Config>
weights<Config> to_weights(const model& m) {
  weights<Config> w{};
  std::size_t i = 0;
  for (auto& a : w.conv_weight)
    for (auto& b : a)
      for (auto& c : b)
        for (auto& d : c) d = Config::weight_t::from_raw(m.conv_weight[i++]);
  for (int f = 0; f < Config::filters; ++f) w.conv_bias[f] = Config::bias_t::from_raw(m.conv_bias[f]);
  i = 0;
  for (int in = 0; in < Config::flat; ++in)  // the file's (in, out) order into the struct's (out, in)
    for (int o = 0; o < Config::latent; ++o) w.dense_weight[o][in] = Config::weight_t::from_raw(m.dense_weight[i++]);
  for (int o = 0; o < Config::latent; ++o) w.dense_bias[o] = Config::bias_t::from_raw(m.dense_bias[o]);
  return w;
}

}  // namespace hlskit::autoencoder
