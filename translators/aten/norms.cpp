// Vector and matrix norms: norm (p = 0, 1, 2, inf, -inf, other; dims), frobenius_norm,
// linalg_vector_norm, linalg_norm, linalg_matrix_norm; cosine_similarity, pairwise_distance,
// cdist and pdist; renorm.
#include <cmath>
#include <limits>

#include "translators/aten/factorizations.h"
#include "translators/common/helpers.h"

namespace t2o {
namespace {

std::string VectorNorm(TranslationContext& ctx, std::string x, DType dt, double p, std::vector<int64_t> dims,
                       bool keepdim) {
  if (dims.empty()) {  // every element: flatten so that keepdim=False gives a 0-d result
    if (keepdim) {
      for (int64_t k = 0; k < ctx.Rank(0); ++k) dims.push_back(k);
    } else {
      x = Reshape(ctx, x, {-1});
      dims = {0};
    }
  }
  if (p == 2) return Reduce(ctx, "ReduceL2", x, dims, keepdim);
  if (p == 1) return Reduce(ctx, "ReduceL1", x, dims, keepdim);
  std::string a = ctx.Op("Abs", {x});
  if (std::isinf(p)) return Reduce(ctx, p > 0 ? "ReduceMax" : "ReduceMin", a, dims, keepdim);
  if (p == 0) {
    std::string nonzero = ctx.Cast(ctx.Op("Not", {ctx.Op("Equal", {x, ctx.ConstScalar(0, dt)})}), DType::kBool, dt);
    return Reduce(ctx, "ReduceSum", nonzero, dims, keepdim);
  }
  std::string powered = ctx.Op("Pow", {a, ctx.ConstScalar(p, dt)});
  return ctx.Op("Pow", {Reduce(ctx, "ReduceSum", powered, dims, keepdim), ctx.ConstScalar(1.0 / p, dt)});
}

std::vector<int64_t> DimsArg(TranslationContext& ctx, size_t i) {
  std::vector<int64_t> dims;
  if (i >= ctx.NumInputs() || ctx.IsNone(i)) return dims;
  for (int64_t d : ctx.ConstInts(i, "dim")) dims.push_back(NormalizeAxis(d, ctx.Rank(0)));
  return dims;
}

double POf(TranslationContext& ctx, size_t i) {
  if (ctx.IsNone(i)) return 2.0;
  return ctx.ConstDouble(i, "p");
}

// aten::norm.Scalar(Tensor self, Scalar p=2)
// aten::norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False)
// aten::norm.ScalarOpt_dim_dtype(Tensor self, Scalar? p, int[1] dim, bool keepdim, *, ScalarType dtype)
void TranslateNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  double p = ctx.NumInputs() > 1 ? POf(ctx, 1) : 2.0;
  std::vector<int64_t> dims = DimsArg(ctx, 2);
  bool keepdim = ctx.NumInputs() > 3 && ctx.ConstBool(3, "keepdim");
  ctx.SetOutput(0, VectorNorm(ctx, x, dt, p, dims, keepdim));
}

// aten::linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)
void TranslateLinalgVectorNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  ctx.SetOutput(0, VectorNorm(ctx, x, dt, ctx.ConstDouble(1, "ord"), DimsArg(ctx, 2), ctx.ConstBool(3, "keepdim")));
}

// aten::frobenius_norm.dim(Tensor self, int[1] dim, bool keepdim=False)
void TranslateFrobenius(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::vector<int64_t> dims = DimsArg(ctx, 1);
  bool keepdim = ctx.NumInputs() > 2 && ctx.ConstBool(2, "keepdim");
  ctx.SetOutput(0, VectorNorm(ctx, ctx.OperandAs(0, dt), dt, 2.0, dims, keepdim));
}

// The matrix norms 2 (the largest singular value), -2 (the smallest) and nuc (their sum)
// of x (input 0) over dims (d0, d1), from the singular values (factorizations.h).
std::string SingularValueNorm(TranslationContext& ctx, const std::string& x, DType dt, const std::string& ord, int64_t d0,
                              int64_t d1, bool keepdim) {
  if (dt != DType::kFloat32 && dt != DType::kFloat64)
    throw UnsupportedError("the matrix norm ord=" + ord + " on " + std::string(DTypeName(dt)) +
                           " needs singular values, which PyTorch computes for float32 and float64 only");
  int64_t rank = ctx.Rank(0);
  d0 = NormalizeAxis(d0, rank), d1 = NormalizeAxis(d1, rank);
  std::vector<int64_t> perm;
  for (int64_t k = 0; k < rank; ++k)
    if (k != d0 && k != d1) perm.push_back(k);
  perm.push_back(d0), perm.push_back(d1);
  std::vector<int64_t> sizes;  // the matrix dims must be static
  for (int64_t d : {d0, d1}) {
    auto size = ctx.Meta(0).StaticDim(d);
    if (!size) throw UnsupportedError("the matrix norm ord=" + ord + " needs static matrix dims, but dim " + std::to_string(d) + " is symbolic");
    sizes.push_back(*size);
  }
  if (std::min(sizes[0], sizes[1]) > kMaxFactorSize)
    throw UnsupportedError("the matrix norm ord=" + ord + " needs singular values, which the converter computes for matrices "
                           "whose smaller side is at most " + std::to_string(kMaxFactorSize));
  std::string s = SingularValues(ctx, ctx.Op("Transpose", {x}, {{"perm", perm}}), sizes[0], sizes[1], rank, dt);
  std::string y = Reduce(ctx, ord == "nuc" ? "ReduceSum" : ord == "2" ? "ReduceMax" : "ReduceMin", s, {-1}, false);
  return keepdim ? Unsqueeze(ctx, y, {std::min(d0, d1), std::max(d0, d1)}) : y;
}

// Matrix norms over dims (d0, d1) (rows, columns): 'fro', ord = 1 / -1 (max / min column
// sum of |x|), inf / -inf (max / min row sum), and 2, -2, 'nuc' from singular values.
std::string MatrixNorm(TranslationContext& ctx, const std::string& x, DType dt, const std::string& ord, int64_t d0, int64_t d1,
                       bool keepdim) {
  if (ord == "fro") return Reduce(ctx, "ReduceL2", x, {d0, d1}, keepdim);
  if (ord == "nuc" || ord == "2" || ord == "-2") return SingularValueNorm(ctx, x, dt, ord, d0, d1, keepdim);
  bool columns = ord == "1" || ord == "-1";
  bool largest = ord == "1" || ord == "inf";
  if (!columns && ord != "inf" && ord != "-inf") throw UnsupportedError(ctx.node().Key() + ": unknown matrix norm ord=" + ord);
  std::string sums = Reduce(ctx, "ReduceSum", ctx.Op("Abs", {x}), {columns ? d0 : d1}, true);
  std::string y = Reduce(ctx, largest ? "ReduceMax" : "ReduceMin", sums, {columns ? d1 : d0}, true);
  return keepdim ? y : Squeeze(ctx, y, {std::max(d0, d1), std::min(d0, d1)});
}

std::string OrdName(double ord) {
  if (std::isinf(ord)) return ord > 0 ? "inf" : "-inf";
  return ord == std::floor(ord) ? std::to_string(static_cast<int64_t>(ord)) : std::to_string(ord);
}

// aten::linalg_matrix_norm(Tensor self, Scalar ord, int[] dim=[-2,-1], bool keepdim=False, *, ScalarType? dtype=None)
// aten::linalg_matrix_norm.str_ord(Tensor self, str ord='fro', int[] dim=[-2,-1], bool keepdim=False, *, ScalarType? dtype=None)
void TranslateLinalgMatrixNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string ord = ctx.InputValue(1).kind == ir::ValueKind::kString ? ctx.ConstString(1, "ord") : OrdName(ctx.ConstDouble(1, "ord"));
  std::vector<int64_t> dims = DimsArg(ctx, 2);
  if (dims.size() != 2) throw UnsupportedError("linalg_matrix_norm needs two dims");
  ctx.SetOutput(0, MatrixNorm(ctx, ctx.OperandAs(0, dt), dt, ord, dims[0], dims[1], ctx.ConstBool(3, "keepdim")));
}

// aten::linalg_norm(Tensor self, Scalar? ord=None, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)
// aten::linalg_norm.ord_str(Tensor self, str ord, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)
// A vector norm over one dim (or a 1-D input), a matrix norm over two (or a 2-D input);
// without ord, the 2-norm of every element.
void TranslateLinalgNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::vector<int64_t> dims = DimsArg(ctx, 2);
  bool keepdim = ctx.ConstBool(3, "keepdim");
  bool string_ord = ctx.InputValue(1).kind == ir::ValueKind::kString;
  if (!string_ord && ctx.IsNone(1)) return ctx.SetOutput(0, VectorNorm(ctx, x, dt, 2.0, dims, keepdim));
  if (dims.empty())
    for (int64_t k = 0; k < ctx.Rank(0); ++k) dims.push_back(k);
  if (dims.size() == 1 && !string_ord) return ctx.SetOutput(0, VectorNorm(ctx, x, dt, ctx.ConstDouble(1, "ord"), dims, keepdim));
  if (dims.size() != 2) throw UnsupportedError("linalg_norm with ord needs one or two dims");
  std::string ord = string_ord ? ctx.ConstString(1, "ord") : OrdName(ctx.ConstDouble(1, "ord"));
  ctx.SetOutput(0, MatrixNorm(ctx, x, dt, ord, dims[0], dims[1], keepdim));
}

// aten::linalg_cond(Tensor self, Scalar? p=None), .p_str(Tensor self, str p): for p = 2
// (None) / -2 the ratio of the largest to the smallest singular value (or its inverse);
// otherwise norm(A, p) norm(A^-1, p) with the inverse by LU, inf where A is singular.
void TranslateCond(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  std::string p = ctx.NumInputs() < 2 || ctx.IsNone(1) ? "2"
                  : ctx.InputValue(1).kind == ir::ValueKind::kString ? ctx.ConstString(1, "p")
                                                                     : OrdName(ctx.ConstDouble(1, "p"));
  std::string a = ctx.OperandAs(0, dt);
  int64_t rank = ctx.Rank(0);
  if (p == "2" || p == "-2") {
    auto [rows, cols] = MatrixDims(ctx, 0, "singular value decomposition", "Jacobi rotations");
    std::string s = SingularValues(ctx, a, rows, cols, rank, dt);
    std::string largest = ctx.Op("Gather", {s, ctx.ConstInt64(0)}, {{"axis", int64_t{-1}}});
    std::string smallest = ctx.Op("Gather", {s, ctx.ConstInt64(std::min(rows, cols) - 1)}, {{"axis", int64_t{-1}}});
    return ctx.SetOutput(0, p == "2" ? ctx.Op("Div", {largest, smallest}) : ctx.Op("Div", {smallest, largest}));
  }
  int64_t n = SquareSize(ctx, 0, "matrix inverse");
  std::string info;
  std::string inverse = InverseByLU(ctx, a, n, rank, dt, &info);
  std::string product = ctx.Op("Mul", {MatrixNorm(ctx, a, dt, p, -2, -1, false), MatrixNorm(ctx, inverse, dt, p, -2, -1, false)});
  std::string singular = ctx.Op("Greater", {ctx.Cast(info, DType::kInt32, DType::kInt64), ctx.ConstInt64(0)});
  ctx.SetOutput(0, ctx.Op("Where", {singular, ctx.ConstScalar(std::numeric_limits<double>::infinity(), dt), product}));
}

// aten::cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08): both inputs
// normalized along dim (norms clamped at eps), then their products summed.
void TranslateCosineSimilarity(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  std::string a_full = ctx.Op("Expand", {a, ctx.Op("Shape", {b})}), b_full = ctx.Op("Expand", {b, ctx.Op("Shape", {a})});
  int64_t rank = std::max(ctx.Rank(0), ctx.Rank(1));
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  std::string eps = ctx.ConstScalar(ctx.ConstDouble(3, "eps"), dt);
  auto unit = [&](const std::string& v) {
    return ctx.Op("Div", {v, ctx.Op("Max", {Reduce(ctx, "ReduceL2", v, {dim}, true), eps})});
  };
  ctx.SetOutput(0, Reduce(ctx, "ReduceSum", ctx.Op("Mul", {unit(a_full), unit(b_full)}), {dim}, false));
}

// aten::pairwise_distance(Tensor x1, Tensor x2, float p=2, float eps=1e-06, bool keepdim=False):
// the p-norm of x1 - x2 + eps over the last dim; x1 - x2 in the inputs' type (integers wrap,
// as in PyTorch, before eps makes it floating).
void TranslatePairwiseDistance(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  DType in = PromoteTypes(ctx.InDType(0), ctx.InDType(1));
  std::string diff = ctx.Op("Add", {ctx.Cast(ctx.Op("Sub", {ctx.OperandAs(0, in), ctx.OperandAs(1, in)}), in, dt),
                                    ctx.ConstScalar(ctx.ConstDouble(3, "eps"), dt)});
  int64_t last = std::max(ctx.Rank(0), ctx.Rank(1)) - 1;
  ctx.SetOutput(0, VectorNorm(ctx, diff, dt, ctx.ConstDouble(2, "p"), {last}, ctx.ConstBool(4, "keepdim")));
}

// aten::_cdist_forward(Tensor x1, Tensor x2, float p, int? compute_mode) -> Tensor (torch.cdist,
// also aten::cdist itself):
// the p-norm distance of every row of x1 [..., P, M] to every row of x2 [..., R, M], as
// [..., P, R], from the broadcast differences [..., P, R, M]. (compute_mode only lets ATen
// take a matrix-product shortcut for p = 2, which differs in rounding.)
void TranslateCdist(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string rows = Unsqueeze(ctx, ctx.OperandAs(0, dt), {-2});   // [..., P, 1, M]
  std::string others = Unsqueeze(ctx, ctx.OperandAs(1, dt), {-3});  // [..., 1, R, M]
  int64_t rank = std::max(ctx.Rank(0), ctx.Rank(1)) + 1;
  ctx.SetOutput(0, VectorNorm(ctx, ctx.Op("Sub", {rows, others}), dt, ctx.ConstDouble(2, "p"), {rank - 1}, false));
}

// aten::_pdist_forward(Tensor self, float p=2) -> Tensor (F.pdist, aten::pdist): the distances between the
// rows i < j of self [N, M] in row-major order: the strict upper triangle of cdist(self, self).
void TranslatePdist(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string diff = ctx.Op("Sub", {Unsqueeze(ctx, x, {1}), Unsqueeze(ctx, x, {0})});
  std::string all = VectorNorm(ctx, diff, dt, ctx.ConstDouble(1, "p"), {2}, false);  // [N, N]
  std::string index = Arange(ctx, DimOf(ctx, x, 0));
  std::string upper = ctx.Op("Less", {Unsqueeze(ctx, index, {1}), Unsqueeze(ctx, index, {0})});
  ctx.SetOutput(0, ctx.Op("Compress", {Reshape(ctx, all, {-1}), Reshape(ctx, upper, {-1})}, {{"axis", int64_t{0}}}));
}


// aten::renorm(Tensor self, Scalar p, int dim, Scalar maxnorm): each slice along dim whose
// p-norm exceeds maxnorm scaled to maxnorm, by maxnorm / (norm + 1e-7) as PyTorch scales it.
void TranslateRenorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  double p = ctx.ConstDouble(1, "p"), maxnorm = ctx.ConstDouble(3, "maxnorm");
  if (p <= 0) throw UnsupportedError("aten::renorm: p must be positive, got " + std::to_string(p));
  if (rank < 2) throw UnsupportedError("aten::renorm needs a tensor of at least 2 dims");
  std::string x = ctx.OperandAs(0, dt);
  std::vector<int64_t> others;
  for (int64_t k = 0; k < rank; ++k)
    if (k != dim) others.push_back(k);
  std::string norm = VectorNorm(ctx, x, dt, p, others, true);
  std::string limit = ctx.ConstScalar(maxnorm, dt);
  std::string factor = ctx.Op("Where", {ctx.Op("Greater", {norm, limit}),
                                        ctx.Op("Div", {limit, ctx.Op("Add", {norm, ctx.ConstScalar(1e-7, dt)})}),
                                        ctx.ConstScalar(1, dt)});
  ctx.SetOutput(0, ctx.Op("Mul", {x, factor}));
}

}  // namespace

void RegisterNorms(Registry& r) {
  r.SetFamily("norms");
  r.Add("aten::norm", TranslateNorm);
  r.Add("aten::linalg_vector_norm", TranslateLinalgVectorNorm);
  r.Add("aten::frobenius_norm", TranslateFrobenius);
  r.Add("aten::linalg_norm", TranslateLinalgNorm);
  r.Add("aten::linalg_matrix_norm", TranslateLinalgMatrixNorm);
  r.Add("aten::linalg_cond", TranslateCond);
  r.Add("aten::cosine_similarity", TranslateCosineSimilarity);
  // aten::dist(Tensor self, Tensor other, Scalar p=2): the p-norm of every element of
  // self - other (broadcast), as a 0-d tensor.
  r.Add("aten::dist", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string diff = c.Op("Sub", {c.OperandAs(0, dt), c.OperandAs(1, dt)});
    c.SetOutput(0, VectorNorm(c, diff, dt, c.ConstDouble(2, "p"), {}, false));
  });
  r.Add("aten::pairwise_distance", TranslatePairwiseDistance);
  r.Add("aten::_cdist_forward", TranslateCdist);
  r.Add("aten::cdist", TranslateCdist);  // TorchScript keeps the composite
  r.Add("aten::_pdist_forward", TranslatePdist);
  r.Add("aten::pdist", TranslatePdist);
  r.Add("aten::renorm", TranslateRenorm);
}

}  // namespace t2o
