#include "core/capture/torchscript/inputs.h"

#include <torch/torch.h>

#include "core/capture/torch_interop.h"
#include "core/util/errors.h"

namespace t2o::torchscript {



// Infers the nesting of one forward() argument from its type and how the graph uses it
// (constant dict keys and list indices), for users who only gave flat --input-shape.
InputTree InferTree(const c10::TypePtr& type, const jit::Value* value, const std::string& arg_name) {
  InputTree tree;
  // An Optional argument the inputs reach is given: its value's type.
  if (auto optional = type->cast<c10::OptionalType>()) return InferTree(optional->getElementType(), value, arg_name);
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
  throw InputError("argument '" + arg_name + "' has type " + type->repr_str() +
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
  if (auto optional = type->cast<c10::OptionalType>()) {
    if (tree.kind != InputTree::Kind::kNone) CheckTree(tree, optional->getElementType(), where);
    return;
  }
  switch (tree.kind) {
    case InputTree::Kind::kNone:
      fail("a value (null is None, which only Optional arguments take)");
      return;
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
  if (tree.kind == InputTree::Kind::kNone) return graph.insertConstant(c10::IValue());
  if (auto optional = type->cast<c10::OptionalType>())
    return BuildFlattened(graph, tree, optional->getElementType(), path, leaf_paths, leaves);
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

c10::IValue BuildIValue(const InputTree& tree, const c10::TypePtr& type,
                        const std::vector<TensorData>& flat, size_t& next) {
  if (tree.kind == InputTree::Kind::kNone) return c10::IValue();
  if (auto optional = type->cast<c10::OptionalType>()) return BuildIValue(tree, optional->getElementType(), flat, next);
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
    const at::Tensor& t = v.toTensor();  // a quantized output: the float values it stands for
    out.push_back(TensorToData((t.is_quantized() ? t.dequantize() : t).contiguous()));
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

}  // namespace t2o::torchscript
