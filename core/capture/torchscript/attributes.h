// Attributes of the TorchScript module a forward graph reads (prim::GetAttr chains from
// `self`), resolved at export time, and the folding of the ones that are plain settings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <torch/csrc/jit/ir/constants.h>

#include "core/capture/torchscript/common.h"

namespace t2o::torchscript {

// Values of `self`'s attribute chains (and constants over them) at export time, with
// their attribute paths.
class AttributeResolver {
 public:
  AttributeResolver(jit::Graph& graph, const jit::Module& module) {
    known_[graph.inputs().at(0)] = {module._ivalue(), ""};
  }

  std::optional<std::pair<c10::IValue, std::string>> Attribute(jit::Value* v) {
    if (auto it = known_.find(v); it != known_.end()) return it->second;
    jit::Node* node = v->node();
    if (node->kind() != c10::prim::GetAttr) return std::nullopt;
    auto slot = SlotOf(node);
    if (!slot) return std::nullopt;
    return known_[v] = std::make_pair(slot->Value(), slot->path);
  }

  // The attribute a prim::GetAttr or prim::SetAttr node reads or writes, when its owner
  // is known at export time.
  struct Slot {
    c10::intrusive_ptr<c10::ivalue::Object> owner;
    std::string field;
    std::string path;  // "encoder.cache"
    c10::IValue Value() const { return owner->getAttr(field); }
  };
  std::optional<Slot> SlotOf(jit::Node* node) {
    auto owner = Attribute(node->input(0));
    if (!owner || !owner->first.isObject()) return std::nullopt;
    const std::string& field = node->s(c10::attr::name);
    return Slot{owner->first.toObject(), field, owner->second.empty() ? field : owner->second + "." + field};
  }

  // A number or tensor known at export time: a constant, an attribute, or Float/Int of one.
  std::optional<c10::IValue> Constant(jit::Value* v) {
    if (auto c = jit::toIValue(v)) return c;
    if (auto a = Attribute(v)) return a->first;
    jit::Node* node = v->node();
    const std::string kind = node->kind().toQualString();
    bool to_float = kind == "aten::Float" || kind == "aten::FloatImplicit";
    bool to_int = kind == "aten::Int" || kind == "aten::IntImplicit";
    if ((to_float || to_int) && node->inputs().size() == 1) {
      auto inner = Constant(node->input(0));
      if (!inner || !(inner->isTensor() || inner->isDouble() || inner->isInt())) return std::nullopt;
      c10::Scalar s = inner->isTensor() ? inner->toTensor().item() : inner->toScalar();
      return to_float ? c10::IValue(s.toDouble()) : c10::IValue(s.toLong());
    }
    return std::nullopt;
  }

 private:
  std::unordered_map<const jit::Value*, std::pair<c10::IValue, std::string>> known_;
};

// Every node of `block`, nested blocks included, in order.
void CollectNodes(jit::Block* block, std::vector<jit::Node*>& nodes);

// Number, string and None attributes forward() never assigns become constants, and the
// branches they decide fold away (an `if self.streaming:` around a state assignment; the
// dtype and version branches of the quantized modules). Runs while `self` is input 0.
void FoldUnassignedScalarAttributes(const std::shared_ptr<jit::Graph>& graph, const jit::Module& module);

}  // namespace t2o::torchscript
