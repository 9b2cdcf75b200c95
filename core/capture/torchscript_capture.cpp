// TorchScript capture: torch.jit.save'd module -> ATen-level IR.
//
// 1. Load with libtorch, take forward's graph and inline every call.
// 2. Lift parameters/buffers (prim::GetAttr chains from `self`) to graph inputs named by
//    their fully qualified names; non-tensor attributes become constants.
// 3. Flatten nested user inputs (dict/list/tuple of tensors) into one input per tensor,
//    rebuilding the container inside the graph so libtorch's peepholes can fold the
//    accesses away.
// 4. Run the graph node by node on the example inputs to learn every value's dtype and
//    shape (and the value of every non-tensor that only depends on static shapes).
// 5. Convert to our IR with source locations from the inlined call stacks.
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/lower_tuples.h>
#include <torch/csrc/jit/passes/peephole.h>
#include <torch/csrc/jit/passes/peephole_dict_idioms.h>
#include <torch/csrc/jit/passes/peephole_list_idioms.h>
#include <torch/csrc/jit/passes/remove_mutation.h>
#include <torch/csrc/jit/runtime/operator.h>
#include <torch/script.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/capture/capture.h"
#include "core/capture/torch_interop.h"
#include "core/util/errors.h"
#include "core/util/log.h"

namespace t2o {
namespace {

namespace jit = torch::jit;

// libtorch messages often start with a blank line and end with a C++ backtrace.
std::string FirstLine(const std::string& text) {
  size_t start = text.find_first_not_of("\n ");
  if (start == std::string::npos) return text;
  return text.substr(start, text.find('\n', start) - start);
}

using IValueMap = std::unordered_map<const jit::Value*, c10::IValue>;

// ------------------------------------------------------------------ parameter lifting

struct LiftedWeight {
  std::string fqn;
  at::Tensor tensor;
  ir::InputKind kind;
  jit::Value* value;  // the new graph input
};

// Replaces prim::GetAttr chains rooted at `self` by graph inputs (tensors) or constants.
std::vector<LiftedWeight> LiftAttributes(jit::Graph& graph, const jit::Module& module) {
  std::map<const c10::TensorImpl*, std::string> params, buffers;
  for (const auto& p : module.named_parameters(/*recurse=*/true)) params[p.value.unsafeGetTensorImpl()] = p.name;
  for (const auto& b : module.named_buffers(/*recurse=*/true)) buffers[b.value.unsafeGetTensorImpl()] = b.name;

  struct Attr {
    c10::IValue value;
    std::string path;
  };
  std::unordered_map<const jit::Value*, Attr> attrs;
  jit::Value* self = graph.inputs().at(0);
  attrs[self] = {module._ivalue(), ""};
  std::map<std::string, LiftedWeight> lifted;
  std::vector<std::string> order;

  std::function<void(jit::Block*)> visit = [&](jit::Block* block) {
    for (auto it = block->nodes().begin(); it != block->nodes().end();) {
      jit::Node* node = *it++;
      for (jit::Block* inner : node->blocks()) visit(inner);
      if (node->kind() != c10::prim::GetAttr) continue;
      auto owner = attrs.find(node->input());
      if (owner == attrs.end()) continue;
      const std::string& field = node->s(c10::attr::name);
      c10::IValue value = owner->second.value.toObject()->getAttr(field);
      std::string path = owner->second.path.empty() ? field : owner->second.path + "." + field;
      jit::Value* out = node->output();
      if (value.isObject()) {
        attrs[out] = {value, path};
        continue;  // submodule: resolved when its attributes are read
      }
      if (value.isTensor()) {
        auto found = lifted.find(path);
        if (found == lifted.end()) {
          const at::Tensor& t = value.toTensor();
          ir::InputKind kind = ir::InputKind::kConstantTensor;
          auto p = params.find(t.unsafeGetTensorImpl());
          auto b = buffers.find(t.unsafeGetTensorImpl());
          if (p != params.end()) {
            kind = ir::InputKind::kParameter;
            path = p->second;  // a tied weight keeps its first registered name
          } else if (b != buffers.end()) {
            kind = ir::InputKind::kBuffer;
            path = b->second;
          }
          found = lifted.find(path);
          if (found == lifted.end()) {
            jit::Value* input = graph.addInput(path);
            input->setType(out->type());
            found = lifted.emplace(path, LiftedWeight{path, t, kind, input}).first;
            order.push_back(path);
          }
        }
        out->replaceAllUsesWith(found->second.value);
      } else {
        jit::WithInsertPoint guard(node);
        auto constant = graph.insertConstant(value);
        out->replaceAllUsesWith(constant);
      }
      node->destroy();
    }
  };
  visit(graph.block());
  // GetAttr nodes that read submodules are now unused.
  jit::EliminateDeadCode(graph.block());
  if (self->hasUses())
    throw ExportError(std::string("forward() uses `self` in a way that cannot be exported (") +
                      self->uses()[0].user->kind().toQualString() + ")");
  graph.eraseInput(0);

  std::vector<LiftedWeight> result;
  for (const auto& name : order) result.push_back(lifted.at(name));
  return result;
}

// ------------------------------------------------------------------ input flattening

// Infers the nesting of one forward() argument from its type and how the graph uses it
// (constant dict keys and list indices), for users who only gave flat --input-shape.
InputTree InferTree(const c10::TypePtr& type, const jit::Value* value, const std::string& arg_name) {
  InputTree tree;
  if (type->kind() == c10::TypeKind::TensorType) return tree;
  if (auto tuple = type->cast<c10::TupleType>()) {
    tree.kind = InputTree::Kind::kTuple;
    for (const auto& element : tuple->elements()) tree.children.push_back(InferTree(element, nullptr, arg_name));
    return tree;
  }
  if (auto list = type->cast<c10::ListType>()) {
    tree.kind = InputTree::Kind::kList;
    int64_t length = 0;
    for (const auto& use : value ? value->uses() : std::vector<jit::Use>{}) {
      jit::Node* user = use.user;
      if (user->kind() == c10::prim::ListUnpack) length = std::max<int64_t>(length, user->outputs().size());
      if (user->kind() == c10::aten::__getitem__) {
        auto index = jit::toIValue(user->input(1));
        if (!index) throw UsageError("argument '" + arg_name + "' is a list indexed at run time; describe it with --input-spec");
        length = std::max<int64_t>(length, index->toInt() + 1);
      }
    }
    if (length == 0) throw UsageError("cannot infer the length of list argument '" + arg_name + "'; describe it with --input-spec");
    for (int64_t i = 0; i < length; ++i) tree.children.push_back(InferTree(list->getElementType(), nullptr, arg_name));
    return tree;
  }
  if (auto dict = type->cast<c10::DictType>()) {
    tree.kind = InputTree::Kind::kDict;
    for (const auto& use : value ? value->uses() : std::vector<jit::Use>{}) {
      jit::Node* user = use.user;
      auto key = user->inputs().size() > 1 ? jit::toIValue(user->input(1)) : c10::nullopt;
      if ((user->kind() == c10::aten::__getitem__ || user->kind() == c10::Symbol::fromQualString("aten::get")) && key && key->isString()) {
        std::string k = key->toStringRef();
        if (std::find(tree.keys.begin(), tree.keys.end(), k) == tree.keys.end()) {
          tree.keys.push_back(k);
          tree.children.push_back(InferTree(dict->getValueType(), nullptr, arg_name));
        }
      } else {
        throw UsageError("argument '" + arg_name + "' is a dict used in a way that hides its keys; describe it with --input-spec");
      }
    }
    return tree;
  }
  throw UsageError("argument '" + arg_name + "' has type " + type->repr_str() +
                   ", which cannot be an ONNX input (tensors, and lists/tuples/dicts of tensors are supported)");
}

void AssignFlatSpecs(InputTree& tree, const std::vector<TensorSpec>& flat, size_t& next) {
  if (tree.kind == InputTree::Kind::kTensor) {
    if (next < flat.size()) tree.tensor = flat[next];
    ++next;
    return;
  }
  for (auto& child : tree.children) AssignFlatSpecs(child, flat, next);
}

// Checks a user-given tree against the argument's type.
void CheckTree(const InputTree& tree, const c10::TypePtr& type, const std::string& where) {
  auto fail = [&](const std::string& want) {
    throw UsageError("--input-spec: " + where + " should be " + want + " to match forward()'s type " + type->repr_str());
  };
  switch (tree.kind) {
    case InputTree::Kind::kTensor:
      if (type->kind() != c10::TypeKind::TensorType) fail("a container");
      return;
    case InputTree::Kind::kList:
    case InputTree::Kind::kTuple:
      if (auto tuple = type->cast<c10::TupleType>()) {
        if (tuple->elements().size() != tree.children.size())
          fail("a list of " + std::to_string(tuple->elements().size()) + " entries");
        for (size_t i = 0; i < tree.children.size(); ++i)
          CheckTree(tree.children[i], tuple->elements()[i], where + "[" + std::to_string(i) + "]");
        return;
      }
      if (auto list = type->cast<c10::ListType>()) {
        for (size_t i = 0; i < tree.children.size(); ++i)
          CheckTree(tree.children[i], list->getElementType(), where + "[" + std::to_string(i) + "]");
        return;
      }
      fail(type->kind() == c10::TypeKind::TensorType ? "a tensor (an object with \"shape\")" : "a dict");
      return;
    case InputTree::Kind::kDict:
      if (auto dict = type->cast<c10::DictType>()) {
        for (size_t i = 0; i < tree.children.size(); ++i)
          CheckTree(tree.children[i], dict->getValueType(), where + "." + tree.keys[i]);
        return;
      }
      fail(type->kind() == c10::TypeKind::TensorType ? "a tensor (an object with \"shape\")" : "a list");
  }
}

// Makes graph inputs for every leaf of `tree` and returns the value rebuilding the
// container from them.
jit::Value* BuildFlattened(jit::Graph& graph, const InputTree& tree, const c10::TypePtr& type,
                           const std::string& path, std::vector<std::string>& leaf_paths,
                           std::vector<jit::Value*>& leaves) {
  if (tree.kind == InputTree::Kind::kTensor) {
    std::string name;
    for (char c : path) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    while (!name.empty() && name.back() == '_') name.pop_back();
    jit::Value* input = graph.addInput(name);
    input->setType(c10::TensorType::get());
    leaf_paths.push_back(path);
    leaves.push_back(input);
    return input;
  }
  std::vector<jit::Value*> elements;
  jit::Node* construct = nullptr;
  if (tree.kind == InputTree::Kind::kDict) {
    auto dict = type->expect<c10::DictType>();
    std::vector<jit::Value*> kv;
    for (size_t i = 0; i < tree.children.size(); ++i) {
      jit::Value* v = BuildFlattened(graph, tree.children[i], dict->getValueType(),
                                     path + "['" + tree.keys[i] + "']", leaf_paths, leaves);
      kv.push_back(graph.insertConstant(tree.keys[i]));
      kv.push_back(v);
    }
    construct = graph.create(c10::prim::DictConstruct, kv);
    construct->output()->setType(type);
  } else if (auto tuple = type->cast<c10::TupleType>()) {
    for (size_t i = 0; i < tree.children.size(); ++i)
      elements.push_back(BuildFlattened(graph, tree.children[i], tuple->elements()[i],
                                        path + "[" + std::to_string(i) + "]", leaf_paths, leaves));
    construct = graph.createTuple(elements);
  } else {
    auto list = type->expect<c10::ListType>();
    for (size_t i = 0; i < tree.children.size(); ++i)
      elements.push_back(BuildFlattened(graph, tree.children[i], list->getElementType(),
                                        path + "[" + std::to_string(i) + "]", leaf_paths, leaves));
    construct = graph.createList(list->getElementType(), elements);
  }
  graph.insertNode(construct);  // at the insert point set by the caller, after its children
  return construct->output();
}

// ------------------------------------------------------------------ interpretation

struct Interpreter {
  IValueMap values;
  std::set<const jit::Value*> folded;  // non-tensor values that only depend on constants/static shapes

  c10::IValue Get(const jit::Value* v) {
    auto it = values.find(v);
    if (it != values.end()) return it->second;
    if (auto c = jit::toIValue(v)) return *c;
    throw ExportError("internal: value %" + v->debugName() + " read before it was computed");
  }

  void RunBlock(jit::Block* block) {
    for (jit::Node* node : block->nodes()) RunNode(node);
  }

  std::vector<c10::IValue> RunBlockWith(jit::Block* block, const std::vector<c10::IValue>& inputs) {
    for (size_t i = 0; i < inputs.size(); ++i) values[block->inputs()[i]] = inputs[i];
    RunBlock(block);
    std::vector<c10::IValue> outs;
    for (jit::Value* o : block->outputs()) outs.push_back(Get(o));
    return outs;
  }

  // Container ops are interpreter instructions in libtorch, not registered operators.
  bool RunStructural(jit::Node* node) {
    auto kind = node->kind();
    auto outs = node->outputs();
    if (kind == c10::prim::ListConstruct) {
      auto element = node->output()->type()->expectRef<c10::ListType>().getElementType();
      c10::impl::GenericList list(element);
      for (jit::Value* in : node->inputs()) list.push_back(Get(in));
      values[node->output()] = list;
    } else if (kind == c10::prim::TupleConstruct) {
      std::vector<c10::IValue> items;
      for (jit::Value* in : node->inputs()) items.push_back(Get(in));
      values[node->output()] = c10::ivalue::Tuple::create(std::move(items));
    } else if (kind == c10::prim::DictConstruct) {
      auto type = node->output()->type()->expect<c10::DictType>();
      c10::impl::GenericDict dict(type->getKeyType(), type->getValueType());
      for (size_t i = 0; i + 1 < node->inputs().size(); i += 2) dict.insert(Get(node->input(i)), Get(node->input(i + 1)));
      values[node->output()] = dict;
    } else if (kind == c10::prim::ListUnpack) {
      auto list = Get(node->input()).toListRef();
      if (list.size() != outs.size()) throw ExportError("prim::ListUnpack: list has " + std::to_string(list.size()) + " elements");
      for (size_t i = 0; i < outs.size(); ++i) values[outs[i]] = list[i];
    } else if (kind == c10::prim::TupleUnpack) {
      const auto& items = Get(node->input()).toTupleRef().elements();
      for (size_t i = 0; i < outs.size(); ++i) values[outs[i]] = items[i];
    } else if (kind == c10::prim::TupleIndex) {
      const auto& items = Get(node->input(0)).toTupleRef().elements();
      int64_t i = Get(node->input(1)).toInt();
      values[node->output()] = items.at(i < 0 ? i + items.size() : i);
    } else if (kind == c10::prim::unchecked_cast) {
      values[node->output()] = Get(node->input());
    } else if (kind == c10::prim::Uninitialized) {
      values[node->output()] = c10::IValue();
    } else {
      return false;
    }
    return true;
  }

  void RunNode(jit::Node* node) {
    if (node->kind() == c10::prim::Constant) {
      values[node->output()] = *jit::toIValue(node->output());
      return;
    }
    if (node->kind() == c10::prim::If) {
      bool cond = Get(node->input(0)).toBool();
      jit::Block* taken = node->blocks()[cond ? 0 : 1];
      jit::Block* other = node->blocks()[cond ? 1 : 0];
      auto outs = RunBlockWith(taken, {});
      // Run the other branch too, only to learn its values' shapes; its results are
      // discarded and a failure there is not an error.
      IValueMap saved = values;
      try {
        RunBlockWith(other, {});
        for (auto& [k, v] : values)
          if (!saved.count(k)) saved[k] = v;
      } catch (const std::exception&) {
      }
      values = std::move(saved);
      for (size_t i = 0; i < outs.size(); ++i) values[node->outputs()[i]] = outs[i];
      return;
    }
    if (node->kind() == c10::prim::Loop) {
      int64_t max_trip = Get(node->input(0)).toInt();
      bool cond = Get(node->input(1)).toBool();
      std::vector<c10::IValue> carried;
      for (size_t i = 2; i < node->inputs().size(); ++i) carried.push_back(Get(node->input(i)));
      jit::Block* body = node->blocks()[0];
      int64_t iter = 0;
      bool ran = false;
      while (iter < max_trip && cond) {
        std::vector<c10::IValue> ins{c10::IValue(iter)};
        ins.insert(ins.end(), carried.begin(), carried.end());
        auto outs = RunBlockWith(body, ins);
        cond = outs[0].toBool();
        carried.assign(outs.begin() + 1, outs.end());
        ++iter;
        ran = true;
      }
      if (!ran) {
        IValueMap saved = values;
        try {
          std::vector<c10::IValue> ins{c10::IValue(int64_t{0})};
          ins.insert(ins.end(), carried.begin(), carried.end());
          RunBlockWith(body, ins);
          for (auto& [k, v] : values)
            if (!saved.count(k)) saved[k] = v;
        } catch (const std::exception&) {
        }
        values = std::move(saved);
      }
      for (size_t i = 0; i < carried.size(); ++i) values[node->outputs()[i]] = carried[i];
      return;
    }
    if (RunStructural(node)) return;
    jit::Stack stack;
    for (jit::Value* in : node->inputs()) stack.push_back(Get(in));
    try {
      node->getOperation()(stack);
    } catch (const std::exception& e) {
      throw ExportError("running " + std::string(node->kind().toQualString()) +
                        " on the example inputs failed: " + FirstLine(e.what()));
    }
    if (stack.size() != node->outputs().size())
      throw ExportError("internal: " + std::string(node->kind().toQualString()) + " returned " +
                        std::to_string(stack.size()) + " values");
    for (size_t i = 0; i < stack.size(); ++i) values[node->outputs()[i]] = stack[i];
  }
};

// ------------------------------------------------------------------ IR conversion

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

// Ops whose result depends only on the static metadata of their tensor inputs.
bool IsShapeQuery(const jit::Node* node) {
  static const std::set<std::string> kQueries{"aten::size", "aten::dim", "prim::shape", "prim::dtype",
                                              "prim::device", "aten::numel", "prim::layout",
                                              "aten::is_floating_point", "prim::is_cuda", "aten::len"};
  if (node->kind() == c10::aten::len && node->input(0)->type()->kind() != c10::TypeKind::TensorType) return false;
  return kQueries.count(node->kind().toQualString()) > 0;
}

bool IsNondeterministic(const jit::Node* node) {
  if (node->isNondeterministic()) return true;
  std::string name = node->kind().toUnqualString();
  return name.find("rand") != std::string::npos || name == "dropout" || name == "bernoulli";
}

class IrBuilder {
 public:
  IrBuilder(ir::Graph& graph, Interpreter& interp) : graph_(graph), interp_(interp) {}

  ir::Value* Map(const jit::Value* v) {
    auto it = map_.find(v);
    if (it != map_.end()) return it->second;
    // A constant used here for the first time.
    const c10::IValue* observed = nullptr;
    auto found = interp_.values.find(v);
    if (found != interp_.values.end()) observed = &found->second;
    auto iv = jit::toIValue(v);
    ir::Value* out = graph_.NewValue(KindOf(v->type(), iv ? &*iv : observed), "c");
    if (iv) {
      if (auto c = IValueToConstant(*iv)) out->constant = std::move(c);
      if (iv->isTensor()) out->meta = MetaOf(iv->toTensor());
      if (iv->isNone()) out->kind = ir::ValueKind::kNone;
    }
    map_[v] = out;
    return out;
  }

  ir::Value* Define(const jit::Value* v, ir::Node* producer) {
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
    map_[v] = out;
    return out;
  }

  void Fold(const jit::Value* v, ir::Value* out) {
    auto found = interp_.values.find(v);
    if (found == interp_.values.end()) return;
    if (auto c = IValueToConstant(found->second)) out->constant = std::move(c);
  }

  void ConvertBlock(jit::Block* block, ir::Block& out, const std::set<const jit::Node*>& foldable) {
    for (jit::Node* node : block->nodes()) {
      if (node->kind() == c10::prim::Constant) continue;  // constants become Values on first use
      std::vector<ir::Value*> inputs;
      for (jit::Value* in : node->inputs()) inputs.push_back(Map(in));
      auto owned = std::make_unique<ir::Node>();
      ir::Node* n = owned.get();
      n->op = node->kind().toQualString();
      if (auto schema = node->maybeSchema()) n->overload = schema->overload_name();
      n->inputs = inputs;
      n->location = LocationOf(node);
      std::ostringstream text;
      text << *node;
      n->debug_text = text.str();
      while (!n->debug_text.empty() && n->debug_text.back() == '\n') n->debug_text.pop_back();
      for (jit::Value* o : node->outputs()) {
        ir::Value* v = Define(o, n);
        if (foldable.count(node)) Fold(o, v);
        n->outputs.push_back(v);
      }
      for (jit::Block* inner : node->blocks()) {
        auto b = std::make_unique<ir::Block>();
        for (jit::Value* in : inner->inputs()) b->inputs.push_back(Define(in, nullptr));
        ConvertBlock(inner, *b, foldable);
        for (jit::Value* o : inner->outputs()) b->outputs.push_back(Map(o));
        n->blocks.push_back(std::move(b));
      }
      out.nodes.push_back(std::move(owned));
    }
  }

 private:
  static ir::TensorMeta MetaOf(const at::Tensor& t) {
    ir::TensorMeta meta;
    meta.dtype = DTypeFromTorch(static_cast<int>(t.scalar_type()));
    meta.shape_known = true;
    for (int64_t d : t.sizes()) meta.shape.emplace_back(d);
    return meta;
  }

  static std::optional<ir::Constant> IValueToConstant(const c10::IValue& v) {
    if (v.isNone()) return ir::Constant{ir::NoneValue{}};
    if (v.isBool()) return ir::Constant{v.toBool()};
    if (v.isInt()) return ir::Constant{v.toInt()};
    if (v.isDouble()) return ir::Constant{v.toDouble()};
    if (v.isString()) return ir::Constant{v.toStringRef()};
    if (v.isIntList()) return ir::Constant{v.toIntVector()};
    if (v.isDoubleList()) return ir::Constant{v.toDoubleVector()};
    if (v.isBoolList()) {
      std::vector<bool> b;
      for (bool x : v.toBoolList()) b.push_back(x);
      return ir::Constant{b};
    }
    if (v.isDevice()) return ir::Constant{v.toDevice().str()};
    if (v.isTensor()) return ir::Constant{TensorToData(v.toTensor().clone())};
    return std::nullopt;
  }

  static std::string ClassName(const c10::ClassTypePtr& type) {
    if (!type || !type->name()) return "?";
    std::string name = type->name()->qualifiedName();
    const std::string prefix = "__torch__.";
    if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
    return name;
  }

  static ir::SourceLocation LocationOf(jit::Node* node) {
    ir::SourceLocation loc;
    loc.module_scopes.push_back("");
    std::ostringstream trace;
    auto add_frame = [&](const jit::SourceRange& range) {
      auto flc = range.file_line_col();
      if (!flc) return;
      auto [file, line, col] = *flc;
      trace << "File \"" << file << "\", line " << line << "\n";
      loc.file = file;
      loc.line = static_cast<int>(line);
    };
    if (auto cs = node->callstack()) {
      for (const auto& [fn, range, module] : (*cs)->vec()) {
        if (module) {
          if (loc.module_classes.empty()) loc.module_classes.push_back("?");
          std::string instance = module->instance_name();
          loc.module_path = loc.module_path.empty() ? instance : loc.module_path + "." + instance;
          loc.module_scopes.push_back(loc.module_path);
          loc.module_classes.push_back(ClassName(module->class_type()));
        }
        add_frame(range);
      }
    }
    add_frame(node->sourceRange());
    loc.stack_trace = trace.str();
    if (!loc.stack_trace.empty()) loc.stack_trace.pop_back();
    return loc;
  }

  ir::Graph& graph_;
  Interpreter& interp_;
  std::unordered_map<const jit::Value*, ir::Value*> map_;
};

// Nodes whose outputs can be replaced by the values observed on the example inputs: they
// are deterministic and read only constants, folded values, or static tensor metadata.
std::set<const jit::Node*> FindFoldableNodes(jit::Block* block, bool graph_has_mutation,
                                             std::set<const jit::Value*>& folded) {
  std::set<const jit::Node*> foldable;
  // Inside a loop body a tensor's shape may change from one iteration to the next, so
  // shape queries there are not folded.
  std::function<void(jit::Block*, bool)> visit = [&](jit::Block* b, bool in_loop) {
    for (jit::Node* node : b->nodes()) {
      for (jit::Block* inner : node->blocks()) visit(inner, in_loop || node->kind() == c10::prim::Loop);
      if (node->kind() == c10::prim::Constant) {
        folded.insert(node->output());
        continue;
      }
      if (!node->blocks().empty() || IsNondeterministic(node)) continue;
      bool ok = true;
      if (IsShapeQuery(node) && !in_loop) {
        ok = true;  // all shapes are static in this capture
      } else {
        for (jit::Value* in : node->inputs()) ok = ok && folded.count(in) > 0;
      }
      bool tensor_out = false;
      for (jit::Value* out : node->outputs()) {
        auto kind = out->type()->kind();
        if (kind == c10::TypeKind::TensorType) tensor_out = true;
        if (kind == c10::TypeKind::ListType &&
            out->type()->expectRef<c10::ListType>().getElementType()->kind() == c10::TypeKind::TensorType)
          ok = false;
        if (kind == c10::TypeKind::TupleType || kind == c10::TypeKind::DictType) ok = false;
      }
      if (tensor_out && graph_has_mutation) ok = false;
      if (node->kind().toUnqualString()[std::strlen(node->kind().toUnqualString()) - 1] == '_') ok = false;
      if (!ok) continue;
      foldable.insert(node);
      for (jit::Value* out : node->outputs()) folded.insert(out);
    }
  };
  visit(block, false);
  return foldable;
}

bool HasMutation(jit::Block* block) {
  for (jit::Node* node : block->nodes()) {
    if (node->kind().is_aten()) {
      std::string name = node->kind().toUnqualString();
      if (!name.empty() && name.back() == '_' && name.rfind("__", 0) != 0) return true;
      if (name == "copy_" || name == "index_put_") return true;
    }
    for (jit::Block* inner : node->blocks())
      if (HasMutation(inner)) return true;
  }
  return false;
}

// ------------------------------------------------------------------ reference model

c10::IValue BuildIValue(const InputTree& tree, const c10::TypePtr& type,
                        const std::vector<TensorData>& flat, size_t& next) {
  if (tree.kind == InputTree::Kind::kTensor) return DataToTensor(flat.at(next++));
  if (tree.kind == InputTree::Kind::kDict) {
    auto dict_type = type->expect<c10::DictType>();
    c10::impl::GenericDict dict(dict_type->getKeyType(), dict_type->getValueType());
    for (size_t i = 0; i < tree.children.size(); ++i)
      dict.insert(tree.keys[i], BuildIValue(tree.children[i], dict_type->getValueType(), flat, next));
    return dict;
  }
  if (auto tuple = type->cast<c10::TupleType>()) {
    std::vector<c10::IValue> items;
    for (size_t i = 0; i < tree.children.size(); ++i)
      items.push_back(BuildIValue(tree.children[i], tuple->elements()[i], flat, next));
    return c10::ivalue::Tuple::create(std::move(items));
  }
  auto list_type = type->expect<c10::ListType>();
  c10::impl::GenericList list(list_type->getElementType());
  for (const auto& child : tree.children) list.push_back(BuildIValue(child, list_type->getElementType(), flat, next));
  return list;
}

void FlattenOutput(const c10::IValue& v, std::vector<TensorData>& out) {
  if (v.isTensor()) {
    out.push_back(TensorToData(v.toTensor().contiguous()));
  } else if (v.isTuple()) {
    for (const auto& e : v.toTupleRef().elements()) FlattenOutput(e, out);
  } else if (v.isList()) {
    for (const auto& e : v.toListRef()) FlattenOutput(e, out);
  } else if (v.isGenericDict()) {
    for (const auto& e : v.toGenericDict()) FlattenOutput(e.value(), out);
  } else if (v.isInt() || v.isDouble() || v.isBool()) {
    out.push_back(TensorToData(c10::scalar_to_tensor(v.toScalar())));
  }
}

class TorchScriptReference : public ReferenceModel {
 public:
  TorchScriptReference(jit::Module module, std::vector<InputTree> trees, std::vector<c10::TypePtr> types)
      : module_(std::move(module)), trees_(std::move(trees)), types_(std::move(types)) {}

  std::vector<TensorData> Run(const std::vector<TensorData>& flat_inputs) override {
    c10::InferenceMode guard;
    size_t next = 0;
    std::vector<c10::IValue> args;
    for (size_t i = 0; i < trees_.size(); ++i) args.push_back(BuildIValue(trees_[i], types_[i], flat_inputs, next));
    c10::IValue result = module_.forward(args);
    std::vector<TensorData> out;
    FlattenOutput(result, out);
    return out;
  }

 private:
  jit::Module module_;
  std::vector<InputTree> trees_;
  std::vector<c10::TypePtr> types_;
};

TensorData MakeExampleTensor(const TensorSpec& spec, at::Generator& gen) {
  if (spec.data) return *spec.data;
  at::ScalarType st = static_cast<at::ScalarType>(DTypeToTorch(spec.dtype));
  at::Tensor t;
  if (IsFloating(spec.dtype))
    t = at::randn(spec.shape, gen, at::TensorOptions().dtype(at::kFloat)).to(st);
  else if (spec.dtype == DType::kBool)
    t = at::randint(0, 2, spec.shape, gen, at::TensorOptions().dtype(at::kLong)).to(st);
  else
    t = at::randint(0, 10, spec.shape, gen, at::TensorOptions().dtype(at::kLong)).to(st);
  return TensorToData(t);
}

void CollectLeafSpecs(const InputTree& tree, std::vector<const TensorSpec*>& out) {
  if (tree.kind == InputTree::Kind::kTensor) {
    out.push_back(&tree.tensor);
    return;
  }
  for (const auto& c : tree.children) CollectLeafSpecs(c, out);
}

}  // namespace

CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options) {
  auto start = std::chrono::steady_clock::now();
  CapturedProgram result;
  CaptureAttempt attempt;
  attempt.strategy = "torchscript-graph (inline + lift parameters + run on example inputs)";
  try {
    jit::Module module;
    try {
      module = torch::jit::load(path);
    } catch (const std::exception& e) {
      throw InputError("cannot load '" + path + "' as TorchScript: " + FirstLine(e.what()));
    }
    module.eval();
    auto method = module.find_method("forward");
    if (!method) throw InputError("'" + path + "' has no forward() method");
    const auto& schema = method->function().getSchema();
    std::shared_ptr<jit::Graph> graph = method->graph()->copy();
    jit::Inline(*graph);
    Log().debug("forward schema: {}", c10::toString(schema));

    // Argument types (schema args[0] is self).
    std::vector<c10::TypePtr> arg_types;
    std::vector<std::string> arg_names;
    for (size_t i = 1; i < schema.arguments().size(); ++i) {
      arg_types.push_back(schema.arguments()[i].type());
      arg_names.push_back(schema.arguments()[i].name());
    }

    // Input trees: given, or inferred from types + usage, then filled with flat specs.
    std::vector<InputTree> trees = options.input_trees;
    if (trees.empty()) {
      for (size_t i = 0; i < arg_types.size(); ++i)
        trees.push_back(InferTree(arg_types[i], graph->inputs()[i + 1], arg_names[i]));
      size_t leaves = 0;
      for (const auto& t : trees) leaves += t.CountLeaves();
      if (options.flat_inputs.size() != leaves) {
        std::ostringstream os;
        os << "'" << path << "': forward(" ;
        for (size_t i = 0; i < arg_names.size(); ++i) os << (i ? ", " : "") << arg_names[i] << ": " << arg_types[i]->repr_str();
        os << ") takes " << leaves << " tensor input" << (leaves == 1 ? "" : "s") << " but "
           << options.flat_inputs.size() << " --input-shape/--input-data " << (options.flat_inputs.size() == 1 ? "was" : "were") << " given";
        throw UsageError(os.str());
      }
      size_t next = 0;
      for (auto& t : trees) AssignFlatSpecs(t, options.flat_inputs, next);
    } else {
      if (trees.size() != arg_types.size())
        throw UsageError("--input-spec has " + std::to_string(trees.size()) + " entries but forward() takes " +
                         std::to_string(arg_types.size()) + " arguments");
      for (size_t i = 0; i < trees.size(); ++i) CheckTree(trees[i], arg_types[i], "argument '" + arg_names[i] + "'");
    }

    // Flatten nested inputs into graph inputs.
    size_t num_args = arg_types.size();
    std::vector<std::string> leaf_paths;
    std::vector<jit::Value*> leaves;
    jit::WithInsertPoint at_start(graph->block()->nodes().front());
    for (size_t i = 0; i < num_args; ++i) {
      jit::Value* old_input = graph->inputs()[1 + i];
      jit::Value* rebuilt = BuildFlattened(*graph, trees[i], arg_types[i], arg_names[i], leaf_paths, leaves);
      old_input->replaceAllUsesWith(rebuilt);
    }
    for (size_t i = 0; i < num_args; ++i) graph->eraseInput(1);
    // Now inputs are: self, leaves...; lift weights (erases self).
    std::vector<LiftedWeight> weights = LiftAttributes(*graph, module);

    jit::LowerSimpleTuples(graph);
    jit::PeepholeOptimizeDictIdioms(graph);
    jit::PeepholeOptimizeListIdioms(graph);
    jit::RemoveListMutation(graph);
    jit::RemoveTensorMutation(graph);
    jit::EliminateDeadCode(graph);
    Log().debug("prepared TorchScript graph:\n{}", graph->toString());

    // Example inputs.
    at::Generator gen = at::detail::createCPUGenerator(options.seed);
    std::vector<const TensorSpec*> specs;
    for (const auto& t : trees) CollectLeafSpecs(t, specs);
    for (size_t i = 0; i < specs.size(); ++i) {
      if (!specs[i]->data && specs[i]->shape.empty() && options.input_trees.empty() && options.flat_inputs.empty())
        throw UsageError("no example input shape for '" + leaf_paths[i] + "'");
      result.example_inputs.push_back(MakeExampleTensor(*specs[i], gen));
    }
    result.input_paths = leaf_paths;

    // Run once to learn metadata.
    Interpreter interp;
    {
      c10::InferenceMode guard;
      for (size_t i = 0; i < leaves.size(); ++i) interp.values[leaves[i]] = DataToTensor(result.example_inputs[i]);
      for (const auto& w : weights) interp.values[w.value] = w.tensor;
      interp.RunBlock(graph->block());
    }

    // Build the IR.
    auto ir_graph = std::make_unique<ir::Graph>();
    ir_graph->source_format = "torchscript";
    IrBuilder builder(*ir_graph, interp);
    for (size_t i = 0; i < leaves.size(); ++i) {
      ir::Value* v = builder.Define(leaves[i], nullptr);
      ir_graph->inputs.push_back({v, ir::InputKind::kUserInput, leaf_paths[i], true, std::nullopt});
    }
    for (const auto& w : weights) {
      ir::Value* v = builder.Define(w.value, nullptr);
      ir_graph->inputs.push_back({v, w.kind, w.fqn, true, TensorToData(w.tensor.contiguous())});
    }
    std::set<const jit::Value*> folded;
    auto foldable = FindFoldableNodes(graph->block(), HasMutation(graph->block()), folded);
    builder.ConvertBlock(graph->block(), ir_graph->top, foldable);

    // Outputs: flatten tuples/lists/dicts built in the graph into their tensor leaves.
    std::function<void(jit::Value*, const std::string&)> add_output = [&](jit::Value* v, const std::string& name) {
      jit::Node* producer = v->node();
      auto kind = producer->kind();
      if (kind == c10::prim::TupleConstruct || kind == c10::prim::ListConstruct) {
        for (size_t i = 0; i < producer->inputs().size(); ++i)
          add_output(producer->input(i), name.empty() ? "" : name + "_" + std::to_string(i));
        return;
      }
      if (kind == c10::prim::DictConstruct) {
        for (size_t i = 0; i + 1 < producer->inputs().size(); i += 2) {
          auto key = jit::toIValue(producer->input(i));
          add_output(producer->input(i + 1), key && key->isString() ? key->toStringRef() : "");
        }
        return;
      }
      ir::Value* iv = builder.Map(v);
      ir_graph->outputs.push_back({iv, ir::OutputKind::kUserOutput, name.empty() ? iv->name : name});
    };
    for (jit::Value* out : graph->outputs()) add_output(out, "");
    ir_graph->RebuildUses();

    result.graph = std::move(ir_graph);
    result.reference = std::make_unique<TorchScriptReference>(module, trees, arg_types);
    attempt.succeeded = true;
  } catch (const std::exception& e) {
    attempt.error = e.what();
    attempt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.attempts.push_back(attempt);
    throw;
  }
  attempt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.attempts.push_back(attempt);
  return result;
}

}  // namespace t2o
