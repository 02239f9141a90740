// The autoencoder's model file: round trip, float import, and every malformed case rejected with
// the file and the field named.
#include <hlskit/autoencoder/model.hpp>
#include <hlskit/model_file.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

namespace {

using hlskit::autoencoder::model;
using json = nlohmann::json;

class AutoencoderModel : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("hlskit_ae_model_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static model random_model(unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> code(-32, 31);
    model m;
    m.conv_weight.resize(72);
    m.conv_bias.resize(8);
    m.dense_weight.resize(2048);
    m.dense_bias.resize(16);
    for (auto* part : {&m.conv_weight, &m.conv_bias, &m.dense_weight, &m.dense_bias})
      for (auto& c : *part) c = code(gen);
    return m;
  }

  std::string write(const json& doc, const std::string& name = "model.json") {
    const auto path = (dir / name).string();
    std::ofstream(path) << doc.dump();
    return path;
  }

  // The error a modified valid document gets: must name the file and contain `field`.
  void expect_rejected(const std::function<void(json&)>& modify, const std::string& field, const std::string& detail = "") {
    const auto path = (dir / "valid.json").string();
    hlskit::autoencoder::save_model(path, random_model(1));
    json doc = hlskit::model_file::read_json(path);
    modify(doc);
    const auto bad = write(doc, "bad.json");
    try {
      hlskit::autoencoder::load_model(bad);
      ADD_FAILURE() << "accepted a model with a bad " << field;
    } catch (const hlskit::model_file::error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(bad), std::string::npos) << what;
      EXPECT_NE(what.find(field), std::string::npos) << what;
      EXPECT_NE(what.find(detail), std::string::npos) << what;
    }
  }
};

TEST_F(AutoencoderModel, RoundTripKeepsEveryCode) {
  const model m = random_model(7);
  const auto path = (dir / "m.json").string();
  hlskit::autoencoder::save_model(path, m);
  const model back = hlskit::autoencoder::load_model(path);
  EXPECT_EQ(back.parameters(), m.parameters());
  EXPECT_EQ(back.parameters().size(), 2144u);
  EXPECT_EQ(back.config, "econt");
  const auto w = hlskit::autoencoder::to_weights<hlskit::autoencoder::fpga>(back);
  EXPECT_EQ(w.conv_weight[2][1][0][5].raw(), m.conv_weight[((2 * 3 + 1) * 1 + 0) * 8 + 5]);
  EXPECT_EQ(w.dense_weight[3][100].raw(), m.dense_weight[100 * 16 + 3]);  // struct (out, in), file (in, out)
  EXPECT_EQ(w.dense_bias[15].raw(), m.dense_bias[15]);
}

TEST_F(AutoencoderModel, ImportsFloatValuesQuantized) {
  const auto path = (dir / "m.json").string();
  hlskit::autoencoder::save_model(path, random_model(3));
  json doc = hlskit::model_file::read_json(path);
  json values = json::array();
  for (int i = 0; i < 8; ++i) values.push_back(i == 0 ? 5.0 : i / 64.0);  // 5.0 saturates; odd i are ties
  doc["conv"]["bias"].erase("raw");
  doc["conv"]["bias"]["values"] = values;
  const model m = hlskit::autoencoder::load_model(write(doc));
  EXPECT_EQ(m.conv_bias[0], 31);
  for (int i = 1; i < 8; ++i) EXPECT_EQ(m.conv_bias[i], (i + 1) / 2) << i;  // i/2 rounded half up
  EXPECT_EQ(m.saturated_on_import, 1u);
}

TEST_F(AutoencoderModel, RejectsMalformedFiles) {
  expect_rejected([](json& d) { d.erase("conv"); }, "'conv'", "missing");
  expect_rejected([](json& d) { d["dense"].erase("bias"); }, "dense.bias", "missing");
  expect_rejected([](json& d) { d["kernel"] = "svm"; }, "kernel", "autoencoder");
  expect_rejected([](json& d) { d["config"] = "huge"; }, "config", "huge");
  expect_rejected([](json& d) { d["config"] = 3; }, "config", "string");
  expect_rejected([](json& d) { d["conv"]["weight"]["shape"] = {3, 3, 8, 1}; }, "conv.weight.shape", "[3, 3, 1, 8]");
  expect_rejected([](json& d) { d["dense"]["weight"]["raw"][17] = 40; }, "dense.weight.raw[17]", "out of range");
  expect_rejected([](json& d) { d["dense"]["weight"]["raw"][3] = -33; }, "dense.weight.raw[3]", "out of range");
  expect_rejected([](json& d) { d["conv"]["bias"]["raw"][2] = 1.5; }, "conv.bias.raw[2]", "integer");
  expect_rejected([](json& d) { d["conv"]["bias"]["raw"].erase(0); }, "conv.bias.raw", "expected 8 entries");
  expect_rejected([](json& d) { d["conv"]["bias"]["type"] = "fixed<8,1>"; }, "conv.bias.type", "fixed<6,1>");
  expect_rejected([](json& d) { d["conv"]["bias"]["type"] = "float32"; }, "conv.bias.type", "float32");
  expect_rejected([](json& d) { d["conv"]["bias"]["type"] = "fixed<6,1,rnd,bogus>"; }, "conv.bias.type", "bogus");
  expect_rejected([](json& d) { d["conv"]["bias"]["values"] = json::array(); }, "conv.bias", "exactly one");
  expect_rejected([](json& d) { d["dense"] = 1; }, "dense", "object");
}

// Declared modes are honoured for values: "fixed<6,1,trn,wrap>" truncates and wraps (0.03 used to
// give code 1 and 1.5 code 31, as if the type said rnd, sat); without modes, rnd and sat.
TEST_F(AutoencoderModel, DeclaredModesQuantizeValues) {
  const auto path = (dir / "m.json").string();
  hlskit::autoencoder::save_model(path, random_model(3));
  json doc = hlskit::model_file::read_json(path);
  doc["conv"]["bias"].erase("raw");
  doc["conv"]["bias"]["values"] = {0.03, 1.5, -0.03, -1.5, 0.5, -1.0, 31.0 / 32, 0.99};
  const auto with_type = [&](const std::string& type) {
    doc["conv"]["bias"]["type"] = type;
    return hlskit::autoencoder::load_model(write(doc));
  };
  const model plain = with_type("fixed<6,1>");
  EXPECT_EQ(plain.conv_bias, (std::vector<std::int64_t>{1, 31, -1, -32, 16, -32, 31, 31}));
  EXPECT_EQ(plain.saturated_on_import, 3u);  // 1.5, -1.5, 0.99 (0.99 rounds to 32/32: beyond 31/32)
  const model trn_wrap = with_type("fixed<6,1,trn,wrap>");
  EXPECT_EQ(trn_wrap.conv_bias, (std::vector<std::int64_t>{0, -16, -1, 16, 16, -32, 31, 31}));
  EXPECT_EQ(trn_wrap.saturated_on_import, 2u);  // 1.5 and -1.5 wrapped
  const model rnd_sat = with_type("fixed<6,1,rnd,sat>");
  EXPECT_EQ(rnd_sat.conv_bias, plain.conv_bias);
  const model trn_zero = with_type("fixed<6,1,trn_zero,sat_sym>");
  EXPECT_EQ(trn_zero.conv_bias, (std::vector<std::int64_t>{0, 31, 0, -31, 16, -31, 31, 31}));
}

// Modes over raw codes would do nothing (codes are exact): refused, not ignored.
TEST_F(AutoencoderModel, RefusesModesOverRawCodes) {
  expect_rejected([](json& d) { d["conv"]["bias"]["type"] = "fixed<6,1,trn,wrap>"; }, "'conv.bias.type'",
                  "apply to 'values' only");
  expect_rejected([](json& d) { d["dense"]["weight"]["type"] = "fixed<6,1,rnd>"; }, "'dense.weight.type'",
                  "apply to 'values' only");
}

// Every key of the document is known: a misspelt or unknown one at any level is an error naming
// it ("inputs" for "input" used to set the gain to 1 in silence).
TEST_F(AutoencoderModel, RefusesUnknownKeysAtEveryLevel) {
  expect_rejected([](json& d) { d["inputs"] = {{"gain", 2}}; }, "field 'inputs': unknown key",
                  "expected only: kernel, config, conv, dense, input, decoder, float_encoder");
  expect_rejected([](json& d) { d["input"]["gian"] = 2; }, "field 'input.gian': unknown key", "gain");
  expect_rejected([](json& d) { d["conv"]["wieght"] = d["conv"]["weight"]; }, "field 'conv.wieght'", "weight, bias");
  expect_rejected([](json& d) { d["dense"]["activation"] = "relu"; }, "field 'dense.activation'", "unknown key");
  expect_rejected([](json& d) { d["conv"]["weight"]["scale"] = 1; }, "field 'conv.weight.scale'",
                  "type, shape, raw, values");
  expect_rejected([](json& d) { d["dense"]["bias"]["Raw"] = {1}; }, "field 'dense.bias.Raw'", "unknown key");
  // The optional sections (decoder, float_encoder), at every level.
  const auto sections = [](json& d) {
    const auto zeros = [](std::vector<std::size_t> shape) {
      std::size_t n = 1;
      for (auto s : shape) n *= s;
      return json{{"type", "float64"}, {"shape", shape}, {"values", std::vector<double>(n, 0.0)}};
    };
    d["decoder"] = {{"dense", {{"weight", zeros({16, 128})}, {"bias", zeros({128})}}},
                    {"deconv", {{"weight", zeros({3, 3, 8, 1})}, {"bias", zeros({1})}}}};
    d["float_encoder"] = {{"conv", {{"weight", zeros({3, 3, 1, 8})}, {"bias", zeros({8})}}},
                          {"dense", {{"weight", zeros({128, 16})}, {"bias", zeros({16})}}}};
  };
  const auto with_sections = [&](const std::function<void(json&)>& modify) {
    return [&, modify](json& d) { sections(d), modify(d); };
  };
  {  // the sections as built load
    json doc = json::object();
    const auto path = (dir / "valid.json").string();
    hlskit::autoencoder::save_model(path, random_model(1));
    doc = hlskit::model_file::read_json(path);
    sections(doc);
    const model m = hlskit::autoencoder::load_model(write(doc, "sections.json"));
    EXPECT_TRUE(m.decoder && m.float_encoder);
  }
  expect_rejected(with_sections([](json& d) { d["decoder"]["dense2"] = 1; }), "field 'decoder.dense2'", "dense, deconv");
  expect_rejected(with_sections([](json& d) { d["decoder"]["deconv"]["stride"] = 2; }), "field 'decoder.deconv.stride'",
                  "unknown key");
  expect_rejected(with_sections([](json& d) { d["decoder"]["dense"]["weight"]["dtype"] = "f8"; }),
                  "field 'decoder.dense.weight.dtype'", "type, shape, values");
  expect_rejected(with_sections([](json& d) { d["float_encoder"]["relu"] = true; }), "field 'float_encoder.relu'",
                  "conv, dense");
  expect_rejected(with_sections([](json& d) { d["float_encoder"]["conv"]["bias2"] = 0; }),
                  "field 'float_encoder.conv.bias2'", "unknown key");
  expect_rejected(with_sections([](json& d) { d["float_encoder"]["dense"]["bias"]["note"] = ""; }),
                  "field 'float_encoder.dense.bias.note'", "unknown key");
}

TEST_F(AutoencoderModel, RejectsNonJsonAndMissingFiles) {
  const auto path = (dir / "broken.json").string();
  std::ofstream(path) << "{\"kernel\": \"autoencoder\", ";
  EXPECT_THROW(hlskit::autoencoder::load_model(path), hlskit::model_file::error);
  try {
    hlskit::autoencoder::load_model((dir / "absent.json").string());
    ADD_FAILURE();
  } catch (const hlskit::model_file::error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.json"), std::string::npos);
  }
}

TEST(ModelFileType, ParsesTypeStrings) {
  const auto f = hlskit::model_file::parse_type("ufixed<9,0>");
  EXPECT_EQ(f.width, 9);
  EXPECT_EQ(f.iwidth, 0);
  EXPECT_FALSE(f.is_signed);
  const auto g = hlskit::model_file::parse_type("fixed< 16 , -2 , rnd_conv , sat_sym >");
  EXPECT_EQ(g.iwidth, -2);
  EXPECT_EQ(g.q, hlskit::q_mode::rnd_conv);
  EXPECT_EQ(g.o, hlskit::o_mode::sat_sym);
  for (const char* bad : {"fixed<0,1>", "fixed<65,1>", "fixed<6>", "int8", "fixed<99999999999,1>", ""})
    EXPECT_THROW(hlskit::model_file::parse_type(bad), hlskit::model_file::error) << bad;
}

}  // namespace
