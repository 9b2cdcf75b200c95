// The ATen-level graph IR that every capture path produces and every translator reads.
//
// A Graph owns Values and Nodes. A Node calls one op (`aten::conv2d`, overload ""),
// takes positional inputs (all schema arguments, defaults filled in by capture) and may
// own Blocks (the branches of prim::If, the body of prim::Loop). A Value is either a
// tensor with TensorMeta or a non-tensor (int, float, list, ...); values whose content is
// known at export time carry it in `constant`. This header includes no libtorch header.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/ir/dtype.h"
#include "core/ir/tensor_data.h"

namespace t2o::ir {

// A dimension: a number, or a named symbol (`batch`, `s0`).
using Dim = std::variant<int64_t, std::string>;

struct TensorMeta {
  DType dtype = DType::kUndefined;
  std::vector<Dim> shape;
  bool shape_known = false;

  size_t rank() const { return shape.size(); }
  bool IsStatic() const;
  std::optional<int64_t> StaticDim(int64_t axis) const;  // negative axes allowed
  std::string ToString() const;                          // "float32[1, s0, 224]"
};

enum class ValueKind : uint8_t {
  kTensor,
  kInt,
  kFloat,
  kBool,
  kString,
  kNone,
  kDevice,
  kIntList,
  kFloatList,
  kBoolList,
  kTensorList,  // also Optional[Tensor][]
  kTuple,
  kDict,
  kOther,
};
std::string_view ValueKindName(ValueKind kind);

// A value known at export time.
struct NoneValue {
  bool operator==(const NoneValue&) const { return true; }
};
using Constant = std::variant<NoneValue, bool, int64_t, double, std::string, std::vector<int64_t>,
                              std::vector<double>, std::vector<bool>, TensorData>;
std::string ConstantToString(const Constant& c);

// Where a node came from in the user's Python code.
struct SourceLocation {
  std::string file;
  int line = 0;
  std::string module_path;                 // "layer1.0.conv1"
  std::vector<std::string> module_scopes;  // ["", "layer1", "layer1.0", "layer1.0.conv1"]
  std::vector<std::string> module_classes;  // ["torchvision.models.resnet.ResNet", ...]
  // One id per scope telling calls of the same module apart: "L__self___layer1_0@1" for
  // the second call (.pt2), the call site for TorchScript.
  std::vector<std::string> module_calls;
  std::string stack_trace;                  // Python-style trace, innermost last
  std::string Short() const;                // "model.py:42 (layer1.0.conv1)"
};

class Node;
class Block;
class Graph;

class Value {
 public:
  std::string name;  // unique within the graph
  ValueKind kind = ValueKind::kTensor;
  TensorMeta meta;                  // tensors only
  std::optional<Constant> constant;  // known at export time
  Node* producer = nullptr;         // null for graph/block inputs
  std::vector<Node*> uses;

  bool IsTensor() const { return kind == ValueKind::kTensor; }
  bool IsNone() const { return kind == ValueKind::kNone; }
};

// How a node's outputs relate to its first input, from the op's schema alias annotations:
// a view of it (`slice(Tensor(a) self) -> Tensor(a)`), a list of views of it (split,
// unbind), or the input itself, written in place (`add_(Tensor(a!) self)`); or another
// argument written (the out= variants: `atan2.out(Tensor self, Tensor other, *, Tensor(a!) out)`).
enum class Aliasing : uint8_t { kNone, kView, kViewList, kInPlace, kWritesArgument };

class Node {
 public:
  std::string op;        // qualified name: "aten::conv2d", "prim::If"
  std::string overload;  // "" is the default overload
  Aliasing aliasing = Aliasing::kNone;
  std::vector<Value*> inputs;
  std::vector<Value*> outputs;
  std::vector<std::unique_ptr<Block>> blocks;
  SourceLocation location;
  std::string debug_text;  // the node as the source IR printed it

  std::string Key() const { return overload.empty() ? op : op + "." + overload; }
};

class Block {
 public:
  std::vector<Value*> inputs;
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<Value*> outputs;
};

enum class InputKind : uint8_t { kUserInput, kParameter, kBuffer, kConstantTensor };
enum class OutputKind : uint8_t { kUserOutput, kBufferMutation, kUserInputMutation };
std::string_view InputKindName(InputKind kind);  // "USER_INPUT", as torch.export spells it
std::string_view OutputKindName(OutputKind kind);

struct GraphInput {
  Value* value = nullptr;
  InputKind kind = InputKind::kUserInput;
  std::string target;       // FQN for parameters/buffers ("fc1.weight"), user path otherwise
  bool persistent = true;   // buffers only
  std::optional<TensorData> data;  // weights
};

struct GraphOutput {
  Value* value = nullptr;
  OutputKind kind = OutputKind::kUserOutput;
  std::string name;  // e.g. dict key of a dict output, or the value's name
};

// A symbolic dimension's value range, as in torch.export's range_constraints.
struct SymbolRange {
  int64_t min = 0;
  std::optional<int64_t> max;  // none = unbounded
};

class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  Value* NewValue(ValueKind kind, const std::string& name_hint);
  Node* AppendNode(Block& block, std::string op, std::string overload,
                   const std::vector<Value*>& inputs, size_t num_outputs);
  void RebuildUses();
  size_t CountNodes() const;

  Block top;
  std::vector<GraphInput> inputs;  // user inputs first, then parameters/buffers/constants
  std::vector<GraphOutput> outputs;
  std::map<std::string, SymbolRange> symbols;
  std::string source_format;  // "torchscript", "exported_program"

 private:
  std::vector<std::unique_ptr<Value>> values_;
  std::map<std::string, int> name_counts_;
};

// Visits every node of a block and its nested blocks, outer nodes before inner ones.
template <typename Fn>
void ForEachNode(const Block& block, Fn&& fn) {
  for (const auto& node : block.nodes) {
    fn(*node);
    for (const auto& inner : node->blocks) ForEachNode(*inner, fn);
  }
}

std::string PrintGraph(const Graph& graph);

}  // namespace t2o::ir
