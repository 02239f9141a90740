// `hlskit export K [--config C] [--model M] --out DIR --part PART --clock MHZ
//                 [--vendor vivado|quartus|nextpnr|yosys] [--force]`: the RTL of one kernel config as a
// self-contained tree for vendor synthesis (docs/EXPORT.md, issue 12).
//
// DIR gets:
//   README.md                 the files, the register map, how to run each script
//   rtl/                      every SystemVerilog file of the config's top, in compile order (the
//                             kernel's table hls/kernels/K/K.json), the generated wrapper
//                             K_<config>_top.sv (the kernel top with the config's RTL parameters;
//                             the export's top) last, and filelist.f (paths from DIR)
//   mem/                      the .mem tables the top reads; params.mem and params.csv: the model's
//                             parameter image (loaded_model::registers(): the AXI-Lite writes)
//   constraints/              K_<config>_top.xdc (Xilinx) or .sdc (Intel), from constraints/
//   include/K_hw.h            the register map
//   scripts/                  vivado_build.tcl + vivado_package_ip.tcl (vivado), quartus_build.tcl
//                             (quartus), ice40_synth.ys + ice40_build.sh (nextpnr), yosys_synth.ys
//                             (always)
//   rtl/ice40/, constraints/K_<config>_ice40.pcf
//                             (nextpnr) the chip top K_<config>_ice40: the wrapper behind the
//                             on-chip harness (rtl/pnr/), its filelist.f, and its pins
// The part's family comes from constraints/parts.json; every text comes from a template under
// constraints/ (constraints) or tools/hlskit/templates/export/ (everything else). The sources are
// read from the hlskit source tree: $HLSKIT_SOURCE_DIR, else the tree this tool was built from.
//
// Every refusal (an unknown kernel, config or part family, a clock outside 1..1000 MHz or not a
// decimal, a vendor the part does not take, a non-empty DIR without --force, a model that does not
// load) is one line on stderr and exit 2, with nothing written: the tree is built in a private
// directory beside DIR and renamed into place at the end (with --force, the old DIR is replaced
// only then).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace hlskit::cli::export_cli {

struct options {
  std::string kernel, config, model, out, part, clock, vendor;
  bool force = false;
};

// Runs the command; exceptions become "hlskit export: message" on stderr and exit status 2.
int run(const options& o);

// Adds the `export` subcommand (and its options) to `app`. After app.parse(), if the subcommand
// was chosen, the returned function runs it and returns the exit status. main.cpp:
//   const auto export_action = hlskit::cli::export_cli::add(app);  // with the other subcommands
//   if (action == "export") return export_action();                // after parsing
std::function<int()> add(CLI::App& app);

}  // namespace hlskit::cli::export_cli
