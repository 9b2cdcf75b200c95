// Output comparison between the PyTorch reference and ONNX Runtime.
#pragma once

#include <string>
#include <vector>

#include "core/ir/tensor_data.h"

namespace t2o {

struct Tolerance {
  double atol = 1e-4;
  double rtol = 1e-3;
  bool given = false;  // by the user: then it holds for every dtype
  // The tolerance for outputs of `dtype`: half-precision outputs carry their rounding
  // through every layer, so by default they get wider bounds (float16 1e-2, bfloat16 5e-2).
  Tolerance For(DType dtype) const;
};

struct OutputComparison {
  std::string name;
  std::string expected_type;  // "float32[1, 1000]"
  std::string actual_type;
  double max_abs_diff = 0;
  double max_rel_diff = 0;  // |a - e| / (|e| + 1e-7), as torch.onnx reports it
  double expected_abs_max = 0;  // magnitude of the reference output
  int64_t mismatched = 0;       // elements outside atol + rtol * |expected|
  double atol = 0, rtol = 0;    // the tolerance applied (Tolerance::For the output's dtype)
  int64_t numel = 0;
  bool shape_matches = true;
  bool random = false;  // depends on random ops: compared by CompareRandomTensors
  bool passed = true;
  std::string note;
};

OutputComparison CompareTensors(const std::string& name, const TensorData& expected,
                                const TensorData& actual, const Tolerance& tol);

// For an output that depends on random ops, whose values PyTorch and ONNX Runtime draw
// differently: the same shape and dtype, finite wherever the reference is, and every value
// within the reference's [min, max] widened on either side by three times its width (or
// its magnitude, if larger): a check for gross errors, not for the distribution.
OutputComparison CompareRandomTensors(const std::string& name, const TensorData& expected, const TensorData& actual);

std::string TypeString(const TensorData& t);

}  // namespace t2o
