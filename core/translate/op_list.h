// `torch2onnx --list-ops`: the supported ATen/prim ops with their opset ranges.
#pragma once

#include <optional>
#include <string>

#include "core/translate/registry.h"

namespace t2o {

// One line per registry key ("aten::conv2d  13-17  conv_pool"), or a markdown table
// grouped by translator family; with `opset`, only ops supported at that opset.
std::string FormatOpList(const Registry& registry, std::optional<int> opset, bool markdown);

}  // namespace t2o
