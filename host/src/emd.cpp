// Exact EMD on a grid by the primal network simplex method (see emd.hpp for the method and its
// accuracy). Nodes 0..m-1 are the source cells (nonzero in a), m..m+n-1 the sink cells (nonzero
// in b); every arc runs source -> sink with infinite capacity and cost = distance between cells.
// The basis is a spanning tree of m+n-1 arcs rooted at node 0, each arc stored at its child end;
// potentials satisfy pi[sink] = pi[source] + cost on tree arcs, so the reduced cost of an arc is
// cost + pi[source] - pi[sink].
#include "hlskit/emd.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>

namespace hlskit {
namespace {

using mass_t = std::int64_t;

// An arc enters the basis only below this reduced cost (cell units). Potentials carry rounding
// noise of about depth * ulp(pi) (~1e-13 on 8x8 trees), so this stays well above it, and stopping
// at it costs at most 1e-11 of distance per unit of mass.
constexpr double kEnteringTolerance = 1e-11;
constexpr std::int64_t kMaxCells = std::int64_t{1} << 20;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument("emd: " + message); }

class network_simplex {
 public:
  double solve(const double* a, const double* b, int rows, int cols) {
    if (rows < 1 || cols < 1)
      fail("grid must be at least 1x1, got " + std::to_string(rows) + "x" + std::to_string(cols));
    if (a == nullptr || b == nullptr) fail("null input pointer");
    if (static_cast<std::int64_t>(rows) * cols > kMaxCells)
      fail("grid " + std::to_string(rows) + "x" + std::to_string(cols) + " has more than 2^20 cells");
    rows_ = rows;
    cols_ = cols;
    const int cells = rows * cols;
    // Flows must stay below 2^62 after scaling by (m+1) for the perturbation.
    total_ = std::min<mass_t>(mass_t{1} << 52, (mass_t{1} << 62) / (cells + 1));
    quantize(a, "a", qa_);
    quantize(b, "b", qb_);
    set_up_nodes();
    prepare_distances();
    initial_basis();
    iterate();
    return optimal_cost();
  }

 private:
  // Validates one input and rounds it to integer masses summing exactly to total_: scaled down by
  // the largest entry first (so huge inputs cannot overflow), floored, and the remaining units
  // given to the cells with the largest fractional parts (largest-remainder rounding).
  void quantize(const double* x, const char* name, std::vector<mass_t>& q) {
    const int cells = rows_ * cols_;
    double largest = 0;
    for (int c = 0; c < cells; ++c) {
      if (!std::isfinite(x[c]) || x[c] < 0)
        fail(std::string("input ") + name + "[" + std::to_string(c) + "] (row " + std::to_string(c / cols_) +
             ", col " + std::to_string(c % cols_) + ") = " + std::to_string(x[c]) +
             " is not a finite non-negative number");
      largest = std::max(largest, x[c]);
    }
    if (largest == 0) fail(std::string("input ") + name + " is all zero; it has no distribution to compare");
    double sum = 0;
    for (int c = 0; c < cells; ++c) sum += x[c] / largest;
    const double scale = static_cast<double>(total_) / sum;
    q.assign(cells, 0);
    remainder_.assign(cells, 0.0);
    order_.clear();
    mass_t assigned = 0;
    for (int c = 0; c < cells; ++c) {
      if (x[c] == 0) continue;
      const double v = x[c] / largest * scale;
      q[c] = static_cast<mass_t>(std::floor(v));
      remainder_[c] = v - std::floor(v);
      assigned += q[c];
      order_.push_back(c);
    }
    std::stable_sort(order_.begin(), order_.end(), [&](int l, int r) { return remainder_[l] > remainder_[r]; });
    // |deficit| is at most about 2 units per cell (floor plus one rounding of v).
    mass_t deficit = total_ - assigned;
    for (std::size_t t = 0; deficit > 0; t = (t + 1) % order_.size(), --deficit) ++q[order_[t]];
    for (std::size_t t = order_.size() - 1; deficit < 0; t = (t == 0 ? order_.size() - 1 : t - 1))
      if (q[order_[t]] > 0) --q[order_[t]], ++deficit;
  }

  // Nodes, their coordinates and perturbed masses: every source gets +1 and the last sink +m on
  // the scale (m+1) * mass. No basis of the perturbed problem is degenerate (a tree component's
  // net mass is an integer multiple of m+1 plus a nonzero part in -m..m unless the component is a
  // single sink, whose mass is positive), so every pivot strictly improves.
  void set_up_nodes() {
    const int cells = rows_ * cols_;
    row_.clear();
    col_.clear();
    mass_.clear();
    for (int pass = 0; pass < 2; ++pass) {
      const std::vector<mass_t>& q = pass == 0 ? qa_ : qb_;
      for (int c = 0; c < cells; ++c)
        if (q[c] > 0) {
          row_.push_back(c / cols_);
          col_.push_back(c % cols_);
          mass_.push_back(q[c]);
        }
      if (pass == 0) m_ = static_cast<int>(row_.size());
    }
    nodes_ = static_cast<int>(row_.size());
    n_ = nodes_ - m_;
    perturbed_.resize(nodes_);
    for (int v = 0; v < nodes_; ++v) perturbed_[v] = mass_[v] * (m_ + 1) + (v < m_ ? 1 : 0);
    perturbed_[nodes_ - 1] += m_;
  }

  void prepare_distances() {
    if (dist_rows_ == rows_ && dist_cols_ == cols_) return;
    dist_.resize(static_cast<std::size_t>(rows_) * cols_);
    offsets_.clear();
    for (int dr = 0; dr < rows_; ++dr)
      for (int dc = 0; dc < cols_; ++dc) dist_[dr * cols_ + dc] = std::sqrt(double(dr * dr + dc * dc));
    for (int dr = -(rows_ - 1); dr < rows_; ++dr)
      for (int dc = -(cols_ - 1); dc < cols_; ++dc) offsets_.push_back({dr, dc});
    std::stable_sort(offsets_.begin(), offsets_.end(), [](const offset& l, const offset& r) {
      return l.dr * l.dr + l.dc * l.dc < r.dr * r.dr + r.dc * r.dc;
    });
    dist_rows_ = rows_;
    dist_cols_ = cols_;
  }

  double cost(int source, int sink) const {
    return dist_[std::abs(row_[source] - row_[sink]) * cols_ + std::abs(col_[source] - col_[sink])];
  }

  // Greedy minimum-cost start: arcs taken in order of increasing length, each carrying as much as
  // both ends have left. Each allocation exhausts exactly one end (non-degeneracy), so the m+n-1
  // allocations form a spanning tree.
  void initial_basis() {
    std::vector<mass_t>& left = scratch_mass_;
    left = perturbed_;
    sink_at_.assign(static_cast<std::size_t>(rows_) * cols_, -1);
    for (int v = m_; v < nodes_; ++v) sink_at_[row_[v] * cols_ + col_[v]] = v;
    active_.resize(m_);
    std::iota(active_.begin(), active_.end(), 0);
    arc_source_.clear();
    arc_sink_.clear();
    arc_flow_.clear();
    for (const offset& o : offsets_) {
      for (std::size_t t = 0; t < active_.size();) {
        const int i = active_[t];
        const int r = row_[i] + o.dr, c = col_[i] + o.dc;
        const int j = (r >= 0 && r < rows_ && c >= 0 && c < cols_) ? sink_at_[r * cols_ + c] : -1;
        if (j >= 0 && left[j] > 0) {
          const mass_t f = std::min(left[i], left[j]);
          left[i] -= f;
          left[j] -= f;
          arc_source_.push_back(i);
          arc_sink_.push_back(j);
          arc_flow_.push_back(f);
          if (left[i] == 0) {
            active_[t] = active_.back();
            active_.pop_back();
            continue;
          }
        }
        ++t;
      }
      if (active_.empty()) break;
    }
    if (static_cast<int>(arc_source_.size()) != nodes_ - 1)
      throw std::logic_error("emd: initial basis is not a spanning tree (degenerate allocation)");

    // Incidence lists of the m+n-1 arcs (compressed rows), then a walk from node 0 hangs the tree.
    first_arc_.assign(nodes_ + 1, 0);
    for (std::size_t s = 0; s < arc_source_.size(); ++s) ++first_arc_[arc_source_[s] + 1], ++first_arc_[arc_sink_[s] + 1];
    std::partial_sum(first_arc_.begin(), first_arc_.end(), first_arc_.begin());
    incident_.resize(2 * arc_source_.size());
    active_.assign(first_arc_.begin(), first_arc_.end() - 1);  // fill positions
    for (int s = 0; s < static_cast<int>(arc_source_.size()); ++s)
      incident_[active_[arc_source_[s]]++] = s, incident_[active_[arc_sink_[s]]++] = s;

    parent_.assign(nodes_, -1);
    first_child_.assign(nodes_, -1);
    next_sibling_.assign(nodes_, -1);
    prev_sibling_.assign(nodes_, -1);
    flow_.assign(nodes_, 0);
    depth_.assign(nodes_, 0);
    pi_.assign(nodes_, 0.0);
    int reached = 1;
    stack_.assign(1, 0);
    while (!stack_.empty()) {
      const int v = stack_.back();
      stack_.pop_back();
      for (int k = first_arc_[v]; k < first_arc_[v + 1]; ++k) {
        const int s = incident_[k];
        const int w = arc_source_[s] == v ? arc_sink_[s] : arc_source_[s];
        if (w == parent_[v]) continue;
        attach(w, v);
        flow_[w] = arc_flow_[s];
        set_depth_and_potential(w);
        stack_.push_back(w);
        ++reached;
      }
    }
    if (reached != nodes_) throw std::logic_error("emd: initial basis is not connected");
  }

  // The tree: parent, children as doubly linked sibling lists, and the flow on the arc to the
  // parent (which runs node -> parent for a source, parent -> node for a sink).
  void attach(int v, int p) {
    parent_[v] = p;
    prev_sibling_[v] = -1;
    next_sibling_[v] = first_child_[p];
    if (first_child_[p] >= 0) prev_sibling_[first_child_[p]] = v;
    first_child_[p] = v;
  }
  void detach(int v) {
    const int prev = prev_sibling_[v], next = next_sibling_[v];
    (prev >= 0 ? next_sibling_[prev] : first_child_[parent_[v]]) = next;
    if (next >= 0) prev_sibling_[next] = prev;
  }
  void set_depth_and_potential(int v) {
    const int p = parent_[v];
    depth_[v] = depth_[p] + 1;
    pi_[v] = v < m_ ? pi_[p] - cost(v, p) : pi_[p] + cost(p, v);
  }

  // Block search (as in LEMON) in whole rows: scan the arcs of the sources cyclically from where
  // the last search stopped, in blocks of about sqrt(arcs), and take the most negative reduced
  // cost of the first block that has one.
  bool find_entering_arc(int& in_source, int& in_sink) {
    const int block = std::max(16, static_cast<int>(std::sqrt(double(m_) * n_)));
    const int rows_per_block = std::max(1, block / n_);
    const int* sink_row = row_.data() + m_;
    const int* sink_col = col_.data() + m_;
    const double* sink_pi = pi_.data() + m_;
    const double* dist = dist_.data();
    const int cols = cols_;
    double best = -kEnteringTolerance;
    bool found = false;
    int i = next_source_;
    for (int scanned = 1; scanned <= m_; ++scanned) {
      const int r = row_[i], c = col_[i];
      const double pi = pi_[i];
      for (int j = 0; j < n_; ++j) {
        const double reduced = dist[std::abs(r - sink_row[j]) * cols + std::abs(c - sink_col[j])] + pi - sink_pi[j];
        // A tree arc has reduced cost 0 up to rounding; the check guards against noise alone.
        if (reduced < best && parent_[i] != m_ + j && parent_[m_ + j] != i) {
          best = reduced;
          in_source = i;
          in_sink = m_ + j;
          found = true;
        }
      }
      i = i + 1 == m_ ? 0 : i + 1;
      if (found && scanned % rows_per_block == 0) break;
    }
    next_source_ = i;
    return found;
  }

  void pivot(int in_source, int in_sink) {
    int join = in_source;
    for (int v = in_sink; join != v;) {
      if (depth_[join] >= depth_[v])
        join = parent_[join];
      else
        v = parent_[v];
    }
    // The cycle runs join -> ... -> in_source -> in_sink -> ... -> join. Arcs against that
    // direction lose flow: on the source side those pointing up (their node is a source), on the
    // sink side those pointing down (their node is a sink). The leaving arc is the last blocking
    // arc met along the cycle (Cunningham's rule; with no degeneracy any blocking arc would do).
    mass_t delta = -1;
    int leaving = -1;
    bool on_source_side = true;
    for (int u = in_source; u != join; u = parent_[u])
      if (u < m_ && (delta < 0 || flow_[u] < delta)) delta = flow_[u], leaving = u;
    for (int u = in_sink; u != join; u = parent_[u])
      if (u >= m_ && (delta < 0 || flow_[u] <= delta)) delta = flow_[u], leaving = u, on_source_side = false;
    if (leaving < 0 || delta <= 0) throw std::logic_error("emd: degenerate or unbounded pivot");
    for (int u = in_source; u != join; u = parent_[u]) flow_[u] += u < m_ ? -delta : delta;
    for (int u = in_sink; u != join; u = parent_[u]) flow_[u] += u >= m_ ? -delta : delta;

    // The subtree cut off below the leaving arc contains the entering arc's end on that side: it
    // is re-rooted there (the path up to the leaving arc reversed, each arc's flow moving to its
    // new child end) and hung from the entering arc's other end.
    const int new_root = on_source_side ? in_source : in_sink;
    int new_parent = on_source_side ? in_sink : in_source;
    mass_t new_flow = delta;
    for (int u = new_root;;) {
      const int next = parent_[u];
      const mass_t next_flow = flow_[u];
      detach(u);
      attach(u, new_parent);
      flow_[u] = new_flow;
      if (u == leaving) break;
      new_parent = u;
      new_flow = next_flow;
      u = next;
    }
    // Depths and potentials of the moved subtree, in preorder (parents first).
    set_depth_and_potential(new_root);
    for (int v = new_root;;) {
      if (first_child_[v] >= 0) {
        v = first_child_[v];
      } else {
        while (v != new_root && next_sibling_[v] < 0) v = parent_[v];
        if (v == new_root) break;
        v = next_sibling_[v];
      }
      set_depth_and_potential(v);
    }
  }

  void iterate() {
    next_source_ = 0;
    // Far above what is needed (a few times the node count in practice); hitting it would mean a
    // numerical breakdown, reported rather than returning a non-optimal value.
    const std::int64_t limit = std::int64_t{1000} * nodes_ + 1000000;
    int in_source = 0, in_sink = 0;
    for (std::int64_t it = 0; find_entering_arc(in_source, in_sink); ++it) {
      if (it == limit) throw std::runtime_error("emd: network simplex did not converge");
      pivot(in_source, in_sink);
    }
  }

  // Re-solves the final tree with the unperturbed masses (children before parents): its flows are
  // the exact optimal transport of the rounded problem, all >= 0 because the perturbation is less
  // than one unit. Returns their cost per unit of mass.
  double optimal_cost() {
    active_.clear();  // preorder: parents before children
    for (int v = 0;;) {
      active_.push_back(v);
      if (first_child_[v] >= 0) {
        v = first_child_[v];
        continue;
      }
      while (v != 0 && next_sibling_[v] < 0) v = parent_[v];
      if (v == 0) break;
      v = next_sibling_[v];
    }
    std::vector<mass_t>& net = scratch_mass_;  // net mass of each subtree, sources positive
    for (int v = 0; v < nodes_; ++v) net[v] = v < m_ ? mass_[v] : -mass_[v];
    double sum = 0;
    for (auto it = active_.rbegin(); it != active_.rend() && *it != 0; ++it) {
      const int v = *it, p = parent_[v];
      const mass_t f = v < m_ ? net[v] : -net[v];
      if (f < 0) throw std::logic_error("emd: negative flow in the final basis");
      net[p] += net[v];
      sum += static_cast<double>(f) * (v < m_ ? cost(v, p) : cost(p, v));
    }
    return sum / static_cast<double>(total_);
  }

  struct offset {
    int dr, dc;
  };

  int rows_ = 0, cols_ = 0, m_ = 0, n_ = 0, nodes_ = 0;
  mass_t total_ = 0;
  std::vector<mass_t> qa_, qb_, mass_, perturbed_, scratch_mass_;
  std::vector<double> remainder_;
  std::vector<int> order_, row_, col_, sink_at_, active_, stack_;
  // Distance table and offsets sorted by length, kept while the grid size is unchanged.
  int dist_rows_ = 0, dist_cols_ = 0;
  std::vector<double> dist_;
  std::vector<offset> offsets_;
  // Initial allocation (arcs) and its incidence lists.
  std::vector<int> arc_source_, arc_sink_, first_arc_, incident_;
  std::vector<mass_t> arc_flow_;
  // Basis tree over the nodes (see attach()).
  std::vector<int> parent_, first_child_, next_sibling_, prev_sibling_, depth_;
  std::vector<mass_t> flow_;
  std::vector<double> pi_;
  int next_source_ = 0;
};

}  // namespace

double emd(const double* a, const double* b, int rows, int cols) {
  thread_local network_simplex solver;  // keeps its buffers between calls
  return solver.solve(a, b, rows, cols);
}

double emd(const std::vector<double>& a, const std::vector<double>& b, int rows, int cols) {
  if (rows < 1 || cols < 1 || a.size() != static_cast<std::size_t>(rows) * cols || b.size() != a.size())
    fail("sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " do not match a " +
         std::to_string(rows) + "x" + std::to_string(cols) + " grid");
  return emd(a.data(), b.data(), rows, cols);
}

double emd(const Eigen::Ref<const Eigen::MatrixXd>& a, const Eigen::Ref<const Eigen::MatrixXd>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    fail("shapes " + std::to_string(a.rows()) + "x" + std::to_string(a.cols()) + " and " +
         std::to_string(b.rows()) + "x" + std::to_string(b.cols()) + " differ");
  if (a.rows() > kMaxCells || a.cols() > kMaxCells) fail("grid has more than 2^20 cells");
  using row_major = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const row_major ra = a, rb = b;
  return emd(ra.data(), rb.data(), static_cast<int>(a.rows()), static_cast<int>(a.cols()));
}

}  // namespace hlskit
