// The csim backend: device memory in host vectors, a kernel is its C++ model
// (loaded_model::csim), computed when the run is waited for (start only records the run, as a
// start register write does). It has no time: run_timing is zero.
#include "runtime.hpp"

#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

namespace hlskit::detail {

namespace {

std::string hex(std::uint64_t v) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
  return text;
}

class csim_backend final : public backend {
 public:
  static constexpr std::uint64_t base = 0x1000;       // device addresses start here
  static constexpr std::uint64_t alignment = 0x1000;  // and every buffer starts on a 4 KiB boundary

  std::uint64_t allocate(std::size_t bytes) override {
    if (bytes == 0) throw error("csim: a device allocation of 0 bytes");
    const std::uint64_t span = (static_cast<std::uint64_t>(bytes) + alignment - 1) / alignment * alignment;
    if (span < bytes || next_ > UINT64_MAX - span) throw error("csim: device address space exhausted");
    std::vector<std::uint8_t> block;
    try {
      block.assign(bytes, 0);
    } catch (const std::bad_alloc&) {
      throw error("csim: device memory exhausted: cannot allocate " + std::to_string(bytes) + " bytes");
    }
    const std::uint64_t address = next_;
    next_ += span;  // addresses are never reused: a stale address is always an error
    blocks_.emplace(address, std::move(block));
    return address;
  }

  void release(std::uint64_t address) noexcept override { blocks_.erase(address); }

  void write(std::uint64_t address, const std::uint8_t* src, std::size_t bytes) override {
    if (bytes != 0) std::memcpy(at(address, bytes, "write"), src, bytes);
  }

  void read(std::uint64_t address, std::uint8_t* dst, std::size_t bytes) override {
    if (bytes != 0) std::memcpy(dst, at(address, bytes, "read"), bytes);
  }

  std::unique_ptr<backend_kernel> open_kernel(const kernel_decl& kernel, const config_decl& config) override;

  // Bytes [address, address + bytes) inside one allocation; hlskit::error otherwise.
  std::uint8_t* at(std::uint64_t address, std::size_t bytes, const char* what) {
    auto it = blocks_.upper_bound(address);
    if (it != blocks_.begin()) {
      --it;
      const std::uint64_t offset = address - it->first;
      if (offset <= it->second.size() && bytes <= it->second.size() - offset) return it->second.data() + offset;
    }
    throw error(std::string("csim: device ") + what + " of " + std::to_string(bytes) + " bytes at " + hex(address) +
                " is outside every allocated buffer");
  }

 private:
  std::map<std::uint64_t, std::vector<std::uint8_t>> blocks_;
  std::uint64_t next_ = base;
};

class csim_kernel final : public backend_kernel {
 public:
  csim_kernel(csim_backend& memory, std::string label) : memory_(memory), label_(std::move(label)) {}

  void load(std::shared_ptr<const loaded_model> model) override { model_ = std::move(model); }

  void start(std::uint64_t in, std::uint64_t out, std::size_t items) override {
    if (!model_) throw error("csim: " + label_ + ": started without a model");
    in_ = in;
    out_ = out;
    items_ = items;
    running_ = true;
  }

  // The whole run, whatever the timeout: the C model cannot be interrupted.
  bool wait(std::chrono::milliseconds) override {
    if (!running_) return true;
    running_ = false;  // even if the memory is gone: the run is over
    const std::size_t in_bytes = items_ * model_->input().item_bytes();
    const std::size_t out_bytes = items_ * model_->output().item_bytes();
    const std::uint8_t* src = memory_.at(in_, in_bytes, "read");
    std::uint8_t* dst = memory_.at(out_, out_bytes, "write");
    if (items_ == 0) return true;
    const bool overlap = src < dst + out_bytes && dst < src + in_bytes;
    if (overlap) {  // in place (in is out): the kernel reads every input before it writes
      const std::vector<std::uint8_t> copy(src, src + in_bytes);
      model_->csim(copy.data(), dst, items_);
    } else {
      model_->csim(src, dst, items_);
    }
    return true;
  }

  run_timing timing() const override { return {}; }

 private:
  csim_backend& memory_;
  std::string label_;
  std::shared_ptr<const loaded_model> model_;
  std::uint64_t in_ = 0, out_ = 0;
  std::size_t items_ = 0;
  bool running_ = false;
};

std::unique_ptr<backend_kernel> csim_backend::open_kernel(const kernel_decl& kernel, const config_decl& config) {
  return std::make_unique<csim_kernel>(*this, kernel.name + "/" + config.name);
}

}  // namespace

std::unique_ptr<backend> open_csim(const device_options&) { return std::make_unique<csim_backend>(); }

}  // namespace hlskit::detail
