// Symmetric eigendecomposition by the Jacobi method, for a static matrix size n (at most
// kMaxFactorSize): linalg_eigvalsh, linalg_eigh and torch.export's _linalg_eigh. The
// matrix is first symmetrized from the triangle UPLO names (LAPACK reads only that one).
// One ONNX Loop runs sweeps until the off-diagonal part is below the dtype's precision;
// each sweep is n - 1 (n odd: n) rounds of a round-robin tournament, every round rotating
// n / 2 disjoint (p, q) pairs at once with one rotation matrix J: S <- J^T S J.
// Eigenvalues come out ascending, as LAPACK's. Eigenvectors are unique only up to sign
// (and to a basis within repeated eigenvalues) and no ONNX form reproduces LAPACK's
// choices, so a graph that reads them is refused rather than converted to different ones.
#include <cmath>
#include <limits>
#include <vector>

#include "translators/aten/factorizations.h"

namespace t2o {
namespace {

constexpr int64_t kMaxSweeps = 40;

// The rounds of a round-robin tournament over n players (a bye when n is odd): pairs
// (p, q) with p < q, each player in at most one pair per round, every pair once.
std::vector<std::vector<std::pair<int64_t, int64_t>>> Rounds(int64_t n) {
  int64_t players = n % 2 ? n + 1 : n;
  std::vector<int64_t> order(players);
  for (int64_t i = 0; i < players; ++i) order[i] = i;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> rounds;
  for (int64_t r = 0; r < players - 1; ++r) {
    std::vector<std::pair<int64_t, int64_t>> pairs;
    for (int64_t i = 0; i < players / 2; ++i) {
      int64_t a = order[i], b = order[players - 1 - i];
      if (a < n && b < n) pairs.emplace_back(std::min(a, b), std::max(a, b));
    }
    rounds.push_back(pairs);
    // Keep player 0, rotate the others by one.
    int64_t last = order[players - 1];
    for (int64_t i = players - 1; i > 1; --i) order[i] = order[i - 1];
    order[1] = last;
  }
  return rounds;
}

// The pieces of the sweeps over [..., n, n] matrices, with the constants every round
// shares built once.
struct Jacobi {
  Matrices m;
  int64_t n, rank;
  std::string identity = m.Identity(n);
  std::string off_diagonal = m.Matrix(n, n, [this] {
    std::vector<double> v(n * n, 1.0);
    for (int64_t i = 0; i < n; ++i) v[i * n + i] = 0.0;
    return v;
  }());

  // [n, k]: column j is the one-hot vector of index[j].
  std::string OneHot(const std::vector<int64_t>& index) const {
    int64_t k = static_cast<int64_t>(index.size());
    std::vector<double> v(n * k, 0.0);
    for (int64_t j = 0; j < k; ++j) v[index[j] * k + j] = 1.0;
    return m.Matrix(n, k, v);
  }
  std::string Diagonal(const std::string& s) const {  // [..., n]
    return Reduce(m.ctx, "ReduceSum", m.Op("Mul", {s, identity}), {-1}, false);
  }

  // One round: for each pair, the rotation that zeroes S[p, q] (Numerical Recipes 11.1:
  // theta = (S_qq - S_pp) / 2 S_pq, t = sign(theta) / (|theta| + sqrt(theta^2 + 1)),
  // c = 1 / sqrt(t^2 + 1), s = t c; none where S_pq is 0), applied to S.
  void Rotate(std::string& s, const std::vector<std::pair<int64_t, int64_t>>& pairs) const {
    std::vector<int64_t> ps, qs;
    for (auto [p, q] : pairs) ps.push_back(p), qs.push_back(q);
    std::string ep = OneHot(ps), eq = OneHot(qs);  // [n, k]
    std::string d = Diagonal(s);
    std::string app = m.Op("Gather", {d, m.ctx.ConstInt64s(ps)}, {{"axis", int64_t{-1}}});
    std::string aqq = m.Op("Gather", {d, m.ctx.ConstInt64s(qs)}, {{"axis", int64_t{-1}}});
    std::string rows_p = m.Op("Gather", {s, m.ctx.ConstInt64s(ps)}, {{"axis", int64_t{-2}}});  // [..., k, n]
    std::string eq_t = m.Transpose(eq, 2), ep_t = m.Transpose(ep, 2);
    std::string apq = Reduce(m.ctx, "ReduceSum", m.Op("Mul", {rows_p, eq_t}), {-1}, false);
    std::string zero = m.Op("Equal", {apq, m.c(0)});
    std::string theta = m.Op("Div", {m.Op("Sub", {aqq, app}), m.Op("Mul", {m.c(2), m.Op("Where", {zero, m.c(1), apq})})});
    std::string sign = m.Op("Where", {m.Op("Less", {theta, m.c(0)}), m.c(-1), m.c(1)});
    std::string root = m.Op("Sqrt", {m.Op("Add", {m.Op("Mul", {theta, theta}), m.c(1)})});
    std::string t = m.Op("Div", {sign, m.Op("Add", {m.Op("Abs", {theta}), root})});
    // theta^2 overflowing: t = 1 / (2 theta).
    t = m.Op("Where", {m.Op("IsInf", {root}), m.Op("Div", {m.c(0.5), theta}), t});
    t = m.Op("Where", {zero, m.c(0), t});
    std::string cos = m.Op("Div", {m.c(1), m.Op("Sqrt", {m.Op("Add", {m.Op("Mul", {t, t}), m.c(1)})})});
    std::string sin = m.Op("Mul", {t, cos});
    auto outer = [&](const std::string& left, const std::string& weights, const std::string& right_t) {
      // left diag(weights) right^T: [n, k] * [..., 1, k] @ [k, n].
      return m.Op("MatMul", {m.Op("Mul", {left, Unsqueeze(m.ctx, weights, {-2})}), right_t});
    };
    std::vector<double> unpaired(n * n, 0.0);
    std::vector<bool> paired(n, false);
    for (auto [p, q] : pairs) paired[p] = paired[q] = true;
    for (int64_t i = 0; i < n; ++i)
      if (!paired[i]) unpaired[i * n + i] = 1.0;
    std::string j = m.Op("Add", {m.Op("Add", {outer(ep, cos, ep_t), outer(eq, cos, eq_t)}),
                                 m.Op("Sub", {outer(ep, sin, eq_t), outer(eq, sin, ep_t)})});
    if (static_cast<int64_t>(pairs.size()) * 2 < n) j = m.Op("Add", {j, m.Matrix(n, n, unpaired)});
    s = m.Op("MatMul", {m.Op("MatMul", {m.Transpose(j, rank), s}), j});
  }
};

// The eigenvalues, ascending, of the symmetric matrices that a's lower (`lower`) or upper
// triangle describes.
std::string SymmetricEigenvalues(TranslationContext& ctx, const std::string& a, int64_t n, int64_t rank, DType dt,
                                 bool lower) {
  Jacobi b{Matrices{ctx, dt}, n, rank};
  const Matrices& m = b.m;
  // Symmetric from the named triangle.
  std::string s0 = m.Op("Add", {m.Triangle(a, n, lower, true), m.Transpose(m.Triangle(a, n, lower, false), rank)});

  auto rounds = Rounds(n);
  const double eps = dt == DType::kFloat64 ? std::numeric_limits<double>::epsilon()
                                           : static_cast<double>(std::numeric_limits<float>::epsilon());
  // Whether some matrix of the batch still has an off-diagonal part above eps^2 / 4 of
  // its squared norm (ReduceMax over a length-1 concat: empty batches stop at once).
  auto unconverged = [&](const std::string& s) {
    std::string squares = m.Op("Mul", {s, s});
    std::string off = Reduce(ctx, "ReduceSum", m.Op("Mul", {squares, b.off_diagonal}), {-2, -1}, false);
    std::string total = Reduce(ctx, "ReduceSum", squares, {-2, -1}, false);
    std::string above = m.Op("Greater", {off, m.Op("Mul", {total, m.c(eps * eps / 4)})});
    std::string flat = ctx.Cast(Reshape(ctx, above, {-1}), DType::kBool, DType::kInt64);
    std::string any = Reduce(ctx, "ReduceMax", m.Op("Concat", {flat, ctx.ConstInt64s({0})}, {{"axis", int64_t{0}}}), {0}, false);
    return ctx.Cast(any, DType::kInt64, DType::kBool);
  };
  auto carried = [dt](const std::string& name) { return onnx::ValueInfo{name, dt, std::nullopt, {}}; };
  auto body = ctx.BuildSubgraph(
      "jacobi_sweep",
      {onnx::ValueInfo{"i", DType::kInt64, std::vector<ir::Dim>{}, {}},
       onnx::ValueInfo{"cond_in", DType::kBool, std::vector<ir::Dim>{}, {}}, carried("s")},
      [&](const std::vector<std::string>& in) {
        std::string s = in[2];
        for (const auto& pairs : rounds) b.Rotate(s, pairs);
        return std::vector<onnx::ValueInfo>{{unconverged(s), DType::kBool, std::vector<ir::Dim>{}, {}}, carried(s)};
      });
  std::string diagonalized = ctx.OpMulti("Loop", {ctx.ConstInt64(kMaxSweeps), unconverged(s0), s0}, 1, {{"body", body}})[0];
  return ctx.OpMulti("TopK", {b.Diagonal(diagonalized), ctx.ConstInt64s({n})}, 2,
                     {{"axis", int64_t{-1}}, {"largest", int64_t{0}}, {"sorted", int64_t{1}}})[0];
}

// aten::linalg_eigvalsh(Tensor self, str UPLO="L"), aten::linalg_eigh(...) -> (values,
// vectors), aten::_linalg_eigh(Tensor A, str UPLO="L", bool compute_v=True): the values.
void TranslateEigh(TranslationContext& ctx, bool values_only) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 0, "eigendecomposition");
  std::string uplo = ctx.NumInputs() > 1 && !ctx.IsNone(1) ? ctx.ConstString(1, "UPLO") : "L";
  if (uplo != "L" && uplo != "U") throw UnsupportedError(ctx.node().Key() + ": UPLO must be 'L' or 'U', got '" + uplo + "'");
  bool compute_v = !values_only && (ctx.NumInputs() <= 2 || ctx.ConstBool(2, "compute_v"));
  bool vectors_read = ctx.node().outputs.size() > 1 && !ctx.node().outputs[1]->uses.empty();
  if (compute_v && vectors_read)
    throw UnsupportedError(ctx.node().Key() + ": the graph reads the eigenvectors, which are unique only up to sign and ONNX "
                           "cannot reproduce LAPACK's choice of signs; eigenvalues alone (linalg_eigvalsh) convert");
  ctx.SetOutput(0, SymmetricEigenvalues(ctx, ctx.OperandAs(0, dt), n, ctx.Rank(0), dt, uplo == "L"));
  if (vectors_read)  // compute_v=False: an empty tensor, as PyTorch's
    ctx.SetOutput(1, ctx.Cast(ctx.Constant(TensorData::FromVector<double>(DType::kFloat64, {0}, {})), DType::kFloat64, dt));
}

}  // namespace

void RegisterEigen(Registry& r) {
  r.SetFamily("linalg");
  r.Add("aten::linalg_eigvalsh", [](TranslationContext& c) { TranslateEigh(c, true); });
  r.Add("aten::linalg_eigh", [](TranslationContext& c) { TranslateEigh(c, false); });
  r.Add("aten::_linalg_eigh", [](TranslationContext& c) { TranslateEigh(c, false); });
}

}  // namespace t2o
