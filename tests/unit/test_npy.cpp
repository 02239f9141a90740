// Tests of hlskit::npy: round trips, hand-built files of every header version, byte-exact golden
// files (built by hand from the format spec, as NumPy >= 1.24 writes them), conversions, and one
// test per kind of malformed input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "hlskit/npy.hpp"

namespace npy = hlskit::npy;
namespace fs = std::filesystem;

namespace {

using shape_t = std::vector<std::size_t>;

// A private directory per test, removed afterwards.
class NpyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* t = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        "hlskit_npy_" + std::to_string(::getpid()) + "_" + t->test_suite_name() + "_" + t->name();
    std::replace(name.begin(), name.end(), '/', '_');  // typed tests are named "Suite/0"
    dir_ = fs::temp_directory_path() / name;
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    return names;
  }
  fs::path dir_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string le(std::uint64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

// A file as NumPy lays it out: magic, version, header length, the dict padded with spaces and a
// final '\n' so that the data starts on a 64-byte boundary, then the data.
std::string npy_file(const std::string& dict, const std::string& data, int major = 1) {
  const std::size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  return std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0' +
         le(header.size(), major == 1 ? 2 : 4) + header + data;
}

// The npy::error message of parsing `bytes`; a test failure if it does not throw.
std::string parse_error(const std::string& bytes, const std::string& name = "data.npy") {
  try {
    npy::parse(bytes, name);
  } catch (const npy::error& e) {
    return e.what();
  }
  ADD_FAILURE() << "parse() accepted malformed input";
  return "";
}

// Asserts the one-line message names the file and each of `parts` (field, expected, found).
void expect_message(const std::string& message, const std::vector<std::string>& parts,
                    const std::string& name = "data.npy") {
  EXPECT_EQ(message.rfind(name + ": ", 0), 0u) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  for (const auto& part : parts)
    EXPECT_NE(message.find(part), std::string::npos) << "missing '" << part << "' in: " << message;
}

std::string int32_data(std::initializer_list<std::int32_t> values) {
  std::string s;
  for (auto v : values) s += le(static_cast<std::uint32_t>(v), 4);
  return s;
}

// Values that exercise the extremes of T.
template <class T>
std::vector<T> sample_values(std::size_t n) {
  using lim = std::numeric_limits<T>;
  std::vector<T> pool;
  if constexpr (std::is_floating_point_v<T>) {
    pool = {T(0),
            T(-0.0),
            T(1.5),
            T(-2.25),
            lim::infinity(),
            -lim::infinity(),
            lim::quiet_NaN(),
            lim::denorm_min(),
            lim::max(),
            lim::lowest(),
            T(3.14159)};
  } else {
    pool = {lim::min(), lim::max(), T(0), T(1), T(lim::max() / 3), T(lim::min() + 1), T(42)};
    if constexpr (std::is_signed_v<T>) pool.push_back(T(-1));
  }
  std::vector<T> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = pool[(i * 5 + i / 7) % pool.size()];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Round trips

template <class T>
class NpyRoundTrip : public NpyFiles {};
using AllTypes = ::testing::Types<std::int8_t, std::int16_t, std::int32_t, std::int64_t, std::uint8_t,
                                  std::uint16_t, std::uint32_t, std::uint64_t, float, double>;
TYPED_TEST_SUITE(NpyRoundTrip, AllTypes);

TYPED_TEST(NpyRoundTrip, EveryShapeThroughAFile) {
  using T = TypeParam;
  const std::vector<shape_t> shapes = {{}, {0}, {1}, {7}, {2, 3}, {2, 0, 3}, {3, 1, 4, 2}, {65, 3}};
  for (const auto& shape : shapes) {
    SCOPED_TRACE(npy::shape_string(shape));
    const std::vector<T> values = sample_values<T>(npy::element_count(shape));
    const std::string file = this->path("a.npy");
    npy::write(file, shape, values);
    const npy::array a = npy::read(file);
    EXPECT_EQ(a.type, npy::dtype_of<T>());
    EXPECT_EQ(a.shape, shape);
    EXPECT_EQ(a.origin, file);
    ASSERT_EQ(a.data.size(), values.size() * sizeof(T));
    const std::vector<T> back = a.template as<T>();
    ASSERT_EQ(back.size(), values.size());
    // Bitwise (through the byte image), so that NaN and -0.0 count.
    EXPECT_EQ(npy::array::from(shape, back).data, npy::array::from(shape, values).data);
    if constexpr (std::is_integral_v<T>) {
      EXPECT_EQ(back, values);
    }
    // The data start is 64-byte aligned and the header ends in '\n', as NumPy requires.
    const std::string bytes = slurp(file);
    EXPECT_EQ(bytes.size() % 64, (values.size() * sizeof(T)) % 64);
    EXPECT_EQ(bytes[bytes.size() - a.data.size() - 1], '\n');
  }
  EXPECT_EQ(this->listing(), std::vector<std::string>{"a.npy"});  // no temporary files left
}

TYPED_TEST(NpyRoundTrip, LittleEndianStorage) {
  using T = TypeParam;
  const npy::array a = npy::array::from<T>({1}, {T(1)});
  // 1 is stored with its least significant byte first whatever the host (floats: 1.0's
  // exponent byte is last).
  if constexpr (std::is_integral_v<T>)
    EXPECT_EQ(a.data.front(), std::byte{1});
  else
    EXPECT_EQ(a.data.front(), std::byte{0});
  EXPECT_EQ(npy::itemsize(a.type), sizeof(T));
}

TEST(Npy, DtypeProperties) {
  EXPECT_EQ(npy::descr(npy::dtype::i8), "|i1");
  EXPECT_EQ(npy::descr(npy::dtype::u8), "|u1");
  EXPECT_EQ(npy::descr(npy::dtype::u16), "<u2");
  EXPECT_EQ(npy::descr(npy::dtype::i64), "<i8");
  EXPECT_EQ(npy::descr(npy::dtype::f32), "<f4");
  EXPECT_EQ(npy::descr(npy::dtype::f64), "<f8");
  EXPECT_TRUE(npy::is_integer(npy::dtype::u32));
  EXPECT_FALSE(npy::is_integer(npy::dtype::f32));
  EXPECT_TRUE(npy::is_signed(npy::dtype::i16));
  EXPECT_FALSE(npy::is_signed(npy::dtype::u16));
  EXPECT_EQ(npy::type_name(npy::dtype::u64), "uint64");
  EXPECT_EQ(npy::dtype_of<long long>(), npy::dtype::i64);
  EXPECT_EQ(npy::shape_string({}), "()");
  EXPECT_EQ(npy::shape_string({5}), "(5,)");
  EXPECT_EQ(npy::shape_string({2, 3}), "(2, 3)");
  EXPECT_EQ(npy::element_count({}), 1u);
  EXPECT_EQ(npy::element_count({4, 0, 5}), 0u);
  EXPECT_THROW(npy::element_count({1ull << 40, 1ull << 40}), npy::error);
}

// ---------------------------------------------------------------------------------------------
// Golden files: exact bytes, written out by hand from the format description.

TEST_F(NpyFiles, GoldenInt32Matrix) {
  // np.save(f, np.arange(6, dtype='<i4').reshape(2, 3)): a 59-character dict, 20 spaces of
  // growth room (21 digits minus len('2')), 38 spaces of alignment, '\n': 118 = 0x76 bytes, so
  // the data starts at 10 + 118 = 128.
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                               "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }" +
                               std::string(58, ' ') + "\n" + int32_data({0, 1, 2, 3, 4, 5});
  ASSERT_EQ(expected.size(), 128u + 24u);
  const std::string file = path("golden.npy");
  npy::write(file, shape_t{2, 3}, std::vector<std::int32_t>{0, 1, 2, 3, 4, 5});
  EXPECT_EQ(slurp(file), expected);
  const npy::array a = npy::parse(expected, "golden.npy");
  EXPECT_EQ(a.as<std::int32_t>(), (std::vector<std::int32_t>{0, 1, 2, 3, 4, 5}));
}

TEST(Npy, GoldenFloat64Scalar) {
  // np.save(f, np.float64(1.5)): 55-character dict, no growth room for a scalar, 62 spaces, '\n'.
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                               "{'descr': '<f8', 'fortran_order': False, 'shape': (), }" +
                               std::string(62, ' ') + "\n" +
                               std::string("\x00\x00\x00\x00\x00\x00\xf8\x3f", 8);
  EXPECT_EQ(npy::serialize(npy::array::from<double>({}, {1.5})), expected);
  const npy::array a = npy::parse(expected, "scalar.npy");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.as_doubles(), std::vector<double>{1.5});
}

TEST(Npy, GoldenUint8Vector) {
  // np.save(f, np.array([1, 2, 255], dtype=np.uint8)): 57-character dict, 20 + 40 spaces, '\n'.
  const std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                               "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }" +
                               std::string(60, ' ') + "\n" + std::string("\x01\x02\xff", 3);
  EXPECT_EQ(npy::serialize(npy::array::from<std::uint8_t>({3}, {1, 2, 255})), expected);
}

TEST(Npy, GoldenHeaderWhereGrowthRoomAndFullPaddingShow) {
  // np.save(f, np.zeros((0, 12345678901, 123456789012, 123456789012))): the dict has 97
  // characters, the growth room adds 20 (21 minus len('0')), so magic + version + length + dict +
  // room + '\n' = 10 + 97 + 20 + 1 = 128 is already aligned and NumPy's rule
  // 64 - (128 % 64) pads a full 64 spaces: header length 97 + 20 + 64 + 1 = 182 = 0xb6.
  // (Without the growth room or with 0 padding the header would be 118 bytes.)
  const std::string dict =
      "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 12345678901, 123456789012, 123456789012), }";
  ASSERT_EQ(dict.size(), 97u);
  const std::string expected =
      std::string("\x93NUMPY\x01\x00\xb6\x00", 10) + dict + std::string(84, ' ') + "\n";
  const shape_t shape = {0, 12345678901, 123456789012, 123456789012};
  EXPECT_EQ(npy::serialize(npy::array::from<double>(shape, {})), expected);
  EXPECT_EQ(npy::parse(expected, "g.npy").shape, shape);
}

TEST(Npy, WrittenHeadersAreAlignedForManyShapes) {
  // Header lengths of every residue class: 0..39 dimensions, first dimensions of 1 to 12 digits.
  for (std::size_t ndim = 0; ndim < 40; ++ndim) {
    for (std::size_t first : {std::size_t{0}, std::size_t{1}, std::size_t{12345}, std::size_t{123456789012}}) {
      shape_t shape(ndim, 1);
      if (ndim > 0) shape[0] = first;
      if (first > 12345) {  // keep the data small: a zero dimension after the long one
        if (ndim < 2) continue;
        shape[1] = 0;
      }
      const std::string bytes = npy::serialize(
          npy::array::from<std::int8_t>(shape, std::vector<std::int8_t>(npy::element_count(shape))));
      ASSERT_EQ(bytes.substr(6, 2), std::string("\x01\x00", 2));
      const std::size_t header =
          npy::detail::load_le<std::uint16_t>(reinterpret_cast<const std::byte*>(bytes.data() + 8));
      EXPECT_EQ((10 + header) % 64, 0u) << npy::shape_string(shape);
      EXPECT_EQ(bytes[10 + header - 1], '\n');
      EXPECT_NE(bytes[10 + header - 2], '\n');
      EXPECT_EQ(npy::parse(bytes, "x.npy").shape, shape);
    }
  }
}

TEST(Npy, WritesVersion2WhenTheHeaderIsTooLong) {
  const shape_t shape(30000, 1);  // "1, " x 30000 > 65535 bytes of header
  const std::string bytes = npy::serialize(npy::array::from<std::int16_t>(shape, {-7}));
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x02\x00", 8));
  const std::size_t header =
      npy::detail::load_le<std::uint32_t>(reinterpret_cast<const std::byte*>(bytes.data() + 8));
  EXPECT_GT(header, 65535u);
  EXPECT_EQ((12 + header) % 64, 0u);
  EXPECT_EQ(bytes.size(), 12 + header + 2);
  const npy::array a = npy::parse(bytes, "big.npy");
  EXPECT_EQ(a.shape, shape);
  EXPECT_EQ(a.as<std::int16_t>(), std::vector<std::int16_t>{-7});
}

// ---------------------------------------------------------------------------------------------
// Reading hand-built headers

TEST(Npy, ReadsVersion1AsNumpyWritesIt) {
  const npy::array a = npy::parse(npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }",
                                           int32_data({1, -2, 3, -4, 5, -6})),
                                  "v1.npy");
  EXPECT_EQ(a.type, npy::dtype::i32);
  EXPECT_EQ(a.shape, (shape_t{2, 3}));
  EXPECT_EQ(a.as<std::int64_t>(), (std::vector<std::int64_t>{1, -2, 3, -4, 5, -6}));
}

TEST(Npy, ReadsOldNumpyHeaderWithoutGrowthPadding) {
  // NumPy < 1.24 aligned to 16 bytes (older) or 64 without growth room: alignment is not required.
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  header += std::string(16 - (10 + header.size() + 1) % 16, ' ') + "\n";
  const std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + le(header.size(), 2) + header +
                            std::string("\x00\x00\xc0\x3f\x00\x00\x20\xc1", 8);
  EXPECT_EQ(npy::parse(bytes, "old.npy").as<float>(), (std::vector<float>{1.5f, -10.0f}));
}

TEST(Npy, ReadsVersion2) {
  const std::string bytes = npy_file("{'descr': '<u2', 'fortran_order': False, 'shape': (3,), }",
                                     le(1, 2) + le(65535, 2) + le(256, 2), 2);
  ASSERT_EQ(bytes[6], '\x02');
  const npy::array a = npy::parse(bytes, "v2.npy");
  EXPECT_EQ(a.type, npy::dtype::u16);
  EXPECT_EQ(a.as<std::uint32_t>(), (std::vector<std::uint32_t>{1, 65535, 256}));
}

TEST(Npy, ReadsVersion3) {
  const npy::array a = npy::parse(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }",
                                           std::string("\x00\x00\x00\x00\x00\x00\xf0\xbf", 8), 3),
                                  "v3.npy");
  EXPECT_EQ(a.shape, (shape_t{1, 1}));
  EXPECT_EQ(a.as_doubles(), std::vector<double>{-1.0});
}

TEST(Npy, HeaderSyntaxVariants) {
  // Any key order, either quote, extra whitespace (tabs, newlines), no trailing comma, tuples
  // with and without a trailing comma, Python 2 long suffixes.
  const std::vector<std::pair<std::string, shape_t>> dicts = {
      {"{ \"shape\" :(2,3) ,'fortran_order':False,'descr':'<i4'}", {2, 3}},
      {"{'fortran_order': False,\n\t'shape': ( 2 , 3 , ),\n 'descr': \"<i4\",}", {2, 3}},
      {"{'descr':'<i4','shape':(6,),'fortran_order':False}", {6}},
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 3L), }", {2, 3}},
      {"  {'descr': '<i4', 'fortran_order': False, 'shape': (1, 2, 1, 3)}  ", {1, 2, 1, 3}},
  };
  for (const auto& [dict, shape] : dicts) {
    SCOPED_TRACE(dict);
    const npy::array a = npy::parse(npy_file(dict, int32_data({1, 2, 3, 4, 5, 6})), "v.npy");
    EXPECT_EQ(a.shape, shape);
    EXPECT_EQ(a.as<std::int32_t>(), (std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}));
  }
}

TEST(Npy, ScalarAndZeroLengthShapes) {
  const npy::array scalar =
      npy::parse(npy_file("{'descr': '|i1', 'fortran_order': False, 'shape': (), }", "\xfe"), "s.npy");
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.as<int>(), std::vector<int>{-2});
  const npy::array empty =
      npy::parse(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", ""), "e.npy");
  EXPECT_EQ(empty.shape, (shape_t{0, 3}));
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.as_doubles().empty());
  // A zero dimension makes any other dimension harmless.
  const npy::array huge_zero = npy::parse(
      npy_file("{'descr': '<i8', 'fortran_order': False, 'shape': (18446744073709551615, 0), }", ""),
      "z.npy");
  EXPECT_EQ(huge_zero.size(), 0u);
}

TEST(Npy, BigEndianIsSwappedOnRead) {
  const npy::array i32 = npy::parse(npy_file("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }",
                                             std::string("\x00\x00\x01\x02\xff\xff\xff\xfe", 8)),
                                    "be.npy");
  EXPECT_EQ(i32.as<std::int32_t>(), (std::vector<std::int32_t>{258, -2}));
  const npy::array f64 = npy::parse(npy_file("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
                                             std::string("\x3f\xf8\x00\x00\x00\x00\x00\x00", 8)),
                                    "be.npy");
  EXPECT_EQ(f64.as_doubles(), std::vector<double>{1.5});
  const npy::array u8 =
      npy::parse(npy_file("{'descr': '>u1', 'fortran_order': False, 'shape': (1,), }", "\x80"), "be.npy");
  EXPECT_EQ(u8.as<int>(), std::vector<int>{128});
  // Written back, the data is little-endian.
  EXPECT_EQ(npy::parse(npy::serialize(i32), "le.npy").data, i32.data);
  EXPECT_NE(npy::serialize(i32).find("'<i4'"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Checked conversions

TEST(NpyConvert, IntegerNarrowingNamesTheValueAndIndex) {
  const npy::array a =
      npy::parse(npy::serialize(npy::array::from<std::int16_t>({2, 2}, {1, -128, 127, 300})), "w.npy");
  EXPECT_EQ(a.as<std::int32_t>(), (std::vector<std::int32_t>{1, -128, 127, 300}));
  try {
    a.as<std::int8_t>();
    FAIL() << "300 does not fit in int8";
  } catch (const npy::error& e) {
    expect_message(e.what(), {"element (1, 1) (flat index 3)", "fits in int8", "found 300 (int16)"}, "w.npy");
  }
  try {
    a.as<std::uint16_t>();
    FAIL() << "-128 does not fit in uint16";
  } catch (const npy::error& e) {
    expect_message(e.what(), {"(0, 1)", "found -128"}, "w.npy");
  }
}

TEST(NpyConvert, UnsignedAndSixtyFourBitLimits) {
  const auto u64 = npy::array::from<std::uint64_t>({2}, {5, std::numeric_limits<std::uint64_t>::max()});
  EXPECT_THROW(u64.as<std::int64_t>(), npy::error);
  EXPECT_EQ(u64.as<std::uint64_t>()[1], std::numeric_limits<std::uint64_t>::max());
  const auto i64 = npy::array::from<std::int64_t>({2}, {std::numeric_limits<std::int64_t>::min(), 0});
  EXPECT_THROW(i64.as<std::uint64_t>(), npy::error);
  EXPECT_EQ(i64.as<std::int64_t>()[0], std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(npy::array::from<std::int64_t>({1}, {7}).as<std::uint8_t>(), std::vector<std::uint8_t>{7});
}

TEST(NpyConvert, IntegerToFloatMustBeExact) {
  EXPECT_EQ(npy::array::from<std::int32_t>({2}, {-5, 16777216}).as<float>(),
            (std::vector<float>{-5.0f, 16777216.0f}));
  EXPECT_THROW(npy::array::from<std::int32_t>({1}, {16777217}).as<float>(), npy::error);
  EXPECT_EQ(npy::array::from<std::int32_t>({1}, {16777217}).as_doubles(), std::vector<double>{16777217.0});
  EXPECT_EQ(npy::array::from<std::int64_t>({1}, {std::numeric_limits<std::int64_t>::min()}).as_doubles(),
            std::vector<double>{-9223372036854775808.0});
  EXPECT_THROW(npy::array::from<std::int64_t>({1}, {std::numeric_limits<std::int64_t>::max()}).as_doubles(),
               npy::error);
  EXPECT_THROW(npy::array::from<std::uint64_t>({1}, {std::numeric_limits<std::uint64_t>::max()}).as_doubles(),
               npy::error);
}

TEST(NpyConvert, FloatToIntegerIsRefused) {
  try {
    npy::array a = npy::array::from<float>({1}, {1.0f});
    a.origin = "f.npy";
    a.as<std::int32_t>();
    FAIL() << "float -> int accepted";
  } catch (const npy::error& e) {
    expect_message(e.what(), {"data type", "found float32", "int32"}, "f.npy");
  }
}

TEST(NpyConvert, FloatToFloat) {
  const auto f32 = npy::array::from<float>({3}, {1.5f, -std::numeric_limits<float>::infinity(), 0.1f});
  EXPECT_EQ(f32.as_doubles(),
            (std::vector<double>{1.5, -std::numeric_limits<double>::infinity(), double(0.1f)}));
  const auto f64 = npy::array::from<double>({2}, {0.1, std::numeric_limits<double>::quiet_NaN()});
  const auto narrowed = f64.as<float>();
  EXPECT_EQ(narrowed[0], 0.1f);
  EXPECT_TRUE(std::isnan(narrowed[1]));
  try {
    npy::array::from<double>({2}, {1.0, 1e300}).as<float>();
    FAIL() << "1e300 -> float accepted";
  } catch (const npy::error& e) {
    expect_message(e.what(), {"(1)", "float32 range", "1e+300"}, "<array>");
  }
}

TEST(NpyConvert, InconsistentArrayIsAnError) {
  npy::array a = npy::array::from<std::int32_t>({2}, {1, 2});
  a.data.pop_back();
  a.origin = "bad.npy";
  try {
    a.as<std::int32_t>();
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"array data", "8 bytes", "found 7"}, "bad.npy");
  }
  EXPECT_THROW(npy::serialize(a), npy::error);
  EXPECT_THROW((npy::array::from<int>({2, 2}, {1, 2, 3})), npy::error);
}

// ---------------------------------------------------------------------------------------------
// Atomic writing

TEST_F(NpyFiles, FailedWriteLeavesTheOldFileAlone) {
  const std::string file = path("keep.npy");
  npy::write(file, shape_t{2}, std::vector<double>{1, 2});
  const std::string before = slurp(file);
  npy::array bad = npy::array::from<double>({2}, {3, 4});
  bad.shape = {3};  // data no longer matches the shape
  try {
    npy::write(file, bad);
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"array data", "24 bytes", "found 16"}, file);
  }
  try {
    npy::write(file, shape_t{3}, std::vector<double>{1, 2});
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"values", "3 values for shape (3,)", "found 2"}, file);
  }
  EXPECT_EQ(slurp(file), before);
  EXPECT_EQ(listing(), std::vector<std::string>{"keep.npy"});
}

TEST_F(NpyFiles, OverwritesAtomically) {
  const std::string file = path("x.npy");
  npy::write(file, shape_t{1}, std::vector<std::int8_t>{1});
  npy::write(file, shape_t{2}, std::vector<std::int8_t>{5, 6});
  EXPECT_EQ(npy::read(file).as<int>(), (std::vector<int>{5, 6}));
  EXPECT_EQ(listing(), std::vector<std::string>{"x.npy"});
}

TEST_F(NpyFiles, WriteIntoMissingDirectoryNamesThePath) {
  const std::string file = path("no/such/dir/x.npy");
  try {
    npy::write(file, shape_t{1}, std::vector<std::int8_t>{1});
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"directory '" + path("no/such/dir") + "'", "No such file or directory"}, file);
  }
  EXPECT_FALSE(fs::exists(file));
}

// ---------------------------------------------------------------------------------------------
// Malformed input: one test per case; each message names the file and the field or byte.

const std::string kGoodDict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
const std::string kGoodData = int32_data({0, 1, 2, 3, 4, 5});

std::string with_dict(const std::string& dict, const std::string& data = kGoodData) {
  return npy_file(dict, data);
}

TEST_F(NpyFiles, MalformedMissingFile) {
  const std::string file = path("missing.npy");
  try {
    npy::read(file);
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"file", "No such file or directory"}, file);
  }
}

TEST_F(NpyFiles, MalformedDirectoryInsteadOfFile) {
  try {
    npy::read(dir_.string());
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"file", "directory"}, dir_.string());
  }
}

TEST_F(NpyFiles, MalformedBadMagicFromFile) {
  const std::string file = path("zip.npy");
  spit(file, std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10));
  try {
    npy::read(file);
    FAIL();
  } catch (const npy::error& e) {
    expect_message(e.what(), {"byte 0", "magic", "found 'PK\\x03\\x04"}, file);
  }
}

TEST(NpyMalformed, EmptyFile) { expect_message(parse_error(""), {"byte 0", "magic", "an empty file"}); }

TEST(NpyMalformed, BadMagic) {
  std::string bytes = with_dict(kGoodDict);
  bytes[1] = 'M';
  expect_message(parse_error(bytes), {"byte 0", "magic", "found '\\x93MUMPY"});
}

TEST(NpyMalformed, UnsupportedVersion) {
  std::string bytes = with_dict(kGoodDict);
  bytes[6] = '\x04';
  expect_message(parse_error(bytes), {"format version (byte 6)", "1.0, 2.0 or 3.0", "found 4.0"});
  bytes[6] = '\x01';
  bytes[7] = '\x01';
  expect_message(parse_error(bytes), {"format version (byte 6)", "found 1.1"});
}

TEST(NpyMalformed, TruncatedBeforeHeaderLength) {
  expect_message(parse_error(std::string("\x93NUMPY", 6)), {"byte 6", "format version", "end of the file"});
  expect_message(parse_error(std::string("\x93NUMPY\x01\x00\x76", 9)),
                 {"header length (byte 8)", "2 bytes", "found 1"});
  expect_message(parse_error(std::string("\x93NUMPY\x02\x00\x76\x00", 10)),
                 {"header length (byte 8)", "4 bytes", "found 2"});
}

TEST(NpyMalformed, TruncatedHeader) {
  const std::string bytes = with_dict(kGoodDict).substr(0, 60);  // cut inside the dict
  expect_message(parse_error(bytes), {"header length (byte 8)", "at most 50", "found 118"});
}

TEST(NpyMalformed, HeaderLengthRunsPastTheFile) {
  std::string v1 = with_dict(kGoodDict);
  v1[8] = '\xff';
  v1[9] = '\xff';
  expect_message(parse_error(v1), {"header length (byte 8)", "found 65535"});
  std::string v2 = npy_file(kGoodDict, kGoodData, 2);
  v2.replace(8, 4, "\xff\xff\xff\xff");
  expect_message(parse_error(v2), {"header length (byte 8)", "found 4294967295"});
}

TEST(NpyMalformed, HeaderNotADict) {
  expect_message(parse_error(with_dict("[('descr', '<i4'), ('fortran_order', False), ('shape', (2, 3))]")),
                 {"header (byte 10)", "dict literal", "found '['"});
  // An all-padding header: the whitespace is skipped, then nothing is left.
  expect_message(parse_error(with_dict("")),
                 {"header (byte 64)", "dict literal", "found the end of the header"});
}

TEST(NpyMalformed, HeaderDictSyntax) {
  expect_message(parse_error(with_dict("{'descr' '<i4', 'fortran_order': False, 'shape': (2, 3), }")),
                 {"header field 'descr' (byte 19)", "':'", "found '\\''"});
  expect_message(parse_error(with_dict("{'descr': '<i4' 'fortran_order': False, 'shape': (2, 3), }")),
                 {"header (byte 26)", "',' or '}'"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3),, }")),
                 {"header (byte", "a quoted key or '}'", "found ','"});
  expect_message(parse_error(with_dict("{descr: '<i4', 'fortran_order': False, 'shape': (2, 3)}")),
                 {"header (byte 11)", "a quoted key", "found 'descr'"});
  expect_message(parse_error(with_dict("{'descr: '<i4'}")),
                 {"header (byte 11)", "one of the keys", "found 'descr: '"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3)")),
                 {"header (byte", "',' or '}'", "end of the header"});
  expect_message(parse_error(with_dict(kGoodDict + " x")),
                 {"only spaces and a newline after the dict", "found 'x'"});
}

TEST(NpyMalformed, UnterminatedString) {
  expect_message(parse_error(with_dict("{'descr': '<i4")), {"header field 'descr'", "closing ' quote"});
}

TEST(NpyMalformed, EscapeSequenceInString) {
  expect_message(parse_error(with_dict("{'sh\\ape': (2, 3), 'descr': '<i4', 'fortran_order': False}")),
                 {"header (byte 14)", "without escape sequences", "found '\\\\'"});
}

TEST(NpyMalformed, MissingKey) {
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, }")),
                 {"header field 'shape'", "expected the key in the header dict, found it missing"});
  expect_message(parse_error(with_dict("{'fortran_order': False, 'shape': (2, 3), }")),
                 {"header field 'descr'", "missing"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'shape': (2, 3), }")),
                 {"header field 'fortran_order'", "missing"});
  expect_message(parse_error(with_dict("{}")), {"header field 'descr'", "missing"});
}

TEST(NpyMalformed, UnknownOrDuplicateKey) {
  expect_message(
      parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}")),
      {"header (byte", "one of the keys", "found 'extra'"});
  expect_message(
      parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), 'shape': (6,)}")),
      {"each key once", "found 'shape' again"});
}

TEST(NpyMalformed, UnsupportedDtype) {
  for (const std::string descr :
       {"<c16", "|O", "<U5", "<f2", "|b1", "<i3", "|i4", "=i4", "i4", "<M8[ns]", "<f16", ""}) {
    SCOPED_TRACE(descr);
    expect_message(
        parse_error(with_dict("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }")),
        {"header field 'descr' (byte 20)", "a supported dtype", "found '" + descr + "'"});
  }
}

TEST(NpyMalformed, StructuredOrNonStringDtype) {
  expect_message(
      parse_error(with_dict("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2, 3), }")),
      {"header field 'descr'", "structured dtypes are not supported", "found '['"});
  expect_message(parse_error(with_dict("{'descr': 4, 'fortran_order': False, 'shape': (2, 3), }")),
                 {"header field 'descr'", "a dtype string", "found '4'"});
}

TEST(NpyMalformed, FortranOrder) {
  const std::string message =
      parse_error(with_dict("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }"));
  expect_message(message, {"header field 'fortran_order' (byte 44)"});
  EXPECT_NE(message.find("expected False (C order), found True"), std::string::npos) << message;
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': 0, 'shape': (2, 3), }")),
                 {"header field 'fortran_order'", "found '0'"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': false, 'shape': (2, 3), }")),
                 {"header field 'fortran_order'", "found 'false'"});
}

TEST(NpyMalformed, NegativeShape) {
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (-2, 3), }")),
                 {"header field 'shape' (byte 61)", "non-negative integer", "found '-2'"});
}

TEST(NpyMalformed, NonIntegerShape) {
  for (const std::string dim : {"2.5", "2e3", "0x10", "None", "'2'", "True", "(2,)", "2j"}) {
    SCOPED_TRACE(dim);
    expect_message(
        parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (" + dim + ", 3), }")),
        {"header field 'shape' (byte 61)", "non-negative integer"});
  }
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (6), }")),
                 {"header field 'shape'", "(5,) for one dimension", "found '(6)'"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': [2, 3], }")),
                 {"header field 'shape'", "tuple", "found '['"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': 6, }")),
                 {"header field 'shape'", "tuple", "found '6'"});
  expect_message(parse_error(with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (2 3), }")),
                 {"header field 'shape'", "',' or ')'", "found '3'"});
}

TEST(NpyMalformed, ShapeOverflowsSizeT) {
  // The product overflows...
  expect_message(parse_error(with_dict(
                     "{'descr': '<i4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 2), }")),
                 {"header field 'shape'", "fits in size_t", "found (4294967296, 4294967296, 2)"});
  // ...the byte count overflows although the element count fits...
  expect_message(
      parse_error(with_dict("{'descr': '<i8', 'fortran_order': False, 'shape': (4611686018427387904,), }")),
      {"header field 'shape'", "fits in size_t"});
  // ...or one dimension alone does not fit.
  expect_message(
      parse_error(
          with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (99999999999999999999999,), }")),
      {"header field 'shape' (byte 61)", "at most 18446744073709551615", "found '99999999999999999999999'"});
}

TEST(NpyMalformed, HugeShapeIsNotAllocated) {
  // 2^40 bytes promised, 6 present: must fail on the size check, not on allocation.
  expect_message(
      parse_error(
          with_dict("{'descr': '|u1', 'fortran_order': False, 'shape': (1099511627776,), }", "abcdef")),
      {"data (byte 128)", "1099511627776 bytes for shape (1099511627776,) of uint8", "found 6 bytes"});
}

TEST(NpyMalformed, DataShorterThanShape) {
  expect_message(
      parse_error(with_dict(kGoodDict, kGoodData.substr(0, 20))),
      {"data (byte 128)", "24 bytes for shape (2, 3) of int32", "found 20 bytes (the file is truncated)"});
}

TEST(NpyMalformed, DataLongerThanShape) {
  expect_message(parse_error(with_dict(kGoodDict, kGoodData + "\x01")),
                 {"data (byte 128)", "24 bytes", "found 25 bytes (trailing bytes after the array)"});
}

}  // namespace
