// Numbers in messages and summaries: three significant digits (1e-04, 0.00123, 282).
#pragma once

#include <cstdio>
#include <string>

namespace t2o {

inline std::string ShortNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

}  // namespace t2o
