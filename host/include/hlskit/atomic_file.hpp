// The one file writer of hlskit: every output of every command goes through it.
//
// What it does with the target, by what is there now (lstat, following symlinks):
//   - nothing, or a regular file: replaced atomically. The content goes to a new temporary file in
//     the target's directory, created once with O_CREAT | O_EXCL | O_NOFOLLOW and written through
//     that one descriptor, fsync'ed, given the replaced file's mode (and owner and group, where
//     permitted), then renamed over the target. A reader sees the old file or the new one, never
//     a part. A read-only target (no write bit in its mode, or not writable by the caller) is
//     refused, as the shell and numpy.save refuse it.
//   - a symbolic link: followed (as numpy.save does); the file it finally names is replaced as
//     above and the link stays a link. A dangling link creates its target.
//   - standard output (/dev/stdout, /dev/fd/N, /proc/self/fd/N, or "-"): written as a stream to
//     that descriptor; the link is never replaced.
//   - a character device (/dev/null, a tty) or a FIFO: opened without O_CREAT / O_TRUNC and
//     written as a stream; never deleted, never replaced.
//   - a directory, a block device or a socket: refused with an error.
// On failure (including ENOSPC, EIO) the temporary file is removed and the target left as it was.
// On SIGINT, SIGTERM or SIGHUP every temporary file still open is removed before the process dies.
// Temporary names are ".NAME.tmp-RANDOM", NAME shortened so the whole stays within 255 bytes.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hlskit {

// A file that cannot be written (or read: input_file.hpp): the message names the path and cause.
class file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes the content into an open descriptor: `fd` itself, or the same file by the name `fd_path`
// (/proc/self/fd/N, for libraries that only take a file name). Returns false with errno set.
using content_writer = std::function<bool(int fd, const std::string& fd_path)>;

// The open descriptor a path names by the rules above ("-", /dev/stdout, /dev/fd/N, ...), or -1
// when it names a file, a device or nothing (or cannot be resolved).
int descriptor_of(const std::string& path);

// Writes one file by the rules above; throws file_error.
void write_file(const std::string& path, std::string_view bytes);
void write_file(const std::string& path, const content_writer& write);

// Files that belong together (a model and its range file; a command's outputs): each is written
// to its temporary file first; only when all are complete are they renamed, one after the other,
// with SIGINT / SIGTERM / SIGHUP held back between the first and the last rename. A failure before
// commit() leaves every target as it was. Streams (stdout, devices, FIFOs) are written at commit.
class file_group {
 public:
  file_group();
  file_group(const file_group&) = delete;
  file_group& operator=(const file_group&) = delete;
  ~file_group();  // removes what was not committed

  void add(const std::string& path, std::string bytes);
  void add(const std::string& path, content_writer write);
  // For a writer that can only write by name, later (a waveform written by the simulation): a
  // path inside a new private directory (mode 0700) beside the target. commit() renames the file
  // into place if it was written, and skips it if not; the directory is removed either way.
  std::string stage(const std::string& path);
  void commit();  // throws file_error; after a failure nothing more is renamed

 private:
  struct entry;
  std::vector<std::unique_ptr<entry>> entries_;
};

}  // namespace hlskit
