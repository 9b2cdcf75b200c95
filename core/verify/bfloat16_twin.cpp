#include "core/verify/bfloat16_twin.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/optimize/graph_view.h"

namespace t2o {
namespace {

constexpr int64_t kOnnxFloat = 1, kOnnxBFloat16 = 16;

// Ops that move or select values without computing new ones: their results are already
// bfloat16 values when their inputs are.
const std::set<std::string>& ValuePreservingOps() {
  static const std::set<std::string> ops = {
      "Identity", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "Slice", "Gather", "GatherElements",
      "GatherND", "Concat", "Expand", "Split", "Tile", "Pad", "Where", "Max", "Min", "Relu", "Neg", "Abs",
      "ReduceMax", "ReduceMin", "ScatterElements", "ScatterND", "Constant", "DepthToSpace", "SpaceToDepth",
      "MaxPool", "TopK", "Sign", "Trilu", "Compress", "ReverseSequence", "Shape", "Size"};
  return ops;
}

bool UsesBFloat16(const onnx::OnnxGraph& graph) {
  for (const auto* list : {&graph.inputs, &graph.outputs, &graph.value_info})
    for (const auto& v : *list)
      if (v.dtype == DType::kBFloat16) return true;
  for (const auto& init : graph.initializers)
    if (init.data.dtype == DType::kBFloat16) return true;
  for (const auto& node : graph.nodes)
    for (const auto& attr : node.attrs) {
      if (const auto* t = std::get_if<TensorData>(&attr.value); t && t->dtype == DType::kBFloat16) return true;
      if (const auto* v = std::get_if<int64_t>(&attr.value); v && *v == kOnnxBFloat16 && (attr.name == "to" || attr.name == "dtype"))
        return true;
      if (const auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub && UsesBFloat16(**sub))
        return true;
    }
  return false;
}

void Widen(std::vector<onnx::ValueInfo>& values) {
  for (auto& v : values)
    if (v.dtype == DType::kBFloat16) v.dtype = DType::kFloat32;
}

onnx::OnnxNode CastNode(const std::string& in, const std::string& out, int64_t to) {
  onnx::OnnxNode cast;
  cast.op_type = "Cast";
  cast.name = "node_" + out + (to == kOnnxFloat ? "__widened" : "__rounded");
  cast.inputs = {in};
  cast.outputs = {out};
  cast.attrs = {{"to", to}};
  return cast;
}

std::shared_ptr<onnx::OnnxGraph> TwinGraph(const onnx::OnnxGraph& graph,
                                           const std::map<std::string, optimize::ValueType>& types) {
  auto twin = std::make_shared<onnx::OnnxGraph>(graph);
  Widen(twin->inputs);
  Widen(twin->outputs);
  Widen(twin->value_info);
  for (auto& init : twin->initializers) init.data = BFloat16AsFloat32(init.data);
  std::vector<onnx::OnnxNode> nodes;
  nodes.reserve(graph.nodes.size());
  for (onnx::OnnxNode node : graph.nodes) {
    for (auto& attr : node.attrs) {
      if (auto* t = std::get_if<TensorData>(&attr.value)) *t = BFloat16AsFloat32(*t);
      if (auto* v = std::get_if<int64_t>(&attr.value); v && *v == kOnnxBFloat16 && (attr.name == "to" || attr.name == "dtype"))
        *v = kOnnxFloat;
      if (auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub) *sub = TwinGraph(**sub, types);
    }
    std::vector<onnx::OnnxNode> rounding;
    bool preserves = ValuePreservingOps().count(node.op_type) && node.domain.empty();
    for (auto& out : node.outputs) {
      auto t = types.find(out);
      if (out.empty() || preserves || t == types.end() || t->second.dtype != DType::kBFloat16) continue;
      std::string exact = out + "__float32", rounded = out + "__bfloat16";
      rounding.push_back(CastNode(exact, rounded, kOnnxBFloat16));
      rounding.push_back(CastNode(rounded, out, kOnnxFloat));
      out = exact;
    }
    nodes.push_back(std::move(node));
    for (auto& r : rounding) nodes.push_back(std::move(r));
  }
  twin->nodes = std::move(nodes);
  return twin;
}

}  // namespace

bool UsesBFloat16(const onnx::OnnxModel& model) { return UsesBFloat16(model.graph); }

onnx::OnnxModel BFloat16Twin(const onnx::OnnxModel& model) {
  onnx::OnnxModel twin = model;
  twin.graph = *TwinGraph(model.graph, optimize::InferTypes(model));
  return twin;
}

TensorData BFloat16AsFloat32(const TensorData& t) {
  if (t.dtype != DType::kBFloat16) return t;
  std::vector<uint32_t> bits(static_cast<size_t>(t.numel()));
  const auto* src = t.data<uint16_t>();
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint32_t>(src[i]) << 16;
  return TensorData::FromVector(DType::kFloat32, t.shape, std::move(bits));
}

TensorData Float32AsBFloat16(const TensorData& t) {
  if (t.dtype != DType::kFloat32) return t;
  std::vector<double> values(static_cast<size_t>(t.numel()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = t.data<float>()[i];
  return TensorData::FromDoubles(DType::kBFloat16, t.shape, values);
}

}  // namespace t2o
