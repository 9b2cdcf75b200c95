// Vector norms: norm (p = 0, 1, 2, inf, -inf, other; dims), frobenius_norm,
// linalg_vector_norm.
#include <cmath>
#include <limits>

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

}  // namespace

void RegisterNorms(Registry& r) {
  r.SetFamily("norms");
  r.Add("aten::norm", TranslateNorm);
  r.Add("aten::linalg_vector_norm", TranslateLinalgVectorNorm);
  r.Add("aten::frobenius_norm", TranslateFrobenius);
}

}  // namespace t2o
