// `hlskit cosim` as a user runs it, where the RTL models are built (only added then): every
// --input image is simulated whatever --vectors says, the seed is taken as written, and --trace
// on a config verilated without waveforms is refused instead of dropped.
#include "cli_test.hpp"

#include <hlskit/npy.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace npy = hlskit::npy;
using hlskit::test::slurp;

namespace {

class CliCosim : public hlskit::test::cli_test {};

// `--input img300.npy --vectors 100` used to say "300 data images" and simulate 9 of them.
TEST_F(CliCosim, EveryInputImageIsSimulated) {
  std::mt19937_64 rng(11);
  std::vector<std::uint8_t> codes(300 * 64);
  for (auto& c : codes) c = rng() % 3 == 0 ? static_cast<std::uint8_t>(rng()) : 0;
  npy::write(path("img300.npy"), {300, 8, 8, 1}, codes);
  const auto r = run("cosim autoencoder --config fpga --input '" + path("img300.npy") +
                     "' --vectors 100 --seed 18446744073709551615 --report '" + path("r.json") + "'");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("all 300 data images"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("66 corner images, 300 data images, 18 generated"), std::string::npos) << r.out;
  const auto report = nlohmann::json::parse(slurp(path("r.json")));
  const auto& set = report.at("model_set");
  EXPECT_EQ(set.at("data_images").get<int>(), 300);
  EXPECT_EQ(set.at("corner_images").get<int>(), 66);
  EXPECT_EQ(set.at("vectors").get<int>(), 384);  // 366 rounded up to whole runs of 64
  const std::size_t total = set.at("vectors").get<std::size_t>() + report.at("corner_weight_set_vectors").get<std::size_t>();
  ASSERT_EQ(report.at("passes").size(), 2u);
  for (const auto& pass : report.at("passes")) {
    EXPECT_EQ(pass.at("vectors").get<std::size_t>(), total);
    EXPECT_EQ(pass.at("seed").get<std::uint64_t>(), 18446744073709551615ull);  // as written, not wrapped
  }
}

// --trace on a config built without waveform support used to be dropped in silence.
TEST_F(CliCosim, TraceOnAConfigWithoutWaveformsIsRefused) {
  expect_rejected_exactly("cosim svm --config default --trace '" + path("w.fst") + "' --report '" + path("r.json") + "'",
                          "hlskit cosim: --trace: config 'default' of svm was built without waveform support (configs "
                          "with waveforms: tiny)");
}

// A cosim that fails on bad input after its plan was checked leaves no report behind.
TEST_F(CliCosim, RejectedInputLeavesNoReport) {
  npy::write(path("bad.npy"), {2, 63}, std::vector<std::uint8_t>(126, 1));
  expect_rejected("cosim autoencoder --input '" + path("bad.npy") + "' --report '" + path("r.json") + "' --trace '" +
                      path("w.fst") + "'",
                  {"bad.npy", "(2, 63)"});
  expect_rejected("cosim svm --input '" + path("bad.npy") + "' --report '" + path("r.json") + "'", {"bad.npy"});
}

}  // namespace
