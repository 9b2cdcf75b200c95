#include "core/verify/random_outputs.h"

#include <set>
#include <string>

namespace t2o {
namespace {

bool IsRandomOp(const std::string& op_type) {
  static const std::set<std::string> kRandom = {"RandomUniform", "RandomUniformLike", "RandomNormal",
                                                "RandomNormalLike", "Multinomial", "Bernoulli"};
  return kRandom.count(op_type) > 0;
}

// Marks the outputs of every node that is random or reads a marked value; subgraphs see the
// marks of the scopes around them. Returns whether anything in `graph` is random.
bool MarkRandomValues(const onnx::OnnxGraph& graph, std::set<std::string>& marked) {
  bool any = false;
  for (const onnx::OnnxNode& node : graph.nodes) {
    bool random = IsRandomOp(node.op_type);
    for (const std::string& in : node.inputs) random = random || (!in.empty() && marked.count(in));
    for (const onnx::Attr& attr : node.attrs)
      if (const auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value))
        random = MarkRandomValues(**sub, marked) || random;
    if (!random) continue;
    any = true;
    for (const std::string& out : node.outputs) marked.insert(out);
  }
  return any;
}

}  // namespace

std::set<std::string> ValuesDependingOnRandomOps(const onnx::OnnxGraph& graph) {
  std::set<std::string> marked;
  MarkRandomValues(graph, marked);
  return marked;
}

std::vector<bool> OutputsDependingOnRandomOps(const onnx::OnnxGraph& graph) {
  const std::set<std::string> marked = ValuesDependingOnRandomOps(graph);
  std::vector<bool> flags;
  for (const onnx::ValueInfo& out : graph.outputs) flags.push_back(marked.count(out.name) > 0);
  return flags;
}

}  // namespace t2o
