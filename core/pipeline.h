// The whole conversion: load -> capture -> translate -> optimize -> write -> verify ->
// report. The CLI is a thin layer over Convert().
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/capture/capture.h"
#include "core/onnx/module_functions.h"
#include "core/onnx/writer.h"
#include "core/report/markdown_report.h"
#include "core/translate/translate.h"
#include "core/verify/compare.h"

namespace t2o {

struct ConvertOptions {
  std::string model_path;
  std::string output_path;
  int opset = kDefaultOpset;
  CaptureOptions capture;
  std::vector<std::string> input_names;
  std::vector<std::string> output_names;
  std::string dynamic_shapes;  // --dynamic-shapes JSON or @file
  std::string dynamic_axes;    // --dynamic-axes JSON or @file
  onnx::WriteOptions write;
  bool optimize = true;
  bool verify = false;
  // Extra verification runs at other sizes of the dynamic dims: one run per map.
  std::vector<std::map<std::string, int64_t>> verify_dims;
  Tolerance tolerance;
  std::string artifacts_dir = ".";
  bool report = false;                 // markdown report in artifacts_dir
  bool profile = false;                // time and peak memory per stage, on stderr too
  bool dump_exported_program = false;  // the captured IR as text and JSON in artifacts_dir
  std::vector<std::string> load_libraries;  // custom-op libraries loaded before the model
  std::vector<std::string> translator_plugins;  // --translator-plugin libraries
  std::string op_map;                          // --op-map JSON file ("" = none)
  std::optional<onnx::ModuleSelection> modules_as_functions;  // --modules-as-functions
};

// One pipeline stage: wall time, the peak resident memory reached during the stage (the
// peak is restarted at each stage where Linux allows it) and the resident memory after.
struct StageTiming {
  std::string stage;
  double seconds = 0;
  int64_t peak_rss_bytes = 0;
  int64_t rss_after_bytes = 0;
};

// What one optimizer pass did.
struct OptimizePassSummary {
  std::string pass;
  int nodes_removed = 0;
  int nodes_added = 0;
  std::string detail;
};

// Where ONNX Runtime first disagrees with PyTorch, found by exposing intermediate values
// as extra outputs (only searched when verification fails).
struct Divergence {
  bool searched = false;
  std::string note;  // why the search found nothing, when it did not
  std::string value;      // IR/ONNX value name
  std::string aten_op;    // the ATen node that produced it
  std::string location;   // short source location
  std::string stack_trace;
  OutputComparison comparison;
  size_t values_compared = 0;
};

struct ConvertResult {
  bool ok = false;
  ExitCode exit_code = ExitCode::kOk;
  std::string error;
  ModelFormat format = ModelFormat::kTorchScript;
  std::vector<CaptureAttempt> attempts;
  std::vector<NodeIssue> issues;
  onnx::WriteResult written;
  size_t onnx_nodes = 0;
  size_t aten_nodes = 0;
  std::vector<std::pair<std::string, std::string>> aten_ops;  // (op, overload) of every node, sorted, unique
  std::vector<OptimizePassSummary> optimize_passes;
  std::vector<onnx::ModuleFunctionInfo> module_functions;
  size_t onnx_nodes_before_optimize = 0;
  std::vector<OutputComparison> comparisons;
  bool verified = false;
  std::string verify_note;  // how verification ran, when not the plain way
  Divergence divergence;
  std::vector<StageTiming> timings;
  std::string report_path;
  std::vector<std::string> dump_paths;
};

// Never throws for conversion problems: they are described in the result.
ConvertResult Convert(const ConvertOptions& options);

// What a model contains, without writing anything: capture only, then the op table with
// the translator each op would use at options.opset.
struct InspectResult {
  bool ok = false;
  ExitCode exit_code = ExitCode::kOk;
  std::string error;
  ModelFormat format = ModelFormat::kTorchScript;
  std::vector<CaptureAttempt> attempts;
  ReportData program;
  std::vector<NodeIssue> unsupported;  // nodes with no translator at the opset
  size_t aten_nodes = 0;
  std::vector<int> convertible_opsets;    // where every op of the model has a translator
  std::vector<int> form_boundary_opsets;  // of those, the first and last opset of each op form
};
InspectResult Inspect(const ConvertOptions& options);

}  // namespace t2o
