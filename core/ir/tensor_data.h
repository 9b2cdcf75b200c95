// TensorData: an immutable, shared, typed byte buffer (weights and constants).
//
// The bytes are owned by whatever `owner` keeps alive (a libtorch tensor's storage, a
// memory-mapped archive entry, or a std::vector made here), so a weight loaded once is
// never copied again while it travels from capture to the ONNX writer.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "core/ir/dtype.h"
#include "core/util/mapped_file.h"

namespace t2o {

struct TensorData {
  DType dtype = DType::kUndefined;
  std::vector<int64_t> shape;
  std::shared_ptr<const void> owner;
  const uint8_t* bytes = nullptr;
  size_t nbytes = 0;
  // Set when the bytes are an unmodified range of a mapped model file.
  FileSpan source;

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(bytes);
  }

  // Makes a tensor that owns a copy of `values`.
  template <typename T>
  static TensorData FromVector(DType dtype, std::vector<int64_t> shape, std::vector<T> values) {
    auto storage = std::make_shared<std::vector<T>>(std::move(values));
    TensorData t;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.bytes = reinterpret_cast<const uint8_t*>(storage->data());
    t.nbytes = storage->size() * sizeof(T);
    t.owner = std::move(storage);
    return t;
  }
  static TensorData FromBytes(DType dtype, std::vector<int64_t> shape, const void* src,
                              size_t nbytes) {
    std::vector<uint8_t> copy(nbytes);
    if (nbytes) std::memcpy(copy.data(), src, nbytes);
    return FromVector(dtype, std::move(shape), std::move(copy));
  }

  // A tensor of `dtype` holding `values` (converted; float16/bfloat16 rounded to nearest even).
  static TensorData FromDoubles(DType dtype, std::vector<int64_t> shape, const std::vector<double>& values);

  // Reads element `i` converted to double / int64, whatever the dtype.
  double ElementAsDouble(int64_t i) const;
  int64_t ElementAsInt(int64_t i) const;
};

// A complex64 tensor as ONNX holds it: float32 pairs (real, imaginary) along a trailing
// axis of 2, sharing the bytes. Other tensors are returned as they are.
inline TensorData ComplexAsFloatPairs(const TensorData& t) {
  if (t.dtype != DType::kComplex64) return t;
  TensorData pairs = t;
  pairs.dtype = DType::kFloat32;
  pairs.shape.push_back(2);
  return pairs;
}

// Elements of its storage a strided tensor reaches past its offset (sizes and strides in
// elements); 0 for an empty tensor.
inline int64_t StridedExtent(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides) {
  int64_t extent = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return 0;
    extent += (shape[d] - 1) * strides.at(d);
  }
  return extent;
}

// The bytes of storage a strided view needs ((offset + extent) * element), or nothing when
// the metadata is impossible: a rank mismatch, a negative size, stride or offset, or sizes
// whose element count or byte size overflow. What a file declares is checked with this
// before anything is allocated or read for it.
inline std::optional<uint64_t> CheckedStorageBytes(const std::vector<int64_t>& shape,
                                                   const std::vector<int64_t>& strides, int64_t offset,
                                                   size_t element) {
  if (shape.size() != strides.size() || offset < 0) return std::nullopt;
  int64_t numel = 1, extent = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0 || strides[d] < 0) return std::nullopt;
    if (__builtin_mul_overflow(numel, shape[d], &numel)) return std::nullopt;
    int64_t reach = 0;
    if (shape[d] > 0 && (__builtin_mul_overflow(shape[d] - 1, strides[d], &reach) ||
                         __builtin_add_overflow(extent, reach, &extent)))
      return std::nullopt;
  }
  int64_t bytes = 0;
  if (numel == 0) return 0;
  if (__builtin_add_overflow(offset, extent, &extent) ||
      __builtin_mul_overflow(extent, static_cast<int64_t>(element), &bytes) ||
      __builtin_mul_overflow(numel, static_cast<int64_t>(element), &numel))
    return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

// The bytes of a C-contiguous tensor of `shape`, or nothing for a negative or overflowing shape.
inline std::optional<uint64_t> CheckedContiguousBytes(const std::vector<int64_t>& shape, size_t element) {
  int64_t bytes = static_cast<int64_t>(element);
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(bytes, d, &bytes)) return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

// Strides of a C-contiguous tensor of `shape` (size-1 dims may have any stride).
inline bool IsRowMajor(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides) {
  int64_t expect = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] != 1 && strides.at(d) != expect) return false;
    expect *= shape[d];
  }
  return true;
}

// The tensor (shape, strides, offset in elements) over `storage`'s bytes: the bytes are
// shared when row-major, gathered into a copy otherwise. The caller has checked that
// offset + StridedExtent fits in the storage.
inline TensorData StridedView(const TensorData& storage, const std::vector<int64_t>& shape,
                              const std::vector<int64_t>& strides, int64_t offset) {
  size_t element = DTypeSize(storage.dtype);
  TensorData t = storage;
  t.shape = shape;
  if (IsRowMajor(shape, strides)) {
    t.bytes = storage.bytes + offset * element;
    t.nbytes = static_cast<size_t>(t.numel()) * element;
    if (t.source.file) t.source.offset += offset * element;
    return t;
  }
  int64_t numel = t.numel();
  std::vector<uint8_t> out(static_cast<size_t>(numel) * element);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t k = 0; k < numel; ++k) {
    int64_t src = offset;
    for (size_t d = 0; d < shape.size(); ++d) src += index[d] * strides[d];
    std::memcpy(out.data() + k * element, storage.bytes + src * element, element);
    for (size_t d = shape.size(); d-- > 0 && ++index[d] == shape[d];) index[d] = 0;
  }
  return TensorData::FromVector(storage.dtype, shape, std::move(out));
}

}  // namespace t2o
