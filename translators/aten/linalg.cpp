// Linear algebra: linear, matmul and friends.
#include <algorithm>

#include "translators/aten/factorizations.h"
#include "translators/common/helpers.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

// aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor
void TranslateLinear(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string w = ctx.OperandAs(1, dt);
  auto bias = ctx.IsNone(2) ? std::optional<std::string>() : std::optional<std::string>(ctx.OperandAs(2, dt));
  // ONNX Runtime's Gemm kernels are floating-point only.
  if (ctx.Rank(0) == 2 && ctx.Meta(1).rank() == 2 && IsFloating(dt)) {
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
  if (IsFloating(dt))
    return ctx.SetOutput(0, ctx.Op("Gemm", {ctx.OperandAs(1, dt), ctx.OperandAs(2, dt), ctx.OperandAs(0, dt)},
                                   {{"alpha", static_cast<float>(alpha)}, {"beta", static_cast<float>(beta)}}));
  // Integers: ONNX Runtime's Gemm kernels are floating-point only.
  std::string product = ctx.Op("MatMul", {ctx.OperandAs(1, dt), ctx.OperandAs(2, dt)});
  if (alpha != 1.0) product = ctx.Op("Mul", {product, ctx.ConstScalar(alpha, dt)});
  std::string self = ctx.OperandAs(0, dt);
  if (beta != 1.0) self = beta == 0.0 ? Zero(ctx, dt) : ctx.Op("Mul", {self, ctx.ConstScalar(beta, dt)});
  ctx.SetOutput(0, ctx.Op("Add", {product, self}));
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
  ctx.SetOutput(0, MatMul(ctx, ctx.OperandAs(0, dt), ctx.OperandAs(1, dt), ctx.Rank(1)));
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

// beta * self + alpha * product (the add* ops).
std::string Scaled(TranslationContext& ctx, const std::string& product, DType dt) {
  double beta = ctx.ConstDouble(3, "beta"), alpha = ctx.ConstDouble(4, "alpha");
  std::string scaled = alpha == 1.0 ? product : ctx.Op("Mul", {product, ctx.ConstScalar(alpha, dt)});
  if (beta == 0.0) return scaled;  // self is ignored, nan and inf included
  std::string self = ctx.OperandAs(0, dt);
  if (beta != 1.0) self = ctx.Op("Mul", {self, ctx.ConstScalar(beta, dt)});
  return ctx.Op("Add", {self, scaled});
}

std::string Outer(TranslationContext& ctx, const std::string& a, const std::string& b) {
  return ctx.Op("Mul", {Unsqueeze(ctx, a, {1}), Unsqueeze(ctx, b, {0})});
}

// aten::addmv(self, mat, vec, *, beta=1, alpha=1), addr(self, vec1, vec2, ...) (an outer
// product), addbmm(self, batch1, batch2, ...) (the batch of products summed).
void TranslateAddProduct(TranslationContext& ctx, const std::string& kind) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(1, dt), b = ctx.OperandAs(2, dt);
  std::string product = kind == "addr"    ? Outer(ctx, a, b)
                        : kind == "addbmm" ? Reduce(ctx, "ReduceSum", ctx.Op("MatMul", {a, b}), {0}, false)
                                           : MatMul(ctx, a, b, ctx.Rank(2));
  ctx.SetOutput(0, Scaled(ctx, product, dt));
}

// aten::kron(Tensor self, Tensor other): the ranks aligned (leading 1s), a as
// [a0, 1, a1, 1, ...] times b as [1, b0, 1, b1, ...], then [a0 b0, a1 b1, ...]. Static shapes.
void TranslateKron(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::vector<int64_t> sa = StaticShape(ctx, 0), sb = StaticShape(ctx, 1);
  size_t rank = std::max(sa.size(), sb.size());
  sa.insert(sa.begin(), rank - sa.size(), 1);
  sb.insert(sb.begin(), rank - sb.size(), 1);
  std::vector<int64_t> a_shape, b_shape, out_shape;
  for (size_t k = 0; k < rank; ++k) {
    a_shape.insert(a_shape.end(), {sa[k], 1});
    b_shape.insert(b_shape.end(), {1, sb[k]});
    out_shape.push_back(sa[k] * sb[k]);
  }
  std::string product = ctx.Op("Mul", {Reshape(ctx, ctx.OperandAs(0, dt), a_shape), Reshape(ctx, ctx.OperandAs(1, dt), b_shape)});
  ctx.SetOutput(0, Reshape(ctx, product, out_shape));
}

// aten::linalg_matrix_power / matrix_power(Tensor self, int n): repeated squaring
// (n = 0: the identity); negative n: the same on the inverse (LU, factorizations.cpp).
void TranslateMatrixPower(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t n = ctx.ConstInt(1, "n");
  std::string x = ctx.OperandAs(0, dt);
  if (n < 0) {
    // A^n = (A^-1)^|n|, as PyTorch computes it.
    FloatingOut(ctx);
    x = InverseByLU(ctx, x, SquareSize(ctx, 0, "matrix inverse"), ctx.Rank(0), dt);
    n = -n;
  }
  std::string result, power = x;
  if (n == 0) {
    // The identity broadcast over the batch: x^0 = I for every matrix.
    std::string zeros = ctx.Op("Mul", {x, ctx.ConstScalar(0, dt)});
    std::string last = ctx.Op("Shape", {x});
    int64_t rank = ctx.Rank(0);
    std::string size = ctx.Op("Slice", {last, ctx.ConstInt64s({rank - 1}), ctx.ConstInt64s({rank})});
    std::string index = ctx.Op("Range", {ctx.ConstInt64(0), Squeeze(ctx, size, {0}), ctx.ConstInt64(1)});
    std::string eye = ctx.Cast(ctx.Op("Equal", {Unsqueeze(ctx, index, {1}), Unsqueeze(ctx, index, {0})}), DType::kBool, dt);
    return ctx.SetOutput(0, ctx.Op("Expand", {eye, ctx.Op("Shape", {zeros})}));
  }
  for (int64_t e = n; e > 0; e >>= 1) {
    if (e & 1) result = result.empty() ? power : ctx.Op("MatMul", {result, power});
    if (e > 1) power = ctx.Op("MatMul", {power, power});
  }
  ctx.SetOutput(0, result);
}

// The determinant by ONNX Det (ONNX Runtime's Det has float kernels only: float64 runs in
// float32 through core/translate/ort_legalize.cpp).
std::string Determinant(TranslationContext& ctx, DType dt) { return ctx.Op("Det", {ctx.OperandAs(0, dt)}); }

// aten::linalg_inv(Tensor A), aten::linalg_inv_ex(Tensor A, *, bool check_errors=False)
// -> (inverse, info), aten::inverse: ONNX has no inverse, so it is the adjugate over the
// determinant, the n^2 cofactors being determinants of the (n-1)-square minors (gathered
// at once: [..., i, j, n-1, n-1]). For small static n (at most kMaxInverseSize), where the
// cofactor formula is as accurate as LU for matrices PyTorch can invert well; singular
// matrices give inf/NaN where PyTorch raises. Larger (up to kMaxFactorSize): by LU with
// partial pivoting, as PyTorch (`info` from the LU).
constexpr int64_t kMaxInverseSize = 8;
void TranslateInverse(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  int64_t rank = ctx.Rank(0);
  if (rank < 2) throw UnsupportedError(ctx.node().Key() + " needs a matrix (rank 2 or more)");
  std::vector<int64_t> dims = StaticTrailingDims(ctx, 0, 2);
  int64_t n = dims[0];
  if (n != dims[1]) throw UnsupportedError(ctx.node().Key() + " needs square matrices");
  if (n > kMaxFactorSize)
    throw UnsupportedError(ctx.node().Key() + ": ONNX has no matrix inverse; the converter builds it from cofactors up to " +
                           std::to_string(kMaxInverseSize) + "x" + std::to_string(kMaxInverseSize) + " and by LU up to " +
                           std::to_string(kMaxFactorSize) + "x" + std::to_string(kMaxFactorSize) + ", got " +
                           std::to_string(n) + "x" + std::to_string(n));
  std::string a = ctx.OperandAs(0, dt);
  if (n > kMaxInverseSize) {
    FloatingOut(ctx);
    std::string info;
    ctx.SetOutput(0, InverseByLU(ctx, a, n, rank, dt, &info));
    if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, info);
    return;
  }
  std::string inverse;
  if (n == 1) {
    inverse = ctx.Op("Div", {ctx.ConstScalar(1, dt), a});
  } else {
    std::vector<int64_t> others;  // row k: every index but k
    for (int64_t k = 0; k < n; ++k)
      for (int64_t m = 0; m < n; ++m)
        if (m != k) others.push_back(m);
    std::string without = ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {n, n - 1}, others));
    std::string rows = ctx.Op("Gather", {a, without}, {{"axis", rank - 2}});         // [..., i, r, n]
    std::string minors = ctx.Op("Gather", {rows, without}, {{"axis", rank}});        // [..., i, r, j, c]
    std::vector<int64_t> perm;
    for (int64_t k = 0; k < rank - 2; ++k) perm.push_back(k);
    for (int64_t k : {rank - 2, rank, rank - 1, rank + 1}) perm.push_back(k);       // [..., i, j, r, c]
    std::string cofactors = ctx.Op("Det", {ctx.Op("Transpose", {minors}, {{"perm", perm}})});
    std::vector<float> signs;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) signs.push_back((i + j) % 2 ? -1.0f : 1.0f);
    std::string sign = ctx.Cast(ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {n, n}, signs)), DType::kFloat32, dt);
    std::vector<int64_t> swap;
    for (int64_t k = 0; k < rank; ++k) swap.push_back(k);
    std::swap(swap[rank - 2], swap[rank - 1]);
    std::string adjugate = ctx.Op("Transpose", {ctx.Op("Mul", {cofactors, sign})}, {{"perm", swap}});
    inverse = ctx.Op("Div", {adjugate, Unsqueeze(ctx, ctx.Op("Det", {a}), {-1, -2})});
  }
  ctx.SetOutput(0, inverse);
  if (ctx.node().outputs.size() > 1)
    ctx.SetOutput(1, ctx.Op("Expand", {ctx.ConstScalar(0, DType::kInt32), ShapeSlice(ctx, a, 0, rank - 2)}));
}

// aten::trace(Tensor self): the sum of the diagonal of a 2-D tensor (off-diagonal nan and inf
// are not read).
void TranslateTrace(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  if (ctx.Rank(0) != 2) throw UnsupportedError("trace needs a 2-D tensor");
  std::string x = ctx.OperandAs(0, dt);
  // (ONNX Runtime's EyeLike has no bool kernel: a float identity, then a mask.)
  std::string eye = ctx.Op("EyeLike", {x}, {{"dtype", int64_t{DTypeToOnnx(DType::kFloat32)}}});
  std::string diagonal = ctx.Cast(eye, DType::kFloat32, DType::kBool);
  ctx.SetOutput(0, Reduce(ctx, "ReduceSum", ctx.Op("Where", {diagonal, x, ctx.ConstScalar(0, dt)}), {}, false));
}

// aten::bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor? bias): y_o =
// x1 W_o x2 + b_o, as x1 [N, I1] @ W [I1, O * I2] -> [N, O, I2], times x2, summed over I2.
void TranslateBilinear(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::vector<int64_t> w = StaticShape(ctx, 2);
  if (w.size() != 3) throw UnsupportedError("bilinear needs a 3-D weight");
  int64_t out = w[0], in1 = w[1], in2 = w[2];
  std::string x1 = Reshape(ctx, ctx.OperandAs(0, dt), {-1, in1}), x2 = Reshape(ctx, ctx.OperandAs(1, dt), {-1, in2});
  std::string weight = Reshape(ctx, ctx.Op("Transpose", {ctx.OperandAs(2, dt)}, {{"perm", std::vector<int64_t>{1, 0, 2}}}),
                               {in1, out * in2});
  std::string partial = Reshape(ctx, ctx.Op("MatMul", {x1, weight}), {-1, out, in2});
  std::string y = Reduce(ctx, "ReduceSum", ctx.Op("Mul", {partial, Unsqueeze(ctx, x2, {1})}), {2}, false);
  if (auto b = ctx.OptionalInput(3)) y = ctx.Op("Add", {y, ctx.Cast(*b, ctx.InDType(3), dt)});
  int64_t rank = ctx.Rank(0);
  std::string leading = ctx.Op("Slice", {ctx.Op("Shape", {ctx.Input(0)}), ctx.ConstInt64s({0}), ctx.ConstInt64s({rank - 1})});
  ctx.SetOutput(0, ctx.Op("Reshape", {y, ctx.Op("Concat", {leading, ctx.ConstInt64s({out})}, {{"axis", int64_t{0}}})}));
}

// aten::_trilinear(Tensor i1, Tensor i2, Tensor i3, int[] expand1, int[] expand2,
// int[] expand3, int[] sumdim, int unroll_dim=1) (what nn.Bilinear decomposes to): the three
// inputs unsqueezed at their expand dims, multiplied, summed over sumdim (unroll_dim only
// picks ATen's loop order).
void TranslateTrilinear(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string product;
  for (size_t i = 0; i < 3; ++i) {
    std::vector<int64_t> expand = ctx.ConstInts(3 + i, "expand");
    std::string t = ctx.OperandAs(i, dt);
    if (!expand.empty()) t = Unsqueeze(ctx, t, expand);
    product = product.empty() ? t : ctx.Op("Mul", {product, t});
  }
  std::vector<int64_t> sumdim = ctx.ConstInts(6, "sumdim");
  ctx.SetOutput(0, sumdim.empty() ? product : Reduce(ctx, "ReduceSum", product, sumdim, false));
}

// aten::linalg_matrix_exp(Tensor self) (torch.matrix_exp): scaling and squaring. A is
// scaled by 2^-s so that its 1-norm is at most 1, exp of the scaled matrix is the Taylor
// polynomial of degree 18 (truncation below 1e-16 relative there), then squared s times:
// an ONNX Loop as long as the batch's largest s, each matrix squaring its own s times.
// PyTorch picks among Taylor-type polynomials of degrees 1 to 18 by the norm instead: the
// two agree to rounding.
void TranslateMatrixExp(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  if (dt != DType::kFloat32 && dt != DType::kFloat64)
    throw UnsupportedError("on " + std::string(DTypeName(dt)) + ": the converter computes float32 and float64 matrix exponentials");
  int64_t n = SquareSize(ctx, 0, "matrix exponential", std::nullopt);
  Matrices m{ctx, dt};
  std::string a = ctx.OperandAs(0, dt);
  std::string norm = Reduce(ctx, "ReduceMax", Reduce(ctx, "ReduceSum", m.Op("Abs", {a}), {-2}, true), {-1}, true);  // [..., 1, 1]
  std::string log2 = m.Op("Div", {m.Op("Log", {norm}), m.c(0.69314718055994530942)});
  std::string squarings = m.Op("Min", {m.Op("Max", {m.Op("Ceil", {log2}), m.c(0)}), m.c(1100)});
  squarings = m.Op("Where", {m.Op("IsNaN", {squarings}), m.c(0), squarings});
  std::string x = m.Op("Div", {a, m.Op("Pow", {m.c(2), squarings})});
  // The sum of X^k / k! from the smallest term. Not Horner's (I + X P / k): ONNX Runtime
  // fuses a MatMul whose only reader divides it by a constant into a FusedMatMul with a
  // float32 alpha, which costs float64 results 1e-9 of relative precision. Here every power
  // but the last also feeds the next product, which that fusion leaves alone.
  std::vector<std::string> powers{x};
  for (int k = 2; k <= 18; ++k) powers.push_back(m.Op("MatMul", {powers.back(), x}));
  double factorial = 1;
  for (int k = 1; k <= 18; ++k) factorial *= k;
  std::string p;
  for (int k = 18; k >= 1; --k) {
    std::string term = m.Op("Mul", {powers[k - 1], m.c(1.0 / factorial)});
    p = p.empty() ? term : m.Op("Add", {p, term});
    factorial /= k;
  }
  p = m.Op("Add", {p, m.Identity(n)});
  std::string count = ctx.Cast(squarings, dt, DType::kInt64);
  auto squared = RunLoop(ctx, "matrix_exp_squaring", MaxWithFloor(ctx, count, ctx.ConstInt64(0)), "",
                        {{"e", dt, m.Op("Expand", {p, m.Op("Shape", {a})})}},
                        [&](const std::string& i, const std::vector<std::string>& e) {
                          return LoopStep{"", {m.Op("Where", {m.Op("Less", {i, count}), m.Op("MatMul", {e[0], e[0]}), e[0]})}};
                        });
  ctx.SetOutput(0, squared[0]);
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
    c.SetOutput(0, IsFloating(dt) ? MatMul(c, a, b, 1) : Reduce(c, "ReduceSum", c.Op("Mul", {a, b}), {0}, false));
  });
  // aten::inner(Tensor self, Tensor other): sums over the last dims, [A..., K] x [B..., K] ->
  // [A..., B...] (a product when either is 0-d).
  r.Add("aten::inner", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string a = c.OperandAs(0, dt), b = c.OperandAs(1, dt);
    if (c.Rank(0) == 0 || c.Rank(1) == 0) return c.SetOutput(0, c.Op("Mul", {a, b}));
    std::string rows = c.Op("Reshape", {b, c.Op("Concat", {c.ConstInt64s({-1}), ShapeSlice(c, b, c.Rank(1) - 1)}, {{"axis", int64_t{0}}})});
    std::string products = IsFloating(dt) ? MatMul(c, a, c.Op("Transpose", {rows}), 2)
                                          : Reduce(c, "ReduceSum", c.Op("Mul", {Unsqueeze(c, a, {-2}), rows}), {-1}, false);
    std::string shape = c.Op("Concat", {ShapeSlice(c, a, 0, c.Rank(0) - 1), ShapeSlice(c, b, 0, c.Rank(1) - 1)}, {{"axis", int64_t{0}}});
    c.SetOutput(0, c.Op("Reshape", {products, shape}));
  });
  // aten::tensordot(Tensor self, Tensor other, int[] dims_self, int[] dims_other): the
  // contracted dims moved to the end of self and the front of other, both flattened to
  // matrices, multiplied, and the free dims restored.
  r.Add("aten::tensordot", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string a = c.OperandAs(0, dt), b = c.OperandAs(1, dt);
    int64_t rank_a = c.Rank(0), rank_b = c.Rank(1);
    auto normalized = [](std::vector<int64_t> dims, int64_t rank) {
      for (auto& d : dims) d = NormalizeAxis(d, rank);
      return dims;
    };
    std::vector<int64_t> dims_a = normalized(c.ConstInts(2, "dims_self"), rank_a), dims_b = normalized(c.ConstInts(3, "dims_other"), rank_b);
    if (dims_a.size() != dims_b.size()) throw UnsupportedError("aten::tensordot: dims_self and dims_other differ in length");
    auto free_of = [](const std::vector<int64_t>& dims, int64_t rank) {
      std::vector<int64_t> free;
      for (int64_t d = 0; d < rank; ++d)
        if (std::find(dims.begin(), dims.end(), d) == dims.end()) free.push_back(d);
      return free;
    };
    std::vector<int64_t> free_a = free_of(dims_a, rank_a), free_b = free_of(dims_b, rank_b);
    auto dims_of = [&](const std::string& x, const std::vector<int64_t>& dims) {
      return c.Op("Gather", {ShapeOf(c, x), c.ConstInt64s(dims)}, {{"axis", int64_t{0}}});
    };
    std::string contracted = Reduce(c, "ReduceProd", dims_of(a, dims_a), {0}, true);  // [1]
    std::vector<int64_t> perm_a = free_a, perm_b = dims_b;
    perm_a.insert(perm_a.end(), dims_a.begin(), dims_a.end());
    perm_b.insert(perm_b.end(), free_b.begin(), free_b.end());
    auto concat = [&](const std::vector<std::string>& parts) { return c.Op("Concat", parts, {{"axis", int64_t{0}}}); };
    std::string left = c.Op("Reshape", {c.Op("Transpose", {a}, {{"perm", perm_a}}), concat({c.ConstInt64s({-1}), contracted})});
    std::string right = c.Op("Reshape", {c.Op("Transpose", {b}, {{"perm", perm_b}}), concat({contracted, c.ConstInt64s({-1})})});
    std::string product = IsFloating(dt) ? MatMul(c, left, right, 2)
                                         : Reduce(c, "ReduceSum", c.Op("Mul", {Unsqueeze(c, left, {2}), Unsqueeze(c, right, {0})}), {1}, false);
    c.SetOutput(0, c.Op("Reshape", {product, concat({dims_of(a, free_a), dims_of(b, free_b)})}));
  });
  // aten::linalg_vecdot(Tensor x, Tensor y, *, int dim=-1): sum(x * y) over dim (real tensors).
  r.Add("aten::linalg_vecdot", [](TranslationContext& c) {
    DType dt = c.OutDType();
    int64_t rank = std::max(c.Rank(0), c.Rank(1));
    c.SetOutput(0, Reduce(c, "ReduceSum", c.Op("Mul", {c.OperandAs(0, dt), c.OperandAs(1, dt)}),
                          {NormalizeAxis(c.ConstInt(2, "dim"), rank)}, false));
  });
  // aten::linalg_vander(Tensor x, *, SymInt? N=None): [..., n] -> [..., n, N], the powers
  // x^0, ..., x^(N-1) (N = n by default).
  r.Add("aten::linalg_vander", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string x = c.OperandAs(0, dt);
    if (c.Rank(0) == 0) x = Reshape(c, x, {1});  // a 0-d x is one point: [1, N]
    auto n = c.OptionalConstInt(1, "N");
    std::string count = n ? c.ConstInt64(*n) : DimOf(c, x, -1);
    std::string exponents = c.Cast(Arange(c, count), DType::kInt64, dt);
    c.SetOutput(0, c.Op("Pow", {Unsqueeze(c, x, {-1}), exponents}));
  });
  r.Add("aten::t", TranslateT);
  r.Add("aten::einsum", TranslateEinsum);
  r.Add("aten::cross", TranslateCross);
  r.Add("aten::linalg_cross", TranslateCross);
  r.Add("aten::addmv", [](TranslationContext& c) { TranslateAddProduct(c, "addmv"); });
  r.Add("aten::addr", [](TranslationContext& c) { TranslateAddProduct(c, "addr"); });
  r.Add("aten::addbmm", [](TranslationContext& c) { TranslateAddProduct(c, "addbmm"); });
  auto outer = [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, Outer(c, c.OperandAs(0, dt), c.OperandAs(1, dt)));
  };
  r.Add("aten::outer", outer);
  r.Add("aten::ger", outer);
  r.Add("aten::kron", TranslateKron);
  r.Add("aten::linalg_matrix_power", TranslateMatrixPower);
  r.Add("aten::matrix_power", TranslateMatrixPower);
  // (_linalg_det and _linalg_slogdet, what torch.export leaves, also return LU factors and
  // pivots, which inference graphs do not read: left unproduced.)
  for (const char* op : {"aten::linalg_det", "aten::det", "aten::_linalg_det"})
    r.Add(op, [](TranslationContext& c) { c.SetOutput(0, Determinant(c, c.OutDType())); });
  // aten::logdet: log(det), nan for a negative determinant as in PyTorch.
  r.Add("aten::logdet", [](TranslationContext& c) { c.SetOutput(0, c.Op("Log", {Determinant(c, c.OutDType())})); });
  // aten::slogdet / linalg_slogdet(Tensor A) -> (sign, logabsdet).
  for (const char* op : {"aten::slogdet", "aten::linalg_slogdet", "aten::_linalg_slogdet"})
    r.Add(op, [](TranslationContext& c) {
      std::string det = Determinant(c, c.OutDType(0));
      std::string sign = c.Op("Sign", {det}), log_abs = c.Op("Log", {c.Op("Abs", {det})});
      c.SetOutput(0, sign);
      c.SetOutput(1, log_abs);
    });
  r.Add("aten::trace", TranslateTrace);
  r.Add("aten::linalg_matrix_exp", TranslateMatrixExp);
  r.Add("aten::matrix_exp", TranslateMatrixExp);
  for (const char* op : {"aten::linalg_inv", "aten::linalg_inv_ex", "aten::inverse"}) r.Add(op, TranslateInverse);
  r.Add("aten::bilinear", TranslateBilinear);
  r.Add("aten::_trilinear", TranslateTrilinear);
}

}  // namespace t2o
