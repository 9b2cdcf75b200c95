// The captured program as JSON (--dump-exported-program): every value with its kind,
// dtype, shape and constant; every node with its op, inputs, outputs, nested blocks and
// source location; the signature and the symbols.
#pragma once

#include <nlohmann/json.hpp>

#include "core/ir/ir.h"

namespace t2o::ir {

nlohmann::json GraphToJson(const Graph& graph);

}  // namespace t2o::ir
