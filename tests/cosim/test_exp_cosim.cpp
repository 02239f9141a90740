// Cosimulation of rtl/common/hlskit_exp against hlskit::math::exp (the C++ definition): every
// input code of each verilated (In, Out) pair, zero differing bits, fixed latency; then a shuffled
// sample with random valid gaps, so that no result leans on its neighbour in the pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <iostream>
#include <random>
#include <sstream>
#include <vector>

#include "exp_models.hpp"
#include "hlskit/cosim/simulation.hpp"
#include "hlskit/fixed.hpp"
#include "hlskit/math/exp.hpp"

namespace cosim = hlskit::cosim;

namespace {

// hlskit_exp's latency: sampled at edge c, registered into y_o at edge c + 3, so the tick that
// shows it ends 4 cycles after the input's tick began (one cycle per register stage).
constexpr std::uint64_t latency = 4;

// hlskit_exp is a leaf module with lowRISC ports (clk_i, rst_ni); cosim::simulation drives a
// kernel top's ap_clk / ap_rst_n. This adapter forwards them, nothing else.
template <class V>
struct exp_dut {
  explicit exp_dut(VerilatedContext* context) : rtl(context) {}
  void eval() {
    rtl.clk_i = ap_clk;
    rtl.rst_ni = ap_rst_n;
    rtl.eval();
  }
  void final() { rtl.final(); }

  std::uint8_t ap_clk = 0;
  std::uint8_t ap_rst_n = 0;
  V rtl;
};

struct exp_result {
  std::uint64_t compared = 0;
  std::uint64_t mismatches = 0;
  std::uint64_t bad_latency = 0;
  std::string first_mismatches;  // up to 10, one per line
};

// Streams `codes` through the RTL (valid_i low with probability gap_probability in any cycle)
// and compares every output with the C++ result.
template <class M>
exp_result run_exp(const std::vector<std::int64_t>& codes, double gap_probability, std::uint64_t seed) {
  using In = typename M::in_type;
  using Out = typename M::out_type;
  // With gaps, the pipeline also starts from a random initial state (every register random).
  cosim::sim_options so;
  if (gap_probability > 0) so.random_init = static_cast<std::uint32_t>(seed);
  cosim::simulation<exp_dut<typename M::model>> sim(so);
  auto& dut = sim.top().rtl;
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution gap(gap_probability);
  const std::uint64_t in_mask = (std::uint64_t{1} << In::width) - 1;

  struct pending {
    std::int64_t code;
    std::uint64_t cycle;
  };
  std::deque<pending> in_flight;
  exp_result r;
  auto check_outputs = [&] {
    if (!dut.valid_o) return;
    if (in_flight.empty()) {
      ++r.mismatches;
      r.first_mismatches += "valid_o without an input in flight at cycle " + std::to_string(sim.cycle()) + "\n";
      return;
    }
    const pending p = in_flight.front();
    in_flight.pop_front();
    ++r.compared;
    if (sim.cycle() - p.cycle != latency) ++r.bad_latency;
    const In x = In::from_raw(p.code);
    const auto expected = static_cast<std::uint64_t>(hlskit::math::exp<Out>(x).raw());
    const std::uint64_t actual = dut.y_o;
    if (actual != expected && ++r.mismatches <= 10) {
      std::ostringstream line;
      line << M::name << ": x code " << p.code << " (" << x.to_double() << "), expected y code " << expected
           << ", RTL " << actual << ", cycle " << sim.cycle() << "\n";
      r.first_mismatches += line.str();
    }
  };

  sim.reset();
  std::size_t next = 0;
  while (next < codes.size()) {
    const bool send = !gap(rng);
    dut.valid_i = send;
    // Gaps carry garbage: the pipeline must ignore it.
    dut.x_i = static_cast<std::uint32_t>((send ? static_cast<std::uint64_t>(codes[next]) : rng()) & in_mask);
    if (send) in_flight.push_back({codes[next++], sim.cycle()});
    sim.tick();
    check_outputs();
  }
  dut.valid_i = 0;
  for (std::uint64_t drain = 0; drain < latency + 2; ++drain) {
    sim.tick();
    check_outputs();
  }
  if (!in_flight.empty()) {
    r.mismatches += in_flight.size();
    r.first_mismatches += std::to_string(in_flight.size()) + " inputs never came out\n";
  }
  return r;
}

template <class M>
std::vector<std::int64_t> every_code() {
  constexpr int w = M::in_type::width;
  std::vector<std::int64_t> codes;
  codes.reserve(std::size_t{1} << w);
  for (std::int64_t c = -(std::int64_t{1} << (w - 1)); c < (std::int64_t{1} << (w - 1)); ++c) codes.push_back(c);
  return codes;
}

template <class M>
class exp_cosim : public ::testing::Test {};
TYPED_TEST_SUITE(exp_cosim, exp_models);

TYPED_TEST(exp_cosim, every_input_code_matches) {
  const auto codes = every_code<TypeParam>();
  const exp_result r = run_exp<TypeParam>(codes, 0.0, 1);
  std::cout << TypeParam::name << ": " << r.compared << " codes compared, " << r.mismatches << " mismatches\n";
  EXPECT_EQ(r.compared, codes.size());
  EXPECT_EQ(r.mismatches, 0u) << r.first_mismatches;
  EXPECT_EQ(r.bad_latency, 0u) << "every result " << latency << " cycles after its input";
}

TYPED_TEST(exp_cosim, shuffled_codes_with_valid_gaps_match) {
  auto codes = every_code<TypeParam>();
  std::shuffle(codes.begin(), codes.end(), std::mt19937_64(2));
  codes.resize(std::min<std::size_t>(codes.size(), 200'000));
  const exp_result r = run_exp<TypeParam>(codes, 0.3, 3);
  EXPECT_EQ(r.compared, codes.size());
  EXPECT_EQ(r.mismatches, 0u) << r.first_mismatches;
  EXPECT_EQ(r.bad_latency, 0u);
}

}  // namespace
