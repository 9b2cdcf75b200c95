// Reads the two container layouts of torch.export.save (see docs and
// ../shared/reference/pt2-format.md): the program JSON, the weights and constants by
// name, and the example inputs. No libtorch.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/capture/capture.h"
#include "core/capture/exported_program/torch_pickle.h"

namespace t2o {

struct Pt2Contents {
  ModelFormat layout = ModelFormat::kExportedProgramFlat;
  std::string program_record;  // the JSON record's name, for messages
  nlohmann::json program;      // schema.ExportedProgram
  int schema_major = 0, schema_minor = 0;
  std::map<std::string, TensorData> weights;    // state dict: parameters and persistent buffers
  std::map<std::string, TensorData> constants;  // lifted constants, non-persistent buffers
  PyRef example_inputs;                         // (args, kwargs), or null when absent
};

// Schema majors this reader understands (fields are read by presence, not by number).
constexpr int kMinSchemaMajor = 5;
constexpr int kMaxSchemaMajor = 8;

Pt2Contents ReadPt2(const std::string& path, ModelFormat layout);

// schema.ScalarType number -> DType; throws naming `where` for unsupported ones.
DType DTypeFromSchema(int scalar_type, const std::string& where);

// The single member of a schema union object ({"as_tensor": {...}}), skipping null members
// (schema 1 wrote every member).
std::pair<std::string, const nlohmann::json*> UnionMember(const nlohmann::json& u, const std::string& where);

// Parses a JSON record, naming the file and record on error.
nlohmann::json ParseJsonRecord(const std::string& path, const std::string& record, const ByteRange& bytes);

}  // namespace t2o
