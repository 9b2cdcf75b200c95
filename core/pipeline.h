// The whole conversion: load -> capture -> translate -> optimize -> write -> verify ->
// report. The CLI is a thin layer over Convert().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/capture/capture.h"
#include "core/onnx/writer.h"
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
  onnx::WriteOptions write;
  bool verify = false;
  Tolerance tolerance;
  std::string artifacts_dir = ".";
  bool report = false;  // markdown report in artifacts_dir
};

struct StageTiming {
  std::string stage;
  double seconds = 0;
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
  std::vector<OutputComparison> comparisons;
  bool verified = false;
  std::vector<StageTiming> timings;
  std::string report_path;
};

// Never throws for conversion problems: they are described in the result.
ConvertResult Convert(const ConvertOptions& options);

}  // namespace t2o
