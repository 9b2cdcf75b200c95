// TorchScript containers (lists, tuples, dicts) and scalar <-> tensor conversions.
//
// Containers emit no ONNX: they bind their elements, and the ops that read them (cat,
// index, unpack, getitem) pick the elements up. Dynamic scalars are 0-d ONNX tensors.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

Binding ElementBinding(TranslationContext& ctx, size_t i) {
  const ir::Value& v = ctx.InputValue(i);
  if (const Binding* b = ctx.Find(&v)) return *b;
  if (ctx.IsNone(i)) return Binding{};  // None element (Tensor?[] indices)
  return Binding{ctx.Input(i), {}, false};
}

// prim::ListConstruct / prim::TupleConstruct(...) -> list
void TranslateConstruct(TranslationContext& ctx) {
  Binding b;
  b.is_list = true;
  for (size_t i = 0; i < ctx.NumInputs(); ++i) b.elements.push_back(ElementBinding(ctx, i));
  ctx.SetOutputBinding(0, std::move(b));
}

// prim::DictConstruct(k0, v0, k1, v1, ...): values in order; keys stay on the IR node.
void TranslateDictConstruct(TranslationContext& ctx) {
  Binding b;
  b.is_list = true;
  for (size_t i = 1; i < ctx.NumInputs(); i += 2) b.elements.push_back(ElementBinding(ctx, i));
  ctx.SetOutputBinding(0, std::move(b));
}

// The binding of a list-like input, or for a dynamic int list (a 1-D tensor) its k-th element.
Binding ElementOf(TranslationContext& ctx, size_t list_index, int64_t k) {
  const ir::Value& list = ctx.InputValue(list_index);
  const Binding* b = ctx.Find(&list);
  if (b && b->is_list) {
    int64_t n = static_cast<int64_t>(b->elements.size());
    if (k < 0) k += n;
    if (k < 0 || k >= n) throw UnsupportedError("list index " + std::to_string(k) + " out of range");
    return b->elements[k];
  }
  std::string tensor = ctx.Input(list_index);
  return Binding{ctx.Op("Gather", {tensor, ctx.ConstInt64(k)}, {{"axis", int64_t{0}}}), {}, false};
}

// prim::ListUnpack / prim::TupleUnpack(list) -> (e0, e1, ...)
void TranslateUnpack(TranslationContext& ctx) {
  for (size_t j = 0; j < ctx.node().outputs.size(); ++j)
    ctx.SetOutputBinding(j, ElementOf(ctx, 0, static_cast<int64_t>(j)));
}

// aten::__getitem__.t(t[](a) list, int idx) / __getitem__.Dict_str(Dict(str, t) self, str key)
// prim::TupleIndex(Any tup, int i)
void TranslateGetItem(TranslationContext& ctx) {
  const ir::Value& container = ctx.InputValue(0);
  if (container.kind == ir::ValueKind::kDict) {
    std::string key = ctx.ConstString(1, "key");
    const ir::Node* dict = container.producer;
    if (!dict || dict->op != "prim::DictConstruct") throw UnsupportedError("reading a dict that was not built in the graph");
    for (size_t i = 0; i + 1 < dict->inputs.size(); i += 2) {
      const auto& k = dict->inputs[i]->constant;
      if (k && std::holds_alternative<std::string>(*k) && std::get<std::string>(*k) == key)
        return ctx.SetOutputBinding(0, ctx.Find(&container)->elements.at(i / 2));
    }
    throw UnsupportedError("dict has no key '" + key + "'");
  }
  if (!ctx.IsConstant(1)) {
    // A run-time index into a dynamic int list.
    std::string list = ctx.Input(0);
    return ctx.SetOutput(0, ctx.Op("Gather", {list, ctx.ScalarInput(1, DType::kInt64)}, {{"axis", int64_t{0}}}));
  }
  ctx.SetOutputBinding(0, ElementOf(ctx, 0, ctx.ConstInt(1, "index")));
}

// aten::len.t(t[] a) -> int
void TranslateLen(TranslationContext& ctx) {
  const ir::Value& v = ctx.InputValue(0);
  if (v.IsTensor()) return ctx.SetOutput(0, DimOf(ctx, ctx.Input(0), 0));
  const Binding* b = ctx.Find(&v);
  if (b && b->is_list) return ctx.SetOutput(0, ctx.ConstInt64(static_cast<int64_t>(b->elements.size())));
  ctx.SetOutput(0, DimOf(ctx, ctx.Input(0), 0));
}

// aten::size(Tensor self) -> int[] / aten::size.int(Tensor self, int dim) -> int
void TranslateSize(TranslationContext& ctx) {
  std::string shape = ShapeOf(ctx, ctx.Input(0));
  if (ctx.NumInputs() == 1) return ctx.SetOutput(0, shape);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ctx.Op("Gather", {shape, ctx.ConstInt64(dim)}, {{"axis", int64_t{0}}}));
}

// aten::numel(Tensor self) -> int (aten::dim: the Size of the Shape)
void TranslateNumel(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Op("Size", {ctx.Input(0)}));
}

// The layout queries below only answer for graph inputs: an ONNX Runtime feed is always
// row-major, while the strides of an intermediate tensor follow PyTorch's view semantics
// (a transpose's are permuted), which the ONNX graph does not keep.
void RequireGraphInput(const TranslationContext& ctx) {
  if (ctx.InputValue(0).producer)
    throw UnsupportedError(ctx.node().Key() + " of a tensor computed in the graph: its strides depend on PyTorch's "
                           "memory layout, which ONNX does not have (only graph inputs, always row-major, are answered)");
}

// aten::sym_stride.int(Tensor self, int dim) -> SymInt (torch.export leaves it on inputs with
// dynamic dims), aten::stride.int: the product of the dims after `dim`.
void TranslateStride(TranslationContext& ctx) {
  RequireGraphInput(ctx);
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  if (dim == rank - 1) return ctx.SetOutput(0, ctx.ConstInt64(1));
  std::string trailing = ShapeSlice(ctx, ctx.Input(0), dim + 1, rank);
  ctx.SetOutput(0, Reduce(ctx, "ReduceProd", trailing, {0}, false));
}

// prim::NumToTensor(Scalar a) -> Tensor, aten::Int.Tensor(Tensor a) -> int, ...: the value
// already is a 0-d tensor; only the dtype may change.
void TranslateScalarCast(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Cast(ctx.Input(0), ctx.InDType(0), ctx.OutDType()));
}

// aten::ScalarImplicit(Tensor a) -> Scalar: keeps the tensor's dtype.
void TranslatePassThrough(TranslationContext& ctx) { ctx.SetOutput(0, ctx.Input(0)); }

// prim::unchecked_cast(t) -> t: refines a type (Optional[T] -> T); tuples and lists too.
void TranslateUncheckedCast(TranslationContext& ctx) {
  const Binding* binding = ctx.Find(&ctx.InputValue(0));
  if (binding && binding->is_list) ctx.SetOutputBinding(0, *binding);
  else ctx.SetOutput(0, ctx.Input(0));
}

// aten::item(Tensor self) -> Scalar: a one-element tensor as a 0-d value of its dtype.
void TranslateItem(TranslationContext& ctx) { ctx.SetOutput(0, Reshape(ctx, ctx.Input(0), {})); }

// aten::__derive_index(int index, int start, int step) -> int: the value of `i` in
// `for i in range(start, stop, step)` at loop iteration `index`.
void TranslateDeriveIndex(TranslationContext& ctx) {
  std::string index = ctx.ScalarInput(0, DType::kInt64);
  std::string start = ctx.ScalarInput(1, DType::kInt64);
  std::string step = ctx.ScalarInput(2, DType::kInt64);
  ctx.SetOutput(0, ctx.Op("Add", {start, ctx.Op("Mul", {index, step})}));
}

}  // namespace

void RegisterContainers(Registry& r) {
  r.SetFamily("prim_containers");
  r.Add("prim::ListConstruct", TranslateConstruct);
  r.Add("prim::TupleConstruct", TranslateConstruct);
  r.Add("prim::DictConstruct", TranslateDictConstruct);
  r.Add("prim::ListUnpack", TranslateUnpack);
  r.Add("prim::TupleUnpack", TranslateUnpack);
  r.Add("prim::TupleIndex", TranslateGetItem);
  r.Add("aten::__getitem__", TranslateGetItem);
  r.Add("aten::len", TranslateLen);
  r.Add("aten::size", TranslateSize);
  r.Add("aten::sym_size", TranslateSize);
  r.Add("aten::numel", TranslateNumel);
  r.Add("aten::dim", [](TranslationContext& c) { c.SetOutput(0, c.Op("Size", {ShapeOf(c, c.Input(0))})); });
  r.Add("aten::sym_numel", TranslateNumel);
  r.Add("aten::sym_stride.int", TranslateStride);
  r.Add("aten::stride.int", TranslateStride);
  // A graph input's storage offset is 0 and it is contiguous.
  r.Add("aten::sym_storage_offset", [](TranslationContext& c) { RequireGraphInput(c); c.SetOutput(0, c.ConstInt64(0)); });
  r.Add("aten::storage_offset", [](TranslationContext& c) { RequireGraphInput(c); c.SetOutput(0, c.ConstInt64(0)); });
  r.Add("aten::is_contiguous", [](TranslationContext& c) {
    RequireGraphInput(c);
    c.SetOutput(0, c.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {}, {1})));
  });
  r.Add("aten::_local_scalar_dense", TranslateItem);  // what torch.export makes of .item()
  r.Add("prim::NumToTensor", TranslateScalarCast);
  r.Add("aten::Int", TranslateScalarCast);
  r.Add("aten::Float", TranslateScalarCast);
  r.Add("aten::Bool", TranslateScalarCast);
  r.Add("aten::IntImplicit", TranslateScalarCast);
  r.Add("aten::FloatImplicit", TranslateScalarCast);
  r.Add("aten::scalar_tensor", TranslateScalarCast);
  r.Add("aten::tensor", TranslateScalarCast);
  r.Add("aten::ScalarImplicit", TranslatePassThrough);
  r.Add("prim::unchecked_cast", TranslateUncheckedCast);
  r.Add("aten::item", TranslateItem);
  r.Add("aten::__derive_index", TranslateDeriveIndex);
  // Containers only group bindings, whatever the tensors hold: complex tensors (float
  // pairs) pass through them as well, into complex graph outputs.
  r.AddComplex("prim::ListConstruct", TranslateConstruct);
  r.AddComplex("prim::TupleConstruct", TranslateConstruct);
  r.AddComplex("prim::ListUnpack", TranslateUnpack);
  r.AddComplex("prim::TupleUnpack", TranslateUnpack);
  r.AddComplex("prim::TupleIndex", TranslateGetItem);
}

}  // namespace t2o
