#include "core/report/markdown_report.h"

#include "core/util/format.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "core/pipeline.h"

namespace t2o {
namespace fs = std::filesystem;

namespace {

std::string DimsText(const std::optional<std::vector<ir::Dim>>& shape) {
  if (!shape) return "[?]";
  std::string s = "[";
  for (size_t i = 0; i < shape->size(); ++i) {
    if (i) s += ", ";
    const auto& d = (*shape)[i];
    s += std::holds_alternative<int64_t>(d) ? std::to_string(std::get<int64_t>(d))
                                            : (std::get<std::string>(d).empty() ? "?" : std::get<std::string>(d));
  }
  return s + "]";
}

void CollectOnnxOps(const onnx::OnnxGraph& g, std::map<std::string, int>& counts) {
  for (const auto& n : g.nodes) {
    counts[n.op_type]++;
    for (const auto& a : n.attrs)
      if (auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&a.value)) CollectOnnxOps(**sub, counts);
  }
}

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::ostringstream os;
  os << std::put_time(std::localtime(&t), "%Y-%m-%d_%H-%M-%S") << "-" << std::setw(6) << std::setfill('0') << micros;
  return os.str();
}

const char* Mark(bool known, bool ok) { return !known ? "⚪" : ok ? "✅" : "❌"; }

std::string HumanBytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (bytes >= 1024 && u < 3) {
    bytes /= 1024;
    ++u;
  }
  std::ostringstream os;
  os << std::fixed << std::setprecision(u ? 1 : 0) << bytes << " " << units[u];
  return os.str();
}

}  // namespace

void DescribeProgram(const ir::Graph& graph, const Registry& registry, int opset, ReportData& data) {
  for (const auto& in : graph.inputs) {
    int64_t numel = in.data ? in.data->numel() : 0;
    int64_t bytes = in.data ? static_cast<int64_t>(in.data->nbytes) : 0;
    switch (in.kind) {
      case ir::InputKind::kUserInput:
        data.input_lines.push_back("`" + in.value->name + "` (" + in.target + "): `" + in.value->meta.ToString() + "`");
        break;
      case ir::InputKind::kParameter:
        data.parameter_count += numel;
        data.parameter_bytes += bytes;
        break;
      default:
        data.buffer_count += numel;
        data.buffer_bytes += bytes;
    }
  }
  for (const auto& out : graph.outputs)
    data.output_lines.push_back("`" + out.name + "`: `" +
                                (out.value->IsTensor() ? out.value->meta.ToString() : std::string(ir::ValueKindName(out.value->kind))) + "`");
  ir::ForEachNode(graph.top, [&](const ir::Node& node) {
    OpUse& use = data.aten_ops[node.Key()];
    use.count++;
    bool in_place = false;
    if (const TranslatorEntry* e =
            registry.FindAllowingInPlace(node.op, node.overload, opset, &in_place, OnComplexTensors(node))) {
      use.translator = e->key + (e->complex ? " (complex)" : "") + (in_place ? " (in-place)" : "") + " [" + e->family + "]";
    } else {
      bool folded = !node.outputs.empty();
      for (const ir::Value* o : node.outputs) folded = folded && o->constant.has_value();
      if (folded)
        use.translator = "folded at export time";
      else
        use.locations.push_back(node.location.Short());
    }
  });
  data.program_text = ir::PrintGraph(graph);
}

void DescribeOnnx(const onnx::OnnxModel& model, ReportData& data) {
  data.translated = true;
  data.opset = model.opset;
  data.ir_version = model.ir_version;
  CollectOnnxOps(model.graph, data.onnx_ops);
  data.initializer_bytes = model.InitializerBytes();
  for (const auto& in : model.graph.inputs)
    data.onnx_input_lines.push_back("`" + in.name + "`: " + std::string(DTypeName(in.dtype)) + DimsText(in.shape));
  for (const auto& out : model.graph.outputs)
    data.onnx_output_lines.push_back("`" + out.name + "`: " + std::string(DTypeName(out.dtype)) + DimsText(out.shape));
}

std::string WriteMarkdownReport(const ConvertOptions& options, const ConvertResult& result, const ReportData& data) {
  bool captured = result.aten_nodes > 0 || (!result.attempts.empty() && result.attempts.back().succeeded);
  bool translated = data.translated;
  bool written = !result.written.model_path.empty();
  bool ran = !result.comparisons.empty();
  std::string status = result.ok ? "success" : !captured ? "capture" : !translated ? "conversion" : !written ? "checker"
                                                              : !ran && options.verify ? "runtime" : "accuracy";
  fs::create_directories(options.artifacts_dir);
  std::string stem = fs::path(options.model_path).stem().string();
  std::string path =
      (fs::path(options.artifacts_dir) / (stem + "_onnx_export_" + Timestamp() + "_" + status + ".md")).string();
  std::ofstream md(path);
  md << "# torch2onnx conversion report\n\n";
  md << "- model: `" << options.model_path << "` (" << data.format << ")\n";
  md << "- output: `" << options.output_path << "`\n- opset: " << options.opset << "\n- torch2onnx " << T2O_VERSION
     << " (libtorch 1.13.1, onnx 1.12)\n\n";
  md << "```\n"
     << Mark(!result.attempts.empty(), captured) << " Capture the model graph\n"
     << Mark(captured, translated) << " Translate the graph into ONNX\n"
     << Mark(translated, written) << " Check the ONNX model (onnx checker, full check) and write it\n"
     << Mark(options.verify && written, ran) << " Execute the model with ONNX Runtime\n"
     << Mark(options.verify && ran, result.verified) << " Validate model output accuracy\n"
     << "```\n\n";
  md << "## Error messages\n\n```\n" << (result.error.empty() ? "No errors" : result.error) << "\n```\n\n";

  md << "## Capture strategies\n\n| strategy | result | time (s) | error |\n|---|---|---|---|\n";
  for (const auto& a : result.attempts)
    md << "| " << a.strategy << " | " << (a.succeeded ? "succeeded" : "failed") << " | " << std::fixed
       << std::setprecision(3) << a.seconds << " | " << (a.error.empty() ? "" : "`" + a.error.substr(0, 300) + "`") << " |\n";

  md << "\n## Captured program\n\n";
  md << "The model has " << data.parameter_count << " parameters (" << HumanBytes(data.parameter_bytes) << ") and "
     << data.buffer_count << " buffer and constant elements (" << HumanBytes(data.buffer_bytes) << ").\n\n";
  md << "Inputs:\n";
  for (const auto& l : data.input_lines) md << "- " << l << "\n";
  md << "\nOutputs:\n";
  for (const auto& l : data.output_lines) md << "- " << l << "\n";
  md << "\n### Operators\n\n| ATen op | count | translator |\n|---|---|---|\n";
  for (const auto& [op, use] : data.aten_ops) {
    md << "| `" << op << "` | " << use.count << " | ";
    if (!use.translator.empty()) {
      md << "`" << use.translator << "`";
    } else {
      md << "**unsupported** at:";
      for (const auto& l : use.locations) md << " `" << l << "`";
    }
    md << " |\n";
  }
  if (!result.issues.empty()) {
    md << "\n### Conversion problems\n\n| op | problem | location |\n|---|---|---|\n";
    for (const auto& issue : result.issues)
      md << "| `" << issue.op << "` | " << issue.message << " | `" << issue.location.Short() << "` |\n";
  }

  if (data.translated) {
    md << "\n## ONNX model\n\n- opset " << data.opset << ", IR version " << data.ir_version << "\n- "
       << result.onnx_nodes << " nodes, initializers " << HumanBytes(static_cast<double>(data.initializer_bytes)) << "\n";
    if (written)
      md << "- file: " << HumanBytes(static_cast<double>(result.written.model_bytes))
         << (result.written.external_data ? ", external data " + HumanBytes(static_cast<double>(result.written.data_bytes)) : "") << "\n";
    md << "\nInputs:\n";
    for (const auto& l : data.onnx_input_lines) md << "- " << l << "\n";
    md << "\nOutputs:\n";
    for (const auto& l : data.onnx_output_lines) md << "- " << l << "\n";
    md << "\n| ONNX op | count |\n|---|---|\n";
    for (const auto& [op, n] : data.onnx_ops) md << "| " << op << " | " << n << " |\n";
  }

  if (options.optimize && !result.optimize_passes.empty()) {
    md << "\n## Optimization\n\n" << result.onnx_nodes_before_optimize << " nodes before, " << result.onnx_nodes
       << " after.\n\n| pass | nodes removed | nodes added | what |\n|---|---|---|---|\n";
    for (const auto& p : result.optimize_passes)
      md << "| " << p.pass << " | " << p.nodes_removed << " | " << p.nodes_added << " | " << p.detail << " |\n";
  } else if (!options.optimize) {
    md << "\n## Optimization\n\nTurned off (`--no-optimize`).\n";
  }

  if (options.modules_as_functions) {
    md << "\n## Module functions\n\n";
    if (result.module_functions.empty()) md << "No module call was selected.\n";
    else md << "| function | module class | calls | body nodes |\n|---|---|---|---|\n";
    for (const auto& f : result.module_functions)
      md << "| " << f.domain << "::" << f.name << " | " << f.module_class << " | " << f.calls << " | " << f.body_nodes
         << " |\n";
  }

  if (!result.comparisons.empty()) {
    md << "\n## Verification results\n\natol " << ShortNumber(options.tolerance.atol) << ", rtol "
       << ShortNumber(options.tolerance.rtol)
       << " (elementwise |onnx - torch| <= atol + rtol * |torch|)\n\n"
       << (result.verify_note.empty() ? "" : result.verify_note + ".\n\n")
       << "| output | type | max abs diff | max rel diff | max abs of reference | mismatched | result |\n|---|---|---|---|---|---|---|\n";
    for (const auto& c : result.comparisons)
      md << "| `" << c.name << "` | `" << c.expected_type << "` | " << std::scientific << std::setprecision(3)
         << c.max_abs_diff << " | " << c.max_rel_diff << " | " << c.expected_abs_max << " | " << c.mismatched << "/"
         << c.numel << " | " << (c.passed ? (c.random ? "✅ (random: shape, dtype, range)" : "✅") : "❌ " + c.note)
         << " |\n";
  }

  const Divergence& d = result.divergence;
  if (d.searched) {
    md << "\n### First diverging value\n\n";
    if (d.value.empty()) {
      md << "Not found: " << d.note << " (" << d.values_compared << " intermediate values compared).\n";
    } else {
      md << "Of " << d.values_compared << " intermediate values compared in execution order, the first outside the "
         << "tolerance is `" << d.value << "`, produced by `" << d.aten_op << "` at `" << d.location
         << "` (max abs diff " << std::scientific << std::setprecision(3) << d.comparison.max_abs_diff
         << ", max rel diff " << d.comparison.max_rel_diff << ", " << d.comparison.mismatched << "/"
         << d.comparison.numel << " elements).\n";
      if (!d.stack_trace.empty()) md << "\n```\n" << d.stack_trace << "\n```\n";
    }
  }

  if (options.profile) {
    md << "\n## Profile\n\n| stage | seconds | peak RSS (MiB) | RSS after (MiB) |\n|---|---|---|---|\n";
    for (const auto& t : result.timings)
      md << "| " << t.stage << " | " << std::fixed << std::setprecision(3) << t.seconds << " | " << std::setprecision(1)
         << t.peak_rss_bytes / 1048576.0 << " | " << t.rss_after_bytes / 1048576.0 << " |\n";
  } else {
    md << "\n## Timings\n\n| stage | seconds |\n|---|---|\n";
    for (const auto& t : result.timings) md << "| " << t.stage << " | " << std::fixed << std::setprecision(3) << t.seconds << " |\n";
  }
  if (!result.dump_paths.empty()) {
    md << "\nCaptured program dumps:";
    for (const auto& p : result.dump_paths) md << " `" << p << "`";
    md << "\n";
  }

  md << "\n## Captured program (ATen IR)\n\n```\n" << data.program_text << "```\n";
  return path;
}

}  // namespace t2o
