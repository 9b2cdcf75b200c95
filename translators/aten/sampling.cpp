// Sampling grids: grid_sample (ONNX GridSample, opsets 16 and 20) and affine_grid.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// aten::grid_sampler(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners)
// ONNX GridSample: 4-D input with modes bilinear/nearest/bicubic from opset 16; from opset
// 20 also 5-D (volumetric) input, the modes then named linear/nearest/cubic.
void GridSample(TranslationContext& ctx, const char* const* modes) {
  static const char* kPadding[] = {"zeros", "border", "reflection"};
  int64_t mode = ctx.ConstInt(2, "interpolation_mode");
  int64_t padding = ctx.ConstInt(3, "padding_mode");
  if (mode < 0 || mode > 2 || padding < 0 || padding > 2) throw UnsupportedError("grid_sample: unknown mode");
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("GridSample", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)},
                          {{"mode", std::string(modes[mode])}, {"padding_mode", std::string(kPadding[padding])},
                           {"align_corners", int64_t{ctx.ConstBool(4, "align_corners")}}}));
}

void TranslateGridSample16(TranslationContext& ctx) {
  static const char* kModes[] = {"bilinear", "nearest", "bicubic"};
  if (ctx.Rank(0) != 4)
    throw UnsupportedError("grid_sample on 5-D (volumetric) input needs ONNX GridSample of opset 20 or later");
  GridSample(ctx, kModes);
}

void TranslateGridSample20(TranslationContext& ctx) {
  static const char* kModes[] = {"linear", "nearest", "cubic"};
  if (ctx.Rank(0) == 5 && ctx.ConstInt(2, "interpolation_mode") == 2)
    throw UnsupportedError("grid_sample: bicubic interpolation of 5-D input (PyTorch has none either)");
  GridSample(ctx, kModes);
}

// Normalized coordinates of `n` pixel centers in [-1, 1] (or of the corners with align_corners).
std::vector<float> Linspace(int64_t n, bool align_corners) {
  std::vector<float> v(n);
  for (int64_t i = 0; i < n; ++i) {
    double t = n == 1 ? 0.0 : -1.0 + 2.0 * static_cast<double>(i) / static_cast<double>(n - 1);
    if (!align_corners) t = t * static_cast<double>(n - 1) / static_cast<double>(n);
    v[i] = static_cast<float>(t);
  }
  return v;
}

// aten::affine_grid_generator(Tensor theta, int[] size, bool align_corners) -> Tensor
// 2-D: size (N, C, H, W), theta (N, 2, 3) -> grid (N, H, W, 2) = base (H*W, 3) @ theta^T;
// 3-D: size (N, C, D, H, W), theta (N, 3, 4) -> grid (N, D, H, W, 3) = base (D*H*W, 4) @ theta^T.
void TranslateAffineGrid13(TranslationContext& ctx) {
  auto size = ctx.ConstInts(1, "size");
  bool align = ctx.ConstBool(2, "align_corners");
  if (size.size() != 4 && size.size() != 5)
    throw UnsupportedError("affine_grid: size must have 4 (2-D) or 5 (3-D) entries");
  bool volumetric = size.size() == 5;
  int64_t d = volumetric ? size[2] : 1, h = size[size.size() - 2], w = size.back();
  auto zs = Linspace(d, align), ys = Linspace(h, align), xs = Linspace(w, align);
  std::vector<float> base;
  for (int64_t k = 0; k < d; ++k)
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j) {
        if (volumetric) base.insert(base.end(), {xs[j], ys[i], zs[k], 1.0f});
        else base.insert(base.end(), {xs[j], ys[i], 1.0f});
      }
  int64_t coords = volumetric ? 4 : 3;
  DType dt = ctx.OutDType();
  std::string grid = ctx.Cast(ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {1, d * h * w, coords}, base)),
                              DType::kFloat32, dt);
  std::string theta_t = ctx.Op("Transpose", {ctx.OperandAs(0, dt)}, {{"perm", std::vector<int64_t>{0, 2, 1}}});
  std::string points = ctx.Op("MatMul", {grid, theta_t});  // (N, D*H*W, coords - 1)
  if (volumetric) return ctx.SetOutput(0, Reshape(ctx, points, {size[0], d, h, w, 3}));
  ctx.SetOutput(0, Reshape(ctx, points, {size[0], h, w, 2}));
}

// ONNX AffineGrid (opset 20): the same, one node.
void TranslateAffineGrid20(TranslationContext& ctx) {
  auto size = ctx.ConstInts(1, "size");
  if (size.size() != 4 && size.size() != 5)
    throw UnsupportedError("affine_grid: size must have 4 (2-D) or 5 (3-D) entries");
  DType dt = ctx.OutDType();
  ctx.SetOutput(0, ctx.Op("AffineGrid", {ctx.OperandAs(0, dt), ctx.ConstInt64s(size)},
                          {{"align_corners", int64_t{ctx.ConstBool(2, "align_corners")}}}));
}

}  // namespace

void RegisterSampling(Registry& r) {
  r.SetFamily("sampling");
  for (const char* op : {"aten::grid_sampler", "aten::grid_sampler_2d", "aten::grid_sampler_3d"}) {
    r.Add(op, {16, 19}, TranslateGridSample16);
    r.Add(op, {20, kMaxOpset}, TranslateGridSample20);
  }
  r.Add("aten::affine_grid_generator", {13, 19}, TranslateAffineGrid13);
  r.Add("aten::affine_grid_generator", {20, kMaxOpset}, TranslateAffineGrid20);
}

}  // namespace t2o
