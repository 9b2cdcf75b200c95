// ONNX Runtime's CPU provider has no bfloat16 kernels for arithmetic (Add, MatMul, Conv,
// Softmax, ...), so a bfloat16 model cannot run there as written. It is verified through
// its float32 twin: the same graph with float32 tensors in which every computed result is
// rounded to bfloat16 (Cast to bfloat16 and back), as PyTorch's CPU kernels compute in
// float32 and round each op's result. The written model stays bfloat16.
#pragma once

#include "core/ir/tensor_data.h"
#include "core/onnx/model.h"

namespace t2o {

bool UsesBFloat16(const onnx::OnnxModel& model);

onnx::OnnxModel BFloat16Twin(const onnx::OnnxModel& model);

// bfloat16 -> float32 (exact) and float32 -> bfloat16 (nearest even); other tensors as they are.
TensorData BFloat16AsFloat32(const TensorData& t);
TensorData Float32AsBFloat16(const TensorData& t);

}  // namespace t2o
