// Runs a TorchScript graph node by node on example inputs, recording every value, and
// decides which values are static (known at export time).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/capture/torchscript/common.h"

namespace t2o::torchscript {

// Values that do not depend on the inputs' data: constants, shape queries of tensors with
// static shapes, and deterministic ops over those. In-place ops count too, as long as every
// mutation of the same storage is static as well (swin_t builds its attention mask by
// filling slices of a zeros tensor); one non-static mutation makes the whole alias class
// dynamic.
struct StaticValues {
  std::unordered_set<const jit::Value*> values;
  std::unordered_set<const jit::Node*> nodes;
};
// Tensors with dimensions that vary with the dynamic input dims (true = that axis varies).
using DynamicDims = std::unordered_map<const jit::Value*, std::vector<bool>>;
// With `dynamic`, shape queries and shape-reading factories over varying dims are not
// static: they stay computed in the exported graph.
StaticValues FindStaticValues(jit::Block* top, const DynamicDims* dynamic = nullptr);

// Thrown in shape-only mode when a value's data is needed (a data-dependent branch, an
// int read from a tensor, an op whose output shape depends on data).
struct NeedsRealData : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Interpreter {
  Interpreter(const StaticValues& statics, bool shape_only) : statics(statics), shape_only(shape_only) {}

  const StaticValues& statics;
  // Shape-only mode: non-static tensors live on the meta device (shapes and dtypes, no
  // data, no compute); static values are still computed for real.
  const bool shape_only;
  std::map<std::string, int> materialized_ops;  // ops run on zeros for lack of a meta kernel
  std::unordered_map<const jit::Value*, c10::IValue> values;
  // Copies of static tensors at the moment a non-static consumer read them: key is the
  // consumer node (a block's return node for block outputs) and the input index.
  std::map<std::pair<const jit::Node*, size_t>, at::Tensor> snapshots;

  c10::IValue Get(const jit::Value* v);
  void RunBlock(jit::Block* block);
  std::vector<c10::IValue> RunBlockWith(jit::Block* block, const std::vector<c10::IValue>& inputs);
  void RunNode(jit::Node* node);

 private:
  bool RunStructural(jit::Node* node);
  void RunOperator(jit::Node* node, jit::Stack& stack);
  bool ReadBool(const jit::Value* v);
  void SnapshotStaticInputs(const jit::Node* consumer, at::ArrayRef<jit::Value*> inputs);
};

}  // namespace t2o::torchscript
