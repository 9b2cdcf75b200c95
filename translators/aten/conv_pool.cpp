// Convolution, pooling and resizing.
#include <optional>

#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

// Expands an int-or-list argument to one value per spatial dim.
std::vector<int64_t> PerDim(const std::vector<int64_t>& v, size_t spatial, int64_t fill) {
  if (v.empty()) return std::vector<int64_t>(spatial, fill);
  if (v.size() == 1) return std::vector<int64_t>(spatial, v[0]);
  return v;
}

// [p1, p2] -> ONNX [p1, p2, p1, p2] (begins then ends).
std::vector<int64_t> SymmetricPads(const std::vector<int64_t>& p) {
  std::vector<int64_t> pads = p;
  pads.insert(pads.end(), p.begin(), p.end());
  return pads;
}

struct ConvArgs {
  std::vector<int64_t> stride, padding, dilation, output_padding;
  std::string padding_mode;  // "same"/"valid" for the string overloads
  bool transposed = false;
  int64_t groups = 1;
};

void EmitConv(TranslationContext& ctx, const ConvArgs& a) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  std::string w = ctx.OperandAs(1, dt);
  size_t spatial = static_cast<size_t>(ctx.Rank(1) - 2);
  std::vector<int64_t> kernel = StaticShape(ctx, 1);
  kernel.erase(kernel.begin(), kernel.begin() + 2);
  bool unbatched = ctx.Rank(0) == static_cast<int64_t>(spatial) + 1;
  if (unbatched) x = Unsqueeze(ctx, x, {0});
  std::vector<std::string> ins{x, w};
  if (!ctx.IsNone(2)) ins.push_back(ctx.OperandAs(2, dt));
  Attrs attrs{{"strides", PerDim(a.stride, spatial, 1)},
              {"dilations", PerDim(a.dilation, spatial, 1)},
              {"group", a.groups},
              {"kernel_shape", kernel}};
  if (a.padding_mode == "same") {
    // Explicit pads (ONNX Runtime's SAME_UPPER refuses dilation): PyTorch puts the odd
    // element at the end.
    auto dilation = PerDim(a.dilation, spatial, 1);
    std::vector<int64_t> pads(2 * spatial);
    for (size_t k = 0; k < spatial; ++k) {
      int64_t total = dilation[k] * (kernel[k] - 1);
      pads[k] = total / 2;
      pads[k + spatial] = total - total / 2;
    }
    attrs.push_back({"pads", pads});
  } else if (a.padding_mode != "valid") {
    attrs.push_back({"pads", SymmetricPads(PerDim(a.padding, spatial, 0))});
  }
  std::string y;
  if (a.transposed) {
    attrs.push_back({"output_padding", PerDim(a.output_padding, spatial, 0)});
    y = ctx.Op("ConvTranspose", ins, attrs);
  } else {
    y = ctx.Op("Conv", ins, attrs);
  }
  if (unbatched) y = Squeeze(ctx, y, {0});
  ctx.SetOutput(0, y);
}

// aten::_convolution(input, weight, bias, stride, padding, dilation, transposed,
//                    output_padding, groups, benchmark, deterministic, cudnn_enabled, allow_tf32)
// aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups)
void TranslateConvolution(TranslationContext& ctx) {
  ConvArgs a;
  a.stride = ctx.ConstInts(3, "stride");
  a.padding = ctx.ConstInts(4, "padding");
  a.dilation = ctx.ConstInts(5, "dilation");
  a.transposed = ctx.ConstBool(6, "transposed");
  a.output_padding = ctx.ConstInts(7, "output_padding");
  a.groups = ctx.ConstInt(8, "groups");
  EmitConv(ctx, a);
}

// aten::conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)
// (padding may be 'same'/'valid' in the .padding overload, and in
// aten::_convolution_mode(input, weight, bias, stride, str padding, dilation, groups))
void TranslateConvNd(TranslationContext& ctx) {
  ConvArgs a;
  a.stride = ctx.ConstInts(3, "stride");
  if (ctx.InputValue(4).kind == ir::ValueKind::kString)
    a.padding_mode = ctx.ConstString(4, "padding");
  else
    a.padding = ctx.ConstInts(4, "padding");
  a.dilation = ctx.ConstInts(5, "dilation");
  a.groups = ctx.ConstInt(6, "groups");
  EmitConv(ctx, a);
}

// aten::conv_transpose2d.input(input, weight, bias=None, stride=1, padding=0,
//                              output_padding=0, groups=1, dilation=1)
void TranslateConvTransposeNd(TranslationContext& ctx) {
  ConvArgs a;
  a.transposed = true;
  a.stride = ctx.ConstInts(3, "stride");
  a.padding = ctx.ConstInts(4, "padding");
  a.output_padding = ctx.ConstInts(5, "output_padding");
  a.groups = ctx.ConstInt(6, "groups");
  a.dilation = ctx.ConstInts(7, "dilation");
  EmitConv(ctx, a);
}

// aten::max_pool2d(self, kernel_size, stride=[], padding=0, dilation=1, ceil_mode=False)
void TranslateMaxPool(TranslationContext& ctx, size_t spatial, bool with_indices) {
  auto kernel = PerDim(ctx.ConstInts(1, "kernel_size"), spatial, 1);
  auto stride = ctx.ConstInts(2, "stride");
  stride = stride.empty() ? kernel : PerDim(stride, spatial, 1);
  auto padding = PerDim(ctx.ConstInts(3, "padding"), spatial, 0);
  auto dilation = PerDim(ctx.ConstInts(4, "dilation"), spatial, 1);
  bool ceil_mode = ctx.ConstBool(5, "ceil_mode");
  std::string x = ctx.Input(0);
  bool unbatched = ctx.Rank(0) == static_cast<int64_t>(spatial) + 1;
  if (unbatched) x = Unsqueeze(ctx, x, {0});
  std::vector<int64_t> pads = SymmetricPads(padding);
  if (ceil_mode) {
    // PyTorch drops a last window that would start in the right padding; ONNX keeps it.
    // With static sizes, floor mode plus enough end padding gives PyTorch's size exactly.
    auto in = StaticTrailingDims(ctx, 0, spatial);
    for (size_t k = 0; k < spatial; ++k) {
      int64_t extent = dilation[k] * (kernel[k] - 1) + 1;
      int64_t span = in[k] + 2 * padding[k] - extent;
      int64_t out = (span + stride[k] - 1) / stride[k] + 1;
      if ((out - 1) * stride[k] >= in[k] + padding[k]) --out;
      pads[k + spatial] = std::max(padding[k], (out - 1) * stride[k] + extent - in[k] - padding[k]);
    }
    ceil_mode = false;
  }
  Attrs attrs{{"kernel_shape", kernel}, {"strides", stride}, {"pads", pads},
              {"dilations", dilation}, {"ceil_mode", int64_t{ceil_mode}}};
  if (with_indices) {
    auto outs = ctx.OpMulti("MaxPool", {x}, 2, attrs);
    if (unbatched) outs = {Squeeze(ctx, outs[0], {0}), Squeeze(ctx, outs[1], {0})};
    ctx.SetOutput(0, outs[0]);
    // ONNX indices count over the whole (N, C, ...) tensor; PyTorch's per (N, C) plane.
    const ir::TensorMeta& meta = ctx.Meta(0);
    bool static_plane = true;
    for (size_t k = 0; k < spatial; ++k) static_plane = static_plane && meta.StaticDim(-1 - static_cast<int64_t>(k));
    std::string plane;
    if (static_plane) {
      int64_t size = 1;
      for (int64_t d : StaticTrailingDims(ctx, 0, spatial)) size *= d;
      plane = ctx.ConstInt64(size);
    } else {  // spatial dims known only at run time: their product from the input's shape
      std::string dims = ctx.Op("Slice", {ShapeOf(ctx, x), ctx.ConstInt64s({-static_cast<int64_t>(spatial)}),
                                          ctx.ConstInt64s({std::numeric_limits<int64_t>::max()})});
      plane = ctx.Op("ReduceProd", {dims}, {{"keepdims", int64_t{0}}});
    }
    ctx.SetOutput(1, ctx.Op("Mod", {outs[1], plane}, {{"fmod", int64_t{0}}}));
    return;
  }
  std::string y = ctx.Op("MaxPool", {x}, attrs);
  if (unbatched) y = Squeeze(ctx, y, {0});
  ctx.SetOutput(0, y);
}

// aten::avg_pool2d(self, kernel_size, stride=[], padding=0, ceil_mode=False,
//                  count_include_pad=True, divisor_override=None)
void TranslateAvgPool(TranslationContext& ctx, size_t spatial) {
  auto kernel = PerDim(ctx.ConstInts(1, "kernel_size"), spatial, 1);
  auto stride = ctx.ConstInts(2, "stride");
  stride = stride.empty() ? kernel : PerDim(stride, spatial, 1);
  auto padding = PerDim(ctx.ConstInts(3, "padding"), spatial, 0);
  bool ceil_mode = ctx.NumInputs() > 4 && ctx.ConstBool(4, "ceil_mode");
  bool count_include_pad = ctx.NumInputs() <= 5 || ctx.ConstBool(5, "count_include_pad");
  std::optional<int64_t> divisor;
  if (ctx.NumInputs() > 6 && !ctx.IsNone(6)) {
    divisor = ctx.ConstInt(6, "divisor_override");
    // sum / divisor = (average over the whole window) * area / divisor, when every window
    // is a whole kernel (padding counted, no ceil_mode windows cut short).
    if (ceil_mode) throw UnsupportedError("avg_pool: divisor_override together with ceil_mode is not supported");
    count_include_pad = true;
  }
  std::string x = ctx.Input(0);
  bool unbatched = ctx.Rank(0) == static_cast<int64_t>(spatial) + 1;
  if (unbatched) x = Unsqueeze(ctx, x, {0});
  std::string y = ctx.Op("AveragePool", {x},
                         {{"kernel_shape", kernel}, {"strides", stride}, {"pads", SymmetricPads(padding)},
                          {"ceil_mode", int64_t{ceil_mode}}, {"count_include_pad", int64_t{count_include_pad}}});
  if (divisor) {
    int64_t area = 1;
    for (int64_t k : kernel) area *= k;
    y = ctx.Op("Mul", {y, ctx.ConstScalar(static_cast<double>(area) / static_cast<double>(*divisor), ctx.OutDType())});
  }
  if (unbatched) y = Squeeze(ctx, y, {0});
  ctx.SetOutput(0, y);
}

// aten::adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor
void TranslateAdaptivePool(TranslationContext& ctx, size_t spatial, bool is_max) {
  auto out_size = PerDim(ctx.ConstInts(1, "output_size"), spatial, 1);
  std::string x = ctx.Input(0);
  int64_t rank = ctx.Rank(0);
  bool want_indices = is_max && ctx.node().outputs.size() > 1 && !ctx.node().outputs[1]->uses.empty();
  bool global = true;
  for (size_t k = 0; k < spatial; ++k) global = global && out_size[k] == 1;
  if (global && !want_indices) return ctx.SetOutput(0, ctx.Op(is_max ? "GlobalMaxPool" : "GlobalAveragePool", {x}));
  std::vector<int64_t> in = StaticTrailingDims(ctx, 0, spatial);
  bool divides = true;
  for (size_t k = 0; k < spatial; ++k) divides = divides && in[k] % out_size[k] == 0;
  if (divides) {
    std::vector<int64_t> kernel;
    for (size_t k = 0; k < spatial; ++k) kernel.push_back(in[k] / out_size[k]);
    Attrs attrs{{"kernel_shape", kernel}, {"strides", kernel}};
    if (!want_indices) return ctx.SetOutput(0, ctx.Op(is_max ? "MaxPool" : "AveragePool", {x}, attrs));
    auto outs = ctx.OpMulti("MaxPool", {x}, 2, attrs);
    int64_t plane = 1;
    for (int64_t d : in) plane *= d;
    ctx.SetOutput(0, outs[0]);
    // ONNX indices count over the whole (N, C, ...) tensor; PyTorch's per (N, C) plane.
    return ctx.SetOutput(1, ctx.Op("Mod", {outs[1], ctx.ConstInt64(plane)}, {{"fmod", int64_t{0}}}));
  }
  if (want_indices) throw UnsupportedError("adaptive_max_pool indices for sizes that do not divide the input");
  // Windows [floor(i*in/out), ceil((i+1)*in/out)) per dim; max and mean over a box are
  // separable, so each dim is pooled on its own.
  std::string y = x;
  for (size_t k = 0; k < spatial; ++k) {
    int64_t axis = rank - static_cast<int64_t>(spatial) + static_cast<int64_t>(k);
    std::vector<std::string> cells;
    for (int64_t i = 0; i < out_size[k]; ++i) {
      int64_t begin = i * in[k] / out_size[k];
      int64_t end = ((i + 1) * in[k] + out_size[k] - 1) / out_size[k];
      std::string window = ctx.Op("Slice", {y, ctx.ConstInt64s({begin}), ctx.ConstInt64s({end}), ctx.ConstInt64s({axis})});
      cells.push_back(Reduce(ctx, is_max ? "ReduceMax" : "ReduceMean", window, {axis}, true));
    }
    y = cells.size() == 1 ? cells[0] : ctx.Op("Concat", cells, {{"axis", axis}});
  }
  ctx.SetOutput(0, y);
}

// Kernels that pick one tap each: channel c * kh * kw + i * kw + j has a 1 at (i, j).
std::string OneHotKernels(TranslationContext& ctx, int64_t channels, int64_t kh, int64_t kw, DType dt) {
  int64_t taps = kh * kw;
  std::vector<float> w(channels * taps * taps, 0.0f);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t t = 0; t < taps; ++t) w[(c * taps + t) * taps + t] = 1.0f;
  return ctx.Cast(ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {channels * taps, 1, kh, kw}, w)),
                  DType::kFloat32, dt);
}

// aten::im2col(Tensor self, int[2] kernel_size, int[2] dilation, int[2] padding, int[2] stride)
// (F.unfold): a grouped convolution with one-hot kernels copies every tap exactly.
void TranslateIm2Col(TranslationContext& ctx) {
  auto k = PerDim(ctx.ConstInts(1, "kernel_size"), 2, 1);
  auto dilation = PerDim(ctx.ConstInts(2, "dilation"), 2, 1);
  auto padding = PerDim(ctx.ConstInts(3, "padding"), 2, 0);
  auto stride = PerDim(ctx.ConstInts(4, "stride"), 2, 1);
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt);
  bool unbatched = ctx.Rank(0) == 3;
  if (unbatched) x = Unsqueeze(ctx, x, {0});
  int64_t channels = StaticTrailingDims(ctx, 0, 3)[0];
  std::string y = ctx.Op("Conv", {x, OneHotKernels(ctx, channels, k[0], k[1], dt)},
                         {{"kernel_shape", k}, {"strides", stride}, {"dilations", dilation},
                          {"pads", SymmetricPads(padding)}, {"group", channels}});
  y = Reshape(ctx, y, {0, 0, -1});
  ctx.SetOutput(0, unbatched ? Squeeze(ctx, y, {0}) : y);
}

// aten::col2im(Tensor self, int[2] output_size, int[2] kernel_size, int[2] dilation,
//              int[2] padding, int[2] stride) (F.fold)
struct Col2ImArgs {
  std::vector<int64_t> out, k, dilation, padding, stride;
  std::string x;  // batched: [N, C * kh * kw, blocks]
  bool unbatched;
};

Col2ImArgs ReadCol2Im(TranslationContext& ctx, const std::string& x) {
  Col2ImArgs a{PerDim(ctx.ConstInts(1, "output_size"), 2, 1), PerDim(ctx.ConstInts(2, "kernel_size"), 2, 1),
               PerDim(ctx.ConstInts(3, "dilation"), 2, 1),    PerDim(ctx.ConstInts(4, "padding"), 2, 0),
               PerDim(ctx.ConstInts(5, "stride"), 2, 1),      x,
               ctx.Rank(0) == 2};
  if (a.unbatched) a.x = Unsqueeze(ctx, a.x, {0});
  return a;
}

// The transposed convolution with the same one-hot kernels sums overlapping taps, as fold
// does.
void TranslateCol2Im13(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  Col2ImArgs a = ReadCol2Im(ctx, ctx.OperandAs(0, dt));
  int64_t rows = StaticTrailingDims(ctx, 0, 2)[0];
  int64_t channels = rows / (a.k[0] * a.k[1]);
  std::vector<int64_t> blocks(2), output_padding(2);
  for (int d = 0; d < 2; ++d) {
    blocks[d] = (a.out[d] + 2 * a.padding[d] - a.dilation[d] * (a.k[d] - 1) - 1) / a.stride[d] + 1;
    int64_t produced = (blocks[d] - 1) * a.stride[d] - 2 * a.padding[d] + a.dilation[d] * (a.k[d] - 1) + 1;
    output_padding[d] = a.out[d] - produced;
  }
  std::string x = Reshape(ctx, a.x, {0, rows, blocks[0], blocks[1]});
  std::string y = ctx.Op("ConvTranspose", {x, OneHotKernels(ctx, channels, a.k[0], a.k[1], dt)},
                         {{"kernel_shape", a.k}, {"strides", a.stride}, {"dilations", a.dilation},
                          {"pads", SymmetricPads(a.padding)}, {"group", channels}, {"output_padding", output_padding}});
  ctx.SetOutput(0, a.unbatched ? Squeeze(ctx, y, {0}) : y);
}

// The same with ONNX Col2Im (opset 18).
void TranslateCol2Im18(TranslationContext& ctx) {
  Col2ImArgs a = ReadCol2Im(ctx, ctx.Input(0));
  std::string y = ctx.Op("Col2Im", {a.x, ctx.ConstInt64s(a.out), ctx.ConstInt64s(a.k)},
                         {{"dilations", a.dilation}, {"pads", SymmetricPads(a.padding)}, {"strides", a.stride}});
  ctx.SetOutput(0, a.unbatched ? Squeeze(ctx, y, {0}) : y);
}

// aten::upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners,
//                               float[]? scale_factors) -> Tensor
// aten::upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors)
// and the non-vec overloads (output_size, [align_corners,] scales_h, scales_w).
void TranslateUpsample(TranslationContext& ctx, const std::string& mode, bool has_align_corners, bool antialias = false) {
  std::string x = ctx.Input(0);
  int64_t rank = ctx.Rank(0);
  bool align = has_align_corners && ctx.ConstBool(2, "align_corners");
  Attrs attrs{{"mode", mode}};
  // Resize's antialias (opset 18); PyTorch spreads the filter over the input pixels only.
  if (antialias) {
    attrs.push_back({"antialias", int64_t{1}});
    attrs.push_back({"exclude_outside", int64_t{1}});
  }
  if (mode == "nearest") {
    attrs.push_back({"coordinate_transformation_mode", std::string("asymmetric")});
    attrs.push_back({"nearest_mode", std::string("floor")});
  } else if (mode == "nearest-exact") {
    // PyTorch: src = floor((dst + 0.5) * in / out), which is half_pixel's (dst + 0.5) * in / out
    // - 0.5 rounded half up.
    attrs = {{"mode", std::string("nearest")},
             {"coordinate_transformation_mode", std::string("half_pixel")},
             {"nearest_mode", std::string("round_prefer_ceil")}};
  } else {
    attrs.push_back({"coordinate_transformation_mode", std::string(align ? "align_corners" : "pytorch_half_pixel")});
    // PyTorch's antialiased bicubic uses a = -0.5 (as PIL does), the plain one -0.75.
    if (mode == "cubic") attrs.push_back({"cubic_coeff_a", antialias ? -0.5f : -0.75f});
  }
  // Static output size is known from the captured metadata; it is exact whatever mix
  // of size/scale the call used, and Resize with explicit sizes matches PyTorch when the
  // scale is recomputed from sizes, which PyTorch does unless scale factors are given.
  size_t scale_index = has_align_corners ? 3 : 2;
  bool has_scales = ctx.node().overload == "vec" && ctx.NumInputs() > scale_index && !ctx.IsNone(scale_index);
  if (has_scales) {
    auto scales = ctx.ConstDoubles(scale_index, "scale_factors");
    std::vector<float> s{1.0f, 1.0f};
    for (double v : scales) s.push_back(static_cast<float>(v));
    while (s.size() < static_cast<size_t>(rank)) s.push_back(s.back());
    std::string scales_const = ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {int64_t(s.size())}, s));
    ctx.SetOutput(0, ctx.Op("Resize", {x, "", scales_const}, attrs));
    return;
  }
  std::string sizes;
  if (ctx.IsConstant(1)) {
    auto out_size = ctx.ConstInts(1, "output_size");
    std::string lead = ctx.Op("Slice", {ShapeOf(ctx, x), ctx.ConstInt64s({0}), ctx.ConstInt64s({rank - static_cast<int64_t>(out_size.size())})});
    sizes = ctx.Op("Concat", {lead, ctx.ConstInt64s(out_size)}, {{"axis", int64_t{0}}});
  } else {
    std::string size_list = ctx.IntListInput(1);
    std::string lead = ctx.Op("Slice", {ShapeOf(ctx, x), ctx.ConstInt64s({0}), ctx.ConstInt64s({2})});
    sizes = ctx.Op("Concat", {lead, size_list}, {{"axis", int64_t{0}}});
    // Its length stated: ONNX's Resize shape inference fails on sizes of unknown length,
    // which is what it infers inside Loop bodies.
    if (rank > 0) sizes = Reshape(ctx, sizes, {rank});
  }
  ctx.SetOutput(0, ctx.Op("Resize", {x, "", "", sizes}, attrs));
}


// aten::max_unpool2d(Tensor self, Tensor indices, SymInt[2] output_size) and
// aten::max_unpool3d(self, indices, SymInt[3] output_size, int[3] stride, int[3] padding):
// each value written at its flat position within its (n, c) plane of the output (the
// indices max_pool*_with_indices returns), zeros elsewhere: one ScatterElements over the
// flattened planes. Duplicate indices leave an unspecified winner, as in PyTorch.
void TranslateMaxUnpool(TranslationContext& ctx, size_t spatial) {
  DType dt = ctx.InDType(0);
  std::vector<int64_t> size = ctx.ConstInts(2, "output_size");
  if (size.size() != spatial) throw UnsupportedError(ctx.node().Key() + ": output_size needs " + std::to_string(spatial) + " sizes");
  bool batched = ctx.Rank(0) == static_cast<int64_t>(spatial) + 2;
  std::string x = ctx.Input(0), indices = ctx.OperandAs(1, DType::kInt64);
  if (!batched) {
    x = Unsqueeze(ctx, x, {0});
    indices = Unsqueeze(ctx, indices, {0});
  }
  int64_t plane = 1;
  for (int64_t s : size) plane *= s;
  std::string lead = ShapeSlice(ctx, x, 0, 2);
  std::string flat = ctx.Op("Concat", {lead, ctx.ConstInt64s({-1})}, {{"axis", int64_t{0}}});
  std::string zeros = ctx.Op("Expand", {Zero(ctx, dt), ctx.Op("Concat", {lead, ctx.ConstInt64s({plane})}, {{"axis", int64_t{0}}})});
  std::string out = ctx.Op("ScatterElements", {zeros, ctx.Op("Reshape", {indices, flat}), ctx.Op("Reshape", {x, flat})},
                           {{"axis", int64_t{2}}});
  out = ctx.Op("Reshape", {out, ctx.Op("Concat", {lead, ctx.ConstInt64s(size)}, {{"axis", int64_t{0}}})});
  ctx.SetOutput(0, batched ? out : Squeeze(ctx, out, {0}));
}

}  // namespace

void RegisterConvPool(Registry& r) {
  r.SetFamily("conv_pool");
  r.Add("aten::im2col", TranslateIm2Col);
  r.Add("aten::col2im", {13, 17}, TranslateCol2Im13);
  r.Add("aten::col2im", {18, kMaxOpset}, TranslateCol2Im18);
  r.Add("aten::_convolution", TranslateConvolution);
  r.Add("aten::convolution", TranslateConvolution);
  r.Add("aten::conv1d", TranslateConvNd);
  r.Add("aten::_convolution_mode", TranslateConvNd);  // traced conv*d(padding='same'/'valid')
  r.Add("aten::conv2d", TranslateConvNd);
  r.Add("aten::conv3d", TranslateConvNd);
  r.Add("aten::conv_transpose1d", TranslateConvTransposeNd);
  r.Add("aten::conv_transpose2d", TranslateConvTransposeNd);
  r.Add("aten::conv_transpose3d", TranslateConvTransposeNd);
  for (size_t d = 1; d <= 3; ++d) {
    std::string n = std::to_string(d);
    r.Add("aten::max_pool" + n + "d", [d](TranslationContext& c) { TranslateMaxPool(c, d, false); });
    r.Add("aten::max_pool" + n + "d_with_indices", [d](TranslationContext& c) { TranslateMaxPool(c, d, true); });
    r.Add("aten::avg_pool" + n + "d", [d](TranslationContext& c) { TranslateAvgPool(c, d); });
    r.Add("aten::adaptive_avg_pool" + n + "d", [d](TranslationContext& c) { TranslateAdaptivePool(c, d, false); });
    // The kernels adaptive_avg_pool2d/3d decompose to.
    if (d > 1) r.Add("aten::_adaptive_avg_pool" + n + "d", [d](TranslationContext& c) { TranslateAdaptivePool(c, d, false); });
    r.Add("aten::adaptive_max_pool" + n + "d", [d](TranslationContext& c) { TranslateAdaptivePool(c, d, true); });
  }
  r.Add("aten::upsample_nearest1d", [](TranslationContext& c) { TranslateUpsample(c, "nearest", false); });
  r.Add("aten::upsample_nearest2d", [](TranslationContext& c) { TranslateUpsample(c, "nearest", false); });
  r.Add("aten::upsample_nearest3d", [](TranslationContext& c) { TranslateUpsample(c, "nearest", false); });
  r.Add("aten::upsample_linear1d", [](TranslationContext& c) { TranslateUpsample(c, "linear", true); });
  r.Add("aten::upsample_bilinear2d", [](TranslationContext& c) { TranslateUpsample(c, "linear", true); });
  r.Add("aten::upsample_trilinear3d", [](TranslationContext& c) { TranslateUpsample(c, "linear", true); });
  r.Add("aten::upsample_bicubic2d", [](TranslationContext& c) { TranslateUpsample(c, "cubic", true); });
  for (std::string n : {"1", "2", "3"})
    r.Add("aten::_upsample_nearest_exact" + n + "d", [](TranslationContext& c) { TranslateUpsample(c, "nearest-exact", false); });
  // interpolate(..., antialias=True): ONNX Resize has an antialias attribute from opset 18.
  r.Add("aten::max_unpool2d", [](TranslationContext& c) { TranslateMaxUnpool(c, 2); });
  r.Add("aten::max_unpool3d", [](TranslationContext& c) { TranslateMaxUnpool(c, 3); });
  r.Add("aten::_upsample_bilinear2d_aa", {18, kMaxOpset}, [](TranslationContext& c) { TranslateUpsample(c, "linear", true, true); });
  r.Add("aten::_upsample_bicubic2d_aa", {18, kMaxOpset}, [](TranslationContext& c) { TranslateUpsample(c, "cubic", true, true); });
}

}  // namespace t2o
