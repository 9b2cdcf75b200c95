#include "core/ir/dtype.h"

#include <array>

namespace t2o {
namespace {

struct DTypeRow {
  DType dtype;
  std::string_view name;
  size_t size;
  int onnx;
  int torch;
};

// onnx: TensorProto.DataType; torch: c10::ScalarType.
constexpr std::array<DTypeRow, 12> kTable{{
    {DType::kUndefined, "undefined", 0, 0, -1},
    {DType::kFloat32, "float32", 4, 1, 6},
    {DType::kFloat64, "float64", 8, 11, 7},
    {DType::kFloat16, "float16", 2, 10, 5},
    {DType::kBFloat16, "bfloat16", 2, 16, 15},
    {DType::kInt8, "int8", 1, 3, 1},
    {DType::kInt16, "int16", 2, 5, 2},
    {DType::kInt32, "int32", 4, 6, 3},
    {DType::kInt64, "int64", 8, 7, 4},
    {DType::kUInt8, "uint8", 1, 2, 0},
    {DType::kBool, "bool", 1, 9, 11},
    {DType::kComplex64, "complex64", 8, 14, 9},
}};

const DTypeRow& Row(DType dtype) { return kTable[static_cast<size_t>(dtype)]; }

}  // namespace

std::string_view DTypeName(DType dtype) { return Row(dtype).name; }
size_t DTypeSize(DType dtype) { return Row(dtype).size; }
int DTypeToOnnx(DType dtype) { return Row(dtype).onnx; }
int DTypeToTorch(DType dtype) { return Row(dtype).torch; }

DType DTypeFromOnnx(int onnx_type) {
  for (const auto& row : kTable)
    if (row.onnx == onnx_type) return row.dtype;
  return DType::kUndefined;
}

DType DTypeFromTorch(int scalar_type) {
  for (const auto& row : kTable)
    if (row.torch == scalar_type) return row.dtype;
  return DType::kUndefined;
}

std::optional<DType> DTypeFromName(std::string_view name) {
  for (const auto& row : kTable)
    if (row.name == name && row.dtype != DType::kUndefined) return row.dtype;
  struct Alias {
    std::string_view name;
    DType dtype;
  };
  static constexpr Alias kAliases[] = {
      {"float", DType::kFloat32}, {"f32", DType::kFloat32},  {"double", DType::kFloat64},
      {"f64", DType::kFloat64},   {"half", DType::kFloat16}, {"f16", DType::kFloat16},
      {"long", DType::kInt64},    {"i64", DType::kInt64},    {"int", DType::kInt32},
      {"i32", DType::kInt32},     {"u8", DType::kUInt8},     {"i8", DType::kInt8},
  };
  for (const auto& alias : kAliases)
    if (alias.name == name) return alias.dtype;
  return std::nullopt;
}

bool IsFloating(DType dtype) {
  return dtype == DType::kFloat32 || dtype == DType::kFloat64 || dtype == DType::kFloat16 ||
         dtype == DType::kBFloat16;
}

bool IsIntegral(DType dtype) {
  return dtype == DType::kInt8 || dtype == DType::kInt16 || dtype == DType::kInt32 ||
         dtype == DType::kInt64 || dtype == DType::kUInt8;
}

DType PromoteTypes(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::kUndefined) return b;
  if (b == DType::kUndefined) return a;
  if (a == DType::kBool) return b;
  if (b == DType::kBool) return a;
  if (IsFloating(a) != IsFloating(b)) return IsFloating(a) ? a : b;
  if (IsFloating(a)) {
    if ((a == DType::kFloat16 && b == DType::kBFloat16) ||
        (a == DType::kBFloat16 && b == DType::kFloat16))
      return DType::kFloat32;
    return DTypeSize(a) >= DTypeSize(b) ? a : b;
  }
  // Both integral. uint8 with a signed type of the same size promotes to the next size.
  if (a == DType::kUInt8 || b == DType::kUInt8) {
    DType other = a == DType::kUInt8 ? b : a;
    return other == DType::kInt8 ? DType::kInt16 : other;
  }
  return DTypeSize(a) >= DTypeSize(b) ? a : b;
}

}  // namespace t2o
