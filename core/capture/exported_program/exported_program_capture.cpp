// CaptureExportedProgram: a .pt2 file -> our IR, example inputs and a libtorch reference
// (loaded only when it runs). No libtorch header.

#include <chrono>
#include <regex>
#include <set>

#include "core/capture/capture.h"
#include "core/capture/exported_program/program_builder.h"
#include "core/capture/exported_program/pt2_reader.h"
#include "core/ir/functionalize.h"
#include "core/ir/state.h"
#include "core/ir/scalar_dim_ops.h"
#include "core/capture/exported_program/sym_expr.h"
#include "core/util/errors.h"
#include "core/util/json_numbers.h"
#include "core/util/log.h"

namespace t2o {

using json = nlohmann::json;

namespace {

// A forward() argument tree from a pytree treespec node (torch/utils/_pytree.py, protocol 1).
InputTree TreeFromSpec(const json& spec, const std::string& path, std::vector<std::string>& leaf_paths) {
  InputTree tree;
  const json& type = spec.at("type");
  if (type.is_null()) {
    tree.kind = InputTree::Kind::kTensor;
    leaf_paths.push_back(path);
    return tree;
  }
  std::string t = type.get<std::string>();
  const json& children = spec.at("children_spec");
  if (t == "builtins.dict" || t == "collections.OrderedDict") {
    tree.kind = InputTree::Kind::kDict;
    json keys = json::parse(spec.at("context").get<std::string>());
    for (size_t k = 0; k < children.size(); ++k) {
      std::string key = keys.at(k).is_string() ? keys[k].get<std::string>() : keys[k].dump();
      tree.keys.push_back(key);
      tree.children.push_back(TreeFromSpec(children[k], path + "['" + key + "']", leaf_paths));
    }
    return tree;
  }
  tree.kind = t == "builtins.list" ? InputTree::Kind::kList : InputTree::Kind::kTuple;
  for (size_t k = 0; k < children.size(); ++k)
    tree.children.push_back(TreeFromSpec(children[k], path + "[" + std::to_string(k) + "]", leaf_paths));
  return tree;
}

void FlattenExample(const PyRef& o, std::vector<TensorData>& out) {
  switch (o->kind) {
    case PyObject::Kind::kTensor: out.push_back(o->tensor); break;
    case PyObject::Kind::kList:
    case PyObject::Kind::kTuple:
      for (const auto& item : o->items) FlattenExample(item, out);
      break;
    case PyObject::Kind::kDict:
      for (const auto& [key, value] : o->entries) FlattenExample(value, out);
      break;
    default: break;  // non-tensor leaves are constants of the program
  }
}

std::optional<int64_t> Bound(const json& v) {
  if (v.is_number_integer()) {
    int64_t b = ExactInt64(v);
    if (b >= (int64_t{1} << 62) || b <= -(int64_t{1} << 62)) return std::nullopt;  // int_oo sentinels
    return b;
  }
  return std::nullopt;  // null, "Infinity"
}

// Replaces whole identifiers in a dim expression ("2*s0" with s0 -> batch: "2*batch").
std::string RenameSymbols(const std::string& text, const std::map<std::string, std::string>& renames) {
  static const std::regex kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), kIdentifier), end; it != end; ++it) {
    out.append(last, text.cbegin() + it->position());
    auto r = renames.find(it->str());
    out += r == renames.end() ? it->str() : r->second;
    last = text.cbegin() + it->position() + it->length();
  }
  out.append(last, text.cend());
  return out;
}

void RenameInBlock(ir::Block& block, const std::map<std::string, std::string>& renames, std::set<ir::Value*>& seen);

void RenameValue(ir::Value* v, const std::map<std::string, std::string>& renames, std::set<ir::Value*>& seen) {
  if (!seen.insert(v).second || !v->IsTensor()) return;
  for (auto& d : v->meta.shape)
    if (auto* s = std::get_if<std::string>(&d)) *s = RenameSymbols(*s, renames);
}

void RenameInBlock(ir::Block& block, const std::map<std::string, std::string>& renames, std::set<ir::Value*>& seen) {
  for (auto* v : block.inputs) RenameValue(v, renames, seen);
  for (auto& n : block.nodes) {
    for (auto* v : n->inputs) RenameValue(v, renames, seen);
    for (auto* v : n->outputs) RenameValue(v, renames, seen);
    for (auto& b : n->blocks) RenameInBlock(*b, renames, seen);
  }
}

class Pt2Capture {
 public:
  Pt2Capture(const std::string& path, ModelFormat format, const CaptureOptions& options)
      : path_(path), format_(format), options_(options) {}

  CapturedProgram Run() {
    contents_ = ReadPt2(path_, format_);
    const json& gm = Field(contents_.program, "graph_module");
    const json& graph_json = Field(gm, "graph");
    const json& signature = Field(gm, "signature");
    CapturedProgram result;
    result.graph = std::make_unique<ir::Graph>();
    ir::Graph& graph = *result.graph;
    graph.source_format = "exported_program";
    ProgramBuilder builder(graph, path_);

    std::vector<ir::GraphInput> users, weights;
    const json& inputs = Field(graph_json, "inputs");
    const json& input_specs = Field(signature, "input_specs");
    if (inputs.size() != input_specs.size())
      throw InputError("'" + path_ + "': the graph has " + std::to_string(inputs.size()) + " inputs but the signature " +
                       std::to_string(input_specs.size()));
    for (size_t k = 0; k < input_specs.size(); ++k) DefineInput(builder, graph_json, input_specs[k], users, weights);
    graph.inputs = users;
    graph.inputs.insert(graph.inputs.end(), weights.begin(), weights.end());

    builder.ConvertNodes(graph_json, graph.top);

    const json& outputs = Field(graph_json, "outputs");
    const json& output_specs = Field(signature, "output_specs");
    for (size_t k = 0; k < output_specs.size() && k < outputs.size(); ++k) DefineOutput(builder, outputs[k], output_specs[k], graph);

    if (contents_.program.contains("range_constraints"))
      for (const auto& [symbol, range] : contents_.program["range_constraints"].items()) {
        ir::SymbolRange r;
        r.min = Bound(range.value("min_val", json())).value_or(0);
        r.max = Bound(range.value("max_val", json()));
        graph.symbols[symbol] = r;
      }

    std::vector<InputTree> trees;
    std::vector<std::string> arg_names;
    result.input_paths = InputPaths(gm, users, trees, arg_names);
    for (size_t k = 0; k < users.size(); ++k) graph.inputs[k].target = result.input_paths[k];  // input_dict['tensor_x']
    result.example_inputs = ExampleInputs(graph_json, users, result.input_paths);
    ApplyDynamicShapes(graph, trees, arg_names, result);
    ir::Functionalize(graph);
    for (auto& state : ir::LiftStateBuffers(graph)) {
      result.example_inputs.push_back(state.initial);
      result.input_paths.push_back(ir::StateInputName(state.fqn));
    }
    ir::VectorizeScalarDimOps(graph);
    result.reference = MakeLazyIrReference(graph);
    Log().info("captured ExportedProgram schema {}.{} ({}): {} nodes", contents_.schema_major, contents_.schema_minor,
               ModelFormatName(format_), graph.CountNodes());
    return result;
  }

 private:
  const json& Field(const json& object, const std::string& key) const {
    if (!object.is_object() || !object.contains(key))
      throw InputError("'" + path_ + "': " + contents_.program_record + " has no '" + key + "' field");
    return object[key];
  }

  void DefineInput(ProgramBuilder& builder, const json& graph_json, const json& spec, std::vector<ir::GraphInput>& users,
                   std::vector<ir::GraphInput>& weights) {
    auto [kind, payload] = UnionMember(spec, "'" + path_ + "': input spec");
    const json& p = *payload;
    if (kind == "user_input") {
      auto [akind, arg] = UnionMember(p.at("arg"), "'" + path_ + "': user input");
      if (akind != "as_tensor")
        throw InputError("'" + path_ + "': user inputs of kind '" + akind + "' (non-tensor forward() arguments) are not supported");
      std::string name = arg->at("name").get<std::string>();
      users.push_back({builder.DefineInput(name, graph_json), ir::InputKind::kUserInput, name, true, std::nullopt});
      return;
    }
    if (kind == "parameter" || kind == "buffer" || kind == "tensor_constant") {
      std::string name = p.at("arg").at("name").get<std::string>();
      std::string fqn = kind == "parameter" ? p.at("parameter_name").get<std::string>()
                        : kind == "buffer"  ? p.at("buffer_name").get<std::string>()
                                            : p.at("tensor_constant_name").get<std::string>();
      bool persistent = kind != "buffer" || p.value("persistent", true);
      // Constants and non-persistent buffers live with the constants; fall back to the
      // state dict for writers that put them there.
      const TensorData* data = nullptr;
      for (const auto* table : {kind == "tensor_constant" || !persistent ? &contents_.constants : &contents_.weights,
                                &contents_.weights})
        if (auto it = table->find(fqn); !data && it != table->end()) data = &it->second;
      if (!data) throw InputError("'" + path_ + "': " + kind + " '" + fqn + "' has no data in the file");
      ir::Value* v = builder.DefineInput(name, graph_json);
      ir::InputKind ik = kind == "parameter" ? ir::InputKind::kParameter
                         : kind == "buffer"  ? ir::InputKind::kBuffer
                                             : ir::InputKind::kConstantTensor;
      if (v->meta.dtype != data->dtype)
        throw InputError("'" + path_ + "': " + kind + " '" + fqn + "' is stored as " + std::string(DTypeName(data->dtype)) +
                         " but the graph expects " + std::string(DTypeName(v->meta.dtype)));
      weights.push_back({v, ik, fqn, persistent, *data});
      return;
    }
    if (kind == "token") {
      builder.DefineToken(p.at("arg").at("name").get<std::string>());
      return;
    }
    if (kind == "constant_input") {
      builder.DefineConstantInput(p.at("name").get<std::string>(), p.at("value"));
      return;
    }
    throw InputError("'" + path_ + "': graph inputs of kind '" + kind + "' are not supported");
  }

  void DefineOutput(ProgramBuilder& builder, const json& output, const json& spec, ir::Graph& graph) {
    auto [kind, payload] = UnionMember(spec, "'" + path_ + "': output spec");
    if (kind == "token") return;  // see ProgramBuilder::ConvertWithEffects
    ir::Value* v = builder.Lookup(output, "'" + path_ + "': graph output");
    if (!v) throw InputError("'" + path_ + "': constant graph outputs are not supported");
    if (kind == "user_output") graph.outputs.push_back({v, ir::OutputKind::kUserOutput, v->name});
    else if (kind == "buffer_mutation")
      graph.outputs.push_back({v, ir::OutputKind::kBufferMutation, payload->at("buffer_name").get<std::string>()});
    else if (kind == "user_input_mutation")
      graph.outputs.push_back({v, ir::OutputKind::kUserInputMutation, payload->at("user_input_name").get<std::string>()});
    else
      throw InputError("'" + path_ + "': graph outputs of kind '" + kind + "' are not supported (export for inference)");
  }

  // forward()'s argument trees and the path of every user input, from the root module's
  // in_spec; the placeholder names when the program has none.
  std::vector<std::string> InputPaths(const json& gm, const std::vector<ir::GraphInput>& users,
                                      std::vector<InputTree>& trees, std::vector<std::string>& arg_names) {
    std::vector<std::string> paths;
    for (const auto& u : users) paths.push_back(u.target);
    if (!gm.contains("module_call_graph")) return paths;
    for (const auto& entry : gm["module_call_graph"]) {
      if (entry.value("fqn", "?") != "" || entry.value("signature", json()).is_null()) continue;
      const json& sig = entry["signature"];
      try {
        json spec = json::parse(sig.at("in_spec").get<std::string>());
        const json& root = spec.at(1);
        const json& args = root.at("children_spec").at(0);
        std::vector<std::string> names;
        if (sig.contains("forward_arg_names") && sig["forward_arg_names"].is_array())
          names = sig["forward_arg_names"].get<std::vector<std::string>>();
        std::vector<std::string> leaf_paths;
        const json& arg_specs = args.at("children_spec");
        for (size_t k = 0; k < arg_specs.size(); ++k) {
          std::string name = k < names.size() ? names[k] : "arg" + std::to_string(k);
          arg_names.push_back(name);
          trees.push_back(TreeFromSpec(arg_specs[k], name, leaf_paths));
        }
        const json& kwargs = root.at("children_spec").at(1);
        if (!kwargs.at("children_spec").empty()) {
          json keys = json::parse(kwargs.at("context").get<std::string>());
          for (size_t k = 0; k < kwargs["children_spec"].size(); ++k) {
            arg_names.push_back(keys.at(k).get<std::string>());
            trees.push_back(TreeFromSpec(kwargs["children_spec"][k], arg_names.back(), leaf_paths));
          }
        }
        if (leaf_paths.size() == users.size()) return leaf_paths;
        Log().warn("'{}': the in_spec has {} leaves for {} user inputs; using placeholder names", path_, leaf_paths.size(),
                   users.size());
      } catch (const json::exception& e) {
        Log().warn("'{}': cannot read the module call signature ({}); using placeholder names", path_, e.what());
      }
      trees.clear();
      arg_names.clear();
    }
    return paths;
  }

  std::vector<TensorData> ExampleInputs(const json& graph_json, const std::vector<ir::GraphInput>& users,
                                        const std::vector<std::string>& paths) {
    std::vector<TensorData> examples;
    ExampleGenerator gen(options_.seed);
    std::vector<const TensorSpec*> specs;
    for (const auto& t : options_.input_trees) CollectLeafSpecs(t, specs);
    if (specs.empty())
      for (const auto& s : options_.flat_inputs) specs.push_back(&s);
    if (!specs.empty()) {
      if (specs.size() != users.size())
        throw UsageError("'" + path_ + "' takes " + std::to_string(users.size()) + " tensor input" +
                         (users.size() == 1 ? "" : "s") + " but " + std::to_string(specs.size()) + " were given");
      for (const auto* s : specs) examples.push_back(gen.Make(*s));
    } else if (contents_.example_inputs) {
      FlattenExample(contents_.example_inputs, examples);
      if (examples.size() != users.size())
        throw InputError("'" + path_ + "': the stored example inputs hold " + std::to_string(examples.size()) +
                         " tensors for " + std::to_string(users.size()) + " inputs; give --input-shape/--input-data");
      Log().info("using the example inputs stored in '{}'", path_);
    } else {
      // No example inputs: random ones at the sizes the program was exported with.
      for (const auto& u : users) {
        TensorSpec spec;
        spec.dtype = u.value->meta.dtype;
        const json& sizes = graph_json["tensor_values"][u.value->name]["sizes"];
        for (const auto& s : sizes)
          spec.shape.push_back(s.contains("as_int") ? ExactInt64(s["as_int"])
                                                    : ExactInt64(s["as_expr"]["hint"]["as_int"]));
        examples.push_back(gen.Make(spec));
      }
    }
    for (size_t k = 0; k < users.size(); ++k) {
      const ir::TensorMeta& meta = users[k].value->meta;
      const TensorData& t = examples[k];
      std::string where = "input '" + paths[k] + "'";
      if (t.dtype != meta.dtype)
        throw UsageError(where + ": the program expects " + std::string(DTypeName(meta.dtype)) + ", got " +
                         std::string(DTypeName(t.dtype)));
      if (t.shape.size() != meta.rank())
        throw UsageError(where + ": the program expects a rank-" + std::to_string(meta.rank()) + " tensor " +
                         meta.ToString() + ", got rank " + std::to_string(t.shape.size()));
      for (size_t d = 0; d < t.shape.size(); ++d)
        if (auto fixed = std::get_if<int64_t>(&meta.shape[d]); fixed && *fixed != t.shape[d])
          throw UsageError(where + ": axis " + std::to_string(d) + " was exported with the static size " +
                           std::to_string(*fixed) + ", got " + std::to_string(t.shape[d]));
    }
    return examples;
  }

  // --dynamic-shapes / --dynamic-axes on a .pt2: the program's symbolic dims keep their
  // meaning; the user may rename them. Static dims cannot become dynamic after export.
  void ApplyDynamicShapes(ir::Graph& graph, const std::vector<InputTree>& trees, const std::vector<std::string>& arg_names,
                          CapturedProgram& result) {
    if (options_.dynamic_shapes.empty() && options_.dynamic_axes.empty()) return;
    if (!options_.dynamic_shapes.empty() && !options_.dynamic_axes.empty())
      throw UsageError("give --dynamic-shapes or --dynamic-axes, not both");
    std::vector<const ir::GraphInput*> users;
    for (const auto& in : graph.inputs)
      if (in.kind == ir::InputKind::kUserInput) users.push_back(&in);
    std::vector<AxisSymbols> axes(users.size());
    std::vector<std::vector<int64_t>> shapes;
    for (const auto& t : result.example_inputs) shapes.push_back(t.shape);
    if (!options_.dynamic_shapes.empty()) {
      if (trees.empty()) throw UsageError("--dynamic-shapes: the program has no forward() signature; use --dynamic-axes");
      axes = ResolveDynamicShapes(options_.dynamic_shapes, trees, arg_names, shapes);
    }
    for (size_t i = 0; i < users.size() && !options_.dynamic_axes.empty(); ++i) {
      std::string name = i < options_.input_names.size() ? options_.input_names[i] : users[i]->value->name;
      auto found = options_.dynamic_axes.find(name);
      if (found == options_.dynamic_axes.end()) continue;
      for (const auto& [axis, symbol] : found->second)
        axes[i][CheckAxis(axis, shapes[i].size(), "dynamic_axes['" + name + "']")] = symbol;
    }
    std::map<std::string, std::string> renames;
    std::map<std::string, ir::SymbolRange> ranges;
    for (size_t i = 0; i < users.size(); ++i)
      for (const auto& [axis, symbol] : axes[i]) {
        const ir::Dim& dim = users[i]->value->meta.shape.at(axis);
        std::string where = "input '" + result.input_paths[i] + "' axis " + std::to_string(axis);
        const auto* program_symbol = std::get_if<std::string>(&dim);
        if (!program_symbol)
          throw UsageError(where + " is static (size " + std::to_string(std::get<int64_t>(dim)) +
                           ") in the ExportedProgram; only dims exported as dynamic can stay symbolic");
        if (!IsSymbolName(*program_symbol))
          throw UsageError(where + " is the expression " + *program_symbol + " in the ExportedProgram and cannot be renamed");
        auto [it, fresh] = renames.emplace(*program_symbol, symbol.name);
        if (!fresh && it->second != symbol.name)
          throw UsageError(where + ": the program's symbol " + *program_symbol + " is already named '" + it->second +
                           "', cannot also name it '" + symbol.name + "'");
        ranges[symbol.name] = symbol.range;
      }
    std::set<ir::Value*> seen;
    for (auto& in : graph.inputs) RenameValue(in.value, renames, seen);
    RenameInBlock(graph.top, renames, seen);
    std::map<std::string, ir::SymbolRange> symbols;
    for (const auto& [name, range] : graph.symbols) {
      auto r = renames.find(name);
      symbols[r == renames.end() ? name : r->second] = range;
    }
    graph.symbols = symbols;
  }

  std::string path_;
  ModelFormat format_;
  const CaptureOptions& options_;
  Pt2Contents contents_;
};

}  // namespace

// The program JSON holding the wrong types or too few arguments somewhere: a malformed
// file, reported as such rather than as the JSON library's or the vector's complaint.
template <typename Read>
auto ReadingErrorsAsInputErrors(const std::string& path, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    throw InputError("'" + path + "': malformed ExportedProgram (" + JsonErrorText(e) + ")");
  } catch (const std::out_of_range& e) {
    throw InputError("'" + path + "': malformed ExportedProgram (an index out of range: " + e.what() + ")");
  }
}

CapturedProgram CaptureExportedProgram(const std::string& path, ModelFormat format, const CaptureOptions& options,
                                       std::vector<CaptureAttempt>* attempts) {
  auto start = std::chrono::steady_clock::now();
  CaptureAttempt attempt{"exported program (" + std::string(ModelFormatName(format)) + ")", false, 0, ""};
  try {
    CapturedProgram program = ReadingErrorsAsInputErrors(path, [&] { return Pt2Capture(path, format, options).Run(); });
    attempt.succeeded = true;
    attempt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (attempts) attempts->push_back(attempt);
    return program;
  } catch (const std::exception& e) {
    attempt.error = e.what();
    attempt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (attempts) attempts->push_back(attempt);
    throw;
  }
}

std::vector<std::pair<std::string, TensorData>> LoadExportedProgramWeights(const std::string& path, ModelFormat format) {
  Pt2Contents contents = ReadingErrorsAsInputErrors(path, [&] { return ReadPt2(path, format); });
  std::vector<std::pair<std::string, TensorData>> weights(contents.weights.begin(), contents.weights.end());
  weights.insert(weights.end(), contents.constants.begin(), contents.constants.end());
  return weights;
}

}  // namespace t2o
