#include "core/translate/context.h"

#include <cstring>
#include <sstream>

#include "core/util/errors.h"

namespace t2o {

namespace {

// A translator's message without a leading "OP: ": the report prints the op before
// every message already. (A sentence with the op as its subject stays whole.)
std::string WithoutOpName(const std::string& message, const std::string& op) {
  const std::string prefix = op + ": ";
  return message.compare(0, prefix.size(), prefix) == 0 ? message.substr(prefix.size()) : message;
}

// Thrown when a node's input was not translated because an earlier node failed; the
// driver drops it silently (the earlier failure is what the user needs to see).
struct MissingBinding : std::runtime_error {
  MissingBinding() : std::runtime_error("input not translated") {}
};

std::string PyListRepr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", '" : "'") + items[i] + "'";
  return out + "]";
}

std::string ConstantKey(const TensorData& data) {
  std::string key(DTypeName(data.dtype));
  for (int64_t d : data.shape) key += "," + std::to_string(d);
  key += ":";
  key.append(reinterpret_cast<const char*>(data.bytes), data.nbytes);
  return key;
}

}  // namespace

TranslationContext::TranslationContext(const Registry& registry, int opset,
                                       onnx::OnnxGraph& main_graph)
    : registry_(registry), opset_(opset) {
  graph_stack_.push_back(&main_graph);
}

DType TranslationContext::ScalarDType(ir::ValueKind kind) {
  switch (kind) {
    case ir::ValueKind::kInt:
    case ir::ValueKind::kIntList: return DType::kInt64;
    case ir::ValueKind::kFloat:
    case ir::ValueKind::kFloatList: return DType::kFloat32;
    case ir::ValueKind::kBool:
    case ir::ValueKind::kBoolList: return DType::kBool;
    default: return DType::kUndefined;
  }
}

const ir::Value& TranslationContext::InputValue(size_t i) const {
  if (i >= node_->inputs.size() || node_->inputs[i] == nullptr)
    throw UnsupportedError(node_->Key() + ": argument " + std::to_string(i) + " is missing");
  return *node_->inputs[i];
}

int64_t TranslationContext::Rank(size_t i) const {
  const auto& meta = Meta(i);
  if (!meta.shape_known)
    throw UnsupportedError(node_->Key() + ": the rank of input " + std::to_string(i) +
                           " is unknown");
  return static_cast<int64_t>(meta.rank());
}

const ir::TensorMeta& TranslationContext::OutMeta(size_t j) const {
  if (j >= node_->outputs.size())
    throw UnsupportedError(node_->Key() + ": no output " + std::to_string(j));
  return node_->outputs[j]->meta;
}

DType TranslationContext::InDType(size_t i) const {
  const ir::Value& v = InputValue(i);
  if (v.IsTensor()) return v.meta.dtype;
  if (v.constant)
    if (auto* t = std::get_if<TensorData>(&*v.constant)) return t->dtype;
  return ScalarDType(v.kind);
}

DType TranslationContext::OutDType(size_t j) const {
  const ir::Value* v = node_->outputs.at(j);
  return v->IsTensor() ? v->meta.dtype : ScalarDType(v->kind);
}

const Binding* TranslationContext::Find(const ir::Value* value) const {
  auto it = bindings_.find(value);
  return it == bindings_.end() ? nullptr : &it->second;
}

std::string TranslationContext::FreshName(const std::string& hint) {
  std::string base = hint.empty() ? "val" : hint;
  for (auto& c : base)
    if (c == ' ' || c == ':') c = '_';
  std::string name = base;
  int& next = name_counts_[base];
  while (used_names_.count(name)) name = base + "_" + std::to_string(++next);
  used_names_.insert(name);
  return name;
}

// ---------------------------------------------------------------------------- arguments

const ir::Constant* TranslationContext::ConstantOf(size_t i) const {
  const ir::Value& v = InputValue(i);
  return v.constant ? &*v.constant : nullptr;
}

void TranslationContext::ArgError(size_t i, const char* arg, const std::string& want) const {
  std::ostringstream os;
  os << node_->Key() << ": argument '" << arg << "' (#" << i << ") must be " << want;
  const ir::Value& v = InputValue(i);
  if (v.constant)
    os << ", got " << ir::ConstantToString(*v.constant);
  else
    os << ", got a value computed at run time";
  throw UnsupportedError(os.str());
}

bool TranslationContext::IsNone(size_t i) const {
  if (i >= node_->inputs.size() || node_->inputs[i] == nullptr) return true;
  const ir::Value& v = *node_->inputs[i];
  return v.kind == ir::ValueKind::kNone ||
         (v.constant && std::holds_alternative<ir::NoneValue>(*v.constant));
}

bool TranslationContext::IsConstant(size_t i) const { return ConstantOf(i) != nullptr; }

int64_t TranslationContext::ConstInt(size_t i, const char* arg) const {
  const ir::Constant* c = ConstantOf(i);
  if (c) {
    if (auto* v = std::get_if<int64_t>(c)) return *v;
    if (auto* b = std::get_if<bool>(c)) return *b ? 1 : 0;
    if (auto* t = std::get_if<TensorData>(c); t && t->numel() == 1 && !IsFloating(t->dtype))
      return t->ElementAsInt(0);
  }
  ArgError(i, arg, "a constant int");
}

double TranslationContext::ConstDouble(size_t i, const char* arg) const {
  const ir::Constant* c = ConstantOf(i);
  if (c) {
    if (auto* v = std::get_if<double>(c)) return *v;
    if (auto* v = std::get_if<int64_t>(c)) return static_cast<double>(*v);
    if (auto* b = std::get_if<bool>(c)) return *b ? 1.0 : 0.0;
    if (auto* t = std::get_if<TensorData>(c); t && t->numel() == 1) return t->ElementAsDouble(0);
  }
  ArgError(i, arg, "a constant number");
}

bool TranslationContext::ConstBool(size_t i, const char* arg) const {
  const ir::Constant* c = ConstantOf(i);
  if (c) {
    if (auto* b = std::get_if<bool>(c)) return *b;
    if (auto* v = std::get_if<int64_t>(c)) return *v != 0;
  }
  ArgError(i, arg, "a constant bool");
}

std::string TranslationContext::ConstString(size_t i, const char* arg) const {
  const ir::Constant* c = ConstantOf(i);
  if (c)
    if (auto* s = std::get_if<std::string>(c)) return *s;
  ArgError(i, arg, "a constant string");
}

std::vector<int64_t> TranslationContext::ConstInts(size_t i, const char* arg) const {
  const ir::Constant* c = ConstantOf(i);
  if (c) {
    if (auto* v = std::get_if<std::vector<int64_t>>(c)) return *v;
    if (auto* v = std::get_if<int64_t>(c)) return {*v};
    if (auto* v = std::get_if<std::vector<bool>>(c)) return std::vector<int64_t>(v->begin(), v->end());
  }
  ArgError(i, arg, "a constant int list");
}

std::vector<double> TranslationContext::ConstDoubles(size_t i, const char* arg) const {
  const ir::Constant* c = ConstantOf(i);
  if (c) {
    if (auto* v = std::get_if<std::vector<double>>(c)) return *v;
    if (auto* v = std::get_if<double>(c)) return {*v};
    if (auto* v = std::get_if<std::vector<int64_t>>(c)) return std::vector<double>(v->begin(), v->end());
  }
  ArgError(i, arg, "a constant float list");
}

std::optional<int64_t> TranslationContext::OptionalConstInt(size_t i, const char* arg) const {
  if (IsNone(i)) return std::nullopt;
  return ConstInt(i, arg);
}

std::optional<double> TranslationContext::OptionalConstDouble(size_t i, const char* arg) const {
  if (IsNone(i)) return std::nullopt;
  return ConstDouble(i, arg);
}

std::optional<std::vector<int64_t>> TranslationContext::OptionalConstInts(size_t i,
                                                                         const char* arg) const {
  if (IsNone(i)) return std::nullopt;
  return ConstInts(i, arg);
}

std::optional<DType> TranslationContext::OptionalDType(size_t i, const char* arg) const {
  if (IsNone(i)) return std::nullopt;
  DType dtype = DTypeFromTorch(static_cast<int>(ConstInt(i, arg)));
  if (dtype == DType::kUndefined) ArgError(i, arg, "a supported dtype");
  return dtype;
}

// ------------------------------------------------------------------- materialization

std::string TranslationContext::Materialize(const ir::Value& value) {
  if (const Binding* b = Find(&value)) {
    if (!b->is_list) return b->name;
    // An int/float/bool list with per-element bindings: build a 1-D tensor.
    DType dtype = ScalarDType(value.kind);
    if (dtype == DType::kUndefined)
      throw UnsupportedError("a list of tensors cannot be used as a single tensor here");
    std::vector<std::string> parts;
    for (const auto& e : b->elements) {
      if (e.is_list) throw UnsupportedError("nested lists are not supported here");
      parts.push_back(Op("Unsqueeze", {e.name, ConstInt64s({0})}));
    }
    if (parts.empty()) return Constant(TensorData::FromVector<int64_t>(dtype, {0}, {}));
    return parts.size() == 1 ? parts[0] : Op("Concat", parts, {{"axis", int64_t{0}}});
  }
  if (!value.constant) throw MissingBinding();
  const ir::Constant& c = *value.constant;
  if (auto* t = std::get_if<TensorData>(&c)) return Constant(*t);
  if (auto* v = std::get_if<int64_t>(&c)) return ConstInt64(*v);
  if (auto* v = std::get_if<double>(&c)) return ConstScalar(*v, DType::kFloat32);
  if (auto* v = std::get_if<bool>(&c)) return ConstScalar(*v ? 1 : 0, DType::kBool);
  if (auto* v = std::get_if<std::vector<int64_t>>(&c)) return ConstInt64s(*v);
  if (auto* v = std::get_if<std::vector<double>>(&c)) {
    std::vector<float> f(v->begin(), v->end());
    return Constant(TensorData::FromVector<float>(DType::kFloat32, {int64_t(f.size())}, f));
  }
  if (auto* v = std::get_if<std::vector<bool>>(&c)) {
    std::vector<uint8_t> b(v->begin(), v->end());
    return Constant(TensorData::FromVector<uint8_t>(DType::kBool, {int64_t(b.size())}, b));
  }
  throw UnsupportedError("value %" + value.name + " (" + ir::ConstantToString(c) +
                         ") cannot be represented as an ONNX tensor");
}

std::string TranslationContext::Input(size_t i) { return Materialize(InputValue(i)); }

std::optional<std::string> TranslationContext::OptionalInput(size_t i) {
  if (IsNone(i)) return std::nullopt;
  return Input(i);
}

std::string TranslationContext::IntListInput(size_t i) {
  const ir::Value& v = InputValue(i);
  if (v.constant) return ConstInt64s(ConstInts(i, "list"));
  std::string name = Materialize(v);
  // A single dynamic int where an int[] is expected (e.g. `size=n`).
  if (v.kind == ir::ValueKind::kInt) return Op("Unsqueeze", {name, ConstInt64s({0})});
  return name;
}

std::string TranslationContext::ScalarInput(size_t i, DType dtype) {
  const ir::Value& v = InputValue(i);
  if (v.constant) {
    if (auto* t = std::get_if<TensorData>(&*v.constant)) return Cast(Constant(*t), t->dtype, dtype);
    // Integers stay exact (through a double, INT64_MAX, slicing's "to the end", would overflow).
    if (auto* n = std::get_if<int64_t>(&*v.constant); n && (IsIntegral(dtype) || dtype == DType::kBool))
      return Cast(ConstInt64(*n), DType::kInt64, dtype);
    return ConstScalar(ConstDouble(i, "scalar"), dtype);
  }
  std::string name = Materialize(v);
  DType have = v.IsTensor() ? v.meta.dtype : ScalarDType(v.kind);
  return Cast(name, have, dtype);
}

std::vector<std::string> TranslationContext::TensorListInput(size_t i) {
  const ir::Value& v = InputValue(i);
  const Binding* b = Find(&v);
  if (!b) throw MissingBinding();
  if (!b->is_list) throw UnsupportedError(node_->Key() + ": expected a list of tensors");
  std::vector<std::string> names;
  for (const auto& e : b->elements) {
    if (e.is_list) throw UnsupportedError(node_->Key() + ": nested tensor lists are not supported");
    names.push_back(e.name);
  }
  return names;
}

std::string TranslationContext::OperandAs(size_t i, DType dtype) {
  const ir::Value& v = InputValue(i);
  if (v.IsTensor() && !v.constant) return Cast(Input(i), v.meta.dtype, dtype);
  return ScalarInput(i, dtype);
}

// ------------------------------------------------------------------------- emission

std::vector<std::string> TranslationContext::OpMulti(const std::string& op_type,
                                                     const std::vector<std::string>& inputs,
                                                     size_t num_outputs,
                                                     std::vector<onnx::Attr> attrs,
                                                     const std::string& domain) {
  onnx::OnnxNode n;
  n.op_type = op_type;
  n.domain = domain;
  n.inputs = inputs;
  for (auto& in : n.inputs)  // a value SetOutput renamed earlier in this node
    if (auto it = renamed_.find(in); it != renamed_.end()) in = it->second;
  std::string hint = node_ ? (node_->outputs.empty() ? node_->op : node_->outputs[0]->name) : op_type;
  for (size_t k = 0; k < num_outputs; ++k) n.outputs.push_back(FreshName(op_type + "_" + hint));
  n.name = n.outputs.empty() ? FreshName("node_" + op_type) : "node_" + n.outputs[0];
  n.attrs = std::move(attrs);
  n.metadata = node_metadata_;
  n.origin = node_;
  current_graph().nodes.push_back(std::move(n));
  return current_graph().nodes.back().outputs;
}

std::string TranslationContext::Op(const std::string& op_type, const std::vector<std::string>& inputs,
                                   std::vector<onnx::Attr> attrs) {
  return OpMulti(op_type, inputs, 1, std::move(attrs))[0];
}

std::string TranslationContext::Constant(const TensorData& data) {
  // Constants live in the main graph, where every subgraph can see them.
  onnx::OnnxGraph& main = *graph_stack_.front();
  bool small = data.nbytes <= 256;
  std::string key;
  if (small) {
    key = ConstantKey(data);
    auto it = constant_cache_.find(key);
    if (it != constant_cache_.end()) return it->second;
  }
  std::string name = FreshName("const");
  main.initializers.push_back(onnx::Initializer{name, data, {}, false});
  if (small) constant_cache_[key] = name;
  return name;
}

std::string TranslationContext::ConstInt64s(const std::vector<int64_t>& values) {
  return Constant(TensorData::FromVector<int64_t>(DType::kInt64, {int64_t(values.size())}, values));
}

std::string TranslationContext::ConstInt64(int64_t value) {
  return Constant(TensorData::FromVector<int64_t>(DType::kInt64, {}, {value}));
}

std::string TranslationContext::ConstScalar(double value, DType dtype) {
  switch (dtype) {
    case DType::kFloat32:
      return Constant(TensorData::FromVector<float>(dtype, {}, {static_cast<float>(value)}));
    case DType::kFloat64: return Constant(TensorData::FromVector<double>(dtype, {}, {value}));
    case DType::kInt64:
      return Constant(TensorData::FromVector<int64_t>(dtype, {}, {static_cast<int64_t>(value)}));
    case DType::kInt32:
      return Constant(TensorData::FromVector<int32_t>(dtype, {}, {static_cast<int32_t>(value)}));
    case DType::kInt16:
      return Constant(TensorData::FromVector<int16_t>(dtype, {}, {static_cast<int16_t>(value)}));
    case DType::kInt8:
      return Constant(TensorData::FromVector<int8_t>(dtype, {}, {static_cast<int8_t>(value)}));
    case DType::kUInt8:
      return Constant(TensorData::FromVector<uint8_t>(dtype, {}, {static_cast<uint8_t>(value)}));
    case DType::kBool:
      return Constant(TensorData::FromVector<uint8_t>(dtype, {}, {static_cast<uint8_t>(value != 0)}));
    default: {
      // float16 / bfloat16: make a float32 constant and cast it.
      std::string f = ConstScalar(value, DType::kFloat32);
      return Cast(f, DType::kFloat32, dtype);
    }
  }
}

std::string TranslationContext::Cast(const std::string& value, DType from, DType to) {
  if (from == to || to == DType::kUndefined) return value;
  return Op("Cast", {value}, {{"to", int64_t{DTypeToOnnx(to)}}});
}

// -------------------------------------------------------------------------- results

void TranslationContext::SetOutput(size_t j, const std::string& onnx_name) {
  const ir::Value* out = node_->outputs.at(j);
  // Give the ONNX value the IR value's name when this node produced it, so the ONNX
  // graph reads like the PyTorch one and intermediate values can be matched by name.
  // (Later Op calls of the same translator may still pass the old name: renamed_ maps it.)
  auto& nodes = current_graph().nodes;
  auto earlier = renamed_.find(onnx_name);
  std::string final_name = earlier != renamed_.end() ? earlier->second : onnx_name;
  for (size_t k = first_emitted_; k < nodes.size() && earlier == renamed_.end(); ++k) {
    for (auto& o : nodes[k].outputs) {
      if (o != onnx_name) continue;
      std::string nice = FreshName(out->name);
      for (size_t m = first_emitted_; m < nodes.size(); ++m)
        for (auto& in : nodes[m].inputs)
          if (in == onnx_name) in = nice;
      o = nice;
      nodes[k].name = "node_" + nice;
      final_name = nice;
      renamed_[onnx_name] = nice;
      goto done;
    }
  }
done:
  Binding b;
  b.name = final_name;
  bindings_[out] = std::move(b);
}

void TranslationContext::SetOutputBinding(size_t j, Binding binding) {
  bindings_[node_->outputs.at(j)] = std::move(binding);
}

// --------------------------------------------------------------------- node driving

onnx::Metadata TranslationContext::NodeMetadata(const ir::Node& node) const {
  const ir::SourceLocation& loc = node.location;
  std::string target = node.Key();
  std::string node_name = node.outputs.empty() ? node.op : node.outputs[0]->name;
  std::string ns;
  std::vector<std::string> classes = loc.module_classes;
  std::vector<std::string> scopes;
  for (size_t k = 0; k < loc.module_scopes.size(); ++k) {
    const std::string& scope = loc.module_scopes[k];
    std::string leaf = scope.substr(scope.rfind('.') == std::string::npos ? 0 : scope.rfind('.') + 1);
    scopes.push_back(leaf);
    ns += scope + ": " + (k < classes.size() ? classes[k] : std::string("?")) + "/";
  }
  ns += node_name + ": " + target;
  classes.push_back(target);
  scopes.push_back(node_name);
  onnx::Metadata md{
      {"namespace", ns},
      {"pkg.torch.onnx.class_hierarchy", PyListRepr(classes)},
      {"pkg.torch.onnx.fx_node", node.debug_text},
      {"pkg.torch.onnx.name_scopes", PyListRepr(scopes)},
  };
  if (!loc.stack_trace.empty()) md.emplace_back("pkg.torch.onnx.stack_trace", loc.stack_trace);
  return md;
}

void TranslationContext::TranslateNode(const ir::Node& node) {
  bool in_place = false;
  const bool complex = OnComplexTensors(node);
  const TranslatorEntry* entry = registry_.FindAllowingInPlace(node.op, node.overload, opset_, &in_place, complex);
  if (!entry) {
    failures_.push_back({&node, "no translator for " + node.Key() + (complex ? " on complex tensors" : "") + " at opset " +
                                    std::to_string(opset_)});
    return;
  }
  const ir::Node* saved_node = node_;
  onnx::Metadata saved_metadata = std::move(node_metadata_);
  size_t saved_first = first_emitted_;
  std::map<std::string, std::string> saved_renamed = std::move(renamed_);
  renamed_.clear();
  node_ = &node;
  node_metadata_ = NodeMetadata(node);
  first_emitted_ = current_graph().nodes.size();
  try {
    entry->fn(*this);
    for (size_t j = 0; j < node.outputs.size(); ++j)
      // An output nothing reads may stay unproduced (e.g. unused pooling indices).
      if (!Find(node.outputs[j]) && !node.outputs[j]->constant && !node.outputs[j]->uses.empty())
        throw UnsupportedError("translator " + entry->key + " did not produce output " +
                               std::to_string(j));
    // `x.relu_()` was translated as `relu(x)`: later readers of x must see the result.
    if (in_place && !node.inputs.empty() && !node.outputs.empty())
      if (const Binding* b = Find(node.outputs[0])) Bind(node.inputs[0], *b);
  } catch (const MissingBinding&) {
    // An input failed earlier; that failure is already recorded.
  } catch (const std::exception& e) {
    failures_.push_back({&node, WithoutOpName(e.what(), node.Key())});
  }
  node_ = saved_node;
  node_metadata_ = std::move(saved_metadata);
  first_emitted_ = saved_first;
  renamed_ = std::move(saved_renamed);
}

void TranslationContext::TranslateBlockNodes(const ir::Block& block) {
  for (const auto& node : block.nodes) {
    // Values folded at capture time need no ONNX node at all.
    bool all_constant = !node->outputs.empty();
    for (const ir::Value* out : node->outputs) all_constant = all_constant && out->constant.has_value();
    if (all_constant && node->blocks.empty()) continue;
    TranslateNode(*node);
  }
}

std::shared_ptr<onnx::OnnxGraph> TranslationContext::TranslateSubgraph(
    const ir::Block& block, std::vector<SubgraphInput> inputs, const std::string& name) {
  auto graph = std::make_shared<onnx::OnnxGraph>();
  graph->name = FreshName(name);
  for (auto& in : inputs) {
    in.info.name = FreshName(in.info.name);
    if (in.value) Bind(in.value, Binding{in.info.name, {}, false});
    graph->inputs.push_back(in.info);
  }
  graph_stack_.push_back(graph.get());
  const ir::Node* saved_node = node_;
  onnx::Metadata saved_metadata = node_metadata_;
  size_t saved_first = first_emitted_;
  try {
    TranslateBlockNodes(block);
    node_ = saved_node;
    node_metadata_ = saved_metadata;
    first_emitted_ = graph->nodes.size();
    for (const ir::Value* out : block.outputs) {
      std::string produced = Materialize(*out);
      // Subgraph outputs must be produced inside the subgraph.
      bool inside = false;
      for (const auto& n : graph->nodes)
        for (const auto& o : n.outputs) inside = inside || o == produced;
      if (!inside) produced = Op("Identity", {produced});
      onnx::ValueInfo info;
      info.name = produced;
      info.dtype = out->IsTensor() ? out->meta.dtype : ScalarDType(out->kind);
      // Rank only: sizes may differ between branches or loop iterations.
      info.shape = std::vector<ir::Dim>(out->IsTensor() ? out->meta.rank() : 0, ir::Dim{std::string()});
      graph->outputs.push_back(info);
    }
  } catch (...) {
    graph_stack_.pop_back();
    node_ = saved_node;
    node_metadata_ = saved_metadata;
    first_emitted_ = saved_first;
    throw;
  }
  graph_stack_.pop_back();
  first_emitted_ = saved_first;
  return graph;
}

std::shared_ptr<onnx::OnnxGraph> TranslationContext::BuildSubgraph(const std::string& name,
                                                                  std::vector<onnx::ValueInfo> inputs,
                                                                  const SubgraphBody& body) {
  auto graph = std::make_shared<onnx::OnnxGraph>();
  graph->name = FreshName(name);
  std::vector<std::string> names;
  for (auto& in : inputs) {
    in.name = FreshName(in.name);
    names.push_back(in.name);
    graph->inputs.push_back(in);
  }
  graph_stack_.push_back(graph.get());
  size_t saved_first = first_emitted_;
  first_emitted_ = 0;
  try {
    for (onnx::ValueInfo out : body(names)) {
      bool inside = false;  // subgraph outputs must be produced inside the subgraph
      for (const auto& n : graph->nodes)
        for (const auto& o : n.outputs) inside = inside || o == out.name;
      if (!inside) out.name = Op("Identity", {out.name});
      graph->outputs.push_back(out);
    }
  } catch (...) {
    graph_stack_.pop_back();
    first_emitted_ = saved_first;
    throw;
  }
  graph_stack_.pop_back();
  first_emitted_ = saved_first;
  return graph;
}

}  // namespace t2o
