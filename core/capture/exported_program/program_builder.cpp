#include "core/capture/exported_program/program_builder.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "core/capture/exported_program/aten_schemas.h"
#include "core/capture/exported_program/pt2_reader.h"
#include "core/capture/exported_program/sym_expr.h"
#include "core/util/errors.h"
#include "core/util/json_numbers.h"

namespace t2o {

using json = nlohmann::json;

namespace {

// "torch.ops.aten.add.Tensor" -> {"aten::add", "Tensor"}; the default overload is "".
std::optional<std::pair<std::string, std::string>> SplitOpTarget(const std::string& target) {
  const std::string prefix = "torch.ops.";
  if (target.rfind(prefix, 0) != 0) return std::nullopt;
  std::string rest = target.substr(prefix.size());
  auto first = rest.find('.');
  auto last = rest.rfind('.');
  if (first == std::string::npos || first == last) return std::nullopt;
  std::string overload = rest.substr(last + 1);
  return std::make_pair(rest.substr(0, first) + "::" + rest.substr(first + 1, last - first - 1),
                        overload == "default" ? "" : overload);
}

// Python's operator module functions on SymInts -> the int ops TorchScript uses.
const std::map<std::string, std::string> kSymOps = {
    {"_operator.add", "aten::add"},       {"_operator.sub", "aten::sub"},
    {"_operator.mul", "aten::mul"},       {"_operator.floordiv", "aten::floordiv"},
    {"_operator.mod", "aten::remainder"}, {"_operator.truediv", "aten::div"},
    {"_operator.neg", "aten::neg"},       {"_operator.eq", "aten::eq"},
    {"_operator.ne", "aten::ne"},         {"_operator.lt", "aten::lt"},
    {"_operator.le", "aten::le"},         {"_operator.gt", "aten::gt"},
    {"_operator.ge", "aten::ge"},         {"torch.sym_max", "prim::max"},
    {"torch.sym_min", "prim::min"},
};

std::vector<std::string> SplitTopLevel(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '(') ++depth;
    if (c == ']' || c == ')') --depth;
    if (c == sep && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

// Strict export writes module paths as Python expressions (L['self'].layer1[0]): made
// plain (layer1.0).
std::string ModulePath(std::string path) {
  const std::string root = "L['self']";
  if (path.rfind(root, 0) == 0) path = path.substr(root.size());
  std::string out;
  for (char c : path) {
    if (c == '[') out += '.';
    else if (c != ']' && c != '\'' && c != '"') out += c;
  }
  if (!out.empty() && out[0] == '.') out.erase(0, 1);
  return out;
}

std::string ArgText(const json& a) {
  if (!a.is_object() || a.empty()) return "?";
  auto first = a.begin();  // not items().begin(): its proxy dies with the full expression
  const std::string& kind = first.key();
  const json& v = first.value();
  if (kind == "as_tensor") return "%" + v.value("name", "?");
  if (kind == "as_tensors") {
    std::string s;
    for (const auto& t : v) s += (s.empty() ? "%" : ", %") + t.value("name", "?");
    return "[" + s + "]";
  }
  if (kind == "as_sym_int" && v.contains("as_name")) return "%" + v["as_name"].get<std::string>();
  if (kind == "as_graph") return v.value("name", "?");
  if (kind == "as_none") return "None";
  return v.dump();
}

}  // namespace

ir::TensorMeta ProgramBuilder::MetaOf(const std::string& name, const json& graph_json) const {
  ir::TensorMeta meta;
  const json& values = graph_json.at("tensor_values");
  auto it = values.find(name);
  if (it == values.end()) return meta;
  const json& tm = it->contains("meta") ? (*it)["meta"] : *it;  // schema 1 wrapped it
  std::string where = "'" + path_ + "': tensor '" + name + "'";
  meta.dtype = DTypeFromSchema(ExactInt(tm.at("dtype")), where);
  meta.shape_known = true;
  for (const auto& s : tm.at("sizes")) {
    auto [kind, v] = UnionMember(s, where);
    if (kind == "as_int") {
      int64_t size = ExactInt64(*v);
      if (size < 0) throw InputError(where + ": negative size " + std::to_string(size));
      meta.shape.emplace_back(size);
    } else if (kind == "as_expr") {
      meta.shape.emplace_back(SymExprToText(v->at("expr_str").get<std::string>()));
    } else {
      throw InputError(where + ": unsupported size kind " + kind);
    }
  }
  return meta;
}

ir::Value* ProgramBuilder::DefineInput(const std::string& name, const json& graph_json) {
  ir::Value* v = graph_.NewValue(ir::ValueKind::kTensor, name);
  if (graph_json.at("tensor_values").contains(name)) {
    v->meta = MetaOf(name, graph_json);
  } else if (graph_json.contains("sym_int_values") && graph_json["sym_int_values"].contains(name)) {
    v->kind = ir::ValueKind::kInt;
  }
  env_[name] = v;
  return v;
}

ir::Value* ProgramBuilder::Const(ir::ValueKind kind, ir::Constant value) {
  ir::Value* v = graph_.NewValue(kind, "c");
  v->constant = std::move(value);
  return v;
}

ir::Value* ProgramBuilder::Lookup(const json& argument, const std::string& where) {
  auto [kind, v] = UnionMember(argument, where);
  std::string name;
  if (kind == "as_tensor") name = v->at("name").get<std::string>();
  else if (kind == "as_sym_int" || kind == "as_sym_bool" || kind == "as_sym_float") {
    auto [sub, sv] = UnionMember(*v, where);
    if (sub != "as_name") return nullptr;
    name = sv->get<std::string>();
  } else {
    return nullptr;
  }
  auto it = env_.find(name);
  if (it == env_.end()) throw InputError(where + ": the value '" + name + "' is used before it is defined");
  return it->second;
}

ir::Value* ProgramBuilder::ArgumentValue(const json& argument, ir::Block& block, const std::string& where,
                                         ir::ValueKind hint) {
  using K = ir::ValueKind;
  auto [kind, vp] = UnionMember(argument, where);
  const json& v = *vp;
  if (kind == "as_none") return Const(K::kNone, ir::NoneValue{});
  if (kind == "as_tensor" || kind == "as_sym_int" || kind == "as_sym_bool" || kind == "as_sym_float") {
    if (ir::Value* found = Lookup(argument, where)) return found;
    auto [sub, sv] = UnionMember(v, where);  // a literal SymInt/SymBool/SymFloat
    if (sub == "as_int") return Const(K::kInt, ExactInt64(*sv));
    if (sub == "as_bool") return Const(K::kBool, sv->get<bool>());
    return Const(K::kFloat, sv->get<double>());
  }
  if (kind == "as_optional_tensor") {
    auto [sub, sv] = UnionMember(v, where);
    if (sub == "as_none") return Const(K::kNone, ir::NoneValue{});
    return ArgumentValue(json{{"as_tensor", *sv}}, block, where, hint);
  }
  if (kind == "as_int") return Const(K::kInt, ExactInt64(v));
  if (kind == "as_bool") return Const(K::kBool, v.get<bool>());
  if (kind == "as_string") return Const(K::kString, v.get<std::string>());
  if (kind == "as_float") {
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      double inf = std::numeric_limits<double>::infinity();
      return Const(K::kFloat, s == "-Infinity" ? -inf : s == "NaN" ? std::nan("") : inf);
    }
    return Const(K::kFloat, v.get<double>());
  }
  if (kind == "as_ints") return Const(K::kIntList, v.get<std::vector<int64_t>>());
  if (kind == "as_floats") return Const(K::kFloatList, v.get<std::vector<double>>());
  if (kind == "as_bools") return Const(K::kBoolList, v.get<std::vector<bool>>());
  if (kind == "as_scalar_type")
    return Const(K::kInt, static_cast<int64_t>(DTypeToTorch(DTypeFromSchema(ExactInt(v), where))));
  if (kind == "as_layout") {
    int layout = ExactInt(v);
    if (layout != 7) throw InputError(where + ": only the strided layout is supported (layout #" + std::to_string(layout) + ")");
    return Const(K::kInt, int64_t{0});  // c10::Layout::Strided
  }
  if (kind == "as_memory_format") {
    static const int64_t kC10[] = {0, 0, 2, 3, 1};  // serialized -> c10::MemoryFormat
    int f = ExactInt(v);
    return Const(K::kInt, kC10[f >= 0 && f <= 4 ? f : 0]);
  }
  if (kind == "as_device") {
    std::string device = v.value("type", "cpu");
    if (v.contains("index") && !v["index"].is_null()) device += ":" + std::to_string(ExactInt(v["index"]));
    return Const(K::kDevice, device);
  }
  if (kind == "as_tensors" || kind == "as_optional_tensors" || kind == "as_sym_ints") {
    std::vector<ir::Value*> items;
    bool all_static = kind == "as_sym_ints";
    for (const auto& item : v) {
      if (kind == "as_tensors") items.push_back(ArgumentValue(json{{"as_tensor", item}}, block, where, K::kTensor));
      else if (kind == "as_optional_tensors") items.push_back(ArgumentValue(json{{"as_optional_tensor", item}}, block, where, K::kTensor));
      else items.push_back(ArgumentValue(json{{"as_sym_int", item}}, block, where, K::kInt));
      all_static = all_static && items.back()->constant.has_value();
    }
    if (all_static) {
      std::vector<int64_t> ints;
      for (ir::Value* i : items) ints.push_back(std::get<int64_t>(*i->constant));
      return Const(K::kIntList, ints);
    }
    ir::Node* list = graph_.AppendNode(block, "prim::ListConstruct", "", items, 0);
    ir::Value* out = graph_.NewValue(kind == "as_sym_ints" ? K::kIntList : K::kTensorList, "list");
    out->producer = list;
    list->outputs.push_back(out);
    return out;
  }
  throw InputError(where + ": unsupported argument kind '" + kind + "'");
}

ir::SourceLocation ProgramBuilder::Location(const json& metadata) const {
  ir::SourceLocation loc;
  if (!metadata.is_object()) return loc;
  if (metadata.contains("stack_trace")) {
    loc.stack_trace = metadata["stack_trace"].get<std::string>();
    // The innermost frame: the last `File "x.py", line N` of the trace.
    auto at = loc.stack_trace.rfind("File \"");
    if (at != std::string::npos) {
      auto end = loc.stack_trace.find('"', at + 6);
      loc.file = loc.stack_trace.substr(at + 6, end - at - 6);
      auto line = loc.stack_trace.find("line ", end);
      if (line != std::string::npos) loc.line = std::atoi(loc.stack_trace.c_str() + line + 5);
    }
  }
  if (metadata.contains("nn_module_stack")) {
    for (const auto& entry : SplitTopLevel(metadata["nn_module_stack"].get<std::string>(), ';')) {
      auto parts = SplitTopLevel(entry, ',');
      // torch.export's placeholder for nodes outside every module call (sym_size of inputs)
      if (parts.size() != 3 || parts[2] == "_empty_nn_module_stack_from_metadata_hook") continue;
      loc.module_scopes.push_back(ModulePath(parts[1]));
      loc.module_classes.push_back(parts[2]);
      loc.module_calls.push_back(parts[0]);
    }
    if (!loc.module_scopes.empty()) loc.module_path = loc.module_scopes.back();
  }
  return loc;
}

void ProgramBuilder::DefineOutputs(ir::Node* node, const json& outputs, const json& graph_json, ir::Block& block) {
  for (const auto& out : outputs) {
    auto [kind, v] = UnionMember(out, "output of " + node->Key());
    if (kind == "as_tensor") {
      std::string name = v->at("name").get<std::string>();
      ir::Value* value = graph_.NewValue(ir::ValueKind::kTensor, name);
      value->meta = MetaOf(name, graph_json);
      value->producer = node;
      node->outputs.push_back(value);
      env_[name] = value;
    } else if (kind == "as_tensors") {
      // A Tensor[] return: the list, unpacked into its elements.
      ir::Value* list = graph_.NewValue(ir::ValueKind::kTensorList, "list");
      list->producer = node;
      node->outputs.push_back(list);
      ir::Node* unpack = graph_.AppendNode(block, "prim::ListUnpack", "", {list}, 0);
      unpack->location = node->location;
      for (const auto& t : *v) {
        std::string name = t.at("name").get<std::string>();
        ir::Value* value = graph_.NewValue(ir::ValueKind::kTensor, name);
        value->meta = MetaOf(name, graph_json);
        value->producer = unpack;
        unpack->outputs.push_back(value);
        env_[name] = value;
      }
    } else if (kind == "as_sym_int" || kind == "as_sym_bool" || kind == "as_sym_float") {
      auto [sub, sv] = UnionMember(*v, "output of " + node->Key());
      std::string name = sv->get<std::string>();
      ir::Value* value = graph_.NewValue(kind == "as_sym_int" ? ir::ValueKind::kInt
                                         : kind == "as_sym_bool" ? ir::ValueKind::kBool
                                                                 : ir::ValueKind::kFloat,
                                         name);
      value->producer = node;
      node->outputs.push_back(value);
      env_[name] = value;
    } else if (kind == "as_none") {
      ir::Value* value = graph_.NewValue(ir::ValueKind::kNone, "none");
      value->producer = node;
      node->outputs.push_back(value);
    } else {
      throw InputError("'" + path_ + "': " + node->Key() + ": unsupported output kind '" + kind + "'");
    }
  }
}

void ProgramBuilder::ConvertNodes(const json& graph_json, ir::Block& block) {
  for (const auto& node : graph_json.at("nodes")) ConvertNode(node, graph_json, block);
}

void ProgramBuilder::ConvertNode(const json& node, const json& graph_json, ir::Block& block) {
  std::string target = node.at("target").get<std::string>();
  std::string first_output = node.at("outputs").empty() ? target : ArgText(node["outputs"][0]);
  std::string where = "'" + path_ + "': node " + first_output + " (" + target + ")";
  const json& inputs = node.at("inputs");
  std::ostringstream text;  // the node as torch.fx prints it, for pkg.torch.onnx.fx_node
  text << first_output << " = call_function[target=" << target << "](args = (";
  for (size_t k = 0; k < inputs.size(); ++k) text << (k ? ", " : "") << ArgText(inputs[k].at("arg"));
  text << "))";

  if (target == "torch.ops.higher_order.cond") return ConvertCond(node, graph_json, block, where);
  if (target == "torch.ops.higher_order.with_effects") return ConvertWithEffects(node, graph_json, block, where);

  std::string op, overload;
  const OperatorSchema* schema = nullptr;
  if (auto split = SplitOpTarget(target)) {
    std::tie(op, overload) = *split;
    schema = FindOperatorSchema(op, overload);
  } else if (auto sym = kSymOps.find(target); sym != kSymOps.end()) {
    op = sym->second;
  } else {
    op = target;  // kept as is: reported as unsupported with its location
  }

  std::vector<ir::Value*> args;
  if (schema) {
    std::map<std::string, const json*> by_name;
    std::vector<const json*> positional;
    for (const auto& in : inputs) {
      std::string name = in.value("name", "");
      if (name.empty()) positional.push_back(&in.at("arg"));
      else by_name[name] = &in.at("arg");
    }
    for (size_t k = 0; k < schema->arguments.size(); ++k) {
      const ArgumentSchema& a = schema->arguments[k];
      const json* given = by_name.count(a.name) ? by_name[a.name] : k < positional.size() ? positional[k] : nullptr;
      if (given) {
        ir::Value* value = ArgumentValue(*given, block, where + " argument '" + a.name + "'", a.kind);
        // An int where the schema wants a float (a Python literal 1 for `float eps`).
        if (a.kind == ir::ValueKind::kFloat && value->constant && std::holds_alternative<int64_t>(*value->constant))
          value = Const(ir::ValueKind::kFloat, static_cast<double>(std::get<int64_t>(*value->constant)));
        args.push_back(value);
        by_name.erase(a.name);
      } else if (a.default_value) {
        ir::ValueKind kind = std::holds_alternative<ir::NoneValue>(*a.default_value) ? ir::ValueKind::kNone
                             : a.kind == ir::ValueKind::kOther
                                 ? (std::holds_alternative<double>(*a.default_value) ? ir::ValueKind::kFloat
                                                                                     : ir::ValueKind::kInt)
                                 : a.kind;
        args.push_back(Const(kind, *a.default_value));
      } else {
        throw InputError(where + ": the argument '" + a.name + "' is missing");
      }
    }
    if (!by_name.empty())
      throw InputError(where + ": " + op + (overload.empty() ? "" : "." + overload) + " has no argument '" +
                       by_name.begin()->first + "'");
  } else {
    for (const auto& in : inputs) args.push_back(ArgumentValue(in.at("arg"), block, where, ir::ValueKind::kOther));
    if (kSymOps.count(target)) {
      bool all_int = true;
      for (ir::Value* a : args) all_int = all_int && a->kind == ir::ValueKind::kInt;
      overload = all_int ? "int" : "";
    }
  }
  ir::Node* n = graph_.AppendNode(block, op, overload, args, 0);
  if (schema) n->aliasing = schema->aliasing;
  n->location = Location(node.value("metadata", json::object()));
  n->debug_text = text.str();
  DefineOutputs(n, node.at("outputs"), graph_json, block);
}

// with_effects(token, op, *args, **kwargs) -> (token, *op's outputs): torch.export orders
// side-effecting ops (error checks such as _linalg_check_errors, prints) by threading an
// effect token through them. The ONNX graph has no effects to order: the wrapped op becomes
// a node of its own and every token is the one the program starts with.
void ProgramBuilder::ConvertWithEffects(const json& node, const json& graph_json, ir::Block& block,
                                        const std::string& where) {
  const json& inputs = node.at("inputs");
  const json& outputs = node.at("outputs");
  if (inputs.size() < 2 || outputs.empty()) throw InputError(where + ": expected (token, op, args...) -> (token, ...)");
  auto [kind, op] = UnionMember(inputs[1].at("arg"), where + " operator");
  if (kind != "as_operator") throw InputError(where + ": the second argument is not an operator");
  json inner = node;
  inner["target"] = *op;
  inner["inputs"] = json(inputs.begin() + 2, inputs.end());
  json results = json(outputs.begin() + 1, outputs.end());
  if (results.size() == 1 && results[0].contains("as_none")) results = json::array();  // an op returning nothing
  inner["outputs"] = results;
  ConvertNode(inner, graph_json, block);
  auto [token_kind, token] = UnionMember(outputs[0], where + " token");
  if (token_kind == "as_tensor") env_[token->at("name").get<std::string>()] = DefineToken("token");
}

ir::Value* ProgramBuilder::DefineConstantInput(const std::string& name, const json& value) {
  ir::Value* v = ArgumentValue(value, graph_.top, "'" + path_ + "': constant input '" + name + "'", ir::ValueKind::kOther);
  env_[name] = v;
  return v;
}

ir::Value* ProgramBuilder::DefineToken(const std::string& name) {
  ir::Value* v = Const(ir::ValueKind::kNone, ir::NoneValue{});
  env_[name] = v;
  return v;
}

// cond(pred, true_graph, false_graph, operands) -> prim::If whose blocks are the branch
// graphs with their inputs bound to the operands.
void ProgramBuilder::ConvertCond(const json& node, const json& graph_json, ir::Block& block, const std::string& where) {
  const json& inputs = node.at("inputs");
  if (inputs.size() != 4) throw InputError(where + ": cond takes 4 arguments, found " + std::to_string(inputs.size()));
  ir::Value* pred = ArgumentValue(inputs[0].at("arg"), block, where + " predicate", ir::ValueKind::kBool);
  std::vector<ir::Value*> operands;
  auto [kind, ops] = UnionMember(inputs[3].at("arg"), where);
  if (kind != "as_tensors") throw InputError(where + ": cond operands must be tensors, found " + kind);
  for (const auto& t : *ops) operands.push_back(ArgumentValue(json{{"as_tensor", t}}, block, where, ir::ValueKind::kTensor));
  ir::Node* n = graph_.AppendNode(block, "prim::If", "", {pred}, 0);
  n->location = Location(node.value("metadata", json::object()));
  n->debug_text = ArgText(node["outputs"][0]) + " = call_function[target=torch.ops.higher_order.cond]";
  for (int branch = 1; branch <= 2; ++branch) {
    auto [gkind, g] = UnionMember(inputs[branch].at("arg"), where);
    if (gkind != "as_graph") throw InputError(where + ": cond branch " + std::to_string(branch) + " is not a graph");
    const json& sub = g->at("graph");
    const json& sub_inputs = sub.at("inputs");
    if (sub_inputs.size() != operands.size())
      throw InputError(where + ": branch " + g->value("name", "?") + " takes " + std::to_string(sub_inputs.size()) +
                       " inputs for " + std::to_string(operands.size()) + " operands");
    for (size_t k = 0; k < operands.size(); ++k) {
      auto [ik, iv] = UnionMember(sub_inputs[k], where);
      env_[iv->at("name").get<std::string>()] = operands[k];
    }
    auto outer = env_;  // branch names are local to the branch graph
    n->blocks.push_back(std::make_unique<ir::Block>());
    ir::Block& body = *n->blocks.back();
    ConvertNodes(sub, body);
    for (const auto& out : sub.at("outputs")) {
      ir::Value* v = Lookup(out, where);
      if (!v) throw InputError(where + ": a cond branch returns a constant, which is not supported");
      body.outputs.push_back(v);
    }
    env_ = std::move(outer);
  }
  DefineOutputs(n, node.at("outputs"), graph_json, block);
}

}  // namespace t2o
