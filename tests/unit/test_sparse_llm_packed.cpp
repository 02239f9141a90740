// sparse_llm packed weights (host/include/hlskit/sparse_llm/packed.hpp, spec §8): round trips of
// the packer, the file and the weight stream; every malformed input refused with a message that
// names the field; random corruptions of valid files either parse to a valid matrix or are
// refused with hlskit::error, never a crash.
#include <hlskit/sparse_llm/packed.hpp>
#include <hlskit/sparse_llm/stimulus.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace sl = hlskit::sparse_llm;

namespace {

// The message of the hlskit::error `f` throws ("" when it throws nothing).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const hlskit::error& e) {
    return e.what();
  }
  return "";
}

void expect_same(const sl::packed_matrix& a, const sl::packed_matrix& b) {
  EXPECT_EQ(a.layer.rows, b.layer.rows);
  EXPECT_EQ(a.layer.cols, b.layer.cols);
  EXPECT_EQ(a.layer.sparsity, b.layer.sparsity);
  EXPECT_EQ(a.layer.block, b.layer.block);
  EXPECT_EQ(a.layer.precision, b.layer.precision);
  EXPECT_EQ(a.layer.scale_shift, b.layer.scale_shift);
  EXPECT_EQ(a.mantissa, b.mantissa);
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.indices, b.indices);
}

}  // namespace

TEST(SparseLlmPacked, RoundTripsEveryPatternAndPrecision) {
  std::mt19937_64 rng(1);
  for (const auto& [n, m] : sl::patterns())
    for (int precision : {8, 4}) {
      const sl::shape sh{32, 64, n, m, precision, 0};
      const auto p = sl::random_layer(sh, sl::corner::random, rng, 64, 256);
      // unpack -> pack_dense gives the same matrix
      std::vector<std::int8_t> w;
      std::vector<std::uint8_t> mask;
      sl::unpack(p, w, mask);
      long kept = 0;
      for (auto k : mask) kept += k;
      EXPECT_EQ(kept, 32L * 64 * n / m);
      std::vector<double> scales(32);
      for (int r = 0; r < 32; ++r) scales[static_cast<std::size_t>(r)] = std::ldexp(p.mantissa[static_cast<std::size_t>(r)], -p.layer.scale_shift);
      expect_same(sl::pack_dense(sh, w, mask, scales, 64, 256, "dense"), p);
      // the file
      const auto bytes = sl::serialize(p);
      const std::size_t per_block = (precision == 4 ? n / 2 : n) + (n == m ? 0 : n / 2);
      EXPECT_EQ(bytes.size(), 32 + 2 * 32 + 32 * (64 / m) * per_block);
      expect_same(sl::parse(bytes.data(), bytes.size(), 64, 256, "mem"), p);
      // the weight stream: lanes to bytes and back
      for (const auto& l : sl::weight_lanes(p, 2)) {
        std::uint8_t b[sl::lane_bytes];
        sl::lane_to_bytes(l, b);
        const sl::lane back = sl::lane_from_bytes(b);
        EXPECT_EQ(0, std::memcmp(back.value, l.value, 16));
        EXPECT_EQ(0, std::memcmp(back.index, l.index, 16));
        EXPECT_EQ(back.scale[0], l.scale[0]);
        EXPECT_EQ(back.scale[1], l.scale[1]);
      }
    }
}

TEST(SparseLlmPacked, ScalesToMantissas) {
  sl::packed_matrix p;
  p.layer.rows = 3;
  sl::quantize_scales({0.5, 0.25, 0.0}, p, "s");
  EXPECT_EQ(p.layer.scale_shift, 16);  // the largest s with round(0.5 2^s) <= 65535
  EXPECT_EQ(p.mantissa, (std::vector<std::uint16_t>{32768, 16384, 0}));
  sl::quantize_scales({0.0, 0.0, 0.0}, p, "zero");
  EXPECT_EQ(p.mantissa, (std::vector<std::uint16_t>{0, 0, 0}));
  EXPECT_NE(error_of([&] { sl::quantize_scales({1.0, 2.0}, p, "n"); }).find("2 scales for 3 rows"), std::string::npos);
}

TEST(SparseLlmPacked, RefusesMalformedBlocks) {
  const sl::shape sh{16, 16, 4, 16, 8, 0};
  std::vector<double> scales(16, 0.01);
  auto vals = std::vector<std::int8_t>(16 * 4, 1);
  auto idx = std::vector<std::uint8_t>(16 * 4);
  for (int r = 0; r < 16; ++r)
    for (int i = 0; i < 4; ++i) idx[static_cast<std::size_t>(r * 4 + i)] = static_cast<std::uint8_t>(3 * i);
  EXPECT_EQ(error_of([&] { sl::pack(sh, vals, idx, scales, 64, 256, "ok"); }), "");
  auto bad = idx;
  bad[5] = bad[4];
  EXPECT_NE(error_of([&] { sl::pack(sh, vals, bad, scales, 64, 256, "w"); }).find("row 1 block 0 weight 1: index 0 is duplicated"), std::string::npos);
  bad = idx;
  std::swap(bad[5], bad[6]);
  EXPECT_NE(error_of([&] { sl::pack(sh, vals, bad, scales, 64, 256, "w"); }).find("unsorted"), std::string::npos);
  bad = idx;
  bad[7] = 16;
  EXPECT_NE(error_of([&] { sl::pack(sh, vals, bad, scales, 64, 256, "w"); }).find("index 16 is out of range"), std::string::npos);
  auto badv = vals;
  badv[0] = 8;
  EXPECT_NE(error_of([&] { sl::pack({16, 16, 4, 16, 4, 0}, badv, idx, scales, 64, 256, "w"); }).find("value 8 is outside INT4"), std::string::npos);
  for (double s : {std::nan(""), std::numeric_limits<double>::infinity(), -1.0, 1e6}) {
    auto sc = scales;
    sc[3] = s;
    EXPECT_NE(error_of([&] { sl::pack(sh, vals, idx, sc, 64, 256, "w"); }).find("scale"), std::string::npos) << s;
  }
  EXPECT_NE(error_of([&] { sl::pack(sh, std::vector<std::int8_t>(63), idx, scales, 64, 256, "w"); }).find("63 values"), std::string::npos);
  // the mask keeps the wrong count
  std::vector<std::int8_t> w(256, 1);
  std::vector<std::uint8_t> mask(256, 0);
  for (int r = 0; r < 16; ++r)
    for (int i = 0; i < 4; ++i) mask[static_cast<std::size_t>(r * 16 + i)] = 1;
  EXPECT_EQ(error_of([&] { sl::pack_dense(sh, w, mask, scales, 64, 256, "m"); }), "");
  mask[16 * 9 + 10] = 1;
  EXPECT_NE(error_of([&] { sl::pack_dense(sh, w, mask, scales, 64, 256, "m"); })
                .find("row 9 block 0 (columns 0..15): the mask keeps 5 weights, expected 4 (4:16)"),
            std::string::npos);
}

TEST(SparseLlmPacked, RefusesShapesTheEngineDoesNotRun) {
  const auto shape_error = [](sl::shape sh) { return error_of([&] { sl::check_shape(sh, 64, 256, "x"); }); };
  EXPECT_EQ(shape_error({64, 256, 8, 16, 8, 0}), "");
  EXPECT_NE(shape_error({72, 256, 8, 16, 8, 0}).find("rows 72"), std::string::npos);
  EXPECT_NE(shape_error({24, 256, 8, 16, 8, 0}).find("rows 24"), std::string::npos);
  EXPECT_NE(shape_error({64, 272, 8, 16, 8, 0}).find("cols 272"), std::string::npos);
  EXPECT_NE(shape_error({64, 256, 3, 16, 8, 0}).find("sparsity 3:16"), std::string::npos);
  EXPECT_NE(shape_error({64, 256, 4, 4, 8, 0}).find("2:4 only"), std::string::npos);
  EXPECT_NE(shape_error({64, 256, 4, 8, 8, 0}).find("block 8"), std::string::npos);
  EXPECT_NE(shape_error({64, 256, 8, 16, 6, 0}).find("precision 6"), std::string::npos);
  EXPECT_NE(shape_error({64, 256, 8, 16, 8, 48}).find("scale_shift 48"), std::string::npos);
}

TEST(SparseLlmPacked, RefusesMalformedFiles) {
  std::mt19937_64 rng(3);
  const auto p = sl::random_layer({16, 32, 2, 4, 8, 0}, sl::corner::random, rng, 64, 256);
  const auto good = sl::serialize(p);
  const auto parse_error = [&](std::vector<std::uint8_t> b) {
    return error_of([&] { sl::parse(b.data(), b.size(), 64, 256, "f.slw"); });
  };
  EXPECT_EQ(parse_error(good), "");
  EXPECT_NE(parse_error({good.begin(), good.begin() + 10}).find("shorter than the 32-byte header"), std::string::npos);
  auto b = good;
  b[0] = 'X';
  EXPECT_NE(parse_error(b).find("magic"), std::string::npos);
  b = good;
  b.push_back(0);
  EXPECT_NE(parse_error(b).find("bytes; 16 x 32 at 2:4 INT8 takes"), std::string::npos);
  b = good;
  b[25] = 1;
  EXPECT_NE(parse_error(b).find("header byte 25"), std::string::npos);
  b = good;
  b[9] = 0x10;  // rows 4096 + 16
  EXPECT_NE(parse_error(b).find("exceeds 64 x 256"), std::string::npos);
  // the first block's index byte: indices 3 and 1 (unsorted)
  b = good;
  b[32 + 32 + 2] = 0x13;
  EXPECT_NE(parse_error(b).find("f.slw': row 0 block 0 weight 1: indices are unsorted (1 after 3)"), std::string::npos);
}

// Random corruptions: parse() accepts a valid matrix or throws hlskit::error; never anything else.
TEST(SparseLlmPacked, FuzzedFilesParseOrAreRefused) {
  std::mt19937_64 rng(5);
  long refused = 0, accepted = 0;
  for (const auto& [n, m] : sl::patterns()) {
    const auto good = sl::serialize(sl::random_layer({16, 32, n, m, n % 4 == 0 ? 4 : 8, 0}, sl::corner::random, rng, 64, 256));
    for (int trial = 0; trial < 400; ++trial) {
      auto b = good;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        switch (rng() % 3) {
          case 0: b[rng() % b.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
          case 1: b.resize(rng() % (b.size() + 1)); break;
          default: b.insert(b.begin() + static_cast<long>(rng() % (b.size() + 1)), static_cast<std::uint8_t>(rng())); break;
        }
        if (b.empty()) break;
      }
      try {
        const auto q = sl::parse(b.data(), b.size(), 64, 256, "fuzz");
        ++accepted;
        EXPECT_EQ(sl::serialize(q), b);  // what parses is exactly what it says
      } catch (const hlskit::error&) {
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(accepted, 0);
}

TEST(SparseLlmPacked, FileWriteAndReadNameTheFile) {
  std::mt19937_64 rng(9);
  const auto p = sl::random_layer({16, 16, 16, 16, 4, 0}, sl::corner::random, rng, 64, 256);
  const auto dir = std::filesystem::temp_directory_path() / ("hlskit_slw_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "w.slw").string();
  sl::write_file(path, p);
  expect_same(sl::read_file(path, 64, 256), p);
  std::ofstream(path, std::ios::app) << 'x';
  EXPECT_NE(error_of([&] { sl::read_file(path, 64, 256); }).find(path), std::string::npos);
  EXPECT_NE(error_of([&] { sl::read_file((dir / "missing.slw").string(), 64, 256); }), "");
  std::filesystem::remove_all(dir);
}
