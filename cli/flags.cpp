#include "cli/flags.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/capture/input_spec.h"

namespace t2o::cli {
namespace fs = std::filesystem;

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

void AddInputFlags(CLI::App& app, CliFlags& f) {
  app.add_option("--opset", f.opset, "ONNX opset version (" + std::to_string(kMinOpset) + "-" +
                                         std::to_string(kMaxOpset) + ")")
      ->capture_default_str();
  app.add_option("--input-shape", f.shapes,
                 "Shape of one flattened tensor input, e.g. 1,3,224,224; repeat once per input, in order")
      ->allow_extra_args(false);
  app.add_option("--input-dtype", f.dtypes, "dtype of the input at the same position (default float32)")
      ->allow_extra_args(false);
  app.add_option("--input-data", f.data_files, "A .npy file holding one flattened input; repeat per input")
      ->allow_extra_args(false);
  app.add_option("--input-spec", f.input_spec,
                 "JSON (or @file) describing forward()'s arguments as a tree: "
                 "[{\"shape\":[97,8]}, {\"key\": {\"shape\":[97,8]}}, [{\"npy\":\"x.npy\"}]]");
  app.add_option("--dynamic-shapes", f.dynamic_shapes,
                 "Symbolic dims as JSON (or @file) in the tree structure of forward()'s arguments, e.g. "
                 "[{\"0\": \"batch\"}, {\"x\": {\"0\": \"batch\"}}]; a dim is a name or "
                 "{\"name\": \"batch\", \"min\": 1, \"max\": 64}");
  app.add_option("--dynamic-axes", f.dynamic_axes,
                 "Legacy form: JSON (or @file) keyed by input/output names, {\"x\": {\"0\": \"batch\"}} or "
                 "{\"x\": [0]}");
  app.add_option("--load-library", f.load_libraries,
                 "Custom-op library to load before the model, as torch.ops.load_library does (repeatable)");
  app.add_option("--translator-plugin", f.translator_plugins,
                 "Shared library adding translators (core/plugin/plugin_api.h; README: custom ops); repeatable");
  app.add_option("--op-map", f.op_map,
                 "JSON file mapping custom ops to single ONNX or ONNX Runtime contrib nodes (README: custom ops)");
  app.add_flag("--modules-as-functions{all}", f.modules_as_functions,
               "Write each module call as a call of an ONNX local function, one per distinct body: "
               "bare for every module (nested), =leaves for modules without submodules, =CLASS,... for those "
               "classes (qualified or short names)");
  app.add_option("--seed", f.seed, "Seed for random example inputs")->capture_default_str();
  app.add_flag("--json", f.json, "Print one machine-readable JSON summary on stdout");
  app.add_flag("-v,--verbose", f.verbose, "Log progress and details to stderr");
  app.add_flag("-q,--quiet", f.quiet, "Print errors only");
}

void AddConvertFlags(CLI::App& app, CliFlags& f) {
  app.add_option("models", f.models, "Model file(s): TorchScript (torch.jit.save) or ExportedProgram (torch.export.save, .pt2)");
  app.add_option("-o,--output", f.output, "ONNX file to write (one model; default: MODEL with .onnx)");
  app.add_option("--output-dir", f.output_dir, "Directory for the ONNX files, named after each model");
  AddInputFlags(app, f);
  app.add_option("--input-names", f.input_names, "Comma-separated names for the ONNX inputs (unique)");
  app.add_option("--output-names", f.output_names, "Comma-separated names for the ONNX outputs (unique)");
  app.add_flag("--optimize,!--no-optimize", f.optimize,
               "Run the ONNX optimizer: constant folding, dead code and common subexpression elimination, "
               "no-op removal (default: on)");
  app.add_flag("--external-data", f.external_data,
               "Store weights in OUTPUT.data next to the model (automatic above the 2 GB protobuf limit)");
  app.add_flag("--no-external-data", f.no_external_data,
               "Never use external data: fail if the model exceeds the 2 GB protobuf limit");
  app.add_flag("--keep-initializers-as-inputs", f.keep_initializers_as_inputs,
               "Also list weights as graph inputs (callers may override them)");
  app.add_flag("--no-export-params", f.no_export_params,
               "Write the model without its weights; they become graph inputs (see apply-weights)");
  app.add_flag("--verify", f.verify,
               "Run the model in libtorch and the ONNX file in ONNX Runtime and compare outputs; on mismatch "
               "find the first diverging intermediate value");
  app.add_option("--verify-dims", f.verify_dims,
                 "With --verify: one more verification run with dynamic dims set to these sizes, e.g. "
                 "batch=3 or height=320,width=480; repeat for more runs")
      ->allow_extra_args(false);
  f.atol_option = app.add_option("--atol", f.atol,
                                 "Absolute tolerance for --verify (float16 outputs: 1e-2 and bfloat16: 5e-2 "
                                 "unless given)")->capture_default_str();
  f.rtol_option = app.add_option("--rtol", f.rtol, "Relative tolerance for --verify (float16: 1e-2, bfloat16: 5e-2)")
                      ->capture_default_str();
  app.add_flag("--report", f.report,
               "Write a markdown report (<model>_onnx_export_<time>_<status>.md) into the artifacts dir");
  app.add_flag("--profile", f.profile, "Time and peak memory of each pipeline stage (stderr and report)");
  app.add_flag("--dump-exported-program", f.dump_exported_program,
               "Write the captured ATen program as text and JSON into the artifacts dir");
  app.add_option("--artifacts-dir", f.artifacts_dir, "Where reports, dumps and verification data go")
      ->capture_default_str();
  app.add_option("-j,--jobs", f.jobs, "Models converted in parallel (several models)")->capture_default_str();
  app.add_option("--timeout", f.timeout_seconds,
                 "Give up on a model after SECONDS (exit 6; with several models, per model)");
  app.add_option("--max-memory", f.max_memory,
                 "Limit the memory a conversion may allocate, e.g. 4G (exit 7 past it; with several models, "
                 "per model)");
  app.add_option("--batch-index", f.batch_index)->group("");  // internal: child of a batch
  app.add_option("--summary-file", f.summary_file)->group("");
}

std::string OutputPathFor(const CliFlags& f, const std::string& model) {
  fs::path stem = fs::path(model).stem();
  if (!f.output.empty()) return f.output;
  if (!f.output_dir.empty()) return (fs::path(f.output_dir) / stem).string() + ".onnx";
  return (fs::path(model).parent_path() / stem).string() + ".onnx";
}

ConvertOptions MakeConvertOptions(const CliFlags& f, const std::string& model) {
  ConvertOptions options;
  options.model_path = model;
  options.output_path = OutputPathFor(f, model);
  options.opset = f.opset;
  if (!f.input_spec.empty()) options.capture.input_trees = ParseInputSpecJson(f.input_spec);
  size_t n = std::max(f.shapes.size(), f.data_files.size());
  if (!f.dtypes.empty() && f.dtypes.size() != n)
    throw UsageError("--input-dtype given " + std::to_string(f.dtypes.size()) + " times for " + std::to_string(n) +
                     " inputs; give one per --input-shape");
  if (!f.shapes.empty() && !f.data_files.empty() && f.shapes.size() != f.data_files.size())
    throw UsageError("give either --input-shape or --input-data per input, or both for every input");
  for (size_t i = 0; i < n; ++i) {
    TensorSpec spec;
    if (i < f.data_files.size()) {
      spec.data = ReadNpy(f.data_files[i]);
      spec.shape = spec.data->shape;
      spec.dtype = spec.data->dtype;
      spec.source = f.data_files[i];
    }
    if (i < f.shapes.size()) {
      try {
        spec.shape = ParseShape(f.shapes[i]);
      } catch (const UsageError& e) {
        throw UsageError("--input-shape #" + std::to_string(i + 1) + ": " + e.what());
      }
    }
    if (i < f.dtypes.size()) {
      auto dtype = DTypeFromName(f.dtypes[i]);
      if (f.dtypes[i].rfind("complex", 0) == 0 && !(dtype && *dtype == DType::kComplex64))
        throw UsageError("--input-dtype " + f.dtypes[i] + ": of the complex dtypes only complex64 is supported (the "
                         "graph holds complex tensors as float32 pairs)");
      if (!dtype) throw UsageError("--input-dtype: unknown dtype '" + f.dtypes[i] + "'");
      spec.dtype = *dtype;
      // .npy has no bfloat16: such inputs come as float32 files, converted here.
      if (spec.data && spec.data->dtype != *dtype) {
        if (!IsFloating(spec.data->dtype) || !IsFloating(*dtype))
          throw UsageError("--input-dtype " + f.dtypes[i] + " for '" + f.data_files[i] + "', which holds " +
                           std::string(DTypeName(spec.data->dtype)) + ": only floating-point data converts");
        std::vector<double> values(static_cast<size_t>(spec.data->numel()));
        for (size_t k = 0; k < values.size(); ++k) values[k] = spec.data->ElementAsDouble(static_cast<int64_t>(k));
        spec.data = TensorData::FromDoubles(*dtype, spec.data->shape, values);
      }
    }
    options.capture.flat_inputs.push_back(spec);
  }
  options.capture.seed = f.seed;
  options.dynamic_shapes = f.dynamic_shapes;
  options.dynamic_axes = f.dynamic_axes;
  options.input_names = SplitNames(f.input_names);
  options.output_names = SplitNames(f.output_names);
  for (const auto* names : {&options.input_names, &options.output_names}) {
    std::set<std::string> seen;
    for (const auto& name : *names) {
      if (name.empty()) throw UsageError("empty name in " + std::string(names == &options.input_names ? "--input-names" : "--output-names"));
      if (!seen.insert(name).second)
        throw UsageError(std::string(names == &options.input_names ? "--input-names" : "--output-names") + ": '" + name +
                         "' is given twice; names must be unique");
    }
  }
  if (f.external_data && f.no_external_data) throw UsageError("--external-data and --no-external-data contradict each other");
  options.write.external_data = f.external_data;
  options.write.forbid_external_data = f.no_external_data;
  // A model without its weights is only valid ONNX when the weights are graph inputs.
  options.write.include_initializers = !f.no_export_params;
  options.write.keep_initializers_as_inputs = f.keep_initializers_as_inputs || f.no_export_params;
  options.optimize = f.optimize;
  options.verify = f.verify;
  for (const auto& text : f.verify_dims) {
    std::map<std::string, int64_t> assignment;
    for (const auto& item : SplitNames(text)) {
      auto eq = item.find('=');
      size_t used = 0;
      int64_t size = -1;
      try {
        if (eq != std::string::npos) size = std::stoll(item.substr(eq + 1), &used);
      } catch (...) {
        used = 0;
      }
      if (eq == std::string::npos || eq == 0 || used == 0 || used != item.size() - eq - 1 || size < 0)
        throw UsageError("--verify-dims '" + text + "': expected NAME=SIZE[,NAME=SIZE...], e.g. batch=3");
      assignment[item.substr(0, eq)] = size;
    }
    options.verify_dims.push_back(assignment);
  }
  if (!options.verify_dims.empty() && !f.verify) throw UsageError("--verify-dims needs --verify");
  if (f.atol < 0 || f.rtol < 0) throw UsageError("--atol and --rtol must not be negative");
  bool given = (f.atol_option && f.atol_option->count() > 0) || (f.rtol_option && f.rtol_option->count() > 0);
  options.tolerance = {f.atol, f.rtol, given};
  options.artifacts_dir = f.artifacts_dir;
  options.report = f.report;
  options.profile = f.profile;
  options.dump_exported_program = f.dump_exported_program;
  options.load_libraries = f.load_libraries;
  options.translator_plugins = f.translator_plugins;
  options.op_map = f.op_map;
  if (!f.modules_as_functions.empty())
    options.modules_as_functions = onnx::ModuleSelection::Parse(f.modules_as_functions);
  if (f.no_export_params && f.verify)
    throw UsageError("--verify needs the weights: it cannot be combined with --no-export-params");
  return options;
}

}  // namespace t2o::cli
