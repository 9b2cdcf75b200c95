#include "core/translate/translate.h"
#include "core/translate/ort_legalize.h"
#include "core/translate/type_constraints.h"

#include <algorithm>

#include <map>
#include <set>
#include <sstream>

#include "core/ir/state.h"
#include "core/translate/context.h"
#include "core/util/log.h"

namespace t2o {
namespace {

std::vector<ir::Dim> ShapeOf(const ir::TensorMeta& meta) { return meta.shape; }

// A complex graph input or output is what the graph holds inside: float32 pairs along a
// trailing axis of 2 (torch.view_as_real's layout), marked in its metadata.
onnx::ValueInfo GraphValueInfo(const std::string& name, const ir::TensorMeta& meta, onnx::Metadata md) {
  if (meta.dtype != DType::kComplex64) return {name, meta.dtype, ShapeOf(meta), std::move(md)};
  std::vector<ir::Dim> shape = ShapeOf(meta);
  shape.push_back(int64_t{2});
  md.emplace_back("pkg.torch2onnx.complex", "complex64 as view_as_real: float32 (real, imaginary) pairs");
  return {name, DType::kFloat32, shape, std::move(md)};
}

void RenameEverywhere(onnx::OnnxGraph& graph, const std::string& from, const std::string& to) {
  for (auto& node : graph.nodes) {
    for (auto& in : node.inputs)
      if (in == from) in = to;
    for (auto& out : node.outputs)
      if (out == from) out = to;
    for (auto& attr : node.attrs)
      if (auto* g = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value))
        RenameEverywhere(**g, from, to);
  }
  for (auto* list : {&graph.inputs, &graph.outputs, &graph.value_info})
    for (auto& vi : *list)
      if (vi.name == from) vi.name = to;
}

void FlattenBinding(const Binding& b, std::vector<std::string>& out) {
  if (!b.is_list) {
    out.push_back(b.name);
    return;
  }
  for (const auto& e : b.elements) FlattenBinding(e, out);
}

std::string SignatureText(const ir::Graph& graph, const std::vector<std::string>& output_names) {
  std::ostringstream os;
  os << "# inputs\n";
  for (const auto& in : graph.inputs) {
    os << in.value->name << ": " << ir::InputKindName(in.kind);
    if (in.kind != ir::InputKind::kUserInput) os << " target='" << in.target << "'";
    if (in.kind == ir::InputKind::kBuffer) os << " persistent=" << (in.persistent ? "True" : "False");
    os << "\n";
  }
  os << "\n# outputs\n";
  for (size_t i = 0; i < graph.outputs.size(); ++i)
    os << (i < output_names.size() ? output_names[i] : graph.outputs[i].value->name) << ": "
       << ir::OutputKindName(graph.outputs[i].kind) << "\n";
  return os.str();
}

std::string RangeConstraintsText(const ir::Graph& graph) {
  std::ostringstream os;
  os << "{";
  bool first = true;
  for (const auto& [symbol, range] : graph.symbols) {
    os << (first ? "" : ", ") << symbol << ": VR[" << range.min << ", "
       << (range.max ? std::to_string(*range.max) : std::string("int_oo")) << "]";
    first = false;
  }
  os << "}";
  return os.str();
}

}  // namespace

std::string FormatIssues(const std::vector<NodeIssue>& issues) {
  std::map<std::string, std::vector<const NodeIssue*>> by_op;
  for (const auto& issue : issues) by_op[issue.op].push_back(&issue);
  std::ostringstream os;
  for (const auto& [op, list] : by_op) {
    os << "  " << op << " (" << list.size() << (list.size() == 1 ? " node" : " nodes") << "): "
       << list.front()->message << "\n";
    std::set<std::string> seen;
    for (const NodeIssue* issue : list) {
      std::string where = issue->location.Short();
      if (!seen.insert(where).second) continue;
      os << "      at " << where << "\n";
    }
  }
  return os.str();
}

std::vector<NodeIssue> FindUnsupportedNodes(const ir::Graph& graph, const Registry& registry,
                                            int opset) {
  std::vector<NodeIssue> issues;
  ir::ForEachNode(graph.top, [&](const ir::Node& node) {
    bool in_place = false;
    const bool complex = OnComplexTensors(node);
    const TranslatorEntry* entry = registry.FindAllowingInPlace(node.op, node.overload, opset, &in_place, complex);
    if (entry && node.aliasing == ir::Aliasing::kWritesArgument && entry->key != node.Key()) {
      issues.push_back({node.Key(), kOutVariantReason, node.location, node.debug_text});
      return;
    }
    if (entry) return;
    // Folded nodes need no translator.
    bool all_constant = !node.outputs.empty() && node.blocks.empty();
    for (const ir::Value* out : node.outputs) all_constant = all_constant && out->constant.has_value();
    if (all_constant) return;
    std::string message = "no translator";
    auto others = registry.EntriesFor(node.op);
    others.erase(std::remove_if(others.begin(), others.end(), [&](const TranslatorEntry* e) { return e->complex != complex; }),
                 others.end());
    if (auto refusal = registry.RefusalFor(node.op, node.overload)) {
      message = refusal->reason;
    } else if (complex && others.empty()) {
      message = "no translator for complex tensors";
      if (auto* real = registry.FindAllowingInPlace(node.op, node.overload, opset, &in_place))
        message += " (" + real->key + " has a form for real tensors only)";
    } else if (!others.empty()) {
      std::ostringstream os;
      os << "no translator for this overload at opset " << opset << "; registered:";
      for (const auto* e : others)
        os << " " << e->key << " (opsets " << e->range.since << "-" << e->range.until << ")";
      message = os.str();
    }
    issues.push_back({node.Key(), message, node.location, node.debug_text});
  });
  return issues;
}

// Names output dims after --dynamic-axes; names that match no input or output are errors.
void ApplyOutputDynamicAxes(const TranslateOptions& options, onnx::OnnxGraph& out) {
  for (const auto& [name, axes] : options.dynamic_axes) {
    bool is_input = std::any_of(out.inputs.begin(), out.inputs.end(), [&](const onnx::ValueInfo& v) { return v.name == name; });
    if (is_input) continue;
    auto output = std::find_if(out.outputs.begin(), out.outputs.end(), [&](const onnx::ValueInfo& v) { return v.name == name; });
    if (output == out.outputs.end()) {
      std::string known;
      for (const auto* list : {&out.inputs, &out.outputs})
        for (const auto& v : *list) known += (known.empty() ? "" : ", ") + v.name;
      throw UsageError("dynamic_axes['" + name + "']: the model has no input or output named '" + name + "' (it has " +
                       known + ")");
    }
    if (!output->shape) continue;
    for (const auto& [axis, symbol] : axes) {
      int64_t rank = static_cast<int64_t>(output->shape->size());
      if (axis < -rank || axis >= rank)
        throw UsageError("dynamic_axes['" + name + "']: axis " + std::to_string(axis) + " is out of range for a rank-" +
                         std::to_string(rank) + " output");
      (*output->shape)[axis < 0 ? axis + rank : axis] = symbol;
    }
  }
}

namespace {

// "HEADLINE:" and every issue grouped per op (FormatIssues), as one ConversionError.
// issues by rvalue reference: the headline, built before the call, may read issues.size().
[[noreturn]] void ThrowIssues(const std::string& headline, std::vector<NodeIssue>&& issues) {
  std::string message = headline + ":\n" + FormatIssues(issues);
  message.pop_back();  // FormatIssues ends every line with a newline
  throw ConversionError(message, std::move(issues));
}

}  // namespace

onnx::OnnxModel TranslateGraph(const ir::Graph& graph, const Registry& registry,
                               const TranslateOptions& options) {
  if (auto missing = FindUnsupportedNodes(graph, registry, options.opset); !missing.empty()) {
    std::set<std::string> ops;
    for (const auto& m : missing) ops.insert(m.op);
    ThrowIssues(std::to_string(ops.size()) + " operator" + (ops.size() == 1 ? "" : "s") + " cannot be converted at opset " +
                    std::to_string(options.opset),
                std::move(missing));
  }

  onnx::OnnxModel model;
  model.opset = options.opset;
  model.domain_opsets = options.domain_opsets;
  model.ir_version = onnx::IrVersionFor(options.opset);
  onnx::OnnxGraph& out = model.graph;
  TranslationContext ctx(registry, options.opset, out);

  // Graph inputs and weights.
  size_t user_index = 0;
  std::set<std::string> used_names;
  for (const auto& in : graph.inputs) {
    const ir::Value* v = in.value;
    onnx::Metadata md{{"pkg.torch.export.graph_signature.InputSpec.kind",
                       std::string(ir::InputKindName(in.kind))},
                      {"pkg.torch.export.graph_signature.InputSpec.persistent",
                       in.kind == ir::InputKind::kBuffer ? (in.persistent ? "True" : "False") : "None"}};
    if (in.kind == ir::InputKind::kUserInput) {
      std::string name = v->name;
      if (user_index < options.input_names.size()) name = options.input_names[user_index];
      ++user_index;
      if (name != v->name) md.emplace_back("pkg.torch.onnx.original_node_name", v->name);
      if (!used_names.insert(name).second)
        throw UsageError("input name '" + name + "' is used twice");
      name = ctx.FreshName(name);
      if (!v->IsTensor())
        throw ExportError("input '" + v->name + "' is a " + std::string(ir::ValueKindName(v->kind)) +
                          "; only tensor inputs can become ONNX inputs");
      out.inputs.push_back(GraphValueInfo(name, v->meta, md));
      ctx.Bind(v, Binding{name, {}, false});
    } else {
      if (!in.data) throw ExportError("weight '" + in.target + "' has no data");
      std::string name = ctx.FreshName(in.target);
      if (name != v->name) md.emplace_back("pkg.torch.onnx.original_node_name", v->name);
      out.initializers.push_back(onnx::Initializer{name, *in.data, md, true});
      ctx.Bind(v, Binding{name, {}, false});
    }
  }
  if (user_index < options.input_names.size())
    throw UsageError("--input-names has " + std::to_string(options.input_names.size()) +
                     " names but the model has " + std::to_string(user_index) + " inputs");

  ctx.TranslateBlockNodes(graph.top);

  if (!ctx.failures().empty()) {
    std::vector<NodeIssue> issues;
    for (const auto& f : ctx.failures())
      issues.push_back({f.node->Key(), f.message, f.node->location, f.node->debug_text});
    ThrowIssues(std::to_string(issues.size()) + " node" + (issues.size() == 1 ? "" : "s") + " could not be converted",
                std::move(issues));
  }

  // Outputs: flatten tuples/lists/dicts; every output must be a distinct value produced
  // by a node (ONNX forbids an input or initializer doubling as an output name here).
  std::vector<std::string> leaves;
  std::vector<const ir::Value*> leaf_values;
  std::vector<const ir::GraphOutput*> leaf_outputs;
  for (const auto& o : graph.outputs) {
    std::vector<std::string> names;
    if (const Binding* b = ctx.Find(o.value))
      FlattenBinding(*b, names);
    else
      names.push_back(ctx.Materialize(*o.value));
    for (auto& n : names) {
      leaves.push_back(n);
      leaf_values.push_back(o.value);
      leaf_outputs.push_back(&o);
    }
  }
  if (!options.output_names.empty() && options.output_names.size() != leaves.size())
    throw UsageError("--output-names has " + std::to_string(options.output_names.size()) +
                     " names but the model has " + std::to_string(leaves.size()) + " outputs");
  std::set<std::string> produced;
  for (const auto& n : out.nodes)
    for (const auto& o : n.outputs) produced.insert(o);
  std::set<std::string> output_set;
  std::vector<std::string> final_names;
  for (size_t k = 0; k < leaves.size(); ++k) {
    std::string name = leaves[k];
    bool needs_identity = !produced.count(name) || output_set.count(name);
    if (needs_identity) {
      onnx::OnnxNode id;
      id.op_type = "Identity";
      id.inputs = {name};
      id.outputs = {ctx.FreshName(name + "_out")};
      id.name = "node_" + id.outputs[0];
      out.nodes.push_back(id);
      name = id.outputs[0];
    }
    const ir::GraphOutput& spec = *leaf_outputs[k];
    onnx::Metadata md{{"pkg.torch.export.graph_signature.OutputSpec.kind", std::string(ir::OutputKindName(spec.kind))}};
    // A lifted state buffer's new value (state.h) is named after the buffer.
    bool is_state = spec.kind == ir::OutputKind::kBufferMutation &&
                    std::any_of(graph.inputs.begin(), graph.inputs.end(), [&](const ir::GraphInput& in) {
                      return in.kind == ir::InputKind::kUserInput && in.target == ir::StateInputName(spec.name);
                    });
    std::string wanted = k < options.output_names.size() ? options.output_names[k]
                         : is_state                      ? ir::StateOutputName(spec.name)
                                                         : name;
    if (wanted != name) {
      if (output_set.count(wanted)) throw UsageError("output name '" + wanted + "' is used twice");
      md.emplace_back("pkg.torch.onnx.original_node_name", name);
      std::string renamed = wanted;
      for (const auto& in : out.inputs)
        if (in.name == renamed) throw UsageError("output name '" + renamed + "' is also an input name");
      RenameEverywhere(out, name, renamed);
      name = renamed;
    }
    output_set.insert(name);
    final_names.push_back(name);
    // Shape of a flattened leaf is only known when the output is the leaf itself.
    const ir::Value* v = leaf_values[k];
    onnx::ValueInfo info = v->IsTensor() ? GraphValueInfo(name, v->meta, md)
                                         : onnx::ValueInfo{name, TranslationContext::ScalarDType(v->kind), std::nullopt, md};
    // A number a TorchScript model returns (x.size(0)) is a 0-d tensor; the checker wants its shape.
    if (v->kind == ir::ValueKind::kInt || v->kind == ir::ValueKind::kFloat || v->kind == ir::ValueKind::kBool)
      info.shape = std::vector<ir::Dim>{};
    out.outputs.push_back(info);
  }
  ApplyOutputDynamicAxes(options, out);
  // Leaves of containers: dtype/shape from the value metadata recorded at capture.
  out.metadata = {{"pkg.torch.export.ExportedProgram.graph_signature", SignatureText(graph, final_names)},
                  {"pkg.torch.export.ExportedProgram.range_constraints", RangeConstraintsText(graph)}};
  auto types = optimize::InferTypes(model);
  if (LegalizeReport legal = LegalizeForOnnxRuntime(model, types); legal.float64_as_float32)
    Log().warn("{} float64 ONNX nodes are computed in float32: ONNX Runtime's CPU provider has no float64 kernel "
               "for them ({} nodes widened in all)", legal.float64_as_float32, legal.widened_nodes);
  else if (legal.widened_nodes)
    Log().info("{} ONNX nodes computed in a wider type ONNX Runtime has a kernel for", legal.widened_nodes);
  if (auto mismatches = FindInconsistentInputTypes(model, types); !mismatches.empty())
    ThrowIssues(std::to_string(mismatches.size()) + (mismatches.size() == 1 ? " node was" : " nodes were") +
                    " translated into ONNX nodes with inconsistent input types",
                std::move(mismatches));
  if (auto violations = FindTypeConstraintViolations(model, types); !violations.empty()) {
    ThrowIssues(std::to_string(violations.size()) + (violations.size() == 1 ? " node needs" : " nodes need") +
                    " ONNX types opset " + std::to_string(options.opset) + " does not have",
                std::move(violations));
  }
  return model;
}

}  // namespace t2o
