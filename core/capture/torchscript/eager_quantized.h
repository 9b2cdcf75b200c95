// Eager-mode quantized TorchScript (torch.ao.quantization prepare/convert, quantize_dynamic)
// lowered to QDQ form before capture: quantized tensors become float tensors holding their
// dequantized values, each quantized op the float op between quantized_decomposed
// quantize/dequantize pairs (translators/quantized/qdq.cpp writes them as
// QuantizeLinear/DequantizeLinear), and the weights in packed parameter objects
// (Conv2dPackedParamsBase, LinearPackedParamsBase) integer tensors with their scales and
// zero points, dequantized in the graph. PyTorch's integer kernels round the accumulated
// sums once; the float form rounds at the same places but not always to the same integer,
// so results agree within one quantization step.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/capture/torchscript/common.h"
#include "core/ir/ir.h"

namespace t2o::torchscript {

struct UnpackedWeight {
  std::string fqn;  // "conv.weight", "conv.weight_scale", "fc.bias"
  at::Tensor tensor;
  ir::InputKind kind;
  jit::Value* value;  // the new graph input
};

struct EagerQuantization {
  std::vector<UnpackedWeight> weights;
  // The dequantized results of lowered ops with their quantization step (the scale):
  // outputs among them are verified within one step.
  std::unordered_map<const jit::Value*, double> steps;
  bool lowered = false;
};

// Runs on the inlined forward graph while `self` is still its input 0. Throws ExportError
// listing every quantized op it has no lowering for.
EagerQuantization LowerEagerQuantized(const std::shared_ptr<jit::Graph>& graph, const jit::Module& module);

}  // namespace t2o::torchscript
