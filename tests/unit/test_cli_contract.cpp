// The command line's contract across kernels and subcommands (issue 9): integers are decimal
// and taken as written or refused naming the option and its range; outputs are checked before
// any work (distinct from each other and from every input by what the paths resolve to, their
// directories writable) and a failing command leaves no file behind; options one kernel reads
// are refused on the other, and qualifiers without what they qualify are refused.
// Everything here runs without the RTL (the cosim refusals come before any simulation).
#include "cli_test.hpp"

#include <hlskit/npy.hpp>

#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace npy = hlskit::npy;
using hlskit::test::slurp;

namespace {

const std::string models = HLSKIT_MODELS_DIR;
const std::string ae_model = models + "/autoencoder/econt.json";
const std::string svm_model = models + "/svm/breast_cancer.model";

class CliContract : public hlskit::test::cli_test {
 protected:
  std::string q(const std::string& name) const { return "'" + path(name) + "'"; }
  void write_codes(const std::string& name, std::size_t n = 3) const {
    npy::write(path(name), {n, 64}, std::vector<std::uint8_t>(n * 64, 7));
  }
  void write_features(const std::string& name) const {
    npy::write(path(name), {2, 30}, std::vector<double>(60, 1.0));
  }
};

// ---- integers -----------------------------------------------------------------------------------

// Every integer option of every subcommand, with every way an integer goes wrong: each is one
// line naming the option and its accepted range, exit 2, nothing written.
TEST_F(CliContract, EveryIntegerOptionIsDecimalAndInRange) {
  struct option {
    std::string command, name, range;
  };
  const std::string seed_range = "0..18446744073709551615";
  const std::string train_ae = "train autoencoder --output " + q("m.json") + " ";
  const std::vector<option> options = {
      {"demo ", "--vectors", "100..1000000"},
      {"demo ", "--events", "1..10000000"},
      {"demo ", "--seed", seed_range},
      {"cosim autoencoder ", "--vectors", "100..1000000"},
      {"cosim autoencoder ", "--seed", seed_range},
      {"cosim svm ", "--vectors", "100..1000000"},
      {"cosim svm ", "--seed", seed_range},
      {train_ae, "--seed", seed_range},
      {train_ae, "--epochs", "1..100000"},
      {train_ae, "--events", "1..100000000"},
      {"train svm --output " + q("m.model") + " ", "--seed", seed_range},
  };
  const std::vector<std::string> bad = {"-1",  "18446744073709551616", "99999999999999999999999", "010", "0x10",
                                        "+5",  "1e3",                  "5.0",                     "' 5'", "5x",
                                        "''", "-0x1",                 "0b1"};
  for (const auto& o : options)
    for (const auto& text : bad) expect_rejected(o.command + o.name + " " + text, {o.name + ": ", o.range});
  // Below and above each range.
  expect_rejected("demo --vectors 99", {"--vectors: '99' is out of range", "100..1000000"});
  expect_rejected("cosim autoencoder --vectors 1000001", {"--vectors: '1000001' is out of range", "100..1000000"});
  expect_rejected(train_ae + "--epochs 0", {"--epochs: '0' is out of range", "1..100000"});
  expect_rejected(train_ae + "--events 100000001", {"--events: '100000001' is out of range", "1..100000000"});
  expect_rejected("demo --events 10000001", {"--events: '10000001' is out of range", "1..10000000"});
}

// The examples, exactly.
TEST_F(CliContract, SeedExamplesAreRefusedExactly) {
  expect_rejected_exactly("cosim autoencoder --seed -1",
                          "hlskit: --seed: '-1' is out of range: expected a decimal integer in 0..18446744073709551615 "
                          "(see hlskit --help)");
  expect_rejected_exactly("cosim autoencoder --seed 18446744073709551616",
                          "hlskit: --seed: '18446744073709551616' is out of range: expected a decimal integer in "
                          "0..18446744073709551615 (see hlskit --help)");
  expect_rejected_exactly("cosim autoencoder --seed 010",
                          "hlskit: --seed: '010' is not a decimal integer in 0..18446744073709551615 (see hlskit --help)");
  // libsvm's trainer seeds std::srand (32 bits): a larger seed is refused, not truncated.
  expect_rejected_exactly("train svm --output " + q("m.model") + " --seed 4294967296",
                          "hlskit train: --seed: '4294967296' is out of range: expected a decimal integer in 0..4294967295 "
                          "(svm train seeds libsvm's std::srand)");
}

// --vectors 100000000 used to end in std::bad_alloc after trying ~51 GB: refused up front.
TEST_F(CliContract, HugeVectorCountsAreRefusedUpFront) {
  for (const std::string cmd : {"cosim autoencoder --config fpga", "cosim svm", "demo"})
    expect_rejected_exactly(cmd + " --vectors 100000000",
                            "hlskit: --vectors: '100000000' is out of range: expected a decimal integer in 100..1000000 "
                            "(see hlskit --help)");
}

// In-range values are taken exactly as written, up to the top of the range.
TEST_F(CliContract, IntegersAreTakenAsWritten) {
  const auto r = run("train autoencoder --output " + q("m.json") + " --report " + q("t.json") +
                     " --seed 18446744073709551615 --epochs 1 --events 300");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto report = nlohmann::json::parse(slurp(path("t.json")));
  EXPECT_EQ(report.at("seed").get<std::uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(report.at("epochs").get<int>(), 1);
  EXPECT_EQ(report.at("training_events").get<int>(), 300);
  EXPECT_NE(r.out.find("(seed 18446744073709551615)"), std::string::npos) << r.out;
}

// ---- integers in model files --------------------------------------------------------------------

TEST_F(CliContract, ModelJsonIntegersAreCheckedOverTheirWholeRange) {
  write_codes("x.npy");
  const std::string good = slurp(ae_model);
  auto doc = nlohmann::json::parse(good);
  // A raw code of 2^64-1 used to be read as -1 (and the model ran); 2^63 was quoted as -2^63.
  doc["conv"]["weight"]["raw"][5] = 123456;
  std::ofstream(path("base.json")) << doc.dump();
  const std::string base = slurp(path("base.json"));
  const std::vector<std::pair<std::string, std::string>> codes = {
      {"18446744073709551615", "'18446744073709551615' is out of range"},
      {"9223372036854775808", "'9223372036854775808' is out of range"},
      {"-9223372036854775808", "'-9223372036854775808' is out of range"},
      {"-9223372036854775809", "is not a decimal integer"},  // beyond 64 bits: the JSON library made it a float
      {"18446744073709551616", "is not a decimal integer"},
      {"32", "'32' is out of range"},
      {"-33", "'-33' is out of range"},
      {"1.0", "'1.0' is not a decimal integer"},
      {"\"1\"", "is not a decimal integer"}};
  for (const auto& [code, says] : codes) {
    std::string text = base;
    text.replace(text.find("123456"), 6, code);
    std::ofstream(path("raw.json")) << text;
    expect_rejected("csim autoencoder --model " + q("raw.json") + " --input " + q("x.npy") + " --output " + q("y.npy"),
                    {"raw.json", "field 'conv.weight.raw[5]'", says, "-32..31", "fixed<6,1>"});
  }
  // The exact message for 2^64-1.
  {
    std::string text = base;
    text.replace(text.find("123456"), 6, "18446744073709551615");
    std::ofstream(path("max.json")) << text;
    expect_rejected_exactly("csim autoencoder --model " + q("max.json") + " --input " + q("x.npy"),
                            "hlskit csim: " + path("max.json") +
                                ": field 'conv.weight.raw[5]': '18446744073709551615' is out of range: expected a "
                                "decimal integer in -32..31 (a fixed<6,1> code)");
  }
  // Sizes and the input gain: the same rule. model_with writes base with its placeholder 123456
  // replaced by `literal` (the text exactly as given) and returns the csim command reading it.
  const auto model_with = [&](const std::string& base, const std::string& literal, const std::string& name) {
    std::string text = slurp(path(base));
    text.replace(text.find("123456"), 6, literal);
    std::ofstream(path(name)) << text;
    return "csim autoencoder --model " + q(name) + " --input " + q("x.npy");
  };
  doc = nlohmann::json::parse(good);
  doc["conv"]["bias"]["shape"][0] = 123456;
  std::ofstream(path("base2.json")) << doc.dump();
  expect_rejected(model_with("base2.json", "18446744073709551624", "shape.json"),  // 2^64 + 8: wraps to 8 in 64 bits
                  {"shape.json", "conv.bias.shape[0]", "not a decimal integer"});
  expect_rejected(model_with("base2.json", "18446744073709551615", "shape.json"),
                  {"shape.json", "conv.bias.shape[0]", "'18446744073709551615' is out of range"});
  doc = nlohmann::json::parse(good);
  doc["input"]["gain"] = 123456;
  std::ofstream(path("base3.json")) << doc.dump();
  expect_rejected(model_with("base3.json", "18446744073709551617", "gain.json"),  // 2^64 + 1
                  {"gain.json", "input.gain", "1..65536"});
  expect_rejected(model_with("base3.json", "18446744073709551614", "gain.json"),
                  {"gain.json", "input.gain", "'18446744073709551614' is out of range", "1..65536"});
}

// ---- outputs --------------------------------------------------------------------------------------

// --output y.npy --decision y.npy used to write both to one file and report "wrote y.npy" twice.
TEST_F(CliContract, OutputsMustBeDistinctFiles) {
  write_features("x.npy");
  const std::string in = "csim svm --input " + q("x.npy");
  expect_rejected_exactly(in + " --output " + q("y.npy") + " --decision " + q("y.npy"),
                          "hlskit csim: --output '" + path("y.npy") + "' and --decision '" + path("y.npy") +
                              "' are the same file: every output needs its own file");
  // Spelt differently, the same file.
  fs::create_directories(path("sub"));
  expect_rejected(in + " --output " + q("y.npy") + " --decision '" + path("sub/../y.npy") + "'", {"same file"});
  expect_rejected(in + " --output " + q("y.npy") + " --report '" + dir.string() + "/./y.npy'", {"same file"});
  // Existing files: a hard link and a symbolic link to one file are that file.
  std::ofstream(path("old.npy")) << "old";
  fs::create_hard_link(path("old.npy"), path("hard.npy"));
  fs::create_symlink(path("old.npy"), path("soft.npy"));
  expect_rejected(in + " --output " + q("old.npy") + " --decision " + q("hard.npy"), {"same file"});
  expect_rejected(in + " --output " + q("soft.npy") + " --report " + q("old.npy"), {"same file"});
  // Autoencoder: --output and --report; cosim: --trace and --report; train: --output and --report.
  write_codes("c.npy");
  expect_rejected("csim autoencoder --input " + q("c.npy") + " --output " + q("r.json") + " --report " + q("r.json"),
                  {"--output", "--report", "same file"});
  expect_rejected("cosim autoencoder --trace " + q("w.fst") + " --report " + q("w.fst"), {"--trace", "--report", "same file"});
  expect_rejected("train autoencoder --output " + q("m.json") + " --report " + q("m.json"), {"same file"});
  // svm train writes the range file beside the model: it is an output too.
  expect_rejected("train svm --output " + q("m.model") + " --report " + q("m.range"),
                  {"the range file beside --output", "--report", "same file"});
}

// --output equal to --input or --model used to destroy that input.
TEST_F(CliContract, OutputsMayNotOverwriteInputs) {
  write_codes("x.npy");
  fs::copy_file(ae_model, path("m.json"));
  expect_rejected_exactly("csim autoencoder --input " + q("x.npy") + " --output " + q("x.npy"),
                          "hlskit csim: --output '" + path("x.npy") + "' is the same file as --input '" + path("x.npy") +
                              "': an output may not overwrite an input");
  expect_rejected("csim autoencoder --input " + q("x.npy") + " --model " + q("m.json") + " --output '" + dir.string() +
                      "/./m.json'",
                  {"--output", "--model", "an output may not overwrite an input"});
  expect_rejected("csim autoencoder --input " + q("x.npy") + " --report " + q("x.npy"), {"--report", "--input"});
  fs::create_symlink(path("x.npy"), path("link.npy"));
  expect_rejected("csim autoencoder --input " + q("link.npy") + " --output " + q("x.npy"), {"--output", "--input"});
  // The embedded default model and range files are inputs too.
  expect_rejected("csim autoencoder --input " + q("x.npy") + " --output '" + ae_model + "'", {"the embedded model"});
  write_features("f.npy");
  expect_rejected("csim svm --input " + q("f.npy") + " --decision '" + models + "/svm/breast_cancer.range'",
                  {"the embedded range file"});
  expect_rejected("cosim autoencoder --input " + q("x.npy") + " --report " + q("x.npy"), {"--report", "--input"});
  expect_rejected("cosim svm --model '" + svm_model + "' --report '" + svm_model + "'", {"--report", "--model"});
  // train svm --dataset D.csv: the data set is an input.
  std::ofstream(path("d.csv")) << "1,2\n";
  expect_rejected("train svm --dataset " + q("d.csv") + " --output " + q("d.csv"), {"--output", "--dataset"});
  expect_rejected("train svm --dataset " + q("d.csv") + " --output " + q("d.model") + " --report " + q("d.csv"),
                  {"--report", "--dataset"});
}

// --report nodir/r.json used to fail only after the .npy outputs were written (and they stayed);
// for cosim the exit status then hid the verdict. Every output's directory is checked first.
TEST_F(CliContract, OutputDirectoriesAreCheckedBeforeAnyWork) {
  write_codes("x.npy");
  write_features("f.npy");
  const std::string nodir = path("nodir/r.json");
  expect_rejected_exactly("csim autoencoder --input " + q("x.npy") + " --output " + q("y.npy") + " --report '" + nodir + "'",
                          "hlskit csim: --report: cannot write '" + nodir + "': directory '" + path("nodir") +
                              "' does not exist");
  expect_rejected("csim svm --input " + q("f.npy") + " --output " + q("y.npy") + " --decision " + q("d.npy") +
                      " --report '" + nodir + "'",
                  {"--report", "does not exist"});
  expect_rejected("csim svm --input " + q("f.npy") + " --decision '" + path("nodir/d.npy") + "'", {"--decision", "nodir"});
  expect_rejected("cosim autoencoder --config fpga --report '" + nodir + "'", {"--report", "does not exist"});
  expect_rejected("cosim autoencoder --trace '" + path("nodir/w.fst") + "'", {"--trace", "does not exist"});
  expect_rejected("cosim svm --report '" + nodir + "'", {"--report", "does not exist"});
  expect_rejected("train autoencoder --output " + q("m.json") + " --report '" + nodir + "'", {"--report", "does not exist"});
  expect_rejected("train autoencoder --output '" + path("nodir/m.json") + "'", {"--output", "does not exist"});
  expect_rejected("train svm --output " + q("m.model") + " --report '" + nodir + "'", {"--report", "does not exist"});
  expect_rejected("demo --report '" + nodir + "'", {"hlskit demo: --report", "does not exist"});
  // A file where a directory should be, a directory where a file should be, a socket (a
  // character device or FIFO is written as a stream: test_cli_files).
  std::ofstream(path("file")) << "x";
  expect_rejected("csim autoencoder --input " + q("x.npy") + " --output '" + path("file/y.npy") + "'",
                  {"--output", "is not a directory"});
  fs::create_directories(path("out"));
  expect_rejected("csim autoencoder --input " + q("x.npy") + " --output " + q("out"), {"--output", "is a directory"});
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string sock_path = path("sock");
  ASSERT_LT(sock_path.size(), sizeof address.sun_path);
  std::copy(sock_path.begin(), sock_path.end(), address.sun_path);
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  expect_rejected("csim autoencoder --input " + q("x.npy") + " --output " + q("sock"), {"--output", "not a regular file"});
  ::close(sock);
}

// A training set that does not fit the config (30 features on `tiny`) is refused before training,
// naming the data set; no outputs and no temporary files.
TEST_F(CliContract, FailingTrainLeavesNoFiles) {
  expect_rejected("train svm --config tiny --output " + q("m.model") + " --report " + q("t.json"),
                  {"breast_cancer.csv", "30 features", "tiny"});
  EXPECT_FALSE(fs::exists(path("m.model")));
  EXPECT_FALSE(fs::exists(path("m.range")));
}

// ---- nothing ignored in silence -------------------------------------------------------------------

TEST_F(CliContract, OptionsOfTheOtherKernelAreRefused) {
  write_codes("x.npy");
  write_features("f.npy");
  const std::string ae = "csim autoencoder --input " + q("x.npy") + " ";
  const std::string svm = "csim svm --input " + q("f.npy") + " ";
  expect_rejected_exactly(ae + "--decision " + q("d.npy"),
                          "hlskit csim: --decision is an option of the svm kernel; kernel 'autoencoder' does not take it");
  expect_rejected(ae + "--scale '" + models + "/svm/breast_cancer.range'", {"--scale", "svm"});
  expect_rejected(ae + "--decision-as values", {"--decision-as", "svm"});
  expect_rejected(svm + "--output-as values", {"--output-as", "autoencoder"});
  expect_rejected(svm + "--energies", {"--energies", "autoencoder"});
  expect_rejected("cosim svm --energies --input " + q("f.npy"), {"--energies", "autoencoder"});
  expect_rejected("train svm --output " + q("m.model") + " --epochs 3", {"--epochs", "autoencoder"});
  expect_rejected("train svm --output " + q("m.model") + " --events 300", {"--events", "autoencoder"});
  expect_rejected("train autoencoder --output " + q("m.json") + " --kernel-type linear", {"--kernel-type", "svm"});
  // Qualifiers without what they qualify.
  expect_rejected_exactly(ae + "--output-as values", "hlskit csim: --output-as applies to --output, which was not given");
  expect_rejected(svm + "--decision-as values", {"--decision-as applies to --decision"});
  expect_rejected("cosim autoencoder --energies", {"--energies applies to --input"});
  // train reads no model: --model is not an option of train.
  expect_rejected("train autoencoder --output " + q("m.json") + " --model '" + ae_model + "'", {"--model"});
}

}  // namespace
