// Unit tests of the cosim harness parts that need no RTL: bit vectors and port copies, the
// stream agents' handshake rules and protocol checks (on hand-driven signals), reports.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "hlskit/cosim/cosim.hpp"

namespace cosim = hlskit::cosim;

namespace {

TEST(cosim_bitvec, fields_across_word_boundaries) {
  cosim::bitvec b(100);
  b.set(28, 40, 0xAB'CDEF'0123ull);
  EXPECT_EQ(b.get(28, 40), 0xAB'CDEF'0123ull);
  EXPECT_EQ(b.get(0, 28), 0u);
  EXPECT_EQ(b.get(68, 32), 0u);
  b.set(36, 64, ~0ull);
  EXPECT_EQ(b.get(36, 64), ~0ull);
  EXPECT_EQ(b.get(28, 8), 0x23u);
  b.set(90, 10, 0x3FF);
  EXPECT_EQ(b.get_signed(90, 10), -1);
  b.set(90, 10, 0x1FF);
  EXPECT_EQ(b.get_signed(90, 10), 511);
  EXPECT_EQ(cosim::bitvec(9).hex(), "000");
  EXPECT_THROW(b.get(90, 11), std::out_of_range);
}

TEST(cosim_bitvec, port_copies_for_every_verilator_type) {
  CData c = 0;
  SData s = 0;
  IData i = 0;
  QData q = 0;
  VlWide<3> w{};
  cosim::bitvec b(70);
  b.set(0, 64, 0x0123'4567'89AB'CDEFull);
  b.set(64, 6, 0x2A);
  cosim::store_port(w, b);
  EXPECT_EQ(w.at(0), 0x89AB'CDEFu);
  EXPECT_EQ(w.at(1), 0x0123'4567u);
  EXPECT_EQ(w.at(2), 0x2Au);
  cosim::bitvec back;
  cosim::load_port(back, w, 70);
  EXPECT_EQ(back, b);

  cosim::bitvec small(12);
  small.set(0, 12, 0xABC);
  cosim::store_port(c, small);
  cosim::store_port(s, small);
  cosim::store_port(i, small);
  cosim::store_port(q, small);
  EXPECT_EQ(c, 0xBC);
  EXPECT_EQ(s, 0xABC);
  EXPECT_EQ(i, 0xABCu);
  EXPECT_EQ(q, 0xABCu);
  q = 0xFFFF'0000'1234'5678ull;
  cosim::load_port(back, q, 48);
  EXPECT_EQ(back.width(), 48);
  EXPECT_EQ(back.get(0, 48), 0x0000'1234'5678ull);
  EXPECT_EQ(cosim::port_storage_bits(w), 96);
  EXPECT_EQ(cosim::port_storage_bits(s), 16);
}

TEST(cosim_coin, seeded_and_calibrated) {
  cosim::coin a(0.3, 7), b(0.3, 7), never(0.0, 7), always(1.0, 7);
  int heads = 0;
  for (int n = 0; n < 100000; ++n) {
    const bool x = a.flip();
    ASSERT_EQ(x, b.flip());
    heads += x;
    ASSERT_FALSE(never.flip());
    ASSERT_TRUE(always.flip());
  }
  EXPECT_NEAR(heads / 100000.0, 0.3, 0.01);
}

// Signals of one stream, driven by hand; tick() runs the agents without any model.
struct wires {
  IData tdata = 0;
  CData tvalid = 0, tready = 0, tlast = 0;
  cosim::axis_port port() { return cosim::make_axis_port("s", tdata, tvalid, tready, &tlast, 20); }
};
struct hand_clock final : cosim::clocked {
  void tick() override {
    for (auto* a : agents_) a->drive(cycle_);
    for (auto* a : agents_) a->sample(cycle_);
    ++cycle_;
  }
};

cosim::bitvec word(std::uint64_t v) {
  cosim::bitvec b(20);
  b.set(0, 20, v);
  return b;
}

TEST(cosim_axis_source, holds_the_beat_until_accepted_and_gaps_are_seeded) {
  hand_clock clk;
  wires w;
  cosim::axis_source src(clk, w.port(), 0.5, 99);
  for (std::uint64_t v = 1; v <= 50; ++v) src.push(word(v), v == 50);
  std::uint64_t expect = 1;
  int stalled_cycles = 0, gap_cycles = 0;
  bool refused = false;
  std::uint32_t offered = 0;
  for (int n = 0; n < 1000 && src.pending(); ++n) {
    w.tready = (n % 3) != 0;  // the DUT refuses one cycle in three
    clk.tick();
    if (refused) {  // offered and refused last cycle: still offered, unchanged
      ASSERT_TRUE(w.tvalid);
      ASSERT_EQ(w.tdata, offered);
      ++stalled_cycles;
    }
    if (!w.tvalid) ++gap_cycles;
    if (w.tvalid && w.tready) {
      ASSERT_EQ(w.tdata, expect);
      ASSERT_EQ(w.tlast, expect == 50);
      ++expect;
    }
    refused = w.tvalid && !w.tready;
    offered = w.tdata;
  }
  EXPECT_EQ(expect, 51u);
  EXPECT_EQ(src.accepted(), 50u);
  EXPECT_GT(stalled_cycles, 5);
  EXPECT_GT(gap_cycles, 10);
  for (std::size_t k = 1; k < 50; ++k) EXPECT_LT(src.accepted_cycle(k - 1), src.accepted_cycle(k));
}

TEST(cosim_axis_sink, records_beats_and_flags_protocol_violations) {
  hand_clock clk;
  wires w;
  cosim::axis_sink sink(clk, w.port());
  // A clean beat.
  w.tvalid = 1;
  w.tdata = 5;
  clk.tick();
  ASSERT_EQ(sink.beats().size(), 1u);
  EXPECT_EQ(sink.beats()[0].data.get(0, 20), 5u);
  EXPECT_EQ(sink.beats()[0].cycle, 0u);
  EXPECT_TRUE(sink.violations().empty());

  // Refused, then TDATA changes before the handshake.
  sink.hold(true);
  w.tdata = 6;
  clk.tick();
  w.tdata = 7;
  clk.tick();
  ASSERT_EQ(sink.violations().size(), 1u);
  EXPECT_EQ(sink.violations()[0].cycle, 2u);
  EXPECT_NE(sink.violations()[0].message.find("TDATA changed while TVALID && !TREADY"), std::string::npos)
      << sink.violations()[0].message;

  // Still refused; TVALID dropped before the handshake.
  clk.tick();
  w.tvalid = 0;
  clk.tick();
  ASSERT_EQ(sink.violations().size(), 2u);
  EXPECT_NE(sink.violations()[1].message.find("TVALID dropped before the handshake"), std::string::npos)
      << sink.violations()[1].message;

  // TLAST changing while refused is a violation too.
  w.tvalid = 1;
  w.tdata = 8;
  w.tlast = 0;
  clk.tick();
  w.tlast = 1;
  clk.tick();
  ASSERT_EQ(sink.violations().size(), 3u);
  EXPECT_NE(sink.violations()[2].message.find("TLAST changed"), std::string::npos) << sink.violations()[2].message;
  sink.hold(false);
  clk.tick();
  EXPECT_EQ(sink.beats().size(), 2u);
  EXPECT_TRUE(sink.beats()[1].last);
}

TEST(cosim_report, json_and_table) {
  cosim::run_result r;
  r.kernel = "k";
  r.keep_mismatches = 2;
  EXPECT_TRUE(r.compare(0, 0, 5, 5, 10));
  EXPECT_FALSE(r.compare(1, 3, 5, 4, 20));
  EXPECT_FALSE(r.compare(2, 3, 5, 4, 15));
  EXPECT_FALSE(r.compare(3, 3, 5, 4, 30));
  r.latency.add(3);
  r.latency.add(5);
  EXPECT_EQ(r.mismatch_count, 3u);
  EXPECT_EQ(r.mismatches.size(), 2u);  // first K kept
  EXPECT_EQ(*r.first_failure_cycle, 15u);
  const auto j = r.to_json();
  EXPECT_EQ(j["outputs_compared"], 4);
  EXPECT_EQ(j["mismatches"][1]["vector"], 2);
  EXPECT_EQ(j["latency_cycles"]["mean"], 4.0);
  EXPECT_EQ(j["interval_cycles"]["count"], 0);
  const std::string t = r.table();
  EXPECT_NE(t.find("cosim k: FAIL"), std::string::npos) << t;
  EXPECT_NE(t.find("first 2 of 3 mismatches"), std::string::npos) << t;
}

}  // namespace
