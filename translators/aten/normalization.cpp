// Normalization layers.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// A per-channel parameter, or a constant of `fill` when the module has none (affine=False).
std::string ChannelParam(TranslationContext& ctx, size_t i, int64_t channels, float fill, DType dt) {
  if (!ctx.IsNone(i)) return ctx.OperandAs(i, dt);
  std::vector<float> values(channels, fill);
  std::string c = ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {channels}, values));
  return ctx.Cast(c, DType::kFloat32, dt);
}

// A per-channel vector (C,) broadcast as (C, 1, ..., 1) against an (N, C, *) input of `rank`.
std::string PerChannel(TranslationContext& ctx, const std::string& p, int64_t rank) {
  std::vector<int64_t> trailing;
  for (int64_t k = 1; k < rank - 1; ++k) trailing.push_back(k);
  return trailing.empty() ? p : Unsqueeze(ctx, p, trailing);
}

// Training-mode batch norm: input 0 normalized by its own mean and biased variance over
// every axis but the channels (1), then scaled and shifted by inputs 1 and 2 (None: 1, 0).
// Running statistics, if any, are only updated by it, which an inference graph drops.
struct BatchStatistics {
  std::string y, mean, var, invstd;  // mean, (biased) var and invstd keep the reduced axes
};

BatchStatistics NormalizeByBatchStatistics(TranslationContext& ctx, double eps) {
  DType dt = ctx.OutDType(0);
  int64_t rank = ctx.Rank(0);
  auto channels = ctx.Meta(0).StaticDim(1);
  if (!channels) throw UnsupportedError("batch_norm: the channel dimension must be static");
  std::vector<int64_t> axes{0};
  for (int64_t k = 2; k < rank; ++k) axes.push_back(k);
  std::string x = ctx.OperandAs(0, dt);
  BatchStatistics r;
  r.mean = Reduce(ctx, "ReduceMean", x, axes, true);
  std::string centered = ctx.Op("Sub", {x, r.mean});
  r.var = Reduce(ctx, "ReduceMean", ctx.Op("Mul", {centered, centered}), axes, true);
  r.invstd = ctx.Op("Reciprocal", {ctx.Op("Sqrt", {ctx.Op("Add", {r.var, ctx.ConstScalar(eps, dt)})})});
  std::string scale = PerChannel(ctx, ChannelParam(ctx, 1, *channels, 1.0f, dt), rank);
  std::string shift = PerChannel(ctx, ChannelParam(ctx, 2, *channels, 0.0f, dt), rank);
  r.y = ctx.Op("Add", {ctx.Op("Mul", {ctx.Op("Mul", {centered, r.invstd}), scale}), shift});
  return r;
}

// aten::batch_norm(input, weight, bias, running_mean, running_var, training, momentum,
//                  eps, cudnn_enabled) -> Tensor
void TranslateBatchNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  // training=True normalizes by the batch's statistics, with or without running ones (timm's
  // weight-standardized convolutions call it so on their weights, in eval mode too).
  if (ctx.ConstBool(5, "training")) return ctx.SetOutput(0, NormalizeByBatchStatistics(ctx, ctx.ConstDouble(7, "eps")).y);
  auto channels = ctx.Meta(0).StaticDim(1);
  if (!channels) throw UnsupportedError("batch_norm: the channel dimension must be static");
  double eps = ctx.ConstDouble(7, "eps");
  std::string y = ctx.Op("BatchNormalization",
                         {ctx.OperandAs(0, dt), ChannelParam(ctx, 1, *channels, 1.0f, dt), ChannelParam(ctx, 2, *channels, 0.0f, dt),
                          ctx.OperandAs(3, dt), ctx.OperandAs(4, dt)},
                         {{"epsilon", static_cast<float>(eps)}});
  ctx.SetOutput(0, y);
}

// aten::_native_batch_norm_legit_no_training(input, weight, bias, running_mean, running_var,
//                                            momentum, eps) -> (Tensor, Tensor, Tensor)
// (also native_batch_norm with training=False, whose eps sits at 7)
void TranslateNativeBatchNormNoTraining(TranslationContext& ctx, size_t eps_index = 6) {
  DType dt = ctx.OutDType(0);
  auto channels = ctx.Meta(0).StaticDim(1);
  if (!channels) throw UnsupportedError("batch_norm: the channel dimension must be static");
  double eps = ctx.ConstDouble(eps_index, "eps");
  std::string y = ctx.Op("BatchNormalization",
                         {ctx.OperandAs(0, dt), ChannelParam(ctx, 1, *channels, 1.0f, dt), ChannelParam(ctx, 2, *channels, 0.0f, dt),
                          ctx.OperandAs(3, dt), ctx.OperandAs(4, dt)},
                         {{"epsilon", static_cast<float>(eps)}});
  ctx.SetOutput(0, y);
  // The saved mean/invstd outputs are empty in inference.
  for (size_t j = 1; j < ctx.node().outputs.size(); ++j)
    ctx.SetOutput(j, ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {0}, {})));
}

// Mean, centered input and sqrt(variance + eps) over the trailing dims from `axis`
// (kept as size-1 dims), as layer norm computes them.
struct TrailingMoments {
  std::string mean, centered, std;
};
TrailingMoments MomentsFrom(TranslationContext& ctx, const std::string& x, int64_t axis, int64_t rank, double eps, DType dt) {
  std::vector<int64_t> axes;
  for (int64_t k = axis; k < rank; ++k) axes.push_back(k);
  TrailingMoments m;
  m.mean = Reduce(ctx, "ReduceMean", x, axes, true);
  m.centered = ctx.Op("Sub", {x, m.mean});
  std::string var = Reduce(ctx, "ReduceMean", ctx.Op("Mul", {m.centered, m.centered}), axes, true);
  m.std = ctx.Op("Sqrt", {ctx.Op("Add", {var, ctx.ConstScalar(eps, dt)})});
  return m;
}

// LayerNormalization exists from opset 17; before, mean/variance by hand.
std::string LayerNormCore(TranslationContext& ctx, const std::string& x, int64_t axis, int64_t rank, double eps,
                          const std::optional<std::string>& w, const std::optional<std::string>& b, DType dt) {
  if (ctx.opset() >= 17) {
    std::string scale = w ? *w : ctx.Op("ConstantOfShape", {ctx.Op("Slice", {ShapeOf(ctx, x), ctx.ConstInt64s({axis}), ctx.ConstInt64s({rank})})},
                                        {{"value", TensorData::FromVector<float>(DType::kFloat32, {1}, {1.0f})}});
    if (!w) scale = ctx.Cast(scale, DType::kFloat32, dt);
    std::vector<std::string> ins{x, scale};
    if (b) ins.push_back(*b);
    return ctx.Op("LayerNormalization", ins, {{"axis", axis}, {"epsilon", static_cast<float>(eps)}});
  }
  TrailingMoments m = MomentsFrom(ctx, x, axis, rank, eps, dt);
  std::string y = ctx.Op("Div", {m.centered, m.std});
  if (w) y = ctx.Op("Mul", {y, *w});
  if (b) y = ctx.Op("Add", {y, *b});
  return y;
}

// aten::layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True)
// aten::native_layer_norm(input, normalized_shape, weight, bias, eps) -> (out, mean, rstd)
void TranslateLayerNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  int64_t rank = ctx.Rank(0);
  int64_t axis = rank - static_cast<int64_t>(ctx.ConstInts(1, "normalized_shape").size());
  auto w = ctx.IsNone(2) ? std::optional<std::string>() : ctx.OperandAs(2, dt);
  auto b = ctx.IsNone(3) ? std::optional<std::string>() : ctx.OperandAs(3, dt);
  double eps = ctx.ConstDouble(4, "eps");
  std::string x = ctx.OperandAs(0, dt);
  ctx.SetOutput(0, LayerNormCore(ctx, x, axis, rank, eps, w, b, dt));
  if (ctx.node().outputs.size() == 3) {
    // native_layer_norm also returns the mean and 1/std over the normalized dims (kept as 1s).
    TrailingMoments m = MomentsFrom(ctx, x, axis, rank, eps, dt);
    ctx.SetOutput(1, m.mean);
    ctx.SetOutput(2, ctx.Op("Reciprocal", {m.std}));
  }
}

// (N, C, *) normalized over groups of channels; weight/bias at inputs w_index/b_index.
// Returns the grouped moments for native_group_norm's mean/rstd outputs.
TrailingMoments GroupNorm(TranslationContext& ctx, int64_t groups, double eps, size_t w_index, size_t b_index) {
  DType dt = ctx.OutDType(0);
  int64_t rank = ctx.Rank(0);
  auto channels = ctx.Meta(0).StaticDim(1);
  if (!channels) throw UnsupportedError("group_norm: the channel dimension must be static");
  std::string x = ctx.OperandAs(0, dt);
  // (N, C, *) -> (N, G, C/G * prod(*)), normalize the last axis, then back.
  std::string grouped = ctx.Op("Reshape", {x, ctx.ConstInt64s({0, groups, -1})});
  std::string normed = LayerNormCore(ctx, grouped, 2, 3, eps, std::nullopt, std::nullopt, dt);
  std::string y = ctx.Op("Reshape", {normed, ShapeOf(ctx, x)});
  if (!ctx.IsNone(w_index)) y = ctx.Op("Mul", {y, PerChannel(ctx, ctx.OperandAs(w_index, dt), rank)});
  if (!ctx.IsNone(b_index)) y = ctx.Op("Add", {y, PerChannel(ctx, ctx.OperandAs(b_index, dt), rank)});
  ctx.SetOutput(0, y);
  return ctx.node().outputs.size() > 1 ? MomentsFrom(ctx, grouped, 2, 3, eps, dt) : TrailingMoments{};
}

// aten::group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True)
void TranslateGroupNorm(TranslationContext& ctx) {
  GroupNorm(ctx, ctx.ConstInt(1, "num_groups"), ctx.ConstDouble(4, "eps"), 2, 3);
}

// aten::native_group_norm(input, weight?, bias?, int N, int C, int HxW, int group, float eps)
//     -> (out, mean [N, group], rstd [N, group])
void TranslateNativeGroupNorm(TranslationContext& ctx) {
  TrailingMoments m = GroupNorm(ctx, ctx.ConstInt(6, "group"), ctx.ConstDouble(7, "eps"), 1, 2);
  if (ctx.node().outputs.size() < 3) return;
  ctx.SetOutput(1, Squeeze(ctx, m.mean, {2}));
  ctx.SetOutput(2, Squeeze(ctx, ctx.Op("Reciprocal", {m.std}), {2}));
}

// ONNX GroupNormalization, opset 21 (the scale and bias per channel, as in PyTorch; the
// opset-18 form took them per group). native_group_norm's mean/rstd outputs, when the
// program reads them, still need the composed form.
void GroupNormalization(TranslationContext& ctx, int64_t groups, double eps, size_t w_index, size_t b_index) {
  DType dt = ctx.OutDType(0);
  auto channels = ctx.Meta(0).StaticDim(1);
  if (!channels) throw UnsupportedError("group_norm: the channel dimension must be static");
  ctx.SetOutput(0, ctx.Op("GroupNormalization",
                          {ctx.OperandAs(0, dt), ChannelParam(ctx, w_index, *channels, 1.0f, dt),
                           ChannelParam(ctx, b_index, *channels, 0.0f, dt)},
                          {{"num_groups", groups}, {"epsilon", static_cast<float>(eps)}, {"stash_type", int64_t{1}}}));
}

void TranslateGroupNorm21(TranslationContext& ctx) {
  GroupNormalization(ctx, ctx.ConstInt(1, "num_groups"), ctx.ConstDouble(4, "eps"), 2, 3);
}

// mean/rstd [N, group] are computed beside the one node (the optimizer drops them when the
// program does not read them).
void TranslateNativeGroupNorm21(TranslationContext& ctx) {
  int64_t groups = ctx.ConstInt(6, "group");
  double eps = ctx.ConstDouble(7, "eps");
  GroupNormalization(ctx, groups, eps, 1, 2);
  if (ctx.node().outputs.size() < 3) return;
  DType dt = ctx.OutDType(0);
  std::string grouped = ctx.Op("Reshape", {ctx.OperandAs(0, dt), ctx.ConstInt64s({0, groups, -1})});
  TrailingMoments m = MomentsFrom(ctx, grouped, 2, 3, eps, dt);
  ctx.SetOutput(1, Squeeze(ctx, m.mean, {2}));
  ctx.SetOutput(2, Squeeze(ctx, ctx.Op("Reciprocal", {m.std}), {2}));
}

// aten::rms_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, float? eps=None)
// x / sqrt(mean(x^2 over the normalized dims) + eps) * weight; eps defaults to the dtype's
// machine epsilon, as in PyTorch.
struct RmsNormArgs {
  int64_t axis;
  double eps;
  std::vector<int64_t> normalized_shape;
};
RmsNormArgs RmsNormArguments(TranslationContext& ctx) {
  RmsNormArgs a;
  a.normalized_shape = ctx.ConstInts(1, "normalized_shape");
  a.axis = ctx.Rank(0) - static_cast<int64_t>(a.normalized_shape.size());
  DType dt = ctx.OutDType(0);
  double machine_eps = dt == DType::kFloat64 ? 2.220446049250313e-16 : dt == DType::kFloat16 ? 0.0009765625
                     : dt == DType::kBFloat16 ? 0.0078125 : 1.1920928955078125e-07;
  a.eps = ctx.IsNone(3) ? machine_eps : ctx.ConstDouble(3, "eps");
  return a;
}

void TranslateRmsNorm13(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  RmsNormArgs a = RmsNormArguments(ctx);
  std::vector<int64_t> axes;
  for (int64_t k = a.axis; k < ctx.Rank(0); ++k) axes.push_back(k);
  std::string x = ctx.OperandAs(0, dt);
  std::string mean_square = Reduce(ctx, "ReduceMean", ctx.Op("Mul", {x, x}), axes, true);
  std::string rms = ctx.Op("Sqrt", {ctx.Op("Add", {mean_square, ctx.ConstScalar(a.eps, dt)})});
  std::string y = ctx.Op("Div", {x, rms});
  if (!ctx.IsNone(2)) y = ctx.Op("Mul", {y, ctx.OperandAs(2, dt)});
  ctx.SetOutput(0, y);
}

// ONNX RMSNormalization (opset 23).
void TranslateRmsNorm23(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  RmsNormArgs a = RmsNormArguments(ctx);
  std::string scale;
  if (!ctx.IsNone(2)) {
    scale = ctx.OperandAs(2, dt);
  } else {
    int64_t n = 1;
    for (int64_t d : a.normalized_shape) n *= d;
    scale = ctx.Cast(ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, a.normalized_shape, std::vector<float>(n, 1.0f))),
                     DType::kFloat32, dt);
  }
  ctx.SetOutput(0, ctx.Op("RMSNormalization", {ctx.OperandAs(0, dt), scale},
                          {{"axis", a.axis}, {"epsilon", static_cast<float>(a.eps)}, {"stash_type", int64_t{1}}}));
}

// aten::native_batch_norm(input, weight?, bias?, running_mean?, running_var?, bool training,
//     float momentum, float eps) -> (out, save_mean, save_invstd)
// In training mode (instance norm without running statistics decomposes to it) the
// statistics are the batch's: mean and biased variance over every axis but the channels.
// aten::_native_batch_norm_legit has the same arguments; its .no_stats overload drops
// running_mean/running_var (training at 3, eps at 5).
void TranslateNativeBatchNorm(TranslationContext& ctx) {
  bool no_stats = ctx.node().overload == "no_stats";
  size_t training = no_stats ? 3 : 5, eps_index = no_stats ? 5 : 7;
  if (!ctx.ConstBool(training, "training")) {
    if (no_stats) throw UnsupportedError("batch_norm without running statistics in eval mode has nothing to normalize with");
    return TranslateNativeBatchNormNoTraining(ctx, eps_index);
  }
  BatchStatistics stats = NormalizeByBatchStatistics(ctx, ctx.ConstDouble(eps_index, "eps"));
  ctx.SetOutput(0, stats.y);
  if (ctx.node().outputs.size() < 3) return;
  ctx.SetOutput(1, Reshape(ctx, stats.mean, {-1}));
  ctx.SetOutput(2, Reshape(ctx, stats.invstd, {-1}));
}

// aten::_native_batch_norm_legit_functional(input, weight?, bias?, running_mean, running_var,
//     bool training, float momentum, float eps) -> (out, save_mean, save_invstd,
//     running_mean_out, running_var_out): what functionalization makes of
// _native_batch_norm_legit, the updated running statistics as outputs (the program's buffer
// mutations). In training mode they move by `momentum` towards the batch's mean and
// unbiased variance.
void TranslateNativeBatchNormFunctional(TranslationContext& ctx) {
  if (!ctx.ConstBool(5, "training")) {
    DType dt = ctx.OutDType(0);
    auto channels = ctx.Meta(0).StaticDim(1);
    if (!channels) throw UnsupportedError("batch_norm: the channel dimension must be static");
    std::string mean = ctx.OperandAs(3, dt), var = ctx.OperandAs(4, dt);
    ctx.SetOutput(0, ctx.Op("BatchNormalization",
                            {ctx.OperandAs(0, dt), ChannelParam(ctx, 1, *channels, 1.0f, dt),
                             ChannelParam(ctx, 2, *channels, 0.0f, dt), mean, var},
                            {{"epsilon", static_cast<float>(ctx.ConstDouble(7, "eps"))}}));
    for (size_t j = 1; j < 3; ++j) ctx.SetOutput(j, ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {0}, {})));
    ctx.SetOutput(3, mean);
    ctx.SetOutput(4, var);
    return;
  }
  DType dt = ctx.OutDType(3);
  BatchStatistics stats = NormalizeByBatchStatistics(ctx, ctx.ConstDouble(7, "eps"));
  std::string batch_mean = Reshape(ctx, stats.mean, {-1});
  std::string invstd = Reshape(ctx, stats.invstd, {-1});
  ctx.SetOutput(0, stats.y);
  ctx.SetOutput(1, batch_mean);
  ctx.SetOutput(2, invstd);
  // The variance made unbiased by n / (n - 1), n the elements per channel.
  std::string biased = Reshape(ctx, stats.var, {-1});
  std::string x = ctx.Input(0);
  std::string n = ctx.Cast(ctx.Op("Div", {ctx.Op("Size", {x}), DimOf(ctx, x, 1)}), DType::kInt64, dt);
  std::string unbiased = ctx.Op("Div", {ctx.Op("Mul", {biased, n}), ctx.Op("Sub", {n, ctx.ConstScalar(1, dt)})});
  double momentum = ctx.ConstDouble(6, "momentum");
  auto update = [&](size_t i, const std::string& batch) {
    return ctx.Op("Add", {ctx.Op("Mul", {ctx.OperandAs(i, dt), ctx.ConstScalar(1 - momentum, dt)}),
                          ctx.Op("Mul", {batch, ctx.ConstScalar(momentum, dt)})});
  };
  ctx.SetOutput(3, update(3, batch_mean));
  ctx.SetOutput(4, update(4, unbiased));
}

// aten::instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
//                     momentum, eps, cudnn_enabled)
void TranslateInstanceNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  auto channels = ctx.Meta(0).StaticDim(1);
  if (!channels) throw UnsupportedError("instance_norm: the channel dimension must be static");
  double eps = ctx.ConstDouble(7, "eps");
  if (!ctx.ConstBool(5, "use_input_stats")) {
    // Uses running statistics: identical to batch norm in inference.
    ctx.SetOutput(0, ctx.Op("BatchNormalization",
                            {ctx.OperandAs(0, dt), ChannelParam(ctx, 1, *channels, 1.0f, dt), ChannelParam(ctx, 2, *channels, 0.0f, dt),
                             ctx.OperandAs(3, dt), ctx.OperandAs(4, dt)},
                            {{"epsilon", static_cast<float>(eps)}}));
    return;
  }
  ctx.SetOutput(0, ctx.Op("InstanceNormalization",
                          {ctx.OperandAs(0, dt), ChannelParam(ctx, 1, *channels, 1.0f, dt), ChannelParam(ctx, 2, *channels, 0.0f, dt)},
                          {{"epsilon", static_cast<float>(eps)}}));
}

// aten::_weight_norm(Tensor v, Tensor g, int dim=0) -> Tensor (nn.utils.weight_norm and
// its parametrization): v * g / ||v||, the norm over every dim but `dim` (dim -1: over all).
void TranslateWeightNorm(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  int64_t rank = ctx.Rank(0);
  int64_t dim = ctx.ConstInt(2, "dim");
  std::vector<int64_t> axes;
  for (int64_t d = 0; d < rank; ++d)
    if (dim == -1 || d != NormalizeAxis(dim, rank)) axes.push_back(d);
  std::string v = ctx.OperandAs(0, dt);
  std::string norm = Reduce(ctx, "ReduceL2", v, axes, true);
  ctx.SetOutput(0, ctx.Op("Mul", {v, ctx.Op("Div", {ctx.OperandAs(1, dt), norm})}));
}

}  // namespace

void RegisterNormalization(Registry& r) {
  r.SetFamily("normalization");
  r.Add("aten::batch_norm", TranslateBatchNorm);
  r.Add("aten::_native_batch_norm_legit_no_training", [](TranslationContext& c) { TranslateNativeBatchNormNoTraining(c); });
  r.Add("aten::native_batch_norm", TranslateNativeBatchNorm);
  r.Add("aten::_native_batch_norm_legit", TranslateNativeBatchNorm);
  r.Add("aten::_native_batch_norm_legit_functional", TranslateNativeBatchNormFunctional);
  r.Add("aten::layer_norm", TranslateLayerNorm);
  r.Add("aten::native_layer_norm", TranslateLayerNorm);
  r.Add("aten::group_norm", {13, 20}, TranslateGroupNorm);
  r.Add("aten::group_norm", {21, kMaxOpset}, TranslateGroupNorm21);
  r.Add("aten::native_group_norm", {13, 20}, TranslateNativeGroupNorm);
  r.Add("aten::native_group_norm", {21, kMaxOpset}, TranslateNativeGroupNorm21);
  r.Add("aten::rms_norm", {13, 22}, TranslateRmsNorm13);
  r.Add("aten::rms_norm", {23, kMaxOpset}, TranslateRmsNorm23);
  r.Add("aten::instance_norm", TranslateInstanceNorm);
  r.Add("aten::_weight_norm", TranslateWeightNorm);
}

}  // namespace t2o
