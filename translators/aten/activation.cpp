// Activation functions and softmax-like normalizers.
#include <cmath>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

std::string X(TranslationContext& ctx) { return ctx.OperandAs(0, ctx.OutDType()); }
std::string C(TranslationContext& ctx, double v) { return ctx.ConstScalar(v, ctx.OutDType()); }

// aten::hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor
void TranslateHardtanh(TranslationContext& ctx) {
  double lo = ctx.NumInputs() > 1 ? ctx.ConstDouble(1, "min_val") : -1.0;
  double hi = ctx.NumInputs() > 2 ? ctx.ConstDouble(2, "max_val") : 1.0;
  ctx.SetOutput(0, ctx.Op("Clip", {X(ctx), C(ctx, lo), C(ctx, hi)}));
}

// aten::gelu(Tensor self, *, str approximate='none') -> Tensor
std::string GeluApproximate(TranslationContext& ctx) {
  std::string approximate = ctx.NumInputs() > 1 && !ctx.IsNone(1) ? ctx.ConstString(1, "approximate") : "none";
  if (approximate != "none" && approximate != "tanh") throw UnsupportedError("aten::gelu: unknown approximate='" + approximate + "'");
  return approximate;
}

// Composed below opset 20: exact 0.5x(1+erf(x/sqrt2)), or the tanh approximation.
void TranslateGelu13(TranslationContext& ctx) {
  std::string x = X(ctx);
  std::string inner;
  if (GeluApproximate(ctx) == "tanh") {
    std::string cube = ctx.Op("Mul", {x, ctx.Op("Mul", {x, x})});
    std::string poly = ctx.Op("Add", {x, ctx.Op("Mul", {cube, C(ctx, 0.044715)})});
    inner = ctx.Op("Tanh", {ctx.Op("Mul", {poly, C(ctx, std::sqrt(2.0 / M_PI))})});
  } else {
    inner = ctx.Op("Erf", {ctx.Op("Mul", {x, C(ctx, M_SQRT1_2)})});
  }
  std::string half_x = ctx.Op("Mul", {x, C(ctx, 0.5)});
  ctx.SetOutput(0, ctx.Op("Mul", {half_x, ctx.Op("Add", {inner, C(ctx, 1.0)})}));
}

// ONNX Gelu (opset 20), with the same two forms.
void TranslateGelu20(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Op("Gelu", {X(ctx)}, {{"approximate", GeluApproximate(ctx)}}));
}

// aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor
void TranslateSoftmax(TranslationContext& ctx, const std::string& op) {
  int64_t dim = ctx.ConstInt(1, "dim");
  std::string x = ctx.OperandAs(0, ctx.OutDType());
  ctx.SetOutput(0, ctx.Op(op, {x}, {{"axis", dim}}));
}

// aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor
void TranslateLeakyRelu(TranslationContext& ctx) {
  double slope = ctx.NumInputs() > 1 ? ctx.ConstDouble(1, "negative_slope") : 0.01;
  ctx.SetOutput(0, ctx.Op("LeakyRelu", {X(ctx)}, {{"alpha", static_cast<float>(slope)}}));
}

// aten::elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor
void TranslateElu(TranslationContext& ctx) {
  double alpha = ctx.NumInputs() > 1 ? ctx.ConstDouble(1, "alpha") : 1.0;
  double scale = ctx.NumInputs() > 2 ? ctx.ConstDouble(2, "scale") : 1.0;
  double input_scale = ctx.NumInputs() > 3 ? ctx.ConstDouble(3, "input_scale") : 1.0;
  std::string x = X(ctx);
  if (input_scale != 1.0) x = ctx.Op("Mul", {x, C(ctx, input_scale)});
  std::string y = ctx.Op("Elu", {x}, {{"alpha", static_cast<float>(alpha)}});
  if (scale != 1.0) y = ctx.Op("Mul", {y, C(ctx, scale)});
  ctx.SetOutput(0, y);
}

// aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor
void TranslateSoftplus(TranslationContext& ctx) {
  double beta = ctx.NumInputs() > 1 ? ctx.ConstDouble(1, "beta") : 1.0;
  double threshold = ctx.NumInputs() > 2 ? ctx.ConstDouble(2, "threshold") : 20.0;
  std::string x = X(ctx);
  std::string bx = beta == 1.0 ? x : ctx.Op("Mul", {x, C(ctx, beta)});
  std::string soft = ctx.Op("Softplus", {bx});
  if (beta != 1.0) soft = ctx.Op("Div", {soft, C(ctx, beta)});
  // Above the threshold PyTorch returns x itself.
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("Greater", {bx, C(ctx, threshold)}), x, soft}));
}

// aten::glu(Tensor self, int dim=-1) -> Tensor
void TranslateGlu(TranslationContext& ctx) {
  int64_t dim = ctx.NumInputs() > 1 ? ctx.ConstInt(1, "dim") : -1;
  auto halves = SplitEvenly(ctx, X(ctx), dim, 2);
  ctx.SetOutput(0, ctx.Op("Mul", {halves[0], ctx.Op("Sigmoid", {halves[1]})}));
}

// aten::threshold(Tensor self, Scalar threshold, Scalar value) -> Tensor
void TranslateThreshold(TranslationContext& ctx) {
  std::string x = X(ctx);
  std::string t = ctx.OperandAs(1, ctx.OutDType());
  std::string v = ctx.OperandAs(2, ctx.OutDType());
  ctx.SetOutput(0, ctx.Op("Where", {ctx.Op("Greater", {x, t}), x, v}));
}

// aten::prelu(Tensor self, Tensor weight) -> Tensor: weight is per channel (dim 1).
void TranslatePrelu(TranslationContext& ctx) {
  std::string x = X(ctx);
  std::string w = ctx.OperandAs(1, ctx.OutDType());
  int64_t rank = ctx.Rank(0);
  if (ctx.Meta(1).rank() == 1 && rank >= 2) {
    std::vector<int64_t> axes;
    for (int64_t k = 1; k < rank - 1; ++k) axes.push_back(k);
    if (!axes.empty()) w = Unsqueeze(ctx, w, axes);
  }
  ctx.SetOutput(0, ctx.Op("PRelu", {x, w}));
}

}  // namespace

void RegisterActivation(Registry& r) {
  r.SetFamily("activation");
  struct Simple {
    const char* aten;
    const char* onnx;
  };
  static const Simple kSimple[] = {{"aten::sigmoid", "Sigmoid"}, {"aten::tanh", "Tanh"}, {"aten::selu", "Selu"},
                                   {"aten::softsign", "Softsign"}};
  for (const auto& s : kSimple) {
    std::string op = s.onnx;
    r.Add(s.aten, [op](TranslationContext& c) { c.SetOutput(0, c.Op(op, {X(c)})); });
  }
  // ONNX HardSwish arrives in opset 14; before, x * hardsigmoid(x).
  r.Add("aten::hardswish", {13, 13}, [](TranslationContext& c) {
    std::string x = X(c);
    std::string gate = c.Op("HardSigmoid", {x}, {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}});
    c.SetOutput(0, c.Op("Mul", {x, gate}));
  });
  r.Add("aten::hardswish", {14, kMaxOpset}, [](TranslationContext& c) {
    c.SetOutput(0, c.Op("HardSwish", {X(c)}));
  });
  r.Add("aten::hardsigmoid", [](TranslationContext& c) {
    c.SetOutput(0, c.Op("HardSigmoid", {X(c)}, {{"alpha", 1.0f / 6.0f}, {"beta", 0.5f}}));
  });
  r.Add("aten::relu6", [](TranslationContext& c) { c.SetOutput(0, c.Op("Clip", {X(c), C(c, 0), C(c, 6)})); });
  r.Add("aten::hardtanh", TranslateHardtanh);
  // ONNX Runtime's Relu has no int16/int64 kernels: max(x, 0) there.
  r.Add("aten::relu", [](TranslationContext& c) {
    DType dt = c.OutDType();
    if (dt == DType::kInt64 || dt == DType::kInt16) return c.SetOutput(0, c.Op("Max", {X(c), Zero(c, dt)}));
    c.SetOutput(0, c.Op("Relu", {X(c)}));
  });
  // float64: ONNX Runtime fuses x * sigmoid(x) into com.microsoft.QuickGelu, which has no
  // float64 kernel; x / (1 + exp(-x)) is the same function without that pattern.
  r.Add("aten::silu", [](TranslationContext& c) {
    std::string x = X(c);
    if (c.OutDType() == DType::kFloat64)
      return c.SetOutput(0, c.Op("Div", {x, c.Op("Add", {c.ConstScalar(1, DType::kFloat64), c.Op("Exp", {c.Op("Neg", {x})})})}));
    c.SetOutput(0, c.Op("Mul", {x, c.Op("Sigmoid", {x})}));
  });
  // x * tanh(softplus(x)); ONNX Mish from opset 18.
  r.Add("aten::mish", {13, 17}, [](TranslationContext& c) {
    std::string x = X(c);
    c.SetOutput(0, c.Op("Mul", {x, c.Op("Tanh", {c.Op("Softplus", {x})})}));
  });
  r.Add("aten::mish", {18, kMaxOpset}, [](TranslationContext& c) {
    c.SetOutput(0, c.Op("Mish", {X(c)}));
  });
  r.Add("aten::gelu", {13, 19}, TranslateGelu13);
  r.Add("aten::gelu", {20, kMaxOpset}, TranslateGelu20);
  r.Add("aten::softmax", [](TranslationContext& c) { TranslateSoftmax(c, "Softmax"); });
  r.Add("aten::_softmax", [](TranslationContext& c) { TranslateSoftmax(c, "Softmax"); });
  r.Add("aten::log_softmax", [](TranslationContext& c) { TranslateSoftmax(c, "LogSoftmax"); });
  // aten::_safe_softmax(Tensor self, int dim, ScalarType? dtype=None): softmax, with 0 for
  // rows that are -inf throughout (fully masked attention rows) instead of NaN.
  r.Add("aten::_safe_softmax", [](TranslationContext& c) {
    DType dt = c.OutDType();
    int64_t dim = c.ConstInt(1, "dim");
    std::string x = c.OperandAs(0, dt);
    std::string masked = c.Op("Equal", {Reduce(c, "ReduceMax", x, {dim}, true), c.ConstScalar(-INFINITY, dt)});
    c.SetOutput(0, c.Op("Where", {masked, Zero(c, dt), c.Op("Softmax", {x}, {{"axis", dim}})}));
  });
  r.Add("aten::_log_softmax", [](TranslationContext& c) { TranslateSoftmax(c, "LogSoftmax"); });
  r.Add("aten::leaky_relu", TranslateLeakyRelu);
  r.Add("aten::elu", TranslateElu);
  r.Add("aten::celu", [](TranslationContext& c) {
    double alpha = c.NumInputs() > 1 ? c.ConstDouble(1, "alpha") : 1.0;
    c.SetOutput(0, c.Op("Celu", {X(c)}, {{"alpha", static_cast<float>(alpha)}}));
  });
  r.Add("aten::softplus", TranslateSoftplus);
  r.Add("aten::glu", TranslateGlu);
  r.Add("aten::threshold", TranslateThreshold);
  r.Add("aten::prelu", TranslatePrelu);
  // aten::rrelu(Tensor self, Scalar lower=1/8, Scalar upper=1/3, bool training=False, Generator? g)
  // In eval mode the slope is the mean of the bounds.
  r.Add("aten::rrelu", [](TranslationContext& c) {
    if (c.ConstBool(3, "training")) throw UnsupportedError("rrelu in training mode draws random slopes");
    double slope = (c.ConstDouble(1, "lower") + c.ConstDouble(2, "upper")) / 2.0;
    c.SetOutput(0, c.Op("LeakyRelu", {c.Input(0)}, {{"alpha", static_cast<float>(slope)}}));
  });
  // aten::rrelu_with_noise(Tensor self, Tensor noise, Scalar lower, Scalar upper, bool training,
  //     Generator? generator): what rrelu decomposes to; the noise is only written in training.
  // rrelu_with_noise_functional (core ATen) also returns the noise, unchanged in eval.
  auto rrelu_with_noise = [](TranslationContext& c) {
    if (c.ConstBool(4, "training")) throw UnsupportedError("rrelu in training mode draws random slopes");
    double slope = (c.ConstDouble(2, "lower") + c.ConstDouble(3, "upper")) / 2.0;
    c.SetOutput(0, c.Op("LeakyRelu", {c.Input(0)}, {{"alpha", static_cast<float>(slope)}}));
    if (c.node().outputs.size() > 1) c.SetOutput(1, c.Op("Identity", {c.Input(1)}));
  };
  r.Add("aten::rrelu_with_noise", rrelu_with_noise);
  r.Add("aten::rrelu_with_noise_functional", rrelu_with_noise);
  r.Add("aten::log_sigmoid", [](TranslationContext& c) {
    c.SetOutput(0, c.Op("Neg", {c.Op("Softplus", {c.Op("Neg", {X(c)})})}));
  });
  // aten::log_sigmoid_forward(Tensor self) -> (Tensor output, Tensor buffer): the buffer is a
  // backward-pass scratch value (empty on CPU).
  r.Add("aten::log_sigmoid_forward", [](TranslationContext& c) {
    c.SetOutput(0, c.Op("Neg", {c.Op("Softplus", {c.Op("Neg", {X(c)})})}));
    if (c.node().outputs.size() > 1) c.SetOutput(1, c.Constant(TensorData::FromVector<float>(DType::kFloat32, {0}, {})));
  });
  r.Add("aten::tanhshrink", [](TranslationContext& c) {
    std::string x = X(c);
    c.SetOutput(0, c.Op("Sub", {x, c.Op("Tanh", {x})}));
  });
  r.Add("aten::hardshrink", [](TranslationContext& c) {
    double l = c.NumInputs() > 1 ? c.ConstDouble(1, "lambd") : 0.5;
    c.SetOutput(0, c.Op("Shrink", {X(c)}, {{"lambd", static_cast<float>(l)}, {"bias", 0.0f}}));
  });
  r.Add("aten::softshrink", [](TranslationContext& c) {
    double l = c.NumInputs() > 1 ? c.ConstDouble(1, "lambd") : 0.5;
    c.SetOutput(0, c.Op("Shrink", {X(c)}, {{"lambd", static_cast<float>(l)}, {"bias", static_cast<float>(l)}}));
  });
}

}  // namespace t2o
