// aten::ctc_loss: the connectionist temporal classification loss by its forward
// recursion in log space, one ONNX Loop step per time frame.
//
// The labels l of each batch element are extended with blanks, l' = (b, l1, b, l2, ..., b),
// |l'| = 2S + 1. alpha_0 holds the log-probabilities of l'_0 and l'_1 at frame 0;
// alpha_t(s) = logsumexp(alpha_{t-1}(s), alpha_{t-1}(s - 1), alpha_{t-1}(s - 2) where l'_s
// is a label unlike l'_{s-2}) + log_probs[t, l'_s]. An element's alpha stops changing after
// its input length; its loss is -logsumexp(alpha(2L), alpha(2L - 1)), inf where no
// alignment fits (as PyTorch).
#include <limits>

#include "translators/common/helpers.h"
#include "translators/common/loop.h"

namespace t2o {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// log(sum(exp(terms))), elementwise; -inf where every term is -inf.
std::string LogSumExp(TranslationContext& ctx, DType dt, const std::vector<std::string>& terms) {
  std::string largest = terms.size() == 1 ? terms[0] : ctx.Op("Max", terms);
  std::string shift = ctx.Op("Where", {ctx.Op("IsInf", {largest}), ctx.ConstScalar(0, dt), largest});
  std::vector<std::string> exps;
  for (const auto& t : terms) exps.push_back(ctx.Op("Exp", {ctx.Op("Sub", {t, shift})}));
  return ctx.Op("Add", {shift, ctx.Op("Log", {exps.size() == 1 ? exps[0] : ctx.Op("Sum", exps)})});
}

// A lengths argument (int[] or a tensor, 0-d when unbatched) as [N] int64.
std::string Lengths(TranslationContext& ctx, size_t i) {
  if (ctx.InputValue(i).kind != ir::ValueKind::kTensor) return ctx.IntListInput(i);
  return Reshape(ctx, ctx.OperandAs(i, DType::kInt64), {-1});
}

// The padded labels [N, S] from targets [N, S] or the concatenated [sum(L)].
std::string PaddedLabels(TranslationContext& ctx, const std::string& targets, int64_t targets_rank,
                         const std::string& target_lengths) {
  if (targets_rank == 2) return targets;
  // Element n's labels start at the sum of the lengths before it. An appended 0 keeps
  // the gather in range where the lengths are all 0; positions past L_n are never read.
  std::string starts = ctx.Op("CumSum", {target_lengths, ctx.ConstInt64(0)}, {{"exclusive", int64_t{1}}});
  std::string longest = MaxWithFloor(ctx, target_lengths, ctx.ConstInt64(0));
  std::string positions = ctx.Op("Add", {Unsqueeze(ctx, starts, {1}), Unsqueeze(ctx, Arange(ctx, longest), {0})});
  std::string padded = ctx.Op("Concat", {targets, ctx.ConstInt64s({0})}, {{"axis", int64_t{0}}});
  positions = ctx.Op("Min", {positions, ctx.Op("Sub", {ShapeOf(ctx, padded), ctx.ConstInt64s({1})})});
  return ctx.Op("Gather", {padded, positions}, {{"axis", int64_t{0}}});
}

// [N, width] copies of a 0-d value, N the batch size as a [1] tensor.
std::string Columns(TranslationContext& ctx, const std::string& batch, const std::string& value, int64_t width) {
  return ctx.Op("Expand", {value, ctx.Op("Concat", {batch, ctx.ConstInt64s({width})}, {{"axis", int64_t{0}}})});
}

// The blank-extended labels l' [N, 2S + 1] and where alpha(s - 2) may be skipped to: onto
// a label unlike the one two places back.
struct ExtendedLabels {
  std::string labels;  // int64
  std::string skips;   // bool
};
ExtendedLabels Extend(TranslationContext& ctx, const std::string& padded, const std::string& batch, int64_t blank) {
  std::string blanks = ctx.Op("Expand", {ctx.ConstInt64(blank), ShapeOf(ctx, padded)});
  std::string pairs = ctx.Op("Concat", {Unsqueeze(ctx, blanks, {-1}), Unsqueeze(ctx, padded, {-1})}, {{"axis", int64_t{-1}}});
  std::string interleaved = ctx.Op("Reshape", {pairs, ctx.Op("Concat", {batch, ctx.ConstInt64s({-1})}, {{"axis", int64_t{0}}})});
  std::string extended = ctx.Op("Concat", {interleaved, Columns(ctx, batch, ctx.ConstInt64(blank), 1)}, {{"axis", int64_t{1}}});
  std::string two_back = ctx.Op("Slice", {ctx.Op("Concat", {Columns(ctx, batch, ctx.ConstInt64(-1), 2), extended}, {{"axis", int64_t{1}}}),
                                          ctx.ConstInt64s({0}), ctx.ConstInt64s({-2}), ctx.ConstInt64s({1})});
  std::string skips = ctx.Op("And", {ctx.Op("Not", {ctx.Op("Equal", {extended, ctx.ConstInt64(blank)})}),
                                     ctx.Op("Not", {ctx.Op("Equal", {extended, two_back})})});
  return {extended, skips};
}

// alpha [N, 2S + 1] after each element's last frame: log_probs [T, N, C], one Loop step
// per frame from 1, an element's alpha kept once t reaches its input length.
std::string ForwardVariables(TranslationContext& ctx, DType dt, const std::string& log_probs, const ExtendedLabels& l,
                             const std::string& batch, const std::string& input_lengths) {
  std::string neg_inf = ctx.ConstScalar(kNegInf, dt);
  auto frame = [&](const std::string& t) {  // log_probs[t, n, l'_s]: [N, 2S + 1]
    return ctx.Op("GatherElements", {ctx.Op("Gather", {log_probs, t}, {{"axis", int64_t{0}}}), l.labels}, {{"axis", int64_t{1}}});
  };
  std::string positions = Arange(ctx, DimOf(ctx, l.labels, 1));
  std::string alpha0 = ctx.Op("Where", {ctx.Op("Less", {positions, ctx.ConstInt64(2)}), frame(ctx.ConstInt64(0)), neg_inf});
  std::string pad = Columns(ctx, batch, neg_inf, 2);
  std::string lengths = Unsqueeze(ctx, input_lengths, {1});  // [N, 1]
  std::string frames_after_first = ctx.Op("Sub", {DimOf(ctx, log_probs, 0), ctx.ConstInt64(1)});
  return RunLoop(ctx, "ctc_forward", frames_after_first, "", {{"alpha", dt, alpha0}},
                 [&](const std::string& i, const std::vector<std::string>& carried) {
                   const std::string& previous = carried[0];
                   std::string t = ctx.Op("Add", {i, ctx.ConstInt64(1)});
                   std::string shifted = ctx.Op("Concat", {pad, previous}, {{"axis", int64_t{1}}});  // alpha(s - 2) at s
                   auto columns = [&](int64_t begin, int64_t end) {
                     return ctx.Op("Slice", {shifted, ctx.ConstInt64s({begin}), ctx.ConstInt64s({end}), ctx.ConstInt64s({1})});
                   };
                   std::string one_back = columns(1, -1), skip = ctx.Op("Where", {l.skips, columns(0, -2), neg_inf});
                   std::string next = ctx.Op("Add", {LogSumExp(ctx, dt, {previous, one_back, skip}), frame(t)});
                   return LoopStep{"", {ctx.Op("Where", {ctx.Op("Less", {t, lengths}), next, previous})}};
                 })[0];
}

// aten::ctc_loss.IntList / .Tensor(Tensor log_probs, Tensor targets, input_lengths,
// target_lengths, int blank=0, int reduction=Mean, bool zero_infinity=False).
// log_probs [T, N, C] or unbatched [T, C]; reduction mean divides each loss by its target
// length (at least 1) before averaging over the batch.
void TranslateCtcLoss(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  if (dt != DType::kFloat32 && dt != DType::kFloat64)
    throw UnsupportedError(ctx.node().Key() + " on " + std::string(DTypeName(dt)) + ": PyTorch computes it for float32 and float64");
  bool unbatched = ctx.Rank(0) == 2;
  if (ctx.Rank(0) != 3 && !unbatched) throw UnsupportedError("log_probs must be [T, N, C] or [T, C]");
  int64_t blank = ctx.ConstInt(4, "blank");
  int64_t reduction = ctx.ConstInt(5, "reduction");
  if (reduction < 0 || reduction > 2) throw UnsupportedError("unknown reduction " + std::to_string(reduction));
  bool zero_infinity = ctx.ConstBool(6, "zero_infinity");

  std::string log_probs = ctx.Input(0);
  std::string targets = ctx.OperandAs(1, DType::kInt64);
  int64_t targets_rank = ctx.Rank(1);
  if (unbatched) {
    log_probs = Unsqueeze(ctx, log_probs, {1});
    targets = Unsqueeze(ctx, targets, {0});
    targets_rank = 2;
  }
  if (targets_rank != 1 && targets_rank != 2) throw UnsupportedError("targets must be [N, S] or the concatenated [sum(target_lengths)]");
  std::string input_lengths = Lengths(ctx, 2), target_lengths = Lengths(ctx, 3);

  // Label ids clamped into [0, C): padding past L_n may hold anything.
  std::string classes = DimOf(ctx, log_probs, 2);
  std::string padded = ctx.Op("Min", {ctx.Op("Max", {PaddedLabels(ctx, targets, targets_rank, target_lengths), ctx.ConstInt64(0)}),
                                      ctx.Op("Sub", {classes, ctx.ConstInt64(1)})});
  std::string batch = Reshape(ctx, DimOf(ctx, log_probs, 1), {1});
  std::string alpha = ForwardVariables(ctx, dt, log_probs, Extend(ctx, padded, batch, blank), batch, input_lengths);

  // -logsumexp(alpha(2L), alpha(2L - 1)); only alpha(0) for an empty target.
  std::string last = Unsqueeze(ctx, ctx.Op("Mul", {target_lengths, ctx.ConstInt64(2)}), {1});
  std::string at_last = ctx.Op("GatherElements", {alpha, last}, {{"axis", int64_t{1}}});
  std::string before_last = ctx.Op("GatherElements", {alpha, ctx.Op("Max", {ctx.Op("Sub", {last, ctx.ConstInt64(1)}), ctx.ConstInt64(0)})},
                                   {{"axis", int64_t{1}}});
  before_last = ctx.Op("Where", {ctx.Op("Greater", {last, ctx.ConstInt64(0)}), before_last, ctx.ConstScalar(kNegInf, dt)});
  std::string loss = Squeeze(ctx, ctx.Op("Neg", {LogSumExp(ctx, dt, {at_last, before_last})}), {1});  // [N]
  if (zero_infinity)
    loss = ctx.Op("Where", {ctx.Op("IsInf", {loss}, {{"detect_negative", int64_t{0}}}), ctx.ConstScalar(0, dt), loss});
  if (reduction == 0) return ctx.SetOutput(0, unbatched ? Squeeze(ctx, loss, {0}) : loss);
  if (reduction == 1) {
    std::string divisor = ctx.Cast(ctx.Op("Max", {target_lengths, ctx.ConstInt64(1)}), DType::kInt64, dt);
    return ctx.SetOutput(0, Reduce(ctx, "ReduceMean", ctx.Op("Div", {loss, divisor}), {0}, false));
  }
  ctx.SetOutput(0, Reduce(ctx, "ReduceSum", loss, {0}, false));
}

}  // namespace

void RegisterCtcLoss(Registry& r) {
  r.SetFamily("loss");
  r.Add("aten::ctc_loss", TranslateCtcLoss);
}

}  // namespace t2o
