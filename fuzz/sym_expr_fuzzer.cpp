// The symbolic-expression parser (sympy srepr and str forms).
#include <string>

#include "core/capture/exported_program/sym_expr.h"
#include "core/util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    volatile bool sink = t2o::IsSymbolName(t2o::SymExprToText(text));
    (void)sink;
  } catch (const t2o::Error&) {
  }
  return 0;
}
