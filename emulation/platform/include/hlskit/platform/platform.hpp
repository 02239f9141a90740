// The SystemC TLM-2.0 virtual platform (DESIGN §8): the systemc and rtl backends of the host
// runtime (hlskit/detail/backend.hpp).
#pragma once

#include <hlskit/detail/backend.hpp>

#include <memory>

namespace hlskit::platform {

// Interconnect, device memory with access latency, the kernel's register file as a TLM target,
// a data mover between memory and the kernel's streams, an interrupt line; the kernel is its C
// model (loaded_model::csim) timed by loaded_model::cycles at the config's clock.
std::unique_ptr<detail::backend> open_systemc(const detail::device_options& options);

// The same platform with the kernel's Verilated RTL behind a TLM-to-AXI adapter, driven only
// through its ports.
std::unique_ptr<detail::backend> open_rtl(const detail::device_options& options);

}  // namespace hlskit::platform
