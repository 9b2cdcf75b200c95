// Declarative op mappings (--op-map FILE): an op that is one ONNX (or ONNX Runtime contrib)
// node needs a JSON entry, not a compiled translator.
//
//   {"version": 1,
//    "ops": {
//      "mylib::quick_gelu": {"domain": "com.microsoft", "op_type": "QuickGelu",
//                            "inputs": [0], "attributes": {"alpha": {"argument": 1}}},
//      "mylib::bias_gelu":  {"domain": "com.microsoft", "op_type": "BiasGelu", "inputs": [1, 0]},
//      "aten::gelu":        {"op_type": "Gelu", "since_opset": 20, "attributes": {"approximate": {"argument": 1}}}}}
//
// `inputs` lists the op's argument positions feeding the node's inputs in order (null: an
// omitted optional input; default: every tensor argument in order). An attribute takes an
// argument's export-time constant ({"argument": i}) or a literal ({"value": v}), with an
// optional "type" (int, float, string, ints, floats) where the inferred one is not wanted.
// The node has one output per output of the op. `since_opset`/`until_opset` bound the
// default-domain opsets the entry applies at; an entry replaces a built-in translation of
// the same key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/onnx/model.h"
#include "core/translate/registry.h"

namespace t2o {

struct OpMapAttribute {
  std::string name;
  std::optional<size_t> argument;          // from this argument's constant ...
  std::optional<onnx::AttrValue> literal;  // ... or this value
  std::string type;                        // for `argument`: "" = inferred
};

struct OpMapping {
  std::string key;  // ns::name[.overload]
  std::string domain;  // "" = ai.onnx
  int64_t domain_version = 1;
  std::string op_type;
  std::optional<std::vector<std::optional<size_t>>> inputs;  // nullopt: the tensor arguments
  std::vector<OpMapAttribute> attributes;
  OpsetRange opsets;
};

// Reads and checks an --op-map file; throws UsageError naming the file, the entry and the
// field that is wrong.
std::vector<OpMapping> ReadOpMap(const std::string& path);

// `base` with a translator per mapping (family "op-map").
Registry RegistryWithOpMap(const Registry& base, const std::vector<OpMapping>& mappings);

}  // namespace t2o
