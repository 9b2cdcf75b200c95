// Linear algebra: linear, matmul and friends.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor
void TranslateLinear(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string w = ctx.OperandAs(1, dt);
  auto bias = ctx.IsNone(2) ? std::optional<std::string>() : std::optional<std::string>(ctx.OperandAs(2, dt));
  if (ctx.Rank(0) == 2 && ctx.Meta(1).rank() == 2) {
    std::vector<std::string> ins{x, w};
    if (bias) ins.push_back(*bias);
    ctx.SetOutput(0, ctx.Op("Gemm", ins, {{"transB", int64_t{1}}}));
    return;
  }
  std::string wt = ctx.Meta(1).rank() == 2 ? ctx.Op("Transpose", {w}, {{"perm", std::vector<int64_t>{1, 0}}}) : w;
  std::string y = ctx.Op("MatMul", {x, wt});
  if (bias) y = ctx.Op("Add", {y, *bias});
  ctx.SetOutput(0, y);
}

// aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor
void TranslateAddmm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  double beta = ctx.NumInputs() > 3 ? ctx.ConstDouble(3, "beta") : 1.0;
  double alpha = ctx.NumInputs() > 4 ? ctx.ConstDouble(4, "alpha") : 1.0;
  ctx.SetOutput(0, ctx.Op("Gemm", {ctx.OperandAs(1, dt), ctx.OperandAs(2, dt), ctx.OperandAs(0, dt)},
                          {{"alpha", static_cast<float>(alpha)}, {"beta", static_cast<float>(beta)}}));
}

// aten::baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1)
void TranslateBaddbmm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  double beta = ctx.NumInputs() > 3 ? ctx.ConstDouble(3, "beta") : 1.0;
  double alpha = ctx.NumInputs() > 4 ? ctx.ConstDouble(4, "alpha") : 1.0;
  std::string prod = ctx.Op("MatMul", {ctx.OperandAs(1, dt), ctx.OperandAs(2, dt)});
  if (alpha != 1.0) prod = ctx.Op("Mul", {prod, ctx.ConstScalar(alpha, dt)});
  if (beta == 0.0) return ctx.SetOutput(0, prod);
  std::string self = ctx.OperandAs(0, dt);
  if (beta != 1.0) self = ctx.Op("Mul", {self, ctx.ConstScalar(beta, dt)});
  ctx.SetOutput(0, ctx.Op("Add", {self, prod}));
}

void TranslateMatMul(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("MatMul", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)}));
}

// aten::t(Tensor self) -> Tensor: transposes 2-D, leaves 0-D/1-D alone.
void TranslateT(TranslationContext& ctx) {
  if (ctx.Rank(0) < 2) return ctx.SetOutput(0, ctx.Input(0));
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", std::vector<int64_t>{1, 0}}}));
}

}  // namespace

void RegisterLinalg(Registry& r) {
  r.SetFamily("linalg");
  r.Add("aten::linear", TranslateLinear);
  r.Add("aten::addmm", TranslateAddmm);
  r.Add("aten::baddbmm", TranslateBaddbmm);
  r.Add("aten::matmul", TranslateMatMul);
  r.Add("aten::mm", TranslateMatMul);
  r.Add("aten::bmm", TranslateMatMul);
  r.Add("aten::mv", TranslateMatMul);
  r.Add("aten::t", TranslateT);
}

}  // namespace t2o
