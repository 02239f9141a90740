// The cosimulation harness (DESIGN §7): everything a kernel's cosim test or driver needs.
#pragma once

#include "hlskit/cosim/axi_lite.hpp"
#include "hlskit/cosim/axi_stream.hpp"
#include "hlskit/cosim/bitvec.hpp"
#include "hlskit/cosim/report.hpp"
#include "hlskit/cosim/simulation.hpp"
#include "hlskit/cosim/stream_bench.hpp"
