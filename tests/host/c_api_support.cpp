// For test_c_api.c: the tests' mac kernel (test_kernel.hpp) as a C handle.
#include "c_api.hpp"
#include "test_kernel.hpp"

extern "C" int hlskit_test_open_mac(hlskit_device* device, const char* config, hlskit_kernel** kernel) {
  try {
    *kernel = new hlskit_kernel{hlskit::test::open_mac(device->d, config == nullptr ? "" : config)};
    return HLSKIT_OK;
  } catch (...) {
    return HLSKIT_ERROR;
  }
}
