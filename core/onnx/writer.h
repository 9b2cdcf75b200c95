// Turns an OnnxModel into an onnx::ModelProto, checks it and writes it to disk.
#pragma once

#include <string>

#include "core/onnx/model.h"

namespace onnx {
class ModelProto;
}

namespace t2o::onnx {

// Serialized models above this size cannot be written as one protobuf; switch to
// external data automatically.
constexpr size_t kProtobufLimitBytes = (size_t{1} << 31) - (size_t{64} << 20);

struct WriteOptions {
  bool external_data = false;          // weights in "<file>.data" next to the model
  size_t external_threshold_bytes = 1024;  // smaller tensors stay inline
  bool include_initializers = true;    // false: a model without weights
  bool keep_initializers_as_inputs = false;
  bool forbid_external_data = false;   // --no-external-data: fail rather than switch above 2 GB
  size_t protobuf_limit_bytes = kProtobufLimitBytes;  // where the automatic switch happens
};

struct WriteResult {
  std::string model_path;
  std::string data_path;  // empty unless external data was written
  size_t model_bytes = 0;
  size_t data_bytes = 0;
  bool external_data = false;
};


// Builds the protobuf. With external data, `data_location` entries point to `data_file`
// (relative name) at the offsets recorded in `offsets` (filled in, one per initializer
// that goes external, in order).
void BuildModelProto(const OnnxModel& model, const WriteOptions& options,
                     const std::string& data_file, ::onnx::ModelProto* proto);

// onnx::checker::check_model plus strict shape inference with type checks, like
// onnx.checker.check_model(model, full_check=True). Throws ExportError on failure.
void CheckModelProto(::onnx::ModelProto& proto);

// Writes the model (and its external data) atomically: temporary files then rename, so a
// failure never leaves a partial file at `path`. Runs CheckModelProto first.
WriteResult WriteModel(const OnnxModel& model, const std::string& path, const WriteOptions& options);

// Checks and writes an existing protobuf atomically, weights inline; returns the bytes
// written.
size_t WriteModelProto(::onnx::ModelProto& proto, const std::string& path);

}  // namespace t2o::onnx
