// The optimizer passes. Each rewrites one graph (subgraphs are visited by the driver),
// adds what it did to its PassStats, and returns whether it changed anything.
#pragma once

#include <map>
#include <string>

#include "core/optimize/graph_view.h"
#include "core/optimize/optimizer.h"

namespace t2o::optimize {

struct PassContext {
  const OptimizeOptions& options;
  std::map<std::string, ValueType>& types;  // kept up to date for new values
  // Folded constants go to the main graph's initializers (the writer keeps initializers
  // at the top level, where every subgraph can read them).
  onnx::OnnxGraph* main_graph = nullptr;
};

// Counts of op types, as "Shape 3, Gather 2".
std::string CountsText(const std::map<std::string, int>& counts);

bool FoldConstants(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats);
bool RemoveNoOps(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats);
bool EliminateCommonSubexpressions(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats);
bool EliminateDeadCode(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats);

}  // namespace t2o::optimize
