// TensorData: an immutable, shared, typed byte buffer (weights and constants).
//
// The bytes are owned by whatever `owner` keeps alive (a libtorch tensor's storage, a
// memory-mapped archive entry, or a std::vector made here), so a weight loaded once is
// never copied again while it travels from capture to the ONNX writer.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "core/ir/dtype.h"

namespace t2o {

struct TensorData {
  DType dtype = DType::kUndefined;
  std::vector<int64_t> shape;
  std::shared_ptr<const void> owner;
  const uint8_t* bytes = nullptr;
  size_t nbytes = 0;

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

  // Reads element `i` converted to double / int64, whatever the dtype.
  double ElementAsDouble(int64_t i) const;
  int64_t ElementAsInt(int64_t i) const;
};

}  // namespace t2o
