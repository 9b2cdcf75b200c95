// Nested forward() arguments <-> flat graph inputs, and example tensors.
#pragma once

#include <vector>

#include "core/capture/torchscript/common.h"

namespace t2o::torchscript {

// Infers one argument's nesting from its type and how the graph reads it (constant dict
// keys, list indices), for users who gave only flat --input-shape.
InputTree InferTree(const c10::TypePtr& type, const jit::Value* value, const std::string& arg_name);
void AssignFlatSpecs(InputTree& tree, const std::vector<TensorSpec>& flat, size_t& next);
// Checks a user-given tree against the argument's type.
void CheckTree(const InputTree& tree, const c10::TypePtr& type, const std::string& where);
// Makes graph inputs for every leaf of `tree` and returns the value rebuilding the
// container from them (nodes go to the graph's current insert point).
jit::Value* BuildFlattened(jit::Graph& graph, const InputTree& tree, const c10::TypePtr& type,
                           const std::string& path, std::vector<std::string>& leaf_paths,
                           std::vector<jit::Value*>& leaves);

// Rebuilds a forward() argument from flat tensors; flattens a result into tensors.
c10::IValue BuildIValue(const InputTree& tree, const c10::TypePtr& type, const std::vector<TensorData>& flat,
                        size_t& next);
void FlattenOutput(const c10::IValue& v, std::vector<TensorData>& out);


}  // namespace t2o::torchscript
