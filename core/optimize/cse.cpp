// Common-subexpression elimination: nodes with the same op, inputs and attributes compute
// the same values (non-deterministic ops and nodes with subgraphs excepted), and equal
// small constants are one constant.
#include <set>
#include <sstream>

#include "core/optimize/passes.h"

namespace t2o::optimize {
namespace {

bool IsNondeterministic(const std::string& op) {
  return op.rfind("Random", 0) == 0 || op == "Multinomial" || op == "Bernoulli" || op == "Dropout";
}

// A key over op, domain, inputs and attributes; empty for nodes that must stay distinct.
std::string NodeKey(const onnx::OnnxNode& node) {
  if (IsNondeterministic(node.op_type)) return "";
  std::ostringstream key;
  key << node.domain << "::" << node.op_type << "(";
  for (const auto& in : node.inputs) key << in << ",";
  key << ")" << node.outputs.size() << "{";
  for (const auto& attr : node.attrs) {
    key << attr.name << "=";
    struct Printer {
      std::ostream& os;
      bool ok = true;
      void operator()(int64_t v) { os << "i" << v; }
      void operator()(float v) { os << "f" << v; }
      void operator()(const std::string& v) { os << "s" << v.size() << ":" << v; }
      void operator()(const std::vector<int64_t>& v) { for (auto x : v) os << x << ","; }
      void operator()(const std::vector<float>& v) { for (auto x : v) os << x << ","; }
      void operator()(const std::vector<std::string>& v) { for (const auto& x : v) os << x.size() << ":" << x << ","; }
      void operator()(const TensorData& t) {
        os << "t" << DTypeName(t.dtype) << t.nbytes << ":";
        os.write(reinterpret_cast<const char*>(t.bytes), static_cast<std::streamsize>(t.nbytes));
      }
      void operator()(const std::shared_ptr<onnx::OnnxGraph>&) { ok = false; }
    } printer{key};
    std::visit(printer, attr.value);
    if (!printer.ok) return "";
    key << ";";
  }
  return key.str();
}

constexpr size_t kMaxDedupBytes = 4096;

}  // namespace

bool EliminateCommonSubexpressions(onnx::OnnxGraph& graph, PassContext& ctx, PassStats& stats) {
  bool changed = false;
  // Equal constants first (translators already share small ones; folding makes more).
  if (&graph == ctx.main_graph) {
    std::map<std::string, std::string> first_constant;
    std::set<std::string> captured = CapturedNames(graph);
    for (const auto& init : graph.initializers) {
      if (init.is_weight || init.data.nbytes > kMaxDedupBytes || IsGraphOutput(graph, init.name)) continue;
      std::string key = std::string(DTypeName(init.data.dtype)) + "[";
      for (int64_t d : init.data.shape) key += std::to_string(d) + ",";
      key += "]";
      key.append(reinterpret_cast<const char*>(init.data.bytes), init.data.nbytes);
      auto [it, inserted] = first_constant.emplace(key, init.name);
      if (inserted) continue;
      ReplaceReads(graph, init.name, it->second);
      stats.counts["constant"]++;
      changed = true;
    }
  }
  std::map<std::string, size_t> seen;
  std::vector<bool> remove(graph.nodes.size(), false);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    std::string key = NodeKey(graph.nodes[i]);
    if (key.empty()) continue;
    auto [it, inserted] = seen.emplace(key, i);
    if (inserted) continue;
    const onnx::OnnxNode& first = graph.nodes[it->second];
    onnx::OnnxNode& dup = graph.nodes[i];
    bool ok = true;
    for (size_t k = 0; k < dup.outputs.size() && ok; ++k)
      ok = !IsGraphOutput(graph, dup.outputs[k]) || !IsGraphOutput(graph, first.outputs[k]);
    if (!ok) continue;
    for (size_t k = 0; k < dup.outputs.size(); ++k) {
      if (IsGraphOutput(graph, dup.outputs[k])) {
        // The duplicate's name is an output: the first node takes it over.
        std::string old_name = first.outputs[k];
        Substitute(graph, dup.outputs[k], old_name);
      } else {
        ReplaceReads(graph, dup.outputs[k], first.outputs[k]);
      }
    }
    remove[i] = true;
    stats.counts[dup.op_type]++;
    stats.nodes_removed++;
    changed = true;
  }
  if (!changed) return false;
  EraseNodes(graph, remove);
  return true;
}

}  // namespace t2o::optimize
