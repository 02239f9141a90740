// The one writer (hlskit/atomic_file.hpp) and the one reader (hlskit/input_file.hpp) under the
// conditions a careful operator meets: device nodes, FIFOs, stdout, symlinks, read-only and
// foreign-owned files, another user racing the temporary file, signals between two files of a
// group, concurrent writers of one group, endless and oversized inputs. Every device node and
// FIFO is created by the test in its own temporary folder; the machine's /dev/null and /dev/full
// are never written.
#include <hlskit/atomic_file.hpp>
#include <hlskit/input_file.hpp>
#include <hlskit/npy.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

class file_safety : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "hlskit-file-safety-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void put(const std::string& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
  std::vector<std::string> temporaries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().filename().string().find(".tmp-") != std::string::npos) out.push_back(e.path().string());
    return out;
  }
  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }
  static bool root() { return ::geteuid() == 0; }

  std::string dir_;
};

// ---- 1. what is replaced, and what is written as a stream ----------------------------------------

TEST_F(file_safety, a_character_device_is_written_as_a_stream_and_stays_a_device) {
  if (!root()) GTEST_SKIP() << "mknod of a character device needs root: not run";
  const std::string null = path("null");
  ASSERT_EQ(::mknod(null.c_str(), S_IFCHR | 0666, ::makedev(1, 3)), 0) << std::strerror(errno);
  hlskit::write_file(null, std::string("payload"));
  struct stat st {};
  ASSERT_EQ(::lstat(null.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the device node was replaced";
  EXPECT_EQ(::major(st.st_rdev), 1u);
  EXPECT_EQ(::minor(st.st_rdev), 3u);
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(file_safety, a_full_device_gives_an_error_and_stays_a_device) {
  if (!root()) GTEST_SKIP() << "mknod of a character device needs root: not run";
  const std::string full = path("full");
  ASSERT_EQ(::mknod(full.c_str(), S_IFCHR | 0666, ::makedev(1, 7)), 0) << std::strerror(errno);
  const std::string e = error_of([&] { hlskit::write_file(full, std::string("payload")); });
  EXPECT_NE(e.find(full + ": cannot write: No space left on device"), std::string::npos) << e;
  struct stat st {};
  ASSERT_EQ(::lstat(full.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(file_safety, a_block_device_is_refused) {
  if (!root()) GTEST_SKIP() << "mknod of a block device needs root: not run";
  const std::string block = path("loop");
  ASSERT_EQ(::mknod(block.c_str(), S_IFBLK | 0600, ::makedev(7, 200)), 0) << std::strerror(errno);
  const std::string e = error_of([&] { hlskit::write_file(block, std::string("x")); });
  EXPECT_NE(e.find("is a block device: refused"), std::string::npos) << e;
}

TEST_F(file_safety, a_fifo_is_written_as_a_stream_and_its_reader_gets_every_byte) {
  const std::string fifo = path("p.npy");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  // The reader opens the FIFO; the writer refuses a FIFO nobody reads, so wait until it is open.
  std::string payload(200000, 'x');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
  for (int attempt = 0;; ++attempt) {
    const std::string e = error_of([&] { hlskit::write_file(fifo, payload); });
    if (e.empty()) break;
    ASSERT_NE(e.find("is a FIFO that nobody reads"), std::string::npos) << e;
    ASSERT_LT(attempt, 500) << e;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader.join();
  EXPECT_EQ(got, payload);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced";
}

TEST_F(file_safety, a_fifo_without_a_reader_is_an_error_not_a_hang) {
  const std::string fifo = path("p.npy");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
  const std::string e = error_of([&] { hlskit::write_file(fifo, std::string("x")); });
  EXPECT_EQ(e, fifo + ": is a FIFO that nobody reads: No such device or address");
}

TEST_F(file_safety, stdout_is_written_as_a_stream_and_the_link_stays) {
  // Standard output redirected to a pipe for the duration of the write.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  ASSERT_EQ(::dup2(pipe_fds[1], STDOUT_FILENO), STDOUT_FILENO);
  std::string e1 = error_of([] { hlskit::write_file("/dev/stdout", std::string("via /dev/stdout;")); });
  std::string e2 = error_of([] { hlskit::write_file("/dev/fd/1", std::string("via /dev/fd/1;")); });
  std::string e3 = error_of([] { hlskit::write_file("-", std::string("via -")); });
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(pipe_fds[1]);
  std::string got;
  char buffer[256];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) got.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  EXPECT_EQ(e1 + e2 + e3, "");
  EXPECT_EQ(got, "via /dev/stdout;via /dev/fd/1;via -");
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/stdout", &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(file_safety, a_symlink_is_followed_and_its_target_replaced) {
  put(path("target.npy"), "old data");
  ASSERT_EQ(::symlink("target.npy", path("link.npy").c_str()), 0);
  hlskit::write_file(path("link.npy"), std::string("new data"));
  struct stat st {};
  ASSERT_EQ(::lstat(path("link.npy").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced by a file";
  EXPECT_EQ(slurp(path("target.npy")), "new data");
  // A dangling link creates its target; a chain of links is followed to the end.
  ASSERT_EQ(::symlink("missing.npy", path("dangling.npy").c_str()), 0);
  ASSERT_EQ(::symlink("dangling.npy", path("chain.npy").c_str()), 0);
  hlskit::write_file(path("chain.npy"), std::string("created"));
  EXPECT_EQ(slurp(path("missing.npy")), "created");
  // A loop is an error.
  ASSERT_EQ(::symlink("loop_b", path("loop_a").c_str()), 0);
  ASSERT_EQ(::symlink("loop_a", path("loop_b").c_str()), 0);
  EXPECT_EQ(error_of([&] { hlskit::write_file(path("loop_a"), std::string("x")); }),
            path("loop_a") + ": too many levels of symbolic links");
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(file_safety, a_directory_is_refused) {
  EXPECT_EQ(error_of([&] { hlskit::write_file(dir_, std::string("x")); }), dir_ + ": is a directory; expected a file name");
  EXPECT_EQ(error_of([&] { hlskit::write_file(dir_ + "/", std::string("x")); }),
            dir_ + "/: names a directory; expected a file name");
  const std::string missing = path("nodir/y.npy");
  EXPECT_EQ(error_of([&] { hlskit::write_file(missing, std::string("x")); }),
            missing + ": directory '" + path("nodir") + "': No such file or directory");
}

// ---- 2. permissions and ownership -----------------------------------------------------------------

TEST_F(file_safety, mode_owner_and_group_are_kept) {
  for (mode_t mode : {0600, 0664, 0640, 0666, 0620}) {
    const std::string p = path("out.npy");
    put(p, "old");
    ASSERT_EQ(::chmod(p.c_str(), mode), 0);
    if (root()) ASSERT_EQ(::chown(p.c_str(), 12345, 23456), 0);
    hlskit::write_file(p, std::string("new"));
    struct stat st {};
    ASSERT_EQ(::stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, mode) << std::oct << mode;
    if (root()) {
      EXPECT_EQ(st.st_uid, 12345u);
      EXPECT_EQ(st.st_gid, 23456u);
    }
    EXPECT_EQ(slurp(p), "new");
  }
  if (!root()) std::cout << "(not root: ownership of a foreign file is not tested)\n";
}

TEST_F(file_safety, a_read_only_target_is_refused_even_for_root) {
  const std::string p = path("ro.npy");
  put(p, "keep me");
  ASSERT_EQ(::chmod(p.c_str(), 0444), 0);
  EXPECT_EQ(error_of([&] { hlskit::write_file(p, std::string("new")); }),
            p + ": is read-only (mode 0444): refused; make it writable or choose another output");
  EXPECT_EQ(slurp(p), "keep me");
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0444u);
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(file_safety, a_new_file_gets_the_umask_mode) {
  const mode_t old = ::umask(027);
  hlskit::write_file(path("new.npy"), std::string("x"));
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(path("new.npy").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// ---- 3. the temporary file --------------------------------------------------------------------------

// Another user of a shared 0777 directory keeps replacing every temporary file it sees with a
// symlink to a file of root's. The writer creates its temporary once (O_EXCL | O_NOFOLLOW), writes
// through that descriptor, checks before the rename that the name is still its file, and never
// follows another user's link in a world-writable directory: the protected file is never written,
// whatever the timing. The attacker is a thread with another file-system uid (setfsuid is
// per thread), so the test needs root.
TEST_F(file_safety, a_temporary_swapped_for_a_symlink_never_writes_through_it) {
  if (!root()) GTEST_SKIP() << "acting as a second user (setfsuid) needs root: not run";
  ASSERT_EQ(::chmod(dir_.c_str(), 0777), 0);
  const std::string secret = path("secret");
  put(secret, "root only");
  ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
  std::atomic<bool> stop{false};
  std::atomic<int> swaps{0};
  std::thread attacker([&] {
    ::setfsuid(12345);
    while (!stop) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(dir_, ec)) {
        const std::string name = e.path().filename().string();
        if (name.find(".tmp-") == std::string::npos) continue;
        const std::string t = e.path().string();
        if (::unlink(t.c_str()) == 0 && ::symlink(secret.c_str(), t.c_str()) == 0) ++swaps;
      }
    }
  });
  int failures = 0;
  const std::string payload(1 << 16, 'A');
  for (int i = 0; i < 300; ++i) {
    try {
      hlskit::write_file(path("out.npy"), payload);
    } catch (const hlskit::file_error& e) {
      // A swapped temporary is detected before the rename; a link the attacker got into place
      // is not followed by the next write. Either is a clear error, never a write through it.
      const std::string what = e.what();
      EXPECT_TRUE(what.find("was replaced by another process: refused") != std::string::npos ||
                  what.find("is a symbolic link of another user (uid 12345)") != std::string::npos ||
                  what.find("cannot rename") != std::string::npos)
          << what;
      ++failures;
    }
  }
  stop = true;
  attacker.join();
  EXPECT_EQ(slurp(secret), "root only") << swaps << " swaps, " << failures << " failed writes";
  std::cout << swaps << " temporaries swapped for symlinks, " << failures << " writes failed, secret intact\n";
}

TEST_F(file_safety, temporary_names_fit_the_name_limit) {
  const std::string name(255, 'n');  // the longest name a file may have
  hlskit::write_file(path(name), std::string("x"));
  EXPECT_EQ(slurp(path(name)), "x");
  hlskit::write_file(path(name), std::string("y"));  // replacing it: the temporary's name must fit too
  EXPECT_EQ(slurp(path(name)), "y");
  EXPECT_TRUE(temporaries().empty());
}

// A process killed by SIGINT or SIGTERM while a group is half written leaves no temporary and no
// target: the signal arrives between the model and the range file (the second file's content is
// being produced), the way `hlskit train svm` writes them.
TEST_F(file_safety, a_signal_between_two_files_of_a_group_leaves_nothing) {
  for (int sig : {SIGINT, SIGTERM}) {
    put(path("m.model"), "old model");
    put(path("m.range"), "old range");
    std::fflush(nullptr);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      hlskit::file_group g;
      g.add(path("m.model"), std::string("new model"));
      g.add(path("m.range"), [sig](int, const std::string&) {
        ::raise(sig);
        return true;
      });
      g.commit();
      ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "status " << status;
    EXPECT_EQ(slurp(path("m.model")), "old model");
    EXPECT_EQ(slurp(path("m.range")), "old range");
    EXPECT_TRUE(temporaries().empty()) << temporaries().front();
  }
}

TEST_F(file_safety, a_failed_group_leaves_every_target_as_it_was) {
  put(path("labels.npy"), "old labels");
  hlskit::file_group g;
  g.add(path("labels.npy"), std::string("new labels"));
  const std::string e = error_of([&] { g.add(path("nodir/decision.npy"), std::string("d")); });
  EXPECT_NE(e.find("No such file or directory"), std::string::npos) << e;
  EXPECT_EQ(slurp(path("labels.npy")), "old labels");
  EXPECT_EQ(error_of([&] { g.add(path("labels.npy"), std::string("again")); }),
            path("labels.npy") + ": is the same file as the output '" + path("labels.npy") + "'");
}

// Two processes writing the same pair over and over: every time both have finished, the pair on
// disk is one process's pair, never a mix.
TEST_F(file_safety, concurrent_groups_never_mix_their_files) {
  std::fflush(nullptr);
  for (int round = 0; round < 40; ++round) {
    pid_t children[2];
    for (int c = 0; c < 2; ++c) {
      children[c] = ::fork();
      ASSERT_GE(children[c], 0);
      if (children[c] == 0) {
        const std::string tag = std::to_string(c) + ":" + std::to_string(round);
        hlskit::file_group g;
        g.add(path("m.model"), "model " + tag);
        g.add(path("m.range"), "range " + tag);
        g.commit();
        ::_exit(0);
      }
    }
    for (pid_t c : children) {
      int status = 0;
      ASSERT_EQ(::waitpid(c, &status, 0), c);
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    const std::string model = slurp(path("m.model")), range = slurp(path("m.range"));
    ASSERT_EQ(model.substr(6), range.substr(6)) << "round " << round << ": " << model << " with " << range;
  }
}

// ---- 5. reading: once, bounded ------------------------------------------------------------------------

TEST_F(file_safety, endless_inputs_are_refused_at_once) {
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of([] { hlskit::read_text_file("/dev/zero", "a libsvm model file"); }),
            "/dev/zero: byte 0 is NUL (binary data): expected a libsvm model file (text)");
  const std::string e = error_of([] { hlskit::read_text_file("/dev/urandom", "an svm-scale range file"); });
  EXPECT_NE(e.find("is NUL (binary data): expected an svm-scale range file (text)"), std::string::npos) << e;
  EXPECT_EQ(error_of([] { hlskit::npy::read("/dev/zero"); }).rfind("/dev/zero: byte 0: expected the .npy magic string", 0),
            0u);
  EXPECT_NE(error_of([] { hlskit::npy::read("/dev/urandom"); }).find("expected the .npy magic string"), std::string::npos);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
}

TEST_F(file_safety, oversized_inputs_are_refused_before_reading) {
  const std::string big = path("big.model");
  put(big, "");
  ASSERT_EQ(::truncate(big.c_str(), static_cast<off_t>(hlskit::max_text_input_bytes) + 1), 0);
  EXPECT_EQ(error_of([&] { hlskit::read_text_file(big, "a libsvm model file"); }),
            big + ": 268435457 bytes: larger than the 256 MiB a libsvm model file may have");
  // An .npy header declaring more than the limit, in a small file: refused from the header alone.
  const std::string npy = path("huge.npy");
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }";
  header.resize(118, ' ');
  header += '\n';
  put(npy, std::string("\x93NUMPY\x01\x00", 8) + std::string(1, static_cast<char>(header.size() & 0xff)) +
               std::string(1, static_cast<char>(header.size() >> 8)) + header);
  const std::string e = error_of([&] { hlskit::npy::read(npy); });
  EXPECT_NE(e.find("at most 8 GiB of data"), std::string::npos) << e;
}

TEST_F(file_safety, pipes_are_read_like_files) {
  const std::string npy = path("x.npy");
  hlskit::npy::write(npy, {2, 3}, std::vector<double>{1, 2, 3, 4, 5, 6});
  const std::string fifo = path("x.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
  const std::string bytes = slurp(npy);
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
  const auto a = hlskit::npy::read(fifo);
  writer.join();
  EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(a.as<double>(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

}  // namespace

namespace {

// stage(): a file written by name later (the cosim's waveform) goes into a private directory and
// is renamed into place at commit, or skipped when it was never written.
TEST_F(file_safety, staged_files_are_renamed_when_written_and_skipped_when_not) {
  put(path("old.fst"), "old");
  ASSERT_EQ(::chmod(path("old.fst").c_str(), 0640), 0);
  {
    hlskit::file_group g;
    const std::string written = g.stage(path("old.fst"));
    const std::string unwritten = g.stage(path("never.fst"));
    EXPECT_EQ(written.rfind(dir_ + "/.old.fst.tmp-", 0), 0u) << written;
    struct stat st {};
    ASSERT_EQ(::stat(written.substr(0, written.find_last_of('/')).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    put(written, "new waveform");
    g.add(path("report.json"), std::string("{}"));
    g.commit();
    (void)unwritten;
  }
  EXPECT_EQ(slurp(path("old.fst")), "new waveform");
  struct stat st {};
  ASSERT_EQ(::stat(path("old.fst").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_FALSE(fs::exists(path("never.fst")));
  EXPECT_TRUE(temporaries().empty()) << temporaries().front();
}

}  // namespace
