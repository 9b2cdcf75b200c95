#include "core/capture/torchscript/interpreter.h"

#include <algorithm>

#include <functional>
#include <optional>

#include "core/util/errors.h"

namespace t2o::torchscript {

std::string FirstLine(const std::string& text) {
  size_t start = text.find_first_not_of("\n ");
  if (start == std::string::npos) return text;
  return text.substr(start, text.find('\n', start) - start);
}

// ------------------------------------------------------------------ static analysis

namespace {

// Ops whose result depends only on the static metadata (shape, dtype, device) of their
// tensor inputs, and on their other arguments being static.
// Whether a shape query or shape-reading factory reads a dimension that varies.
bool ReadsDynamicDim(const jit::Node* node, const DynamicDims* dynamic) {
  if (!dynamic || node->inputs().empty()) return false;
  auto found = dynamic->find(node->input(0));
  if (found == dynamic->end()) return false;
  const std::vector<bool>& varies = found->second;
  std::string kind = node->kind().toQualString();
  // x.new_zeros(size) reads only x's dtype and device.
  if (kind.rfind("aten::new_", 0) == 0) return false;
  if (kind == "aten::__is__" || kind == "aten::__isnot__" || kind == "prim::requires_grad" ||
      kind == "prim::is_nested" || kind == "aten::dim" || kind == "prim::dtype" || kind == "prim::device" || kind == "prim::layout" ||
      kind == "aten::is_floating_point" || kind == "prim::is_cuda")
    return false;
  if (kind == "aten::size" && node->inputs().size() == 2) {
    auto dim = jit::toIValue(node->input(1));
    if (!dim) return true;
    int64_t d = dim->toInt();
    if (d < 0) d += static_cast<int64_t>(varies.size());
    return d < 0 || d >= static_cast<int64_t>(varies.size()) || varies[d];
  }
  if (kind == "aten::len") return !varies.empty() && varies[0];
  return std::find(varies.begin(), varies.end(), true) != varies.end();
}

bool IsMetadataOnly(const jit::Node* node, const std::unordered_set<const jit::Value*>& statics) {
  static const std::set<std::string> kQueries{"aten::__is__", "aten::__isnot__", "prim::requires_grad",
                                              "prim::is_nested", "aten::size", "aten::dim", "prim::shape", "prim::dtype",
                                              "prim::device", "aten::numel", "prim::layout",
                                              "aten::is_floating_point", "prim::is_cuda", "aten::len"};
  // Factories that only read `self`'s shape/dtype/device: x.new_zeros(...), zeros_like(x).
  static const std::set<std::string> kFactories{"aten::new_zeros", "aten::new_ones", "aten::new_full",
                                                "aten::new_empty", "aten::zeros_like", "aten::ones_like",
                                                "aten::full_like", "aten::empty_like"};
  std::string kind = node->kind().toQualString();
  if (kind == "aten::len" && node->input(0)->type()->kind() != c10::TypeKind::TensorType) return false;
  if (kQueries.count(kind)) return true;
  if (!kFactories.count(kind)) return false;
  for (size_t i = 1; i < node->inputs().size(); ++i)
    if (!statics.count(node->input(i))) return false;
  return true;
}

bool IsNondeterministic(const jit::Node* node) {
  if (node->isNondeterministic()) return true;
  std::string name = node->kind().toUnqualString();
  return name.find("rand") != std::string::npos || name == "dropout" || name == "bernoulli" ||
         name == "normal" || name == "uniform_" || name == "exponential_";
}

bool IsTensorList(const c10::TypePtr& type) {
  auto list = type->cast<c10::ListType>();
  if (!list) return false;
  auto element = list->getElementType();
  if (auto optional = element->cast<c10::OptionalType>()) element = optional->getElementType();
  return element->kind() == c10::TypeKind::TensorType;
}

// Values sharing storage: an op's output and the inputs its schema says it aliases
// (views, in-place ops), and lists with their tensors.
class AliasClasses {
 public:
  const jit::Value* Find(const jit::Value* v) {
    auto it = parent_.find(v);
    if (it == parent_.end() || it->second == v) return v;
    return it->second = Find(it->second);
  }
  void Union(const jit::Value* a, const jit::Value* b) {
    const jit::Value* ra = Find(a);
    const jit::Value* rb = Find(b);
    if (ra != rb) parent_[ra] = rb;
  }

 private:
  std::unordered_map<const jit::Value*, const jit::Value*> parent_;
};

void ForEachNodeIn(jit::Block* block, const std::function<void(jit::Node*, bool in_loop)>& fn, bool in_loop = false) {
  for (jit::Node* node : block->nodes()) {
    fn(node, in_loop);
    for (jit::Block* inner : node->blocks()) ForEachNodeIn(inner, fn, in_loop || node->kind() == c10::prim::Loop);
  }
}

}  // namespace

StaticValues FindStaticValues(jit::Block* top, const DynamicDims* dynamic) {
  AliasClasses aliases;
  std::vector<std::pair<jit::Node*, const jit::Value*>> mutations;  // (node, mutated input)
  ForEachNodeIn(top, [&](jit::Node* node, bool) {
    auto kind = node->kind();
    if (kind == c10::prim::ListConstruct || kind == c10::prim::ListUnpack || kind == c10::aten::__getitem__) {
      for (jit::Value* in : node->inputs())
        for (jit::Value* out : node->outputs())
          if (in->type()->kind() != c10::TypeKind::IntType) aliases.Union(in, out);
      return;
    }
    const c10::FunctionSchema* schema = node->maybeSchema();
    if (!schema) return;
    for (size_t a = 0; a < schema->arguments().size() && a < node->inputs().size(); ++a) {
      const c10::AliasInfo* arg_alias = schema->arguments()[a].alias_info();
      if (!arg_alias) continue;
      if (arg_alias->isWrite()) mutations.emplace_back(node, node->input(a));
      for (size_t r = 0; r < schema->returns().size() && r < node->outputs().size(); ++r) {
        const c10::AliasInfo* ret_alias = schema->returns()[r].alias_info();
        if (!ret_alias) continue;
        for (const auto& set : ret_alias->beforeSets())
          if (arg_alias->beforeSets().count(set)) aliases.Union(node->input(a), node->output(r));
      }
    }
  });

  std::unordered_set<const jit::Value*> tainted;  // alias-class roots
  StaticValues result;
  while (true) {
    result = StaticValues{};
    ForEachNodeIn(top, [&](jit::Node* node, bool in_loop) {
      bool is_static = false;
      if (node->kind() == c10::prim::Constant) {
        is_static = true;
      } else if (node->blocks().empty() && !IsNondeterministic(node)) {
        if (IsMetadataOnly(node, result.values)) {
          // A loop-carried tensor may change shape between iterations.
          is_static = !in_loop && !ReadsDynamicDim(node, dynamic);
        } else {
          is_static = true;
          for (jit::Value* in : node->inputs()) is_static = is_static && result.values.count(in);
        }
      }
      for (jit::Value* out : node->outputs()) {
        auto kind = out->type()->kind();
        if (kind == c10::TypeKind::TupleType || kind == c10::TypeKind::DictType || IsTensorList(out->type()))
          is_static = false;  // containers of tensors stay structural
        if (tainted.count(aliases.Find(out))) is_static = false;
      }
      if (!is_static) return;
      result.nodes.insert(node);
      for (jit::Value* out : node->outputs()) result.values.insert(out);
    });
    bool changed = false;
    for (const auto& [node, mutated] : mutations) {
      if (result.nodes.count(node)) continue;
      if (tainted.insert(aliases.Find(mutated)).second) changed = true;
    }
    if (!changed) return result;
  }
}

// ------------------------------------------------------------------ interpretation

namespace {
void MapTensorsToCpu(jit::Stack& stack);
}

c10::IValue Interpreter::Get(const jit::Value* v) {
  auto it = values.find(v);
  if (it != values.end()) return it->second;
  if (auto c = jit::toIValue(v)) return *c;
  throw ExportError("internal: value %" + v->debugName() + " read before it was computed");
}

void Interpreter::SnapshotStaticInputs(const jit::Node* consumer, at::ArrayRef<jit::Value*> inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!statics.values.count(inputs[i])) continue;
    c10::IValue v = Get(inputs[i]);
    if (v.isTensor()) snapshots[{consumer, i}] = v.toTensor().clone();
  }
}

void Interpreter::RunBlock(jit::Block* block) {
  for (jit::Node* node : block->nodes()) RunNode(node);
  SnapshotStaticInputs(block->return_node(), block->outputs());
}

std::vector<c10::IValue> Interpreter::RunBlockWith(jit::Block* block, const std::vector<c10::IValue>& inputs) {
  for (size_t i = 0; i < inputs.size(); ++i) values[block->inputs()[i]] = inputs[i];
  RunBlock(block);
  std::vector<c10::IValue> outs;
  for (jit::Value* o : block->outputs()) outs.push_back(Get(o));
  return outs;
}

// Container ops are interpreter instructions in libtorch, not registered operators.
bool Interpreter::RunStructural(jit::Node* node) {
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
    if (list.size() != outs.size())
      throw ExportError("prim::ListUnpack: list has " + std::to_string(list.size()) + " elements");
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

void Interpreter::RunNode(jit::Node* node) {
  if (node->kind() == c10::prim::Constant) {
    values[node->output()] = *jit::toIValue(node->output());
    return;
  }
  if (!statics.nodes.count(node)) SnapshotStaticInputs(node, node->inputs());
  if (node->kind() == c10::prim::If) {
    bool cond = ReadBool(node->input(0));
    jit::Block* taken = node->blocks()[cond ? 0 : 1];
    jit::Block* other = node->blocks()[cond ? 1 : 0];
    auto outs = RunBlockWith(taken, {});
    // Run the other branch too, only to learn its values' shapes; its results are
    // discarded and a failure there is not an error.
    if (BlockRaises(other)) {  // an argument check that failed would raise: nothing to learn there
      for (size_t i = 0; i < outs.size(); ++i) values[node->outputs()[i]] = outs[i];
      return;
    }
    auto saved = values;
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
    bool cond = ReadBool(node->input(1));
    std::vector<c10::IValue> carried;
    for (size_t i = 2; i < node->inputs().size(); ++i) carried.push_back(Get(node->input(i)));
    jit::Block* body = node->blocks()[0];
    int64_t iter = 0;
    for (; iter < max_trip && cond; ++iter) {
      std::vector<c10::IValue> ins{c10::IValue(iter)};
      ins.insert(ins.end(), carried.begin(), carried.end());
      auto outs = RunBlockWith(body, ins);
      cond = ReadBool(body->outputs()[0]);
      carried.assign(outs.begin() + 1, outs.end());
    }
    if (iter == 0) {
      // Never entered: run the body once anyway to learn its values' shapes.
      auto saved = values;
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
  for (jit::Value* in : node->inputs()) {
    stack.push_back(Get(in));
    // prim::Uninitialized marks a value that a branch not taken would have set (scripted
    // code before a raise); no kernel may see it (libtorch does not check, and crashes).
    if (stack.back().tagKind() == "Uninitialized")
      throw ExportError(std::string(node->kind().toQualString()) + " reads an uninitialized value");
  }
  try {
    if (shape_only && !statics.nodes.count(node)) {
      RunOperator(node, stack);
    } else {
      // A static node reading a meta tensor only reads its metadata (x.size(0),
      // zeros_like(x)); give it a real tensor so that its result has data to export.
      if (shape_only) MapTensorsToCpu(stack);
      node->getOperation()(stack);
    }
  } catch (const NeedsRealData&) {
    throw;
  } catch (const std::exception& e) {
    throw ExportError("running " + std::string(node->kind().toQualString()) + " on the example inputs failed: " +
                      FirstLine(e.what()));
  }
  if (stack.size() != node->outputs().size())
    throw ExportError("internal: " + std::string(node->kind().toQualString()) + " returned " +
                      std::to_string(stack.size()) + " values");
  for (size_t i = 0; i < stack.size(); ++i) values[node->outputs()[i]] = stack[i];
}

bool Interpreter::ReadBool(const jit::Value* v) {
  c10::IValue value = Get(v);
  if (value.isTensor() && value.toTensor().is_meta())
    throw NeedsRealData("a condition depends on the input data");
  return value.isTensor() ? value.toTensor().item<bool>() : value.toBool();
}

namespace {

bool IsMeta(const c10::IValue& v) { return v.isTensor() && v.toTensor().is_meta(); }

// Keeps the wrapped-number mark of traced Python scalars (`i * 0.5` with an int64 `i`
// is float32, not float64), which decides type promotion.
at::Tensor ToMeta(const at::Tensor& t) {
  at::Tensor meta = at::empty_strided(t.sizes(), t.strides(), t.options().device(at::kMeta));
  if (t.unsafeGetTensorImpl()->is_wrapped_number()) meta.unsafeGetTensorImpl()->set_wrapped_number(true);
  return meta;
}

// Applies `fn` to every tensor in the stack, including tensors inside lists.
template <typename Fn>
void MapTensors(jit::Stack& stack, Fn fn) {
  for (auto& v : stack) {
    if (v.isTensor()) {
      v = fn(v.toTensor());
    } else if (v.isTensorList()) {
      auto list = v.toTensorList();
      for (size_t i = 0; i < list.size(); ++i) list[i] = fn(list[i]);
      v = list;
    } else if (v.isList()) {
      auto list = v.toList();
      for (size_t i = 0; i < list.size(); ++i)
        if (list.get(i).isTensor()) list.set(i, fn(list.get(i).toTensor()));
      v = list;
    }
  }
}

void MapTensorsToCpu(jit::Stack& stack) {
  MapTensors(stack, [](const at::Tensor& t) {
    return t.is_meta() ? at::empty_strided(t.sizes(), t.strides(), t.options().device(at::kCPU)) : t;
  });
}

bool AnyMeta(const jit::Stack& stack) {
  for (const auto& v : stack) {
    if (IsMeta(v)) return true;
    if (v.isList())
      for (const auto& e : v.toListRef())
        if (IsMeta(e)) return true;
  }
  return false;
}

// Ops whose output shape depends on input data.
bool HasDataDependentShape(const jit::Node* node, const jit::Stack& stack) {
  static const std::set<std::string> kOps{"aten::nonzero", "aten::nonzero_numpy", "aten::masked_select",
                                          "aten::unique", "aten::_unique", "aten::_unique2", "aten::unique_consecutive",
                                          "aten::unique_dim", "aten::bincount", "aten::repeat_interleave"};
  std::string kind = node->kind().toQualString();
  if (kOps.count(kind)) return true;
  if (kind == "aten::where" && node->inputs().size() == 1) return true;
  if (kind == "aten::index" || kind == "aten::index_put" || kind == "aten::index_put_") {
    for (const auto& v : stack)
      if (v.isList())
        for (const auto& e : v.toListRef())
          if (e.isTensor() && (e.toTensor().scalar_type() == at::kBool || e.toTensor().scalar_type() == at::kByte)) return true;
  }
  return false;
}

std::vector<int64_t> Ints(const c10::IValue& v, size_t n, int64_t fill) {
  std::vector<int64_t> out = v.isIntList() ? v.toIntVector() : std::vector<int64_t>{};
  if (out.empty()) out.assign(n, fill);
  if (out.size() == 1) out.assign(n, out[0]);
  return out;
}

// Output metadata of a convolution, which has no meta kernel in libtorch 1.13.
at::Tensor ConvolutionMeta(const std::string& kind, const jit::Stack& s) {
  const at::Tensor& x = s[0].toTensor();
  const at::Tensor& w = s[1].toTensor();
  size_t spatial = w.dim() - 2;
  bool batched = x.dim() == static_cast<int64_t>(spatial) + 2;
  bool transposed = false;
  int64_t groups = 1;
  std::vector<int64_t> stride, padding, dilation, output_padding(spatial, 0);
  bool same = false;
  if (kind == "aten::_convolution" || kind == "aten::convolution") {
    stride = Ints(s[3], spatial, 1), padding = Ints(s[4], spatial, 0), dilation = Ints(s[5], spatial, 1);
    transposed = s[6].toBool();
    output_padding = Ints(s[7], spatial, 0);
    groups = s[8].toInt();
  } else if (kind.rfind("aten::conv_transpose", 0) == 0) {
    transposed = true;
    stride = Ints(s[3], spatial, 1), padding = Ints(s[4], spatial, 0), output_padding = Ints(s[5], spatial, 0);
    groups = s[6].toInt();
    dilation = Ints(s[7], spatial, 1);
  } else {  // conv1d/2d/3d, padding given as ints or 'same'/'valid'
    stride = Ints(s[3], spatial, 1), dilation = Ints(s[5], spatial, 1);
    groups = s[6].toInt();
    if (s[4].isString()) {
      same = s[4].toStringRef() == "same";
      padding.assign(spatial, 0);
    } else {
      padding = Ints(s[4], spatial, 0);
    }
  }
  std::vector<int64_t> out;
  if (batched) out.push_back(x.size(0));
  out.push_back(transposed ? w.size(1) * groups : w.size(0));
  for (size_t k = 0; k < spatial; ++k) {
    int64_t in = x.size(x.dim() - spatial + k);
    int64_t kernel = dilation[k] * (w.size(2 + k) - 1) + 1;
    if (transposed)
      out.push_back((in - 1) * stride[k] - 2 * padding[k] + kernel + output_padding[k]);
    else if (same)
      out.push_back(in);
    else
      out.push_back((in + 2 * padding[k] - kernel) / stride[k] + 1);
  }
  return at::empty(out, x.options());
}

// Output metadata for common ops without meta kernels, computed directly; nullopt when
// there is no rule (the op then runs on zeros).
std::optional<c10::IValue> ShapeRule(const jit::Node* node, const jit::Stack& s) {
  static const std::set<std::string> kSameAsInput{
      "aten::relu", "aten::batch_norm", "aten::layer_norm", "aten::roll", "aten::hardtanh", "aten::hardswish",
      "aten::silu", "aten::gelu", "aten::instance_norm", "aten::group_norm", "aten::dropout", "aten::sigmoid",
      "aten::hardsigmoid", "aten::relu6", "aten::leaky_relu", "aten::elu", "aten::tanh", "aten::mish"};
  std::string kind = node->kind().toQualString();
  bool in_place = !kind.empty() && kind.back() == '_' && kind.rfind("__") != kind.size() - 2;
  std::string base = in_place ? kind.substr(0, kind.size() - 1) : kind;
  if (node->outputs().size() != 1 || s.empty() || !s[0].isTensor()) return std::nullopt;
  if (kSameAsInput.count(base)) {
    const at::Tensor& x = s[0].toTensor();
    return in_place ? x : at::empty_like(x);
  }
  if (base == "aten::_convolution" || base == "aten::convolution" || base.rfind("aten::conv", 0) == 0)
    if (s.size() >= 7 && s[1].isTensor()) return ConvolutionMeta(base, s);
  return std::nullopt;
}

}  // namespace

void Interpreter::RunOperator(jit::Node* node, jit::Stack& stack) {
  if (!AnyMeta(stack)) {
    node->getOperation()(stack);
    return;
  }
  if (HasDataDependentShape(node, stack))
    throw NeedsRealData(std::string(node->kind().toQualString()) + " has a data-dependent output shape");
  // Static tensors (real, on CPU) meet meta tensors here: only their metadata matters.
  MapTensors(stack, [](const at::Tensor& t) { return t.is_meta() ? t : ToMeta(t); });
  if (auto out = ShapeRule(node, stack)) {
    stack.clear();
    stack.push_back(*out);
    return;
  }
  jit::Stack saved = stack;
  try {
    node->getOperation()(stack);
  } catch (const std::exception&) {
    // No meta kernel: run on zeros of the right shape and keep only the metadata.
    stack = saved;
    MapTensors(stack, [](const at::Tensor& t) { return at::zeros(t.sizes(), t.options().device(at::kCPU)); });
    node->getOperation()(stack);
    MapTensors(stack, [](const at::Tensor& t) { return ToMeta(t); });
    materialized_ops[node->kind().toQualString()]++;
  }
  static const std::set<std::string> kShapeQueries{"aten::size", "aten::dim", "aten::numel", "aten::len", "prim::dtype",
                                                   "prim::device", "prim::layout", "aten::is_floating_point"};
  if (kShapeQueries.count(node->kind().toQualString())) return;
  for (const auto& v : stack)
    if (!v.isTensor() && !v.isTensorList() && !v.isNone() && !v.isList())
      throw NeedsRealData(std::string(node->kind().toQualString()) + " turns tensor data into a Python value");
}

}  // namespace t2o::torchscript
