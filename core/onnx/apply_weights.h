// The counterpart of ONNXProgram.apply_weights for models written with
// --no-export-params: fills the weight inputs of such a model with weights taken from the
// original model, as initializers.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/ir/tensor_data.h"

namespace t2o::onnx {

struct ApplyWeightsResult {
  int applied = 0;
  std::vector<std::string> unused_weights;  // weights of the model the ONNX graph does not read
  size_t model_bytes = 0;
};

// Reads `onnx_path`, turns every graph input named like a weight into an initializer
// (kept as an input as well when `keep_as_inputs`), checks the result and writes it
// atomically to `output_path`. A weight input without a weight, or with a weight of
// another dtype or shape, is an error naming it.
ApplyWeightsResult ApplyWeights(const std::string& onnx_path,
                                const std::vector<std::pair<std::string, TensorData>>& weights,
                                const std::string& output_path, bool keep_as_inputs);

}  // namespace t2o::onnx
