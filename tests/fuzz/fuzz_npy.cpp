// Randomized corruption of .npy files: parse() must either return a consistent array or throw
// npy::error with a one-line message; any other exception, a crash, or (under the sanitizer
// build) an out-of-bounds access or undefined behaviour is a failure.
//
// Fixed seed, bounded by an iteration count and a time budget, whichever comes first; the
// environment variables HLSKIT_FUZZ_SEED, HLSKIT_FUZZ_ITERATIONS and HLSKIT_FUZZ_SECONDS
// override them for longer local runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "hlskit/npy.hpp"

namespace npy = hlskit::npy;

namespace {

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < 1024; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string le(std::uint64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

// The same file with a version 2.0 or 3.0 preamble (4-byte header length).
std::string with_version(const std::string& v1, int major) {
  const std::size_t header = static_cast<std::size_t>(static_cast<unsigned char>(v1[8])) |
                             static_cast<std::size_t>(static_cast<unsigned char>(v1[9])) << 8;
  return v1.substr(0, 6) + static_cast<char>(major) + '\0' + le(header, 4) + v1.substr(10);
}

std::string npy_file(const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + le(header.size(), 2) + header + data;
}

template <class T>
std::string file_of(std::vector<std::size_t> shape) {
  std::vector<T> values(npy::element_count(shape));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<T>(i * 37 + 3);
  return npy::serialize(npy::array::from(shape, values));
}

// Valid files of every type, several shapes, every header version, other header spellings.
std::vector<std::string> valid_files() {
  std::vector<std::string> files;
  for (const std::vector<std::size_t>& shape :
       std::vector<std::vector<std::size_t>>{{}, {0}, {3}, {2, 3}, {1, 2, 2}, {0, 5}}) {
    files.push_back(file_of<std::int8_t>(shape));
    files.push_back(file_of<std::int16_t>(shape));
    files.push_back(file_of<std::int32_t>(shape));
    files.push_back(file_of<std::int64_t>(shape));
    files.push_back(file_of<std::uint8_t>(shape));
    files.push_back(file_of<std::uint16_t>(shape));
    files.push_back(file_of<std::uint32_t>(shape));
    files.push_back(file_of<std::uint64_t>(shape));
    files.push_back(file_of<float>(shape));
    files.push_back(file_of<double>(shape));
  }
  const std::size_t plain = files.size();
  for (std::size_t i = 0; i < plain; i += 7) {
    files.push_back(with_version(files[i], 2));
    files.push_back(with_version(files[i], 3));
  }
  files.push_back(
      npy_file("{\"shape\":(2,),\"fortran_order\":False,\"descr\":'>f8'}", std::string(16, '\x40')));
  files.push_back(npy_file("{'descr':'>i2','shape':(1L, 3L),'fortran_order':False}", std::string(6, '\x01')));
  return files;
}

// Fragments that steer the mutator into the interesting corners of the header grammar.
const std::vector<std::string> kTokens = {"(",
                                          ")",
                                          ",",
                                          ":",
                                          "{",
                                          "}",
                                          "[",
                                          "]",
                                          "'",
                                          "\"",
                                          "\\",
                                          " ",
                                          "\n",
                                          std::string(1, '\0'),
                                          "L",
                                          "-",
                                          "-1",
                                          "0",
                                          "1",
                                          "2.5",
                                          "1e3",
                                          "True",
                                          "False",
                                          "None",
                                          "'descr'",
                                          "'shape'",
                                          "'fortran_order'",
                                          "'<c16'",
                                          "'|O'",
                                          "'<U5'",
                                          "'>f8'",
                                          "'|u1'",
                                          "'<i8'",
                                          "(5)",
                                          "(5,)",
                                          "()",
                                          "(,)",
                                          "18446744073709551615",
                                          "18446744073709551616",
                                          "4294967296",
                                          "99999999999999999999999",
                                          "4611686018427387904",
                                          "\x93NUMPY",
                                          "\xff\xff",
                                          "\xe9"};

const std::vector<std::string> kDescrs = {"'<i1'",          "'|i1'",  "'<i2'", "'<i4'", "'<i8'", "'|u1'",
                                          "'<u2'",          "'<u4'",  "'<u8'", "'<f4'", "'<f8'", "'>i4'",
                                          "'>f8'",          "'<c16'", "'|O'",  "'<U5'", "'<f2'", "'|i4'",
                                          "[('a', '<i4')]", "4",      "'"};

class mutator {
 public:
  explicit mutator(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <class C>
  auto pick(const C& c) {
    return c[below(c.size())];
  }  // by value: callers pass temporaries

  // A position, biased towards the preamble and header where the parser makes decisions.
  std::size_t position(const std::string& s) {
    return chance(80) ? below(std::min<std::size_t>(s.size() + 1, 140)) : below(s.size() + 1);
  }

  void mutate(std::string& s) {
    switch (below(11)) {
      case 0:
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1 << below(8));
        break;
      case 1:
        if (!s.empty()) s[below(s.size())] = static_cast<char>(below(256));
        break;
      case 2: s.insert(position(s), random_bytes(1 + below(8))); break;
      case 3: {
        const std::size_t at = position(s);
        s.erase(at, 1 + below(chance(80) ? 4 : 64));
        break;
      }
      case 4: s.resize(below(s.size() + 1)); break;
      case 5: s += random_bytes(1 + below(16)); break;
      case 6: {
        const std::size_t at = position(s);
        s.replace(at, below(4), pick(kTokens));
        break;
      }
      case 7:
        if (s.size() >= 10)
          s.replace(
              8, 2,
              le(pick(std::vector<std::uint64_t>{0, 1, s.size() - 10, s.size() - 9, 0xFFFF, below(70000)}),
                 2));
        break;
      case 8:
        if (s.size() >= 8) {
          s[6] = static_cast<char>(pick(std::vector<int>{0, 1, 2, 3, 4, 255}));
          s[7] = static_cast<char>(chance(80) ? 0 : below(256));
        }
        break;
      case 9: replace_header_value(s); break;
      default: s = generated_file(); break;
    }
  }

  std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(below(256));
    return out;
  }

 private:
  std::mt19937_64 rng_;

  // Swap the value of one header key for another plausible or hostile one.
  void replace_header_value(std::string& s) {
    const std::string key = pick(std::vector<std::string>{"'descr': ", "'shape': ", "'fortran_order': "});
    const std::size_t at = s.find(key);
    if (at == std::string::npos) return;
    const std::size_t value = at + key.size();
    const std::size_t end = s.find_first_of(key[1] == 's' ? ")" : ",", value);
    if (end == std::string::npos) return;
    std::string replacement;
    if (key[1] == 'd')
      replacement = pick(kDescrs);
    else if (key[1] == 'f')
      replacement = pick(std::vector<std::string>{"True", "False", "0", "None", "'False'"});
    else
      (replacement = random_shape()).pop_back();  // the ')' found above stays
    s.replace(value, end - value, replacement);
  }

  // A shape tuple in one of the spellings Python accepts, sometimes with a hostile dimension;
  // `count` gets its element count, or 0 when it is not a valid small shape.
  std::string random_shape(std::size_t* count = nullptr) {
    static const std::vector<std::string> dims = {
        "-1", "2.5",  "2L",  "4294967296", "18446744073709551615", "99999999999999999999999",
        "x",  "None", "(2,)"};
    const std::size_t ndim = below(5);
    std::size_t product = 1;
    std::string out = "(";
    for (std::size_t i = 0; i < ndim; ++i) {
      if (i > 0) out += pick(std::vector<std::string>{", ", ",", " , ", ",\n "});
      const std::size_t d = below(5);
      if (chance(92))
        out += std::to_string(d), product *= d;
      else
        out += pick(dims), product = 0;
    }
    if (ndim == 1 || (ndim > 0 && chance(30))) out += chance(95) ? "," : "";
    if (count) *count = product;
    return out + ")";
  }

  // A header assembled from grammar pieces (keys in any order, sometimes missing, repeated or
  // foreign), usually with data of exactly the right length.
  std::string generated_file() {
    static const std::vector<std::pair<std::string, std::size_t>> types = {
        {"'<i1'", 1}, {"'|i1'", 1}, {"'<i2'", 2}, {"'<i4'", 4}, {"'<i8'", 8}, {"'|u1'", 1}, {"'<u2'", 2},
        {"'<u4'", 4}, {"'<u8'", 8}, {"'<f4'", 4}, {"'<f8'", 8}, {"'>i4'", 4}, {"'>f8'", 8}, {"'>u2'", 2}};
    const auto [descr, item] =
        chance(90) ? pick(types) : std::pair<std::string, std::size_t>{pick(kDescrs), 1};
    std::size_t count = 0;
    std::vector<std::string> items = {"'descr': " + descr,
                                      "'fortran_order': " + std::string(chance(95) ? "False" : "True"),
                                      "'shape': " + random_shape(&count)};
    if (chance(3)) items.erase(items.begin() + static_cast<std::ptrdiff_t>(below(items.size())));
    if (chance(3)) items.push_back(pick(items));
    if (chance(3)) items.push_back("'extra': 1");
    std::shuffle(items.begin(), items.end(), rng_);
    std::string dict = chance(90) ? "{" : " {";
    for (std::size_t i = 0; i < items.size(); ++i)
      dict += (i ? pick(std::vector<std::string>{", ", ",", " ,\t"}) : "") + items[i];
    dict += chance(50) ? ", }" : "}";
    if (chance(20)) std::replace(dict.begin(), dict.end(), '\'', '"');
    std::size_t length = count * item;
    if (chance(10))
      length = below(300);
    else if (chance(10))
      length = chance(50) || length == 0 ? length + 1 + below(2) : length - 1;  // off by a little
    return npy_file(dict, random_bytes(length));
  }
};

struct outcome {
  std::size_t accepted = 0, rejected = 0;
};

// Parses one input and checks the contract; returns false (after reporting) on a violation.
bool check(const std::string& input, outcome& counts) {
  const auto report = [&](const std::string& what) {
    ADD_FAILURE() << what << "\n  input (" << input.size() << " bytes, hex): " << hex(input);
    return false;
  };
  const auto valid_message = [](const std::string& m) {
    return m.rfind("fuzz.npy: ", 0) == 0 && m.find('\n') == std::string::npos &&
           m.find("expected ") != std::string::npos && m.find(", found ") != std::string::npos;
  };
  try {
    const npy::array a = npy::parse(input, "fuzz.npy");
    ++counts.accepted;
    if (a.data.size() != a.size() * npy::itemsize(a.type))
      return report("inconsistent array: " + std::to_string(a.data.size()) + " data bytes for shape " +
                    npy::shape_string(a.shape));
    const npy::array again = npy::parse(npy::serialize(a), "fuzz.npy");
    if (again.type != a.type || again.shape != a.shape || again.data != a.data)
      return report("serialize() then parse() changed the array");
    // Conversions either work or refuse with npy::error.
    for (int t = 0; t < 4; ++t) {
      try {
        if (t == 0) a.as_doubles();
        if (t == 1) a.as<std::int8_t>();
        if (t == 2) a.as<std::uint64_t>();
        if (t == 3) a.as<float>();
      } catch (const npy::error& e) {
        if (!valid_message(e.what()))
          return report(std::string("badly formed conversion message: ") + e.what());
      }
    }
  } catch (const npy::error& e) {
    ++counts.rejected;
    if (!valid_message(e.what())) return report(std::string("badly formed error message: ") + e.what());
  } catch (const std::exception& e) {
    return report(std::string("exception other than npy::error: ") + e.what());
  } catch (...) {
    return report("non-standard exception");
  }
  return true;
}

TEST(FuzzNpy, SeedFilesAreValid) {
  outcome counts;
  for (const auto& f : valid_files()) ASSERT_TRUE(check(f, counts));
  EXPECT_EQ(counts.rejected, 0u);
  EXPECT_GT(counts.accepted, 60u);
}

// Exhaustive and deterministic: every truncation, and every single-byte deletion and bit flip
// in the preamble and header, of a few seed files.
TEST(FuzzNpy, EveryTruncationDeletionAndBitFlip) {
  const std::vector<std::string> seeds = valid_files();
  outcome counts;
  for (std::size_t k = 0; k < seeds.size(); k += 5) {
    const std::string& seed = seeds[k];
    for (std::size_t n = 0; n < seed.size(); ++n) ASSERT_TRUE(check(seed.substr(0, n), counts));
    const std::size_t header_end = std::min<std::size_t>(seed.size(), 140);
    for (std::size_t i = 0; i < header_end; ++i) {
      std::string deleted = seed;
      deleted.erase(i, 1);
      ASSERT_TRUE(check(deleted, counts));
      for (int bit = 0; bit < 8; ++bit) {
        std::string flipped = seed;
        flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
        ASSERT_TRUE(check(flipped, counts));
      }
    }
  }
  EXPECT_GT(counts.rejected, 0u);
  EXPECT_GT(counts.accepted, 0u);  // e.g. flips inside the padding keep the file valid
}

TEST(FuzzNpy, RandomizedCorruption) {
  const std::uint64_t seed = env_or("HLSKIT_FUZZ_SEED", 0x6e7079);  // "npy"
  const std::uint64_t max_iterations = env_or("HLSKIT_FUZZ_ITERATIONS", 300000);
  const auto budget = std::chrono::seconds(env_or("HLSKIT_FUZZ_SECONDS", 20));
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string> seeds = valid_files();
  mutator m(seed);
  outcome counts;
  std::uint64_t i = 0;
  for (; i < max_iterations; ++i) {
    if (i % 256 == 0 && std::chrono::steady_clock::now() - start > budget) break;
    std::string input = m.pick(seeds);
    for (std::size_t n = 1 + m.below(3); n > 0; --n) m.mutate(input);
    if (!check(input, counts)) {
      ADD_FAILURE() << "seed " << seed << ", iteration " << i;
      return;
    }
  }
  std::cout << "[ fuzz     ] seed " << seed << ": " << i << " inputs, " << counts.accepted << " accepted, "
            << counts.rejected << " rejected\n";
  RecordProperty("iterations", static_cast<int>(i));
  // The mutator must reach both outcomes, or the test is not exercising the parser.
  EXPECT_GT(counts.accepted, i / 100);
  EXPECT_GT(counts.rejected, i / 2);
  EXPECT_GT(i, 1000u);
}

}  // namespace
