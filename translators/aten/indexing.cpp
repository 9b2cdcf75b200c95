// Indexing and masking: scatter, scatter_add, scatter_reduce, index_put, index_add/copy/fill,
// masked_select, masked_scatter, take_along_dim, flip, tril/triu, diag, diagonal, nonzero.
#include <algorithm>
#include <limits>

#include "translators/common/advanced_index.h"
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// `src` cut to the shape of `index` (PyTorch's scatter reads only that region of src;
// ONNX wants updates shaped like the indices).
std::string UpdatesLike(TranslationContext& ctx, const std::string& src, size_t src_i, size_t index_i) {
  const auto& s = ctx.Meta(src_i);
  const auto& idx = ctx.Meta(index_i);
  if (s.rank() == idx.rank() && s.IsStatic() && idx.IsStatic() && s.shape == idx.shape) return src;
  std::string ends = ctx.Op("Shape", {ctx.Input(index_i)});
  std::vector<int64_t> axes(idx.rank());
  for (size_t k = 0; k < axes.size(); ++k) axes[k] = static_cast<int64_t>(k);
  return ctx.Op("Slice", {src, ctx.ConstInt64s(std::vector<int64_t>(idx.rank(), 0)), ends, ctx.ConstInt64s(axes)});
}

// aten::scatter.src(Tensor self, int dim, Tensor index, Tensor src)
// aten::scatter.value(Tensor self, int dim, Tensor index, Scalar value)
// aten::scatter.reduce / value_reduce (..., str reduce): reduce='add' | 'multiply'
// aten::scatter_add(Tensor self, int dim, Tensor index, Tensor src)
void TranslateScatter(TranslationContext& ctx, const char* reduction) {
  if (ctx.NumInputs() > 4) {
    std::string reduce = ctx.ConstString(4, "reduce");
    if (reduce != "add" && reduce != "multiply") throw UnsupportedError("scatter: unknown reduce='" + reduce + "'");
    if (ctx.opset() < 16)
      throw UnsupportedError("scatter with reduce='" + reduce + "' needs ONNX ScatterElements reductions (opset 16 or later)");
    reduction = reduce == "add" ? "add" : "mul";
  }
  DType dt = ctx.OutDType();
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  std::string index = ctx.Input(2);
  std::string updates;
  if (ctx.InputValue(3).IsTensor()) {
    updates = UpdatesLike(ctx, ctx.OperandAs(3, dt), 3, 2);
  } else {
    updates = ctx.Op("Expand", {ctx.ScalarInput(3, dt), ctx.Op("Shape", {index})});
  }
  Attrs attrs{{"axis", dim}};
  if (reduction) attrs.push_back({"reduction", std::string(reduction)});
  ctx.SetOutput(0, ctx.Op("ScatterElements", {ctx.OperandAs(0, dt), index, updates}, attrs));
}

// What scatter_reduce and index_reduce reduce: src[i...] into x at index[i...] along dim
// (index has src's shape, as ScatterElements wants it).
struct ScatterReduction {
  std::string x, index, src;
  int64_t dim;
  std::string reduce;  // sum | prod | mean | amax | amin
  bool include_self;
};

// ScatterElements reduces into `x`; include_self=False first resets the targets to the
// reduction's identity, and mean divides by the number of values reduced into each
// position (floor division for integers, as PyTorch's).
std::string ScatterReduced(TranslationContext& ctx, const ScatterReduction& r, DType dt, bool has_max_min) {
  bool max_min = r.reduce == "amax" || r.reduce == "amin";
  if (max_min && !has_max_min)
    throw UnsupportedError(ctx.node().Key() + " with reduce='" + r.reduce + "' needs ONNX ScatterElements max/min (opset 18 or later)");
  if (r.reduce != "sum" && r.reduce != "prod" && r.reduce != "mean" && !max_min)
    throw UnsupportedError(ctx.node().Key() + ": unknown reduce='" + r.reduce + "'");
  if (r.reduce == "mean" && dt == DType::kBool) throw UnsupportedError(ctx.node().Key() + " with reduce='mean' on bool tensors");
  std::string onnx_reduction = r.reduce == "prod" ? "mul" : r.reduce == "amax" ? "max" : r.reduce == "amin" ? "min" : "add";
  // Bool: and / or are min / max of 0-1 values (ONNX Runtime has no bool max/min kernel;
  // the legalization pass computes them in uint8).
  if (dt == DType::kBool) onnx_reduction = r.reduce == "prod" || r.reduce == "amin" ? "min" : "max";
  Attrs set{{"axis", r.dim}}, add{{"axis", r.dim}, {"reduction", onnx_reduction}};
  auto filled = [&](const std::string& like, double value) {
    return ctx.Op("Expand", {ctx.ConstScalar(value, dt), ctx.Op("Shape", {like})});
  };
  // Without self, the targets first take the reduction's identity: scattering src onto
  // itself (ScatterElements with 'none' writes, so max/min of src alone) does it for max/min.
  std::string base;
  if (r.include_self) base = r.x;
  else if (max_min || dt == DType::kBool) base = ctx.Op("ScatterElements", {r.x, r.index, r.src}, set);
  else base = ctx.Op("ScatterElements", {r.x, r.index, filled(r.index, r.reduce == "prod" ? 1.0 : 0.0)}, set);
  std::string reduced = ctx.Op("ScatterElements", {base, r.index, r.src}, add);
  if (r.reduce != "mean") return reduced;
  Attrs count_attrs{{"axis", r.dim}, {"reduction", std::string("add")}};
  std::string counts = ctx.Op("ScatterElements", {filled(r.x, r.include_self ? 1.0 : 0.0), r.index, filled(r.index, 1.0)}, count_attrs);
  std::string touched = ctx.Op("Greater", {counts, ctx.ConstScalar(0, dt)});
  std::string safe = ctx.Op("Max", {counts, ctx.ConstScalar(1, dt)});
  std::string mean = IsFloating(dt) ? ctx.Op("Div", {reduced, safe}) : IntFloorDiv(ctx, reduced, safe, dt);
  return ctx.Op("Where", {touched, mean, r.x});
}

// aten::scatter_reduce.two(Tensor self, int dim, Tensor index, Tensor src, str reduce, *,
//     bool include_self=True)
void ScatterReduce(TranslationContext& ctx, bool has_max_min) {
  DType dt = ctx.OutDType();
  ScatterReduction r{ctx.OperandAs(0, dt), ctx.Input(2), UpdatesLike(ctx, ctx.OperandAs(3, dt), 3, 2),
                     NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0)), ctx.ConstString(4, "reduce"),
                     ctx.ConstBool(5, "include_self")};
  ctx.SetOutput(0, ScatterReduced(ctx, r, dt, has_max_min));
}

// aten::index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False):
// x[mask] = v with a mask shaped like x is a Where; every other form (integer indices at any
// dims, ':' between them, masks over some dims) scatters through ScatterND.
void TranslateIndexPut(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  bool accumulate = ctx.ConstBool(3, "accumulate");
  std::vector<std::string> indices = ctx.TensorListInput(1);
  std::string x = ctx.OperandAs(0, dt);
  std::string values = ctx.OperandAs(2, dt);
  // Index metadata: the list's elements are the producer's inputs (prim::ListConstruct).
  const ir::Value& list = ctx.InputValue(1);
  std::vector<const ir::Value*> index_values;
  if (list.producer && list.producer->op == "prim::ListConstruct")
    index_values.assign(list.producer->inputs.begin(), list.producer->inputs.end());
  if (index_values.size() != indices.size())
    throw UnsupportedError("index_put needs the index list to be built in the graph");
  if (index_values.size() == 1 && !index_values[0]->IsNone() &&
      (index_values[0]->meta.dtype == DType::kBool || index_values[0]->meta.dtype == DType::kUInt8) &&
      static_cast<int64_t>(index_values[0]->meta.rank()) == ctx.Rank(0)) {
    std::string mask = ctx.Cast(indices[0], index_values[0]->meta.dtype, DType::kBool);
    std::string v = accumulate ? ctx.Op("Add", {x, values}) : values;
    return ctx.SetOutput(0, ctx.Op("Where", {mask, v, x}));
  }
  AdvancedIndex index = PrepareAdvancedIndex(ctx, index_values, indices, ctx.Rank(0));
  ctx.SetOutput(0, ScatterAdvanced(ctx, x, values, index, accumulate));
}

// aten::masked_select(Tensor self, Tensor mask) -> Tensor (1-D, data-dependent length)
void TranslateMaskedSelect(TranslationContext& ctx) {
  std::string x = ctx.Input(0);
  std::string mask = ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kBool);
  // Broadcast both to their common shape (Expand broadcasts both ways), then keep the
  // flattened elements under the mask.
  std::string xb = ctx.Op("Expand", {x, ctx.Op("Shape", {mask})});
  std::string mb = Reshape(ctx, ctx.Op("Expand", {mask, ctx.Op("Shape", {xb})}), {-1});
  xb = Reshape(ctx, xb, {-1});
  ctx.SetOutput(0, ctx.Op("Compress", {xb, mb}, {{"axis", int64_t{0}}}));
}

// aten::flip(Tensor self, int[] dims) -> Tensor
void TranslateFlip(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> dims;
  for (int64_t d : ctx.ConstInts(1, "dims")) dims.push_back(NormalizeAxis(d, rank));
  if (dims.empty()) return ctx.SetOutput(0, ctx.Op("Identity", {ctx.Input(0)}));
  ctx.SetOutput(0, Flip(ctx, ctx.Input(0), dims));
}

// aten::triu(Tensor self, int diagonal=0) / tril: ONNX Trilu (opset 14).
void TranslateTrilu(TranslationContext& ctx, bool upper) {
  int64_t k = ctx.ConstInt(1, "diagonal");
  ctx.SetOutput(0, ctx.Op("Trilu", {ctx.Input(0), ctx.ConstInt64(k)}, {{"upper", int64_t{upper}}}));
}

// aten::diag(Tensor self, int diagonal=0): a vector becomes a diagonal matrix, a matrix
// gives its diagonal. Needs static sizes.
// The square matrix with the n values of 1-D x on its k-th diagonal, zeros elsewhere.
std::string DiagMatrix(TranslationContext& ctx, const std::string& x, int64_t n, int64_t k, DType dt) {
  int64_t size = n + std::abs(k);
  // out[i, j] = padded[j] where j = i + k: pad x to `size`, broadcast along rows, keep the k-th diagonal.
  std::vector<int64_t> pads = k >= 0 ? std::vector<int64_t>{k, 0} : std::vector<int64_t>{0, -k};
  std::string padded = ctx.Op("Pad", {x, ctx.ConstInt64s(pads)});
  std::vector<uint8_t> eye(size * size, 0);
  for (int64_t i = 0; i < size; ++i)
    if (i + k >= 0 && i + k < size) eye[i * size + i + k] = 1;
  std::string mask = ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {size, size}, eye));
  std::string rows = ctx.Op("Expand", {Unsqueeze(ctx, padded, {0}), ctx.ConstInt64s({size, size})});
  return ctx.Op("Where", {mask, rows, Zero(ctx, dt)});
}

void TranslateDiag(TranslationContext& ctx) {
  int64_t k = ctx.ConstInt(1, "diagonal");
  auto shape = StaticShape(ctx, 0);
  DType dt = ctx.InDType(0);
  std::string x = ctx.Input(0);
  if (shape.size() == 1) return ctx.SetOutput(0, DiagMatrix(ctx, x, shape[0], k, dt));
  if (shape.size() != 2) throw UnsupportedError("diag of a rank-" + std::to_string(shape.size()) + " tensor");
  std::vector<int64_t> coords;
  for (int64_t i = 0; i < shape[0]; ++i)
    if (i + k >= 0 && i + k < shape[1]) coords.insert(coords.end(), {i, i + k});
  int64_t count = static_cast<int64_t>(coords.size() / 2);
  if (count == 0) throw UnsupportedError("diag: the diagonal is empty");
  std::string idx = ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {count, 2}, coords));
  ctx.SetOutput(0, ctx.Op("GatherND", {x, idx}));
}

// aten::diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)
// The two dims move to the end and are flattened; the diagonal is a Gather of the flat
// positions row * n2 + col, appended as the last dim as PyTorch does.
// A diagonal of input 0 over two dims (arguments offset, dim1, dim2 at `first`, `first` + 1,
// + 2): the other dims first, the two dims flattened last, and the flat positions
// row * n2 + row + offset of the diagonal's elements.
struct DiagonalLayout {
  std::vector<int64_t> perm;  // the transpose that moves dim1, dim2 to the end
  std::string moved;          // input 0 so transposed
  std::string flat;           // moved as [other dims..., n1 * n2]
  std::vector<int64_t> positions;
  int64_t axis;               // the flattened axis
};

DiagonalLayout DiagonalOf(TranslationContext& ctx, size_t first) {
  int64_t rank = ctx.Rank(0);
  if (rank < 2) throw UnsupportedError(ctx.node().Key() + " needs at least 2 dims");
  int64_t offset = ctx.ConstInt(first, "offset");
  int64_t d1 = NormalizeAxis(ctx.ConstInt(first + 1, "dim1"), rank), d2 = NormalizeAxis(ctx.ConstInt(first + 2, "dim2"), rank);
  if (d1 == d2) throw UnsupportedError(ctx.node().Key() + ": dim1 and dim2 must differ");
  auto n1 = ctx.Meta(0).StaticDim(d1), n2 = ctx.Meta(0).StaticDim(d2);
  if (!n1 || !n2) throw UnsupportedError(ctx.node().Key() + ": the two dims must be static");
  DiagonalLayout l;
  std::vector<int64_t> keep;
  for (int64_t k = 0; k < rank; ++k)
    if (k != d1 && k != d2) l.perm.push_back(k);
  keep.assign(l.perm.size(), 0);
  l.perm.push_back(d1);
  l.perm.push_back(d2);
  keep.push_back(*n1 * *n2);
  l.moved = ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", l.perm}});
  l.flat = ctx.Op("Reshape", {l.moved, ctx.ConstInt64s(keep)});
  for (int64_t row = std::max<int64_t>(0, -offset); row < *n1 && row + offset < *n2; ++row)
    l.positions.push_back(row * *n2 + row + offset);
  l.axis = rank - 2;
  return l;
}

void TranslateDiagonal(TranslationContext& ctx) {
  DiagonalLayout l = DiagonalOf(ctx, 1);
  std::string idx = ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {static_cast<int64_t>(l.positions.size())}, l.positions));
  ctx.SetOutput(0, ctx.Op("Gather", {l.flat, idx}, {{"axis", l.axis}}));
}

// aten::diagonal_scatter(Tensor self, Tensor src, int offset=0, int dim1=0, int dim2=1):
// self with that diagonal replaced by src ([other dims..., diagonal length]).
void TranslateDiagonalScatter(TranslationContext& ctx) {
  DiagonalLayout l = DiagonalOf(ctx, 2);
  auto n = ctx.Meta(0).StaticDim(l.perm[l.perm.size() - 2]).value() * ctx.Meta(0).StaticDim(l.perm.back()).value();
  std::vector<int64_t> source(static_cast<size_t>(n), 0);
  std::vector<uint8_t> on_diagonal(static_cast<size_t>(n), 0);
  for (size_t i = 0; i < l.positions.size(); ++i) {
    source[static_cast<size_t>(l.positions[i])] = static_cast<int64_t>(i);
    on_diagonal[static_cast<size_t>(l.positions[i])] = 1;
  }
  DType dt = ctx.OutDType();
  std::string spread = ctx.Op("Gather", {ctx.OperandAs(1, dt), ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {n}, source))},
                              {{"axis", l.axis}});
  std::string mask = ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {n}, on_diagonal));
  std::string merged = ctx.Op("Where", {mask, spread, l.flat});
  std::string moved_shape = ShapeOf(ctx, l.moved);
  std::vector<int64_t> inverse(l.perm.size());
  for (size_t k = 0; k < l.perm.size(); ++k) inverse[static_cast<size_t>(l.perm[k])] = static_cast<int64_t>(k);
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Op("Reshape", {merged, moved_shape})}, {{"perm", inverse}}));
}

// A 1-D value laid along `dim` of a rank-`rank` tensor: shape [1, .., n, .., 1].
std::string AlongDim(TranslationContext& ctx, const std::string& v, int64_t dim, int64_t rank) {
  std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
  shape[static_cast<size_t>(dim)] = -1;
  return ctx.Op("Reshape", {v, ctx.ConstInt64s(shape)});
}

// `index` (1-D, positions along `dim`) laid out like `like`: element [.., i, ..] of the
// result is index[i] (for ScatterElements with whole slices as updates).
std::string IndexAlongDim(TranslationContext& ctx, const std::string& index, int64_t dim, int64_t rank, const std::string& like) {
  std::string column = AlongDim(ctx, ctx.Cast(index, ctx.InDType(2), DType::kInt64), dim, rank);
  return ctx.Op("Expand", {column, ctx.Op("Shape", {like})});
}

// aten::index_add(Tensor self, int dim, Tensor index, Tensor source, *, Scalar alpha=1)
// aten::index_copy(Tensor self, int dim, Tensor index, Tensor source)
// Slice i of source goes to (is added to) position index[i] along dim.
void TranslateIndexAddCopy(TranslationContext& ctx, bool add) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), std::max<int64_t>(rank, 1));
  std::string source = ctx.OperandAs(3, dt);
  if (add && ctx.NumInputs() > 4 && !ctx.IsNone(4)) source = ctx.Op("Mul", {source, ctx.OperandAs(4, dt)});
  std::string index = IndexAlongDim(ctx, ctx.Input(2), dim, std::max<int64_t>(rank, 1), source);
  Attrs attrs{{"axis", dim}};
  if (add) attrs.push_back({"reduction", std::string("add")});
  ctx.SetOutput(0, ctx.Op("ScatterElements", {ctx.OperandAs(0, dt), index, source}, attrs));
}

// aten::index_reduce(Tensor self, int dim, Tensor index, Tensor source, str reduce, *,
// bool include_self=True): slice i of source reduced (prod | mean | amax | amin) into
// position index[i] along dim: scatter_reduce with the index spread over source's slices.
void TranslateIndexReduce(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = std::max<int64_t>(ctx.Rank(0), 1);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  std::string source = ctx.OperandAs(3, dt);
  ScatterReduction r{ctx.OperandAs(0, dt), IndexAlongDim(ctx, ctx.Input(2), dim, rank, source), source, dim,
                     ctx.ConstString(4, "reduce"), ctx.ConstBool(5, "include_self")};
  ctx.SetOutput(0, ScatterReduced(ctx, r, dt, /*has_max_min=*/ctx.opset() >= 18));
}

// aten::index_fill.int_Scalar(Tensor self, int dim, Tensor index, Scalar value) (and
// .int_Tensor with a 0-d value): positions index along dim take the value.
void TranslateIndexFill(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), std::max<int64_t>(rank, 1));
  std::string x = ctx.OperandAs(0, dt);
  std::string positions = Arange(ctx, DimOf(ctx, x, dim));
  std::string index = Reshape(ctx, ctx.Cast(ctx.Input(2), ctx.InDType(2), DType::kInt64), {1, -1});
  std::string hit = ctx.Op("Equal", {Unsqueeze(ctx, positions, {1}), index});  // [n, k]
  std::string chosen = ctx.Cast(Reduce(ctx, "ReduceMax", ctx.Cast(hit, DType::kBool, DType::kInt64), {1}, false), DType::kInt64,
                                DType::kBool);
  ctx.SetOutput(0, ctx.Op("Where", {AlongDim(ctx, chosen, dim, std::max<int64_t>(rank, 1)), ctx.OperandAs(3, dt), x}));
}

// aten::masked_scatter(Tensor self, Tensor mask, Tensor source): the True positions of
// mask (broadcast to self), in row-major order, take source's elements in order.
void TranslateMaskedScatter(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string shape = ctx.Op("Shape", {x});
  std::string mask = Reshape(ctx, ctx.Op("Expand", {ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kBool), shape}), {-1});
  std::string taken = ctx.Op("CumSum", {ctx.Cast(mask, DType::kBool, DType::kInt64), ctx.ConstInt64(0)});
  std::string slot = ctx.Op("Max", {ctx.Op("Sub", {taken, ctx.ConstInt64(1)}), ctx.ConstInt64(0)});
  std::string values = ctx.Op("Gather", {Reshape(ctx, ctx.OperandAs(2, dt), {-1}), slot}, {{"axis", int64_t{0}}});
  std::string merged = ctx.Op("Where", {mask, values, Reshape(ctx, x, {-1})});
  ctx.SetOutput(0, ctx.Op("Reshape", {merged, shape}));
}

// aten::take_along_dim(Tensor self, Tensor indices, int? dim=None): with a dim, self and
// indices broadcast against each other except along dim, then GatherElements; without,
// the flattened self indexed by the flattened indices.
void TranslateTakeAlongDim(TranslationContext& ctx) {
  std::string x = ctx.Input(0);
  std::string idx = ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kInt64);
  if (ctx.IsNone(2)) {
    return ctx.SetOutput(0, ctx.Op("Gather", {Reshape(ctx, x, {-1}), Reshape(ctx, idx, {-1})}, {{"axis", int64_t{0}}}));
  }
  int64_t rank = ctx.Rank(0);
  if (ctx.Rank(1) != rank) throw UnsupportedError("take_along_dim: self and indices must have the same rank");
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  auto xs = StaticShape(ctx, 0), is = StaticShape(ctx, 1);
  std::vector<int64_t> x_target = xs, i_target = is;
  for (int64_t k = 0; k < rank; ++k) {
    if (k == dim) continue;
    int64_t common = std::max(xs[static_cast<size_t>(k)], is[static_cast<size_t>(k)]);
    x_target[static_cast<size_t>(k)] = i_target[static_cast<size_t>(k)] = common;
  }
  std::string xb = ctx.Op("Expand", {x, ctx.ConstInt64s(x_target)}), ib = ctx.Op("Expand", {idx, ctx.ConstInt64s(i_target)});
  ctx.SetOutput(0, ctx.Op("GatherElements", {xb, ib}, {{"axis", dim}}));
}

// aten::slice_scatter(Tensor self, Tensor src, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1)
// src lands on positions start, start + step, ... of `dim`: ScatterElements with those
// positions broadcast to src's shape. A slice over the whole dim (what functionalizing
// `x[:, :n] += y` leaves for the outer `:`) is src itself.
void TranslateSliceScatter(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  auto size = ctx.Meta(0).StaticDim(dim);
  auto start = ctx.IsNone(3) ? std::optional<int64_t>(0) : ctx.OptionalConstInt(3, "start");
  auto end = ctx.IsNone(4) ? std::optional<int64_t>(std::numeric_limits<int64_t>::max()) : ctx.OptionalConstInt(4, "end");
  int64_t step = ctx.ConstInt(5, "step");
  std::string src = ctx.OperandAs(1, dt);
  bool reaches_end = end && (*end == std::numeric_limits<int64_t>::max() || (size && *end >= *size));
  if (start && *start == 0 && reaches_end && step == 1) return ctx.SetOutput(0, src);

  std::vector<int64_t> column(rank, 1);
  column[dim] = -1;
  std::string positions;
  if (size && start && end) {
    int64_t first = *start < 0 ? *start + *size : *start, last = *end < 0 ? *end + *size : *end;
    first = std::clamp<int64_t>(first, 0, *size);
    last = std::clamp<int64_t>(last, first, *size);
    std::vector<int64_t> listed;
    for (int64_t i = first; i < last; i += step) listed.push_back(i);
    positions = ctx.ConstInt64s(listed);
  } else {  // bounds clamped at run time, as PyTorch clamps them
    std::string n = DimOf(ctx, ctx.Input(0), dim);
    auto bound = [&](size_t i) {
      std::string b = ctx.ScalarInput(i, DType::kInt64);
      b = ctx.Op("Where", {ctx.Op("Less", {b, ctx.ConstInt64(0)}), ctx.Op("Add", {b, n}), b});
      return ctx.Op("Min", {ctx.Op("Max", {b, ctx.ConstInt64(0)}), n});
    };
    std::string first = start && *start == 0 ? ctx.ConstInt64(0) : bound(3);
    std::string last = ctx.Op("Max", {reaches_end ? n : bound(4), first});
    positions = ctx.Op("Range", {first, last, ctx.ConstInt64(step)});
  }
  std::string index = ctx.Op("Expand", {Reshape(ctx, positions, column), ctx.Op("Shape", {src})});
  ctx.SetOutput(0, ctx.Op("ScatterElements", {ctx.OperandAs(0, dt), index, src}, {{"axis", dim}}));
}

// aten::select_scatter(Tensor self, Tensor src, int dim, SymInt index): functionalized
// `x[:, i] = src`; the selected slice along dim takes src (broadcast back along dim).
void TranslateSelectScatter(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  std::string x = ctx.OperandAs(0, dt);
  std::string size = DimOf(ctx, x, dim);
  std::string index = ctx.ScalarInput(3, DType::kInt64);
  index = ctx.Op("Where", {ctx.Op("Less", {index, ctx.ConstInt64(0)}), ctx.Op("Add", {index, size}), index});
  std::string mask = AlongDim(ctx, ctx.Op("Equal", {Arange(ctx, size), index}), dim, rank);
  ctx.SetOutput(0, ctx.Op("Where", {mask, Unsqueeze(ctx, ctx.OperandAs(1, dt), {dim}), x}));
}

}  // namespace

void RegisterIndexing(Registry& r) {
  r.SetFamily("indexing");
  r.Add("aten::scatter.src", [](TranslationContext& c) { TranslateScatter(c, nullptr); });
  r.Add("aten::scatter.value", [](TranslationContext& c) { TranslateScatter(c, nullptr); });
  r.Add("aten::scatter.reduce", [](TranslationContext& c) { TranslateScatter(c, nullptr); });
  r.Add("aten::scatter.value_reduce", [](TranslationContext& c) { TranslateScatter(c, nullptr); });
  r.Add("aten::scatter_reduce.two", {16, 17}, [](TranslationContext& c) { ScatterReduce(c, false); });
  r.Add("aten::scatter_reduce.two", {18, kMaxOpset}, [](TranslationContext& c) { ScatterReduce(c, true); });
  // ScatterElements' reduction attribute arrived in opset 16.
  r.Add("aten::scatter_add", {16, kMaxOpset}, [](TranslationContext& c) { TranslateScatter(c, "add"); });
  r.Add("aten::index_put", [](TranslationContext& c) {
    if (c.ConstBool(3, "accumulate") && c.opset() < 16)
      throw UnsupportedError("index_put with accumulate=True needs ScatterND's reduction (opset 16 or later)");
    TranslateIndexPut(c);
  });
  r.Add("aten::masked_select", TranslateMaskedSelect);
  r.Add("aten::flip", TranslateFlip);
  r.Add("aten::triu", {14, kMaxOpset}, [](TranslationContext& c) { TranslateTrilu(c, true); });
  r.Add("aten::tril", {14, kMaxOpset}, [](TranslationContext& c) { TranslateTrilu(c, false); });
  r.Add("aten::diag", TranslateDiag);
  r.Add("aten::diagonal", TranslateDiagonal);
  r.Add("aten::diagonal_scatter", TranslateDiagonalScatter);
  // aten::diagflat(Tensor self, int offset=0): the flattened tensor on a diagonal.
  r.Add("aten::diagflat", [](TranslationContext& c) {
    int64_t n = 1;
    for (int64_t d : StaticShape(c, 0)) n *= d;
    c.SetOutput(0, DiagMatrix(c, Reshape(c, c.Input(0), {-1}), n, c.ConstInt(1, "offset"), c.InDType(0)));
  });
  // aten::nonzero_static(Tensor self, *, int size, int fill_value=-1): nonzero's rows cut or
  // padded with fill_value to `size` rows.
  r.Add("aten::nonzero_static", [](TranslationContext& c) {
    int64_t size = c.ConstInt(1, "size"), rank = c.Rank(0);
    std::string x = c.Input(0);
    if (c.InDType(0) == DType::kFloat64) x = c.Op("Not", {c.Op("Equal", {x, Zero(c, DType::kFloat64)})});
    std::string rows = NonZeroPositions(c, rank == 0 ? c.Op("Reshape", {x, c.ConstInt64s({1})}) : x);
    int64_t width = std::max<int64_t>(rank, 1);
    std::string fill = c.Op("Expand", {c.ConstInt64(c.ConstInt(2, "fill_value")), c.ConstInt64s({size, width})});
    std::string padded = c.Op("Concat", {rows, fill}, {{"axis", int64_t{0}}});
    c.SetOutput(0, c.Op("Slice", {padded, c.ConstInt64s({0, 0}), c.ConstInt64s({size, rank}), c.ConstInt64s({0, 1})}));
  });
  r.Add("aten::select_scatter", TranslateSelectScatter);
  r.Add("aten::index_add", {16, kMaxOpset}, [](TranslationContext& c) { TranslateIndexAddCopy(c, true); });
  r.Add("aten::index_copy", [](TranslationContext& c) { TranslateIndexAddCopy(c, false); });
  r.Add("aten::index_fill", TranslateIndexFill);
  r.Add("aten::index_reduce", {16, kMaxOpset}, TranslateIndexReduce);
  r.Add("aten::masked_scatter", TranslateMaskedScatter);
  r.Add("aten::take_along_dim", TranslateTakeAlongDim);
  // aten::nonzero(Tensor self) -> Tensor [count, rank]: the coordinates of the non-zero elements.
  // float64: ONNX Runtime's NonZero has no float64 kernel, and float32 would lose tiny values.
  r.Add("aten::nonzero", [](TranslationContext& c) {
    std::string x = c.Input(0);
    if (c.InDType(0) == DType::kFloat64) x = c.Op("Not", {c.Op("Equal", {x, Zero(c, DType::kFloat64)})});
    if (c.Rank(0) != 0) return c.SetOutput(0, NonZeroPositions(c, x));
    // A 0-d tensor has [1, 0] coordinates when non-zero, [0, 0] when zero (ONNX NonZero
    // gives [0, count]): the positions in its one-element view, without their column.
    std::string rows = NonZeroPositions(c, c.Op("Reshape", {x, c.ConstInt64s({1})}));
    c.SetOutput(0, c.Op("Slice", {rows, c.ConstInt64s({0}), c.ConstInt64s({0}), c.ConstInt64s({1})}));
  });
  // aten::take(Tensor self, Tensor index): elements of the flattened tensor, shaped like index
  // (negative indices count from the end, as Gather's).
  r.Add("aten::take", [](TranslationContext& c) {
    std::string index = c.Cast(c.Input(1), c.InDType(1), DType::kInt64);
    c.SetOutput(0, c.Op("Gather", {Reshape(c, c.Input(0), {-1}), index}, {{"axis", int64_t{0}}}));
  });
  // aten::put(Tensor self, Tensor index, Tensor source, bool accumulate=False): source's
  // elements written to (added to) the flattened tensor's positions index.
  r.Add("aten::put", {16, kMaxOpset}, [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string x = c.OperandAs(0, dt);
    std::string index = Reshape(c, c.Cast(c.Input(1), c.InDType(1), DType::kInt64), {-1});
    Attrs attrs{{"axis", int64_t{0}}};
    if (c.ConstBool(3, "accumulate")) attrs.push_back({"reduction", std::string("add")});
    std::string flat = c.Op("ScatterElements", {Reshape(c, x, {-1}), index, Reshape(c, c.OperandAs(2, dt), {-1})}, attrs);
    c.SetOutput(0, c.Op("Reshape", {flat, ShapeOf(c, x)}));
  });
  // aten::isin.Tensor_Tensor / Tensor_Scalar / Scalar_Tensor(elements, test_elements, *,
  // bool assume_unique=False, bool invert=False): whether each element equals any test
  // element, compared in their promoted type.
  r.Add("aten::isin", [](TranslationContext& c) {
    DType dt = PromoteTypes(c.InDType(0), c.InDType(1));
    std::string elements = c.OperandAs(0, dt), tests = Reshape(c, c.OperandAs(1, dt), {-1});
    std::string equal = c.Cast(c.Op("Equal", {Unsqueeze(c, elements, {-1}), tests}), DType::kBool, DType::kInt32);
    std::string found = c.Op("Greater", {Reduce(c, "ReduceSum", equal, {-1}, false), c.ConstScalar(0, DType::kInt32)});
    c.SetOutput(0, c.ConstBool(3, "invert") ? c.Op("Not", {found}) : found);
  });
  r.Add("aten::slice_scatter", TranslateSliceScatter);
}

}  // namespace t2o
