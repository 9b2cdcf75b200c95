#include "core/ir/functionalize.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/util/errors.h"

namespace t2o::ir {
namespace {

// A value that aliases another: `node` made it from `parent` (its input 0) when the root
// had been written `version` times.
struct View {
  Value* parent = nullptr;
  const Node* node = nullptr;
  int version = 0;
  bool opaque = false;  // an element of split/unbind's list: no way back into the base
};

const std::set<std::string> kReshapes{
    "aten::view",    "aten::reshape",   "aten::_unsafe_view", "aten::view_as",   "aten::reshape_as",
    "aten::flatten", "aten::unflatten", "aten::squeeze",      "aten::unsqueeze", "aten::_reshape_alias"};
const std::set<std::string> kIdentities{"aten::alias", "aten::detach", "aten::lift_fresh", "aten::contiguous",
                                        "aten::to", "aten::type_as"};

// aten::add_ -> aten::add, aten::__iand__ -> aten::__and__.
std::string FunctionalName(const std::string& op) {
  const std::string dunder = "aten::__i";
  if (op.rfind(dunder, 0) == 0 && op.size() > dunder.size() + 2 && op.compare(op.size() - 2, 2, "__") == 0)
    return "aten::__" + op.substr(dunder.size());
  return op.back() == '_' ? op.substr(0, op.size() - 1) : op;
}

bool IsTensorValue(const Value* v) { return v && v->kind == ValueKind::kTensor; }

// aten::to / contiguous / type_as return their input itself when nothing changes, else a
// copy (not a view).
bool IsRealView(const Node& n) {
  if (n.inputs.empty() || n.outputs.empty() || !IsTensorValue(n.inputs[0]) || !IsTensorValue(n.outputs[0])) return false;
  if (!kIdentities.count(n.op)) return true;
  const TensorMeta& in = n.inputs[0]->meta;
  const TensorMeta& out = n.outputs[0]->meta;
  return in.dtype == out.dtype && in.shape == out.shape;
}

class Functionalizer {
 public:
  explicit Functionalizer(Graph& graph) : graph_(graph) {}

  void Run() {
    for (const auto& in : graph_.inputs) defined_in_[in.value] = &graph_.top;
    RunBlock(graph_.top);
    for (auto& out : graph_.outputs) out.value = Read(out.value, graph_.top);
    // A weight written in place (copy_ into a streaming buffer) leaves the call with its new
    // content, as torch.export's BUFFER_MUTATION outputs do (see state.h).
    for (const auto& in : graph_.inputs) {
      auto latest = latest_.find(in.value);
      if (in.kind == InputKind::kUserInput || latest == latest_.end()) continue;
      bool listed = std::any_of(graph_.outputs.begin(), graph_.outputs.end(), [&](const GraphOutput& o) {
        return o.kind == OutputKind::kBufferMutation && o.name == in.target;
      });
      if (!listed) graph_.outputs.push_back({latest->second, OutputKind::kBufferMutation, in.target});
    }
  }

 private:
  void RunBlock(Block& block) {
    for (Value* in : block.inputs) defined_in_[in] = &block;
    std::vector<std::unique_ptr<Node>> old = std::move(block.nodes);
    block.nodes.clear();
    for (auto& owned : old) {
      Node* n = owned.get();
      for (Value*& in : n->inputs) in = Read(in, block);
      for (auto& inner : n->blocks) RunBlock(*inner);
      block.nodes.push_back(std::move(owned));
      for (Value* out : n->outputs) defined_in_[out] = &block;
      if (n->aliasing == Aliasing::kView && IsRealView(*n)) {
        views_[n->outputs[0]] = View{n->inputs[0], n, Version(Root(n->inputs[0]))};
      } else if (n->aliasing == Aliasing::kViewList && !n->outputs.empty() && IsTensorValue(n->inputs[0])) {
        view_lists_[n->outputs[0]] = n;
      } else if (n->op == "prim::ListUnpack" && !n->inputs.empty() && view_lists_.count(n->inputs[0])) {
        const Node* producer = view_lists_[n->inputs[0]];
        Value* base = producer->inputs[0];
        for (Value* out : n->outputs) views_[out] = View{base, producer, Version(Root(base)), true};
      } else if (n->aliasing == Aliasing::kInPlace && !n->inputs.empty() && IsTensorValue(n->inputs[0])) {
        Write(n, block);
      }
    }
    for (Value*& out : block.outputs) out = Read(out, block);
  }

  Value* Root(Value* v) const {
    for (;;) {
      if (auto view = views_.find(v); view != views_.end()) {
        v = view->second.parent;
        continue;
      }
      auto version = version_of_.find(v);
      return version == version_of_.end() ? v : version->second;
    }
  }
  int Version(Value* root) const {
    auto it = writes_.find(root);
    return it == writes_.end() ? 0 : it->second;
  }

  // The current content of `v`: the latest version of a root, or a view made anew from it
  // when the root was written since the view was made.
  Value* Read(Value* v, Block& block) {
    if (!IsTensorValue(v)) return v;
    auto view = views_.find(v);
    if (view == views_.end()) {
      auto latest = latest_.find(Root(v));
      return latest == latest_.end() ? v : latest->second;
    }
    Value* root = Root(v);
    if (view->second.version == Version(root)) return v;
    if (auto again = remade_.find(v); again != remade_.end() && views_.at(again->second).version == Version(root))
      return again->second;
    const View vw = view->second;
    if (vw.opaque)
      throw UnsupportedError(vw.node->op + " result read after its base tensor was written in place (at " +
                             vw.node->location.Short() + "): not supported");
    Value* parent = Read(vw.parent, block);
    Node* copy = Emit(block, vw.node->op, vw.node->overload, vw.node->location, parent, v);
    copy->inputs = vw.node->inputs;
    copy->inputs[0] = parent;
    views_[copy->outputs[0]] = View{parent, vw.node, Version(root)};
    remade_[v] = copy->outputs[0];
    return copy->outputs[0];
  }

  // An in-place node becomes its functional op; its result is the written value's new
  // content, scattered back through every view up to the root.
  void Write(Node* n, Block& block) {
    Value* target = n->inputs[0];
    Value* root = Root(target);
    auto defined = defined_in_.find(root);
    Block* root_block = defined == defined_in_.end() ? &graph_.top : defined->second;
    if (root_block != &block) {
      // A tensor of an enclosing block updated inside control flow: the translators carry a
      // plain in-place update of it; one through a view would need the view rebuilt there.
      if (views_.count(target))
        throw UnsupportedError(n->Key() + " writes through a view inside control flow into a tensor defined outside it (at " +
                               n->location.Short() + "): not supported");
      return;
    }
    if (n->outputs.empty()) {
      Value* out = graph_.NewValue(ValueKind::kTensor, target->name);
      out->meta = target->meta;
      out->producer = n;
      n->outputs.push_back(out);
      defined_in_[out] = &block;
    }
    n->op = FunctionalName(n->op);
    n->aliasing = Aliasing::kNone;
    Value* updated = n->outputs[0];
    Value* written = target;
    const Node* writer = n;
    while (views_.count(written)) {
      const View vw = views_.at(written);
      if (vw.opaque)
        throw UnsupportedError("an in-place write into an element of " + vw.node->op + "'s result (at " +
                               writer->location.Short() + ") is not supported");
      Value* base = Read(vw.parent, block);
      updated = ScatterBack(*vw.node, base, updated, n->location, block);
      written = vw.parent;
    }
    latest_[root] = updated;
    version_of_[updated] = root;
    ++writes_[root];
    // The in-place op's result aliases its target: it reads as the target does from now on.
    if (auto target_view = views_.find(target); target_view != views_.end() && n->outputs[0] != updated) {
      View alias = target_view->second;
      alias.version = Version(root);
      views_[n->outputs[0]] = alias;
      remade_.erase(n->outputs[0]);
    } else if (n->outputs[0] != updated) {
      version_of_[n->outputs[0]] = root;
    }
  }

  // `base` with the region `view` selected from it replaced by `src`.
  Value* ScatterBack(const Node& view, Value* base, Value* src, const SourceLocation& at, Block& block) {
    const std::string& op = view.op;
    auto emit = [&](const std::string& new_op, const std::string& overload, std::vector<Value*> inputs, const Value* like) {
      Node* n = Emit(block, new_op, overload, at, nullptr, like);
      n->inputs = std::move(inputs);
      return n->outputs[0];
    };
    std::vector<Value*> args(view.inputs.begin() + 1, view.inputs.end());
    if (op == "aten::slice") {
      std::vector<Value*> inputs{base, src};
      inputs.insert(inputs.end(), args.begin(), args.end());
      return emit("aten::slice_scatter", "", inputs, base);
    }
    if (op == "aten::select") return emit("aten::select_scatter", "", {base, src, args.at(0), args.at(1)}, base);
    if (kReshapes.count(op)) return emit("aten::reshape_as", "", {src, base}, base);
    if (kIdentities.count(op)) return src;
    if (op == "aten::transpose") return emit("aten::transpose", "int", {src, args.at(0), args.at(1)}, base);
    if (op == "aten::t") return emit("aten::t", "", {src}, base);
    if (op == "aten::permute" && args.at(0)->constant) {
      const auto* dims = std::get_if<std::vector<int64_t>>(&*args[0]->constant);
      if (dims) {
        int64_t rank = static_cast<int64_t>(dims->size());
        std::vector<int64_t> inverse(dims->size());
        for (int64_t k = 0; k < rank; ++k) inverse[((*dims)[k] % rank + rank) % rank] = k;
        Value* c = graph_.NewValue(ValueKind::kIntList, "inverse_perm");
        c->constant = Constant{inverse};
        return emit("aten::permute", "", {src, c}, base);
      }
    }
    throw UnsupportedError("an in-place write through a view made by " + view.Key() + " (at " + view.location.Short() +
                           ") is not supported");
  }

  // A new node in `block` with one tensor output shaped like `like`.
  Node* Emit(Block& block, const std::string& op, const std::string& overload, const SourceLocation& at,
             Value* first_input, const Value* like) {
    auto owned = std::make_unique<Node>();
    Node* n = owned.get();
    n->op = op;
    n->overload = overload;
    n->location = at;
    if (first_input) n->inputs.push_back(first_input);
    Value* out = graph_.NewValue(ValueKind::kTensor, like->name);
    out->meta = like->meta;
    out->producer = n;
    n->outputs.push_back(out);
    defined_in_[out] = &block;
    block.nodes.push_back(std::move(owned));
    return n;
  }

  Graph& graph_;
  std::unordered_map<const Value*, View> views_;
  std::unordered_map<const Value*, const Node*> view_lists_;  // split/unbind result -> that node
  std::unordered_map<const Value*, Value*> version_of_;  // a new version of a root -> the root
  std::unordered_map<const Value*, Value*> latest_;      // root -> its current content
  std::unordered_map<const Value*, int> writes_;         // root -> how often it was written
  std::unordered_map<const Value*, Value*> remade_;      // view -> the same view made from a newer root
  std::unordered_map<const Value*, Block*> defined_in_;
};

}  // namespace

void Functionalize(Graph& graph) {
  Functionalizer(graph).Run();
  graph.RebuildUses();
}

}  // namespace t2o::ir
