// TorchScript capture: torch.jit.save'd module -> ATen-level IR.
//
// 1. Load with libtorch, take forward's graph and inline every call.
// 2. Lift parameters/buffers (prim::GetAttr chains from `self`) to graph inputs named by
//    their fully qualified names; non-tensor attributes become constants.
// 3. Flatten nested user inputs (dict/list/tuple of tensors) into one input per tensor,
//    rebuilding the container inside the graph so libtorch's peepholes can fold the
//    accesses away.
// 4. Run the graph node by node on the example inputs to learn every value's dtype and
//    shape (and the value of every non-tensor that only depends on static shapes).
// 5. Convert to our IR with source locations from the inlined call stacks.
#include <regex>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/loop_unrolling.h>
#include <torch/csrc/jit/passes/lower_tuples.h>
#include <torch/csrc/jit/passes/peephole.h>
#include <torch/csrc/jit/passes/peephole_dict_idioms.h>
#include <torch/csrc/jit/passes/peephole_list_idioms.h>
#include <torch/csrc/jit/passes/remove_mutation.h>
#include <torch/csrc/jit/runtime/operator.h>
#include <torch/script.h>

#include <ATen/Parallel.h>

#include <chrono>
#include <thread>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/capture/torchscript/capture.h"
#include "core/capture/torch_interop.h"
#include "core/capture/torchscript/attributes.h"
#include "core/capture/torchscript/dynamic.h"
#include "core/capture/torchscript/eager_quantized.h"
#include "core/capture/torchscript/inputs.h"
#include "core/capture/torchscript/interpreter.h"
#include "core/capture/torchscript/ir_builder.h"
#include "core/ir/functionalize.h"
#include "core/ir/state.h"
#include "core/ir/scalar_dim_ops.h"
#include "core/util/errors.h"
#include "core/util/log.h"

namespace t2o {
namespace {

using namespace torchscript;  // NOLINT: this file is the TorchScript front end

// ------------------------------------------------------------------ libtorch passes

// libtorch's graph passes assert on graphs they were not written for (an INTERNAL ASSERT
// in the mutation removal of a scripted module that mutates a view). These ones the
// capture can do without: a failure is logged and the capture goes on, and whatever the
// pass would have removed is handled, or reported, by the later stages.
template <typename Pass>
void OptionalPass(const char* name, Pass&& pass) {
  try {
    pass();
  } catch (const c10::Error& e) {
    Log().info("libtorch's {} pass failed ({}); capturing without it", name, ErrorLine(e));
    Log().debug("{}", e.what());
  }
}

// ------------------------------------------------------------------ parameter lifting

struct LiftedWeight {
  std::string fqn;
  at::Tensor tensor;
  ir::InputKind kind;
  jit::Value* value;  // the new graph input
};

// Replaces prim::GetAttr chains rooted at `self` by graph inputs (tensors) or constants.
std::vector<LiftedWeight> LiftAttributes(jit::Graph& graph, const jit::Module& module) {
  std::map<const c10::TensorImpl*, std::string> params, buffers;
  for (const auto& p : module.named_parameters(/*recurse=*/true)) params[p.value.unsafeGetTensorImpl()] = p.name;
  for (const auto& b : module.named_buffers(/*recurse=*/true)) buffers[b.value.unsafeGetTensorImpl()] = b.name;

  AttributeResolver attributes(graph, module);
  jit::Value* self = graph.inputs().at(0);
  std::map<std::string, LiftedWeight> lifted;
  std::vector<std::string> order;

  std::function<void(jit::Block*)> visit = [&](jit::Block* block) {
    for (auto it = block->nodes().begin(); it != block->nodes().end();) {
      jit::Node* node = *it++;
      for (jit::Block* inner : node->blocks()) visit(inner);
      if (node->kind() != c10::prim::GetAttr) continue;
      auto slot = attributes.SlotOf(node);
      if (!slot) continue;
      c10::IValue value = slot->Value();
      std::string path = slot->path;
      jit::Value* out = node->output();
      if (value.isObject()) continue;  // submodule: resolved when its attributes are read
      if (value.isTensor()) {
        auto found = lifted.find(path);
        if (found == lifted.end()) {
          const at::Tensor& t = value.toTensor();
          ir::InputKind kind = ir::InputKind::kConstantTensor;
          auto p = params.find(t.unsafeGetTensorImpl());
          auto b = buffers.find(t.unsafeGetTensorImpl());
          if (p != params.end()) {
            kind = ir::InputKind::kParameter;
            path = p->second;  // a tied weight keeps its first registered name
          } else if (b != buffers.end()) {
            kind = ir::InputKind::kBuffer;
            path = b->second;
          }
          found = lifted.find(path);
          if (found == lifted.end()) {
            jit::Value* input = graph.addInput(path);
            input->setType(out->type());
            found = lifted.emplace(path, LiftedWeight{path, t, kind, input}).first;
            order.push_back(path);
          }
        }
        out->replaceAllUsesWith(found->second.value);
      } else {
        jit::WithInsertPoint guard(node);
        auto constant = graph.insertConstant(value);
        out->replaceAllUsesWith(constant);
      }
      node->destroy();
    }
  };
  visit(graph.block());
  // GetAttr nodes that read submodules are now unused.
  jit::EliminateDeadCode(graph.block());
  if (self->hasUses())
    throw ExportError(std::string("forward() uses `self` in a way that cannot be exported (") +
                      self->uses()[0].user->kind().toQualString() + ")");
  graph.eraseInput(0);

  std::vector<LiftedWeight> result;
  for (const auto& name : order) result.push_back(lifted.at(name));
  return result;
}

// Tensor attributes forward() assigns (`self.frames = buf`: prim::SetAttr) are state
// (core/ir/state.h): each becomes a graph input holding the value before the call, which
// every read before the first assignment gets, and a graph output (after the existing
// ones) holding the last value assigned. Runs on the graph with `self` still its input 0.
struct AssignedAttribute {
  std::string path;  // "frames", "encoder.cache"
  at::Tensor initial;
  jit::Value* input = nullptr;
};

std::vector<AssignedAttribute> LiftAssignedAttributes(const std::shared_ptr<jit::Graph>& graph_ptr,
                                                      const jit::Module& module) {
  jit::Graph& graph = *graph_ptr;
  using Slot = AttributeResolver::Slot;
  // Calls visit(node, slot, nested) for every GetAttr/SetAttr of a non-module attribute of
  // self or a submodule. A fresh resolver per walk: folding between walks destroys nodes.
  auto walk = [&](const std::function<void(jit::Node*, const Slot&, bool)>& visit) {
    AttributeResolver attributes(graph, module);
    std::function<void(jit::Block*, bool)> go = [&](jit::Block* block, bool nested) {
      for (auto it = block->nodes().begin(); it != block->nodes().end();) {
        jit::Node* node = *it++;
        for (jit::Block* inner : node->blocks()) go(inner, true);
        if (node->kind() != c10::prim::GetAttr && node->kind() != c10::prim::SetAttr) continue;
        auto slot = attributes.SlotOf(node);
        if (!slot || (node->kind() == c10::prim::GetAttr && slot->Value().isObject())) continue;
        visit(node, *slot, nested);
      }
    };
    go(graph.block(), false);
  };

  std::set<std::string> assigned;
  walk([&](jit::Node* node, const Slot& slot, bool) {
    if (node->kind() == c10::prim::SetAttr) assigned.insert(slot.path);
  });
  if (assigned.empty()) return {};
  // Flags and sizes the model never assigns are constants: folded first, an
  // `if self.streaming:` around the assignment goes away.
  FoldUnassignedScalarAttributes(graph_ptr, module);
  walk([&](jit::Node* node, const Slot& slot, bool nested) {
    if (node->kind() != c10::prim::SetAttr) return;
    c10::IValue value = slot.Value();
    if (!value.isTensor() || node->input(1)->type()->kind() != c10::TypeKind::TensorType)
      throw ExportError("forward() assigns self." + slot.path + " (" + value.tagKind() +
                        "): only tensor attributes can become state inputs and outputs");
    if (nested)
      throw ExportError("forward() assigns self." + slot.path +
                        " inside an if or a loop: state is only supported when assigned outside control flow");
  });

  std::vector<AssignedAttribute> state;
  std::map<std::string, jit::Value*> current;
  auto value_of = [&](const Slot& slot) {
    auto it = current.find(slot.path);
    if (it != current.end()) return it->second;
    jit::Value* input = graph.addInput();
    input->setType(c10::TensorType::get());
    state.push_back({slot.path, slot.Value().toTensor(), input});
    return current[slot.path] = input;
  };
  AttributeResolver attributes(graph, module);
  // Reads inside a node's blocks see the value current at that node.
  std::function<void(jit::Block*)> replace_reads = [&](jit::Block* block) {
    for (auto it = block->nodes().begin(); it != block->nodes().end();) {
      jit::Node* node = *it++;
      for (jit::Block* inner : node->blocks()) replace_reads(inner);
      if (node->kind() != c10::prim::GetAttr) continue;
      auto slot = attributes.SlotOf(node);
      if (!slot || !assigned.count(slot->path)) continue;
      node->output()->replaceAllUsesWith(value_of(*slot));
      node->destroy();
    }
  };
  for (auto it = graph.block()->nodes().begin(); it != graph.block()->nodes().end();) {
    jit::Node* node = *it++;
    for (jit::Block* inner : node->blocks()) replace_reads(inner);
    if (node->kind() != c10::prim::GetAttr && node->kind() != c10::prim::SetAttr) continue;
    auto slot = attributes.SlotOf(node);
    if (!slot || !assigned.count(slot->path)) continue;
    if (node->kind() == c10::prim::GetAttr) {
      node->output()->replaceAllUsesWith(value_of(*slot));
    } else {
      value_of(*slot);  // the input exists even when nothing reads the old value
      current[slot->path] = node->input(1);
    }
    node->destroy();
  }
  for (const auto& s : state) graph.registerOutput(current.at(s.path));
  return state;
}

// ------------------------------------------------------------------ reference model

// The prepared graph, kept to recompute intermediate values for divergence search.
struct PreparedGraph {
  std::shared_ptr<jit::Graph> graph;
  StaticValues statics;
  std::vector<jit::Value*> leaves;
  std::vector<std::pair<jit::Value*, at::Tensor>> weights;
  std::vector<std::pair<const jit::Value*, std::string>> tensors;  // top-level, in order, with IR names
};

// libtorch's graph executor rewrites add/sub/mul/div whose `other` is a 0-dim tensor
// constant (a traced Python scalar such as the 0.5 in `int_tensor * 0.5`) to take a number
// instead (CanonicalizeOps), so the JIT computes float32 where eager PyTorch, seeing a
// float64 0-dim tensor, would compute float64. The same rewrite here keeps us on the
// JIT's dtypes, which are what a user of the .pt file gets.
void ScalarizeZeroDimConstantOperands(jit::Block* block) {
  for (jit::Node* node : block->nodes()) {
    for (jit::Block* sub : node->blocks()) ScalarizeZeroDimConstantOperands(sub);
    if (!node->matches("aten::add(Tensor self, Tensor other, *, Scalar alpha) -> Tensor") &&
        !node->matches("aten::sub(Tensor self, Tensor other, *, Scalar alpha) -> Tensor") &&
        !node->matches("aten::mul(Tensor self, Tensor other) -> Tensor") &&
        !node->matches("aten::div(Tensor self, Tensor other) -> Tensor"))
      continue;
    c10::optional<at::Tensor> other = node->get<at::Tensor>(jit::attr::other);  // nullopt unless a constant
    if (!other || other->dim() != 0 || !other->device().is_cpu()) continue;
    jit::WithInsertPoint here(node);
    node->replaceInput(1, node->owningGraph()->insertConstant(other->item()));
  }
}

bool AppendsToList(jit::Block* block) {
  for (jit::Node* n : block->nodes()) {
    if (n->kind() == c10::aten::append) return true;
    for (jit::Block* b : n->blocks())
      if (AppendsToList(b)) return true;
  }
  return false;
}

bool LoopAppendsToList(jit::Block* block) {
  for (jit::Node* n : block->nodes()) {
    if (n->kind() == c10::prim::Loop && AppendsToList(n->blocks()[0])) return true;
    for (jit::Block* b : n->blocks())
      if (LoopAppendsToList(b)) return true;
  }
  return false;
}

class TorchScriptReference : public ReferenceModel {
 public:
  // `state`: the attributes (by path) that the trailing inputs set before the call and the
  // trailing outputs read after it (core/ir/state.h).
  TorchScriptReference(jit::Module module, std::vector<InputTree> trees, std::vector<c10::TypePtr> types,
                       std::unique_ptr<PreparedGraph> prepared, std::vector<std::string> state)
      : module_(std::move(module)), trees_(std::move(trees)), types_(std::move(types)), prepared_(std::move(prepared)),
        state_(std::move(state)) {}

  std::vector<std::pair<std::string, TensorData>> RunIntermediates(const std::vector<TensorData>& flat_inputs) override {
    c10::InferenceMode guard;
    at::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    Interpreter interp(prepared_->statics, /*shape_only=*/false);
    for (size_t i = 0; i < prepared_->leaves.size(); ++i) interp.values[prepared_->leaves[i]] = DataToTensor(flat_inputs[i]);
    for (const auto& [value, tensor] : prepared_->weights) interp.values[value] = tensor;
    interp.RunBlock(prepared_->graph->block());
    std::vector<std::pair<std::string, TensorData>> out;
    for (const auto& [value, name] : prepared_->tensors) {
      auto it = interp.values.find(value);
      if (it != interp.values.end() && it->second.isTensor())
        out.emplace_back(name, TensorToData(it->second.toTensor().contiguous()));
    }
    return out;
  }

  std::vector<TensorData> Run(const std::vector<TensorData>& flat_inputs) override {
    c10::InferenceMode guard;
    // Debian's libtorch starts with one intra-op thread.
    at::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    size_t next = 0;
    std::vector<c10::IValue> args;
    for (size_t i = 0; i < trees_.size(); ++i) args.push_back(BuildIValue(trees_[i], types_[i], flat_inputs, next));
    for (size_t k = 0; k < state_.size(); ++k) {
      auto [owner, field] = Owner(state_[k]);
      owner.setattr(field, DataToTensor(flat_inputs.at(flat_inputs.size() - state_.size() + k)).clone());
    }
    c10::IValue result;
    try {
      result = module_.forward(args);
    } catch (const c10::Error& e) {
      Log().debug("{}", e.what());
      throw ExportError("the TorchScript module does not run on the verification inputs: " + ErrorLine(e));
    }
    std::vector<TensorData> out;
    FlattenOutput(result, out);
    for (const auto& path : state_) {
      auto [owner, field] = Owner(path);
      out.push_back(TensorToData(owner.attr(field).toTensor().contiguous()));
    }
    return out;
  }

 private:
  // The submodule holding the attribute at `path` ("encoder.cache") and the field name.
  std::pair<jit::Module, std::string> Owner(const std::string& path) const {
    jit::Module owner = module_;
    size_t start = 0;
    for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1)
      owner = owner.attr(path.substr(start, dot - start)).toModule();
    return {owner, path.substr(start)};
  }

  jit::Module module_;
  std::vector<InputTree> trees_;
  std::vector<c10::TypePtr> types_;
  std::unique_ptr<PreparedGraph> prepared_;
  std::vector<std::string> state_;
};

// ------------------------------------------------------------------ learning runs

// Runs the prepared graph on example inputs to learn every value's metadata: first
// shape-only (meta tensors: no compute), then with real data if the model needs it
// (data-dependent control flow). Each attempt is recorded.
struct GraphRun {
  jit::Graph& graph;
  const std::vector<jit::Value*>& leaves;
  const std::vector<LiftedWeight>& weights;
  std::vector<CaptureAttempt>* attempts;

  std::unique_ptr<Interpreter> Learn(const StaticValues& statics, const std::vector<TensorData>& inputs,
                                     const std::string& label) {
    std::unique_ptr<Interpreter> interp;
    for (bool shape_only : {true, false}) {
      auto run_start = std::chrono::steady_clock::now();
      CaptureAttempt run;
      run.strategy = (shape_only ? "torchscript: inline, lift parameters, shape-only run (meta tensors)"
                                 : "torchscript: inline, lift parameters, run on example inputs") + label;
      interp = std::make_unique<Interpreter>(statics, shape_only);
      try {
        c10::InferenceMode guard;
        auto place = [&](const at::Tensor& t) {
          return shape_only ? at::empty_strided(t.sizes(), t.strides(), t.options().device(at::kMeta)) : t;
        };
        for (size_t i = 0; i < leaves.size(); ++i) interp->values[leaves[i]] = place(DataToTensor(inputs[i]));
        for (const auto& w : weights) interp->values[w.value] = place(w.tensor);
        interp->RunBlock(graph.block());
        run.succeeded = true;
      } catch (const std::exception& e) {
        run.error = e.what();
        if (!shape_only) {
          run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
          attempts->push_back(run);
          throw;
        }
        Log().debug("shape-only run stopped ({}); running on the example inputs", e.what());
      }
      run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
      attempts->push_back(run);
      if (run.succeeded) break;
    }
    return interp;
  }
};

// torch::jit::load's failure as one line; an op of an extension library that is not
// loaded gets the flag that loads it.
std::string LoadFailure(const std::string& path, const std::exception& e) {
  std::string message = "cannot load '" + path + "' as TorchScript: " + FirstLine(e.what());
  static const std::regex kUnknownOp(R"(Unknown builtin op: ([A-Za-z0-9_]+)::)");
  std::smatch match;
  if (std::regex_search(message, match, kUnknownOp) && match[1] != "aten" && match[1] != "prim")
    message += " (an operator of an extension library: pass the library that defines it with --load-library)";
  return message;
}

}  // namespace

namespace torchscript {

CapturedProgram CaptureModule(const std::string& path, const CaptureOptions& options,
                              std::vector<CaptureAttempt>* attempts) {
  CapturedProgram result;
  {
    jit::Module module;
    try {
      module = torch::jit::load(path);
    } catch (const std::exception& e) {
      throw InputError(LoadFailure(path, e));
    }
    module.eval();
    auto method = module.find_method("forward");
    if (!method) throw InputError("'" + path + "' has no forward() method");
    const auto& schema = method->function().getSchema();
    std::shared_ptr<jit::Graph> graph = method->graph()->copy();
    jit::Inline(*graph);
    ScalarizeZeroDimConstantOperands(graph->block());
    Log().debug("forward schema: {}", c10::toString(schema));

    // Argument types (schema args[0] is self).
    std::vector<c10::TypePtr> arg_types;
    std::vector<std::string> arg_names;
    for (size_t i = 1; i < schema.arguments().size(); ++i) {
      arg_types.push_back(schema.arguments()[i].type());
      arg_names.push_back(schema.arguments()[i].name());
    }

    // Trailing arguments with defaults (key_padding_mask=None, need_weights=True) that
    // the inputs given do not reach keep their defaults, as in a Python call.
    size_t supplied = options.input_trees.size();
    if (supplied == 0) {
      size_t leaves = 0;
      for (supplied = 0; supplied < arg_types.size() && leaves < options.flat_inputs.size(); ++supplied) {
        try {
          leaves += InferTree(arg_types[supplied], graph->inputs()[supplied + 1], arg_names[supplied]).CountLeaves();
        } catch (const InputError&) {
          break;  // reported below if this argument has no default
        }
      }
    }
    if (supplied < arg_types.size() && std::all_of(schema.arguments().begin() + 1 + supplied, schema.arguments().end(),
                                                   [](const c10::Argument& a) { return a.default_value().has_value(); })) {
      jit::WithInsertPoint at_start(graph->block()->nodes().front());
      for (size_t i = arg_types.size(); i-- > supplied;) {
        jit::Value* value = graph->insertConstant(*schema.arguments()[i + 1].default_value());
        graph->inputs()[i + 1]->replaceAllUsesWith(value);
        graph->eraseInput(i + 1);
        Log().debug("forward() argument '{}' keeps its default", arg_names[i]);
      }
      arg_types.resize(supplied);
      arg_names.resize(supplied);
    }

    // Input trees: given, or inferred from types + usage, then filled with flat specs.
    std::vector<InputTree> trees = options.input_trees;
    if (trees.empty()) {
      try {
        for (size_t i = 0; i < arg_types.size(); ++i)
          trees.push_back(InferTree(arg_types[i], graph->inputs()[i + 1], arg_names[i]));
      } catch (const InputError& e) {
        throw InputError("'" + path + "': forward() " + e.what());
      }
      size_t leaves = 0;
      for (const auto& t : trees) leaves += t.CountLeaves();
      if (options.flat_inputs.size() != leaves) {
        std::ostringstream os;
        os << "'" << path << "': forward(" ;
        for (size_t i = 0; i < arg_names.size(); ++i) os << (i ? ", " : "") << arg_names[i] << ": " << arg_types[i]->repr_str();
        os << ") takes " << leaves << " tensor input" << (leaves == 1 ? "" : "s") << " but "
           << options.flat_inputs.size() << " --input-shape/--input-data " << (options.flat_inputs.size() == 1 ? "was" : "were") << " given";
        throw UsageError(os.str());
      }
      size_t next = 0;
      for (auto& t : trees) AssignFlatSpecs(t, options.flat_inputs, next);
    } else {
      if (trees.size() != arg_types.size())
        throw UsageError("--input-spec has " + std::to_string(trees.size()) + " entries but forward() takes " +
                         std::to_string(arg_types.size()) + " arguments");
      for (size_t i = 0; i < trees.size(); ++i) CheckTree(trees[i], arg_types[i], "argument '" + arg_names[i] + "'");
    }

    // Flatten nested inputs into graph inputs.
    size_t num_args = arg_types.size();
    std::vector<std::string> leaf_paths;
    std::vector<jit::Value*> leaves;
    jit::WithInsertPoint at_start(graph->block()->nodes().front());
    for (size_t i = 0; i < num_args; ++i) {
      jit::Value* old_input = graph->inputs()[1 + i];
      jit::Value* rebuilt = BuildFlattened(*graph, trees[i], arg_types[i], arg_names[i], leaf_paths, leaves);
      old_input->replaceAllUsesWith(rebuilt);
    }
    for (size_t i = 0; i < num_args; ++i) graph->eraseInput(1);
    // Now inputs are: self, leaves...; assigned attributes become state inputs after the
    // leaves, then weights are lifted (erases self).
    EagerQuantization quantization = LowerEagerQuantized(graph, module);
    std::vector<AssignedAttribute> assigned = LiftAssignedAttributes(graph, module);
    for (const auto& a : assigned) {
      leaves.push_back(a.input);
      leaf_paths.push_back(ir::StateInputName(a.path));
    }
    std::vector<LiftedWeight> weights = LiftAttributes(*graph, module);
    for (const auto& w : quantization.weights) weights.push_back({w.fqn, w.tensor, w.kind, w.value});

    OptionalPass("LowerSimpleTuples", [&] { jit::LowerSimpleTuples(graph); });
    OptionalPass("PeepholeOptimizeDictIdioms", [&] { jit::PeepholeOptimizeDictIdioms(graph); });
    OptionalPass("PeepholeOptimizeListIdioms", [&] { jit::PeepholeOptimizeListIdioms(graph); });
    // A list grown inside a loop with a constant trip count (`outs.append(...)` in
    // `for i in range(3)`) has no ONNX counterpart short of sequences; unrolled, the
    // appends become one list that RemoveListMutation folds.
    if (LoopAppendsToList(graph->block())) OptionalPass("UnrollConstantLoops", [&] { jit::UnrollConstantLoops(graph); });
    OptionalPass("RemoveListMutation", [&] { jit::RemoveListMutation(graph); });
    // Our IR functionalizes tensor mutation itself (core/ir/functionalize.cpp).
    OptionalPass("RemoveTensorMutation", [&] { jit::RemoveTensorMutation(graph); });
    OptionalPass("EliminateDeadCode", [&] { jit::EliminateDeadCode(graph); });
    Log().debug("prepared TorchScript graph:\n{}", graph->toString());

    // Example inputs.
    ExampleGenerator examples(options.seed);
    std::vector<const TensorSpec*> specs;
    for (const auto& t : trees) CollectLeafSpecs(t, specs);
    for (size_t i = 0; i < specs.size(); ++i) {
      if (!specs[i]->data && specs[i]->shape.empty() && options.input_trees.empty() && options.flat_inputs.empty())
        throw UsageError("no example input shape for '" + leaf_paths[i] + "'");
      result.example_inputs.push_back(examples.Make(*specs[i]));
    }
    for (const auto& a : assigned) result.example_inputs.push_back(TensorToData(a.initial.contiguous()));
    result.input_paths = leaf_paths;

    // Dynamic dims: which input axes stay symbolic.
    std::vector<AxisSymbols> leaf_axes = DynamicLeafAxes(options, trees, arg_names, leaves, result.example_inputs);
    bool dynamic = std::any_of(leaf_axes.begin(), leaf_axes.end(), [](const AxisSymbols& a) { return !a.empty(); });

    // Run to learn every value's metadata: first shape-only (meta tensors: no compute),
    // and with real data when the model needs it (data-dependent control flow).
    GraphRun run{*graph, leaves, weights, attempts};
    StaticValues statics = FindStaticValues(graph->block());
    std::unique_ptr<Interpreter> interp = run.Learn(statics, result.example_inputs, "");
    SymbolicShapes symbolic;
    if (dynamic) {
      // A second run with every dynamic axis grown shows which dims follow the dynamic
      // inputs; shape queries over those dims then stay computed in the graph.
      std::vector<TensorData> grown = GrowDynamicAxes(result.example_inputs, leaf_axes);
      std::unique_ptr<Interpreter> second;
      try {
        second = run.Learn(statics, grown, " (dynamic axes grown)");
      } catch (const std::exception& e) {
        throw ExportError("'" + path + "' does not run with its dynamic axes changed (" + FirstLine(e.what()) +
                          "); the model may specialize on those sizes");
      }
      DynamicDims varying;
      symbolic = NameVaryingDims(*interp, *second, leaves, leaf_axes, &varying);
      statics = FindStaticValues(graph->block(), &varying);
      interp = run.Learn(statics, result.example_inputs, " (dynamic shapes)");
    }
    for (const auto& [op, count] : interp->materialized_ops)
      Log().debug("no meta kernel for {} ({} nodes): ran on zeros", op, count);

    // Build the IR.
    auto ir_graph = std::make_unique<ir::Graph>();
    ir_graph->source_format = "torchscript";
    IrBuilder builder(*ir_graph, *interp, ClassName(module.type()), dynamic ? &symbolic : nullptr);
    for (const auto& axes : leaf_axes)
      for (const auto& [axis, dim] : axes) ir_graph->symbols[dim.name] = dim.range;
    for (size_t i = 0; i < leaves.size(); ++i) {
      ir::Value* v = builder.Define(leaves[i], nullptr);
      if (i >= leaves.size() - assigned.size()) v->name = leaf_paths[i];
      ir_graph->inputs.push_back({v, ir::InputKind::kUserInput, leaf_paths[i], true, std::nullopt});
    }
    for (const auto& w : weights) {
      ir::Value* v = builder.Define(w.value, nullptr);
      ir_graph->inputs.push_back({v, w.kind, w.fqn, true, TensorToData(w.tensor.contiguous())});
    }
    builder.ConvertBlock(graph->block(), ir_graph->top);

    // Outputs: flatten tuples/lists/dicts built in the graph into their tensor leaves.
    std::function<void(const jit::Node*, size_t, jit::Value*, const std::string&)> add_output =
        [&](const jit::Node* consumer, size_t index, jit::Value* v, const std::string& name) {
          jit::Node* producer = v->node();
          auto kind = producer->kind();
          if (kind == c10::prim::TupleConstruct || kind == c10::prim::ListConstruct) {
            for (size_t i = 0; i < producer->inputs().size(); ++i)
              add_output(producer, i, producer->input(i), name.empty() ? "" : name + "_" + std::to_string(i));
            return;
          }
          if (kind == c10::prim::DictConstruct) {
            for (size_t i = 0; i + 1 < producer->inputs().size(); i += 2) {
              auto key = jit::toIValue(producer->input(i));
              add_output(producer, i + 1, producer->input(i + 1), key && key->isString() ? key->toStringRef() : "");
            }
            return;
          }
          ir::Value* iv = builder.Use(consumer, index, v);
          // A tuple built in the IR only (an `if` folded at capture returned it).
          std::function<void(ir::Value*, const std::string&)> add_tuple = [&](ir::Value* t, const std::string& n) {
            if (t->producer && t->producer->op == "prim::TupleConstruct") {
              for (size_t i = 0; i < t->producer->inputs.size(); ++i)
                add_tuple(t->producer->inputs[i], n.empty() ? "" : n + "_" + std::to_string(i));
              return;
            }
            ir_graph->outputs.push_back({t, ir::OutputKind::kUserOutput, n.empty() ? t->name : n});
          };
          if (iv->producer && iv->producer->op == "prim::TupleConstruct") return add_tuple(iv, name);
          if (iv->kind == ir::ValueKind::kTensorList && !iv->constant) {
            for (ir::Value* element : builder.UnpackTensorList(iv, v, ir_graph->top))
              ir_graph->outputs.push_back({element, ir::OutputKind::kUserOutput, element->name});
            return;
          }
          ir_graph->outputs.push_back({iv, ir::OutputKind::kUserOutput, name.empty() ? iv->name : name});
        };
    size_t forward_outputs = graph->outputs().size() - assigned.size();
    for (size_t i = 0; i < forward_outputs; ++i) add_output(graph->return_node(), i, graph->outputs()[i], "");
    std::vector<std::string> state_paths;
    for (size_t k = 0; k < assigned.size(); ++k) {
      ir::Value* v = builder.Use(graph->return_node(), forward_outputs + k, graph->outputs()[forward_outputs + k]);
      ir_graph->outputs.push_back({v, ir::OutputKind::kBufferMutation, assigned[k].path});
      state_paths.push_back(assigned[k].path);
    }
    if (quantization.lowered) {
      // Outputs that are dequantized results of lowered ops: verified within one step.
      std::unordered_set<const jit::Value*> live;
      for (jit::Node* node : graph->block()->nodes())
        for (jit::Value* o : node->outputs()) live.insert(o);
      std::unordered_map<const ir::Value*, double> steps;
      for (const auto& [value, step] : quantization.steps)
        if (live.count(value))
          if (const ir::Value* iv = builder.Defined(value)) steps[iv] = step;
      for (const auto& out : ir_graph->outputs) {
        auto it = steps.find(out.value);
        result.output_steps.push_back(it == steps.end() ? 0.0 : it->second);
      }
    }
    ir::Functionalize(*ir_graph);
    for (auto& state : ir::LiftStateBuffers(*ir_graph)) {
      if (std::find(state_paths.begin(), state_paths.end(), state.fqn) != state_paths.end()) continue;
      result.example_inputs.push_back(state.initial);
      result.input_paths.push_back(ir::StateInputName(state.fqn));
      state_paths.push_back(state.fqn);
    }
    ir::VectorizeScalarDimOps(*ir_graph);

    auto prepared = std::make_unique<PreparedGraph>();
    prepared->graph = graph;
    prepared->statics = std::move(statics);
    prepared->leaves = leaves;
    for (const auto& w : weights) prepared->weights.emplace_back(w.value, w.tensor);
    for (jit::Node* node : graph->block()->nodes())
      for (jit::Value* o : node->outputs())
        if (const ir::Value* iv = builder.Defined(o); iv && iv->IsTensor()) prepared->tensors.emplace_back(o, iv->name);

    result.graph = std::move(ir_graph);
    result.reference = std::make_unique<TorchScriptReference>(module, trees, arg_types, std::move(prepared), state_paths);
  }
  return result;
}

std::vector<std::pair<std::string, TensorData>> LoadModuleWeights(const std::string& path) {
  jit::Module module;
  try {
    module = torch::jit::load(path);
  } catch (const std::exception& e) {
    throw InputError(LoadFailure(path, e));
  }
  std::vector<std::pair<std::string, TensorData>> weights;
  std::set<const c10::TensorImpl*> seen;  // tied weights keep their first name, as in capture
  auto add = [&](const std::string& name, const at::Tensor& t) {
    if (seen.insert(t.unsafeGetTensorImpl()).second) weights.emplace_back(name, TensorToData(t.contiguous()));
  };
  for (const auto& p : module.named_parameters(/*recurse=*/true)) add(p.name, p.value);
  for (const auto& b : module.named_buffers(/*recurse=*/true)) add(b.name, b.value);
  return weights;
}

}  // namespace torchscript
}  // namespace t2o
