// Fake quantization (translators/aten/quantization.cpp): per tensor and per channel, with
// numbers and tensors as qparams, the _cachemask forms' masks, compared with libtorch.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {
ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
  return RunBody("quantization", name, body, std::move(inputs));
}
const std::vector<TensorSpec> kInput{Shape({2, 3, 5})};
}  // namespace

TEST_CASE("aten::fake_quantize_per_tensor_affine: uint8, int8 and narrow ranges, tensor qparams", "[ops][quantization]") {
  REQUIRE_VERIFIED(Run("per_tensor_uint8", "torch.fake_quantize_per_tensor_affine(x, 0.02, 128, 0, 255)", kInput));
  REQUIRE_VERIFIED(Run("per_tensor_int8_clamped", "torch.fake_quantize_per_tensor_affine(x * 3.0, 0.01, -3, -128, 127)", kInput));
  REQUIRE_VERIFIED(Run("per_tensor_4bit", "torch.fake_quantize_per_tensor_affine(x, 0.25, 2, 0, 15)", kInput));
  REQUIRE_VERIFIED(Run("per_tensor_tensor_qparams",
                       "torch.fake_quantize_per_tensor_affine(x, torch.tensor(0.05), torch.tensor(3).int(), -20, 40)",
                       kInput));
  REQUIRE_VERIFIED(Run("per_tensor_cachemask",
                       "r = torch.fake_quantize_per_tensor_affine_cachemask(x * 2.0, 0.03, 5, 0, 60)\nreturn r[0], r[1].long()", kInput));
  REQUIRE_VERIFIED(Run("per_tensor_switch",
                       "s = torch.tensor([0.04])\nz = torch.tensor([1]).int()\n"
                       "on = torch._fake_quantize_per_tensor_affine_cachemask_tensor_qparams(x, s, z, torch.tensor([1]), 0, 31)\n"
                       "off = torch._fake_quantize_per_tensor_affine_cachemask_tensor_qparams(x, s, z, torch.tensor([0]), 0, 31)\n"
                       "return on[0], on[1].long(), off[0], off[1].long()", kInput));
}

TEST_CASE("aten::fake_quantize_per_channel_affine on each axis, with its mask", "[ops][quantization]") {
  REQUIRE_VERIFIED(Run("per_channel_axis1",
                       "torch.fake_quantize_per_channel_affine(x, torch.tensor([0.01, 0.05, 0.1]), "
                       "torch.tensor([0, 3, -2]).int(), 1, -128, 127)", kInput));
  REQUIRE_VERIFIED(Run("per_channel_last",
                       "torch.fake_quantize_per_channel_affine(x, torch.linspace(0.02, 0.2, 5), "
                       "torch.tensor([0, 1, 2, 3, 4]).int(), 2, 0, 15)", kInput));
  REQUIRE_VERIFIED(Run("per_channel_cachemask",
                       "r = torch.fake_quantize_per_channel_affine_cachemask(x, torch.tensor([0.02, 0.3]), "
                       "torch.tensor([10, 0]).int(), 0, 0, 20)\nreturn r[0], r[1].long()", kInput));
}
