// `hlskit csim | train sparse_llm` (tools/hlskit/sparse_llm_cli.cpp): a layer given as a matrix of
// weight codes and a mask, run bit-exactly (outputs equal to the integer reference, computed here
// independently); the same layer packed by train and run from the file; malformed inputs refused
// with one line naming the file and field, nothing written.
#include "cli_test.hpp"

#include <hlskit/npy.hpp>
#include <hlskit/sparse_llm/packed.hpp>
#include <hlskit/sparse_llm/reference.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace npy = hlskit::npy;
namespace sl = hlskit::sparse_llm;

namespace {

class CliSparseLlm : public hlskit::test::cli_test {
 public:
  using cli_test::path;
};

// A 32 x 64 layer at 4:16 INT8 and 5 activation vectors, written as .npy files.
struct layer_files {
  std::vector<std::int8_t> w, x;
  std::vector<std::uint8_t> mask;
  std::vector<double> scales;
};

layer_files write_layer(const CliSparseLlm& t) {
  std::mt19937_64 rng(21);
  layer_files f;
  f.w.resize(32 * 64);
  f.mask.assign(32 * 64, 0);
  std::uniform_int_distribution<int> v(-128, 127);
  for (auto& w : f.w) w = static_cast<std::int8_t>(v(rng));
  for (int r = 0; r < 32; ++r)
    for (int b = 0; b < 4; ++b)
      for (int i : {1, 4, 9, 15}) f.mask[static_cast<std::size_t>(r * 64 + b * 16 + i)] = 1;
  f.x.resize(5 * 64);
  for (auto& x : f.x) x = static_cast<std::int8_t>(v(rng));
  f.scales.resize(32);
  for (int r = 0; r < 32; ++r) f.scales[static_cast<std::size_t>(r)] = 1.0 / (4096.0 + 97 * r);
  npy::write(t.path("w.npy"), {32, 64}, f.w);
  npy::write(t.path("mask.npy"), {32, 64}, f.mask);
  npy::write(t.path("x.npy"), {5, 64}, f.x);
  npy::write(t.path("scales.npy"), {32}, f.scales);
  return f;
}

}  // namespace

TEST_F(CliSparseLlm, CsimMatrixAndMaskIsBitExact) {
  const auto f = write_layer(*this);
  const auto r = run("csim sparse_llm --config tiny --matrix " + path("w.npy") + " --mask " + path("mask.npy") +
                     " --scales " + path("scales.npy") + " --input " + path("x.npy") + " --output " + path("y.npy") +
                     " --report " + path("r.json"));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("4:16 INT8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("outputs equal to the integer reference: 160 of 160"), std::string::npos) << r.out;
  const auto y = npy::read(path("y.npy"));
  ASSERT_EQ(y.shape, (std::vector<std::size_t>{5, 32}));
  const auto got = y.as<std::int8_t>();
  // The reference, from scratch: scales to 16-bit mantissas with one shift, then spec §3.
  sl::packed_matrix scaled;
  scaled.layer.rows = 32;
  sl::quantize_scales(f.scales, scaled, "test");
  for (int v = 0; v < 5; ++v)
    for (int r = 0; r < 32; ++r) {
      std::int64_t acc = 0;
      for (int k = 0; k < 64; ++k)
        if (f.mask[static_cast<std::size_t>(r * 64 + k)]) acc += f.w[static_cast<std::size_t>(r * 64 + k)] * f.x[static_cast<std::size_t>(v * 64 + k)];
      const auto want = sl::reference_requantize(acc, scaled.mantissa[static_cast<std::size_t>(r)], scaled.layer.scale_shift);
      ASSERT_EQ(got[static_cast<std::size_t>(v * 32 + r)], want) << "vector " << v << " row " << r;
    }
  EXPECT_NE(hlskit::test::slurp(path("r.json")).find("\"outputs_differing_from_reference\": 0"), std::string::npos);
}

TEST_F(CliSparseLlm, TrainWritesALayerCsimRuns) {
  const auto r = run("train sparse_llm --config tiny --rows 32 --cols 64 --sparsity 2:4 --precision int4 --seed 5 --output " +
                     path("w.slw"));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto p = sl::read_file(path("w.slw"), 64, 256);
  EXPECT_EQ(p.layer.sparsity, 2);
  EXPECT_EQ(p.layer.block, 4);
  EXPECT_EQ(p.layer.precision, 4);
  std::vector<std::int8_t> x(3 * 64, -128);
  npy::write(path("x.npy"), {3, 64}, x);
  const auto c = run("csim sparse_llm --config tiny --model " + path("w.slw") + " --input " + path("x.npy") + " --output " +
                     path("y.npy"));
  ASSERT_EQ(c.status, 0) << c.err;
  const auto y = npy::read(path("y.npy")).as<std::int8_t>();
  const auto ref = sl::reference_integer(p, x.data());
  for (int r = 0; r < 32; ++r) EXPECT_EQ(y[static_cast<std::size_t>(r)], ref[static_cast<std::size_t>(r)]);
}

TEST_F(CliSparseLlm, RefusesMalformedInput) {
  write_layer(*this);
  const std::string layer = " --matrix " + path("w.npy") + " --mask " + path("mask.npy");
  // a mask that is not N:M
  std::vector<std::uint8_t> bad(32 * 64, 1);
  bad[70] = 0;
  npy::write(path("bad_mask.npy"), {32, 64}, bad);
  expect_rejected("csim sparse_llm --matrix " + path("w.npy") + " --mask " + path("bad_mask.npy") + " --input " +
                      path("x.npy") + " --output " + path("y.npy"),
                  {"--mask", "bad_mask.npy", "not an N:M pattern"});
  // forcing 4:16 on it names the block
  expect_rejected("csim sparse_llm --sparsity 4:16 --matrix " + path("w.npy") + " --mask " + path("bad_mask.npy") +
                      " --input " + path("x.npy") + " --output " + path("y.npy"),
                  {"w.npy", "row 0 block 0", "keeps 16 weights, expected 4"});
  // INT4 codes out of range
  expect_rejected("csim sparse_llm --precision int4" + layer + " --input " + path("x.npy") + " --output " + path("y.npy"),
                  {"--matrix", "outside -8..7"});
  // a float input
  npy::write(path("xf.npy"), {5, 64}, std::vector<float>(5 * 64, 0.5f));
  expect_rejected("csim sparse_llm" + layer + " --input " + path("xf.npy") + " --output " + path("y.npy"),
                  {"--input", "xf.npy", "float32", "integer codes"});
  // the wrong K
  npy::write(path("x48.npy"), {5, 48}, std::vector<std::int8_t>(5 * 48, 1));
  expect_rejected("csim sparse_llm" + layer + " --input " + path("x48.npy") + " --output " + path("y.npy"),
                  {"x48.npy", "expected (n, 64)"});
  // a scale that is not finite
  std::vector<double> sc(32, 0.001);
  sc[7] = std::nan("");
  npy::write(path("nan.npy"), {32}, sc);
  expect_rejected("csim sparse_llm" + layer + " --scales " + path("nan.npy") + " --input " + path("x.npy") + " --output " +
                      path("y.npy"),
                  {"row 7: scale nan is not finite"});
  // a truncated packed file
  ASSERT_EQ(run("train sparse_llm --config tiny --rows 16 --cols 32 --output " + path("t.slw")).status, 0);
  const std::string bytes = hlskit::test::slurp(path("t.slw"));
  std::ofstream(path("cut.slw"), std::ios::binary) << bytes.substr(0, bytes.size() - 3);
  expect_rejected("csim sparse_llm --config tiny --model " + path("cut.slw") + " --input " + path("x.npy") + " --output " +
                      path("y.npy"),
                  {"cut.slw", "bytes; 16 x 32 at 8:16 INT8 takes"});
}
