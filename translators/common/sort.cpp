#include "translators/common/sort.h"

#include <limits>

namespace t2o {

std::string SortKeys(TranslationContext& ctx, const std::string& x, DType dt) {
  if (IsFloating(dt)) {
    std::string keys = dt == DType::kFloat16 || dt == DType::kBFloat16 ? ctx.Cast(x, dt, DType::kFloat32) : x;
    DType kdt = dt == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
    return ctx.Op("Where", {ctx.Op("IsNaN", {keys}), ctx.ConstScalar(std::numeric_limits<double>::infinity(), kdt), keys});
  }
  if (dt == DType::kInt64 || dt == DType::kInt32) return x;
  return ctx.Cast(x, dt, DType::kInt64);
}

SortedAlong StableSort(TranslationContext& ctx, const std::string& x, DType dt, int64_t axis, bool descending) {
  Attrs along{{"axis", axis}};
  Attrs order{{"axis", axis}, {"largest", int64_t{descending}}, {"sorted", int64_t{1}}};
  std::string keys = SortKeys(ctx, x, dt);
  std::string n = Unsqueeze(ctx, DimOf(ctx, keys, axis), {0});
  auto by_value = ctx.OpMulti("TopK", {keys, n}, 2, order);
  SortedAlong sorted{"", by_value[1], by_value[0]};
  if (IsFloating(dt)) {
    std::string nan_flags = ctx.Cast(ctx.Op("IsNaN", {ctx.Op("GatherElements", {x, sorted.indices}, along)}), DType::kBool,
                                     DType::kInt32);
    std::string placed = ctx.OpMulti("TopK", {nan_flags, n}, 2, order)[1];
    sorted.indices = ctx.Op("GatherElements", {sorted.indices, placed}, along);
    sorted.keys = ctx.Op("GatherElements", {sorted.keys, placed}, along);
  }
  sorted.values = ctx.Op("GatherElements", {x, sorted.indices}, along);
  return sorted;
}

}  // namespace t2o
