// Test harness: builds a tiny TorchScript model with libtorch (no Python), converts it
// with the real pipeline, runs it in ONNX Runtime and compares with libtorch.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/pipeline.h"

namespace t2o::testing {

struct TinyModel {
  std::string forward;  // TorchScript source of `def forward(self, ...)`
  std::vector<std::pair<std::string, std::vector<int64_t>>> params;  // random parameters
  std::vector<TensorSpec> inputs;                                     // flattened example inputs
};

struct VerifyOptions {
  // 0: at the lowest and the highest opset of every form (registered opset range) of every
  // op the model uses, wherever all its ops have a form; else exactly this opset.
  int opset = 0;
  Tolerance tolerance;
  bool require_nonzero_output = true;  // a comparison of zeros proves nothing
  std::string dynamic_shapes;                               // --dynamic-shapes
  std::vector<std::map<std::string, int64_t>> verify_dims;  // --verify-dims runs
};

// Saves the model to a temporary .pt and returns its path.
std::string SaveTinyModel(const TinyModel& model, const std::string& name);

// Converts with --verify; the result carries comparisons and errors (of the first opset
// that failed, named in the error).
ConvertResult ConvertTiny(const TinyModel& model, const std::string& name, const VerifyOptions& options = {});

// `def forward(self, x, y, ...)` with one argument per input; `body` is one expression
// (returned) or several lines separated by '\n'.
std::string ForwardSource(const std::string& body, size_t num_inputs);

using Params = std::vector<std::pair<std::string, std::vector<int64_t>>>;

// ConvertTiny for a forward body: the model is saved as `<prefix>_<name>.pt`.
ConvertResult RunBody(const std::string& prefix, const std::string& name, const std::string& body,
                      std::vector<TensorSpec> inputs, Params params = {}, VerifyOptions options = {});

VerifyOptions AtOpset(int opset);

TensorSpec Shape(std::vector<int64_t> shape, DType dtype = DType::kFloat32);
TensorSpec IntData(std::vector<int64_t> shape, std::vector<int64_t> values);
TensorSpec FloatData(std::vector<int64_t> shape, std::vector<float> values);

// Directory for test outputs (build/test-output, or its subdirectory `sub`), created.
std::string OutputDir(const std::string& sub = "");

// Counts ONNX nodes of a type in a written model (nested graphs included).
std::map<std::string, int> CountOps(const std::string& onnx_path);

}  // namespace t2o::testing

// Asserts conversion + verification succeeded, printing the error otherwise.
#define REQUIRE_VERIFIED(result)                                                   \
  do {                                                                             \
    const auto& r_ = (result);                                                     \
    INFO("error: " << r_.error);                                                   \
    REQUIRE(r_.ok);                                                                \
    REQUIRE(r_.verified);                                                          \
  } while (0)
