#include "core/translate/op_map.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/translate/context.h"
#include "core/util/errors.h"

namespace t2o {
namespace {

using Json = nlohmann::json;

const std::set<std::string> kAttributeTypes = {"int", "float", "string", "ints", "floats"};

[[noreturn]] void Bad(const std::string& where, const std::string& what) {
  throw UsageError("--op-map " + where + ": " + what);
}

size_t ArgumentIndex(const Json& j, const std::string& where) {
  if (!j.is_number_integer() || j.get<int64_t>() < 0) Bad(where, "expected an argument position (0, 1, ...), got " + j.dump());
  return j.get<size_t>();
}

onnx::AttrValue LiteralAttribute(const Json& j, std::string type, const std::string& where) {
  bool ints = j.is_array(), numbers = j.is_array();
  for (const auto& e : j.is_array() ? j : Json::array()) {
    ints = ints && e.is_number_integer();
    numbers = numbers && e.is_number();
  }
  if (type.empty())
    type = j.is_number_integer() || j.is_boolean() ? "int" : j.is_number() ? "float" : j.is_string() ? "string"
         : ints ? "ints" : "floats";
  if (type == "int" && (j.is_number_integer() || j.is_boolean())) return j.is_boolean() ? int64_t{j.get<bool>()} : j.get<int64_t>();
  if (type == "float" && j.is_number()) return j.get<float>();
  if (type == "string" && j.is_string()) return j.get<std::string>();
  if (type == "ints" && ints) return j.get<std::vector<int64_t>>();
  if (type == "floats" && numbers) return j.get<std::vector<float>>();
  Bad(where, "cannot write " + j.dump() + " as a " + type + " attribute");
}

OpMapping ReadEntry(const std::string& key, const Json& entry, const std::string& where) {
  if (!entry.is_object()) Bad(where, "expected an object");
  static const std::set<std::string> kFields = {"domain", "domain_version", "op_type", "inputs", "attributes",
                                                "since_opset", "until_opset"};
  for (const auto& [field, value] : entry.items())
    if (!kFields.count(field)) Bad(where, "unknown field '" + field + "'");
  OpMapping m;
  m.key = key;
  if (!entry.contains("op_type") || !entry["op_type"].is_string() || entry["op_type"].get<std::string>().empty())
    Bad(where, "'op_type' (the ONNX operator, e.g. \"QuickGelu\") is required");
  m.op_type = entry["op_type"];
  if (entry.contains("domain")) {
    if (!entry["domain"].is_string()) Bad(where, "'domain' must be a string such as \"com.microsoft\"");
    m.domain = entry["domain"];
    if (m.domain == "ai.onnx") m.domain.clear();
  }
  if (entry.contains("domain_version")) {
    if (!entry["domain_version"].is_number_integer() || entry["domain_version"].get<int64_t>() < 1)
      Bad(where, "'domain_version' must be a positive integer");
    if (m.domain.empty()) Bad(where, "'domain_version' is for custom domains; the ONNX opset is --opset");
    m.domain_version = entry["domain_version"];
  }
  if (entry.contains("inputs")) {
    if (!entry["inputs"].is_array()) Bad(where, "'inputs' must be a list of argument positions");
    std::vector<std::optional<size_t>> inputs;
    for (const auto& in : entry["inputs"])
      inputs.push_back(in.is_null() ? std::nullopt : std::optional<size_t>(ArgumentIndex(in, where + " 'inputs'")));
    m.inputs = inputs;
  }
  if (entry.contains("attributes")) {
    if (!entry["attributes"].is_object()) Bad(where, "'attributes' must be an object of name -> {\"argument\": i} or {\"value\": v}");
    for (const auto& [name, spec] : entry["attributes"].items()) {
      std::string at = where + " attribute '" + name + "'";
      if (!spec.is_object()) Bad(at, "expected {\"argument\": i} or {\"value\": v}");
      for (const auto& [field, value] : spec.items())
        if (field != "argument" && field != "value" && field != "type") Bad(at, "unknown field '" + field + "'");
      OpMapAttribute a;
      a.name = name;
      if (spec.contains("type")) {
        if (!spec["type"].is_string() || !kAttributeTypes.count(spec["type"].get<std::string>()))
          Bad(at, "'type' must be one of int, float, string, ints, floats");
        a.type = spec["type"];
      }
      if (spec.contains("argument") == spec.contains("value")) Bad(at, "give exactly one of 'argument' and 'value'");
      if (spec.contains("argument")) a.argument = ArgumentIndex(spec["argument"], at);
      else a.literal = LiteralAttribute(spec["value"], a.type, at);
      m.attributes.push_back(std::move(a));
    }
  }
  for (const char* bound : {"since_opset", "until_opset"}) {
    if (!entry.contains(bound)) continue;
    if (!entry[bound].is_number_integer()) Bad(where, std::string("'") + bound + "' must be an opset number");
    int opset = entry[bound];
    if (opset < kMinOpset || opset > kMaxOpset)
      Bad(where, std::string("'") + bound + "' " + std::to_string(opset) + " is outside the opsets " +
                     std::to_string(kMinOpset) + "-" + std::to_string(kMaxOpset) + " this build writes");
    (std::string(bound) == "since_opset" ? m.opsets.since : m.opsets.until) = opset;
  }
  if (m.opsets.since > m.opsets.until) Bad(where, "'since_opset' is above 'until_opset'");
  return m;
}

// The constant of argument `i` as an attribute of `type` ("" = the constant's own kind).
onnx::AttrValue ArgumentAttribute(TranslationContext& ctx, size_t i, const std::string& type, const char* name) {
  if (!ctx.IsConstant(i))
    throw UnsupportedError("--op-map attribute '" + std::string(name) + "' takes argument #" +
                           std::to_string(i) + ", which is computed at run time; an attribute needs a constant");
  const ir::Constant& c = *ctx.InputValue(i).constant;
  std::string kind = type;
  if (kind.empty()) {
    if (std::holds_alternative<double>(c)) kind = "float";
    else if (std::holds_alternative<std::string>(c)) kind = "string";
    else if (std::holds_alternative<std::vector<double>>(c)) kind = "floats";
    else if (std::holds_alternative<std::vector<int64_t>>(c) || std::holds_alternative<std::vector<bool>>(c)) kind = "ints";
    else kind = "int";
  }
  if (kind == "float") return static_cast<float>(ctx.ConstDouble(i, name));
  if (kind == "string") return ctx.ConstString(i, name);
  if (kind == "ints") return ctx.ConstInts(i, name);
  if (kind == "floats") {
    std::vector<double> values = ctx.ConstDoubles(i, name);
    return std::vector<float>(values.begin(), values.end());
  }
  return ctx.ConstInt(i, name);
}

void TranslateMapped(TranslationContext& ctx, const OpMapping& m) {
  const ir::Node& node = ctx.node();
  auto check_position = [&](size_t i, const std::string& what) {
    if (i >= ctx.NumInputs())
      throw UnsupportedError("--op-map " + what + " names argument #" + std::to_string(i) + ", but the op has " +
                             std::to_string(ctx.NumInputs()) + " arguments");
  };
  std::vector<std::string> inputs;
  if (m.inputs) {
    for (const auto& position : *m.inputs) {
      if (!position) {
        inputs.emplace_back();
        continue;
      }
      check_position(*position, "input");
      inputs.push_back(ctx.IsNone(*position) ? std::string() : ctx.Input(*position));
    }
    while (!inputs.empty() && inputs.back().empty()) inputs.pop_back();  // trailing omitted inputs
  } else {
    for (size_t i = 0; i < ctx.NumInputs(); ++i)
      if (ctx.InputValue(i).kind == ir::ValueKind::kTensor) inputs.push_back(ctx.Input(i));
  }
  std::vector<onnx::Attr> attrs;
  for (const auto& a : m.attributes) {
    if (a.literal) {
      attrs.push_back({a.name, *a.literal});
      continue;
    }
    check_position(*a.argument, "attribute '" + a.name + "'");
    attrs.push_back({a.name, ArgumentAttribute(ctx, *a.argument, a.type, a.name.c_str())});
  }
  for (size_t j = 0; j < node.outputs.size(); ++j)
    if (node.outputs[j]->kind != ir::ValueKind::kTensor)
      throw UnsupportedError("--op-map maps to one ONNX node, whose outputs are tensors; output #" +
                             std::to_string(j) + " is a " + std::string(ir::ValueKindName(node.outputs[j]->kind)));
  auto outputs = ctx.OpMulti(m.op_type, inputs, node.outputs.size(), std::move(attrs), m.domain);
  for (size_t j = 0; j < outputs.size(); ++j) ctx.SetOutput(j, outputs[j]);
}

}  // namespace

std::vector<OpMapping> ReadOpMap(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw UsageError("--op-map '" + path + "': no such file");
  std::ifstream in(path);
  Json root;
  try {
    root = Json::parse(in);
  } catch (const Json::parse_error& e) {
    throw UsageError("--op-map '" + path + "' is not valid JSON: " + e.what());
  }
  std::string where = "'" + path + "'";
  if (!root.is_object() || !root.contains("ops") || !root["ops"].is_object())
    Bad(where, "expected {\"version\": 1, \"ops\": {\"namespace::op\": {...}}}");
  if (root.contains("version") && root["version"] != 1)
    Bad(where, "version " + root["version"].dump() + " is not one this build reads (1)");
  for (const auto& [field, value] : root.items())
    if (field != "version" && field != "ops") Bad(where, "unknown field '" + field + "'");
  std::vector<OpMapping> mappings;
  for (const auto& [key, entry] : root["ops"].items()) {
    std::string entry_where = where + " entry '" + key + "'";
    OpMapping m = ReadEntry(key, entry, entry_where);
    try {
      Registry probe;  // the key rules of the registry
      probe.Add(key, m.opsets, [](TranslationContext&) {});
    } catch (const std::logic_error&) {
      Bad(entry_where, "the key must be namespace::op or namespace::op.overload (without .default)");
    }
    mappings.push_back(std::move(m));
  }
  return mappings;
}

Registry RegistryWithOpMap(const Registry& base, const std::vector<OpMapping>& mappings) {
  Registry registry = base;
  registry.SetFamily("op-map");
  for (const auto& m : mappings)
    registry.Override(m.key, m.opsets, [m](TranslationContext& ctx) { TranslateMapped(ctx, m); });
  return registry;
}

}  // namespace t2o
