// Reductions: sum, mean, max/min, argmax, var/std, logsumexp, cumsum, diff; count_nonzero,
// nansum, nanmean, aminmax; bucketize / searchsorted (counts of boundaries below).
#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

std::vector<int64_t> Dims(TranslationContext& ctx, size_t i, int64_t rank) {
  std::vector<int64_t> dims;
  if (ctx.IsNone(i)) return dims;
  for (int64_t d : ctx.ConstInts(i, "dim")) dims.push_back(NormalizeAxis(d, rank));
  return dims;
}

// aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
// aten::mean.dim(...same...), aten::sum(Tensor self, *, ScalarType? dtype=None)
void TranslateReduce(TranslationContext& ctx, const std::string& op) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  std::string x = ctx.OperandAs(0, dt == DType::kBool ? ctx.InDType(0) : dt);
  bool has_dims = ctx.NumInputs() >= 3 && ctx.InputValue(1).kind != ir::ValueKind::kNone &&
                  (ctx.InputValue(1).kind == ir::ValueKind::kIntList || ctx.InputValue(1).kind == ir::ValueKind::kInt);
  std::vector<int64_t> dims = has_dims ? Dims(ctx, 1, rank) : std::vector<int64_t>{};
  bool keepdim = has_dims && ctx.ConstBool(2, "keepdim");
  if (rank == 0) return ctx.SetOutput(0, ctx.Op("Identity", {x}));
  if (ctx.InDType(0) == DType::kBool && op == "ReduceSum") x = ctx.Cast(x, DType::kBool, DType::kInt64);
  ctx.SetOutput(0, ctx.Cast(Reduce(ctx, op, x, dims, keepdim), ctx.InDType(0) == DType::kBool && op == "ReduceSum" ? DType::kInt64 : dt, dt));
}

// aten::amax(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor
void TranslateAmax(TranslationContext& ctx, const std::string& op) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> dims = Dims(ctx, 1, rank);
  bool keepdim = ctx.ConstBool(2, "keepdim");
  ctx.SetOutput(0, Reduce(ctx, op, ctx.Input(0), dims, keepdim));
}

// aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
// aten::max(Tensor self) -> Tensor; aten::max.other(Tensor self, Tensor other) -> Tensor
void TranslateMaxMin(TranslationContext& ctx, bool is_max) {
  if (ctx.NumInputs() == 2 && ctx.InputValue(1).IsTensor()) {
    DType dt = ctx.OutDType();
    return ctx.SetOutput(0, ctx.Op(is_max ? "Max" : "Min", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)}));
  }
  std::string x = ctx.Input(0);
  if (ctx.NumInputs() == 1) return ctx.SetOutput(0, Reduce(ctx, is_max ? "ReduceMax" : "ReduceMin", x, {}, false));
  int64_t rank = ctx.Rank(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  bool keepdim = ctx.ConstBool(2, "keepdim");
  ctx.SetOutput(0, Reduce(ctx, is_max ? "ReduceMax" : "ReduceMin", x, {dim}, keepdim));
  // PyTorch returns the first index of the extreme value, as select_last_index=0 does.
  ctx.SetOutput(1, ctx.Op(is_max ? "ArgMax" : "ArgMin", {x}, {{"axis", dim}, {"keepdims", int64_t{keepdim}}}));
}

// aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor
void TranslateArgMax(TranslationContext& ctx, const std::string& op) {
  std::string x = ctx.Input(0);
  bool keepdim = ctx.ConstBool(2, "keepdim");
  if (ctx.IsNone(1)) {
    x = Reshape(ctx, x, {-1});
    std::string y = ctx.Op(op, {x}, {{"axis", int64_t{0}}, {"keepdims", int64_t{0}}});
    if (keepdim) y = Reshape(ctx, y, std::vector<int64_t>(ctx.Rank(0), 1));
    return ctx.SetOutput(0, y);
  }
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ctx.Op(op, {x}, {{"axis", dim}, {"keepdims", int64_t{keepdim}}}));
}

// aten::var.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False)
// aten::var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False)
void TranslateVar(TranslationContext& ctx, bool is_std) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  std::string x = ctx.OperandAs(0, dt);
  std::vector<int64_t> dims;
  double correction = 1.0;
  bool keepdim = false;
  const std::string& overload = ctx.node().overload;
  if (overload == "correction") {
    dims = Dims(ctx, 1, rank);
    if (!ctx.IsNone(2)) correction = ctx.ConstDouble(2, "correction");
    keepdim = ctx.ConstBool(3, "keepdim");
  } else if (ctx.NumInputs() == 2) {  // var(self, unbiased)
    correction = ctx.ConstBool(1, "unbiased") ? 1.0 : 0.0;
  } else {
    dims = Dims(ctx, 1, rank);
    correction = ctx.ConstBool(2, "unbiased") ? 1.0 : 0.0;
    keepdim = ctx.ConstBool(3, "keepdim");
  }
  if (dims.empty())
    for (int64_t k = 0; k < rank; ++k) dims.push_back(k);
  std::vector<int64_t> shape = StaticShape(ctx, 0);
  int64_t n = 1;
  for (int64_t d : dims) n *= shape[d];
  std::string mean = Reduce(ctx, "ReduceMean", x, dims, true);
  std::string centered = ctx.Op("Sub", {x, mean});
  std::string sum_sq = Reduce(ctx, "ReduceSum", ctx.Op("Mul", {centered, centered}), dims, keepdim);
  std::string var = ctx.Op("Div", {sum_sq, ctx.ConstScalar(std::max(0.0, n - correction), dt)});
  ctx.SetOutput(0, is_std ? ctx.Op("Sqrt", {var}) : var);
  // var_mean / std_mean also return the mean.
  if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, keepdim ? mean : Squeeze(ctx, mean, dims));
}

// aten::cummax / cummin(Tensor self, int dim) -> (Tensor values, Tensor indices)
// ONNX has no running max: every position i compares the elements j <= i of its row
// ([n, n] lower triangle, so for dims of at most a few thousand elements). The index is
// the last position holding the running extreme, as PyTorch reports it.
void TranslateCumExtreme(TranslationContext& ctx, bool is_max) {
  DType dt = ctx.OutDType(0);
  int64_t rank = ctx.Rank(0);
  if (rank == 0) {
    ctx.SetOutput(0, ctx.Op("Identity", {ctx.OperandAs(0, dt)}));
    return ctx.SetOutput(1, ctx.Op("Expand", {ctx.ConstInt64(0), ctx.ConstInt64s({})}));
  }
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), rank);
  auto n = ctx.Meta(0).StaticDim(dim);
  constexpr int64_t kMaxLength = 4096;
  if (!n || *n > kMaxLength)
    throw UnsupportedError(ctx.node().Key() + " needs a static dim of at most " + std::to_string(kMaxLength) + " elements");
  std::string x = ctx.OperandAs(0, dt);
  // Move `dim` last: [..., n] -> candidates [..., n(i), n(j)].
  std::vector<int64_t> perm;
  for (int64_t k = 0; k < rank; ++k)
    if (k != dim) perm.push_back(k);
  perm.push_back(dim);
  std::vector<int64_t> back(static_cast<size_t>(rank));
  for (int64_t k = 0; k < rank; ++k) back[static_cast<size_t>(perm[static_cast<size_t>(k)])] = k;
  std::string moved = ctx.Op("Transpose", {x}, {{"perm", perm}});
  std::vector<uint8_t> lower(static_cast<size_t>(*n * *n), 0);
  for (int64_t i = 0; i < *n; ++i)
    for (int64_t j = 0; j <= i; ++j) lower[static_cast<size_t>(i * *n + j)] = 1;
  std::string seen = ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {*n, *n}, lower));
  std::string rows = ctx.Op("Expand", {Unsqueeze(ctx, moved, {-2}), ctx.ConstInt64s({*n, *n})});
  // Positions j > i hold x[i] itself, which is among the candidates anyway.
  std::string candidates = ctx.Op("Where", {seen, rows, Unsqueeze(ctx, moved, {-1})});
  std::string values = Reduce(ctx, is_max ? "ReduceMax" : "ReduceMin", candidates, {-1}, false);
  std::vector<int64_t> positions(static_cast<size_t>(*n));
  for (int64_t j = 0; j < *n; ++j) positions[static_cast<size_t>(j)] = j;
  std::string hit = ctx.Op("And", {seen, ctx.Op("Equal", {rows, Unsqueeze(ctx, values, {-1})})});
  std::string index = Reduce(ctx, "ReduceMax", ctx.Op("Where", {hit, ctx.ConstInt64s(positions), ctx.ConstInt64(-1)}), {-1}, false);
  ctx.SetOutput(0, ctx.Op("Transpose", {values}, {{"perm", back}}));
  ctx.SetOutput(1, ctx.Op("Transpose", {index}, {{"perm", back}}));
}

// aten::logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor
void TranslateLogSumExp(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  ctx.SetOutput(0, Reduce(ctx, "ReduceLogSumExp", ctx.OperandAs(0, ctx.OutDType()), Dims(ctx, 1, rank),
                          ctx.ConstBool(2, "keepdim")));
}

// aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor
void TranslateCumsum(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ctx.Op("CumSum", {ctx.OperandAs(0, ctx.OutDType()), ctx.ConstInt64(dim)}));
}

// aten::diff(Tensor self, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None):
// n times the difference of neighbours along dim (xor for bool), after concatenating
// prepend and append.
void TranslateDiff(TranslationContext& ctx) {
  int64_t n = ctx.ConstInt(1, "n");
  int64_t rank = ctx.Rank(0);
  if (rank == 0) throw UnsupportedError("aten::diff: needs a tensor of at least one dim");
  int64_t dim = NormalizeAxis(ctx.ConstInt(2, "dim"), rank);
  DType dt = ctx.OutDType();
  std::vector<std::string> parts;
  if (auto before = ctx.OptionalInput(3)) parts.push_back(ctx.OperandAs(3, dt));
  parts.push_back(ctx.OperandAs(0, dt));
  if (auto after = ctx.OptionalInput(4)) parts.push_back(ctx.OperandAs(4, dt));
  std::string x = parts.size() == 1 ? parts[0] : ctx.Op("Concat", parts, {{"axis", dim}});
  constexpr int64_t kEnd = std::numeric_limits<int64_t>::max();
  for (int64_t k = 0; k < n; ++k) {
    std::string next = ctx.Op("Slice", {x, ctx.ConstInt64s({1}), ctx.ConstInt64s({kEnd}), ctx.ConstInt64s({dim})});
    std::string prev = ctx.Op("Slice", {x, ctx.ConstInt64s({0}), ctx.ConstInt64s({-1}), ctx.ConstInt64s({dim})});
    x = ctx.Op(dt == DType::kBool ? "Xor" : "Sub", {next, prev});
  }
  ctx.SetOutput(0, n == 0 ? ctx.Op("Identity", {x}) : x);
}

// aten::cumprod(Tensor self, int dim, *, ScalarType? dtype=None): ONNX has no CumProd, so
// a static-length dim becomes a chain of exact multiplications.
void TranslateCumprod(TranslationContext& ctx) {
  constexpr int64_t kMaxLength = 1024;
  DType dt = ctx.OutDType();
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  auto length = ctx.Meta(0).StaticDim(dim);
  if (!length || *length > kMaxLength)
    throw UnsupportedError("cumprod needs a static dim of at most " + std::to_string(kMaxLength) + " elements");
  std::string x = ctx.OperandAs(0, dt);
  if (*length <= 1) return ctx.SetOutput(0, ctx.Op("Identity", {x}));
  auto items = ctx.OpMulti("Split", {x, ctx.ConstInt64s(std::vector<int64_t>(*length, 1))}, *length, {{"axis", dim}});
  std::vector<std::string> running{items[0]};
  for (int64_t k = 1; k < *length; ++k) running.push_back(ctx.Op("Mul", {running.back(), items[k]}));
  ctx.SetOutput(0, ctx.Op("Concat", running, {{"axis", dim}}));
}

// aten::all(Tensor self) / all.dim(Tensor self, int dim, bool keepdim=False); any likewise.
void TranslateAllAny(TranslationContext& ctx, bool is_all) {
  std::string x = ctx.Cast(ctx.Cast(ctx.Input(0), ctx.InDType(0), DType::kBool), DType::kBool, DType::kInt64);
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> dims;
  bool keepdim = false;
  if (ctx.NumInputs() > 1) {
    dims = Dims(ctx, 1, rank);
    keepdim = ctx.ConstBool(2, "keepdim");
  }
  std::string nonzero = ctx.Cast(ctx.Op("Not", {ctx.Op("Equal", {x, ctx.ConstScalar(0, DType::kInt64)})}), DType::kBool, DType::kInt64);
  std::string r = Reduce(ctx, is_all ? "ReduceMin" : "ReduceMax", nonzero, dims, keepdim);
  ctx.SetOutput(0, ctx.Cast(r, DType::kInt64, ctx.OutDType()));
}

}  // namespace

// aten::count_nonzero(Tensor self, int? dim=None) / count_nonzero.dim_IntList(self, int[] dim).
void TranslateCountNonzero(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  std::string nonzero = ctx.Cast(ctx.Op("Not", {ctx.Op("Equal", {ctx.Input(0), ctx.ConstScalar(0, ctx.InDType(0))})}),
                                 DType::kBool, DType::kInt64);
  std::vector<int64_t> dims = ctx.NumInputs() > 1 ? Dims(ctx, 1, rank) : std::vector<int64_t>{};
  if (rank == 0) return ctx.SetOutput(0, nonzero);
  ctx.SetOutput(0, Reduce(ctx, "ReduceSum", nonzero, dims, false));
}

// aten::nansum / nanmean(Tensor self, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None):
// nan counts as 0 (nanmean: the mean of the other elements).
void TranslateNanReduce(TranslationContext& ctx, bool mean) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  std::string x = ctx.OperandAs(0, dt);
  std::vector<int64_t> dims = Dims(ctx, 1, rank);
  bool keepdim = ctx.ConstBool(2, "keepdim");
  if (!IsFloating(dt)) return ctx.SetOutput(0, rank == 0 ? x : Reduce(ctx, mean ? "ReduceMean" : "ReduceSum", x, dims, keepdim));
  std::string nan = ctx.Op("IsNaN", {x});
  std::string zeroed = ctx.Op("Where", {nan, ctx.ConstScalar(0, dt), x});
  if (rank == 0) return ctx.SetOutput(0, mean ? ctx.Op("Div", {zeroed, ctx.Cast(ctx.Op("Not", {nan}), DType::kBool, dt)}) : zeroed);
  std::string sum = Reduce(ctx, "ReduceSum", zeroed, dims, keepdim);
  if (!mean) return ctx.SetOutput(0, sum);
  std::string count = Reduce(ctx, "ReduceSum", ctx.Cast(ctx.Op("Not", {nan}), DType::kBool, dt), dims, keepdim);
  ctx.SetOutput(0, ctx.Op("Div", {sum, count}));
}

// aten::aminmax(Tensor self, *, int? dim=None, bool keepdim=False) -> (min, max).
void TranslateAminmax(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  std::string x = ctx.Input(0);
  std::vector<int64_t> dims;
  if (!ctx.IsNone(1)) dims = {NormalizeAxis(ctx.ConstInt(1, "dim"), rank)};
  bool keepdim = ctx.ConstBool(2, "keepdim");
  if (rank == 0) {
    ctx.SetOutput(0, ctx.Op("Identity", {x}));
    return ctx.SetOutput(1, ctx.Op("Identity", {x}));
  }
  ctx.SetOutput(0, Reduce(ctx, "ReduceMin", x, dims, keepdim));
  ctx.SetOutput(1, Reduce(ctx, "ReduceMax", x, dims, keepdim));
}

// aten::bucketize.Tensor(Tensor self, Tensor boundaries, *, bool out_int32=False, bool right=False)
// aten::searchsorted.Tensor(Tensor sorted_sequence, Tensor self, *, bool out_int32=False,
//     bool right=False, str? side=None, Tensor? sorter=None)
// The insertion index of each value: how many boundaries are below it (right: at or below),
// from a comparison of every value with its row of the sorted sequence.
void TranslateSearchSorted(TranslationContext& ctx, bool bucketize) {
  size_t seq = bucketize ? 1 : 0, values = bucketize ? 0 : 1;
  bool right = ctx.ConstBool(3, "right");  // the same position in both schemas
  if (!bucketize) {
    if (!ctx.IsNone(4)) right = ctx.ConstString(4, "side") == "right";
    if (!ctx.IsNone(5)) throw UnsupportedError("searchsorted with a sorter is not supported: sort the sequence first");
  }
  DType dt = ctx.InDType(values);
  if (IsFloating(ctx.InDType(seq)) && !IsFloating(dt)) dt = ctx.InDType(seq);
  std::string v = ctx.OperandAs(values, dt), boundaries = ctx.OperandAs(seq, dt);
  std::string rows = Unsqueeze(ctx, boundaries, {-2});  // [..., 1, M]
  std::string below = ctx.Op(right ? "LessOrEqual" : "Less", {rows, Unsqueeze(ctx, v, {-1})});  // [..., K, M]
  std::string count = Reduce(ctx, "ReduceSum", ctx.Cast(below, DType::kBool, DType::kInt64), {-1}, false);
  if (ctx.Rank(values) == 0) count = Reshape(ctx, count, {});
  ctx.SetOutput(0, ctx.Cast(count, DType::kInt64, ctx.OutDType()));
}

void RegisterReduction(Registry& r) {
  r.SetFamily("reduction");
  // aten::sum_to_size(Tensor self, SymInt[] size): summed down to `size`, the broadcast
  // target: leading extra dims summed away, dims of size 1 in `size` summed with keepdim.
  r.Add("aten::sum_to_size", [](TranslationContext& c) {
    std::vector<int64_t> size = c.ConstInts(1, "size"), shape = StaticShape(c, 0);
    if (size.size() > shape.size()) throw UnsupportedError("aten::sum_to_size: size has more dims than the tensor");
    const size_t lead = shape.size() - size.size();
    std::vector<int64_t> dims;
    for (size_t d = 0; d < shape.size(); ++d)
      if (d < lead || (size[d - lead] == 1 && shape[d] != 1)) dims.push_back(static_cast<int64_t>(d));
    DType dt = c.OutDType();
    std::string x = c.OperandAs(0, dt);
    if (dims.empty()) return c.SetOutput(0, c.Op("Identity", {x}));
    c.SetOutput(0, c.Op("Reshape", {Reduce(c, "ReduceSum", x, dims, true), c.ConstInt64s(size)}));
  });
  r.Add("aten::count_nonzero", TranslateCountNonzero);
  r.Add("aten::nansum", [](TranslationContext& c) { TranslateNanReduce(c, false); });
  r.Add("aten::nanmean", [](TranslationContext& c) { TranslateNanReduce(c, true); });
  r.Add("aten::aminmax", TranslateAminmax);
  r.Add("aten::bucketize.Tensor", [](TranslationContext& c) { TranslateSearchSorted(c, true); });
  r.Add("aten::searchsorted.Tensor", [](TranslationContext& c) { TranslateSearchSorted(c, false); });
  r.Add("aten::sum", [](TranslationContext& c) { TranslateReduce(c, "ReduceSum"); });
  r.Add("aten::mean", [](TranslationContext& c) { TranslateReduce(c, "ReduceMean"); });
  r.Add("aten::prod", [](TranslationContext& c) { TranslateReduce(c, "ReduceProd"); });
  r.Add("aten::amax", [](TranslationContext& c) { TranslateAmax(c, "ReduceMax"); });
  r.Add("aten::amin", [](TranslationContext& c) { TranslateAmax(c, "ReduceMin"); });
  r.Add("aten::max", [](TranslationContext& c) { TranslateMaxMin(c, true); });
  r.Add("aten::min", [](TranslationContext& c) { TranslateMaxMin(c, false); });
  r.Add("aten::argmax", [](TranslationContext& c) { TranslateArgMax(c, "ArgMax"); });
  r.Add("aten::argmin", [](TranslationContext& c) { TranslateArgMax(c, "ArgMin"); });
  r.Add("aten::var", [](TranslationContext& c) { TranslateVar(c, false); });
  r.Add("aten::std", [](TranslationContext& c) { TranslateVar(c, true); });
  r.Add("aten::var_mean", [](TranslationContext& c) { TranslateVar(c, false); });
  r.Add("aten::std_mean", [](TranslationContext& c) { TranslateVar(c, true); });
  r.Add("aten::cummax", [](TranslationContext& c) { TranslateCumExtreme(c, true); });
  r.Add("aten::cummin", [](TranslationContext& c) { TranslateCumExtreme(c, false); });
  r.Add("aten::logsumexp", TranslateLogSumExp);
  r.Add("aten::cumsum", TranslateCumsum);
  r.Add("aten::diff", TranslateDiff);
  r.Add("aten::cumprod", TranslateCumprod);
  r.Add("aten::all", [](TranslationContext& c) { TranslateAllAny(c, true); });
  r.Add("aten::any", [](TranslationContext& c) { TranslateAllAny(c, false); });
}

}  // namespace t2o
