// Quantized models in QDQ form: the quantize/dequantize operators of torch.ao's PT2E flow
// (quantized_decomposed::*) and of torchao (quantize_affine, dequantize_affine,
// choose_qparams_affine) -> ONNX QuantizeLinear / DequantizeLinear, the pairs ONNX Runtime
// fuses into integer kernels. Weights stay the integer tensors the file holds.
//
// PyTorch quantizes round(x * (1 / scale)) + zero_point and clamps to [quant_min,
// quant_max]; QuantizeLinear rounds x / scale (half to even, as torch.round) and saturates
// to the dtype, so a Clip follows when the range is narrower (4-bit values in int8). The two
// roundings differ only where x / scale is within an ulp of a half: one quantization step.
// Dequantization is (q - zero_point) * scale in float32 on both sides.
//
// Scales and zero points map onto x per tensor, per axis (one per index of an axis), or in
// blocks along one axis (DequantizeLinear's block_size, opset 21); any other torchao block
// layout is the same arithmetic written out over a reshaped view.
#include <cmath>

#include "core/capture/quantization_schemas.h"
#include "translators/common/helpers.h"

namespace t2o {
namespace {

constexpr int kBlockedOpset = 21;  // QuantizeLinear/DequantizeLinear block_size

struct Bounds {
  int64_t min, max;
};

Bounds DTypeBounds(TranslationContext& ctx, DType q) {
  switch (q) {
    case DType::kUInt8: return {0, 255};
    case DType::kInt8: return {-128, 127};
    case DType::kInt16: return {-32768, 32767};
    case DType::kInt32: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    default:
      throw UnsupportedError(ctx.node().Key() + ": quantized dtype " + std::string(DTypeName(q)) +
                             " is not one ONNX quantizes to (int8, uint8, int16, int32)");
  }
}

// Whether QuantizeLinear/DequantizeLinear take q at this opset (int16 from 21; int32
// only dequantizes, so both directions are written out for it).
bool QdqTakes(DType q, int opset) {
  return q == DType::kInt8 || q == DType::kUInt8 || (q == DType::kInt16 && opset >= kBlockedOpset);
}

// How scales and zero points map onto the elements of x.
struct Layout {
  enum class Kind { kPerTensor, kPerAxis, kBlocked, kGeneral } kind = Kind::kPerTensor;
  int64_t axis = 0;             // kPerAxis, kBlocked
  int64_t block = 0;            // kBlocked
  std::vector<int64_t> view;    // kGeneral: x seen as this shape
  std::vector<int64_t> params;  // kGeneral: scale / zero point seen as this, broadcasting against view
};

Layout PerAxis(int64_t axis) {
  Layout l;
  l.kind = Layout::Kind::kPerAxis;
  l.axis = axis;
  return l;
}

// Scale or zero point shaped as the layout's QDQ form (or its broadcast form for kGeneral).
std::string ShapeParams(TranslationContext& ctx, const std::string& value, const Layout& layout, int64_t param_rank,
                        int64_t x_rank) {
  switch (layout.kind) {
    case Layout::Kind::kPerTensor: return Reshape(ctx, value, {});
    case Layout::Kind::kPerAxis: return Reshape(ctx, value, {-1});
    case Layout::Kind::kBlocked:
      // torchao drops the dim a whole-dim block reduces (keepdim=False); QDQ keeps it as 1.
      return param_rank == x_rank - 1 ? Unsqueeze(ctx, value, {layout.axis}) : value;
    case Layout::Kind::kGeneral: return Reshape(ctx, value, layout.params);
  }
  return value;
}

// The broadcast form of a per-tensor or per-axis layout, for the written-out arithmetic.
Layout AsGeneral(const Layout& layout, int64_t x_rank) {
  Layout g;
  g.kind = Layout::Kind::kGeneral;
  if (layout.kind == Layout::Kind::kPerAxis) {
    g.params.assign(static_cast<size_t>(x_rank), 1);
    g.params[layout.axis] = -1;
  }
  return g;
}

Attrs QdqAttrs(const Layout& layout) {
  if (layout.kind == Layout::Kind::kPerAxis) return {{"axis", layout.axis}};
  if (layout.kind == Layout::Kind::kBlocked) return {{"axis", layout.axis}, {"block_size", layout.block}};
  return {};
}

void RequireOpsetFor(TranslationContext& ctx, const Layout& layout) {
  if (layout.kind == Layout::Kind::kBlocked && ctx.opset() < kBlockedOpset)
    throw UnsupportedError(ctx.node().Key() + ": blockwise scales (blocks of " + std::to_string(layout.block) +
                           " along dim " + std::to_string(layout.axis) +
                           ") need QuantizeLinear/DequantizeLinear's block_size, opset " +
                           std::to_string(kBlockedOpset) + " or later (--opset " + std::to_string(kBlockedOpset) + ")");
}

UnsupportedError BlockwiseUnsupported(TranslationContext& ctx, DType q) {
  return UnsupportedError(ctx.node().Key() + ": blockwise scales for " + std::string(DTypeName(q)) +
                          " values: QuantizeLinear/DequantizeLinear take blocks of int8, uint8 and int16 only");
}

// The quantization parameters of one node, ONNX side: scale float32, zero point of q
// (nullopt: none given, i.e. 0), both as they come (shaped by the emitters).
struct Params {
  std::string scale;
  std::optional<std::string> zero_point;
  int64_t rank = 0;  // of scale and zero point as given
};

// q = clamp(round(x / scale) + zero_point, lo, hi) as q's dtype; x float32.
std::string Quantize(TranslationContext& ctx, const std::string& x, int64_t x_rank, const Params& p,
                     const Layout& layout, DType q, Bounds range) {
  Bounds full = DTypeBounds(ctx, q);
  if (layout.kind != Layout::Kind::kGeneral && QdqTakes(q, ctx.opset())) {
    RequireOpsetFor(ctx, layout);
    std::string scale = ShapeParams(ctx, p.scale, layout, p.rank, x_rank);
    // QuantizeLinear's output type is its zero point's: give one (zeros of scale's shape) when none is.
    std::string zero_point = p.zero_point ? ShapeParams(ctx, *p.zero_point, layout, p.rank, x_rank)
                                          : ctx.Cast(ctx.Op("Sub", {scale, scale}), DType::kFloat32, q);
    std::string y = ctx.Op("QuantizeLinear", {x, scale, zero_point}, QdqAttrs(layout));
    if (range.min == full.min && range.max == full.max) return y;
    return ctx.Op("Clip", {y, ctx.ConstScalar(double(range.min), q), ctx.ConstScalar(double(range.max), q)});
  }
  if (layout.kind == Layout::Kind::kBlocked) throw BlockwiseUnsupported(ctx, q);
  Layout g = layout.kind == Layout::Kind::kGeneral ? layout : AsGeneral(layout, x_rank);
  std::string view = g.view.empty() ? x : Reshape(ctx, x, g.view);
  std::string scaled = ctx.Op("Mul", {view, ctx.Op("Reciprocal", {ShapeParams(ctx, p.scale, g, p.rank, x_rank)})});
  std::string shifted = ctx.Op("Round", {scaled});
  if (p.zero_point) shifted = ctx.Op("Add", {shifted, ShapeParams(ctx, ctx.Cast(*p.zero_point, q, DType::kFloat32), g, p.rank, x_rank)});
  std::string clamped = ctx.Op("Clip", {shifted, ctx.ConstScalar(double(range.min), DType::kFloat32),
                                        ctx.ConstScalar(double(range.max), DType::kFloat32)});
  std::string back = g.view.empty() ? clamped : ctx.Op("Reshape", {clamped, ShapeOf(ctx, x)});
  return ctx.Cast(back, DType::kFloat32, q);
}

// (q - zero_point) * scale in float32.
std::string Dequantize(TranslationContext& ctx, const std::string& x, int64_t x_rank, const Params& p,
                       const Layout& layout, DType q) {
  DTypeBounds(ctx, q);
  if (layout.kind != Layout::Kind::kGeneral && QdqTakes(q, ctx.opset())) {
    RequireOpsetFor(ctx, layout);
    std::vector<std::string> inputs{x, ShapeParams(ctx, p.scale, layout, p.rank, x_rank)};
    if (p.zero_point) inputs.push_back(ShapeParams(ctx, *p.zero_point, layout, p.rank, x_rank));
    return ctx.Op("DequantizeLinear", inputs, QdqAttrs(layout));
  }
  if (layout.kind == Layout::Kind::kBlocked) throw BlockwiseUnsupported(ctx, q);
  Layout g = layout.kind == Layout::Kind::kGeneral ? layout : AsGeneral(layout, x_rank);
  std::string view = ctx.Cast(g.view.empty() ? x : Reshape(ctx, x, g.view), q, DType::kFloat32);
  if (p.zero_point) view = ctx.Op("Sub", {view, ShapeParams(ctx, ctx.Cast(*p.zero_point, q, DType::kFloat32), g, p.rank, x_rank)});
  std::string y = ctx.Op("Mul", {view, ShapeParams(ctx, p.scale, g, p.rank, x_rank)});
  return g.view.empty() ? y : ctx.Op("Reshape", {y, ShapeOf(ctx, x)});
}

// A tensor scale (any float dtype) as float32, and a tensor zero point as q.
Params TensorParams(TranslationContext& ctx, size_t scale_at, size_t zero_point_at, DType q) {
  Params p;
  p.scale = ctx.OperandAs(scale_at, DType::kFloat32);
  p.rank = ctx.Rank(scale_at);
  if (!ctx.IsNone(zero_point_at)) p.zero_point = ctx.Cast(ctx.Input(zero_point_at), ctx.InDType(zero_point_at), q);
  return p;
}

Params NumberParams(TranslationContext& ctx, size_t scale_at, size_t zero_point_at, DType q) {
  return {ctx.ConstScalar(ctx.ConstDouble(scale_at, "scale"), DType::kFloat32),
          ctx.ConstScalar(double(ctx.ConstInt(zero_point_at, "zero_point")), q), 0};
}

DType QuantDType(TranslationContext& ctx, size_t i, const char* arg) {
  std::optional<DType> q = ctx.OptionalDType(i, arg);
  if (!q) throw UnsupportedError(ctx.node().Key() + ": `" + arg + "` is None");
  return *q;
}

Bounds ConstBounds(TranslationContext& ctx, size_t min_at, DType q) {
  Bounds b{ctx.ConstInt(min_at, "quant_min"), ctx.ConstInt(min_at + 1, "quant_max")};
  Bounds full = DTypeBounds(ctx, q);
  if (b.min > b.max || b.min < full.min || b.max > full.max)
    throw UnsupportedError(ctx.node().Key() + ": range [" + std::to_string(b.min) + ", " + std::to_string(b.max) +
                           "] does not fit " + std::string(DTypeName(q)));
  return b;
}

void SetResult(TranslationContext& ctx, const std::string& value, DType dt) {
  ctx.SetOutput(0, ctx.Cast(value, dt, ctx.OutDType(0)));
}

// --- quantized_decomposed ----------------------------------------------------------------

// quantize_per_tensor(input, float scale, int zero_point, quant_min, quant_max, dtype) and
// .tensor (scale and zero point as one-element tensors).
void TranslateQuantizePerTensor(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 5, "dtype");
  Params p = ctx.InputValue(1).IsTensor() ? TensorParams(ctx, 1, 2, q) : NumberParams(ctx, 1, 2, q);
  SetResult(ctx, Quantize(ctx, ctx.OperandAs(0, DType::kFloat32), ctx.Rank(0), p, {}, q, ConstBounds(ctx, 3, q)), q);
}

// dequantize_per_tensor(input, scale, zero_point, quant_min, quant_max, dtype, *, out_dtype=None) and .tensor.
void TranslateDequantizePerTensor(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 5, "dtype");
  Params p = ctx.InputValue(1).IsTensor() ? TensorParams(ctx, 1, 2, q) : NumberParams(ctx, 1, 2, q);
  SetResult(ctx, Dequantize(ctx, ctx.Cast(ctx.Input(0), ctx.InDType(0), q), ctx.Rank(0), p, {}, q), DType::kFloat32);
}

// quantize_per_channel(input, scales, zero_points, axis, quant_min, quant_max, dtype)
void TranslateQuantizePerChannel(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 6, "dtype");
  int64_t axis = NormalizeAxis(ctx.ConstInt(3, "axis"), ctx.Rank(0));
  Params p = TensorParams(ctx, 1, 2, q);
  SetResult(ctx, Quantize(ctx, ctx.OperandAs(0, DType::kFloat32), ctx.Rank(0), p, PerAxis(axis), q, ConstBounds(ctx, 4, q)), q);
}

// dequantize_per_channel(input, scales, zero_points?, axis, quant_min, quant_max, dtype, *, out_dtype=None)
void TranslateDequantizePerChannel(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 6, "dtype");
  int64_t axis = NormalizeAxis(ctx.ConstInt(3, "axis"), ctx.Rank(0));
  Params p = TensorParams(ctx, 1, 2, q);
  SetResult(ctx, Dequantize(ctx, ctx.Cast(ctx.Input(0), ctx.InDType(0), q), ctx.Rank(0), p, PerAxis(axis), q),
            DType::kFloat32);
}

// dequantize_per_channel_group(input [M, N], scales, zero_points?, quant_min, quant_max,
// dtype, group_size, output_dtype): blocks of group_size along the last dim.
void TranslateDequantizePerChannelGroup(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 5, "dtype");
  std::vector<int64_t> shape = StaticShape(ctx, 0);
  if (shape.size() != 2) throw UnsupportedError(ctx.node().Key() + ": the input must be 2-D");
  int64_t group = ctx.ConstInt(6, "group_size");
  if (group > shape[1]) group = shape[1];
  if (group <= 0 || shape[1] % group != 0)
    throw UnsupportedError(ctx.node().Key() + ": group_size " + std::to_string(group) + " does not divide " +
                           std::to_string(shape[1]));
  Params p = TensorParams(ctx, 1, 2, q);
  std::vector<int64_t> grid{shape[0], shape[1] / group};
  p.scale = Reshape(ctx, p.scale, grid);
  if (p.zero_point) p.zero_point = Reshape(ctx, *p.zero_point, grid);
  p.rank = 2;
  Layout blocked;
  blocked.kind = Layout::Kind::kBlocked;
  blocked.axis = 1;
  blocked.block = group;
  SetResult(ctx, Dequantize(ctx, ctx.Cast(ctx.Input(0), ctx.InDType(0), q), 2, p, blocked, q), DType::kFloat32);
}

// min(x.min(), 0) and max(x.max(), 0) over `axes` (all when empty), float32.
std::pair<std::string, std::string> SignedExtremes(TranslationContext& ctx, const std::string& x,
                                                   const std::vector<int64_t>& axes, bool keepdims) {
  std::string zero = Zero(ctx, DType::kFloat32);
  return {ctx.Op("Min", {Reduce(ctx, "ReduceMin", x, axes, keepdims), zero}),
          ctx.Op("Max", {Reduce(ctx, "ReduceMax", x, axes, keepdims), zero})};
}

// Asymmetric: scale = max((max_pos - min_neg) / (quant_max - quant_min), eps),
// zero_point = clamp(quant_min - round(min_neg / scale), quant_min, quant_max) (float32).
std::pair<std::string, std::string> AsymmetricParams(TranslationContext& ctx, const std::string& min_neg,
                                                     const std::string& max_pos, Bounds range, double eps) {
  std::string span = ctx.ConstScalar(double(range.max - range.min), DType::kFloat32);
  std::string scale = ctx.Op("Max", {ctx.Op("Div", {ctx.Op("Sub", {max_pos, min_neg}), span}),
                                     ctx.ConstScalar(eps, DType::kFloat32)});
  std::string zero_point = ctx.Op("Sub", {ctx.ConstScalar(double(range.min), DType::kFloat32),
                                          ctx.Op("Round", {ctx.Op("Div", {min_neg, scale})})});
  zero_point = ctx.Op("Clip", {zero_point, ctx.ConstScalar(double(range.min), DType::kFloat32),
                               ctx.ConstScalar(double(range.max), DType::kFloat32)});
  return {scale, zero_point};
}

// choose_qparams.tensor / choose_qparams_symmetric.tensor(input, quant_min, quant_max, eps, dtype)
// -> (scale float64 [1], zero_point int64 [1]), as torch.ao's determine_qparams computes them.
void TranslateChooseQparams(TranslationContext& ctx, bool symmetric) {
  DType q = QuantDType(ctx, 4, "dtype");
  Bounds range = ConstBounds(ctx, 1, q);
  double eps = ctx.ConstDouble(3, "eps");
  auto [min_neg, max_pos] = SignedExtremes(ctx, ctx.OperandAs(0, DType::kFloat32), {}, false);
  std::string scale, zero_point;
  if (symmetric) {
    std::string largest = ctx.Op("Max", {ctx.Op("Neg", {min_neg}), max_pos});
    scale = ctx.Op("Max", {ctx.Op("Div", {largest, ctx.ConstScalar(double(range.max - range.min) / 2, DType::kFloat32)}),
                           ctx.ConstScalar(eps, DType::kFloat32)});
    zero_point = ctx.ConstScalar(q == DType::kUInt8 ? 128 : 0, DType::kFloat32);
  } else {
    std::tie(scale, zero_point) = AsymmetricParams(ctx, min_neg, max_pos, range, eps);
  }
  ctx.SetOutput(0, ctx.Cast(Reshape(ctx, scale, {1}), DType::kFloat32, ctx.OutDType(0)));
  ctx.SetOutput(1, ctx.Cast(Reshape(ctx, zero_point, {1}), DType::kFloat32, ctx.OutDType(1)));
}

// --- torchao ------------------------------------------------------------------------------

// torchao's block_size over input i as one of the layouts. A block of 1 on a dim keeps one
// parameter per index; a block the size of the dim shares one across it.
Layout LayoutOfBlocks(TranslationContext& ctx, size_t i, const std::vector<int64_t>& block_size) {
  const ir::TensorMeta& meta = ctx.Meta(i);
  int64_t rank = static_cast<int64_t>(meta.rank());
  if (static_cast<int64_t>(block_size.size()) != rank)
    throw UnsupportedError(ctx.node().Key() + ": block_size has " + std::to_string(block_size.size()) +
                           " entries for a tensor of rank " + std::to_string(rank));
  std::vector<int64_t> per_index, whole, split;  // dims by how their block covers them
  for (int64_t d = 0; d < rank; ++d) {
    std::optional<int64_t> size = meta.StaticDim(d);
    int64_t block = block_size[d];
    if (size && *size == 1) continue;  // any block covers it both ways
    if (block == 1) {
      per_index.push_back(d);
    } else if (!size) {
      throw UnsupportedError(ctx.node().Key() + ": a block of " + std::to_string(block) + " along dim " +
                             std::to_string(d) + ", whose size is symbolic");
    } else if (block == *size) {
      whole.push_back(d);
    } else {
      if (block <= 0 || *size % block != 0)
        throw UnsupportedError(ctx.node().Key() + ": a block of " + std::to_string(block) + " does not divide dim " +
                               std::to_string(d) + " of size " + std::to_string(*size));
      split.push_back(d);
    }
  }
  Layout l;
  if (per_index.empty() && split.empty()) return l;  // per tensor
  if (per_index.size() == 1 && split.empty()) return PerAxis(per_index[0]);
  if (whole.size() + split.size() == 1) {
    l.kind = Layout::Kind::kBlocked;
    l.axis = whole.empty() ? split[0] : whole[0];
    l.block = block_size[l.axis];
    return l;
  }
  BlockReduction r = ReductionForBlocks(block_size, StaticShape(ctx, i));
  l.kind = Layout::Kind::kGeneral;
  l.view = r.shape;
  l.params = r.shape;
  for (int64_t dim : r.reduction_dims) l.params[dim] = 1;
  return l;
}

std::optional<int64_t> OptionalBound(TranslationContext& ctx, size_t i, const char* arg) {
  return i < ctx.NumInputs() ? ctx.OptionalConstInt(i, arg) : std::nullopt;
}

Bounds AffineBounds(TranslationContext& ctx, size_t min_at, DType q) {
  Bounds full = DTypeBounds(ctx, q);
  Bounds b{OptionalBound(ctx, min_at, "quant_min").value_or(full.min), OptionalBound(ctx, min_at + 1, "quant_max").value_or(full.max)};
  if (b.min > b.max || b.min < full.min || b.max > full.max)
    throw UnsupportedError(ctx.node().Key() + ": range [" + std::to_string(b.min) + ", " + std::to_string(b.max) +
                           "] does not fit " + std::string(DTypeName(q)));
  return b;
}

// quantize_affine(input, block_size, scale, zero_point?, output_dtype, quant_min=None, quant_max=None)
void TranslateQuantizeAffine(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 4, "output_dtype");
  Layout layout = LayoutOfBlocks(ctx, 0, ctx.ConstInts(1, "block_size"));
  Params p = TensorParams(ctx, 2, 3, q);
  SetResult(ctx, Quantize(ctx, ctx.OperandAs(0, DType::kFloat32), ctx.Rank(0), p, layout, q, AffineBounds(ctx, 5, q)), q);
}

// dequantize_affine(input, block_size, scale, zero_point?, input_dtype, quant_min=None,
// quant_max=None, output_dtype=float32)
void TranslateDequantizeAffine(TranslationContext& ctx) {
  DType q = QuantDType(ctx, 4, "input_dtype");
  AffineBounds(ctx, 5, q);
  Layout layout = LayoutOfBlocks(ctx, 0, ctx.ConstInts(1, "block_size"));
  Params p = TensorParams(ctx, 2, 3, q);
  SetResult(ctx, Dequantize(ctx, ctx.Cast(ctx.Input(0), ctx.InDType(0), q), ctx.Rank(0), p, layout, q), DType::kFloat32);
}

// choose_qparams_affine(input, mapping_type, block_size, target_dtype, quant_min=None,
// quant_max=None, eps=None, scale_dtype=None, zero_point_dtype=None, keepdim=False): the
// extremes of each block, then the asymmetric or symmetric parameters.
void TranslateChooseQparamsAffine(TranslationContext& ctx) {
  std::string mapping = ctx.ConstString(1, "mapping_type");
  if (mapping != "ASYMMETRIC" && mapping != "SYMMETRIC" && mapping != "SYMMETRIC_NO_CLIPPING_ERR")
    throw UnsupportedError(ctx.node().Key() + ": mapping_type '" + mapping + "'");
  DType q = QuantDType(ctx, 3, "target_dtype");
  Bounds range = AffineBounds(ctx, 4, q);
  DType dt = ctx.InDType(0);
  double eps = ctx.OptionalConstDouble(6, "eps").value_or(
      dt == DType::kFloat16 ? 6.103515625e-05 : dt == DType::kBFloat16 ? 1.1754943508222875e-38
      : dt == DType::kFloat64 ? std::numeric_limits<double>::min() : std::numeric_limits<float>::min());
  bool keepdim = ctx.NumInputs() > 9 && ctx.ConstBool(9, "keepdim");
  std::vector<int64_t> block_size = ctx.ConstInts(2, "block_size");
  if (static_cast<int64_t>(block_size.size()) != ctx.Rank(0))
    throw UnsupportedError(ctx.node().Key() + ": block_size rank differs from the input's");
  std::string x = ctx.OperandAs(0, DType::kFloat32);
  // Without split dims the view is x itself, so symbolic dims (a dynamic batch) can stay.
  std::vector<int64_t> sizes(block_size.size(), 0);
  bool splits = false;
  for (size_t d = 0; d < block_size.size(); ++d) {
    std::optional<int64_t> size = ctx.Meta(0).StaticDim(static_cast<int64_t>(d));
    sizes[d] = size.value_or(block_size[d] == 1 ? -1 : 0);
    if (!size && block_size[d] != 1)
      throw UnsupportedError(ctx.node().Key() + ": a block of " + std::to_string(block_size[d]) + " along dim " +
                             std::to_string(d) + ", whose size is symbolic");
    if (size && block_size[d] > 1 && block_size[d] != *size) splits = true;
  }
  BlockReduction r = ReductionForBlocks(block_size, sizes);
  std::string view = splits ? Reshape(ctx, x, r.shape) : x;
  // Blocks of 1 everywhere: every element is its own block.
  auto [min_neg, max_pos] = r.reduction_dims.empty()
                                ? std::pair{ctx.Op("Min", {view, Zero(ctx, DType::kFloat32)}),
                                            ctx.Op("Max", {view, Zero(ctx, DType::kFloat32)})}
                                : SignedExtremes(ctx, view, r.reduction_dims, keepdim);
  std::string scale, zero_point;
  std::string epsilon = ctx.ConstScalar(eps, DType::kFloat32);
  if (mapping == "ASYMMETRIC") {
    std::tie(scale, zero_point) = AsymmetricParams(ctx, min_neg, max_pos, range, eps);
  } else {
    if (mapping == "SYMMETRIC") {
      scale = ctx.Op("Div", {ctx.Op("Max", {ctx.Op("Neg", {min_neg}), max_pos}),
                             ctx.ConstScalar(double(range.max - range.min) / 2, DType::kFloat32)});
    } else {
      std::string from_min = ctx.Op("Div", {min_neg, ctx.ConstScalar(double(range.min), DType::kFloat32)});
      std::string from_max = ctx.Op("Div", {max_pos, ctx.ConstScalar(double(range.max), DType::kFloat32)});
      scale = ctx.Op("Where", {ctx.Op("Greater", {from_min, from_max}), from_min, from_max});
    }
    double middle = std::trunc(double(range.max + range.min + 1) / 2);
    zero_point = ctx.Op("Add", {ctx.Op("Sub", {scale, scale}), ctx.ConstScalar(middle, DType::kFloat32)});
    scale = ctx.Op("Max", {scale, epsilon});
  }
  if (keepdim && splits) {
    std::vector<int64_t> grid;
    for (size_t d = 0; d < block_size.size(); ++d) grid.push_back(sizes[d] / block_size[d]);
    scale = Reshape(ctx, scale, grid);
    zero_point = Reshape(ctx, zero_point, grid);
  }
  ctx.SetOutput(0, ctx.Cast(scale, DType::kFloat32, ctx.OutDType(0)));
  ctx.SetOutput(1, ctx.Cast(zero_point, DType::kFloat32, ctx.OutDType(1)));
}

}  // namespace

void RegisterQdq(Registry& r) {
  r.SetFamily("qdq");
  r.Add("quantized_decomposed::quantize_per_tensor", TranslateQuantizePerTensor);
  r.Add("quantized_decomposed::quantize_per_tensor.tensor", TranslateQuantizePerTensor);
  r.Add("quantized_decomposed::dequantize_per_tensor", TranslateDequantizePerTensor);
  r.Add("quantized_decomposed::dequantize_per_tensor.tensor", TranslateDequantizePerTensor);
  r.Add("quantized_decomposed::quantize_per_channel", TranslateQuantizePerChannel);
  r.Add("quantized_decomposed::dequantize_per_channel", TranslateDequantizePerChannel);
  r.Add("quantized_decomposed::dequantize_per_channel_group", {kBlockedOpset, kMaxOpset}, TranslateDequantizePerChannelGroup);
  r.Add("quantized_decomposed::choose_qparams.tensor", [](TranslationContext& ctx) { TranslateChooseQparams(ctx, false); });
  r.Add("quantized_decomposed::choose_qparams_symmetric.tensor",
        [](TranslationContext& ctx) { TranslateChooseQparams(ctx, true); });
  r.Add("torchao::quantize_affine", TranslateQuantizeAffine);
  r.Add("torchao::dequantize_affine", TranslateDequantizeAffine);
  r.Add("torchao::choose_qparams_affine", TranslateChooseQparamsAffine);
}

}  // namespace t2o
