// Attention kernels that PyTorch exposes as single ops.
#include <cmath>
#include <limits>

#include "translators/common/helpers.h"

namespace t2o {
namespace {

// x [B, L, E] @ rows [first, first + E) of w ([3E, E]) transposed, + the same rows of b.
std::string Project(TranslationContext& ctx, const std::string& x, const std::string& w, const std::string& b, int64_t first,
                    int64_t embed) {
  std::string rows = ctx.Op("Slice", {w, ctx.ConstInt64s({first}), ctx.ConstInt64s({first + embed}), ctx.ConstInt64s({0})});
  std::string bias = ctx.Op("Slice", {b, ctx.ConstInt64s({first}), ctx.ConstInt64s({first + embed}), ctx.ConstInt64s({0})});
  return ctx.Op("Add", {ctx.Op("MatMul", {x, ctx.Op("Transpose", {rows}, {{"perm", std::vector<int64_t>{1, 0}}})}), bias});
}

// [B, L, E] -> [B, H, L, D]
std::string SplitHeads(TranslationContext& ctx, const std::string& x, int64_t heads, int64_t head_dim) {
  std::string split = ctx.Op("Reshape", {x, ctx.ConstInt64s({0, 0, heads, head_dim})});
  return ctx.Op("Transpose", {split}, {{"perm", std::vector<int64_t>{0, 2, 1, 3}}});
}

// ONNX Runtime's Attention kernel needs the mask's last two dims to be exactly [L, S] (it
// broadcasts only the batch and head dims), so a mask such as a key padding mask
// [B, 1, 1, S] is expanded first; `static_match` says they are known to be [L, S] already.
std::string MaskForAttention(TranslationContext& ctx, const std::string& mask, int64_t mask_rank,
                             const std::string& q4, const std::string& k4, bool static_match) {
  if (static_match) return mask;
  std::vector<std::string> target;
  if (mask_rank > 2) target.push_back(ctx.ConstInt64s(std::vector<int64_t>(static_cast<size_t>(mask_rank - 2), 1)));
  target.push_back(ShapeSlice(ctx, q4, 2, 3));
  target.push_back(ShapeSlice(ctx, k4, 2, 3));
  return ctx.Op("Expand", {mask, ctx.Op("Concat", target, {{"axis", int64_t{0}}})});
}

// aten::_native_multi_head_attention(Tensor query, Tensor key, Tensor value, int embed_dim,
//     int num_head, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias,
//     Tensor? mask=None, bool need_weights=True, bool average_attn_weights=True,
//     int? mask_type=None) -> (Tensor, Tensor)
// nn.MultiheadAttention's inference fast path (batch_first): inputs [B, L, E]; a boolean
// mask marks positions to ignore: mask_type 1 is a key padding mask [B, S], 2 a merged
// mask broadcastable to [B, H, L, S].
struct MultiHeadInputs {
  DType dtype;
  int64_t embed = 0, head_dim = 0;
  std::string q, k, v;  // [B, H, L|S, D]
  std::string ignored;  // bool, broadcastable to [B, H, L, S]; empty without a mask
  bool need_weights = false;
};

MultiHeadInputs ProjectMultiHead(TranslationContext& ctx) {
  MultiHeadInputs in;
  in.dtype = ctx.OutDType(0);
  in.embed = ctx.ConstInt(3, "embed_dim");
  int64_t heads = ctx.ConstInt(4, "num_head");
  if (heads <= 0 || in.embed % heads != 0) throw UnsupportedError("_native_multi_head_attention: embed_dim must be divisible by num_head");
  if (ctx.Rank(0) != 3) throw UnsupportedError("_native_multi_head_attention: inputs must be [batch, length, embed]");
  in.head_dim = in.embed / heads;
  std::string w = ctx.OperandAs(5, in.dtype), b = ctx.OperandAs(6, in.dtype);
  auto project = [&](size_t input, int64_t first) {
    return SplitHeads(ctx, Project(ctx, ctx.OperandAs(input, in.dtype), w, b, first, in.embed), heads, in.head_dim);
  };
  in.q = project(0, 0);
  in.k = project(1, in.embed);
  in.v = project(2, 2 * in.embed);
  if (!ctx.IsNone(9)) {
    if (ctx.Meta(9).dtype != DType::kBool)
      throw UnsupportedError("_native_multi_head_attention: only boolean masks are supported");
    int64_t mask_type = ctx.IsNone(12) ? -1 : ctx.ConstInt(12, "mask_type");
    if (mask_type != 1 && mask_type != 2)
      throw UnsupportedError("_native_multi_head_attention: mask_type " + std::to_string(mask_type) +
                             " is not supported (1: key padding mask, 2: merged mask)");
    in.ignored = ctx.Input(9);
    if (mask_type == 1) in.ignored = Unsqueeze(ctx, in.ignored, {1, 2});  // [B, S] -> [B, 1, 1, S]
  }
  in.need_weights = ctx.node().outputs.size() > 1 && ctx.ConstBool(10, "need_weights");
  return in;
}

// The output projection of the merged heads, and the weights output ([B, H, L, S] softmax,
// averaged over heads on request; an empty tensor when not asked for, as PyTorch returns).
void SetMultiHeadOutputs(TranslationContext& ctx, const MultiHeadInputs& in, const std::string& heads_out,
                         const std::string& weights) {
  std::string merged = ctx.Op("Transpose", {heads_out}, {{"perm", std::vector<int64_t>{0, 2, 1, 3}}});
  merged = ctx.Op("Reshape", {merged, ctx.ConstInt64s({0, 0, in.embed})});
  std::string proj = ctx.Op("Transpose", {ctx.OperandAs(7, in.dtype)}, {{"perm", std::vector<int64_t>{1, 0}}});
  ctx.SetOutput(0, ctx.Op("Add", {ctx.Op("MatMul", {merged, proj}), ctx.OperandAs(8, in.dtype)}));
  if (ctx.node().outputs.size() < 2) return;
  if (!in.need_weights) {
    ctx.SetOutput(1, ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {0}, {})));
    return;
  }
  bool average = ctx.ConstBool(11, "average_attn_weights");
  ctx.SetOutput(1, average ? Reduce(ctx, "ReduceMean", weights, {1}, false) : weights);
}

void TranslateNativeMultiHeadAttention(TranslationContext& ctx) {
  MultiHeadInputs in = ProjectMultiHead(ctx);
  std::string q = ctx.Op("Mul", {in.q, ctx.ConstScalar(1.0 / std::sqrt(static_cast<double>(in.head_dim)), in.dtype)});
  std::string scores = ctx.Op("MatMul", {q, ctx.Op("Transpose", {in.k}, {{"perm", std::vector<int64_t>{0, 1, 3, 2}}})});
  if (!in.ignored.empty())
    scores = ctx.Op("Where", {in.ignored, ctx.ConstScalar(-std::numeric_limits<double>::infinity(), in.dtype), scores});
  std::string weights = ctx.Op("Softmax", {scores}, {{"axis", int64_t{-1}}});
  SetMultiHeadOutputs(ctx, in, ctx.Op("MatMul", {weights, in.v}), weights);
}

// Opset 23: the attention itself is one ONNX Attention node (its mask marks the positions
// that take part); the weights, when asked for, are its softmax output (qk_matmul_output
// of mode 3).
void TranslateNativeMultiHeadAttention23(TranslationContext& ctx) {
  MultiHeadInputs in = ProjectMultiHead(ctx);
  std::vector<std::string> inputs{in.q, in.k, in.v};
  if (!in.ignored.empty()) inputs.push_back(MaskForAttention(ctx, ctx.Op("Not", {in.ignored}), 4, in.q, in.k, false));
  if (!in.need_weights) return SetMultiHeadOutputs(ctx, in, ctx.Op("Attention", inputs), "");
  auto outputs = ctx.OpMulti("Attention", inputs, 4, {{"qk_matmul_output_mode", int64_t{3}}});
  SetMultiHeadOutputs(ctx, in, outputs[0], outputs[3]);
}

// Where the arguments of one scaled-dot-product-attention flavour sit in its schema.
struct SdpaLayout {
  int mask = -1, dropout = -1, causal = -1, scale = -1, gqa = -1;
};

// softmax(q @ k^T * scale + bias) @ v with PyTorch's masking rules: a bool attn_mask marks
// the positions that take part (True) and a float mask is added; is_causal keeps the lower
// triangle of the [L, S] scores aligned at the top left; the default scale is
// 1/sqrt(q.size(-1)). Returns the attention output, and the weights / logsumexp on request.
struct SdpaResult {
  std::string output, weights, scores;
};

SdpaResult ScaledDotProductAttention(TranslationContext& ctx, const SdpaLayout& at) {
  const std::string name = ctx.node().Key();
  DType dt = ctx.OutDType(0);
  if (!IsFloating(dt)) throw UnsupportedError(name + ": query must be a floating point tensor");
  if (at.dropout >= 0 && ctx.ConstDouble(at.dropout, "dropout_p") != 0.0)
    throw UnsupportedError(name + ": dropout_p > 0 drops random weights; export the model in eval mode (dropout_p=0)");
  int64_t rank = ctx.Rank(0);
  if (rank < 2 || ctx.Rank(1) != rank || ctx.Rank(2) != rank)
    throw UnsupportedError(name + ": query, key and value must have the same rank (>= 2)");
  std::string q = ctx.OperandAs(0, dt), k = ctx.OperandAs(1, dt), v = ctx.OperandAs(2, dt);
  if (at.gqa >= 0 && ctx.ConstBool(at.gqa, "enable_gqa")) {
    // Grouped-query attention: each key/value head serves Hq/Hkv query heads.
    auto hq = ctx.Meta(0).StaticDim(rank - 3), hkv = ctx.Meta(1).StaticDim(rank - 3);
    auto e = ctx.Meta(1).StaticDim(rank - 1), ev = ctx.Meta(2).StaticDim(rank - 1);
    if (rank != 4 || !hq || !hkv || !e || !ev || *hkv == 0 || *hq % *hkv != 0)
      throw UnsupportedError(name + ": enable_gqa needs [batch, heads, length, embed] inputs with static head counts, "
                                    "query heads a multiple of key/value heads");
    if (*hq != *hkv) {
      int64_t groups = *hq / *hkv;
      auto repeat_heads = [&](const std::string& x, int64_t embed) {
        std::string wide = ctx.Op("Expand", {Unsqueeze(ctx, x, {2}), ctx.ConstInt64s({1, 1, groups, 1, 1})});
        return ctx.Op("Reshape", {wide, ctx.ConstInt64s({0, *hq, -1, embed})});
      };
      k = repeat_heads(k, *e);
      v = repeat_heads(v, *ev);
    }
  }
  std::optional<double> scale = at.scale >= 0 ? ctx.OptionalConstDouble(at.scale, "scale") : std::nullopt;
  std::string factor;
  if (scale) {
    factor = ctx.ConstScalar(*scale, dt);
  } else if (auto e = ctx.Meta(0).StaticDim(rank - 1)) {
    factor = ctx.ConstScalar(1.0 / std::sqrt(static_cast<double>(*e)), dt);
  } else {
    factor = ctx.Op("Reciprocal", {ctx.Op("Sqrt", {ctx.Cast(DimOf(ctx, q, rank - 1), DType::kInt64, dt)})});
  }
  std::vector<int64_t> perm(static_cast<size_t>(rank));
  for (int64_t d = 0; d < rank; ++d) perm[static_cast<size_t>(d)] = d;
  std::swap(perm[static_cast<size_t>(rank - 1)], perm[static_cast<size_t>(rank - 2)]);
  std::string scores = ctx.Op("Mul", {ctx.Op("MatMul", {q, ctx.Op("Transpose", {k}, {{"perm", perm}})}), factor});
  std::string minus_inf = ctx.ConstScalar(-std::numeric_limits<double>::infinity(), dt);
  if (at.causal >= 0 && ctx.ConstBool(at.causal, "is_causal")) {
    if (at.mask >= 0 && !ctx.IsNone(at.mask)) throw UnsupportedError(name + ": is_causal=True with an attn_mask is not allowed");
    std::string rows = Arange(ctx, DimOf(ctx, q, rank - 2)), cols = Arange(ctx, DimOf(ctx, k, rank - 2));
    std::string above = ctx.Op("Greater", {Unsqueeze(ctx, cols, {0}), Unsqueeze(ctx, rows, {1})});  // [L, S]
    scores = ctx.Op("Where", {above, minus_inf, scores});
  }
  if (at.mask >= 0 && !ctx.IsNone(at.mask)) {
    if (ctx.Meta(at.mask).dtype == DType::kBool) {
      scores = ctx.Op("Where", {ctx.Input(at.mask), scores, minus_inf});
    } else {
      scores = ctx.Op("Add", {scores, ctx.OperandAs(at.mask, dt)});
    }
  }
  SdpaResult r;
  r.scores = scores;
  r.weights = ctx.Op("Softmax", {scores}, {{"axis", int64_t{-1}}});
  r.output = ctx.Op("MatMul", {r.weights, v});
  return r;
}

// aten::scaled_dot_product_attention(Tensor query, Tensor key, Tensor value,
//     Tensor? attn_mask=None, float dropout_p=0.0, bool is_causal=False, *,
//     float? scale=None, bool enable_gqa=False) -> Tensor
void TranslateScaledDotProductAttention(TranslationContext& ctx) {
  ctx.SetOutput(0, ScaledDotProductAttention(ctx, {3, 4, 5, 6, ctx.NumInputs() > 7 ? 7 : -1}).output);
}

// aten::_scaled_dot_product_flash_attention_for_cpu(Tensor query, Tensor key, Tensor value,
//     float dropout_p=0.0, bool is_causal=False, *, Tensor? attn_mask=None, float? scale=None)
//     -> (Tensor output, Tensor logsumexp)
// What torch.export's decompositions leave of F.scaled_dot_product_attention on CPU; the
// logsumexp is [..., L] in float32.
const SdpaLayout kFlashForCpu{5, 3, 4, 6, -1};

void SetLogsumexp(TranslationContext& ctx, const SdpaResult& r) {
  if (ctx.node().outputs.size() < 2) return;
  std::string lse = Reduce(ctx, "ReduceLogSumExp", r.scores, {-1}, false);
  ctx.SetOutput(1, ctx.Cast(lse, ctx.OutDType(0), ctx.OutDType(1)));
}

void TranslateFlashAttentionForCpu(TranslationContext& ctx) {
  SdpaResult r = ScaledDotProductAttention(ctx, kFlashForCpu);
  ctx.SetOutput(0, r.output);
  SetLogsumexp(ctx, r);
}

// ONNX Attention (opset 23): one node for [batch, heads, length, embed] inputs (rank 3
// without heads is given a head axis), grouped-query attention included (key/value heads
// dividing the query heads), a bool mask marking the positions that take part or a float
// one added, is_causal aligned at the top left, and the scale: PyTorch's semantics. Other
// ranks and masks of higher rank keep the composed form.
bool NativeAttention(TranslationContext& ctx, const SdpaLayout& at) {
  const std::string name = ctx.node().Key();
  DType dt = ctx.OutDType(0);
  int64_t rank = ctx.Rank(0);
  bool has_mask = at.mask >= 0 && !ctx.IsNone(at.mask);
  if (!IsFloating(dt) || (rank != 3 && rank != 4) || ctx.Rank(1) != rank || ctx.Rank(2) != rank ||
      (has_mask && ctx.Rank(at.mask) > 4))
    return false;
  if (at.dropout >= 0 && ctx.ConstDouble(at.dropout, "dropout_p") != 0.0)
    throw UnsupportedError(name + ": dropout_p > 0 drops random weights; export the model in eval mode (dropout_p=0)");
  bool causal = at.causal >= 0 && ctx.ConstBool(at.causal, "is_causal");
  if (causal && has_mask) throw UnsupportedError(name + ": is_causal=True with an attn_mask is not allowed");
  bool gqa = at.gqa >= 0 && ctx.ConstBool(at.gqa, "enable_gqa");
  auto hq = ctx.Meta(0).StaticDim(rank == 4 ? 1 : 0), hkv = ctx.Meta(1).StaticDim(rank == 4 ? 1 : 0);
  if (rank == 4 && (!hq || !hkv || *hkv == 0 || *hq % *hkv != 0 || (*hq != *hkv && !gqa))) return false;
  auto heads = [&](size_t i) {
    std::string x = ctx.OperandAs(i, dt);
    return rank == 3 ? Unsqueeze(ctx, x, {1}) : x;
  };
  std::vector<std::string> inputs{heads(0), heads(1), heads(2)};
  if (has_mask) {
    const auto& m = ctx.Meta(at.mask);
    int64_t mask_rank = ctx.Rank(at.mask);
    // The same number or the same symbol (one size within a program).
    auto same_dim = [](const ir::TensorMeta& a, int64_t i, const ir::TensorMeta& b, int64_t j) {
      return a.shape_known && b.shape_known && i >= 0 && j >= 0 && static_cast<size_t>(i) < a.shape.size() &&
             static_cast<size_t>(j) < b.shape.size() && a.shape[static_cast<size_t>(i)] == b.shape[static_cast<size_t>(j)];
    };
    bool exact = mask_rank >= 2 && same_dim(m, mask_rank - 2, ctx.Meta(0), rank - 2) &&
                 same_dim(m, mask_rank - 1, ctx.Meta(1), rank - 2);
    std::string mask = m.dtype == DType::kBool ? ctx.Input(at.mask) : ctx.OperandAs(at.mask, dt);
    if (mask_rank < 2) mask = Unsqueeze(ctx, mask, {0}), mask_rank = 2;
    inputs.push_back(MaskForAttention(ctx, mask, mask_rank, inputs[0], inputs[1], exact));
  }
  Attrs attrs{{"is_causal", int64_t{causal}}};
  std::optional<double> scale = at.scale >= 0 ? ctx.OptionalConstDouble(at.scale, "scale") : std::nullopt;
  if (scale) attrs.push_back({"scale", static_cast<float>(*scale)});
  std::string y = ctx.Op("Attention", inputs, attrs);
  ctx.SetOutput(0, rank == 3 ? Squeeze(ctx, y, {1}) : y);
  return true;
}

void TranslateScaledDotProductAttention23(TranslationContext& ctx) {
  if (!NativeAttention(ctx, {3, 4, 5, 6, ctx.NumInputs() > 7 ? 7 : -1})) TranslateScaledDotProductAttention(ctx);
}

// The logsumexp output, which Attention does not give, is computed beside it (the
// optimizer drops it when the program does not read it).
void TranslateFlashAttentionForCpu23(TranslationContext& ctx) {
  if (!NativeAttention(ctx, kFlashForCpu)) return TranslateFlashAttentionForCpu(ctx);
  if (ctx.node().outputs.size() > 1) SetLogsumexp(ctx, ScaledDotProductAttention(ctx, kFlashForCpu));
}

}  // namespace

void RegisterAttention(Registry& r) {
  r.SetFamily("attention");
  r.Add("aten::_native_multi_head_attention", {13, 22}, TranslateNativeMultiHeadAttention);
  r.Add("aten::_native_multi_head_attention", {23, kMaxOpset}, TranslateNativeMultiHeadAttention23);
  r.Add("aten::scaled_dot_product_attention", {13, 22}, TranslateScaledDotProductAttention);
  r.Add("aten::scaled_dot_product_attention", {23, kMaxOpset}, TranslateScaledDotProductAttention23);
  r.Add("aten::_scaled_dot_product_flash_attention_for_cpu", {13, 22}, TranslateFlashAttentionForCpu);
  r.Add("aten::_scaled_dot_product_flash_attention_for_cpu", {23, kMaxOpset}, TranslateFlashAttentionForCpu23);
}

}  // namespace t2o
