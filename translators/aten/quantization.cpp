// Fake quantization (quantization-aware training graphs exported as they run in eval):
// fake_quantize_per_tensor_affine (scale and zero point as numbers or tensors),
// fake_quantize_per_channel_affine and their _cachemask forms that also return the mask of
// values inside the quantized range.
//
// PyTorch rounds x * (1 / scale) half to even, adds the zero point, clamps to
// [quant_min, quant_max] and maps back: (q - zero_point) * scale. The same arithmetic in
// float32 (ONNX Round is half to even too), with 1 / scale computed in float32 as PyTorch
// does, gives the same values; QuantizeLinear would round x / scale instead and only
// knows the 8-bit ranges.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

struct FakeQuantized {
  std::string values;
  std::string in_range;  // bool: the unclamped q within [quant_min, quant_max]
};

FakeQuantized FakeQuantize(TranslationContext& ctx, const std::string& x, const std::string& inverse_scale,
                           const std::string& scale, const std::string& zero_point, int64_t quant_min, int64_t quant_max) {
  if (quant_min > quant_max)
    throw UnsupportedError(ctx.node().Key() + ": quant_min " + std::to_string(quant_min) + " exceeds quant_max " +
                           std::to_string(quant_max));
  std::string lo = ctx.ConstScalar(double(quant_min), DType::kFloat32), hi = ctx.ConstScalar(double(quant_max), DType::kFloat32);
  std::string q = ctx.Op("Add", {ctx.Op("Round", {ctx.Op("Mul", {x, inverse_scale})}), zero_point});
  std::string in_range = ctx.Op("And", {ctx.Op("GreaterOrEqual", {q, lo}), ctx.Op("LessOrEqual", {q, hi})});
  std::string clamped = ctx.Op("Min", {ctx.Op("Max", {q, lo}), hi});
  return {ctx.Op("Mul", {ctx.Op("Sub", {clamped, zero_point}), scale}), in_range};
}

void SetFakeQuantized(TranslationContext& ctx, const FakeQuantized& fq, DType dt) {
  ctx.SetOutput(0, ctx.Cast(fq.values, DType::kFloat32, dt));
  if (ctx.node().outputs.size() > 1) ctx.SetOutput(1, fq.in_range);
}

// aten::fake_quantize_per_tensor_affine(Tensor self, float scale, int zero_point, int quant_min, int quant_max)
// .tensor_qparams(Tensor self, Tensor scale, Tensor zero_point, int quant_min, int quant_max), the
// _cachemask forms, and _fake_quantize_per_tensor_affine_cachemask_tensor_qparams(self, scale,
// zero_point, Tensor fake_quant_enabled, quant_min, quant_max), which passes x through
// (mask all true) where fake_quant_enabled is 0.
void TranslatePerTensor(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  std::string x = ctx.OperandAs(0, DType::kFloat32);
  bool with_switch = ctx.NumInputs() == 6;
  size_t range_at = with_switch ? 4 : 3;
  int64_t quant_min = ctx.ConstInt(range_at, "quant_min"), quant_max = ctx.ConstInt(range_at + 1, "quant_max");
  std::string scale, inverse, zero_point;
  if (ctx.InputValue(1).IsTensor()) {
    scale = Reshape(ctx, ctx.OperandAs(1, DType::kFloat32), {});
    inverse = ctx.Op("Reciprocal", {scale});
    zero_point = Reshape(ctx, ctx.OperandAs(2, DType::kFloat32), {});
  } else {
    float s = static_cast<float>(ctx.ConstDouble(1, "scale"));
    scale = ctx.ConstScalar(s, DType::kFloat32);
    inverse = ctx.ConstScalar(1.0f / s, DType::kFloat32);
    zero_point = ctx.ConstScalar(double(ctx.ConstInt(2, "zero_point")), DType::kFloat32);
  }
  FakeQuantized fq = FakeQuantize(ctx, x, inverse, scale, zero_point, quant_min, quant_max);
  if (with_switch) {
    std::string enabled = ctx.Op("Not", {ctx.Op("Equal", {Reshape(ctx, ctx.OperandAs(3, DType::kFloat32), {}), Zero(ctx, DType::kFloat32)})});
    fq.values = ctx.Op("Where", {enabled, fq.values, x});
    fq.in_range = ctx.Op("Or", {fq.in_range, ctx.Op("Not", {enabled})});
  }
  SetFakeQuantized(ctx, fq, dt);
}

// aten::fake_quantize_per_channel_affine(Tensor self, Tensor scale, Tensor zero_point, int axis,
// int quant_min, int quant_max) and its _cachemask form: one scale and zero point per index of axis.
void TranslatePerChannel(TranslationContext& ctx) {
  DType dt = ctx.InDType(0);
  int64_t rank = ctx.Rank(0);
  int64_t axis = NormalizeAxis(ctx.ConstInt(3, "axis"), rank);
  std::vector<int64_t> along(static_cast<size_t>(rank), 1);
  along[axis] = -1;
  std::string scale = Reshape(ctx, ctx.OperandAs(1, DType::kFloat32), along);
  std::string zero_point = Reshape(ctx, ctx.OperandAs(2, DType::kFloat32), along);
  FakeQuantized fq = FakeQuantize(ctx, ctx.OperandAs(0, DType::kFloat32), ctx.Op("Reciprocal", {scale}), scale, zero_point,
                                  ctx.ConstInt(4, "quant_min"), ctx.ConstInt(5, "quant_max"));
  SetFakeQuantized(ctx, fq, dt);
}

}  // namespace

void RegisterQuantization(Registry& r) {
  r.SetFamily("quantization");
  for (const char* op : {"aten::fake_quantize_per_tensor_affine", "aten::fake_quantize_per_tensor_affine_cachemask",
                         "aten::_fake_quantize_per_tensor_affine_cachemask_tensor_qparams"})
    r.Add(op, TranslatePerTensor);
  for (const char* op : {"aten::fake_quantize_per_channel_affine", "aten::fake_quantize_per_channel_affine_cachemask"})
    r.Add(op, TranslatePerChannel);
}

}  // namespace t2o
