// torch.special's orthogonal polynomials of integer degree n: Chebyshev T, U, V, W and
// their shifted forms, Hermite H and He, Laguerre L, Legendre P. Each follows PyTorch's
// kernel (ATen/native/Math.h): degree n truncated to an integer, 0 for n < 0, the values it
// special-cases at the interval ends, the trigonometric forms it switches to for large n
// inside (-1, 1), and otherwise the three-term recurrence, run as one ONNX Loop over the
// whole tensor for the largest degree any element needs, each element keeping the value
// at its own degree.
#include <cmath>
#include <functional>
#include <limits>

#include "translators/common/helpers.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

// The broadcast operands: x in the output dtype and the degree n as int64 (n is promoted
// to that dtype first, then truncated, as PyTorch's T-typed overload does).
struct PolynomialOperands {
  DType dt;
  std::string x, n;
};

PolynomialOperands OperandsOf(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  if (!IsFloating(dt)) dt = DType::kFloat32;
  std::string x = ctx.OperandAs(0, dt);
  std::string n = ctx.Cast(ctx.OperandAs(1, dt), dt, DType::kInt64);
  return {dt, ctx.Op("Expand", {x, ctx.Op("Shape", {n})}), ctx.Op("Expand", {n, ctx.Op("Shape", {x})})};
}

// What one family computes, in terms of the operands.
struct Recurrence {
  std::string degree_one;  // the value at n = 1 (q of the recurrence, with p = 1 at n = 0)
  // The value at degree d + 1 from those at d (q) and d - 1 (p); `k` is the loop counter
  // PyTorch's kernel multiplies with, as a 0-d tensor of the operands' dtype.
  std::function<std::string(const std::string& k, const std::string& p, const std::string& q)> next;
  // PyTorch's loop counter for the step that yields degree (i + 2), from the ONNX Loop's
  // iteration number i (int64 0-d).
  std::function<std::string(const std::string& i)> counter;
};

// Runs `recurrence` up to the largest degree among the elements where `needed` holds and
// returns, per element, the value at its degree (n >= 2), 0 elsewhere.
std::string RunRecurrence(TranslationContext& ctx, const PolynomialOperands& op, const Recurrence& recurrence,
                          const std::string& needed, std::optional<int64_t> degree_limit = std::nullopt) {
  DType dt = op.dt;
  std::string one_int = ctx.ConstInt64(1);
  std::string degrees = ctx.Op("Where", {needed, op.n, one_int});
  std::string max_degree = MaxWithFloor(ctx, degrees, one_int);
  if (degree_limit) max_degree = ctx.Op("Min", {max_degree, ctx.ConstInt64(*degree_limit)});
  std::string trips = ctx.Op("Sub", {max_degree, one_int});  // degrees 2 .. max

  std::string start = ctx.Op("Expand", {Zero(ctx, dt), ctx.Op("Shape", {op.x})});
  std::string p0 = ctx.Op("Add", {start, ctx.ConstScalar(1, dt)});
  std::string q0 = ctx.Op("Add", {start, recurrence.degree_one});
  return RunLoop(ctx, "recurrence", trips, "", {{"p", dt, p0}, {"q", dt, q0}, {"value", dt, start}},
                 [&](const std::string& i, const std::vector<std::string>& in) {
                   const std::string &p = in[0], &q = in[1], &value = in[2];
                   std::string r = recurrence.next(recurrence.counter(i), p, q);
                   std::string degree = ctx.Op("Add", {i, ctx.ConstInt64(2)});
                   std::string kept = ctx.Op("Where", {ctx.Op("Equal", {op.n, degree}), r, value});
                   return LoopStep{"", {q, r, kept}};
                 })[2];
}

// Where-chains in the kernel's order: `cases` from the first test to the last, then
// `otherwise`.
std::string FirstOf(TranslationContext& ctx, const std::vector<std::pair<std::string, std::string>>& cases,
                    std::string otherwise) {
  for (auto it = cases.rbegin(); it != cases.rend(); ++it) otherwise = ctx.Op("Where", {it->first, it->second, otherwise});
  return otherwise;
}

struct Helpers {
  TranslationContext& ctx;
  const PolynomialOperands& op;
  std::string c(double v) const { return ctx.ConstScalar(v, op.dt); }
  std::string i(int64_t v) const { return ctx.ConstInt64(v); }
  std::string Op(const std::string& type, std::vector<std::string> in) const { return ctx.Op(type, in); }
  std::string N() const { return ctx.Cast(op.n, DType::kInt64, op.dt); }  // n in the dtype
  std::string NLess(int64_t v) const { return Op("Less", {op.n, i(v)}); }
  std::string NIs(int64_t v) const { return Op("Equal", {op.n, i(v)}); }
  std::string NAbove(int64_t v) const { return Op("Greater", {op.n, i(v)}); }
  std::string NEven() const { return Op("Equal", {Op("Mod", {op.n, i(2)}), i(0)}); }
  std::string Is(const std::string& v, double value) const { return Op("Equal", {v, c(value)}); }
  std::string Negate(const std::string& v) const { return Op("Neg", {v}); }
  std::string Where(const std::string& cond, const std::string& a, const std::string& b) const {
    return Op("Where", {cond, a, b});
  }
  std::string TwoNPlusOne() const { return Op("Add", {Op("Add", {N(), N()}), c(1)}); }
  std::string NPlusOne() const { return Op("Add", {N(), c(1)}); }
  std::string Counter(const std::string& iteration, int64_t scale, int64_t offset) const {
    std::string k = Op("Add", {Op("Mul", {iteration, i(scale)}), i(offset)});
    return ctx.Cast(k, DType::kInt64, op.dt);
  }
};

// The Chebyshev kinds share the recurrence r = 2y q - p (y = x, or 2x - 1 when shifted)
// and differ in the value at n = 1, the ends of the interval and the trigonometric form.
enum class Kind { kT, kU, kV, kW };

void TranslateChebyshev(TranslationContext& ctx, Kind kind, bool shifted) {
  PolynomialOperands op = OperandsOf(ctx);
  Helpers h{ctx, op};
  const std::string& x = op.x;
  // PyTorch's kernels spell y and 2y as they are written here (x + x - 1 + (x + x - 1)).
  std::string y = shifted ? h.Op("Sub", {h.Op("Add", {x, x}), h.c(1)}) : x;
  std::string two_y = h.Op("Add", {y, y});
  std::string one = h.c(1), minus_one = h.c(-1);
  std::string degree_one = kind == Kind::kT   ? y
                           : kind == Kind::kU ? two_y
                           : kind == Kind::kV ? h.Op("Sub", {two_y, one})
                                              : h.Op("Add", {two_y, one});
  // The interval ends: x = +-1 (y = +-1 when shifted: x = 1 and x = 0).
  std::string at_plus = shifted ? h.Is(x, 1) : h.Op("And", {h.Is(h.Op("Abs", {x}), 1), h.Op("Greater", {x, h.c(0)})});
  std::string at_minus = shifted ? h.Is(x, 0) : h.Op("And", {h.Is(h.Op("Abs", {x}), 1), h.Op("Not", {at_plus})});
  std::string odd_sign = h.Where(h.NEven(), one, minus_one);
  std::string plus_value, minus_value;
  switch (kind) {
    case Kind::kT: plus_value = one, minus_value = odd_sign; break;
    case Kind::kU: plus_value = h.NPlusOne(), minus_value = h.Op("Mul", {odd_sign, h.NPlusOne()}); break;
    case Kind::kV: plus_value = one, minus_value = h.Op("Mul", {odd_sign, h.TwoNPlusOne()}); break;
    case Kind::kW: plus_value = h.TwoNPlusOne(), minus_value = odd_sign; break;
  }
  // For large n inside (-1, 1), with theta = acos(y).
  int64_t trig_above = kind == Kind::kT ? 6 : shifted ? (kind == Kind::kW ? 4 : 6) : 8;
  std::string inside = h.Op("And", {h.NAbove(trig_above), h.Op("Less", {h.Op("Abs", {y}), one})});
  std::string theta = h.Op("Acos", {y});
  std::string half_theta = h.Op("Div", {theta, h.c(2)});
  std::string n_half = h.Op("Add", {h.N(), h.c(0.5)});
  std::string trig;
  switch (kind) {
    case Kind::kT: trig = h.Op("Cos", {h.Op("Mul", {h.N(), theta})}); break;
    case Kind::kU: {
      std::string angle = h.Op("Mul", {h.NPlusOne(), theta});
      std::string sin_theta = h.Op("Sin", {theta});
      trig = h.Where(h.Op("Not", {h.Is(sin_theta, 0)}), h.Op("Div", {h.Op("Sin", {angle}), sin_theta}),
                     h.Op("Div", {h.Op("Mul", {h.NPlusOne(), h.Op("Cos", {angle})}), y}));
      break;
    }
    case Kind::kV:
      trig = h.Where(h.Op("Not", {h.Is(h.Op("Sin", {half_theta}), 1)}),
                     h.Op("Div", {h.Op("Cos", {h.Op("Mul", {n_half, theta})}), h.Op("Cos", {half_theta})}),
                     h.Op("Mul", {odd_sign, h.TwoNPlusOne()}));
      break;
    case Kind::kW: {
      // Where cos(theta / 2) rounds to 1, the end value: 2n + 1 at x > 0 (not when shifted), else +-1.
      std::string end = shifted ? odd_sign : h.Where(h.Op("Greater", {x, h.c(0)}), h.TwoNPlusOne(), odd_sign);
      trig = h.Where(h.Op("Not", {h.Is(h.Op("Cos", {half_theta}), 1)}),
                     h.Op("Div", {h.Op("Sin", {h.Op("Mul", {n_half, theta})}), h.Op("Sin", {half_theta})}), end);
      break;
    }
  }
  std::string ends = h.Op("Or", {at_plus, at_minus});
  std::string recurrence_needed = h.Op("Not", {h.Op("Or", {h.Op("Or", {ends, inside}), h.NLess(2)})});
  Recurrence rec{degree_one,
                 [&](const std::string&, const std::string& p, const std::string& q) {
                   return h.Op("Sub", {h.Op("Mul", {two_y, q}), p});
                 },
                 [&](const std::string& i) { return i; }};
  std::string value = RunRecurrence(ctx, op, rec, recurrence_needed);
  value = FirstOf(ctx,
                  {{h.NLess(0), h.c(0)},
                   {at_plus, plus_value},
                   {at_minus, minus_value},
                   {inside, trig},
                   {h.NIs(0), one},
                   {h.NIs(1), degree_one}},
                  value);
  ctx.SetOutput(0, ctx.Cast(value, op.dt, ctx.OutDType()));
}

// Hermite H (physicists'): r = 2x q - k p for k = 2, 4, ..; He (probabilists'): r = x q - k p
// for k = 1, 2, ..; NaN beyond the degree PyTorch's kernel stops at (128 for float32, 512
// for float64, 1024 otherwise).
void TranslateHermite(TranslationContext& ctx, bool physicists) {
  PolynomialOperands op = OperandsOf(ctx);
  Helpers h{ctx, op};
  const std::string& x = op.x;
  int64_t limit = op.dt == DType::kFloat32 ? 128 : op.dt == DType::kFloat64 ? 512 : 1024;
  std::string two_x = h.Op("Add", {x, x});
  std::string degree_one = physicists ? two_x : x;
  std::string needed = h.Op("And", {h.Op("Not", {h.NLess(2)}), h.Op("Not", {h.NAbove(limit)})});
  Recurrence rec{degree_one,
                 [&](const std::string& k, const std::string& p, const std::string& q) {
                   return h.Op("Sub", {h.Op("Mul", {physicists ? two_x : x, q}), h.Op("Mul", {k, p})});
                 },
                 [&](const std::string& i) { return physicists ? h.Counter(i, 2, 2) : h.Counter(i, 1, 1); }};
  std::string value = RunRecurrence(ctx, op, rec, needed, limit);
  value = FirstOf(ctx,
                  {{h.NLess(0), h.c(0)},
                   {h.NIs(0), h.c(1)},
                   {h.NIs(1), degree_one},
                   {h.NAbove(limit), h.c(std::numeric_limits<double>::quiet_NaN())}},
                  value);
  ctx.SetOutput(0, ctx.Cast(value, op.dt, ctx.OutDType()));
}

// Laguerre L: r = ((2k + (1 - x)) q - k p) / (k + 1), 1 at x = 0.
void TranslateLaguerre(TranslationContext& ctx) {
  PolynomialOperands op = OperandsOf(ctx);
  Helpers h{ctx, op};
  std::string one_minus_x = h.Op("Sub", {h.c(1), op.x});
  std::string at_zero = h.Is(h.Op("Abs", {op.x}), 0);
  std::string needed = h.Op("And", {h.Op("Not", {h.NLess(2)}), h.Op("Not", {at_zero})});
  Recurrence rec{one_minus_x,
                 [&](const std::string& k, const std::string& p, const std::string& q) {
                   std::string scaled = h.Op("Mul", {h.Op("Add", {h.Op("Add", {k, k}), one_minus_x}), q});
                   return h.Op("Div", {h.Op("Sub", {scaled, h.Op("Mul", {k, p})}), h.Op("Add", {k, h.c(1)})});
                 },
                 [&](const std::string& i) { return h.Counter(i, 1, 1); }};
  std::string value = RunRecurrence(ctx, op, rec, needed);
  value = FirstOf(ctx, {{h.NLess(0), h.c(0)}, {at_zero, h.c(1)}, {h.NIs(0), h.c(1)}, {h.NIs(1), one_minus_x}}, value);
  ctx.SetOutput(0, ctx.Cast(value, op.dt, ctx.OutDType()));
}

// Legendre P: r = ((2k + 1) x q - k p) / (k + 1), +-1 at x = +-1.
void TranslateLegendre(TranslationContext& ctx) {
  PolynomialOperands op = OperandsOf(ctx);
  Helpers h{ctx, op};
  const std::string& x = op.x;
  std::string at_end = h.Is(h.Op("Abs", {x}), 1);
  std::string end_value = h.Where(h.Op("Or", {h.Op("Greater", {x, h.c(0)}), h.NEven()}), h.c(1), h.c(-1));
  std::string needed = h.Op("And", {h.Op("Not", {h.NLess(2)}), h.Op("Not", {at_end})});
  Recurrence rec{x,
                 [&](const std::string& k, const std::string& p, const std::string& q) {
                   std::string scaled = h.Op("Mul", {h.Op("Mul", {h.Op("Add", {h.Op("Add", {k, k}), h.c(1)}), x}), q});
                   return h.Op("Div", {h.Op("Sub", {scaled, h.Op("Mul", {k, p})}), h.Op("Add", {k, h.c(1)})});
                 },
                 [&](const std::string& i) { return h.Counter(i, 1, 1); }};
  std::string value = RunRecurrence(ctx, op, rec, needed);
  value = FirstOf(ctx, {{h.NLess(0), h.c(0)}, {at_end, end_value}, {h.NIs(0), h.c(1)}, {h.NIs(1), x}}, value);
  ctx.SetOutput(0, ctx.Cast(value, op.dt, ctx.OutDType()));
}

}  // namespace

void RegisterOrthogonalPolynomials(Registry& r) {
  r.SetFamily("special");
  const std::pair<const char*, Kind> chebyshev[] = {{"t", Kind::kT}, {"u", Kind::kU}, {"v", Kind::kV}, {"w", Kind::kW}};
  for (const auto& [suffix, kind] : chebyshev) {
    Kind k = kind;
    r.Add(std::string("aten::special_chebyshev_polynomial_") + suffix,
          [k](TranslationContext& c) { TranslateChebyshev(c, k, false); });
    r.Add(std::string("aten::special_shifted_chebyshev_polynomial_") + suffix,
          [k](TranslationContext& c) { TranslateChebyshev(c, k, true); });
  }
  r.Add("aten::special_hermite_polynomial_h", [](TranslationContext& c) { TranslateHermite(c, true); });
  r.Add("aten::special_hermite_polynomial_he", [](TranslationContext& c) { TranslateHermite(c, false); });
  r.Add("aten::special_laguerre_polynomial_l", TranslateLaguerre);
  r.Add("aten::special_legendre_polynomial_p", TranslateLegendre);
}

}  // namespace t2o
