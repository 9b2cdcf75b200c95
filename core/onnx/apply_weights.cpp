#include "core/onnx/apply_weights.h"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <map>
#include <set>

#include "core/onnx/writer.h"
#include "core/util/errors.h"

namespace t2o::onnx {
namespace {

::onnx::ModelProto ReadModelProto(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open '" + path + "'");
  ::onnx::ModelProto proto;
  if (!proto.ParseFromIstream(&in)) throw InputError("'" + path + "' is not an ONNX model (protobuf parse failed)");
  return proto;
}

std::string DimsText(const std::vector<int64_t>& dims) {
  std::string out = "[";
  for (size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + "]";
}

}  // namespace

ApplyWeightsResult ApplyWeights(const std::string& onnx_path,
                                const std::vector<std::pair<std::string, TensorData>>& weights,
                                const std::string& output_path, bool keep_as_inputs) {
  ::onnx::ModelProto proto = ReadModelProto(onnx_path);
  std::map<std::string, const TensorData*> by_name;
  for (const auto& [name, data] : weights) by_name[name] = &data;

  ApplyWeightsResult result;
  std::set<std::string> used;
  auto* graph = proto.mutable_graph();
  std::set<std::string> has_initializer;
  for (const auto& init : graph->initializer()) has_initializer.insert(init.name());

  google::protobuf::RepeatedPtrField<::onnx::ValueInfoProto> kept_inputs;
  for (const auto& input : graph->input()) {
    auto found = by_name.find(input.name());
    if (found == by_name.end() || has_initializer.count(input.name())) {
      *kept_inputs.Add() = input;
      continue;
    }
    const TensorData& data = *found->second;
    const auto& type = input.type().tensor_type();
    std::vector<int64_t> dims;
    for (const auto& d : type.shape().dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    if (dims != data.shape)
      throw InputError("weight '" + input.name() + "' has shape " + DimsText(data.shape) + " but the ONNX input expects " +
                       DimsText(dims));
    if (type.elem_type() != DTypeToOnnx(data.dtype))
      throw InputError("weight '" + input.name() + "' is " + std::string(DTypeName(data.dtype)) +
                       " but the ONNX input expects " + std::string(DTypeName(DTypeFromOnnx(type.elem_type()))));
    auto* init = graph->add_initializer();
    init->set_name(input.name());
    init->set_data_type(DTypeToOnnx(data.dtype));
    for (int64_t d : data.shape) init->add_dims(d);
    init->set_raw_data(data.bytes, data.nbytes);
    used.insert(input.name());
    ++result.applied;
    if (keep_as_inputs) *kept_inputs.Add() = input;
  }
  graph->mutable_input()->Swap(&kept_inputs);
  for (const auto& [name, data] : weights)
    if (!used.count(name) && !has_initializer.count(name)) result.unused_weights.push_back(name);
  if (result.applied == 0)
    throw InputError("'" + onnx_path + "' has no input named like a weight of the model: nothing to apply");
  result.model_bytes = WriteModelProto(proto, output_path);
  return result;
}

}  // namespace t2o::onnx
