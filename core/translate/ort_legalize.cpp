#include "core/translate/ort_legalize.h"

#include <set>
#include <vector>

namespace t2o {
namespace {

enum TypedOutputs { kFirstOutput, kEveryOutput, kNoOutput };

struct KernelTypes {
  const char* op;
  std::set<DType> types;        // element types ONNX Runtime has a CPU kernel for
  std::vector<size_t> inputs;   // the inputs of that type
  TypedOutputs outputs;         // the outputs of that type
};

const std::vector<KernelTypes>& Table() {
  static const std::vector<KernelTypes> table{
#include "core/translate/ort_kernel_types.inc"
  };
  return table;
}

const KernelTypes* Find(const std::string& op) {
  for (const auto& k : Table())
    if (op == k.op) return &k;
  return nullptr;
}

// A scatter's reduction has kernels of its own: the table keys them "ScatterND@add".
const KernelTypes* FindFor(const onnx::OnnxNode& node) {
  if (!node.domain.empty() && node.domain != "ai.onnx") return nullptr;
  for (const auto& attr : node.attrs)
    if (const auto* reduction = std::get_if<std::string>(&attr.value); attr.name == "reduction" && reduction && *reduction != "none")
      if (const KernelTypes* k = Find(node.op_type + "@" + *reduction)) return k;
  return Find(node.op_type);
}

// The type to compute in instead of `dt`, or kUndefined when none is exact enough.
DType Substitute(DType dt, const std::set<DType>& have) {
  auto first = [&](std::initializer_list<DType> candidates) {
    for (DType c : candidates)
      if (have.count(c)) return c;
    return DType::kUndefined;
  };
  switch (dt) {
    case DType::kBool: return first({DType::kUInt8, DType::kInt32, DType::kInt64});
    case DType::kInt8: case DType::kInt16: case DType::kUInt8: return first({DType::kInt32, DType::kInt64});
    case DType::kInt32: return first({DType::kInt64});
    case DType::kFloat64: return first({DType::kFloat32});
    case DType::kFloat16: return first({DType::kFloat32});
    default: return DType::kUndefined;
  }
}

class Legalizer {
 public:
  Legalizer(std::map<std::string, optimize::ValueType>& types, LegalizeReport& report) : types_(types), report_(report) {}

  void Run(onnx::OnnxGraph& graph) {
    std::vector<onnx::OnnxNode> out;
    out.reserve(graph.nodes.size());
    for (auto& node : graph.nodes) {
      for (auto& attr : node.attrs)
        if (auto* sub = std::get_if<std::shared_ptr<onnx::OnnxGraph>>(&attr.value); sub && *sub) Run(**sub);
      Rewrite(node, out);
    }
    graph.nodes = std::move(out);
  }

 private:
  DType TypeOf(const std::string& name) const {
    auto it = types_.find(name);
    return it == types_.end() ? DType::kUndefined : it->second.dtype;
  }

  onnx::OnnxNode CastNode(const onnx::OnnxNode& like, const std::string& from, const std::string& to, DType dt) {
    onnx::OnnxNode cast;
    cast.op_type = "Cast";
    cast.name = to;
    cast.inputs = {from};
    cast.outputs = {to};
    cast.attrs = {{"to", static_cast<int64_t>(DTypeToOnnx(dt))}};
    cast.metadata = like.metadata;
    cast.origin = like.origin;
    return cast;
  }

  void Rewrite(onnx::OnnxNode& node, std::vector<onnx::OnnxNode>& out) {
    const KernelTypes* k = FindFor(node);
    DType dt = DType::kUndefined;
    if (k)
      for (size_t i : k->inputs)
        if (i < node.inputs.size() && !node.inputs[i].empty() && (dt = TypeOf(node.inputs[i])) != DType::kUndefined) break;
    DType wide = k && dt != DType::kUndefined && !k->types.count(dt) ? Substitute(dt, k->types) : DType::kUndefined;
    if (wide == DType::kUndefined) {
      out.push_back(std::move(node));
      return;
    }
    for (size_t i : k->inputs) {
      if (i >= node.inputs.size() || node.inputs[i].empty() || TypeOf(node.inputs[i]) != dt) continue;
      std::string widened = node.inputs[i] + "_as_" + std::string(DTypeName(wide)) + "_" + std::to_string(++counter_);
      out.push_back(CastNode(node, node.inputs[i], widened, wide));
      types_[widened] = {wide, types_[node.inputs[i]].shape};
      node.inputs[i] = widened;
    }
    std::vector<onnx::OnnxNode> casts_back;
    for (size_t j = 0; j < node.outputs.size(); ++j) {
      if (k->outputs == kNoOutput || (k->outputs == kFirstOutput && j > 0) || node.outputs[j].empty()) continue;
      std::string original = node.outputs[j];
      std::string computed = original + "_in_" + std::string(DTypeName(wide)) + "_" + std::to_string(++counter_);
      node.outputs[j] = computed;
      types_[computed] = {wide, types_[original].shape};
      casts_back.push_back(CastNode(node, computed, original, dt));
    }
    ++report_.widened_nodes;
    if (dt == DType::kFloat64) ++report_.float64_as_float32;
    out.push_back(std::move(node));
    for (auto& c : casts_back) out.push_back(std::move(c));
  }

  std::map<std::string, optimize::ValueType>& types_;
  LegalizeReport& report_;
  int counter_ = 0;
};

}  // namespace

LegalizeReport LegalizeForOnnxRuntime(onnx::OnnxModel& model, std::map<std::string, optimize::ValueType>& types) {
  LegalizeReport report;
  Legalizer(types, report).Run(model.graph);
  return report;
}

}  // namespace t2o
