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
    // abs_diff == 0 first: with rtol = 0, rtol * |inf| is NaN.
    bool ok = abs_diff == 0 || (!exact && abs_diff <= tol.atol + tol.rtol * std::fabs(e));
    if (!ok) ++c.mismatched;
  }
  if (expected.dtype != actual.dtype) c.note = "dtype differs";
  c.passed = c.mismatched == 0 && expected.dtype == actual.dtype;
  return c;
}

OutputComparison CompareRandomTensors(const std::string& name, const TensorData& expected,
                                      const TensorData& actual) {
  OutputComparison c;
  c.name = name;
  c.random = true;
  c.expected_type = TypeString(expected);
  c.actual_type = TypeString(actual);
  c.numel = expected.numel();
  c.note = "depends on random ops: shape, dtype and value range compared";
  if (expected.shape != actual.shape || expected.dtype != actual.dtype) {
    c.shape_matches = expected.shape == actual.shape;
    c.passed = false;
    c.note = c.shape_matches ? "dtype differs" : "shape differs";
    return c;
  }
  double low = INFINITY, high = -INFINITY;
  for (int64_t i = 0; i < c.numel; ++i) {
    double e = expected.ElementAsDouble(i);
    if (!std::isfinite(e)) continue;
    low = std::min(low, e);
    high = std::max(high, e);
    c.expected_abs_max = std::max(c.expected_abs_max, std::fabs(e));
  }
  // Three widths on either side (at least the magnitude, for a constant reference): a check
  // for gross errors (scale, sign, NaN), not for the distribution, which small samples
  // cannot pin down.
  const double width = high >= low ? 3 * std::max(high - low, std::max(std::fabs(low), std::fabs(high))) : 0;
  for (int64_t i = 0; i < c.numel; ++i) {
    double e = expected.ElementAsDouble(i), a = actual.ElementAsDouble(i);
    bool ok = std::isfinite(e) ? std::isfinite(a) && a >= low - width && a <= high + width : true;
    if (!ok) ++c.mismatched;
    if (std::isfinite(a) && high >= low)
      c.max_abs_diff = std::max(c.max_abs_diff, std::max(low - a, a - high));  // outside the reference's range
  }
  c.passed = c.mismatched == 0;
  if (!c.passed) c.note = "depends on random ops: values outside the reference's range widened by three times its width";
  return c;
}

}  // namespace t2o
