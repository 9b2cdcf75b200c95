#include "core/capture/torchscript/ir_builder.h"

#include <optional>

#include <algorithm>
#include <regex>
#include <sstream>

#include "core/capture/torch_interop.h"

namespace t2o::torchscript {
namespace {

ir::ValueKind KindOf(const c10::TypePtr& type, const c10::IValue* observed) {
  using c10::TypeKind;
  switch (type->kind()) {
    case TypeKind::TensorType: return ir::ValueKind::kTensor;
    case TypeKind::IntType:
    case TypeKind::SymIntType: return ir::ValueKind::kInt;
    case TypeKind::FloatType: return ir::ValueKind::kFloat;
    case TypeKind::BoolType: return ir::ValueKind::kBool;
    case TypeKind::StringType: return ir::ValueKind::kString;
    case TypeKind::NoneType: return ir::ValueKind::kNone;
    case TypeKind::DeviceObjType: return ir::ValueKind::kDevice;
    case TypeKind::TupleType: return ir::ValueKind::kTuple;
    case TypeKind::DictType: return ir::ValueKind::kDict;
    case TypeKind::ListType: {
      auto element = type->expectRef<c10::ListType>().getElementType();
      if (element->kind() == TypeKind::IntType) return ir::ValueKind::kIntList;
      if (element->kind() == TypeKind::FloatType) return ir::ValueKind::kFloatList;
      if (element->kind() == TypeKind::BoolType) return ir::ValueKind::kBoolList;
      return ir::ValueKind::kTensorList;
    }
    default: break;
  }
  // Scalar, Optional[T], Any: decided by what the example run produced.
  if (observed) {
    if (observed->isTensor()) return ir::ValueKind::kTensor;
    if (observed->isInt()) return ir::ValueKind::kInt;
    if (observed->isDouble()) return ir::ValueKind::kFloat;
    if (observed->isBool()) return ir::ValueKind::kBool;
    if (observed->isNone()) return ir::ValueKind::kNone;
    if (observed->isIntList()) return ir::ValueKind::kIntList;
    if (observed->isTensorList()) return ir::ValueKind::kTensorList;
  }
  if (auto optional = type->cast<c10::OptionalType>()) return KindOf(optional->getElementType(), nullptr);
  return ir::ValueKind::kOther;
}

ir::TensorMeta MetaOf(const at::Tensor& t) {
  ir::TensorMeta meta;
  meta.dtype = DTypeFromTorch(static_cast<int>(t.scalar_type()));
  meta.shape_known = true;
  for (int64_t d : t.sizes()) meta.shape.emplace_back(d);
  return meta;
}

}  // namespace

std::string ClassName(const c10::ClassTypePtr& type) {
  if (!type || !type->name()) return "?";
  std::string name = type->name()->qualifiedName();
  const std::string prefix = "__torch__.";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  // TorchScript renames the classes of differently-configured instances: drop that.
  static const std::string mangle = "___torch_mangle_";
  for (size_t at = name.find(mangle); at != std::string::npos; at = name.find(mangle)) {
    size_t end = name.find('.', at);
    name.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
  }
  return name;
}

namespace {

// The user's Python source for a range of serialized TorchScript code, when the file kept it.
std::optional<std::tuple<std::string, size_t, std::string>> OriginalFrame(const jit::SourceRange& range) {
  jit::SourceRange original = range.findSourceRangeThatGenerated().value_or(range);
  auto flc = original.file_line_col();
  if (!flc) return std::nullopt;
  auto [file, line, col] = *flc;
  std::string text;
  if (auto source = original.source()) {
    size_t lineno = source->lineno_for_offset(original.start());
    text = source->get_line(lineno).str();
    size_t first = text.find_first_not_of(' ');
    text = first == std::string::npos ? "" : text.substr(first);
  }
  return std::make_tuple(file, line, text);
}

// A traced op's source is the Python stack recorded by the tracer, innermost first, one
// "path(line): function" per line. Returns the frames, or nothing for other sources.
std::vector<std::tuple<std::string, int, std::string>> TracedStack(const jit::SourceRange& range) {
  std::vector<std::tuple<std::string, int, std::string>> frames;
  jit::SourceRange original = range.findSourceRangeThatGenerated().value_or(range);
  auto source = original.source();
  if (!source) return frames;
  static const std::regex kFrame(R"(^(.+)\((\d+)\): (.+)$)");
  std::istringstream lines(source->text_str().str());
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, kFrame)) return {};
    frames.emplace_back(m[1], std::stoi(m[2]), m[3]);
  }
  return frames;
}

// Frames of PyTorch itself and of the tracing machinery say little about the model.
bool IsLibraryFrame(const std::string& file) {
  return file.find("/torch/nn/") != std::string::npos || file.find("/torch/jit/") != std::string::npos ||
         file.find("/torch/_tensor.py") != std::string::npos || file.find("/torch/functional.py") != std::string::npos ||
         file.find("/torch/__init__.py") != std::string::npos || file.find("/torch/overrides.py") != std::string::npos;
}

ir::SourceLocation LocationOf(jit::Node* node, const std::string& root_class) {
  ir::SourceLocation loc;
  loc.module_scopes.push_back("");
  loc.module_classes.push_back(root_class);
  loc.module_calls.push_back("");
  std::ostringstream trace;
  // Scripted code: outermost call first, the op itself last, as a Python traceback prints.
  auto add_frame = [&](const jit::SourceRange& range) {
    auto frame = OriginalFrame(range);
    if (!frame || std::get<0>(*frame).empty()) return;
    auto& [file, line, text] = *frame;
    trace << "  File \"" << file << "\", line " << line << "\n";
    if (!text.empty()) trace << "    " << text << "\n";
    loc.file = file;
    loc.line = static_cast<int>(line);
  };
  if (auto cs = node->callstack()) {
    for (const auto& [fn, range, module] : (*cs)->vec()) {
      add_frame(range);
      if (module) {
        std::string instance = module->instance_name();
        loc.module_path = loc.module_path.empty() ? instance : loc.module_path + "." + instance;
        loc.module_scopes.push_back(loc.module_path);
        loc.module_classes.push_back(ClassName(module->class_type()));
        loc.module_calls.push_back(loc.module_path + "@" + std::to_string(range.start()));
      }
    }
  }
  auto traced = TracedStack(node->sourceRange());
  if (!traced.empty()) {
    for (auto it = traced.rbegin(); it != traced.rend(); ++it)
      trace << "  File \"" << std::get<0>(*it) << "\", line " << std::get<1>(*it) << ", in " << std::get<2>(*it) << "\n";
    for (const auto& [file, line, function] : traced) {
      if (IsLibraryFrame(file)) continue;
      loc.file = file;
      loc.line = line;
      break;
    }
  } else {
    add_frame(node->sourceRange());
  }
  loc.stack_trace = trace.str();
  if (!loc.stack_trace.empty()) loc.stack_trace = "Traceback (most recent call last):\n" + loc.stack_trace.substr(0, loc.stack_trace.size() - 1);
  return loc;
}

}  // namespace

ir::Value* IrBuilder::ConstantValue(const c10::IValue& value, const jit::Value* v, const std::string& hint) {
  ir::Value* out = graph_.NewValue(KindOf(v->type(), &value), hint);
  if (auto c = IValueToConstant(value)) out->constant = std::move(c);
  if (value.isTensor()) out->meta = MetaOf(value.toTensor());
  if (value.isNone()) out->kind = ir::ValueKind::kNone;
  return out;
}

ir::Value* IrBuilder::Define(const jit::Value* v, ir::Node* producer) {
  const c10::IValue* observed = nullptr;
  auto found = interp_.values.find(v);
  if (found != interp_.values.end()) observed = &found->second;
  // Values TorchScript left unnamed (%24) are named after their op, like FX nodes.
  std::string hint = v->hasDebugName() ? v->debugNameBase() : "";
  if (hint.empty() || std::all_of(hint.begin(), hint.end(), ::isdigit))
    hint = producer ? std::string(v->node()->kind().toUnqualString()) : "input";
  ir::Value* out = graph_.NewValue(KindOf(v->type(), observed), hint);
  out->producer = producer;
  if (observed) {
    if (observed->isTensor()) out->meta = MetaOf(observed->toTensor());
    if (observed->isNone()) out->kind = ir::ValueKind::kNone;
  }
  if (symbolic_)
    if (auto dims = symbolic_->find(v); dims != symbolic_->end() && out->IsTensor()) out->meta.shape = dims->second;
  map_[v] = out;
  return out;
}

ir::Value* IrBuilder::Use(const jit::Node* consumer, size_t index, const jit::Value* v) {
  if (interp_.statics.values.count(v)) {
    auto snap = interp_.snapshots.find({consumer, index});
    if (snap != interp_.snapshots.end()) return ConstantValue(snap->second, v, "folded");
    auto it = map_.find(v);
    if (it != map_.end()) return it->second;
    // Immutable static values (ints, lists, strings...) and constants.
    c10::IValue value;
    if (auto c = jit::toIValue(v))
      value = *c;
    else if (auto found = interp_.values.find(v); found != interp_.values.end())
      value = found->second;
    ir::Value* out = ConstantValue(value, v, v->node()->kind() == c10::prim::Constant ? "c" : "folded");
    if (!value.isTensor()) map_[v] = out;
    return out;
  }
  auto it = map_.find(v);
  if (it != map_.end()) return it->second;
  throw std::logic_error("internal: %" + v->debugName() + " used before it was defined");
}

std::vector<ir::Value*> IrBuilder::UnpackTensorList(ir::Value* list, const jit::Value* v, ir::Block& block) {
  auto found = interp_.values.find(v);
  if (found == interp_.values.end() || !found->second.isList()) return {list};
  auto elements = found->second.toListRef();
  ir::Node* unpack = graph_.AppendNode(block, "prim::ListUnpack", "", {list}, 0);
  unpack->location = list->producer ? list->producer->location : ir::SourceLocation{};
  for (size_t i = 0; i < elements.size(); ++i) {
    ir::Value* out = graph_.NewValue(ir::ValueKind::kTensor, list->name + "_" + std::to_string(i));
    out->producer = unpack;
    if (elements[i].isTensor()) out->meta = MetaOf(elements[i].toTensor());
    unpack->outputs.push_back(out);
  }
  return unpack->outputs;
}

std::optional<bool> IrBuilder::StaticCondition(const jit::Value* v) const {
  c10::IValue value;
  if (auto c = jit::toIValue(v)) {
    value = *c;
  } else if (!interp_.statics.values.count(v)) {
    return std::nullopt;
  } else if (auto found = interp_.values.find(v); found != interp_.values.end()) {
    value = found->second;
  } else {
    return std::nullopt;
  }
  if (value.isBool()) return value.toBool();
  if (value.isTensor() && !value.toTensor().is_meta() && value.toTensor().numel() == 1)
    return value.toTensor().item<bool>();
  return std::nullopt;
}

// A scalar op (len, comparisons, not, string checks) whose inputs all became constants,
// e.g. after a branch was inlined: computed now, so that conditions over it fold too.
bool IrBuilder::FoldScalarNode(jit::Node* node) {
  if (!node->blocks().empty() || node->outputs().empty() || node->kind() == c10::prim::RaiseException ||
      node->kind() == c10::prim::Uninitialized || !node->maybeOperator())
    return false;
  for (const jit::Value* o : node->outputs()) {
    auto kind = o->type()->kind();
    if (kind != c10::TypeKind::IntType && kind != c10::TypeKind::BoolType && kind != c10::TypeKind::FloatType &&
        kind != c10::TypeKind::StringType)
      return false;
  }
  jit::Stack stack;
  for (const jit::Value* in : node->inputs()) {
    if (auto c = jit::toIValue(in)) {
      stack.push_back(*c);
      continue;
    }
    // Otherwise a static value, or one the IR already holds as a constant; its content is
    // what the learning run observed.
    auto mapped = map_.find(in);
    bool constant = interp_.statics.values.count(in) ||
                    (mapped != map_.end() && mapped->second->constant && !mapped->second->IsTensor());
    auto found = interp_.values.find(in);
    if (!constant || found == interp_.values.end() || found->second.isTensor()) return false;
    stack.push_back(found->second);
  }
  try {
    node->getOperation()(stack);
  } catch (const std::exception&) {
    return false;
  }
  if (stack.size() != node->outputs().size()) return false;
  for (size_t i = 0; i < stack.size(); ++i) map_[node->outputs()[i]] = ConstantValue(stack[i], node->outputs()[i], "folded");
  return true;
}

void IrBuilder::ConvertBlock(jit::Block* block, ir::Block& out) {
  for (jit::Node* node : block->nodes()) {
    if (interp_.statics.nodes.count(node)) continue;  // known at export time: no node
    // An `if` on a condition known at export time (`if x is not None`, `if self.training`)
    // keeps only the branch taken: the other may raise or use ops that never run.
    if (node->kind() == c10::prim::If) {
      // A branch that raises is an argument check (`raise AssertionError(...)`): the
      // example inputs passed it, and ONNX has no exceptions, so only the other stays
      // (as torch.onnx.export drops asserts).
      std::optional<bool> cond = StaticCondition(node->input(0));
      if (!cond) {  // a condition the IR holds as a constant (a folded static value)
        const ir::Value* c = Use(node, 0, node->input(0));
        if (c->constant && std::holds_alternative<bool>(*c->constant)) cond = std::get<bool>(*c->constant);
      }
      if (!cond && BlockRaises(node->blocks()[1]) && !BlockRaises(node->blocks()[0])) cond = true;
      if (!cond && BlockRaises(node->blocks()[0]) && !BlockRaises(node->blocks()[1])) cond = false;
      if (cond) {
        jit::Block* taken = node->blocks()[*cond ? 0 : 1];
        ConvertBlock(taken, out);
        for (size_t i = 0; i < node->outputs().size(); ++i)
          map_[node->outputs()[i]] = Use(taken->return_node(), i, taken->outputs()[i]);
        continue;
      }
    }
    if (FoldScalarNode(node)) continue;
    if (node->kind() == c10::prim::Uninitialized) {  // what a raising branch would have set: never read
      map_[node->output()] = ConstantValue(c10::IValue(), node->output(), "uninitialized");
      continue;
    }
    auto owned = std::make_unique<ir::Node>();
    ir::Node* n = owned.get();
    n->op = node->kind().toQualString();
    if (auto schema = node->maybeSchema()) {
      n->overload = schema->overload_name();
      n->aliasing = AliasingOf(*schema);
    }
    for (size_t i = 0; i < node->inputs().size(); ++i) n->inputs.push_back(Use(node, i, node->input(i)));
    n->location = LocationOf(node, root_class_);
    std::ostringstream text;
    text << *node;
    n->debug_text = text.str();
    while (!n->debug_text.empty() && n->debug_text.back() == '\n') n->debug_text.pop_back();
    for (jit::Value* o : node->outputs()) n->outputs.push_back(Define(o, n));
    for (jit::Block* inner : node->blocks()) {
      auto b = std::make_unique<ir::Block>();
      for (jit::Value* in : inner->inputs()) b->inputs.push_back(Define(in, nullptr));
      ConvertBlock(inner, *b);
      for (size_t i = 0; i < inner->outputs().size(); ++i)
        b->outputs.push_back(Use(inner->return_node(), i, inner->outputs()[i]));
      n->blocks.push_back(std::move(b));
    }
    out.nodes.push_back(std::move(owned));
  }
}

}  // namespace t2o::torchscript
