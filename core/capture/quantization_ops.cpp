// The quantization operators of core/capture/quantization_schemas.h for libtorch, with CPU
// kernels that do the arithmetic the defining Python code does (same operations, same
// dtypes, same order), so that traced TorchScript files calling them load and --verify can
// run them as the reference without Python.
#include <ATen/ATen.h>
#include <c10/core/Scalar.h>
#include <c10/core/WrapDimMinimal.h>
#include <torch/library.h>

#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/capture/quantization_schemas.h"

namespace t2o {
namespace {

std::pair<int64_t, int64_t> BoundsOf(at::ScalarType dtype, const char* op) {
  switch (dtype) {
    case at::kByte: return {0, 255};
    case at::kChar: return {-128, 127};
    case at::kShort: return {-32768, 32767};
    case at::kUInt16: return {0, 65535};
    case at::kInt: return {INT32_MIN, INT32_MAX};
    default: TORCH_CHECK(false, op, ": unsupported quantized dtype ", dtype);
  }
}

void CheckRange(int64_t quant_min, int64_t quant_max, at::ScalarType dtype, const char* op) {
  auto [lo, hi] = BoundsOf(dtype, op);
  TORCH_CHECK(quant_min >= lo && quant_max <= hi && quant_min <= quant_max, op, ": range [", quant_min, ", ",
              quant_max, "] does not fit ", dtype);
}

at::Tensor AsFloat32(const at::Tensor& input, const char* op) {
  if (input.scalar_type() == at::kHalf || input.scalar_type() == at::kBFloat16) return input.to(at::kFloat);
  TORCH_CHECK(input.scalar_type() == at::kFloat, op, ": expects a float32 input, got ", input.scalar_type());
  return input;
}

// --- quantized_decomposed ----------------------------------------------------------------

at::Tensor QuantizePerTensor(const at::Tensor& input, double scale, int64_t zero_point, int64_t quant_min,
                             int64_t quant_max, at::ScalarType dtype) {
  const char* op = "quantized_decomposed::quantize_per_tensor";
  CheckRange(quant_min, quant_max, dtype, op);
  double inverse_scale = 1.0 / scale;
  return at::clamp(at::round(AsFloat32(input, op) * inverse_scale) + zero_point, quant_min, quant_max).to(dtype);
}

at::Tensor QuantizePerTensorTensor(const at::Tensor& input, const at::Tensor& scale, const at::Tensor& zero_point,
                                   int64_t quant_min, int64_t quant_max, at::ScalarType dtype) {
  TORCH_CHECK(scale.numel() == 1 && zero_point.numel() == 1,
              "quantized_decomposed::quantize_per_tensor.tensor: scale and zero_point must have one element");
  return QuantizePerTensor(input, scale.item<double>(), zero_point.item<int64_t>(), quant_min, quant_max, dtype);
}

at::Tensor QuantizePerTensorTensor2(const at::Tensor& input, const at::Tensor& scale, const at::Tensor& zero_point,
                                    const at::Tensor& quant_min, const at::Tensor& quant_max, at::ScalarType dtype) {
  return QuantizePerTensorTensor(input, scale, zero_point, quant_min.item<int64_t>(), quant_max.item<int64_t>(), dtype);
}

at::Tensor DequantizePerTensor(const at::Tensor& input, double scale, int64_t zero_point, int64_t quant_min,
                               int64_t quant_max, at::ScalarType dtype, std::optional<at::ScalarType> out_dtype) {
  TORCH_CHECK(input.scalar_type() == dtype, "quantized_decomposed::dequantize_per_tensor: input is ",
              input.scalar_type(), ", dtype says ", dtype);
  BoundsOf(dtype, "quantized_decomposed::dequantize_per_tensor");
  return (input.to(out_dtype.value_or(at::kFloat)) - zero_point) * scale;
}

at::Tensor DequantizePerTensorTensor(const at::Tensor& input, const at::Tensor& scale, const at::Tensor& zero_point,
                                     int64_t quant_min, int64_t quant_max, at::ScalarType dtype,
                                     std::optional<at::ScalarType> out_dtype) {
  TORCH_CHECK(scale.numel() == 1 && zero_point.numel() == 1,
              "quantized_decomposed::dequantize_per_tensor.tensor: scale and zero_point must have one element");
  return DequantizePerTensor(input, scale.item<double>(), zero_point.item<int64_t>(), quant_min, quant_max, dtype,
                             out_dtype);
}

at::Tensor DequantizePerTensorTensor2(const at::Tensor& input, const at::Tensor& scale, const at::Tensor& zero_point,
                                      const at::Tensor& quant_min, const at::Tensor& quant_max, at::ScalarType dtype,
                                      std::optional<at::ScalarType> out_dtype) {
  return DequantizePerTensorTensor(input, scale, zero_point, quant_min.item<int64_t>(), quant_max.item<int64_t>(), dtype,
                                   out_dtype);
}

// scales / zero points viewed along `axis` of a tensor of rank `rank`.
at::Tensor AlongAxis(const at::Tensor& t, int64_t axis, int64_t rank) {
  std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
  shape[axis] = t.size(0);
  return t.view(shape);
}

at::Tensor QuantizePerChannel(const at::Tensor& input, const at::Tensor& scales, const at::Tensor& zero_points,
                              int64_t axis, int64_t quant_min, int64_t quant_max, at::ScalarType dtype) {
  const char* op = "quantized_decomposed::quantize_per_channel";
  CheckRange(quant_min, quant_max, dtype, op);
  at::Tensor x = AsFloat32(input, op);
  axis = c10::maybe_wrap_dim(axis, x.dim());
  at::Tensor q = at::round(x * at::reciprocal(AlongAxis(scales, axis, x.dim()))) + AlongAxis(zero_points, axis, x.dim());
  return at::clamp(q, quant_min, quant_max).to(dtype);
}

at::Tensor DequantizePerChannel(const at::Tensor& input, const at::Tensor& scales,
                                const std::optional<at::Tensor>& zero_points, int64_t axis, int64_t quant_min,
                                int64_t quant_max, at::ScalarType dtype, std::optional<at::ScalarType> out_dtype) {
  const char* op = "quantized_decomposed::dequantize_per_channel";
  TORCH_CHECK(input.scalar_type() == dtype, op, ": input is ", input.scalar_type(), ", dtype says ", dtype);
  CheckRange(quant_min, quant_max, dtype, op);
  axis = c10::maybe_wrap_dim(axis, input.dim());
  at::Tensor shifted = zero_points ? input - AlongAxis(*zero_points, axis, input.dim()) : input;
  return (shifted * AlongAxis(scales, axis, input.dim())).to(out_dtype.value_or(at::kFloat));
}

// min(min_val, 0) and max(max_val, 0) of the whole tensor, as determine_qparams starts.
std::pair<at::Tensor, at::Tensor> SignedExtremes(const at::Tensor& input) {
  auto [min_val, max_val] = at::aminmax(input);
  return {at::minimum(min_val, at::zeros_like(min_val)), at::maximum(max_val, at::zeros_like(max_val))};
}

std::tuple<at::Tensor, at::Tensor> ChooseQparams(const at::Tensor& input, int64_t quant_min, int64_t quant_max,
                                                 double eps, at::ScalarType dtype) {
  CheckRange(quant_min, quant_max, dtype, "quantized_decomposed::choose_qparams");
  auto [min_neg, max_pos] = SignedExtremes(input);
  at::Tensor scale = (max_pos - min_neg) / static_cast<double>(quant_max - quant_min);
  scale = at::maximum(scale, at::full({1}, eps, at::kFloat));  // torch.Tensor([eps])
  at::Tensor zero_point = at::clamp(quant_min - at::round(min_neg / scale).to(at::kInt), quant_min, quant_max);
  return {scale.reshape({1}).to(at::kDouble), zero_point.reshape({1}).to(at::kLong)};
}

std::tuple<at::Tensor, at::Tensor> ChooseQparamsSymmetric(const at::Tensor& input, int64_t quant_min,
                                                          int64_t quant_max, double eps, at::ScalarType dtype) {
  CheckRange(quant_min, quant_max, dtype, "quantized_decomposed::choose_qparams_symmetric");
  auto [min_neg, max_pos] = SignedExtremes(input);
  at::Tensor largest = at::maximum(-min_neg, max_pos);
  at::Tensor scale = largest / (static_cast<double>(quant_max - quant_min) / 2);
  scale = at::maximum(scale, at::full({1}, eps, at::kFloat));  // torch.Tensor([eps])
  at::Tensor zero_point = at::full({1}, dtype == at::kByte ? 128 : 0, at::kLong);
  return {scale.reshape({1}).to(at::kDouble), zero_point};
}

at::Tensor DequantizePerChannelGroup(const at::Tensor& input, const at::Tensor& scales,
                                     const std::optional<at::Tensor>& zero_points, int64_t quant_min, int64_t quant_max,
                                     at::ScalarType dtype, int64_t group_size, at::ScalarType output_dtype) {
  const char* op = "quantized_decomposed::dequantize_per_channel_group";
  TORCH_CHECK(group_size > 1, op, ": group_size must be > 1");
  TORCH_CHECK(input.dim() == 2, op, ": the input must be 2-D");
  if (group_size > input.size(-1) && scales.size(-1) == 1) group_size = input.size(-1);
  TORCH_CHECK(input.size(-1) % group_size == 0, op, ": the last dim must be divisible by group_size");
  at::Tensor grouped = input.reshape({-1, group_size});
  at::Tensor zero = zero_points ? zero_points->reshape({-1, 1}) : at::zeros({}, scales.options().dtype(at::kInt));
  return grouped.sub(zero).mul(scales.reshape({-1, 1})).reshape_as(input).to(output_dtype);
}

// --- torchao ----------------------------------------------------------------------------

int64_t BoundOr(const std::optional<c10::Scalar>& given, int64_t fallback) {
  return given ? given->toLong() : fallback;
}

std::vector<int64_t> ReducedShape(const BlockReduction& r) {
  std::vector<int64_t> shape = r.shape;
  for (int64_t dim : r.reduction_dims) shape[dim] = 1;
  return shape;
}

at::Tensor QuantizeAffine(const at::Tensor& input, at::IntArrayRef block_size, const at::Tensor& scale,
                          const std::optional<at::Tensor>& zero_point, at::ScalarType output_dtype,
                          const std::optional<c10::Scalar>& quant_min, const std::optional<c10::Scalar>& quant_max) {
  const char* op = "torchao::quantize_affine";
  auto [lo, hi] = BoundsOf(output_dtype, op);
  int64_t qmin = BoundOr(quant_min, lo), qmax = BoundOr(quant_max, hi);
  CheckRange(qmin, qmax, output_dtype, op);
  TORCH_CHECK(input.scalar_type() == at::kFloat || input.scalar_type() == at::kHalf ||
                  input.scalar_type() == at::kBFloat16,
              op, ": unsupported input dtype ", input.scalar_type());
  TORCH_CHECK(static_cast<int64_t>(block_size.size()) == input.dim(), op, ": block_size rank differs from the input's");
  BlockReduction r = ReductionForBlocks(block_size.vec(), input.sizes().vec());
  std::vector<int64_t> reduced = ReducedShape(r);
  at::Tensor x = input.view(r.shape);
  at::Tensor q = at::round(x * at::reciprocal(scale.view(reduced)));
  if (zero_point && zero_point->numel() > 0) q = q + zero_point->view(reduced);
  return at::clamp(q, qmin, qmax).view(input.sizes()).to(output_dtype);
}

at::Tensor DequantizeAffine(const at::Tensor& input, at::IntArrayRef block_size, const at::Tensor& scale,
                            const std::optional<at::Tensor>& zero_point, at::ScalarType input_dtype,
                            const std::optional<c10::Scalar>& quant_min, const std::optional<c10::Scalar>& quant_max,
                            at::ScalarType output_dtype) {
  const char* op = "torchao::dequantize_affine";
  TORCH_CHECK(input.scalar_type() == input_dtype, op, ": input is ", input.scalar_type(), ", input_dtype says ",
              input_dtype);
  TORCH_CHECK(output_dtype == at::kFloat || output_dtype == at::kHalf || output_dtype == at::kBFloat16, op,
              ": unsupported output dtype ", output_dtype);
  auto [lo, hi] = BoundsOf(input_dtype, op);
  CheckRange(BoundOr(quant_min, lo), BoundOr(quant_max, hi), input_dtype, op);
  TORCH_CHECK(static_cast<int64_t>(block_size.size()) == input.dim(), op, ": block_size rank differs from the input's");
  BlockReduction r = ReductionForBlocks(block_size.vec(), input.sizes().vec());
  std::vector<int64_t> reduced = ReducedShape(r);
  at::Tensor dequantized = input.view(r.shape).to(output_dtype, /*non_blocking=*/false, /*copy=*/true);
  if (zero_point) dequantized = dequantized - zero_point->view(reduced).to(output_dtype);
  dequantized = dequantized * scale.view(reduced);
  return dequantized.view(input.sizes()).to(output_dtype);
}

std::tuple<at::Tensor, at::Tensor> ChooseQparamsAffine(const std::optional<at::Tensor>& maybe_input,
                                                       c10::string_view mapping_type, at::IntArrayRef block_size,
                                                       at::ScalarType target_dtype,
                                                       const std::optional<c10::Scalar>& quant_min,
                                                       const std::optional<c10::Scalar>& quant_max,
                                                       std::optional<double> eps,
                                                       std::optional<at::ScalarType> scale_dtype,
                                                       std::optional<at::ScalarType> zero_point_dtype, bool keepdim) {
  const char* op = "torchao::choose_qparams_affine";
  TORCH_CHECK(maybe_input.has_value(), op, ": input is None");
  const at::Tensor& input = *maybe_input;
  auto [lo, hi] = BoundsOf(target_dtype, op);
  int64_t qmin = BoundOr(quant_min, lo), qmax = BoundOr(quant_max, hi);
  CheckRange(qmin, qmax, target_dtype, op);
  std::string mapping(mapping_type);
  TORCH_CHECK(mapping == "SYMMETRIC" || mapping == "SYMMETRIC_NO_CLIPPING_ERR" || mapping == "ASYMMETRIC", op,
              ": unsupported mapping type ", mapping);
  at::ScalarType scale_type = scale_dtype.value_or(input.scalar_type());
  // torch.finfo(input.dtype).smallest_normal
  double smallest_normal = input.scalar_type() == at::kHalf       ? 6.103515625e-05
                           : input.scalar_type() == at::kBFloat16 ? 1.1754943508222875e-38
                           : input.scalar_type() == at::kDouble   ? std::numeric_limits<double>::min()
                                                                  : double(std::numeric_limits<float>::min());
  double epsilon = eps.value_or(smallest_normal);
  TORCH_CHECK(static_cast<int64_t>(block_size.size()) == input.dim(), op, ": block_size rank differs from the input's");
  BlockReduction r = ReductionForBlocks(block_size.vec(), input.sizes().vec());
  at::Tensor x = input.view(r.shape);
  at::Tensor min_val = at::amin(x, r.reduction_dims, keepdim), max_val = at::amax(x, r.reduction_dims, keepdim);
  at::Tensor min_neg = at::minimum(min_val, at::zeros_like(min_val));
  at::Tensor max_pos = at::maximum(max_val, at::zeros_like(max_val));
  at::Tensor scale, zero_point;
  if (mapping == "ASYMMETRIC") {
    scale = at::clamp_min((max_pos - min_neg) / static_cast<double>(qmax - qmin), epsilon);
    zero_point = at::clamp(qmin - at::round(min_neg / scale), qmin, qmax);
    if (!zero_point_dtype) zero_point_dtype = at::kInt;
  } else {
    if (mapping == "SYMMETRIC") {
      scale = at::maximum(-min_neg, max_pos) / (static_cast<double>(qmax - qmin) / 2);
    } else {
      at::Tensor smin = min_neg / static_cast<double>(qmin), smax = max_pos / static_cast<double>(qmax);
      scale = at::where(smin > smax, smin, smax);
    }
    zero_point = at::full_like(scale, static_cast<int64_t>(static_cast<double>(qmax + qmin + 1) / 2));
    scale = at::clamp_min(scale, epsilon);
  }
  if (keepdim) {
    std::vector<int64_t> shape;
    for (int64_t i = 0; i < input.dim(); ++i) shape.push_back(input.size(i) / block_size[i]);
    scale = scale.reshape(shape);
    zero_point = zero_point.reshape(shape);
  }
  return {scale.to(scale_type), zero_point_dtype ? zero_point.to(*zero_point_dtype) : zero_point};
}

bool NamespaceRegistered(const char* const* schemas, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    std::string text = schemas[i];
    std::string name = text.substr(0, text.find('('));
    size_t dot = name.find('.');
    std::string overload = dot == std::string::npos ? "" : name.substr(dot + 1);
    if (c10::Dispatcher::singleton().findSchema({name.substr(0, dot), overload})) return true;
  }
  return false;
}

}  // namespace

void RegisterQuantizationOpsUnlessLoaded() {
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr size_t kDecomposed = sizeof(kQuantizedDecomposedSchemas) / sizeof(kQuantizedDecomposedSchemas[0]);
    if (!NamespaceRegistered(kQuantizedDecomposedSchemas, kDecomposed)) {
      static torch::Library schemas(torch::Library::FRAGMENT, "quantized_decomposed", std::nullopt, __FILE__, __LINE__);
      for (const char* schema : kQuantizedDecomposedSchemas) schemas.def(schema);
      static torch::Library kernels(torch::Library::IMPL, "quantized_decomposed", c10::DispatchKey::CPU, __FILE__,
                                    __LINE__);
      kernels.impl("quantize_per_tensor", &QuantizePerTensor);
      kernels.impl("quantize_per_tensor.tensor", &QuantizePerTensorTensor);
      kernels.impl("quantize_per_tensor.tensor2", &QuantizePerTensorTensor2);
      kernels.impl("dequantize_per_tensor", &DequantizePerTensor);
      kernels.impl("dequantize_per_tensor.tensor", &DequantizePerTensorTensor);
      kernels.impl("dequantize_per_tensor.tensor2", &DequantizePerTensorTensor2);
      kernels.impl("quantize_per_channel", &QuantizePerChannel);
      kernels.impl("dequantize_per_channel", &DequantizePerChannel);
      kernels.impl("choose_qparams.tensor", &ChooseQparams);
      kernels.impl("choose_qparams_symmetric.tensor", &ChooseQparamsSymmetric);
      kernels.impl("dequantize_per_channel_group", &DequantizePerChannelGroup);
    }
    constexpr size_t kTorchao = sizeof(kTorchaoSchemas) / sizeof(kTorchaoSchemas[0]);
    if (!NamespaceRegistered(kTorchaoSchemas, kTorchao)) {
      static torch::Library schemas(torch::Library::FRAGMENT, "torchao", std::nullopt, __FILE__, __LINE__);
      for (const char* schema : kTorchaoSchemas) schemas.def(schema);
      static torch::Library kernels(torch::Library::IMPL, "torchao", c10::DispatchKey::CPU, __FILE__, __LINE__);
      kernels.impl("quantize_affine", &QuantizeAffine);
      kernels.impl("dequantize_affine", &DequantizeAffine);
      kernels.impl("choose_qparams_affine", &ChooseQparamsAffine);
    }
  });
}

}  // namespace t2o
