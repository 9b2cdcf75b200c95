// The public tensor-layout helpers TorchScript keeps as ops of their own (torch.export
// decomposes them to permute / cat / reshape / flip): movedim and moveaxis, numpy_T / mT /
// mH / adjoint, hstack / vstack / dstack / column_stack, atleast_1d/2d/3d, fliplr / flipud,
// rot90, ravel; block_diag, cartesian_prod, diag_embed.
#include <algorithm>
#include <functional>
#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

std::vector<int64_t> Identity(int64_t rank) {
  std::vector<int64_t> perm(static_cast<size_t>(rank));
  for (int64_t k = 0; k < rank; ++k) perm[k] = k;
  return perm;
}

// aten::movedim.int(Tensor self, int source, int destination) and movedim.intlist(int[]
// source, int[] destination): the source dims land at the destinations, the others keep
// their order in the remaining places.
void TranslateMovedim(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> source = ctx.ConstInts(1, "source"), destination = ctx.ConstInts(2, "destination");
  if (source.size() != destination.size()) throw UnsupportedError("movedim: source and destination differ in length");
  std::vector<int64_t> perm(static_cast<size_t>(rank), -1);
  std::vector<bool> moved(static_cast<size_t>(rank), false);
  for (size_t i = 0; i < source.size(); ++i) {
    int64_t s = NormalizeAxis(source[i], rank), d = NormalizeAxis(destination[i], rank);
    perm[d] = s;
    moved[s] = true;
  }
  int64_t next = 0;
  for (auto& p : perm) {
    if (p != -1) continue;
    while (moved[next]) ++next;
    p = next++;
  }
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", perm}}));
}

// aten::numpy_T (x.T: every dim reversed), aten::mT / mH / adjoint (the last two swapped; on
// real tensors the conjugate changes nothing).
void TranslateReverseDims(TranslationContext& ctx, bool last_two) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> perm = Identity(rank);
  if (last_two) {
    if (rank < 2) throw UnsupportedError(ctx.node().Key() + " needs a tensor of rank 2 or more");
    std::swap(perm[rank - 1], perm[rank - 2]);
  } else {
    std::reverse(perm.begin(), perm.end());
  }
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", perm}}));
}

// x reshaped to at least `rank` dims as atleast_Nd does: [n] -> [1, n] -> [1, n, 1] (3-D
// from a vector), [] -> [1] / [1, 1] / [1, 1, 1], [a, b] -> [a, b, 1].
std::string AtLeast(TranslationContext& ctx, const std::string& x, int64_t have, int64_t want) {
  if (have >= want) return x;
  if (have == 0) return Reshape(ctx, x, std::vector<int64_t>(static_cast<size_t>(want), 1));
  if (want == 2) return Unsqueeze(ctx, x, {0});
  if (have == 1) return Unsqueeze(ctx, x, {0, 2});  // want 3
  return Unsqueeze(ctx, x, {2});                      // [a, b] -> [a, b, 1]
}

// The ranks of the tensors of a list built in the graph (prim::ListConstruct).
std::vector<int64_t> ListRanks(TranslationContext& ctx, size_t i, size_t count) {
  std::vector<int64_t> ranks;
  for (const ir::TensorMeta* meta : ListElementMetas(ctx, i, count)) ranks.push_back(static_cast<int64_t>(meta->rank()));
  return ranks;
}

// aten::atleast_1d / 2d / 3d(Tensor self) and their .Sequence forms (Tensor[] -> Tensor[]).
void TranslateAtLeast(TranslationContext& ctx, int64_t want) {
  const ir::Value& in = ctx.InputValue(0);
  if (in.IsTensor()) return ctx.SetOutput(0, AtLeast(ctx, ctx.Input(0), ctx.Rank(0), want));
  std::vector<std::string> tensors = ctx.TensorListInput(0);
  std::vector<int64_t> ranks = ListRanks(ctx, 0, tensors.size());
  std::vector<std::string> outs;
  for (size_t i = 0; i < tensors.size(); ++i) outs.push_back(AtLeast(ctx, tensors[i], ranks[i], want));
  ctx.SetOutputBinding(0, ListOf(outs));
}

// aten::hstack / vstack / dstack / column_stack(Tensor[] tensors): concatenated along dim 1
// (dim 0 for vectors) / dim 0 of the 2-D forms / dim 2 of the 3-D forms / as columns (vectors
// become [n, 1]).
void TranslateStack(TranslationContext& ctx, const std::string& how) {
  std::vector<std::string> tensors = ctx.TensorListInput(0);
  std::vector<int64_t> ranks = ListRanks(ctx, 0, tensors.size());
  int64_t axis = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (how == "vstack") tensors[i] = AtLeast(ctx, tensors[i], ranks[i], 2);
    if (how == "dstack") tensors[i] = AtLeast(ctx, tensors[i], ranks[i], 3);
    if (how == "hstack") tensors[i] = AtLeast(ctx, tensors[i], ranks[i], 1);
    if (how == "column_stack")
      tensors[i] = ranks[i] == 0 ? Reshape(ctx, tensors[i], {1, 1}) : ranks[i] == 1 ? Unsqueeze(ctx, tensors[i], {1}) : tensors[i];
  }
  if (how == "hstack") axis = !ranks.empty() && ranks[0] <= 1 ? 0 : 1;  // vectors join end to end
  if (how == "dstack") axis = 2;
  if (how == "column_stack") axis = 1;
  ctx.SetOutput(0, ctx.Op("Concat", tensors, {{"axis", axis}}));
}

// aten::fliplr (dim 1) / flipud (dim 0).
void TranslateFlipDim(TranslationContext& ctx, int64_t dim) {
  if (ctx.Rank(0) <= dim) throw UnsupportedError(ctx.node().Key() + " needs a tensor of rank " + std::to_string(dim + 1) + " or more");
  ctx.SetOutput(0, Flip(ctx, ctx.Input(0), {dim}));
}

// aten::rot90(Tensor self, int k=1, int[] dims=[0,1]): k quarter turns from dims[0]
// towards dims[1]: one turn flips dims[1] and swaps the two.
void TranslateRot90(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t k = ((ctx.ConstInt(1, "k") % 4) + 4) % 4;
  std::vector<int64_t> dims = ctx.ConstInts(2, "dims");
  if (dims.size() != 2) throw UnsupportedError("rot90 needs two dims");
  int64_t a = NormalizeAxis(dims[0], rank), b = NormalizeAxis(dims[1], rank);
  std::vector<int64_t> swap = Identity(rank);
  std::swap(swap[a], swap[b]);
  std::string x = ctx.Input(0);
  if (k == 0) return ctx.SetOutput(0, ctx.Op("Identity", {x}));
  if (k == 2) return ctx.SetOutput(0, Flip(ctx, x, {a, b}));
  if (k == 1) return ctx.SetOutput(0, ctx.Op("Transpose", {Flip(ctx, x, {b})}, {{"perm", swap}}));
  ctx.SetOutput(0, Flip(ctx, ctx.Op("Transpose", {x}, {{"perm", swap}}), {b}));  // k == 3
}


// aten::block_diag(Tensor[] tensors): the blocks (a scalar as [1, 1], a vector as one row)
// along the diagonal of a zero matrix, each padded to the full width. Static block shapes.
void TranslateBlockDiag(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::vector<std::string> blocks = ctx.TensorListInput(0);
  std::vector<const ir::TensorMeta*> metas = ListElementMetas(ctx, 0, blocks.size());
  if (blocks.empty()) throw UnsupportedError("aten::block_diag needs at least one tensor");
  std::vector<std::pair<int64_t, int64_t>> sizes;
  int64_t width = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const ir::TensorMeta& meta = *metas[i];
    if (meta.rank() > 2) throw UnsupportedError("aten::block_diag takes tensors of at most 2 dims, got rank " + std::to_string(meta.rank()));
    std::vector<int64_t> dims;
    for (size_t k = 0; k < meta.rank(); ++k) {
      auto d = meta.StaticDim(static_cast<int64_t>(k));
      if (!d) throw UnsupportedError("aten::block_diag needs static block shapes; block " + std::to_string(i) + " has a symbolic dim");
      dims.push_back(*d);
    }
    int64_t rows = meta.rank() == 2 ? dims[0] : 1, cols = meta.rank() == 0 ? 1 : dims.back();
    sizes.emplace_back(rows, cols);
    width += cols;
  }
  std::vector<std::string> rows;
  int64_t left = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    auto [r, c] = sizes[i];
    std::string block = Reshape(ctx, ctx.Cast(blocks[i], metas[i]->dtype, dt), {r, c});
    rows.push_back(ctx.Op("Pad", {block, ctx.ConstInt64s({0, left, 0, width - left - c})}));
    left += c;
  }
  ctx.SetOutput(0, ctx.Op("Concat", rows, {{"axis", int64_t{0}}}));
}

// aten::cartesian_prod(Tensor[] tensors): every combination of the vectors' elements, one
// row each, the last vector varying fastest (each vector expanded over the grid).
void TranslateCartesianProd(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::vector<std::string> vectors = ctx.TensorListInput(0);
  std::vector<const ir::TensorMeta*> metas = ListElementMetas(ctx, 0, vectors.size());
  if (vectors.size() == 1) return ctx.SetOutput(0, ctx.Op("Identity", {ctx.Cast(vectors[0], metas[0]->dtype, dt)}));
  std::vector<std::string> lengths;
  for (const auto& v : vectors) lengths.push_back(ShapeOf(ctx, v));
  std::string grid = ctx.Op("Concat", lengths, {{"axis", int64_t{0}}});
  std::vector<std::string> columns;
  for (size_t k = 0; k < vectors.size(); ++k) {
    std::vector<int64_t> shape(vectors.size(), 1);
    shape[k] = -1;
    std::string spread = ctx.Op("Expand", {Reshape(ctx, ctx.Cast(vectors[k], metas[k]->dtype, dt), shape), grid});
    columns.push_back(Reshape(ctx, spread, {-1, 1}));
  }
  ctx.SetOutput(0, ctx.Op("Concat", columns, {{"axis", int64_t{1}}}));
}

// aten::diag_embed(Tensor self, int offset=0, int dim1=-2, int dim2=-1): the last dim of
// self (n) on the offset diagonal of (n + |offset|)-square matrices, at dims dim1 (rows) and
// dim2 (columns) of the result.
void TranslateDiagEmbed(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  int64_t rank = ctx.Rank(0);
  if (rank == 0) throw UnsupportedError("aten::diag_embed needs a tensor of at least 1 dim");
  int64_t offset = ctx.ConstInt(1, "offset");
  int64_t d1 = NormalizeAxis(ctx.ConstInt(2, "dim1"), rank + 1), d2 = NormalizeAxis(ctx.ConstInt(3, "dim2"), rank + 1);
  if (d1 == d2) throw UnsupportedError("aten::diag_embed: dim1 and dim2 must differ");
  std::string x = ctx.Input(0);
  std::string n = DimOf(ctx, x, rank - 1);
  std::string size = ctx.Op("Add", {n, ctx.ConstInt64(offset < 0 ? -offset : offset)});
  std::string positions = Arange(ctx, size);
  std::string rows = Unsqueeze(ctx, positions, {1}), cols = Unsqueeze(ctx, positions, {0});
  std::string on_diagonal = ctx.Op("Equal", {ctx.Op("Sub", {cols, rows}), ctx.ConstInt64(offset)});
  // Element (i, i + offset) holds x[i] (x[j] at (j - offset, j) below the main diagonal).
  std::string source = ctx.Op("Expand", {offset >= 0 ? rows : cols, ctx.Op("Concat", {Unsqueeze(ctx, size, {0}), Unsqueeze(ctx, size, {0})}, {{"axis", int64_t{0}}})});
  source = ctx.Op("Min", {source, ctx.Op("Sub", {n, ctx.ConstInt64(1)})});
  std::string values = ctx.Op("Gather", {x, source}, {{"axis", rank - 1}});
  std::string matrices = ctx.Op("Where", {on_diagonal, values, Zero(ctx, dt)});
  std::vector<int64_t> perm;
  int64_t next = 0;
  for (int64_t p = 0; p <= rank; ++p) perm.push_back(p == d1 ? rank - 1 : p == d2 ? rank : next++);
  ctx.SetOutput(0, ctx.Op("Transpose", {matrices}, {{"perm", perm}}));
}

}  // namespace

void RegisterLayout(Registry& r) {
  r.SetFamily("layout");
  r.Add("aten::movedim", TranslateMovedim);
  r.Add("aten::moveaxis", TranslateMovedim);
  r.Add("aten::numpy_T", [](TranslationContext& c) { TranslateReverseDims(c, false); });
  for (const char* op : {"aten::mT", "aten::mH", "aten::adjoint"})
    r.Add(op, [](TranslationContext& c) { TranslateReverseDims(c, true); });
  for (const char* how : {"hstack", "vstack", "dstack", "column_stack"}) {
    std::string name = how;
    r.Add("aten::" + name, [name](TranslationContext& c) { TranslateStack(c, name); });
  }
  r.Add("aten::atleast_1d", [](TranslationContext& c) { TranslateAtLeast(c, 1); });
  r.Add("aten::atleast_2d", [](TranslationContext& c) { TranslateAtLeast(c, 2); });
  r.Add("aten::atleast_3d", [](TranslationContext& c) { TranslateAtLeast(c, 3); });
  r.Add("aten::fliplr", [](TranslationContext& c) { TranslateFlipDim(c, 1); });
  r.Add("aten::flipud", [](TranslationContext& c) { TranslateFlipDim(c, 0); });
  r.Add("aten::rot90", TranslateRot90);
  r.Add("aten::block_diag", TranslateBlockDiag);
  r.Add("aten::cartesian_prod", TranslateCartesianProd);
  // aten::combinations(Tensor self, int r=2, bool with_replacement=False): the r-element
  // combinations of a vector's elements in itertools' order, one per row ([0] rows when none).
  r.Add("aten::combinations", [](TranslationContext& c) {
    int64_t n = StaticShape(c, 0).at(0), k = c.ConstInt(1, "r");
    bool replacement = c.ConstBool(2, "with_replacement");
    if (k <= 0) throw UnsupportedError("aten::combinations with r = " + std::to_string(k) + " (PyTorch returns an empty 1-D tensor)");
    std::vector<int64_t> rows, pick(static_cast<size_t>(k));
    std::function<void(int64_t, int64_t)> choose = [&](int64_t slot, int64_t from) {
      if (slot == k) return rows.insert(rows.end(), pick.begin(), pick.end()), void();
      for (int64_t i = from; i < n; ++i) {
        pick[static_cast<size_t>(slot)] = i;
        choose(slot + 1, replacement ? i : i + 1);
      }
    };
    choose(0, 0);
    int64_t count = static_cast<int64_t>(rows.size()) / k;
    std::string index = c.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {count, k}, rows));
    c.SetOutput(0, c.Op("Gather", {c.Input(0), index}, {{"axis", int64_t{0}}}));
  });

  r.Add("aten::diag_embed", TranslateDiagEmbed);
  r.Add("aten::ravel", [](TranslationContext& c) { c.SetOutput(0, Reshape(c, c.Input(0), {-1})); });
}

}  // namespace t2o
