// `hlskit run` as a user runs it (the action of tools/hlskit/run_cli.cpp in the hlskit tool):
// the outputs equal the kernel's C++, the report and the table, and every refusal (exit 2, one
// line naming the file or name, no file written). Runs: the autoencoder (econt) and the svm
// (tiny); refusals: the svm (tiny).
#include "cli_test.hpp"

#include <hlskit/host.hpp>
#include <hlskit/stimulus.hpp>
#include <hlskit/npy.hpp>

#include <nlohmann/json.hpp>


namespace {

using hlskit::test::cli_test;

struct subject {
  std::string kernel, config;
};

class RunCli : public cli_test {
 protected:
  subject s{"svm", "tiny"};
  std::unique_ptr<hlskit::loaded_model> model = hlskit::find_kernel(s.kernel).load(s.config, "");
  std::size_t items = 300;
  std::vector<std::uint8_t> in = hlskit::random_items(model->input(), items, 5);

  std::string write_input(const std::string& name = "x.npy") {
    hlskit::npy::write(path(name), {items, model->input().item_bytes()}, in);
    return path(name);
  }
  void check_run();
  std::string base() const { return "run " + s.kernel + " --config " + s.config + " --backend csim"; }
};

TEST_F(RunCli, WritesTheKernelsOutputsAReportAndATable) {
  for (const subject& kernel : {subject{"autoencoder", "econt"}, subject{"svm", "tiny"}}) {
    SCOPED_TRACE(kernel.kernel);
    s = kernel;
    model = hlskit::find_kernel(s.kernel).load(s.config, "");
    in = hlskit::random_items(model->input(), items, 5);
    check_run();
  }
}

void RunCli::check_run() {
  const std::string x = write_input();
  const auto r = run(base() + " --input " + x + " --output " + path("y.npy") + " --report " + path("r.json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto y = hlskit::npy::read(path("y.npy"));
  ASSERT_EQ(y.type, hlskit::npy::dtype::u8);
  ASSERT_EQ(y.shape, (std::vector<std::size_t>{items, model->output().item_bytes()}));
  std::vector<std::uint8_t> expected(items * model->output().item_bytes());
  model->csim(in.data(), expected.data(), items);
  EXPECT_EQ(y.as<std::uint8_t>(), expected);
  const auto j = nlohmann::json::parse(hlskit::test::slurp(path("r.json")));
  EXPECT_EQ(j["backend"], "csim");
  EXPECT_EQ(j["kernel"], s.kernel);
  EXPECT_EQ(j["config"], s.config);
  EXPECT_EQ(j["items"], items);
  EXPECT_EQ(j["cycles"], 0);
  EXPECT_EQ(j["simulated_ns"], 0.0);
  EXPECT_GT(j["wall_seconds"].get<double>(), 0.0);
  EXPECT_NE(r.out.find("run " + s.kernel + "/" + s.config + " on csim: model the embedded default, 300 items"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("csim has no time"), std::string::npos) << r.out;
}

TEST_F(RunCli, RefusesBadNames) {
  const std::string x = write_input(), y = path("y.npy");
  expect_rejected("run nosuchkernel --backend csim --input " + x + " --output " + y,
                  {"hlskit run: ", "unknown kernel 'nosuchkernel'", s.kernel});
  expect_rejected("run " + s.kernel + " --config nosuchconfig --backend csim --input " + x + " --output " + y,
                  {"nosuchconfig", s.config});
  expect_rejected(base() + "x --input " + x + " --output " + y, {"unknown backend 'csimx'", "this build has: csim"});
  expect_rejected("run " + s.kernel + " --backend '' --input " + x + " --output " + y, {"--backend"});
  expect_rejected("run " + s.kernel + " --input " + x + " --output " + y, {"--backend is required"});
  expect_rejected(base() + " --model " + path("none.model") + " --input " + x + " --output " + y, {"none.model"});
}

TEST_F(RunCli, RefusesInputsOutsideTheContract) {
  const std::size_t width = model->input().item_bytes();
  const std::string y = path("y.npy");
  hlskit::npy::write(path("f.npy"), {items, width}, std::vector<float>(items * width));
  expect_rejected(base() + " --input " + path("f.npy") + " --output " + y,
                  {path("f.npy"), "dtype float32", "expected a 2-D uint8 array (items, " + std::to_string(width) + ")"});
  hlskit::npy::write(path("w.npy"), {items, width + 1}, std::vector<std::uint8_t>(items * (width + 1)));
  expect_rejected(base() + " --input " + path("w.npy") + " --output " + y,
                  {path("w.npy"), "shape (" + std::to_string(items) + ", " + std::to_string(width + 1) + ")"});
  hlskit::npy::write(path("v.npy"), {items * width}, in);
  expect_rejected(base() + " --input " + path("v.npy") + " --output " + y, {path("v.npy"), "shape (", "2-D"});
  hlskit::npy::write(path("e.npy"), {0, width}, std::vector<std::uint8_t>());
  expect_rejected(base() + " --input " + path("e.npy") + " --output " + y, {path("e.npy"), "no items to run"});
  expect_rejected(base() + " --input " + path("missing.npy") + " --output " + y, {path("missing.npy")});
  const auto l = model->input();
  if (l.beat_bits % 8 != 0) {
    auto bad = in;
    bad[l.beat_bytes() - 1 + l.item_bytes()] |= 0x80;  // item 1, beat 0: the top pad bit
    hlskit::npy::write(path("p.npy"), {items, width}, bad);
    expect_rejected(base() + " --input " + path("p.npy") + " --output " + y,
                    {path("p.npy"), "item 1, beat 0", "pad bits"});
  }
}

TEST_F(RunCli, RefusesBadOptionsAndOutputs) {
  const std::string x = write_input(), y = path("y.npy");
  expect_rejected(base() + " --input " + x + " --output " + y + " --timeout 0", {"--timeout", "1..86400"});
  expect_rejected(base() + " --input " + x + " --output " + y + " --timeout 010", {"'010' is not a decimal integer"});
  expect_rejected(base() + " --input " + x + " --output " + x, {"may not overwrite an input"});
  expect_rejected(base() + " --input " + x + " --output " + y + " --report " + y, {"every output needs its own file"});
  expect_rejected(base() + " --input " + x + " --output " + path("nodir/y.npy"), {"does not exist"});
}

#if HLSKIT_HAVE_PLATFORM
TEST_F(RunCli, SimulatedBackendsReportCyclesAndTimeWithTheSameOutputs) {
  const std::string x = write_input();
  ASSERT_EQ(run(base() + " --input " + x + " --output " + path("csim.npy")).status, 0);
  for (const std::string backend : {"systemc", "rtl"}) {
    const auto r = run("run " + s.kernel + " --config " + s.config + " --backend " + backend + " --input " + x +
                       " --output " + path(backend + ".npy") + " --report " + path(backend + ".json"));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("simulated: "), std::string::npos) << r.out;
    EXPECT_EQ(hlskit::test::slurp(path(backend + ".npy")), hlskit::test::slurp(path("csim.npy")));
    const auto j = nlohmann::json::parse(hlskit::test::slurp(path(backend + ".json")));
    EXPECT_GT(j["cycles"].get<std::uint64_t>(), 0u);
    EXPECT_GT(j["simulated_ns"].get<double>(), 0.0);
  }
}
#endif

}  // namespace
