// Shape and view ops: reshape, permute, concatenate, split, slice, expand, pad.
#include <algorithm>
#include <limits>

#include <optional>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a); also reshape, _unsafe_view.
void TranslateReshape(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Op("Reshape", {ctx.Input(0), ctx.IntListInput(1)}));
}

// aten::view_as / reshape_as(Tensor self, Tensor other)
void TranslateReshapeAs(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Op("Reshape", {ctx.Input(0), ShapeOf(ctx, ctx.Input(1))}));
}

// The flat row-major positions of self (input 0, `in_numel` elements) that the view
// as_strided(size, stride, offset) reads, in the view's row-major order.
std::vector<int64_t> StridedPositions(int64_t in_numel, const std::vector<int64_t>& size, const std::vector<int64_t>& stride,
                                      int64_t offset) {
  int64_t out_numel = 1;
  for (int64_t d : size) out_numel *= d;
  std::vector<int64_t> positions(static_cast<size_t>(out_numel));
  std::vector<int64_t> index(size.size(), 0);
  for (int64_t k = 0; k < out_numel; ++k) {
    int64_t p = offset;
    for (size_t d = 0; d < size.size(); ++d) p += index[d] * stride[d];
    if (p < 0 || p >= in_numel)
      throw UnsupportedError("as_strided reads element " + std::to_string(p) + " of a tensor of " + std::to_string(in_numel) +
                             " (a view into a larger storage than the tensor itself)");
    positions[static_cast<size_t>(k)] = p;
    for (size_t d = size.size(); d-- > 0 && ++index[d] == size[d];) index[d] = 0;
  }
  return positions;
}

struct StridedView {
  std::vector<int64_t> size, stride;
  int64_t offset;
  int64_t in_numel;
};
StridedView StridedViewOf(TranslationContext& ctx, size_t size_index) {
  std::vector<int64_t> in_shape = StaticShape(ctx, 0);
  StridedView v{ctx.ConstInts(size_index, "size"), ctx.ConstInts(size_index + 1, "stride"),
                ctx.OptionalConstInt(size_index + 2, "storage_offset").value_or(0), 1};
  if (v.size.size() != v.stride.size()) throw UnsupportedError("as_strided: size and stride differ in length");
  for (int64_t d : in_shape) v.in_numel *= d;
  return v;
}

// aten::as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None):
// reads self's elements as its row-major storage (ONNX tensors have no strides, and the
// programs that call it view a contiguous tensor). A view that is the whole tensor in
// another shape is a Reshape; any other is a Gather over the flat positions, computed at
// export time (offset + sum of index * stride).
void TranslateAsStrided(TranslationContext& ctx) {
  StridedView v = StridedViewOf(ctx, 1);
  int64_t out_numel = 1;
  for (int64_t d : v.size) out_numel *= d;
  std::vector<int64_t> row_major(v.size.size(), 1);
  for (size_t d = v.size.size(); d-- > 1;) row_major[d - 1] = row_major[d] * v.size[d];
  bool plain = v.offset == 0 && out_numel == v.in_numel;
  for (size_t d = 0; d < v.size.size(); ++d) plain = plain && (v.size[d] == 1 || v.stride[d] == row_major[d]);
  if (plain) return ctx.SetOutput(0, Reshape(ctx, ctx.Input(0), v.size));
  std::string flat = Reshape(ctx, ctx.Input(0), {-1});
  std::string idx = ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, v.size, StridedPositions(v.in_numel, v.size, v.stride, v.offset)));
  ctx.SetOutput(0, ctx.Op("Gather", {flat, idx}, {{"axis", int64_t{0}}}));
}

// aten::as_strided_scatter(Tensor self, Tensor src, SymInt[] size, SymInt[] stride, SymInt?
// storage_offset=None): self with the elements of its view as_strided(size, stride,
// offset) replaced by src: a ScatterND over the same flat positions. A view that reads an
// element twice has no defined result, and is refused.
void TranslateAsStridedScatter(TranslationContext& ctx) {
  StridedView v = StridedViewOf(ctx, 2);
  std::vector<int64_t> positions = StridedPositions(v.in_numel, v.size, v.stride, v.offset);
  std::vector<int64_t> sorted = positions;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    throw UnsupportedError("the view overlaps itself (it reads an element twice), where the scattered result is undefined");
  DType dt = ctx.OutDType();
  std::string flat = Reshape(ctx, ctx.OperandAs(0, dt), {-1});
  int64_t count = static_cast<int64_t>(positions.size());
  std::string idx = ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {count, 1}, std::move(positions)));
  std::string updates = Reshape(ctx, ctx.OperandAs(1, dt), {count});
  std::string scattered = ctx.Op("ScatterND", {flat, idx, updates});
  ctx.SetOutput(0, ctx.Op("Reshape", {scattered, ShapeOf(ctx, ctx.Input(0))}));
}

// aten::flatten.using_ints(Tensor self, int start_dim=0, int end_dim=-1) -> Tensor
void TranslateFlatten(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  std::string x = ctx.Input(0);
  if (rank == 0) return ctx.SetOutput(0, Reshape(ctx, x, {1}));
  int64_t start = NormalizeAxis(ctx.ConstInt(1, "start_dim"), rank);
  int64_t end = NormalizeAxis(ctx.ConstInt(2, "end_dim"), rank);
  if (start == end) return ctx.SetOutput(0, ctx.Op("Identity", {x}));
  if (end == rank - 1 && start <= 1) {
    std::string y = ctx.Op("Flatten", {x}, {{"axis", start}});
    if (start == 0) y = Squeeze(ctx, y, {0});
    return ctx.SetOutput(0, y);
  }
  std::string shape = ShapeOf(ctx, x);
  std::vector<std::string> parts;
  if (start > 0) parts.push_back(ctx.Op("Slice", {shape, ctx.ConstInt64s({0}), ctx.ConstInt64s({start})}));
  parts.push_back(ctx.ConstInt64s({-1}));
  if (end + 1 < rank) parts.push_back(ctx.Op("Slice", {shape, ctx.ConstInt64s({end + 1}), ctx.ConstInt64s({rank})}));
  ctx.SetOutput(0, ctx.Op("Reshape", {x, ctx.Op("Concat", parts, {{"axis", int64_t{0}}})}));
}

// aten::unflatten.int(Tensor self, int dim, SymInt[] sizes) -> Tensor
void TranslateUnflatten(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  std::string x = ctx.Input(0);
  std::string shape = ShapeOf(ctx, x);
  std::vector<std::string> parts;
  if (dim > 0) parts.push_back(ctx.Op("Slice", {shape, ctx.ConstInt64s({0}), ctx.ConstInt64s({dim})}));
  parts.push_back(ctx.IntListInput(2));
  if (dim + 1 < rank) parts.push_back(ctx.Op("Slice", {shape, ctx.ConstInt64s({dim + 1}), ctx.ConstInt64s({rank})}));
  ctx.SetOutput(0, ctx.Op("Reshape", {x, ctx.Op("Concat", parts, {{"axis", int64_t{0}}})}));
}

// aten::permute(Tensor(a) self, int[] dims) -> Tensor(a)
void TranslatePermute(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> perm = ctx.ConstInts(1, "dims");
  for (auto& p : perm) p = NormalizeAxis(p, rank);
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", perm}}));
}

// aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)
void TranslateTranspose(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  if (rank < 2) return ctx.SetOutput(0, ctx.Input(0));
  int64_t a = NormalizeAxis(ctx.ConstInt(1, "dim0"), rank);
  int64_t b = NormalizeAxis(ctx.ConstInt(2, "dim1"), rank);
  std::vector<int64_t> perm;
  for (int64_t k = 0; k < rank; ++k) perm.push_back(k);
  std::swap(perm[a], perm[b]);
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", perm}}));
}

// aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a)
void TranslateUnsqueeze(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = ctx.ConstInt(1, "dim");
  if (dim < 0) dim += rank + 1;
  ctx.SetOutput(0, Unsqueeze(ctx, ctx.Input(0), {dim}));
}

// aten::squeeze(Tensor(a) self) / squeeze.dim(self, int dim): squeezing a dim whose size is
// not 1 is a no-op in PyTorch (an error in ONNX), so decide from the captured shape.
void TranslateSqueeze(TranslationContext& ctx) {
  const auto& meta = ctx.Meta(0);
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> axes;
  if (ctx.NumInputs() > 1) {
    for (int64_t d : ctx.ConstInts(1, "dim")) {
      if (rank == 0) continue;
      int64_t a = NormalizeAxis(d, rank);
      auto size = meta.StaticDim(a);
      if (!size) throw UnsupportedError("squeeze of a dynamic dimension");
      if (*size == 1) axes.push_back(a);
    }
    if (axes.empty()) return ctx.SetOutput(0, ctx.Op("Identity", {ctx.Input(0)}));
  } else {
    for (int64_t a = 0; a < rank; ++a) {
      auto size = meta.StaticDim(a);
      if (!size) throw UnsupportedError("squeeze() of a tensor with dynamic dimensions");
      if (*size == 1) axes.push_back(a);
    }
    if (axes.empty()) return ctx.SetOutput(0, ctx.Op("Identity", {ctx.Input(0)}));
  }
  ctx.SetOutput(0, Squeeze(ctx, ctx.Input(0), axes));
}

// aten::cat(Tensor[] tensors, int dim=0) -> Tensor
// The tensors of list input i, cast to `dt` (the captured output dtype is the promoted
// one when the inputs differ in dtype).
std::vector<std::string> PromotedTensorList(TranslationContext& ctx, size_t i, DType dt) {
  std::vector<std::string> parts = ctx.TensorListInput(i);
  const ir::Node* list = ctx.InputValue(i).producer;
  for (size_t k = 0; k < parts.size(); ++k) {
    bool known = list && list->op == "prim::ListConstruct" && k < list->inputs.size() && list->inputs[k]->IsTensor();
    DType from = known ? list->inputs[k]->meta.dtype : DType::kUndefined;
    if (from != dt) parts[k] = ctx.Op("Cast", {parts[k]}, {{"to", int64_t{DTypeToOnnx(dt)}}});
  }
  return parts;
}

// PyTorch's cat skips 1-D tensors of size 0 whatever the other tensors' rank (the legacy
// empty tensor, e.g. a KV cache layer before its first update); ONNX Concat would refuse
// the rank mismatch.
void TranslateCat(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = static_cast<int64_t>(ctx.OutMeta(0).rank());
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  std::vector<std::string> all = PromotedTensorList(ctx, 0, dt), parts;
  const ir::Node* list = ctx.InputValue(0).producer;
  for (size_t k = 0; k < all.size(); ++k) {
    const ir::Value* element = list && list->op == "prim::ListConstruct" && k < list->inputs.size() ? list->inputs[k] : nullptr;
    bool legacy_empty = rank != 1 && element && element->meta.shape_known && element->meta.rank() == 1 &&
                        element->meta.StaticDim(0) == 0;
    if (!legacy_empty) parts.push_back(all[k]);
  }
  if (parts.empty()) throw UnsupportedError("aten::cat: every tensor is empty");
  if (parts.size() == 1) return ctx.SetOutput(0, ctx.Op("Identity", {parts[0]}));
  ctx.SetOutput(0, ctx.Op("Concat", parts, {{"axis", dim}}));
}

// aten::stack(Tensor[] tensors, int dim=0) -> Tensor
void TranslateStack(TranslationContext& ctx) {
  int64_t rank = static_cast<int64_t>(ctx.OutMeta(0).rank());
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  std::vector<std::string> parts;
  for (const auto& n : PromotedTensorList(ctx, 0, ctx.OutDType())) parts.push_back(Unsqueeze(ctx, n, {dim}));
  ctx.SetOutput(0, parts.size() == 1 ? ctx.Op("Identity", {parts[0]}) : ctx.Op("Concat", parts, {{"axis", dim}}));
}

void EmitSplit(TranslationContext& ctx, int64_t dim, const std::vector<int64_t>& sizes) {
  auto outs = ctx.OpMulti("Split", {ctx.Input(0), ctx.ConstInt64s(sizes)}, sizes.size(), {{"axis", dim}});
  ctx.SetOutputBinding(0, ListOf(outs));
}

// aten::split.Tensor(Tensor(a) self, SymInt split_size, int dim=0) -> Tensor(a)[]
// aten::split_with_sizes(Tensor(a) self, SymInt[] split_sizes, int dim=0) -> Tensor(a)[]
void TranslateSplit(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  auto total = ctx.Meta(0).StaticDim(dim);
  if (!total) throw UnsupportedError("split along a dynamic dimension");
  std::vector<int64_t> arg = ctx.ConstInts(1, "split_size");
  std::vector<int64_t> sizes;
  if (ctx.InputValue(1).kind == ir::ValueKind::kIntList && ctx.node().overload != "Tensor") {
    sizes = arg;
  } else {
    int64_t step = arg.at(0);
    for (int64_t done = 0; done < *total; done += step) sizes.push_back(std::min(step, *total - done));
  }
  EmitSplit(ctx, dim, sizes);
}

// The number of tensors a list result is unpacked into, when the graph says.
std::optional<size_t> UnpackedCount(const TranslationContext& ctx) {
  const ir::Value* list = ctx.node().outputs.at(0);
  if (list->uses.size() == 1 && list->uses[0]->op == "prim::ListUnpack") return list->uses[0]->outputs.size();
  return std::nullopt;
}

// aten::chunk(Tensor(a) self, int chunks, int dim=0) -> Tensor(a)[]
void TranslateChunk13(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  auto total = ctx.Meta(0).StaticDim(dim);
  if (!total) throw UnsupportedError("chunk along a dynamic dimension needs ONNX Split's num_outputs (opset 18 or later)");
  int64_t chunks = ctx.ConstInt(1, "chunks");
  int64_t step = (*total + chunks - 1) / chunks;
  std::vector<int64_t> sizes;
  for (int64_t done = 0; done < *total; done += step) sizes.push_back(std::min(step, *total - done));
  EmitSplit(ctx, dim, sizes);
}

// From opset 18 a dynamic dim splits into as many pieces as the program unpacks
// (ceil(size / chunks) each, the last smaller: torch.chunk's pieces when it makes that many).
void TranslateChunk18(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), ctx.Rank(0));
  if (ctx.Meta(0).StaticDim(dim)) return TranslateChunk13(ctx);
  std::optional<size_t> count = UnpackedCount(ctx);
  if (!count) throw UnsupportedError("chunk along a dynamic dimension whose pieces are not unpacked into a fixed count");
  if (*count != static_cast<size_t>(ctx.ConstInt(1, "chunks")))
    throw UnsupportedError("chunk along a dynamic dimension into fewer pieces than asked (the traced size decided it)");
  ctx.SetOutputBinding(0, ListOf(SplitEvenly(ctx, ctx.Input(0), dim, *count)));
}

// aten::unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]
void TranslateUnbind(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  auto total = ctx.Meta(0).StaticDim(dim);
  if (!total) throw UnsupportedError("unbind along a dynamic dimension");
  auto outs = ctx.OpMulti("Split", {ctx.Input(0), ctx.ConstInt64s(std::vector<int64_t>(*total, 1))}, *total, {{"axis", dim}});
  for (auto& o : outs) o = Squeeze(ctx, o, {dim});
  ctx.SetOutputBinding(0, ListOf(outs));
}

// aten::select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)
void TranslateSelect(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  ctx.SetOutput(0, ctx.Op("Gather", {ctx.Input(0), ctx.ScalarInput(2, DType::kInt64)}, {{"axis", dim}}));
}

// aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1)
void TranslateSlice(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  auto bound = [&](size_t i, int64_t fallback) {
    if (ctx.IsNone(i)) return ctx.ConstInt64s({fallback});
    if (ctx.IsConstant(i)) return ctx.ConstInt64s({ctx.ConstInt(i, "start/end")});
    return Unsqueeze(ctx, ctx.ScalarInput(i, DType::kInt64), {0});
  };
  int64_t step = ctx.NumInputs() > 4 ? ctx.ConstInt(4, "step") : 1;
  if (ctx.IsConstant(2) && ctx.IsConstant(3) && !ctx.IsNone(3) && step == 1 &&
      (ctx.IsNone(2) || ctx.ConstInt(2, "start") == 0) && ctx.ConstInt(3, "end") >= kInt64Max / 2)
    return ctx.SetOutput(0, ctx.Op("Identity", {ctx.Input(0)}));  // x[:]
  std::string start = bound(2, 0);
  std::string end = bound(3, kInt64Max);
  ctx.SetOutput(0, ctx.Op("Slice", {ctx.Input(0), start, end, ctx.ConstInt64s({dim}), ctx.ConstInt64s({step})}));
}

// aten::narrow(Tensor(a) self, int dim, SymInt start, SymInt length) -> Tensor(a)
void TranslateNarrow(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  std::string start = Unsqueeze(ctx, ctx.ScalarInput(2, DType::kInt64), {0});
  std::string length = Unsqueeze(ctx, ctx.ScalarInput(3, DType::kInt64), {0});
  // A negative start counts from the end: make it absolute, so that start + length never
  // lands on 0 (which Slice would read as "the beginning").
  std::string size = Unsqueeze(ctx, DimOf(ctx, ctx.Input(0), dim), {0});
  std::string negative = ctx.Op("Less", {start, ctx.ConstInt64s({0})});
  start = ctx.Op("Where", {negative, ctx.Op("Add", {start, size}), start});
  std::string end = ctx.Op("Add", {start, length});
  ctx.SetOutput(0, ctx.Op("Slice", {ctx.Input(0), start, end, ctx.ConstInt64s({dim})}));
}

// aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)
void TranslateExpand(TranslationContext& ctx) {
  std::string shape;
  if (ctx.IsConstant(1)) {
    auto size = ctx.ConstInts(1, "size");
    for (auto& s : size) s = s == -1 ? 1 : s;  // -1 keeps the dim: broadcasting against 1 does that
    shape = ctx.ConstInt64s(size);
  } else {
    std::string size = ctx.IntListInput(1);
    std::string keep = ctx.Op("Equal", {size, ctx.ConstInt64s({-1})});
    shape = ctx.Op("Where", {keep, ctx.ConstInt64s({1}), size});
  }
  ctx.SetOutput(0, ctx.Op("Expand", {ctx.Input(0), shape}));
}

// aten::broadcast_tensors(Tensor[] tensors) -> Tensor[]: each expanded to the broadcast
// shape of all, which Expand (bidirectional broadcasting) computes on a tensor of zeros.
void TranslateBroadcastTensors(TranslationContext& ctx) {
  std::vector<std::string> tensors = ctx.TensorListInput(0);
  if (tensors.empty()) return ctx.SetOutputBinding(0, ListOf({}));
  std::string grid = ctx.Op("ConstantOfShape", {ShapeOf(ctx, tensors[0])});
  for (size_t i = 1; i < tensors.size(); ++i) grid = ctx.Op("Expand", {grid, ShapeOf(ctx, tensors[i])});
  std::string shape = ShapeOf(ctx, grid);
  std::vector<std::string> outs;
  for (const auto& t : tensors) outs.push_back(ctx.Op("Expand", {t, shape}));
  ctx.SetOutputBinding(0, ListOf(outs));
}

// aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a)
void TranslateExpandAs(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Op("Expand", {ctx.Input(0), ShapeOf(ctx, ctx.Input(1))}));
}

// aten::repeat(Tensor self, SymInt[] repeats) -> Tensor
void TranslateRepeat(TranslationContext& ctx) {
  // PyTorch needs at least one repeat per dim; extra leading repeats add dims, so the output
  // rank is the number of repeats (also when they are computed at run time).
  int64_t rank = ctx.Rank(0);
  int64_t out_rank = static_cast<int64_t>(ctx.OutMeta(0).shape.size());
  std::string repeats;
  if (ctx.IsConstant(1)) {
    auto values = ctx.ConstInts(1, "repeats");
    out_rank = static_cast<int64_t>(values.size());
    repeats = ctx.ConstInt64s(values);
  } else {
    if (!ctx.OutMeta(0).shape_known) throw UnsupportedError("aten::repeat: repeats computed at run time need a known output rank");
    repeats = ctx.IntListInput(1);
  }
  std::string x = ctx.Input(0);
  if (out_rank > rank) {
    std::vector<int64_t> axes;
    for (int64_t k = 0; k < out_rank - rank; ++k) axes.push_back(k);
    x = Unsqueeze(ctx, x, axes);
  }
  ctx.SetOutput(0, ctx.Op("Tile", {x, repeats}));
}

// x rolled by 0 < s < n along dim (of static size n): the last s elements first.
std::string Rolled(TranslationContext& ctx, const std::string& x, int64_t dim, int64_t n, int64_t s) {
  std::string tail = ctx.Op("Slice", {x, ctx.ConstInt64s({n - s}), ctx.ConstInt64s({n}), ctx.ConstInt64s({dim})});
  std::string head = ctx.Op("Slice", {x, ctx.ConstInt64s({0}), ctx.ConstInt64s({n - s}), ctx.ConstInt64s({dim})});
  return ctx.Op("Concat", {tail, head}, {{"axis", dim}});
}

// aten::fft_fftshift / fft_ifftshift(Tensor self, int[1]? dim=None): rolled by n / 2 (by
// -(n / 2)) along each dim, every dim when None.
void TranslateFftShift(TranslationContext& ctx, bool inverse) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> dims;
  if (auto given = ctx.OptionalConstInts(1, "dim")) dims = *given;
  else for (int64_t d = 0; d < rank; ++d) dims.push_back(d);
  std::string x = ctx.Input(0);
  for (int64_t d : dims) {
    int64_t dim = NormalizeAxis(d, rank);
    auto n = ctx.Meta(0).StaticDim(dim);
    if (!n) throw UnsupportedError(ctx.node().Key() + " along a dynamic dimension");
    int64_t s = inverse ? *n - *n / 2 : *n / 2;
    if (s > 0 && s < *n) x = Rolled(ctx, x, dim, *n, s);
  }
  ctx.SetOutput(0, ctx.Op("Identity", {x}));
}

// aten::roll(Tensor self, SymInt[1] shifts, int[1] dims=[]) -> Tensor
void TranslateRoll(TranslationContext& ctx) {
  auto shifts = ctx.ConstInts(1, "shifts");
  auto dims = ctx.ConstInts(2, "dims");
  std::string x = ctx.Input(0);
  int64_t rank = ctx.Rank(0);
  bool flat = dims.empty();
  std::vector<int64_t> shape;
  if (flat) {
    shape = StaticShape(ctx, 0);
    int64_t n = 1;
    for (auto d : shape) n *= d;
    x = Reshape(ctx, x, {n});
    dims = {0};
    rank = 1;
  }
  for (size_t k = 0; k < dims.size(); ++k) {
    int64_t dim = NormalizeAxis(dims[k], rank);
    auto size = flat ? std::optional<int64_t>() : ctx.Meta(0).StaticDim(dim);
    int64_t n = flat ? [&] { int64_t m = 1; for (auto d : shape) m *= d; return m; }() : (size ? *size : -1);
    if (n < 0) throw UnsupportedError("roll along a dynamic dimension");
    if (n == 0) continue;
    int64_t s = ((shifts[k] % n) + n) % n;
    if (s == 0) continue;
    x = Rolled(ctx, x, dim, n, s);
  }
  if (flat) x = Reshape(ctx, x, shape);
  ctx.SetOutput(0, ctx.Op("Identity", {x}));
}

// PyTorch pads list the last dim first: [last_begin, last_end, prev_begin, ...].
std::vector<int64_t> OnnxPads(const std::vector<int64_t>& torch_pads, int64_t rank) {
  std::vector<int64_t> pads(2 * rank, 0);
  for (size_t k = 0; k + 1 < torch_pads.size() + 1 && k / 2 < static_cast<size_t>(rank); k += 2) {
    int64_t axis = rank - 1 - static_cast<int64_t>(k / 2);
    pads[axis] = torch_pads[k];
    pads[axis + rank] = torch_pads[k + 1];
  }
  return pads;
}

// torch's pads (last dim first, (begin, end) pairs, maybe fewer than the rank) computed at
// run time, as ONNX's [begins..., ends...]: zero-filled to 2 * rank, pairs reversed, transposed.
std::string OnnxPadsAtRunTime(TranslationContext& ctx, const std::string& torch_pads, int64_t rank) {
  std::string missing = ctx.Op("Sub", {ctx.ConstInt64s({2 * rank}), ShapeOf(ctx, torch_pads)});
  std::string full = ctx.Op("Pad", {torch_pads, ctx.Op("Concat", {ctx.ConstInt64s({0}), missing}, {{"axis", int64_t{0}}})});
  std::string pairs = Reshape(ctx, full, {rank, 2});
  std::string first_dim_first = ctx.Op("Slice", {pairs, ctx.ConstInt64s({-1}), ctx.ConstInt64s({std::numeric_limits<int64_t>::min()}),
                                                 ctx.ConstInt64s({0}), ctx.ConstInt64s({-1})});
  return Reshape(ctx, ctx.Op("Transpose", {first_dim_first}, {{"perm", std::vector<int64_t>{1, 0}}}), {-1});
}

void EmitPad(TranslationContext& ctx, const std::string& mode, const std::vector<int64_t>& torch_pads,
             std::optional<double> value, const std::string& runtime_pads = "") {
  int64_t rank = ctx.Rank(0);
  std::string pads = runtime_pads.empty() ? ctx.ConstInt64s(OnnxPads(torch_pads, rank)) : OnnxPadsAtRunTime(ctx, runtime_pads, rank);
  std::vector<std::string> ins{ctx.Input(0), pads};
  if (value && *value != 0.0) ins.push_back(ctx.ConstScalar(*value, ctx.OutDType()));
  ctx.SetOutput(0, ctx.Op("Pad", ins, {{"mode", mode}}));
}

// aten::unfold(Tensor self, int dimension, int size, int step): the windows along
// `dimension`, each window's elements in a new last dim.
void TranslateUnfold(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = rank == 0 ? 0 : NormalizeAxis(ctx.ConstInt(1, "dimension"), rank);
  std::string x = rank == 0 ? Unsqueeze(ctx, ctx.Input(0), {0}) : ctx.Input(0);
  std::string windows = SlidingWindows(ctx, x, dim, ctx.ConstInt(2, "size"), ctx.ConstInt(3, "step"));
  if (rank == 0) return ctx.SetOutput(0, Squeeze(ctx, windows, {0}));
  std::vector<int64_t> perm;  // [.., count, size, ..] -> [.., count, .., size]
  for (int64_t d = 0; d <= rank; ++d)
    if (d != dim + 1) perm.push_back(d);
  perm.push_back(dim + 1);
  ctx.SetOutput(0, ctx.Op("Transpose", {windows}, {{"perm", perm}}));
}

// aten::constant_pad_nd(Tensor self, SymInt[] pad, Scalar value=0) -> Tensor
void TranslateConstantPad(TranslationContext& ctx) {
  if (!ctx.IsConstant(1))
    return EmitPad(ctx, "constant", {}, ctx.NumInputs() > 2 ? ctx.ConstDouble(2, "value") : 0.0, ctx.IntListInput(1));
  EmitPad(ctx, "constant", ctx.ConstInts(1, "pad"), ctx.NumInputs() > 2 ? ctx.ConstDouble(2, "value") : 0.0);
}

// Circular padding wraps around: the last `left` elements of a dim go before it, the
// first `right` after it (no ONNX Pad mode does this).
void EmitCircularPad(TranslationContext& ctx, const std::vector<int64_t>& torch_pads) {
  const std::string input = ctx.Input(0);
  std::string x = input;
  int64_t rank = ctx.Rank(0);
  for (size_t k = 0; k + 1 < torch_pads.size(); k += 2) {
    int64_t axis = rank - 1 - static_cast<int64_t>(k / 2);
    int64_t left = torch_pads[k], right = torch_pads[k + 1];
    if (left < 0 || right < 0) throw UnsupportedError("circular padding with negative pads is not supported");
    std::vector<std::string> parts;
    if (left > 0)
      parts.push_back(ctx.Op("Slice", {x, ctx.ConstInt64s({-left}), ctx.ConstInt64s({std::numeric_limits<int64_t>::max()}),
                                       ctx.ConstInt64s({axis})}));
    parts.push_back(x);
    if (right > 0) parts.push_back(ctx.Op("Slice", {x, ctx.ConstInt64s({0}), ctx.ConstInt64s({right}), ctx.ConstInt64s({axis})}));
    if (parts.size() > 1) x = ctx.Op("Concat", parts, {{"axis", axis}});
  }
  ctx.SetOutput(0, x == input ? ctx.Op("Identity", {x}) : x);
}

// Replicate padding with a negative pad: PyTorch reads element clamp(i - left, 0, n - 1)
// for output position i, so a crop can go past the elements the other side repeats (ONNX
// Pad crops first, and ONNX Runtime refuses an edge pad of what is left).
void EmitReplicatePadByGather(TranslationContext& ctx, const std::vector<int64_t>& torch_pads) {
  std::string x = ctx.Input(0);
  int64_t rank = ctx.Rank(0);
  for (size_t k = 0; k + 1 < torch_pads.size(); k += 2) {
    int64_t axis = rank - 1 - static_cast<int64_t>(k / 2);
    int64_t left = torch_pads[k], right = torch_pads[k + 1];
    if (left == 0 && right == 0) continue;
    std::string n = DimOf(ctx, x, axis);
    std::string length = ctx.Op("Add", {n, ctx.ConstInt64(left + right)});
    std::string source = ctx.Op("Sub", {Arange(ctx, length), ctx.ConstInt64(left)});
    source = ctx.Op("Clip", {source, ctx.ConstInt64(0), ctx.Op("Sub", {n, ctx.ConstInt64(1)})});
    x = ctx.Op("Gather", {x, source}, {{"axis", axis}});
  }
  ctx.SetOutput(0, ctx.Op("Identity", {x}));
}

void EmitReplicatePad(TranslationContext& ctx, const std::vector<int64_t>& torch_pads) {
  if (std::any_of(torch_pads.begin(), torch_pads.end(), [](int64_t p) { return p < 0; }))
    return EmitReplicatePadByGather(ctx, torch_pads);
  EmitPad(ctx, "edge", torch_pads, std::nullopt);
}

// aten::pad(Tensor self, SymInt[] pad, str mode="constant", float? value=None) -> Tensor
void TranslatePad(TranslationContext& ctx) {
  std::string mode = ctx.ConstString(2, "mode");
  if (mode == "circular") return EmitCircularPad(ctx, ctx.ConstInts(1, "pad"));
  if (mode == "replicate" && ctx.IsConstant(1)) return EmitReplicatePad(ctx, ctx.ConstInts(1, "pad"));
  std::string onnx_mode = mode == "constant" ? "constant" : mode == "reflect" ? "reflect" : mode == "replicate" ? "edge" : "";
  if (onnx_mode.empty()) throw UnsupportedError("pad mode '" + mode + "' is not supported");
  if (!ctx.IsConstant(1)) return EmitPad(ctx, onnx_mode, {}, ctx.OptionalConstDouble(3, "value"), ctx.IntListInput(1));
  EmitPad(ctx, onnx_mode, ctx.ConstInts(1, "pad"), ctx.OptionalConstDouble(3, "value"));
}

// aten::resize(Tensor self, SymInt[] size, *, MemoryFormat? memory_format=None) and resize_:
// self's elements in order, cut or padded to the new element count. The elements a growing
// resize adds are uninitialized in PyTorch; here they are zeros.
void TranslateResize(TranslationContext& ctx) {
  if (auto format = ctx.OptionalConstInt(2, "memory_format"); format && *format != 0)
    throw UnsupportedError(ctx.node().Key() + " with a memory_format other than torch.contiguous_format reorders "
                           "elements by PyTorch's memory layout, which ONNX does not have");
  std::string flat = Reshape(ctx, ctx.Input(0), {-1});
  std::string shape = ctx.IntListInput(1);
  std::string count = Reduce(ctx, "ReduceProd", shape, {0}, true);  // [1]
  std::string missing = ctx.Op("Max", {ctx.Op("Sub", {count, ShapeOf(ctx, flat)}), ctx.ConstInt64s({0})});
  std::string padded = ctx.Op("Pad", {flat, ctx.Op("Concat", {ctx.ConstInt64s({0}), missing}, {{"axis", int64_t{0}}})});
  std::string kept = ctx.Op("Slice", {padded, ctx.ConstInt64s({0}), count, ctx.ConstInt64s({0})});
  ctx.SetOutput(0, ctx.Op("Reshape", {kept, shape}));
}

}  // namespace

// aten::meshgrid(Tensor[] tensors) -> Tensor[]   ('ij' indexing)
// aten::meshgrid.indexing(Tensor[] tensors, *, str indexing) -> Tensor[]
// N vectors (0-d ones count as length 1) -> N tensors of the grid's shape; 'xy' swaps the
// roles of the first two.
void TranslateMeshgrid(TranslationContext& ctx) {
  bool xy = ctx.node().overload == "indexing" && ctx.ConstString(1, "indexing") == "xy";
  std::vector<std::string> vectors;
  for (const auto& t : ctx.TensorListInput(0)) vectors.push_back(Reshape(ctx, t, {-1}));
  const size_t n = vectors.size();
  std::vector<size_t> position(n);
  for (size_t i = 0; i < n; ++i) position[i] = xy && n >= 2 && i < 2 ? 1 - i : i;
  std::vector<std::string> grid_dims(n);
  for (size_t i = 0; i < n; ++i) grid_dims[position[i]] = ShapeOf(ctx, vectors[i]);
  std::string grid_shape = ctx.Op("Concat", grid_dims, {{"axis", int64_t{0}}});
  std::vector<std::string> outs;
  for (size_t i = 0; i < n; ++i) {
    std::vector<int64_t> along(n, 1);
    along[position[i]] = -1;
    outs.push_back(ctx.Op("Expand", {Reshape(ctx, vectors[i], along), grid_shape}));
  }
  ctx.SetOutputBinding(0, ListOf(outs));
}

void RegisterShape(Registry& r) {
  r.SetFamily("shape");
  r.Add("aten::view", TranslateReshape);
  r.Add("aten::meshgrid", TranslateMeshgrid);
  r.Add("aten::_shape_as_tensor", [](TranslationContext& c) { c.SetOutput(0, ShapeOf(c, c.Input(0))); });
  r.Add("aten::as_strided", TranslateAsStrided);
  r.Add("aten::as_strided_scatter", TranslateAsStridedScatter);
  r.Add("aten::resize", TranslateResize);
  r.Add("aten::reshape", TranslateReshape);
  r.Add("aten::_unsafe_view", TranslateReshape);
  r.Add("aten::view_as", TranslateReshapeAs);
  r.Add("aten::reshape_as", TranslateReshapeAs);
  r.Add("aten::flatten", TranslateFlatten);
  r.Add("aten::unflatten", TranslateUnflatten);
  r.Add("aten::permute", TranslatePermute);
  r.Add("aten::transpose", TranslateTranspose);
  r.Add("aten::swapaxes", TranslateTranspose);
  r.Add("aten::unsqueeze", TranslateUnsqueeze);
  r.Add("aten::squeeze", TranslateSqueeze);
  r.Add("aten::cat", TranslateCat);
  r.Add("aten::concat", TranslateCat);
  r.Add("aten::stack", TranslateStack);
  r.Add("aten::split", TranslateSplit);
  r.Add("aten::split_with_sizes", TranslateSplit);
  r.Add("aten::chunk", {13, 17}, TranslateChunk13);
  r.Add("aten::chunk", {18, kMaxOpset}, TranslateChunk18);
  r.Add("aten::unbind", TranslateUnbind);
  r.Add("aten::select", TranslateSelect);
  r.Add("aten::slice", TranslateSlice);
  r.Add("aten::narrow", TranslateNarrow);
  r.Add("aten::expand", TranslateExpand);
  r.Add("aten::broadcast_to", TranslateExpand);  // the same (SymInt[] size, -1 keeps a dim)
  r.Add("aten::broadcast_tensors", TranslateBroadcastTensors);
  r.Add("aten::expand_as", TranslateExpandAs);
  r.Add("aten::repeat", TranslateRepeat);
  r.Add("aten::roll", TranslateRoll);
  r.Add("aten::fft_fftshift", [](TranslationContext& c) { TranslateFftShift(c, false); });
  r.Add("aten::fft_ifftshift", [](TranslationContext& c) { TranslateFftShift(c, true); });
  r.Add("aten::unfold", TranslateUnfold);
  r.Add("aten::constant_pad_nd", TranslateConstantPad);
  r.Add("aten::pad", TranslatePad);
  r.Add("aten::_pad_circular", [](TranslationContext& c) { EmitCircularPad(c, c.ConstInts(1, "pad")); });
  for (int d = 1; d <= 3; ++d) {
    std::string n = std::to_string(d);
    r.Add("aten::reflection_pad" + n + "d",
          [](TranslationContext& c) { EmitPad(c, "reflect", c.ConstInts(1, "padding"), std::nullopt); });
    r.Add("aten::replication_pad" + n + "d",
          [](TranslationContext& c) { EmitReplicatePad(c, c.ConstInts(1, "padding")); });
  }
}

}  // namespace t2o
