// The backend table (hlskit/detail/backend.hpp): one entry per backend this build has. csim is
// always there; systemc and rtl come with the emulation platform (HLSKIT_HAVE_PLATFORM, defined
// when hlskit_platform is linked into hlskit_host).
#include "runtime.hpp"

#if HLSKIT_HAVE_PLATFORM
#include <hlskit/platform/platform.hpp>
#endif

namespace hlskit::detail {

const std::vector<backend_entry>& backends() {
  static const std::vector<backend_entry> table = {
      {"csim", "the C++ kernel (bit-exact with the RTL), no time", &open_csim},
#if HLSKIT_HAVE_PLATFORM
      {"systemc", "SystemC TLM-2.0 virtual platform; the C model timed by the RTL's measured cycles",
       &hlskit::platform::open_systemc},
      {"rtl", "the virtual platform with the kernel's Verilated RTL behind a TLM-to-AXI adapter",
       &hlskit::platform::open_rtl},
#endif
  };
  return table;
}

}  // namespace hlskit::detail
