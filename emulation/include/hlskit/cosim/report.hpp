// What a cosimulation run found: comparisons, mismatches, protocol errors, cycle counts.
// Every report is JSON (nlohmann) and a readable table.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hlskit::cosim {

struct stats {
  std::uint64_t count = 0;
  double min = 0, max = 0, sum = 0;

  void add(double v) {
    min = count ? std::min(min, v) : v;
    max = count ? std::max(max, v) : v;
    sum += v;
    ++count;
  }
  double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
  nlohmann::json to_json() const {
    if (!count) return {{"count", 0}};
    return {{"count", count}, {"min", min}, {"max", max}, {"mean", mean()}};
  }
  std::string text() const {
    return count ? fmt::format("min {:g}  max {:g}  mean {:.3f}  (n = {})", min, max, mean(), count) : "-";
  }
};

struct mismatch {
  std::string kernel;
  std::size_t vector = 0;   // index of the input vector (inference)
  std::size_t output = 0;   // index of the output value within that inference
  std::string signal;       // "tdata" for an output value, "tlast" for the stream's TLAST
  std::int64_t expected = 0, actual = 0;  // raw codes
  std::uint64_t cycle = 0;  // cycle the output beat was accepted

  nlohmann::json to_json() const {
    return {{"kernel", kernel}, {"vector", vector}, {"output", output}, {"signal", signal},
            {"expected", expected}, {"actual", actual}, {"cycle", cycle}};
  }
};

inline std::string mismatch_table(const std::vector<mismatch>& ms) {
  std::string s = fmt::format("  {:<20} {:>8} {:>7} {:>6} {:>21} {:>21} {:>10}\n", "kernel", "vector", "output",
                              "signal", "expected", "actual", "cycle");
  for (const auto& m : ms)
    s += fmt::format("  {:<20} {:>8} {:>7} {:>6} {:>21} {:>21} {:>10}\n", m.kernel, m.vector, m.output, m.signal,
                     m.expected, m.actual, m.cycle);
  return s;
}

// A whole run. compare() is the single place where expected and actual codes meet.
struct run_result {
  std::string kernel;
  std::uint64_t seed = 0;
  std::optional<std::uint32_t> random_init;  // seed of the random initial state; empty: all zero
  double valid_gap_probability = 0, ready_stall_probability = 0;
  std::size_t vectors = 0;           // inferences whose outputs were compared
  std::size_t outputs_compared = 0;  // individual output values (and TLASTs) compared
  std::size_t mismatch_count = 0;    // all of them
  std::size_t keep_mismatches = 16;  // how many are kept in full
  std::vector<mismatch> mismatches;
  std::vector<std::string> errors;   // protocol violations, timeouts, unexpected beats
  std::optional<std::uint64_t> first_failure_cycle;
  stats latency, interval;           // cycles per inference; II between consecutive inferences
  std::uint64_t cycles = 0;
  double wall_seconds = 0;
  std::string trace_file;            // FST of the failing window, when one was written

  bool passed() const { return mismatch_count == 0 && errors.empty(); }

  bool compare(std::size_t vector, std::size_t output, std::int64_t expected, std::int64_t actual, std::uint64_t cycle,
               const char* signal = "tdata") {
    ++outputs_compared;
    if (expected == actual) return true;
    if (mismatches.size() < keep_mismatches) mismatches.push_back({kernel, vector, output, signal, expected, actual, cycle});
    ++mismatch_count;
    note_failure(cycle);
    return false;
  }
  void error(std::uint64_t cycle, std::string message) {
    if (errors.size() < 100) errors.push_back(std::move(message));
    note_failure(cycle);
  }
  void note_failure(std::uint64_t cycle) {
    if (!first_failure_cycle || cycle < *first_failure_cycle) first_failure_cycle = cycle;
  }

  nlohmann::json to_json() const {
    nlohmann::json ms = nlohmann::json::array();
    for (const auto& m : mismatches) ms.push_back(m.to_json());
    nlohmann::json j = {{"kernel", kernel},
                        {"passed", passed()},
                        {"seed", seed},
                        {"random_init", random_init ? nlohmann::json(*random_init) : nlohmann::json(nullptr)},
                        {"backpressure", {{"valid_gap_probability", valid_gap_probability},
                                          {"ready_stall_probability", ready_stall_probability}}},
                        {"vectors", vectors},
                        {"outputs_compared", outputs_compared},
                        {"mismatch_count", mismatch_count},
                        {"mismatches", ms},
                        {"errors", errors},
                        {"latency_cycles", latency.to_json()},
                        {"interval_cycles", interval.to_json()},
                        {"cycles", cycles},
                        {"wall_seconds", wall_seconds}};
    if (first_failure_cycle) j["first_failure_cycle"] = *first_failure_cycle;
    if (!trace_file.empty()) j["trace_file"] = trace_file;
    return j;
  }

  std::string table() const {
    std::string s = fmt::format("cosim {}: {}\n", kernel, passed() ? "PASS" : "FAIL");
    s += fmt::format("  {:<18} {}\n", "seed", seed);
    s += fmt::format("  {:<18} {}\n", "initial state", random_init ? fmt::format("random (seed {})", *random_init) : "all zero");
    s += fmt::format("  {:<18} TVALID gaps {:g}, TREADY stalls {:g}\n", "back-pressure", valid_gap_probability,
                     ready_stall_probability);
    s += fmt::format("  {:<18} {}\n", "vectors", vectors);
    s += fmt::format("  {:<18} {}\n", "outputs compared", outputs_compared);
    s += fmt::format("  {:<18} {}\n", "mismatches", mismatch_count);
    s += fmt::format("  {:<18} {}\n", "latency (cycles)", latency.text());
    s += fmt::format("  {:<18} {}\n", "II (cycles)", interval.text());
    s += fmt::format("  {:<18} {}\n", "cycles", cycles);
    s += fmt::format("  {:<18} {:.3f} s\n", "wall time", wall_seconds);
    if (!trace_file.empty()) s += fmt::format("  {:<18} {}\n", "waveform", trace_file);
    if (!mismatches.empty()) {
      s += fmt::format("  first {} of {} mismatches:\n", mismatches.size(), mismatch_count);
      s += mismatch_table(mismatches);
    }
    for (const auto& e : errors) s += "  error: " + e + "\n";
    return s;
  }
};

}  // namespace hlskit::cosim
