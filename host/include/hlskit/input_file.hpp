// The one file reader of hlskit: every input of every command (tensors, models, range files,
// data sets) is read through it, once, from one descriptor, with a bound.
//
//   - The file is opened once; everything hlskit learns about it comes from that descriptor, so a
//     file replaced mid-run cannot give two parts of one command two different contents, and
//     pipes and process substitution (`--model <(cat m.model)`) work.
//   - A regular file larger than the limit is refused before anything is read; a pipe or device
//     is refused as soon as it has delivered more than the limit.
//   - Text inputs refuse the first NUL byte ("binary data"), so /dev/zero or /dev/urandom given
//     as a model fails at once instead of filling memory.
//   - Errors are hlskit::file_error naming the path, what the file was expected to be, and why.
#pragma once

#include <hlskit/atomic_file.hpp>  // file_error

#include <cstddef>
#include <string>
#include <string_view>

namespace hlskit {

// Documented limits (README "Files"): text inputs (libsvm models and range files, CSV data
// sets, model JSON) at most 256 MiB; .npy tensors at most 8 GiB of data, checked against the
// size their header declares before the body is read.
inline constexpr std::size_t max_text_input_bytes = std::size_t{256} << 20;
inline constexpr std::size_t max_tensor_input_bytes = std::size_t{8} << 30;

class input_file {
 public:
  // `what` names the expected content in errors, e.g. "a libsvm model file".
  input_file(const std::string& path, std::string_view what);
  ~input_file();
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;

  const std::string& path() const { return path_; }
  // The size of a regular file, or -1 for a pipe or device.
  long long size() const { return size_; }
  // Up to n bytes (fewer only at the end of the file).
  std::string read(std::size_t n);
  // Everything left, at most max_bytes (else file_error); text: a NUL byte is an error.
  std::string read_rest(std::size_t max_bytes, bool text);

 private:
  std::string path_, what_;
  int fd_ = -1;
  long long size_ = -1;
  std::size_t offset_ = 0;
};

// The whole of a text file, bounded by max_text_input_bytes.
std::string read_text_file(const std::string& path, std::string_view what);

}  // namespace hlskit
