// The markdown export report written with --report (on success and on failure).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/ir/ir.h"
#include "core/onnx/model.h"
#include "core/translate/registry.h"

namespace t2o {

struct ConvertOptions;
struct ConvertResult;

struct OpUse {
  int count = 0;
  std::string translator;  // registry key, "" if unsupported
  std::vector<std::string> locations;
};

// What the report needs from the stages, gathered while they run.
struct ReportData {
  std::string model_path;
  std::string format;
  std::vector<std::string> input_lines;   // "`tensor_x`: float32[97, 8]"
  std::vector<std::string> output_lines;
  int64_t parameter_count = 0, parameter_bytes = 0, buffer_count = 0, buffer_bytes = 0;
  std::map<std::string, OpUse> aten_ops;
  bool translated = false;
  int opset = 0;
  int64_t ir_version = 0;
  std::map<std::string, int> onnx_ops;
  size_t initializer_bytes = 0;
  std::vector<std::string> onnx_input_lines, onnx_output_lines;
  std::string program_text;  // the captured IR, printed
};

// Fills the captured-program part of `data`.
void DescribeProgram(const ir::Graph& graph, const Registry& registry, int opset, ReportData& data);
// Fills the ONNX part of `data`.
void DescribeOnnx(const onnx::OnnxModel& model, ReportData& data);

// Writes onnx_export_<timestamp>_<status>.md into the artifacts dir; returns its path.
std::string WriteMarkdownReport(const ConvertOptions& options, const ConvertResult& result, const ReportData& data);

}  // namespace t2o
