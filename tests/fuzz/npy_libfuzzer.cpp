// libFuzzer entry point for the .npy parser (clang only; see tests/fuzz/CMakeLists.txt).
// Contract: parse() returns an array whose data matches its shape, or throws npy::error. Any
// other exception escapes and aborts, which libFuzzer reports as a crash with the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hlskit/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace npy = hlskit::npy;
  try {
    const npy::array a = npy::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    if (a.data.size() != a.size() * npy::itemsize(a.type)) std::abort();
    const npy::array again = npy::parse(npy::serialize(a), "fuzz.npy");
    if (again.shape != a.shape || again.type != a.type || again.data != a.data) std::abort();
    try {
      a.as_doubles();
    } catch (const npy::error&) {
      // int64 values that a double cannot hold exactly: refused by design
    }
  } catch (const npy::error&) {
    // malformed input, rejected as it should be
  }
  return 0;
}
