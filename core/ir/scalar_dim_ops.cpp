#include "core/ir/scalar_dim_ops.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace t2o::ir {
namespace {

struct DimOp {
  std::vector<size_t> operands;   // inputs read along the dim (reshaped when 0-d)
  std::set<std::string> overloads;  // empty: every overload
};

const std::map<std::string, DimOp>& DimOps() {
  static const std::map<std::string, DimOp> ops{
      {"aten::cumsum", {{0}, {}}}, {"aten::cumprod", {{0}, {}}}, {"aten::cummax", {{0}, {}}},
      {"aten::cummin", {{0}, {}}}, {"aten::logcumsumexp", {{0}, {}}},
      {"aten::gather", {{0, 2}, {}}}, {"aten::scatter", {{0, 2, 3}, {}}}, {"aten::scatter_add", {{0, 2, 3}, {}}},
      {"aten::scatter_reduce", {{0, 2, 3}, {}}}, {"aten::index_select", {{0}, {}}}, {"aten::index_add", {{0, 3}, {}}},
      {"aten::index_copy", {{0, 3}, {}}}, {"aten::index_fill", {{0}, {}}}, {"aten::index_reduce", {{0, 3}, {}}},
      {"aten::max", {{0}, {"dim"}}}, {"aten::min", {{0}, {"dim"}}}, {"aten::amax", {{0}, {}}}, {"aten::amin", {{0}, {}}},
      {"aten::aminmax", {{0}, {}}}, {"aten::argmax", {{0}, {}}}, {"aten::argmin", {{0}, {}}},
      {"aten::norm", {{0}, {}}}, {"aten::linalg_vector_norm", {{0}, {}}}, {"aten::logsumexp", {{0}, {}}},
      {"aten::topk", {{0}, {}}}, {"aten::argsort", {{0}, {}}}, {"aten::mode", {{0}, {}}},
      {"aten::median", {{0}, {"dim"}}}, {"aten::nanmedian", {{0}, {"dim"}}},
      {"aten::softmax", {{0}, {}}}, {"aten::log_softmax", {{0}, {}}}, {"aten::_softmax", {{0}, {}}},
      {"aten::_log_softmax", {{0}, {}}}, {"aten::sum", {{0}, {}}}, {"aten::mean", {{0}, {}}},
      {"aten::prod", {{0}, {}}}, {"aten::any", {{0}, {}}}, {"aten::all", {{0}, {}}}, {"aten::nansum", {{0}, {}}},
      {"aten::count_nonzero", {{0}, {}}}, {"aten::var", {{0}, {}}}, {"aten::std", {{0}, {}}},
      {"aten::var_mean", {{0}, {}}}, {"aten::std_mean", {{0}, {}}}, {"aten::renorm", {{0}, {}}},
      {"aten::cosine_similarity", {{0, 1}, {}}},
  };
  return ops;
}

bool IsScalarTensor(const Value* v) { return v && v->IsTensor() && v->meta.shape_known && v->meta.rank() == 0; }

class Vectorizer {
 public:
  explicit Vectorizer(Graph& graph) : graph_(graph) {}

  void Run(Block& block) {
    std::vector<std::unique_ptr<Node>> nodes;
    nodes.reserve(block.nodes.size());
    for (auto& node : block.nodes) {
      for (auto& inner : node->blocks) Run(*inner);
      auto op = DimOps().find(node->op);
      bool applies = op != DimOps().end() && !node->inputs.empty() && IsScalarTensor(node->inputs[0]) &&
                     (op->second.overloads.empty() || op->second.overloads.count(node->overload));
      if (!applies) {
        nodes.push_back(std::move(node));
        continue;
      }
      Block scratch;
      for (size_t i : op->second.operands) {
        if (i >= node->inputs.size() || !IsScalarTensor(node->inputs[i])) continue;
        node->inputs[i] = Reshaped(scratch, node->inputs[i], {1}, *node);
      }
      for (auto& n : scratch.nodes) nodes.push_back(std::move(n));
      Block after;
      for (auto& out : node->outputs) {
        if (!IsScalarTensor(out)) continue;
        Value* vector = graph_.NewValue(ValueKind::kTensor, out->name + "_1d");
        vector->meta = out->meta;
        vector->meta.shape = {int64_t{1}};
        vector->producer = node.get();
        Node* back = graph_.AppendNode(after, "aten::reshape", "", {vector, IntList({})}, 0);
        back->location = node->location;
        back->outputs.push_back(out);
        out->producer = back;
        out = vector;
      }
      nodes.push_back(std::move(node));
      for (auto& n : after.nodes) nodes.push_back(std::move(n));
    }
    block.nodes = std::move(nodes);
  }

 private:
  Value* IntList(std::vector<int64_t> values) {
    Value* v = graph_.NewValue(ValueKind::kIntList, "shape");
    v->constant = std::move(values);
    return v;
  }

  Value* Reshaped(Block& block, Value* x, std::vector<int64_t> shape, const Node& for_node) {
    Node* n = graph_.AppendNode(block, "aten::reshape", "", {x, IntList(shape)}, 0);
    n->location = for_node.location;
    Value* y = graph_.NewValue(ValueKind::kTensor, x->name + "_1d");
    y->producer = n;
    n->outputs.push_back(y);
    y->meta = x->meta;
    y->meta.shape = {int64_t{1}};
    return y;
  }

  Graph& graph_;
};

}  // namespace

void VectorizeScalarDimOps(Graph& graph) {
  Vectorizer(graph).Run(graph.top);
  graph.RebuildUses();
}

}  // namespace t2o::ir
