// Running the hlskit command as a user runs it, for the CLI tests: exit status, stdout, stderr,
// and the rejection contract (exit 2, one line on stderr naming the file and field).
#pragma once

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace hlskit::test {

struct outcome {
  int status = -1;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// A fresh directory per test; run() calls the tool built by this tree (HLSKIT_TOOL).
class cli_test : public ::testing::Test {
 protected:
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("hlskit_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
           std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }

  outcome run(const std::string& args) const {
    const std::string out = path("stdout.txt"), err = path("stderr.txt");
    const std::string line = "'" + std::string(HLSKIT_TOOL) + "' " + args + " >'" + out + "' 2>'" + err + "'";
    const int raw = std::system(line.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
  }

  // The command must fail with exit 2 and one line on stderr containing every `needle`, and
  // leave the test directory as it found it (no output, no temporary file, no input changed).
  void expect_rejected(const std::string& args, const std::vector<std::string>& needles) const {
    const auto before = listing();
    const auto r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    for (const auto& n : needles) EXPECT_NE(r.err.find(n), std::string::npos) << "'" << n << "' not in: " << r.err;
    EXPECT_EQ(listing(), before) << args << ": a rejected command changed the files in " << dir;
  }
  // The same with stderr exactly `line` (without "\n").
  void expect_rejected_exactly(const std::string& args, const std::string& line) const {
    const auto before = listing();
    const auto r = run(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(r.err, line + "\n") << args;
    EXPECT_EQ(listing(), before) << args << ": a rejected command changed the files in " << dir;
  }

  // Every file under the test directory (recursively) with its size and contents' hash, besides
  // the captured stdout / stderr.
  std::set<std::string> listing() const {
    std::set<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string name = std::filesystem::relative(e.path(), dir).string();
      if (name == "stdout.txt" || name == "stderr.txt") continue;
      files.insert(name + (e.is_regular_file() ? " " + std::to_string(std::hash<std::string>{}(slurp(e.path()))) : "/"));
    }
    return files;
  }
};

}  // namespace hlskit::test
