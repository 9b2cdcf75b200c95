// torchvision's detection operators (translators/torchvision/detection_ops.cpp): nms and
// roi_align as TorchScript calls them, compared between the tool's libtorch kernels for them
// (core/capture/torchvision_ops.cpp) and ONNX Runtime's NonMaxSuppression / RoiAlign.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

// Boxes (x1, y1, x2, y2) with positive sizes from a [N, 4] normal draw, many overlapping.
const char* kBoxes = "b = torch.cat([x[:, :2] * 20.0, x[:, :2] * 20.0 + x[:, 2:].abs() * 12.0 + 0.5], 1)\n";
// RoIs (batch index, x1, y1, x2, y2) over a 2-image batch from a [K, 5] draw: large and
// small boxes, partly outside the feature map.
const char* kRois =
    "r = torch.cat([(y[:, :1] > 0).float(), y[:, 1:3].abs() * 9.0 - 2.0,"
    " y[:, 1:3].abs() * 9.0 + y[:, 3:5].abs() * 14.0], 1)\n";

}  // namespace

TEST_CASE("torchvision::nms keeps the boxes torchvision keeps, best first", "[ops][detection]") {
  REQUIRE_VERIFIED(RunBody("detection", "nms", std::string(kBoxes) +
                           "keep = ops.torchvision.nms(b, y.sigmoid(), 0.3)\nreturn keep, b[keep]",
                           {Shape({64, 4}), Shape({64})}));
  // batched_nms' coordinate trick: boxes of different classes shifted apart.
  REQUIRE_VERIFIED(RunBody("detection", "batched_nms", std::string(kBoxes) +
                           "labels = (y * 3).floor().clamp(0, 3)\n"
                           "shifted = b + (labels * (b.max() + 1)).unsqueeze(1)\n"
                           "keep = ops.torchvision.nms(shifted, y, 0.5)\nreturn keep, y[keep] * 2",
                           {Shape({80, 4}), Shape({80})}));
  REQUIRE_VERIFIED(RunBody("detection", "nms_all_kept", std::string(kBoxes) +
                           "keep = ops.torchvision.nms(b, y, 1.0)\nreturn keep.float() + 1",
                           {Shape({9, 4}), Shape({9})}));
}

TEST_CASE("torchvision::roi_align: sampling ratios, scales, aligned from opset 16", "[ops][detection]") {
  REQUIRE_VERIFIED(RunBody("detection", "roi_align", std::string(kRois) +
                           "return ops.torchvision.roi_align(x, r, 0.5, 3, 4, 2, False)",
                           {Shape({2, 3, 12, 16}), Shape({7, 5})}));
  REQUIRE_VERIFIED(RunBody("detection", "roi_align_adaptive", std::string(kRois) +
                           "return ops.torchvision.roi_align(x, r, 1.0, 7, 7, -1, False)",
                           {Shape({2, 4, 20, 24}), Shape({5, 5})}));
  for (int opset : {16, 21}) {
    REQUIRE_VERIFIED(RunBody("detection", "roi_align_aligned", std::string(kRois) +
                             "return ops.torchvision.roi_align(x, r, 0.25, 2, 2, 0, True)",
                             {Shape({2, 2, 10, 10}), Shape({6, 5})}, {}, AtOpset(opset)));
  }
  auto r = RunBody("detection", "roi_align_aligned_15", std::string(kRois) +
                   "return ops.torchvision.roi_align(x, r, 0.25, 2, 2, 0, True)",
                   {Shape({2, 2, 10, 10}), Shape({6, 5})}, {}, AtOpset(15));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("torchvision::roi_align") && ContainsText("opset 16"));
  auto at22 = RunBody("detection", "roi_align_22", std::string(kRois) +
                      "return ops.torchvision.roi_align(x, r, 0.5, 3, 4, 2, False)",
                      {Shape({2, 3, 12, 16}), Shape({7, 5})}, {}, AtOpset(22));
  REQUIRE_FALSE(at22.ok);
  CHECK_THAT(at22.error, ContainsText("RoiAlign-22") && ContainsText("--opset 21") && ContainsText("1 operator cannot"));
}

TEST_CASE("upsample with a run-time size inside a loop (mask pasting)", "[ops][detection]") {
  REQUIRE_VERIFIED(RunBody("detection", "loop_upsample",
                           "out = torch.zeros(1)\n"
                           "for i in range(y.size(0)):\n"
                           "    h = int(y[i].abs().ceil()) + 2\n"
                           "    m = torch.upsample_bilinear2d(x, [h, 7], False, None)\n"
                           "    out = out + m.sum()\n"
                           "return out",
                           {Shape({1, 1, 5, 5}), Shape({3})}));
}

TEST_CASE("torchvision::roi_pool: max over RoIs snapped to the grid, up to opset 21", "[ops][detection]") {
  for (int opset : {13, 21}) {
    REQUIRE_VERIFIED(RunBody("detection", "roi_pool", std::string(kRois) +
                             "return ops.torchvision.roi_pool(x, r, 0.5, 3, 4)[0]",
                             {Shape({2, 3, 12, 16}), Shape({7, 5})}, {}, AtOpset(opset)));
  }
  REQUIRE_VERIFIED(RunBody("detection", "roi_pool_7x7", std::string(kRois) +
                           "return ops.torchvision.roi_pool(x, r * 0.8, 1.0, 7, 7)[0] * 2.0",
                           {Shape({2, 4, 20, 24}), Shape({5, 5})}));
  auto at22 = RunBody("detection", "roi_pool_22", std::string(kRois) + "return ops.torchvision.roi_pool(x, r, 0.5, 3, 4)[0]",
                      {Shape({2, 3, 12, 16}), Shape({7, 5})}, {}, AtOpset(22));
  REQUIRE_FALSE(at22.ok);
  CHECK_THAT(at22.error, ContainsText("MaxRoiPool-22") && ContainsText("--opset 21"));
  auto argmax = RunBody("detection", "roi_pool_argmax", std::string(kRois) +
                        "out, where = ops.torchvision.roi_pool(x, r, 0.5, 3, 4)\nreturn out, where.float()",
                        {Shape({2, 3, 12, 16}), Shape({7, 5})});
  REQUIRE_FALSE(argmax.ok);
  CHECK_THAT(argmax.error, ContainsText("argmax"));
}

TEST_CASE("torchvision::deform_conv2d: offsets, masks, groups, strides -> DeformConv from opset 19", "[ops][detection]") {
  // Offsets of a few pixels (some samples fall outside the map), a sigmoid mask.
  const Params p{{"w", {6, 4, 3, 3}}, {"b", {6}}, {"wg", {6, 2, 3, 3}}};
  for (int opset : {19, 26}) {
    REQUIRE_VERIFIED(RunBody("detection", "deform_conv_v2",
                             "return ops.torchvision.deform_conv2d(x, self.w, y * 2.0, z.sigmoid(), self.b, "
                             "1, 1, 1, 1, 1, 1, 1, 1, True)",
                             {Shape({2, 4, 9, 9}), Shape({2, 18, 9, 9}), Shape({2, 9, 9, 9})}, p, AtOpset(opset)));
  }
  REQUIRE_VERIFIED(RunBody("detection", "deform_conv_v1_strided",
                           "return ops.torchvision.deform_conv2d(x, self.w, y * 1.5, torch.zeros(1), torch.zeros(6), "
                           "2, 2, 2, 1, 2, 1, 1, 1, False)",
                           {Shape({1, 4, 11, 10}), Shape({1, 18, 6, 5})}, p, AtOpset(19)));
  REQUIRE_VERIFIED(RunBody("detection", "deform_conv_groups",
                           "return ops.torchvision.deform_conv2d(x, self.wg, y, z.sigmoid(), self.b, "
                           "1, 1, 0, 0, 1, 1, 2, 2, True)",
                           {Shape({1, 4, 7, 7}), Shape({1, 36, 5, 5}), Shape({1, 18, 5, 5})}, p, AtOpset(19)));
  auto at18 = RunBody("detection", "deform_conv_18",
                      "return ops.torchvision.deform_conv2d(x, self.w, y, z, self.b, 1, 1, 1, 1, 1, 1, 1, 1, True)",
                      {Shape({1, 4, 9, 9}), Shape({1, 18, 9, 9}), Shape({1, 9, 9, 9})}, p, AtOpset(18));
  REQUIRE_FALSE(at18.ok);
  CHECK_THAT(at18.error, ContainsText("deform_conv2d") && ContainsText("19"));
}
