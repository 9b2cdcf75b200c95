// Sorting: sort, argsort, topk (ONNX TopK, sorted).
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// The length of `dim` as a 1-D int64 tensor (static or read at run time).
std::string DimLength(TranslationContext& ctx, const std::string& x, int64_t dim) {
  if (auto n = ctx.Meta(0).StaticDim(dim)) return ctx.ConstInt64s({*n});
  return Unsqueeze(ctx, DimOf(ctx, x, dim), {0});
}

// aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)
// aten::sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False)
void TranslateSort(TranslationContext& ctx, bool indices_only) {
  bool stable_overload = ctx.node().overload == "stable";
  size_t dim_index = stable_overload ? 2 : 1;
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(dim_index, "dim"), rank);
  bool descending = ctx.ConstBool(dim_index + 1, "descending");
  std::string x = ctx.Input(0);
  auto outs = ctx.OpMulti("TopK", {x, DimLength(ctx, x, dim)}, 2,
                          {{"axis", dim}, {"largest", int64_t{descending}}, {"sorted", int64_t{1}}});
  if (indices_only) return ctx.SetOutput(0, outs[1]);
  ctx.SetOutput(0, outs[0]);
  ctx.SetOutput(1, outs[1]);
}

// aten::topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True)
void TranslateTopK(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  bool largest = ctx.ConstBool(3, "largest");
  std::string k = Reshape(ctx, ctx.ScalarInput(1, DType::kInt64), {1});
  // sorted=False leaves the order to the implementation in PyTorch; sorted is a valid choice.
  auto outs = ctx.OpMulti("TopK", {ctx.Input(0), k}, 2,
                          {{"axis", dim}, {"largest", int64_t{largest}}, {"sorted", int64_t{1}}});
  ctx.SetOutput(0, outs[0]);
  ctx.SetOutput(1, outs[1]);
}

}  // namespace

void RegisterSorting(Registry& r) {
  r.SetFamily("sorting");
  r.Add("aten::sort", [](TranslationContext& c) { TranslateSort(c, false); });
  r.Add("aten::argsort", [](TranslationContext& c) { TranslateSort(c, true); });
  r.Add("aten::topk", TranslateTopK);
}

}  // namespace t2o
