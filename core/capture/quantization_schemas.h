// The schemas of the quantization operators that quantized models call, as the libraries
// that define them register them: quantized_decomposed (torch.ao's PT2E flow, defined in
// Python by torch/ao/quantization/fx/_decomposed.py) and torchao (quantize_affine and
// friends, defined in Python by torchao 0.18). Neither has C++ kernels in libtorch, so
// libt2o_torch registers these schemas with its own CPU kernels
// (core/capture/quantization_ops.cpp), unless a loaded library (--load-library) defined the
// namespace already, and the .pt2 reader finds their arguments here. No libtorch header.
#pragma once

namespace t2o {

inline constexpr const char* kQuantizedDecomposedSchemas[] = {
    "quantized_decomposed::quantize_per_tensor(Tensor input, float scale, int zero_point, int quant_min, "
    "int quant_max, ScalarType dtype) -> Tensor",
    "quantized_decomposed::quantize_per_tensor.tensor(Tensor input, Tensor scale, Tensor zero_point, "
    "int quant_min, int quant_max, ScalarType dtype) -> Tensor",
    "quantized_decomposed::quantize_per_tensor.tensor2(Tensor input, Tensor scale, Tensor zero_point, "
    "Tensor quant_min, Tensor quant_max, ScalarType dtype) -> Tensor",
    "quantized_decomposed::dequantize_per_tensor(Tensor input, float scale, int zero_point, int quant_min, "
    "int quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
    "quantized_decomposed::dequantize_per_tensor.tensor(Tensor input, Tensor scale, Tensor zero_point, "
    "int quant_min, int quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
    "quantized_decomposed::dequantize_per_tensor.tensor2(Tensor input, Tensor scale, Tensor zero_point, "
    "Tensor quant_min, Tensor quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
    "quantized_decomposed::quantize_per_channel(Tensor input, Tensor scales, Tensor zero_points, int axis, "
    "int quant_min, int quant_max, ScalarType dtype) -> Tensor",
    "quantized_decomposed::dequantize_per_channel(Tensor input, Tensor scales, Tensor? zero_points, int axis, "
    "int quant_min, int quant_max, ScalarType dtype, *, ScalarType? out_dtype=None) -> Tensor",
    "quantized_decomposed::choose_qparams.tensor(Tensor input, int quant_min, int quant_max, float eps, "
    "ScalarType dtype) -> (Tensor, Tensor)",
    "quantized_decomposed::choose_qparams_symmetric.tensor(Tensor input, int quant_min, int quant_max, "
    "float eps, ScalarType dtype) -> (Tensor, Tensor)",
    "quantized_decomposed::dequantize_per_channel_group(Tensor input, Tensor scales, Tensor? zero_points, "
    "int quant_min, int quant_max, ScalarType dtype, int group_size, ScalarType output_dtype) -> Tensor",
};

inline constexpr const char* kTorchaoSchemas[] = {
    "torchao::quantize_affine(Tensor input, SymInt[] block_size, Tensor scale, Tensor? zero_point, "
    "ScalarType output_dtype, Scalar? quant_min=None, Scalar? quant_max=None) -> Tensor",
    "torchao::dequantize_affine(Tensor input, SymInt[] block_size, Tensor scale, Tensor? zero_point, "
    "ScalarType input_dtype, Scalar? quant_min=None, Scalar? quant_max=None, ScalarType output_dtype=6) -> Tensor",
    "torchao::choose_qparams_affine(Tensor? input, str mapping_type, SymInt[] block_size, ScalarType target_dtype, "
    "Scalar? quant_min=None, Scalar? quant_max=None, float? eps=None, ScalarType? scale_dtype=None, "
    "ScalarType? zero_point_dtype=None, bool keepdim=False) -> (Tensor, Tensor)",
};

// Registers each namespace's schemas and kernels with libtorch once, unless an operator of
// that namespace is registered already (by torchao's or another library). In libt2o_torch.so.
void RegisterQuantizationOpsUnlessLoaded();

}  // namespace t2o

#include <cstddef>
#include <cstdint>
#include <vector>

namespace t2o {

// torchao's view of a tensor of `sizes` in blocks of `block_size`: each dim whose block
// is neither 1 nor the whole dim splits into (dim / block, block); reduction_dims are the
// dims of that view one reduction runs over (the block parts, and whole-dim blocks).
struct BlockReduction {
  std::vector<int64_t> shape;           // the view, e.g. [16, 2, 32] for sizes [16, 64], blocks [1, 32]
  std::vector<int64_t> reduction_dims;  // e.g. [2]
  bool splits = false;                  // some dim is split in two
};

inline BlockReduction ReductionForBlocks(const std::vector<int64_t>& block_size, const std::vector<int64_t>& sizes) {
  BlockReduction r;
  for (size_t i = 0; i < block_size.size() && i < sizes.size(); ++i) {
    int64_t block = block_size[i], size = sizes[i];
    if (block != size && block > 1) {
      r.shape.push_back(size / block);
      r.shape.push_back(block);
      r.reduction_dims.push_back(static_cast<int64_t>(r.shape.size()) - 1);
      r.splits = true;
    } else {
      r.shape.push_back(size);
      if (block != 1) r.reduction_dims.push_back(static_cast<int64_t>(r.shape.size()) - 1);
    }
  }
  return r;
}

}  // namespace t2o
