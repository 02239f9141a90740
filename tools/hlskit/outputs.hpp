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
//    regular file (never a directory or a device: outputs are replaced by rename).
// A command that fails (bad input, an exception anywhere) leaves no output and no temporary
// file: staged_outputs removes what it has not committed.
#pragma once

#include <string>
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

class staged_outputs {
 public:
  staged_outputs() = default;
  staged_outputs(const staged_outputs&) = delete;
  staged_outputs& operator=(const staged_outputs&) = delete;
  ~staged_outputs();  // removes every temporary file not committed

  // A fresh temporary path beside `path` for the caller to write; commit() renames it to `path`
  // if it was written (a --trace file is written only when a run fails).
  std::string stage(const std::string& path);
  // Renames every written temporary file into place, in staging order (stage the report last).
  // Throws usage_error naming the file if a rename fails (the rest are removed).
  void commit();
  // `message` with every temporary path replaced by its target (errors about staged files).
  std::string real_names(std::string message) const;

 private:
  struct staged {
    std::string target, temporary;
  };
  std::vector<staged> files_;
};

}  // namespace hlskit::cli
