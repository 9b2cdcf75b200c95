// Element types shared by the ATen-level IR and the ONNX writer.
//
// One enum with one table (dtype.cpp) that maps it to PyTorch's ScalarType numbering,
// ONNX's TensorProto.DataType numbering and the user-facing names (`float32`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace t2o {

enum class DType : uint8_t {
  kUndefined,
  kFloat32,
  kFloat64,
  kFloat16,
  kBFloat16,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kBool,
  kComplex64,
};

std::string_view DTypeName(DType dtype);  // "float32"
size_t DTypeSize(DType dtype);            // bytes per element
int DTypeToOnnx(DType dtype);             // onnx::TensorProto_DataType value
DType DTypeFromOnnx(int onnx_type);
int DTypeToTorch(DType dtype);  // c10::ScalarType value (torch numbering: 6 = float32)
DType DTypeFromTorch(int scalar_type);
std::optional<DType> DTypeFromName(std::string_view name);  // accepts float32/float/f32, int64/long, ...

bool IsFloating(DType dtype);
bool IsIntegral(DType dtype);  // excludes bool

// PyTorch's type promotion between two tensor dtypes (both tensors of the same category
// rank; ignores the scalar-vs-tensor wrinkle, which callers handle).
DType PromoteTypes(DType a, DType b);

}  // namespace t2o
