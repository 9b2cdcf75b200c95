#include "core/onnx/module_functions.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/util/errors.h"

namespace t2o::onnx {
namespace {

// Small constants a function reads are written into its body (Constant nodes), so that
// the body is self-contained and two calls share a function only when their constants
// agree. Weights and large tensors are passed in as inputs: no copy of a weight ever.
constexpr size_t kEmbeddedConstantBytes = 1024;

// One module call enclosing a node.
struct Frame {
  std::string scope;  // "layer1.0"
  std::string module_class;
  std::string call;  // tells two calls of the same module apart
  bool SameCall(const Frame& o) const { return scope == o.scope && call == o.call; }
};

std::string ShortClassName(const std::string& qualified) {
  size_t dot = qualified.rfind('.');
  return dot == std::string::npos ? qualified : qualified.substr(dot + 1);
}

std::string ClassDomain(const std::string& qualified) {
  size_t dot = qualified.rfind('.');
  return dot == std::string::npos ? "pkg.torch2onnx.modules" : qualified.substr(0, dot);
}

std::vector<Frame> ModuleFrames(const OnnxNode& node) {
  std::vector<Frame> frames;
  if (!node.origin) return frames;
  const ir::SourceLocation& loc = node.origin->location;
  for (size_t k = 0; k < loc.module_scopes.size() && k < loc.module_classes.size(); ++k) {
    if (loc.module_scopes[k].empty()) continue;  // the root module: the graph itself
    frames.push_back({loc.module_scopes[k], loc.module_classes[k],
                      k < loc.module_calls.size() ? loc.module_calls[k] : std::string()});
  }
  return frames;
}

void AddFreeNames(const OnnxGraph& graph, std::vector<std::string>& names);

// The values a node reads: its inputs and what its subgraphs read from enclosing scopes.
std::vector<std::string> ReadNames(const OnnxNode& node) {
  std::vector<std::string> names;
  for (const auto& in : node.inputs)
    if (!in.empty()) names.push_back(in);
  for (const auto& attr : node.attrs)
    if (auto* sub = std::get_if<std::shared_ptr<OnnxGraph>>(&attr.value)) AddFreeNames(**sub, names);
  return names;
}

void AddFreeNames(const OnnxGraph& graph, std::vector<std::string>& names) {
  std::unordered_set<std::string> defined;
  for (const auto& in : graph.inputs) defined.insert(in.name);
  for (const auto& init : graph.initializers) defined.insert(init.name);
  for (const auto& node : graph.nodes) {
    for (const auto& name : ReadNames(node))
      if (!defined.count(name)) names.push_back(name);
    for (const auto& out : node.outputs) defined.insert(out);
  }
  for (const auto& out : graph.outputs)
    if (!defined.count(out.name)) names.push_back(out.name);
}

// A canonical text of a function body in which value names are replaced by their role
// (input k, constant k, the k-th value defined), so equal bodies give equal keys.
class BodyKey {
 public:
  void Input(const std::string& name) { Name(name, "i"); }
  void Constant(const std::string& name, const TensorData& data) {
    Name(name, "c");
    Tensor(data);
  }
  void Node(const OnnxNode& node) {
    key_ += "\n" + node.domain + "::" + node.op_type + "(";
    for (const auto& in : node.inputs) key_ += Token(in) + ",";
    key_ += ")";
    for (const auto& attr : node.attrs) Attribute(attr);
    for (const auto& out : node.outputs) Name(out, "v");
  }
  void Outputs(const std::vector<std::string>& outputs) {
    key_ += "\nreturn";
    for (const auto& out : outputs) key_ += " " + Token(out);
  }
  const std::string& str() const { return key_; }

 private:
  void Name(const std::string& name, const char* role) {
    if (name.empty()) return;
    std::string token = role + std::to_string(count_[role]++);
    tokens_[name] = token;
    key_ += " =" + token;
  }
  std::string Token(const std::string& name) const {
    if (name.empty()) return "_";
    auto it = tokens_.find(name);
    return it == tokens_.end() ? "?" + name : it->second;
  }
  void Tensor(const TensorData& t) {
    key_ += "[" + std::to_string(static_cast<int>(t.dtype)) + ":";
    for (int64_t d : t.shape) key_ += std::to_string(d) + ",";
    key_ += ":" + std::string(reinterpret_cast<const char*>(t.bytes), t.nbytes) + "]";
  }
  void ValueType(const ValueInfo& info) {
    key_ += "<" + std::to_string(static_cast<int>(info.dtype));
    if (info.shape)
      for (const auto& d : *info.shape)
        key_ += "," + (std::holds_alternative<int64_t>(d) ? std::to_string(std::get<int64_t>(d)) : std::get<std::string>(d));
    key_ += ">";
  }
  void Attribute(const Attr& attr) {
    key_ += " " + attr.name + "=";
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, int64_t>) key_ += std::to_string(v);
          else if constexpr (std::is_same_v<T, float>) key_ += std::string(reinterpret_cast<const char*>(&v), sizeof v);
          else if constexpr (std::is_same_v<T, std::string>) key_ += std::to_string(v.size()) + ":" + v;
          else if constexpr (std::is_same_v<T, std::vector<int64_t>>)
            for (int64_t x : v) key_ += std::to_string(x) + ",";
          else if constexpr (std::is_same_v<T, std::vector<float>>)
            key_ += std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
          else if constexpr (std::is_same_v<T, std::vector<std::string>>)
            for (const auto& x : v) key_ += std::to_string(x.size()) + ":" + x;
          else if constexpr (std::is_same_v<T, TensorData>) Tensor(v);
          else Graph(*v);
        },
        attr.value);
  }
  void Graph(const OnnxGraph& g) {
    key_ += "{";
    for (const auto& in : g.inputs) Name(in.name, "v"), ValueType(in);
    for (const auto& init : g.initializers) Constant(init.name, init.data);
    for (const auto& node : g.nodes) Node(node);
    key_ += "\nyield";
    for (const auto& out : g.outputs) key_ += " " + Token(out.name), ValueType(out);
    key_ += "}";
  }

  std::string key_;
  std::unordered_map<std::string, std::string> tokens_;
  std::map<std::string, int> count_;
};

class ModuleExtractor {
 public:
  ModuleExtractor(const OnnxModel& model, const ModuleSelection& selection) : model_(model) {
    const auto& nodes = model.graph.nodes;
    for (const auto& in : model.graph.inputs) graph_inputs_.insert(in.name);
    for (const auto& init : model.graph.initializers) initializers_.insert(init.name);
    std::vector<std::vector<Frame>> all_frames;
    all_frames.reserve(nodes.size());
    for (const auto& node : nodes) all_frames.push_back(ModuleFrames(node));
    std::set<std::string> classes, with_submodules;
    for (const auto& frames : all_frames)
      for (size_t k = 0; k < frames.size(); ++k) {
        classes.insert(frames[k].module_class);
        if (k + 1 < frames.size()) with_submodules.insert(frames[k].module_class);
      }
    std::set<std::string> chosen;
    for (const auto& c : classes) {
      bool take = selection.kind == ModuleSelection::Kind::kAll ||
                  (selection.kind == ModuleSelection::Kind::kLeaves && !with_submodules.count(c));
      for (const auto& wanted : selection.classes) take = take || wanted == c || wanted == ShortClassName(c);
      if (take) chosen.insert(c);
    }
    for (const auto& wanted : selection.classes) {
      bool found = std::any_of(classes.begin(), classes.end(),
                               [&](const std::string& c) { return wanted == c || wanted == ShortClassName(c); });
      if (!found) {
        std::string known;
        for (const auto& c : classes) known += (known.empty() ? "" : ", ") + c;
        throw UsageError("--modules-as-functions: the model has no call of a module of class '" + wanted + "'" +
                         (known.empty() ? " (its nodes carry no module metadata)" : " (its classes: " + known + ")"));
      }
    }
    std::vector<std::vector<Frame>> frames;
    frames.reserve(nodes.size());
    for (auto& node_frames : all_frames) {
      std::vector<Frame> kept;
      for (auto& f : node_frames)
        if (chosen.count(f.module_class)) kept.push_back(std::move(f));
      frames.push_back(std::move(kept));
    }
    OrderNodes(std::move(frames));
    for (size_t i = 0; i < nodes_.size(); ++i)
      for (const auto& name : ReadNames(*nodes_[i])) readers_[name].push_back(i);
    for (const auto& out : model.graph.outputs) graph_outputs_.insert(out.name);
    for (const auto& init : model.graph.initializers)
      if (!init.is_weight && init.data.nbytes <= kEmbeddedConstantBytes) small_constants_[init.name] = &init;
  }

  ModuleFunctionsResult Run() {
    ModuleFunctionsResult result;
    result.model.opset = model_.opset;
    result.model.domain_opsets = model_.domain_opsets;
    result.model.ir_version = model_.ir_version;
    result.model.producer_name = model_.producer_name;
    result.model.producer_version = model_.producer_version;
    result.model.metadata = model_.metadata;
    OnnxGraph& graph = result.model.graph;
    graph.name = model_.graph.name;
    graph.inputs = model_.graph.inputs;
    graph.outputs = model_.graph.outputs;
    graph.metadata = model_.graph.metadata;
    graph.nodes = Build(0, nodes_.size(), 0);

    std::unordered_set<std::string> defined, read;
    for (const auto& in : graph.inputs) defined.insert(in.name);
    for (const auto& node : graph.nodes) {
      for (const auto& out : node.outputs) defined.insert(out);
      for (const auto& name : ReadNames(node)) read.insert(name);
    }
    for (const auto& out : graph.outputs) read.insert(out.name);
    for (const auto& vi : model_.graph.value_info)
      if (defined.count(vi.name)) graph.value_info.push_back(vi);
    for (const auto& init : model_.graph.initializers)
      if (read.count(init.name) || !small_constants_.count(init.name)) graph.initializers.push_back(init);
    result.model.functions = std::move(functions_);
    result.functions = std::move(infos_);
    return result;
  }

 private:
  // A computation on input shapes alone (the sym_size of an input and the shape arithmetic
  // built on it) that the optimizer's CSE shares between calls would make the first call's
  // body differ from the others'. Such nodes move to the front of the graph, outside every
  // call, and the calls read their results as inputs. Their inputs are graph inputs,
  // initializers and each other, so the order stays topological.
  void OrderNodes(std::vector<std::vector<Frame>> frames) {
    const auto& nodes = model_.graph.nodes;
    std::unordered_map<std::string, size_t> producer;
    for (size_t i = 0; i < nodes.size(); ++i)
      for (const auto& out : nodes[i].outputs) producer[out] = i;
    std::vector<bool> from_shapes(nodes.size(), false);
    for (size_t i = 0; i < nodes.size(); ++i) {
      const OnnxNode& node = nodes[i];
      bool has_subgraph = std::any_of(node.attrs.begin(), node.attrs.end(), [](const Attr& a) {
        return std::holds_alternative<std::shared_ptr<OnnxGraph>>(a.value);
      });
      if (has_subgraph || (node.inputs.empty() && node.op_type != "Constant")) continue;
      bool shape_of_input = node.domain.empty() && (node.op_type == "Shape" || node.op_type == "Size") &&
                            graph_inputs_.count(node.inputs[0]);
      from_shapes[i] = shape_of_input || std::all_of(node.inputs.begin(), node.inputs.end(), [&](const std::string& in) {
                         auto p = producer.find(in);
                         return in.empty() || initializers_.count(in) || (p != producer.end() && from_shapes[p->second]);
                       });
    }
    std::vector<std::vector<size_t>> readers(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i)
      for (const auto& name : ReadNames(nodes[i]))
        if (auto p = producer.find(name); p != producer.end()) readers[p->second].push_back(i);
    std::vector<bool> hoist(nodes.size(), false);
    for (size_t i = nodes.size(); i-- > 0;) {
      if (!from_shapes[i]) continue;
      for (size_t r : readers[i]) {
        size_t depth = frames[i].size() - 1;  // of the node's innermost call, if any
        hoist[i] = hoist[i] || hoist[r] ||
                   (!frames[i].empty() && (frames[r].size() <= depth || !frames[r][depth].SameCall(frames[i].back())));
      }
    }
    for (int pass = 0; pass < 2; ++pass)
      for (size_t i = 0; i < nodes.size(); ++i)
        if (hoist[i] == (pass == 0)) {
          nodes_.push_back(&nodes[i]);
          frames_.push_back(hoist[i] ? std::vector<Frame>() : std::move(frames[i]));
        }
  }

  // The nodes [begin, end) of nodes_ as the body of a module call at `depth` (0: the
  // graph), each enclosed call at depth+1 replaced by a call node.
  std::vector<OnnxNode> Build(size_t begin, size_t end, size_t depth) {
    std::vector<OnnxNode> body;
    for (size_t i = begin; i < end;) {
      if (frames_[i].size() <= depth) {
        body.push_back(*nodes_[i++]);
        continue;
      }
      size_t j = i + 1;
      while (j < end && frames_[j].size() > depth && frames_[j][depth].SameCall(frames_[i][depth])) ++j;
      body.push_back(Call(i, j, depth, Build(i, j, depth + 1)));
      i = j;
    }
    return body;
  }

  OnnxNode Call(size_t begin, size_t end, size_t depth, std::vector<OnnxNode> inner) {
    const Frame& frame = frames_[begin][depth];
    std::unordered_set<std::string> defined;
    for (const auto& node : inner)
      for (const auto& out : node.outputs) defined.insert(out);

    std::vector<std::string> inputs, constants, seen;
    std::unordered_set<std::string> listed;
    for (const auto& node : inner)
      for (const auto& name : ReadNames(node)) {
        if (defined.count(name) || !listed.insert(name).second) continue;
        (small_constants_.count(name) ? constants : inputs).push_back(name);
      }
    std::vector<std::string> outputs;
    for (size_t i = begin; i < end; ++i)
      for (const auto& out : nodes_[i]->outputs) {
        if (out.empty()) continue;
        bool read_outside = graph_outputs_.count(out) > 0;
        auto readers = readers_.find(out);
        if (readers != readers_.end())
          for (size_t r : readers->second) read_outside = read_outside || r < begin || r >= end;
        if (read_outside) outputs.push_back(out);
      }

    BodyKey key;
    for (const auto& name : inputs) key.Input(name);
    for (const auto& name : constants) key.Constant(name, small_constants_.at(name)->data);
    for (const auto& node : inner) key.Node(node);
    key.Outputs(outputs);

    auto [found, added] = signatures_.try_emplace(frame.module_class + "\n" + key.str(), functions_.size());
    if (added) {
      OnnxFunction function;
      function.domain = ClassDomain(frame.module_class);
      function.name = ShortClassName(frame.module_class);
      for (int n = 2; !function_names_.insert(function.domain + "\n" + function.name).second; ++n)
        function.name = ShortClassName(frame.module_class) + "_" + std::to_string(n);
      function.doc = frame.module_class + ", first called as '" + frame.scope + "'";
      function.inputs = inputs;
      function.outputs = outputs;
      for (const auto& name : constants) {
        OnnxNode constant;
        constant.op_type = "Constant";
        constant.name = name;
        constant.outputs = {name};
        constant.attrs.push_back({"value", small_constants_.at(name)->data});
        function.nodes.push_back(std::move(constant));
      }
      for (auto& node : inner) function.nodes.push_back(std::move(node));
      infos_.push_back({frame.module_class, function.domain, function.name, 0, function.nodes.size()});
      functions_.push_back(std::move(function));
    }
    const OnnxFunction& function = functions_[found->second];
    ++infos_[found->second].calls;

    OnnxNode call;
    call.op_type = function.name;
    call.domain = function.domain;
    size_t call_count = calls_of_scope_[frame.scope]++;
    call.name = frame.scope + (call_count ? "@" + std::to_string(call_count) : "");
    call.inputs = inputs;
    call.outputs = outputs;
    call.origin = nodes_[begin]->origin;
    call.metadata = {{"pkg.torch.onnx.module_path", frame.scope}, {"pkg.torch.onnx.module_class", frame.module_class}};
    return call;
  }

  const OnnxModel& model_;
  std::unordered_set<std::string> graph_inputs_, initializers_;
  std::vector<const OnnxNode*> nodes_;       // the graph's nodes, shared shape computations first
  std::vector<std::vector<Frame>> frames_;  // of each node, the selected module calls, outermost first
  std::unordered_map<std::string, std::vector<size_t>> readers_;  // value -> nodes reading it
  std::unordered_set<std::string> graph_outputs_;
  std::unordered_map<std::string, const Initializer*> small_constants_;
  std::unordered_map<std::string, size_t> signatures_;  // class + body key -> function
  std::unordered_set<std::string> function_names_;      // domain + name
  std::unordered_map<std::string, size_t> calls_of_scope_;
  std::vector<OnnxFunction> functions_;
  std::vector<ModuleFunctionInfo> infos_;
};

}  // namespace

ModuleSelection ModuleSelection::Parse(const std::string& value) {
  ModuleSelection selection;
  if (value.empty() || value == "all") return selection;
  if (value == "leaves") {
    selection.kind = Kind::kLeaves;
    return selection;
  }
  selection.kind = Kind::kClasses;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = std::min(value.find(',', start), value.size());
    std::string name = value.substr(start, comma - start);
    if (name.empty()) throw UsageError("--modules-as-functions: empty class name in '" + value + "'");
    selection.classes.push_back(name);
    start = comma + 1;
  }
  return selection;
}

ModuleFunctionsResult WithModulesAsFunctions(const OnnxModel& model, const ModuleSelection& selection) {
  return ModuleExtractor(model, selection).Run();
}

}  // namespace t2o::onnx
