// TranslationContext: what a translator sees of the node it translates, and how it emits
// ONNX.
//
// Inputs are read positionally (capture fills every schema argument, defaults included).
// Tensor inputs come back as ONNX value names; constant arguments as C++ values (a
// translator that needs a constant and gets a run-time value throws UnsupportedError,
// naming the argument); int lists and scalars that may be dynamic can be requested as
// ONNX tensors. Every node emitted inherits the source metadata of the ATen node.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ir/ir.h"
#include "core/onnx/model.h"
#include "core/translate/registry.h"

namespace t2o {

// How an IR value is represented on the ONNX side: one ONNX value (tensors; dynamic
// scalars as 0-d tensors; dynamic int lists as 1-D int64 tensors) or a list of bindings
// (tensor lists, tuples, dicts, int lists with some dynamic elements).
struct Binding {
  std::string name;
  std::vector<Binding> elements;
  bool is_list = false;
};

class TranslationContext {
 public:
  TranslationContext(const Registry& registry, int opset, onnx::OnnxGraph& main_graph);

  // --- the node being translated -------------------------------------------------
  const ir::Node& node() const { return *node_; }
  int opset() const { return opset_; }
  size_t NumInputs() const { return node_->inputs.size(); }
  const ir::Value& InputValue(size_t i) const;
  const ir::TensorMeta& Meta(size_t i) const { return InputValue(i).meta; }
  // dtype of input i on the ONNX side (non-tensors: see ScalarDType).
  DType InDType(size_t i) const;
  int64_t Rank(size_t i) const;
  const ir::TensorMeta& OutMeta(size_t j) const;
  DType OutDType(size_t j = 0) const;

  // --- reading arguments ------------------------------------------------------------
  std::string Input(size_t i);                        // tensor (constants materialized)
  std::optional<std::string> OptionalInput(size_t i);  // nullopt for None
  bool IsNone(size_t i) const;
  bool IsConstant(size_t i) const;
  int64_t ConstInt(size_t i, const char* arg) const;
  double ConstDouble(size_t i, const char* arg) const;
  bool ConstBool(size_t i, const char* arg) const;
  std::string ConstString(size_t i, const char* arg) const;
  std::vector<int64_t> ConstInts(size_t i, const char* arg) const;  // int or int[]
  std::vector<double> ConstDoubles(size_t i, const char* arg) const;
  std::optional<int64_t> OptionalConstInt(size_t i, const char* arg) const;
  std::optional<double> OptionalConstDouble(size_t i, const char* arg) const;
  std::optional<std::vector<int64_t>> OptionalConstInts(size_t i, const char* arg) const;
  // A dtype argument (`ScalarType? dtype`); nullopt for None.
  std::optional<DType> OptionalDType(size_t i, const char* arg) const;

  std::string IntListInput(size_t i);               // 1-D int64 tensor, dynamic or not
  std::string ScalarInput(size_t i, DType dtype);   // 0-d tensor of `dtype`
  std::vector<std::string> TensorListInput(size_t i);
  // A Tensor-or-Scalar operand cast to `dtype` (tensors are cast only if needed).
  std::string OperandAs(size_t i, DType dtype);

  // --- emitting ONNX ------------------------------------------------------------------
  std::string Op(const std::string& op_type, const std::vector<std::string>& inputs,
                 std::vector<onnx::Attr> attrs = {});
  std::vector<std::string> OpMulti(const std::string& op_type, const std::vector<std::string>& inputs,
                                   size_t num_outputs, std::vector<onnx::Attr> attrs = {},
                                   const std::string& domain = "");
  std::string Constant(const TensorData& data);
  std::string ConstInt64s(const std::vector<int64_t>& values);  // 1-D
  std::string ConstInt64(int64_t value);                        // 0-d
  std::string ConstScalar(double value, DType dtype);           // 0-d
  std::string Cast(const std::string& value, DType from, DType to);
  std::string FreshName(const std::string& hint);

  // --- results ----------------------------------------------------------------------
  void SetOutput(size_t j, const std::string& onnx_name);
  void SetOutputBinding(size_t j, Binding binding);

  // --- control flow -------------------------------------------------------------------
  // Translates `block` into a new ONNX subgraph. `inputs` become the subgraph's inputs
  // (fresh names derived from the given ones), each bound to the IR value beside it
  // (nullptr: an ONNX-only input such as Loop's condition); block.outputs become its
  // outputs.
  struct SubgraphInput {
    const ir::Value* value;
    onnx::ValueInfo info;
  };
  std::shared_ptr<onnx::OnnxGraph> TranslateSubgraph(const ir::Block& block,
                                                     std::vector<SubgraphInput> inputs,
                                                     const std::string& name);
  // A subgraph no IR block describes (the body of a Loop a translator writes itself):
  // `body` gets the fresh names of `inputs`, emits nodes with Op() and returns the outputs.
  using SubgraphBody = std::function<std::vector<onnx::ValueInfo>(const std::vector<std::string>& inputs)>;
  std::shared_ptr<onnx::OnnxGraph> BuildSubgraph(const std::string& name, std::vector<onnx::ValueInfo> inputs,
                                                 const SubgraphBody& body);
  // ONNX dtype used for a non-tensor IR value (int -> int64 0-d tensor, ...).
  static DType ScalarDType(ir::ValueKind kind);
  // The binding of any IR value (nullptr when it was not translated).
  const Binding* Find(const ir::Value* value) const;

  // --- used by the driver -------------------------------------------------------------
  void Bind(const ir::Value* value, Binding binding) { bindings_[value] = std::move(binding); }
  void TranslateBlockNodes(const ir::Block& block);
  struct NodeFailure {
    const ir::Node* node;
    std::string message;
  };
  const std::vector<NodeFailure>& failures() const { return failures_; }
  onnx::OnnxGraph& current_graph() { return *graph_stack_.back(); }
  std::string Materialize(const ir::Value& value);  // any value as one ONNX value

 private:
  void TranslateNode(const ir::Node& node);
  onnx::Metadata NodeMetadata(const ir::Node& node) const;
  [[noreturn]] void ArgError(size_t i, const char* arg, const std::string& want) const;
  const ir::Constant* ConstantOf(size_t i) const;

  const Registry& registry_;
  int opset_;
  std::vector<onnx::OnnxGraph*> graph_stack_;
  std::vector<std::shared_ptr<onnx::OnnxGraph>> owned_subgraphs_;
  const ir::Node* node_ = nullptr;
  onnx::Metadata node_metadata_;
  size_t first_emitted_ = 0;  // index in current_graph().nodes of this node's first ONNX node
  std::map<std::string, std::string> renamed_;  // ONNX names SetOutput changed in this node
  std::map<const ir::Value*, Binding> bindings_;
  std::map<std::string, int> name_counts_;  // next suffix to try per base name
  std::set<std::string> used_names_;
  std::map<std::string, std::string> constant_cache_;  // dedups small constants per graph
  std::vector<NodeFailure> failures_;
};

}  // namespace t2o
