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

// aten::einsum(str equation, Tensor[] tensors, *, int[]? path=None) -> Tensor
void TranslateEinsum(TranslationContext& ctx) {
  std::string equation = ctx.ConstString(0, "equation");
  DType dt = ctx.OutDType();
  const ir::Value& list = ctx.InputValue(1);
  std::vector<std::string> operands = ctx.TensorListInput(1);
  if (list.producer && list.producer->op == "prim::ListConstruct")
    for (size_t k = 0; k < operands.size(); ++k) {
      const ir::Value* v = list.producer->inputs[k];
      if (v && v->IsTensor()) operands[k] = ctx.Cast(operands[k], v->meta.dtype, dt);
    }
  ctx.SetOutput(0, ctx.Op("Einsum", operands, {{"equation", equation}}));
}

// aten::linalg_cross(Tensor self, Tensor other, *, int dim=-1); aten::cross(self, other, int? dim=None)
void TranslateCross(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = std::max(ctx.Rank(0), ctx.Rank(1));
  int64_t dim = -1;
  if (ctx.NumInputs() > 2 && !ctx.IsNone(2)) {
    dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  } else if (ctx.node().op == "aten::cross") {  // the first dim of size 3
    for (int64_t k = 0; k < rank && dim < 0; ++k)
      if (ctx.Meta(0).StaticDim(k) == 3) dim = k;
    if (dim < 0) throw UnsupportedError("cross: no dimension of size 3");
  } else {
    dim = rank - 1;
  }
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  std::string next = ctx.ConstInt64s({1, 2, 0}), after = ctx.ConstInt64s({2, 0, 1});
  auto gather = [&](const std::string& t, const std::string& idx) {
    return ctx.Op("Gather", {t, idx}, {{"axis", dim}});
  };
  // (a x b)_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1}
  ctx.SetOutput(0, ctx.Op("Sub", {ctx.Op("Mul", {gather(a, next), gather(b, after)}),
                                  ctx.Op("Mul", {gather(a, after), gather(b, next)})}));
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
  // aten::dot(Tensor self, Tensor tensor): 1-D inner product (MatMul has no integer kernels
  // everywhere, so integers multiply and sum).
  r.Add("aten::dot", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string a = c.OperandAs(0, dt), b = c.OperandAs(1, dt);
    c.SetOutput(0, IsFloating(dt) ? c.Op("MatMul", {a, b}) : Reduce(c, "ReduceSum", c.Op("Mul", {a, b}), {0}, false));
  });
  r.Add("aten::t", TranslateT);
  r.Add("aten::einsum", TranslateEinsum);
  r.Add("aten::cross", TranslateCross);
  r.Add("aten::linalg_cross", TranslateCross);
}

}  // namespace t2o
