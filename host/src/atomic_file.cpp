#include <hlskit/atomic_file.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>

namespace hlskit {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw file_error(path + ": " + what); }
[[noreturn]] void fail_errno(const std::string& path, const std::string& what, int error) {
  fail(path, what + ": " + std::strerror(error));
}

// ---- temporary files removed on SIGINT / SIGTERM / SIGHUP ---------------------------------------
// A fixed table of names, so the handler only touches memory that exists and calls unlink(2),
// which is async-signal-safe.
constexpr int max_live_temporaries = 64;
constexpr std::size_t max_path = 4096;
struct live_slot {
  std::atomic<bool> claimed{false};  // taken by a writer
  std::atomic<bool> used{false};     // path (and dir) complete: the handler may remove them
  char path[max_path];
  char dir[max_path];  // stage(): its private directory, removed after the file
};
live_slot live_temporaries[max_live_temporaries];
constexpr int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_temporaries_and_die(int sig) {
  for (auto& slot : live_temporaries)
    if (slot.used.load()) {
      ::unlink(slot.path);
      if (slot.dir[0] != '\0') ::rmdir(slot.dir);
    }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_cleanup_handlers() {
  static const bool installed = [] {
    for (int sig : cleanup_signals) {
      struct sigaction old {};
      if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;  // keep SIG_IGN (nohup) and user handlers
      struct sigaction sa {};
      sa.sa_handler = remove_temporaries_and_die;
      sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
    return true;
  }();
  (void)installed;
}

int register_temporary(const std::string& path, const std::string& dir = {}) {
  install_cleanup_handlers();
  if (path.size() >= max_path || dir.size() >= max_path) return -1;
  for (int i = 0; i < max_live_temporaries; ++i) {
    bool expected = false;
    auto& slot = live_temporaries[i];
    if (!slot.claimed.compare_exchange_strong(expected, true)) continue;
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    std::memcpy(slot.dir, dir.c_str(), dir.size() + 1);
    slot.used.store(true);
    return i;
  }
  return -1;  // more than 64 at once: still written safely, only not removed on a signal
}
void unregister_temporary(int slot) {
  if (slot < 0) return;
  live_temporaries[slot].used.store(false);
  live_temporaries[slot].claimed.store(false);
}

// Blocks the cleanup signals for its lifetime (the renames of a group).
class signals_held {
 public:
  signals_held() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : cleanup_signals) sigaddset(&set, sig);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~signals_held() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

// ---- what the path names ------------------------------------------------------------------------
struct target {
  enum class kind { file, stream_fd, stream_open } how = kind::file;
  std::string path;     // the file finally named (symlinks followed), absolute
  std::string dir;      // its directory
  bool exists = false;
  struct stat st {};
  int fd = -1;          // stream_fd: the descriptor (e.g. 1 for /dev/stdout)
};

std::string dir_of(const std::string& p) {
  const auto slash = p.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}
std::string base_of(const std::string& p) {
  const auto slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}
std::string real_dir(const std::string& original, const std::string& dir) {
  char buffer[PATH_MAX];
  if (::realpath(dir.c_str(), buffer) == nullptr) fail_errno(original, fmt::format("directory '{}'", dir), errno);
  return buffer;
}

bool parse_fd(const std::string& s, int& fd) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  fd = std::stoi(s);
  return true;
}

target resolve(const std::string& path) {
  target t;
  if (path.empty()) fail("(empty path)", "expected a file name");
  if (path == "-") {
    t.how = target::kind::stream_fd;
    t.fd = STDOUT_FILENO;
    t.path = "standard output";
    return t;
  }
  if (path.back() == '/') fail(path, "names a directory; expected a file name");
  const std::string self_fd = fmt::format("/proc/{}/fd", ::getpid());
  std::string p = path;
  for (int hop = 0;; ++hop) {
    if (hop == 40) fail(path, "too many levels of symbolic links");
    const std::string dir = real_dir(path, dir_of(p)), base = base_of(p);
    if (base == "." || base == "..") fail(path, "names a directory; expected a file name");
    int fd = -1;
    if ((dir == self_fd || dir == "/proc/self/fd") && parse_fd(base, fd)) {  // /dev/stdout, /dev/fd/N
      if (::fcntl(fd, F_GETFD) < 0) fail_errno(path, fmt::format("descriptor {}", fd), errno);
      t.how = target::kind::stream_fd;
      t.fd = fd;
      t.path = path;
      return t;
    }
    const std::string full = dir == "/" ? "/" + base : dir + "/" + base;
    if (::lstat(full.c_str(), &t.st) != 0) {
      if (errno != ENOENT) fail_errno(path, "cannot inspect the target", errno);
      t.path = full;
      t.dir = dir;
      return t;  // a new file
    }
    if (S_ISLNK(t.st.st_mode)) {
      // fs.protected_symlinks' rule, applied to every world-writable directory (sticky or not):
      // a link there is followed only when it belongs to us or to the directory's owner, so
      // another user cannot point our output at a file of ours.
      struct stat d {};
      if (::stat(dir.c_str(), &d) == 0 && (d.st_mode & S_IWOTH) && t.st.st_uid != ::geteuid() && t.st.st_uid != d.st_uid)
        fail(path, fmt::format("is a symbolic link of another user (uid {}) in the world-writable directory {}: refused",
                               t.st.st_uid, dir));
      char text[PATH_MAX];
      const ssize_t n = ::readlink(full.c_str(), text, sizeof text - 1);
      if (n < 0) fail_errno(path, "cannot read the symbolic link", errno);
      text[n] = '\0';
      p = text[0] == '/' ? std::string(text) : dir + "/" + text;
      continue;
    }
    t.path = full;
    t.dir = dir;
    t.exists = true;
    break;
  }
  const mode_t m = t.st.st_mode;
  const std::string shown = t.path == path ? path : fmt::format("{} (-> {})", path, t.path);
  if (S_ISDIR(m)) fail(shown, "is a directory; expected a file name");
  if (S_ISBLK(m)) fail(shown, "is a block device: refused (hlskit writes regular files, character devices, FIFOs and stdout)");
  if (S_ISSOCK(m)) fail(shown, "is a socket: refused");
  if (S_ISCHR(m) || S_ISFIFO(m)) {
    t.how = target::kind::stream_open;
    return t;
  }
  if (!S_ISREG(m)) fail(shown, "is not a regular file: refused");
  if ((m & 0222) == 0)
    fail(shown, fmt::format("is read-only (mode {:04o}): refused; make it writable or choose another output", m & 07777));
  if (::access(t.path.c_str(), W_OK) != 0) fail_errno(shown, "cannot be written", errno);
  return t;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// A library that writes by file name writes into an anonymous memory file; its bytes are then
// written like any others.
std::string capture(const std::string& path, const content_writer& write) {
  const int fd = ::memfd_create("hlskit-output", MFD_CLOEXEC);
  if (fd < 0) fail_errno(path, "cannot create a memory file for the content", errno);
  errno = 0;
  const bool ok = write(fd, fmt::format("/proc/self/fd/{}", fd));
  const int error = errno != 0 ? errno : EIO;
  std::string bytes;
  if (ok) {
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
      bytes.resize(static_cast<std::size_t>(st.st_size));
      std::size_t got = 0;
      while (got < bytes.size()) {
        const ssize_t n = ::pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
      }
      bytes.resize(got);
    }
  }
  ::close(fd);
  if (!ok) fail_errno(path, "cannot produce the content", error);
  return bytes;
}

std::string temporary_name(const std::string& dir, const std::string& base) {
  static std::mt19937_64 rng{std::random_device{}() ^ static_cast<std::uint64_t>(::getpid())};
  const std::string suffix = fmt::format(".tmp-{:012x}", rng() & 0xffffffffffffull);
  const std::size_t room = 255 - 1 - suffix.size();  // NAME_MAX: "." + NAME + suffix
  return dir + "/." + base.substr(0, room) + suffix;
}

}  // namespace

// ---- one pending output -------------------------------------------------------------------------
struct file_group::entry {
  std::string path;  // as given
  target t;
  std::string bytes;      // streams: written at commit
  std::string temporary;  // files: complete, synced, waiting for the rename
  std::string private_dir;  // stage(): the 0700 directory holding `temporary`, written by name later
  dev_t device = 0;       // the temporary's identity, checked again before the rename
  ino_t inode = 0;
  int slot = -1;

  ~entry() {
    if (!temporary.empty()) ::unlink(temporary.c_str());
    if (!private_dir.empty()) ::rmdir(private_dir.c_str());
    unregister_temporary(slot);
  }

  void prepare() {
    if (t.how != target::kind::file) return;
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
      temporary = temporary_name(t.dir, base_of(t.path));
      fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, t.exists ? 0600 : 0666);
      if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
      const int error = errno;
      const std::string tried = temporary;
      temporary.clear();
      fail_errno(path, fmt::format("cannot create the temporary file '{}' beside it", tried), error);
    }
    slot = register_temporary(temporary);
    int error = 0;
    struct stat own {};
    if (::fstat(fd, &own) != 0) error = errno;
    device = own.st_dev;
    inode = own.st_ino;
    if (t.exists) {  // keep the replaced file's owner, group and mode (owner first: chown clears set-id bits)
      if (::fchown(fd, t.st.st_uid, t.st.st_gid) != 0) (void)::fchown(fd, static_cast<uid_t>(-1), t.st.st_gid);
      if (::fchmod(fd, t.st.st_mode & 07777) != 0) error = errno;
    }
    if (error == 0 && !write_all(fd, bytes)) error = errno;
    if (error == 0 && ::fsync(fd) != 0) error = errno;
    if (::close(fd) != 0 && error == 0) error = errno;
    bytes.clear();
    bytes.shrink_to_fit();
    if (error != 0) fail_errno(path, "cannot write the file", error);
  }

  void finish() {
    if (!private_dir.empty() && t.how != target::kind::file) {  // stage() of a stream: its content, if written
      if (::access(temporary.c_str(), F_OK) != 0) return;
      const int fd = ::open(temporary.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) fail_errno(path, fmt::format("cannot read the staged file '{}'", temporary), errno);
      char buffer[1 << 16];
      for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) bytes.append(buffer, static_cast<std::size_t>(n));
      ::close(fd);
    }
    if (t.how == target::kind::stream_fd) {
      if (!write_all(t.fd, bytes)) fail_errno(path, "cannot write", errno);
      return;
    }
    if (t.how == target::kind::stream_open) {
      // A FIFO without a reader would block forever: O_NONBLOCK makes that an error (ENXIO).
      const int fd = ::open(t.path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0)
        fail_errno(path, errno == ENXIO ? "is a FIFO that nobody reads" : "cannot open the device or FIFO", errno);
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      const bool ok = write_all(fd, bytes);
      const int error = errno;
      ::close(fd);
      if (!ok) fail_errno(path, "cannot write", error);
      return;
    }
    struct stat now {};
    if (!private_dir.empty()) {  // stage(): written by name, or not at all
      if (::lstat(temporary.c_str(), &now) != 0) return;
      if (!S_ISREG(now.st_mode)) fail(path, fmt::format("the staged file '{}' is not a regular file: refused", temporary));
      device = now.st_dev;
      inode = now.st_ino;
      if (t.exists) {
        if (::chown(temporary.c_str(), t.st.st_uid, t.st.st_gid) != 0) (void)::chown(temporary.c_str(), static_cast<uid_t>(-1), t.st.st_gid);
        (void)::chmod(temporary.c_str(), t.st.st_mode & 07777);
      }
    }
    if (::lstat(temporary.c_str(), &now) != 0 || now.st_dev != device || now.st_ino != inode)
      fail(path, fmt::format("the temporary file '{}' was replaced by another process: refused", temporary));
    if (std::rename(temporary.c_str(), t.path.c_str()) != 0)
      fail_errno(path, fmt::format("cannot rename '{}' into place", temporary), errno);
    temporary.clear();
    unregister_temporary(slot);
    slot = -1;
    const int dir = ::open(t.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // make the rename durable
    if (dir >= 0) {
      (void)::fsync(dir);
      ::close(dir);
    }
  }
};

file_group::file_group() = default;
file_group::~file_group() = default;

void file_group::add(const std::string& path, std::string bytes) {
  auto e = std::make_unique<entry>();
  e->path = path;
  e->t = resolve(path);
  e->bytes = std::move(bytes);
  for (const auto& other : entries_)
    if (other->t.how == e->t.how && other->t.path == e->t.path && e->t.how != target::kind::stream_fd)
      fail(path, fmt::format("is the same file as the output '{}'", other->path));
  entries_.push_back(std::move(e));
  entries_.back()->prepare();
}

void file_group::add(const std::string& path, content_writer write) { add(path, capture(path, write)); }

std::string file_group::stage(const std::string& path) {
  auto e = std::make_unique<entry>();
  e->path = path;
  e->t = resolve(path);
  for (const auto& other : entries_)
    if (other->t.how == e->t.how && other->t.path == e->t.path && e->t.how != target::kind::stream_fd)
      fail(path, fmt::format("is the same file as the output '{}'", other->path));
  // Beside the target; a stream's content waits in the temporary-files directory.
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string where = e->t.how == target::kind::file ? e->t.dir : tmpdir != nullptr && *tmpdir ? tmpdir : "/tmp";
  std::string dir = temporary_name(where, e->t.how == target::kind::file ? base_of(e->t.path) : "hlskit-stream");
  if (::mkdir(dir.c_str(), 0700) != 0) fail_errno(path, fmt::format("cannot create the directory '{}' beside it", dir), errno);
  e->private_dir = dir;
  e->temporary = dir + "/" + (e->t.how == target::kind::file ? base_of(e->t.path).substr(0, 200) : std::string("content"));
  e->slot = register_temporary(e->temporary, dir);
  entries_.push_back(std::move(e));
  return entries_.back()->temporary;
}

void file_group::commit() {
  // Streams first (they can fail: /dev/full), then the renames, with the cleanup signals held and
  // every target directory locked, so that two processes writing the same group of files cannot
  // interleave their renames (a model of one run with the range file of the other).
  for (const auto& e : entries_)
    if (e->t.how != target::kind::file) e->finish();
  std::vector<std::string> dirs;
  for (const auto& e : entries_)
    if (e->t.how == target::kind::file) dirs.push_back(e->t.dir);
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::vector<int> locks;
  for (const auto& d : dirs) {
    const int fd = ::open(d.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && ::flock(fd, LOCK_EX) == 0) locks.push_back(fd);
    else if (fd >= 0) ::close(fd);
  }
  struct unlock {
    std::vector<int>& fds;
    ~unlock() {
      for (int fd : fds) ::close(fd);  // closing releases the flock
    }
  } release{locks};
  signals_held held;
  for (const auto& e : entries_)
    if (e->t.how == target::kind::file) e->finish();
}

int descriptor_of(const std::string& path) {
  try {
    const target t = resolve(path);
    return t.how == target::kind::stream_fd ? t.fd : -1;
  } catch (const file_error&) {
    return -1;
  }
}

void write_file(const std::string& path, std::string_view bytes) {
  file_group g;
  g.add(path, std::string(bytes));
  g.commit();
}

void write_file(const std::string& path, const content_writer& write) {
  file_group g;
  g.add(path, write);
  g.commit();
}

}  // namespace hlskit
