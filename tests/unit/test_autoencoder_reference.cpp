// The autoencoder's float reference, decoder, quantization-aware training and evaluation:
// the float encoder within the derived bound of the bit-exact kernel, the conv / transposed-conv
// index mappings by hand, gradients by finite differences, the QAT forward pass bit for bit
// against the kernel, training determinism and progress, model files with a decoder.
#include <hlskit/autoencoder/evaluate.hpp>
#include <hlskit/autoencoder/reference.hpp>
#include <hlskit/autoencoder/train.hpp>
#include <hlskit/data/calorimeter.hpp>
#include <hlskit/emd.hpp>
#include <hlskit/model_file.hpp>

#include <autoencoder/autoencoder.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>

namespace {

namespace ae = hlskit::autoencoder;
using ae::batch;
using json = nlohmann::json;
using g = ae::geometry;

ae::model random_model(std::mt19937_64& rng, int max_code) {
  std::uniform_int_distribution<int> code(-max_code - 1 < -32 ? -32 : -max_code - 1, max_code);
  ae::model m;
  m.conv_weight.resize(72);
  m.conv_bias.resize(8);
  m.dense_weight.resize(2048);
  m.dense_bias.resize(16);
  for (auto* part : {&m.conv_weight, &m.conv_bias, &m.dense_weight, &m.dense_bias})
    for (auto& c : *part) c = code(rng);
  return m;
}

// Random events: a few nonzero cells, sum-normalized (like the calorimeter's), n * 64 values.
std::vector<double> random_cells(std::mt19937_64& rng, std::size_t n) {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> cells(n * 64, 0.0);
  for (std::size_t e = 0; e < n; ++e) {
    double sum = 0;
    for (int p = 0; p < 64; ++p)
      if (u(rng) < 0.2 || p == int(e % 64)) sum += cells[e * 64 + p] = u(rng);
    for (int p = 0; p < 64; ++p) cells[e * 64 + p] /= sum;
  }
  return cells;
}

ae::float_decoder random_decoder(std::mt19937_64& rng, double scale) {
  std::uniform_real_distribution<double> u(-scale, scale);
  ae::float_decoder d;
  d.dense_weight = Eigen::MatrixXd::NullaryExpr(16, 128, [&] { return u(rng); });
  d.dense_bias = Eigen::RowVectorXd::NullaryExpr(128, [&] { return u(rng); });
  d.deconv_weight = Eigen::MatrixXd::NullaryExpr(8, 9, [&] { return u(rng); });
  d.deconv_bias = u(rng) / 4;
  return d;
}

// True if the kernel clips anywhere on this event (input, conv output or latent at its top code).
bool kernel_saturates(const ae::model& m, const double* cells) {
  using C = ae::econt;
  const auto w = ae::to_weights<C>(m);
  C::input_t image[64];
  C::conv_out_t conv[128];
  for (int p = 0; p < 64; ++p) {
    image[p] = C::input_t::from_raw(ae::input_code(m.input_gain, cells[p]));
    if (image[p].raw() == 255) return true;
  }
  ae::conv_layer<C>(image, w, conv);
  for (const auto& c : conv)
    if (c.raw() == 255) return true;
  for (auto code : ae::encode_csim(m, cells))
    if (code == 511) return true;
  return false;
}

TEST(AutoencoderReference, InputConvention) {
  EXPECT_EQ(ae::input_code(1, 0.5), 64);
  EXPECT_EQ(ae::input_code(1, 1.0 / 256), 1);        // a tie rounds up
  EXPECT_EQ(ae::input_code(1, 1.0 / 256 - 1e-12), 0);
  EXPECT_EQ(ae::input_code(4, 3.0 / 512), 3);        // 4 * 3/512 = 3/128
  EXPECT_EQ(ae::input_code(2, 1.0), 255);            // 2.0 saturates (does not wrap to 0)
  EXPECT_EQ(ae::input_code(1, -0.25), 0);
  EXPECT_EQ(ae::input_code(1, std::numeric_limits<double>::quiet_NaN()), 0);
  std::vector<double> cells(64, 0.0);
  cells[9] = 0.3;
  const batch exact = ae::kernel_inputs(2, cells.data(), 1, false), quantized = ae::kernel_inputs(2, cells.data(), 1, true);
  EXPECT_EQ(exact(0, 9), 0.6);
  EXPECT_EQ(quantized(0, 9), 77.0 / 128);  // 0.6 * 128 = 76.8 -> 77
  EXPECT_EQ(quantized.sum(), 77.0 / 128);
}

TEST(AutoencoderReference, ConvTapMapping) {
  EXPECT_EQ(ae::tap_pixel(0, 0), 0);
  EXPECT_EQ(ae::tap_pixel(0, 8), 2 * 8 + 2);
  EXPECT_EQ(ae::tap_pixel(5, 4), 3 * 8 + 3);   // output (1,1), tap (1,1) -> pixel (3,3)
  EXPECT_EQ(ae::tap_pixel(15, 0), 6 * 8 + 6);  // output (3,3), tap (0,0)
  EXPECT_EQ(ae::tap_pixel(15, 8), -1);         // pixel (8,8): the bottom/right pad
  EXPECT_EQ(ae::tap_pixel(3, 2), -1);          // output (0,3), tap (0,2) -> column 8
  EXPECT_EQ(ae::tap_pixel(12, 6), -1);         // output (3,0), tap (2,0) -> row 8
}

TEST(AutoencoderReference, TransposedConvIndexMapping) {
  // One hidden unit (iy, ix, c) = 1 and one tap (ky, kx) of channel c = 1: exactly pixel
  // (2 iy + ky, 2 ix + kx) gets 1 (plus the bias), or nothing when that is row/column 8.
  ae::float_decoder d;
  d.dense_weight = Eigen::MatrixXd::Zero(16, 128);
  d.deconv_bias = 0.125;
  const batch latent = batch::Zero(1, 16);
  for (int iy = 0; iy < 4; ++iy)
    for (int ix = 0; ix < 4; ++ix)
      for (int c : {0, 5})
        for (int ky = 0; ky < 3; ++ky)
          for (int kx = 0; kx < 3; ++kx) {
            d.dense_bias = Eigen::RowVectorXd::Zero(128);
            d.dense_bias((iy * 4 + ix) * 8 + c) = 1;
            d.deconv_weight = Eigen::MatrixXd::Zero(8, 9);
            d.deconv_weight(c, ky * 3 + kx) = 2;
            const batch out = ae::decode(d, latent);
            const int y = 2 * iy + ky, x = 2 * ix + kx;
            for (int p = 0; p < 64; ++p) {
              const double expected = 0.125 + (p == y * 8 + x && y < 8 && x < 8 ? 2.0 : 0.0);
              ASSERT_EQ(out(0, p), expected) << iy << ix << c << ky << kx << " pixel " << p;
            }
          }
  // Every weight 1, every hidden unit of channel 3 equal 1: pixel (r, c) counts the (i, k) pairs
  // with 2 i + k = r in each direction: rows 0..7 get 1,1,2,1,2,1,2,1.
  d.dense_bias = Eigen::RowVectorXd::Zero(128);
  for (int p = 0; p < 16; ++p) d.dense_bias(p * 8 + 3) = 1;
  d.deconv_weight = Eigen::MatrixXd::Ones(8, 9);
  d.deconv_bias = 0;
  const batch out = ae::decode(d, latent);
  const int per_line[8] = {1, 1, 2, 1, 2, 1, 2, 1};
  for (int r = 0; r < 8; ++r)
    for (int c = 0; c < 8; ++c) EXPECT_EQ(out(0, r * 8 + c), per_line[r] * per_line[c]) << r << "," << c;
  // The final ReLU: a negative bias clips every pixel to 0.
  d.deconv_bias = -100;
  EXPECT_EQ(ae::decode(d, latent).maxCoeff(), 0.0);
}

TEST(AutoencoderReference, FloatEncoderWithinTheDerivedBound) {
  std::mt19937_64 rng(11);
  std::size_t checked = 0, events = 0;
  for (int trial = 0; trial < 24; ++trial) {
    ae::model m = random_model(rng, trial % 3 == 0 ? 31 : trial % 3 == 1 ? 6 : 2);
    m.input_gain = 1 << (trial % 3);
    const auto cells = random_cells(rng, 40);
    for (bool quantized_input : {true, false}) {
      const Eigen::RowVectorXd bound = ae::latent_error_bound(m, quantized_input);
      const batch inputs = ae::kernel_inputs(m.input_gain, cells.data(), 40, quantized_input);
      const batch reference = ae::encode_float(ae::encoder_from_codes(m), inputs);
      const batch csim = ae::encode_csim(m, cells.data(), 40);
      for (int e = 0; e < 40; ++e) {
        ++events;
        if (!quantized_input) {  // the single-event API is the same reference
          const Eigen::VectorXd one = ae::encode_float(m, &cells[e * 64]);
          ASSERT_LE((one.transpose() - reference.row(e)).cwiseAbs().maxCoeff(), 1e-12);
        }
        if (kernel_saturates(m, &cells[e * 64])) continue;
        ++checked;
        for (int o = 0; o < 16; ++o)
          ASSERT_LE(std::fabs(reference(e, o) - csim(e, o)), bound(o))
              << "trial " << trial << " event " << e << " latent " << o << (quantized_input ? " (quantized input)" : "");
      }
    }
  }
  EXPECT_GT(checked, events / 3) << "too few unsaturated events to test the bound";
}

TEST(AutoencoderReference, QatForwardEqualsTheKernelBitForBit) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 12; ++trial) {
    ae::model m = random_model(rng, trial % 2 ? 31 : 4);  // full range saturates often; small rounds
    m.input_gain = 1 << (trial % 4);
    const auto cells = random_cells(rng, 64);
    const batch qat = ae::qat_latents(ae::encoder_from_codes(m), ae::kernel_inputs(m.input_gain, cells.data(), 64, true));
    const batch csim = ae::encode_csim(m, cells.data(), 64);
    for (int e = 0; e < 64; ++e)
      for (int o = 0; o < 16; ++o) ASSERT_EQ(qat(e, o), csim(e, o)) << "trial " << trial << " event " << e << " latent " << o;
  }
}

// Finite differences of the float network's loss against its analytic gradient, for a sample of
// every parameter tensor (the decoder and the encoder's float path).
TEST(AutoencoderReference, GradientsMatchFiniteDifferences) {
  std::mt19937_64 rng(3);
  ae::network net{ae::encoder_from_codes(random_model(rng, 12)), random_decoder(rng, 0.3)};
  net.encoder.conv_bias.setConstant(0.05);  // keep most units active so every path is tested
  net.encoder.dense_bias.setConstant(0.1);
  const auto cells = random_cells(rng, 3);
  const batch inputs = ae::kernel_inputs(2, cells.data(), 3, false);
  const batch targets = inputs;
  for (double telescope : {0.0, 0.5}) {
    ae::network grad = net;
    ae::loss_and_gradient(net, inputs, targets, false, telescope, &grad);
    ae::network probe = net;
    const auto check = [&](const char* name, double& param, double analytic) {
      const double saved = param, h = 1e-6;
      param = saved + h;
      const double up = ae::loss_and_gradient(probe, inputs, targets, false, telescope);
      param = saved - h;
      const double down = ae::loss_and_gradient(probe, inputs, targets, false, telescope);
      param = saved;
      const double numeric = (up - down) / (2 * h);
      EXPECT_NEAR(analytic, numeric, 1e-7 + 1e-4 * std::fabs(numeric)) << name << " telescope " << telescope;
    };
    std::uniform_int_distribution<int> pick(0, 1 << 20);
    const auto sample = [&](const char* name, Eigen::MatrixXd& p, const Eigen::MatrixXd& gr) {
      for (int k = 0; k < 12; ++k) {
        const Eigen::Index i = pick(rng) % p.size();
        check(name, p.data()[i], gr.data()[i]);
      }
    };
    const auto sample_row = [&](const char* name, Eigen::RowVectorXd& p, const Eigen::RowVectorXd& gr) {
      for (Eigen::Index i = 0; i < p.size(); i += std::max<Eigen::Index>(1, p.size() / 8)) check(name, p(i), gr(i));
    };
    sample("encoder.conv_weight", probe.encoder.conv_weight, grad.encoder.conv_weight);
    sample_row("encoder.conv_bias", probe.encoder.conv_bias, grad.encoder.conv_bias);
    sample("encoder.dense_weight", probe.encoder.dense_weight, grad.encoder.dense_weight);
    sample_row("encoder.dense_bias", probe.encoder.dense_bias, grad.encoder.dense_bias);
    sample("decoder.dense_weight", probe.decoder.dense_weight, grad.decoder.dense_weight);
    sample_row("decoder.dense_bias", probe.decoder.dense_bias, grad.decoder.dense_bias);
    sample("decoder.deconv_weight", probe.decoder.deconv_weight, grad.decoder.deconv_weight);
    check("decoder.deconv_bias", probe.decoder.deconv_bias, grad.decoder.deconv_bias);
  }
}

TEST(AutoencoderReference, StraightThroughEstimatorBlocksClippedUnits) {
  // Every conv unit saturated (all inputs 1.5, all weights and biases 31/32: every sum > 2): no
  // gradient reaches the encoder, while the float network (ReLU only, no clip) passes it.
  std::mt19937_64 rng(9);
  ae::network net{ae::encoder_from_codes(random_model(rng, 8)), random_decoder(rng, 0.3)};
  net.encoder.conv_bias.setConstant(31.0 / 32);
  net.encoder.conv_weight.setConstant(31.0 / 32);
  const batch inputs = batch::Constant(4, 64, 1.5);
  ae::network grad = net;
  ae::loss_and_gradient(net, inputs, inputs, true, 0.0, &grad);
  EXPECT_EQ(grad.encoder.conv_weight.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ(grad.encoder.conv_bias.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_GT(grad.decoder.dense_weight.cwiseAbs().maxCoeff(), 0.0);  // the decoder still learns
  ae::loss_and_gradient(net, inputs, inputs, false, 0.0, &grad);
  EXPECT_GT(grad.encoder.conv_weight.cwiseAbs().maxCoeff(), 0.0);
}

ae::train_options tiny_options(std::uint64_t seed) {
  ae::train_options o;
  o.seed = seed;
  o.events = 384;
  o.epochs = 4;
  o.batch_size = 32;
  o.learning_rate = 1e-2;
  return o;
}

TEST(AutoencoderTraining, SameSeedSameModelBitForBit) {
  ae::train_report r1, r2, r3;
  const ae::model a = ae::train(tiny_options(42), &r1);
  const ae::model b = ae::train(tiny_options(42), &r2);
  const ae::model c = ae::train(tiny_options(43), &r3);
  EXPECT_EQ(a.parameters(), b.parameters());
  ASSERT_TRUE(a.decoder && b.decoder && a.float_encoder && b.float_encoder);
  EXPECT_EQ(a.decoder->dense_weight, b.decoder->dense_weight);
  EXPECT_EQ(a.decoder->deconv_weight, b.decoder->deconv_weight);
  EXPECT_EQ(a.float_encoder->dense_weight, b.float_encoder->dense_weight);
  EXPECT_EQ(r1.epoch_loss, r2.epoch_loss);
  EXPECT_NE(a.parameters(), c.parameters());
  EXPECT_EQ(r1.verified_events, 384u);  // train() compared the kernel with its forward pass
}

TEST(AutoencoderTraining, ShortRunReducesTheLossAndReportsProgress) {
  ae::train_options o = tiny_options(7);
  o.epochs = 6;
  std::vector<std::string> lines;
  o.progress = [&](const ae::epoch_progress& p) { lines.push_back(p.line()); };
  ae::train_report report;
  const ae::model m = ae::train(o, &report);
  ASSERT_EQ(report.epoch_loss.size(), 6u);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_NE(lines[5].find("epoch   6/6"), std::string::npos) << lines[5];
  EXPECT_LT(report.epoch_loss.back(), 0.5 * report.epoch_loss.front());
  EXPECT_EQ(report.input_gain, 2);  // calorimeter events
  EXPECT_EQ(m.input_gain, 2);

  // Held out: the trained network reconstructs better than the first epoch's loss, and the
  // codes are the shadow weights rounded (the float_encoder section).
  const auto held = ae::dataset_events(o, true, 128);
  const ae::network trained{ae::encoder_from_floats(*m.float_encoder), ae::decoder_of(m)};
  const double loss = ae::loss_and_gradient(trained, ae::kernel_inputs(2, held.data(), 128, true),
                                            ae::kernel_inputs(2, held.data(), 128, false), true, o.telescope_weight);
  EXPECT_LT(loss, report.epoch_loss.front());
  EXPECT_EQ(ae::to_model(trained, 2).parameters(), m.parameters());

  const ae::evaluation ev = ae::evaluate(m, held);
  EXPECT_EQ(ev.events, 128u);
  EXPECT_EQ(ev.bound_exceeded, 0u);
  EXPECT_GT(ev.emd_csim.mean, 0.0);
  EXPECT_LE(ev.latent_error_max.median * 512, ev.latent_error_bound * 512);
  const json j = ev.to_json(true);
  EXPECT_EQ(j["per_event"].size(), 128u);
  EXPECT_TRUE(j.contains("emd_float"));
  EXPECT_NE(ev.table().find("EMD csim"), std::string::npos);
}

TEST(AutoencoderTraining, RejectsBadOptions) {
  const auto rejects = [](const std::function<void(ae::train_options&)>& modify) {
    ae::train_options o = tiny_options(1);
    modify(o);
    EXPECT_THROW(ae::train(o), std::invalid_argument);
  };
  rejects([](auto& o) { o.dataset = "mnist"; });
  rejects([](auto& o) { o.epochs = 0; });
  rejects([](auto& o) { o.batch_size = 0; });
  rejects([](auto& o) { o.learning_rate = -1; });
  rejects([](auto& o) { o.learning_rate = std::numeric_limits<double>::quiet_NaN(); });
  rejects([](auto& o) { o.input_gain = 3; });
  rejects([](auto& o) { o.telescope_weight = -0.5; });
}

TEST(AutoencoderTraining, ChoosesTheInputGain) {
  std::vector<double> one_cell(64, 0.0);
  one_cell[10] = 1.0;  // gain 2 would clip 0.4 % of the energy
  EXPECT_EQ(ae::choose_input_gain(one_cell), 1);
  std::vector<double> four_cells(64, 0.0);
  for (int p : {0, 9, 18, 27}) four_cells[p] = 0.25;
  EXPECT_EQ(ae::choose_input_gain(four_cells), 4);
  EXPECT_EQ(ae::choose_input_gain(hlskit::data::generate_events(500, 3)), 2);
}

TEST(AutoencoderEvaluation, EmptyReconstructionIsScoredAgainstUniform) {
  std::mt19937_64 rng(4);
  ae::model m = random_model(rng, 8);
  ae::float_decoder d = random_decoder(rng, 0.1);
  d.deconv_bias = -10;  // every pixel clipped to zero
  m.decoder = ae::to_parameters(d);
  const auto cells = random_cells(rng, 5);
  const ae::evaluation ev = ae::evaluate(m, cells);
  EXPECT_EQ(ev.empty_csim, 5u);
  EXPECT_EQ(ev.empty_float, 5u);
  const std::vector<double> uniform(64, 1.0);
  EXPECT_DOUBLE_EQ(ev.per_event[2].emd_csim, hlskit::emd(&cells[128], uniform.data(), 8, 8));
  const ae::summary s = ae::summarize({10, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_DOUBLE_EQ(s.mean, 5.5);
  EXPECT_DOUBLE_EQ(s.median, 5.5);
  EXPECT_DOUBLE_EQ(s.p90, 9.1);
  m.decoder.reset();
  EXPECT_THROW(ae::evaluate(m, cells), std::invalid_argument);
}

// ---- model files with the optional sections ----
class AutoencoderModelSections : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("hlskit_ae_ref_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static ae::model full_model() {
    std::mt19937_64 rng(21);
    ae::model m = random_model(rng, 31);
    m.input_gain = 8;
    m.decoder = ae::to_parameters(random_decoder(rng, 1.0));
    m.decoder->dense_weight[5] = 1.0 / 3;  // no short decimal form
    m.decoder->dense_weight[6] = -2.5e-300;
    m.float_encoder = ae::to_parameters(ae::encoder_from_codes(m));
    m.float_encoder->dense_bias[3] = 0.1 + 0.2;
    return m;
  }

  void expect_rejected_text(const std::string& text, const std::string& field, const std::string& detail) {
    const auto bad = (dir / "bad.json").string();
    std::ofstream(bad) << text;
    try {
      ae::load_model(bad);
      ADD_FAILURE() << "accepted a model with a bad " << field;
    } catch (const hlskit::model_file::error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(bad), std::string::npos) << what;
      EXPECT_NE(what.find("'" + field + "'"), std::string::npos) << what;
      EXPECT_NE(what.find(detail), std::string::npos) << what;
    }
  }
  void expect_rejected(const std::function<void(json&)>& modify, const std::string& field, const std::string& detail) {
    const auto path = (dir / "valid.json").string();
    ae::save_model(path, full_model());
    json doc = hlskit::model_file::read_json(path);
    modify(doc);
    expect_rejected_text(doc.dump(), field, detail);
  }
};

TEST_F(AutoencoderModelSections, RoundTripBitForBit) {
  const ae::model m = full_model();
  const auto path = (dir / "m.json").string();
  ae::save_model(path, m);
  const ae::model back = ae::load_model(path);
  EXPECT_EQ(back.parameters(), m.parameters());
  EXPECT_EQ(back.input_gain, 8);
  ASSERT_TRUE(back.decoder && back.float_encoder);
  EXPECT_EQ(back.decoder->dense_weight, m.decoder->dense_weight);  // exact doubles
  EXPECT_EQ(back.decoder->dense_bias, m.decoder->dense_bias);
  EXPECT_EQ(back.decoder->deconv_weight, m.decoder->deconv_weight);
  EXPECT_EQ(back.decoder->deconv_bias, m.decoder->deconv_bias);
  EXPECT_EQ(back.float_encoder->conv_weight, m.float_encoder->conv_weight);
  EXPECT_EQ(back.float_encoder->dense_bias, m.float_encoder->dense_bias);
  // The decoder's matrices round-trip through the file layout.
  const ae::float_decoder d = ae::decoder_of(back);
  EXPECT_EQ(d.deconv_weight(3, 7), m.decoder->deconv_weight[7 * 8 + 3]);  // (kh, kw, in, out)
  EXPECT_EQ(d.dense_weight(2, 100), m.decoder->dense_weight[2 * 128 + 100]);

  // Without the optional sections: gain 1, no decoder.
  ae::model plain = m;
  plain.decoder.reset();
  plain.float_encoder.reset();
  plain.input_gain = 1;
  ae::save_model(path, plain);
  json doc = hlskit::model_file::read_json(path);
  doc.erase("input");
  std::ofstream(path) << doc.dump();
  const ae::model plain_back = ae::load_model(path);
  EXPECT_FALSE(plain_back.decoder);
  EXPECT_FALSE(plain_back.float_encoder);
  EXPECT_EQ(plain_back.input_gain, 1);
}

TEST_F(AutoencoderModelSections, RejectsMalformedSections) {
  expect_rejected([](json& d) { d["decoder"].erase("dense"); }, "decoder.dense", "missing");
  expect_rejected([](json& d) { d["decoder"] = 5; }, "decoder", "object");
  expect_rejected([](json& d) { d["decoder"]["deconv"]["weight"]["shape"] = {3, 3, 1, 8}; }, "decoder.deconv.weight.shape",
                  "[3, 3, 8, 1]");
  expect_rejected([](json& d) { d["decoder"]["dense"]["bias"]["values"][3] = "x"; }, "decoder.dense.bias.values[3]",
                  "number");
  expect_rejected([](json& d) { d["decoder"]["dense"]["weight"]["values"].erase(0); }, "decoder.dense.weight.values",
                  "expected 2048 entries");
  expect_rejected([](json& d) { d["decoder"]["deconv"]["bias"]["type"] = "int8"; }, "decoder.deconv.bias.type", "int8");
  expect_rejected([](json& d) { d["decoder"]["deconv"]["bias"]["raw"] = {1}; }, "decoder.deconv.bias.raw", "values");
  expect_rejected([](json& d) { d["decoder"]["deconv"]["bias"].erase("values"); }, "decoder.deconv.bias.values", "missing");
  expect_rejected([](json& d) { d["float_encoder"]["conv"]["weight"]["shape"] = {72}; }, "float_encoder.conv.weight.shape",
                  "[3, 3, 1, 8]");
  expect_rejected([](json& d) { d["float_encoder"].erase("dense"); }, "float_encoder.dense", "missing");
  expect_rejected([](json& d) { d["input"]["gain"] = 3; }, "input.gain", "power of two");
  expect_rejected([](json& d) { d["input"]["gain"] = 0; }, "input.gain", "power of two");
  expect_rejected([](json& d) { d["input"]["gain"] = 2.0; }, "input.gain", "power of two");
  expect_rejected([](json& d) { d["input"].erase("gain"); }, "input.gain", "missing");
  // A number too large for a double: a model_file::error naming the file, not a JSON exception.
  const auto path = (dir / "valid.json").string();
  ae::save_model(path, full_model());
  json doc = hlskit::model_file::read_json(path);
  doc["decoder"]["dense"]["bias"]["values"][7] = 12345.0;
  std::string text = doc.dump();
  text.replace(text.find("12345.0"), 7, "1e999");
  const auto bad = (dir / "overflow.json").string();
  std::ofstream(bad) << text;
  try {
    ae::load_model(bad);
    ADD_FAILURE() << "accepted 1e999";
  } catch (const hlskit::model_file::error& e) {
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("overflow"), std::string::npos) << e.what();
  }
}

TEST_F(AutoencoderModelSections, SaveRejectsNonFiniteValuesAndBadGains) {
  ae::model m = full_model();
  m.decoder->dense_bias[4] = std::numeric_limits<double>::infinity();
  const auto path = (dir / "m.json").string();
  try {
    ae::save_model(path, m);
    ADD_FAILURE();
  } catch (const hlskit::model_file::error& e) {
    EXPECT_NE(std::string(e.what()).find("decoder.dense.bias.values[4]"), std::string::npos) << e.what();
  }
  m = full_model();
  m.input_gain = 6;
  EXPECT_THROW(ae::save_model(path, m), hlskit::model_file::error);
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
