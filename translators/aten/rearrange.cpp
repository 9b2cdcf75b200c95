// Rearranging elements: tile, repeat_interleave, tensor_split, pixel_shuffle,
// pixel_unshuffle, channel_shuffle.
#include <algorithm>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

// aten::tile(Tensor self, int[] dims) -> Tensor
void TranslateTile(TranslationContext& ctx) {
  std::vector<int64_t> reps = ctx.ConstInts(1, "dims");
  int64_t rank = ctx.Rank(0);
  std::string x = ctx.Input(0);
  while (static_cast<int64_t>(reps.size()) < rank) reps.insert(reps.begin(), 1);
  if (static_cast<int64_t>(reps.size()) > rank) {
    std::vector<int64_t> axes;
    for (int64_t k = 0; k < static_cast<int64_t>(reps.size()) - rank; ++k) axes.push_back(k);
    x = Unsqueeze(ctx, x, axes);
  }
  ctx.SetOutput(0, ctx.Op("Tile", {x, ctx.ConstInt64s(reps)}));
}

// The input and axis repeat_interleave works on: `dim`, or the flattened input for None.
std::pair<std::string, int64_t> RepeatAxis(TranslationContext& ctx, int64_t& rank) {
  rank = ctx.Rank(0);
  if (ctx.IsNone(2)) {
    rank = 1;
    return {Reshape(ctx, ctx.Input(0), {-1}), 0};
  }
  return {ctx.Input(0), NormalizeAxis(ctx.ConstInt(2, "dim"), rank)};
}

// Each element repeated `repeats` times in place: a new axis after `dim`, tiled, then
// merged into `dim`.
std::string RepeatEach(TranslationContext& ctx, const std::string& x, int64_t dim, int64_t rank, int64_t repeats) {
  std::vector<int64_t> reps(rank + 1, 1);
  reps[dim + 1] = repeats;
  std::string tiled = ctx.Op("Tile", {Unsqueeze(ctx, x, {dim + 1}), ctx.ConstInt64s(reps)});
  std::vector<int64_t> scale(rank, 1);
  scale[dim] = repeats;
  std::string shape = ctx.Op("Mul", {ctx.Op("Shape", {x}), ctx.ConstInt64s(scale)});
  return ctx.Op("Reshape", {tiled, shape});
}

// aten::repeat_interleave.self_int(Tensor self, SymInt repeats, int? dim=None, *, SymInt? output_size=None)
void TranslateRepeatInterleave(TranslationContext& ctx) {
  int64_t rank = 0;
  auto [x, dim] = RepeatAxis(ctx, rank);
  ctx.SetOutput(0, RepeatEach(ctx, x, dim, rank, ctx.ConstInt(1, "repeats")));
}

// aten::repeat_interleave.self_Tensor(Tensor self, Tensor repeats, int? dim=None, *, SymInt? output_size=None)
// Element i repeated repeats[i] times: a Gather with the indices spelled out, so the
// repeats must be known at export time (the output size depends on them).
void TranslateRepeatInterleaveTensor(TranslationContext& ctx) {
  const ir::Value& r = ctx.InputValue(1);
  const TensorData* counts = r.constant ? std::get_if<TensorData>(&*r.constant) : nullptr;
  if (!counts)
    throw UnsupportedError("repeat_interleave with a repeats tensor computed at run time (the output size would depend on data)");
  int64_t rank = 0;
  auto [x, dim] = RepeatAxis(ctx, rank);
  if (counts->numel() == 1) return ctx.SetOutput(0, RepeatEach(ctx, x, dim, rank, counts->ElementAsInt(0)));
  std::vector<int64_t> indices;
  for (int64_t i = 0; i < counts->numel(); ++i)
    for (int64_t k = 0; k < counts->ElementAsInt(i); ++k) indices.push_back(i);
  std::string idx = ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {static_cast<int64_t>(indices.size())}, indices));
  ctx.SetOutput(0, ctx.Op("Gather", {x, idx}, {{"axis", dim}}));
}

// aten::repeat_interleave.Tensor(Tensor repeats, *, SymInt? output_size=None) -> Tensor
// The indices 0..n-1, index i repeated repeats[i] times (what x.repeat_interleave(r, dim)
// decomposes to, followed by index_select). Position p holds the number of inclusive
// running totals of `repeats` that are <= p.
void TranslateRepeatInterleaveIndices(TranslationContext& ctx) {
  std::string repeats = ctx.OperandAs(0, DType::kInt64);
  if (ctx.Rank(0) != 1) throw UnsupportedError("repeat_interleave: repeats must be a 1-D tensor");
  std::string ends = ctx.Op("CumSum", {repeats, ctx.ConstInt64(0)});
  std::string total = Reduce(ctx, "ReduceSum", repeats, {0}, false);
  std::string positions = Arange(ctx, total);
  std::string passed = ctx.Op("LessOrEqual", {Unsqueeze(ctx, ends, {0}), Unsqueeze(ctx, positions, {1})});
  std::string index = Reduce(ctx, "ReduceSum", ctx.Cast(passed, DType::kBool, DType::kInt64), {1}, false);
  ctx.SetOutput(0, ctx.Cast(index, DType::kInt64, ctx.OutDType()));
}

// The sizes of the pieces a dim of `total` elements is cut into before each index
// (negative ones count from the end; out-of-range ones clamp, as in tensor_split).
std::vector<int64_t> SizesBetween(const std::vector<int64_t>& indices, int64_t total) {
  std::vector<int64_t> sizes;
  int64_t start = 0;
  for (int64_t index : indices) {
    int64_t end = std::clamp<int64_t>(index < 0 ? index + total : index, start, total);
    sizes.push_back(end - start);
    start = end;
  }
  sizes.push_back(total - start);
  return sizes;
}

// aten::tensor_split.sections(Tensor self, SymInt sections, int dim=0) -> Tensor[]
// aten::tensor_split.indices(Tensor self, SymInt[] indices, int dim=0) -> Tensor[]
void TranslateTensorSplit(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), ctx.Rank(0));
  auto total = ctx.Meta(0).StaticDim(dim);
  if (!total) throw UnsupportedError("tensor_split along a dynamic dimension");
  std::vector<int64_t> sizes;
  if (ctx.node().overload == "sections") {
    int64_t n = ctx.ConstInt(1, "sections");
    for (int64_t i = 0; i < n; ++i) sizes.push_back(*total / n + (i < *total % n ? 1 : 0));
  } else if (ctx.node().overload == "indices") {
    sizes = SizesBetween(ctx.ConstInts(1, "indices"), *total);
  } else {
    throw UnsupportedError("tensor_split with a tensor of indices is not supported");
  }
  auto outs = ctx.OpMulti("Split", {ctx.Input(0), ctx.ConstInt64s(sizes)}, sizes.size(), {{"axis", dim}});
  ctx.SetOutputBinding(0, ListOf(outs));
}

// The trailing dims from `first` (static), with the leading dims copied at run time (0).
std::vector<int64_t> KeepLeading(const std::vector<int64_t>& trailing, size_t leading) {
  std::vector<int64_t> shape(leading, 0);
  shape.insert(shape.end(), trailing.begin(), trailing.end());
  return shape;
}

// A permutation keeping `lead` leading dims in place and permuting the rest by `tail`.
std::vector<int64_t> PermuteTrailing(size_t lead, const std::vector<int64_t>& tail) {
  std::vector<int64_t> perm;
  for (size_t k = 0; k < lead; ++k) perm.push_back(static_cast<int64_t>(k));
  for (int64_t t : tail) perm.push_back(static_cast<int64_t>(lead) + t);
  return perm;
}

// aten::pixel_shuffle(Tensor self, int upscale_factor): (*, C*r*r, H, W) -> (*, C, H*r, W*r)
void TranslatePixelShuffle(TranslationContext& ctx) {
  int64_t r = ctx.ConstInt(1, "upscale_factor");
  int64_t rank = ctx.Rank(0);
  if (rank < 3) throw UnsupportedError("pixel_shuffle needs at least 3 dims");
  auto chw = StaticTrailingDims(ctx, 0, 3);
  int64_t c = chw[0] / (r * r), h = chw[1], w = chw[2];
  size_t lead = static_cast<size_t>(rank - 3);
  std::string x = Reshape(ctx, ctx.Input(0), KeepLeading({c, r, r, h, w}, lead));
  x = ctx.Op("Transpose", {x}, {{"perm", PermuteTrailing(lead, {0, 3, 1, 4, 2})}});  // c, h, r1, w, r2
  ctx.SetOutput(0, Reshape(ctx, x, KeepLeading({c, h * r, w * r}, lead)));
}

// aten::pixel_unshuffle(Tensor self, int downscale_factor): (*, C, H*r, W*r) -> (*, C*r*r, H, W)
void TranslatePixelUnshuffle(TranslationContext& ctx) {
  int64_t r = ctx.ConstInt(1, "downscale_factor");
  int64_t rank = ctx.Rank(0);
  if (rank < 3) throw UnsupportedError("pixel_unshuffle needs at least 3 dims");
  auto chw = StaticTrailingDims(ctx, 0, 3);
  int64_t c = chw[0], h = chw[1] / r, w = chw[2] / r;
  size_t lead = static_cast<size_t>(rank - 3);
  std::string x = Reshape(ctx, ctx.Input(0), KeepLeading({c, h, r, w, r}, lead));
  x = ctx.Op("Transpose", {x}, {{"perm", PermuteTrailing(lead, {0, 2, 4, 1, 3})}});  // c, r1, r2, h, w
  ctx.SetOutput(0, Reshape(ctx, x, KeepLeading({c * r * r, h, w}, lead)));
}

// aten::channel_shuffle(Tensor self, int groups): (N, C, *) -> groups interleaved
void TranslateChannelShuffle(TranslationContext& ctx) {
  int64_t g = ctx.ConstInt(1, "groups");
  int64_t rank = ctx.Rank(0);
  if (rank < 3) throw UnsupportedError("channel_shuffle needs at least 3 dims");
  auto rest = StaticTrailingDims(ctx, 0, static_cast<size_t>(rank - 1));
  int64_t c = rest[0];
  std::vector<int64_t> split{0, g, c / g};
  split.insert(split.end(), rest.begin() + 1, rest.end());
  std::string x = Reshape(ctx, ctx.Input(0), split);
  std::vector<int64_t> perm{0, 2, 1};
  for (int64_t k = 3; k < rank + 1; ++k) perm.push_back(k);
  x = ctx.Op("Transpose", {x}, {{"perm", perm}});
  std::vector<int64_t> merged{0};
  merged.insert(merged.end(), rest.begin(), rest.end());
  ctx.SetOutput(0, Reshape(ctx, x, merged));
}

// aten::hsplit / vsplit / dsplit .int(Tensor self, int sections) and .array(Tensor self,
// int[] indices): tensor_split along dim 1 (dim 0 for 1-D tensors), 0 or 2; sections must
// divide the dim.
void TranslateNamedSplit(TranslationContext& ctx, int64_t dim) {
  auto total = ctx.Meta(0).StaticDim(dim);
  if (!total) throw UnsupportedError(ctx.node().Key() + " along a dynamic dimension");
  std::vector<int64_t> sizes;
  if (ctx.node().overload == "int") {
    int64_t n = ctx.ConstInt(1, "sections");
    if (n <= 0 || *total % n != 0)
      throw UnsupportedError(ctx.node().Key() + ": " + std::to_string(n) + " sections do not divide a dim of " + std::to_string(*total));
    sizes.assign(static_cast<size_t>(n), *total / n);
  } else {
    sizes = SizesBetween(ctx.ConstInts(1, "indices"), *total);
  }
  auto outs = ctx.OpMulti("Split", {ctx.Input(0), ctx.ConstInt64s(sizes)}, sizes.size(), {{"axis", dim}});
  ctx.SetOutputBinding(0, ListOf(outs));
}

}  // namespace

void RegisterRearrange(Registry& r) {
  r.SetFamily("rearrange");
  r.Add("aten::hsplit", [](TranslationContext& c) { TranslateNamedSplit(c, c.Rank(0) == 1 ? 0 : 1); });
  r.Add("aten::vsplit", [](TranslationContext& c) { TranslateNamedSplit(c, 0); });
  r.Add("aten::dsplit", [](TranslationContext& c) { TranslateNamedSplit(c, 2); });
  r.Add("aten::tile", TranslateTile);
  r.Add("aten::repeat_interleave.self_int", TranslateRepeatInterleave);
  r.Add("aten::repeat_interleave.self_Tensor", TranslateRepeatInterleaveTensor);
  r.Add("aten::repeat_interleave.Tensor", TranslateRepeatInterleaveIndices);
  r.Add("aten::tensor_split", TranslateTensorSplit);
  r.Add("aten::pixel_shuffle", TranslatePixelShuffle);
  r.Add("aten::pixel_unshuffle", TranslatePixelUnshuffle);
  r.Add("aten::channel_shuffle", TranslateChannelShuffle);
}

}  // namespace t2o
