// Random ops: rand*, randn*, randint*, randperm, bernoulli, normal, uniform, exponential,
// multinomial, and dropout in training mode.
//
// They become ONNX's random generators (RandomUniformLike, RandomNormalLike, Multinomial),
// drawing from the same distributions as PyTorch but never the same values: --verify
// checks outputs that depend on them for shape, dtype and value range only (and says so).
// A `generator` argument (a seeded torch.Generator) cannot be carried over either. ONNX
// Runtime 1.30 has no kernels for the random ops of opset 22 (which added bfloat16), so
// these forms end at opset 21.
#include <cmath>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

constexpr OpsetRange kRandomOpsets{13, 21};

std::string NeedsOpset21(const std::string& what) {
  return what + " at opset 22 or later needs ONNX's random ops of opset 22, which ONNX Runtime 1.30 cannot run: "
                "convert with --opset 21 or lower";
}

// For the dropouts, whose inference form works at every opset.
void RequireRandomOpset(const TranslationContext& ctx) {
  if (!kRandomOpsets.Contains(ctx.opset())) throw UnsupportedError(NeedsOpset21(ctx.node().Key() + " in training mode"));
}

// ONNX's generators draw float16, float32 or float64, but ONNX Runtime's kernels only the
// last two: other dtypes are drawn as float32.
DType DrawnDType(DType dt) { return dt == DType::kFloat64 ? dt : DType::kFloat32; }

// Samples of `generator` ("RandomUniformLike" in [0, 1), "RandomNormalLike" N(0, 1)) shaped
// like the tensor `like`, as `dt`.
std::string DrawLike(TranslationContext& ctx, const std::string& generator, const std::string& like, DType dt) {
  DType drawn = DrawnDType(dt);
  std::string samples = ctx.Op(generator, {like}, {{"dtype", int64_t{DTypeToOnnx(drawn)}}});
  return ctx.Cast(samples, drawn, dt);
}

// The same for a shape given as a 1-D int64 tensor.
std::string DrawOfShape(TranslationContext& ctx, const std::string& generator, const std::string& shape, DType dt) {
  return DrawLike(ctx, generator, ctx.Op("ConstantOfShape", {shape}), dt);
}

// aten::rand(SymInt[] size, *, ScalarType? dtype=None, ...) and rand.generator;
// aten::randn the same from N(0, 1).
void TranslateRandOfSize(TranslationContext& ctx, const char* generator) {
  ctx.SetOutput(0, DrawOfShape(ctx, generator, ctx.IntListInput(0), ctx.OutDType()));
}

// aten::rand_like(Tensor self, *, ScalarType? dtype=None, ...), randn_like.
void TranslateRandLike(TranslationContext& ctx, const char* generator) {
  ctx.SetOutput(0, DrawLike(ctx, generator, ctx.Input(0), ctx.OutDType()));
}

// low + floor(U * (high - low)) for U uniform in [0, 1), computed in float64 so that every
// integer of the range stays reachable, then cast to the output dtype.
std::string IntegersIn(TranslationContext& ctx, const std::string& uniform64, const std::string& low,
                       const std::string& high) {
  std::string span = ctx.Op("Sub", {high, low});
  return ctx.Cast(ctx.Op("Add", {low, ctx.Op("Floor", {ctx.Op("Mul", {uniform64, span})})}), DType::kFloat64,
                  ctx.OutDType());
}

// aten::randint(SymInt high, SymInt[] size, ...), randint.generator,
// randint.low(SymInt low, SymInt high, SymInt[] size, ...), randint.low_generator.
void TranslateRandint(TranslationContext& ctx) {
  bool has_low = ctx.node().overload.rfind("low", 0) == 0;
  std::string low = has_low ? ctx.ScalarInput(0, DType::kFloat64) : ctx.ConstScalar(0, DType::kFloat64);
  std::string high = ctx.ScalarInput(has_low ? 1 : 0, DType::kFloat64);
  std::string uniform = DrawOfShape(ctx, "RandomUniformLike", ctx.IntListInput(has_low ? 2 : 1), DType::kFloat64);
  ctx.SetOutput(0, IntegersIn(ctx, uniform, low, high));
}

// aten::randint_like(Tensor self, SymInt high, ...), randint_like.Tensor (high a tensor),
// randint_like.low_dtype(Tensor self, SymInt low, SymInt high, ...) and their .generator forms.
void TranslateRandintLike(TranslationContext& ctx) {
  bool has_low = ctx.node().overload.rfind("low", 0) == 0;
  std::string low = has_low ? ctx.OperandAs(1, DType::kFloat64) : ctx.ConstScalar(0, DType::kFloat64);
  std::string high = ctx.OperandAs(has_low ? 2 : 1, DType::kFloat64);
  std::string uniform = DrawLike(ctx, "RandomUniformLike", ctx.Input(0), DType::kFloat64);
  ctx.SetOutput(0, IntegersIn(ctx, uniform, low, high));
}

// aten::randperm(SymInt n, *, ScalarType? dtype=long, ...): the order that sorts n uniform
// samples, a uniformly drawn permutation.
void TranslateRandperm(TranslationContext& ctx) {
  std::string n = Reshape(ctx, ctx.ScalarInput(0, DType::kInt64), {1});
  std::string keys = DrawOfShape(ctx, "RandomUniformLike", n, DType::kFloat32);
  std::vector<std::string> top = ctx.OpMulti("TopK", {keys, n}, 2, {{"axis", int64_t{0}}});
  ctx.SetOutput(0, ctx.Cast(top[1], DType::kInt64, ctx.OutDType()));
}

// aten::bernoulli(Tensor self, *, Generator?) (self holds the probabilities),
// bernoulli.p(Tensor self, float p, ...), bernoulli.Tensor(Tensor self, Tensor p, ...), and
// the in-place bernoulli_.float / bernoulli_.Tensor: 1 where a uniform sample is below p.
void TranslateBernoulli(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string self = ctx.Input(0);
  std::string p = ctx.node().overload.empty() ? ctx.Cast(self, ctx.InDType(0), DType::kFloat32)
                                              : ctx.OperandAs(1, DType::kFloat32);
  std::string uniform = DrawLike(ctx, "RandomUniformLike", self, DType::kFloat32);
  ctx.SetOutput(0, ctx.Cast(ctx.Op("Less", {uniform, p}), DType::kBool, dt));
}

// aten::uniform(Tensor self, float from=0, float to=1, *, Generator?) (uniform_ in place).
void TranslateUniform(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  double from = ctx.ConstDouble(1, "from"), to = ctx.ConstDouble(2, "to");
  std::string uniform = DrawLike(ctx, "RandomUniformLike", ctx.Input(0), DrawnDType(dt));
  std::string scaled = ctx.Op("Add", {ctx.Op("Mul", {uniform, ctx.ConstScalar(to - from, DrawnDType(dt))}),
                                      ctx.ConstScalar(from, DrawnDType(dt))});
  ctx.SetOutput(0, ctx.Cast(scaled, DrawnDType(dt), dt));
}

// aten::normal.Tensor_float(Tensor mean, float std=1), normal.float_Tensor(float mean,
// Tensor std), normal.Tensor_Tensor, normal.float_float(float mean, float std, SymInt[] size),
// and normal_functional / in-place normal_(Tensor self, float mean=0, float std=1):
// mean + std * N(0, 1), shaped like the broadcast of mean and std (or size, or self).
void TranslateNormal(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  const std::string& overload = ctx.node().overload;
  if (overload.empty() || overload == "functional") {
    std::string noise = DrawLike(ctx, "RandomNormalLike", ctx.Input(0), dt);
    return ctx.SetOutput(0, ctx.Op("Add", {ctx.Op("Mul", {noise, ctx.OperandAs(2, dt)}), ctx.OperandAs(1, dt)}));
  }
  std::string mean = ctx.OperandAs(0, dt), std = ctx.OperandAs(1, dt);
  std::string shape = overload == "float_float"
                          ? ctx.IntListInput(2)
                          : ShapeOf(ctx, ctx.Op("Add", {ctx.Op("Mul", {mean, ctx.ConstScalar(0, dt)}), std}));
  std::string noise = DrawOfShape(ctx, "RandomNormalLike", shape, dt);
  ctx.SetOutput(0, ctx.Op("Add", {ctx.Op("Mul", {noise, std}), mean}));
}

// aten::exponential(Tensor self, float lambd=1, *, Generator?) (exponential_ in place):
// -log(1 - U) / lambd.
void TranslateExponential(TranslationContext& ctx) {
  DType dt = ctx.OutDType(), drawn = DrawnDType(dt);
  std::string uniform = DrawLike(ctx, "RandomUniformLike", ctx.Input(0), drawn);
  std::string tail = ctx.Op("Log", {ctx.Op("Sub", {ctx.ConstScalar(1, drawn), uniform})});
  std::string y = ctx.Op("Div", {ctx.Op("Neg", {tail}), ctx.ConstScalar(ctx.ConstDouble(1, "lambd"), drawn)});
  ctx.SetOutput(0, ctx.Cast(y, drawn, dt));
}

// aten::multinomial(Tensor self, SymInt num_samples, bool replacement=False, *, Generator?):
// rows of self [N, C] or [C] hold unnormalized probabilities. With replacement, ONNX's
// Multinomial (which takes log-probabilities); without, the num_samples largest of
// log(p) + Gumbel noise, which draws the classes in order without replacement.
void TranslateMultinomial(TranslationContext& ctx) {
  int64_t rank = ctx.Rank(0);
  int64_t samples = ctx.ConstInt(1, "num_samples");
  std::string probs = ctx.Cast(ctx.Input(0), ctx.InDType(0), DType::kFloat32);
  if (rank == 1) probs = Unsqueeze(ctx, probs, {0});
  std::string log_probs = ctx.Op("Log", {probs});
  std::string drawn;
  if (ctx.ConstBool(2, "replacement")) {
    drawn = ctx.Op("Multinomial", {log_probs},
                   {{"sample_size", samples}, {"dtype", int64_t{DTypeToOnnx(DType::kInt64)}}});
  } else {
    std::string uniform = DrawLike(ctx, "RandomUniformLike", log_probs, DType::kFloat32);
    std::string gumbel = ctx.Op("Neg", {ctx.Op("Log", {ctx.Op("Neg", {ctx.Op("Log", {uniform})})})});
    drawn = ctx.OpMulti("TopK", {ctx.Op("Add", {log_probs, gumbel}), ctx.ConstInt64s({samples})}, 2,
                        {{"axis", int64_t{-1}}})[1];
  }
  if (rank == 1) drawn = Squeeze(ctx, drawn, {0});
  ctx.SetOutput(0, ctx.Cast(drawn, DType::kInt64, ctx.OutDType()));
}

// Keeps each element with probability 1 - p, scaled by 1 / (1 - p); the mask as bool.
struct Dropped {
  std::string y, mask;
};
Dropped DropOut(TranslationContext& ctx, const std::string& x, DType dt, double p, const std::string& mask_like) {
  std::string uniform = DrawLike(ctx, "RandomUniformLike", mask_like, DType::kFloat32);
  std::string keep = ctx.Op("GreaterOrEqual", {uniform, ctx.ConstScalar(p, DType::kFloat32)});
  std::string scale = ctx.ConstScalar(p < 1 ? 1.0 / (1.0 - p) : 0.0, dt);
  return {ctx.Op("Mul", {ctx.Op("Mul", {x, ctx.Cast(keep, DType::kBool, dt)}), scale}), keep};
}

// aten::native_dropout(Tensor input, float p, bool? train) -> (Tensor, Tensor mask): the
// identity with an all-true mask in inference (train=False; None means training).
void TranslateNativeDropout(TranslationContext& ctx) {
  std::string x = ctx.Input(0);
  if (!ctx.IsNone(2) && !ctx.ConstBool(2, "train")) {
    ctx.SetOutput(0, x);
    if (ctx.node().outputs.size() > 1)
      ctx.SetOutput(1, ctx.Op("Expand", {ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {}, {1})), ShapeOf(ctx, x)}));
    return;
  }
  RequireRandomOpset(ctx);
  Dropped d = DropOut(ctx, x, ctx.OutDType(), ctx.ConstDouble(1, "p"), x);
  ctx.SetOutput(0, d.y);
  if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, d.mask);
}

// aten::dropout(Tensor input, float p, bool train) and feature_dropout (whole channels of
// [N, C, ...] dropped at once): the identity in inference.
void TranslateDropout(TranslationContext& ctx, bool whole_channels) {
  std::string x = ctx.Input(0);
  double p = ctx.ConstDouble(1, "p");
  if (!ctx.ConstBool(2, "train") || p == 0) return ctx.SetOutput(0, x);
  RequireRandomOpset(ctx);
  std::string mask_like = x;
  if (whole_channels && ctx.Rank(0) > 2) {  // a mask of shape [N, C, 1, ...]
    std::vector<int64_t> ones(static_cast<size_t>(ctx.Rank(0) - 2), 1);
    mask_like = ctx.Op("ConstantOfShape", {ctx.Op("Concat", {ShapeSlice(ctx, x, 0, 2), ctx.ConstInt64s(ones)},
                                                  {{"axis", int64_t{0}}})});
  }
  ctx.SetOutput(0, DropOut(ctx, x, ctx.OutDType(), p, mask_like).y);
}

}  // namespace

void RegisterRandom(Registry& r) {
  r.SetFamily("random");
  auto add = [&r](const std::string& key, TranslatorFn fn) {
    r.Add(key, kRandomOpsets, std::move(fn));
    r.AddInexpressible(key, NeedsOpset21(key));
  };
  add("aten::rand", [](TranslationContext& c) { TranslateRandOfSize(c, "RandomUniformLike"); });
  add("aten::randn", [](TranslationContext& c) { TranslateRandOfSize(c, "RandomNormalLike"); });
  add("aten::rand_like", [](TranslationContext& c) { TranslateRandLike(c, "RandomUniformLike"); });
  add("aten::randn_like", [](TranslationContext& c) { TranslateRandLike(c, "RandomNormalLike"); });
  add("aten::randint", TranslateRandint);
  add("aten::randint_like", TranslateRandintLike);
  add("aten::randperm", TranslateRandperm);
  add("aten::bernoulli", TranslateBernoulli);
  add("aten::uniform", TranslateUniform);
  add("aten::normal", TranslateNormal);
  add("aten::normal_functional", TranslateNormal);
  add("aten::exponential", TranslateExponential);
  add("aten::multinomial", TranslateMultinomial);
  r.Add("aten::native_dropout", TranslateNativeDropout);
  r.Add("aten::dropout", [](TranslationContext& c) { TranslateDropout(c, false); });
  r.Add("aten::feature_dropout", [](TranslationContext& c) { TranslateDropout(c, true); });
}

}  // namespace t2o
