#include "core/capture/exported_program/pt2_reader.h"

#include "core/util/errors.h"
#include "core/util/json_numbers.h"
#include "core/util/log.h"

namespace t2o {

using json = nlohmann::json;

DType DTypeFromSchema(int scalar_type, const std::string& where) {
  switch (scalar_type) {
    case 1: return DType::kUInt8;
    case 2: return DType::kInt8;
    case 3: return DType::kInt16;
    case 4: return DType::kInt32;
    case 5: return DType::kInt64;
    case 6: return DType::kFloat16;
    case 7: return DType::kFloat32;
    case 8: return DType::kFloat64;
    case 10: return DType::kComplex64;
    case 12: return DType::kBool;
    case 13: return DType::kBFloat16;
    default: break;
  }
  static const std::map<int, std::string> kNames = {{0, "UNKNOWN"},        {9, "complex32"},       {11, "complex128"},
                                                    {28, "uint16"},        {29, "float8_e4m3fn"},  {30, "float8_e5m2"},
                                                    {31, "float8_e4m3fnuz"}, {32, "float8_e5m2fnuz"}, {33, "float8_e8m0fnu"},
                                                    {34, "uint32"},        {35, "uint64"}};
  auto it = kNames.find(scalar_type);
  throw InputError(where + ": unsupported dtype " + (it != kNames.end() ? it->second : "#" + std::to_string(scalar_type)));
}

std::pair<std::string, const json*> UnionMember(const json& u, const std::string& where) {
  if (!u.is_object()) throw InputError(where + ": expected a schema union object, got " + std::string(u.type_name()));
  for (auto it = u.begin(); it != u.end(); ++it)
    if (!it.value().is_null()) return {it.key(), &it.value()};
  if (u.size() == 1) return {u.begin().key(), &u.begin().value()};
  throw InputError(where + ": empty schema union");
}

json ParseJsonRecord(const std::string& path, const std::string& record, const ByteRange& bytes) {
  try {
    return json::parse(bytes.data, bytes.data + bytes.size);
  } catch (const json::exception& e) {
    std::string why = e.what();
    if (auto at = why.find("] "); at != std::string::npos) why = why.substr(at + 2);
    throw InputError("'" + path + "': " + record + " is not valid JSON (" + why + ")");
  }
}

namespace {

int64_t StaticInt(const json& sym, const std::string& where) {
  auto [kind, v] = UnionMember(sym, where);
  if (kind != "as_int") throw InputError(where + ": expected a static size, got " + kind);
  return ExactInt64(*v);
}

// A raw weight payload (PT2 archive, use_pickle = false): the bytes of the whole storage,
// viewed with the tensor meta's sizes, strides and offset.
TensorData RawWeight(const Bytes& bytes, const json& meta, const std::string& where) {
  DType dt = DTypeFromSchema(ExactInt(meta.at("dtype")), where);
  std::vector<int64_t> shape, strides;
  for (const auto& s : meta.at("sizes")) shape.push_back(StaticInt(s, where));
  for (const auto& s : meta.at("strides")) strides.push_back(StaticInt(s, where));
  int64_t offset = meta.contains("storage_offset") ? StaticInt(meta["storage_offset"], where) : 0;
  size_t element = DTypeSize(dt);
  std::optional<uint64_t> checked = CheckedStorageBytes(shape, strides, offset, element);
  if (!checked)
    throw InputError(where + ": impossible tensor metadata (negative, overflowing or mismatched sizes, strides or offset)");
  size_t needed = *checked;
  if (bytes.empty() && needed) {
    Log().warn("{}: the weight file is empty (a fake weight); using zeros", where);
    if (needed > kMaxUncheckedAllocationBytes)
      throw InputError(where + ": an empty (fake) weight of " + std::to_string(needed) + " bytes, over the " +
                       std::to_string(kMaxUncheckedAllocationBytes >> 30) + " GiB limit for data a file does not hold");
    int64_t numel = 1;
    for (int64_t d : shape) numel *= d;
    return TensorData::FromVector(dt, shape, std::vector<uint8_t>(numel * element, 0));
  }
  if (bytes.size < needed)
    throw InputError(where + ": the weight file holds " + std::to_string(bytes.size) + " bytes but its config needs " +
                     std::to_string(needed) + " (" + std::string(DTypeName(dt)) + " sizes and strides as configured)");
  if (!IsRowMajor(shape, strides)) throw InputError(where + ": non-contiguous raw weights are not supported");
  TensorData storage;
  storage.dtype = dt;
  storage.bytes = bytes.data;
  storage.nbytes = bytes.size;
  storage.owner = bytes.owner;
  storage.source = bytes.span;
  return StridedView(storage, shape, strides, offset);
}

// A torch.save'd dict {name: tensor} (flat layout state dict / constants).
void ReadTensorDict(const ZipArchive& zip, const std::string& record, std::map<std::string, TensorData>& out) {
  Bytes bytes = zip.Read(record);
  if (bytes.empty()) return;  // an empty blob means "nothing"
  PyRef dict = LoadTorchSave(bytes, zip.label() + " " + record);
  if (dict->kind != PyObject::Kind::kDict)
    throw InputError(zip.label() + ": " + record + " holds a " + dict->Describe() + ", expected a dict of tensors");
  for (const auto& [key, value] : dict->entries) {
    if (value->kind != PyObject::Kind::kTensor) {
      Log().warn("{}: {} entry '{}' is a {}, not a tensor; ignored", zip.label(), record, key->text, value->Describe());
      continue;
    }
    out[key->text] = value->tensor;
  }
}

// A PT2 archive PayloadConfig ({"config": {fqn: {path_name, is_param, use_pickle, tensor_meta}}}).
void ReadPayloads(const std::string& path, const ZipArchive& zip, const std::string& folder, const std::string& config_record,
                  std::map<std::string, TensorData>& out) {
  json config = ParseJsonRecord(path, config_record, zip.Read(config_record));
  std::map<std::string, Bytes> files;
  for (const auto& [fqn, entry] : config.at("config").items()) {
    std::string file = folder + entry.at("path_name").get<std::string>();
    std::string where = "'" + path + "': weight '" + fqn + "' (" + file.substr(file.find('/') + 1) + ")";
    if (!zip.Has(file)) throw InputError(where + ": the record is missing");
    if (!files.count(file)) files[file] = zip.Read(file);
    if (entry.value("use_pickle", false)) {
      PyRef obj = LoadTorchSave(files[file], where);
      if (obj->kind != PyObject::Kind::kTensor) throw InputError(where + ": holds a " + obj->Describe() + ", not a tensor");
      out[fqn] = obj->tensor;
      continue;
    }
    if (entry.at("tensor_meta").is_null()) {
      Log().warn("{}: a custom object, ignored", where);
      continue;
    }
    out[fqn] = RawWeight(files[file], entry.at("tensor_meta"), where);
  }
}

PyRef ReadExampleInputs(const ZipArchive& zip, const std::string& record) {
  if (!zip.Has(record)) return nullptr;
  Bytes bytes = zip.Read(record);
  if (bytes.empty()) return nullptr;
  return LoadTorchSave(bytes, zip.label() + " " + record);
}

void CheckSchemaVersion(const std::string& path, Pt2Contents& c) {
  const json& v = c.program.contains("schema_version") ? c.program["schema_version"] : json();
  if (v.is_object()) {
    c.schema_major = v.value("major", 0);
    c.schema_minor = v.value("minor", 0);
  } else if (v.is_number_integer()) {
    c.schema_major = ExactInt(v);
  }
  if (c.schema_major < kMinSchemaMajor || c.schema_major > kMaxSchemaMajor)
    throw InputError("'" + path + "': ExportedProgram schema version " + std::to_string(c.schema_major) + "." +
                     std::to_string(c.schema_minor) + " is not supported (this build reads schema majors " +
                     std::to_string(kMinSchemaMajor) + " to " + std::to_string(kMaxSchemaMajor) +
                     ", written by torch 2.3 to 2.9)");
}

}  // namespace

Pt2Contents ReadPt2(const std::string& path, ModelFormat layout) {
  ZipArchive zip = ZipArchive::OpenFile(path);
  Pt2Contents c;
  c.layout = layout;
  if (layout == ModelFormat::kExportedProgramFlat) {
    c.program_record = "serialized_exported_program.json";
    c.program = ParseJsonRecord(path, c.program_record, zip.Read(c.program_record));
    CheckSchemaVersion(path, c);
    std::string state = zip.Has("serialized_state_dict.pt") ? "serialized_state_dict.pt" : "serialized_state_dict.json";
    if (!zip.Has(state))
      throw InputError("'" + path + "': the record 'serialized_state_dict.pt' (the weights) is missing");
    ReadTensorDict(zip, state, c.weights);
    if (zip.Has("serialized_constants.pt")) ReadTensorDict(zip, "serialized_constants.pt", c.constants);
    c.example_inputs = ReadExampleInputs(zip, "serialized_example_inputs.pt");
    return c;
  }
  // PT2 archive: every record under one folder; the model JSON under models/.
  std::string prefix;
  for (const auto& n : zip.names())
    if (n.size() >= 14 && n.compare(n.size() - 14, 14, "archive_format") == 0) prefix = n.substr(0, n.size() - 14);
  std::vector<std::string> models;
  for (const auto& n : zip.names())
    if (n.rfind(prefix + "models/", 0) == 0 && n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0)
      models.push_back(n.substr(prefix.size() + 7, n.size() - prefix.size() - 12));
  if (models.empty()) throw InputError("'" + path + "': the pt2 archive holds no models/<name>.json record");
  std::string model = models.front();
  for (const auto& m : models)
    if (m == "model") model = m;
  if (models.size() > 1) Log().warn("'{}' holds {} programs; converting '{}'", path, models.size(), model);
  c.program_record = "models/" + model + ".json";
  c.program = ParseJsonRecord(path, c.program_record, zip.Read(prefix + c.program_record));
  CheckSchemaVersion(path, c);
  std::string weights_config = prefix + "data/weights/" + model + "_weights_config.json";
  std::string weights_pickle = prefix + "data/weights/" + model + ".pt";
  if (zip.Has(weights_config))
    ReadPayloads(path, zip, prefix + "data/weights/", weights_config, c.weights);
  else if (zip.Has(weights_pickle))
    ReadTensorDict(zip, weights_pickle, c.weights);
  else
    throw InputError("'" + path + "': the record 'data/weights/" + model + "_weights_config.json' (the weights) is missing");
  std::string constants_config = prefix + "data/constants/" + model + "_constants_config.json";
  if (zip.Has(constants_config)) ReadPayloads(path, zip, prefix + "data/constants/", constants_config, c.constants);
  else if (zip.Has(prefix + "data/constants/" + model + ".pt"))
    ReadTensorDict(zip, prefix + "data/constants/" + model + ".pt", c.constants);
  c.example_inputs = ReadExampleInputs(zip, prefix + "data/sample_inputs/" + model + ".pt");
  return c;
}

}  // namespace t2o
