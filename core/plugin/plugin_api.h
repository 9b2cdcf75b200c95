// The translator plugin interface: a shared library passed with --translator-plugin adds
// translators to the registry without recompiling the tool (the counterpart of
// torch.onnx's custom_translation_table). A plugin is built against these headers
// (installed under include/torch2onnx/) and links libt2o.so:
//
//   #include "core/plugin/plugin_api.h"
//
//   void TranslateFusedGelu(t2o::TranslationContext& ctx) { ... ctx.Op(...) ... }
//
//   T2O_PLUGIN(registrar) {
//     registrar.Add("mylib::fused_gelu", TranslateFusedGelu);
//     registrar.Add("mylib::rms_norm", t2o::OpsetRange{23, t2o::kMaxOpset}, TranslateRmsNorm);
//   }
//
// The tool refuses a plugin built for another T2O_PLUGIN_API_VERSION; the version changes
// whenever TranslationContext, Registry or the IR they expose change incompatibly.
// samples/plugin/ holds a complete plugin.
#pragma once

#include <string>
#include <utility>

#include "core/translate/context.h"
#include "core/translate/registry.h"

#define T2O_PLUGIN_API_VERSION 1

namespace t2o {

// What a plugin registers its translators with.
class PluginRegistrar {
 public:
  explicit PluginRegistrar(Registry& registry) : registry_(registry) {}
  // The translator of `key` (namespace::op or namespace::op.overload) at the opsets of
  // `range`, in place of a built-in translation there.
  void Add(const std::string& key, OpsetRange range, TranslatorFn fn) { registry_.Override(key, range, std::move(fn)); }
  void Add(const std::string& key, TranslatorFn fn) { Add(key, OpsetRange{}, std::move(fn)); }

 private:
  Registry& registry_;
};

}  // namespace t2o

// Defines the plugin's two entry points; the body registers its translators.
#define T2O_PLUGIN(registrar)                                                     \
  extern "C" int t2o_plugin_api_version() { return T2O_PLUGIN_API_VERSION; }      \
  extern "C" void t2o_plugin_register(::t2o::PluginRegistrar& registrar)
