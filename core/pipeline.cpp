#include "core/pipeline.h"

#include "core/translate/op_list.h"
#include "core/translate/op_map.h"
#include "core/plugin/plugin_loader.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/capture/torch_backend.h"
#include "core/ir/ir_json.h"
#include "core/util/format.h"
#include "core/optimize/optimizer.h"
#include "core/report/markdown_report.h"
#include "core/util/profile.h"
#include "core/util/log.h"
#include "core/util/process.h"
#include "core/verify/bfloat16_twin.h"
#include "core/verify/ort_runner.h"
#include "core/verify/random_outputs.h"

namespace t2o {
namespace fs = std::filesystem;

namespace {

class StageTimer {
 public:
  StageTimer(ConvertResult& result, std::string stage)
      : result_(result), stage_(std::move(stage)), start_(std::chrono::steady_clock::now()) {
    Log().info("{}...", stage_);
    ResetPeakRss();
  }
  ~StageTimer() {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    MemoryReading memory = ReadMemory();
    result_.timings.push_back({stage_, s, memory.peak_bytes, memory.rss_bytes});
    Log().info("{} took {:.3f}s (peak RSS {} MiB)", stage_, s, memory.peak_bytes >> 20);
  }

 private:
  ConvertResult& result_;
  std::string stage_;
  std::chrono::steady_clock::time_point start_;
};

std::string ArtifactPath(const ConvertOptions& options, const std::string& suffix) {
  return (fs::path(options.artifacts_dir) / (fs::path(options.output_path).stem().string() + suffix)).string();
}

void DumpProgram(const ConvertOptions& options, const ir::Graph& graph, ConvertResult& result) {
  fs::create_directories(options.artifacts_dir);
  std::string text_path = ArtifactPath(options, "_exported_program.txt");
  std::string json_path = ArtifactPath(options, "_exported_program.json");
  std::ofstream(text_path) << PrintGraph(graph);
  std::ofstream(json_path) << ir::GraphToJson(graph).dump(1) << "\n";
  result.dump_paths = {text_path, json_path};
}

// Exposes every top-level value that both sides computed as an extra ONNX output, runs
// ONNX Runtime once, and compares them in execution order with libtorch's values.
void FindDivergence(const ConvertOptions& options, CapturedProgram& program, const onnx::OnnxModel& model,
                    Divergence& d) {
  d.searched = true;
  auto reference = program.reference->RunIntermediates(program.example_inputs);
  if (reference.empty()) {
    d.note = "this capture path cannot recompute intermediate values";
    return;
  }
  std::set<std::string> produced, existing;
  for (const auto& node : model.graph.nodes) produced.insert(node.outputs.begin(), node.outputs.end());
  for (const auto& out : model.graph.outputs) existing.insert(out.name);
  const std::set<std::string> random = ValuesDependingOnRandomOps(model.graph);  // differ by design
  std::map<std::string, const ir::Node*> producers;
  for (const auto& node : program.graph->top.nodes)
    for (const ir::Value* out : node->outputs) producers[out->name] = node.get();

  onnx::OnnxModel probe;
  probe.graph = model.graph;  // weights are shared, not copied
  probe.opset = model.opset;
  probe.ir_version = model.ir_version;
  std::vector<std::string> names;
  std::vector<const TensorData*> expected;
  for (const auto& [name, tensor] : reference) {
    if (!produced.count(name) || existing.count(name) || random.count(name)) continue;
    if (tensor.dtype == DType::kComplex64) continue;  // float pairs on the ONNX side
    std::vector<ir::Dim> dims(tensor.shape.begin(), tensor.shape.end());
    probe.graph.outputs.push_back(onnx::ValueInfo{name, tensor.dtype, dims, {}});
    names.push_back(name);
    expected.push_back(&tensor);
  }
  if (names.empty()) {
    d.note = "no intermediate value of the PyTorch graph has a counterpart in the ONNX graph";
    return;
  }
  std::string probe_path = ArtifactPath(options, "_intermediates.onnx");
  OrtRunResult ort;
  try {
    onnx::WriteOptions write = options.write;
    onnx::WriteModel(probe, probe_path, write);
    std::vector<TensorData> inputs;
    for (const auto& t : program.example_inputs) inputs.push_back(ComplexAsFloatPairs(t));
    ort = RunOnnxRuntime(fs::absolute(probe_path).string(), inputs,
                         ArtifactPath(options, "_intermediates_test_data"), names);
  } catch (const std::exception& e) {
    d.note = std::string("exposing intermediate values failed: ") + e.what();
    fs::remove(probe_path);
    return;
  }
  fs::remove(probe_path);
  fs::remove(probe_path + ".data");
  // In a model lowered from PyTorch's integer kernels (output_steps), a quantized value may
  // sit one integer off without fault, and an op after it (hardswish, a residual add) can
  // move its own result by a step or two: only dequantized values are compared, within
  // kDivergenceSteps steps.
  constexpr double kDivergenceSteps = 4;
  const bool stepped =
      std::any_of(program.output_steps.begin(), program.output_steps.end(), [](double s) { return s > 0; });
  for (size_t i = 0; i < names.size() && i < ort.outputs.size(); ++i) {
    Tolerance tolerance = options.tolerance;
    auto producer = producers.find(names[i]);
    if (stepped && !tolerance.given && producer != producers.end()) {
      const ir::Node& node = *producer->second;
      if (node.op != "quantized_decomposed::dequantize_per_tensor" || node.inputs.size() < 2 ||
          !node.inputs[1]->constant || !std::holds_alternative<double>(*node.inputs[1]->constant))
        continue;
      tolerance.atol += kDivergenceSteps * std::get<double>(*node.inputs[1]->constant);
    }
    ++d.values_compared;
    OutputComparison c = CompareTensors(names[i], *expected[i], ort.outputs[i], tolerance);
    if (c.passed) continue;
    d.value = names[i];
    d.comparison = c;
    if (auto it = producers.find(names[i]); it != producers.end()) {
      d.aten_op = it->second->Key();
      d.location = it->second->location.Short();
      d.stack_trace = it->second->location.stack_trace;
    }
    return;
  }
  d.note = stepped ? "every dequantized intermediate value matches the float form of PyTorch's quantized ops (the "
                     "graph the quantized kernels were lowered to); the difference is between those kernels and the "
                     "float arithmetic of their unpacked weights"
                   : "every exposed intermediate value matches; the difference arises in the last steps to the outputs";
}

std::string VersionString() { return T2O_VERSION; }

std::string DimsLabel(const std::map<std::string, int64_t>& assignment) {
  std::string label;
  for (const auto& [name, size] : assignment) label += (label.empty() ? "" : ",") + name + "=" + std::to_string(size);
  return " [" + label + "]";
}

// Scales float elements so that repeated copies differ (a model mixing up batch
// elements must not pass because every element is the same).
template <typename T>
void ScaleRow(uint8_t* row, int64_t count, double factor) {
  T* values = reinterpret_cast<T*>(row);
  for (int64_t k = 0; k < count; ++k) values[k] = static_cast<T>(values[k] * factor);
}

// Repeats (or cuts) `data` cyclically along `axis` to `size`, so that ids and masks stay
// valid values; float copies are scaled by 1.25, 1.5, ... per repetition.
TensorData ResizeAxis(const TensorData& data, size_t axis, int64_t size) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= data.shape[d];
  for (size_t d = axis + 1; d < data.shape.size(); ++d) inner *= data.shape[d];
  int64_t old_size = data.shape[axis];
  size_t element = DTypeSize(data.dtype);
  std::vector<int64_t> shape = data.shape;
  shape[axis] = size;
  std::vector<uint8_t> bytes(static_cast<size_t>(outer * size * inner) * element);
  size_t row = static_cast<size_t>(inner) * element;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < size; ++i) {
      uint8_t* dst = bytes.data() + (o * size + i) * row;
      std::memcpy(dst, data.bytes + (o * old_size + i % old_size) * row, row);
      double factor = 1.0 + 0.25 * static_cast<double>(i / old_size);
      if (factor == 1.0) continue;
      if (data.dtype == DType::kFloat32) ScaleRow<float>(dst, inner, factor);
      if (data.dtype == DType::kFloat64) ScaleRow<double>(dst, inner, factor);
    }
  return TensorData::FromVector(data.dtype, shape, std::move(bytes));
}

std::vector<TensorData> ResizeInputs(const ir::Graph& graph, const std::vector<TensorData>& inputs,
                                     const std::map<std::string, int64_t>& assignment) {
  std::set<std::string> used;
  std::vector<TensorData> out;
  size_t i = 0;
  for (const auto& in : graph.inputs) {
    if (in.kind != ir::InputKind::kUserInput) continue;
    TensorData data = inputs.at(i++);
    const auto& shape = in.value->meta.shape;
    for (size_t axis = 0; axis < shape.size(); ++axis) {
      const auto* symbol = std::get_if<std::string>(&shape[axis]);
      if (!symbol) continue;
      auto size = assignment.find(*symbol);
      if (size == assignment.end() || data.shape[axis] == size->second) {
        if (size != assignment.end()) used.insert(*symbol);
        continue;
      }
      used.insert(*symbol);
      if (data.shape[axis] == 0) throw UsageError("--verify-dims: cannot resize the empty axis " + std::to_string(axis) +
                                                  " of input '" + in.value->name + "'");
      data = ResizeAxis(data, axis, size->second);
    }
    out.push_back(std::move(data));
  }
  for (const auto& [name, size] : assignment) {
    if (used.count(name)) continue;
    std::set<std::string> dims;
    for (const auto& in : graph.inputs)
      if (in.kind == ir::InputKind::kUserInput)
        for (const auto& d : in.value->meta.shape)
          if (const auto* symbol = std::get_if<std::string>(&d)) dims.insert(*symbol);
    std::string known;
    for (const auto& d : dims) known += (known.empty() ? "" : ", ") + d;
    throw UsageError("--verify-dims: no input has a dynamic dim named '" + name + "' (" +
                     (known.empty() ? std::string("the inputs have no dynamic dims") : "the inputs' dynamic dims: " + known) +
                     ")");
  }
  return out;
}

// One verification run: a label for its outputs and the inputs.
using VerifyRuns = std::vector<std::pair<std::string, std::vector<TensorData>>>;

// The example inputs, then the same inputs resized for each --verify-dims assignment
// (throws UsageError for an assignment that names no dynamic dim).
VerifyRuns MakeVerifyRuns(const ConvertOptions& options, const CapturedProgram& program) {
  VerifyRuns runs{{"", program.example_inputs}};
  for (const auto& assignment : options.verify_dims)
    runs.emplace_back(DimsLabel(assignment), ResizeInputs(*program.graph, program.example_inputs, assignment));
  return runs;
}

void Verify(const ConvertOptions& options, CapturedProgram& program, const VerifyRuns& runs,
            const onnx::OnnxModel& model, ConvertResult& result) {
  bool all_passed = true;
  std::string run_path = fs::absolute(options.output_path).string();
  // ONNX Runtime cannot run bfloat16 arithmetic on the CPU: run the float32 twin, which
  // rounds every result to bfloat16, and compare its outputs rounded back to bfloat16.
  const bool bfloat16 = UsesBFloat16(model);
  std::optional<onnx::WriteResult> twin;
  if (bfloat16) {
    run_path = fs::absolute(ArtifactPath(options, "_float32_twin.onnx")).string();
    fs::create_directories(fs::path(run_path).parent_path());
    twin = onnx::WriteModel(BFloat16Twin(model), run_path, options.write);
    result.verify_note = "bfloat16 model verified through its float32 twin with every result rounded to bfloat16 "
                         "(ONNX Runtime's CPU provider has no bfloat16 kernels)";
    Log().info("{}", result.verify_note);
  }
  const std::vector<bool> random = OutputsDependingOnRandomOps(model.graph);
  std::string random_names;
  for (size_t k = 0; k < random.size(); ++k)
    if (random[k]) random_names += (random_names.empty() ? "'" : ", '") + model.graph.outputs[k].name + "'";
  if (!random_names.empty()) {
    std::string note = "outputs " + random_names + " depend on random ops, whose values differ from PyTorch's by "
                       "design: verified for shape, dtype and value range only";
    result.verify_note += (result.verify_note.empty() ? "" : "; ") + note;
    Log().info("{}", note);
  }
  // Outputs of PyTorch's integer kernels (eager-mode quantization), which the QDQ form
  // rounds at the same places but not always to the same integer: within one step.
  std::vector<Tolerance> tolerances(model.graph.outputs.size(), options.tolerance);
  std::string stepped;
  for (size_t k = 0; k < tolerances.size() && k < program.output_steps.size(); ++k) {
    if (options.tolerance.given || program.output_steps[k] <= 0) continue;
    tolerances[k].atol += program.output_steps[k];
    stepped += (stepped.empty() ? "'" : ", '") + model.graph.outputs[k].name + "' (" +
               ShortNumber(program.output_steps[k]) + ")";
  }
  if (!stepped.empty()) {
    std::string note = "outputs " + stepped + " of eager-mode quantized ops compared within one quantization step "
                       "(atol widened by the output scale): PyTorch's integer kernels and the QDQ form can round a "
                       "value to neighbouring integers";
    result.verify_note += (result.verify_note.empty() ? "" : "; ") + note;
    Log().info("{}", note);
  }
  for (size_t r = 0; r < runs.size() && all_passed; ++r) {
    const auto& [label, given] = runs[r];
    std::vector<TensorData> expected = program.reference->Run(given);
    for (auto& t : expected) t = ComplexAsFloatPairs(t);  // as the ONNX model returns them
    std::vector<TensorData> inputs;
    for (const auto& t : given) inputs.push_back(ComplexAsFloatPairs(t));
    if (bfloat16)
      for (auto& t : inputs) t = BFloat16AsFloat32(t);
    std::string work_dir = ArtifactPath(options, "_test_data_set_" + std::to_string(r));
    OrtRunResult ort = RunOnnxRuntime(run_path, inputs, work_dir);
    if (ort.outputs.size() != expected.size())
      throw ExportError("the ONNX model has " + std::to_string(ort.outputs.size()) + " outputs but PyTorch returned " +
                        std::to_string(expected.size()));
    for (size_t k = 0; k < expected.size(); ++k) {
      TensorData got = ort.outputs[k];
      if (bfloat16 && expected[k].dtype == DType::kBFloat16) got = Float32AsBFloat16(got);
      result.comparisons.push_back(k < random.size() && random[k]
                                       ? CompareRandomTensors(ort.output_names[k] + label, expected[k], got)
                                       : CompareTensors(ort.output_names[k] + label, expected[k], got,
                                                        k < tolerances.size() ? tolerances[k] : options.tolerance));
      all_passed = all_passed && result.comparisons.back().passed;
    }
  }
  if (twin) {
    std::error_code ignored;
    fs::remove(run_path, ignored);
    if (twin->external_data) fs::remove(twin->data_path, ignored);
  }
  result.verified = all_passed;
  if (all_passed) return;
  FindDivergence(options, program, model, result.divergence);
  const Divergence& d = result.divergence;
  std::string first = d.value.empty() ? (d.note.empty() ? "" : "; " + d.note)
                                      : "; first diverging value '" + d.value + "' from " + d.aten_op + " at " +
                                            d.location + " (max abs diff " + ShortNumber(d.comparison.max_abs_diff) + ")";
  for (const auto& c : result.comparisons)
    if (!c.passed && c.random)
      throw Error(ExitCode::kVerifyMismatch, "verification failed: output '" + c.name + "' (" + c.note + "; " +
                                                 std::to_string(c.mismatched) + " of " + std::to_string(c.numel) +
                                                 " elements, reference " + c.expected_type + ", ONNX Runtime " +
                                                 c.actual_type + ")" + first);
    else if (!c.passed)
      throw Error(ExitCode::kVerifyMismatch,
                  "verification failed: output '" + c.name + "' differs from PyTorch (max abs diff " +
                      ShortNumber(c.max_abs_diff) + ", max rel diff " + ShortNumber(c.max_rel_diff) + ", " +
                      std::to_string(c.mismatched) + " of " + std::to_string(c.numel) + " elements outside atol=" +
                      ShortNumber(c.atol) + " rtol=" + ShortNumber(c.rtol) +
                      (c.note.empty() ? "" : "; " + c.note) + ")" + first);
}


CapturedProgram Capture(const ConvertOptions& options, ModelFormat format, std::vector<CaptureAttempt>* attempts) {
  CaptureOptions capture = options.capture;
  capture.dynamic_shapes = options.dynamic_shapes;
  if (!options.dynamic_axes.empty()) capture.dynamic_axes = ParseDynamicAxes(options.dynamic_axes);
  capture.input_names = options.input_names;
  if (format != ModelFormat::kTorchScript) return CaptureExportedProgram(options.model_path, format, capture, attempts);
  return CaptureTorchScript(options.model_path, capture, attempts);
}

// Called in a catch block: the message and exit code of the exception being handled.
// The error in flight as one printable message that names the model file.
void RecordFailure(const std::string& model_path, std::string& error, ExitCode& code) {
  try {
    throw;
  } catch (const Error& e) {
    error = e.what();
    code = e.code();
  } catch (const std::bad_alloc&) {
    OutOfMemoryError e = OutOfMemoryFailure("converting");
    error = e.what();
    code = e.code();
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
    code = ExitCode::kExportFailed;
  }
  error = PrintableText(error);
  if (code != ExitCode::kUsage && error.find(model_path) == std::string::npos &&
      error.find(fs::path(model_path).filename().string()) == std::string::npos)
    error = "'" + model_path + "': " + error;
}

// What the model may need before it loads (--load-library) and the translators to use:
// the built-in ones, with the plugins' translators and then the --op-map entries in place
// of theirs.
struct Extensions {
  std::vector<OpMapping> op_map;
  std::optional<Registry> mapped;
  const Registry& registry() const { return mapped ? *mapped : BuiltinRegistry(); }
};

Extensions LoadExtensions(const ConvertOptions& options) {
  Extensions extensions;
  if (!options.translator_plugins.empty() || !options.op_map.empty()) {
    Registry registry = BuiltinRegistry();
    for (const auto& plugin : options.translator_plugins) LoadTranslatorPlugin(plugin, registry);
    if (!options.op_map.empty()) extensions.op_map = ReadOpMap(options.op_map);
    extensions.mapped = RegistryWithOpMap(registry, extensions.op_map);
  }
  if (!options.load_libraries.empty()) Torch().LoadExtensionLibraries(options.load_libraries);
  return extensions;
}

void CheckOpset(int opset) {
  if (opset < kMinOpset || opset > kMaxOpset)
    throw UsageError("--opset " + std::to_string(opset) + " is not supported: choose " + std::to_string(kMinOpset) +
                     " to " + std::to_string(kMaxOpset));
}

}  // namespace

InspectResult Inspect(const ConvertOptions& options) {
  InspectResult result;
  try {
    CheckOpset(options.opset);
    Extensions extensions = LoadExtensions(options);
    const Registry& registry = extensions.registry();
    result.format = DetectModelFormat(options.model_path);
    result.program.format = std::string(ModelFormatName(result.format));
    result.program.model_path = options.model_path;
    CapturedProgram program = Capture(options, result.format, &result.attempts);
    result.aten_nodes = program.graph->CountNodes();
    DescribeProgram(*program.graph, registry, options.opset, result.program);
    result.unsupported = FindUnsupportedNodes(*program.graph, registry, options.opset);
    // Where the model converts: translated at every opset (a translator may refuse an
    // argument that only later opsets can express, which the registry alone cannot tell).
    std::set<int> convertible;
    for (int opset : ConvertibleOpsets(registry, GraphOps(*program.graph))) {
      TranslateOptions translate;
      translate.opset = opset;
      try {
        TranslateGraph(*program.graph, registry, translate);
        convertible.insert(opset);
      } catch (const std::exception&) {
      }
    }
    result.convertible_opsets.assign(convertible.begin(), convertible.end());
    std::set<int> boundaries;
    for (int opset : FormBoundaryOpsets(registry, GraphOps(*program.graph)))
      if (convertible.count(opset)) boundaries.insert(opset);
    if (!convertible.empty()) boundaries.insert({*convertible.begin(), *convertible.rbegin()});
    result.form_boundary_opsets.assign(boundaries.begin(), boundaries.end());
    result.ok = true;
  } catch (const std::exception&) {
    RecordFailure(options.model_path, result.error, result.exit_code);
  }
  return result;
}

ConvertResult Convert(const ConvertOptions& options) {
  ConvertResult result;
  ReportData report;
  report.model_path = options.model_path;
  try {
    CheckOpset(options.opset);
    Extensions extensions = LoadExtensions(options);
    const Registry& registry = extensions.registry();
    {
      StageTimer t(result, "detect format");
      result.format = DetectModelFormat(options.model_path);
      report.format = std::string(ModelFormatName(result.format));
    }
    CapturedProgram program;
    {
      StageTimer t(result, "capture");
      program = Capture(options, result.format, &result.attempts);
      result.aten_nodes = program.graph->CountNodes();
      result.aten_ops = GraphOps(*program.graph);
      if (options.report) DescribeProgram(*program.graph, registry, options.opset, report);
    }
    if (options.dump_exported_program) DumpProgram(options, *program.graph, result);
    // Built now so that a bad --verify-dims fails before a model is written.
    VerifyRuns verify_runs = options.verify ? MakeVerifyRuns(options, program) : VerifyRuns{};
    onnx::OnnxModel model;
    {
      StageTimer t(result, "translate");
      TranslateOptions topts;
      topts.opset = options.opset;
      topts.input_names = options.input_names;
      topts.output_names = options.output_names;
      if (!options.dynamic_axes.empty())
        for (const auto& [name, axes] : ParseDynamicAxes(options.dynamic_axes))
          for (const auto& [axis, symbol] : axes) topts.dynamic_axes[name][axis] = symbol.name;
      for (const auto& m : extensions.op_map)
        if (!m.domain.empty()) topts.domain_opsets[m.domain] = std::max(topts.domain_opsets[m.domain], m.domain_version);
      try {
        model = TranslateGraph(*program.graph, registry, topts);
      } catch (const ConversionError& e) {
        result.issues = e.issues();
        throw;
      }
      model.producer_version = VersionString();
      result.onnx_nodes = onnx::CountNodes(model.graph);
    }
    if (options.optimize) {
      StageTimer t(result, "optimize");
      optimize::OptimizeResult optimized = optimize::OptimizeModel(model);
      result.onnx_nodes_before_optimize = optimized.nodes_before;
      result.onnx_nodes = optimized.nodes_after;
      for (const auto& pass : optimized.passes)
        result.optimize_passes.push_back({pass.pass, pass.nodes_removed, pass.nodes_added, pass.detail});
      Log().info("optimizer: {} -> {} nodes in {} rounds", optimized.nodes_before, optimized.nodes_after,
                 optimized.rounds);
    }
    if (options.report) DescribeOnnx(model, report);
    // The verification helpers read the flat model; ONNX Runtime runs the file as written.
    std::optional<onnx::OnnxModel> with_functions;
    if (options.modules_as_functions) {
      StageTimer t(result, "module functions");
      onnx::ModuleFunctionsResult grouped = onnx::WithModulesAsFunctions(model, *options.modules_as_functions);
      with_functions = std::move(grouped.model);
      result.module_functions = std::move(grouped.functions);
      Log().info("modules as functions: {} functions, {} nodes in the main graph", result.module_functions.size(),
                 with_functions->graph.nodes.size());
    }
    {
      StageTimer t(result, "check and write");
      result.written = onnx::WriteModel(with_functions ? *with_functions : model, options.output_path, options.write);
    }
    if (options.verify) {
      StageTimer t(result, "verify");
      Verify(options, program, verify_runs, model, result);
    }
    result.ok = true;
  } catch (const std::exception&) {
    RecordFailure(options.model_path, result.error, result.exit_code);
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
