// Elementwise arithmetic, math functions, comparisons and logic.
//
// Type promotion: the output dtype PyTorch computed is known (captured metadata), so
// operands are cast to it (arithmetic) or to their promoted type (comparisons). The same
// translators serve TorchScript's scalar overloads (aten::add.int), whose "tensors" are
// 0-d ONNX tensors.
#include <cmath>
#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

DType CommonInputType(TranslationContext& ctx, size_t a, size_t b) {
  // A Python scalar does not promote a tensor of the same category (float16 tensor <
  // 2.0 compares in float16; int32 tensor == 1 in int32).
  const auto& va = ctx.InputValue(a);
  const auto& vb = ctx.InputValue(b);
  DType ta = ctx.InDType(a), tb = ctx.InDType(b);
  if (va.IsTensor() && !vb.IsTensor() && IsFloating(ta) == IsFloating(tb) && ta != DType::kBool) return ta;
  if (vb.IsTensor() && !va.IsTensor() && IsFloating(ta) == IsFloating(tb) && tb != DType::kBool) return tb;
  return PromoteTypes(ta, tb);
}

// aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor; also sub.
void TranslateAddSub(TranslationContext& ctx, const std::string& op) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt);
  std::string b = ctx.OperandAs(1, dt);
  if (ctx.NumInputs() > 2 && !ctx.IsNone(2)) {
    double alpha = ctx.ConstDouble(2, "alpha");
    if (alpha != 1.0) b = ctx.Op("Mul", {b, ctx.ConstScalar(alpha, dt)});
  }
  // bool + bool is a logical or in PyTorch (ONNX Add has no bool); the alpha of a bool
  // add is a bool as well.
  if (dt == DType::kBool && op == "Add") return ctx.SetOutput(0, ctx.Op("Or", {a, b}));
  ctx.SetOutput(0, ctx.Op(op, {a, b}));
}

// aten::rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor: other - alpha*self
void TranslateRsub(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt);
  std::string b = ctx.OperandAs(1, dt);
  if (ctx.NumInputs() > 2 && !ctx.IsNone(2)) {
    double alpha = ctx.ConstDouble(2, "alpha");
    if (alpha != 1.0) a = ctx.Op("Mul", {a, ctx.ConstScalar(alpha, dt)});
  }
  ctx.SetOutput(0, ctx.Op("Sub", {b, a}));
}

void TranslateBinary(TranslationContext& ctx, const std::string& op) {
  DType dt = ctx.OutDType();
  // bool * bool is a logical and in PyTorch (ONNX Mul has no bool).
  std::string onnx_op = dt == DType::kBool && op == "Mul" ? "And" : op;
  ctx.SetOutput(0, ctx.Op(onnx_op, {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)}));
}

// Truncation toward zero, which ONNX lacks as an op: sign(x) * floor(|x|).
std::string Trunc(TranslationContext& ctx, const std::string& x) {
  return ctx.Op("Mul", {ctx.Op("Sign", {x}), ctx.Op("Floor", {ctx.Op("Abs", {x})})});
}

// aten::div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor
void TranslateDiv(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string mode;
  if (ctx.NumInputs() > 2 && !ctx.IsNone(2)) mode = ctx.ConstString(2, "rounding_mode");
  std::string a = ctx.OperandAs(0, dt);
  std::string b = ctx.OperandAs(1, dt);
  if (IsFloating(dt)) {
    std::string q = ctx.Op("Div", {a, b});
    if (mode == "floor") q = ctx.Op("Floor", {q});
    if (mode == "trunc") q = Trunc(ctx, q);
    ctx.SetOutput(0, q);
    return;
  }
  // Integer output: only with a rounding mode (true division of ints gives floats).
  ctx.SetOutput(0, mode == "floor" ? IntFloorDiv(ctx, a, b, dt) : ctx.Op("Div", {a, b}));
}

// aten::floor_divide(Tensor self, Tensor other) -> Tensor; aten::floordiv.int(int a, int b) -> int
void TranslateFloorDivide(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt);
  std::string b = ctx.OperandAs(1, dt);
  ctx.SetOutput(0, IsFloating(dt) ? ctx.Op("Floor", {ctx.Op("Div", {a, b})}) : IntFloorDiv(ctx, a, b, dt));
}

// aten::remainder.Tensor(Tensor self, Tensor other) -> Tensor: result has the sign of other.
void TranslateRemainder(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt);
  std::string b = ctx.OperandAs(1, dt);
  if (IsFloating(dt)) {
    std::string q = ctx.Op("Floor", {ctx.Op("Div", {a, b})});
    ctx.SetOutput(0, ctx.Op("Sub", {a, ctx.Op("Mul", {q, b})}));
  } else {
    ctx.SetOutput(0, ctx.Op("Mod", {a, b}, {{"fmod", int64_t{0}}}));
  }
}

// aten::fmod.Tensor(Tensor self, Tensor other) -> Tensor: result has the sign of self.
void TranslateFmod(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Mod", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)}, {{"fmod", int64_t{1}}}));
}

// aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor (and Tensor_Tensor, Scalar)
void TranslatePow(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  if (ctx.IsConstant(1) && !ctx.InputValue(1).IsTensor()) {
    double e = ctx.ConstDouble(1, "exponent");
    std::string x = ctx.OperandAs(0, dt);
    if (e == 2.0) return ctx.SetOutput(0, ctx.Op("Mul", {x, x}));
    if (e == 1.0) return ctx.SetOutput(0, ctx.Op("Identity", {x}));
    if (e == 0.5 && IsFloating(dt)) return ctx.SetOutput(0, ctx.Op("Sqrt", {x}));
  }
  ctx.SetOutput(0, ctx.Op("Pow", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)}));
}

// aten::atan2(Tensor self, Tensor other): atan(y/x) corrected by quadrant, with C's values
// where y/x is not a number or loses the sign of a zero x: x = ±0 gives ±pi/2 by y's
// sign, and y = ±0 keeps y (x = +0) or gives ±pi (x = -0, its sign read from 1/x);
// both infinite gives ±pi/4 or ±3pi/4.
void TranslateAtan2(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string y = ctx.OperandAs(0, dt), x = ctx.OperandAs(1, dt);
  auto k = [&](double v) { return ctx.ConstScalar(v, dt); };
  auto pick = [&](const std::string& cond, const std::string& a, const std::string& b) {
    return ctx.Op("Where", {cond, a, b});
  };
  const double pi = 3.14159265358979323846;
  std::string y_zero = ctx.Op("Equal", {y, k(0)});
  std::string y_negative_zero = ctx.Op("And", {y_zero, ctx.Op("Less", {ctx.Op("Div", {k(1), y}), k(0)})});
  std::string y_neg = ctx.Op("Or", {ctx.Op("Less", {y, k(0)}), y_negative_zero});  // sign bit
  auto signed_y = [&](double v) { return pick(y_neg, k(-v), k(v)); };
  std::string base = ctx.Op("Atan", {ctx.Op("Div", {y, x})});
  std::string regular = pick(ctx.Op("Less", {x, k(0)}), ctx.Op("Add", {base, signed_y(pi)}), base);
  std::string x_negative_zero = ctx.Op("Less", {ctx.Op("Div", {k(1), x}), k(0)});
  std::string on_y_axis = pick(y_zero, pick(x_negative_zero, signed_y(pi), y), signed_y(pi / 2));
  std::string x_zero = ctx.Op("And", {ctx.Op("Equal", {x, k(0)}), ctx.Op("Not", {ctx.Op("IsNaN", {y})})});
  std::string both_infinite = ctx.Op("And", {ctx.Op("IsInf", {x}), ctx.Op("IsInf", {y})});
  std::string corner = pick(ctx.Op("Greater", {x, k(0)}), signed_y(pi / 4), signed_y(3 * pi / 4));
  ctx.SetOutput(0, pick(x_zero, on_y_axis, pick(both_infinite, corner, regular)));
}

void TranslateUnary(TranslationContext& ctx, const std::string& op) {
  DType dt = ctx.OutDType();
  // Rounding an integer changes nothing (ONNX Round/Floor/Ceil take floats only).
  if ((op == "Round" || op == "Floor" || op == "Ceil") && !IsFloating(dt))
    return ctx.SetOutput(0, ctx.Op("Identity", {ctx.OperandAs(0, dt)}));
  std::string x = ctx.OperandAs(0, dt);
  // PyTorch's sign of NaN is 0 (ONNX Sign keeps NaN).
  if (op == "Sign" && IsFloating(dt)) return ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("IsNaN", {x}), Zero(ctx, dt), ctx.Op("Sign", {x})}));
  ctx.SetOutput(0, ctx.Op(op, {x}));
}

// aten::rsqrt(Tensor self) -> Tensor
void TranslateRsqrt(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Reciprocal", {ctx.Op("Sqrt", {ctx.OperandAs(0, dt)})}));
}

// Comparisons: operands in their promoted type, bool result.
void TranslateCompare(TranslationContext& ctx, const std::string& op, bool negate = false) {
  DType dt = CommonInputType(ctx, 0, 1);
  std::string r = ctx.Op(op, {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)});
  if (negate) r = ctx.Op("Not", {r});
  ctx.SetOutput(0, ctx.Cast(r, DType::kBool, ctx.OutDType()));
}

void TranslateLogical(TranslationContext& ctx, const std::string& op) {
  std::vector<std::string> ins;
  for (size_t i = 0; i < (op == "Not" ? 1u : 2u); ++i) ins.push_back(ctx.OperandAs(i, DType::kBool));
  ctx.SetOutput(0, ctx.Cast(ctx.Op(op, ins), DType::kBool, ctx.OutDType()));
}

// The 64 two's-complement bits of an int64 tensor as int64 0/1 values: the low 63 bits
// along a new trailing axis, and the sign bit separately. For a negative x the low bits are
// those of x + 2^63, computed as (x + INT64_MAX) + 1 so that nothing overflows.
struct Int64Bits {
  std::string low, sign;
};

std::string PowersOfTwo(TranslationContext& ctx) {
  std::vector<int64_t> powers(63);
  for (int k = 0; k < 63; ++k) powers[static_cast<size_t>(k)] = int64_t{1} << k;
  return ctx.ConstInt64s(powers);
}

Int64Bits BitsOf(TranslationContext& ctx, const std::string& x, const std::string& powers) {
  std::string negative = ctx.Op("Less", {x, ctx.ConstInt64(0)});
  std::string offset = ctx.Op("Add", {ctx.Op("Add", {x, ctx.ConstInt64(std::numeric_limits<int64_t>::max())}), ctx.ConstInt64(1)});
  std::string magnitude = ctx.Op("Where", {negative, offset, x});  // >= 0, so Div floors
  std::string shifted = ctx.Op("Div", {Unsqueeze(ctx, magnitude, {-1}), powers});
  return {ctx.Op("Mod", {shifted, ctx.ConstInt64(2)}), ctx.Cast(negative, DType::kBool, DType::kInt64)};
}

// Integer and/or/xor at opsets without ONNX's Bitwise ops (added in opset 18): combined bit
// by bit on 0/1 values, then summed back. Exact for every integer type (values are
// sign-extended to int64 and cast back).
std::string IntegerBitwise(TranslationContext& ctx, const std::string& logical_op, DType dt) {
  std::string powers = PowersOfTwo(ctx);
  Int64Bits a = BitsOf(ctx, ctx.OperandAs(0, DType::kInt64), powers);
  Int64Bits b = BitsOf(ctx, ctx.OperandAs(1, DType::kInt64), powers);
  auto combine = [&](const std::string& x, const std::string& y) {
    if (logical_op == "And") return ctx.Op("Mul", {x, y});
    if (logical_op == "Or") return ctx.Op("Sub", {ctx.Op("Add", {x, y}), ctx.Op("Mul", {x, y})});
    return ctx.Op("Abs", {ctx.Op("Sub", {x, y})});  // Xor
  };
  // ONNX Runtime sums int64 through double, so the bits are summed in groups of 21, each
  // group's sum having few enough significant bits to stay exact.
  std::string weighted = ctx.Op("Mul", {combine(a.low, b.low), powers});
  std::string low;
  for (int64_t first = 0; first < 63; first += 21) {
    std::string group = ctx.Op("Slice", {weighted, ctx.ConstInt64s({first}), ctx.ConstInt64s({first + 21}), ctx.ConstInt64s({-1})});
    std::string sum = Reduce(ctx, "ReduceSum", group, {-1}, false);
    low = low.empty() ? sum : ctx.Op("Add", {low, sum});
  }
  std::string sign = ctx.Cast(combine(a.sign, b.sign), DType::kInt64, DType::kBool);
  std::string with_sign = ctx.Op("Add", {low, ctx.ConstInt64(std::numeric_limits<int64_t>::min())});
  return ctx.Cast(ctx.Op("Where", {sign, with_sign, low}), DType::kInt64, dt);
}

// aten::bitwise_and / __and__ / __or__ / bitwise_not ...: logical ops on bools; on integers
// ~x = -1 - x, and/or/xor bit by bit (opsets 13-17).
void TranslateBitwise13(TranslationContext& ctx, const std::string& logical_op) {
  DType dt = ctx.OutDType();
  if (dt == DType::kBool) return TranslateLogical(ctx, logical_op);
  if (!IsIntegral(dt)) throw UnsupportedError(ctx.node().Key() + " is defined for integer and bool tensors");
  if (logical_op == "Not") {
    std::string inverted = ctx.Op("Sub", {ctx.ConstInt64(-1), ctx.OperandAs(0, DType::kInt64)});
    return ctx.SetOutput(0, ctx.Cast(inverted, DType::kInt64, dt));
  }
  ctx.SetOutput(0, IntegerBitwise(ctx, logical_op, dt));
}

// The same with ONNX BitwiseAnd/Or/Xor/Not (opset 18) on integers, operands promoted first.
void TranslateBitwise18(TranslationContext& ctx, const std::string& logical_op) {
  DType dt = ctx.OutDType();
  if (dt == DType::kBool) return TranslateLogical(ctx, logical_op);
  if (!IsIntegral(dt)) throw UnsupportedError(ctx.node().Key() + " is defined for integer and bool tensors");
  std::vector<std::string> operands{ctx.OperandAs(0, dt)};
  if (logical_op != "Not") operands.push_back(ctx.OperandAs(1, dt));
  ctx.SetOutput(0, ctx.Op("Bitwise" + logical_op, operands));
}

// aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor
void TranslateWhere(TranslationContext& ctx) {
  if (ctx.NumInputs() == 1) {
    // where(condition): one 1-D index tensor per dim, the coordinates of the True elements.
    int64_t rank = ctx.Rank(0);
    std::string coords = ctx.Op("NonZero", {ctx.Input(0)});  // [rank, count]
    std::vector<std::string> rows;
    for (int64_t d = 0; d < rank; ++d)
      rows.push_back(ctx.Op("Gather", {coords, ctx.ConstInt64(d)}, {{"axis", int64_t{0}}}));
    return ctx.SetOutputBinding(0, ListOf(rows));
  }
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Where", {ctx.OperandAs(0, DType::kBool), ctx.OperandAs(1, dt), ctx.OperandAs(2, dt)}));
}

// aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor
void TranslateMaskedFill(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Where", {ctx.OperandAs(1, DType::kBool), ctx.OperandAs(2, dt), ctx.OperandAs(0, dt)}));
}

// aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor (also .Tensor)
void TranslateClamp(TranslationContext& ctx, bool has_min, bool has_max) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  auto is_scalar = [&](size_t i) { return !ctx.InputValue(i).IsTensor() || ctx.Meta(i).rank() == 0; };
  std::string lo, hi;
  bool scalar_bounds = true;
  size_t min_index = 1, max_index = has_min ? 2 : 1;
  if (has_min && !ctx.IsNone(min_index)) {
    lo = ctx.OperandAs(min_index, dt);
    scalar_bounds = scalar_bounds && is_scalar(min_index);
  }
  if (has_max && !ctx.IsNone(max_index)) {
    hi = ctx.OperandAs(max_index, dt);
    scalar_bounds = scalar_bounds && is_scalar(max_index);
  }
  if (scalar_bounds && dt != DType::kBool) {
    ctx.SetOutput(0, ctx.Op("Clip", {x, lo, hi}));
    return;
  }
  if (!lo.empty()) x = ctx.Op("Max", {x, lo});
  if (!hi.empty()) x = ctx.Op("Min", {x, hi});
  ctx.SetOutput(0, x);
}

// aten::lerp.Scalar(Tensor self, Tensor end, Scalar weight) -> Tensor
void TranslateLerp(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt), w = ctx.OperandAs(2, dt);
  ctx.SetOutput(0, ctx.Op("Add", {a, ctx.Op("Mul", {w, ctx.Op("Sub", {b, a})})}));
}

}  // namespace

void RegisterElementwise(Registry& r) {
  r.SetFamily("elementwise");
  r.Add("aten::add", [](TranslationContext& c) { TranslateAddSub(c, "Add"); });
  r.Add("aten::sub", [](TranslationContext& c) { TranslateAddSub(c, "Sub"); });
  r.Add("aten::subtract", [](TranslationContext& c) { TranslateAddSub(c, "Sub"); });
  r.Add("aten::rsub", TranslateRsub);
  r.Add("aten::mul", [](TranslationContext& c) { TranslateBinary(c, "Mul"); });
  r.Add("aten::multiply", [](TranslationContext& c) { TranslateBinary(c, "Mul"); });
  r.Add("aten::div", TranslateDiv);
  r.Add("aten::true_divide", TranslateDiv);
  r.Add("aten::floor_divide", TranslateFloorDivide);
  r.Add("aten::floordiv", TranslateFloorDivide);
  r.Add("aten::remainder", TranslateRemainder);
  r.Add("aten::fmod", TranslateFmod);
  r.Add("aten::pow", TranslatePow);
  r.Add("aten::maximum", [](TranslationContext& c) { TranslateBinary(c, "Max"); });
  r.Add("aten::minimum", [](TranslationContext& c) { TranslateBinary(c, "Min"); });
  r.Add("aten::atan2", TranslateAtan2);

  struct UnaryOp {
    const char* aten;
    const char* onnx;
  };
  static const UnaryOp kUnary[] = {
      {"aten::neg", "Neg"},     {"aten::abs", "Abs"},       {"aten::exp", "Exp"},     {"aten::log", "Log"},
      {"aten::sqrt", "Sqrt"},   {"aten::reciprocal", "Reciprocal"}, {"aten::floor", "Floor"},
      {"aten::ceil", "Ceil"},   {"aten::sin", "Sin"},       {"aten::cos", "Cos"},     {"aten::tan", "Tan"},
      {"aten::asin", "Asin"},   {"aten::acos", "Acos"},     {"aten::atan", "Atan"},   {"aten::sinh", "Sinh"},
      {"aten::cosh", "Cosh"},   {"aten::asinh", "Asinh"},   {"aten::acosh", "Acosh"}, {"aten::atanh", "Atanh"},
      {"aten::erf", "Erf"},     {"aten::sign", "Sign"},     {"aten::isnan", "IsNaN"}, {"aten::negative", "Neg"},
      {"aten::round", "Round"},
  };
  for (const auto& u : kUnary) {
    std::string onnx_op = u.onnx;
    if (onnx_op == "IsNaN") {
      r.Add(u.aten, [](TranslationContext& c) { c.SetOutput(0, c.Op("IsNaN", {c.Input(0)})); });
      continue;
    }
    r.Add(u.aten, [onnx_op](TranslationContext& c) { TranslateUnary(c, onnx_op); });
  }
  // aten::round.decimals(Tensor self, *, int decimals): PyTorch scales, rounds half to
  // even and scales back, as here.
  r.Add("aten::round.decimals", [](TranslationContext& c) {
    DType dt = c.OutDType();
    int64_t decimals = c.ConstInt(1, "decimals");
    std::string x = c.OperandAs(0, dt);
    std::string ten = c.ConstScalar(std::pow(10.0, static_cast<double>(std::llabs(decimals))), dt);
    if (decimals >= 0) return c.SetOutput(0, c.Op("Div", {c.Op("Round", {c.Op("Mul", {x, ten})}), ten}));
    c.SetOutput(0, c.Op("Mul", {c.Op("Round", {c.Op("Div", {x, ten})}), ten}));
  });
  // aten::logaddexp(Tensor self, Tensor other): max + log(exp(a - max) + exp(b - max))
  r.Add("aten::logaddexp", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string a = c.OperandAs(0, dt), b = c.OperandAs(1, dt);
    std::string m = c.Op("Max", {a, b});
    std::string sum = c.Op("Add", {c.Op("Exp", {c.Op("Sub", {a, m})}), c.Op("Exp", {c.Op("Sub", {b, m})})});
    c.SetOutput(0, c.Op("Add", {m, c.Op("Log", {sum})}));
  });
  // Shifts on integers: x << s = x * 2^s (wrapping as two's complement), x >> s = floor(x / 2^s)
  // (arithmetic shift); ONNX BitShift is for unsigned types only. PyTorch's amounts outside
  // the type's width: s < 0 or s >= bits shift everything out (0; a right shift of a signed
  // value fills with its sign). 2^s is only formed where it fits: 2^(bits-1) of a signed type
  // is its minimum, written as a constant.
  auto shift = [](TranslationContext& c, bool left) {
    DType dt = c.OutDType();
    if (!IsIntegral(dt)) throw UnsupportedError("shifts are defined for integer tensors");
    const int64_t bits = static_cast<int64_t>(DTypeSize(dt)) * 8;
    const bool is_signed = dt != DType::kUInt8;
    std::string x = c.OperandAs(0, dt), s = c.OperandAs(1, dt);
    std::string zero = c.ConstScalar(0, dt);
    auto amount_within = [&](int64_t hi) {  // 0 <= s <= hi
      std::string upper = c.Op("LessOrEqual", {s, c.ConstScalar(static_cast<double>(hi), dt)});
      return is_signed ? c.Op("And", {c.Op("GreaterOrEqual", {s, zero}), upper}) : upper;
    };
    const int64_t widest = is_signed ? bits - 2 : bits - 1;  // 2^widest fits the type
    std::string clipped = c.Op("Clip", {s, zero, c.ConstScalar(static_cast<double>(widest), dt)});
    std::string power = c.Op("Pow", {c.ConstScalar(2, dt), clipped});
    if (left) {
      if (is_signed)
        power = c.Op("Where", {c.Op("Equal", {s, c.ConstScalar(static_cast<double>(bits - 1), dt)}),
                               c.ConstScalar(-std::ldexp(1.0, static_cast<int>(bits - 1)), dt), power});
      return c.SetOutput(0, c.Op("Where", {amount_within(bits - 1), c.Op("Mul", {x, power}), zero}));
    }
    std::string fill = is_signed ? c.Op("Where", {c.Op("Less", {x, zero}), c.ConstScalar(-1, dt), zero}) : zero;
    c.SetOutput(0, c.Op("Where", {amount_within(widest), IntFloorDiv(c, x, power, dt), fill}));
  };
  r.Add("aten::__lshift__", [shift](TranslationContext& c) { shift(c, true); });
  r.Add("aten::bitwise_left_shift", [shift](TranslationContext& c) { shift(c, true); });
  r.Add("aten::__rshift__", [shift](TranslationContext& c) { shift(c, false); });
  r.Add("aten::bitwise_right_shift", [shift](TranslationContext& c) { shift(c, false); });
  // aten::addcmul / addcdiv(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1):
  // self + value * (tensor1 * tensor2) or (tensor1 / tensor2).
  for (bool divide : {false, true})
    r.Add(divide ? "aten::addcdiv" : "aten::addcmul", [divide](TranslationContext& c) {
      DType dt = c.OutDType();
      std::string t = c.Op(divide ? "Div" : "Mul", {c.OperandAs(1, dt), c.OperandAs(2, dt)});
      c.SetOutput(0, c.Op("Add", {c.OperandAs(0, dt), c.Op("Mul", {c.ScalarInput(3, dt), t})}));
    });
  // Classification of real values; integers and bool are always finite, never infinite.
  r.Add("aten::isfinite", [](TranslationContext& c) {
    std::string x = c.Input(0);
    if (!IsFloating(c.InDType(0))) return c.SetOutput(0, c.Op("Equal", {x, x}));
    c.SetOutput(0, c.Op("Not", {c.Op("Or", {c.Op("IsInf", {x}), c.Op("IsNaN", {x})})}));
  });
  for (bool positive : {true, false})
    r.Add(positive ? "aten::isposinf" : "aten::isneginf", [positive](TranslationContext& c) {
      std::string x = c.Input(0);
      if (!IsFloating(c.InDType(0))) return c.SetOutput(0, c.Op("Not", {c.Op("Equal", {x, x})}));
      c.SetOutput(0, c.Op("IsInf", {x}, {{positive ? "detect_negative" : "detect_positive", int64_t{0}}}));
    });
  // On real tensors (complex ones have their own forms or none): sgn is sign, the
  // conjugate and the real part are the tensor, every element is real, and the angle is
  // pi for negative values, 0 otherwise (NaN kept).
  r.Add("aten::sgn", [](TranslationContext& c) { TranslateUnary(c, "Sign"); });
  for (const char* same : {"aten::conj_physical", "aten::_conj_physical", "aten::real"})
    r.Add(same, [](TranslationContext& c) { c.SetOutput(0, c.Op("Identity", {c.Input(0)})); });
  // The imaginary part of a conjugate view is a real tensor with the negative bit set.
  r.Add("aten::_neg_view", [](TranslationContext& c) { TranslateUnary(c, "Neg"); });
  r.Add("aten::isreal", [](TranslationContext& c) {
    c.SetOutput(0, c.Op("Expand", {c.ConstScalar(1, DType::kBool), ShapeOf(c, c.Input(0))}));
  });
  r.Add("aten::angle", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string x = c.OperandAs(0, dt);
    std::string angle = c.Op("Where", {c.Op("Less", {x, Zero(c, dt)}), c.ConstScalar(3.14159265358979323846, dt), Zero(c, dt)});
    c.SetOutput(0, IsFloating(c.InDType(0)) ? c.Op("Where", {c.Op("IsNaN", {x}), x, angle}) : angle);
  });
  r.Add("aten::isinf", [](TranslationContext& c) { c.SetOutput(0, c.Op("IsInf", {c.Input(0)})); });
  r.Add("aten::rsqrt", TranslateRsqrt);
  r.Add("aten::square", [](TranslationContext& c) {
    std::string x = c.OperandAs(0, c.OutDType());
    c.SetOutput(0, c.Op("Mul", {x, x}));
  });
  r.Add("aten::trunc", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, IsFloating(dt) ? Trunc(c, c.OperandAs(0, dt)) : c.Op("Identity", {c.OperandAs(0, dt)}));
  });
  r.Add("aten::frac", [](TranslationContext& c) {
    std::string x = c.OperandAs(0, c.OutDType());
    c.SetOutput(0, c.Op("Sub", {x, Trunc(c, x)}));
  });
  r.Add("aten::exp2", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, c.Op("Pow", {c.ConstScalar(2.0, dt), c.OperandAs(0, dt)}));
  });
  r.Add("aten::expm1", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, c.Op("Sub", {c.Op("Exp", {c.OperandAs(0, dt)}), c.ConstScalar(1, dt)}));
  });
  r.Add("aten::log1p", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, c.Op("Log", {c.Op("Add", {c.OperandAs(0, dt), c.ConstScalar(1, dt)})}));
  });
  r.Add("aten::log2", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, c.Op("Div", {c.Op("Log", {c.OperandAs(0, dt)}), c.ConstScalar(0.69314718055994530942, dt)}));
  });
  r.Add("aten::log10", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, c.Op("Div", {c.Op("Log", {c.OperandAs(0, dt)}), c.ConstScalar(2.30258509299404568402, dt)}));
  });

  r.Add("aten::eq", [](TranslationContext& c) { TranslateCompare(c, "Equal"); });
  r.Add("aten::ne", [](TranslationContext& c) { TranslateCompare(c, "Equal", true); });
  r.Add("aten::lt", [](TranslationContext& c) { TranslateCompare(c, "Less"); });
  r.Add("aten::le", [](TranslationContext& c) { TranslateCompare(c, "LessOrEqual"); });
  r.Add("aten::gt", [](TranslationContext& c) { TranslateCompare(c, "Greater"); });
  r.Add("aten::ge", [](TranslationContext& c) { TranslateCompare(c, "GreaterOrEqual"); });
  r.Add("aten::logical_and", [](TranslationContext& c) { TranslateLogical(c, "And"); });
  r.Add("aten::logical_or", [](TranslationContext& c) { TranslateLogical(c, "Or"); });
  r.Add("aten::logical_xor", [](TranslationContext& c) { TranslateLogical(c, "Xor"); });
  r.Add("aten::logical_not", [](TranslationContext& c) { TranslateLogical(c, "Not"); });
  // Integer bitwise ops: composed bit by bit below opset 18, ONNX Bitwise* from 18.
  for (const auto& [key, op] : std::vector<std::pair<std::string, std::string>>{
           {"aten::bitwise_not", "Not"}, {"aten::bitwise_and", "And"}, {"aten::bitwise_or", "Or"},
           {"aten::bitwise_xor", "Xor"}, {"aten::__and__", "And"}, {"aten::__or__", "Or"}, {"aten::__xor__", "Xor"}}) {
    r.Add(key, {13, 17}, [op = op](TranslationContext& c) { TranslateBitwise13(c, op); });
    r.Add(key, {18, kMaxOpset}, [op = op](TranslationContext& c) { TranslateBitwise18(c, op); });
  }
  r.Add("aten::__not__", [](TranslationContext& c) { TranslateLogical(c, "Not"); });
  r.Add("aten::where", TranslateWhere);
  r.Add("aten::masked_fill", TranslateMaskedFill);
  r.Add("aten::clamp", [](TranslationContext& c) { TranslateClamp(c, true, true); });
  r.Add("aten::clip", [](TranslationContext& c) { TranslateClamp(c, true, true); });
  r.Add("aten::clamp_min", [](TranslationContext& c) { TranslateClamp(c, true, false); });
  r.Add("aten::clamp_max", [](TranslationContext& c) { TranslateClamp(c, false, true); });
  r.Add("aten::lerp", TranslateLerp);
}

}  // namespace t2o
