// svm: a model as the kernel runs it: the libsvm model file plus, optionally, the svm-scale
// range file its features were scaled with. The range-file rule, one for every model (embedded
// or not, on the command line and in the runtime): an explicit range file if given ("none": no
// range file), else M.range beside the model M if it exists (where `hlskit train svm` writes it),
// else none.
#pragma once

#include <hlskit/svm/evaluate.hpp>
#include <hlskit/svm/libsvm.hpp>

#include <optional>
#include <string>

namespace hlskit::svm {

// The embedded default model of a named config: breast cancer (30 features, 2 classes) fits
// `default`, iris (4 features, 3 classes) fits `tiny` (models/svm/README.md has the commands
// that made them). std::invalid_argument for another name.
std::string default_model_path(const std::string& config);

// M.model -> M.range.
std::string range_beside(const std::string& model_path);

struct model_set {
  model_files files;
  std::string name;         // the model as messages name it (files.model)
  std::string ranges_rule;  // how the range file was chosen, for summaries and reports
  libsvm_model model;
  std::optional<scale_ranges> ranges;
};

// `model` ("" = the config's embedded default) and its range file by the rule above (`scale`:
// "" = the rule, "none" = no range file, else the range file). Feature indices beyond
// `max_features` are refused while reading (file_error naming the file, the line and the field),
// and a range file written for another model is refused (check_pair).
model_set load_model_set(const std::string& model, const std::string& scale, const std::string& config,
                         int max_features);

}  // namespace hlskit::svm
