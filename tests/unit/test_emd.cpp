// Tests of hlskit::emd: hand-checkable distances, metric properties, and agreement with three
// independent references (the 1-D closed form, enumeration of every vertex of the transportation
// polytope, and a successive-shortest-path solver), plus the malformed-input errors.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "hlskit/emd.hpp"

using hlskit::emd;

namespace {

using grid = std::vector<double>;

double cell_distance(int p, int q, int cols) {
  const int dr = p / cols - q / cols, dc = p % cols - q % cols;
  return std::sqrt(double(dr * dr + dc * dc));
}

// Random non-negative grid with about `density` of the cells nonzero (at least one).
grid random_grid(std::mt19937_64& rng, int cells, double density) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  grid g(cells, 0.0);
  for (double& x : g)
    if (u(rng) < density) x = u(rng);
  g[rng() % cells] += 0.25;
  return g;
}

std::vector<double> normalized_support(const grid& g, std::vector<int>& cells) {
  double total = 0;
  for (double x : g) total += x;
  std::vector<double> mass;
  cells.clear();
  for (int c = 0; c < static_cast<int>(g.size()); ++c)
    if (g[c] > 0) cells.push_back(c), mass.push_back(g[c] / total);
  return mass;
}

// Reference 1: on a single row (or column) the EMD is the L1 distance between the CDFs.
double emd_1d(const grid& a, const grid& b) {
  double ta = 0, tb = 0, ca = 0, cb = 0, sum = 0;
  for (std::size_t k = 0; k < a.size(); ++k) ta += a[k], tb += b[k];
  for (std::size_t k = 0; k + 1 < a.size(); ++k) {
    ca += a[k] / ta;
    cb += b[k] / tb;
    sum += std::abs(ca - cb);
  }
  return sum;
}

// Reference 2: every basic solution of the transportation problem is a spanning tree of m+n-1
// arcs; enumerate all arc subsets of that size, solve each by peeling leaves, keep the cheapest
// feasible one. Exponential, so only for m * n <= 16.
double emd_vertex_enumeration(const grid& a, const grid& b, int cols) {
  std::vector<int> sc, tc;
  const std::vector<double> s = normalized_support(a, sc), t = normalized_support(b, tc);
  const int m = static_cast<int>(s.size()), n = static_cast<int>(t.size()), arcs = m * n;
  if (arcs > 16) throw std::logic_error("too many arcs to enumerate");
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t mask = 0; mask < (1u << arcs); ++mask) {
    if (static_cast<int>(std::bitset<32>(mask).count()) != m + n - 1) continue;
    std::vector<double> left(s);
    left.insert(left.end(), t.begin(), t.end());
    std::vector<double> flow(arcs, 0.0);
    std::uint32_t open = mask;
    bool progress = true;
    while (open != 0 && progress) {
      progress = false;
      for (int v = 0; v < m + n; ++v) {  // a node with exactly one open arc fixes that arc's flow
        int count = 0, only = -1;
        for (int k = 0; k < arcs; ++k)
          if ((open >> k & 1) && (v < m ? k / n == v : k % n == v - m)) ++count, only = k;
        if (count != 1) continue;
        const int other = v < m ? m + only % n : only / n;
        flow[only] = left[v];
        left[other] -= left[v];
        left[v] = 0;
        open &= ~(1u << only);
        progress = true;
      }
    }
    if (open != 0) continue;  // the subset has a cycle: not a basis
    bool feasible = true;
    double cost = 0;
    for (int k = 0; k < arcs; ++k) {
      feasible = feasible && flow[k] >= -1e-12;
      cost += flow[k] * cell_distance(sc[k / n], tc[k % n], cols);
    }
    for (double r : left) feasible = feasible && std::abs(r) < 1e-12;
    if (feasible) best = std::min(best, cost);
  }
  return best;
}

// Reference 3: successive shortest paths (Bellman-Ford on the residual graph, double flows).
double emd_shortest_paths(const grid& a, const grid& b, int cols) {
  std::vector<int> sc, tc;
  std::vector<double> supply = normalized_support(a, sc), demand = normalized_support(b, tc);
  const int m = static_cast<int>(supply.size()), n = static_cast<int>(demand.size());
  const double inf = std::numeric_limits<double>::infinity(), eps = 1e-14;
  std::vector<double> flow(m * n, 0.0), cost(m * n);
  for (int k = 0; k < m * n; ++k) cost[k] = cell_distance(sc[k / n], tc[k % n], cols);
  for (;;) {
    std::vector<double> ds(m, inf), dt(n, inf);
    std::vector<int> from_sink(m, -1), from_source(n, -1);
    for (int i = 0; i < m; ++i)
      if (supply[i] > eps) ds[i] = 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (int k = 0; k < m * n; ++k) {
        const int i = k / n, j = k % n;
        if (ds[i] + cost[k] < dt[j] - 1e-13) dt[j] = ds[i] + cost[k], from_source[j] = i, changed = true;
        if (flow[k] > eps && dt[j] - cost[k] < ds[i] - 1e-13) ds[i] = dt[j] - cost[k], from_sink[i] = j, changed = true;
      }
    }
    int end = -1;
    for (int j = 0; j < n; ++j)
      if (demand[j] > eps && dt[j] < inf && (end < 0 || dt[j] < dt[end])) end = j;
    if (end < 0) break;
    double delta = demand[end];
    int i = from_source[end];
    for (int j = end;; j = from_sink[i], i = from_source[j]) {
      if (from_sink[i] < 0) {
        delta = std::min(delta, supply[i]);
        break;
      }
      delta = std::min(delta, flow[i * n + from_sink[i]]);
    }
    i = from_source[end];
    demand[end] -= delta;
    for (int j = end;; j = from_sink[i], i = from_source[j]) {
      flow[i * n + j] += delta;
      if (from_sink[i] < 0) {
        supply[i] -= delta;
        break;
      }
      flow[i * n + from_sink[i]] -= delta;
    }
  }
  double total = 0;
  for (int k = 0; k < m * n; ++k) total += flow[k] * cost[k];
  return total;
}

grid point(int cells, int at) {
  grid g(cells, 0.0);
  g[at] = 1.0;
  return g;
}

}  // namespace

TEST(Emd, IdenticalInputsAreAtDistanceZero) {
  std::mt19937_64 rng(1);
  for (int t = 0; t < 20; ++t) {
    const grid a = random_grid(rng, 64, 0.5);
    EXPECT_EQ(emd(a, a, 8, 8), 0.0);
  }
}

TEST(Emd, PointMassesAreAtTheirEuclideanDistance) {
  EXPECT_EQ(emd(point(64, 0), point(64, 1), 8, 8), 1.0);            // one cell sideways
  EXPECT_EQ(emd(point(64, 0), point(64, 8), 8, 8), 1.0);            // one cell down
  EXPECT_EQ(emd(point(64, 9), point(64, 0), 8, 8), std::sqrt(2.0));  // diagonal
  EXPECT_EQ(emd(point(64, 0), point(64, 8 * 2 + 1), 8, 8), std::sqrt(5.0));
  EXPECT_EQ(emd(point(64, 0), point(64, 63), 8, 8), std::sqrt(98.0));  // corner to corner
  EXPECT_EQ(emd(point(12, 0), point(12, 11), 3, 4), std::sqrt(4.0 + 9.0));  // non-square grid
}

TEST(Emd, SplitMassCostsTheWeightedSumOfDistances) {
  grid a(64, 0.0), b(64, 0.0);
  a[0] = 2.0;
  b[1] = 1.0;           // half moves 1
  b[3 * 8 + 4] = 1.0;   // half moves 5 (3-4-5 triangle)
  EXPECT_NEAR(emd(a, b, 8, 8), 0.5 * 1 + 0.5 * 5, 1e-15);
  b[1] = 3.0;  // three quarters move 1, one quarter moves 5
  EXPECT_NEAR(emd(a, b, 8, 8), 0.75 * 1 + 0.25 * 5, 1e-15);
}

TEST(Emd, BeatsTheGreedyNearestMatching) {
  // Sources A=(0,0), B=(1,2); sinks C=(0,2), D=(2,3), half the mass each. The shortest arc is
  // B-C (1); taking it first forces A-D (sqrt 13): 2.30 per unit. Optimal: A-C (2) + B-D (sqrt 2).
  grid a(16, 0.0), b(16, 0.0);
  a[0 * 4 + 0] = a[1 * 4 + 2] = 1.0;
  b[0 * 4 + 2] = b[2 * 4 + 3] = 1.0;
  const double optimal = 0.5 * (2.0 + std::sqrt(2.0)), greedy = 0.5 * (1.0 + std::sqrt(13.0));
  EXPECT_NEAR(emd(a, b, 4, 4), optimal, 1e-15);
  EXPECT_LT(optimal, greedy - 0.5);
}

TEST(Emd, TranslationCostsTheShiftLength) {
  // Moving every cell by the same vector v costs exactly |v| (the plan "shift" achieves it, and
  // the 1-Lipschitz potential x . v/|v| proves nothing cheaper exists). 64x64, 300 nonzero cells.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  grid a(64 * 64, 0.0), b(64 * 64, 0.0);
  for (int r = 10; r < 30; ++r)
    for (int c = 20; c < 40; ++c)
      if (u(rng) < 0.75) a[r * 64 + c] = b[(r + 3) * 64 + c + 4] = u(rng);
  EXPECT_NEAR(emd(a, b, 64, 64), 5.0, 1e-12);
  EXPECT_NEAR(emd(b, a, 64, 64), 5.0, 1e-12);
}

TEST(Emd, MatchesTheClosedFormInOneDimension) {
  std::mt19937_64 rng(2);
  for (int t = 0; t < 200; ++t) {
    const int length = 2 + static_cast<int>(rng() % 40);
    const grid a = random_grid(rng, length, 0.5), b = random_grid(rng, length, 0.5);
    const double expected = emd_1d(a, b);
    EXPECT_NEAR(emd(a, b, 1, length), expected, 1e-12) << "row of " << length;
    EXPECT_NEAR(emd(a, b, length, 1), expected, 1e-12) << "column of " << length;
  }
}

TEST(Emd, MatchesVertexEnumerationOnTinyGrids) {
  std::mt19937_64 rng(3);
  for (int t = 0; t < 150; ++t) {
    grid a(6, 0.0), b(6, 0.0);  // 2x3 grid, 1..4 nonzero cells in each input
    for (grid* g : {&a, &b}) {
      const int support = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < support; ++k) (*g)[rng() % 6] = 0.05 + std::uniform_real_distribution<double>(0, 1)(rng);
    }
    EXPECT_NEAR(emd(a, b, 2, 3), emd_vertex_enumeration(a, b, 3), 1e-12) << "case " << t;
  }
}

TEST(Emd, MatchesSuccessiveShortestPaths) {
  std::mt19937_64 rng(4);
  const struct {
    int rows, cols, cases;
    double density;
  } sizes[] = {{3, 3, 100, 0.6}, {4, 4, 100, 0.5}, {8, 8, 40, 0.3}, {8, 8, 10, 1.0}, {5, 12, 10, 0.4}};
  for (const auto& s : sizes)
    for (int t = 0; t < s.cases; ++t) {
      const grid a = random_grid(rng, s.rows * s.cols, s.density), b = random_grid(rng, s.rows * s.cols, s.density);
      EXPECT_NEAR(emd(a, b, s.rows, s.cols), emd_shortest_paths(a, b, s.cols), 1e-10)
          << s.rows << "x" << s.cols << " case " << t;
    }
}

TEST(Emd, IntegerValuedInputsWithManyTies) {
  // Small integer masses (as in the digits data) make many alternative optima; the perturbation
  // keeps the simplex from cycling and the result must still be optimal.
  std::mt19937_64 rng(5);
  for (int t = 0; t < 40; ++t) {
    grid a(64), b(64);
    for (int c = 0; c < 64; ++c) a[c] = double(rng() % 3), b[c] = double(rng() % 3);
    a[0] += 1, b[63] += 1;
    EXPECT_NEAR(emd(a, b, 8, 8), emd_shortest_paths(a, b, 8), 1e-10) << "case " << t;
  }
}

TEST(Emd, IsSymmetricAndSatisfiesTheTriangleInequality) {
  std::mt19937_64 rng(6);
  for (int t = 0; t < 100; ++t) {
    const grid a = random_grid(rng, 64, 0.4), b = random_grid(rng, 64, 0.4), c = random_grid(rng, 64, 0.4);
    const double ab = emd(a, b, 8, 8), bc = emd(b, c, 8, 8), ac = emd(a, c, 8, 8);
    EXPECT_NEAR(ab, emd(b, a, 8, 8), 1e-12);
    EXPECT_LE(ac, ab + bc + 1e-12);
    EXPECT_GT(ab, 0.0);
  }
}

TEST(Emd, IsInvariantToScalingEitherInput) {
  std::mt19937_64 rng(8);
  for (int t = 0; t < 20; ++t) {
    const grid a = random_grid(rng, 64, 0.5), b = random_grid(rng, 64, 0.5);
    const double reference = emd(a, b, 8, 8);
    for (double k : {1e-300, 1e-3, 0.5, 3.0, 7.1e5, 1e300}) {
      grid ka = a, kb = b;
      for (double& x : ka) x *= k;
      for (double& x : kb) x *= k;
      EXPECT_NEAR(emd(ka, b, 8, 8), reference, 1e-12) << "a scaled by " << k;
      EXPECT_NEAR(emd(a, kb, 8, 8), reference, 1e-12) << "b scaled by " << k;
    }
  }
}

TEST(Emd, EigenOverloadTreatsTheMatrixAsTheGrid) {
  std::mt19937_64 rng(9);
  const grid a = random_grid(rng, 5 * 7, 0.5), b = random_grid(rng, 5 * 7, 0.5);
  Eigen::MatrixXd ma(5, 7), mb(5, 7);  // column-major storage, filled as row-major grids
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 7; ++c) ma(r, c) = a[r * 7 + c], mb(r, c) = b[r * 7 + c];
  const double expected = emd(a, b, 5, 7);
  EXPECT_NEAR(emd(ma, mb), expected, 1e-15);
  EXPECT_NEAR(emd(ma.transpose(), mb.transpose()), expected, 1e-12);
  Eigen::MatrixXd big = Eigen::MatrixXd::Zero(9, 9);
  big.block(2, 1, 5, 7) = ma;  // a strided block of a larger matrix
  EXPECT_NEAR(emd(big.block(2, 1, 5, 7), mb), expected, 1e-15);
  EXPECT_THROW(emd(ma, mb.transpose()), std::invalid_argument);
}

TEST(Emd, RejectsMalformedInput) {
  const grid good = point(64, 5);
  auto message_of = [](auto&& call) {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  grid negative = good;
  negative[12] = -0.5;
  EXPECT_NE(message_of([&] { emd(negative, good, 8, 8); }).find("a[12] (row 1, col 4)"), std::string::npos);
  EXPECT_NE(message_of([&] { emd(good, negative, 8, 8); }).find("b[12]"), std::string::npos);
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    grid g = good;
    g[3] = bad;
    EXPECT_THROW(emd(g, good, 8, 8), std::invalid_argument);
  }
  const grid zero(64, 0.0);
  EXPECT_NE(message_of([&] { emd(zero, good, 8, 8); }).find("input a is all zero"), std::string::npos);
  EXPECT_NE(message_of([&] { emd(good, zero, 8, 8); }).find("input b is all zero"), std::string::npos);
  EXPECT_THROW(emd(zero, zero, 8, 8), std::invalid_argument);
  EXPECT_THROW(emd(good, good, 8, 7), std::invalid_argument);                     // size mismatch
  EXPECT_THROW(emd(good, grid(63, 1.0), 8, 8), std::invalid_argument);
  EXPECT_THROW(emd(good.data(), good.data(), 0, 8), std::invalid_argument);       // empty grid
  EXPECT_THROW(emd(good.data(), good.data(), 8, -1), std::invalid_argument);
  EXPECT_THROW(emd(nullptr, good.data(), 8, 8), std::invalid_argument);
  EXPECT_THROW(emd(good.data(), good.data(), 1 << 11, 1 << 10), std::invalid_argument);  // > 2^20 cells
}
