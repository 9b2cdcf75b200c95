// No-op removal: Identity; Cast to the type it already has; Reshape/Expand to the shape
// it already has; identity Transposes; Transpose∘Transpose composed; Cast chains through
// a type that loses nothing collapsed.
#include <algorithm>
#include <numeric>

#include "core/optimize/passes.h"

namespace t2o::optimize {
namespace {

const ValueType* TypeOf(const PassContext& ctx, const std::string& name) {
  auto it = ctx.types.find(name);
  return it == ctx.types.end() ? nullptr : &it->second;
}

const TensorData* ConstantOf(const onnx::OnnxGraph& graph, const PassContext& ctx, const std::string& name) {
  for (const auto* g : {&graph, static_cast<const onnx::OnnxGraph*>(ctx.main_graph)})
    for (const auto& init : g->initializers)
      if (init.name == name) return &init.data;
  return nullptr;
}

std::vector<int64_t> PermAttr(const onnx::OnnxNode& node, size_t rank) {
  if (const auto* a = node.FindAttr("perm")) return std::get<std::vector<int64_t>>(a->value);
  std::vector<int64_t> perm(rank);
  std::iota(perm.rbegin(), perm.rend(), 0);
  return perm;
}

bool IsIdentityPerm(const std::vector<int64_t>& perm) {
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int64_t>(i)) return false;
  return true;
}

// Casting `from` -> `via` loses nothing.
bool Widens(DType from, DType via) {
  if (from == via) return true;
  switch (from) {
    case DType::kBool: return via != DType::kUndefined;
    case DType::kUInt8: return via == DType::kInt16 || via == DType::kInt32 || via == DType::kInt64 || IsFloating(via);
    case DType::kInt8: return via == DType::kInt16 || via == DType::kInt32 || via == DType::kInt64 || IsFloating(via);
    case DType::kInt16: return via == DType::kInt32 || via == DType::kInt64 || via == DType::kFloat32 || via == DType::kFloat64;
    case DType::kInt32: return via == DType::kInt64 || via == DType::kFloat64;
    case DType::kFloat16: return via == DType::kFloat32 || via == DType::kFloat64;
    case DType::kBFloat16: return via == DType::kFloat32 || via == DType::kFloat64;
    case DType::kFloat32: return via == DType::kFloat64;
    default: return false;
  }
}

// The output shape of Reshape(x, shape) when x's type is static.
std::optional<std::vector<int64_t>> ReshapeResult(const std::vector<int64_t>& in, const TensorData& shape_data, bool allowzero) {
  std::vector<int64_t> shape(shape_data.data<int64_t>(), shape_data.data<int64_t>() + shape_data.numel());
  int64_t known = 1, infer = -1, total = 1;
  for (int64_t d : in) total *= d;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0 && !allowzero) {
      if (d >= in.size()) return std::nullopt;
      shape[d] = in[d];
    }
    if (shape[d] == -1) infer = static_cast<int64_t>(d); else known *= shape[d];
  }
  if (infer >= 0) {
    if (known == 0) return std::nullopt;
    shape[infer] = total / known;
  }
  return shape;
}

}  // namespace

bool RemoveNoOps(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats) {
  bool changed = false;
  std::map<std::string, int> reads;
  for (const auto& node : graph.nodes)
    for (const auto& name : NodeReads(node)) reads[name]++;
  std::map<std::string, onnx::OnnxNode*> producers;
  for (auto& node : graph.nodes)
    for (const auto& out : node.outputs) producers[out] = &node;

  std::vector<bool> remove(graph.nodes.size(), false);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    onnx::OnnxNode& node = graph.nodes[i];
    if (!node.domain.empty() || node.outputs.size() != 1 || node.inputs.empty() || node.inputs[0].empty()) continue;
    const std::string& in = node.inputs[0];
    const std::string& out = node.outputs[0];
    const ValueType* in_type = TypeOf(ctx, in);
    bool no_op = false;
    if (node.op_type == "Identity") {
      no_op = true;
    } else if (node.op_type == "Cast") {
      DType to = DTypeFromOnnx(static_cast<int>(std::get<int64_t>(node.FindAttr("to")->value)));
      no_op = in_type && in_type->dtype == to;
      // Cast(Cast(x, via), to) where x -> via loses nothing: Cast(x, to), or x itself.
      auto inner = producers.find(in);
      if (!no_op && inner != producers.end() && inner->second->op_type == "Cast" && inner->second->domain.empty()) {
        const ValueType* x_type = TypeOf(ctx, inner->second->inputs[0]);
        DType via = DTypeFromOnnx(static_cast<int>(std::get<int64_t>(inner->second->FindAttr("to")->value)));
        if (x_type && Widens(x_type->dtype, via)) {
          node.inputs[0] = inner->second->inputs[0];
          stats.counts["Cast chain"]++;
          changed = true;
          no_op = x_type->dtype == to;
        }
      }
    } else if (node.op_type == "Reshape" && node.inputs.size() == 2) {
      const TensorData* shape = ConstantOf(graph, ctx, node.inputs[1]);
      if (in_type && in_type->IsStatic() && shape && shape->dtype == DType::kInt64) {
        const auto* allowzero = node.FindAttr("allowzero");
        auto result = ReshapeResult(in_type->StaticShape(), *shape, allowzero && std::get<int64_t>(allowzero->value));
        no_op = result && *result == in_type->StaticShape();
      }
    } else if (node.op_type == "Expand" && node.inputs.size() == 2) {
      const TensorData* shape = ConstantOf(graph, ctx, node.inputs[1]);
      if (in_type && in_type->IsStatic() && shape && shape->dtype == DType::kInt64) {
        auto in_shape = in_type->StaticShape();
        std::vector<int64_t> target(shape->data<int64_t>(), shape->data<int64_t>() + shape->numel());
        no_op = target.size() <= in_shape.size() &&
                std::all_of(target.begin(), target.end(), [](int64_t d) { return d == 1; });
        no_op = no_op || target == in_shape;
      }
    } else if (node.op_type == "Transpose" && in_type && in_type->shape) {
      auto perm = PermAttr(node, in_type->shape->size());
      no_op = IsIdentityPerm(perm);
      auto inner = producers.find(in);
      if (!no_op && inner != producers.end() && inner->second->op_type == "Transpose" && reads[in] == 1) {
        const ValueType* x_type = TypeOf(ctx, inner->second->inputs[0]);
        if (x_type && x_type->shape) {
          auto inner_perm = PermAttr(*inner->second, x_type->shape->size());
          std::vector<int64_t> composed;
          for (int64_t p : perm) composed.push_back(inner_perm[p]);
          node.inputs[0] = inner->second->inputs[0];
          node.attrs = {{"perm", composed}};
          stats.counts["Transpose pair"]++;
          changed = true;
          no_op = IsIdentityPerm(composed);
        }
      }
    }
    if (!no_op) continue;
    const std::string source = node.inputs[0];
    // Keep a graph output that would otherwise be a graph input or initializer.
    if (!Substitute(graph, out, source)) continue;
    remove[i] = true;
    stats.counts[node.op_type]++;
    stats.nodes_removed++;
    changed = true;
  }
  if (!changed) return false;
  EraseNodes(graph, remove);
  return true;
}

}  // namespace t2o::optimize
