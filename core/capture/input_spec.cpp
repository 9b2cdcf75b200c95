#include "core/capture/input_spec.h"

#include <algorithm>
#include <cmath>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "core/util/errors.h"
#include "core/util/json_numbers.h"
#include "core/util/format.h"

namespace t2o {

size_t InputTree::CountLeaves() const {
  if (kind == Kind::kTensor) return 1;
  if (kind == Kind::kNone) return 0;
  size_t n = 0;
  for (const auto& c : children) n += c.CountLeaves();
  return n;
}

std::vector<int64_t> ParseShape(const std::string& text) {
  std::vector<int64_t> shape;
  if (text.empty() || text == "scalar" || text == "[]") return shape;
  std::string cleaned;
  for (char c : text)
    if (c != '[' && c != ']' && c != '(' && c != ')' && c != ' ') cleaned += (c == 'x' ? ',' : c);
  std::stringstream ss(cleaned);
  std::string item;
  if (!cleaned.empty() && cleaned.back() == ',')
    throw UsageError("malformed shape '" + text + "': expected non-negative integers like 1,3,224,224");
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(item, &used);
    } catch (...) {
      used = 0;
    }
    if (item.empty() || used != item.size() || v < 0)
      throw UsageError("malformed shape '" + text + "': expected non-negative integers like 1,3,224,224");
    shape.push_back(v);
  }
  int64_t elements = 1;
  for (int64_t d : shape)
    if (__builtin_mul_overflow(elements, d, &elements))
      throw UsageError("shape '" + text + "' has more elements than 64 bits can count");
  return shape;
}

std::string ReadTextArgument(const std::string& text_or_file) {
  if (text_or_file.empty() || text_or_file[0] != '@') return text_or_file;
  std::string path = text_or_file.substr(1);
  std::ifstream in(path);
  if (!in) throw InputError("cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

using Json = nlohmann::ordered_json;  // keeps dict keys in the user's order

// A shape as "1,3,224,224" or [1, 3, 224, 224], whose element count must fit in 64 bits.
std::vector<int64_t> ShapeFromJson(const Json& j, const std::string& where) {
  std::vector<int64_t> shape = j.is_string() ? ParseShape(j.get<std::string>()) : ExactInt64s(j);
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (d < 0) throw UsageError("--input-spec: " + where + ": negative size " + std::to_string(d) + " in its shape");
    if (__builtin_mul_overflow(elements, d, &elements))
      throw UsageError("--input-spec: " + where + ": its shape has more elements than 64 bits can count");
  }
  return shape;
}

InputTree ParseNode(const Json& j, const std::string& where) {
  InputTree node;
  if (j.is_null()) {
    node.kind = InputTree::Kind::kNone;
    return node;
  }
  if (j.is_string()) {
    node.tensor.shape = ShapeFromJson(j, where);
    return node;
  }
  if (j.is_array()) {
    node.kind = InputTree::Kind::kList;
    for (size_t i = 0; i < j.size(); ++i)
      node.children.push_back(ParseNode(j[i], where + "[" + std::to_string(i) + "]"));
    return node;
  }
  if (!j.is_object())
    throw UsageError("--input-spec: " + where + " must be an object, array or shape string");
  if (j.contains("shape") || j.contains("npy")) {
    if (j.contains("npy")) {
      node.tensor.source = j["npy"].get<std::string>();
      node.tensor.data = ReadNpy(node.tensor.source);
      node.tensor.shape = node.tensor.data->shape;
      node.tensor.dtype = node.tensor.data->dtype;
    }
    if (j.contains("shape")) {
      const auto& s = j["shape"];
      node.tensor.shape = ShapeFromJson(s, where);
    }
    if (j.contains("dtype")) {
      auto dtype = DTypeFromName(j["dtype"].get<std::string>());
      if (!dtype)
        throw UsageError("--input-spec: " + where + ": unknown dtype '" + j["dtype"].get<std::string>() + "'");
      node.tensor.dtype = *dtype;
    }
    return node;
  }
  node.kind = InputTree::Kind::kDict;
  for (auto it = j.begin(); it != j.end(); ++it) {
    node.keys.push_back(it.key());
    node.children.push_back(ParseNode(it.value(), where + "." + it.key()));
  }
  return node;
}

}  // namespace

std::vector<InputTree> ParseInputSpecJson(const std::string& text_or_file) {
  Json root;
  try {
    root = Json::parse(ReadTextArgument(text_or_file));
  } catch (const nlohmann::json::exception& e) {
    throw UsageError("--input-spec is not valid JSON: " + JsonErrorText(e));
  }
  if (!root.is_array())
    throw UsageError("--input-spec must be a JSON array with one entry per forward() argument");
  std::vector<InputTree> trees;
  try {
    for (size_t i = 0; i < root.size(); ++i)
      trees.push_back(ParseNode(root[i], "argument " + std::to_string(i)));
  } catch (const nlohmann::json::exception& e) {
    throw UsageError("--input-spec: " + JsonErrorText(e));
  }
  return trees;
}

// ------------------------------------------------------------------------------ npy

namespace {

struct NpyType {
  std::string_view descr;
  DType dtype;
};
constexpr NpyType kNpyTypes[] = {
    {"<f4", DType::kFloat32}, {"<f8", DType::kFloat64}, {"<f2", DType::kFloat16},
    {"|i1", DType::kInt8},    {"<i2", DType::kInt16},   {"<i4", DType::kInt32},
    {"<i8", DType::kInt64},   {"|u1", DType::kUInt8},   {"|b1", DType::kBool},
};

}  // namespace

TensorData ReadNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError("cannot read input file '" + path + "'");
  const uint64_t file_size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  char magic[8];
  in.read(magic, 8);
  if (!in || std::string(magic, 6) != "\x93NUMPY")
    throw InputError("'" + path + "' is not a .npy file");
  uint32_t header_len = 0;
  if (magic[6] == 1) {
    unsigned char len[2] = {0, 0};
    in.read(reinterpret_cast<char*>(len), 2);
    header_len = len[0] | (len[1] << 8);
  } else {
    unsigned char len[4] = {0, 0, 0, 0};
    in.read(reinterpret_cast<char*>(len), 4);
    header_len = len[0] | (len[1] << 8) | (len[2] << 16) | (uint32_t(len[3]) << 24);
  }
  // numpy itself reads headers of at most 10000 bytes by default.
  constexpr uint32_t kMaxHeaderBytes = 65536;
  const uint64_t header_start = static_cast<uint64_t>(in.tellg());
  if (!in || header_len > kMaxHeaderBytes || header_start + header_len > file_size)
    throw InputError("'" + path + "': malformed .npy header (its length is " + std::to_string(header_len) + " bytes)");
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr':\s*'([^']+)')")))
    throw InputError("'" + path + "': malformed .npy header");
  std::string descr = m[1];
  if (descr == "<b1") descr = "|b1";
  if (descr == "<i1") descr = "|i1";
  if (descr == "<u1") descr = "|u1";
  DType dtype = DType::kUndefined;
  for (const auto& t : kNpyTypes)
    if (t.descr == descr) dtype = t.dtype;
  if (dtype == DType::kUndefined)
    throw InputError("'" + path + "': unsupported .npy dtype '" + PrintableText(descr) + "'");
  if (std::regex_search(header, std::regex(R"('fortran_order':\s*True)")))
    throw InputError("'" + path + "': Fortran-ordered arrays are not supported");
  if (!std::regex_search(header, m, std::regex(R"('shape':\s*\(([^)]*)\))")))
    throw InputError("'" + path + "': malformed .npy header (no shape)");
  std::string dims = m[1];  // "4," for a 1-D array, "" for a 0-d one
  while (!dims.empty() && (dims.back() == ',' || dims.back() == ' ')) dims.pop_back();
  std::vector<int64_t> shape;
  try {
    shape = ParseShape(dims);
  } catch (const UsageError&) {
    throw InputError("'" + path + "': malformed .npy header (shape '" + PrintableText(dims) + "')");
  }
  std::optional<uint64_t> needed = CheckedContiguousBytes(shape, DTypeSize(dtype));
  const uint64_t data_bytes = file_size - header_start - header_len;
  if (!needed || *needed > data_bytes)
    throw InputError("'" + path + "' is truncated or its shape is impossible: it holds " + std::to_string(data_bytes) +
                     " data bytes for shape (" + PrintableText(dims) + ")");
  size_t nbytes = static_cast<size_t>(*needed);
  std::vector<uint8_t> bytes(nbytes);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(nbytes));
  if (static_cast<size_t>(in.gcount()) != nbytes)
    throw InputError("'" + path + "' is truncated: expected " + std::to_string(nbytes) + " data bytes");
  return TensorData::FromVector(dtype, shape, std::move(bytes));
}

void WriteNpy(const std::string& path, const TensorData& data) {
  std::string descr;
  for (const auto& t : kNpyTypes)
    if (t.dtype == data.dtype) descr = t.descr;
  if (descr.empty()) throw ExportError("cannot write dtype " + std::string(DTypeName(data.dtype)) + " as .npy");
  std::string shape = "(";
  for (size_t i = 0; i < data.shape.size(); ++i) shape += std::to_string(data.shape[i]) + (data.shape.size() == 1 ? "," : (i + 1 < data.shape.size() ? ", " : ""));
  shape += ")";
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::ofstream out(path, std::ios::binary);
  if (!out) throw ExportError("cannot write '" + path + "'");
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = static_cast<uint16_t>(header.size());
  char len_bytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  out.write(len_bytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(data.bytes), static_cast<std::streamsize>(data.nbytes));
}

void CollectLeafSpecs(const InputTree& tree, std::vector<const TensorSpec*>& out) {
  if (tree.kind == InputTree::Kind::kTensor) {
    out.push_back(&tree.tensor);
    return;
  }
  for (const auto& c : tree.children) CollectLeafSpecs(c, out);
}

ExampleGenerator::ExampleGenerator(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}

double ExampleGenerator::Uniform() {  // splitmix64
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (static_cast<double>(z >> 11) + 0.5) / 9007199254740992.0;
}

TensorData ExampleGenerator::Make(const TensorSpec& spec) {
  if (spec.data) return *spec.data;
  int64_t n = 1;
  for (int64_t d : spec.shape) n *= d;
  const bool complex = spec.dtype == DType::kComplex64;  // real and imaginary parts drawn alike
  std::vector<double> values(static_cast<size_t>(complex ? 2 * n : n));
  for (auto& v : values) {
    if (IsFloating(spec.dtype) || complex) {  // Box-Muller
      v = std::sqrt(-2.0 * std::log(Uniform())) * std::cos(6.283185307179586 * Uniform());
    } else {
      v = std::floor(Uniform() * (spec.dtype == DType::kBool ? 2 : 10));
    }
  }
  if (complex) {
    std::vector<int64_t> pairs = spec.shape;
    pairs.push_back(2);
    TensorData t = TensorData::FromDoubles(DType::kFloat32, pairs, values);
    t.dtype = DType::kComplex64;
    t.shape = spec.shape;
    return t;
  }
  return TensorData::FromDoubles(spec.dtype, spec.shape, values);
}

}  // namespace t2o
