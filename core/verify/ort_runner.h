// Runs an ONNX model in ONNX Runtime through the Node.js runner (tools/ort_runner/run.js,
// onnxruntime-node) in a subprocess. Tensors travel as files in the ONNX test-data layout
// (DIR/input_<i>.pb, DIR/output_<k>.pb), which doubles as an artifact for users.
#pragma once

#include <string>
#include <vector>

#include "core/ir/tensor_data.h"

namespace t2o {

struct OrtRunResult {
  std::vector<std::string> output_names;
  std::vector<TensorData> outputs;
  double load_ms = 0;
  double run_ms = 0;
};

// Path of run.js: $T2O_ORT_RUNNER, else the source tree's tools/ort_runner/run.js.
std::string OrtRunnerScript();

// Throws ExportError with ONNX Runtime's message when the model fails to load or run.
OrtRunResult RunOnnxRuntime(const std::string& model_path, const std::vector<TensorData>& inputs,
                            const std::string& work_dir,
                            const std::vector<std::string>& output_names = {});

void WriteTensorPb(const std::string& path, const TensorData& data, const std::string& name = "");
TensorData ReadTensorPb(const std::string& path);

}  // namespace t2o
