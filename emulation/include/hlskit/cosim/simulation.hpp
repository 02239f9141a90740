// Cycle-based driver for a Verilated kernel top (DESIGN §6 ports: ap_clk, ap_rst_n, ...).
//
// One cycle = tick():
//   1. every attached agent drives the DUT inputs for this cycle (clock low),
//   2. eval with ap_clk = 0: combinational outputs settle,
//   3. every agent samples the settled signals: a handshake seen here happens at the edge,
//   4. eval with ap_clk = 1: the rising edge.
// Agents therefore decide their inputs from what they saw before the previous edge, exactly like
// registered testbench logic, and never race the DUT.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <verilated.h>
#include <verilated_fst_c.h>

namespace hlskit::cosim {

// A failure the cosimulation detects: a timeout, a protocol violation, a bad configuration.
class cosim_error : public std::runtime_error {
 public:
  cosim_error(const std::string& what, std::uint64_t cycle) : std::runtime_error(what), cycle_(cycle) {}
  std::uint64_t cycle() const { return cycle_; }

 private:
  std::uint64_t cycle_;
};

// Thrown by tick() past sim_options::stop_after, to cut a traced rerun short. Deliberately not a
// std::exception, so scenario code catching std::exception cannot swallow it.
struct stop_simulation {
  std::uint64_t cycle;
};

// Anything that drives or watches DUT ports once per cycle (bus masters, stream sources/sinks).
class agent {
 public:
  virtual ~agent() = default;
  virtual void drive(std::uint64_t cycle) = 0;   // set DUT inputs; clock is low
  virtual void sample(std::uint64_t cycle) = 0;  // settled signals just before the rising edge
};

inline constexpr std::uint32_t max_random_init_seed = 0x7fffffff;

struct sim_options {
  // Initial state of every variable (registers, RAM words, pipeline data) before reset: empty, all
  // zero (Verilator's default, under which a read of a never-written word passes by luck); a
  // seed, random bits from Verilator's randReset(2) with randSeed(seed) (same seed, same state).
  // Seeds are 1..2^31-1: Verilator reads seed 0 as "seed from the system", not reproducible.
  std::optional<std::uint32_t> random_init;
  std::string trace_path;  // FST waveform file; empty: no tracing and no tracing cost
  std::uint64_t trace_from = 0;                                          // first cycle dumped
  std::uint64_t trace_until = std::numeric_limits<std::uint64_t>::max();  // last cycle dumped
  std::uint64_t stop_after = std::numeric_limits<std::uint64_t>::max();   // see stop_simulation
};

// The model-independent part: cycle counter and agents. Stream agents attach to this.
class clocked {
 public:
  virtual ~clocked() = default;
  virtual void tick() = 0;
  void tick(std::uint64_t n) {
    while (n--) tick();
  }
  std::uint64_t cycle() const { return cycle_; }
  void attach(agent& a) { agents_.push_back(&a); }
  void detach(agent& a) { agents_.erase(std::remove(agents_.begin(), agents_.end(), &a), agents_.end()); }
  // Ticks until done() holds (checked before each tick); false if max_cycles passed first.
  template <class Done>
  bool run_until(Done&& done, std::uint64_t max_cycles) {
    for (std::uint64_t n = 0; !done(); ++n) {
      if (n == max_cycles) return false;
      tick();
    }
    return true;
  }

 protected:
  std::vector<agent*> agents_;
  std::uint64_t cycle_ = 0;
};

namespace detail {
template <class M, class = void>
struct has_fst_trace : std::false_type {};
template <class M>
struct has_fst_trace<M, std::void_t<decltype(std::declval<M&>().trace(std::declval<VerilatedFstC*>(), 99))>>
    : std::true_type {};

struct waveform {
  virtual ~waveform() = default;
  virtual void dump(std::uint64_t time) = 0;
};
// Only instantiated for models verilated with --trace-fst, so other builds never link the FST
// writer.
template <class M>
struct fst_waveform final : waveform {
  VerilatedFstC fst;
  fst_waveform(M& model, const std::string& path) {
    model.trace(&fst, 99);
    fst.open(path.c_str());
    if (!fst.isOpen()) throw cosim_error("cannot open waveform file " + path, 0);
  }
  ~fst_waveform() override { fst.close(); }
  void dump(std::uint64_t time) override { fst.dump(time); }
};
}  // namespace detail

template <class Model>
class simulation final : public clocked {
 public:
  static constexpr bool can_trace = detail::has_fst_trace<Model>::value;
  static constexpr std::uint64_t half_period = 5;  // time units; a 10-unit clock in waveforms

  explicit simulation(sim_options opt = {}) : opt_(std::move(opt)), ctx_(std::make_unique<VerilatedContext>()) {
    const bool tracing = !opt_.trace_path.empty();
    if (tracing) ctx_->traceEverOn(true);  // before the model is built, so it registers signals
    if (opt_.random_init) {  // before the model is built: its constructor draws the initial values
      if (*opt_.random_init == 0 || *opt_.random_init > max_random_init_seed)
        throw cosim_error("random initial state: seed " + std::to_string(*opt_.random_init) + " is out of range 1.." +
                              std::to_string(max_random_init_seed), 0);
      ctx_->randReset(2);
      ctx_->randSeed(static_cast<int>(*opt_.random_init));
    }
    model_ = std::make_unique<Model>(ctx_.get());
    if (tracing) {
      if constexpr (can_trace) {
        wave_ = std::make_unique<detail::fst_waveform<Model>>(*model_, opt_.trace_path);
      } else {
        throw cosim_error("waveform " + opt_.trace_path + " requested, but the model was verilated without --trace-fst", 0);
      }
    }
    model_->ap_clk = 0;
    model_->ap_rst_n = 0;
    model_->eval();
  }
  ~simulation() override {
    wave_.reset();
    model_->final();
  }
  simulation(const simulation&) = delete;
  simulation& operator=(const simulation&) = delete;

  Model& top() { return *model_; }
  VerilatedContext& context() { return *ctx_; }
  bool tracing() const { return wave_ != nullptr; }

  void tick() override {
    for (agent* a : agents_) a->drive(cycle_);
    model_->ap_clk = 0;
    eval_at(cycle_ * 2 * half_period);
    if (model_->ap_rst_n) // handshakes during reset do not count
      for (agent* a : agents_) a->sample(cycle_);
    model_->ap_clk = 1;
    eval_at(cycle_ * 2 * half_period + half_period);
    ++cycle_;
    if (cycle_ > opt_.stop_after) throw stop_simulation{cycle_};
  }
  using clocked::tick;

  // Synchronous active-low reset for `cycles` rising edges.
  void reset(int cycles = 4) {
    model_->ap_rst_n = 0;
    tick(static_cast<std::uint64_t>(cycles));
    model_->ap_rst_n = 1;
  }

 private:
  void eval_at(std::uint64_t time) {
    ctx_->time(time);
    model_->eval();
    if (wave_ && cycle_ >= opt_.trace_from && cycle_ <= opt_.trace_until) wave_->dump(time);
  }

  sim_options opt_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<detail::waveform> wave_;
};

}  // namespace hlskit::cosim
