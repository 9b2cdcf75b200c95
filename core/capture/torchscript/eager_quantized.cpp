#include "core/capture/torchscript/eager_quantized.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/ir/constants.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "core/capture/torchscript/attributes.h"
#include "core/util/errors.h"

namespace t2o::torchscript {
namespace {

c10::Symbol Op(const char* name) { return c10::Symbol::fromQualString(name); }

struct Bounds {
  int64_t min, max;
  at::ScalarType storage;  // the plain integer dtype quantized_decomposed takes
};

Bounds BoundsOf(at::ScalarType quantized) {
  switch (quantized) {
    case at::kQUInt8: return {0, 255, at::kByte};
    case at::kQInt8: return {-128, 127, at::kChar};
    case at::kQInt32: return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), at::kInt};
    default:
      throw ExportError(std::string("eager-mode quantization: quantized dtype ") + c10::toString(quantized) +
                        " has no QDQ form (quint8, qint8 and qint32 do)");
  }
}

bool IsQuantizedDType(at::ScalarType t) { return t == at::kQUInt8 || t == at::kQInt8 || t == at::kQInt32; }

// Calls a packed-parameters accessor (quantized::conv2d_unpack, conv2d_stride, ...).
std::vector<c10::IValue> CallOp(const std::string& name, const c10::IValue& packed) {
  auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name.c_str(), "");
  torch::jit::Stack stack{packed};
  handle.callBoxed(&stack);
  return stack;
}

class Lowering {
 public:
  Lowering(jit::Graph& graph, const jit::Module& module, EagerQuantization& out)
      : graph_(graph), attrs_(graph, module), out_(out) {}

  // Lowers `node` if it is an eager-mode quantized op; false if it is not one.
  bool Lower(jit::Node* node);

 private:
  using Args = std::vector<jit::NamedValue>;

  jit::Value* Insert(const char* op, const Args& args) { return graph_.insert(Op(op), args); }

  // An argument as a constant when it is known at export time (the scale attribute of a
  // module), else the value itself.
  jit::NamedValue Known(jit::Value* v) {
    auto c = attrs_.Constant(v);
    if (c && (c->isDouble() || c->isInt() || c->isBool() || c->isNone())) return jit::NamedValue(*c);
    return jit::NamedValue(v);
  }

  // The quantized dtype a value carries: its traced type, or that of what it was made from.
  at::ScalarType QuantizedDType(jit::Value* v, int depth = 0) {
    if (auto it = dtypes_.find(v); it != dtypes_.end()) return it->second;
    if (auto type = v->type()->cast<c10::TensorType>(); type && type->scalarType() && IsQuantizedDType(*type->scalarType()))
      return *type->scalarType();
    if (depth < 64)
      for (jit::Value* in : v->node()->inputs())
        if (in->type()->cast<c10::TensorType>()) return QuantizedDType(in, depth + 1);
    return at::kQUInt8;
  }

  // quantize(x, params...) then dequantize(that, params...): the pair QDQ writes.
  jit::Value* QuantizeDequantize(const char* quantize, const char* dequantize, jit::Value* x, const Args& params) {
    Args q{jit::NamedValue(x)};
    q.insert(q.end(), params.begin(), params.end());
    Args dq{jit::NamedValue(Insert(quantize, q))};
    dq.insert(dq.end(), params.begin(), params.end());
    return Insert(dequantize, dq);
  }

  // x rounded to the grid of (scale, zero_point): quantize then dequantize, as QDQ.
  jit::Value* QuantDequant(jit::Value* x, jit::Value* scale, jit::Value* zero_point, at::ScalarType quantized) {
    Bounds b = BoundsOf(quantized);
    Args params{Known(scale), Known(zero_point), jit::NamedValue(c10::IValue(b.min)),
                jit::NamedValue(c10::IValue(b.max)), jit::NamedValue(c10::IValue(b.storage))};
    jit::Value* result = QuantizeDequantize("quantized_decomposed::quantize_per_tensor",
                                            "quantized_decomposed::dequantize_per_tensor", x, params);
    dtypes_[result] = quantized;
    if (auto step = attrs_.Constant(scale); step && step->isDouble()) out_.steps[result] = step->toDouble();
    return result;
  }

  jit::Value* AddWeight(const std::string& fqn, const at::Tensor& tensor, ir::InputKind kind) {
    jit::Value* input = graph_.addInput(fqn);
    input->setType(c10::TensorType::create(tensor));
    out_.weights.push_back({fqn, tensor, kind, input});
    return input;
  }

  // The integer weight, its scales and zero points as graph inputs, dequantized in the graph.
  jit::Value* DequantizedWeight(const at::Tensor& q, const std::string& prefix) {
    Bounds b = BoundsOf(q.scalar_type());
    jit::Value* ints = AddWeight(prefix + ".weight", q.int_repr().contiguous(), ir::InputKind::kParameter);
    Args range{jit::NamedValue(c10::IValue(b.min)), jit::NamedValue(c10::IValue(b.max)),
               jit::NamedValue(c10::IValue(b.storage))};
    switch (q.qscheme()) {
      case at::kPerTensorAffine:
      case at::kPerTensorSymmetric: {
        Args args{jit::NamedValue(ints), jit::NamedValue(c10::IValue(q.q_scale())),
                  jit::NamedValue(c10::IValue(q.q_zero_point()))};
        args.insert(args.end(), range.begin(), range.end());
        return Insert("quantized_decomposed::dequantize_per_tensor", args);
      }
      case at::kPerChannelAffine:
      case at::kPerChannelSymmetric: {
        jit::Value* scales =
            AddWeight(prefix + ".weight_scale", q.q_per_channel_scales().to(at::kFloat), ir::InputKind::kBuffer);
        jit::Value* zero_points =
            AddWeight(prefix + ".weight_zero_point", q.q_per_channel_zero_points().to(b.storage), ir::InputKind::kBuffer);
        Args args{jit::NamedValue(ints), jit::NamedValue(scales), jit::NamedValue(zero_points),
                  jit::NamedValue(c10::IValue(q.q_per_channel_axis()))};
        args.insert(args.end(), range.begin(), range.end());
        return Insert("quantized_decomposed::dequantize_per_channel", args);
      }
      default:
        throw ExportError("eager-mode quantization: " + prefix + "'s weight uses qscheme " +
                          c10::toString(q.qscheme()) + ", which has no QDQ form (per-tensor and per-channel affine do)");
    }
  }

  jit::NamedValue Bias(const c10::IValue& bias, const std::string& prefix) {
    if (bias.isNone()) return jit::NamedValue(c10::IValue());
    return jit::NamedValue(AddWeight(prefix + ".bias", bias.toTensor().contiguous(), ir::InputKind::kParameter));
  }

  // The packed parameters argument: its object and the module path that holds it.
  std::pair<c10::IValue, std::string> Packed(jit::Node* node, size_t index) {
    auto attribute = attrs_.Attribute(node->input(index));
    if (!attribute)
      throw ExportError(std::string(node->kind().toQualString()) +
                        ": its packed parameters are not a module attribute, so they cannot be unpacked at export time");
    std::string path = attribute->second;  // "fc._packed_params._packed_params" -> "fc"
    const std::string suffix = "._packed_params";
    while (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      path.resize(path.size() - suffix.size());
    return {attribute->first, path};
  }

  struct Unpacked {
    jit::Value* weight;  // dequantized in the graph
    jit::NamedValue bias;
  };
  // The weight and bias of packed parameters through their `unpack_op`, once per module.
  const Unpacked& Unpack(const std::string& unpack_op, const c10::IValue& packed, const std::string& path) {
    auto cached = unpacked_.find(path);
    if (cached == unpacked_.end()) {
      std::vector<c10::IValue> unpacked = CallOp(unpack_op, packed);
      cached = unpacked_.emplace(path, Unpacked{DequantizedWeight(unpacked[0].toTensor(), path),
                                                Bias(unpacked[1], path)}).first;
    }
    return cached->second;
  }

  void Replace(jit::Node* node, jit::Value* value) { node->output()->replaceAllUsesWith(value); }

  jit::Value* Relu(jit::Value* x) { return Insert("aten::relu", {jit::NamedValue(x)}); }

  jit::Value* LowerConv(jit::Node* node, const std::string& kind, int spatial, bool transpose, bool relu);
  jit::Value* LowerLinear(jit::Node* node, bool relu);
  jit::Value* LowerDynamicLinear(jit::Node* node, bool relu, bool fp16);

  jit::Graph& graph_;
  AttributeResolver attrs_;
  EagerQuantization& out_;
  std::unordered_map<const jit::Value*, at::ScalarType> dtypes_;
  std::map<std::string, Unpacked> unpacked_;  // by module path
};

// quantized::conv{1,2,3}d[_relu](qx, packed, output_scale, output_zero_point), the older
// form with stride, padding, dilation and groups before the scale, and conv_transpose*.
jit::Value* Lowering::LowerConv(jit::Node* node, const std::string& kind, int spatial, bool transpose, bool relu) {
  auto [packed, path] = Packed(node, 1);
  // Conv1d packs as a 2-d convolution of height 1: its accessors are the 2-d ones.
  std::string accessor = std::string("quantized::") + (transpose ? "conv_transpose" : "conv") +
                         std::to_string(spatial == 1 ? 2 : spatial) + "d_";
  auto last = [&](const c10::IValue& list) {
    std::vector<int64_t> v = list.toIntVector();
    if (spatial == 1) v = {v.back()};
    return c10::IValue(v);
  };
  const Unpacked& unpacked = Unpack("quantized::" + kind + "_unpack", packed, path);
  size_t n = node->inputs().size();
  c10::IValue stride = last(CallOp(accessor + "stride", packed)[0]);
  c10::IValue padding = last(CallOp(accessor + "padding", packed)[0]);
  c10::IValue dilation = last(CallOp(accessor + "dilation", packed)[0]);
  c10::IValue groups = CallOp(accessor + "groups", packed)[0];
  Args args{jit::NamedValue(node->input(0)), jit::NamedValue(unpacked.weight), unpacked.bias, jit::NamedValue(stride),
            jit::NamedValue(padding)};
  jit::Value* y;
  if (transpose) {
    c10::IValue output_padding = last(CallOp(accessor + "output_padding", packed)[0]);
    args.insert(args.end(), {jit::NamedValue(output_padding), jit::NamedValue(groups), jit::NamedValue(dilation)});
    y = Insert(("aten::conv_transpose" + std::to_string(spatial) + "d").c_str(), args);
  } else {
    if (n == 8) {  // the older form: the node's own stride, padding, dilation, groups
      args = {jit::NamedValue(node->input(0)), jit::NamedValue(unpacked.weight), unpacked.bias, Known(node->input(2)),
              Known(node->input(3))};
      args.insert(args.end(), {Known(node->input(4)), Known(node->input(5))});
    } else {
      args.insert(args.end(), {jit::NamedValue(dilation), jit::NamedValue(groups)});
    }
    y = Insert(("aten::conv" + std::to_string(spatial) + "d").c_str(), args);
  }
  if (relu) y = Relu(y);
  return QuantDequant(y, node->input(n - 2), node->input(n - 1), QuantizedDType(node->input(0)));
}

// quantized::linear[_relu](X, W_prepack, Y_scale_i, Y_zero_point_i)
jit::Value* Lowering::LowerLinear(jit::Node* node, bool relu) {
  auto [packed, path] = Packed(node, 1);
  const Unpacked& unpacked = Unpack("quantized::linear_unpack", packed, path);
  jit::Value* y = Insert("aten::linear", {jit::NamedValue(node->input(0)), jit::NamedValue(unpacked.weight), unpacked.bias});
  if (relu) y = Relu(y);
  return QuantDequant(y, node->input(2), node->input(3), QuantizedDType(node->input(0)));
}

// quantized::linear_dynamic(X, W_prepack, reduce_range) and linear_relu_dynamic: X is
// quantized per call to quint8 with parameters from its range (0..127 with reduce_range);
// linear_dynamic_fp16: the weight rounded to float16, X as it is.
jit::Value* Lowering::LowerDynamicLinear(jit::Node* node, bool relu, bool fp16) {
  auto [packed, path] = Packed(node, 1);
  jit::Value* x = node->input(0);
  jit::Value* weight;
  jit::NamedValue bias(c10::IValue{});
  if (fp16) {
    std::vector<c10::IValue> unpacked = CallOp("quantized::linear_unpack_fp16", packed);
    weight = AddWeight(path + ".weight", unpacked[0].toTensor().to(at::kHalf).contiguous(), ir::InputKind::kParameter);
    weight = Insert("aten::to", {jit::NamedValue(weight), jit::NamedValue(c10::IValue(at::kFloat))});
    bias = Bias(unpacked[1], path);
  } else {
    const Unpacked& unpacked = Unpack("quantized::linear_unpack", packed, path);
    weight = unpacked.weight;
    bias = unpacked.bias;
    auto reduce = node->inputs().size() > 2 ? attrs_.Constant(node->input(2)) : std::optional<c10::IValue>(false);
    if (!reduce || !reduce->isBool())
      throw ExportError(std::string(node->kind().toQualString()) + ": reduce_range is not known at export time");
    int64_t quant_max = reduce->toBool() ? 127 : 255;
    jit::Value* qparams = Insert("quantized_decomposed::choose_qparams", {
        jit::NamedValue(x), jit::NamedValue(c10::IValue(int64_t{0})), jit::NamedValue(c10::IValue(quant_max)),
        jit::NamedValue(c10::IValue(static_cast<double>(std::numeric_limits<float>::epsilon()))),
        jit::NamedValue(c10::IValue(at::kByte))});
    auto scale_and_zero_point = graph_.insertNode(graph_.createTupleUnpack(qparams))->outputs();
    Args params{jit::NamedValue(scale_and_zero_point[0]), jit::NamedValue(scale_and_zero_point[1]), jit::NamedValue(c10::IValue(int64_t{0})),
                jit::NamedValue(c10::IValue(quant_max)), jit::NamedValue(c10::IValue(at::kByte))};
    x = QuantizeDequantize("quantized_decomposed::quantize_per_tensor", "quantized_decomposed::dequantize_per_tensor", x,
                           params);
  }
  jit::Value* y = Insert("aten::linear", {jit::NamedValue(x), jit::NamedValue(weight), bias});
  return relu ? Relu(y) : y;
}

bool Lowering::Lower(jit::Node* node) {
  const std::string kind = node->kind().toQualString();
  auto arg = [&](size_t i) { return jit::NamedValue(node->input(i)); };
  auto qdq_last_two = [&](jit::Value* y, jit::Value* like) {
    size_t n = node->inputs().size();
    return QuantDequant(y, node->input(n - 2), node->input(n - 1), QuantizedDType(like));
  };
  jit::Value* result = nullptr;

  if (kind == "aten::quantize_per_tensor" && node->inputs().size() == 4 &&
      node->input(0)->type()->cast<c10::TensorType>()) {
    auto dtype = attrs_.Constant(node->input(3));
    if (!dtype || !dtype->isInt())
      throw ExportError("aten::quantize_per_tensor: the quantized dtype is not known at export time");
    result = QuantDequant(node->input(0), node->input(1), node->input(2), static_cast<at::ScalarType>(dtype->toInt()));
  } else if (kind == "aten::quantize_per_channel") {
    auto dtype = attrs_.Constant(node->input(4));
    if (!dtype || !dtype->isInt())
      throw ExportError("aten::quantize_per_channel: the quantized dtype is not known at export time");
    at::ScalarType quantized = static_cast<at::ScalarType>(dtype->toInt());
    Bounds b = BoundsOf(quantized);
    Args params{arg(1), arg(2), Known(node->input(3)), jit::NamedValue(c10::IValue(b.min)),
                jit::NamedValue(c10::IValue(b.max)), jit::NamedValue(c10::IValue(b.storage))};
    result = QuantizeDequantize("quantized_decomposed::quantize_per_channel",
                                "quantized_decomposed::dequantize_per_channel", node->input(0), params);
    dtypes_[result] = quantized;
  } else if (kind == "aten::dequantize") {
    result = node->input(0);  // quantized values are dequantized floats already
  } else if (kind.rfind("quantized::", 0) != 0) {
    return false;
  } else if (kind == "quantized::conv1d" || kind == "quantized::conv2d" || kind == "quantized::conv3d" ||
             kind == "quantized::conv1d_relu" || kind == "quantized::conv2d_relu" || kind == "quantized::conv3d_relu") {
    int spatial = kind[15] - '0';
    bool relu = kind.size() > 17;
    result = LowerConv(node, "conv" + std::to_string(spatial) + "d", spatial, false, relu);
  } else if (kind == "quantized::conv_transpose1d" || kind == "quantized::conv_transpose2d" ||
             kind == "quantized::conv_transpose3d") {
    int spatial = kind[25] - '0';
    result = LowerConv(node, "conv_transpose" + std::to_string(spatial) + "d", spatial, true, false);
  } else if (kind == "quantized::linear" || kind == "quantized::linear_relu") {
    result = LowerLinear(node, kind == "quantized::linear_relu");
  } else if (kind == "quantized::linear_dynamic" || kind == "quantized::linear_relu_dynamic") {
    result = LowerDynamicLinear(node, kind == "quantized::linear_relu_dynamic", false);
  } else if (kind == "quantized::linear_dynamic_fp16" || kind == "quantized::linear_relu_dynamic_fp16") {
    result = LowerDynamicLinear(node, kind == "quantized::linear_relu_dynamic_fp16", true);
  } else if ((kind == "quantized::add" || kind == "quantized::add_relu" || kind == "quantized::mul" ||
              kind == "quantized::mul_relu" || kind == "quantized::matmul") &&
             node->inputs().size() == 4) {
    const char* op = kind.find("add") != std::string::npos ? "aten::add"
                     : kind == "quantized::matmul"          ? "aten::matmul"
                                                            : "aten::mul";
    jit::Value* y = Insert(op, {arg(0), arg(1)});
    if (kind.find("_relu") != std::string::npos) y = Relu(y);
    result = qdq_last_two(y, node->input(0));
  } else if (kind == "quantized::add_scalar" || kind == "quantized::add_scalar_relu" ||
             kind == "quantized::mul_scalar" || kind == "quantized::mul_scalar_relu" ||
             ((kind == "quantized::add" || kind == "quantized::mul") && node->inputs().size() == 2)) {
    // The kernel picks the output's parameters itself; the float result is within a step of it.
    bool scalar_first = !node->input(0)->type()->cast<c10::TensorType>();
    jit::Value* y = Insert(kind.find("add") != std::string::npos ? "aten::add" : "aten::mul",
                           scalar_first ? Args{arg(1), arg(0)} : Args{arg(0), arg(1)});
    result = kind.find("_relu") != std::string::npos ? Relu(y) : y;
  } else if (kind == "quantized::cat" || kind == "quantized::cat_relu") {
    jit::Value* y = Insert("aten::cat", {arg(0), Known(node->input(1))});
    if (kind == "quantized::cat_relu") y = Relu(y);
    auto scale = attrs_.Constant(node->input(2));
    result = scale && scale->isNone() ? y : qdq_last_two(y, node->input(0));
  } else if (kind == "quantized::hardswish" || kind == "quantized::sigmoid") {
    result = qdq_last_two(Insert(kind == "quantized::hardswish" ? "aten::hardswish" : "aten::sigmoid", {arg(0)}),
                          node->input(0));
  } else if (kind == "quantized::softmax") {  // (qx, dim, half_to_float, output_scale, output_zero_point)
    result = qdq_last_two(Insert("aten::softmax", {arg(0), Known(node->input(1))}), node->input(0));
  } else if (kind == "quantized::leaky_relu") {  // (qx, negative_slope, inplace, output_scale, output_zero_point)
    result = qdq_last_two(Insert("aten::leaky_relu", {arg(0), Known(node->input(1))}), node->input(0));
  } else if (kind == "quantized::relu6") {
    result = Insert("aten::hardtanh", {arg(0), jit::NamedValue(c10::IValue(0.0)), jit::NamedValue(c10::IValue(6.0))});
  } else if (kind == "quantized::clamp") {
    result = Insert("aten::clamp", {arg(0), Known(node->input(1)), Known(node->input(2))});
  } else if (kind == "quantized::threshold") {
    result = Insert("aten::threshold", {arg(0), Known(node->input(1)), Known(node->input(2))});
  } else if (kind == "quantized::elu") {  // (self, output_scale, output_zero_point, alpha, scale, input_scale)
    jit::Value* y = Insert("aten::elu", {arg(0), Known(node->input(3)), Known(node->input(4)), Known(node->input(5))});
    result = QuantDequant(y, node->input(1), node->input(2), QuantizedDType(node->input(0)));
  } else if (kind == "quantized::celu") {  // (self, output_scale, output_zero_point, alpha)
    jit::Value* y = Insert("aten::celu", {arg(0), Known(node->input(3))});
    result = QuantDequant(y, node->input(1), node->input(2), QuantizedDType(node->input(0)));
  } else if (kind == "quantized::prelu") {  // (qx, weight, output_scale, output_zero_point)
    result = qdq_last_two(Insert("aten::prelu", {arg(0), arg(1)}), node->input(0));
  } else if (kind == "quantized::dropout") {  // (self, output_scale, output_zero_point, p, training): eval
    result = QuantDequant(node->input(0), node->input(1), node->input(2), QuantizedDType(node->input(0)));
  } else if (kind == "quantized::batch_norm" || kind.rfind("quantized::batch_norm", 0) == 0) {
    // (qx, weight, bias, mean, var, eps, output_scale, output_zero_point)
    jit::Value* y = Insert("aten::batch_norm", {arg(0), arg(1), arg(2), arg(3), arg(4), jit::NamedValue(c10::IValue(false)),
                                                jit::NamedValue(c10::IValue(0.1)), Known(node->input(5)),
                                                jit::NamedValue(c10::IValue(true))});
    if (kind.size() > 5 && kind.compare(kind.size() - 5, 5, "_relu") == 0) y = Relu(y);
    result = qdq_last_two(y, node->input(0));
  } else if (kind == "quantized::layer_norm") {  // (input, normalized_shape, weight, bias, eps, scale, zp)
    result = qdq_last_two(Insert("aten::layer_norm", {arg(0), Known(node->input(1)), arg(2), arg(3),
                                                      Known(node->input(4)), jit::NamedValue(c10::IValue(true))}),
                          node->input(0));
  } else if (kind == "quantized::group_norm") {  // (input, num_groups, weight, bias, eps, scale, zp)
    result = qdq_last_two(Insert("aten::group_norm", {arg(0), Known(node->input(1)), arg(2), arg(3),
                                                      Known(node->input(4)), jit::NamedValue(c10::IValue(true))}),
                          node->input(0));
  } else if (kind == "quantized::instance_norm") {  // (input, weight, bias, eps, scale, zp)
    result = qdq_last_two(
        Insert("aten::instance_norm", {arg(0), arg(1), arg(2), jit::NamedValue(c10::IValue()), jit::NamedValue(c10::IValue()),
                                       jit::NamedValue(c10::IValue(true)), jit::NamedValue(c10::IValue(0.1)),
                                       Known(node->input(3)), jit::NamedValue(c10::IValue(true))}),
        node->input(0));
  } else if (kind == "quantized::max_pool1d" || kind == "quantized::max_pool2d") {
    Args args;
    for (size_t i = 0; i < node->inputs().size(); ++i) args.push_back(i == 0 ? arg(0) : Known(node->input(i)));
    result = Insert(kind == "quantized::max_pool1d" ? "aten::max_pool1d" : "aten::max_pool2d", args);
  } else {
    return false;
  }
  Replace(node, result);
  return true;
}

// Gives the nodes inserted before `anchor` since `before` the source location, module
// scope and call stack of the node they replace.
void InheritLocation(jit::Node* before, jit::Node* anchor) {
  for (jit::Node* n = before->next(); n != anchor; n = n->next()) {
    n->setSourceRange(anchor->sourceRange());
    n->setScope(anchor->scope());
    if (anchor->callstack()) n->setCallStack(*anchor->callstack());
  }
}

bool TakesQuantizedTensors(jit::Node* node) {
  const std::string kind = node->kind().toQualString();
  return kind.rfind("quantized::", 0) == 0 || kind == "aten::quantize_per_tensor" ||
         kind == "aten::quantize_per_channel" || kind == "aten::quantized_lstm" || kind == "aten::quantized_gru";
}


}  // namespace

EagerQuantization LowerEagerQuantized(const std::shared_ptr<jit::Graph>& graph_ptr, const jit::Module& module) {
  jit::Graph& graph = *graph_ptr;
  EagerQuantization out;
  std::vector<jit::Node*> nodes;
  CollectNodes(graph.block(), nodes);
  if (std::none_of(nodes.begin(), nodes.end(), TakesQuantizedTensors)) return out;
  out.lowered = true;
  FoldUnassignedScalarAttributes(graph_ptr, module);
  nodes.clear();
  CollectNodes(graph.block(), nodes);
  Lowering lowering(graph, module, out);
  std::map<std::string, std::vector<std::string>> missing;  // op -> locations
  for (jit::Node* node : nodes) {
    jit::WithInsertPoint here(node);
    jit::Node* before = node->prev();
    if (!lowering.Lower(node)) {
      if (TakesQuantizedTensors(node)) {
        auto where = node->sourceRange().file_line_col();
        missing[node->kind().toQualString()].push_back(
            where ? std::get<0>(*where) + ":" + std::to_string(std::get<1>(*where)) : "no source location");
      }
      continue;
    }
    InheritLocation(before, node);
    node->destroy();
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& [op, where] : missing) list += (list.empty() ? "" : "; ") + op + " (" + where.front() + ")";
    throw ExportError("eager-mode quantized ops without a QDQ lowering: " + list);
  }
  return out;
}

}  // namespace t2o::torchscript
