// Functionalization: in-place ops, and writes through views, become pure ops.
//
// Both capture paths can leave mutation in the IR: torch.export's default (training) IR
// and TorchScript graphs keep `y[1:3] = v` as `slice` + `copy_`, which writes into `y`.
// ONNX has no aliasing, so this pass rewrites every in-place node into its functional op
// and, when the written value is a view, scatters the new view back into its base
// (slice -> slice_scatter, select -> select_scatter, reshapes/transposes undone); later
// readers of the base, or of other views of it, then read the new value. A weight input
// written in place gets a BUFFER_MUTATION output holding its final content. Runs on the IR
// both capture paths produce, before translation (and before the .pt2 reference run).
#pragma once

#include "core/ir/ir.h"

namespace t2o::ir {

// Throws UnsupportedError for writes it cannot express exactly (through a view made by an
// op without a known inverse, into a list element of split/unbind, or from inside control
// flow into a view defined outside it), naming the op and its source location.
void Functionalize(Graph& graph);

}  // namespace t2o::ir
