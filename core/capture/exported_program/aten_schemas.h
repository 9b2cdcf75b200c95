// ATen operator schemas (argument names, kinds, defaults) from libtorch's registry, plus
// the schemas of newer core ATen ops that libtorch 1.13 does not know. This header
// includes no libtorch header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ir/ir.h"

namespace t2o {

struct ArgumentSchema {
  std::string name;
  ir::ValueKind kind = ir::ValueKind::kOther;  // kOther: decided by the value (Scalar, Any)
  bool optional = false;                      // `T?`
  bool kwarg_only = false;
  std::optional<ir::Constant> default_value;
};

struct OperatorSchema {
  std::string op;        // "aten::add"
  std::string overload;  // "Tensor"; "" for default
  std::vector<ArgumentSchema> arguments;
  std::vector<ir::ValueKind> returns;
  ir::Aliasing aliasing = ir::Aliasing::kNone;  // of the first argument (views, in-place ops)
  bool known_to_libtorch = true;  // false: only in our table of newer ops
};

// Null when neither libtorch nor our table has the overload ("" = default overload).
const OperatorSchema* FindOperatorSchema(const std::string& op, const std::string& overload);

}  // namespace t2o
