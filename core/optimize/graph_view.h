// Helpers the optimizer passes share: value types, uses, renaming across subgraphs.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/onnx/model.h"

namespace t2o::optimize {

struct ValueType {
  DType dtype = DType::kUndefined;
  std::optional<std::vector<ir::Dim>> shape;
  bool IsStatic() const;
  std::vector<int64_t> StaticShape() const;  // only when IsStatic()
};

// dtype and shape of every value ONNX shape inference can type, including values of
// subgraphs. Weights are declared as typed inputs, so no weight bytes are copied.
std::map<std::string, ValueType> InferTypes(const onnx::OnnxModel& model);

// Names read by nodes of `graph`'s subgraphs (recursively) that are not defined inside
// them: a pass must neither remove nor rename a value an inner graph captures.
std::set<std::string> CapturedNames(const onnx::OnnxGraph& graph);

// Every name a node reads (its inputs and what its subgraphs capture).
std::vector<std::string> NodeReads(const onnx::OnnxNode& node);

// Replaces every read of `from` by `to` in `graph` (and the subgraphs under it).
void ReplaceReads(onnx::OnnxGraph& graph, const std::string& from, const std::string& to);

bool IsGraphOutput(const onnx::OnnxGraph& graph, const std::string& name);

// Makes `replacement` take over `value`: readers of `value` read `replacement`. If
// `value` is a graph output, the node producing `replacement` is renamed instead (when
// that is possible); returns false when neither can be done safely.
bool Substitute(onnx::OnnxGraph& graph, const std::string& value, const std::string& replacement);

// Removes the nodes flagged in `remove` (parallel to graph.nodes), keeping the order.
void EraseNodes(onnx::OnnxGraph& graph, const std::vector<bool>& remove);

// A name not used anywhere in the graph yet.
std::string UniqueName(const onnx::OnnxGraph& graph, const std::string& hint);

}  // namespace t2o::optimize
