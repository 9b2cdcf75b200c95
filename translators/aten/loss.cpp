// Loss functions as TorchScript graphs keep them (torch.export decomposes them to core
// ATen): mse, l1, smooth_l1, huber, kl_div, poisson_nll, binary_cross_entropy (with
// logits), margin_ranking, cosine_embedding, triplet_margin, hinge_embedding, soft_margin,
// multi_margin, multilabel_margin, nll_loss (nd, 2d), cross_entropy (class indices or probabilities, label
// smoothing). Every one with reduction none (0), mean (1) or sum (2).
#include "translators/common/helpers.h"

namespace t2o {
namespace {

// The elementwise loss reduced as `reduction` asks.
std::string Reduced(TranslationContext& ctx, const std::string& loss, int64_t reduction) {
  if (reduction == 0) return loss;
  if (reduction != 1 && reduction != 2) throw UnsupportedError(ctx.node().Key() + ": unknown reduction " + std::to_string(reduction));
  return Reduce(ctx, reduction == 1 ? "ReduceMean" : "ReduceSum", Reshape(ctx, loss, {-1}), {0}, false);
}

std::string ClampMin0(TranslationContext& ctx, const std::string& x, DType dt) { return ctx.Op("Max", {x, Zero(ctx, dt)}); }

// aten::mse_loss / l1_loss(Tensor self, Tensor target, int reduction=1)
void TranslateDistanceLoss(TranslationContext& ctx, bool squared) {
  DType dt = ctx.OutDType();
  std::string d = ctx.Op("Sub", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)});
  ctx.SetOutput(0, Reduced(ctx, squared ? ctx.Op("Mul", {d, d}) : ctx.Op("Abs", {d}), ctx.ConstInt(2, "reduction")));
}

// aten::smooth_l1_loss(self, target, int reduction=1, float beta=1): 0.5 d^2 / beta below
// beta, d - 0.5 beta above (beta 0: l1). aten::huber_loss(..., float delta=1): 0.5 d^2
// below delta, delta (d - 0.5 delta) above.
void TranslateSmoothLoss(TranslationContext& ctx, bool huber) {
  DType dt = ctx.OutDType();
  double k = ctx.ConstDouble(3, huber ? "delta" : "beta");
  std::string d = ctx.Op("Abs", {ctx.Op("Sub", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)})});
  std::string loss = d;
  if (k > 0) {
    std::string quadratic = ctx.Op("Mul", {ctx.Op("Mul", {d, d}), ctx.ConstScalar(huber ? 0.5 : 0.5 / k, dt)});
    std::string linear = ctx.Op("Sub", {d, ctx.ConstScalar(0.5 * k, dt)});
    if (huber) linear = ctx.Op("Mul", {linear, ctx.ConstScalar(k, dt)});
    loss = ctx.Op("Where", {ctx.Op("Less", {d, ctx.ConstScalar(k, dt)}), quadratic, linear});
  }
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(2, "reduction")));
}

// x * log(y), 0 where x is 0 (torch.xlogy).
std::string XLogY(TranslationContext& ctx, const std::string& x, const std::string& y, DType dt) {
  return ctx.Op("Where", {ctx.Op("Equal", {x, Zero(ctx, dt)}), Zero(ctx, dt), ctx.Op("Mul", {x, ctx.Op("Log", {y})})});
}

// aten::kl_div(Tensor self, Tensor target, int reduction=1, *, bool log_target=False), self
// the log-probabilities: target * (log(target) - self), or exp(target) * (target - self).
void TranslateKlDiv(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), t = ctx.OperandAs(1, dt);
  std::string loss = ctx.ConstBool(3, "log_target")
                         ? ctx.Op("Mul", {ctx.Op("Exp", {t}), ctx.Op("Sub", {t, x})})
                         : ctx.Op("Sub", {XLogY(ctx, t, t, dt), ctx.Op("Mul", {t, x})});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(2, "reduction")));
}

// aten::poisson_nll_loss(Tensor input, Tensor target, bool log_input, bool full, float eps,
// int reduction): exp(x) - t x (log_input) or x - t log(x + eps); full adds Stirling's
// t log t - t + 0.5 log(2 pi t) where t > 1.
void TranslatePoissonNll(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), t = ctx.OperandAs(1, dt);
  std::string loss = ctx.ConstBool(2, "log_input")
                         ? ctx.Op("Sub", {ctx.Op("Exp", {x}), ctx.Op("Mul", {t, x})})
                         : ctx.Op("Sub", {x, ctx.Op("Mul", {t, ctx.Op("Log", {ctx.Op("Add", {x, ctx.ConstScalar(ctx.ConstDouble(4, "eps"), dt)})})})});
  if (ctx.ConstBool(3, "full")) {
    std::string stirling = ctx.Op("Add", {ctx.Op("Sub", {ctx.Op("Mul", {t, ctx.Op("Log", {t})}), t}),
                                          ctx.Op("Mul", {ctx.ConstScalar(0.5, dt),
                                                         ctx.Op("Log", {ctx.Op("Mul", {t, ctx.ConstScalar(6.283185307179586, dt)})})})});
    loss = ctx.Op("Add", {loss, ctx.Op("Where", {ctx.Op("Greater", {t, ctx.ConstScalar(1, dt)}), stirling, Zero(ctx, dt)})});
  }
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(5, "reduction")));
}

// aten::binary_cross_entropy(Tensor self, Tensor target, Tensor? weight=None, int reduction=1):
// -(t log(x) + (1 - t) log(1 - x)), each log clamped at -100 as ATen does.
void TranslateBinaryCrossEntropy(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), t = ctx.OperandAs(1, dt);
  std::string floor = ctx.ConstScalar(-100, dt), one = ctx.ConstScalar(1, dt);
  std::string log_x = ctx.Op("Max", {ctx.Op("Log", {x}), floor});
  std::string log_1mx = ctx.Op("Max", {ctx.Op("Log", {ctx.Op("Sub", {one, x})}), floor});
  std::string loss = ctx.Op("Neg", {ctx.Op("Add", {ctx.Op("Mul", {t, log_x}), ctx.Op("Mul", {ctx.Op("Sub", {one, t}), log_1mx})})});
  if (auto w = ctx.OptionalInput(2)) loss = ctx.Op("Mul", {loss, ctx.Cast(*w, ctx.InDType(2), dt)});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(3, "reduction")));
}

// aten::binary_cross_entropy_with_logits(Tensor self, Tensor target, Tensor? weight=None,
// Tensor? pos_weight=None, int reduction=1), in ATen's stable form: (1 - t) x +
// lw (log(exp(-m) + exp(-x - m)) + m), m = max(-x, 0), lw = (pos_weight - 1) t + 1.
void TranslateBceWithLogits(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), t = ctx.OperandAs(1, dt), one = ctx.ConstScalar(1, dt);
  std::string m = ClampMin0(ctx, ctx.Op("Neg", {x}), dt);
  std::string soft = ctx.Op("Add", {ctx.Op("Log", {ctx.Op("Add", {ctx.Op("Exp", {ctx.Op("Neg", {m})}),
                                                                  ctx.Op("Exp", {ctx.Op("Sub", {ctx.Op("Neg", {x}), m})})})}),
                                    m});
  if (auto pos = ctx.OptionalInput(3)) {
    std::string lw = ctx.Op("Add", {ctx.Op("Mul", {ctx.Op("Sub", {ctx.Cast(*pos, ctx.InDType(3), dt), one}), t}), one});
    soft = ctx.Op("Mul", {lw, soft});
  }
  std::string loss = ctx.Op("Add", {ctx.Op("Mul", {ctx.Op("Sub", {one, t}), x}), soft});
  if (auto w = ctx.OptionalInput(2)) loss = ctx.Op("Mul", {loss, ctx.Cast(*w, ctx.InDType(2), dt)});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(4, "reduction")));
}

// aten::margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0,
// int reduction=1): max(0, -y (x1 - x2) + margin); -y (x1 - x2) in the inputs' type (integers
// wrap, as in PyTorch, before the float margin makes the loss floating).
void TranslateMarginRanking(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  DType in = PromoteTypes(PromoteTypes(ctx.InDType(0), ctx.InDType(1)), ctx.InDType(2));
  std::string d = ctx.Op("Sub", {ctx.OperandAs(0, in), ctx.OperandAs(1, in)});
  std::string ranked = ctx.Cast(ctx.Op("Neg", {ctx.Op("Mul", {ctx.OperandAs(2, in), d})}), in, dt);
  std::string loss = ClampMin0(ctx, ctx.Op("Add", {ranked, ctx.ConstScalar(ctx.ConstDouble(3, "margin"), dt)}), dt);
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(4, "reduction")));
}

// aten::cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0,
// int reduction=1): 1 - cos where y = 1, max(0, cos - margin) where y = -1 (0 otherwise),
// cos over the last dim with 1e-12 added to each squared norm, as ATen computes it.
void TranslateCosineEmbedding(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string a = ctx.OperandAs(0, dt), b = ctx.OperandAs(1, dt), y = ctx.OperandAs(2, dt);
  int64_t dim = ctx.Rank(0) - 1;
  std::string eps = ctx.ConstScalar(1e-12, dt);
  auto sum = [&](const std::string& v) { return Reduce(ctx, "ReduceSum", v, {dim}, false); };
  std::string denom = ctx.Op("Sqrt", {ctx.Op("Mul", {ctx.Op("Add", {sum(ctx.Op("Mul", {a, a})), eps}),
                                                     ctx.Op("Add", {sum(ctx.Op("Mul", {b, b})), eps})})});
  std::string cos = ctx.Op("Div", {sum(ctx.Op("Mul", {a, b})), denom});
  std::string pos = ctx.Op("Sub", {ctx.ConstScalar(1, dt), cos});
  std::string neg = ClampMin0(ctx, ctx.Op("Sub", {cos, ctx.ConstScalar(ctx.ConstDouble(3, "margin"), dt)}), dt);
  std::string loss = ctx.Op("Add", {ctx.Op("Where", {ctx.Op("Equal", {y, ctx.ConstScalar(1, dt)}), pos, Zero(ctx, dt)}),
                                    ctx.Op("Where", {ctx.Op("Equal", {y, ctx.ConstScalar(-1, dt)}), neg, Zero(ctx, dt)})});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(4, "reduction")));
}

// ||a - b + eps||_p over the last dim (aten::pairwise_distance); a - b in the operands' type
// `in` (integers wrap, as in PyTorch), the rest in dt.
std::string PairwiseDistance(TranslationContext& ctx, const std::string& a, const std::string& b, double p, double eps,
                             int64_t last, DType in, DType dt) {
  std::string d = ctx.Op("Abs", {ctx.Op("Add", {ctx.Cast(ctx.Op("Sub", {a, b}), in, dt), ctx.ConstScalar(eps, dt)})});
  if (p == 1) return Reduce(ctx, "ReduceSum", d, {last}, false);
  if (p == 2) return Reduce(ctx, "ReduceL2", d, {last}, false);
  std::string sum = Reduce(ctx, "ReduceSum", ctx.Op("Pow", {d, ctx.ConstScalar(p, dt)}), {last}, false);
  return ctx.Op("Pow", {sum, ctx.ConstScalar(1.0 / p, dt)});
}

// aten::triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1,
// float p=2, float eps=1e-6, bool swap=False, int reduction=1):
// max(0, margin + d(a, p) - d(a, n)), d(a, n) the smaller of d(a, n) and d(p, n) with swap.
void TranslateTripletMargin(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  DType in = PromoteTypes(PromoteTypes(ctx.InDType(0), ctx.InDType(1)), ctx.InDType(2));
  std::string a = ctx.OperandAs(0, in), pos = ctx.OperandAs(1, in), neg = ctx.OperandAs(2, in);
  double p = ctx.ConstDouble(4, "p"), eps = ctx.ConstDouble(5, "eps");
  if (p <= 0) throw UnsupportedError(ctx.node().Key() + ": p must be positive");
  int64_t last = std::max({ctx.Rank(0), ctx.Rank(1), ctx.Rank(2)}) - 1;
  std::string d_pos = PairwiseDistance(ctx, a, pos, p, eps, last, in, dt);
  std::string d_neg = PairwiseDistance(ctx, a, neg, p, eps, last, in, dt);
  if (ctx.ConstBool(6, "swap")) d_neg = ctx.Op("Min", {d_neg, PairwiseDistance(ctx, pos, neg, p, eps, last, in, dt)});
  std::string loss = ClampMin0(ctx, ctx.Op("Sub", {ctx.Op("Add", {ctx.ConstScalar(ctx.ConstDouble(3, "margin"), dt), d_pos}), d_neg}), dt);
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(7, "reduction")));
}

// aten::hinge_embedding_loss(Tensor self, Tensor target, float margin=1, int reduction=1):
// x where y != -1, plus max(0, margin - x) where y != 1.
void TranslateHingeEmbedding(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), y = ctx.OperandAs(1, dt);
  std::string margin = ClampMin0(ctx, ctx.Op("Sub", {ctx.ConstScalar(ctx.ConstDouble(2, "margin"), dt), x}), dt);
  std::string not_pos = ctx.Op("Not", {ctx.Op("Equal", {y, ctx.ConstScalar(1, dt)})});
  std::string not_neg = ctx.Op("Not", {ctx.Op("Equal", {y, ctx.ConstScalar(-1, dt)})});
  std::string loss = ctx.Op("Add", {ctx.Op("Where", {not_pos, margin, Zero(ctx, dt)}), ctx.Op("Where", {not_neg, x, Zero(ctx, dt)})});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(3, "reduction")));
}

// aten::soft_margin_loss(Tensor self, Tensor target, int reduction=1): log(1 + exp(-y x)).
void TranslateSoftMargin(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string z = ctx.Op("Neg", {ctx.Op("Mul", {ctx.OperandAs(0, dt), ctx.OperandAs(1, dt)})});
  std::string loss = ctx.Op("Log", {ctx.Op("Add", {ctx.ConstScalar(1, dt), ctx.Op("Exp", {z})})});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(2, "reduction")));
}

// Class-index losses read logits or log-probabilities [N, C, d...] or, unbatched, [C] with
// a 0-d target; ONNX's loss ops want the batched form.
struct ClassInputs {
  std::string x, target;
  bool unbatched = false;
};
ClassInputs BatchedClassInputs(TranslationContext& ctx, const std::string& x) {
  ClassInputs in{x, ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kInt64)};
  if (ctx.Rank(0) == 1) {
    in.unbatched = true;
    in.x = Unsqueeze(ctx, in.x, {0});
    in.target = Unsqueeze(ctx, in.target, {0});
  } else if (ctx.Rank(0) == 0) {  // one sample of one class
    in.unbatched = true;
    in.x = Reshape(ctx, in.x, {1, 1});
    in.target = Reshape(ctx, in.target, {1});
  }
  return in;
}

const char* ReductionName(TranslationContext& ctx, int64_t reduction) {
  if (reduction == 0) return "none";
  if (reduction == 1) return "mean";
  if (reduction == 2) return "sum";
  throw UnsupportedError(ctx.node().Key() + ": unknown reduction " + std::to_string(reduction));
}

// ONNX NegativeLogLikelihoodLoss, PyTorch's nll_loss semantics exactly (weights of the
// targets, ignore_index, the weighted mean).
std::string NllLoss(TranslationContext& ctx, const ClassInputs& in, const std::optional<std::string>& weight,
                    int64_t reduction, int64_t ignore_index) {
  std::vector<std::string> inputs{in.x, in.target};
  if (weight) inputs.push_back(*weight);
  std::string loss = ctx.Op("NegativeLogLikelihoodLoss", inputs,
                            {{"reduction", std::string(ReductionName(ctx, reduction))}, {"ignore_index", ignore_index}});
  return in.unbatched && reduction == 0 ? Squeeze(ctx, loss, {0}) : loss;
}

// aten::nll_loss / nll_loss2d / nll_loss_nd(Tensor self, Tensor target, Tensor? weight=None,
// int reduction=1, SymInt ignore_index=-100), self the log-probabilities.
void TranslateNllLoss(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ClassInputs in = BatchedClassInputs(ctx, ctx.OperandAs(0, dt));
  std::optional<std::string> weight;
  if (auto w = ctx.OptionalInput(2)) weight = ctx.Cast(*w, ctx.InDType(2), dt);
  ctx.SetOutput(0, NllLoss(ctx, in, weight, ctx.ConstInt(3, "reduction"), ctx.ConstInt(4, "ignore_index")));
}

// aten::cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1,
// SymInt ignore_index=-100, float label_smoothing=0): log_softmax over dim 1, then with
// class-index targets nll_loss mixed with the smoothing term as ATen mixes them
// ((1 - s) nll + s / C * smooth, smooth = -sum_c w_c logp_c, 0 where ignored, its mean over
// the weights of the targets); with probability targets (float, self's shape) -sum_c w_c t_c
// logp_c over the smoothed targets, its mean over the batch.
void TranslateCrossEntropy(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  const int64_t reduction = ctx.ConstInt(3, "reduction");
  const double smoothing = ctx.ConstDouble(5, "label_smoothing");
  const int64_t rank = ctx.Rank(0);
  const int64_t class_dim = rank == 1 ? 0 : 1;
  auto classes = ctx.Meta(0).StaticDim(class_dim);
  std::optional<std::string> weight;
  if (auto w = ctx.OptionalInput(2)) weight = ctx.Cast(*w, ctx.InDType(2), dt);
  // The weights along the class dim of [N, C, d...].
  auto weight_along_classes = [&]() {
    std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    shape[class_dim] = -1;
    return Reshape(ctx, *weight, shape);
  };
  std::string logp = ctx.Op("LogSoftmax", {ctx.OperandAs(0, dt)}, {{"axis", class_dim}});

  if (IsFloating(ctx.InDType(1))) {  // class probabilities
    if (!classes && smoothing > 0) throw UnsupportedError(ctx.node().Key() + ": label smoothing needs a static class dim");
    std::string t = ctx.OperandAs(1, dt);
    if (smoothing > 0)
      t = ctx.Op("Add", {ctx.Op("Mul", {t, ctx.ConstScalar(1 - smoothing, dt)}), ctx.ConstScalar(smoothing / *classes, dt)});
    std::string terms = ctx.Op("Mul", {logp, t});
    if (weight) terms = ctx.Op("Mul", {terms, weight_along_classes()});
    std::string loss = ctx.Op("Neg", {Reduce(ctx, "ReduceSum", terms, {class_dim}, false)});
    if (reduction == 1 && rank > 1) {  // the mean over the batch (and spatial) positions
      std::string count = ctx.Cast(ctx.Op("Size", {loss}), DType::kInt64, dt);
      return ctx.SetOutput(0, ctx.Op("Div", {Reduced(ctx, loss, 2), count}));
    }
    return ctx.SetOutput(0, Reduced(ctx, loss, reduction));
  }

  const int64_t ignore_index = ctx.ConstInt(4, "ignore_index");
  ClassInputs in = BatchedClassInputs(ctx, logp);
  std::string nll = NllLoss(ctx, in, weight, reduction, ignore_index);
  if (smoothing <= 0) return ctx.SetOutput(0, nll);
  if (!classes) throw UnsupportedError(ctx.node().Key() + ": label smoothing needs a static class dim");
  std::string weighted = weight ? ctx.Op("Mul", {logp, weight_along_classes()}) : logp;
  std::string smooth = ctx.Op("Neg", {Reduce(ctx, "ReduceSum", weighted, {class_dim}, false)});  // target's shape
  std::string target = ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kInt64);
  std::string ignored = ctx.Op("Equal", {target, ctx.ConstInt64(ignore_index)});
  smooth = ctx.Op("Where", {ignored, Zero(ctx, dt), smooth});
  if (reduction == 1) {
    std::string kept = ctx.Cast(ctx.Op("Not", {ignored}), DType::kBool, dt);
    if (weight) {  // the weights of the kept targets (ignored ones read class 0, then count 0)
      std::string safe = ctx.Op("Where", {ignored, ctx.ConstInt64(0), target});
      kept = ctx.Op("Mul", {kept, ctx.Op("Gather", {*weight, safe}, {{"axis", int64_t{0}}})});
    }
    smooth = ctx.Op("Div", {Reduced(ctx, smooth, 2), Reduced(ctx, kept, 2)});
  } else {
    smooth = Reduced(ctx, smooth, reduction);
  }
  ctx.SetOutput(0, ctx.Op("Add", {ctx.Op("Mul", {nll, ctx.ConstScalar(1 - smoothing, dt)}),
                                  ctx.Op("Mul", {smooth, ctx.ConstScalar(smoothing / *classes, dt)})}));
}

// aten::multi_margin_loss(Tensor self, Tensor target, Scalar p=1, Scalar margin=1,
// Tensor? weight=None, int reduction=1), self [N, C] or [C]: per row
// sum_{j != y} max(0, margin - x_y + x_j)^p (times w_y) / C.
void TranslateMultiMargin(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  ClassInputs in = BatchedClassInputs(ctx, ctx.OperandAs(0, dt));
  double p = ctx.ConstDouble(2, "p");
  if (p != 1 && p != 2) throw UnsupportedError(ctx.node().Key() + ": p must be 1 or 2 (as in PyTorch)");
  std::string target = Unsqueeze(ctx, in.target, {1});                                      // [N, 1]
  std::string x_y = ctx.Op("GatherElements", {in.x, target}, {{"axis", int64_t{1}}});       // [N, 1]
  std::string z = ClampMin0(ctx, ctx.Op("Add", {ctx.Op("Sub", {ctx.ConstScalar(ctx.ConstDouble(3, "margin"), dt), x_y}), in.x}), dt);
  if (p == 2) z = ctx.Op("Mul", {z, z});
  if (auto w = ctx.OptionalInput(4))
    z = ctx.Op("Mul", {z, ctx.Op("Gather", {ctx.Cast(*w, ctx.InDType(4), dt), target}, {{"axis", int64_t{0}}})});
  std::string classes = ctx.Op("Range", {ctx.ConstInt64(0), DimOf(ctx, in.x, 1), ctx.ConstInt64(1)});
  std::string other = ctx.Op("Not", {ctx.Op("Equal", {Unsqueeze(ctx, classes, {0}), target})});
  z = ctx.Op("Where", {other, z, Zero(ctx, dt)});
  std::string count = ctx.Cast(DimOf(ctx, in.x, 1), DType::kInt64, dt);
  std::string loss = ctx.Op("Div", {Reduce(ctx, "ReduceSum", z, {1}, false), count});  // [N]
  if (in.unbatched) loss = Squeeze(ctx, loss, {0});
  ctx.SetOutput(0, Reduced(ctx, loss, ctx.ConstInt(5, "reduction")));
}


// aten::multilabel_margin_loss(Tensor self, Tensor target, int reduction=1): target rows
// hold class indices, the valid ones before the first -1. A sample's loss sums
// max(0, 1 - (x[t_j] - x[i])) over its valid targets j and the classes i it does not
// target, divided by the class count C ([N, C, C] pairs).
void TranslateMultilabelMargin(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  bool single = ctx.Rank(0) <= 1;
  std::string x = ctx.OperandAs(0, dt), t = ctx.OperandAs(1, DType::kInt64);
  if (single) {
    x = Reshape(ctx, x, {1, -1});
    t = Reshape(ctx, t, {1, -1});
  }
  std::string ended = ctx.Op("CumSum", {ctx.Cast(ctx.Op("Equal", {t, ctx.ConstInt64(-1)}), DType::kBool, DType::kInt64),
                                        ctx.ConstInt64(1)});
  std::string valid = ctx.Op("Equal", {ended, ctx.ConstInt64(0)});                    // [N, C]
  std::string targets = ctx.Op("Where", {valid, t, ctx.ConstInt64(0)});
  std::string target_scores = ctx.Op("GatherElements", {x, targets}, {{"axis", int64_t{1}}});
  std::string classes = Reshape(ctx, Arange(ctx, DimOf(ctx, x, 1)), {1, 1, -1});
  std::string hits = ctx.Op("And", {Unsqueeze(ctx, valid, {2}), ctx.Op("Equal", {Unsqueeze(ctx, targets, {2}), classes})});
  std::string targeted = Reduce(ctx, "ReduceMax", ctx.Cast(hits, DType::kBool, DType::kInt32), {1}, false);  // [N, C]
  std::string others = ctx.Op("Equal", {targeted, ctx.ConstScalar(0, DType::kInt32)});
  std::string pairs = ctx.Cast(ctx.Op("And", {Unsqueeze(ctx, valid, {2}), Unsqueeze(ctx, others, {1})}), DType::kBool, dt);
  std::string margins = ClampMin0(ctx, ctx.Op("Sub", {ctx.ConstScalar(1, dt),
                                                      ctx.Op("Sub", {Unsqueeze(ctx, target_scores, {2}), Unsqueeze(ctx, x, {1})})}), dt);
  std::string per_sample = Reduce(ctx, "ReduceSum", ctx.Op("Mul", {margins, pairs}), {1, 2}, false);
  per_sample = ctx.Op("Div", {per_sample, ctx.Cast(DimOf(ctx, x, 1), DType::kInt64, dt)});
  int64_t reduction = ctx.ConstInt(2, "reduction");
  if (single && reduction == 0) per_sample = Reshape(ctx, per_sample, {});
  ctx.SetOutput(0, Reduced(ctx, per_sample, reduction));
}

}  // namespace

void RegisterLoss(Registry& r) {
  r.SetFamily("loss");
  r.Add("aten::mse_loss", [](TranslationContext& c) { TranslateDistanceLoss(c, true); });
  r.Add("aten::l1_loss", [](TranslationContext& c) { TranslateDistanceLoss(c, false); });
  r.Add("aten::smooth_l1_loss", [](TranslationContext& c) { TranslateSmoothLoss(c, false); });
  r.Add("aten::huber_loss", [](TranslationContext& c) { TranslateSmoothLoss(c, true); });
  r.Add("aten::kl_div", TranslateKlDiv);
  r.Add("aten::poisson_nll_loss", TranslatePoissonNll);
  r.Add("aten::binary_cross_entropy", TranslateBinaryCrossEntropy);
  r.Add("aten::binary_cross_entropy_with_logits", TranslateBceWithLogits);
  r.Add("aten::margin_ranking_loss", TranslateMarginRanking);
  r.Add("aten::cosine_embedding_loss", TranslateCosineEmbedding);
  r.Add("aten::triplet_margin_loss", TranslateTripletMargin);
  r.Add("aten::hinge_embedding_loss", TranslateHingeEmbedding);
  r.Add("aten::soft_margin_loss", TranslateSoftMargin);
  r.Add("aten::multi_margin_loss", TranslateMultiMargin);
  r.Add("aten::multilabel_margin_loss", TranslateMultilabelMargin);
  for (const char* op : {"aten::nll_loss", "aten::nll_loss2d", "aten::nll_loss_nd"}) r.Add(op, TranslateNllLoss);
  r.Add("aten::cross_entropy_loss", TranslateCrossEntropy);
}

}  // namespace t2o
