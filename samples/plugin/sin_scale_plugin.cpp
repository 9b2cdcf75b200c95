// An example translator plugin (--translator-plugin, core/plugin/plugin_api.h): translates
// t2o_test::unmapped(x) = 2 * sin(x), the op of tests/extension/t2o_test_ops.cpp that the
// test op map leaves out, into two ONNX nodes. Build against the installed headers:
//   g++ -std=c++17 -shared -fPIC sin_scale_plugin.cpp -I PREFIX/include/torch2onnx
//       -L PREFIX/lib -lt2o -o libsin_scale_plugin.so
#include "core/plugin/plugin_api.h"

namespace {

void TranslateSinScale(t2o::TranslationContext& ctx) {
  std::string x = ctx.Input(0);
  std::string sin = ctx.Op("Sin", {x});
  ctx.SetOutput(0, ctx.Op("Mul", {sin, ctx.ConstScalar(2.0, ctx.InDType(0))}));
}

}  // namespace

T2O_PLUGIN(registrar) { registrar.Add("t2o_test::unmapped", TranslateSinScale); }
