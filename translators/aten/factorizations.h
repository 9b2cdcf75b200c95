// What other translators use of the unrolled factorizations (factorizations.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "core/translate/context.h"

namespace t2o {

// The largest static matrix size the factorizations are unrolled for.
constexpr int64_t kMaxFactorSize = 32;

// The inverse of [..., n, n] `a` (rank `rank`, n <= kMaxFactorSize) by LU with partial
// pivoting, as LAPACK's getrf then getri: U^-1 L^-1 P. `info` (when given): [...] int32,
// 1 + the first zero pivot, 0 for an invertible matrix.
std::string InverseByLU(TranslationContext& ctx, const std::string& a, int64_t n, int64_t rank, DType dt,
                        std::string* info = nullptr);

}  // namespace t2o
