// Which input dimensions stay symbolic: --dynamic-shapes (a tree mirroring forward()'s
// arguments, as torch.onnx.export's dynamic_shapes) and --dynamic-axes (the legacy flat
// form keyed by input/output names), resolved to axes of flattened inputs and outputs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/capture/input_spec.h"
#include "core/ir/ir.h"

namespace t2o {

struct SymbolicDim {
  std::string name;
  ir::SymbolRange range;
};
using AxisSymbols = std::map<int64_t, SymbolicDim>;  // axis -> symbol

// The legacy form, parsed but not yet matched to names: name -> axes.
using DynamicAxes = std::map<std::string, AxisSymbols>;

// Parses --dynamic-axes: {"x": {"0": "batch"}, "y": [0, 1]}; list entries get upstream's
// automatic names ("<name>_dynamic_axes_<k>", k from 1). Accepts "@file".
DynamicAxes ParseDynamicAxes(const std::string& text_or_file);

// Resolves --dynamic-shapes against forward()'s argument trees: one AxisSymbols per
// flattened tensor leaf, in order. `leaf_shapes` are the example shapes (for range
// checks). Errors name the offending entry ("dynamic_shapes[1]['tensor_x']: axis 2 is out
// of range for a rank-2 input").
std::vector<AxisSymbols> ResolveDynamicShapes(const std::string& text_or_file, const std::vector<InputTree>& trees,
                                              const std::vector<std::string>& arg_names,
                                              const std::vector<std::vector<int64_t>>& leaf_shapes);

// Checks an axis against a rank; returns it non-negative. `where` names the entry.
int64_t CheckAxis(int64_t axis, size_t rank, const std::string& where);

}  // namespace t2o
