// Issue 10 through the command line, as an operator meets it: outputs on device nodes, FIFOs,
// stdout and symlinks; kept and refused permissions; a model and range file that belong together;
// models read once (process substitution); endless inputs; a full standard output. Every device
// node and FIFO is created in the test's own folder; the machine's /dev/null and /dev/full are
// never an output here.
#include "cli_test.hpp"

#include <hlskit/npy.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace npy = hlskit::npy;
using hlskit::test::slurp;

namespace {

const std::string models = HLSKIT_MODELS_DIR;
const std::string svm_model = models + "/svm/breast_cancer.model";
const std::string svm_range = models + "/svm/breast_cancer.range";

class CliFiles : public hlskit::test::cli_test {
 protected:
  void SetUp() override {
    cli_test::SetUp();
    npy::write(path("x.npy"), {3, 64}, std::vector<std::uint8_t>(3 * 64, 7));
  }
  std::string q(const std::string& name) const { return "'" + path(name) + "'"; }
  std::string csim_to(const std::string& out) const { return "csim autoencoder --input " + q("x.npy") + " --output '" + out + "'"; }
  static bool root() { return ::geteuid() == 0; }
  mode_t mode_of(const std::string& name) const {
    struct stat st {};
    return ::lstat(path(name).c_str(), &st) == 0 ? st.st_mode : 0;
  }
  // The latents csim writes for x.npy, as bytes of an .npy file.
  std::string expected_latents() const {
    const auto r = run(csim_to(path("reference.npy")));
    EXPECT_EQ(r.status, 0) << r.err;
    return slurp(path("reference.npy"));
  }
};

TEST_F(CliFiles, OutputOnACharacterDeviceStaysADevice) {
  if (!root()) GTEST_SKIP() << "mknod needs root: not run";
  ASSERT_EQ(::mknod(path("null").c_str(), S_IFCHR | 0666, ::makedev(1, 3)), 0);
  const auto r = run(csim_to(path("null")));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(S_ISCHR(mode_of("null"))) << "the device node was replaced";
  // A full device: the write fails, exit 2, the node stays.
  ASSERT_EQ(::mknod(path("full").c_str(), S_IFCHR | 0666, ::makedev(1, 7)), 0);
  const auto f = run(csim_to(path("full")));
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.err.find(path("full") + ": cannot write: No space left on device"), std::string::npos) << f.err;
  EXPECT_TRUE(S_ISCHR(mode_of("full")));
}

TEST_F(CliFiles, OutputOnAFifoReachesItsReader) {
  const std::string expected = expected_latents();
  ASSERT_EQ(::mkfifo(path("p.npy").c_str(), 0666), 0);
  std::string got;
  std::thread reader([&] { got = slurp(path("p.npy")); });
  // hlskit refuses a FIFO nobody reads (exit 2, nothing written): run it until the reader is there.
  hlskit::test::outcome r;
  for (int attempt = 0; attempt < 200; ++attempt) {
    r = run(csim_to(path("p.npy")));
    if (r.status != 2 || r.err.find("is a FIFO that nobody reads") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader.join();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(S_ISFIFO(mode_of("p.npy"))) << "the FIFO was replaced";
  // Nobody reading: an error, not a hang.
  const auto lonely = run(csim_to(path("p.npy")));
  EXPECT_EQ(lonely.status, 2);
  EXPECT_NE(lonely.err.find("is a FIFO that nobody reads"), std::string::npos) << lonely.err;
}

TEST_F(CliFiles, OutputOnStdoutCarriesTheDataAndTheSummaryGoesToStderr) {
  const std::string expected = expected_latents();
  for (const char* out : {"/dev/stdout", "-", "/dev/fd/1"}) {
    const auto r = run(csim_to(out));
    EXPECT_EQ(r.status, 0) << out << ": " << r.err;
    EXPECT_EQ(r.out, expected) << out << ": stdout must hold exactly the .npy file";
    EXPECT_NE(r.err.find("csim autoencoder"), std::string::npos) << r.err;
  }
  struct stat st {};
  ASSERT_EQ(::lstat("/dev/stdout", &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(CliFiles, OutputThroughASymlinkReplacesItsTarget) {
  const std::string expected = expected_latents();
  std::ofstream(path("target.npy")) << "old";
  ASSERT_EQ(::symlink("target.npy", path("link.npy").c_str()), 0);
  const auto r = run(csim_to(path("link.npy")));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(S_ISLNK(mode_of("link.npy")));
  EXPECT_EQ(slurp(path("target.npy")), expected);
}

TEST_F(CliFiles, PermissionsAreKeptAndReadOnlyIsRefused) {
  for (mode_t m : {0600, 0664}) {
    std::ofstream(path("y.npy")) << "old";
    ASSERT_EQ(::chmod(path("y.npy").c_str(), m), 0);
    const auto r = run(csim_to(path("y.npy")));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(mode_of("y.npy") & 07777, m);
  }
  std::ofstream(path("ro.npy")) << "keep";
  ASSERT_EQ(::chmod(path("ro.npy").c_str(), 0444), 0);
  expect_rejected(csim_to(path("ro.npy")), {path("ro.npy"), "is read-only (mode 0444): refused"});
  EXPECT_EQ(slurp(path("ro.npy")), "keep");
  EXPECT_EQ(mode_of("ro.npy") & 07777, 0444u);
}

// The range file names its model: a model with another run's range file is refused, whichever
// way the pair was put together.
TEST_F(CliFiles, AMixedModelAndRangePairIsRefused) {
  npy::write(path("f.npy"), {2, 30}, std::vector<double>(60, 1.0));
  const auto a = run("train svm --seed 1 --output " + q("a.model"));
  ASSERT_EQ(a.status, 0) << a.err;
  const auto b = run("train svm --seed 2 --kernel-type linear --output " + q("b.model"));
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(run("csim svm --model " + q("a.model") + " --input " + q("f.npy")).status, 0);
  expect_rejected("csim svm --model " + q("a.model") + " --scale " + q("b.range") + " --input " + q("f.npy"),
                  {path("b.range") + ": belongs to the model with hash", "not " + path("a.model"),
                   "come from different training runs"});
  std::filesystem::copy_file(path("b.range"), path("a.range"), std::filesystem::copy_options::overwrite_existing);
  expect_rejected("cosim svm --model " + q("a.model") + " --vectors 100", {"come from different training runs"});
}

// Process substitution: the model is a pipe, read once.
TEST_F(CliFiles, AModelFromAPipeIsReadOnce) {
  npy::write(path("f.npy"), {2, 30}, std::vector<double>(60, 1.0));
  const std::string line = "bash -c \"'" + std::string(HLSKIT_TOOL) + "' csim svm --model <(cat '" + svm_model +
                           "') --scale <(cat '" + svm_range + "') --input " + q("f.npy") + "\" >" + q("out.txt") +
                           " 2>&1";
  const int raw = std::system(line.c_str());
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << slurp(path("out.txt"));
  EXPECT_NE(slurp(path("out.txt")).find("labels equal to libsvm's (svm_predict_values, float): 2 of 2"),
            std::string::npos)
      << slurp(path("out.txt"));
}

TEST_F(CliFiles, EndlessInputsAreRefusedAtOnce) {
  const auto t0 = std::chrono::steady_clock::now();
  expect_rejected("csim autoencoder --input /dev/zero --output " + q("y.npy"),
                  {"/dev/zero: byte 0: expected the .npy magic string"});
  expect_rejected("csim svm --model /dev/zero --input " + q("x.npy"), {"/dev/zero: byte 0 is NUL (binary data)"});
  expect_rejected("csim svm --model " + svm_model + " --scale /dev/urandom --input " + q("x.npy"),
                  {"/dev/urandom: byte", "is NUL (binary data): expected an svm-scale range file (text)"});
  expect_rejected("train svm --dataset /dev/zero --output " + q("m.model"), {"/dev/zero: byte 0 is NUL"});
  expect_rejected("csim autoencoder --model /dev/urandom --input " + q("x.npy"), {"/dev/urandom: byte"});
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
}

TEST_F(CliFiles, AFullStandardOutputIsAnError) {
  if (!root()) GTEST_SKIP() << "mknod needs root: not run";
  ASSERT_EQ(::mknod(path("full").c_str(), S_IFCHR | 0666, ::makedev(1, 7)), 0);
  for (const std::string& args : std::vector<std::string>{"list", "--help", "csim autoencoder --input " + q("x.npy")}) {
    const std::string line = "'" + std::string(HLSKIT_TOOL) + "' " + args + " >" + q("full") + " 2>" + q("err.txt");
    const int raw = std::system(line.c_str());
    EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) != 0) << args;
    EXPECT_NE(slurp(path("err.txt")).find("hlskit: cannot write to standard output: No space left on device"),
              std::string::npos)
        << args << ": " << slurp(path("err.txt"));
  }
}

}  // namespace
