// What bench_autoencoder and bench_autoencoder_rtl share: the command line, the data (seeded
// calorimeter events in the model's input convention) and the report file.
#pragma once

#include <hlskit/autoencoder/model.hpp>
#include <hlskit/autoencoder/reference.hpp>
#include <hlskit/data/calorimeter.hpp>
#include <hlskit/model_file.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace hlskit::bench {

namespace ae = hlskit::autoencoder;

using image = std::array<std::uint8_t, ae::geometry::pixels>;  // raw ufixed<8,1> codes

struct bench_options {
  std::size_t events = 2000;
  double seconds = 1.0;  // minimum measuring time per variant (timed benchmarks only)
  std::uint64_t seed = 1;
  std::string report;    // --report F.json
  std::string model = std::string(HLSKIT_MODELS_DIR) + "/autoencoder/econt.json";
};

// Parses argv into `o`; on a bad argument prints the usage and returns false. `timed`: the
// program takes --seconds.
inline bool parse_options(int argc, char** argv, const char* program, bool timed, bench_options& o) {
  const std::string usage = std::string("usage: ") + program + " [--events N]" + (timed ? " [--seconds S]" : "") +
                            " [--seed S] [--model M.json] [--report F.json]\n";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--events" && has_value) o.events = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--seconds" && timed && has_value) o.seconds = std::atof(argv[++i]);
    else if (arg == "--seed" && has_value) o.seed = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--model" && has_value) o.model = argv[++i];
    else if (arg == "--report" && has_value) o.report = argv[++i];
    else {
      std::fprintf(stderr, "%s: unknown argument '%s'\n%s", program, arg.c_str(), usage.c_str());
      return false;
    }
  }
  if (o.events < 1 || !(o.seconds > 0)) {
    std::fprintf(stderr, "%s: --events must be >= 1 and --seconds > 0\n%s", program, usage.c_str());
    return false;
  }
  return true;
}

// n calorimeter events (sum-normalized cells, calorimeter.hpp) and the kernel's input codes for
// them under the model's input convention (reference.hpp: input_code).
struct event_set {
  std::vector<double> cells;  // n * 64
  std::vector<image> images;
};

inline event_set make_events(const ae::model& m, std::size_t n, std::uint64_t seed) {
  event_set s{data::generate_events(n, seed), std::vector<image>(n)};
  for (std::size_t i = 0; i < s.cells.size(); ++i)
    s.images[i / ae::geometry::pixels][i % ae::geometry::pixels] =
        static_cast<std::uint8_t>(ae::input_code(m.input_gain, s.cells[i]));
  return s;
}

// Writes the report if one was asked for; false (with a message) if it cannot be written.
inline bool write_report(const char* program, const std::string& path, const nlohmann::json& report) {
  if (path.empty()) return true;
  try {
    model_file::write_json(path, report);
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return false;
  }
}

}  // namespace hlskit::bench
