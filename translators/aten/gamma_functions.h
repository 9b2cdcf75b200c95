// Gamma-family helpers shared by special.cpp (lgamma, digamma) and zeta.cpp (polygamma).
#pragma once

#include <string>

#include "core/translate/context.h"

namespace t2o {

// lgamma and digamma of a float64 value, as float64.
std::string LgammaOf(TranslationContext& ctx, const std::string& x);
std::string DigammaOf(TranslationContext& ctx, const std::string& x);

}  // namespace t2o
