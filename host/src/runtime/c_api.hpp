// The opaque handles of hlskit_host.h: each holds a C++ handle. Internal (the tests' C support
// code builds a kernel handle of its own from it).
#pragma once

#include <hlskit_host.h>

#include <hlskit/host.hpp>

struct hlskit_device {
  hlskit::device d;
};
struct hlskit_kernel {
  hlskit::kernel k;
};
struct hlskit_buffer {
  hlskit::buffer b;
};
struct hlskit_run {
  hlskit::run r;
};
