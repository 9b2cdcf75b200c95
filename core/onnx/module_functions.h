// --modules-as-functions: each call of a chosen nn.Module class becomes one call node of a
// model-local ONNX function, with one function per distinct body, so repeated blocks are
// written once (the feature torch.onnx dropped with export_modules_as_functions).
//
// Module calls are found from the source metadata every ONNX node inherits from its ATen
// node (the module scopes, classes and call ids of nn_module_stack or the TorchScript
// inlined call stack). A call is a contiguous run of nodes in the graph's topological
// order, so cutting it out never makes a cycle.
#pragma once

#include <string>
#include <vector>

#include "core/onnx/model.h"

namespace t2o::onnx {

struct ModuleSelection {
  enum class Kind { kAll, kLeaves, kClasses };
  Kind kind = Kind::kAll;
  // kClasses: qualified ("torchvision.models.resnet.BasicBlock") or short ("BasicBlock")
  std::vector<std::string> classes;

  // "all" (every module, nested), "leaves" (modules without submodules) or "A,B,...".
  static ModuleSelection Parse(const std::string& value);
};

struct ModuleFunctionInfo {
  std::string module_class;
  std::string domain;
  std::string name;
  size_t calls = 0;
  size_t body_nodes = 0;  // a call of an inner function counts as one node
};

struct ModuleFunctionsResult {
  OnnxModel model;
  std::vector<ModuleFunctionInfo> functions;
};

// The model with the selected module calls as function calls; `model` itself is left flat.
// Throws UsageError naming the classes the model has when a named class has no call.
ModuleFunctionsResult WithModulesAsFunctions(const OnnxModel& model, const ModuleSelection& selection);

}  // namespace t2o::onnx
