#include "core/optimize/optimizer.h"

#include "core/optimize/passes.h"

namespace t2o::optimize {
namespace {

struct Pass {
  const char* name;
  const char* verb;  // for the detail text
  bool (*run)(onnx::OnnxGraph&, PassContext&, PassStats&);
};

const Pass kPasses[] = {
    {"constant folding", "folded into constants", FoldConstants},
    {"no-op removal", "removed or collapsed", RemoveNoOps},
    {"common subexpression elimination", "merged with an equal one", EliminateCommonSubexpressions},
    {"dead code elimination", "removed as unused", EliminateDeadCode},
};

// Subgraphs first (their constants land in the main graph), then the graph itself.
bool OptimizeGraph(onnx::OnnxGraph& graph, PassContext& ctx, std::vector<PassStats>& stats) {
  bool changed = false;
  for (auto& node : graph.nodes)
    for (auto& attr : node.attrs)
      if (auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub)
        changed = OptimizeGraph(**sub, ctx, stats) || changed;
  for (size_t p = 0; p < std::size(kPasses); ++p) changed = kPasses[p].run(graph, ctx, stats[p]) || changed;
  return changed;
}

}  // namespace

std::string CountsText(const std::map<std::string, int>& counts) {
  std::string text;
  for (const auto& [what, n] : counts) text += (text.empty() ? "" : ", ") + what + " " + std::to_string(n);
  return text;
}

OptimizeResult OptimizeModel(onnx::OnnxModel& model, const OptimizeOptions& options) {
  OptimizeResult result;
  result.nodes_before = onnx::CountNodes(model.graph);
  std::map<std::string, ValueType> types = InferTypes(model);
  PassContext ctx{options, types, &model.graph};
  std::vector<PassStats> stats(std::size(kPasses));
  for (size_t p = 0; p < stats.size(); ++p) stats[p].pass = kPasses[p].name;
  while (result.rounds < options.max_rounds) {
    ++result.rounds;
    if (!OptimizeGraph(model.graph, ctx, stats)) break;
  }
  for (size_t p = 0; p < stats.size(); ++p) {
    PassStats& s = stats[p];
    int initializers = s.initializers_added + s.initializers_removed;
    if (s.counts.empty() && initializers == 0) {
      s.detail = "nothing to do";
    } else {
      s.detail = std::string(kPasses[p].verb) + ": " + CountsText(s.counts);
    }
    result.passes.push_back(std::move(s));
  }
  result.nodes_after = onnx::CountNodes(model.graph);
  return result;
}

}  // namespace t2o::optimize
