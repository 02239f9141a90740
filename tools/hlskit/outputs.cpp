#include "outputs.hpp"

#include "kernels.hpp"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace hlskit::cli {

namespace {

namespace fs = std::filesystem;

// What a path resolves to: the directory entry (parent's device and inode, and the name) and,
// when the file exists, the file itself.
struct identity {
  bool has_entry = false;
  dev_t dir_dev = 0;
  ino_t dir_ino = 0;
  std::string name;
  bool has_file = false;
  dev_t dev = 0;
  ino_t ino = 0;
  bool is_regular = false, is_directory = false, is_stream = false;

  bool same_as(const identity& o) const {
    return (has_file && o.has_file && dev == o.dev && ino == o.ino) ||
           (has_entry && o.has_entry && dir_dev == o.dir_dev && dir_ino == o.dir_ino && name == o.name);
  }
};

std::string parent_of(const std::string& path) {
  const fs::path p = fs::path(path).parent_path();
  return p.empty() ? std::string(".") : p.string();
}

identity identify(const std::string& path) {
  identity id;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    id.has_file = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.is_regular = S_ISREG(st.st_mode);
    id.is_directory = S_ISDIR(st.st_mode);
    id.is_stream = S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode);
  }
  const std::string name = fs::path(path).filename().string();
  struct stat dir {};
  if (!name.empty() && name != "." && name != ".." && ::stat(parent_of(path).c_str(), &dir) == 0 &&
      S_ISDIR(dir.st_mode)) {
    id.has_entry = true;
    id.dir_dev = dir.st_dev;
    id.dir_ino = dir.st_ino;
    id.name = name;
  }
  return id;
}

}  // namespace

void file_plan::input(const std::string& option, const std::string& path) {
  if (!path.empty()) inputs_.push_back({option, path});
}

void file_plan::output(const std::string& option, const std::string& path) {
  if (!path.empty()) outputs_.push_back({option, path});
}

void file_plan::check() const {
  std::vector<identity> out_ids;
  for (const auto& o : outputs_) {
    if (hlskit::descriptor_of(o.path) >= 0) continue;  // standard output, /dev/fd/N: a stream
    const identity id = identify(o.path);
    if (id.is_directory || (!id.has_file && !id.has_entry && fs::path(o.path).filename().empty()))
      throw usage_error(fmt::format("{}: '{}' is a directory, expected a file name", o.option, o.path));
    if (id.has_file && !id.is_regular && !id.is_stream)
      throw usage_error(fmt::format("{}: '{}' exists and is not a regular file, character device or FIFO "
                                    "(a directory, block device or socket is never written)",
                                    o.option, o.path));
    if (id.is_stream) {  // stdout, /dev/null, a FIFO: written as a stream, and never an input
      for (const auto& in : inputs_)
        if (id.same_as(identify(in.path)))
          throw usage_error(fmt::format("{} '{}' is the same file as {} '{}': an output may not overwrite an input",
                                        o.option, o.path, in.option, in.path));
      continue;
    }
    const std::string dir = parent_of(o.path);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
      throw usage_error(fmt::format("{}: cannot write '{}': directory '{}' {}", o.option, o.path, dir,
                                    errno == ENOENT ? "does not exist" : std::strerror(errno)));
    if (!S_ISDIR(st.st_mode))
      throw usage_error(fmt::format("{}: cannot write '{}': '{}' is not a directory", o.option, o.path, dir));
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
      throw usage_error(fmt::format("{}: cannot write '{}': directory '{}' is not writable ({})", o.option, o.path, dir,
                                    std::strerror(errno)));
    for (std::size_t k = 0; k < out_ids.size(); ++k)
      if (id.same_as(out_ids[k]))
        throw usage_error(fmt::format("{} '{}' and {} '{}' are the same file: every output needs its own file",
                                      outputs_[k].option, outputs_[k].path, o.option, o.path));
    for (const auto& in : inputs_)
      if (id.same_as(identify(in.path)))
        throw usage_error(fmt::format("{} '{}' is the same file as {} '{}': an output may not overwrite an input",
                                      o.option, o.path, in.option, in.path));
    out_ids.push_back(id);
  }
}

std::string staged_outputs::stage(const std::string& path) {
  try {
    names_.emplace_back(group_.stage(path), path);
  } catch (const hlskit::file_error& e) {
    throw usage_error(e.what());
  }
  return names_.back().first;
}

std::string staged_outputs::real_names(std::string message) const {
  for (const auto& [staged, target] : names_)
    for (std::size_t at = message.find(staged); at != std::string::npos; at = message.find(staged, at + target.size()))
      message.replace(at, staged.size(), target);
  return message;
}

void staged_outputs::commit() {
  try {
    group_.commit();
  } catch (const hlskit::file_error& e) {
    throw usage_error(real_names(e.what()));
  }
}

}  // namespace hlskit::cli
