// Symmetric eigenvalues and singular values by Jacobi rotations, for static matrix sizes
// (at most kMaxFactorSize).
//
// Eigenvalues (linalg_eigvalsh, linalg_eigh and torch.export's _linalg_eigh): the
// matrix is first symmetrized from the triangle UPLO names (LAPACK reads only that one).
// One ONNX Loop runs sweeps until the off-diagonal part is below the dtype's precision;
// each sweep is n - 1 (n odd: n) rounds of a round-robin tournament, every round rotating
// n / 2 disjoint (p, q) pairs at once with one rotation matrix J: S <- J^T S J.
// Eigenvalues come out ascending, as LAPACK's. Eigenvectors are unique only up to sign
// (and to a basis within repeated eigenvalues) and no ONNX form reproduces LAPACK's
// choices, so a graph that reads them is refused rather than converted to different ones.
//
// Singular values (linalg_svdvals, the svd ops where only S is read, linalg_matrix_rank,
// linalg_pinv; matrix norms 2, -2, nuc and linalg_cond in norms.cpp): one-sided Jacobi
// on the columns of the matrix (of its transpose when wider than tall), with the same
// rounds, rotating the columns until they are orthogonal; the singular values are their
// norms. The pseudoinverse is built from the rotated columns: it is unique, the singular
// vectors are not (refused where read, as the eigenvectors).
#include <cmath>
#include <limits>
#include <vector>

#include "translators/aten/factorizations.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

constexpr int64_t kMaxSweeps = 40;

double Epsilon(DType dt) {
  return dt == DType::kFloat64 ? std::numeric_limits<double>::epsilon()
                               : static_cast<double>(std::numeric_limits<float>::epsilon());
}

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

  // One round's rotation J [..., n, n] of symmetric S: for each pair, the one that zeroes
  // (J^T S J)[p, q] (Numerical Recipes 11.1: theta = (S_qq - S_pp) / 2 S_pq,
  // t = sign(theta) / (|theta| + sqrt(theta^2 + 1)), c = 1 / sqrt(t^2 + 1), s = t c; none
  // where S_pq is 0).
  std::string Rotation(const std::string& s, const std::vector<std::pair<int64_t, int64_t>>& pairs) const {
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
    return j;
  }
  // S <- J^T S J.
  void Rotate(std::string& s, const std::vector<std::pair<int64_t, int64_t>>& pairs) const {
    std::string j = Rotation(s, pairs);
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
  const double eps = Epsilon(dt);
  // Whether some matrix of the batch still has an off-diagonal part above eps^2 / 4 of
  // its squared norm.
  auto unconverged = [&](const std::string& s) {
    std::string squares = m.Op("Mul", {s, s});
    std::string off = Reduce(ctx, "ReduceSum", m.Op("Mul", {squares, b.off_diagonal}), {-2, -1}, false);
    std::string total = Reduce(ctx, "ReduceSum", squares, {-2, -1}, false);
    return AnyTrue(ctx, m.Op("Greater", {off, m.Op("Mul", {total, m.c(eps * eps / 4)})}));
  };
  std::string diagonalized = RunLoop(ctx, "jacobi_sweep", ctx.ConstInt64(kMaxSweeps), unconverged(s0), {{"s", dt, s0}},
                                     [&](const std::string&, const std::vector<std::string>& carried) {
                                       std::string s = carried[0];
                                       for (const auto& pairs : rounds) b.Rotate(s, pairs);
                                       return LoopStep{unconverged(s), {s}};
                                     })[0];
  return ctx.OpMulti("TopK", {b.Diagonal(diagonalized), ctx.ConstInt64s({n})}, 2,
                     {{"axis", int64_t{-1}}, {"largest", int64_t{0}}, {"sorted", int64_t{1}}})[0];
}

// One-sided (Hestenes) Jacobi on the n columns of [..., m, n] `a` (m >= n): rotations
// J from the pairs' Gram entries make the columns of W = A V mutually orthogonal; their
// norms are then the singular values, and W diag(1/sigma) the left singular vectors.
// The same round-robin rounds as the eigenvalues, until every pair has
// |w_p . w_q| <= m eps |w_p| |w_q|.
struct OrthogonalColumns {
  std::string w;  // A V
  std::string v;  // V (when asked for)
};

OrthogonalColumns OneSidedJacobi(TranslationContext& ctx, const std::string& a, int64_t m_rows, int64_t n, int64_t rank,
                                 DType dt, bool with_v) {
  Jacobi b{Matrices{ctx, dt}, n, rank};
  const Matrices& m = b.m;
  auto gram = [&](const std::string& w) { return m.Op("MatMul", {m.Transpose(w, rank), w}); };
  const double tol = static_cast<double>(std::max<int64_t>(m_rows, 1)) * Epsilon(dt);
  auto unconverged = [&](const std::string& w) {
    std::string g = gram(w);
    std::string d = b.Diagonal(g);
    std::string bound = m.Op("Mul", {m.Op("Mul", {Unsqueeze(ctx, d, {-1}), Unsqueeze(ctx, d, {-2})}), m.c(tol * tol)});
    std::string off = m.Op("Mul", {m.Op("Mul", {g, g}), b.off_diagonal});
    return AnyTrue(ctx, m.Op("Greater", {off, bound}));
  };
  auto rounds = Rounds(n);
  std::vector<LoopCarried> carried{{"w", dt, a}};
  if (with_v) carried.push_back({"v", dt, m.BroadcastBatch(b.identity, a, rank)});
  auto result = RunLoop(ctx, "one_sided_jacobi_sweep", ctx.ConstInt64(kMaxSweeps), unconverged(a), carried,
                        [&](const std::string&, const std::vector<std::string>& in) {
                          std::string w = in[0], v = with_v ? in[1] : "";
                          for (const auto& pairs : rounds) {
                            std::string j = b.Rotation(gram(w), pairs);
                            w = m.Op("MatMul", {w, j});
                            if (with_v) v = m.Op("MatMul", {v, j});
                          }
                          LoopStep next{unconverged(w), {w}};
                          if (with_v) next.carried.push_back(v);
                          return next;
                        });
  return {result[0], with_v ? result[1] : ""};
}

// The norms of the columns of w [..., m, n]: [..., n].
std::string ColumnNorms(TranslationContext& ctx, const std::string& w) {
  return ctx.Op("Sqrt", {Reduce(ctx, "ReduceSum", ctx.Op("Mul", {w, w}), {-2}, false)});
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
    ctx.SetOutput(1, Matrices{ctx, dt}.Empty());
}

std::pair<int64_t, int64_t> SvdDims(TranslationContext& ctx, size_t i) {
  return MatrixDims(ctx, i, "singular value decomposition", "Jacobi rotations");
}

// aten::linalg_svdvals(Tensor A, *, str? driver=None); aten::linalg_svd(Tensor A, bool
// full_matrices=True, *, str? driver=None) -> (U, S, Vh), aten::_linalg_svd(Tensor A, bool
// full_matrices=False, bool compute_uv=True, *, str? driver=None), aten::svd(Tensor self,
// bool some=True, bool compute_uv=True) -> (U, S, V): the singular values S. The vectors
// are unique only up to sign (and to a basis within repeated values): refused where read.
void TranslateSvd(TranslationContext& ctx, size_t values_output) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = SvdDims(ctx, 0);
  bool compute_uv = true;
  if (ctx.node().op == "aten::_linalg_svd" && ctx.NumInputs() > 2) compute_uv = ctx.ConstBool(2, "compute_uv");
  if (ctx.node().op == "aten::svd" && ctx.NumInputs() > 2) compute_uv = ctx.ConstBool(2, "compute_uv");
  for (size_t j = 0; j < ctx.node().outputs.size(); ++j) {
    if (j == values_output || ctx.node().outputs[j]->uses.empty()) continue;
    if (compute_uv)
      throw UnsupportedError(ctx.node().Key() + ": the graph reads the singular vectors, which are unique only up to sign and "
                             "ONNX cannot reproduce LAPACK's choice of signs; singular values (linalg_svdvals), "
                             "linalg_pinv and linalg_matrix_rank convert");
    // compute_uv=False: empty tensors, as PyTorch's; aten::svd's are zeros [..., m, m] and [..., n, n].
    if (ctx.node().op == "aten::svd") {
      int64_t size = j == 0 ? m : n;
      std::string batch = ShapeSlice(ctx, ctx.Input(0), 0, ctx.Rank(0) - 2);
      std::string shape = ctx.Op("Concat", {batch, ctx.ConstInt64s({size, size})}, {{"axis", int64_t{0}}});
      ctx.SetOutput(j, ctx.Op("Expand", {ctx.ConstScalar(0, dt), shape}));
    } else {
      ctx.SetOutput(j, Matrices{ctx, dt}.Empty());
    }
  }
  ctx.SetOutput(values_output, SingularValues(ctx, ctx.OperandAs(0, dt), m, n, ctx.Rank(0), dt));
}

// A tolerance operand of linalg_matrix_rank / linalg_pinv as [..., 1] in dt (a float or a
// tensor broadcast against the batch), or "" when None.
std::string ToleranceAt(TranslationContext& ctx, size_t i, DType dt) {
  if (i >= ctx.NumInputs() || ctx.IsNone(i)) return "";
  std::string tolerance = ctx.OperandAs(i, dt);
  return ctx.InputValue(i).kind == ir::ValueKind::kTensor ? Unsqueeze(ctx, tolerance, {-1}) : tolerance;
}

// PyTorch's tolerance max(atol, rtol sigma_max) of singular values s [..., k] (descending):
// rtol defaults to eps max(m, n), or to 0 where an atol > 0 is given.
std::string Tolerance(TranslationContext& ctx, const std::string& s, DType dt, int64_t m, int64_t n, std::string atol,
                      std::string rtol) {
  std::string default_rtol = ctx.ConstScalar(Epsilon(dt) * static_cast<double>(std::max(m, n)), dt);
  std::string zero = ctx.ConstScalar(0, dt);
  if (rtol.empty()) rtol = atol.empty() ? default_rtol : ctx.Op("Where", {ctx.Op("Greater", {atol, zero}), zero, default_rtol});
  if (atol.empty()) atol = zero;
  std::string largest = ctx.Op("Slice", {s, ctx.ConstInt64s({0}), ctx.ConstInt64s({1}), ctx.ConstInt64s({-1})});
  return ctx.Op("Max", {atol, ctx.Op("Mul", {rtol, largest})});
}

// The matrices to decompose: a, or for hermitian=True the symmetric matrix of its lower
// triangle (PyTorch reads only that one, through eigh; its |eigenvalues| are the
// singular values).
std::string DecomposedOperand(TranslationContext& ctx, DType dt, bool hermitian, int64_t m, int64_t n) {
  std::string a = ctx.OperandAs(0, dt);
  if (!hermitian) return a;
  if (m != n) throw UnsupportedError(ctx.node().Key() + " with hermitian=True needs square matrices");
  Matrices mat{ctx, dt};
  return mat.Op("Add", {mat.Triangle(a, n, true, true), mat.Transpose(mat.Triangle(a, n, true, false), ctx.Rank(0))});
}

// The rank: how many singular values s [..., k] exceed `tolerance` [..., 1], as [...] int64.
std::string CountAbove(TranslationContext& ctx, const std::string& s, const std::string& tolerance) {
  std::string above = ctx.Op("Greater", {s, tolerance});
  return Reduce(ctx, "ReduceSum", ctx.Cast(above, DType::kBool, DType::kInt64), {-1}, false);
}

// The (atol, rtol) of the overloads: (input, *, atol=None, rtol=None, hermitian=False) as
// tensors or floats; (input, tol, hermitian=False) for matrix_rank (tol = atol, rtol = 0);
// (input, rcond, hermitian=False) for pinv (rcond = rtol, atol = 0).
struct Tolerances {
  std::string atol, rtol;
  bool hermitian;
};
Tolerances TolerancesOf(TranslationContext& ctx, DType dt, bool single_is_rtol) {
  if (ctx.NumInputs() >= 4)
    return {ToleranceAt(ctx, 1, dt), ToleranceAt(ctx, 2, dt), ctx.ConstBool(3, "hermitian")};
  bool hermitian = ctx.NumInputs() > 2 && ctx.ConstBool(2, "hermitian");
  std::string single = ToleranceAt(ctx, 1, dt), zero = ctx.ConstScalar(0, dt);
  if (single.empty()) return {"", "", hermitian};
  return single_is_rtol ? Tolerances{zero, single, hermitian} : Tolerances{single, zero, hermitian};
}

// aten::linalg_matrix_rank (all overloads): the number of singular values above the tolerance.
void TranslateMatrixRank(TranslationContext& ctx) {
  DType dt = FloatingIn(ctx, 0);
  auto [m, n] = SvdDims(ctx, 0);
  Tolerances t = TolerancesOf(ctx, dt, false);
  std::string s = SingularValues(ctx, DecomposedOperand(ctx, dt, t.hermitian, m, n), m, n, ctx.Rank(0), dt);
  ctx.SetOutput(0, CountAbove(ctx, s, Tolerance(ctx, s, dt, m, n, t.atol, t.rtol)));
}

// The pseudoinverse [..., n, m] of [..., m, n] `a`: V diag(1 / sigma) U^T over the singular
// values above max(atol, rtol sigma_max) (PyTorch's defaults when empty), unique though the
// vectors are not: from the one-sided Jacobi's W = U diag(sigma) as V diag(1 / sigma^2) W^T.
struct PseudoInverseParts {
  std::string inverse;
  std::string singular_values;  // [..., min(m, n)], descending
  std::string tolerance;        // [..., 1]: the singular values at or below it were dropped
};
PseudoInverseParts PseudoInverse(TranslationContext& ctx, std::string a, int64_t m, int64_t n, int64_t rank, DType dt,
                                 const std::string& atol, const std::string& rtol) {
  Matrices mat{ctx, dt};
  bool wide = m < n;  // pinv(A) = pinv(A^T)^T: Jacobi on the side with fewer columns
  if (wide) a = mat.Transpose(a, rank);
  int64_t rows = std::max(m, n), cols = std::min(m, n);
  OrthogonalColumns c = OneSidedJacobi(ctx, a, rows, cols, rank, dt, true);
  std::string sigma = ColumnNorms(ctx, c.w);  // [..., cols], unsorted
  PseudoInverseParts parts;
  parts.singular_values = ctx.OpMulti("TopK", {sigma, ctx.ConstInt64s({cols})}, 2,
                                      {{"axis", int64_t{-1}}, {"largest", int64_t{1}}, {"sorted", int64_t{1}}})[0];
  parts.tolerance = Tolerance(ctx, parts.singular_values, dt, m, n, atol, rtol);
  std::string kept = ctx.Op("Greater", {sigma, parts.tolerance});
  std::string weights = ctx.Op("Where", {kept, ctx.Op("Div", {ctx.ConstScalar(1, dt), ctx.Op("Mul", {sigma, sigma})}),
                                         ctx.ConstScalar(0, dt)});
  std::string inverse = mat.Op("MatMul", {mat.Op("Mul", {c.v, Unsqueeze(ctx, weights, {-2})}), mat.Transpose(c.w, rank)});
  parts.inverse = wide ? mat.Transpose(inverse, rank) : inverse;
  return parts;
}

// aten::linalg_pinv (all overloads), aten::pinverse(Tensor self, float rcond=1e-15).
void TranslatePinv(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = SvdDims(ctx, 0);
  Tolerances t = ctx.node().op == "aten::pinverse"
                     ? Tolerances{ctx.ConstScalar(0, dt), ToleranceAt(ctx, 1, dt), false}
                     : TolerancesOf(ctx, dt, true);
  if (ctx.node().op == "aten::pinverse" && t.rtol.empty()) t.rtol = ctx.ConstScalar(1e-15, dt);
  ctx.SetOutput(0,
                PseudoInverse(ctx, DecomposedOperand(ctx, dt, t.hermitian, m, n), m, n, ctx.Rank(0), dt, t.atol, t.rtol).inverse);
}

// aten::linalg_lstsq(Tensor self, Tensor b, float? rcond=None, *, str? driver=None) ->
// (solution, residuals, rank, singular_values): the minimum-norm least-squares solution
// pinv(A) B, singular values at or below rcond sigma_max (default eps max(m, n)) dropped.
// For full-rank A every driver computes this solution. For rank-deficient A, gelsy (CPU's
// default) truncates by its pivoted QR's condition estimate where we truncate by singular
// values: the two agree where the rank is clear-cut (exact zeros). rank and
// singular_values are given where the driver gives them; residuals (which PyTorch leaves
// empty for gelsy, and else gives only where every matrix has full rank) are refused where read
// for the other drivers.
void TranslateLstsq(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = SvdDims(ctx, 0);
  if (ctx.Rank(1) < 2) throw UnsupportedError("b must be a matrix [..., m, k] (rank 2 or more)");
  std::string driver = ctx.NumInputs() > 3 && !ctx.IsNone(3) ? ctx.ConstString(3, "driver") : "gelsy";
  if (driver != "gels" && driver != "gelsy" && driver != "gelsd" && driver != "gelss")
    throw UnsupportedError("driver must be gels, gelsy, gelsd or gelss, got '" + driver + "'");
  std::string rtol = ctx.NumInputs() > 2 && !ctx.IsNone(2) ? ctx.OperandAs(2, dt) : "";
  PseudoInverseParts pinv = PseudoInverse(ctx, ctx.OperandAs(0, dt), m, n, ctx.Rank(0), dt, "", rtol);
  ctx.SetOutput(0, ctx.Op("MatMul", {pinv.inverse, ctx.OperandAs(1, dt)}));
  const auto& outs = ctx.node().outputs;
  auto read = [&](size_t j) { return outs.size() > j && !outs[j]->uses.empty(); };
  std::string empty = Matrices{ctx, dt}.Empty();
  if (read(1)) {
    if (driver != "gelsy" && m > n)
      throw UnsupportedError("the graph reads the residuals of driver " + driver +
                             ", whose shape PyTorch decides from the data (empty unless every matrix has full rank)");
    ctx.SetOutput(1, empty);
  }
  if (read(2)) {
    if (driver == "gels") {
      ctx.SetOutput(2, ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {0}, {})));
    } else {
      ctx.SetOutput(2, CountAbove(ctx, pinv.singular_values, pinv.tolerance));
    }
  }
  if (read(3)) ctx.SetOutput(3, driver == "gelsd" || driver == "gelss" ? pinv.singular_values : empty);
}

}  // namespace

std::string SingularValues(TranslationContext& ctx, const std::string& a, int64_t m, int64_t n, int64_t rank, DType dt) {
  std::string columns = m < n ? Matrices{ctx, dt}.Transpose(a, rank) : a;
  int64_t k = std::min(m, n);
  std::string sigma = ColumnNorms(ctx, OneSidedJacobi(ctx, columns, std::max(m, n), k, rank, dt, false).w);
  return ctx.OpMulti("TopK", {sigma, ctx.ConstInt64s({k})}, 2,
                     {{"axis", int64_t{-1}}, {"largest", int64_t{1}}, {"sorted", int64_t{1}}})[0];
}

void RegisterEigen(Registry& r) {
  r.SetFamily("linalg");
  r.Add("aten::linalg_eigvalsh", [](TranslationContext& c) { TranslateEigh(c, true); });
  r.Add("aten::linalg_eigh", [](TranslationContext& c) { TranslateEigh(c, false); });
  r.Add("aten::_linalg_eigh", [](TranslationContext& c) { TranslateEigh(c, false); });
  r.Add("aten::linalg_svdvals", [](TranslationContext& c) { TranslateSvd(c, 0); });
  for (const char* op : {"aten::linalg_svd", "aten::_linalg_svd", "aten::svd"})
    r.Add(op, [](TranslationContext& c) { TranslateSvd(c, 1); });
  r.Add("aten::linalg_matrix_rank", TranslateMatrixRank);
  r.Add("aten::linalg_pinv", TranslatePinv);
  r.Add("aten::pinverse", TranslatePinv);
  r.Add("aten::linalg_lstsq", TranslateLstsq);
}

}  // namespace t2o
