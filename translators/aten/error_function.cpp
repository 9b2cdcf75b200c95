// The scaled complementary error function erfcx(x) = exp(x^2) erfc(x) and log_ndtr, with
// the branches of PyTorch's kernel (ATen/native/Math.h, after the Faddeeva package):
// for 0 <= x <= 50 a degree-6 polynomial on each unit interval of y = 400 / (4 + x)
// (our own fit: erfcx_coefficients.inc), a continued fraction beyond, and
// 2 exp(x^2) - erfcx(-x) below 0. Computed in float64 and rounded to the output dtype:
// ONNX Runtime's Erf is float32-only and loses erfc's relative precision in the tail.
#include <cmath>
#include <limits>
#include <vector>

#include "translators/common/elementwise_math.h"
#include "translators/common/helpers.h"

namespace t2o {
namespace {

constexpr double kCoefficients[100][7] = {
#include "translators/aten/erfcx_coefficients.inc"
};
constexpr double kInvSqrtPi = 0.56418958354775628694807945156;

using F64 = ElementwiseMath;  // in float64

// erfcx(|x|) for |x| <= 50 from the interval polynomials; exactly 1 where y rounds to 100.
std::string IntervalPolynomial(const F64& m, const std::string& magnitude) {
  TranslationContext& ctx = m.ctx;
  std::string y = m.Div(m.c(400), m.Add(m.c(4), magnitude));
  std::string finite_y = m.Where(m.Op("IsNaN", {y}), m.c(0), y);
  std::string interval = m.Op("Floor", {m.Op("Min", {m.Op("Max", {finite_y, m.c(0)}), m.c(99)})});
  std::string t = m.Sub(m.Mul(m.c(2), y), m.Add(m.Mul(m.c(2), interval), m.c(1)));
  std::string index = ctx.Cast(interval, DType::kFloat64, DType::kInt64);
  std::string value;
  for (int power = 6; power >= 0; --power) {
    std::vector<double> column(100);
    for (int k = 0; k < 100; ++k) column[k] = kCoefficients[k][power];
    std::string coefficient = m.Op("Gather", {ctx.Constant(TensorData::FromVector<double>(DType::kFloat64, {100}, column)), index});
    value = power == 6 ? coefficient : m.Add(m.Mul(value, t), coefficient);
  }
  return m.Where(m.GreaterOrEqual(y, 100), m.c(1), value);
}

// erfcx of a float64 value.
std::string Erfcx(const F64& m, const std::string& x) {
  std::string magnitude = m.Op("Abs", {x});
  std::string polynomial = IntervalPolynomial(m, magnitude);
  // x > 50: the 5-term continued fraction ispi / (x + 0.5 / (x + 1 / (x + 1.5 / (x + 2 / x)))),
  // simplified; x > 5e7: its first term.
  std::string xx = m.Mul(x, x);
  std::string fraction = m.Div(m.Mul(m.c(kInvSqrtPi), m.Add(m.Mul(xx, m.Add(xx, m.c(4.5))), m.c(2))),
                               m.Mul(x, m.Add(m.Mul(xx, m.Add(xx, m.c(5))), m.c(3.75))));
  std::string positive = m.Where(m.Greater(x, 50), m.Where(m.Greater(x, 5e7), m.Div(m.c(kInvSqrtPi), x), fraction), polynomial);
  std::string twice_gauss = m.Mul(m.c(2), m.Op("Exp", {xx}));
  std::string negative = m.Where(m.Less(x, -6.1), twice_gauss, m.Sub(twice_gauss, polynomial));
  negative = m.Where(m.Less(x, -26.7), m.c(std::numeric_limits<double>::infinity()), negative);
  std::string value = m.Where(m.GreaterOrEqual(x, 0), positive, negative);
  return m.Where(m.Op("IsNaN", {x}), x, value);
}

// log of the standard normal CDF: log(erfcx(-t) / 2) - t^2 below x = -1, log1p(-erfc(t) / 2)
// above, with t = x / sqrt(2) and erfc(t) = exp(-t^2) erfcx(t).
std::string LogNdtr(const F64& m, const std::string& x) {
  std::string t = m.Mul(x, m.c(1 / std::sqrt(2.0)));
  std::string tt = m.Mul(t, t);
  std::string lower = m.Sub(m.Op("Log", {m.Div(Erfcx(m, m.Op("Neg", {t})), m.c(2))}), tt);
  std::string erfc = m.Mul(m.Op("Exp", {m.Op("Neg", {tt})}), Erfcx(m, t));
  std::string upper = m.Log1p(m.Op("Neg", {m.Div(erfc, m.c(2))}));
  return m.Where(m.Less(x, -1), lower, upper);
}

void TranslateWith(TranslationContext& ctx, std::string (*function)(const F64&, const std::string&)) {
  DType out = ctx.OutDType();
  if (!IsFloating(out)) out = DType::kFloat32;
  F64 m{ctx, DType::kFloat64};
  ctx.SetOutput(0, ctx.Cast(function(m, ctx.OperandAs(0, DType::kFloat64)), DType::kFloat64, out));
}

}  // namespace

void RegisterErrorFunction(Registry& r) {
  r.SetFamily("special");
  r.Add("aten::special_erfcx", [](TranslationContext& c) { TranslateWith(c, Erfcx); });
  r.Add("aten::special_log_ndtr", [](TranslationContext& c) { TranslateWith(c, LogNdtr); });
}

}  // namespace t2o
