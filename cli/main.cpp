// torch2onnx command line: convert (one model or several), inspect, apply-weights.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <optional>

#include "cli/batch.h"
#include "cli/flags.h"
#include "cli/summary.h"
#include "core/capture/capture.h"
#include "core/onnx/apply_weights.h"
#include "core/translate/op_list.h"
#include "core/util/format.h"
#include "core/util/log.h"
#include "core/util/process.h"

namespace {

using t2o::ExitCode;
using namespace t2o::cli;  // NOLINT: this file is the CLI

void SetVerbosity(const CliFlags& flags) {
  if (flags.verbose) t2o::SetLogLevel(spdlog::level::debug);
  if (flags.quiet || flags.json) t2o::SetLogLevel(spdlog::level::err);
}

int Fail(const t2o::Error& e) {
  std::fprintf(stderr, "torch2onnx: error: %s\n", t2o::PrintableText(e.what()).c_str());
  return static_cast<int>(e.code());
}

int ConvertOne(const CliFlags& flags, const std::string& model) {
  t2o::ConvertOptions options = MakeConvertOptions(flags, model);
  t2o::ConvertResult result = t2o::Convert(options);
  if (flags.profile) PrintProfile(result);
  nlohmann::json summary;
  if (flags.json || !flags.summary_file.empty()) summary = ConvertSummaryJson(options, result);
  if (!flags.summary_file.empty()) std::ofstream(flags.summary_file) << summary.dump() << "\n";
  if (flags.json)
    std::printf("%s\n", summary.dump(2).c_str());
  else
    PrintConvertHuman(options, result, flags.quiet);
  if (flags.json && !result.ok) std::fprintf(stderr, "torch2onnx: error: %s\n", result.error.c_str());
  return static_cast<int>(result.exit_code);
}

// --timeout and --max-memory, for the process that converts `model`.
void LimitResources(const CliFlags& flags, const std::string& model) {
  t2o::SetTerminationLabel("'" + model + "'");
  if (!flags.max_memory.empty()) t2o::SetMemoryLimit(t2o::ParseByteSize(flags.max_memory, "--max-memory"));
  if (flags.timeout_seconds != 0) t2o::SetTimeout(flags.timeout_seconds);
}

int RunConvert(CliFlags& flags, int argc, char** argv) {
  if (flags.models.empty()) throw t2o::UsageError("no model given (run with --help for usage)");
  if (flags.timeout_seconds < 0) throw t2o::UsageError("--timeout must be a positive number of seconds");
  if (!flags.max_memory.empty()) t2o::ParseByteSize(flags.max_memory, "--max-memory");
  if (flags.batch_index >= 0) {
    if (static_cast<size_t>(flags.batch_index) >= flags.models.size()) throw t2o::UsageError("--batch-index out of range");
    LimitResources(flags, flags.models[flags.batch_index]);
    return ConvertOne(flags, flags.models[flags.batch_index]);
  }
  if (flags.models.size() == 1) {
    LimitResources(flags, flags.models[0]);
    return ConvertOne(flags, flags.models[0]);
  }
  return RunBatch(flags, argc, argv);
}

int RunInspect(const CliFlags& flags, const std::string& model) {
  t2o::ConvertOptions options = MakeConvertOptions(flags, model);
  t2o::InspectResult result = t2o::Inspect(options);
  if (flags.json) {
    std::printf("%s\n", InspectSummaryJson(options, result).dump(2).c_str());
    if (!result.ok) std::fprintf(stderr, "torch2onnx: error: %s\n", result.error.c_str());
  } else {
    PrintInspectHuman(options, result);
  }
  return static_cast<int>(result.exit_code);
}

int RunApplyWeights(const std::string& onnx_path, const std::string& weights_path, const std::string& output,
                    bool keep_as_inputs, bool quiet) {
  t2o::ModelFormat format = t2o::DetectModelFormat(weights_path);
  auto weights = format == t2o::ModelFormat::kTorchScript ? t2o::LoadTorchScriptWeights(weights_path)
                                                          : t2o::LoadExportedProgramWeights(weights_path, format);
  auto result = t2o::onnx::ApplyWeights(onnx_path, weights, output, keep_as_inputs);
  if (!quiet) {
    std::printf("wrote %s (%d weights applied from %s)\n", output.c_str(), result.applied, weights_path.c_str());
    if (!result.unused_weights.empty())
      std::printf("note: %zu weights of the model are not used by the ONNX graph (e.g. '%s')\n",
                  result.unused_weights.size(), result.unused_weights[0].c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  t2o::InstallTerminationHandler();
  CLI::App app{"torch2onnx: convert TorchScript and ExportedProgram (.pt2) models to ONNX, without Python"};
  app.set_version_flag("--version", std::string("torch2onnx ") + T2O_VERSION + " (libtorch " T2O_LIBTORCH_VERSION ", onnx " T2O_ONNX_VERSION ", default opset " +
                                         std::to_string(t2o::kDefaultOpset) + ")");
  CliFlags flags;
  AddConvertFlags(app, flags);
  bool list_ops = false, markdown = false;
  app.add_flag("--list-ops", list_ops, "Print the supported ATen ops with their opset ranges (at --opset if given)");
  app.add_flag("--markdown", markdown, "With --list-ops: a markdown table by op family (--json: every translator and refusal)");

  CliFlags inspect_flags;
  std::string inspect_model;
  CLI::App* inspect = app.add_subcommand("inspect", "Show what a model contains and which ops can be converted; writes nothing");
  inspect->add_option("model", inspect_model, "Model file")->required();
  AddInputFlags(*inspect, inspect_flags);

  std::string aw_onnx, aw_weights, aw_output;
  bool aw_keep = false;
  CLI::App* apply = app.add_subcommand(
      "apply-weights", "Fill the weight inputs of a model written with --no-export-params from the original model");
  apply->add_option("onnx", aw_onnx, "ONNX model written with --no-export-params")->required();
  apply->add_option("--weights", aw_weights, "The original model (TorchScript or .pt2)")->required();
  apply->add_option("-o,--output", aw_output, "ONNX file to write")->required();
  apply->add_flag("--keep-initializers-as-inputs", aw_keep, "Keep the weights listed as graph inputs as well");
  bool aw_quiet = false;
  apply->add_flag("-q,--quiet", aw_quiet, "Print errors only");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }

  try {
    if (inspect->parsed()) {
      SetVerbosity(inspect_flags);
      return RunInspect(inspect_flags, inspect_model);
    }
    if (apply->parsed()) {
      return RunApplyWeights(aw_onnx, aw_weights, aw_output, aw_keep, aw_quiet);
    }
    SetVerbosity(flags);
    if (list_ops) {
      std::optional<int> opset;
      if (app.get_option("--opset")->count() > 0) opset = flags.opset;
      if (opset && (*opset < t2o::kMinOpset || *opset > t2o::kMaxOpset))
        throw t2o::UsageError("--opset " + std::to_string(*opset) + " is not supported: choose " +
                              std::to_string(t2o::kMinOpset) + " to " + std::to_string(t2o::kMaxOpset));
      if (flags.json && (opset || markdown)) throw t2o::UsageError("--list-ops --json lists every opset: drop --opset and --markdown");
      std::fputs((flags.json ? t2o::FormatOpListJson(t2o::BuiltinRegistry())
                             : t2o::FormatOpList(t2o::BuiltinRegistry(), opset, markdown)).c_str(), stdout);
      return 0;
    }
    return RunConvert(flags, argc, argv);
  } catch (const t2o::Error& e) {
    return Fail(e);
  } catch (const std::bad_alloc&) {
    return Fail(t2o::OutOfMemoryFailure("converting"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "torch2onnx: error: internal error: %s\n", t2o::PrintableText(e.what()).c_str());
    return static_cast<int>(ExitCode::kExportFailed);
  }
}
