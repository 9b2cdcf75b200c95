// The ONNX-side graph that translators emit into and passes rewrite.
//
// Kept deliberately close to ONNX's protobuf shape (nodes refer to values by name), but
// with weights held as shared TensorData (no copy until the writer), subgraphs as
// shared_ptr<OnnxGraph>, and `metadata_props` on nodes/values/graphs, which the ONNX
// 1.12 protobuf classes do not have (the writer adds them as wire-compatible fields).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/ir/ir.h"

namespace t2o::onnx {

struct OnnxGraph;
using Metadata = std::vector<std::pair<std::string, std::string>>;

using AttrValue = std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>,
                               std::vector<std::string>, TensorData, std::shared_ptr<OnnxGraph>>;

struct Attr {
  std::string name;
  AttrValue value;
};

struct OnnxNode {
  std::string op_type;
  std::string domain;  // "" = ai.onnx
  std::string name;
  std::vector<std::string> inputs;  // "" = omitted optional input
  std::vector<std::string> outputs;
  std::vector<Attr> attrs;
  Metadata metadata;
  const ir::Node* origin = nullptr;  // the ATen node whose translator emitted it (not written)

  const Attr* FindAttr(const std::string& attr_name) const;
};

struct ValueInfo {
  std::string name;
  DType dtype = DType::kUndefined;
  std::optional<std::vector<ir::Dim>> shape;  // nullopt = unknown rank
  Metadata metadata;
};

struct Initializer {
  std::string name;
  TensorData data;
  Metadata metadata;
  bool is_weight = false;  // a parameter/buffer of the model, not a constant we made
};

struct OnnxGraph {
  std::string name = "main_graph";
  std::vector<OnnxNode> nodes;
  std::vector<ValueInfo> inputs;
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> value_info;
  std::vector<Initializer> initializers;
  Metadata metadata;
};

// The IR version a model of `opset` is written with: the one of the ONNX release that
// introduced the opset (onnx.helper.VERSION_TABLE), and at least 10, the IR version that
// added metadata_props to nodes, values and graphs (which every model carries).
inline int64_t IrVersionFor(int opset) {
  static const int64_t kFirstIr[] = {7, 7, 8, 8, 8, 8, 9, 9, 10, 10, 11, 12, 13, 13};  // opsets 13..26
  int64_t ir = opset < 13 ? 7 : opset > 26 ? 13 : kFirstIr[opset - 13];
  return ir < 10 ? 10 : ir;
}

// A model-local function (FunctionProto): --modules-as-functions makes one per distinct
// signature of a module class; call nodes use (domain, name) as their (domain, op_type).
struct OnnxFunction {
  std::string name;
  std::string domain;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<OnnxNode> nodes;
  std::string doc;
  Metadata metadata;
};

struct OnnxModel {
  OnnxGraph graph;
  std::vector<OnnxFunction> functions;  // called by graph nodes (and by each other)
  int opset = 17;
  // Versions of the other domains nodes use (e.g. com.microsoft from --op-map); a domain
  // not listed is written at version 1.
  std::map<std::string, int64_t> domain_opsets;
  int64_t ir_version = 10;
  std::string producer_name = "torch2onnx";
  std::string producer_version;
  Metadata metadata;  // model-level metadata_props

  size_t InitializerBytes() const;
};

size_t CountNodes(const OnnxGraph& graph);  // including nested subgraphs

}  // namespace t2o::onnx
