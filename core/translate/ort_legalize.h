// ONNX Runtime has no CPU kernel for some (op, element type) pairs the ONNX spec allows
// (Where on int16, Min on int16, Conv on float64, CumSum on int8, ...). This pass computes
// such nodes in the nearest type that has one and casts back: integers and bool widen
// exactly (to int32/int64, bool to uint8); float16 runs in float32 and is rounded back;
// float64 runs in float32 (less precise; counted in the report). Scatter reductions are
// looked up by reduction ("ScatterElements@add": no float16 kernel although plain
// ScatterElements has one). bfloat16 is left alone (the verifier runs bfloat16 models as
// float32 twins).
#pragma once

#include <map>
#include <string>

#include "core/onnx/model.h"
#include "core/optimize/graph_view.h"

namespace t2o {

struct LegalizeReport {
  int widened_nodes = 0;
  int float64_as_float32 = 0;  // of those, computed in float32
};

// `types`: InferTypes(model); updated with the values the pass adds.
LegalizeReport LegalizeForOnnxRuntime(onnx::OnnxModel& model, std::map<std::string, optimize::ValueType>& types);

}  // namespace t2o
