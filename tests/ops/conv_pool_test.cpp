// Convolution, pooling and resizing (translators/aten/conv_pool.cpp): each compared between
// libtorch and ONNX Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("conv_pool", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace

// ----------------------------------------------------------------------------- convolution

TEST_CASE("aten::conv1d with stride / padding / dilation / groups", "[ops][conv_pool]") {
  Params p{{"w", {4, 3, 3}}, {"b", {4}}};
  REQUIRE_VERIFIED(Run("conv1d", "torch.conv1d(x, self.w, self.b, [1], [0], [1], 1)", {Shape({2, 3, 10})}, p));
  REQUIRE_VERIFIED(Run("conv1d_s2p1", "torch.conv1d(x, self.w, self.b, [2], [1], [1], 1)", {Shape({2, 3, 11})}, p));
  REQUIRE_VERIFIED(Run("conv1d_dil", "torch.conv1d(x, self.w, None, [1], [2], [2], 1)", {Shape({2, 3, 10})}, p));
  REQUIRE_VERIFIED(Run("conv1d_groups", "torch.conv1d(x, self.g, self.b, [1], [1], [1], 3)", {Shape({2, 3, 10})},
                       {{"g", {6, 1, 3}}, {"b", {6}}}));
  REQUIRE_VERIFIED(Run("conv1d_unbatched", "torch.conv1d(x, self.w, self.b, [1], [1], [1], 1)", {Shape({3, 10})}, p));
}

TEST_CASE("aten::conv2d with stride / padding / dilation / groups / no bias", "[ops][conv_pool]") {
  Params p{{"w", {8, 3, 3, 3}}, {"b", {8}}};
  REQUIRE_VERIFIED(Run("conv2d", "torch.conv2d(x, self.w, self.b, [1, 1], [1, 1], [1, 1], 1)", {Shape({2, 3, 8, 8})}, p));
  REQUIRE_VERIFIED(Run("conv2d_s2", "torch.conv2d(x, self.w, self.b, [2, 2], [1, 1], [1, 1], 1)", {Shape({2, 3, 9, 9})}, p));
  REQUIRE_VERIFIED(Run("conv2d_aniso", "torch.conv2d(x, self.w, self.b, [2, 1], [0, 2], [1, 2], 1)", {Shape({1, 3, 9, 8})}, p));
  REQUIRE_VERIFIED(Run("conv2d_nobias", "torch.conv2d(x, self.w, None, [1, 1], [0, 0], [1, 1], 1)", {Shape({2, 3, 6, 7})}, p));
  REQUIRE_VERIFIED(Run("conv2d_dil2", "torch.conv2d(x, self.w, self.b, [1, 1], [2, 2], [2, 2], 1)", {Shape({1, 3, 8, 8})}, p));
  REQUIRE_VERIFIED(Run("conv2d_groups", "torch.conv2d(x, self.g, self.b, [1, 1], [1, 1], [1, 1], 2)", {Shape({2, 4, 8, 8})},
                       {{"g", {6, 2, 3, 3}}, {"b", {6}}}));
  REQUIRE_VERIFIED(Run("conv2d_depthwise", "torch.conv2d(x, self.g, self.b, [2, 2], [1, 1], [1, 1], 3)",
                       {Shape({2, 3, 8, 8})}, {{"g", {3, 1, 3, 3}}, {"b", {3}}}));
  REQUIRE_VERIFIED(Run("conv2d_1x1", "torch.conv2d(x, self.g, self.b, [1, 1], [0, 0], [1, 1], 1)", {Shape({2, 3, 5, 5})},
                       {{"g", {7, 3, 1, 1}}, {"b", {7}}}));
  REQUIRE_VERIFIED(Run("conv2d_unbatched", "torch.conv2d(x, self.w, self.b, [1, 1], [1, 1], [1, 1], 1)", {Shape({3, 8, 8})}, p));
  REQUIRE_VERIFIED(Run("conv2d_op13", "torch.conv2d(x, self.w, self.b, [2, 2], [1, 1], [1, 1], 1)", {Shape({2, 3, 8, 8})}, p,
                       AtOpset(13)));
}

TEST_CASE("aten::_convolution_mode (traced convolutions with string padding)", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("conv_mode_same", "torch._convolution_mode(x, self.w, self.b, [1, 1], 'same', [2, 2], 1)",
                       {Shape({1, 3, 8, 7})}, {{"w", {4, 3, 3, 2}}, {"b", {4}}}));
  REQUIRE_VERIFIED(Run("conv_mode_valid_3d", "torch._convolution_mode(x, self.w, self.b, [1, 2, 1], 'valid', [1, 1, 1], 1)",
                       {Shape({1, 2, 5, 6, 4})}, {{"w", {2, 2, 3, 3, 3}}, {"b", {2}}}));
}

TEST_CASE("aten::conv2d with padding='same' / 'valid'", "[ops][conv_pool]") {
  Params p{{"w", {8, 3, 3, 3}}, {"b", {8}}};
  REQUIRE_VERIFIED(Run("conv2d_same", "torch.conv2d(x, self.w, self.b, [1, 1], 'same', [1, 1], 1)", {Shape({2, 3, 8, 8})}, p));
  REQUIRE_VERIFIED(Run("conv2d_valid", "torch.conv2d(x, self.w, self.b, [1, 1], 'valid', [1, 1], 1)", {Shape({2, 3, 8, 8})}, p));
  // Even kernels: PyTorch puts the extra padding element at the end.
  Params even{{"w", {4, 3, 4, 2}}, {"b", {4}}};
  REQUIRE_VERIFIED(Run("conv2d_same_even", "torch.conv2d(x, self.w, self.b, [1, 1], 'same', [1, 1], 1)", {Shape({2, 3, 7, 8})}, even));
  REQUIRE_VERIFIED(Run("conv1d_same", "torch.conv1d(x, self.w, self.b, [1], 'same', [1], 1)", {Shape({2, 3, 10})},
                       {{"w", {4, 3, 4}}, {"b", {4}}}));
  REQUIRE_VERIFIED(Run("conv3d_same", "torch.conv3d(x, self.w, None, [1, 1, 1], 'same', [1, 1, 1], 1)", {Shape({1, 2, 4, 5, 5})},
                       {{"w", {3, 2, 3, 2, 3}}}));
}

// padding='same' with dilation: explicit pads (ONNX Runtime's SAME_UPPER refuses dilation).
TEST_CASE("aten::conv2d with padding='same' and dilation", "[ops][conv_pool]") {
  Params p{{"w", {8, 3, 3, 3}}, {"b", {8}}};
  REQUIRE_VERIFIED(Run("conv2d_same_dil", "torch.conv2d(x, self.w, self.b, [1, 1], 'same', [2, 3], 1)", {Shape({2, 3, 9, 9})}, p));
}

TEST_CASE("aten::conv2d with padding='same', even kernel and dilation", "[ops][conv_pool]") {
  Params even{{"w", {4, 3, 4, 2}}, {"b", {4}}};
  REQUIRE_VERIFIED(Run("conv2d_same_even_dil", "torch.conv2d(x, self.w, self.b, [1, 1], 'same', [2, 2], 1)",
                       {Shape({1, 3, 9, 8})}, even));
}

TEST_CASE("aten::conv3d with stride / padding / groups", "[ops][conv_pool]") {
  Params p{{"w", {4, 2, 3, 3, 3}}, {"b", {4}}};
  REQUIRE_VERIFIED(Run("conv3d", "torch.conv3d(x, self.w, self.b, [1, 1, 1], [1, 1, 1], [1, 1, 1], 1)", {Shape({1, 2, 5, 6, 6})}, p));
  REQUIRE_VERIFIED(Run("conv3d_s", "torch.conv3d(x, self.w, self.b, [1, 2, 2], [0, 1, 1], [1, 1, 1], 1)", {Shape({2, 2, 5, 7, 6})}, p));
  REQUIRE_VERIFIED(Run("conv3d_groups", "torch.conv3d(x, self.g, None, [1, 1, 1], [1, 1, 1], [2, 1, 1], 2)",
                       {Shape({1, 4, 6, 5, 5})}, {{"g", {4, 2, 3, 3, 3}}}));
}

TEST_CASE("aten::conv_transpose1d / 2d / 3d with output_padding, groups, dilation", "[ops][conv_pool]") {
  Params p{{"w", {3, 4, 3, 3}}, {"b", {4}}};
  REQUIRE_VERIFIED(Run("convT2d", "torch.conv_transpose2d(x, self.w, self.b, [1, 1], [0, 0], [0, 0], 1, [1, 1])",
                       {Shape({2, 3, 5, 5})}, p));
  REQUIRE_VERIFIED(Run("convT2d_s2", "torch.conv_transpose2d(x, self.w, self.b, [2, 2], [1, 1], [1, 1], 1, [1, 1])",
                       {Shape({2, 3, 5, 5})}, p));
  REQUIRE_VERIFIED(Run("convT2d_aniso", "torch.conv_transpose2d(x, self.w, None, [2, 3], [1, 0], [0, 2], 1, [1, 1])",
                       {Shape({1, 3, 4, 5})}, p));
  REQUIRE_VERIFIED(Run("convT2d_groups", "torch.conv_transpose2d(x, self.g, self.b, [2, 2], [1, 1], [1, 1], 3, [1, 1])",
                       {Shape({2, 3, 4, 4})}, {{"g", {3, 2, 3, 3}}, {"b", {6}}}));
  REQUIRE_VERIFIED(Run("convT2d_dil", "torch.conv_transpose2d(x, self.w, self.b, [1, 1], [1, 1], [0, 0], 1, [2, 2])",
                       {Shape({1, 3, 5, 5})}, p));
  REQUIRE_VERIFIED(Run("convT2d_s2_dil_op", "torch.conv_transpose2d(x, self.w, self.b, [2, 2], [2, 1], [1, 0], 1, [2, 1])",
                       {Shape({1, 3, 4, 5})}, p));
  REQUIRE_VERIFIED(Run("convT1d", "torch.conv_transpose1d(x, self.w1, self.b, [2], [1], [1], 1, [1])", {Shape({2, 3, 7})},
                       {{"w1", {3, 4, 3}}, {"b", {4}}}));
  REQUIRE_VERIFIED(Run("convT3d", "torch.conv_transpose3d(x, self.w3, self.b, [2, 1, 2], [1, 0, 1], [1, 0, 0], 1, [1, 1, 1])",
                       {Shape({1, 3, 3, 4, 4})}, {{"w3", {3, 4, 3, 2, 3}}, {"b", {4}}}));
}

TEST_CASE("aten::_convolution / convolution (plain and transposed)", "[ops][conv_pool]") {
  Params p{{"w", {8, 3, 3, 3}}, {"b", {8}}};
  REQUIRE_VERIFIED(Run("convolution", "torch.convolution(x, self.w, self.b, [2, 2], [1, 1], [1, 1], False, [0, 0], 1)",
                       {Shape({2, 3, 8, 8})}, p));
  REQUIRE_VERIFIED(Run("_convolution",
                       "torch._convolution(x, self.w, self.b, [1, 1], [1, 2], [1, 1], False, [0, 0], 1, False, False, True, True)",
                       {Shape({2, 3, 8, 8})}, p));
  REQUIRE_VERIFIED(Run("convolution_T", "torch.convolution(x, self.t, self.b, [2, 2], [1, 1], [1, 1], True, [1, 1], 1)",
                       {Shape({1, 3, 5, 5})}, {{"t", {3, 8, 3, 3}}, {"b", {8}}}));
}

// ----------------------------------------------------------------------------- pooling

TEST_CASE("aten::max_pool1d / 2d / 3d with stride, padding, dilation", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("maxpool2d", "torch.max_pool2d(x, [3, 3], [2, 2], [1, 1], [1, 1], False)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_default_stride", "torch.max_pool2d(x, [2, 2])", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_aniso", "torch.max_pool2d(x, [3, 2], [1, 2], [1, 0], [1, 1], False)", {Shape({1, 2, 7, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_dil", "torch.max_pool2d(x, [3, 3], [1, 1], [1, 1], [2, 2], False)", {Shape({1, 2, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_unbatched", "torch.max_pool2d(x, [2, 2], [2, 2], [0, 0], [1, 1], False)", {Shape({3, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool1d", "torch.max_pool1d(x, [3], [2], [1], [1], False)", {Shape({2, 3, 11})}));
  REQUIRE_VERIFIED(Run("maxpool3d", "torch.max_pool3d(x, [2, 3, 3], [2, 2, 2], [0, 1, 1], [1, 1, 1], False)",
                       {Shape({1, 2, 6, 7, 7})}));
  REQUIRE_VERIFIED(Run("maxpool2d_int", "torch.max_pool2d(x.float(), [2, 2]).long()", {Shape({1, 2, 4, 4}, DType::kInt64)}));
}

TEST_CASE("aten::max_pool2d with ceil_mode", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("maxpool2d_ceil", "torch.max_pool2d(x, [3, 3], [2, 2], [0, 0], [1, 1], True)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_ceil_pad", "torch.max_pool2d(x, [3, 3], [2, 2], [1, 1], [1, 1], True)", {Shape({1, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_ceil_dil", "torch.max_pool2d(x, [2, 2], [2, 2], [0, 0], [2, 2], True)", {Shape({1, 3, 9, 9})}));
  REQUIRE_VERIFIED(Run("maxpool1d_ceil", "torch.max_pool1d(x, [2], [2], [0], [1], True)", {Shape({2, 3, 7})}));
}

// PyTorch drops a last ceil_mode window that would start inside the right padding (input
// 7, kernel 2, stride 2, padding 1: 4 outputs where ONNX's ceil_mode gives 5).
TEST_CASE("aten::max_pool2d ceil_mode window starting in the padding", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("maxpool2d_ceil_edge", "torch.max_pool2d(x, [2, 2], [2, 2], [1, 1], [1, 1], True)", {Shape({1, 2, 7, 7})}));
}

TEST_CASE("aten::max_pool2d_with_indices over dynamic height and width", "[ops][conv_pool]") {
  VerifyOptions dynamic;
  dynamic.dynamic_shapes = R"([{"2": "h", "3": "w"}])";
  dynamic.verify_dims = {{{"h", 10}, {"w", 6}}};
  REQUIRE_VERIFIED(Run("maxpool2d_idx_dyn", "torch.max_pool2d_with_indices(x, [2, 2], [2, 2], [0, 0], [1, 1], False)",
                       {Shape({1, 3, 8, 8})}, {}, dynamic));
}

TEST_CASE("aten::max_pool2d_with_indices returns (values, indices)", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("maxpool2d_idx", "torch.max_pool2d_with_indices(x, [2, 2], [2, 2], [0, 0], [1, 1], False)",
                       {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_idx_pad", "torch.max_pool2d_with_indices(x, [3, 3], [2, 2], [1, 1], [1, 1], False)",
                       {Shape({2, 3, 7, 9})}));
  REQUIRE_VERIFIED(Run("maxpool2d_idx_ceil", "torch.max_pool2d_with_indices(x, [3, 3], [2, 2], [0, 0], [1, 1], True)",
                       {Shape({1, 2, 8, 8})}));
  REQUIRE_VERIFIED(Run("maxpool2d_idx_unbatched", "torch.max_pool2d_with_indices(x, [2, 2], [2, 2], [0, 0], [1, 1], False)",
                       {Shape({3, 6, 6})}));
  REQUIRE_VERIFIED(Run("maxpool1d_idx", "torch.max_pool1d_with_indices(x, [3], [2], [1], [1], False)", {Shape({2, 3, 10})}));
  REQUIRE_VERIFIED(Run("maxpool3d_idx", "torch.max_pool3d_with_indices(x, [2, 2, 2], [2, 2, 2], [0, 0, 0], [1, 1, 1], False)",
                       {Shape({1, 2, 4, 4, 6})}));
}

TEST_CASE("aten::avg_pool1d / 2d / 3d with count_include_pad and ceil_mode", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("avgpool2d", "torch.avg_pool2d(x, [2, 2])", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("avgpool2d_pad", "torch.avg_pool2d(x, [3, 3], [2, 2], [1, 1], False, True)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("avgpool2d_pad_noinc", "torch.avg_pool2d(x, [3, 3], [2, 2], [1, 1], False, False)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("avgpool2d_ceil", "torch.avg_pool2d(x, [3, 3], [2, 2], [0, 0], True, True)", {Shape({1, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("avgpool2d_ceil_noinc", "torch.avg_pool2d(x, [3, 3], [2, 2], [1, 1], True, False)", {Shape({1, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("avgpool2d_aniso", "torch.avg_pool2d(x, [3, 1], [1, 2], [1, 0], False, True)", {Shape({1, 2, 6, 7})}));
  REQUIRE_VERIFIED(Run("avgpool1d", "torch.avg_pool1d(x, [3], [2], [1], False, False)", {Shape({2, 3, 9})}));
  REQUIRE_VERIFIED(Run("avgpool3d", "torch.avg_pool3d(x, [2, 2, 2], [2, 2, 2], [0, 1, 1], False, True)", {Shape({1, 2, 4, 6, 6})}));
  REQUIRE_VERIFIED(Run("avgpool2d_unbatched", "torch.avg_pool2d(x, [2, 2], [2, 2], [0, 0], False, True)", {Shape({3, 6, 6})}));
}

// ceil_mode with count_include_pad=True: PyTorch divides the last (clipped) window by the
// number of elements inside the padded input, not by the full kernel size.
TEST_CASE("aten::avg_pool2d ceil_mode with count_include_pad and padding", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("avgpool2d_ceil_pad_inc", "torch.avg_pool2d(x, [3, 3], [2, 2], [1, 1], True, True)", {Shape({1, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("avgpool1d_ceil_pad_inc", "torch.avg_pool1d(x, [2], [2], [1], True, True)", {Shape({1, 3, 6})}));
}

TEST_CASE("aten::adaptive_avg_pool1d / 2d / 3d (global and divisor sizes)", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("adaptive2d_1x1", "torch.adaptive_avg_pool2d(x, [1, 1])", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("adaptive2d_int", "torch.adaptive_avg_pool2d(x, 1)", {Shape({2, 3, 7, 5})}));
  REQUIRE_VERIFIED(Run("adaptive2d_div", "torch.adaptive_avg_pool2d(x, [2, 4])", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("adaptive2d_same", "torch.adaptive_avg_pool2d(x, [6, 6])", {Shape({1, 3, 6, 6})}));
  REQUIRE_VERIFIED(Run("adaptive1d", "torch.adaptive_avg_pool1d(x, [3])", {Shape({2, 3, 12})}));
  REQUIRE_VERIFIED(Run("adaptive3d", "torch.adaptive_avg_pool3d(x, [1, 2, 2])", {Shape({1, 2, 4, 6, 6})}));
  REQUIRE_VERIFIED(Run("adaptive2d_flatten", "torch.adaptive_avg_pool2d(x, [1, 1]).flatten(1)", {Shape({2, 3, 8, 8})}));
}

// aten::adaptive_max_pool2d has two outputs (values, indices); here only values are read.
TEST_CASE("aten::adaptive_max_pool2d values", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("adaptive_max_1x1", "torch.adaptive_max_pool2d(x, [1, 1])[0]", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("adaptive_max_div", "torch.adaptive_max_pool2d(x, [2, 2])[0]", {Shape({2, 3, 8, 6})}));
}

// ----------------------------------------------------------------------------- resizing

TEST_CASE("aten::upsample_nearest1d / 2d / 3d by size and scale", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("nearest2d_size", "torch.upsample_nearest2d(x, [16, 16], None)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("nearest2d_scale", "torch.upsample_nearest2d(x, None, [2.0, 3.0])", {Shape({1, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("nearest2d_odd", "torch.upsample_nearest2d(x, [7, 11], None)", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("nearest2d_down", "torch.upsample_nearest2d(x, [3, 5], None)", {Shape({1, 2, 8, 8})}));
  REQUIRE_VERIFIED(Run("nearest2d_frac_scale", "torch.upsample_nearest2d(x, None, [1.5, 1.5])", {Shape({1, 2, 4, 6})}));
  REQUIRE_VERIFIED(Run("nearest1d", "torch.upsample_nearest1d(x, [12], None)", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("nearest3d", "torch.upsample_nearest3d(x, None, [2.0, 2.0, 2.0])", {Shape({1, 2, 3, 4, 4})}));
}

TEST_CASE("aten::upsample_bilinear2d / linear1d / trilinear3d with and without align_corners", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("bilinear", "torch.upsample_bilinear2d(x, [16, 16], False, None)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("bilinear_ac", "torch.upsample_bilinear2d(x, [16, 16], True, None)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("bilinear_odd", "torch.upsample_bilinear2d(x, [9, 13], False, None)", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("bilinear_odd_ac", "torch.upsample_bilinear2d(x, [9, 13], True, None)", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("bilinear_down", "torch.upsample_bilinear2d(x, [5, 3], False, None)", {Shape({1, 2, 8, 8})}));
  REQUIRE_VERIFIED(Run("bilinear_scale", "torch.upsample_bilinear2d(x, None, False, [2.0, 2.0])", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("bilinear_scale_ac", "torch.upsample_bilinear2d(x, None, True, [2.0, 3.0])", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("linear1d", "torch.upsample_linear1d(x, [11], False, None)", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("linear1d_ac", "torch.upsample_linear1d(x, [11], True, None)", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("trilinear", "torch.upsample_trilinear3d(x, [4, 6, 6], False, None)", {Shape({1, 2, 2, 3, 3})}));
  REQUIRE_VERIFIED(Run("trilinear_ac", "torch.upsample_trilinear3d(x, [4, 6, 6], True, None)", {Shape({1, 2, 2, 3, 3})}));
}

TEST_CASE("aten::upsample_bicubic2d with and without align_corners", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("bicubic", "torch.upsample_bicubic2d(x, [16, 16], False, None)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("bicubic_ac", "torch.upsample_bicubic2d(x, [16, 16], True, None)", {Shape({2, 3, 8, 8})}));
  REQUIRE_VERIFIED(Run("bicubic_odd", "torch.upsample_bicubic2d(x, [7, 9], False, None)", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("bicubic_scale", "torch.upsample_bicubic2d(x, None, False, [2.0, 2.0])", {Shape({1, 2, 4, 4})}));
}

TEST_CASE("conv + pool + upsample pipeline at opset 13", "[ops][conv_pool]") {
  std::string body =
      "y = torch.conv2d(x, self.w, self.b, [1, 1], [1, 1], [1, 1], 1)\n"
      "y = torch.max_pool2d(y, [2, 2], [2, 2], [0, 0], [1, 1], False)\n"
      "y = torch.avg_pool2d(y, [3, 3], [1, 1], [1, 1], False, False)\n"
      "y = torch.upsample_bilinear2d(y, [8, 8], False, None)\n"
      "return torch.adaptive_avg_pool2d(y, [2, 2])";
  REQUIRE_VERIFIED(Run("pipeline_op13", body, {Shape({2, 3, 8, 8})}, {{"w", {4, 3, 3, 3}}, {"b", {4}}}, AtOpset(13)));
}

TEST_CASE("aten::im2col / col2im (F.unfold / F.fold) with stride, padding, dilation", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("unfold", "torch.im2col(x, [2, 3], [1, 1], [0, 0], [1, 1])", {Shape({2, 3, 5, 6})}));
  REQUIRE_VERIFIED(Run("unfold_sdp", "torch.im2col(x, [3, 3], [2, 1], [1, 2], [2, 1])", {Shape({1, 2, 7, 6})}));
  REQUIRE_VERIFIED(Run("fold", "torch.col2im(x, [4, 5], [2, 2], [1, 1], [0, 0], [1, 1])", {Shape({2, 12, 12})}));
  REQUIRE_VERIFIED(Run("fold_sdp", "torch.col2im(x, [7, 6], [3, 2], [1, 2], [1, 0], [2, 1])", {Shape({1, 12, 16})}));
  REQUIRE_VERIFIED(Run("unfold_fold", "torch.col2im(torch.im2col(x, [2, 2], [1, 1], [1, 1], [2, 2]), [5, 4], [2, 2], [1, 1], [1, 1], [2, 2])",
                       {Shape({1, 3, 5, 4})}));
}

TEST_CASE("aten::avg_pool2d with divisor_override", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("avg_divisor", "torch.avg_pool2d(x, [2, 2], [2, 2], [0, 0], False, True, 3)", {Shape({1, 2, 4, 6})}));
  REQUIRE_VERIFIED(Run("avg_divisor_pad", "torch.avg_pool2d(x, [3, 3], [1, 1], [1, 1], False, False, 5)", {Shape({1, 1, 4, 4})}));
}

TEST_CASE("aten::adaptive_avg/max_pool for sizes that do not divide the input", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("adaptive_avg_nondiv_1d", "torch.adaptive_avg_pool1d(x, [3])", {Shape({2, 3, 7})}));
  REQUIRE_VERIFIED(Run("adaptive_avg_nondiv_2d", "torch.adaptive_avg_pool2d(x, [3, 4])", {Shape({1, 2, 5, 7})}));
  REQUIRE_VERIFIED(Run("adaptive_max_nondiv_2d", "torch.adaptive_max_pool2d(x, [2, 3])[0]", {Shape({1, 2, 5, 7})}));
  REQUIRE_VERIFIED(Run("adaptive_avg_nondiv_3d", "torch.adaptive_avg_pool3d(x, [2, 2, 3])", {Shape({1, 1, 3, 5, 4})}));
  REQUIRE_VERIFIED(Run("adaptive_max_indices", "torch.adaptive_max_pool2d(x, [2, 2])", {Shape({1, 2, 4, 6})}));
}

TEST_CASE("aten::adaptive_max_pool1d / 3d, dividing and not", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("adaptive_max1d_div", "torch.adaptive_max_pool1d(x, [3])[0]", {Shape({2, 3, 12})}));
  REQUIRE_VERIFIED(Run("adaptive_max1d_nondiv", "torch.adaptive_max_pool1d(x, [3])[0]", {Shape({2, 3, 7})}));
  REQUIRE_VERIFIED(Run("adaptive_max3d_div", "torch.adaptive_max_pool3d(x, [1, 2, 2])[0]", {Shape({1, 2, 4, 6, 6})}));
  REQUIRE_VERIFIED(Run("adaptive_max3d_nondiv", "torch.adaptive_max_pool3d(x, [2, 2, 3])[0]", {Shape({1, 1, 3, 5, 4})}));
}

TEST_CASE("convolution after circular padding (padding_mode='circular')", "[ops][conv_pool]") {
  // nn.Conv*d(padding_mode='circular') pads with F.pad(mode='circular'), then convolves unpadded.
  REQUIRE_VERIFIED(Run("conv1d_circular", "torch.conv1d(torch.pad(x, [1, 1], 'circular', None), self.w, self.b, [1], [0], [1], 1)",
                       {Shape({2, 3, 10})}, {{"w", {4, 3, 3}}, {"b", {4}}}));
  REQUIRE_VERIFIED(Run("conv2d_circular", "torch.conv2d(torch.pad(x, [2, 2, 1, 1], 'circular', None), self.w, self.b, [1, 1], [0, 0], [1, 1], 1)",
                       {Shape({1, 3, 6, 7})}, {{"w", {2, 3, 3, 5}}, {"b", {2}}}));
}

TEST_CASE("aten::_adaptive_avg_pool2d / _adaptive_avg_pool3d (the kernels torch.export keeps)", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("_adaptive2d", "torch._adaptive_avg_pool2d(x, [3, 2])", {Shape({1, 2, 7, 5})}));
  REQUIRE_VERIFIED(Run("_adaptive3d", "torch._adaptive_avg_pool3d(x, [2, 1, 3])", {Shape({1, 2, 4, 3, 7})}));
}

TEST_CASE("nearest-exact upsampling 1d/2d/3d", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("nearest_exact1d", "torch._upsample_nearest_exact1d(x, [11], None)", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("nearest_exact2d_down", "torch._upsample_nearest_exact2d(x, [3, 5], None, None)", {Shape({1, 2, 7, 8})}));
  REQUIRE_VERIFIED(Run("nearest_exact2d_up", "torch._upsample_nearest_exact2d(x, [9, 13], None, None)", {Shape({1, 2, 4, 6})}));
  REQUIRE_VERIFIED(Run("nearest_exact3d", "torch._upsample_nearest_exact3d(x, [3, 5, 4], None, None, None)",
                       {Shape({1, 2, 2, 3, 6})}));
}

TEST_CASE("antialiased bilinear / bicubic interpolation from opset 18, an error naming it below", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("bilinear_aa", "torch._upsample_bilinear2d_aa(x, [3, 3], False, None, None)", {Shape({1, 2, 8, 8})}));
  REQUIRE_VERIFIED(Run("bilinear_aa_vec", "torch._upsample_bilinear2d_aa(x, [5, 4], False, None)", {Shape({2, 3, 11, 9})}));
  REQUIRE_VERIFIED(Run("bicubic_aa", "torch._upsample_bicubic2d_aa(x, [4, 3], False, None, None)", {Shape({1, 2, 9, 10})}));
  REQUIRE_VERIFIED(Run("bilinear_aa_up", "torch._upsample_bilinear2d_aa(x, [9, 12], False, None, None)", {Shape({1, 1, 5, 6})}));
  auto r = Run("bilinear_aa_17", "torch._upsample_bilinear2d_aa(x, [3, 3], False, None, None)", {Shape({1, 2, 8, 8})}, {},
               AtOpset(17));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("_upsample_bilinear2d_aa") && ContainsText("18-26"));
}

TEST_CASE("aten::max_unpool2d / max_unpool3d from max_pool*_with_indices, batched and not", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(RunBody("conv_pool", "max_unpool2d",
                           "v, i = ops.aten.max_pool2d_with_indices(x, [2, 2], [2, 2], [0, 0], [1, 1], False)\n"
                           "return ops.aten.max_unpool2d(v, i, [6, 8])", {Shape({2, 3, 6, 8})}));
  REQUIRE_VERIFIED(RunBody("conv_pool", "max_unpool2d_odd",
                           "v, i = ops.aten.max_pool2d_with_indices(x, [3, 3], [2, 2], [1, 1], [1, 1], False)\n"
                           "return ops.aten.max_unpool2d(v, i, [7, 7])", {Shape({3, 7, 7})}));
  REQUIRE_VERIFIED(RunBody("conv_pool", "max_unpool3d",
                           "v, i = ops.aten.max_pool3d_with_indices(x, [2, 2, 2], [2, 2, 2], [0, 0, 0], [1, 1, 1], False)\n"
                           "return ops.aten.max_unpool3d(v, i, [4, 4, 6], [2, 2, 2], [0, 0, 0])", {Shape({1, 2, 4, 4, 6})}));
}

// The samples as an input (sigmoid keeps them in (0, 1)); windows overlap where the pool
// is larger than the stride, and NaN and ties take PyTorch's pick.
TEST_CASE("aten::fractional_max_pool2d / fractional_max_pool3d with given samples: values and indices", "[ops][conv_pool]") {
  REQUIRE_VERIFIED(Run("fractional2d", "torch.fractional_max_pool2d(x, [2, 3], [4, 5], torch.sigmoid(y))",
                       {Shape({2, 3, 9, 11}), Shape({2, 3, 2})}));
  REQUIRE_VERIFIED(Run("fractional2d_square", "torch.fractional_max_pool2d(x, [3, 3], [3, 3], torch.sigmoid(y))",
                       {Shape({1, 2, 7, 7}), Shape({1, 2, 2})}));
  REQUIRE_VERIFIED(Run("fractional2d_single_output", "torch.fractional_max_pool2d(x, [2, 2], [1, 4], torch.sigmoid(y))",
                       {Shape({2, 2, 5, 6}), Shape({2, 2, 2})}));
  REQUIRE_VERIFIED(Run("fractional2d_unbatched", "torch.fractional_max_pool2d(x, [2, 2], [3, 4], torch.sigmoid(y))",
                       {Shape({3, 7, 8}), Shape({1, 3, 2})}));
  REQUIRE_VERIFIED(Run("fractional3d", "torch.fractional_max_pool3d(x, [2, 2, 3], [3, 4, 5], torch.sigmoid(y))",
                       {Shape({2, 2, 7, 8, 9}), Shape({2, 2, 3})}));
  REQUIRE_VERIFIED(Run("fractional3d_unbatched", "torch.fractional_max_pool3d(x, [2, 2, 2], [2, 3, 3], torch.sigmoid(y))",
                       {Shape({2, 5, 6, 6}), Shape({1, 2, 3})}));
  // Ties (rounded values), -inf windows and NaN.
  REQUIRE_VERIFIED(Run("fractional2d_ties_nan",
                       "v = torch.round(x)\nv[0, 0, 0:3, 0:3] = float('-inf')\nv[0, 1, 2, 2] = float('nan')\nv[1, 0, 4, 1] = float('nan')\n"
                       "v[1, 0, 4, 2] = float('nan')\nreturn torch.fractional_max_pool2d(v, [3, 2], [4, 4], torch.sigmoid(y))",
                       {Shape({2, 2, 8, 7}), Shape({2, 2, 2})}));
  REQUIRE_VERIFIED(Run("fractional2d_float64", "torch.fractional_max_pool2d(x, [2, 3], [4, 5], torch.sigmoid(y))",
                       {Shape({2, 3, 9, 11}, DType::kFloat64), Shape({2, 3, 2}, DType::kFloat64)}));
  REQUIRE_VERIFIED(Run("fractional2d_half", "torch.fractional_max_pool2d(x.half(), [2, 3], [4, 5], torch.sigmoid(y).half())",
                       {Shape({2, 3, 9, 11}), Shape({2, 3, 2})}));
}
