// `hlskit demo`: every kernel's story on its embedded defaults, then one summary table.
#include "demo.hpp"

#include "autoencoder_cli.hpp"
#include "outputs.hpp"
#include "svm_cli.hpp"

#include "kernels.hpp"

#include <hlskit/model_file.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

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
  plan.input("the embedded autoencoder model", models_dir() + "/autoencoder/econt.json");
  plan.input("the embedded svm model", models_dir() + "/svm/breast_cancer.model");
  plan.input("the embedded svm model", models_dir() + "/svm/iris.model");
  plan.input("the embedded svm range file", models_dir() + "/svm/breast_cancer.range");
  plan.input("the embedded svm range file", models_dir() + "/svm/iris.range");
  plan.output("--report", options.report);
  plan.check();
  nlohmann::json report = {{"demo", "hlskit"}, {"seed", options.seed}};
  summary_table summary;
  bool passed = autoencoder_cli::demo(options, report, summary);
  passed = svm_cli::demo(options, report, summary) && passed;
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
