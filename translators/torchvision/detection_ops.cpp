// torchvision's detection operators: nms -> ONNX NonMaxSuppression, roi_align -> RoiAlign,
// roi_pool -> MaxRoiPool, deform_conv2d -> DeformConv.
// libt2o_torch registers their schemas with reference kernels (core/capture/torchvision_ops.cpp).
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// torchvision::nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor
// Both keep boxes greedily in descending score order (ties: lower index first) and drop a box
// whose IoU with a kept one is above the threshold; ONNX's form works on [batch, class]
// groups, here one group of all boxes, with no limit on the count kept.
void TranslateNms(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  std::string boxes = ctx.Cast(ctx.Input(0), dt, DType::kFloat32);  // NonMaxSuppression takes float32 only
  std::string scores = ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kFloat32);
  std::string all_boxes = ShapeSlice(ctx, boxes, 0, 1);
  std::string selected =
      ctx.Op("NonMaxSuppression", {Unsqueeze(ctx, boxes, {0}), Unsqueeze(ctx, scores, {0, 1}), all_boxes,
                                   ctx.ConstScalar(ctx.ConstDouble(2, "iou_threshold"), DType::kFloat32)});
  // selected_indices rows are (batch, class, box).
  ctx.SetOutput(0, ctx.Op("Gather", {selected, ctx.ConstInt64(2)}, {{"axis", int64_t{1}}}));
}

// torchvision::roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height,
//                        SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor
// rois rows are (batch index, x1, y1, x2, y2). aligned=False is RoiAlign's
// coordinate_transformation_mode "output_half_pixel" (the only mode before opset 16),
// aligned=True its "half_pixel".
void TranslateRoiAlign(TranslationContext& ctx) {
  bool aligned = ctx.ConstBool(6, "aligned");
  if (aligned && ctx.opset() < 16) {
    throw UnsupportedError("torchvision::roi_align with aligned=True needs ONNX RoiAlign's half_pixel coordinates (opset 16 or later)");
  }
  DType dt = ctx.InDType(0);
  // ONNX Runtime's CPU RoiAlign takes float32 and float64.
  DType compute = dt == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32;
  std::string x = ctx.Cast(ctx.Input(0), dt, compute);
  std::string rois = ctx.Cast(ctx.Input(1), ctx.InDType(1), compute);
  std::string boxes = ctx.Op("Slice", {rois, ctx.ConstInt64s({1}), ctx.ConstInt64s({5}), ctx.ConstInt64s({1})});
  std::string batch = ctx.Op("Gather", {rois, ctx.ConstInt64(0)}, {{"axis", int64_t{1}}});
  Attrs attrs{{"mode", std::string("avg")},
              {"output_height", ctx.ConstInt(3, "pooled_height")},
              {"output_width", ctx.ConstInt(4, "pooled_width")},
              {"sampling_ratio", std::max<int64_t>(ctx.ConstInt(5, "sampling_ratio"), 0)},  // 0: adaptive, as torchvision's <= 0
              {"spatial_scale", static_cast<float>(ctx.ConstDouble(2, "spatial_scale"))}};
  if (ctx.opset() >= 16) attrs.push_back({"coordinate_transformation_mode", std::string(aligned ? "half_pixel" : "output_half_pixel")});
  std::string pooled = ctx.Op("RoiAlign", {x, boxes, ctx.Cast(batch, compute, DType::kInt64)}, attrs);
  ctx.SetOutput(0, ctx.Cast(pooled, compute, dt));
}

// torchvision::roi_pool(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height,
//                       SymInt pooled_width) -> (Tensor output, Tensor argmax)
// Both are Fast R-CNN's RoI max pooling over (batch index, x1, y1, x2, y2) rows: ONNX
// MaxRoiPool, in float32 (ONNX Runtime's CPU kernel). argmax only feeds the gradient.
void TranslateRoiPool(TranslationContext& ctx) {
  if (ctx.node().outputs.size() > 1 && !ctx.node().outputs[1]->uses.empty())
    throw UnsupportedError("torchvision::roi_pool: its argmax output (positions for the gradient) has no ONNX form; "
                           "only the pooled values convert");
  DType dt = ctx.InDType(0);
  std::string pooled = ctx.Op("MaxRoiPool", {ctx.Cast(ctx.Input(0), dt, DType::kFloat32), ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kFloat32)},
                              {{"pooled_shape", std::vector<int64_t>{ctx.ConstInt(3, "pooled_height"), ctx.ConstInt(4, "pooled_width")}},
                               {"spatial_scale", static_cast<float>(ctx.ConstDouble(2, "spatial_scale"))}});
  ctx.SetOutput(0, ctx.Cast(pooled, DType::kFloat32, dt));
}

// torchvision::deform_conv2d(input, weight, offset, mask, bias, stride_h, stride_w, pad_h,
//   pad_w, dilation_h, dilation_w, groups, offset_groups, use_mask) -> ONNX DeformConv
// (opset 19), whose offsets are laid out as torchvision's ((dy, dx) per kernel tap, per
// offset group) and whose mask is optional (use_mask=False: all ones), in float32.
void TranslateDeformConv(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  std::vector<int64_t> kernel = StaticTrailingDims(ctx, 1, 2);
  int64_t pad_h = ctx.ConstInt(7, "pad_h"), pad_w = ctx.ConstInt(8, "pad_w");
  Attrs attrs{{"kernel_shape", kernel},
              {"strides", std::vector<int64_t>{ctx.ConstInt(5, "stride_h"), ctx.ConstInt(6, "stride_w")}},
              {"pads", std::vector<int64_t>{pad_h, pad_w, pad_h, pad_w}},
              {"dilations", std::vector<int64_t>{ctx.ConstInt(9, "dilation_h"), ctx.ConstInt(10, "dilation_w")}},
              {"group", ctx.ConstInt(11, "groups")},
              {"offset_group", ctx.ConstInt(12, "offset_groups")}};
  std::vector<std::string> inputs;
  for (size_t i : {0, 1, 2, 4}) inputs.push_back(ctx.Cast(ctx.Input(i), ctx.InDType(i), DType::kFloat32));
  if (ctx.ConstBool(13, "use_mask")) inputs.push_back(ctx.Cast(ctx.Input(3), ctx.InDType(3), DType::kFloat32));
  ctx.SetOutput(0, ctx.Cast(ctx.Op("DeformConv", inputs, attrs), DType::kFloat32, dt));
}

}  // namespace

void RegisterTorchvisionOps(Registry& r) {
  r.SetFamily("torchvision");
  r.Add("torchvision::nms", TranslateNms);
  r.Add("torchvision::roi_align", {13, 15}, TranslateRoiAlign);
  r.Add("torchvision::roi_align", {16, 21}, TranslateRoiAlign);
  // Opsets 22+ require RoiAlign-22 (its types widened to bfloat16), which ONNX Runtime 1.30's
  // CPU provider does not implement: the model would be valid and could not run.
  r.AddInexpressible("torchvision::roi_align",
                     "torchvision::roi_align at opset 22 or later needs RoiAlign-22, which ONNX Runtime 1.30 cannot "
                     "run: convert with --opset 21 or lower (16-21 for aligned=True)");
  r.Add("torchvision::roi_pool", {13, 21}, TranslateRoiPool);
  r.AddInexpressible("torchvision::roi_pool",
                     "torchvision::roi_pool at opset 22 or later needs MaxRoiPool-22, which ONNX Runtime 1.30 cannot "
                     "run: convert with --opset 21 or lower");
  r.Add("torchvision::deform_conv2d", {19, kMaxOpset}, TranslateDeformConv);
}

}  // namespace t2o
