// The backends' common device and kernel objects over the virtual platform; each backend provides
// the kernel implementation that goes into a slot.
#pragma once

#include <hlskit/platform/platform.hpp>

#include "vp.hpp"

namespace hlskit::platform {

// Makes the kernel implementation for `config` of `kernel` in slot `s` (the device's context is
// current); hlskit::error when the backend cannot run it.
using impl_factory = std::unique_ptr<vp::kernel_impl> (*)(vp::device_model& dev, vp::slot& s, const kernel_decl& kernel,
                                                          const config_decl& config, const std::string& who);

std::unique_ptr<detail::backend> make_backend(const detail::device_options& opt, const char* name, impl_factory make);

}  // namespace hlskit::platform
