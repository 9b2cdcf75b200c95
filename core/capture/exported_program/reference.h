// Runs a captured ExportedProgram with libtorch: every node of our IR is executed by the
// ATen operator of the same name and overload (through the JIT operator registry), so the
// reference outputs for --verify come from PyTorch's own kernels.
#pragma once

#include <memory>

#include "core/capture/capture.h"

namespace t2o {

// `graph` must outlive the returned runner (both live in one CapturedProgram). Part of
// libt2o_torch.so; the rest of the program reaches it through MakeLazyIrReference.
std::unique_ptr<ReferenceModel> MakeLibtorchIrReference(const ir::Graph& graph);

}  // namespace t2o
