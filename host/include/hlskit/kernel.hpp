// The kernel declaration (DESIGN §2, §6): what every kernel says about itself, once, and what the
// command line, the cosim harness, the host runtime (hlskit/host.hpp), the demo and the tests read.
//
// A kernel provides, in its own rooms:
//   hls/kernels/K/K.json         the table: name, configs (C++ config, RTL parameters, clock), the
//                                register map and stream layouts; tools/gen_regmap makes K_hw.h and
//                                rtl/K/K_regs_pkg.sv from it, and hlskit_add_kernel() reads it
//   host/src/K/declaration.cpp   hlskit::K::declaration(): the model loader behind the table (below)
// and one CMake call, hlskit_add_kernel(NAME K ...), which verilates every config, registers the
// RTL checks, and lists the kernel in the generated registry that kernels() returns.
//
// Memory layout of a stream (DESIGN §6): an item is its AXI4-Stream beats in order, each beat
// stored as ceil(TDATA width / 8) bytes, little-endian (TDATA bit b at byte b / 8, bit b % 8),
// pad bits zero. This is what a memory-to-stream data mover moves; the C simulation reads and
// writes the same bytes, so one buffer serves every backend.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace hlskit {

// Every error the runtime reports: an unknown kernel or config (the message lists the choices),
// a model that does not fit, a buffer too small, a start while busy.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run that did not complete within the time given to run::wait().
class timeout_error : public error {
 public:
  using error::error;
};

// One AXI4-Stream's items: `beats` beats of `beat_bits` bits each per item.
struct stream_layout {
  unsigned beat_bits = 0;  // TDATA width
  std::size_t beats = 0;   // beats per item
  std::size_t beat_bytes() const { return (beat_bits + 7u) / 8u; }
  std::size_t item_bytes() const { return beats * beat_bytes(); }
};

// An input stream besides in_r that a run consumes (sparse_llm's weights `w`): its name in the
// kernel's table and TDATA width, and the bytes of a whole run in the memory layout above (beats of
// ceil(beat_bits / 8) bytes). Its feeder raises TLAST on the last beat.
struct side_input {
  std::string name;
  unsigned beat_bits = 0;
  std::vector<std::uint8_t> bytes;
  std::size_t beats() const { return bytes.size() / ((beat_bits + 7u) / 8u); }
};

// One AXI4-Lite write (byte offset in the kernel's s_axi_control space, 32-bit data).
struct register_write {
  std::uint32_t offset = 0, value = 0;
};

// A model loaded for one config: the kernel's computation and how its hardware is programmed.
class loaded_model {
 public:
  virtual ~loaded_model() = default;
  // The item layouts of in_r and out_r for this model (some depend on it: the svm's features).
  virtual stream_layout input() const = 0;
  virtual stream_layout output() const = 0;
  // C simulation of `items` items: input().item_bytes() each from `in`, output().item_bytes()
  // each to `out` (the memory layout above). Bit-exact with the RTL.
  virtual void csim(const std::uint8_t* in, std::uint8_t* out, std::size_t items) const = 0;
  // The AXI-Lite writes that load this model: its argument registers (not count) and parameter
  // windows, in order, offsets from K_hw.h. Written while the kernel is idle.
  virtual std::vector<register_write> registers() const = 0;
  // Cycles of ap_clk the RTL takes for a run of `items` items, from ap_start to ap_done, streams
  // never stalled: the measured timing model (tests check it against the RTL).
  virtual std::uint64_t cycles(std::size_t items) const = 0;
  // The other input streams of a run of `items` items, in the table's order (none for most kernels).
  virtual std::vector<side_input> side_inputs(std::size_t /*items*/) const { return {}; }
  // Items the kernel takes before it delivers a result of them: 1 for a kernel that streams item
  // by item; a batch kernel (sparse_llm: MaxBatch, fewer at a run's end) waits for its batch.
  virtual std::size_t batch() const { return 1; }
};

struct config_decl {
  std::string name;     // "paper"-style names of DESIGN §5 (autoencoder: econt, fpga; svm: default, tiny)
  std::string summary;  // one line
  double clock_mhz = 0; // ap_clk of the design this config stands for (the systemc backend's clock)
};

struct kernel_decl {
  std::string name, summary;
  std::vector<config_decl> configs;  // configs.front() is the default
  std::uint32_t count_offset = 0;    // K_hw.h: the argument register taking a run's item count
  // The embedded default model of a config (a file under models_dir()).
  std::function<std::string(const std::string& config)> default_model;
  // Loads `model_path` ("" = the embedded default model of `config`) for `config`. Throws
  // hlskit::error naming the file and field when the model is malformed or does not fit.
  std::function<std::unique_ptr<loaded_model>(const std::string& config, const std::string& model_path)> load;

  // The config called `name`; hlskit::error listing the choices when there is none.
  const config_decl& config(const std::string& name) const;
};

// Every registered kernel, in registration order (the registry hlskit_add_kernel generates).
const std::vector<kernel_decl>& kernels();
// The kernel called `name`; hlskit::error listing the choices when there is none.
const kernel_decl& find_kernel(const std::string& name);

// Where the embedded default models live (models/<kernel>/...): $HLSKIT_MODELS when set, else the
// directory this build was configured with (the source tree, or share/hlskit/models once installed).
std::string models_dir();

}  // namespace hlskit
