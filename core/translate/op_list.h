// `torch2onnx --list-ops`: the supported ATen/prim ops with their opset ranges.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ir/ir.h"

#include "core/translate/registry.h"

namespace t2o {

// One line per registry key ("aten::conv2d  13-17  conv_pool"), or a markdown table
// grouped by translator family; with `opset`, only ops supported at that opset.
std::string FormatOpList(const Registry& registry, std::optional<int> opset, bool markdown);

// Coverage at `opset` as numbers: PyTorch's core ATen overloads (torch 2.13's core-tagged
// native functions) by status and by translator family, and the public API (the op
// variants of PyTorch's OpInfo database) with a translator for every ATen op their traced
// graphs hold, by namespace. Text lines, or markdown.
std::string FormatCoverage(const Registry& registry, int opset, bool markdown);

// The same as JSON, for tools: {"translators": [{"key", "family", "complex", "opsets":
// [[since, until], ...]}], "refusals": [{"key", "kind", "reason"}], "refusal_rules":
// [{"suffix" or "overload_suffix", "kind", "reason"}], "coverage": {"opset", "core_aten":
// {status: count}, "public_api": {namespace: [covered, total]}}} (kinds: inexpressible,
// training-only, out-variant).
std::string FormatOpListJson(const Registry& registry);

using OpKey = std::pair<std::string, std::string>;  // (op, overload) of IR nodes

// The opsets at which every op in `ops` has a translator.
std::vector<int> ConvertibleOpsets(const Registry& registry, const std::vector<OpKey>& ops);
// Of those, the lowest and the highest opset of every form (registered opset range) of
// the ops: where a model using them is worth testing.
std::vector<int> FormBoundaryOpsets(const Registry& registry, const std::vector<OpKey>& ops);

// The (op, overload) pairs of every node of a graph, nested blocks included; sorted.
std::vector<OpKey> GraphOps(const ir::Graph& graph);

}  // namespace t2o
