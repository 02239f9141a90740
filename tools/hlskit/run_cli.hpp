// `hlskit run K [--config C] [--model M] --backend csim|systemc|rtl --input X.npy --output Y.npy
//              [--report R.json] [--timeout S]`: the host runtime (hlskit/host.hpp) from the
// command line. The kernel runs on the chosen backend exactly as a host program drives it.
//
// Data (the runtime's buffers, raw stream bytes; hlskit/kernel.hpp "memory layout"):
//   --input   a 2-D uint8 .npy of shape (items, input item bytes): each row one item, its
//             AXI4-Stream beats in order, ceil(TDATA width / 8) bytes each, little-endian, pad bits
//             zero. Anything else (another dtype or rank, a row width that is not the loaded
//             model's item size, no items, a pad bit set) is refused naming the file.
//   --output  a 2-D uint8 .npy of shape (items, output item bytes), the same layout.
// `hlskit csim K --output-as codes` and the kernels' K_hw.h describe the fields of an item.
//
// The summary table (and --report, JSON): backend, kernel, config, model, items, item sizes,
// cycles and simulated time (systemc and rtl; csim has no time), wall time and items per second.
// Exit status: 0 when the run completed; 1 when it did not complete within --timeout seconds
// (default 60; no output is written); 2 for bad input (an unknown kernel, config or backend, a
// malformed model or input, an output that may not be written), with one line naming it.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace hlskit::cli::run_cli {

struct options {
  std::string kernel, config, model, backend, input, output, report;
  long timeout_seconds = 60;
};

// Runs the command; exceptions become "hlskit run: message" on stderr and the exit status above.
int run(const options& o);

// Adds the `run` subcommand (and its options) to `app`. After app.parse(), if the subcommand was
// chosen, the returned function runs it and returns the exit status. main.cpp:
//   const auto run_action = hlskit::cli::run_cli::add(app);       // with the other subcommands
//   if (action == "run") return run_action();                     // after parsing
std::function<int()> add(CLI::App& app);

}  // namespace hlskit::cli::run_cli
