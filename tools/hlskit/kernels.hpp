// The kernels the command line knows: name, named configs, and the actions each offers
// (DESIGN §5, §10). A kernel registers itself in kernels.cpp when it lands.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hlskit::cli {

// A kernel action's command line: the options of DESIGN §10 (each action uses what it needs).
struct command {
  std::string action;  // csim, cosim, train, estimate, export
  std::string kernel;
  std::string config;  // empty: the model's (or the kernel's default)
  std::string model;   // empty: the embedded default model
  std::string input, output, report, trace, out_dir;
  std::string output_as = "codes";  // csim: "codes" (raw integers) or "values" (float64)
  bool energies = false;            // csim/cosim: float inputs are energies (the model's input gain applies)
  long vectors = 0;                 // 0: the action's default
  std::uint64_t seed = 1;
  std::uint32_t random_init = 0;    // cosim: 0 = every RTL variable starts at zero, else the seed of a random state
  int epochs = 0;                   // train: 0 = the kernel's default
  long events = 0;                  // train: training events, 0 = default
  std::string dataset;              // train: empty = default
  // svm
  std::string scale;                // svm-scale range file applied to the features
  std::string decision;             // csim: also write the decision values here (.npy)
  std::string decision_as = "codes";  // "codes" (raw int64) or "values" (float64)
  std::string kernel_type;          // train: linear, polynomial or rbf (default rbf)
};

// --vectors of cosim and demo: at most this many (the cosim holds every vector and its expected
// outputs in memory; 10^6 autoencoder vectors take about 0.7 GB).
inline constexpr long max_cosim_vectors = 1000000;

// Bad input (a file, a field, an option): main prints "hlskit ACTION: what" and exits with 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct kernel_config {
  std::string name;
  std::string summary;
};

using action = std::function<int(const command&)>;  // exit status: 0 only when every check passed

struct kernel_entry {
  std::string name;
  std::string summary;
  std::vector<kernel_config> configs;
  action csim, cosim, train;  // empty: not offered
};

const std::vector<kernel_entry>& kernels();
const kernel_entry* find_kernel(const std::string& name);

// Where the embedded defaults live: models/<kernel>/ in the source tree (HLSKIT_MODELS_DIR), or
// the directory named by the environment variable HLSKIT_MODELS.
std::string models_dir();

}  // namespace hlskit::cli
