// Converts the prepared TorchScript graph into our IR, using the interpreter's records for
// metadata and static values, and the inlined call stacks for source locations.
#pragma once

#include <optional>
#include <unordered_map>

#include "core/capture/torchscript/interpreter.h"
#include "core/ir/ir.h"

namespace t2o::torchscript {

class IrBuilder {
 public:
  // `symbolic`: shapes with symbolic dims that override the observed ones (dynamic shapes).
  IrBuilder(ir::Graph& graph, const Interpreter& interp, std::string root_class,
            const std::unordered_map<const jit::Value*, std::vector<ir::Dim>>* symbolic = nullptr)
      : graph_(graph), interp_(interp), root_class_(std::move(root_class)), symbolic_(symbolic) {}

  ir::Value* Define(const jit::Value* v, ir::Node* producer);
  // The IR value read by `consumer` as input `index` (constants and static values become
  // constants; static tensors take their snapshot for this consumer).
  ir::Value* Use(const jit::Node* consumer, size_t index, const jit::Value* v);
  void ConvertBlock(jit::Block* block, ir::Block& out);
  // A tensor list returned by an op (x.split(2)) becomes its elements: appends a
  // prim::ListUnpack node whose outputs carry each element's observed metadata.
  // The IR value defined for a TorchScript value, if any (static values have none).
  const ir::Value* Defined(const jit::Value* v) const {
    auto it = map_.find(v);
    return it == map_.end() ? nullptr : it->second;
  }
  std::vector<ir::Value*> UnpackTensorList(ir::Value* list, const jit::Value* v, ir::Block& block);

 private:
  ir::Value* ConstantValue(const c10::IValue& value, const jit::Value* v, const std::string& hint);
  bool FoldScalarNode(jit::Node* node);
  // The value of an `if` condition known at export time.
  std::optional<bool> StaticCondition(const jit::Value* v) const;

  ir::Graph& graph_;
  const Interpreter& interp_;
  std::unordered_map<const jit::Value*, ir::Value*> map_;
  std::string root_class_;
  const std::unordered_map<const jit::Value*, std::vector<ir::Dim>>* symbolic_;
};

// "torchvision.models.resnet.ResNet" for a module's class (TorchScript prefixes dropped).
std::string ClassName(const c10::ClassTypePtr& type);

}  // namespace t2o::torchscript
