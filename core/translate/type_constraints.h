// ONNX operators take a dtype only from the opset whose type constraints list it (Conv
// takes bfloat16 from opset 22, Relu integers from 14, ...). This check finds every ONNX
// node a translator emitted with an input dtype its schema at the model's opset does not
// allow, before the checker would reject the model with a message about ONNX nodes, and
// names the ATen node it came from and the first opset that allows the dtype.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/onnx/model.h"
#include "core/optimize/graph_view.h"
#include "core/translate/translate.h"

namespace t2o {

// Nodes without an origin (made by passes, not translators) are not checked.
// `types`: optimize::InferTypes(model).
std::vector<NodeIssue> FindTypeConstraintViolations(const onnx::OnnxModel& model,
                                                    const std::map<std::string, optimize::ValueType>& types);

// ONNX nodes whose inputs bound to one type parameter (Add's T) have different dtypes:
// always a translator defect, found here before the checker reports it about ONNX nodes.
std::vector<NodeIssue> FindInconsistentInputTypes(const onnx::OnnxModel& model,
                                                  const std::map<std::string, optimize::ValueType>& types);

}  // namespace t2o
