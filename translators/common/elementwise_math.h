// Elementwise ONNX expressions in one dtype, for translators that spell out a formula
// (the special functions): constants of that dtype, arithmetic, comparisons with a
// number, and the Cephes polynomial and Chebyshev series evaluations.
#pragma once

#include <string>
#include <vector>

#include "core/translate/context.h"

namespace t2o {

struct ElementwiseMath {
  TranslationContext& ctx;
  DType dt;
  std::string c(double v) const { return ctx.ConstScalar(v, dt); }
  std::string Op(const std::string& type, std::vector<std::string> in) const { return ctx.Op(type, in); }
  std::string Add(const std::string& a, const std::string& b) const { return Op("Add", {a, b}); }
  std::string Sub(const std::string& a, const std::string& b) const { return Op("Sub", {a, b}); }
  std::string Mul(const std::string& a, const std::string& b) const { return Op("Mul", {a, b}); }
  std::string Div(const std::string& a, const std::string& b) const { return Op("Div", {a, b}); }
  std::string Where(const std::string& cond, const std::string& a, const std::string& b) const {
    return Op("Where", {cond, a, b});
  }
  std::string Less(const std::string& a, double b) const { return Op("Less", {a, c(b)}); }
  std::string LessOrEqual(const std::string& a, double b) const { return Op("LessOrEqual", {a, c(b)}); }
  std::string Greater(const std::string& a, double b) const { return Op("Greater", {a, c(b)}); }
  std::string GreaterOrEqual(const std::string& a, double b) const { return Op("GreaterOrEqual", {a, c(b)}); }
  std::string Equals(const std::string& a, double b) const { return Op("Equal", {a, c(b)}); }

  // log(1 + z) without cancellation: z where 1 + z rounds to 1, else log(u) z / (u - 1).
  std::string Log1p(const std::string& z) const {
    std::string u = Add(c(1), z);
    return Where(Equals(u, 1), z, Div(Mul(Op("Log", {u}), z), Sub(u, c(1))));
  }

  // Cephes chbevl: b0 = y b1 - b2 + c[i], the sum 0.5 (b0 - b2).
  std::string Chebyshev(const std::string& y, const std::vector<double>& coefficients) const {
    std::string b0 = c(coefficients[0]), b1 = c(0), b2;
    for (size_t i = 1; i < coefficients.size(); ++i) {
      b2 = b1;
      b1 = b0;
      b0 = Add(Sub(Mul(y, b1), b2), c(coefficients[i]));
    }
    return Mul(c(0.5), Sub(b0, b2));
  }
  // Cephes polevl: Horner's rule from the highest coefficient.
  std::string Polynomial(const std::string& x, const std::vector<double>& coefficients) const {
    std::string result = c(coefficients[0]);
    for (size_t i = 1; i < coefficients.size(); ++i) result = Add(Mul(result, x), c(coefficients[i]));
    return result;
  }
};

}  // namespace t2o
