// `hlskit cosim svm` on models at the capacity edges (issue 9, item 2), run as a user runs it:
// every model the reader accepts either runs in cosim (exit 0, zero mismatches) or is refused
// with one clear line before the simulation starts (exit 2). A model without support vectors
// (libsvm writes them: total_sv 0) used to end in a segmentation fault.
#include "../unit/cli_test.hpp"

#include <hlskit/npy.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

namespace npy = hlskit::npy;

namespace {

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

class CliSvmCosim : public hlskit::test::cli_test {
 protected:
  // Every run starts the RTL from a random initial state: a 0-SV or 1-SV model must not lean
  // on RAM words or registers it never wrote.
  void expect_passes(const std::string& args) const {
    const auto r = run(args + " --random-init 7");
    EXPECT_EQ(r.status, 0) << args << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
  }
};

// The model: linear, no support vectors, rho 0.25: every label -1, on both configs.
TEST_F(CliSvmCosim, ModelWithoutSupportVectors) {
  write_file(path("m.model"), "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 0\nrho 0.25\nlabel 1 -1\n"
                              "nr_sv 0 0\nSV\n");
  npy::write(path("x.npy"), {3, 2}, std::vector<double>{0.5, -1, 2, 0, -3, 7});
  for (const char* config : {"tiny", "default"}) {
    expect_passes(fmt::format("cosim svm --config {} --model '{}' --input '{}' --vectors 100", config, path("m.model"),
                              path("x.npy")));
    expect_passes(fmt::format("cosim svm --config {} --model '{}' --vectors 100", config, path("m.model")));
  }
  // Three classes, one of them without support vectors, the others with one each.
  write_file(path("k3.model"), "svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 3\ntotal_sv 2\nrho 0.1 -0.2 0.3\n"
                               "label 0 1 2\nnr_sv 1 0 1\nSV\n1 1 1:0.5 3:-0.25\n-1 -1 2:0.75\n");
  expect_passes(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("k3.model")));
}

// The maximum number of classes of `tiny` (4), 1 support vector each, 1 feature; and the full
// 8 features.
TEST_F(CliSvmCosim, MaximumClassesAndFeaturesOfTiny) {
  write_file(path("k4.model"), "svm_type c_svc\nkernel_type rbf\ngamma 2\nnr_class 4\ntotal_sv 4\nrho 0.1 0.2 0.3 0.4 0.5 0.6\n"
                               "label 3 1 4 2\nnr_sv 1 1 1 1\nSV\n1 1 1 1:0.5\n-1 1 1 1:-0.5\n-1 -1 1 1:0.25\n-1 -1 -1 1:-0.25\n");
  expect_passes(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("k4.model")));
  write_file(path("f8.model"), "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 2\nrho 0.5\nlabel 1 -1\n"
                               "nr_sv 1 1\nSV\n1 1:0.5 8:-1\n-1 3:0.25 8:1\n");
  expect_passes(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("f8.model")));
}

// A linear model with n support vectors on 1 feature, split over 2 classes.
std::string model_with(int n) {
  std::string sv;
  for (int k = 0; k < n; ++k) sv += fmt::format("{} 1:{}\n", k < n / 2 ? 0.5 : -0.5, (k % 7 - 3) / 4.0);
  return fmt::format("svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv {}\nrho 0.125\nlabel 1 -1\n"
                     "nr_sv {} {}\nSV\n{}", n, n / 2, n - n / 2, sv);
}

// The maximum number of support vectors of `tiny` (64) runs; one more is refused.
TEST_F(CliSvmCosim, MaximumSupportVectorsOfTiny) {
  write_file(path("n64.model"), model_with(64));
  expect_passes(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("n64.model")));
  write_file(path("n65.model"), model_with(65));
  expect_rejected(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("n65.model")),
                  {"n65.model", "65 support vectors", "at most 64"});
}

// Models the reader accepts but a config cannot run: refused before the simulation starts.
TEST_F(CliSvmCosim, ModelsBeyondTheConfigAreRefusedBeforeSimulating) {
  write_file(path("k5.model"), "svm_type c_svc\nkernel_type linear\nnr_class 5\ntotal_sv 0\nrho 0 0 0 0 0 0 0 0 0 0\n"
                               "label 1 2 3 4 5\nnr_sv 0 0 0 0 0\nSV\n");
  expect_rejected(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("k5.model")),
                  {"k5.model", "5 classes", "at most 4"});
  write_file(path("d5.model"), "svm_type c_svc\nkernel_type polynomial\ndegree 5\ngamma 1\ncoef0 0\nnr_class 2\n"
                               "total_sv 1\nrho 0\nlabel 1 -1\nnr_sv 1 0\nSV\n1 1:1\n");
  expect_rejected(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("d5.model")),
                  {"d5.model", "polynomial degree 5", "1..4"});
  write_file(path("f9.model"), "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 1\nrho 0\nlabel 1 -1\n"
                               "nr_sv 1 0\nSV\n1 9:1\n");
  expect_rejected(fmt::format("cosim svm --config tiny --model '{}' --vectors 100", path("f9.model")),
                  {"f9.model", "line 9", "feature index 9 is out of range 1..8"});
}

}  // namespace
