// Conversions between libtorch tensors and TensorData (only for files that already
// include libtorch).
#pragma once

#include <ATen/ATen.h>
#include <ATen/core/function_schema.h>
#include <ATen/core/ivalue.h>

#include <optional>

#include "core/ir/ir.h"
#include "core/ir/tensor_data.h"

namespace t2o {

// Shares the tensor's storage (no copy) when it is contiguous; copies otherwise.
inline TensorData TensorToData(const at::Tensor& tensor) {
  // conj() and neg views of complex tensors only set a bit: the bytes are the original's.
  at::Tensor t = tensor.resolve_conj().resolve_neg().contiguous();
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

// What the schema's alias annotations say of the first argument: viewed by the result
// (`Tensor(a) self -> Tensor(a)`), viewed by each element of a returned list
// (`Tensor(a -> *) self -> Tensor(a)[]`), or written in place (`Tensor(a!) self`).
inline ir::Aliasing AliasingOf(const c10::FunctionSchema& schema) {
  if (schema.arguments().empty() || schema.returns().empty()) return ir::Aliasing::kNone;
  for (size_t k = 1; k < schema.arguments().size(); ++k)
    if (const c10::AliasInfo* info = schema.arguments()[k].alias_info(); info && info->isWrite())
      return ir::Aliasing::kWritesArgument;
  const c10::AliasInfo* self = schema.arguments()[0].alias_info();
  if (!self) return ir::Aliasing::kNone;
  if (self->isWrite()) return ir::Aliasing::kInPlace;
  const c10::Argument& result = schema.returns()[0];
  auto shares = [&](const c10::AliasInfo* info) {
    if (!info || info->isWrite()) return false;
    for (const auto& set : info->beforeSets())
      if (self->beforeSets().count(set) || self->afterSets().count(set)) return true;
    return false;
  };
  if (shares(result.alias_info())) return ir::Aliasing::kView;
  if (result.type()->kind() == c10::TypeKind::ListType) {
    if (const c10::AliasInfo* list = result.alias_info()) {
      if (shares(list)) return ir::Aliasing::kViewList;
      for (const auto& element : list->containedTypes())
        if (shares(&element)) return ir::Aliasing::kViewList;
    }
    if (self->afterSets() != self->beforeSets()) return ir::Aliasing::kViewList;  // Tensor(a -> *)
  }
  return ir::Aliasing::kNone;
}

}  // namespace t2o
