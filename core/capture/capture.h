// The capture stage: a model file -> our ATen-level IR, plus a reference runner that can
// execute the original model for verification. No libtorch types cross this header.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/capture/dynamic_shapes.h"
#include "core/capture/input_spec.h"
#include "core/ir/ir.h"

namespace t2o {

enum class ModelFormat { kTorchScript, kExportedProgramFlat, kExportedProgramArchive };
std::string_view ModelFormatName(ModelFormat format);

// Detects the format from the zip records; throws InputError saying what was found.
ModelFormat DetectModelFormat(const std::string& path);

struct CaptureOptions {
  // Either a tree per forward() argument, or flat leaves (one per flattened tensor input)
  // whose nesting is inferred from the model.
  std::vector<InputTree> input_trees;
  std::vector<TensorSpec> flat_inputs;
  uint64_t seed = 0;  // for random example inputs
  // Symbolic dims: --dynamic-shapes (JSON text or @file) or --dynamic-axes (parsed; only
  // entries naming inputs are used here; input names are the ONNX names to be).
  std::string dynamic_shapes;
  std::map<std::string, std::map<int64_t, SymbolicDim>> dynamic_axes;
  std::vector<std::string> input_names;
};

struct CaptureAttempt {
  std::string strategy;
  bool succeeded = false;
  double seconds = 0;
  std::string error;
};

// Runs the original model (libtorch) on flattened inputs, returns flattened outputs.
class ReferenceModel {
 public:
  virtual ~ReferenceModel() = default;
  virtual std::vector<TensorData> Run(const std::vector<TensorData>& flat_inputs) = 0;
  // Every top-level tensor the captured graph computes, keyed by IR value name, in
  // execution order; used to find where an ONNX model starts to diverge. Empty when the
  // capture path cannot provide them.
  virtual std::vector<std::pair<std::string, TensorData>> RunIntermediates(const std::vector<TensorData>& flat_inputs) {
    return {};
  }
};

struct CapturedProgram {
  std::unique_ptr<ir::Graph> graph;
  std::vector<TensorData> example_inputs;  // flattened, in graph input order
  std::vector<std::string> input_paths;    // "input_dict['tensor_x']", parallel to the above
  std::unique_ptr<ReferenceModel> reference;
  // Per graph output, one quantization step where PyTorch's integer kernels compute it and
  // the ONNX model the same in QDQ form (eager-mode quantized TorchScript): --verify's
  // default tolerance widens by it. Empty or 0: compared as usual.
  std::vector<double> output_steps;
};

// Appends every capture attempt (strategy, result, time, error) to *attempts, also when
// it throws.
CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options,
                                   std::vector<CaptureAttempt>* attempts);

// A serialized ExportedProgram (.pt2, either layout); weights come from the file, the
// reference outputs from running the captured ATen graph with libtorch's operators (the
// library is loaded when the reference first runs).
CapturedProgram CaptureExportedProgram(const std::string& path, ModelFormat format, const CaptureOptions& options,
                                       std::vector<CaptureAttempt>* attempts);

// Parameters, buffers and constant tensors of a .pt2 file by fully qualified name.
std::vector<std::pair<std::string, TensorData>> LoadExportedProgramWeights(const std::string& path, ModelFormat format);

// Parameters and buffers of a TorchScript model by fully qualified name (apply-weights).
std::vector<std::pair<std::string, TensorData>> LoadTorchScriptWeights(const std::string& path);

// A reference that runs `graph` node by node with libtorch's operators, loading libtorch
// on its first run; `graph` must outlive it.
std::unique_ptr<ReferenceModel> MakeLazyIrReference(const ir::Graph& graph);

}  // namespace t2o
