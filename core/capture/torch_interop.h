// Conversions between libtorch tensors and TensorData (only for files that already
// include libtorch).
#pragma once

#include <ATen/ATen.h>
#include <ATen/core/ivalue.h>

#include <optional>

#include "core/ir/ir.h"
#include "core/ir/tensor_data.h"

namespace t2o {

// Shares the tensor's storage (no copy) when it is contiguous; copies otherwise.
inline TensorData TensorToData(const at::Tensor& tensor) {
  at::Tensor t = tensor.contiguous();
  TensorData data;
  data.dtype = DTypeFromTorch(static_cast<int>(t.scalar_type()));
  data.shape.assign(t.sizes().begin(), t.sizes().end());
  auto holder = std::make_shared<at::Tensor>(t);
  data.bytes = static_cast<const uint8_t*>(holder->data_ptr());
  data.nbytes = t.numel() * t.element_size();
  data.owner = std::shared_ptr<const void>(holder, holder->data_ptr());
  return data;
}

// A tensor viewing the same bytes (kept alive with the TensorData's owner).
inline at::Tensor DataToTensor(const TensorData& data) {
  auto owner = data.owner;
  auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(DTypeToTorch(data.dtype)));
  if (data.nbytes == 0) return at::empty(data.shape, options);
  return at::from_blob(const_cast<uint8_t*>(data.bytes), data.shape, [owner](void*) {}, options);
}

// A libtorch value known at export time as an IR constant; nullopt for kinds the IR has
// no constant for (tuples, dicts, generic lists, objects).
inline std::optional<ir::Constant> IValueToConstant(const c10::IValue& v) {
  if (v.isNone()) return ir::Constant{ir::NoneValue{}};
  if (v.isBool()) return ir::Constant{v.toBool()};
  if (v.isInt()) return ir::Constant{v.toInt()};
  if (v.isDouble()) return ir::Constant{v.toDouble()};
  if (v.isString()) return ir::Constant{v.toStringRef()};
  if (v.isIntList()) return ir::Constant{v.toIntVector()};
  if (v.isDoubleList()) return ir::Constant{v.toDoubleVector()};
  if (v.isBoolList()) {
    std::vector<bool> b;
    for (bool x : v.toBoolList()) b.push_back(x);
    return ir::Constant{b};
  }
  if (v.isDevice()) return ir::Constant{v.toDevice().str()};
  if (v.isTensor()) return ir::Constant{TensorToData(v.toTensor())};
  return std::nullopt;
}

}  // namespace t2o
