#include "core/capture/exported_program/reference.h"

#include <torch/csrc/jit/runtime/operator.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include <unordered_map>

#include "core/capture/torch_interop.h"
#include "core/util/errors.h"

namespace t2o {
namespace {

c10::IValue ConstantToIValue(const ir::Value& v) {
  const ir::Constant& c = *v.constant;
  if (std::holds_alternative<ir::NoneValue>(c)) return c10::IValue();
  if (auto b = std::get_if<bool>(&c)) return *b;
  if (auto i = std::get_if<int64_t>(&c)) return *i;
  if (auto d = std::get_if<double>(&c)) return *d;
  if (auto s = std::get_if<std::string>(&c)) {
    if (v.kind == ir::ValueKind::kDevice) return c10::Device(*s);
    return *s;
  }
  if (auto l = std::get_if<std::vector<int64_t>>(&c)) return *l;
  if (auto l = std::get_if<std::vector<double>>(&c)) return *l;
  if (auto l = std::get_if<std::vector<bool>>(&c)) {
    c10::List<bool> list;
    for (bool b : *l) list.push_back(b);
    return list;
  }
  return DataToTensor(std::get<TensorData>(c));
}

class IrReference : public ReferenceModel {
 public:
  explicit IrReference(const ir::Graph& graph) : graph_(graph) {}

  std::vector<TensorData> Run(const std::vector<TensorData>& flat_inputs) override {
    Env env = Bind(flat_inputs);
    RunBlock(graph_.top, env, nullptr);
    std::vector<TensorData> out;
    // Every output, as the ONNX graph has them: mutated buffers and inputs too (the
    // program's BUFFER_MUTATION / USER_INPUT_MUTATION outputs, in its order).
    for (const auto& o : graph_.outputs) {
      const c10::IValue& v = Get(env, o.value);
      if (!v.isTensor()) throw ExportError("reference run: output '" + o.name + "' is not a tensor");
      out.push_back(TensorToData(v.toTensor()));
    }
    return out;
  }

  std::vector<std::pair<std::string, TensorData>> RunIntermediates(const std::vector<TensorData>& flat_inputs) override {
    Env env = Bind(flat_inputs);
    std::vector<std::pair<std::string, TensorData>> values;
    RunBlock(graph_.top, env, &values);
    return values;
  }

 private:
  using Env = std::unordered_map<const ir::Value*, c10::IValue>;

  Env Bind(const std::vector<TensorData>& flat_inputs) {
    Env env;
    size_t next = 0;
    for (const auto& in : graph_.inputs) {
      if (in.kind == ir::InputKind::kUserInput) {
        if (next >= flat_inputs.size()) throw ExportError("reference run: too few inputs");
        env[in.value] = DataToTensor(flat_inputs[next++]);
      } else {
        env[in.value] = DataToTensor(*in.data);
      }
    }
    return env;
  }

  const c10::IValue& Get(Env& env, const ir::Value* v) {
    auto it = env.find(v);
    if (it != env.end()) return it->second;
    if (!v->constant) throw ExportError("reference run: value '" + v->name + "' has no value");
    return env[v] = ConstantToIValue(*v);
  }

  void RunBlock(const ir::Block& block, Env& env, std::vector<std::pair<std::string, TensorData>>* record) {
    for (const auto& node : block.nodes) {
      RunNode(*node, env);
      if (!record) continue;
      for (const ir::Value* out : node->outputs)
        if (out->IsTensor() && env.count(out) && env[out].isTensor()) record->emplace_back(out->name, TensorToData(env[out].toTensor()));
    }
  }

  void RunNode(const ir::Node& node, Env& env) {
    const std::string& op = node.op;
    if (op == "prim::ListConstruct") {
      bool tensors = node.outputs[0]->kind == ir::ValueKind::kTensorList;
      bool optional = false;
      for (const ir::Value* in : node.inputs) optional = optional || in->IsNone();
      if (tensors && optional) {
        c10::List<c10::optional<at::Tensor>> list;
        for (const ir::Value* in : node.inputs) {
          const c10::IValue& v = Get(env, in);
          list.push_back(v.isNone() ? c10::optional<at::Tensor>() : v.toTensor());
        }
        env[node.outputs[0]] = list;
      } else if (tensors) {
        c10::List<at::Tensor> list;
        for (const ir::Value* in : node.inputs) list.push_back(Get(env, in).toTensor());
        env[node.outputs[0]] = list;
      } else {
        c10::List<int64_t> list;
        for (const ir::Value* in : node.inputs) list.push_back(Get(env, in).toInt());
        env[node.outputs[0]] = list;
      }
      return;
    }
    if (op == "prim::ListUnpack") {
      auto list = Get(env, node.inputs[0]).toListRef();
      for (size_t k = 0; k < node.outputs.size(); ++k) env[node.outputs[k]] = list.at(k);
      return;
    }
    if (op == "prim::If") {
      const c10::IValue& cond = Get(env, node.inputs[0]);
      bool taken = cond.isTensor() ? cond.toTensor().item<bool>() : cond.toBool();
      const ir::Block& branch = *node.blocks[taken ? 0 : 1];
      RunBlock(branch, env, nullptr);
      for (size_t k = 0; k < node.outputs.size(); ++k) env[node.outputs[k]] = Get(env, branch.outputs[k]);
      return;
    }
    if (op == "aten::_assert_async" || op == "aten::_assert_scalar" || op == "aten::_assert_tensor_metadata" ||
        op == "aten::sym_constrain_range" || op == "aten::sym_constrain_range_for_size")
      return;  // run-time checks the ONNX model leaves out too
    Kernel& kernel = Lookup(node.op, node.overload, node);
    torch::jit::Stack stack;
    for (const ir::Value* in : node.inputs) stack.push_back(Get(env, in));
    for (size_t k = 0; k < stack.size() && k < kernel.tensor_args.size(); ++k)
      if (kernel.tensor_args[k] && stack[k].isScalar()) {
        // A Python number where the schema takes a Tensor (x + 1.0 as add.Tensor): a
        // wrapped-number tensor, which type promotion treats like a scalar.
        at::Tensor t = c10::scalar_to_tensor(stack[k].toScalar());
        t.unsafeGetTensorImpl()->set_wrapped_number(true);
        stack[k] = t;
      }
    for (size_t k = 0; k < stack.size() && k < kernel.optional_tensor_lists.size(); ++k)
      if (kernel.optional_tensor_lists[k] && stack[k].isTensorList()) {
        c10::List<c10::optional<at::Tensor>> list;
        for (const at::Tensor& t : stack[k].toTensorList()) list.push_back(t);
        stack[k] = list;
      }
    try {
      kernel.operation(stack);
    } catch (const c10::Error& e) {
      throw ExportError("reference run: " + node.Key() + " at " + node.location.Short() + " failed: " +
                        e.what_without_backtrace());
    }
    if (stack.size() < node.outputs.size())
      throw ExportError("reference run: " + node.Key() + " returned " + std::to_string(stack.size()) + " values for " +
                        std::to_string(node.outputs.size()) + " outputs");
    size_t first = stack.size() - node.outputs.size();
    for (size_t k = 0; k < node.outputs.size(); ++k) env[node.outputs[k]] = std::move(stack[first + k]);
  }

  struct Kernel {
    torch::jit::Operation operation;
    std::vector<bool> tensor_args;            // schema argument k is a Tensor
    std::vector<bool> optional_tensor_lists;  // ... a Tensor?[]
  };

  Kernel& Lookup(const std::string& op, const std::string& overload, const ir::Node& node) {
    std::string key = op + "." + overload;
    auto it = kernels_.find(key);
    if (it != kernels_.end()) return it->second;
    for (const auto& candidate : torch::jit::getAllOperatorsFor(c10::Symbol::fromQualString(op))) {
      if (candidate->schema().overload_name() != overload) continue;
      Kernel kernel{candidate->getOperation(), {}, {}};
      for (const auto& a : candidate->schema().arguments()) {
        kernel.tensor_args.push_back(a.type()->kind() == c10::TypeKind::TensorType);
        auto list = a.type()->cast<c10::ListType>();
        kernel.optional_tensor_lists.push_back(list && list->getElementType()->cast<c10::OptionalType>());
      }
      return kernels_.emplace(key, std::move(kernel)).first->second;
    }
    throw ExportError("reference run: libtorch has no operator " + node.Key() +
                      " to compute PyTorch's outputs (at " + node.location.Short() + ")");
  }

  const ir::Graph& graph_;
  std::unordered_map<std::string, Kernel> kernels_;
};

}  // namespace

std::unique_ptr<ReferenceModel> MakeLibtorchIrReference(const ir::Graph& graph) {
  return std::make_unique<IrReference>(graph);
}

}  // namespace t2o
