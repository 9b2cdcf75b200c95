// Symbolic size expressions of a serialized ExportedProgram: sympy `srepr` text
// (`Mul(Integer(2), Symbol('s0', integer=True, positive=True))`, newer writers) or
// `str` text (`2*s0`, older writers), turned into the readable form used for ONNX
// dim_params (`2*s0`). No libtorch.
#pragma once

#include <string>

namespace t2o {

// "s0" for a bare symbol, "2*s0" for a product, ...; the input unchanged when it is not srepr.
std::string SymExprToText(const std::string& expr);

// True when the expression is a single symbol name.
bool IsSymbolName(const std::string& text);

}  // namespace t2o
