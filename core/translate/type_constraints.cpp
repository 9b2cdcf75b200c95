#include "core/translate/type_constraints.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "core/optimize/graph_view.h"

namespace t2o {
namespace {

// "tensor(bfloat16)" for DType::kBFloat16: the spelling of ONNX's type constraints.
std::string OnnxTypeString(DType dtype) {
  std::string name = ::onnx::TensorProto_DataType_Name(static_cast<::onnx::TensorProto_DataType>(DTypeToOnnx(dtype)));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return "tensor(" + name + ")";
}

// Whether input `index` of `op_type` at `opset` may have type `type`; nullopt when ONNX
// has no such operator (or input) at that opset.
std::optional<bool> AcceptsInputType(const std::string& op_type, const std::string& domain, int opset, size_t index,
                                     const std::string& type) {
  const ::onnx::OpSchema* schema = ::onnx::OpSchemaRegistry::Schema(op_type, opset, domain);
  if (!schema || schema->inputs().empty()) return std::nullopt;
  const auto& formals = schema->inputs();
  if (index >= formals.size() && formals.back().GetOption() != ::onnx::OpSchema::Variadic) return std::nullopt;
  const auto& formal = formals[std::min(index, formals.size() - 1)];
  for (const auto* allowed : formal.GetTypes())
    if (*allowed == type) return true;
  return false;
}

struct Violation {
  const ir::Node* origin;
  std::string op_type;
  std::string type;
  int model_opset;
  size_t input;  // the first input of the node with that type
  bool operator<(const Violation& o) const {
    return std::tie(origin, op_type, type) < std::tie(o.origin, o.op_type, o.type);
  }
};

void CollectViolations(const onnx::OnnxGraph& graph, int opset, const std::map<std::string, optimize::ValueType>& types,
                       std::set<Violation>& found) {
  for (const auto& node : graph.nodes) {
    for (const auto& attr : node.attrs)
      if (const auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub)
        CollectViolations(**sub, opset, types, found);
    if (!node.domain.empty() && node.domain != "ai.onnx") continue;
    if (!node.origin) continue;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      auto t = node.inputs[i].empty() ? types.end() : types.find(node.inputs[i]);
      if (t == types.end() || t->second.dtype == DType::kUndefined) continue;
      std::string type = OnnxTypeString(t->second.dtype);
      if (AcceptsInputType(node.op_type, "", opset, i, type).value_or(true)) continue;
      found.insert({node.origin, node.op_type, type, opset, i});
    }
  }
}

std::string Describe(const Violation& v) {
  std::string dtype = v.type.substr(7, v.type.size() - 8);
  for (int later = v.model_opset + 1; later <= kMaxOpset; ++later)
    if (AcceptsInputType(v.op_type, "", later, v.input, v.type).value_or(false))
      return "ONNX " + v.op_type + " takes " + dtype + " only from opset " + std::to_string(later) + " (this is opset " +
             std::to_string(v.model_opset) + "): convert with --opset " + std::to_string(later) + " or later";
  return "ONNX " + v.op_type + " takes no " + dtype + " input at opsets " + std::to_string(v.model_opset) + "-" +
         std::to_string(kMaxOpset) + ", and " + dtype + " is what this op computes in";
}

// Inputs an ONNX schema binds to one type parameter ("T" of Add's A and B, of a
// homogeneous variadic) must share a dtype. ONNX's shape inference, run without type
// checking, takes the first input's; the mismatch would surface only in the checker.
void CollectMismatches(const onnx::OnnxGraph& graph, int opset, const std::map<std::string, optimize::ValueType>& types,
                       std::vector<NodeIssue>& found, std::set<std::pair<const ir::Node*, std::string>>& seen) {
  for (const auto& node : graph.nodes) {
    for (const auto& attr : node.attrs)
      if (const auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub)
        CollectMismatches(**sub, opset, types, found, seen);
    if ((!node.domain.empty() && node.domain != "ai.onnx") || !node.origin) continue;
    const ::onnx::OpSchema* schema = ::onnx::OpSchemaRegistry::Schema(node.op_type, opset, "");
    if (!schema || schema->inputs().empty()) continue;
    const auto& formals = schema->inputs();
    std::map<std::string, std::pair<size_t, DType>> first_of_parameter;  // type parameter -> first input bound to it
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      if (i >= formals.size() && formals.back().GetOption() != ::onnx::OpSchema::Variadic) break;
      const auto& formal = formals[std::min(i, formals.size() - 1)];
      if (i >= formals.size() - 1 && formal.GetOption() == ::onnx::OpSchema::Variadic && !formal.GetIsHomogeneous())
        continue;
      const std::string& parameter = formal.GetTypeStr();
      if (!schema->typeConstraintMap().count(parameter)) continue;  // a fixed type such as tensor(int64)
      auto t = node.inputs[i].empty() ? types.end() : types.find(node.inputs[i]);
      if (t == types.end() || t->second.dtype == DType::kUndefined) continue;
      auto [first, inserted] = first_of_parameter.emplace(parameter, std::make_pair(i, t->second.dtype));
      if (inserted || first->second.second == t->second.dtype) continue;
      if (!seen.insert({node.origin, node.op_type}).second) break;
      found.push_back({node.origin->Key(),
                       "ONNX " + node.op_type + " was built with " + std::string(DTypeName(first->second.second)) +
                           " input " + std::to_string(first->second.first) + " and " +
                           std::string(DTypeName(t->second.dtype)) + " input " + std::to_string(i) +
                           ", which its type " + parameter +
                           " makes one type: a defect of this op's translator (please report it)",
                       node.origin->location, node.origin->debug_text});
      break;
    }
  }
}

}  // namespace

std::vector<NodeIssue> FindInconsistentInputTypes(const onnx::OnnxModel& model,
                                                  const std::map<std::string, optimize::ValueType>& types) {
  std::vector<NodeIssue> issues;
  std::set<std::pair<const ir::Node*, std::string>> seen;
  CollectMismatches(model.graph, model.opset, types, issues, seen);
  return issues;
}

std::vector<NodeIssue> FindTypeConstraintViolations(const onnx::OnnxModel& model,
                                                    const std::map<std::string, optimize::ValueType>& types) {
  std::set<Violation> found;
  CollectViolations(model.graph, model.opset, types, found);
  std::vector<NodeIssue> issues;
  for (const auto& v : found)
    issues.push_back({v.origin->Key(), Describe(v), v.origin->location, v.origin->debug_text});
  return issues;
}

}  // namespace t2o
