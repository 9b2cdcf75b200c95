// Elementwise math beyond the ONNX basics, composed exactly: xlogy, xlog1py, entr, erfc,
// ndtr, sinc, logit, heaviside, signbit, copysign, hypot, float_power, fmax / fmin,
// logaddexp2, ldexp, frexp, nextafter, rad2deg / deg2rad, nan_to_num, isclose, and the gamma family
// (lgamma, digamma) through the Lanczos approximation in float64, erfinv; gcd, lcm.
#include <cmath>
#include <limits>

#include "translators/aten/gamma_functions.h"
#include "translators/common/helpers.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

constexpr double kPi = 3.14159265358979323846;


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
  std::string erf = ctx.Op("Erf", {x});
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


// The Lanczos approximation of the gamma function (g = 7, 9 terms; ~1e-15 relative in
// float64) at z = x - 1 for x >= 0.5: lgamma(x) = (z + 0.5) log(t) - t + log(sqrt(2 pi)) +
// log(S) with t = z + 7.5 and S = c0 + sum_i c_i / (z + i).
struct Lanczos {
  std::string z, t, series, series_derivative;  // S and dS/dz
};

Lanczos LanczosAt(TranslationContext& ctx, const std::string& x) {
  static const double kCoefficients[] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                                         771.32342877765313,   -176.61502916214059,   12.507343278686905,
                                         -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  auto c = [&](double v) { return ctx.ConstScalar(v, DType::kFloat64); };
  Lanczos l;
  l.z = ctx.Op("Sub", {x, c(1.0)});
  l.t = ctx.Op("Add", {l.z, c(7.5)});
  l.series = c(kCoefficients[0]);
  l.series_derivative = c(0.0);
  for (int i = 1; i < 9; ++i) {
    std::string shifted = ctx.Op("Add", {l.z, c(i)});
    l.series = ctx.Op("Add", {l.series, ctx.Op("Div", {c(kCoefficients[i]), shifted})});
    l.series_derivative = ctx.Op("Sub", {l.series_derivative,
                                         ctx.Op("Div", {c(kCoefficients[i]), ctx.Op("Mul", {shifted, shifted})})});
  }
  return l;
}

}  // namespace

// lgamma of a float64 value: Lanczos for x >= 0.5, the reflection formula
// lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x) below.
std::string LgammaOf(TranslationContext& ctx, const std::string& x) {
  auto c = [&](double v) { return ctx.ConstScalar(v, DType::kFloat64); };
  std::string reflect = ctx.Op("Less", {x, c(0.5)});
  Lanczos l = LanczosAt(ctx, ctx.Op("Where", {reflect, ctx.Op("Sub", {c(1.0), x}), x}));
  std::string lanczos = ctx.Op("Add", {ctx.Op("Sub", {ctx.Op("Mul", {ctx.Op("Add", {l.z, c(0.5)}), ctx.Op("Log", {l.t})}), l.t}),
                                       ctx.Op("Add", {c(0.5 * std::log(2 * kPi)), ctx.Op("Log", {l.series})})});
  std::string sin_pi_x = ctx.Op("Abs", {ctx.Op("Sin", {ctx.Op("Mul", {x, c(kPi)})})});
  std::string reflected = ctx.Op("Sub", {ctx.Op("Log", {ctx.Op("Div", {c(kPi), sin_pi_x})}), lanczos});
  return ctx.Op("Where", {reflect, reflected, lanczos});
}

namespace {

// aten::lgamma(Tensor self) -> Tensor
void TranslateLgamma(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Cast(LgammaOf(ctx, ctx.OperandAs(0, DType::kFloat64)), DType::kFloat64, ctx.OutDType()));
}

// aten::mvlgamma(Tensor self, int p): the multivariate log-gamma function,
// p (p - 1) / 4 log(pi) + sum_{j < p} lgamma(x - j / 2). (PyTorch requires x > (p - 1) / 2.)
void TranslateMvlgamma(TranslationContext& ctx) {
  int64_t p = ctx.ConstInt(1, "p");
  if (p < 1) throw UnsupportedError("aten::mvlgamma: p must be at least 1");
  std::string x = ctx.OperandAs(0, DType::kFloat64);
  std::string sum = ctx.ConstScalar(static_cast<double>(p * (p - 1)) / 4.0 * std::log(kPi), DType::kFloat64);
  for (int64_t j = 0; j < p; ++j)
    sum = ctx.Op("Add", {sum, LgammaOf(ctx, ctx.Op("Sub", {x, ctx.ConstScalar(static_cast<double>(j) / 2.0, DType::kFloat64)}))});
  ctx.SetOutput(0, ctx.Cast(sum, DType::kFloat64, ctx.OutDType()));
}

}  // namespace

// digamma, the derivative of lgamma: log(t) - 7 / t + S' / S for x >= 0.5,
// digamma(1 - x) - pi cos(pi x) / sin(pi x) below; as PyTorch, -1/x at +-0 (-inf at +0, +inf
// at -0) and NaN at the negative integers.
std::string DigammaOf(TranslationContext& ctx, const std::string& x) {
  auto c = [&](double v) { return ctx.ConstScalar(v, DType::kFloat64); };
  std::string reflect = ctx.Op("Less", {x, c(0.5)});
  Lanczos l = LanczosAt(ctx, ctx.Op("Where", {reflect, ctx.Op("Sub", {c(1.0), x}), x}));
  std::string lanczos = ctx.Op("Add", {ctx.Op("Sub", {ctx.Op("Log", {l.t}), ctx.Op("Div", {c(7.0), l.t})}),
                                       ctx.Op("Div", {l.series_derivative, l.series})});
  std::string pi_x = ctx.Op("Mul", {x, c(kPi)});
  std::string cot = ctx.Op("Div", {ctx.Op("Cos", {pi_x}), ctx.Op("Sin", {pi_x})});
  std::string y = ctx.Op("Where", {reflect, ctx.Op("Sub", {lanczos, ctx.Op("Mul", {c(kPi), cot})}), lanczos});
  std::string negative_integer = ctx.Op("And", {ctx.Op("Less", {x, c(0.0)}), ctx.Op("Equal", {x, ctx.Op("Floor", {x})})});
  y = ctx.Op("Where", {negative_integer, c(std::numeric_limits<double>::quiet_NaN()), y});
  return ctx.Op("Where", {ctx.Op("Equal", {x, c(0.0)}), ctx.Op("Neg", {ctx.Op("Reciprocal", {x})}), y});
}

namespace {

// aten::digamma(Tensor self) -> Tensor
void TranslateDigamma(TranslationContext& ctx) {
  DType dt = IsFloating(ctx.OutDType()) ? ctx.OutDType() : DType::kFloat32;
  ctx.SetOutput(0, ctx.Cast(DigammaOf(ctx, ctx.OperandAs(0, DType::kFloat64)), DType::kFloat64, dt));
}

// aten::erfinv(Tensor self) -> Tensor: Giles' single-precision approximation ("Approximating
// the erfinv function", 2010: a polynomial in w = -log(1 - y^2), central for w < 5, in
// sqrt(w) in the tails) and one Newton step on Erf, in float32; +-inf at +-1, NaN beyond.
// ONNX Runtime's Erf is float32-only, so float64 would lose precision: refused.
void TranslateErfinv(TranslationContext& ctx) {
  static const double kCentral[] = {2.81022636e-08,  3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                                    -0.00125372503, -0.00417768164, 0.246640727,     1.50140941};
  static const double kTail[] = {-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                                 -0.0076224613,   0.00943887047,  1.00167406,    2.83297682};
  DType dt = IsFloating(ctx.OutDType()) ? ctx.OutDType() : DType::kFloat32;
  if (dt == DType::kFloat64)
    throw UnsupportedError("aten::erfinv on float64: ONNX has no inverse error function and ONNX Runtime's Erf, which "
                           "refines the approximation, is float32-only; compute it in float32");
  const DType f = DType::kFloat32;
  auto c = [&](double v) { return ctx.ConstScalar(v, f); };
  auto polynomial = [&](const double* coefficients, const std::string& w) {
    std::string p = c(coefficients[0]);
    for (int i = 1; i < 9; ++i) p = ctx.Op("Add", {c(coefficients[i]), ctx.Op("Mul", {p, w})});
    return p;
  };
  std::string y = ctx.OperandAs(0, f);
  std::string w = ctx.Op("Neg", {ctx.Op("Log", {ctx.Op("Mul", {ctx.Op("Sub", {c(1), y}), ctx.Op("Add", {c(1), y})})})});
  std::string central = polynomial(kCentral, ctx.Op("Sub", {w, c(2.5)}));
  std::string tail = polynomial(kTail, ctx.Op("Sub", {ctx.Op("Sqrt", {w}), c(3)}));
  std::string x = ctx.Op("Mul", {ctx.Op("Where", {ctx.Op("Less", {w, c(5)}), central, tail}), y});
  std::string slope = ctx.Op("Mul", {c(2 / std::sqrt(kPi)), ctx.Op("Exp", {ctx.Op("Neg", {ctx.Op("Mul", {x, x})})})});
  x = ctx.Op("Sub", {x, ctx.Op("Div", {ctx.Op("Sub", {ctx.Op("Erf", {x}), y}), slope})});
  std::string magnitude = ctx.Op("Abs", {y});
  x = ctx.Op("Where", {ctx.Op("Equal", {magnitude, c(1)}), ctx.Op("Mul", {y, c(std::numeric_limits<double>::infinity())}), x});
  x = ctx.Op("Where", {ctx.Op("Greater", {magnitude, c(1)}), c(std::numeric_limits<double>::quiet_NaN()), x});
  ctx.SetOutput(0, ctx.Cast(x, f, dt));
}

// aten::gcd(Tensor self, Tensor other) -> Tensor: Euclid's algorithm as an ONNX Loop over
// the whole tensor, (a, b) -> (b, a mod b) where b != 0, until every b is 0; int64 inside.
// The result is non-negative, gcd(0, 0) = 0.
std::string Gcd(TranslationContext& ctx, const std::string& a, const std::string& b) {
  std::string zero = ctx.ConstInt64(0), one = ctx.ConstInt64(1);
  auto not_done = [&](const std::string& divisor) { return AnyTrue(ctx, ctx.Op("Not", {ctx.Op("Equal", {divisor, zero})})); };
  return RunLoop(ctx, "euclid", "", not_done(b), {{"a", DType::kInt64, a}, {"b", DType::kInt64, b}},
                 [&](const std::string&, const std::vector<std::string>& in) {
                   const std::string &x = in[0], &y = in[1];
                   std::string done = ctx.Op("Equal", {y, zero});
                   std::string rest = ctx.Op("Mod", {x, ctx.Op("Where", {done, one, y})});
                   std::string next_b = ctx.Op("Where", {done, zero, rest});
                   return LoopStep{not_done(next_b), {ctx.Op("Where", {done, x, y}), next_b}};
                 })[0];
}

struct GcdOperands {
  std::string a, b;  // |self|, |other| broadcast to one shape, int64
  DType dt;
};
GcdOperands GcdOperandsOf(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  if (IsFloating(dt) || dt == DType::kBool) throw UnsupportedError(ctx.node().Key() + " takes integer tensors");
  std::string a = ctx.Op("Abs", {ctx.OperandAs(0, DType::kInt64)}), b = ctx.Op("Abs", {ctx.OperandAs(1, DType::kInt64)});
  std::string shape = ctx.Op("Shape", {ctx.Op("Add", {a, b})});
  return {ctx.Op("Expand", {a, shape}), ctx.Op("Expand", {b, shape}), dt};
}

void TranslateGcd(TranslationContext& ctx) {
  GcdOperands op = GcdOperandsOf(ctx);
  ctx.SetOutput(0, ctx.Cast(Gcd(ctx, op.a, op.b), DType::kInt64, op.dt));
}

// aten::lcm(Tensor self, Tensor other) -> Tensor: |a / gcd * b|, 0 where gcd is 0.
void TranslateLcm(TranslationContext& ctx) {
  GcdOperands op = GcdOperandsOf(ctx);
  std::string zero = ctx.ConstInt64(0);
  std::string g = Gcd(ctx, op.a, op.b);
  std::string is_zero = ctx.Op("Equal", {g, zero});
  std::string quotient = ctx.Op("Div", {op.a, ctx.Op("Where", {is_zero, ctx.ConstInt64(1), g})});
  std::string lcm = ctx.Op("Where", {is_zero, zero, ctx.Op("Abs", {ctx.Op("Mul", {quotient, op.b})})});
  ctx.SetOutput(0, ctx.Cast(lcm, DType::kInt64, op.dt));
}

// aten::frexp.Tensor(Tensor self) -> (Tensor mantissa, Tensor exponent): x = m * 2^e with
// 0.5 <= |m| < 1 and an int32 e; 0, inf and NaN keep their value with e = 0. The exponent
// from log2 is corrected by one where rounding put m outside [0.5, 1); m is x / 2^(e-1) / 2
// so that 2^e never overflows for the largest finite values.
void TranslateFrexp(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  if (!IsFloating(dt)) throw UnsupportedError("aten::frexp takes floating-point tensors");
  DType work = dt == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
  std::string x = ctx.OperandAs(0, work);
  std::string one = ctx.ConstScalar(1, work), two = ctx.ConstScalar(2, work);
  std::string special = ctx.Op("Or", {ctx.Op("Or", {ctx.Op("Equal", {x, Zero(ctx, work)}), ctx.Op("IsInf", {x})}),
                                      ctx.Op("IsNaN", {x})});
  std::string safe = ctx.Op("Where", {special, one, x});
  std::string exponent = ctx.Op("Add", {ctx.Op("Floor", {ctx.Op("Div", {ctx.Op("Log", {ctx.Op("Abs", {safe})}),
                                                                        ctx.ConstScalar(std::log(2.0), work)})}), one});
  auto mantissa_for = [&](const std::string& e) {
    return ctx.Op("Div", {ctx.Op("Div", {safe, ctx.Op("Pow", {two, ctx.Op("Sub", {e, one})})}), two});
  };
  std::string m = ctx.Op("Abs", {mantissa_for(exponent)});
  std::string step = ctx.Op("Sub", {ctx.Cast(ctx.Op("GreaterOrEqual", {m, one}), DType::kBool, work),
                                    ctx.Cast(ctx.Op("Less", {m, ctx.ConstScalar(0.5, work)}), DType::kBool, work)});
  exponent = ctx.Op("Add", {exponent, step});
  std::string mantissa = ctx.Op("Where", {special, x, mantissa_for(exponent)});
  ctx.SetOutput(0, ctx.Cast(mantissa, work, dt));
  ctx.SetOutput(1, ctx.Cast(ctx.Op("Where", {special, Zero(ctx, work), exponent}), work, DType::kInt32));
}

// aten::nextafter(Tensor self, Tensor other): the next value of the output dtype after x
// toward y. In float64 (which holds every value and step of the narrower dtypes): with
// 2^e <= |x| < 2^(e+1), the step is 2^(e - mantissa bits), half that when leaving a power
// of two toward zero, and at least the smallest subnormal; inf steps to the largest finite
// value, x == y gives y, NaN in either gives NaN.
void TranslateNextafter(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  struct Format {
    int mantissa_bits, min_exponent;  // the smallest subnormal is 2^min_exponent
    double largest;
  };
  Format f;
  switch (dt) {
    case DType::kFloat64: f = {52, -1074, std::numeric_limits<double>::max()}; break;
    case DType::kFloat32: f = {23, -149, std::numeric_limits<float>::max()}; break;
    case DType::kFloat16: f = {10, -24, 65504.0}; break;
    case DType::kBFloat16: f = {7, -133, 3.38953138925153547590470800371487866880e38}; break;
    default: throw UnsupportedError(ctx.node().Key() + " takes floating-point tensors, got " + std::string(DTypeName(dt)));
  }
  const DType w = DType::kFloat64;
  auto c = [&](double v) { return ctx.ConstScalar(v, w); };
  std::string x = ctx.OperandAs(0, w), y = ctx.OperandAs(1, w);
  x = ctx.Op("Expand", {x, ShapeOf(ctx, ctx.Op("Add", {x, y}))});
  std::string magnitude = ctx.Op("Abs", {x});
  std::string e = ctx.Op("Floor", {ctx.Op("Div", {ctx.Op("Log", {magnitude}), c(std::log(2.0))})});
  std::string power = ctx.Op("Pow", {c(2), e});
  e = ctx.Op("Sub", {e, ctx.Cast(ctx.Op("Greater", {power, magnitude}), DType::kBool, w)});
  e = ctx.Op("Add", {e, ctx.Cast(ctx.Op("LessOrEqual", {ctx.Op("Mul", {power, c(2)}), magnitude}), DType::kBool, w)});
  std::string up = ctx.Op("Greater", {y, x});
  std::string toward_zero = ctx.Op("Xor", {up, ctx.Op("Greater", {x, c(0)})});
  std::string at_power = ctx.Op("Equal", {ctx.Op("Pow", {c(2), e}), magnitude});
  std::string step_exponent = ctx.Op("Sub", {e, c(f.mantissa_bits)});
  step_exponent = ctx.Op("Sub", {step_exponent, ctx.Cast(ctx.Op("And", {toward_zero, at_power}), DType::kBool, w)});
  std::string step = ctx.Op("Pow", {c(2), ctx.Op("Max", {step_exponent, c(f.min_exponent)})});
  std::string next = ctx.Op("Add", {x, ctx.Op("Where", {up, step, ctx.Op("Neg", {step})})});
  next = ctx.Op("Where", {ctx.Op("IsInf", {x}), ctx.Op("Where", {up, c(-f.largest), c(f.largest)}), next});
  next = ctx.Op("Where", {ctx.Op("Equal", {x, y}), y, next});
  next = ctx.Op("Where", {ctx.Op("Or", {ctx.Op("IsNaN", {x}), ctx.Op("IsNaN", {y})}), ctx.Op("Add", {x, y}), next});
  ctx.SetOutput(0, ctx.Cast(next, w, dt));
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
  r.Add("aten::mvlgamma", TranslateMvlgamma);
  r.AddAlias("aten::special_multigammaln", "aten::mvlgamma");
  r.Add("aten::copysign", TranslateCopysign);
  r.Add("aten::hypot", TranslateHypot);
  r.Add("aten::float_power", TranslateFloatPower);
  r.Add("aten::fmax", [](TranslationContext& c) { TranslateFMaxMin(c, "Max"); });
  r.Add("aten::fmin", [](TranslationContext& c) { TranslateFMaxMin(c, "Min"); });
  r.Add("aten::logaddexp2", TranslateLogAddExp2);
  r.Add("aten::ldexp", TranslateLdexp);
  r.Add("aten::frexp", TranslateFrexp);
  r.Add("aten::nextafter", TranslateNextafter);
  r.Add("aten::lgamma", TranslateLgamma);
  r.Add("aten::digamma", TranslateDigamma);
  r.Add("aten::special_digamma", TranslateDigamma);
  r.Add("aten::special_psi", TranslateDigamma);
  r.Add("aten::erfinv", TranslateErfinv);
  r.Add("aten::gcd", TranslateGcd);
  r.Add("aten::lcm", TranslateLcm);
  r.Add("aten::special_erfinv", TranslateErfinv);
  r.Add("aten::rad2deg", [](TranslationContext& c) { TranslateScale(c, 180.0 / kPi); });
  r.Add("aten::deg2rad", [](TranslationContext& c) { TranslateScale(c, kPi / 180.0); });
  r.Add("aten::nan_to_num", TranslateNanToNum);
  r.Add("aten::isclose", TranslateIsClose);
}

}  // namespace t2o
