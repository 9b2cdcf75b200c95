// aten::fractional_max_pool2d / fractional_max_pool3d (Graham's fractional max-pooling)
// with the samples PyTorch draws passed in (`_random_samples`; where the graph draws them
// with aten::rand, they come from ONNX's RandomUniform and differ from PyTorch's).
//
// Each plane (n, c) has one sample u per pooled dim, in the order W, H (2d) or T, H, W
// (3d). Window starts along a dim of input size I, output size O and pool size P are
// trunc((i + u) alpha) - trunc(u alpha) for i < O - 1, with alpha = (I - P) / (O - 1),
// and I - P for the last; PyTorch computes them in the input dtype, rounding after each
// operation, which the translation repeats. The window's maximum is the first largest
// element in row-major order, or its last NaN; the index is flat over the plane.
#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

// An operation's result rounded to `dt` where the arithmetic runs wider (float16 and
// bfloat16 are computed in float32 and rounded after each operation, as c10::Half does).
struct RoundedArithmetic {
  TranslationContext& ctx;
  DType dt, wide;
  std::string Rounded(const std::string& x) const { return wide == dt ? x : ctx.Cast(ctx.Cast(x, wide, dt), dt, wide); }
  std::string Op(const std::string& type, const std::vector<std::string>& in) const { return Rounded(ctx.Op(type, in)); }
  std::string c(double v) const { return Rounded(ctx.ConstScalar(v, wide)); }
};

// The window starts [N, C, O] of one pooled dim from its samples u [N, C, 1] (wide dtype).
std::string WindowStarts(const RoundedArithmetic& a, const std::string& u, int64_t in, int64_t out, int64_t pool) {
  TranslationContext& ctx = a.ctx;
  std::string last = ctx.Op("Expand", {ctx.ConstInt64s({in - pool}), ShapeOf(ctx, u)});
  if (out == 1) return last;
  std::string alpha = a.Op("Div", {a.c(static_cast<double>(in - pool)), a.c(static_cast<double>(out - 1))});
  std::vector<double> steps;
  for (int64_t i = 0; i < out - 1; ++i) steps.push_back(static_cast<double>(i));
  std::string i = a.Rounded(ctx.Cast(ctx.Constant(TensorData::FromVector<double>(DType::kFloat64, {out - 1}, steps)),
                                     DType::kFloat64, a.wide));
  auto truncated = [&](const std::string& x) { return ctx.Cast(x, a.wide, DType::kInt64); };
  std::string starts = ctx.Op("Sub", {truncated(a.Op("Mul", {a.Op("Add", {i, u}), alpha})), truncated(a.Op("Mul", {u, alpha}))});
  return ctx.Op("Concat", {starts, last}, {{"axis", int64_t{-1}}});
}

// The pooling geometry: per pooled dim the input, output and pool sizes.
struct PoolSizes {
  std::vector<int64_t> in, out, pool;
  int64_t dims() const { return static_cast<int64_t>(in.size()); }
};

// The flat plane positions of every window element, window elements last:
// [N, C, O_0, ..., O_{d-1}, P_0 ... P_{d-1}], from the samples [N, C, dims] (wide dtype).
std::string WindowPositions(const RoundedArithmetic& a, const std::string& samples, const PoolSizes& s) {
  TranslationContext& ctx = a.ctx;
  const int64_t dims = s.dims();
  auto sample_of = [&](int64_t d) { return dims == 2 ? 1 - d : d; };  // 2d samples are (W, H)
  // Built from the last dim: [N, C, O_0, P_0, O_1, P_1, ...].
  std::string flat;
  int64_t stride = 1;
  for (int64_t d = dims - 1; d >= 0; --d) {
    std::string u = ctx.Op("Slice", {samples, ctx.ConstInt64s({sample_of(d)}), ctx.ConstInt64s({sample_of(d) + 1}),
                                     ctx.ConstInt64s({-1})});
    std::string starts = WindowStarts(a, u, s.in[d], s.out[d], s.pool[d]);  // [N, C, O_d]
    std::string positions = ctx.Op("Add", {Unsqueeze(ctx, starts, {-1}), Arange(ctx, ctx.ConstInt64(s.pool[d]))});
    positions = ctx.Op("Mul", {positions, ctx.ConstInt64(stride)});
    if (!flat.empty()) {  // the later dims' (O, P) pairs follow this one's
      std::vector<int64_t> after;
      for (int64_t k = 0; k < 2 * (dims - 1 - d); ++k) after.push_back(4 + k);
      positions = ctx.Op("Add", {Unsqueeze(ctx, positions, after), Unsqueeze(ctx, flat, {2, 3})});
    }
    flat = positions;
    stride *= s.in[d];
  }
  std::vector<int64_t> perm{0, 1};
  for (int64_t d = 0; d < dims; ++d) perm.push_back(2 + 2 * d);
  for (int64_t d = 0; d < dims; ++d) perm.push_back(3 + 2 * d);
  int64_t window = 1;
  for (int64_t p : s.pool) window *= p;
  std::vector<int64_t> shape{0, 0};
  for (int64_t o : s.out) shape.push_back(o);
  shape.push_back(window);
  return Reshape(ctx, ctx.Op("Transpose", {flat}, {{"perm", perm}}), shape);
}

// Where in each window [..., P] the kernel's maximum is: the first largest element, or the
// last NaN (`val > max || isnan(val)`), as [..., 1]; compared in the wide dtype, exactly.
std::string PickedElement(const RoundedArithmetic& a, const std::string& values) {
  TranslationContext& ctx = a.ctx;
  std::string wide = ctx.Cast(values, a.dt, a.wide);
  std::string nan = ctx.Op("IsNaN", {wide});
  std::string ordered = ctx.Op("Where", {nan, ctx.ConstScalar(-std::numeric_limits<double>::infinity(), a.wide), wide});
  std::string first_max = ctx.Op("ArgMax", {ordered}, {{"axis", int64_t{-1}}, {"keepdims", int64_t{1}}, {"select_last_index", int64_t{0}}});
  std::string nan_flags = ctx.Cast(nan, DType::kBool, DType::kInt32);
  std::string last_nan = ctx.Op("ArgMax", {nan_flags}, {{"axis", int64_t{-1}}, {"keepdims", int64_t{1}}, {"select_last_index", int64_t{1}}});
  std::string any_nan = ctx.Cast(Reduce(ctx, "ReduceMax", nan_flags, {-1}, true), DType::kInt32, DType::kBool);
  return ctx.Op("Where", {any_nan, last_nan, first_max});
}

// aten::fractional_max_pool{2,3}d(Tensor self, int[] kernel_size, int[] output_size,
// Tensor random_samples) -> (Tensor output, Tensor indices).
void TranslateFractionalMaxPool(TranslationContext& ctx, int64_t dims) {
  DType dt = ctx.OutDType(0);
  if (!IsFloating(dt)) throw UnsupportedError(ctx.node().Key() + " takes floating-point input, got " + std::string(DTypeName(dt)));
  int64_t rank = ctx.Rank(0);
  if (rank != dims + 1 && rank != dims + 2)
    throw UnsupportedError("input must have rank " + std::to_string(dims + 1) + " or " + std::to_string(dims + 2));
  bool unbatched = rank == dims + 1;
  PoolSizes s{StaticTrailingDims(ctx, 0, dims), ctx.ConstInts(2, "output_size"), ctx.ConstInts(1, "kernel_size")};
  if (s.pool.size() == 1) s.pool.assign(dims, s.pool[0]);
  if (s.out.size() == 1) s.out.assign(dims, s.out[0]);
  if (static_cast<int64_t>(s.pool.size()) != dims || static_cast<int64_t>(s.out.size()) != dims)
    throw UnsupportedError("kernel_size and output_size need " + std::to_string(dims) + " values");
  for (int64_t d = 0; d < dims; ++d)
    if (s.out[d] < 1 || s.pool[d] < 1 || s.out[d] + s.pool[d] - 1 > s.in[d])
      throw UnsupportedError("pool size " + std::to_string(s.pool[d]) + " and output size " + std::to_string(s.out[d]) +
                             " do not fit input size " + std::to_string(s.in[d]));

  RoundedArithmetic a{ctx, dt, dt == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32};
  std::string x = ctx.Input(0);
  if (unbatched) x = Unsqueeze(ctx, x, {0});
  std::string samples = ctx.Cast(ctx.Input(3), ctx.InDType(3), a.wide);  // [N, C, dims]
  if (ctx.Rank(3) == 2) samples = Unsqueeze(ctx, samples, {0});

  std::string positions = WindowPositions(a, samples, s);
  std::string values = ctx.Op("GatherElements", {Reshape(ctx, x, {0, 0, -1}), Reshape(ctx, positions, {0, 0, -1})},
                              {{"axis", int64_t{2}}});
  values = ctx.Op("Reshape", {values, ShapeOf(ctx, positions)});
  std::string picked = PickedElement(a, values);
  std::string output = Squeeze(ctx, ctx.Op("GatherElements", {values, picked}, {{"axis", int64_t{-1}}}), {-1});
  std::string indices = Squeeze(ctx, ctx.Op("GatherElements", {positions, picked}, {{"axis", int64_t{-1}}}), {-1});
  if (unbatched) output = Squeeze(ctx, output, {0}), indices = Squeeze(ctx, indices, {0});
  ctx.SetOutput(0, output);
  if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, indices);
}

}  // namespace

void RegisterFractionalPool(Registry& r) {
  r.SetFamily("conv_pool");
  r.Add("aten::fractional_max_pool2d", [](TranslationContext& c) { TranslateFractionalMaxPool(c, 2); });
  r.Add("aten::fractional_max_pool3d", [](TranslationContext& c) { TranslateFractionalMaxPool(c, 3); });
}

}  // namespace t2o
