// hlskit: the command line of DESIGN §10.
//   hlskit list | csim K ... | cosim K ... | train K ... | estimate K ... | export K --out DIR | demo
// Exit status 0 only when every check passed; bad input gets one clear line and exit 2.
#include "demo.hpp"
#include "kernels.hpp"
#include "export_cli.hpp"
#include "run_cli.hpp"

#include <hlskit/kernel.hpp>

#include "outputs.hpp"

#include <hlskit/decimal.hpp>

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Every integer option goes through hlskit::decimal: decimal only, the value as written, within
// [lo, hi]; e.g. "--seed: '010' is not a decimal integer in 0..18446744073709551615". (CLI11
// alone reads 010 as octal, wraps -1 into unsigned options and clamps what does not fit.)
template <class T>
CLI::Validator decimal_in(T lo, T hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        return hlskit::decimal::parse<T>(text, lo, hi) ? std::string() : hlskit::decimal::message(text, lo, hi);
      },
      "decimal " + std::to_string(lo) + ".." + std::to_string(hi));
}

// Options only one kernel reads: given to another kernel they would be ignored, so they are an
// error instead.
struct kernel_option {
  const char* option;
  const char* kernel;
};
constexpr kernel_option kernel_options[] = {
    {"--output-as", "autoencoder"}, {"--energies", "autoencoder"}, {"--epochs", "autoencoder"},
    {"--events", "autoencoder"},    {"--scale", "svm"},            {"--decision", "svm"},
    {"--decision-as", "svm"},       {"--kernel-type", "svm"},      {"--sparsity", "sparse_llm"},
    {"--precision", "sparse_llm"},  {"--rows", "sparse_llm"},      {"--cols", "sparse_llm"},
    {"--matrix", "sparse_llm"},     {"--mask", "sparse_llm"},      {"--scales", "sparse_llm"},
};
// An option that only qualifies another: without it, it would do nothing.
struct qualifier {
  const char* option;
  const char* needs;
};
constexpr qualifier qualifiers[] = {
    {"--output-as", "--output"}, {"--decision-as", "--decision"}, {"--energies", "--input"}};

constexpr const char* version = "0.1.0";

int run_kernel_command(const hlskit::cli::command& cmd, const CLI::App& sub) {
  const char* action = cmd.action.c_str();
  const hlskit::kernel_decl* kernel = nullptr;
  try {
    kernel = &hlskit::find_kernel(cmd.kernel);
    if (!cmd.config.empty()) kernel->config(cmd.config);
  } catch (const hlskit::error& e) {  // an unknown kernel or config: the message lists the choices
    std::fprintf(stderr, "hlskit %s: %s\n", action, e.what());
    return 2;
  }
  const auto given = [&](const char* name) {
    const CLI::Option* o = sub.get_option_no_throw(name);
    return o != nullptr && o->count() > 0;
  };
  for (const auto& k : kernel_options)
    if (given(k.option) && cmd.kernel != k.kernel) {
      std::fprintf(stderr, "hlskit %s: %s is an option of the %s kernel; kernel '%s' does not take it\n", action,
                   k.option, k.kernel, cmd.kernel.c_str());
      return 2;
    }
  for (const auto& q : qualifiers)
    if (given(q.option) && sub.get_option_no_throw(q.needs) != nullptr && !given(q.needs)) {
      std::fprintf(stderr, "hlskit %s: %s applies to %s, which was not given\n", action, q.option, q.needs);
      return 2;
    }
  // libsvm's trainer takes a 32-bit seed (std::srand): a larger one is an error, not truncated.
  if (cmd.kernel == "svm" && cmd.action == "train" && cmd.seed > UINT32_MAX) {
    std::fprintf(stderr, "hlskit %s: --seed: %s (svm train seeds libsvm's std::srand)\n", action,
                 hlskit::decimal::message(std::to_string(cmd.seed), std::uint32_t{0}, std::uint32_t{UINT32_MAX}).c_str());
    return 2;
  }
  const auto& actions = hlskit::cli::actions_of(kernel->name);
  const hlskit::cli::action& run = cmd.action == "csim"    ? actions.csim
                                   : cmd.action == "cosim" ? actions.cosim
                                   : cmd.action == "train" ? actions.train
                                                           : hlskit::cli::action{};
  if (!run) {
    std::fprintf(stderr, "hlskit %s: kernel '%s' does not offer this action yet\n", action, cmd.kernel.c_str());
    return 2;
  }
  // An output on standard output ("-", /dev/stdout, /dev/fd/1): the data goes to the original
  // descriptor, and the summary to stderr, so the two never mix.
  hlskit::cli::command actual = cmd;
  const auto is_stdout = [](const std::string& p) { return !p.empty() && hlskit::descriptor_of(p) == STDOUT_FILENO; };
  int data_fd = -1;
  for (std::string* p : {&actual.output, &actual.decision, &actual.report, &actual.trace}) {
    if (!is_stdout(*p)) continue;
    if (data_fd < 0) {
      std::fflush(stdout);
      data_fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
      if (data_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        std::fprintf(stderr, "hlskit %s: cannot set standard output aside for the data: %s\n", action, std::strerror(errno));
        return 2;
      }
    }
    *p = "/dev/fd/" + std::to_string(data_fd);
  }
  try {
    return run(actual);
  } catch (const std::exception& e) {
    // Bad input (files, fields, options) and anything else: one clear line, never a crash.
    std::fprintf(stderr, "hlskit %s: %s\n", action, e.what());
    return 2;
  }
}

int list_kernels() {
  for (const auto& k : hlskit::kernels()) {
    std::printf("%-12s %s\n", k.name.c_str(), k.summary.c_str());
    for (const auto& c : k.configs)
      std::printf("    %-10s %s (%g MHz)\n", c.name.c_str(), c.summary.c_str(), c.clock_mhz);
  }
  return 0;
}

}  // namespace

int run_command_line(int argc, char** argv) {
  CLI::App app{"hlskit: a C++ design kit for FPGA/ASIC machine-learning accelerators", "hlskit"};
  app.set_version_flag("--version", std::string("hlskit ") + version);
  app.require_subcommand(1);
  app.fallthrough(false);

  app.add_subcommand("list", "list the kernels and their named configs");

  hlskit::cli::demo_options demo;
  auto* demo_cmd = app.add_subcommand("demo", "the main job on the embedded defaults, with a summary table");
  using hlskit::cli::max_cosim_vectors;
  demo_cmd->add_option("--vectors", demo.vectors, "vectors to cosimulate per config (plus corner cases)")
      ->check(decimal_in(100L, max_cosim_vectors));
  demo_cmd->add_option("--events", demo.events, "held-out events for csim vs float")
      ->check(decimal_in(1L, 10000000L));
  demo_cmd->add_option("--seed", demo.seed, "random seed")->check(decimal_in(std::uint64_t{0}, std::uint64_t{UINT64_MAX}));
  demo_cmd->add_option("--random-init", demo.random_init,
                       "start the RTL from a random initial state with this seed, 1..2147483647")
      ->check(decimal_in(std::uint32_t{1}, std::uint32_t{0x7fffffff}));
  demo_cmd->add_option("--report", demo.report, "write the summary as JSON to this file");

  hlskit::cli::command cmd;
  const auto add_common = [&](CLI::App* sub, bool reads_model = true) {
    sub->add_option("kernel", cmd.kernel, "kernel name (see hlskit list)")->required();
    sub->add_option("--config", cmd.config, "named config of the kernel");
    if (reads_model) sub->add_option("--model", cmd.model, "model file (JSON, or the kernel's own format)");
    sub->add_option("--report", cmd.report, "write the report as JSON to this file");
  };
  const auto seed_option = [] { return decimal_in(std::uint64_t{0}, std::uint64_t{UINT64_MAX}); };
  auto* csim = app.add_subcommand("csim", "run the bit-exact C++ kernel on input data");
  add_common(csim);
  csim->add_option("--input", cmd.input, "input tensor (.npy)");
  csim->add_option("--output", cmd.output, "output tensor (.npy)");
  csim->add_option("--output-as", cmd.output_as, "output as raw integer 'codes' (default) or float 'values'")
      ->check(CLI::IsMember({"codes", "values"}));
  csim->add_flag("--energies", cmd.energies, "float inputs are energies: the model's input gain applies");
  csim->add_option("--scale", cmd.scale, "svm: svm-scale range file applied to the input features");
  csim->add_option("--decision", cmd.decision, "svm: also write the decision values (.npy)");
  csim->add_option("--decision-as", cmd.decision_as, "svm: decision values as raw 'codes' (default) or float 'values'")
      ->check(CLI::IsMember({"codes", "values"}));
  csim->add_option("--matrix", cmd.matrix, "sparse_llm: R x K integer weight codes (.npy)");
  csim->add_option("--mask", cmd.mask, "sparse_llm: R x K kept-weight mask, nonzero = kept (.npy)");
  csim->add_option("--scales", cmd.scales, "sparse_llm: R per-row output scales (.npy; default: no saturation)");
  csim->add_option("--sparsity", cmd.sparsity, "sparse_llm: N:M of --matrix (default: the mask's)");
  csim->add_option("--precision", cmd.precision, "sparse_llm: int8 (default) or int4 weights");
  auto* cosim = app.add_subcommand("cosim", "compare the RTL with the C++ kernel bit for bit");
  add_common(cosim);
  cosim->add_option("--input", cmd.input, "input tensor (.npy); default: generated held-out data");
  cosim->add_flag("--energies", cmd.energies, "float inputs are energies: the model's input gain applies");
  cosim->add_option("--vectors", cmd.vectors,
                    "autoencoder: vectors under the model (plus corner weight sets); svm: corner and random vectors besides the data")
      ->check(decimal_in(100L, max_cosim_vectors));
  cosim->add_option("--seed", cmd.seed, "random seed")->check(seed_option());
  cosim->add_option("--random-init", cmd.random_init,
                    "start the RTL from a random initial state (Verilator randReset 2) with this seed, 1..2147483647")
      ->check(decimal_in(std::uint32_t{1}, std::uint32_t{0x7fffffff}));
  cosim->add_option("--trace", cmd.trace, "write an FST waveform of the failing window");
  cosim->add_option("--scale", cmd.scale, "svm: svm-scale range file applied to the input features");
  cosim->add_option("--sparsity", cmd.sparsity, "sparse_llm: one N:M pattern (default: every one)");
  cosim->add_option("--precision", cmd.precision, "sparse_llm: int8 or int4 (default: both)");
  cosim->add_option("--rows", cmd.rows, "sparse_llm: R of the layers (a multiple of 16)")->check(decimal_in(16L, 1L << 20));
  cosim->add_option("--cols", cmd.cols, "sparse_llm: K of the layers (a multiple of 16)")->check(decimal_in(16L, 1L << 20));
  auto* train = app.add_subcommand("train", "train the kernel's model and write the model file");
  add_common(train, false);  // train writes a model; it reads none
  train->add_option("--output", cmd.output, "model file to write (autoencoder: JSON; svm: libsvm model, range file beside it)")->required();
  train->add_option("--seed", cmd.seed, "random seed (initialization, shuffling, data; svm: 0..4294967295)")
      ->check(seed_option());
  train->add_option("--epochs", cmd.epochs, "autoencoder: training epochs (default: the kernel's)")
      ->check(decimal_in(1, 100000));
  train->add_option("--events", cmd.events, "autoencoder: training events (default: the kernel's)")
      ->check(decimal_in(1L, 100000000L));
  train->add_option("--dataset", cmd.dataset,
                    "training data (autoencoder: calorimeter or digits; svm: breast_cancer, iris or a CSV file)");
  train->add_option("--kernel-type", cmd.kernel_type, "svm: linear, polynomial or rbf (default rbf)")
      ->check(CLI::IsMember({"linear", "polynomial", "rbf"}));
  train->add_option("--matrix", cmd.matrix, "sparse_llm: R x K float matrix to prune and quantize (default: Gaussian)");
  train->add_option("--sparsity", cmd.sparsity, "sparse_llm: N:M (default 8:16)");
  train->add_option("--precision", cmd.precision, "sparse_llm: int8 (default) or int4");
  train->add_option("--rows", cmd.rows, "sparse_llm: R of the random matrix")->check(decimal_in(16L, 1L << 20));
  train->add_option("--cols", cmd.cols, "sparse_llm: K of the random matrix")->check(decimal_in(16L, 1L << 20));
  auto* estimate = app.add_subcommand("estimate", "estimate LUT / FF / DSP / BRAM and power");
  add_common(estimate);
  const auto run_action = hlskit::cli::run_cli::add(app);  // the host runtime (run_cli.hpp)
  const auto export_action = hlskit::cli::export_cli::add(app);  // RTL export (export_cli.hpp)
  std::string commands;
  for (const auto* sub : app.get_subcommands({})) commands += (commands.empty() ? "" : ", ") + sub->get_name();

  // A first word that is no command (e.g. `hlskit nosuchkernel`) gets a message that says so.
  bool is_command = false;
  for (const auto* sub : app.get_subcommands({})) is_command = is_command || (argc >= 2 && sub->check_name(argv[1]));
  if (argc >= 2 && argv[1][0] != '-' && !is_command) {
    std::fprintf(stderr, "hlskit: unknown command '%s' (commands: %s; a kernel goes after the command, e.g. "
                 "hlskit csim KERNEL)\n", argv[1], commands.c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One clear line, e.g. for `hlskit nosuchkernel`.
    std::string what = e.what();
    if (what.empty() || argc < 2) what = "a command is required (" + commands + ")";
    std::fprintf(stderr, "hlskit: %s (see hlskit --help)\n", what.c_str());
    return 2;
  }

  const std::string action = app.get_subcommands().front()->get_name();
  if (action == "list") return list_kernels();
  if (action == "run") return run_action();
  if (action == "export") return export_action();
  if (action == "demo") {
    try {
      return hlskit::cli::run_demo(demo);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hlskit demo: %s\n", e.what());
      return 2;
    }
  }
  cmd.action = action;
  return run_kernel_command(cmd, *app.get_subcommands().front());
}

int main(int argc, char** argv) {
  int status = run_command_line(argc, argv);
  // A summary lost on a full or closed standard output is a failure, never exit 0.
  std::cout.flush();
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
    std::fprintf(stderr, "hlskit: cannot write to standard output: %s\n", std::strerror(errno));
    if (status == 0) status = 2;
  }
  if (std::fflush(stderr) != 0 || std::ferror(stderr)) status = status == 0 ? 2 : status;
  return status;
}
