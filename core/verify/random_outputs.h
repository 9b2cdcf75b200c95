// Which outputs of an ONNX model depend on its random ops (RandomUniform*, RandomNormal*,
// Multinomial, Bernoulli): PyTorch draws other values, so verification can only compare
// their shape, dtype and value range.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/onnx/model.h"

namespace t2o {

// The names of every value computed from a random op (top level and subgraphs).
std::set<std::string> ValuesDependingOnRandomOps(const onnx::OnnxGraph& graph);
// One flag per graph output; a node with a subgraph counts as random when anything in it is.
std::vector<bool> OutputsDependingOnRandomOps(const onnx::OnnxGraph& graph);

}  // namespace t2o
