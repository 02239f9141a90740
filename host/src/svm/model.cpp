#include <hlskit/kernel.hpp>
#include <hlskit/svm/model.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

namespace hlskit::svm {

std::string default_model_path(const std::string& config) {
  if (config == "default") return models_dir() + "/svm/breast_cancer.model";
  if (config == "tiny") return models_dir() + "/svm/iris.model";
  throw std::invalid_argument("svm: no embedded model for config '" + config + "'");
}

std::string range_beside(const std::string& model_path) {
  const auto slash = model_path.find_last_of('/');
  const auto dot = model_path.find_last_of('.');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return (has_ext ? model_path.substr(0, dot) : model_path) + ".range";
}

model_set load_model_set(const std::string& model, const std::string& scale, const std::string& config,
                         int max_features) {
  model_set l;
  l.files.model = model.empty() ? default_model_path(config) : model;
  l.name = l.files.model;
  if (scale == "none") {
    l.ranges_rule = "none (--scale none): features used as given";
  } else if (!scale.empty()) {
    l.files.ranges = scale;
    l.ranges_rule = "given with --scale";
  } else if (const std::string beside = range_beside(l.files.model); std::filesystem::is_regular_file(beside)) {
    l.files.ranges = beside;
    l.ranges_rule = "found beside the model";
  } else {
    l.ranges_rule = fmt::format("none (no --scale, no {} beside the model): features used as given", beside);
  }
  const feature_limit limit{max_features, fmt::format("the svm config '{}' holds {} features", config, max_features)};
  l.model = read_model(l.files.model, limit);
  if (!l.files.ranges.empty()) {
    l.ranges = read_ranges(l.files.ranges, limit);
    check_pair(l.model, l.name, *l.ranges, l.files.ranges);  // never a mixed pair
  }
  return l;
}

}  // namespace hlskit::svm
