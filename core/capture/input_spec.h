// Example inputs as the user describes them: a tree mirroring forward()'s arguments
// (tensors, lists, tuples, dicts) whose leaves give a tensor's shape and dtype, or its
// data from a .npy file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ir/tensor_data.h"

namespace t2o {

struct TensorSpec {
  std::vector<int64_t> shape;
  DType dtype = DType::kFloat32;
  std::optional<TensorData> data;  // from a .npy file
  std::string source;              // the .npy path, for messages
};

struct InputTree {
  enum class Kind { kTensor, kList, kTuple, kDict, kNone };  // kNone: an Optional argument left out
  Kind kind = Kind::kTensor;
  TensorSpec tensor;
  std::vector<InputTree> children;
  std::vector<std::string> keys;  // dict keys, parallel to children

  size_t CountLeaves() const;
};

// Parses "1,3,224,224" (also "1x3x224x224"; "" or "scalar" = 0-d).
std::vector<int64_t> ParseShape(const std::string& text);

// Parses a JSON tree: leaves are {"shape": [..], "dtype": "float32"} or {"npy": "x.npy"} or
// a shape string "97,8"; lists/tuples are JSON arrays; dicts are JSON objects (a JSON object
// with a "shape" or "npy" key is a leaf); null is None (an Optional argument not given). Accepts "@file" for a file.
std::vector<InputTree> ParseInputSpecJson(const std::string& text_or_file);

// The tensor specs of the tree's leaves, in order.
void CollectLeafSpecs(const InputTree& tree, std::vector<const TensorSpec*>& out);

// The spec's data, or random values of its shape and dtype (normal floats, integers in
// [0, 10), bools), the same for the same seed.
class ExampleGenerator {
 public:
  explicit ExampleGenerator(uint64_t seed);
  TensorData Make(const TensorSpec& spec);

 private:
  uint64_t state_;
  double Uniform();  // in (0, 1)
};

// Reads a .npy file (little-endian, C order).
TensorData ReadNpy(const std::string& path);
void WriteNpy(const std::string& path, const TensorData& data);

// Reads a whole file or "@file" indirection; throws InputError naming the file.
std::string ReadTextArgument(const std::string& text_or_file);

}  // namespace t2o
