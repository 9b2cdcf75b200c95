// Shared pieces of the TorchScript capture (files in this folder include libtorch).
#pragma once

#include <torch/csrc/jit/ir/ir.h>
#include <torch/script.h>

#include <string>

#include "core/capture/input_spec.h"

namespace t2o::torchscript {

namespace jit = torch::jit;

// libtorch messages often start with a blank line and end with a C++ backtrace.
std::string FirstLine(const std::string& text);
inline std::string ErrorLine(const c10::Error& e) { return FirstLine(e.what_without_backtrace()); }

// A block that raises (scripted `raise ...`, argument checks): its other statements never
// matter, since the example inputs did not take it.
inline bool BlockRaises(const jit::Block* block) {
  for (const jit::Node* n : block->nodes())
    if (n->kind() == c10::prim::RaiseException) return true;
  return false;
}

}  // namespace t2o::torchscript
