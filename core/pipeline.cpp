#include "core/pipeline.h"

#include <chrono>
#include <filesystem>

#include "core/report/markdown_report.h"
#include "core/util/log.h"
#include "core/verify/ort_runner.h"

namespace t2o {
namespace fs = std::filesystem;

namespace {

class StageTimer {
 public:
  StageTimer(ConvertResult& result, std::string stage)
      : result_(result), stage_(std::move(stage)), start_(std::chrono::steady_clock::now()) {
    Log().info("{}...", stage_);
  }
  ~StageTimer() {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    result_.timings.push_back({stage_, s});
    Log().info("{} took {:.3f}s", stage_, s);
  }

 private:
  ConvertResult& result_;
  std::string stage_;
  std::chrono::steady_clock::time_point start_;
};

std::string VersionString() { return T2O_VERSION; }

void Verify(const ConvertOptions& options, CapturedProgram& program, ConvertResult& result) {
  std::vector<TensorData> expected = program.reference->Run(program.example_inputs);
  std::string work_dir = (fs::path(options.artifacts_dir) /
                          (fs::path(options.output_path).stem().string() + "_test_data_set_0")).string();
  OrtRunResult ort = RunOnnxRuntime(fs::absolute(options.output_path).string(), program.example_inputs, work_dir);
  if (ort.outputs.size() != expected.size())
    throw ExportError("the ONNX model has " + std::to_string(ort.outputs.size()) + " outputs but PyTorch returned " +
                      std::to_string(expected.size()));
  bool all_passed = true;
  for (size_t k = 0; k < expected.size(); ++k) {
    result.comparisons.push_back(CompareTensors(ort.output_names[k], expected[k], ort.outputs[k], options.tolerance));
    all_passed = all_passed && result.comparisons.back().passed;
  }
  result.verified = all_passed;
  if (!all_passed) {
    for (const auto& c : result.comparisons)
      if (!c.passed) {
        throw Error(ExitCode::kVerifyMismatch,
                    "verification failed: output '" + c.name + "' differs from PyTorch (max abs diff " +
                        std::to_string(c.max_abs_diff) + ", max rel diff " + std::to_string(c.max_rel_diff) + ", " +
                        std::to_string(c.mismatched) + " of " + std::to_string(c.numel) + " elements outside atol=" +
                        std::to_string(options.tolerance.atol) + " rtol=" + std::to_string(options.tolerance.rtol) +
                        (c.note.empty() ? "" : "; " + c.note) + ")");
      }
  }
}

}  // namespace

ConvertResult Convert(const ConvertOptions& options) {
  ConvertResult result;
  ReportData report;
  report.model_path = options.model_path;
  try {
    if (options.opset < kMinOpset || options.opset > kMaxOpset)
      throw UsageError("--opset " + std::to_string(options.opset) + " is not supported: choose " +
                       std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset));
    {
      StageTimer t(result, "detect format");
      result.format = DetectModelFormat(options.model_path);
      report.format = std::string(ModelFormatName(result.format));
    }
    if (result.format != ModelFormat::kTorchScript)
      throw InputError("'" + options.model_path + "' is an " + std::string(ModelFormatName(result.format)) +
                       "; this build reads TorchScript files only");
    CapturedProgram program;
    {
      StageTimer t(result, "capture");
      program = CaptureTorchScript(options.model_path, options.capture, &result.attempts);
      result.aten_nodes = program.graph->CountNodes();
      if (options.report) DescribeProgram(*program.graph, BuiltinRegistry(), options.opset, report);
    }
    onnx::OnnxModel model;
    {
      StageTimer t(result, "translate");
      TranslateOptions topts;
      topts.opset = options.opset;
      topts.input_names = options.input_names;
      topts.output_names = options.output_names;
      try {
        model = TranslateGraph(*program.graph, BuiltinRegistry(), topts);
      } catch (const ConversionError& e) {
        result.issues = e.issues();
        throw;
      }
      model.producer_version = VersionString();
      result.onnx_nodes = onnx::CountNodes(model.graph);
      if (options.report) DescribeOnnx(model, report);
    }
    {
      StageTimer t(result, "check and write");
      result.written = onnx::WriteModel(model, options.output_path, options.write);
    }
    if (options.verify) {
      StageTimer t(result, "verify");
      Verify(options, program, result);
    }
    result.ok = true;
  } catch (const Error& e) {
    result.error = e.what();
    result.exit_code = e.code();
  } catch (const std::exception& e) {
    result.error = e.what();
    result.exit_code = ExitCode::kExportFailed;
  }
  if (options.report) {
    try {
      result.report_path = WriteMarkdownReport(options, result, report);
    } catch (const std::exception& e) {
      Log().error("could not write the report: {}", e.what());
    }
  }
  return result;
}

}  // namespace t2o
