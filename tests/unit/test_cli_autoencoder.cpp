// `hlskit csim / train autoencoder` run as a user runs them: the latents it writes are the
// kernel's, bit for bit, for every input convention; bad input files and options get one clear
// line naming the file and field, exit status 2, and no output file.
#include "cli_test.hpp"

#include <autoencoder/autoencoder.hpp>
#include <hlskit/autoencoder/model.hpp>
#include <hlskit/autoencoder/reference.hpp>
#include <hlskit/npy.hpp>

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace ae = hlskit::autoencoder;
namespace fs = std::filesystem;
namespace npy = hlskit::npy;

namespace {

const std::string default_model = std::string(HLSKIT_MODELS_DIR) + "/autoencoder/econt.json";
using hlskit::test::slurp;

class CliAutoencoder : public hlskit::test::cli_test {};

// The kernel's latent codes for raw input codes (n x 64).
std::vector<std::uint16_t> kernel_latents(const ae::model& m, const std::vector<std::uint8_t>& codes) {
  using C = ae::econt;
  const auto w = ae::to_weights<C>(m);
  std::vector<std::uint16_t> out;
  C::input_t x[C::pixels];
  C::latent_t y[C::latent];
  for (std::size_t n = 0; n < codes.size() / 64; ++n) {
    for (int p = 0; p < 64; ++p) x[p] = C::input_t::from_raw(codes[n * 64 + static_cast<std::size_t>(p)]);
    ae::encode<C>(x, w, y);
    for (const auto& v : y) out.push_back(static_cast<std::uint16_t>(v.raw()));
  }
  return out;
}

// Small codes like real (sum-normalized) events, then the corners: all zero, all maximum.
std::vector<std::uint8_t> test_codes(std::size_t n) {
  std::mt19937_64 rng(5);
  std::vector<std::uint8_t> c(n * 64);
  for (auto& v : c) v = rng() % 4 == 0 ? static_cast<std::uint8_t>(rng() % 64) : 0;
  std::fill(c.end() - 64, c.end(), 255);
  std::fill(c.end() - 128, c.end() - 64, 0);
  return c;
}

TEST_F(CliAutoencoder, CodesValuesAndConfigsGiveTheKernelsLatents) {
  const ae::model m = ae::load_model(default_model);
  const std::size_t n = 300;
  const auto codes = test_codes(n);
  const auto want = kernel_latents(m, codes);

  npy::write(path("codes.npy"), {n, 64}, codes);
  std::vector<float> values(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) values[i] = codes[i] / 128.0f;  // exact in float
  npy::write(path("values.npy"), {n, 8, 8, 1}, values);

  for (const std::string& args : {"--input '" + path("codes.npy") + "'",
                                  "--config fpga --input '" + path("codes.npy") + "'",
                                  "--config econt --input '" + path("values.npy") + "'"}) {
    fs::remove(path("y.npy"));
    const auto r = run("csim autoencoder " + args + " --output '" + path("y.npy") + "' --report '" + path("r.json") + "'");
    ASSERT_EQ(r.status, 0) << args << "\n" << r.err;
    const npy::array y = npy::read(path("y.npy"));
    EXPECT_EQ(y.type, npy::dtype::u16);
    EXPECT_EQ(y.shape, (std::vector<std::size_t>{n, 16}));
    EXPECT_EQ(y.as<std::uint16_t>(), want) << args;
    EXPECT_NE(slurp(path("r.json")).find("\"inferences_per_second\""), std::string::npos);
  }

  const auto r = run("csim autoencoder --input '" + path("codes.npy") + "' --output '" + path("v.npy") + "' --output-as values");
  ASSERT_EQ(r.status, 0) << r.err;
  const npy::array v = npy::read(path("v.npy"));
  EXPECT_EQ(v.type, npy::dtype::f64);
  const auto got = v.as<double>();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i] / 512.0) << i;
}

// --energies: float cells are sum-normalized energies; the model's input gain and the input
// convention (round half up, saturate) apply, as in training.
TEST_F(CliAutoencoder, EnergiesFollowTheModelsInputConvention) {
  const ae::model m = ae::load_model(default_model);
  std::mt19937_64 rng(9);
  std::vector<double> cells(50 * 64);
  for (auto& c : cells) c = (rng() % 3 == 0) ? static_cast<double>(rng() % 10000) / 9000.0 : 0.0;  // some > 1: clip
  std::vector<std::uint8_t> codes(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) codes[i] = static_cast<std::uint8_t>(ae::input_code(m.input_gain, cells[i]));
  npy::write(path("e.npy"), {50, 64}, cells);
  const auto r = run("csim autoencoder --energies --input '" + path("e.npy") + "' --output '" + path("y.npy") + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(npy::read(path("y.npy")).as<std::uint16_t>(), kernel_latents(m, codes));
  EXPECT_EQ(r.out.find(" 0 input values clipped"), std::string::npos) << r.out;  // some did clip
}

TEST_F(CliAutoencoder, RejectsMalformedInputsWithTheFileAndField) {
  const std::string y = path("y.npy");
  auto csim = [&](const std::string& input, const std::string& extra = "") {
    return "csim autoencoder --input '" + input + "' --output '" + y + "' " + extra;
  };
  npy::write(path("shape63.npy"), {5, 63}, std::vector<std::uint8_t>(5 * 63));
  expect_rejected(csim(path("shape63.npy")), {"shape63.npy", "(5, 63)", "expected (n, 8, 8, 1) or (n, 64)"});
  npy::write(path("channels2.npy"), {2, 8, 8, 2}, std::vector<float>(256));
  expect_rejected(csim(path("channels2.npy")), {"channels2.npy", "(2, 8, 8, 2)"});
  npy::write(path("empty.npy"), {0, 64}, std::vector<std::uint8_t>{});
  expect_rejected(csim(path("empty.npy")), {"empty.npy", "no images"});
  std::vector<std::uint16_t> big(128, 3);
  big[70] = 256;
  npy::write(path("big.npy"), {2, 64}, big);
  expect_rejected(csim(path("big.npy")), {"big.npy", "element 70 (image 1, cell 6)", "code 256", "0..255"});
  std::vector<std::int16_t> negative(64, 0);
  negative[3] = -1;
  npy::write(path("neg.npy"), {1, 64}, negative);
  expect_rejected(csim(path("neg.npy")), {"neg.npy", "element 3", "code -1"});
  std::vector<double> nan(64, 0.5);
  nan[9] = std::numeric_limits<double>::quiet_NaN();
  npy::write(path("nan.npy"), {1, 64}, nan);
  expect_rejected(csim(path("nan.npy")), {"nan.npy", "element 9", "finite"});
  std::vector<float> inf(64, 0.5f);
  inf[0] = -std::numeric_limits<float>::infinity();
  npy::write(path("inf.npy"), {1, 64}, inf);
  expect_rejected(csim(path("inf.npy")), {"inf.npy", "element 0", "finite"});
  npy::write(path("codes.npy"), {1, 64}, std::vector<std::uint8_t>(64, 1));
  expect_rejected(csim(path("codes.npy"), "--energies"), {"codes.npy", "--energies needs a float dtype"});
  {  // truncated data
    const std::string full = npy::serialize(npy::array::from({4, 64}, std::vector<std::uint8_t>(256, 7)));
    std::ofstream(path("trunc.npy"), std::ios::binary) << full.substr(0, full.size() - 10);
  }
  expect_rejected(csim(path("trunc.npy")), {"trunc.npy"});
  std::ofstream(path("text.npy")) << "not a numpy file\n";
  expect_rejected(csim(path("text.npy")), {"text.npy"});
  expect_rejected(csim(path("missing.npy")), {"missing.npy"});
  EXPECT_FALSE(fs::exists(y)) << "no output may be written for rejected input";
}

TEST_F(CliAutoencoder, RejectsMalformedModelsWithTheField) {
  npy::write(path("codes.npy"), {1, 64}, std::vector<std::uint8_t>(64, 1));
  auto with_model = [&](const std::string& model_name, const std::string& text) {
    std::ofstream(path(model_name)) << text;
    return "csim autoencoder --model '" + path(model_name) + "' --input '" + path("codes.npy") + "' --output '" +
           path("y.npy") + "'";
  };
  std::string good = slurp(default_model);
  expect_rejected(with_model("syntax.json", good.substr(0, good.size() / 2)), {"syntax.json"});
  // Drop the dense layer.
  auto doc = nlohmann::json::parse(good);
  doc.erase("dense");
  expect_rejected(with_model("nodense.json", doc.dump()), {"nodense.json", "dense"});
  doc = nlohmann::json::parse(good);
  doc["conv"]["weight"]["raw"][5] = 32;
  expect_rejected(with_model("range.json", doc.dump()), {"range.json", "conv.weight.raw[5]", "32", "fixed<6,1>"});
  doc = nlohmann::json::parse(good);
  doc["dense"]["bias"]["type"] = "fixed<7,1>";
  expect_rejected(with_model("type.json", doc.dump()), {"type.json", "dense.bias", "fixed<7,1>"});
  doc = nlohmann::json::parse(good);
  doc["dense"]["weight"]["shape"] = {16, 128};
  expect_rejected(with_model("shape.json", doc.dump()), {"shape.json", "dense.weight"});
  // "inputs" for "input" used to be ignored: the gain silently 1, every latent changed.
  doc = nlohmann::json::parse(good);
  doc["inputs"] = doc["input"];
  doc.erase("input");
  std::ofstream(path("inputs.json")) << doc.dump();
  const auto r = run("csim autoencoder --model '" + path("inputs.json") + "' --input '" + path("codes.npy") + "'");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "hlskit csim: " + path("inputs.json") +
                       ": field 'inputs': unknown key (expected only: kernel, config, conv, dense, input, decoder, "
                       "float_encoder)\n");
  // Modes over raw codes do nothing: refused.
  doc = nlohmann::json::parse(good);
  doc["conv"]["bias"]["type"] = "fixed<6,1,trn,wrap>";
  expect_rejected(with_model("modes.json", doc.dump()), {"modes.json", "conv.bias.type", "apply to 'values' only"});
  EXPECT_FALSE(fs::exists(path("y.npy")));
}

// "fixed<6,1,trn,wrap>" over values: truncated and wrapped as declared (0.03 -> 0, 1.5 -> -16),
// not rounded and saturated (1, 31).
TEST_F(CliAutoencoder, DeclaredModesAreHonoured) {
  npy::write(path("codes.npy"), {1, 64}, std::vector<std::uint8_t>(64, 9));
  auto doc = nlohmann::json::parse(slurp(default_model));
  doc["conv"]["bias"].erase("raw");
  doc["conv"]["bias"]["values"] = {0.03, 1.5, 0, 0, 0, 0, 0, 0};
  doc["conv"]["bias"]["type"] = "fixed<6,1,trn,wrap>";
  std::ofstream(path("m.json")) << doc.dump();
  ae::model m = ae::load_model(default_model);
  m.conv_bias = {0, -16, 0, 0, 0, 0, 0, 0};
  const auto r = run("csim autoencoder --model '" + path("m.json") + "' --input '" + path("codes.npy") + "' --output '" +
                     path("y.npy") + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(npy::read(path("y.npy")).as<std::uint16_t>(), kernel_latents(m, std::vector<std::uint8_t>(64, 9)));
  EXPECT_EQ(ae::load_model(path("m.json")).conv_bias, m.conv_bias);
}

TEST_F(CliAutoencoder, RejectsBadOptionsAndUnwritableOutputs) {
  npy::write(path("codes.npy"), {1, 64}, std::vector<std::uint8_t>(64, 1));
  const std::string in = "--input '" + path("codes.npy") + "'";
  expect_rejected("csim autoencoder --config asic " + in, {"no config 'asic'", "econt", "fpga"});
  expect_rejected("csim autoencoder " + in + " --output-as bits", {"--output-as"});
  expect_rejected("csim autoencoder --output '" + path("y.npy") + "'", {"--input"});
  expect_rejected("csim autoencoder " + in + " --output '" + path("no/such/dir/y.npy") + "'", {"no/such/dir/y.npy"});
  expect_rejected("train autoencoder --output '" + path("m.json") + "' --dataset mnist", {"mnist"});
  EXPECT_FALSE(fs::exists(path("m.json")));
}

// A short training run writes a model the kernel loads; the same seed writes the same file.
TEST_F(CliAutoencoder, TrainWritesALoadableModelDeterministically) {
  const std::string args = " --seed 4 --epochs 1 --events 300";
  ASSERT_EQ(run("train autoencoder --output '" + path("a.json") + "'" + args).status, 0);
  const auto r = run("train autoencoder --output '" + path("b.json") + "' --config fpga --report '" + path("t.json") + "'" + args);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("1/1  loss"), std::string::npos) << r.err;  // progress
  const ae::model a = ae::load_model(path("a.json")), b = ae::load_model(path("b.json"));
  EXPECT_EQ(a.config, "econt");
  EXPECT_EQ(b.config, "fpga");
  EXPECT_EQ(a.parameters(), b.parameters());
  EXPECT_EQ(a.input_gain, b.input_gain);
  EXPECT_TRUE(a.decoder.has_value());
  const auto report = nlohmann::json::parse(slurp(path("t.json")));
  EXPECT_EQ(report.at("training_events"), 300);
  EXPECT_GT(report.at("heldout").at("emd_csim").at("mean").get<double>(), 0.0);
}

}  // namespace
