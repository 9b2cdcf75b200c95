// The Hurwitz zeta function and polygamma as PyTorch's CPU kernels compute them
// (ATen/native/Math.h, after Cephes). zeta(x, q) sums (q + k)^-x directly for at least 9
// terms and until q + k > 9, then adds the Euler-Maclaurin correction of 12 Bernoulli
// terms; both stop early wherever the kernel's test (a term below 1.11e-16 of the sum)
// stops them. The kernel accumulates in float64 for float32 too, and so do we. The direct
// sum is one ONNX Loop over the whole tensor, as long as the element needing the most
// terms (9 unless q is negative: then about 10 - q), each element frozen where it would
// have stopped. polygamma(n, x) is digamma for n = 0, PyTorch's trigamma for n = 1 and
// (-1)^(n+1) n! zeta(n + 1, x) above.
#include <cmath>
#include <limits>

#include "translators/aten/gamma_functions.h"
#include "translators/common/elementwise_math.h"
#include "translators/common/helpers.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

constexpr double kMachineEpsilon = 1.11022302462515654042e-16;  // the kernel's MACHEP, for every dtype
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// (2j)! / B_2j, the Euler-Maclaurin coefficients.
constexpr double kBernoulliFactors[] = {12.0,
                                        -720.0,
                                        30240.0,
                                        -1209600.0,
                                        47900160.0,
                                        -1.8924375803183791606e9,
                                        7.47242496e10,
                                        -2.950130727918164224e12,
                                        1.1646782814350067249e14,
                                        -4.5979787224074726105e15,
                                        1.8152105401943546773e17,
                                        -7.1661652561756670113e18};

// Float64 expressions with the kernel's stopping test.
struct F64 : ElementwiseMath {
  explicit F64(TranslationContext& context) : ElementwiseMath{context, DType::kFloat64} {}
  // -eps s < term < eps s.
  std::string Negligible(const std::string& term, const std::string& sum) const {
    std::string bound = Mul(c(kMachineEpsilon), sum);
    return Op("And", {Op("Less", {Op("Neg", {bound}), term}), Op("Less", {term, bound})});
  }
};

// zeta(x, q) of broadcast float64 operands. `first_term`: q^-x as the kernel computes it
// (in the input dtype: float32 inputs get a float32 first term).
std::string Zeta(TranslationContext& ctx, const std::string& x, const std::string& q, const std::string& first_term) {
  F64 m(ctx);
  std::string q_nonpositive = m.Op("LessOrEqual", {q, m.c(0)});
  std::string q_integer = m.Op("Equal", {q, m.Op("Floor", {q})});
  std::string x_integer = m.Op("Equal", {x, m.Op("Floor", {x})});

  // Direct terms: 9, or while q + k <= 9 (about 10 - q where q < 0 is no integer and x
  // is one: elsewhere q <= 0 gives inf or NaN), plus one spare: the mask decides.
  std::string long_sum = m.Op("And", {m.Op("And", {q_nonpositive, m.Op("Not", {q_integer})}), x_integer});
  std::string terms = m.Where(long_sum, m.Op("Max", {m.c(10), m.Add(m.Op("Floor", {m.Sub(m.c(10), q)}), m.c(1))}), m.c(10));
  std::string trips = ctx.Cast(MaxWithFloor(ctx, terms, m.c(10)), DType::kFloat64, DType::kInt64);

  std::string zeros = m.Op("Expand", {m.c(0), m.Op("Shape", {x})});
  std::string no = ctx.Cast(zeros, DType::kFloat64, DType::kBool);
  auto loop = RunLoop(
      ctx, "zeta_terms", trips, "",
      {{"a", DType::kFloat64, m.Add(q, zeros)}, {"b", DType::kFloat64, zeros}, {"s", DType::kFloat64, m.Add(first_term, zeros)},
       {"stopped", DType::kBool, no}},
      [&](const std::string& i, const std::vector<std::string>& in) {
        const std::string &a = in[0], &b = in[1], &s = in[2], &stopped = in[3];
        std::string wanted = m.Op("Or", {m.Op("Less", {i, ctx.ConstInt64(9)}), m.Op("LessOrEqual", {a, m.c(9)})});
        std::string active = m.Op("And", {m.Op("Not", {stopped}), wanted});
        std::string next_a = m.Add(a, m.c(1));
        std::string next_b = m.Op("Pow", {next_a, m.Op("Neg", {x})});
        std::string next_s = m.Add(s, next_b);
        std::string stops = m.Op("And", {active, m.Negligible(next_b, next_s)});
        return LoopStep{"",
                        {m.Where(active, next_a, a), m.Where(active, next_b, b), m.Where(active, next_s, s),
                         m.Op("Or", {stopped, stops})}};
      });
  std::string w = loop[0], b = loop[1], s = loop[2], done = loop[3];

  // The Euler-Maclaurin correction, where the direct sum did not stop.
  s = m.Where(done, s, m.Sub(m.Add(s, m.Div(m.Mul(b, w), m.Sub(x, m.c(1)))), m.Mul(m.c(0.5), b)));
  std::string factor = m.c(1);
  for (int j = 0; j < 12; ++j) {
    factor = m.Mul(factor, m.Add(x, m.c(2.0 * j)));
    b = m.Div(b, w);
    std::string term = m.Div(m.Mul(factor, b), m.c(kBernoulliFactors[j]));
    std::string next_s = m.Add(s, term);
    std::string small = m.Op("Less", {m.Op("Abs", {m.Div(term, next_s)}), m.c(kMachineEpsilon)});
    s = m.Where(done, s, next_s);
    done = m.Op("Or", {done, small});
    factor = m.Mul(factor, m.Add(x, m.c(2.0 * j + 1)));
    b = m.Div(b, w);
  }

  // The kernel's tests, the first one winning.
  s = m.Where(m.Op("And", {q_nonpositive, m.Op("Not", {x_integer})}), m.c(kNaN), s);
  s = m.Where(m.Op("And", {q_nonpositive, q_integer}), m.c(kInf), s);
  s = m.Where(m.Op("Less", {x, m.c(1)}), m.c(kNaN), s);
  return m.Where(m.Op("Equal", {x, m.c(1)}), m.c(kInf), s);
}

// The output dtype, integer inputs promoted to float32 (a float dtype either way).
DType PromotedFloatOut(const TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  return IsFloating(dt) ? dt : DType::kFloat32;
}

// zeta(x, q) in `dt` (float32 or float64) from operands already in `dt`.
std::string ZetaIn(TranslationContext& ctx, DType dt, std::string x, std::string q) {
  x = ctx.Op("Expand", {x, ctx.Op("Shape", {q})});
  q = ctx.Op("Expand", {q, ctx.Op("Shape", {x})});
  std::string first_term = ctx.Cast(ctx.Op("Pow", {q, ctx.Op("Neg", {x})}), dt, DType::kFloat64);
  std::string zeta = Zeta(ctx, ctx.Cast(x, dt, DType::kFloat64), ctx.Cast(q, dt, DType::kFloat64), first_term);
  return ctx.Cast(zeta, DType::kFloat64, dt);
}

// aten::special_zeta(Tensor self, Tensor other), .self_scalar, .other_scalar: zeta(self, other).
void TranslateZeta(TranslationContext& ctx) {
  DType out = PromotedFloatOut(ctx);
  DType dt = out == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
  std::string zeta = ZetaIn(ctx, dt, ctx.OperandAs(0, dt), ctx.OperandAs(1, dt));
  ctx.SetOutput(0, ctx.Cast(zeta, dt, out));
}

// PyTorch's trigamma, in `dt`: the reflection pi^2 / sin^2(pi x) - trigamma(1 - x) below 0.5,
// six steps of the recurrence, then the asymptotic series.
std::string Trigamma(TranslationContext& ctx, DType dt, const std::string& x_in) {
  ElementwiseMath m{ctx, dt};
  const double pi = 3.14159265358979323846;
  std::string reflect = m.Less(x_in, 0.5);
  std::string sin_pi_x = m.Op("Sin", {m.Mul(m.c(pi), x_in)});
  std::string result = m.Where(reflect, m.Op("Neg", {m.Div(m.c(pi * pi), m.Mul(sin_pi_x, sin_pi_x))}), m.c(0));
  std::string x = m.Where(reflect, m.Sub(m.c(1), x_in), x_in);
  for (int i = 0; i < 6; ++i) {
    result = m.Add(result, m.Div(m.c(1), m.Mul(x, x)));
    x = m.Add(x, m.c(1));
  }
  std::string ixx = m.Div(m.c(1), m.Mul(x, x));
  // (1 + 1/(2x) + ixx (1/6 - ixx (1/30 - ixx / 42))) / x
  std::string inner = m.Sub(m.c(1.0 / 30), m.Mul(ixx, m.c(1.0 / 42)));
  inner = m.Sub(m.c(1.0 / 6), m.Mul(ixx, inner));
  std::string series = m.Add(m.Add(m.c(1), m.Div(m.c(1), m.Mul(m.c(2), x))), m.Mul(ixx, inner));
  result = m.Add(result, m.Div(series, x));
  return m.Where(reflect, m.Op("Neg", {result}), result);
}

// aten::polygamma(int n, Tensor self), special_polygamma.
void TranslatePolygamma(TranslationContext& ctx) {
  const size_t n_index = 0, x_index = 1;
  int64_t n = ctx.ConstInt(n_index, "n");
  if (n < 0) throw UnsupportedError("aten::polygamma: n must be non-negative, got " + std::to_string(n));
  DType out = PromotedFloatOut(ctx);
  if (n == 0)
    return ctx.SetOutput(0, ctx.Cast(DigammaOf(ctx, ctx.OperandAs(x_index, DType::kFloat64)), DType::kFloat64, out));
  DType dt = out == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
  std::string x = ctx.OperandAs(x_index, dt);
  std::string value;
  if (n == 1) {
    value = Trigamma(ctx, dt, x);
  } else {
    // (-1)^(n+1) exp(lgamma(n + 1)), rounded to dt as the kernel computes it.
    double sign = n % 2 ? 1.0 : -1.0;
    double factorial = dt == DType::kFloat64 ? std::exp(std::lgamma(static_cast<double>(n) + 1.0))
                                             : std::exp(std::lgamma(static_cast<float>(n) + 1.0f));
    std::string order = ctx.ConstScalar(static_cast<double>(n + 1), dt);
    value = ctx.Op("Mul", {ctx.ConstScalar(sign * factorial, dt), ZetaIn(ctx, dt, order, x)});
  }
  ctx.SetOutput(0, ctx.Cast(value, dt, out));
}

}  // namespace

void RegisterZeta(Registry& r) {
  r.SetFamily("special");
  r.Add("aten::special_zeta", TranslateZeta);
  r.Add("aten::polygamma", TranslatePolygamma);
  r.Add("aten::special_polygamma", TranslatePolygamma);
}

}  // namespace t2o
