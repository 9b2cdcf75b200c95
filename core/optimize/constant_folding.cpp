// Constant folding: a node whose inputs are all constants becomes a constant (its output
// keeps its name, so readers are untouched). Shape/Size of values with static types fold
// too, and Gather of static dims out of a Shape even when other dims are symbolic.
#include <algorithm>
#include <list>

#include "core/optimize/evaluator.h"
#include "core/optimize/passes.h"

namespace t2o::optimize {
namespace {

bool HasSubgraph(const onnx::OnnxNode& node) {
  return std::any_of(node.attrs.begin(), node.attrs.end(), [](const onnx::Attr& a) {
    return std::holds_alternative<std::shared_ptr<onnx::OnnxGraph>>(a.value);
  });
}

TensorData Int64s(std::vector<int64_t> values, std::vector<int64_t> shape) {
  return TensorData::FromVector<int64_t>(DType::kInt64, std::move(shape), std::move(values));
}

// Shape/Size of a value whose type is static; Gather of static dims from a Shape.
std::optional<TensorData> FoldFromTypes(const onnx::OnnxNode& node, const PassContext& ctx,
                                        const std::map<std::string, const onnx::OnnxNode*>& producers,
                                        const std::map<std::string, const TensorData*>& constants) {
  auto type_of = [&](const std::string& name) -> const ValueType* {
    auto it = ctx.types.find(name);
    return it == ctx.types.end() ? nullptr : &it->second;
  };
  if ((node.op_type == "Shape" || node.op_type == "Size") && !node.inputs.empty()) {
    const ValueType* t = type_of(node.inputs[0]);
    if (!t || !t->IsStatic()) return std::nullopt;
    auto shape = t->StaticShape();
    if (node.op_type == "Size") {
      int64_t n = 1;
      for (int64_t d : shape) n *= d;
      return Int64s({n}, {});
    }
    int64_t rank = static_cast<int64_t>(shape.size());
    const auto* start_attr = node.FindAttr("start");
    const auto* end_attr = node.FindAttr("end");
    int64_t start = start_attr ? std::get<int64_t>(start_attr->value) : 0;
    int64_t end = end_attr ? std::get<int64_t>(end_attr->value) : rank;
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    std::vector<int64_t> dims(shape.begin() + start, shape.begin() + end);
    int64_t n = static_cast<int64_t>(dims.size());
    return Int64s(dims, {n});
  }
  if (node.op_type == "Gather" && node.inputs.size() == 2) {
    auto producer = producers.find(node.inputs[0]);
    auto indices = constants.find(node.inputs[1]);
    if (producer == producers.end() || indices == constants.end()) return std::nullopt;
    const onnx::OnnxNode& shape_node = *producer->second;
    if (shape_node.op_type != "Shape" || shape_node.FindAttr("start") || shape_node.FindAttr("end")) return std::nullopt;
    const ValueType* t = type_of(shape_node.inputs[0]);
    if (!t || !t->shape) return std::nullopt;
    const TensorData& idx = *indices->second;
    if (idx.dtype != DType::kInt64 || idx.shape.size() > 1) return std::nullopt;
    int64_t rank = static_cast<int64_t>(t->shape->size());
    std::vector<int64_t> dims;
    for (int64_t i = 0; i < idx.numel(); ++i) {
      int64_t axis = idx.data<int64_t>()[i];
      if (axis < 0) axis += rank;
      if (axis < 0 || axis >= rank) return std::nullopt;
      const auto* d = std::get_if<int64_t>(&(*t->shape)[axis]);
      if (!d) return std::nullopt;
      dims.push_back(*d);
    }
    if (idx.shape.empty()) return Int64s(dims, {});
    int64_t n = static_cast<int64_t>(dims.size());
    return Int64s(dims, {n});
  }
  return std::nullopt;
}

}  // namespace

bool FoldConstants(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats) {
  std::map<std::string, const TensorData*> constants;
  // Weights are not constants here: they keep their original names (apply-weights and
  // users rely on them), may be graph inputs (--keep-initializers-as-inputs), and ONNX
  // Runtime folds what depends on them when it loads the model anyway.
  for (const auto* g : {ctx.main_graph, &graph})
    for (const auto& init : g->initializers)
      if (!init.is_weight) constants[init.name] = &init.data;
  std::map<std::string, int> reads;
  for (const auto& node : graph.nodes)
    for (const auto& name : NodeReads(node)) reads[name]++;
  for (const auto& out : graph.outputs) reads[out.name]++;
  std::map<std::string, const onnx::OnnxNode*> producers;
  for (const auto& node : graph.nodes)
    for (const auto& out : node.outputs) producers[out] = &node;

  std::list<onnx::Initializer> folded;  // stable addresses; appended to the main graph at the end
  std::vector<bool> fold(graph.nodes.size(), false);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const onnx::OnnxNode& node = graph.nodes[i];
    bool output_is_graph_output = std::any_of(node.outputs.begin(), node.outputs.end(),
                                              [&](const std::string& o) { return IsGraphOutput(graph, o); });
    std::optional<std::vector<TensorData>> results;
    if (!output_is_graph_output && node.domain.empty() && !HasSubgraph(node)) {
      if (auto from_types = FoldFromTypes(node, ctx, producers, constants)) {
        results = std::vector<TensorData>{*from_types};
      } else if (CanEvaluate(node.op_type)) {
        std::vector<const TensorData*> inputs;
        bool all_constant = true;
        size_t large_shared_inputs = 0;
        for (const auto& in : node.inputs) {
          if (in.empty()) {
            inputs.push_back(nullptr);
            continue;
          }
          auto c = constants.find(in);
          if (c == constants.end()) {
            all_constant = false;
            break;
          }
          inputs.push_back(c->second);
          if (c->second->nbytes > ctx.options.max_folded_bytes && reads[in] > 1) ++large_shared_inputs;
        }
        if (all_constant && !inputs.empty() && large_shared_inputs == 0) {
          results = Evaluate(node, inputs);
          // A large result is only worth it when it replaces the inputs it came from.
          if (results) {
            size_t bytes = 0, input_bytes = 0;
            for (const auto& r : *results) bytes += r.nbytes;
            for (const auto* in : inputs) input_bytes += in ? in->nbytes : 0;
            if (bytes > ctx.options.max_folded_bytes && bytes > input_bytes) results.reset();
          }
        }
      }
    }
    if (!results) continue;
    fold[i] = true;
    for (size_t k = 0; k < node.outputs.size(); ++k) {
      const TensorData& data = (*results)[k];
      folded.push_back(onnx::Initializer{node.outputs[k], data, {}, false});
      constants[node.outputs[k]] = &folded.back().data;  // chains fold in one pass
      ctx.types[node.outputs[k]] = ValueType{data.dtype, std::vector<ir::Dim>(data.shape.begin(), data.shape.end())};
    }
    stats.counts[node.op_type]++;
    stats.nodes_removed++;
  }
  if (folded.empty()) return false;
  EraseNodes(graph, fold);
  stats.initializers_added += static_cast<int>(folded.size());
  for (auto& init : folded) ctx.main_graph->initializers.push_back(std::move(init));
  return true;
}

}  // namespace t2o::optimize
