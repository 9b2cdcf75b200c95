// QDQ quantization (translators/quantized/qdq.cpp): quantized_decomposed (PT2E) and torchao
// quantize/dequantize/choose_qparams, compared with libt2o_torch's kernels of the same
// operators (core/capture/quantization_ops.cpp). The models of the real flows are in
// tests/e2e/quantized_test.sh.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

// ScalarType codes stand for dtypes in the TorchScript sources (uint8 0, int8 1, int32 3,
// int64 4, float16 5, float32 6, float64 7): the standalone compiler has no torch.int8.
namespace {
ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  VerifyOptions options = {}) {
  return RunBody("qdq", name, body, std::move(inputs), {}, options);
}
const std::vector<TensorSpec> kInput{Shape({2, 3, 8})};
constexpr const char* kQd = "ops.quantized_decomposed.";
constexpr const char* kAo = "ops.torchao.";
std::string Qd(const std::string& call) { return kQd + call; }
std::string Ao(const std::string& call) { return kAo + call; }
}  // namespace

TEST_CASE("quantized_decomposed per tensor: numbers and tensors as qparams, narrow ranges", "[ops][qdq]") {
  REQUIRE_VERIFIED(Run("per_tensor_int8", Qd("quantize_per_tensor(x, 0.02, 3, -128, 127, 1)"), kInput));
  auto roundtrip = Run("per_tensor_uint8_roundtrip",
                       "q = " + Qd("quantize_per_tensor(x, 0.015, 128, 0, 255, 0)") + "\nreturn q, " +
                           Qd("dequantize_per_tensor(q, 0.015, 128, 0, 255, 0)"),
                       kInput);
  REQUIRE_VERIFIED(roundtrip);
  CHECK(CountOps(roundtrip.written.model_path)["QuantizeLinear"] == 1);
  CHECK(CountOps(roundtrip.written.model_path)["DequantizeLinear"] == 1);
  // 4-bit values in int8 storage: QuantizeLinear saturates to int8, a Clip to [-8, 7].
  REQUIRE_VERIFIED(Run("per_tensor_4bit",
                       "q = " + Qd("quantize_per_tensor(x, 0.1, 0, -8, 7, 1)") + "\nreturn q, " +
                           Qd("dequantize_per_tensor(q, 0.1, 0, -8, 7, 1)"),
                       kInput));
  REQUIRE_VERIFIED(Run("per_tensor_tensor_qparams",
                       "s = torch.tensor([0.03], dtype=7)\nz = torch.tensor([-4])\n"
                       "q = " + Qd("quantize_per_tensor(x, s, z, -128, 127, 1)") + "\nreturn " +
                           Qd("dequantize_per_tensor(q, s, z, -128, 127, 1)"),
                       kInput));
  // int32 (bias-style) has no QuantizeLinear form: the arithmetic is written out.
  REQUIRE_VERIFIED(Run("per_tensor_int32",
                       "q = " + Qd("quantize_per_tensor(x, 0.001, 0, -2147483648, 2147483647, 3)") +
                           "\nreturn q, " + Qd("dequantize_per_tensor(q, 0.001, 0, -2147483648, 2147483647, 3)"),
                       kInput));
  REQUIRE_VERIFIED(Run("per_tensor_out_dtype",
                       "q = " + Qd("quantize_per_tensor(x, 0.02, 0, -128, 127, 1)") + "\nreturn " +
                           Qd("dequantize_per_tensor(q, 0.02, 0, -128, 127, 1, out_dtype=5)") +
                           ".float()",
                       kInput));
}

TEST_CASE("quantized_decomposed per channel on each axis, with and without zero points", "[ops][qdq]") {
  REQUIRE_VERIFIED(Run("per_channel_axis1",
                       "s = torch.tensor([0.01, 0.02, 0.05])\nz = torch.tensor([0, 5, -3])\n"
                       "q = " + Qd("quantize_per_channel(x, s, z, 1, -128, 127, 1)") + "\nreturn q, " +
                           Qd("dequantize_per_channel(q, s, z, 1, -128, 127, 1)"),
                       kInput));
  REQUIRE_VERIFIED(Run("per_channel_last_no_zero_point",
                       "s = torch.linspace(0.01, 0.08, 8, dtype=7)\nz = torch.zeros(8, dtype=4)\n"
                       "q = " + Qd("quantize_per_channel(x, s, z, -1, -127, 127, 1)") + "\nreturn " +
                           Qd("dequantize_per_channel(q, s, None, 2, -127, 127, 1)"),
                       kInput));
}

TEST_CASE("quantized_decomposed choose_qparams: dynamic per-tensor quantization", "[ops][qdq]") {
  REQUIRE_VERIFIED(Run("choose_qparams",
                       "s, z = " + Qd("choose_qparams(x, 0, 255, 0.000244140625, 0)") +
                           "\nq = " + Qd("quantize_per_tensor(x, s, z, 0, 255, 0)") + "\nreturn s, z, " +
                           Qd("dequantize_per_tensor(q, s, z, 0, 255, 0)"),
                       kInput));
  REQUIRE_VERIFIED(Run("choose_qparams_positive",
                       "s, z = " + Qd("choose_qparams(x.abs() + 1.0, -128, 127, 1e-5, 1)") + "\nreturn s, z",
                       kInput));
  REQUIRE_VERIFIED(Run("choose_qparams_symmetric",
                       "s, z = " + Qd("choose_qparams_symmetric(x, -128, 127, 1e-5, 1)") +
                           "\nu, v = " + Qd("choose_qparams_symmetric(x, 0, 255, 1e-5, 0)") +
                           "\nreturn s, z, u, v",
                       kInput));
}

TEST_CASE("blockwise weights: DequantizeLinear with block_size from opset 21", "[ops][qdq]") {
  const std::string group = "w = (x * 40.0).round().clamp(-8, 7).to(1)\n"
                            "s = torch.linspace(0.01, 0.2, 24).reshape(6, 4)\n"
                            "z = torch.arange(24).reshape(6, 4).remainder(3).to(1) - 1\n";
  for (int opset : {21, 26}) {
    auto grouped = Run("per_channel_group",
                       group + "return " + Qd("dequantize_per_channel_group(w, s, z, -8, 7, 1, 8, 6)"),
                       {Shape({6, 32})}, AtOpset(opset));
    REQUIRE_VERIFIED(grouped);
    CHECK(CountOps(grouped.written.model_path)["DequantizeLinear"] == 1);
    REQUIRE_VERIFIED(Run("affine_blocks",
                         group + "return " + Ao("dequantize_affine(w, [1, 8], s, z, 1, -8, 7)"),
                         {Shape({6, 32})}, AtOpset(opset)));
    REQUIRE_VERIFIED(Run("affine_quantize_blocks",
                         "s = torch.linspace(0.01, 0.2, 12).reshape(6, 2)\nz = torch.zeros(6, 2, dtype=1)\n"
                         "q = " + Ao("quantize_affine(x, [1, 16], s, z, 1, -8, 7)") + "\nreturn q, " +
                             Ao("dequantize_affine(q, [1, 16], s, z, 1, -8, 7, 6)"),
                         {Shape({6, 32})}, AtOpset(opset)));
  }
  auto at20 = Run("per_channel_group_20",
                  group + "return " + Qd("dequantize_per_channel_group(w, s, z, -8, 7, 1, 8, 6)"),
                  {Shape({6, 32})}, AtOpset(20));
  REQUIRE_FALSE(at20.ok);
  CHECK_THAT(at20.error, ContainsText("dequantize_per_channel_group") && ContainsText("21"));
}

TEST_CASE("torchao affine quantization: per tensor, per axis, per token and general blocks", "[ops][qdq]") {
  // Per row of a 2-D tensor (block [1, N]) is per axis 0; per token of a 3-D one ([1, 1, N])
  // is blocked along the last dim.
  REQUIRE_VERIFIED(Run("affine_per_row",
                       "s, z = " + Ao("choose_qparams_affine(x, 'ASYMMETRIC', [1, 32], 1, -128, 127, None, "
                                      "6, 1)") +
                           "\nq = " + Ao("quantize_affine(x, [1, 32], s, z, 1, -128, 127)") + "\nreturn s, z, " +
                           Ao("dequantize_affine(q, [1, 32], s, z, 1, -128, 127)"),
                       {Shape({5, 32})}));
  REQUIRE_VERIFIED(Run("affine_per_tensor_symmetric",
                       "s, z = " + Ao("choose_qparams_affine(x, 'SYMMETRIC', [2, 3, 8], 1)") +
                           "\nq = " + Ao("quantize_affine(x, [2, 3, 8], s, z.to(1), 1)") +
                           "\nreturn s, " + Ao("dequantize_affine(q, [2, 3, 8], s, z.to(1), 1)"),
                       kInput));
  for (int opset : {21, 26}) {
    REQUIRE_VERIFIED(Run("affine_per_token",
                         "s, z = " + Ao("choose_qparams_affine(x, 'ASYMMETRIC', [1, 1, 8], 1, -128, 127, "
                                        "None, 6, 3)") +
                             "\nq = " + Ao("quantize_affine(x, [1, 1, 8], s, z, 1, -128, 127)") +
                             "\nreturn s, z, " + Ao("dequantize_affine(q, [1, 1, 8], s, z, 1, -128, 127)"),
                         kInput, AtOpset(opset)));
  }
  // Blocks over two dims at once: no QDQ form, the arithmetic over a [1, 3, 2, 4] view.
  REQUIRE_VERIFIED(Run("affine_general_blocks",
                       "s, z = " + Ao("choose_qparams_affine(x, 'SYMMETRIC_NO_CLIPPING_ERR', [2, 1, 4], 1, "
                                      "-8, 7, 1e-6, 6, 1, True)") +
                           "\nq = " + Ao("quantize_affine(x, [2, 1, 4], s, z, 1, -8, 7)") + "\nreturn s, " +
                           Ao("dequantize_affine(q, [2, 1, 4], s, z, 1, -8, 7)"),
                       kInput));
}
