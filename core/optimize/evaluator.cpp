#include "core/optimize/evaluator.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace t2o::optimize {
namespace {

// A constant being computed: integers and bools in `ints`, floats in `floats`.
struct Array {
  DType dtype = DType::kUndefined;
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  bool is_float() const { return IsFloating(dtype); }
  int64_t size() const { return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>()); }
  double F(int64_t i) const { return is_float() ? floats[i] : static_cast<double>(ints[i]); }
  int64_t I(int64_t i) const { return is_float() ? static_cast<int64_t>(floats[i]) : ints[i]; }
  void Resize(int64_t n) { is_float() ? floats.resize(n) : ints.resize(n); }
  void CopyElement(int64_t to, const Array& from, int64_t at) {
    if (is_float()) floats[to] = from.F(at); else ints[to] = from.I(at);
  }
};

bool Supported(DType d) {
  switch (d) {
    case DType::kFloat32: case DType::kFloat64: case DType::kInt8: case DType::kInt16: case DType::kInt32:
    case DType::kInt64: case DType::kUInt8: case DType::kBool: return true;
    default: return false;
  }
}

std::optional<Array> Load(const TensorData& t) {
  if (!Supported(t.dtype) || !t.bytes) return std::nullopt;
  Array a;
  a.dtype = t.dtype;
  a.shape = t.shape;
  int64_t n = t.numel();
  a.Resize(n);
  for (int64_t i = 0; i < n; ++i) {
    if (a.is_float()) a.floats[i] = t.ElementAsDouble(i); else a.ints[i] = t.ElementAsInt(i);
  }
  return a;
}

template <typename T>
TensorData StoreAs(const Array& a) {
  std::vector<T> values(a.size());
  for (int64_t i = 0; i < a.size(); ++i)
    values[i] = a.is_float() ? static_cast<T>(a.floats[i]) : static_cast<T>(a.ints[i]);
  return TensorData::FromVector<T>(a.dtype, a.shape, std::move(values));
}

TensorData Store(const Array& a) {
  switch (a.dtype) {
    case DType::kFloat32: return StoreAs<float>(a);
    case DType::kFloat64: return StoreAs<double>(a);
    case DType::kInt8: return StoreAs<int8_t>(a);
    case DType::kInt16: return StoreAs<int16_t>(a);
    case DType::kInt32: return StoreAs<int32_t>(a);
    case DType::kInt64: return StoreAs<int64_t>(a);
    case DType::kUInt8: return StoreAs<uint8_t>(a);
    default: {  // bool
      Array b = a;
      for (auto& v : b.ints) v = v != 0;
      return StoreAs<uint8_t>(b);
    }
  }
}

Array Empty(DType dtype, std::vector<int64_t> shape) {
  Array a;
  a.dtype = dtype;
  a.shape = std::move(shape);
  a.Resize(a.size());
  return a;
}

std::vector<int64_t> Strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

std::optional<std::vector<int64_t>> BroadcastShape(const std::vector<std::vector<int64_t>>& shapes) {
  size_t rank = 0;
  for (const auto& s : shapes) rank = std::max(rank, s.size());
  std::vector<int64_t> out(rank, 1);
  for (const auto& s : shapes)
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[rank - s.size() + i];
      if (s[i] == o || s[i] == 1) continue;
      if (o != 1) return std::nullopt;
      o = s[i];
    }
  return out;
}

// Index into `a` (broadcast to `shape`) of the flat index `i` of `shape`.
int64_t BroadcastIndex(const Array& a, const std::vector<int64_t>& shape, const std::vector<int64_t>& strides, int64_t i) {
  int64_t index = 0, a_stride = 1;
  size_t offset = shape.size() - a.shape.size();
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= static_cast<int64_t>(offset); --d) {
    int64_t coord = (i / strides[d]) % shape[d];
    int64_t ad = a.shape[d - offset];
    if (ad != 1) index += coord * a_stride;
    a_stride *= ad;
  }
  return index;
}

const onnx::Attr* Find(const onnx::OnnxNode& node, const char* name) { return node.FindAttr(name); }
int64_t IntAttr(const onnx::OnnxNode& node, const char* name, int64_t fallback) {
  const auto* a = Find(node, name);
  return a && std::holds_alternative<int64_t>(a->value) ? std::get<int64_t>(a->value) : fallback;
}
std::optional<std::vector<int64_t>> IntsAttr(const onnx::OnnxNode& node, const char* name) {
  const auto* a = Find(node, name);
  if (!a || !std::holds_alternative<std::vector<int64_t>>(a->value)) return std::nullopt;
  return std::get<std::vector<int64_t>>(a->value);
}

int64_t Axis(int64_t axis, size_t rank) { return axis < 0 ? axis + static_cast<int64_t>(rank) : axis; }

using Result = std::optional<std::vector<Array>>;

// Integer arithmetic as ONNX Runtime's kernels do it: two's-complement wrap-around (signed
// overflow would be undefined here), and Mod with fmod=0 taking the divisor's sign.
template <typename Op>
int64_t Wrapping(int64_t x, int64_t y, Op op) {
  return static_cast<int64_t>(op(static_cast<uint64_t>(x), static_cast<uint64_t>(y)));
}
int64_t FlooredMod(int64_t x, int64_t y) {
  int64_t r = x % y;
  return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
}

Result Binary(const std::string& op, const Array& a, const Array& b) {
  auto shape = BroadcastShape({a.shape, b.shape});
  if (!shape || a.dtype != b.dtype) return std::nullopt;
  bool compare = op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" || op == "GreaterOrEqual";
  bool logical = op == "And" || op == "Or" || op == "Xor";
  Array out = Empty(compare ? DType::kBool : a.dtype, *shape);
  auto strides = Strides(*shape);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t ia = BroadcastIndex(a, *shape, strides, i), ib = BroadcastIndex(b, *shape, strides, i);
    if (compare) {
      double x = a.F(ia), y = b.F(ib);
      bool r = op == "Equal" ? (a.is_float() ? x == y : a.I(ia) == b.I(ib))
               : op == "Less" ? x < y : op == "Greater" ? x > y : op == "LessOrEqual" ? x <= y : x >= y;
      out.ints[i] = r;
    } else if (logical) {
      bool x = a.I(ia) != 0, y = b.I(ib) != 0;
      out.ints[i] = op == "And" ? (x && y) : op == "Or" ? (x || y) : (x != y);
    } else if (out.is_float()) {
      double x = a.floats[ia], y = b.floats[ib];
      out.floats[i] = op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : op == "Div" ? x / y
                      : op == "Max" ? std::max(x, y) : op == "Min" ? std::min(x, y) : std::pow(x, y);
    } else {
      int64_t x = a.ints[ia], y = b.ints[ib];
      if ((op == "Div" || op == "Mod") && (y == 0 || (y == -1 && x == std::numeric_limits<int64_t>::min())))
        return std::nullopt;
      if (op == "Pow") return std::nullopt;
      out.ints[i] = op == "Add" ? Wrapping(x, y, std::plus<uint64_t>()) : op == "Sub" ? Wrapping(x, y, std::minus<uint64_t>())
                    : op == "Mul" ? Wrapping(x, y, std::multiplies<uint64_t>()) : op == "Div" ? x / y
                    : op == "Max" ? std::max(x, y) : op == "Min" ? std::min(x, y) : FlooredMod(x, y);
    }
  }
  return std::vector<Array>{out};
}

Result Unary(const std::string& op, const Array& a) {
  Array out = a;
  for (int64_t i = 0; i < a.size(); ++i) {
    if (op == "Not") { out.ints[i] = !a.ints[i]; continue; }
    if (op == "Neg") {
      a.is_float() ? out.floats[i] = -a.floats[i] : out.ints[i] = Wrapping(0, a.ints[i], std::minus<uint64_t>());
      continue;
    }
    if (op == "Abs") {
      a.is_float() ? out.floats[i] = std::fabs(a.floats[i])
                   : out.ints[i] = a.ints[i] < 0 ? Wrapping(0, a.ints[i], std::minus<uint64_t>()) : a.ints[i];
      continue;
    }
    if (!a.is_float()) return std::nullopt;
    double x = a.floats[i];
    out.floats[i] = op == "Sqrt" ? std::sqrt(x) : op == "Reciprocal" ? 1.0 / x : op == "Exp" ? std::exp(x)
                    : op == "Floor" ? std::floor(x) : op == "Ceil" ? std::ceil(x) : std::log(x);
  }
  return std::vector<Array>{out};
}

Array Cast(const Array& a, DType to) {
  Array out = Empty(to, a.shape);
  for (int64_t i = 0; i < a.size(); ++i) {
    if (to == DType::kBool) out.ints[i] = a.F(i) != 0;
    else if (out.is_float()) out.floats[i] = a.F(i);
    else out.ints[i] = a.is_float() ? static_cast<int64_t>(std::trunc(a.floats[i])) : a.ints[i];
  }
  return out;
}

Result Transpose(const Array& a, std::vector<int64_t> perm) {
  size_t rank = a.shape.size();
  if (perm.empty()) for (size_t i = 0; i < rank; ++i) perm.insert(perm.begin(), static_cast<int64_t>(i));
  std::vector<int64_t> shape;
  for (int64_t p : perm) shape.push_back(a.shape[p]);
  Array out = Empty(a.dtype, shape);
  auto in_strides = Strides(a.shape), out_strides = Strides(shape);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d) src += ((i / out_strides[d]) % shape[d]) * in_strides[perm[d]];
    out.CopyElement(i, a, src);
  }
  return std::vector<Array>{out};
}

Result Gather(const Array& data, const Array& indices, int64_t axis) {
  axis = Axis(axis, data.shape.size());
  std::vector<int64_t> shape(data.shape.begin(), data.shape.begin() + axis);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= data.shape[d];
  for (size_t d = axis + 1; d < data.shape.size(); ++d) inner *= data.shape[d];
  Array out = Empty(data.dtype, shape);
  int64_t n = indices.size(), dim = data.shape[axis];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < n; ++k) {
      int64_t idx = indices.I(k);
      if (idx < 0) idx += dim;
      if (idx < 0 || idx >= dim) return std::nullopt;
      for (int64_t in = 0; in < inner; ++in) out.CopyElement((o * n + k) * inner + in, data, (o * dim + idx) * inner + in);
    }
  return std::vector<Array>{out};
}

Result Slice(const Array& data, const Array& starts, const Array& ends, const Array* axes_in, const Array* steps_in) {
  size_t rank = data.shape.size();
  std::vector<int64_t> begin(rank, 0), step(rank, 1), count = data.shape;
  for (int64_t k = 0; k < starts.size(); ++k) {
    int64_t axis = axes_in ? Axis(axes_in->I(k), rank) : k;
    int64_t dim = data.shape[axis];
    int64_t st = steps_in ? steps_in->I(k) : 1;
    if (st == 0) return std::nullopt;
    int64_t s = starts.I(k), e = ends.I(k);
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (st > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      count[axis] = e > s ? (e - s + st - 1) / st : 0;
    } else {
      s = std::clamp<int64_t>(s, -1, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      count[axis] = s > e ? (s - e - st - 1) / -st : 0;
    }
    begin[axis] = s;
    step[axis] = st;
  }
  Array out = Empty(data.dtype, count);
  auto in_strides = Strides(data.shape), out_strides = Strides(count);
  for (int64_t i = 0; i < out.size(); ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d) src += (begin[d] + ((i / out_strides[d]) % count[d]) * step[d]) * in_strides[d];
    out.CopyElement(i, data, src);
  }
  return std::vector<Array>{out};
}

std::vector<int64_t> Ints(const Array& a) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < a.size(); ++i) out.push_back(a.I(i));
  return out;
}

Result EvaluateArrays(const onnx::OnnxNode& node, const std::vector<std::optional<Array>>& in) {
  const std::string& op = node.op_type;
  auto has = [&](size_t i) { return i < in.size() && in[i].has_value(); };
  static const std::set<std::string> kBinary{"Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Equal", "Less",
                                             "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"};
  static const std::set<std::string> kUnary{"Neg", "Abs", "Sqrt", "Reciprocal", "Exp", "Log", "Floor", "Ceil", "Not"};
  static const std::map<std::string, size_t> kRequired{{"Where", 3}, {"Slice", 3}, {"Range", 3}, {"Gather", 2},
                                                       {"Reshape", 2}, {"Expand", 2}};
  size_t required = kBinary.count(op) ? 2 : 1;
  if (auto r = kRequired.find(op); r != kRequired.end()) required = r->second;
  for (size_t i = 0; i < required; ++i)
    if (!has(i)) return std::nullopt;
  if (kBinary.count(op)) {
    if ((op == "Max" || op == "Min") && in.size() != 2) return std::nullopt;
    if (op == "Mod" && IntAttr(node, "fmod", 0) != 0) return std::nullopt;
    return Binary(op, *in[0], *in[1]);
  }
  if (kUnary.count(op)) return Unary(op, *in[0]);
  if (op == "Identity") return std::vector<Array>{*in[0]};
  if (op == "Cast") return std::vector<Array>{Cast(*in[0], DTypeFromOnnx(static_cast<int>(IntAttr(node, "to", 0))))};
  if (op == "Shape") {
    int64_t rank = static_cast<int64_t>(in[0]->shape.size());
    int64_t start = std::clamp<int64_t>(Axis(IntAttr(node, "start", 0), rank), 0, rank);
    int64_t end = std::clamp<int64_t>(Axis(IntAttr(node, "end", rank), rank), 0, rank);
    Array out = Empty(DType::kInt64, {std::max<int64_t>(end - start, 0)});
    for (int64_t d = start; d < end; ++d) out.ints[d - start] = in[0]->shape[d];
    return std::vector<Array>{out};
  }
  if (op == "Size") {
    Array out = Empty(DType::kInt64, {});
    out.ints[0] = in[0]->size();
    return std::vector<Array>{out};
  }
  if (op == "Gather") return Gather(*in[0], *in[1], IntAttr(node, "axis", 0));
  if (op == "Unsqueeze" || op == "Squeeze") {
    Array out = *in[0];
    std::vector<int64_t> axes = has(1) ? Ints(*in[1]) : std::vector<int64_t>{};
    if (op == "Unsqueeze") {
      size_t rank = out.shape.size() + axes.size();
      for (auto& a : axes) a = Axis(a, rank);
      std::sort(axes.begin(), axes.end());
      for (int64_t a : axes) out.shape.insert(out.shape.begin() + a, 1);
    } else {
      size_t rank = out.shape.size();
      std::vector<int64_t> kept;
      for (size_t d = 0; d < rank; ++d) {
        bool squeeze = axes.empty() ? out.shape[d] == 1
                                    : std::any_of(axes.begin(), axes.end(), [&](int64_t a) { return Axis(a, rank) == static_cast<int64_t>(d); });
        if (squeeze && out.shape[d] != 1) return std::nullopt;
        if (!squeeze) kept.push_back(out.shape[d]);
      }
      out.shape = kept;
    }
    return std::vector<Array>{out};
  }
  if (op == "Reshape") {
    std::vector<int64_t> shape = Ints(*in[1]);
    int64_t known = 1, infer = -1;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] == 0 && IntAttr(node, "allowzero", 0) == 0) shape[d] = in[0]->shape.at(d);
      if (shape[d] == -1) infer = static_cast<int64_t>(d); else known *= shape[d];
    }
    if (infer >= 0) shape[infer] = known ? in[0]->size() / known : 0;
    Array out = *in[0];
    out.shape = shape;
    if (out.size() != in[0]->size()) return std::nullopt;
    return std::vector<Array>{out};
  }
  if (op == "Concat") {
    // An ill-formed Concat (ranks differ, axis out of range) is left for the checker to name.
    int64_t rank = static_cast<int64_t>(in[0]->shape.size());
    int64_t axis = Axis(IntAttr(node, "axis", 0), rank);
    if (axis < 0 || axis >= rank) return std::nullopt;
    std::vector<int64_t> shape = in[0]->shape;
    shape[axis] = 0;
    for (const auto& a : in) {
      if (!a || static_cast<int64_t>(a->shape.size()) != rank) return std::nullopt;
      shape[axis] += a->shape[axis];
    }
    Array out = Empty(in[0]->dtype, shape);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= shape[d];
    for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
    int64_t offset = 0;
    for (const auto& a : in) {
      if (a->dtype != out.dtype) return std::nullopt;
      int64_t rows = a->shape[axis] * inner;
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t k = 0; k < rows; ++k) out.CopyElement(o * shape[axis] * inner + offset + k, *a, o * rows + k);
      offset += rows;
    }
    return std::vector<Array>{out};
  }
  if (op == "Transpose") return Transpose(*in[0], IntsAttr(node, "perm").value_or(std::vector<int64_t>{}));
  if (op == "Slice") return Slice(*in[0], *in[1], *in[2], has(3) ? &*in[3] : nullptr, has(4) ? &*in[4] : nullptr);
  if (op == "Range") {
    double start = in[0]->F(0), limit = in[1]->F(0), delta = in[2]->F(0);
    if (delta == 0) return std::nullopt;
    int64_t n = std::max<int64_t>(static_cast<int64_t>(std::ceil((limit - start) / delta)), 0);
    Array out = Empty(in[0]->dtype, {n});
    for (int64_t i = 0; i < n; ++i) {
      if (out.is_float()) out.floats[i] = start + i * delta; else out.ints[i] = in[0]->I(0) + i * in[2]->I(0);
    }
    return std::vector<Array>{out};
  }
  if (op == "Where") {
    auto shape = BroadcastShape({in[0]->shape, in[1]->shape, in[2]->shape});
    if (!shape || in[1]->dtype != in[2]->dtype) return std::nullopt;
    Array out = Empty(in[1]->dtype, *shape);
    auto strides = Strides(*shape);
    for (int64_t i = 0; i < out.size(); ++i) {
      bool c = in[0]->I(BroadcastIndex(*in[0], *shape, strides, i)) != 0;
      const Array& src = c ? *in[1] : *in[2];
      out.CopyElement(i, src, BroadcastIndex(src, *shape, strides, i));
    }
    return std::vector<Array>{out};
  }
  if (op == "Expand") {
    auto shape = BroadcastShape({in[0]->shape, Ints(*in[1])});
    if (!shape) return std::nullopt;
    Array out = Empty(in[0]->dtype, *shape);
    auto strides = Strides(*shape);
    for (int64_t i = 0; i < out.size(); ++i) out.CopyElement(i, *in[0], BroadcastIndex(*in[0], *shape, strides, i));
    return std::vector<Array>{out};
  }
  if (op == "ConstantOfShape") {
    Array value = Empty(DType::kFloat32, {1});
    if (const auto* a = Find(node, "value"); a && std::holds_alternative<TensorData>(a->value)) {
      auto loaded = Load(std::get<TensorData>(a->value));
      if (!loaded) return std::nullopt;
      value = *loaded;
    }
    Array out = Empty(value.dtype, Ints(*in[0]));
    for (int64_t i = 0; i < out.size(); ++i) out.CopyElement(i, value, 0);
    return std::vector<Array>{out};
  }
  return std::nullopt;
}

}  // namespace

bool CanEvaluate(const std::string& op_type) {
  static const std::set<std::string> kOps{
      "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Equal", "Less", "Greater", "LessOrEqual",
      "GreaterOrEqual", "And", "Or", "Xor", "Neg", "Abs", "Sqrt", "Reciprocal", "Exp", "Log", "Floor", "Ceil", "Not",
      "Identity", "Cast", "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Reshape", "Concat", "Transpose",
      "Slice", "Range", "Where", "Expand", "ConstantOfShape"};
  return kOps.count(op_type) > 0;
}

std::optional<std::vector<TensorData>> Evaluate(const onnx::OnnxNode& node, const std::vector<const TensorData*>& inputs) {
  if (!node.domain.empty() || !CanEvaluate(node.op_type)) return std::nullopt;
  std::vector<std::optional<Array>> arrays;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i]) {
      if (i == 0 || node.op_type == "Concat") return std::nullopt;
      arrays.emplace_back(std::nullopt);  // an omitted optional input
      continue;
    }
    auto a = Load(*inputs[i]);
    if (!a) return std::nullopt;
    arrays.push_back(std::move(a));
  }
  if (arrays.empty()) return std::nullopt;
  try {
    Result result = EvaluateArrays(node, arrays);
    if (!result || result->size() != node.outputs.size()) return std::nullopt;
    std::vector<TensorData> out;
    for (const auto& a : *result) {
      if (!Supported(a.dtype)) return std::nullopt;
      out.push_back(Store(a));
    }
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace t2o::optimize
