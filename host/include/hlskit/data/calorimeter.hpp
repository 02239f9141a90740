// Calorimeter-like events for the ECON-T autoencoder (DESIGN.md 5.1): seeded, reproducible
// synthetic energy deposits on the 8x8 input grid.
//
// Geometry. The grid has unit cell pitch; cell (r, c) covers [c, c+1) x [r, r+1) (x = column,
// y = row). ECON-T maps a hexagonal module's 48 sensor cells onto the 8x8 grid; here the active
// cells are every cell except the 4x4 block rows 4..7, cols 4..7, which is always exactly zero.
//
// Generative model, per event (energies in units of the electronic noise sigma):
//  1. Showers: 1 + Poisson(mean_extra_showers), at most max_showers.
//  2. Each shower: centre uniform over the active area (the L-shaped union of active cells,
//     continuous position); transverse width sigma = width_median * exp(width_log_sigma * N(0,1))
//     cell pitches, clamped to [width_min, width_max]; energy
//     E = energy_median * exp(energy_log_sigma * N(0,1)) (log-normal).
//  3. Deposit: E times the integral of the circular 2-D Gaussian (centre, sigma) over each active
//     cell (exact, separable: differences of the normal CDF at the cell edges). Energy falling on
//     the inactive block or outside the grid is lost (it belongs to other modules).
//  4. Noise: independent N(0, noise_sigma^2) added to every active cell.
//  5. Zero suppression: every cell below zero_suppression (after noise) is set to 0.
//  6. Sum-normalization to total 1. An event left all-zero is discarded and redrawn (its random
//     numbers are consumed, so the stream stays deterministic).
// Defaults: 1 + Poisson(0.6) showers (55 % one, 33 % two, 12 % three or four), median energy 50
// (log sigma 0.8: 10 % of showers below 18, 10 % above 139), median width 0.7 cell (log sigma
// 0.3, clamped to 0.3..2.0), noise sigma 1, zero suppression at 3 sigma. An event then has about
// 7 nonzero cells of 48, and 2.5 % of the draws end all-zero and are redrawn (mostly single
// low-energy showers, so accepted events have slightly more showers than the Poisson law).
//
// Randomness: one std::mt19937_64 seeded with `seed` (its output sequence is fixed by the C++
// standard), turned into uniforms (53 bits), normals (Box-Muller) and Poisson counts (product of
// uniforms) by code in calorimeter.cpp, never by the implementation-defined std:: distributions.
// The results are therefore the same with every standard library; they also use std::log, exp,
// cos, sin and erfc, which the common libms (glibc, musl, Apple, MSVC) may round differently in
// the last bit, so bit-identical output across operating systems is not promised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hlskit::data {

inline constexpr int calorimeter_rows = 8;
inline constexpr int calorimeter_cols = 8;
inline constexpr int calorimeter_cells = calorimeter_rows * calorimeter_cols;
inline constexpr int calorimeter_active_cells = 48;

// False for the 16 cells of the block rows 4..7, cols 4..7, which never hold energy.
constexpr bool is_active_cell(int row, int col) { return row < 4 || col < 4; }

struct calorimeter_options {
  double mean_extra_showers = 0.6;  // showers per event = 1 + Poisson(mean_extra_showers)
  int max_showers = 4;              // ... capped here
  double energy_median = 50.0;      // shower energy, log-normal, in noise sigmas
  double energy_log_sigma = 0.8;
  double width_median = 0.7;        // shower transverse sigma in cell pitches, log-normal
  double width_log_sigma = 0.3;
  double width_min = 0.3, width_max = 2.0;
  double noise_sigma = 1.0;         // electronic noise per active cell
  double zero_suppression = 3.0;    // cells below this are set to 0
};

// What was drawn for one (accepted) event.
struct calorimeter_truth {
  int showers = 0;
  double deposited = 0;  // shower energy landing on active cells, before noise
  int redraws = 0;       // all-zero draws discarded before this event
};

// n events, n * 64 values, row-major (event, row, col), each event summing to 1. Throws
// std::invalid_argument for options outside their domain (negative or non-finite values,
// max_showers < 1, width_min > width_max) and std::runtime_error if 1000 consecutive draws are
// all zero (options that suppress everything). `truth`, if given, receives one entry per event.
std::vector<double> generate_events(std::size_t n, std::uint64_t seed, const calorimeter_options& options = {},
                                    std::vector<calorimeter_truth>* truth = nullptr);

// Writes events (n * 64 values as returned above) as a float64 .npy of shape (n, 8, 8, 1), the
// autoencoder's input layout. Throws std::invalid_argument if the size is not a multiple of 64,
// hlskit::npy::error if the file cannot be written.
void write_events_npy(const std::string& path, const std::vector<double>& events);

}  // namespace hlskit::data
