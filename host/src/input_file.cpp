#include <hlskit/input_file.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace hlskit {

input_file::input_file(const std::string& path, std::string_view what) : path_(path), what_(what) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) throw file_error(fmt::format("{}: cannot open {}: {}", path, what, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int error = errno;
    ::close(fd_);
    throw file_error(fmt::format("{}: cannot inspect {}: {}", path, what, std::strerror(error)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw file_error(fmt::format("{}: is a directory; expected {}", path, what));
  }
  if (S_ISREG(st.st_mode)) size_ = static_cast<long long>(st.st_size);
}

input_file::~input_file() {
  if (fd_ >= 0) ::close(fd_);
}

std::string input_file::read(std::size_t n) {
  // In chunks, so that a size declared by a header is only allocated as the bytes arrive.
  std::string out;
  char buffer[1 << 16];
  while (out.size() < n) {
    const ssize_t r = ::read(fd_, buffer, std::min(sizeof buffer, n - out.size()));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw file_error(fmt::format("{}: cannot read {}: {}", path_, what_, std::strerror(errno)));
    }
    if (r == 0) break;
    out.append(buffer, static_cast<std::size_t>(r));
  }
  offset_ += out.size();
  return out;
}

std::string input_file::read_rest(std::size_t max_bytes, bool text) {
  const auto too_large = [&](const std::string& size) {
    return file_error(fmt::format("{}: {}: larger than the {} MiB {} may have", path_, size, max_bytes >> 20, what_));
  };
  if (size_ >= 0 && static_cast<unsigned long long>(size_) > offset_ + max_bytes)
    throw too_large(fmt::format("{} bytes", size_));
  std::string out;
  if (size_ >= 0) out.reserve(static_cast<std::size_t>(size_) - offset_);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t r = ::read(fd_, buffer, sizeof buffer);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw file_error(fmt::format("{}: cannot read {}: {}", path_, what_, std::strerror(errno)));
    }
    if (r == 0) break;
    const auto n = static_cast<std::size_t>(r);
    if (text)
      if (const void* nul = std::memchr(buffer, '\0', n))
        throw file_error(fmt::format("{}: byte {} is NUL (binary data): expected {} (text)", path_,
                                     offset_ + out.size() + static_cast<std::size_t>(static_cast<const char*>(nul) - buffer),
                                     what_));
    if (out.size() + n > max_bytes) throw too_large(fmt::format("more than {} bytes", max_bytes));
    out.append(buffer, n);
  }
  offset_ += out.size();
  return out;
}

std::string read_text_file(const std::string& path, std::string_view what) {
  input_file f(path, what);
  return f.read_rest(max_text_input_bytes, true);
}

}  // namespace hlskit
