// Builds our ATen-level IR from the JSON graph of a serialized ExportedProgram: nodes get
// every schema argument in order (defaults from the ATen schema filled in, as the
// TorchScript path does), multi-output ops their getitem values, `cond` becomes prim::If
// with the branch graphs inlined as blocks, SymInt arithmetic becomes int ops.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/ir/ir.h"

namespace t2o {

class ProgramBuilder {
 public:
  ProgramBuilder(ir::Graph& graph, std::string path) : graph_(graph), path_(std::move(path)) {}

  // Defines a graph input (placeholder) named as in the program.
  ir::Value* DefineInput(const std::string& name, const nlohmann::json& graph_json);
  // An effect token (input kind "token"): ordering only, no value in the ONNX graph.
  ir::Value* DefineToken(const std::string& name);
  // A forward() argument torch.export specialized to a constant (input kind
  // "constant_input": None for an Optional argument left out, or a number).
  ir::Value* DefineConstantInput(const std::string& name, const nlohmann::json& value);
  // Converts every node of `graph_json` into `block`.
  void ConvertNodes(const nlohmann::json& graph_json, ir::Block& block);
  // The value an output Argument names (tensors, sym ints).
  ir::Value* Lookup(const nlohmann::json& argument, const std::string& where);
  ir::TensorMeta MetaOf(const std::string& name, const nlohmann::json& graph_json) const;

 private:
  void ConvertNode(const nlohmann::json& node, const nlohmann::json& graph_json, ir::Block& block);
  void ConvertCond(const nlohmann::json& node, const nlohmann::json& graph_json, ir::Block& block,
                   const std::string& where);
  void ConvertWithEffects(const nlohmann::json& node, const nlohmann::json& graph_json, ir::Block& block,
                          const std::string& where);
  ir::Value* ArgumentValue(const nlohmann::json& argument, ir::Block& block, const std::string& where,
                           ir::ValueKind hint);
  ir::Value* Const(ir::ValueKind kind, ir::Constant value);
  void DefineOutputs(ir::Node* node, const nlohmann::json& outputs, const nlohmann::json& graph_json,
                     ir::Block& block);
  ir::SourceLocation Location(const nlohmann::json& metadata) const;

  ir::Graph& graph_;
  std::string path_;
  std::map<std::string, ir::Value*> env_;  // program value name -> IR value
};

}  // namespace t2o
