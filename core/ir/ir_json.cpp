#include "core/ir/ir_json.h"

namespace t2o::ir {
namespace {

using nlohmann::json;

// Small tensors are written out; large ones are described by dtype and shape only.
constexpr int64_t kMaxInlineElements = 16;

json DimJson(const Dim& d) {
  if (const auto* n = std::get_if<int64_t>(&d)) return *n;
  return std::get<std::string>(d);
}

json ConstantJson(const Constant& c) {
  struct Visitor {
    json operator()(const NoneValue&) const { return nullptr; }
    json operator()(bool b) const { return b; }
    json operator()(int64_t i) const { return i; }
    json operator()(double d) const { return d; }
    json operator()(const std::string& s) const { return s; }
    json operator()(const std::vector<int64_t>& v) const { return v; }
    json operator()(const std::vector<double>& v) const { return v; }
    json operator()(const std::vector<bool>& v) const { return v; }
    json operator()(const TensorData& t) const {
      json out = {{"dtype", DTypeName(t.dtype)}, {"shape", t.shape}};
      if (t.numel() <= kMaxInlineElements && t.bytes) {
        json values = json::array();
        for (int64_t i = 0; i < t.numel(); ++i) values.push_back(t.ElementAsDouble(i));
        out["values"] = values;
      }
      return out;
    }
  };
  return std::visit(Visitor{}, c);
}

json ValueJson(const Value& v) {
  json out = {{"name", v.name}, {"kind", ValueKindName(v.kind)}};
  if (v.IsTensor()) {
    out["dtype"] = DTypeName(v.meta.dtype);
    if (v.meta.shape_known) {
      json shape = json::array();
      for (const auto& d : v.meta.shape) shape.push_back(DimJson(d));
      out["shape"] = shape;
    }
  }
  if (v.constant) out["constant"] = ConstantJson(*v.constant);
  return out;
}

json LocationJson(const SourceLocation& loc) {
  json out = json::object();
  if (!loc.file.empty()) out["file"] = loc.file, out["line"] = loc.line;
  if (!loc.module_path.empty()) out["module_path"] = loc.module_path;
  if (!loc.module_classes.empty()) out["class_hierarchy"] = loc.module_classes;
  if (!loc.stack_trace.empty()) out["stack_trace"] = loc.stack_trace;
  return out;
}

json BlockJson(const Block& block) {
  json nodes = json::array();
  for (const auto& node : block.nodes) {
    json inputs = json::array();
    for (const Value* in : node->inputs) {
      if (!in)
        inputs.push_back(nullptr);
      else if (in->constant && !in->producer)
        inputs.push_back(ValueJson(*in));
      else
        inputs.push_back(in->name);
    }
    json outputs = json::array();
    for (const Value* out : node->outputs) outputs.push_back(ValueJson(*out));
    json n = {{"op", node->op}, {"overload", node->overload}, {"inputs", inputs}, {"outputs", outputs}};
    json location = LocationJson(node->location);
    if (!location.empty()) n["location"] = location;
    if (!node->blocks.empty()) {
      json blocks = json::array();
      for (const auto& inner : node->blocks) blocks.push_back(BlockJson(*inner));
      n["blocks"] = blocks;
    }
    nodes.push_back(n);
  }
  json inputs = json::array(), outputs = json::array();
  for (const Value* v : block.inputs) inputs.push_back(ValueJson(*v));
  for (const Value* v : block.outputs) outputs.push_back(v->name);
  return {{"inputs", inputs}, {"nodes", nodes}, {"outputs", outputs}};
}

}  // namespace

json GraphToJson(const Graph& graph) {
  json inputs = json::array();
  for (const auto& in : graph.inputs) {
    json i = ValueJson(*in.value);
    i["input_kind"] = InputKindName(in.kind);
    i["target"] = in.target;
    if (in.kind == InputKind::kBuffer) i["persistent"] = in.persistent;
    inputs.push_back(i);
  }
  json outputs = json::array();
  for (const auto& out : graph.outputs)
    outputs.push_back({{"name", out.name}, {"value", out.value->name}, {"output_kind", OutputKindName(out.kind)}});
  json symbols = json::object();
  for (const auto& [name, range] : graph.symbols)
    symbols[name] = {{"min", range.min}, {"max", range.max ? json(*range.max) : json(nullptr)}};
  json top = BlockJson(graph.top);
  return {{"source_format", graph.source_format}, {"inputs", inputs}, {"outputs", outputs},
          {"nodes", top["nodes"]}, {"symbols", symbols}};
}

}  // namespace t2o::ir
