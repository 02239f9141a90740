// AXI4-Stream source (into the DUT) and sink (out of it) with seeded random back-pressure and
// protocol checks on the DUT's output.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "hlskit/cosim/bitvec.hpp"
#include "hlskit/cosim/simulation.hpp"

namespace hlskit::cosim {

// One stream interface of the model: its TDATA (any Verilator type) behind two small functions,
// and the 1-bit handshake members. tlast may be null.
struct axis_port {
  std::string name;
  int width = 0;  // TDATA bits
  std::function<void(bitvec&)> read_data;
  std::function<void(const bitvec&)> write_data;
  CData* tvalid = nullptr;
  CData* tready = nullptr;
  CData* tlast = nullptr;
};

// width = 0: the storage width of the TDATA member.
template <class TData>
axis_port make_axis_port(std::string name, TData& tdata, CData& tvalid, CData& tready, CData* tlast = nullptr,
                         int width = 0) {
  const int w = width ? width : port_storage_bits(tdata);
  TData* p = &tdata;
  return {std::move(name), w, [p, w](bitvec& b) { load_port(b, *p, w); },
          [p](const bitvec& b) { store_port(*p, b); }, &tvalid, &tready, tlast};
}

struct axis_beat {
  bitvec data;
  bool last = false;
  std::uint64_t cycle = 0;  // when accepted (sink records)
};

struct protocol_violation {
  std::uint64_t cycle;
  std::string message;
};

// Seeded Bernoulli draws that are identical on every platform (std::bernoulli_distribution is
// implementation-defined), so a seed reproduces a back-pressure pattern exactly.
class coin {
 public:
  coin(double probability, std::uint64_t seed) : rng_(seed) { set(probability); }
  void set(double probability) {
    p_ = probability;
    const double scaled = probability * 18446744073709551616.0;  // p * 2^64
    threshold_ = scaled <= 0 ? 0 : scaled >= 18446744073709549568.0 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(scaled);
  }
  double probability() const { return p_; }
  bool flip() { return threshold_ != 0 && rng_() < threshold_; }
  std::uint64_t bits() { return rng_(); }

 private:
  std::mt19937_64 rng_;
  double p_ = 0;
  std::uint64_t threshold_ = 0;
};

class axis_source final : public agent {
 public:
  // gap_probability: chance, per cycle in which a new beat could start, of leaving TVALID low.
  axis_source(clocked& sim, axis_port port, double gap_probability = 0, std::uint64_t seed = 1)
      : sim_(sim), port_(std::move(port)), gap_(gap_probability, seed), idle_(port_.width) {
    sim_.attach(*this);
  }
  ~axis_source() override { sim_.detach(*this); }
  axis_source(const axis_source&) = delete;
  axis_source& operator=(const axis_source&) = delete;

  // Queues a beat; returns its index in the stream (counting from the first beat ever pushed).
  std::size_t push(bitvec data, bool last = false) {
    if (data.width() != port_.width)
      throw cosim_error(fmt::format("{}: beat of {} bits for a {}-bit TDATA", port_.name, data.width(), port_.width), sim_.cycle());
    queue_.push_back({std::move(data), last, 0});
    return pushed_++;
  }
  std::size_t pushed() const { return pushed_; }
  std::size_t accepted() const { return accepted_cycles_.size(); }
  std::size_t pending() const { return queue_.size(); }
  std::uint64_t accepted_cycle(std::size_t beat) const { return accepted_cycles_.at(beat); }
  void set_gap_probability(double p) { gap_.set(p); }
  const axis_port& port() const { return port_; }

  void drive(std::uint64_t) override {
    // Once TVALID is high the beat stays, unchanged, until accepted (AXI4-Stream rule).
    if (!presenting_ && !queue_.empty() && !gap_.flip()) presenting_ = true;
    *port_.tvalid = presenting_;
    if (presenting_) {
      port_.write_data(queue_.front().data);
      if (port_.tlast) *port_.tlast = queue_.front().last;
    } else if (gap_.probability() > 0) {
      // Garbage on idle TDATA: a DUT that takes data without TVALID shows up as a mismatch.
      for (auto& w : idle_.words()) w = static_cast<std::uint32_t>(gap_.bits());
      if (port_.width % 32) idle_.words().back() &= (1u << (port_.width % 32)) - 1u;
      port_.write_data(idle_);
    }
  }
  void sample(std::uint64_t cycle) override {
    if (presenting_ && *port_.tready) {
      accepted_cycles_.push_back(cycle);
      queue_.pop_front();
      presenting_ = false;
    }
  }

 private:
  clocked& sim_;
  axis_port port_;
  coin gap_;
  bitvec idle_;
  std::deque<axis_beat> queue_;
  bool presenting_ = false;
  std::size_t pushed_ = 0;
  std::vector<std::uint64_t> accepted_cycles_;
};

// Queues `bytes` (beats of ceil(width / 8) bytes, little-endian: the memory layout of
// hlskit/kernel.hpp) on `source`, TLAST on the last beat.
inline void push_bytes(axis_source& source, const std::vector<std::uint8_t>& bytes) {
  const int width = source.port().width;
  const std::size_t beat_bytes = static_cast<std::size_t>((width + 7) / 8), beats = bytes.size() / beat_bytes;
  if (beats * beat_bytes != bytes.size())
    throw cosim_error(fmt::format("{}: {} bytes is not a whole number of {}-byte beats", source.port().name, bytes.size(),
                                  beat_bytes), 0);
  for (std::size_t b = 0; b < beats; ++b) {
    bitvec d(width);
    for (int lsb = 0; lsb < width; lsb += 64) {  // 64 bits at a time
      std::uint64_t v = 0;
      for (int i = 0; i < 8 && lsb + 8 * i < width; ++i)
        v |= std::uint64_t{bytes[b * beat_bytes + static_cast<std::size_t>(lsb / 8 + i)]} << (8 * i);
      const int n = std::min(64, width - lsb);
      d.set(lsb, n, n == 64 ? v : v & ((std::uint64_t{1} << n) - 1u));
    }
    source.push(std::move(d), b + 1 == beats);
  }
}

// Keeps `source` supplied with copies of `bytes` (push_bytes), so it never runs dry: a stream of
// which a kernel reads whole copies, as many as its runs need (sparse_llm's weights, once per
// batch), where the test does not count them.
class refill final : public agent {
 public:
  refill(clocked& sim, axis_source& source, std::vector<std::uint8_t> bytes)
      : sim_(sim), source_(source), bytes_(std::move(bytes)) {
    sim_.attach(*this);
  }
  ~refill() override { sim_.detach(*this); }
  refill(const refill&) = delete;
  refill& operator=(const refill&) = delete;
  void drive(std::uint64_t) override {
    if (!bytes_.empty() && source_.pending() == 0) push_bytes(source_, bytes_);
  }
  void sample(std::uint64_t) override {}

 private:
  clocked& sim_;
  axis_source& source_;
  std::vector<std::uint8_t> bytes_;
};

class axis_sink final : public agent {
 public:
  // stall_probability: chance of TREADY low in any cycle.
  axis_sink(clocked& sim, axis_port port, double stall_probability = 0, std::uint64_t seed = 2)
      : sim_(sim), port_(std::move(port)), stall_(stall_probability, seed) {
    sim_.attach(*this);
  }
  ~axis_sink() override { sim_.detach(*this); }
  axis_sink(const axis_sink&) = delete;
  axis_sink& operator=(const axis_sink&) = delete;

  // Every accepted beat goes to the handler if one is set (nothing is stored), else to beats().
  void on_beat(std::function<void(const axis_beat&)> handler) { handler_ = std::move(handler); }
  const std::vector<axis_beat>& beats() const { return beats_; }
  std::size_t accepted() const { return accepted_; }
  const std::vector<protocol_violation>& violations() const { return violations_; }
  void set_stall_probability(double p) { stall_.set(p); }
  void hold(bool on) { hold_ = on; }  // TREADY low while on
  const axis_port& port() const { return port_; }

  void drive(std::uint64_t) override { *port_.tready = !hold_ && !stall_.flip(); }
  void sample(std::uint64_t cycle) override {
    const bool valid = *port_.tvalid, last = port_.tlast && *port_.tlast;
    if (valid || stalled_) port_.read_data(now_);
    if (stalled_) {  // a beat was offered and refused last cycle: it must still be there, unchanged
      if (!valid)
        violate(cycle, fmt::format("TVALID dropped before the handshake of the beat offered at cycle {}", stalled_since_));
      else if (now_ != offered_ || last != offered_last_)
        violate(cycle, fmt::format("{} changed while TVALID && !TREADY (offered at cycle {}: {}{}, now {}{})",
                                   now_ != offered_ ? "TDATA" : "TLAST", stalled_since_, offered_.hex(),
                                   offered_last_ ? " last" : "", now_.hex(), last ? " last" : ""));
    }
    if (valid && *port_.tready) {
      ++accepted_;
      axis_beat beat{now_, last, cycle};
      if (handler_) handler_(beat);
      else beats_.push_back(std::move(beat));
      stalled_ = false;
    } else if (valid) {
      if (!stalled_) {
        stalled_since_ = cycle;
        offered_ = now_;
        offered_last_ = last;
      }
      stalled_ = true;
    } else {
      stalled_ = false;
    }
  }

 private:
  void violate(std::uint64_t cycle, std::string what) {
    if (violations_.size() < 100) violations_.push_back({cycle, fmt::format("{}: cycle {}: {}", port_.name, cycle, what)});
    // Re-arm on the new beat so one violation is reported once, not on every following cycle.
    stalled_since_ = cycle;
    port_.read_data(offered_);
    offered_last_ = port_.tlast && *port_.tlast;
  }

  clocked& sim_;
  axis_port port_;
  coin stall_;
  bool hold_ = false, stalled_ = false, offered_last_ = false;
  std::uint64_t stalled_since_ = 0;
  bitvec now_, offered_;
  std::size_t accepted_ = 0;
  std::vector<axis_beat> beats_;
  std::vector<protocol_violation> violations_;
  std::function<void(const axis_beat&)> handler_;
};

}  // namespace hlskit::cosim
