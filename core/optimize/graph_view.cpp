#include "core/optimize/graph_view.h"

#include <onnx/onnx_pb.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>

#include "core/onnx/writer.h"

namespace t2o::optimize {
namespace {

ValueType TypeOf(const ::onnx::TypeProto& type) {
  ValueType out;
  if (!type.has_tensor_type()) return out;
  out.dtype = DTypeFromOnnx(type.tensor_type().elem_type());
  if (!type.tensor_type().has_shape()) return out;
  std::vector<ir::Dim> dims;
  for (const auto& d : type.tensor_type().shape().dim()) {
    if (d.has_dim_value())
      dims.emplace_back(d.dim_value());
    else
      dims.emplace_back(d.has_dim_param() ? d.dim_param() : std::string("?"));
  }
  out.shape = std::move(dims);
  return out;
}

void Collect(const ::onnx::GraphProto& graph, std::map<std::string, ValueType>& types) {
  for (const auto* list : {&graph.input(), &graph.output(), &graph.value_info()})
    for (const auto& v : *list) types[v.name()] = TypeOf(v.type());
  for (const auto& init : graph.initializer()) {
    ValueType t;
    t.dtype = DTypeFromOnnx(init.data_type());
    t.shape = std::vector<ir::Dim>(init.dims().begin(), init.dims().end());
    types[init.name()] = t;
  }
  for (const auto& node : graph.node())
    for (const auto& attr : node.attribute()) {
      if (attr.has_g()) Collect(attr.g(), types);
      for (const auto& g : attr.graphs()) Collect(g, types);
    }
}

void CollectDefined(const onnx::OnnxGraph& graph, std::set<std::string>& defined) {
  for (const auto& in : graph.inputs) defined.insert(in.name);
  for (const auto& init : graph.initializers) defined.insert(init.name);
  for (const auto& node : graph.nodes) defined.insert(node.outputs.begin(), node.outputs.end());
}

// Names the subgraphs of `node` read from enclosing scopes (recursively).
void CollectNodeCaptures(const onnx::OnnxNode& node, std::set<std::string>& captured) {
  for (const auto& attr : node.attrs) {
    const auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value);
    if (!sub || !*sub) continue;
    std::set<std::string> inner;
    CollectDefined(**sub, inner);
    std::set<std::string> reads;
    for (const auto& n : (*sub)->nodes) {
      for (const auto& in : n.inputs)
        if (!in.empty()) reads.insert(in);
      CollectNodeCaptures(n, reads);
    }
    for (const auto& out : (*sub)->outputs) reads.insert(out.name);
    for (const auto& name : reads)
      if (!inner.count(name)) captured.insert(name);
  }
}

void CollectNames(const onnx::OnnxGraph& graph, std::set<std::string>& names) {
  CollectDefined(graph, names);
  for (const auto& node : graph.nodes)
    for (const auto& attr : node.attrs)
      if (const auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub)
        CollectNames(**sub, names);
}

}  // namespace

bool ValueType::IsStatic() const {
  if (!shape) return false;
  return std::all_of(shape->begin(), shape->end(), [](const ir::Dim& d) { return std::holds_alternative<int64_t>(d); });
}

std::vector<int64_t> ValueType::StaticShape() const {
  std::vector<int64_t> out;
  for (const auto& d : *shape) out.push_back(std::get<int64_t>(d));
  return out;
}

std::map<std::string, ValueType> InferTypes(const onnx::OnnxModel& model) {
  onnx::WriteOptions options;
  options.include_initializers = false;  // weights become typed inputs: no bytes copied
  options.keep_initializers_as_inputs = true;
  ::onnx::ModelProto proto;
  onnx::BuildModelProto(model, options, "", &proto);
  // Non-weight constants (small, or folded results) keep their values, from which
  // inference reads shapes given as tensors (Reshape, Expand, ...).
  try {
    ::onnx::ShapeInferenceOptions inference(/*check_type=*/false, /*strict_mode=*/0, /*data_prop=*/false);
    ::onnx::shape_inference::InferShapes(proto, ::onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception&) {
    // Partial types are still useful; passes skip values without a type.
  }
  std::map<std::string, ValueType> types;
  Collect(proto.graph(), types);
  return types;
}

std::set<std::string> CapturedNames(const onnx::OnnxGraph& graph) {
  std::set<std::string> captured;
  for (const auto& node : graph.nodes) CollectNodeCaptures(node, captured);
  return captured;
}

std::vector<std::string> NodeReads(const onnx::OnnxNode& node) {
  std::vector<std::string> reads;
  for (const auto& in : node.inputs)
    if (!in.empty()) reads.push_back(in);
  std::set<std::string> captured;
  CollectNodeCaptures(node, captured);
  reads.insert(reads.end(), captured.begin(), captured.end());
  return reads;
}

void ReplaceReads(onnx::OnnxGraph& graph, const std::string& from, const std::string& to) {
  for (auto& node : graph.nodes) {
    for (auto& in : node.inputs)
      if (in == from) in = to;
    for (auto& attr : node.attrs)
      if (auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub) {
        ReplaceReads(**sub, from, to);
        for (auto& out : (*sub)->outputs)
          if (out.name == from) out.name = to;
      }
  }
}

bool IsGraphOutput(const onnx::OnnxGraph& graph, const std::string& name) {
  return std::any_of(graph.outputs.begin(), graph.outputs.end(), [&](const onnx::ValueInfo& v) { return v.name == name; });
}

bool Substitute(onnx::OnnxGraph& graph, const std::string& value, const std::string& replacement) {
  if (!IsGraphOutput(graph, value)) {
    ReplaceReads(graph, value, replacement);
    return true;
  }
  // `value` must keep its name: rename `replacement` to it, if a node of this graph
  // produces it and it is not itself an output.
  if (IsGraphOutput(graph, replacement)) return false;
  onnx::OnnxNode* producer = nullptr;
  for (auto& node : graph.nodes)
    if (std::find(node.outputs.begin(), node.outputs.end(), replacement) != node.outputs.end()) producer = &node;
  if (!producer || CapturedNames(graph).count(replacement)) return false;
  for (auto& out : producer->outputs)
    if (out == replacement) out = value;
  // The old producer of `value` is about to be removed by the caller; readers of
  // `replacement` now read `value`.
  ReplaceReads(graph, replacement, value);
  for (auto& vi : graph.value_info)
    if (vi.name == replacement) vi.name = value;
  return true;
}

void EraseNodes(onnx::OnnxGraph& graph, const std::vector<bool>& remove) {
  std::vector<onnx::OnnxNode> kept;
  kept.reserve(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    if (!remove[i]) kept.push_back(std::move(graph.nodes[i]));
  graph.nodes = std::move(kept);
}

std::string UniqueName(const onnx::OnnxGraph& graph, const std::string& hint) {
  std::set<std::string> names;
  CollectNames(graph, names);
  if (!names.count(hint)) return hint;
  for (int i = 1;; ++i)
    if (!names.count(hint + "_" + std::to_string(i))) return hint + "_" + std::to_string(i);
}

}  // namespace t2o::optimize
