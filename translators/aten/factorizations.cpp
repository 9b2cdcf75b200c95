// Matrix factorizations ONNX has no operator for, unrolled for static matrix sizes (at
// most kMaxFactorSize): LU with partial pivoting as LAPACK's getrf computes it (any m x n;
// the first largest |pivot| of each column, whole-row interchanges, a zero pivot leaving
// its column unscaled), Cholesky, and triangular substitution. On them: linalg_lu_factor(_ex),
// linalg_lu, linalg_lu_solve (left, adjoint), linalg_solve(_ex), linalg_solve_triangular,
// linalg_cholesky(_ex), the inverses cholesky_inverse and linalg_tensorinv (and
// linalg_inv above 8x8, matrix_power with n < 0: linalg.cpp), and the older spellings
// cholesky, cholesky_solve, _lu_with_info (torch.lu), lu_solve, lu_unpack and
// triangular_solve. Batch dims may be dynamic. Where LAPACK would report a singular
// or not positive-definite matrix, the `info` outputs say so as PyTorch's do; the values
// are then what the arithmetic gives (inf/NaN), where PyTorch's non-_ex forms raise.
#include <algorithm>
#include <string>
#include <vector>

#include "translators/aten/factorizations.h"

namespace t2o {

int64_t SquareSize(TranslationContext& ctx, size_t i, const std::string& algorithm, std::optional<int64_t> max_size) {
  if (ctx.Rank(i) < 2) throw UnsupportedError(ctx.node().Key() + " needs matrices (rank 2 or more)");
  std::vector<int64_t> dims = StaticTrailingDims(ctx, i, 2);
  if (dims[0] != dims[1]) throw UnsupportedError(ctx.node().Key() + " needs square matrices");
  if (max_size && dims[0] > *max_size)
    throw UnsupportedError(ctx.node().Key() + ": ONNX has no " + algorithm + "; the converter unrolls it for up to " +
                           std::to_string(*max_size) + "x" + std::to_string(*max_size) + " matrices, got " +
                           std::to_string(dims[0]) + "x" + std::to_string(dims[0]));
  return dims[0];
}

std::pair<int64_t, int64_t> MatrixDims(TranslationContext& ctx, size_t i, const std::string& algorithm,
                                       const std::string& unrolled) {
  if (ctx.Rank(i) < 2) throw UnsupportedError(ctx.node().Key() + " needs matrices (rank 2 or more)");
  std::vector<int64_t> dims = StaticTrailingDims(ctx, i, 2);
  if (std::min(dims[0], dims[1]) > kMaxFactorSize)
    throw UnsupportedError(ctx.node().Key() + ": ONNX has no " + algorithm + "; the converter unrolls " + unrolled +
                           " for matrices whose smaller side is at most " + std::to_string(kMaxFactorSize) + ", got " +
                           std::to_string(dims[0]) + "x" + std::to_string(dims[1]));
  return {dims[0], dims[1]};
}

namespace {
DType Factorizable(TranslationContext& ctx, DType dt) {
  if (dt != DType::kFloat32 && dt != DType::kFloat64)
    throw UnsupportedError(ctx.node().Key() + " on " + std::string(DTypeName(dt)) +
                           ": PyTorch factorizes float32 and float64 matrices only");
  return dt;
}
}  // namespace

DType FloatingOut(TranslationContext& ctx) { return Factorizable(ctx, ctx.OutDType(0)); }
DType FloatingIn(TranslationContext& ctx, size_t i) { return Factorizable(ctx, ctx.InDType(i)); }

namespace {

struct LU {
  std::string lu;       // L below the diagonal (unit diagonal implied), U on and above
  std::string perm;     // [..., n] int64: row i of LU is row perm[i] of A
  std::string pivots;   // [..., n] int32, LAPACK's 1-based row interchanges
  std::string info;     // [...] int32: 1 + the first zero pivot, 0 if none
};

// LU of [..., rows, cols] a (cols = rows when not given): min(rows, cols) steps, L unit
// lower [rows, k] and U [k, cols] packed in one [rows, cols] matrix, as getrf.
LU Factorize(const Matrices& m, const std::string& a, int64_t rows, int64_t cols = -1) {
  TranslationContext& ctx = m.ctx;
  if (cols < 0) cols = rows;
  std::string index = ctx.ConstInt64s([&] {
    std::vector<int64_t> v;
    for (int64_t i = 0; i < rows; ++i) v.push_back(i);
    return v;
  }());
  std::string batch_rows = ctx.Op("Shape", {m.Col(a, 0)});  // [..., rows]
  LU out;
  out.lu = a;
  out.perm = ctx.Op("Expand", {index, batch_rows});
  std::vector<std::string> pivots;
  std::string info = ctx.Op("Expand", {ctx.ConstInt64(0), ctx.Op("Shape", {m.At(m.Col(a, 0), 0)})});
  for (int64_t k = 0; k < std::min(rows, cols); ++k) {
    std::string kk = m.Index(k);
    // The first row at or below k with the largest |A[., k]|.
    std::string candidates = m.Op("Where", {m.Mask(rows, [&](int64_t i) { return i >= k; }), m.Op("Abs", {m.Col(out.lu, k)}),
                                            m.c(-1)});
    std::string p = m.Op("ArgMax", {candidates}, {{"axis", int64_t{-1}}, {"keepdims", int64_t{1}}, {"select_last_index", int64_t{0}}});
    pivots.push_back(p);
    std::string swap = m.Op("Where", {m.Op("Equal", {index, kk}), p,
                                      m.Op("Where", {m.Op("Equal", {index, p}), kk, index})});  // [..., rows]
    out.lu = m.Op("GatherElements", {out.lu, m.Op("Expand", {Unsqueeze(ctx, swap, {-1}), m.Op("Shape", {out.lu})})},
                  {{"axis", int64_t{-2}}});
    out.perm = m.Op("GatherElements", {out.perm, swap}, {{"axis", int64_t{-1}}});
    std::string row = m.Row(out.lu, k), col = m.Col(out.lu, k);
    std::string pivot = Unsqueeze(ctx, m.At(row, k), {-1});  // [..., 1]
    std::string zero_pivot = m.Op("Equal", {pivot, m.c(0)});
    std::string first_zero = m.Op("And", {Squeeze(ctx, zero_pivot, {-1}), m.Op("Equal", {info, ctx.ConstInt64(0)})});
    info = m.Op("Where", {first_zero, ctx.ConstInt64(k + 1), info});
    std::string below = m.Mask(rows, [&](int64_t i) { return i > k; });
    std::string right = m.Mask(cols, [&](int64_t j) { return j > k; });
    // A zero pivot means the column below is zero too: LAPACK leaves it unscaled.
    std::string l = m.Op("Where", {below, m.Op("Where", {zero_pivot, col, m.Op("Div", {col, pivot})}), m.c(0)});
    std::string r = m.Op("Where", {right, row, m.c(0)});
    std::string update = m.Op("Mul", {Unsqueeze(ctx, l, {-1}), Unsqueeze(ctx, r, {-2})});
    std::string column_k_below = ctx.Constant([&] {
      std::vector<uint8_t> v;
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j) v.push_back(i > k && j == k);
      return TensorData::FromVector<uint8_t>(DType::kBool, {rows, cols}, v);
    }());
    out.lu = m.Op("Where", {column_k_below, Unsqueeze(ctx, l, {-1}), m.Op("Sub", {out.lu, update})});
  }
  std::string one_based = m.Op("Add", {pivots.size() == 1 ? pivots[0] : m.Op("Concat", pivots, {{"axis", int64_t{-1}}}),
                                       ctx.ConstInt64(1)});
  out.pivots = ctx.Cast(one_based, DType::kInt64, DType::kInt32);
  out.info = ctx.Cast(info, DType::kInt64, DType::kInt32);
  return out;
}

// Solves T X = B for triangular T [..., n, n] and B [..., n, k] by substitution, row by row
// (forward for lower, backward for upper); `unit`: T's diagonal taken as ones.
std::string SolveTriangular(const Matrices& m, const std::string& t, const std::string& b, int64_t n, bool upper,
                            bool unit) {
  std::vector<std::string> rows(n);
  for (int64_t step = 0; step < n; ++step) {
    int64_t i = upper ? n - 1 - step : step;
    std::string t_row = m.Slice(t, i, i + 1, -2);  // [..., 1, n]
    std::string value = m.Slice(b, i, i + 1, -2);  // [..., 1, k]
    if (step > 0) {
      std::vector<std::string> known(rows.begin() + (upper ? i + 1 : 0), rows.begin() + (upper ? n : i));
      std::string x_known = known.size() == 1 ? known[0] : m.Op("Concat", known, {{"axis", int64_t{-2}}});
      std::string coefficients = upper ? m.Slice(t_row, i + 1, n, -1) : m.Slice(t_row, 0, i, -1);
      value = m.Op("Sub", {value, m.Op("MatMul", {coefficients, x_known})});
    }
    if (!unit) value = m.Op("Div", {value, m.Slice(t_row, i, i + 1, -1)});
    rows[i] = value;
  }
  return n == 1 ? rows[0] : m.Op("Concat", rows, {{"axis", int64_t{-2}}});
}

// Row i of the result is row perm[i] of b.
std::string Permute(const Matrices& m, const std::string& b, const std::string& perm) {
  std::string index = m.Op("Expand", {Unsqueeze(m.ctx, perm, {-1}), m.Op("Shape", {b})});
  return m.Op("GatherElements", {b, index}, {{"axis", int64_t{-2}}});
}

std::string SolveWithLU(const Matrices& m, const LU& lu, const std::string& b, int64_t n) {
  std::string y = SolveTriangular(m, lu.lu, Permute(m, b, lu.perm), n, /*upper=*/false, /*unit=*/true);
  return SolveTriangular(m, lu.lu, y, n, /*upper=*/true, /*unit=*/false);
}

// LAPACK's 1-based sequential row interchanges (`steps` of them, over `rows` rows; steps =
// rows when not given) as the permutation they compose to.
std::string PermutationOfPivots(const Matrices& m, const std::string& pivots, int64_t rows, int64_t steps = -1) {
  TranslationContext& ctx = m.ctx;
  if (steps < 0) steps = rows;
  std::vector<int64_t> range;
  for (int64_t i = 0; i < rows; ++i) range.push_back(i);
  std::string index = ctx.ConstInt64s(range);
  std::string zero_based = m.Op("Sub", {ctx.Cast(pivots, DType::kInt32, DType::kInt64), ctx.ConstInt64(1)});
  std::string batch = ShapeSlice(ctx, zero_based, 0, -1);
  std::string perm = m.Op("Expand", {index, m.Op("Concat", {batch, ctx.ConstInt64s({rows})}, {{"axis", int64_t{0}}})});
  for (int64_t k = 0; k < steps; ++k) {
    std::string p = m.Op("Gather", {zero_based, ctx.ConstInt64s({k})}, {{"axis", int64_t{-1}}});  // [..., 1]
    std::string kk = m.Index(k);
    std::string swap = m.Op("Where", {m.Op("Equal", {index, kk}), p, m.Op("Where", {m.Op("Equal", {index, p}), kk, index})});
    perm = m.Op("GatherElements", {perm, swap}, {{"axis", int64_t{-1}}});
  }
  return perm;
}

// OneHot(perm)[..., i, j] = (perm[i] == j): P^T for A = P L U.
std::string PermutationRows(const Matrices& m, const std::string& perm, int64_t n) {
  std::string off_on = m.ctx.Cast(m.ctx.Constant(TensorData::FromVector<double>(DType::kFloat64, {2}, {0.0, 1.0})),
                                  DType::kFloat64, m.dt);
  return m.Op("OneHot", {perm, m.ctx.ConstInt64s({n}), off_on}, {{"axis", int64_t{-1}}});
}

std::pair<int64_t, int64_t> LUDims(TranslationContext& ctx, size_t i) {
  return MatrixDims(ctx, i, "LU factorization", "it");
}

// P [m, m], L [m, k] (unit lower) and U [k, n] of a packed [..., m, n] LU whose rows are
// those of A in order perm.
void SetPLU(const Matrices& m, const std::string& lu, const std::string& perm, int64_t rows, int64_t cols, size_t first_output,
            bool with_p = true, bool with_lu = true) {
  TranslationContext& ctx = m.ctx;
  int64_t k = std::min(rows, cols), rank = ctx.Rank(0);
  std::string empty = m.Empty();
  ctx.SetOutput(first_output, with_p ? m.Transpose(PermutationRows(m, perm, rows), rank) : empty);
  if (!with_lu) {
    ctx.SetOutput(first_output + 1, empty);
    ctx.SetOutput(first_output + 2, empty);
    return;
  }
  auto trapezoid = [&](int64_t r, int64_t c, auto keep) {
    std::vector<uint8_t> v;
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < c; ++j) v.push_back(keep(i, j));
    return ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {r, c}, v));
  };
  std::string left = k == cols ? lu : m.Slice(lu, 0, k, -1);  // [..., m, k]
  std::string top = k == rows ? lu : m.Slice(lu, 0, k, -2);   // [..., k, n]
  std::string l = m.Op("Where", {trapezoid(rows, k, [](int64_t i, int64_t j) { return i > j; }), left,
                                 m.Op("Where", {trapezoid(rows, k, [](int64_t i, int64_t j) { return i == j; }), m.c(1), m.c(0)})});
  ctx.SetOutput(first_output + 1, l);
  ctx.SetOutput(first_output + 2, m.Op("Where", {trapezoid(k, cols, [](int64_t i, int64_t j) { return i <= j; }), top, m.c(0)}));
}

// aten::linalg_lu_factor(Tensor A, *, bool pivot=True) -> (LU, pivots);
// aten::linalg_lu_factor_ex(..., bool check_errors=False) -> (LU, pivots, info);
// aten::_lu_with_info(Tensor self, bool pivot=True, bool check_errors=True). Any m x n.
void TranslateLUFactor(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [rows, cols] = LUDims(ctx, 0);
  if (ctx.NumInputs() > 1 && !ctx.ConstBool(1, "pivot"))
    throw UnsupportedError(ctx.node().Key() + " with pivot=False: PyTorch computes LU without pivoting on CUDA only");
  Matrices m{ctx, dt};
  LU lu = Factorize(m, ctx.OperandAs(0, dt), rows, cols);
  ctx.SetOutput(0, lu.lu);
  ctx.SetOutput(1, lu.pivots);
  if (ctx.node().outputs.size() > 2) ctx.SetOutput(2, lu.info);
}

// aten::linalg_lu(Tensor A, *, bool pivot=True) -> (P, L, U) with A = P L U, any m x n.
void TranslateLU(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [rows, cols] = LUDims(ctx, 0);
  if (!ctx.ConstBool(1, "pivot"))
    throw UnsupportedError(ctx.node().Key() + " with pivot=False: PyTorch computes LU without pivoting on CUDA only");
  Matrices m{ctx, dt};
  LU lu = Factorize(m, ctx.OperandAs(0, dt), rows, cols);
  SetPLU(m, lu.lu, lu.perm, rows, cols, 0);
}

// B as a batch of columns [..., n, k]: PyTorch's linalg_solve takes B as a vector when it
// is 1-D or has exactly A's batch dims; returns whether it did.
bool VectorRightHandSide(TranslationContext& ctx, size_t a, size_t b) {
  const auto& am = ctx.Meta(a);
  const auto& bm = ctx.Meta(b);
  if (bm.rank() == 1) return true;
  if (bm.rank() != am.rank() - 1) return false;
  for (size_t k = 0; k < bm.rank(); ++k)
    if (!(bm.shape[k] == am.shape[k])) return false;
  return true;
}

// aten::linalg_solve(Tensor A, Tensor B, *, bool left=True) -> X;
// aten::linalg_solve_ex(...) -> (result, info); aten::_linalg_solve_ex(...) -> (result, LU,
// pivots, info), the LU of A (of A^T when left=False). A X = B (X A = B when left=False).
void TranslateSolve(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 0);
  bool left = ctx.NumInputs() <= 2 || ctx.ConstBool(2, "left");
  Matrices m{ctx, dt};
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  int64_t rank_a = ctx.Rank(0), rank_b = ctx.Rank(1);
  bool vector = VectorRightHandSide(ctx, 0, 1);
  // X A = B is A^T X^T = B^T; for a vector x, x A = b is A^T x = b.
  if (!left) a = m.Transpose(a, rank_a);
  if (vector) b = Unsqueeze(ctx, b, {-1});
  else if (!left) b = m.Transpose(b, rank_b);
  LU lu = Factorize(m, a, n);
  std::string x = SolveWithLU(m, lu, m.BroadcastBatch(b, a, rank_a), n);
  if (vector) x = Squeeze(ctx, x, {-1});
  else if (!left) x = m.Transpose(x, std::max(rank_a, rank_b));
  ctx.SetOutput(0, x);
  if (ctx.node().op == "aten::_linalg_solve_ex") {  // (result, LU, pivots, info): what torch.export records
    ctx.SetOutput(1, lu.lu);
    ctx.SetOutput(2, lu.pivots);
    ctx.SetOutput(3, lu.info);
  } else if (ctx.node().outputs.size() > 1) {
    ctx.SetOutput(1, lu.info);
  }
}

// A^T X = B for A = P L U: U^T L^T P^T X = B, so X = P (L^-T (U^-T B)).
std::string SolveTransposedWithLU(const Matrices& m, const LU& lu, const std::string& b, int64_t n, int64_t rank) {
  TranslationContext& ctx = m.ctx;
  std::string lu_t = m.Transpose(lu.lu, rank);
  std::string y = SolveTriangular(m, lu_t, b, n, /*upper=*/false, /*unit=*/false);
  std::string z = SolveTriangular(m, lu_t, y, n, /*upper=*/true, /*unit=*/true);
  // Row perm[i] of X is row i of z: Permute by the inverse permutation.
  std::vector<int64_t> range;
  for (int64_t i = 0; i < n; ++i) range.push_back(i);
  std::string positions = m.Op("Expand", {ctx.ConstInt64s(range), m.Op("Shape", {lu.perm})});
  std::string inverse = m.Op("ScatterElements", {positions, lu.perm, positions}, {{"axis", int64_t{-1}}});
  return Permute(m, z, inverse);
}

// aten::linalg_lu_solve(Tensor LU, Tensor pivots, Tensor B, *, bool left=True, bool
// adjoint=False): A X = B, A^T X = B (adjoint), X A = B (left=False: A^T X^T = B^T) or
// X A^T = B.
void TranslateLUSolve(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 0);
  bool left = ctx.NumInputs() <= 3 || ctx.ConstBool(3, "left");
  bool adjoint = ctx.NumInputs() > 4 && ctx.ConstBool(4, "adjoint");
  Matrices m{ctx, dt};
  LU lu;
  lu.lu = ctx.OperandAs(0, dt);
  lu.perm = PermutationOfPivots(m, ctx.Input(1), n);
  int64_t rank = std::max(ctx.Rank(0), ctx.Rank(2));
  std::string b = ctx.OperandAs(2, dt);
  if (!left) b = m.Transpose(b, ctx.Rank(2));
  b = m.BroadcastBatch(b, lu.lu, ctx.Rank(0));
  bool transposed_system = adjoint == left;  // A^T appears: adjoint with left, or left=False without adjoint
  std::string x = transposed_system ? SolveTransposedWithLU(m, lu, b, n, ctx.Rank(0)) : SolveWithLU(m, lu, b, n);
  ctx.SetOutput(0, left ? x : m.Transpose(x, rank));
}

// aten::linalg_solve_triangular(Tensor A, Tensor B, *, bool upper, bool left=True,
// bool unitriangular=False): only A's `upper` (or lower) triangle is read.
void TranslateSolveTriangular(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 0);
  bool upper = ctx.ConstBool(2, "upper"), left = ctx.ConstBool(3, "left"), unit = ctx.ConstBool(4, "unitriangular");
  Matrices m{ctx, dt};
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  if (left) {
    ctx.SetOutput(0, SolveTriangular(m, a, b, n, upper, unit));
    return;
  }
  // X A = B  <=>  A^T X^T = B^T, with A^T triangular the other way.
  int64_t rank_a = ctx.Rank(0), rank_b = ctx.Rank(1);
  std::string xt = SolveTriangular(m, m.Transpose(a, rank_a), m.Transpose(b, rank_b), n, !upper, unit);
  ctx.SetOutput(0, m.Transpose(xt, rank_b));
}

// aten::linalg_cholesky(Tensor A, *, bool upper=False) -> L;
// aten::linalg_cholesky_ex(..., bool check_errors=False) -> (L, info). Column by column:
// L_jj = sqrt(A_jj - sum_k L_jk^2), L_ij = (A_ij - sum_k L_ik L_jk) / L_jj for i > j; only
// A's lower triangle is read. info: 1 + the first column whose pivot is not positive.
void TranslateCholesky(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 0);
  bool upper = ctx.NumInputs() > 1 && ctx.ConstBool(1, "upper");
  Matrices m{ctx, dt};
  // upper=True reads A's upper triangle: the lower one of A^T.
  std::string a = upper ? m.Transpose(ctx.OperandAs(0, dt), ctx.Rank(0)) : ctx.OperandAs(0, dt);
  std::vector<std::string> columns;  // [..., n, 1] each
  std::string info = ctx.Op("Expand", {ctx.ConstInt64(0), ctx.Op("Shape", {m.At(m.Col(a, 0), 0)})});
  for (int64_t j = 0; j < n; ++j) {
    std::string c = m.Slice(a, j, j + 1, -1);  // [..., n, 1]
    if (j > 0) {
      std::string previous = j == 1 ? columns[0] : m.Op("Concat", columns, {{"axis", int64_t{-1}}});  // [..., n, j]
      std::string row_j = m.Slice(previous, j, j + 1, -2);                                          // [..., 1, j]
      c = m.Op("Sub", {c, m.Op("MatMul", {previous, m.Transpose(row_j, ctx.Rank(0))})});
    }
    std::string diagonal = m.Slice(c, j, j + 1, -2);  // [..., 1, 1]
    std::string not_positive = Squeeze(ctx, m.Op("Not", {m.Op("Greater", {diagonal, m.c(0)})}), {-1, -2});
    info = m.Op("Where", {m.Op("And", {not_positive, m.Op("Equal", {info, ctx.ConstInt64(0)})}), ctx.ConstInt64(j + 1), info});
    std::string root = m.Op("Sqrt", {diagonal});
    std::string below = Unsqueeze(ctx, m.Mask(n, [&](int64_t i) { return i > j; }), {-1});
    std::string at = Unsqueeze(ctx, m.Mask(n, [&](int64_t i) { return i == j; }), {-1});
    columns.push_back(m.Op("Where", {at, root, m.Op("Where", {below, m.Op("Div", {c, root}), m.c(0)})}));
  }
  std::string l = n == 1 ? columns[0] : m.Op("Concat", columns, {{"axis", int64_t{-1}}});
  ctx.SetOutput(0, upper ? m.Transpose(l, ctx.Rank(0)) : l);
  if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, ctx.Cast(info, DType::kInt64, DType::kInt32));
}

// aten::cholesky_solve(Tensor self, Tensor input2, bool upper=False): X with A X = self for
// A = L L^T (U^T U when upper) from its factor input2, by two triangular solves.
void TranslateCholeskySolve(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 1);
  bool upper = ctx.NumInputs() > 2 && ctx.ConstBool(2, "upper");
  Matrices m{ctx, dt};
  std::string factor = ctx.OperandAs(1, dt), b = m.BroadcastBatch(ctx.OperandAs(0, dt), factor, ctx.Rank(1));
  std::string transposed = m.Transpose(factor, ctx.Rank(1));
  // L (L^T X) = B, or U^T (U X) = B.
  std::string y = SolveTriangular(m, upper ? transposed : factor, b, n, /*upper=*/false, false);
  ctx.SetOutput(0, SolveTriangular(m, upper ? factor : transposed, y, n, /*upper=*/true, false));
}

// aten::lu_solve(Tensor self, Tensor LU_data, Tensor LU_pivots): linalg_lu_solve's older
// spelling, the right-hand side first.
void TranslateOldLUSolve(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 1);
  Matrices m{ctx, dt};
  LU lu;
  lu.lu = ctx.OperandAs(1, dt);
  lu.perm = PermutationOfPivots(m, ctx.Input(2), n);
  ctx.SetOutput(0, SolveWithLU(m, lu, m.BroadcastBatch(ctx.OperandAs(0, dt), lu.lu, ctx.Rank(1)), n));
}

// aten::lu_unpack(Tensor LU_data, Tensor LU_pivots, bool unpack_data=True, bool
// unpack_pivots=True) -> (P, L, U), any m x n; what is not unpacked is empty.
void TranslateLUUnpack(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [rows, cols] = LUDims(ctx, 0);
  bool unpack_data = ctx.NumInputs() <= 2 || ctx.ConstBool(2, "unpack_data");
  bool unpack_pivots = ctx.NumInputs() <= 3 || ctx.ConstBool(3, "unpack_pivots");
  Matrices m{ctx, dt};
  std::string perm = unpack_pivots ? PermutationOfPivots(m, ctx.Input(1), rows, std::min(rows, cols)) : "";
  SetPLU(m, ctx.OperandAs(0, dt), perm, rows, cols, 0, unpack_pivots, unpack_data);
}

// aten::triangular_solve(Tensor self, Tensor A, bool upper=True, bool transpose=False, bool
// unitriangular=False) -> (solution, cloned_coefficient): A X = self (A^T X = self).
void TranslateOldTriangularSolve(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 1);
  bool upper = ctx.NumInputs() <= 2 || ctx.ConstBool(2, "upper");
  bool transpose = ctx.NumInputs() > 3 && ctx.ConstBool(3, "transpose");
  bool unit = ctx.NumInputs() > 4 && ctx.ConstBool(4, "unitriangular");
  Matrices m{ctx, dt};
  std::string a = ctx.OperandAs(1, dt);
  std::string b = m.BroadcastBatch(ctx.OperandAs(0, dt), a, ctx.Rank(1));
  std::string t = transpose ? m.Transpose(a, ctx.Rank(1)) : a;
  ctx.SetOutput(0, SolveTriangular(m, t, b, n, transpose ? !upper : upper, unit));
  if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, ctx.Op("Identity", {a}));
}

// aten::cholesky_inverse(Tensor self, bool upper=False): the inverse of A = L L^T (U^T U
// when upper) from its Cholesky factor: L^-T L^-1 (U^-1 U^-T), the factor's inverse by
// substitution; only the factor's triangle is read.
void TranslateCholeskyInverse(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t n = SquareSize(ctx, 0), rank = ctx.Rank(0);
  bool upper = ctx.ConstBool(1, "upper");
  Matrices m{ctx, dt};
  std::string factor = ctx.OperandAs(0, dt);
  std::string inverse = SolveTriangular(m, factor, m.BroadcastBatch(m.Identity(n), factor, rank), n, upper, false);
  std::string transposed = m.Transpose(inverse, rank);
  ctx.SetOutput(0, upper ? m.Op("MatMul", {inverse, transposed}) : m.Op("MatMul", {transposed, inverse}));
}

// aten::linalg_tensorinv(Tensor self, int ind=2): the inverse of self as the matrix
// [prod(shape[:ind]), prod(shape[ind:])], shaped shape[ind:] + shape[:ind].
void TranslateTensorInverse(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  int64_t ind = ctx.ConstInt(1, "ind");
  std::vector<int64_t> shape = StaticShape(ctx, 0);
  if (ind <= 0 || ind > static_cast<int64_t>(shape.size()))
    throw UnsupportedError(ctx.node().Key() + ": ind must be in 1.." + std::to_string(shape.size()) + ", got " + std::to_string(ind));
  int64_t rows = 1, cols = 1;
  for (int64_t k = 0; k < static_cast<int64_t>(shape.size()); ++k) (k < ind ? rows : cols) *= shape[k];
  if (rows != cols)
    throw UnsupportedError(ctx.node().Key() + ": the first ind dims (" + std::to_string(rows) + " elements) and the rest (" +
                           std::to_string(cols) + ") must make a square matrix");
  if (rows > kMaxFactorSize)
    throw UnsupportedError(ctx.node().Key() + ": ONNX has no matrix inverse; the converter unrolls LU for up to " +
                           std::to_string(kMaxFactorSize) + "x" + std::to_string(kMaxFactorSize) + " matrices, got " +
                           std::to_string(rows) + "x" + std::to_string(rows));
  std::string matrix = Reshape(ctx, ctx.OperandAs(0, dt), {rows, rows});
  std::vector<int64_t> out_shape(shape.begin() + ind, shape.end());
  out_shape.insert(out_shape.end(), shape.begin(), shape.begin() + ind);
  ctx.SetOutput(0, Reshape(ctx, InverseByLU(ctx, matrix, rows, 2, dt), out_shape));
}

}  // namespace

std::string InverseByLU(TranslationContext& ctx, const std::string& a, int64_t n, int64_t rank, DType dt, std::string* info) {
  Matrices m{ctx, dt};
  LU lu = Factorize(m, a, n);
  if (info) *info = lu.info;
  return SolveWithLU(m, lu, m.BroadcastBatch(m.Identity(n), a, rank), n);
}

void RegisterFactorizations(Registry& r) {
  r.SetFamily("linalg");
  r.Add("aten::linalg_lu_factor", TranslateLUFactor);
  r.Add("aten::linalg_lu_factor_ex", TranslateLUFactor);
  r.Add("aten::linalg_lu", TranslateLU);
  r.Add("aten::linalg_lu_solve", TranslateLUSolve);
  r.Add("aten::linalg_solve", TranslateSolve);
  r.Add("aten::linalg_solve_ex", TranslateSolve);
  r.Add("aten::_linalg_solve_ex", TranslateSolve);
  r.Add("aten::linalg_solve_triangular", TranslateSolveTriangular);
  r.Add("aten::linalg_cholesky", TranslateCholesky);
  r.Add("aten::linalg_cholesky_ex", TranslateCholesky);
  r.Add("aten::cholesky_inverse", TranslateCholeskyInverse);
  // The older spellings of the same factorizations.
  r.Add("aten::cholesky", TranslateCholesky);
  r.Add("aten::cholesky_solve", TranslateCholeskySolve);
  r.Add("aten::_lu_with_info", TranslateLUFactor);
  r.Add("aten::lu_solve", TranslateOldLUSolve);
  r.Add("aten::lu_unpack", TranslateLUUnpack);
  r.Add("aten::triangular_solve", TranslateOldTriangularSolve);
  r.Add("aten::linalg_tensorinv", TranslateTensorInverse);
}

}  // namespace t2o
