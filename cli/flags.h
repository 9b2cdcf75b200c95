// Command-line flags shared by the convert command, batch mode and `inspect`, and their
// translation into pipeline options.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "core/pipeline.h"

namespace t2o::cli {

struct CliFlags {
  std::vector<std::string> models;
  std::string output;      // -o, one model only
  std::string output_dir;  // several models: OUTPUT_DIR/<stem>.onnx
  int opset = kDefaultOpset;
  std::vector<std::string> shapes, dtypes, data_files;
  std::string input_spec, input_names, output_names;
  std::string dynamic_shapes, dynamic_axes;
  std::vector<std::string> load_libraries, translator_plugins;
  std::string op_map;
  std::string modules_as_functions;  // "" = off; "all", "leaves" or classes
  bool optimize = true;
  bool external_data = false, no_external_data = false;
  bool keep_initializers_as_inputs = false, no_export_params = false;
  bool verify = false;
  std::vector<std::string> verify_dims;
  double atol = 1e-4, rtol = 1e-3;
  CLI::Option* atol_option = nullptr;  // to tell a given tolerance from the default
  CLI::Option* rtol_option = nullptr;
  bool report = false, profile = false, dump_exported_program = false;
  std::string artifacts_dir = ".";
  uint64_t seed = 0;
  bool json = false, verbose = false, quiet = false;
  int jobs = 1;
  double timeout_seconds = 0;  // 0: none
  std::string max_memory;      // "" : none
  // Batch mode runs each model in a child process of its own (hidden flags).
  int batch_index = -1;
  std::string summary_file;
};

// Example-input and opset flags (also used by `inspect`).
void AddInputFlags(CLI::App& app, CliFlags& flags);
// Everything the convert command takes.
void AddConvertFlags(CLI::App& app, CliFlags& flags);

// The output path for `model`: -o, or OUTPUT_DIR/<stem>.onnx, or <model without
// extension>.onnx.
std::string OutputPathFor(const CliFlags& flags, const std::string& model);

// Throws UsageError for flags that contradict each other or the inputs' count.
ConvertOptions MakeConvertOptions(const CliFlags& flags, const std::string& model);

std::vector<std::string> SplitNames(const std::string& text);

}  // namespace t2o::cli
