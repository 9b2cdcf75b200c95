// Dead-code elimination: nodes none of whose outputs reach a graph output (directly or
// through what a subgraph captures), then initializers nothing reads.
#include <set>

#include "core/optimize/passes.h"

namespace t2o::optimize {

bool EliminateDeadCode(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats) {
  std::set<std::string> live;
  for (const auto& out : graph.outputs) live.insert(out.name);
  std::vector<bool> keep(graph.nodes.size(), false);
  for (size_t i = graph.nodes.size(); i-- > 0;) {
    const onnx::OnnxNode& node = graph.nodes[i];
    bool needed = false;
    for (const auto& out : node.outputs) needed = needed || live.count(out);
    if (!needed) continue;
    keep[i] = true;
    for (const auto& name : NodeReads(node)) live.insert(name);
  }
  bool changed = false;
  std::vector<bool> remove(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    remove[i] = !keep[i];
    if (keep[i]) continue;
    stats.counts[graph.nodes[i].op_type]++;
    stats.nodes_removed++;
    changed = true;
  }
  EraseNodes(graph, remove);
  // Initializers live in the main graph; the main graph's pass runs after every
  // subgraph's, and reads from subgraphs count through NodeReads.
  if (&graph == ctx.main_graph) {
    std::vector<onnx::Initializer> used;
    for (auto& init : graph.initializers) {
      if (live.count(init.name)) {
        used.push_back(std::move(init));
        continue;
      }
      stats.counts[init.is_weight ? "unused weight" : "unused constant"]++;
      stats.initializers_removed++;
      changed = true;
    }
    graph.initializers = std::move(used);
  }
  std::set<std::string> defined;
  for (const auto& node : graph.nodes) defined.insert(node.outputs.begin(), node.outputs.end());
  std::vector<onnx::ValueInfo> info;
  for (auto& vi : graph.value_info)
    if (defined.count(vi.name)) info.push_back(std::move(vi));
  graph.value_info = std::move(info);
  return changed;
}

}  // namespace t2o::optimize
