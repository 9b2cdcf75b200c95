// PyTorch lets ops that work along a dim take a 0-d tensor as if it were a 1-element vector
// (torch.cumsum(s, 0), s.gather(0, i), s.max(dim=-1), s.scatter_add(0, i, v), ...); ONNX's
// axis-taking ops need rank >= 1. This pass reshapes the 0-d operands of such nodes to [1]
// and their 0-d results back to [], so every translator sees rank >= 1. Runs on the IR of
// both capture paths, after functionalization.
#pragma once

#include "core/ir/ir.h"

namespace t2o::ir {

void VectorizeScalarDimOps(Graph& graph);

}  // namespace t2o::ir
