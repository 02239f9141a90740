// host_autoencoder: the ECON-T autoencoder's encoder through the hlskit host runtime, as a driver
// on a host links it. Opens a device (argv[1], else $HLSKIT_EMULATION, else csim), the
// autoencoder on its paper config (econt) with the embedded model, runs a few synthetic
// calorimeter events and prints their 16 latents (ufixed<9,0>: code / 512).
//
//   host_autoencoder [csim|systemc|rtl] [events]
//
// stdout: one line per event (the same on every backend); stderr: the device and the timing.
#include <hlskit/host.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

namespace {

// A shower: a Gaussian blob on the 8x8 grid, sum-normalized and quantized to ufixed<8,1>
// (code = round(value * 128), at most 255), row-major, one byte per cell.
std::vector<std::uint8_t> event(int e) {
  const double cx = 1.5 + (e * 37 % 50) / 10.0, cy = 1.0 + (e * 53 % 60) / 10.0, width = 0.7 + (e % 4) * 0.3;
  double cells[64], sum = 0;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) {
      const double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
      cells[8 * y + x] = std::exp(-d2 / (2 * width * width));
      sum += cells[8 * y + x];
    }
  std::vector<std::uint8_t> codes(64);
  for (int i = 0; i < 64; ++i) codes[i] = static_cast<std::uint8_t>(std::min(255.0, std::round(cells[i] / sum * 128)));
  return codes;
}

// The bits of an item's beats in order (beat b's TDATA bit t is bit b * beat_bits + t), read as
// consecutive unsigned fields of `width` bits.
std::vector<unsigned> fields(const std::uint8_t* item, const hlskit::stream_layout& l, unsigned width) {
  std::vector<unsigned> out;
  const std::size_t total = l.beats * l.beat_bits;
  for (std::size_t start = 0; start + width <= total; start += width) {
    unsigned v = 0;
    for (unsigned k = 0; k < width; ++k) {
      const std::size_t bit = start + k, beat = bit / l.beat_bits, t = bit % l.beat_bits;
      v |= ((item[beat * l.beat_bytes() + t / 8] >> (t % 8)) & 1u) << k;
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string backend = argc > 1 ? argv[1] : "";
    const int events = argc > 2 ? std::atoi(argv[2]) : 4;
    if (events < 1 || events > 100000) {
      std::fprintf(stderr, "host_autoencoder: events must be 1..100000\n");
      return 2;
    }
    auto dev = hlskit::device::open(backend);
    auto k = dev.kernel("autoencoder", "econt");
    k.load_model("");  // the embedded default model
    const hlskit::stream_layout in_l = k.input(), out_l = k.output();
    if (in_l.item_bytes() != 64) {
      std::fprintf(stderr, "host_autoencoder: expected 64-byte input items (8x8 cells), the kernel takes %zu\n",
                   in_l.item_bytes());
      return 1;
    }
    const std::size_t n = static_cast<std::size_t>(events);
    hlskit::buffer in(dev, n * in_l.item_bytes()), out(dev, n * out_l.item_bytes());
    for (std::size_t e = 0; e < n; ++e) in.write(event(static_cast<int>(e)).data(), 64, e * 64);
    in.sync(hlskit::sync::to_device);

    const auto t0 = std::chrono::steady_clock::now();
    hlskit::run r = k(in, out, n);
    r.wait(std::chrono::seconds(60));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    out.sync(hlskit::sync::from_device);
    std::vector<std::uint8_t> result(out.size());
    out.read(result.data(), result.size());
    for (std::size_t e = 0; e < n; ++e) {
      const auto latents = fields(result.data() + e * out_l.item_bytes(), out_l, 9);
      std::printf("event %zu:", e);
      for (std::size_t i = 0; i < 16 && i < latents.size(); ++i) std::printf(" %.4f", latents[i] / 512.0);
      std::printf("\n");
    }
    std::fprintf(stderr, "device %s: %s/%s, %zu events, %llu cycles, simulated %.1f ns, wall %.3f ms\n",
                 dev.name().c_str(), k.name().c_str(), k.config().c_str(), n,
                 static_cast<unsigned long long>(r.cycles()), r.simulated_time().count(), wall * 1e3);
    return 0;
  } catch (const hlskit::timeout_error& e) {
    std::fprintf(stderr, "host_autoencoder: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "host_autoencoder: %s\n", e.what());
    return 2;
  }
}
