// svm: how a model and its items meet the hardware (rtl/svm/svm_top.sv, DESIGN §5.2, §6): the
// register program of a parameter set, the stream layouts in device memory, and the RTL's
// timing. The register offsets come from the generated map (hlskit/hw/svm_hw.h); the cosim
// driver, the kernel declaration and the runtime all use these functions.
#pragma once

#include <hlskit/hw/svm_hw.h>
#include <hlskit/kernel.hpp>
#include <svm/svm.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace hlskit::svm {

template <class Config>
int beats_per_vector(const parameters<Config>& p) { return (p.features + Config::lanes - 1) / Config::lanes; }
template <class Config>
int pairs(const parameters<Config>& p) { return p.classes * (p.classes - 1) / 2; }

// The parameter sets svm_top runs (its "valid models"): 1 <= features <= MaxFeatures,
// 0 <= support_vectors <= MaxSupportVectors (0: decisions -rho), 2 <= classes <= MaxClasses, the
// class counts summing to support_vectors, a known kernel, polynomial degree 1..MaxDegree, and a
// requantization shift (product_frac - 14 for rbf, - 16 otherwise) of 0..62. Anything else is
// refused with std::invalid_argument naming `name`.
template <class Config>
void check_params(const parameters<Config>& p, const std::string& name) {
  const auto refuse = [&](const std::string& what) {
    throw std::invalid_argument(fmt::format("svm parameter set '{}': {}", name, what));
  };
  if (p.features < 1 || p.features > Config::max_features)
    refuse(fmt::format("{} features; the RTL runs 1..{}", p.features, Config::max_features));
  if (p.support_vectors < 0 || p.support_vectors > Config::max_support_vectors)
    refuse(fmt::format("{} support vectors; the RTL runs 0..{}", p.support_vectors, Config::max_support_vectors));
  if (p.classes < 2 || p.classes > Config::max_classes)
    refuse(fmt::format("{} classes; the RTL runs 2..{}", p.classes, Config::max_classes));
  int sum = 0;
  for (int c = 0; c < p.classes; ++c) {
    if (p.class_support_vectors[c] < 0) refuse(fmt::format("class {} has {} support vectors", c, p.class_support_vectors[c]));
    sum += p.class_support_vectors[c];
  }
  if (sum != p.support_vectors)
    refuse(fmt::format("the classes' support vectors sum to {}, not {}", sum, p.support_vectors));
  const int kind = static_cast<int>(p.kernel);
  if (kind < 0 || kind > 2) refuse(fmt::format("kernel kind {} (0 linear, 1 polynomial, 2 rbf)", kind));
  if (p.kernel == kernel_kind::polynomial && (p.degree < 1 || p.degree > Config::max_degree))
    refuse(fmt::format("polynomial degree {}; the RTL runs 1..{}", p.degree, Config::max_degree));
  const int shift = p.product_frac - (p.kernel == kernel_kind::rbf ? 14 : 16);
  if (shift < 0 || shift > 62) refuse(fmt::format("requantization shift {} (product_frac {}); the RTL runs 0..62", shift, p.product_frac));
}

// The AXI-Lite writes that load `p`: the control registers and the memory words it uses (SVs
// k < support_vectors, features j < features, coefficient rows m < classes - 1), every class and
// pair register (unused ones zero). The kernel must be idle.
template <class Config>
std::vector<register_write> register_program(const parameters<Config>& p) {
  static_assert(XSVM_CONTROL_BYTES_CLASS_SUPPORT_VECTORS_ENTRY == 4 && XSVM_CONTROL_BYTES_LABEL_ENTRY == 4 &&
                    XSVM_CONTROL_BYTES_RHO_ENTRY == 8 && XSVM_CONTROL_BYTES_COEF_ENTRY == 4 &&
                    XSVM_CONTROL_BYTES_SUPPORT_VECTOR_ENTRY == 4,
                "the program writes 32-bit entries and 64-bit rho entries (low word first)");
  std::vector<register_write> w;
  w.reserve(16 + 2 * Config::max_classes + 2 * Config::max_pairs +
            static_cast<std::size_t>(p.support_vectors) * static_cast<std::size_t>(p.features + p.classes));
  auto put = [&](std::uint32_t offset, std::int64_t v) { w.push_back({offset, static_cast<std::uint32_t>(v)}); };
  put(XSVM_CONTROL_ADDR_FEATURES_DATA, p.features);
  put(XSVM_CONTROL_ADDR_SUPPORT_VECTORS_DATA, p.support_vectors);
  put(XSVM_CONTROL_ADDR_CLASSES_DATA, p.classes);
  put(XSVM_CONTROL_ADDR_KERNEL_DATA, static_cast<int>(p.kernel));
  put(XSVM_CONTROL_ADDR_DEGREE_DATA, p.degree);
  put(XSVM_CONTROL_ADDR_GAMMA_DATA, p.gamma.raw());
  put(XSVM_CONTROL_ADDR_PRODUCT_FRAC_DATA, p.product_frac);
  put(XSVM_CONTROL_ADDR_COEF0_DATA, p.coef0.raw());
  for (std::uint32_t c = 0; c < Config::max_classes; ++c) {
    put(XSVM_CONTROL_ADDR_CLASS_SUPPORT_VECTORS_BASE + 4 * c, p.class_support_vectors[c]);
    put(XSVM_CONTROL_ADDR_LABEL_BASE + 4 * c, p.label[c]);
  }
  for (std::uint32_t q = 0; q < Config::max_pairs; ++q) {  // 8 bytes per entry: low word, high word
    put(XSVM_CONTROL_ADDR_RHO_BASE + 8 * q, p.rho[q].raw());
    put(XSVM_CONTROL_ADDR_RHO_BASE + 8 * q + 4, p.rho[q].raw() >> 32);
  }
  for (int m = 0; m + 1 < p.classes; ++m)
    for (int k = 0; k < p.support_vectors; ++k)
      put(XSVM_CONTROL_ADDR_COEF_BASE + 4u * static_cast<std::uint32_t>(m * Config::max_support_vectors + k),
          p.coef[m][k].raw());
  for (int k = 0; k < p.support_vectors; ++k)
    for (int j = 0; j < p.features; ++j)
      put(XSVM_CONTROL_ADDR_SUPPORT_VECTOR_BASE + 4u * static_cast<std::uint32_t>(k * Config::max_features + j),
          p.support_vector[k][j].raw());
  return w;
}

// in_r: feature j (feature_t code) at lane j % Lanes of beat j / Lanes, ceil(features / Lanes)
// beats of Lanes x 16 bits per item; in memory, feature j's int16 at byte 2 j (lanes past
// `features` are ignored by the kernel and written zero by the runtime's users).
template <class Config>
stream_layout input_layout(const parameters<Config>& p) {
  return {static_cast<unsigned>(16 * Config::lanes), static_cast<std::size_t>(beats_per_vector(p))};
}
// out_r: 64-bit beats; beat 0 = {class index in [39:32], label in [31:0]}, then one beat per pair
// (libsvm's order) holding the sign-extended decision_t code.
template <class Config>
stream_layout output_layout(const parameters<Config>& p) {
  return {64u, 1 + static_cast<std::size_t>(pairs(p))};
}

// One item through the C++ kernel, in the memory layouts above.
template <class Config>
void classify_item(const std::uint8_t* in, std::uint8_t* out, const parameters<Config>& p) {
  typename Config::feature_t x[Config::max_features] = {};
  for (int j = 0; j < p.features; ++j) {
    std::uint16_t code;
    std::memcpy(&code, in + 2 * j, 2);  // little-endian host (x86-64, the only target built)
    x[j] = Config::feature_t::from_raw(static_cast<std::int16_t>(code));
  }
  result<Config> r;
  classify<Config>(x, p, r);
  const std::uint64_t head = (static_cast<std::uint64_t>(r.class_index.raw()) << 32) | static_cast<std::uint32_t>(r.label);
  std::memcpy(out, &head, 8);
  for (int q = 0; q < pairs(p); ++q) {
    const std::int64_t d = r.decision[q].raw();
    std::memcpy(out + 8 * (q + 1), &d, 8);
  }
}

// Cycles between consecutive vectors' last output beats (no back-pressure, the output not the
// bottleneck): support_vectors * ceil(features / Lanes) + this (svm_top.sv derives it). A model
// without support vectors skips the datapath: max(ceil(features / Lanes), 1 + pairs) cycles.
template <class Config>
constexpr int overhead_cycles(kernel_kind kind) {
  return kind == kernel_kind::linear ? 8 : kind == kernel_kind::rbf ? 12 : 8 + Config::max_degree;
}
template <class Config>
std::uint64_t cycles_per_vector(const parameters<Config>& p) {
  if (p.support_vectors == 0) return static_cast<std::uint64_t>(std::max(beats_per_vector(p), 1 + pairs(p)));
  return static_cast<std::uint64_t>(p.support_vectors) * static_cast<std::uint64_t>(beats_per_vector(p)) +
         static_cast<std::uint64_t>(overhead_cycles<Config>(p.kernel));
}

// Cycles of a run of `items` vectors, from the cycle the ap_start write completes (its B
// handshake) to the cycle the interrupt (ap_done, through ISR) is high, the input always offered
// and the output always taken: the vector interval per vector plus 7 (the start, the issue of the
// first vector, and the last vector's decisions through the result registers and out_r, measured
// on the breast-cancer and iris models: tests/cosim/test_cycle_model checks it exactly). A
// zero-vector run on an empty datapath is done by the time the write completes.
template <class Config>
std::uint64_t run_cycles(const parameters<Config>& p, std::uint64_t items) {
  return items == 0 ? 0 : items * cycles_per_vector(p) + 7;
}

}  // namespace hlskit::svm
