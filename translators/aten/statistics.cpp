// Order statistics and histograms: kthvalue, median, nanmedian, mode, quantile,
// nanquantile, histc, bincount; running and integrated sums: logcumsumexp, trapezoid,
// cumulative_trapezoid; cov, corrcoef.
//
// Order statistics sort as PyTorch's stable sort does (translators/common/sort.h).
#include <cmath>
#include <limits>

#include "translators/common/helpers.h"
#include "translators/common/sort.h"

namespace t2o {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The permutation that moves `axis` last, and its inverse.
std::vector<int64_t> AxisLastPerm(int64_t rank, int64_t axis) {
  std::vector<int64_t> perm;
  for (int64_t k = 0; k < rank; ++k)
    if (k != axis) perm.push_back(k);
  perm.push_back(axis);
  return perm;
}
std::vector<int64_t> InversePerm(const std::vector<int64_t>& perm) {
  std::vector<int64_t> inverse(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) inverse[perm[k]] = static_cast<int64_t>(k);
  return inverse;
}
std::string Permute(TranslationContext& ctx, const std::string& x, const std::vector<int64_t>& perm) {
  for (size_t k = 0; k < perm.size(); ++k)
    if (perm[k] != static_cast<int64_t>(k)) return ctx.Op("Transpose", {x}, {{"perm", perm}});
  return x;
}

// The operand of a reduction over `dim` (a 0-d tensor is a 1-element vector), and what
// undoes that on the result.
struct ReductionOperand {
  std::string x;
  int64_t dim = 0;
  bool was_scalar = false;
};
ReductionOperand OperandAlong(TranslationContext& ctx, size_t dim_index) {
  int64_t rank = ctx.Rank(0);
  if (rank == 0) return {Reshape(ctx, ctx.Input(0), {1}), 0, true};
  return {ctx.Input(0), NormalizeAxis(ctx.ConstInt(dim_index, "dim"), rank), false};
}
std::string FinishAlong(TranslationContext& ctx, const ReductionOperand& op, const std::string& y, bool keepdim) {
  if (op.was_scalar) return Reshape(ctx, y, {});
  return keepdim ? y : Squeeze(ctx, y, {op.dim});
}

// aten::kthvalue(Tensor self, int k, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)
// Tied values: PyTorch documents no order for their indices (its quickselect is not
// stable); this gives the first of the tied positions.
void TranslateKthValue(TranslationContext& ctx) {
  ReductionOperand op = OperandAlong(ctx, 2);
  int64_t k = ctx.ConstInt(1, "k");
  if (k < 1) throw UnsupportedError("aten::kthvalue: k must be at least 1, got " + std::to_string(k));
  bool keepdim = ctx.ConstBool(3, "keepdim");
  SortedAlong sorted = StableSort(ctx, op.x, ctx.InDType(0), op.dim, false);
  std::string position = ctx.ConstInt64s({k - 1});
  Attrs axis{{"axis", op.dim}};
  ctx.SetOutput(0, FinishAlong(ctx, op, ctx.Op("Gather", {sorted.values, position}, axis), keepdim));
  ctx.SetOutput(1, FinishAlong(ctx, op, ctx.Op("Gather", {sorted.indices, position}, axis), keepdim));
}

// aten::median(Tensor self) -> Tensor; aten::median.dim(Tensor self, int dim, bool keepdim=False)
// and the same for nanmedian. The lower median: element (n - 1) / 2 of the sorted values.
// median is NaN (at the first NaN's index) where a NaN is present; nanmedian takes the
// median of the other values ((n - 1) / 2 of all of them when every value is NaN).
void TranslateMedian(TranslationContext& ctx, bool ignore_nan) {
  bool whole = ctx.NumInputs() == 1;
  ReductionOperand op = whole ? ReductionOperand{Reshape(ctx, ctx.Input(0), {-1}), 0, true} : OperandAlong(ctx, 1);
  bool keepdim = !whole && ctx.ConstBool(2, "keepdim");
  DType dt = ctx.InDType(0);
  SortedAlong sorted = StableSort(ctx, op.x, dt, op.dim, false);
  std::string n = Unsqueeze(ctx, DimOf(ctx, op.x, op.dim), {0});
  std::string middle = ctx.Op("Div", {ctx.Op("Sub", {n, ctx.ConstInt64(1)}), ctx.ConstInt64(2)});
  Attrs axis{{"axis", op.dim}};
  std::string value, index;
  if (!IsFloating(dt)) {
    value = ctx.Op("Gather", {sorted.values, middle}, axis);
    index = ctx.Op("Gather", {sorted.indices, middle}, axis);
  } else {
    std::string is_nan = ctx.Op("IsNaN", {op.x});
    std::string nan_count = Reduce(ctx, "ReduceSum", ctx.Cast(is_nan, DType::kBool, DType::kInt64), {op.dim}, true);
    if (ignore_nan) {
      std::string valid = ctx.Op("Sub", {n, nan_count});
      std::string valid_middle = ctx.Op("Div", {ctx.Op("Sub", {valid, ctx.ConstInt64(1)}), ctx.ConstInt64(2)});
      std::string k = ctx.Op("Where", {ctx.Op("Greater", {valid, ctx.ConstInt64(0)}), valid_middle,
                                       ctx.Op("Expand", {middle, ShapeOf(ctx, valid)})});
      value = ctx.Op("GatherElements", {sorted.values, k}, axis);
      index = ctx.Op("GatherElements", {sorted.indices, k}, axis);
    } else {
      std::string has_nan = ctx.Op("Greater", {nan_count, ctx.ConstInt64(0)});
      std::string first_nan = ctx.Op("ArgMax", {ctx.Cast(is_nan, DType::kBool, DType::kInt32)},
                                     {{"axis", op.dim}, {"keepdims", int64_t{1}}});
      value = ctx.Op("Where", {has_nan, ctx.ConstScalar(kNaN, dt), ctx.Op("Gather", {sorted.values, middle}, axis)});
      index = ctx.Op("Where", {has_nan, first_nan, ctx.Op("Gather", {sorted.indices, middle}, axis)});
    }
  }
  ctx.SetOutput(0, FinishAlong(ctx, op, value, keepdim));
  if (!whole) ctx.SetOutput(1, FinishAlong(ctx, op, index, keepdim));
}

// aten::mode(Tensor self, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)
// The most frequent value, the smallest of them on a tie, at the last position holding it
// (as PyTorch reports both). Counting compares every pair of the dim's n elements.
void TranslateMode(TranslationContext& ctx) {
  ReductionOperand op = OperandAlong(ctx, 1);
  bool keepdim = ctx.ConstBool(2, "keepdim");
  int64_t rank = op.was_scalar ? 1 : ctx.Rank(0);
  std::vector<int64_t> perm = AxisLastPerm(rank, op.dim);
  std::string x = Permute(ctx, op.x, perm);
  SortedAlong sorted = StableSort(ctx, x, ctx.InDType(0), -1, false);
  std::string same = ctx.Op("Equal", {Unsqueeze(ctx, sorted.keys, {-1}), Unsqueeze(ctx, sorted.keys, {-2})});
  std::string counts = Reduce(ctx, "ReduceSum", ctx.Cast(same, DType::kBool, DType::kInt64), {-1}, false);
  // ArgMax returns the first maximum: the smallest of the most frequent values.
  std::string best = ctx.Op("ArgMax", {counts}, {{"axis", int64_t{-1}}, {"keepdims", int64_t{1}}});
  std::string mode_key = ctx.Op("GatherElements", {sorted.keys, best}, {{"axis", int64_t{-1}}});
  std::string positions = Arange(ctx, DimOf(ctx, x, rank - 1));
  std::string holders = ctx.Op("Where", {ctx.Op("Equal", {SortKeys(ctx, x, ctx.InDType(0)), mode_key}), positions,
                                         ctx.ConstInt64(-1)});
  std::string last = Reduce(ctx, "ReduceMax", holders, {-1}, true);
  std::string value = ctx.Op("GatherElements", {x, last}, {{"axis", int64_t{-1}}});
  std::vector<int64_t> back = InversePerm(perm);
  ctx.SetOutput(0, FinishAlong(ctx, op, Permute(ctx, value, back), keepdim));
  ctx.SetOutput(1, FinishAlong(ctx, op, Permute(ctx, last, back), keepdim));
}

// aten::quantile(Tensor self, Tensor q, int? dim=None, bool keepdim=False, *, str interpolation='linear')
// aten::quantile.scalar(Tensor self, float q, ...) and the same for nanquantile.
// Positions q * (n - 1) in the sorted values (n: the non-NaN count for nanquantile; a NaN
// in the slice makes quantile NaN), interpolated as `interpolation` says. A 1-D q puts
// its dim first in the result.
void TranslateQuantile(TranslationContext& ctx, bool ignore_nan) {
  DType dt = ctx.OutDType();
  std::string interpolation = ctx.ConstString(4, "interpolation");
  static const std::set<std::string> kInterpolations{"linear", "lower", "higher", "midpoint", "nearest"};
  if (!kInterpolations.count(interpolation))
    throw UnsupportedError(ctx.node().Key() + ": unknown interpolation '" + interpolation + "'");
  int64_t rank = ctx.Rank(0);
  bool q_vector = ctx.InputValue(1).IsTensor() && ctx.Rank(1) == 1;
  std::string q = ctx.InputValue(1).IsTensor() ? ctx.OperandAs(1, dt) : ctx.ConstScalar(ctx.ConstDouble(1, "q"), dt);
  bool keepdim = ctx.ConstBool(3, "keepdim");
  std::string x = ctx.OperandAs(0, dt);
  bool whole = ctx.IsNone(2);
  int64_t dim = 0;
  if (whole || rank == 0) {
    x = Reshape(ctx, x, {-1});
  } else {
    dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
    x = Permute(ctx, x, AxisLastPerm(rank, dim));
  }
  int64_t work_rank = whole || rank == 0 ? 1 : rank;
  SortedAlong sorted = StableSort(ctx, x, dt, -1, false);
  std::string is_nan = ctx.Op("IsNaN", {x});
  std::string n = ctx.Cast(DimOf(ctx, x, -1), DType::kInt64, dt);
  std::string one = ctx.ConstScalar(1, dt);
  // q as [Q, 1, ..., 1] against the sorted values with a leading quantile dim.
  std::vector<int64_t> q_shape(work_rank + 1, 1);
  q_shape[0] = -1;
  std::string ranks;
  if (ignore_nan) {
    std::string valid = ctx.Op("Sub", {n, Reduce(ctx, "ReduceSum", ctx.Cast(is_nan, DType::kBool, dt), {-1}, true)});
    ranks = ctx.Op("Mul", {Reshape(ctx, q, q_shape), ctx.Op("Sub", {valid, one})});
    ranks = ctx.Op("Max", {ranks, ctx.ConstScalar(0, dt)});
  } else {
    std::string last = ctx.Op("Sub", {n, one});
    std::string has_nan = Reduce(ctx, "ReduceMax", ctx.Cast(is_nan, DType::kBool, DType::kInt32), {-1}, true);
    ranks = ctx.Op("Where", {ctx.Cast(has_nan, DType::kInt32, DType::kBool), last,
                             ctx.Op("Mul", {Reshape(ctx, q, q_shape), last})});
  }
  if (interpolation == "lower") ranks = ctx.Op("Floor", {ranks});
  if (interpolation == "higher") ranks = ctx.Op("Ceil", {ranks});
  if (interpolation == "nearest") ranks = ctx.Op("Round", {ranks});
  // Every quantile gathers from its own copy of the sorted values ([Q, ..., n]).
  std::string q_count = ShapeSlice(ctx, ranks, 0, 1);
  std::string values = ctx.Op("Expand", {Unsqueeze(ctx, sorted.values, {0}),
                                         ctx.Op("Concat", {q_count, ShapeOf(ctx, sorted.values)}, {{"axis", int64_t{0}}})});
  std::string index_shape = ctx.Op("Concat", {ShapeSlice(ctx, values, 0, work_rank), ctx.ConstInt64s({1})}, {{"axis", int64_t{0}}});
  auto gather_at = [&](const std::string& position) {
    std::string index = ctx.Op("Expand", {ctx.Cast(position, dt, DType::kInt64), index_shape});
    return ctx.Op("GatherElements", {values, index}, {{"axis", int64_t{-1}}});
  };
  std::string result = gather_at(ranks);
  if (interpolation == "linear" || interpolation == "midpoint") {
    std::string above = gather_at(ctx.Op("Ceil", {ranks}));
    std::string weight = interpolation == "midpoint" ? ctx.ConstScalar(0.5, dt) : ctx.Op("Sub", {ranks, ctx.Op("Floor", {ranks})});
    result = ctx.Op("Add", {result, ctx.Op("Mul", {weight, ctx.Op("Sub", {above, result})})});
  }
  // [Q, kept dims..., 1] -> the result's layout.
  result = Squeeze(ctx, result, {-1});
  if (keepdim) {
    if (whole) {
      std::vector<int64_t> shape(rank + 1, 1);
      shape[0] = -1;
      result = Reshape(ctx, result, shape);
    } else if (rank > 0) {
      result = Unsqueeze(ctx, result, {dim + 1});
    }
  }
  if (!q_vector) result = Squeeze(ctx, result, {0});
  ctx.SetOutput(0, result);
}

// The bin counts of `positions` (int64, in [0, length)), each element adding its weight:
// ScatterElements with reduction="add" (opset 16+) or a one-hot sum before.
std::string BinCounts(TranslationContext& ctx, const std::string& positions, const std::string& weights,
                      const std::string& length, DType dt) {
  if (ctx.opset() >= 16) {
    std::string zeros = ctx.Op("Expand", {ctx.ConstScalar(0, dt), Unsqueeze(ctx, length, {0})});
    return ctx.Op("ScatterElements", {zeros, positions, weights}, {{"axis", int64_t{0}}, {"reduction", std::string("add")}});
  }
  std::string one_hot = ctx.Op("Equal", {Unsqueeze(ctx, positions, {1}), Unsqueeze(ctx, Arange(ctx, length), {0})});
  std::string weighted = ctx.Op("Mul", {ctx.Cast(one_hot, DType::kBool, dt), Unsqueeze(ctx, weights, {1})});
  return Reduce(ctx, "ReduceSum", weighted, {0}, false);
}

// aten::histc(Tensor self, int bins=100, Scalar min=0, Scalar max=0) -> Tensor
// Equal-width bins over [min, max] (the data's range when min == max, widened by 1 on each
// side when that is empty too); the last bin includes max, values outside are not counted.
void TranslateHistc(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  DType work = dt == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
  int64_t bins = ctx.ConstInt(1, "bins");
  if (bins <= 0) throw UnsupportedError("aten::histc: bins must be positive, got " + std::to_string(bins));
  std::string x = Reshape(ctx, ctx.OperandAs(0, work), {-1});
  double min = ctx.ConstDouble(2, "min"), max = ctx.ConstDouble(3, "max");
  std::string lo, hi;
  if (min == max) {
    lo = Reduce(ctx, "ReduceMin", x, {}, false);
    hi = Reduce(ctx, "ReduceMax", x, {}, false);
    std::string empty = ctx.Op("Equal", {lo, hi});
    lo = ctx.Op("Where", {empty, ctx.Op("Sub", {lo, ctx.ConstScalar(1, work)}), lo});
    hi = ctx.Op("Where", {empty, ctx.Op("Add", {hi, ctx.ConstScalar(1, work)}), hi});
  } else {
    if (min > max) throw UnsupportedError("aten::histc: max must be larger than min");
    lo = ctx.ConstScalar(min, work);
    hi = ctx.ConstScalar(max, work);
  }
  std::string inside = ctx.Op("And", {ctx.Op("GreaterOrEqual", {x, lo}), ctx.Op("LessOrEqual", {x, hi})});
  std::string scaled = ctx.Op("Div", {ctx.Op("Mul", {ctx.Op("Sub", {x, lo}), ctx.ConstScalar(double(bins), work)}),
                                      ctx.Op("Sub", {hi, lo})});
  std::string bin = ctx.Op("Min", {ctx.Cast(ctx.Op("Floor", {scaled}), work, DType::kInt64), ctx.ConstInt64(bins - 1)});
  bin = ctx.Op("Where", {inside, bin, ctx.ConstInt64(0)});
  std::string counts = BinCounts(ctx, bin, ctx.Cast(inside, DType::kBool, work), ctx.ConstInt64(bins), work);
  ctx.SetOutput(0, ctx.Cast(counts, work, dt));
}

// aten::bincount(Tensor self, Tensor? weights=None, int minlength=0) -> Tensor
// The length, max(self) + 1 (at least minlength), is computed at run time.
void TranslateBincount(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = Reshape(ctx, ctx.OperandAs(0, DType::kInt64), {-1});
  int64_t minlength = ctx.ConstInt(2, "minlength");
  // An empty input gives minlength.
  std::string top = MaxWithFloor(ctx, x, ctx.ConstInt64(-1));
  std::string length = ctx.Op("Max", {ctx.Op("Add", {top, ctx.ConstInt64(1)}), ctx.ConstInt64(minlength)});
  std::string weights = ctx.IsNone(1) ? ctx.Op("Expand", {ctx.ConstScalar(1, dt), ShapeOf(ctx, x)})
                                      : Reshape(ctx, ctx.OperandAs(1, dt), {-1});
  ctx.SetOutput(0, BinCounts(ctx, x, weights, length, dt));
}

// aten::logcumsumexp(Tensor self, int dim) -> Tensor
// Each position's log-sum-exp over the elements up to it ([n, n] lower triangle), each
// shifted by its own maximum, so that no prefix underflows whatever the values' spread.
void TranslateLogCumSumExp(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ReductionOperand op = OperandAlong(ctx, 1);
  int64_t rank = op.was_scalar ? 1 : ctx.Rank(0);
  std::vector<int64_t> perm = AxisLastPerm(rank, op.dim);
  std::string x = Permute(ctx, ctx.Cast(op.x, ctx.InDType(0), dt), perm);
  std::string positions = Arange(ctx, DimOf(ctx, x, rank - 1));
  std::string later = ctx.Op("Greater", {Unsqueeze(ctx, positions, {0}), Unsqueeze(ctx, positions, {1})});  // [i, j]: j > i
  std::string prefix = ctx.Op("Where", {later, ctx.ConstScalar(-kInf, dt), Unsqueeze(ctx, x, {-2})});      // [..., i, j]
  std::string peak = Reduce(ctx, "ReduceMax", prefix, {-1}, true);
  std::string shift = ctx.Op("Where", {ctx.Op("IsInf", {peak}), ctx.ConstScalar(0, dt), peak});
  std::string sum = Reduce(ctx, "ReduceSum", ctx.Op("Exp", {ctx.Op("Sub", {prefix, shift})}), {-1}, true);
  std::string y = Squeeze(ctx, ctx.Op("Add", {ctx.Op("Log", {sum}), shift}), {-1});
  y = Permute(ctx, y, InversePerm(perm));
  ctx.SetOutput(0, op.was_scalar ? Reshape(ctx, y, {}) : y);
}

// aten::trapezoid.x(Tensor y, Tensor x, *, int dim=-1), aten::trapezoid.dx(Tensor y, *, Scalar dx=1, int dim=-1)
// and cumulative_trapezoid with the same overloads: the trapezoids (y[i] + y[i+1]) / 2 * dx,
// summed or accumulated along dim.
void TranslateTrapezoid(TranslationContext& ctx, bool cumulative) {
  DType dt = ctx.OutDType();
  bool spacing_tensor = ctx.InputValue(1).IsTensor();
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  std::string y = ctx.OperandAs(0, dt);
  std::string n = Unsqueeze(ctx, DimOf(ctx, y, dim), {0});
  std::string axes = ctx.ConstInt64s({dim});
  auto slice = [&](const std::string& v, const std::string& start, const std::string& end) {
    return ctx.Op("Slice", {v, start, end, axes});
  };
  std::string first = ctx.ConstInt64s({0}), second = ctx.ConstInt64s({1});
  std::string last = ctx.Op("Sub", {n, ctx.ConstInt64s({1})});
  std::string pair_sums = ctx.Op("Add", {slice(y, second, n), slice(y, first, last)});
  // Integer y (and x): PyTorch adds the neighbours, and multiplies by the x differences, in
  // the integer type (wrapping on overflow) before dividing by 2 in float, except for
  // trapezoid.dx; here as well.
  DType in = ctx.InDType(0);
  bool integer = !IsFloating(in) && in != DType::kBool && (!spacing_tensor || ctx.InDType(1) == in);
  std::string raw_sums;
  if (integer && (cumulative || spacing_tensor)) {
    std::string raw = ctx.Input(0);
    raw_sums = ctx.Op("Add", {slice(raw, second, n), slice(raw, first, last)});
    pair_sums = ctx.Cast(raw_sums, in, dt);
  }
  std::string widths;
  if (spacing_tensor) {
    // x is 1-D along dim or has y's shape; its differences are the widths.
    std::string x = ctx.OperandAs(1, dt);
    int64_t x_dim = ctx.Rank(1) == 1 ? 0 : dim;
    std::string x_axes = ctx.ConstInt64s({x_dim});
    std::string xn = Unsqueeze(ctx, DimOf(ctx, x, x_dim), {0});
    widths = ctx.Op("Sub", {ctx.Op("Slice", {x, second, xn, x_axes}),
                            ctx.Op("Slice", {x, first, ctx.Op("Sub", {xn, ctx.ConstInt64s({1})}), x_axes})});
    if (!raw_sums.empty()) {
      std::string raw_x = ctx.Input(1);
      widths = ctx.Op("Sub", {ctx.Op("Slice", {raw_x, second, xn, x_axes}),
                              ctx.Op("Slice", {raw_x, first, ctx.Op("Sub", {xn, ctx.ConstInt64s({1})}), x_axes})});
    }
    if (ctx.Rank(1) == 1 && rank > 1) {
      std::vector<int64_t> shape(rank, 1);
      shape[dim] = -1;
      widths = Reshape(ctx, widths, shape);
    }
    if (!raw_sums.empty()) {
      pair_sums = ctx.Cast(ctx.Op("Mul", {widths, raw_sums}), in, dt);
      widths = ctx.ConstScalar(1, dt);
    }
  } else {
    widths = ctx.ConstScalar(ctx.ConstDouble(1, "dx"), dt);
  }
  std::string areas = ctx.Op("Mul", {ctx.Op("Div", {pair_sums, ctx.ConstScalar(2, dt)}), widths});
  if (cumulative) return ctx.SetOutput(0, ctx.Op("CumSum", {areas, ctx.ConstInt64(dim)}));
  ctx.SetOutput(0, Reduce(ctx, "ReduceSum", areas, {dim}, false));
}

// The covariance of the rows of x ([variables, observations]; a 1-D x is one variable).
// Mirrors torch.cov: weights w = fweights * aweights, the normalisation
// sum(w) - correction * sum(w * aweights) / sum(w) (sum(w) - correction unweighted), at least 0.
std::string Covariance(TranslationContext& ctx, std::string x, DType dt, double correction,
                       const std::optional<std::string>& fweights, const std::optional<std::string>& aweights) {
  std::optional<std::string> w;
  if (fweights) w = *fweights;
  if (aweights) w = w ? ctx.Op("Mul", {*w, *aweights}) : *aweights;
  std::string w_sum = w ? Reduce(ctx, "ReduceSum", *w, {}, false) : ctx.Cast(DimOf(ctx, x, 1), DType::kInt64, dt);
  std::string weighted = w ? ctx.Op("Mul", {x, *w}) : x;
  std::string mean = ctx.Op("Div", {Reduce(ctx, "ReduceSum", weighted, {1}, true), w_sum});
  std::string norm;
  std::string c = ctx.ConstScalar(correction, dt);
  if (w && correction != 0 && aweights) {
    std::string adjust = ctx.Op("Div", {Reduce(ctx, "ReduceSum", ctx.Op("Mul", {*w, *aweights}), {}, false), w_sum});
    norm = ctx.Op("Sub", {w_sum, ctx.Op("Mul", {c, adjust})});
  } else {
    norm = ctx.Op("Sub", {w_sum, c});
  }
  norm = ctx.Op("Max", {norm, ctx.ConstScalar(0, dt)});
  std::string centered = ctx.Op("Sub", {x, mean});
  std::string centered_weighted = w ? ctx.Op("Mul", {centered, *w}) : centered;
  std::string products = ctx.Op("MatMul", {centered, ctx.Op("Transpose", {centered_weighted}, {{"perm", std::vector<int64_t>{1, 0}}})});
  return ctx.Op("Div", {products, norm});
}

// aten::cov(Tensor self, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None)
void TranslateCov(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  bool vector = ctx.Rank(0) < 2;
  std::string x = ctx.OperandAs(0, dt);
  if (vector) x = Reshape(ctx, x, {1, -1});
  std::optional<std::string> fweights, aweights;
  if (!ctx.IsNone(2)) fweights = ctx.OperandAs(2, dt);
  if (!ctx.IsNone(3)) aweights = ctx.OperandAs(3, dt);
  std::string cov = Covariance(ctx, x, dt, ctx.ConstDouble(1, "correction"), fweights, aweights);
  ctx.SetOutput(0, vector || ctx.node().outputs[0]->meta.rank() == 0 ? Reshape(ctx, cov, {}) : cov);
}

// aten::corrcoef(Tensor self): the covariance scaled by the rows' standard deviations,
// clipped to [-1, 1] as torch.corrcoef does.
void TranslateCorrcoef(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  bool vector = ctx.Rank(0) < 2;
  std::string x = ctx.OperandAs(0, dt);
  if (vector) x = Reshape(ctx, x, {1, -1});
  std::string cov = Covariance(ctx, x, dt, 1.0, std::nullopt, std::nullopt);
  std::string n = DimOf(ctx, cov, 0);
  std::string eye = ctx.Op("Equal", {Unsqueeze(ctx, Arange(ctx, n), {0}), Unsqueeze(ctx, Arange(ctx, n), {1})});
  std::string variances = Reduce(ctx, "ReduceSum", ctx.Op("Mul", {cov, ctx.Cast(eye, DType::kBool, dt)}), {1}, false);
  std::string stddev = ctx.Op("Sqrt", {variances});
  std::string scaled = ctx.Op("Div", {ctx.Op("Div", {cov, Unsqueeze(ctx, stddev, {1})}), Unsqueeze(ctx, stddev, {0})});
  scaled = ctx.Op("Min", {ctx.Op("Max", {scaled, ctx.ConstScalar(-1, dt)}), ctx.ConstScalar(1, dt)});
  ctx.SetOutput(0, vector || ctx.node().outputs[0]->meta.rank() == 0 ? Reshape(ctx, scaled, {}) : scaled);
}

}  // namespace

void RegisterStatistics(Registry& r) {
  r.SetFamily("statistics");
  r.Add("aten::kthvalue", TranslateKthValue);
  r.Add("aten::median", [](TranslationContext& c) { TranslateMedian(c, false); });
  r.Add("aten::nanmedian", [](TranslationContext& c) { TranslateMedian(c, true); });
  r.Add("aten::mode", TranslateMode);
  r.Add("aten::quantile", [](TranslationContext& c) { TranslateQuantile(c, false); });
  r.Add("aten::nanquantile", [](TranslationContext& c) { TranslateQuantile(c, true); });
  r.Add("aten::histc", TranslateHistc);
  r.Add("aten::bincount", TranslateBincount);
  r.Add("aten::logcumsumexp", TranslateLogCumSumExp);
  r.Add("aten::trapezoid", [](TranslationContext& c) { TranslateTrapezoid(c, false); });
  r.Add("aten::cumulative_trapezoid", [](TranslationContext& c) { TranslateTrapezoid(c, true); });
  r.Add("aten::cov", TranslateCov);
  r.Add("aten::corrcoef", TranslateCorrcoef);
}

}  // namespace t2o
