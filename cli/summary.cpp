#include "cli/summary.h"

#include "core/util/format.h"

#include <cstdio>

namespace t2o::cli {
namespace {

using nlohmann::json;

json LocationJson(const ir::SourceLocation& loc) {
  json out = {{"text", loc.Short()}};
  if (!loc.file.empty()) out["file"] = loc.file, out["line"] = loc.line;
  if (!loc.module_path.empty()) out["module_path"] = loc.module_path;
  return out;
}

json IssuesJson(const std::vector<NodeIssue>& issues) {
  json out = json::array();
  for (const auto& issue : issues)
    out.push_back({{"op", issue.op}, {"message", issue.message}, {"location", LocationJson(issue.location)}});
  return out;
}

json ComparisonJson(const OutputComparison& c) {
  return {{"name", c.name},           {"type", c.expected_type},     {"max_abs_diff", c.max_abs_diff},
          {"max_rel_diff", c.max_rel_diff}, {"reference_abs_max", c.expected_abs_max},
          {"mismatched", c.mismatched}, {"numel", c.numel},           {"passed", c.passed},
          {"atol", c.atol},             {"rtol", c.rtol},             {"random", c.random}};
}

}  // namespace

json ConvertSummaryJson(const ConvertOptions& options, const ConvertResult& result) {
  json out = {{"status", result.ok ? "ok" : "failed"},
              {"exit_code", static_cast<int>(result.exit_code)},
              {"model", options.model_path},
              {"format", ModelFormatName(result.format)},
              {"opset", options.opset},
              {"aten_nodes", result.aten_nodes},
              {"onnx_nodes", result.onnx_nodes}};
  if (!result.error.empty()) out["error"] = result.error;
  if (!result.written.model_path.empty()) {
    out["output"] = {{"model", result.written.model_path}, {"model_bytes", result.written.model_bytes}};
    if (result.written.external_data)
      out["output"]["data"] = result.written.data_path, out["output"]["data_bytes"] = result.written.data_bytes;
  }
  if (!result.report_path.empty()) out["report"] = result.report_path;
  if (!result.dump_paths.empty()) out["dumps"] = result.dump_paths;
  if (options.optimize && !result.optimize_passes.empty()) {
    json passes = json::array();
    for (const auto& p : result.optimize_passes)
      passes.push_back({{"pass", p.pass}, {"nodes_removed", p.nodes_removed}, {"nodes_added", p.nodes_added},
                        {"detail", p.detail}});
    out["optimize"] = {{"nodes_before", result.onnx_nodes_before_optimize}, {"passes", passes}};
  }
  if (options.modules_as_functions) {
    json functions = json::array();
    for (const auto& f : result.module_functions)
      functions.push_back({{"function", f.domain + "::" + f.name}, {"module_class", f.module_class},
                           {"calls", f.calls}, {"body_nodes", f.body_nodes}});
    out["functions"] = functions;
  }
  if (options.verify) {
    json outputs = json::array();
    for (const auto& c : result.comparisons) outputs.push_back(ComparisonJson(c));
    out["verification"] = {{"passed", result.verified}, {"atol", options.tolerance.atol},
                           {"rtol", options.tolerance.rtol}, {"outputs", outputs}};
    if (!result.verify_note.empty()) out["verification"]["note"] = result.verify_note;
    const Divergence& d = result.divergence;
    if (d.searched) {
      json first = {{"values_compared", d.values_compared}};
      if (!d.value.empty())
        first.update({{"value", d.value}, {"aten_op", d.aten_op}, {"location", d.location},
                      {"comparison", ComparisonJson(d.comparison)}});
      else
        first["note"] = d.note;
      out["verification"]["first_divergence"] = first;
    }
  }
  json timings = json::array();
  for (const auto& t : result.timings)
    timings.push_back({{"stage", t.stage}, {"seconds", t.seconds}, {"peak_rss_bytes", t.peak_rss_bytes}});
  out["timings"] = timings;
  out["unsupported"] = IssuesJson(result.issues);
  return out;
}

void PrintConvertHuman(const ConvertOptions& options, const ConvertResult& result, bool quiet) {
  if (!quiet && !result.comparisons.empty()) {
    std::printf("verification (atol=%g, rtol=%g):\n", options.tolerance.atol, options.tolerance.rtol);
    if (!result.verify_note.empty()) std::printf("  %s\n", result.verify_note.c_str());
    for (const auto& c : result.comparisons)
      std::printf("  %-24s %-22s max_abs_diff=%.3e max_rel_diff=%.3e |ref|max=%.3e  %s%s\n", c.name.c_str(),
                  c.expected_type.c_str(), c.max_abs_diff, c.max_rel_diff, c.expected_abs_max,
                  c.passed ? "OK" : "MISMATCH",
                  c.random ? " (random: shape, dtype, range)"
                  : c.atol == options.tolerance.atol && c.rtol == options.tolerance.rtol
                      ? ""
                      : (" (atol=" + ShortNumber(c.atol) + " rtol=" + ShortNumber(c.rtol) + ")").c_str());
    const Divergence& d = result.divergence;
    if (d.searched && !d.value.empty()) {
      std::printf("first diverging value: %s = %s at %s (max abs diff %.3e over %zu compared values)\n",
                  d.value.c_str(), d.aten_op.c_str(), d.location.c_str(), d.comparison.max_abs_diff,
                  d.values_compared);
      if (!d.stack_trace.empty()) std::printf("%s\n", d.stack_trace.c_str());
    } else if (d.searched) {
      std::printf("first diverging value: not found (%s)\n", d.note.c_str());
    }
  }
  if (!quiet && !result.report_path.empty()) std::printf("report: %s\n", result.report_path.c_str());
  if (!quiet)
    for (const auto& p : result.dump_paths) std::printf("captured program: %s\n", p.c_str());
  if (!result.ok) {
    std::fprintf(stderr, "torch2onnx: error: %s\n", result.error.c_str());
    return;
  }
  if (quiet) return;
  std::string extra;
  if (result.written.external_data) extra = ", weights in " + result.written.data_path;
  if (!options.write.include_initializers) extra += ", without weights";
  if (options.modules_as_functions) {
    size_t calls = 0;
    for (const auto& f : result.module_functions) calls += f.calls;
    extra += ", " + std::to_string(calls) + " module calls of " + std::to_string(result.module_functions.size()) +
             " functions";
  }
  std::printf("wrote %s (%zu ONNX nodes from %zu ATen nodes, opset %d%s)\n", result.written.model_path.c_str(),
              result.onnx_nodes, result.aten_nodes, options.opset, extra.c_str());
}

void PrintProfile(const ConvertResult& result) {
  std::fprintf(stderr, "%-20s %10s %16s %16s\n", "stage", "seconds", "peak RSS (MiB)", "RSS after (MiB)");
  double total = 0;
  for (const auto& t : result.timings) {
    total += t.seconds;
    std::fprintf(stderr, "%-20s %10.3f %16.1f %16.1f\n", t.stage.c_str(), t.seconds, t.peak_rss_bytes / 1048576.0,
                 t.rss_after_bytes / 1048576.0);
  }
  std::fprintf(stderr, "%-20s %10.3f\n", "total", total);
}

json InspectSummaryJson(const ConvertOptions& options, const InspectResult& result) {
  json out = {{"status", result.ok ? "ok" : "failed"},
              {"exit_code", static_cast<int>(result.exit_code)},
              {"model", options.model_path},
              {"format", ModelFormatName(result.format)},
              {"opset", options.opset}};
  if (!result.error.empty()) out["error"] = result.error;
  if (!result.ok) return out;
  const ReportData& p = result.program;
  out["inputs"] = p.input_lines;
  out["outputs"] = p.output_lines;
  out["parameters"] = {{"count", p.parameter_count}, {"bytes", p.parameter_bytes}};
  out["buffers"] = {{"count", p.buffer_count}, {"bytes", p.buffer_bytes}};
  out["aten_nodes"] = result.aten_nodes;
  json ops = json::array();
  for (const auto& [op, use] : p.aten_ops)
    ops.push_back({{"op", op}, {"count", use.count}, {"translator", use.translator.empty() ? json(nullptr) : json(use.translator)}});
  out["ops"] = ops;
  out["unsupported"] = IssuesJson(result.unsupported);
  out["convertible_opsets"] = result.convertible_opsets;
  out["form_boundary_opsets"] = result.form_boundary_opsets;
  return out;
}

void PrintInspectHuman(const ConvertOptions& options, const InspectResult& result) {
  if (!result.ok) {
    std::fprintf(stderr, "torch2onnx: error: %s\n", result.error.c_str());
    return;
  }
  const ReportData& p = result.program;
  std::printf("%s (%s)\n", options.model_path.c_str(), p.format.c_str());
  std::printf("inputs:\n");
  for (const auto& l : p.input_lines) std::printf("  %s\n", l.c_str());
  std::printf("outputs:\n");
  for (const auto& l : p.output_lines) std::printf("  %s\n", l.c_str());
  std::printf("parameters: %lld elements (%lld bytes); buffers and constants: %lld elements (%lld bytes)\n",
              static_cast<long long>(p.parameter_count), static_cast<long long>(p.parameter_bytes),
              static_cast<long long>(p.buffer_count), static_cast<long long>(p.buffer_bytes));
  std::printf("ATen ops (%zu nodes), translators at opset %d:\n", result.aten_nodes, options.opset);
  for (const auto& [op, use] : p.aten_ops)
    std::printf("  %-44s %5d  %s\n", op.c_str(), use.count, use.translator.empty() ? "UNSUPPORTED" : use.translator.c_str());
  if (result.unsupported.empty()) {
    std::printf("every op has a translator at opset %d\n", options.opset);
  } else {
    std::printf("%zu node(s) without a translator at opset %d:\n%s", result.unsupported.size(), options.opset,
                FormatIssues(result.unsupported).c_str());
  }
  // Runs of consecutive opsets: "13-16, 18-26".
  std::string runs;
  const auto& o = result.convertible_opsets;
  for (size_t i = 0; i < o.size();) {
    size_t j = i;
    while (j + 1 < o.size() && o[j + 1] == o[j] + 1) ++j;
    runs += (runs.empty() ? "" : ", ") + std::to_string(o[i]) + (j > i ? "-" + std::to_string(o[j]) : "");
    i = j + 1;
  }
  std::printf("converts at opsets: %s\n", runs.empty() ? "none (an op has no translator at any)" : runs.c_str());
}

}  // namespace t2o::cli
