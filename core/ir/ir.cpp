#include "core/ir/ir.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include <sstream>

namespace t2o {

namespace {

float BitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16;
  int exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1f) return BitsToFloat(sign | 0x7f800000u | (mantissa << 13));  // inf, nan
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
    float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  return BitsToFloat(sign | (static_cast<uint32_t>(exponent + 112) << 23) | (mantissa << 13));
}

float BFloat16ToFloat(uint16_t b) { return BitsToFloat(static_cast<uint32_t>(b) << 16); }

uint32_t FloatToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

uint16_t FloatToBFloat16(float f) {
  uint32_t bits = FloatToBits(f);
  if ((bits & 0x7fffffff) > 0x7f800000) return static_cast<uint16_t>((bits >> 16) | 0x40);  // NaN
  return static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

uint16_t FloatToHalf(float f) {
  uint32_t bits = FloatToBits(f);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) return sign | 0x7e00;                  // NaN
  if (abs >= 0x477ff000) return sign | 0x7c00;                 // overflows to inf
  if (abs < 0x38800000) {                                      // a subnormal half (or zero)
    float magnitude = BitsToFloat(abs) * 16777216.0f;          // in units of 2^-24
    return sign | static_cast<uint16_t>(std::nearbyint(magnitude));
  }
  uint32_t rounded = abs + 0xfff + ((abs >> 13) & 1);
  return sign | static_cast<uint16_t>((rounded - 0x38000000) >> 13);
}

template <typename T>
TensorData Converted(DType dtype, std::vector<int64_t> shape, const std::vector<double>& values) {
  std::vector<T> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
  return TensorData::FromVector(dtype, std::move(shape), std::move(out));
}

}  // namespace

TensorData TensorData::FromDoubles(DType dtype, std::vector<int64_t> shape, const std::vector<double>& values) {
  switch (dtype) {
    case DType::kFloat32: return Converted<float>(dtype, std::move(shape), values);
    case DType::kFloat64: return Converted<double>(dtype, std::move(shape), values);
    case DType::kInt8: return Converted<int8_t>(dtype, std::move(shape), values);
    case DType::kInt16: return Converted<int16_t>(dtype, std::move(shape), values);
    case DType::kInt32: return Converted<int32_t>(dtype, std::move(shape), values);
    case DType::kInt64: return Converted<int64_t>(dtype, std::move(shape), values);
    case DType::kUInt8: return Converted<uint8_t>(dtype, std::move(shape), values);
    case DType::kBool: {
      std::vector<uint8_t> out(values.size());
      for (size_t i = 0; i < values.size(); ++i) out[i] = values[i] != 0;
      return FromVector(dtype, std::move(shape), std::move(out));
    }
    case DType::kFloat16:
    case DType::kBFloat16: {
      std::vector<uint16_t> out(values.size());
      for (size_t i = 0; i < values.size(); ++i)
        out[i] = dtype == DType::kFloat16 ? FloatToHalf(static_cast<float>(values[i])) : FloatToBFloat16(static_cast<float>(values[i]));
      return FromVector(dtype, std::move(shape), std::move(out));
    }
    default: break;
  }
  throw std::invalid_argument("FromDoubles: unsupported dtype " + std::string(DTypeName(dtype)));
}

double TensorData::ElementAsDouble(int64_t i) const {
  switch (dtype) {
    case DType::kFloat32: return data<float>()[i];
    case DType::kFloat64: return data<double>()[i];
    case DType::kInt8: return data<int8_t>()[i];
    case DType::kInt16: return data<int16_t>()[i];
    case DType::kInt32: return data<int32_t>()[i];
    case DType::kInt64: return static_cast<double>(data<int64_t>()[i]);
    case DType::kUInt8: return data<uint8_t>()[i];
    case DType::kBool: return data<uint8_t>()[i] != 0;
    case DType::kFloat16: return HalfToFloat(data<uint16_t>()[i]);
    case DType::kBFloat16: return BFloat16ToFloat(data<uint16_t>()[i]);
    default: return 0.0;
  }
}

int64_t TensorData::ElementAsInt(int64_t i) const {
  if (dtype == DType::kInt64) return data<int64_t>()[i];
  return static_cast<int64_t>(ElementAsDouble(i));
}

namespace ir {

bool TensorMeta::IsStatic() const {
  if (!shape_known) return false;
  for (const auto& d : shape)
    if (!std::holds_alternative<int64_t>(d)) return false;
  return true;
}

std::optional<int64_t> TensorMeta::StaticDim(int64_t axis) const {
  if (!shape_known) return std::nullopt;
  int64_t r = static_cast<int64_t>(shape.size());
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r) return std::nullopt;
  if (auto* v = std::get_if<int64_t>(&shape[axis])) return *v;
  return std::nullopt;
}

std::string TensorMeta::ToString() const {
  std::ostringstream os;
  os << DTypeName(dtype);
  if (!shape_known) return os.str() + "[?]";
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) os << ", ";
    if (auto* v = std::get_if<int64_t>(&shape[i]))
      os << *v;
    else
      os << std::get<std::string>(shape[i]);
  }
  os << "]";
  return os.str();
}

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kTensor: return "Tensor";
    case ValueKind::kInt: return "int";
    case ValueKind::kFloat: return "float";
    case ValueKind::kBool: return "bool";
    case ValueKind::kString: return "str";
    case ValueKind::kNone: return "None";
    case ValueKind::kDevice: return "Device";
    case ValueKind::kIntList: return "int[]";
    case ValueKind::kFloatList: return "float[]";
    case ValueKind::kBoolList: return "bool[]";
    case ValueKind::kTensorList: return "Tensor[]";
    case ValueKind::kTuple: return "Tuple";
    case ValueKind::kDict: return "Dict";
    case ValueKind::kOther: return "Any";
  }
  return "?";
}

namespace {
template <typename T>
std::string JoinList(const std::vector<T>& items) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < items.size(); ++i) os << (i ? ", " : "") << items[i];
  os << "]";
  return os.str();
}
}  // namespace

std::string ConstantToString(const Constant& c) {
  struct Printer {
    std::string operator()(const NoneValue&) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      std::ostringstream os;
      os << d;
      return os.str();
    }
    std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
    std::string operator()(const std::vector<int64_t>& v) const { return JoinList(v); }
    std::string operator()(const std::vector<double>& v) const { return JoinList(v); }
    std::string operator()(const std::vector<bool>& v) const {
      std::vector<int> ints(v.begin(), v.end());
      return JoinList(ints);
    }
    std::string operator()(const TensorData& t) const {
      return "tensor<" + std::string(DTypeName(t.dtype)) + JoinList(t.shape) + ">";
    }
  };
  return std::visit(Printer{}, c);
}

std::string SourceLocation::Short() const {
  std::string out;
  if (!file.empty()) out = file + ":" + std::to_string(line);
  if (!module_path.empty()) out += (out.empty() ? "" : " ") + std::string("(") + module_path + ")";
  return out.empty() ? "<unknown location>" : out;
}

std::string_view InputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::kUserInput: return "USER_INPUT";
    case InputKind::kParameter: return "PARAMETER";
    case InputKind::kBuffer: return "BUFFER";
    case InputKind::kConstantTensor: return "CONSTANT_TENSOR";
  }
  return "?";
}

std::string_view OutputKindName(OutputKind kind) {
  switch (kind) {
    case OutputKind::kUserOutput: return "USER_OUTPUT";
    case OutputKind::kBufferMutation: return "BUFFER_MUTATION";
    case OutputKind::kUserInputMutation: return "USER_INPUT_MUTATION";
  }
  return "?";
}

Value* Graph::NewValue(ValueKind kind, const std::string& name_hint) {
  auto value = std::make_unique<Value>();
  value->kind = kind;
  std::string base = name_hint.empty() ? "v" : name_hint;
  int& count = name_counts_[base];
  value->name = count == 0 ? base : base + "_" + std::to_string(count);
  ++count;
  // A generated name may collide with a later hint equal to it; reserve it too.
  if (value->name != base) name_counts_[value->name]++;
  values_.push_back(std::move(value));
  return values_.back().get();
}

Node* Graph::AppendNode(Block& block, std::string op, std::string overload,
                        const std::vector<Value*>& inputs, size_t num_outputs) {
  auto node = std::make_unique<Node>();
  node->op = std::move(op);
  node->overload = std::move(overload);
  node->inputs = inputs;
  for (size_t i = 0; i < num_outputs; ++i) {
    Value* out = NewValue(ValueKind::kTensor, "");
    out->producer = node.get();
    node->outputs.push_back(out);
  }
  block.nodes.push_back(std::move(node));
  return block.nodes.back().get();
}

void Graph::RebuildUses() {
  for (auto& v : values_) v->uses.clear();
  ForEachNode(top, [](Node& node) {
    for (Value* in : node.inputs)
      if (in) in->uses.push_back(&node);
  });
}

size_t Graph::CountNodes() const {
  size_t n = 0;
  ForEachNode(top, [&](const Node&) { ++n; });
  return n;
}

namespace {

std::string ValueDecl(const Value* v) {
  std::string s = "%" + v->name + " : ";
  if (v->IsTensor())
    s += v->meta.ToString();
  else
    s += std::string(ValueKindName(v->kind));
  if (v->constant && !v->IsTensor()) s += " = " + ConstantToString(*v->constant);
  return s;
}

void PrintBlock(std::ostringstream& os, const Block& block, int indent) {
  std::string pad(indent, ' ');
  for (const auto& node : block.nodes) {
    os << pad;
    for (size_t i = 0; i < node->outputs.size(); ++i)
      os << (i ? ", " : "") << ValueDecl(node->outputs[i]);
    os << (node->outputs.empty() ? "" : " = ") << node->Key() << "(";
    for (size_t i = 0; i < node->inputs.size(); ++i) {
      const Value* in = node->inputs[i];
      os << (i ? ", " : "");
      if (!in)
        os << "None";
      else if (in->constant && !in->IsTensor() && !in->producer)
        os << ConstantToString(*in->constant);
      else
        os << "%" << in->name;
    }
    os << ")";
    if (!node->location.module_path.empty()) os << "  # " << node->location.module_path;
    os << "\n";
    for (size_t b = 0; b < node->blocks.size(); ++b) {
      const Block& inner = *node->blocks[b];
      os << pad << "  block" << b << "(";
      for (size_t i = 0; i < inner.inputs.size(); ++i)
        os << (i ? ", " : "") << ValueDecl(inner.inputs[i]);
      os << "):\n";
      PrintBlock(os, inner, indent + 4);
      os << pad << "    -> (";
      for (size_t i = 0; i < inner.outputs.size(); ++i)
        os << (i ? ", " : "") << "%" << inner.outputs[i]->name;
      os << ")\n";
    }
  }
}

}  // namespace

std::string PrintGraph(const Graph& graph) {
  std::ostringstream os;
  os << "graph(\n";
  for (const auto& in : graph.inputs) {
    os << "    " << ValueDecl(in.value) << "  # " << InputKindName(in.kind);
    if (!in.target.empty() && in.target != in.value->name) os << " " << in.target;
    os << "\n";
  }
  os << "):\n";
  PrintBlock(os, graph.top, 2);
  os << "  return (";
  for (size_t i = 0; i < graph.outputs.size(); ++i)
    os << (i ? ", " : "") << "%" << graph.outputs[i].value->name;
  os << ")\n";
  return os.str();
}

}  // namespace ir
}  // namespace t2o
