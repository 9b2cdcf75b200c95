// aten::igamma / igammac (torch.special.gammainc / gammaincc): the regularized lower and
// upper incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), in float64.
//
// PyTorch's kernel (after Cephes and SciPy) picks, by a and x, among the power series of P,
// the series of Q for small x, and the continued fraction of Q, each run until its term
// falls below the machine epsilon: here three ONNX Loops, each running as long as the
// slowest element that needs it. Where a is large and x near a, the kernel uses Temme's
// uniform asymptotic expansion instead; there the power series (x <= a) or the continued
// fraction (x > a) are used, which converge in about 9 sqrt(a) steps: the Loops stop at
// kMaxSteps, enough for a up to about 5e6 near x = a.
#include <cmath>
#include <limits>

#include "translators/aten/gamma_functions.h"
#include "translators/common/elementwise_math.h"
#include "translators/common/helpers.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

constexpr double kEpsilon = 1.11022302462515654042e-16;  // the kernel's MACHEP for double
constexpr int64_t kMaxSteps = 20000;
constexpr double kEulerGamma = 0.57721566490153286061;

struct Float64Math : ElementwiseMath {
  explicit Float64Math(TranslationContext& c) : ElementwiseMath{c, DType::kFloat64} {}
  std::string Exp(const std::string& x) const { return Op("Exp", {x}); }
  std::string Log(const std::string& x) const { return Op("Log", {x}); }
  std::string Abs(const std::string& x) const { return Op("Abs", {x}); }
  std::string And(const std::string& a, const std::string& b) const { return Op("And", {a, b}); }
  std::string Or(const std::string& a, const std::string& b) const { return Op("Or", {a, b}); }
  std::string Not(const std::string& a) const { return Op("Not", {a}); }
  std::string IsInf(const std::string& x) const { return Op("IsInf", {x}); }

  // exp(y) - 1 without cancellation (Kahan): (u - 1) y / log(u) for u = exp(y).
  std::string Expm1(const std::string& y) const {
    std::string u = Exp(y);
    std::string quotient = Div(Mul(Sub(u, c(1)), y), Log(u));
    return Where(Equals(u, 1), y, Where(Equals(Sub(u, c(1)), -1), c(-1), Where(IsInf(u), u, quotient)));
  }
  // log(1 + t) - t: the alternating series t^2 (-1/2 + t/3 - t^2/4 ...) for |t| < 0.5.
  std::string Log1pmx(const std::string& t) const {
    std::vector<double> coefficients;  // highest degree first: (-1)^(k+1) / k for k = 60 .. 2
    for (int k = 60; k >= 2; --k) coefficients.push_back((k % 2 ? 1.0 : -1.0) / k);
    std::string series = Mul(Mul(t, t), Polynomial(t, coefficients));
    return Where(Less(Abs(t), 0.5), series, Sub(Log1p(t), t));
  }
};

// zeta(k) for k >= 2: the sum to n = 100 plus the Euler-Maclaurin tail.
double Zeta(int k) {
  const int n = 100;
  double sum = 0;
  for (int j = n - 1; j >= 1; --j) sum += std::pow(j, -k);
  double tail = std::pow(n, 1 - k) / (k - 1) + 0.5 * std::pow(n, -k);
  // B_2j / (2j)! times the rising product k (k + 1) ... (k + 2j - 2), times n^(-k - 2j + 1).
  const double bernoulli[] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66};
  double factorial = 1, rising = 1;
  for (int j = 1; j <= 5; ++j) {
    factorial *= (2 * j - 1) * (2 * j);
    rising *= j == 1 ? k : (k + 2 * j - 3) * (k + 2 * j - 2);
    tail += bernoulli[j - 1] / factorial * rising * std::pow(n, -k - 2 * j + 1);
  }
  return sum + tail;
}

// lgamma(1 + a) for |a| <= 0.5: -gamma a + sum_k (-1)^k zeta(k) a^k / k.
std::string Lgamma1pTaylor(const Float64Math& m, const std::string& a) {
  std::vector<double> coefficients;  // highest first, degree 60 .. 1
  for (int k = 60; k >= 2; --k) coefficients.push_back((k % 2 ? -1.0 : 1.0) * Zeta(k) / k);
  coefficients.push_back(-kEulerGamma);
  return m.Mul(a, m.Polynomial(a, coefficients));
}

// lgamma(1 + a), accurate near a = 0 and a = 1 (the kernel's lgam1p).
std::string Lgamma1p(const Float64Math& m, const std::string& a) {
  std::string near_one = m.Add(m.Log(a), Lgamma1pTaylor(m, m.Sub(a, m.c(1))));
  return m.Where(m.LessOrEqual(m.Abs(a), 0.5), Lgamma1pTaylor(m, a),
                 m.Where(m.Less(m.Abs(m.Sub(a, m.c(1))), 0.5), near_one, LgammaOf(m.ctx, m.Add(a, m.c(1)))));
}

// x^a e^-x / Gamma(a). Near x = a (|x - a| <= 0.4 a, a >= 10) by Stirling's formula,
// sqrt(a / 2 pi) exp(a log1pmx((x - a) / a) - mu(a)) with mu the Stirling series, which
// avoids the cancellation of a log x - x - lgamma(a) for large a; directly elsewhere (0
// below exp's range, as the kernel).
std::string PowerOverGamma(const Float64Math& m, const std::string& a, const std::string& x) {
  std::string exponent = m.Sub(m.Sub(m.Mul(a, m.Log(x)), x), LgammaOf(m.ctx, a));
  std::string direct = m.Where(m.Less(exponent, -709.78271289338399), m.c(0), m.Exp(exponent));
  std::string inverse = m.Div(m.c(1), a), inverse_squared = m.Mul(inverse, inverse);
  // mu(a) = sum B_2k / (2k (2k - 1) a^(2k - 1)).
  std::string mu = m.Mul(inverse, m.Polynomial(inverse_squared, {-3617.0 / 122400, 1.0 / 156, -691.0 / 360360, 1.0 / 1188,
                                                                -1.0 / 1680, 1.0 / 1260, -1.0 / 360, 1.0 / 12}));
  std::string t = m.Div(m.Sub(x, a), a);
  std::string stirling = m.Mul(m.Op("Sqrt", {m.Div(a, m.c(2 * M_PI))}), m.Exp(m.Sub(m.Mul(a, m.Log1pmx(t)), mu)));
  std::string near = m.And(m.GreaterOrEqual(a, 10), m.Op("LessOrEqual", {m.Abs(m.Sub(x, a)), m.Mul(m.c(0.4), a)}));
  return m.Where(near, stirling, direct);
}

// P(a, x) by its power series x^a e^-x / Gamma(a + 1) (1 + x / (a + 1) + ...), for the
// elements where `wanted`.
std::string LowerSeries(const Float64Math& m, const std::string& a, const std::string& x, const std::string& wanted) {
  TranslationContext& ctx = m.ctx;
  std::string ones = m.Add(m.Mul(a, m.c(0)), m.c(1));
  auto sums = RunLoop(ctx, "igamma_series", ctx.ConstInt64(kMaxSteps), AnyTrue(ctx, wanted),
                      {{"r", DType::kFloat64, a}, {"term", DType::kFloat64, ones}, {"sum", DType::kFloat64, ones},
                       {"active", DType::kBool, wanted}},
                      [&](const std::string&, const std::vector<std::string>& s) {
                        const std::string &r = s[0], &term = s[1], &sum = s[2], &active = s[3];
                        std::string next_r = m.Add(r, m.c(1));
                        std::string next_term = m.Mul(term, m.Div(x, next_r));
                        std::string next_sum = m.Add(sum, next_term);
                        std::string converged = m.Op("LessOrEqual", {next_term, m.Mul(m.c(kEpsilon), next_sum)});
                        std::string still = m.And(active, m.Not(converged));
                        return LoopStep{AnyTrue(ctx, still),
                                        {m.Where(active, next_r, r), m.Where(active, next_term, term),
                                         m.Where(active, next_sum, sum), still}};
                      });
  return m.Div(m.Mul(sums[2], PowerOverGamma(m, a, x)), a);
}

// Q(a, x) by the series for small x: 1 - x^a / Gamma(a + 1) - x^a / Gamma(a) sum_n>=1
// (-x)^n / (n! (a + n)), for the elements where `wanted`.
std::string UpperSeries(const Float64Math& m, const std::string& a, const std::string& x, const std::string& wanted) {
  TranslationContext& ctx = m.ctx;
  std::string zeros = m.Mul(a, m.c(0));
  auto sums = RunLoop(ctx, "igammac_series", ctx.ConstInt64(kMaxSteps), AnyTrue(ctx, wanted),
                      {{"factor", DType::kFloat64, m.Add(zeros, m.c(1))}, {"sum", DType::kFloat64, zeros},
                       {"active", DType::kBool, wanted}},
                      [&](const std::string& i, const std::vector<std::string>& s) {
                        const std::string &factor = s[0], &sum = s[1], &active = s[2];
                        std::string n = m.Add(ctx.Cast(i, DType::kInt64, DType::kFloat64), m.c(1));
                        std::string next_factor = m.Mul(factor, m.Div(m.Op("Neg", {x}), n));
                        std::string term = m.Div(next_factor, m.Add(a, n));
                        std::string next_sum = m.Add(sum, term);
                        std::string converged = m.Op("LessOrEqual", {m.Abs(term), m.Mul(m.c(kEpsilon), m.Abs(next_sum))});
                        std::string still = m.And(active, m.Not(converged));
                        return LoopStep{AnyTrue(ctx, still),
                                        {m.Where(active, next_factor, factor), m.Where(active, next_sum, sum), still}};
                      });
  std::string log_x = m.Log(x);
  std::string head = m.Op("Neg", {m.Expm1(m.Sub(m.Mul(a, log_x), Lgamma1p(m, a)))});
  return m.Sub(head, m.Mul(m.Exp(m.Sub(m.Mul(a, log_x), LgammaOf(ctx, a))), sums[1]));
}

// Q(a, x) by its continued fraction (Cephes' igamc recurrence on numerators p and
// denominators q, rescaled when they grow), for the elements where `wanted`.
std::string UpperContinuedFraction(const Float64Math& m, const std::string& a, const std::string& x,
                                   const std::string& wanted) {
  TranslationContext& ctx = m.ctx;
  const double big = 4.503599627370496e15, big_inverse = 2.22044604925031308085e-16;
  std::string y0 = m.Sub(m.c(1), a);
  std::string z0 = m.Add(m.Add(x, y0), m.c(1));
  std::string p1 = m.Add(x, m.c(1)), q1 = m.Mul(z0, x);
  std::string zeros = m.Mul(x, m.c(0));
  auto state = RunLoop(
      ctx, "igammac_fraction", ctx.ConstInt64(kMaxSteps), AnyTrue(ctx, wanted),
      {{"y", DType::kFloat64, y0}, {"z", DType::kFloat64, z0}, {"c", DType::kFloat64, zeros},
       {"p2", DType::kFloat64, m.Add(zeros, m.c(1))}, {"q2", DType::kFloat64, m.Add(zeros, x)}, {"p1", DType::kFloat64, p1},
       {"q1", DType::kFloat64, q1}, {"ans", DType::kFloat64, m.Div(p1, q1)}, {"active", DType::kBool, wanted}},
      [&](const std::string&, const std::vector<std::string>& s) {
        const std::string &y = s[0], &z = s[1], &c = s[2], &p2 = s[3], &q2 = s[4], &p_1 = s[5], &q_1 = s[6], &ans = s[7],
                          &active = s[8];
        std::string next_c = m.Add(c, m.c(1)), next_y = m.Add(y, m.c(1)), next_z = m.Add(z, m.c(2));
        std::string yc = m.Mul(next_y, next_c);
        std::string pk = m.Sub(m.Mul(p_1, next_z), m.Mul(p2, yc));
        std::string qk = m.Sub(m.Mul(q_1, next_z), m.Mul(q2, yc));
        std::string has_q = m.Not(m.Equals(qk, 0));
        std::string r = m.Div(pk, m.Where(has_q, qk, m.c(1)));
        std::string change = m.Where(has_q, m.Abs(m.Div(m.Sub(ans, r), r)), m.c(1));
        std::string next_ans = m.Where(has_q, r, ans);
        std::string converged = m.LessOrEqual(change, kEpsilon);
        // Rescaled when |pk| grows large (kept as the kernel does, also on the last step).
        std::string scale = m.Where(m.Greater(m.Abs(pk), big), m.c(big_inverse), m.c(1));
        auto keep = [&](const std::string& next, const std::string& old) { return m.Where(active, next, old); };
        std::string still = m.And(active, m.Not(converged));
        return LoopStep{AnyTrue(ctx, still),
                        {keep(next_y, y), keep(next_z, z), keep(next_c, c), keep(m.Mul(p_1, scale), p2),
                         keep(m.Mul(q_1, scale), q2), keep(m.Mul(pk, scale), p_1), keep(m.Mul(qk, scale), q_1),
                         keep(next_ans, ans), still}};
      });
  return m.Mul(state[7], PowerOverGamma(m, a, x));
}

// igamma (`upper` false) or igammac of broadcast float64 a and x, in the kernel's order of
// cases.
std::string IncompleteGamma(const Float64Math& m, const std::string& a, const std::string& x, bool upper) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::string finite = m.And(m.Not(m.IsInf(a)), m.Not(m.IsInf(x)));
  std::string regular = m.And(m.And(finite, m.Greater(a, 0)), m.Greater(x, 0));
  // Temme's region: a > 20 and |x - a| / a < 0.3, or a > 200 and |x - a| / a < 4.5 / sqrt(a).
  std::string relative = m.Div(m.Abs(m.Sub(x, a)), a);
  std::string asymptotic = m.Or(m.And(m.And(m.Greater(a, 20), m.Less(a, 200)), m.Less(relative, 0.3)),
                                m.And(m.Greater(a, 200), m.Op("Less", {relative, m.Div(m.c(4.5), m.Op("Sqrt", {a}))})));
  asymptotic = m.And(regular, asymptotic);
  // Where Q is computed directly (else as 1 - P): by the continued fraction or the small-x series.
  std::string by_fraction, by_series;
  std::string x_above_a = m.Op("Greater", {x, a});
  std::string fraction_region = m.And(m.Greater(x, 1.1), m.Not(m.Op("Less", {x, a})));
  std::string small_x = m.LessOrEqual(x, 0.5);
  std::string series_region = m.And(m.Not(m.Greater(x, 1.1)),
                                    m.Where(small_x, m.Op("GreaterOrEqual", {m.Div(m.c(-0.4), m.Log(x)), a}),
                                            m.Op("GreaterOrEqual", {m.Mul(x, m.c(1.1)), a})));
  if (upper) {
    by_fraction = m.Or(m.And(asymptotic, x_above_a), m.And(m.Not(asymptotic), fraction_region));
    by_series = m.And(m.Not(asymptotic), series_region);
  } else {
    std::string complement = m.And(m.Not(asymptotic), m.And(m.Greater(x, 1), x_above_a));  // 1 - igammac
    by_fraction = m.Or(m.And(asymptotic, x_above_a), m.And(complement, m.Greater(x, 1.1)));
    by_series = m.And(complement, m.Not(m.Greater(x, 1.1)));
  }
  by_fraction = m.And(regular, by_fraction);
  by_series = m.And(regular, by_series);
  std::string by_lower = m.And(regular, m.Not(m.Or(by_fraction, by_series)));
  // Harmless operands where an element takes another branch.
  auto operand = [&](const std::string& v, const std::string& wanted) { return m.Where(wanted, v, m.c(1)); };
  std::string lower = LowerSeries(m, operand(a, by_lower), operand(x, by_lower), by_lower);
  std::string fraction = UpperContinuedFraction(m, operand(a, by_fraction), operand(x, by_fraction), by_fraction);
  std::string series = UpperSeries(m, operand(a, by_series), operand(x, by_series), by_series);
  std::string q = m.Where(by_fraction, fraction, series);
  std::string value = upper ? m.Where(by_lower, m.Sub(m.c(1), lower), q) : m.Where(by_lower, lower, m.Sub(m.c(1), q));

  // The kernel's special cases, last test first.
  const double at_x_inf = upper ? 0 : 1, at_a_inf = upper ? 1 : 0, at_x_zero = upper ? 1 : 0, at_a_zero = upper ? 0 : 1;
  value = m.Where(m.IsInf(x), m.c(at_x_inf), value);
  value = m.Where(m.IsInf(a), m.Where(m.IsInf(x), m.c(nan), m.c(at_a_inf)), value);
  value = m.Where(m.Equals(x, 0), m.c(at_x_zero), value);
  value = m.Where(m.Equals(a, 0), m.Where(m.Greater(x, 0), m.c(at_a_zero), m.c(nan)), value);
  value = m.Where(m.Or(m.Less(x, 0), m.Less(a, 0)), m.c(nan), value);
  return m.Where(m.Or(m.Op("IsNaN", {a}), m.Op("IsNaN", {x})), m.c(nan), value);
}

// aten::igamma / igammac / special_gammainc / special_gammaincc (Tensor self, Tensor other).
void TranslateIncompleteGamma(TranslationContext& ctx, bool upper) {
  DType dt = ctx.OutDType();
  if (!IsFloating(dt)) throw UnsupportedError(ctx.node().Key() + " gives floating-point results, got " + std::string(DTypeName(dt)));
  Float64Math m(ctx);
  std::string a = ctx.OperandAs(0, DType::kFloat64), x = ctx.OperandAs(1, DType::kFloat64);
  std::string shape = ShapeOf(ctx, m.Add(a, x));
  a = m.Op("Expand", {a, shape}), x = m.Op("Expand", {x, shape});
  ctx.SetOutput(0, ctx.Cast(IncompleteGamma(m, a, x, upper), DType::kFloat64, dt));
}

}  // namespace

void RegisterIncompleteGamma(Registry& r) {
  r.SetFamily("special");
  for (const char* op : {"aten::igamma", "aten::special_gammainc"})
    r.Add(op, [](TranslationContext& c) { TranslateIncompleteGamma(c, false); });
  for (const char* op : {"aten::igammac", "aten::special_gammaincc"})
    r.Add(op, [](TranslationContext& c) { TranslateIncompleteGamma(c, true); });
}

}  // namespace t2o
