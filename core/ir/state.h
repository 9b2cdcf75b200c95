// Model state: tensors a forward() call reads and replaces for the next call (a streaming
// model's frame buffer, a decoder's cache) — buffers written in place or torch.export's
// BUFFER_MUTATION outputs, and TorchScript's prim::SetAttr of tensor attributes. ONNX has
// no state, so each becomes an input `state.<name>` (its value before the call) and an
// output `state.<name>.out` (its value after); the caller feeds one call's outputs to the
// next call.
#pragma once

#include <string>
#include <vector>

#include "core/ir/ir.h"

namespace t2o::ir {

inline std::string StateInputName(const std::string& name) { return "state." + name; }
inline std::string StateOutputName(const std::string& name) { return "state." + name + ".out"; }

struct StateBuffer {
  std::string fqn;  // "frames", "encoder.cache"
  TensorData initial;
};

// Turns every weight input that a BUFFER_MUTATION output updates into a user input named
// StateInputName(fqn), placed after the other user inputs (translation names the output
// StateOutputName(fqn)). Returns them in input order, with their values in the file, which
// become the example inputs.
std::vector<StateBuffer> LiftStateBuffers(Graph& graph);

}  // namespace t2o::ir
