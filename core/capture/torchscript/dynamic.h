// Dynamic shapes for the TorchScript path. The model runs twice (shape-only when it
// can): once on the example inputs and once with every dynamic axis grown. A dimension
// that differs between the runs follows the dynamic inputs; it is named after the input
// symbol it equals (or is a multiple, fraction or offset of), and shape queries that read
// it stay computed in the exported graph.
#pragma once

#include <unordered_map>
#include <vector>

#include "core/capture/capture.h"
#include "core/capture/dynamic_shapes.h"
#include "core/capture/torchscript/interpreter.h"

namespace t2o::torchscript {

// Shapes with symbolic dims, for tensors with at least one varying dim.
using SymbolicShapes = std::unordered_map<const jit::Value*, std::vector<ir::Dim>>;

// The symbolic axes of each flattened input, from --dynamic-shapes or --dynamic-axes.
std::vector<AxisSymbols> DynamicLeafAxes(const CaptureOptions& options, const std::vector<InputTree>& trees,
                                         const std::vector<std::string>& arg_names,
                                         const std::vector<jit::Value*>& leaves,
                                         const std::vector<TensorData>& example_inputs);

// The example inputs with each dynamic axis repeated (data stays meaningful): twice for
// the first symbol, three times for the second, ..., so that dims following different
// symbols of equal example size can be told apart.
std::vector<TensorData> GrowDynamicAxes(const std::vector<TensorData>& inputs, const std::vector<AxisSymbols>& axes);

// Compares the two runs; fills `varying` and returns the symbolic shapes.
SymbolicShapes NameVaryingDims(const Interpreter& first, const Interpreter& second,
                               const std::vector<jit::Value*>& leaves, const std::vector<AxisSymbols>& leaf_axes,
                               DynamicDims* varying);

// The name an input leaf gets in the IR (and so in ONNX, unless renamed).
std::string LeafName(const jit::Value* leaf);

}  // namespace t2o::torchscript
