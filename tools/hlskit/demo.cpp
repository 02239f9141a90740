// `hlskit demo`: every kernel's story on its embedded defaults, then one summary table.
#include "demo.hpp"

#include "kernels.hpp"
#include "outputs.hpp"

#include <hlskit/kernel.hpp>
#include <hlskit/model_file.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace hlskit::cli {

std::string summary_table::text() const {
  std::size_t step_width = 4;
  for (const auto& r : rows) step_width = std::max(step_width, r.step.size());
  std::string t = fmt::format("summary\n  {:<12} {:<{}} {:<6} {}\n", "kernel", "step", step_width, "check", "figure");
  for (const auto& r : rows)
    t += fmt::format("  {:<12} {:<{}} {:<6} {}\n", r.kernel, r.step, step_width, r.passed ? "ok" : "FAIL", r.figure);
  return t;
}

int run_demo(const demo_options& options) {
  file_plan plan;  // the report's directory is checked before the minutes of work, not after
  // The embedded models, and the files beside them that share their stem (an svm's range file).
  for (const auto& k : kernels())
    for (const auto& c : k.configs) {
      const std::filesystem::path model = k.default_model(c.name);
      std::error_code ec;
      for (const auto& f : std::filesystem::directory_iterator(model.parent_path(), ec))
        if (f.path().stem() == model.stem()) plan.input("the embedded " + k.name + " model", f.path().string());
    }
  plan.output("--report", options.report);
  plan.check();
  nlohmann::json report = {{"demo", "hlskit"}, {"seed", options.seed}};
  summary_table summary;
  bool passed = true;
  for (const auto& k : kernels())
    if (const auto& story = actions_of(k.name).demo) passed = story(options, report, summary) && passed;
  fmt::print("{}", summary.text());
  fmt::print("demo: {}\n", passed ? "PASS (every check passed)" : "FAIL");
  report["summary"] = nlohmann::json::array();
  for (const auto& r : summary.rows)
    report["summary"].push_back({{"kernel", r.kernel}, {"step", r.step}, {"figure", r.figure}, {"passed", r.passed}});
  report["passed"] = passed;
  if (!options.report.empty()) model_file::write_json(options.report, report);
  return passed ? 0 : 1;
}

}  // namespace hlskit::cli
