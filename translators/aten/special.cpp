// Elementwise math beyond the ONNX basics, composed exactly: xlogy, xlog1py, entr, erfc,
// ndtr, sinc, logit, heaviside, signbit, copysign, hypot, float_power, fmax / fmin,
// logaddexp2, ldexp, rad2deg / deg2rad, nan_to_num, isclose.
#include <cmath>
#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::string Zero(TranslationContext& ctx, DType dt) { return ctx.ConstScalar(0, dt); }

// 0 where x is 0 (even where `product` is nan or inf), else `product`, and nan where y is.
std::string ZeroWhereXIsZero(TranslationContext& ctx, const std::string& x, const std::string& y,
                             const std::string& product, DType dt) {
  std::string zeroed = ctx.Op("Where", {ctx.Op("Equal", {x, Zero(ctx, dt)}), Zero(ctx, dt), product});
  return ctx.Op("Where", {ctx.Op("IsNaN", {y}), y, zeroed});
}

// aten::xlogy.Tensor / .Scalar_Self / .Scalar_Other(self, other): self * log(other), 0 where
// self is 0 (unless other is nan). aten::special_xlog1py: self * log1p(other).
void TranslateXLogY(TranslationContext& ctx, bool log1p) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), y = ctx.OperandAs(1, dt);
  std::string arg = log1p ? ctx.Op("Add", {y, ctx.ConstScalar(1, dt)}) : y;
  ctx.SetOutput(0, ZeroWhereXIsZero(ctx, x, y, ctx.Op("Mul", {x, ctx.Op("Log", {arg})}), dt));
}

// aten::special_entr(Tensor self): -x log(x) for x > 0, 0 at 0, -inf below, nan at nan.
void TranslateEntr(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string value = ctx.Op("Neg", {ctx.Op("Mul", {x, ctx.Op("Log", {x})})});
  value = ctx.Op("Where", {ctx.Op("Equal", {x, Zero(ctx, dt)}), Zero(ctx, dt), value});
  std::string negative_inf = ctx.ConstScalar(-std::numeric_limits<double>::infinity(), dt);
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("Less", {x, Zero(ctx, dt)}), negative_inf, value}));
}

// aten::erfc(Tensor self): 1 - erf(x). aten::special_ndtr(Tensor self): the standard normal
// CDF, (1 + erf(x / sqrt 2)) / 2.
void TranslateErfc(TranslationContext& ctx, bool ndtr) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  if (ndtr) x = ctx.Op("Mul", {x, ctx.ConstScalar(1 / std::sqrt(2.0), dt)});
  std::string erf = FloatKernelOp(ctx, dt, "Erf", {x});
  std::string one = ctx.ConstScalar(1, dt);
  if (!ndtr) return ctx.SetOutput(0, ctx.Op("Sub", {one, erf}));
  ctx.SetOutput(0, ctx.Op("Mul", {ctx.Op("Add", {one, erf}), ctx.ConstScalar(0.5, dt)}));
}

// aten::sinc(Tensor self): sin(pi x) / (pi x), 1 at 0.
void TranslateSinc(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string pix = ctx.Op("Mul", {x, ctx.ConstScalar(kPi, dt)});
  std::string value = ctx.Op("Div", {ctx.Op("Sin", {pix}), pix});
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("Equal", {x, Zero(ctx, dt)}), ctx.ConstScalar(1, dt), value}));
}

// aten::logit(Tensor self, float? eps=None): log(x / (1 - x)), x clamped to [eps, 1 - eps].
void TranslateLogit(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  if (auto eps = ctx.OptionalConstDouble(1, "eps"))
    x = ctx.Op("Min", {ctx.Op("Max", {x, ctx.ConstScalar(*eps, dt)}), ctx.ConstScalar(1 - *eps, dt)});
  ctx.SetOutput(0, ctx.Op("Log", {ctx.Op("Div", {x, ctx.Op("Sub", {ctx.ConstScalar(1, dt), x})})}));
}

// aten::heaviside(Tensor self, Tensor values): 0 below 0, 1 above, `values` at 0.
void TranslateHeaviside(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), at_zero = ctx.OperandAs(1, dt);
  std::string step = ctx.Cast(ctx.Op("Greater", {x, Zero(ctx, dt)}), DType::kBool, dt);
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("Equal", {x, Zero(ctx, dt)}), at_zero, step}));
}

// Whether the sign bit is set: x < 0, or x is -0.0 (1 / x is -inf); nan counts as positive.
std::string SignBit(TranslationContext& ctx, const std::string& x, DType dt) {
  if (!IsFloating(dt)) return ctx.Op("Less", {x, Zero(ctx, dt)});
  std::string negative_zero = ctx.Op("And", {ctx.Op("Equal", {x, Zero(ctx, dt)}),
                                             ctx.Op("Less", {ctx.Op("Reciprocal", {x}), Zero(ctx, dt)})});
  return ctx.Op("Or", {ctx.Op("Less", {x, Zero(ctx, dt)}), negative_zero});
}

// aten::signbit(Tensor self) -> bool tensor.
void TranslateSignbit(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  if (dt == DType::kBool) return ctx.SetOutput(0, ctx.Op("Equal", {ctx.Input(0), ctx.Op("Not", {ctx.Input(0)})}));
  ctx.SetOutput(0, SignBit(ctx, ctx.Input(0), dt));
}

// aten::copysign.Tensor / .Scalar(self, other): |self| with other's sign bit.
void TranslateCopysign(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string magnitude = ctx.Op("Abs", {ctx.OperandAs(0, dt)});
  std::string sign_from = ctx.OperandAs(1, dt);
  ctx.SetOutput(0, ctx.Op("Where", {SignBit(ctx, sign_from, dt), ctx.Op("Neg", {magnitude}), magnitude}));
}

// aten::hypot(Tensor self, Tensor other): sqrt(a^2 + b^2), scaled by max(|a|, |b|) so that
// large values do not overflow (inf where either is inf).
void TranslateHypot(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.Op("Abs", {ctx.OperandAs(0, dt)}), b = ctx.Op("Abs", {ctx.OperandAs(1, dt)});
  std::string big = ctx.Op("Max", {a, b}), small = ctx.Op("Min", {a, b});
  std::string ratio = ctx.Op("Div", {small, big});
  std::string scaled = ctx.Op("Mul", {big, ctx.Op("Sqrt", {ctx.Op("Add", {ctx.ConstScalar(1, dt), ctx.Op("Mul", {ratio, ratio})})})});
  std::string value = ctx.Op("Where", {ctx.Op("Equal", {big, Zero(ctx, dt)}), Zero(ctx, dt), scaled});
  std::string inf = ctx.ConstScalar(std::numeric_limits<double>::infinity(), dt);
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("IsInf", {big}), inf, value}));
}

// aten::float_power.Tensor_Tensor / Tensor_Scalar / Scalar(self, exponent): pow in float64
// (the output dtype PyTorch gives it).
void TranslateFloatPower(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Pow", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)}));
}

// aten::fmax / fmin(Tensor self, Tensor other): max / min ignoring a nan operand (nan only
// where both are).
void TranslateFMaxMin(TranslationContext& ctx, const char* op) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  std::string both = ctx.Op(op, {a, b});
  if (!IsFloating(dt)) return ctx.SetOutput(0, both);
  std::string value = ctx.Op("Where", {ctx.Op("IsNaN", {a}), b, both});
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("IsNaN", {b}), a, value}));
}

// aten::logaddexp2(Tensor self, Tensor other): log2(2^a + 2^b) = m + log2(2^(a-m) + 2^(b-m)).
void TranslateLogAddExp2(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  std::string m = ctx.Op("Max", {a, b}), two = ctx.ConstScalar(2, dt);
  std::string sum = ctx.Op("Add", {ctx.Op("Pow", {two, ctx.Op("Sub", {a, m})}), ctx.Op("Pow", {two, ctx.Op("Sub", {b, m})})});
  ctx.SetOutput(0, ctx.Op("Add", {m, ctx.Op("Div", {ctx.Op("Log", {sum}), ctx.ConstScalar(std::log(2.0), dt)})}));
}

// aten::ldexp.Tensor(Tensor self, Tensor other): self * 2^other.
void TranslateLdexp(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Mul", {ctx.OperandAs(0, dt), ctx.Op("Pow", {ctx.ConstScalar(2, dt), ctx.OperandAs(1, dt)})}));
}

// aten::rad2deg / deg2rad(Tensor self).
void TranslateScale(TranslationContext& ctx, double factor) {
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("Mul", {ctx.OperandAs(0, dt), ctx.ConstScalar(factor, dt)}));
}

// The largest finite value of a float dtype.
double FloatMax(DType dt) {
  if (dt == DType::kFloat16) return 65504.0;
  if (dt == DType::kBFloat16) return 3.3895313892515355e38;
  if (dt == DType::kFloat32) return std::numeric_limits<float>::max();
  return std::numeric_limits<double>::max();
}

// aten::nan_to_num(Tensor self, float? nan=0, float? posinf=None, float? neginf=None): nan,
// +inf and -inf replaced (the infinities by the dtype's largest finite values by default).
void TranslateNanToNum(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  if (!IsFloating(dt)) return ctx.SetOutput(0, ctx.Op("Identity", {x}));
  double nan = ctx.OptionalConstDouble(1, "nan").value_or(0.0);
  double posinf = ctx.OptionalConstDouble(2, "posinf").value_or(FloatMax(dt));
  double neginf = ctx.OptionalConstDouble(3, "neginf").value_or(-FloatMax(dt));
  x = ctx.Op("Where", {ctx.Op("IsNaN", {x}), ctx.ConstScalar(nan, dt), x});
  x = ctx.Op("Where", {ctx.Op("IsInf", {x}, {{"detect_negative", int64_t{0}}}), ctx.ConstScalar(posinf, dt), x});
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("IsInf", {x}, {{"detect_positive", int64_t{0}}}), ctx.ConstScalar(neginf, dt), x}));
}

// aten::isclose(Tensor self, Tensor other, float rtol=1e-5, float atol=1e-8, bool equal_nan=False):
// |a - b| <= atol + rtol |b|, or a == b (infinities), or both nan with equal_nan.
void TranslateIsClose(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt);
  std::string equal = ctx.Op("Equal", {a, b});
  if (!IsFloating(dt)) return ctx.SetOutput(0, equal);
  double rtol = ctx.ConstDouble(2, "rtol"), atol = ctx.ConstDouble(3, "atol");
  std::string bound = ctx.Op("Add", {ctx.ConstScalar(atol, dt), ctx.Op("Mul", {ctx.ConstScalar(rtol, dt), ctx.Op("Abs", {b})})});
  std::string near = ctx.Op("LessOrEqual", {ctx.Op("Abs", {ctx.Op("Sub", {a, b})}), bound});
  std::string close = ctx.Op("Or", {equal, near});
  if (ctx.ConstBool(4, "equal_nan"))
    close = ctx.Op("Or", {close, ctx.Op("And", {ctx.Op("IsNaN", {a}), ctx.Op("IsNaN", {b})})});
  ctx.SetOutput(0, close);
}

}  // namespace

void RegisterSpecial(Registry& r) {
  r.SetFamily("special");
  r.Add("aten::xlogy", [](TranslationContext& c) { TranslateXLogY(c, false); });
  r.Add("aten::special_xlogy", [](TranslationContext& c) { TranslateXLogY(c, false); });
  r.Add("aten::special_xlog1py", [](TranslationContext& c) { TranslateXLogY(c, true); });
  r.Add("aten::special_entr", TranslateEntr);
  r.Add("aten::erfc", [](TranslationContext& c) { TranslateErfc(c, false); });
  r.Add("aten::special_erfc", [](TranslationContext& c) { TranslateErfc(c, false); });
  r.Add("aten::special_ndtr", [](TranslationContext& c) { TranslateErfc(c, true); });
  r.Add("aten::sinc", TranslateSinc);
  r.Add("aten::special_sinc", TranslateSinc);
  r.Add("aten::logit", TranslateLogit);
  r.Add("aten::special_logit", TranslateLogit);
  r.Add("aten::heaviside", TranslateHeaviside);
  r.Add("aten::signbit", TranslateSignbit);
  r.Add("aten::copysign", TranslateCopysign);
  r.Add("aten::hypot", TranslateHypot);
  r.Add("aten::float_power", TranslateFloatPower);
  r.Add("aten::fmax", [](TranslationContext& c) { TranslateFMaxMin(c, "Max"); });
  r.Add("aten::fmin", [](TranslationContext& c) { TranslateFMaxMin(c, "Min"); });
  r.Add("aten::logaddexp2", TranslateLogAddExp2);
  r.Add("aten::ldexp", TranslateLdexp);
  r.Add("aten::rad2deg", [](TranslationContext& c) { TranslateScale(c, 180.0 / kPi); });
  r.Add("aten::deg2rad", [](TranslationContext& c) { TranslateScale(c, kPi / 180.0); });
  r.Add("aten::nan_to_num", TranslateNanToNum);
  r.Add("aten::isclose", TranslateIsClose);
}

}  // namespace t2o
