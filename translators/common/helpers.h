// Small ONNX building blocks shared by the translator families.
#pragma once

#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/translate/context.h"
#include "core/util/errors.h"

namespace t2o {

using Attrs = std::vector<onnx::Attr>;

inline int64_t NormalizeAxis(int64_t axis, int64_t rank) {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= std::max<int64_t>(rank, 1))
    throw UnsupportedError("dim " + std::to_string(axis) + " is out of range for a tensor of rank " + std::to_string(rank));
  return a;
}

inline std::string Unsqueeze(TranslationContext& ctx, const std::string& x, const std::vector<int64_t>& axes) {
  return ctx.Op("Unsqueeze", {x, ctx.ConstInt64s(axes)});
}

inline std::string Squeeze(TranslationContext& ctx, const std::string& x, const std::vector<int64_t>& axes) {
  return ctx.Op("Squeeze", {x, ctx.ConstInt64s(axes)});
}

inline std::string Reshape(TranslationContext& ctx, const std::string& x, const std::vector<int64_t>& shape) {
  return ctx.Op("Reshape", {x, ctx.ConstInt64s(shape)});
}

// A Reduce* node. Its form depends on the opset for every reduction alike, so this one
// builder chooses it: ReduceSum takes the axes as an input from opset 13, the other
// Reduce* ops from opset 18 (an attribute before). Empty axes = reduce everything.
inline std::string Reduce(TranslationContext& ctx, const std::string& op, const std::string& x,
                          const std::vector<int64_t>& axes, bool keepdims) {
  Attrs attrs{{"keepdims", int64_t{keepdims}}};
  bool axes_input = op == "ReduceSum" || ctx.opset() >= 18;
  if (axes.empty()) return ctx.Op(op, {x}, attrs);
  if (axes_input) return ctx.Op(op, {x, ctx.ConstInt64s(axes)}, attrs);
  attrs.push_back({"axes", axes});
  return ctx.Op(op, {x}, attrs);
}

// The largest element of `x` (any shape) or `floor` (a scalar of x's dtype) when that is
// larger, 0-d: an empty `x` gives `floor`, as a Loop's trip count or condition needs.
inline std::string MaxWithFloor(TranslationContext& ctx, const std::string& x, const std::string& floor) {
  return Reduce(ctx, "ReduceMax", ctx.Op("Concat", {Reshape(ctx, x, {-1}), Reshape(ctx, floor, {1})}, {{"axis", int64_t{0}}}),
                {0}, false);
}

// Whether any element of bool `flags` (any shape) holds, 0-d: false when it is empty.
inline std::string AnyTrue(TranslationContext& ctx, const std::string& flags) {
  std::string any = MaxWithFloor(ctx, ctx.Cast(flags, DType::kBool, DType::kInt64), ctx.ConstInt64(0));
  return ctx.Cast(any, DType::kInt64, DType::kBool);
}

// `parts` equal pieces of x along `axis` (the last one smaller when the size does not
// divide): ONNX Split without sizes before opset 18, with num_outputs from 18 (where one
// of the two is required).
inline std::vector<std::string> SplitEvenly(TranslationContext& ctx, const std::string& x, int64_t axis, size_t parts) {
  Attrs attrs{{"axis", axis}};
  if (ctx.opset() >= 18) attrs.push_back({"num_outputs", static_cast<int64_t>(parts)});
  return ctx.OpMulti("Split", {x}, parts, attrs);
}

// a @ b. A 1-D b is made [K, 1] and the result squeezed back: ONNX Runtime 1.30 fuses a
// Transpose feeding MatMul's first operand into a FusedMatMul that computes wrong values
// when the second operand is 1-D (x.t() @ v, torch.mv(x.t(), v)).
inline std::string MatMul(TranslationContext& ctx, const std::string& a, const std::string& b, int64_t b_rank) {
  if (b_rank != 1) return ctx.Op("MatMul", {a, b});
  std::string column = ctx.Op("Unsqueeze", {b, ctx.ConstInt64s({-1})});
  return ctx.Op("Squeeze", {ctx.Op("MatMul", {a, column}), ctx.ConstInt64s({-1})});
}

// A 0-d zero of `dt`.
inline std::string Zero(TranslationContext& ctx, DType dt) { return ctx.ConstScalar(0, dt); }

// x reversed along `axes` (a Slice with step -1 per axis).
inline std::string Flip(TranslationContext& ctx, const std::string& x, const std::vector<int64_t>& axes) {
  size_t n = axes.size();
  return ctx.Op("Slice", {x, ctx.ConstInt64s(std::vector<int64_t>(n, -1)),
                          ctx.ConstInt64s(std::vector<int64_t>(n, std::numeric_limits<int64_t>::min())),
                          ctx.ConstInt64s(axes), ctx.ConstInt64s(std::vector<int64_t>(n, -1))});
}

// The metadata of each tensor of list input i, which must be built in the graph
// (prim::ListConstruct), as ops whose ONNX form depends on each element's rank need.
inline std::vector<const ir::TensorMeta*> ListElementMetas(const TranslationContext& ctx, size_t i, size_t count) {
  const ir::Value& list = ctx.InputValue(i);
  if (!list.producer || list.producer->inputs.size() != count)
    throw UnsupportedError(ctx.node().Key() + " needs a list built in the graph");
  std::vector<const ir::TensorMeta*> metas;
  for (const ir::Value* v : list.producer->inputs) metas.push_back(&v->meta);
  return metas;
}

// The shape of x as a 1-D int64 tensor, or one dimension of it as a 0-d tensor.
inline std::string ShapeOf(TranslationContext& ctx, const std::string& x) { return ctx.Op("Shape", {x}); }
// Dims [start, end) of x's shape (Shape's start/end attributes exist from opset 15).
inline std::string ShapeSlice(TranslationContext& ctx, const std::string& x, int64_t start,
                              int64_t end = std::numeric_limits<int64_t>::max()) {
  if (ctx.opset() >= 15) {
    Attrs attrs{{"start", start}};
    if (end != std::numeric_limits<int64_t>::max()) attrs.push_back({"end", end});
    return ctx.Op("Shape", {x}, attrs);
  }
  return ctx.Op("Slice", {ShapeOf(ctx, x), ctx.ConstInt64s({start}), ctx.ConstInt64s({end})});
}
inline std::string DimOf(TranslationContext& ctx, const std::string& x, int64_t axis) {
  return ctx.Op("Gather", {ShapeOf(ctx, x), ctx.ConstInt64(axis)}, {{"axis", int64_t{0}}});
}

// 0, 1, ..., n - 1 (int64) for a 0-d int64 count n, known or computed at run time.
inline std::string Arange(TranslationContext& ctx, const std::string& n) {
  return ctx.Op("Range", {ctx.ConstInt64(0), n, ctx.ConstInt64(1)});
}

// Windows of `size` elements every `step` along `axis` (Tensor.unfold's, torch.stft's
// frames): x [..., L, ...] -> [..., (L - size) / step + 1, size, ...], the count computed at
// run time when L is dynamic.
inline std::string SlidingWindows(TranslationContext& ctx, const std::string& x, int64_t axis, int64_t size,
                                  int64_t step) {
  std::string length = DimOf(ctx, x, axis);
  std::string count = ctx.Op("Add", {ctx.Op("Div", {ctx.Op("Sub", {length, ctx.ConstInt64(size)}), ctx.ConstInt64(step)}),
                                     ctx.ConstInt64(1)});
  std::string starts = ctx.Op("Range", {ctx.ConstInt64(0), ctx.Op("Mul", {count, ctx.ConstInt64(step)}), ctx.ConstInt64(step)});
  std::string offsets = Arange(ctx, ctx.ConstInt64(size));
  std::string index = ctx.Op("Add", {Unsqueeze(ctx, starts, {1}), Unsqueeze(ctx, offsets, {0})});
  return ctx.Op("Gather", {x, index}, {{"axis", axis}});
}

// Integer division rounding toward -inf (ONNX Div on integers truncates).
inline std::string IntFloorDiv(TranslationContext& ctx, const std::string& a, const std::string& b, DType dt) {
  std::string q = ctx.Op("Div", {a, b});
  std::string r = ctx.Op("Sub", {a, ctx.Op("Mul", {q, b})});
  std::string zero = ctx.ConstScalar(0, dt);
  std::string nonzero = ctx.Op("Not", {ctx.Op("Equal", {r, zero})});
  std::string signs_differ = ctx.Op("Xor", {ctx.Op("Less", {r, zero}), ctx.Op("Less", {b, zero})});
  std::string adjust = ctx.Cast(ctx.Op("And", {nonzero, signs_differ}), DType::kBool, dt);
  return ctx.Op("Sub", {q, adjust});
}

// The coordinates of x's non-zero (True) elements, one row each: [count, rank(x)].
inline std::string NonZeroPositions(TranslationContext& ctx, const std::string& x) {
  return ctx.Op("Transpose", {ctx.Op("NonZero", {x})}, {{"perm", std::vector<int64_t>{1, 0}}});
}

// A list value (split, unbind, ...) made of ONNX values.
inline Binding ListOf(const std::vector<std::string>& names) {
  Binding b;
  b.is_list = true;
  for (const auto& n : names) b.elements.push_back(Binding{n, {}, false});
  return b;
}

// The static shape of input i; throws when a dim is symbolic.
inline std::vector<int64_t> StaticShape(const TranslationContext& ctx, size_t i) {
  const auto& meta = ctx.Meta(i);
  std::vector<int64_t> shape;
  for (size_t k = 0; k < meta.rank(); ++k) {
    auto d = meta.StaticDim(static_cast<int64_t>(k));
    if (!d) throw UnsupportedError(ctx.node().Key() + ": needs a static shape for input " + std::to_string(i));
    shape.push_back(*d);
  }
  return shape;
}

// The last `count` dims of input i (e.g. spatial dims), which must be static; leading
// dims such as a dynamic batch may be symbolic.
inline std::vector<int64_t> StaticTrailingDims(const TranslationContext& ctx, size_t i, size_t count) {
  const auto& meta = ctx.Meta(i);
  std::vector<int64_t> dims;
  for (size_t k = meta.rank() - count; k < meta.rank(); ++k) {
    auto d = meta.StaticDim(static_cast<int64_t>(k));
    if (!d)
      throw UnsupportedError(ctx.node().Key() + ": needs static sizes for the last " + std::to_string(count) +
                             " dims of input " + std::to_string(i) + ", but dim " + std::to_string(k) + " is symbolic");
    dims.push_back(*d);
  }
  return dims;
}

}  // namespace t2o
