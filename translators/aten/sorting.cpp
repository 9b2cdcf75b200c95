// Sorting: sort, argsort (PyTorch's stable order, translators/common/sort.h), topk.
#include "translators/common/helpers.h"
#include "translators/common/sort.h"

namespace t2o {
namespace {

// aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)
// aten::sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False)
void TranslateSort(TranslationContext& ctx, bool indices_only) {
  bool stable_overload = ctx.node().overload == "stable";
  size_t dim_index = stable_overload ? 2 : 1;
  int64_t rank = ctx.Rank(0);
  if (rank == 0) {  // a 0-d tensor is its own sort
    if (!indices_only) ctx.SetOutput(0, ctx.Op("Identity", {ctx.Input(0)}));
    return ctx.SetOutput(indices_only ? 0 : 1, ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {}, {0})));
  }
  int64_t dim = NormalizeAxis(ctx.ConstInt(dim_index, "dim"), rank);
  bool descending = ctx.ConstBool(dim_index + 1, "descending");
  SortedAlong sorted = StableSort(ctx, ctx.Input(0), ctx.InDType(0), dim, descending);
  if (indices_only) return ctx.SetOutput(0, sorted.indices);
  ctx.SetOutput(0, sorted.values);
  ctx.SetOutput(1, sorted.indices);
}

// aten::topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True)
void TranslateTopK(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  bool largest = ctx.ConstBool(3, "largest");
  std::string k = Reshape(ctx, ctx.ScalarInput(1, DType::kInt64), {1});
  // sorted=False leaves the order to the implementation in PyTorch; sorted is a valid choice.
  // Tied values: PyTorch's CPU topk (a partial quickselect) promises no order among them;
  // this gives index order. NaN ranks as +inf here (PyTorch: above it).
  std::string x = ctx.Input(0);
  auto outs = ctx.OpMulti("TopK", {SortKeys(ctx, x, ctx.InDType(0)), k}, 2,
                          {{"axis", dim}, {"largest", int64_t{largest}}, {"sorted", int64_t{1}}});
  ctx.SetOutput(0, ctx.Op("GatherElements", {x, outs[1]}, {{"axis", dim}}));
  ctx.SetOutput(1, outs[1]);
}

}  // namespace

void RegisterSorting(Registry& r) {
  r.SetFamily("sorting");
  r.Add("aten::sort", [](TranslationContext& c) { TranslateSort(c, false); });
  // aten::msort(Tensor self): the values sorted along dim 0.
  r.Add("aten::msort", [](TranslationContext& c) {
    if (c.Rank(0) == 0) return c.SetOutput(0, c.Op("Identity", {c.Input(0)}));
    c.SetOutput(0, StableSort(c, c.Input(0), c.InDType(0), 0, false).values);
  });
  r.Add("aten::argsort", [](TranslationContext& c) { TranslateSort(c, true); });
  r.Add("aten::topk", TranslateTopK);
}

}  // namespace t2o
