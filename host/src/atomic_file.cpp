#include <hlskit/atomic_file.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace hlskit {

std::optional<atomic_write_failure> write_atomically(const std::string& path,
                                                     const std::function<bool(const std::string&)>& write_to) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path target(path);
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    tmp = (target.parent_path() / fmt::format(".{}.tmp-{}-{}", target.filename().string(), ::getpid(), counter++))
              .string();
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return atomic_write_failure{true, tmp, errno};
  ::close(fd);
  int err = 0;
  errno = 0;
  if (!write_to(tmp)) err = errno != 0 ? errno : EIO;
  if (err == 0) {  // writers close their own streams; sync through a second descriptor
    fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) err = errno;
    if (fd >= 0) ::close(fd);
  }
  if (err == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err == 0) return std::nullopt;
  ::unlink(tmp.c_str());
  return atomic_write_failure{false, tmp, err};
}

std::optional<atomic_write_failure> write_atomically(const std::string& path, std::string_view bytes) {
  return write_atomically(path, [&](const std::string& tmp) {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return false;
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const int saved = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written) errno = saved;
    return written && closed;
  });
}

}  // namespace hlskit
