#include "tests/support/harness.h"

#include "core/capture/torch_backend.h"
#include "core/translate/op_list.h"

#include <algorithm>
#include <regex>
#include <set>

#include <onnx/onnx_pb.h>
#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>

namespace t2o::testing {
namespace fs = std::filesystem;

std::string OutputDir(const std::string& sub) {
  fs::path dir = fs::path(T2O_BINARY_DIR) / "test-output" / sub;
  fs::create_directories(dir);
  return dir.string();
}

namespace {

// `ops.<namespace>.<op>` in a model's source, as TorchScript's own serialized code calls
// operators outside aten (ops.torchvision.nms); the rest resolves as in torch::jit::compile.
struct OpsNamespaces : torch::jit::SugaredValue {
  std::string kind() const override { return "ops"; }
  std::shared_ptr<torch::jit::SugaredValue> attr(const torch::jit::SourceRange&, torch::jit::GraphFunction&,
                                                 const std::string& ns) override {
    return std::make_shared<torch::jit::BuiltinModule>(ns);
  }
};

struct OpsResolver : torch::jit::Resolver {
  std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name, torch::jit::GraphFunction& m,
                                                         const torch::jit::SourceRange& loc) override {
    if (name == "ops") return std::make_shared<OpsNamespaces>();
    return torch::jit::nativeResolver()->resolveValue(name, m, loc);
  }
  c10::TypePtr resolveType(const std::string& name, const torch::jit::SourceRange& loc) override {
    return torch::jit::nativeResolver()->resolveType(name, loc);
  }
};

}  // namespace

std::string SaveTinyModel(const TinyModel& model, const std::string& name) {
  Torch().LoadExtensionLibraries({});  // registers the torchvision operators models may call
  torch::manual_seed(0);
  torch::jit::Module module("TinyModel");
  for (const auto& [param, shape] : model.params) module.register_parameter(param, torch::randn(shape), false);
  module.define(model.forward, std::make_shared<OpsResolver>());
  std::string path = (fs::path(OutputDir()) / (name + ".pt")).string();
  module.save(path);
  return path;
}

namespace {

ConvertResult ConvertAt(const std::string& pt, const TinyModel& model, const std::string& name, int opset,
                        const VerifyOptions& options) {
  ConvertOptions convert;
  convert.model_path = pt;
  convert.output_path = (fs::path(OutputDir()) / (name + ".onnx")).string();
  convert.opset = opset;
  convert.capture.flat_inputs = model.inputs;
  convert.verify = true;
  convert.tolerance = options.tolerance;
  convert.artifacts_dir = OutputDir();
  convert.dynamic_shapes = options.dynamic_shapes;
  convert.verify_dims = options.verify_dims;
  ConvertResult result = Convert(convert);
  if (result.ok && options.require_nonzero_output) {
    for (const auto& c : result.comparisons)
      if (c.numel > 0 && c.expected_abs_max == 0 && c.expected_type.rfind("bool", 0) != 0 &&
          c.expected_type.rfind("int", 0) != 0) {
        result.ok = false;
        result.error = "output '" + c.name + "' is all zeros: the comparison would prove nothing";
      }
  }
  return result;
}

}  // namespace

ConvertResult ConvertTiny(const TinyModel& model, const std::string& name, const VerifyOptions& options) {
  std::string pt = SaveTinyModel(model, name);
  if (options.opset) return ConvertAt(pt, model, name, options.opset, options);
  ConvertResult result = ConvertAt(pt, model, name, kDefaultOpset, options);
  if (!result.ok) return result;
  for (int opset : FormBoundaryOpsets(BuiltinRegistry(), result.aten_ops)) {
    if (opset == kDefaultOpset) continue;
    ConvertResult at = ConvertAt(pt, model, name + "_opset" + std::to_string(opset), opset, options);
    // A translator that covers this opset but refuses an argument only newer opsets can
    // express says "(opset N or later)": not a failure below N.
    std::smatch needs;
    if (!at.ok && std::regex_search(at.error, needs, std::regex("opset ([0-9]+) or later")) && std::stoi(needs[1]) > opset)
      continue;
    if (!at.ok) {
      at.error = "at opset " + std::to_string(opset) + ": " + at.error;
      return at;
    }
  }
  return result;
}

std::string ForwardSource(const std::string& body, size_t num_inputs) {
  static const char* kNames[] = {"x", "y", "z", "u", "v", "w"};
  std::string f = "def forward(self";
  for (size_t i = 0; i < num_inputs; ++i) f += std::string(", ") + kNames[i];
  f += "):\n";
  if (body.find('\n') == std::string::npos && body.rfind("return ", 0) != 0) return f + "    return " + body + "\n";
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    f += "    " + body.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return f;
}

ConvertResult RunBody(const std::string& prefix, const std::string& name, const std::string& body,
                      std::vector<TensorSpec> inputs, Params params, VerifyOptions options) {
  TinyModel m;
  m.forward = ForwardSource(body, inputs.size());
  m.inputs = std::move(inputs);
  m.params = std::move(params);
  return ConvertTiny(m, prefix + "_" + name, options);
}

VerifyOptions AtOpset(int opset) {
  VerifyOptions options;
  options.opset = opset;
  return options;
}

TensorSpec Shape(std::vector<int64_t> shape, DType dtype) {
  TensorSpec spec;
  spec.shape = std::move(shape);
  spec.dtype = dtype;
  return spec;
}

TensorSpec IntData(std::vector<int64_t> shape, std::vector<int64_t> values) {
  TensorSpec spec;
  spec.shape = shape;
  spec.dtype = DType::kInt64;
  spec.data = TensorData::FromVector<int64_t>(DType::kInt64, shape, values);
  return spec;
}

TensorSpec FloatData(std::vector<int64_t> shape, std::vector<float> values) {
  TensorSpec spec;
  spec.shape = shape;
  spec.data = TensorData::FromVector<float>(DType::kFloat32, shape, values);
  return spec;
}

namespace {
void Count(const ::onnx::GraphProto& g, std::map<std::string, int>& counts) {
  for (const auto& n : g.node()) {
    counts[n.op_type()]++;
    for (const auto& a : n.attribute())
      if (a.has_g()) Count(a.g(), counts);
  }
}
}  // namespace

std::map<std::string, int> CountOps(const std::string& onnx_path) {
  ::onnx::ModelProto model;
  std::ifstream in(onnx_path, std::ios::binary);
  model.ParseFromIstream(&in);
  std::map<std::string, int> counts;
  Count(model.graph(), counts);
  return counts;
}

}  // namespace t2o::testing
