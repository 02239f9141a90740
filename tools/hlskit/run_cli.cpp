// `hlskit run`: see run_cli.hpp.
#include "run_cli.hpp"

#include "kernels.hpp"
#include "outputs.hpp"

#include <hlskit/atomic_file.hpp>
#include <hlskit/decimal.hpp>
#include <hlskit/host.hpp>
#include <hlskit/model_file.hpp>
#include <hlskit/npy.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace hlskit::cli::run_cli {

namespace {

constexpr long max_timeout_seconds = 86400;

// The input items: a 2-D uint8 array of the loaded model's item size, pad bits zero.
std::vector<std::uint8_t> read_items(const std::string& path, const stream_layout& layout, const std::string& who) {
  const npy::array a = npy::read(path);
  const std::size_t width = layout.item_bytes();
  const std::string contract = fmt::format(
      "expected a 2-D uint8 array (items, {}): one {} item per row, {} beats of {} bits, {} bytes each, little-endian",
      width, who, layout.beats, layout.beat_bits, layout.beat_bytes());
  if (a.type != npy::dtype::u8)
    throw usage_error(fmt::format("{}: dtype {}: {}", path, npy::type_name(a.type), contract));
  if (a.shape.size() != 2 || a.shape[1] != width)
    throw usage_error(fmt::format("{}: shape {}: {}", path, npy::shape_string(a.shape), contract));
  if (a.shape[0] == 0) throw usage_error(fmt::format("{}: shape {}: no items to run", path, npy::shape_string(a.shape)));
  std::vector<std::uint8_t> bytes(a.data.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = std::to_integer<std::uint8_t>(a.data[i]);
  // Pad bits (above TDATA's width in a beat's last byte) are zero in the memory layout.
  const unsigned pad = static_cast<unsigned>(layout.beat_bytes() * 8 - layout.beat_bits);
  if (pad != 0) {
    const std::uint8_t mask = static_cast<std::uint8_t>(0xFFu << (8 - pad));
    for (std::size_t beat = 0; beat < a.shape[0] * layout.beats; ++beat) {
      const std::size_t at = beat * layout.beat_bytes() + layout.beat_bytes() - 1;
      if ((bytes[at] & mask) != 0)
        throw usage_error(fmt::format("{}: item {}, beat {}: byte {} is 0x{:02x}, which sets pad bits above the "
                                      "beat's {} TDATA bits (they must be zero)",
                                      path, beat / layout.beats, beat % layout.beats, at % width, bytes[at],
                                      layout.beat_bits));
    }
  }
  return bytes;
}

std::string duration_text(double ns) {
  if (ns >= 1e9) return fmt::format("{:.6g} s", ns / 1e9);
  if (ns >= 1e6) return fmt::format("{:.6g} ms", ns / 1e6);
  if (ns >= 1e3) return fmt::format("{:.6g} us", ns / 1e3);
  return fmt::format("{:.6g} ns", ns);
}

int run_checked(const options& o) {
  if (o.backend.empty()) throw usage_error("--backend: expected a backend name (csim, systemc or rtl)");
  if (o.input.empty()) throw usage_error("--input X.npy is required");
  if (o.output.empty()) throw usage_error("--output Y.npy is required");
  if (o.timeout_seconds < 1 || o.timeout_seconds > max_timeout_seconds)
    throw usage_error("--timeout: " + decimal::message(std::to_string(o.timeout_seconds), 1L, max_timeout_seconds));
  // The files first: nothing is opened or run for a command that could not write its outputs.
  file_plan plan;
  plan.input("--model", o.model);
  plan.input("--input", o.input);
  plan.output("--output", o.output);
  plan.output("--report", o.report);
  plan.check();

  // Names (backend, kernel, config) and the model: hlskit::error -> exit 2 (bad input).
  hlskit::device dev;
  hlskit::kernel k;
  try {
    dev = hlskit::device::open(o.backend);
    k = dev.kernel(o.kernel, o.config);
    k.load_model(o.model);
  } catch (const hlskit::error& e) {
    throw usage_error(e.what());
  }
  const std::string who = k.name() + "/" + k.config();
  const stream_layout in_layout = k.input(), out_layout = k.output();
  const std::vector<std::uint8_t> items_in = read_items(o.input, in_layout, who);
  const std::size_t items = items_in.size() / in_layout.item_bytes();
  const std::string model = o.model.empty() ? std::string("the embedded default") : o.model;

  // An output on standard output: the summary goes to stderr so the two never mix.
  const bool data_on_stdout = descriptor_of(o.output) == STDOUT_FILENO ||
                              (!o.report.empty() && descriptor_of(o.report) == STDOUT_FILENO);
  std::FILE* summary = data_on_stdout ? stderr : stdout;

  const auto t0 = std::chrono::steady_clock::now();
  hlskit::buffer in(dev, items_in.size()), out(dev, items * out_layout.item_bytes());
  in.write(items_in.data(), items_in.size());
  in.sync(hlskit::sync::to_device);
  hlskit::run r = k(in, out, items);
  try {
    r.wait(std::chrono::seconds(o.timeout_seconds));
  } catch (const hlskit::timeout_error& e) {
    std::fprintf(stderr, "hlskit run: %s; no output written\n", e.what());
    return 1;
  }
  out.sync(hlskit::sync::from_device);
  std::vector<std::uint8_t> result(out.size());
  out.read(result.data(), result.size());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const bool timed = dev.name() != "csim";
  const std::uint64_t cycles = r.cycles();
  const double simulated_ns = r.simulated_time().count();

  staged_outputs staged;
  npy::write(staged.stage(o.output), {items, out_layout.item_bytes()}, result);
  if (!o.report.empty()) {
    nlohmann::json report = {{"action", "run"},
                             {"backend", dev.name()},
                             {"kernel", k.name()},
                             {"config", k.config()},
                             {"model", o.model},
                             {"input", o.input},
                             {"output", o.output},
                             {"items", items},
                             {"input_item_bytes", in_layout.item_bytes()},
                             {"output_item_bytes", out_layout.item_bytes()},
                             {"timed", timed},
                             {"cycles", cycles},
                             {"simulated_ns", simulated_ns},
                             {"wall_seconds", wall},
                             {"items_per_second", wall > 0 ? static_cast<double>(items) / wall : 0.0}};
    model_file::write_json(staged.stage(o.report), report);
  }
  staged.commit();

  fmt::print(summary, "run {} on {}: model {}, {} items from {} -> {}\n", who, dev.name(), model, items, o.input,
             o.output);
  fmt::print(summary, "  {:<8} {:<20} {:>9} {:>12} {:>16} {:>12} {:>14}\n", "backend", "kernel", "items", "cycles",
             "simulated time", "wall time", "items/s");
  fmt::print(summary, "  {:<8} {:<20} {:>9} {:>12} {:>16} {:>12} {:>14.0f}\n", dev.name(), who, items,
             timed ? std::to_string(cycles) : std::string("-"), timed ? duration_text(simulated_ns) : std::string("-"),
             duration_text(wall * 1e9), wall > 0 ? static_cast<double>(items) / wall : 0.0);
  if (timed)
    fmt::print(summary, "  simulated: {} cycles, {} ({:.1f} cycles per item)\n", cycles, duration_text(simulated_ns),
               static_cast<double>(cycles) / static_cast<double>(items));
  else
    fmt::print(summary, "  csim has no time: cycles and simulated time come from the systemc and rtl backends\n");
  return 0;
}

}  // namespace

int run(const options& o) {
  try {
    return run_checked(o);
  } catch (const hlskit::timeout_error& e) {
    std::fprintf(stderr, "hlskit run: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    // Bad input (names, files, fields) and anything else: one clear line, never a crash.
    std::fprintf(stderr, "hlskit run: %s\n", e.what());
    return 2;
  }
}

std::function<int()> add(CLI::App& app) {
  auto o = std::make_shared<options>();
  auto* sub = app.add_subcommand("run", "run a kernel through the host runtime on csim, systemc or rtl");
  sub->add_option("kernel", o->kernel, "kernel name (see hlskit list)")->required();
  sub->add_option("--config", o->config, "named config of the kernel (default: its first)");
  sub->add_option("--model", o->model, "model file (default: the config's embedded model)");
  sub->add_option("--backend", o->backend, "csim, systemc or rtl")->required();
  sub->add_option("--input", o->input, "input items (.npy, 2-D uint8: items x input item bytes)")->required();
  sub->add_option("--output", o->output, "output items (.npy, 2-D uint8: items x output item bytes)")->required();
  sub->add_option("--report", o->report, "write the report as JSON to this file");
  sub->add_option("--timeout", o->timeout_seconds, "seconds to wait for the run (default 60)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return decimal::parse<long>(text, 1L, max_timeout_seconds) ? std::string()
                                                                       : decimal::message(text, 1L, max_timeout_seconds);
          },
          "decimal 1.." + std::to_string(max_timeout_seconds)));
  return [o] { return run(*o); };
}

}  // namespace hlskit::cli::run_cli
