// Operator schemas (argument names, kinds, defaults, alias annotations) from a table of
// libtorch's registered schemas generated at build time (scripts/gen_aten_schemas.py), so
// that .pt2 programs are normalized without loading libtorch. No libtorch header.
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
};

// Null when the table has no such overload ("" = default overload).
const OperatorSchema* FindOperatorSchema(const std::string& op, const std::string& overload);

// Parses one schema in libtorch's notation ("aten::add.Tensor(Tensor self, Tensor other, *,
// Scalar alpha=1) -> Tensor"); throws std::invalid_argument saying what is wrong.
OperatorSchema ParseOperatorSchema(const std::string& text);

}  // namespace t2o
