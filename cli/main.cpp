// torch2onnx command line: parses flags into ConvertOptions and prints the outcome.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "core/capture/input_spec.h"
#include "core/pipeline.h"
#include "core/util/log.h"

namespace {

using t2o::ExitCode;

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  std::string current;
  for (char c : text) {
    if (c == ',') {
      names.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) names.push_back(current);
  return names;
}

void PrintVerification(const t2o::ConvertResult& result) {
  for (const auto& c : result.comparisons) {
    std::printf("  %-24s %-22s max_abs_diff=%.3e max_rel_diff=%.3e |ref|max=%.3e  %s\n", c.name.c_str(),
                c.expected_type.c_str(), c.max_abs_diff, c.max_rel_diff, c.expected_abs_max,
                c.passed ? "OK" : "MISMATCH");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"torch2onnx: convert TorchScript models to ONNX, without Python"};
  app.set_version_flag("--version", std::string("torch2onnx ") + T2O_VERSION + " (libtorch 1.13.1, onnx 1.12, default opset " +
                                         std::to_string(t2o::kDefaultOpset) + ")");

  std::string model_path, output_path;
  int opset = t2o::kDefaultOpset;
  std::vector<std::string> shapes, dtypes, data_files;
  std::string input_spec, input_names, output_names;
  bool verify = false, verbose = false, quiet = false;
  bool external_data = false, report = false;
  double atol = 1e-4, rtol = 1e-3;
  std::string artifacts_dir = ".";
  uint64_t seed = 0;

  app.add_option("model", model_path, "TorchScript model file (torch.jit.save)")->required();
  app.add_option("-o,--output", output_path, "ONNX file to write (default: MODEL with .onnx)");
  app.add_option("--opset", opset, "ONNX opset version (13-17)")->capture_default_str();
  app.add_option("--input-shape", shapes,
                 "Shape of one flattened tensor input, e.g. 1,3,224,224; repeat once per input, in order")
      ->take_all()
      ->allow_extra_args(false);
  app.add_option("--input-dtype", dtypes, "dtype of the input at the same position (default float32)")
      ->allow_extra_args(false);
  app.add_option("--input-data", data_files, "A .npy file holding one flattened input; repeat per input")
      ->allow_extra_args(false);
  app.add_option("--input-spec", input_spec,
                 "JSON (or @file) describing forward()'s arguments as a tree: "
                 "[{\"shape\":[97,8]}, {\"key\": {\"shape\":[97,8]}}, [{\"npy\":\"x.npy\"}]]");
  app.add_option("--input-names", input_names, "Comma-separated names for the ONNX inputs");
  app.add_option("--output-names", output_names, "Comma-separated names for the ONNX outputs");
  app.add_flag("--verify", verify, "Run the model in libtorch and the ONNX file in ONNX Runtime and compare outputs");
  app.add_option("--atol", atol, "Absolute tolerance for --verify")->capture_default_str();
  app.add_option("--rtol", rtol, "Relative tolerance for --verify")->capture_default_str();
  app.add_flag("--external-data", external_data, "Store weights in OUTPUT.data next to the model");
  app.add_flag("--report", report, "Write a markdown report (onnx_export_<time>_<status>.md) into the artifacts dir");
  app.add_option("--artifacts-dir", artifacts_dir, "Where verification data and reports go")->capture_default_str();
  app.add_option("--seed", seed, "Seed for random example inputs")->capture_default_str();
  app.add_flag("-v,--verbose", verbose, "Log progress and details to stderr");
  app.add_flag("-q,--quiet", quiet, "Print errors only");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }
  if (verbose) t2o::SetLogLevel(spdlog::level::debug);
  if (quiet) t2o::SetLogLevel(spdlog::level::err);

  t2o::ConvertOptions options;
  try {
    options.model_path = model_path;
    if (output_path.empty()) {
      auto dot = model_path.rfind('.');
      output_path = (dot == std::string::npos ? model_path : model_path.substr(0, dot)) + ".onnx";
    }
    options.output_path = output_path;
    options.opset = opset;
    if (!input_spec.empty()) options.capture.input_trees = t2o::ParseInputSpecJson(input_spec);
    size_t n = std::max({shapes.size(), data_files.size()});
    if (!dtypes.empty() && dtypes.size() != n)
      throw t2o::UsageError("--input-dtype given " + std::to_string(dtypes.size()) + " times for " + std::to_string(n) +
                            " inputs; give one per --input-shape");
    if (!shapes.empty() && !data_files.empty() && shapes.size() != data_files.size())
      throw t2o::UsageError("give either --input-shape or --input-data per input, or both for every input");
    for (size_t i = 0; i < n; ++i) {
      t2o::TensorSpec spec;
      if (i < data_files.size()) {
        spec.data = t2o::ReadNpy(data_files[i]);
        spec.shape = spec.data->shape;
        spec.dtype = spec.data->dtype;
        spec.source = data_files[i];
      }
      if (i < shapes.size()) spec.shape = t2o::ParseShape(shapes[i]);
      if (i < dtypes.size()) {
        auto dtype = t2o::DTypeFromName(dtypes[i]);
        if (!dtype) throw t2o::UsageError("--input-dtype: unknown dtype '" + dtypes[i] + "'");
        spec.dtype = *dtype;
      }
      options.capture.flat_inputs.push_back(spec);
    }
    options.capture.seed = seed;
    options.input_names = SplitNames(input_names);
    options.output_names = SplitNames(output_names);
    options.write.external_data = external_data;
    options.verify = verify;
    options.tolerance = {atol, rtol};
    options.artifacts_dir = artifacts_dir;
    options.report = report;
  } catch (const t2o::Error& e) {
    std::fprintf(stderr, "torch2onnx: error: %s\n", e.what());
    return static_cast<int>(e.code());
  }

  t2o::ConvertResult result = t2o::Convert(options);
  if (!quiet && !result.comparisons.empty()) {
    std::printf("verification (atol=%g, rtol=%g):\n", atol, rtol);
    PrintVerification(result);
  }
  if (!result.report_path.empty() && !quiet) std::printf("report: %s\n", result.report_path.c_str());
  if (!result.ok) {
    std::fprintf(stderr, "torch2onnx: error: %s\n", result.error.c_str());
    return static_cast<int>(result.exit_code);
  }
  if (!quiet) {
    std::printf("wrote %s (%zu ONNX nodes from %zu ATen nodes, opset %d%s)\n", result.written.model_path.c_str(),
                result.onnx_nodes, result.aten_nodes, opset,
                result.written.external_data ? (", weights in " + result.written.data_path).c_str() : "");
  }
  return 0;
}
