#include "core/verify/compare.h"

#include <cmath>
#include <sstream>

namespace t2o {

std::string TypeString(const TensorData& t) {
  std::ostringstream os;
  os << DTypeName(t.dtype) << "[";
  for (size_t i = 0; i < t.shape.size(); ++i) os << (i ? ", " : "") << t.shape[i];
  os << "]";
  return os.str();
}

Tolerance Tolerance::For(DType dtype) const {
  if (given) return *this;
  if (dtype == DType::kFloat16) return {1e-2, 1e-2, false};
  if (dtype == DType::kBFloat16) return {5e-2, 5e-2, false};
  return *this;
}

OutputComparison CompareTensors(const std::string& name, const TensorData& expected,
                                const TensorData& actual, const Tolerance& base) {
  const Tolerance tol = base.For(expected.dtype);
  OutputComparison c;
  c.atol = tol.atol;
  c.rtol = tol.rtol;
  c.name = name;
  c.expected_type = TypeString(expected);
  c.actual_type = TypeString(actual);
  c.numel = expected.numel();
  if (expected.shape != actual.shape) {
    c.shape_matches = false;
    c.passed = false;
    c.note = "shape differs";
    return c;
  }
  bool exact = !IsFloating(expected.dtype);  // integers and booleans must match exactly
  for (int64_t i = 0; i < c.numel; ++i) {
    double e = expected.ElementAsDouble(i);
    double a = actual.ElementAsDouble(i);
    c.expected_abs_max = std::max(c.expected_abs_max, std::fabs(e));
    if (std::isnan(e) && std::isnan(a)) continue;
    double abs_diff = std::fabs(a - e);
    if (std::isinf(e) && std::isinf(a) && (e > 0) == (a > 0)) abs_diff = 0;
    if (std::isnan(abs_diff)) abs_diff = INFINITY;
    double rel_diff = abs_diff / (std::fabs(e) + 1e-7);
    c.max_abs_diff = std::max(c.max_abs_diff, abs_diff);
    c.max_rel_diff = std::max(c.max_rel_diff, rel_diff);
    bool ok = exact ? abs_diff == 0 : abs_diff <= tol.atol + tol.rtol * std::fabs(e);
    if (!ok) ++c.mismatched;
  }
  if (expected.dtype != actual.dtype) c.note = "dtype differs";
  c.passed = c.mismatched == 0 && expected.dtype == actual.dtype;
  return c;
}

}  // namespace t2o
