// Writing a file so that nobody ever sees it half-written: the content goes to a new temporary
// file beside it (created with O_EXCL, so the name is ours alone), which is synced and renamed
// over the target. On failure the temporary file is removed and the target left as it was.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hlskit {

struct atomic_write_failure {
  bool creating = false;  // true: the temporary file could not be created (`temporary` names it)
  std::string temporary;
  int error = 0;          // errno
};

// `write_to(temporary_path)` writes the content by path (libraries that take a file name) and
// returns false on failure, with errno set.
std::optional<atomic_write_failure> write_atomically(const std::string& path,
                                                     const std::function<bool(const std::string&)>& write_to);
std::optional<atomic_write_failure> write_atomically(const std::string& path, std::string_view bytes);

}  // namespace hlskit
