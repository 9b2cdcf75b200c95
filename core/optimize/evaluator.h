// Evaluates a small set of ONNX ops on constant tensors, for constant folding. Integers
// and bools are computed in int64 and floats in double, then stored in the op's dtype.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/onnx/model.h"

namespace t2o::optimize {

bool CanEvaluate(const std::string& op_type);

// The node's outputs, or nullopt when an input or attribute combination is not handled.
std::optional<std::vector<TensorData>> Evaluate(const onnx::OnnxNode& node, const std::vector<const TensorData*>& inputs);

}  // namespace t2o::optimize
