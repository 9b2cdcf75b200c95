// Runs a TorchScript graph node by node on example inputs, recording every value, and
// decides which values are static (known at export time).
#pragma once

#include <map>
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
StaticValues FindStaticValues(jit::Block* top);

struct Interpreter {
  explicit Interpreter(const StaticValues& statics) : statics(statics) {}

  const StaticValues& statics;
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
  void SnapshotStaticInputs(const jit::Node* consumer, at::ArrayRef<jit::Value*> inputs);
};

}  // namespace t2o::torchscript
