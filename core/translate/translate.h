// The translate stage: ATen-level IR -> ONNX model, through the translator registry.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/ir/ir.h"
#include "core/onnx/model.h"
#include "core/translate/registry.h"
#include "core/util/errors.h"

namespace t2o {

struct TranslateOptions {
  int opset = kDefaultOpset;
  std::vector<std::string> input_names;   // renames user inputs, in order
  std::vector<std::string> output_names;  // renames outputs, in order
  // --dynamic-axes: entries naming outputs name their dims; entries naming inputs were
  // applied by capture; any other name is an error.
  std::map<std::string, std::map<int64_t, std::string>> dynamic_axes;
  std::map<std::string, int64_t> domain_opsets;  // see onnx::OnnxModel::domain_opsets
};

// One node that could not be translated.
struct NodeIssue {
  std::string op;  // "aten::foo.bar"
  std::string message;
  ir::SourceLocation location;
  std::string node_text;
};

// Groups issues per op: "aten::foo (3 nodes)" with every location.
std::string FormatIssues(const std::vector<NodeIssue>& issues);

class ConversionError : public ExportError {
 public:
  ConversionError(const std::string& message, std::vector<NodeIssue> issues)
      : ExportError(message), issues_(std::move(issues)) {}
  const std::vector<NodeIssue>& issues() const { return issues_; }

 private:
  std::vector<NodeIssue> issues_;
};

// Every node (nested blocks included) with no translator at `opset`.
std::vector<NodeIssue> FindUnsupportedNodes(const ir::Graph& graph, const Registry& registry, int opset);

// Throws ConversionError listing every unsupported or failing node at once.
onnx::OnnxModel TranslateGraph(const ir::Graph& graph, const Registry& registry,
                               const TranslateOptions& options);

}  // namespace t2o
