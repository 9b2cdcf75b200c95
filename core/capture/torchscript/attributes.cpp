#include "core/capture/torchscript/attributes.h"

#include <torch/csrc/jit/passes/constant_propagation.h>

#include <set>

namespace t2o::torchscript {

void CollectNodes(jit::Block* block, std::vector<jit::Node*>& nodes) {
  for (jit::Node* node : block->nodes()) {
    nodes.push_back(node);
    for (jit::Block* inner : node->blocks()) CollectNodes(inner, nodes);
  }
}

void FoldUnassignedScalarAttributes(const std::shared_ptr<jit::Graph>& graph, const jit::Module& module) {
  // Folding destroys nodes: the insert point an enclosing guard set may be one of them.
  graph->setInsertPoint(graph->block());
  AttributeResolver attrs(*graph, module);
  std::vector<jit::Node*> nodes;
  CollectNodes(graph->block(), nodes);
  std::set<std::string> assigned;
  for (jit::Node* node : nodes)
    if (node->kind() == c10::prim::SetAttr)
      if (auto owner = attrs.Attribute(node->input(0)))
        assigned.insert(owner->second + "." + node->s(c10::attr::name));
  for (jit::Node* node : nodes) {
    if (node->kind() != c10::prim::GetAttr) continue;
    auto owner = attrs.Attribute(node->input());
    if (!owner || assigned.count(owner->second + "." + node->s(c10::attr::name))) continue;
    auto value = attrs.Attribute(node->output());
    if (!value || !(value->first.isInt() || value->first.isDouble() || value->first.isBool() ||
                    value->first.isString() || value->first.isNone()))
      continue;
    jit::WithInsertPoint here(node);
    node->output()->replaceAllUsesWith(graph->insertConstant(value->first));
    node->destroy();
  }
  std::shared_ptr<jit::Graph> folded = graph;
  jit::ConstantPropagation(folded);
}

}  // namespace t2o::torchscript
