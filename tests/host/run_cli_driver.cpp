// `hlskit run` alone (tools/hlskit/run_cli.cpp behind a command line of its own, as main.cpp
// wires it), so the tests run the action as a user does whatever the hlskit tool links.
#include "run_cli.hpp"

#include <cstdio>

int main(int argc, char** argv) {
  CLI::App app{"hlskit run (test driver)", "hlskit"};
  app.require_subcommand(1);
  const auto run_action = hlskit::cli::run_cli::add(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "hlskit: %s (see hlskit --help)\n", e.what());
    return 2;
  }
  const int status = run_action();
  if (std::fflush(stdout) != 0) return status == 0 ? 2 : status;
  return status;
}
