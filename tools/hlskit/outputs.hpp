// The files a command reads and writes, checked before any work starts, and its outputs written
// together at the end. Every action (csim, cosim, train of every kernel, and the demo) does:
//
//   file_plan plan;
//   plan.input("--model", model_path);  plan.input("--input", cmd.input);
//   plan.output("--output", cmd.output);  plan.output("--report", cmd.report);
//   plan.check();                         // usage_error before anything is read or written
//   staged_outputs out;
//   npy::write(out.stage(cmd.output), ...);   // a temporary file beside the target
//   ...
//   model_file::write_json(out.stage(cmd.report), report);
//   out.commit();                         // renamed into place together, the report last
//
// The rules (file_plan::check):
//  - every output is distinct from every other output and from every input, compared by what
//    the path resolves to (the directory entry: the parent directory's st_dev / st_ino and the
//    name; and for an existing file its st_dev / st_ino, so hard links, symlinks and ./a/../
//    spellings of one file are the same file), not by the text;
//  - an output's directory exists, is a directory and is writable; an existing output is a
//    regular file (replaced by rename), or a character device, FIFO or stdout (written as a
//    stream); a directory, block device or socket is refused.
// A command that fails (bad input, an exception anywhere) leaves no output and no temporary
// file: staged_outputs removes what it has not committed.
#pragma once

#include <hlskit/atomic_file.hpp>

#include <string>
#include <utility>
#include <vector>

namespace hlskit::cli {

class file_plan {
 public:
  // `option` names the file in messages ("--output", "--model (embedded default)", ...). Empty
  // paths are skipped (the option was not given).
  void input(const std::string& option, const std::string& path);
  void output(const std::string& option, const std::string& path);
  // Throws usage_error naming the option(s) and path(s) at the first violated rule.
  void check() const;

 private:
  struct entry {
    std::string option, path;
  };
  std::vector<entry> inputs_, outputs_;
};

// The command's outputs as one hlskit::file_group (host/include/hlskit/atomic_file.hpp): each
// staged file is written by name into a private directory beside its target, and commit() puts
// them all in place together (streams such as stdout or /dev/null are written, files renamed).
class staged_outputs {
 public:
  // A path for the caller to write; commit() puts it in place if it was written (a --trace file
  // is written only when a run fails).
  std::string stage(const std::string& path);
  // Every written file into place; usage_error naming the file if that fails.
  void commit();
  // `message` with every staged path replaced by its target (errors about staged files).
  std::string real_names(std::string message) const;

 private:
  hlskit::file_group group_;
  std::vector<std::pair<std::string, std::string>> names_;  // (staged, target)
};

}  // namespace hlskit::cli
