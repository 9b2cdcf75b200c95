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

// aten::_native_multi_head_attention(Tensor query, Tensor key, Tensor value, int embed_dim,
//     int num_head, Tensor qkv_weight, Tensor qkv_bias, Tensor proj_weight, Tensor proj_bias,
//     Tensor? mask=None, bool need_weights=True, bool average_attn_weights=True,
//     int? mask_type=None) -> (Tensor, Tensor)
// nn.MultiheadAttention's inference fast path (batch_first): inputs [B, L, E]; a boolean
// mask marks positions to ignore: mask_type 1 is a key padding mask [B, S], 2 a merged
// mask broadcastable to [B, H, L, S].
void TranslateNativeMultiHeadAttention(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  int64_t embed = ctx.ConstInt(3, "embed_dim");
  int64_t heads = ctx.ConstInt(4, "num_head");
  if (heads <= 0 || embed % heads != 0) throw UnsupportedError("_native_multi_head_attention: embed_dim must be divisible by num_head");
  if (ctx.Rank(0) != 3) throw UnsupportedError("_native_multi_head_attention: inputs must be [batch, length, embed]");
  int64_t head_dim = embed / heads;
  std::string w = ctx.OperandAs(5, dt), b = ctx.OperandAs(6, dt);
  std::string q = SplitHeads(ctx, Project(ctx, ctx.OperandAs(0, dt), w, b, 0, embed), heads, head_dim);
  std::string k = SplitHeads(ctx, Project(ctx, ctx.OperandAs(1, dt), w, b, embed, embed), heads, head_dim);
  std::string v = SplitHeads(ctx, Project(ctx, ctx.OperandAs(2, dt), w, b, 2 * embed, embed), heads, head_dim);
  q = ctx.Op("Mul", {q, ctx.ConstScalar(1.0 / std::sqrt(static_cast<double>(head_dim)), dt)});
  std::string scores = ctx.Op("MatMul", {q, ctx.Op("Transpose", {k}, {{"perm", std::vector<int64_t>{0, 1, 3, 2}}})});
  if (!ctx.IsNone(9)) {
    if (ctx.Meta(9).dtype != DType::kBool)
      throw UnsupportedError("_native_multi_head_attention: only boolean masks are supported");
    int64_t mask_type = ctx.IsNone(12) ? -1 : ctx.ConstInt(12, "mask_type");
    if (mask_type != 1 && mask_type != 2)
      throw UnsupportedError("_native_multi_head_attention: mask_type " + std::to_string(mask_type) +
                             " is not supported (1: key padding mask, 2: merged mask)");
    std::string mask = ctx.Input(9);
    if (mask_type == 1) mask = Unsqueeze(ctx, mask, {1, 2});  // [B, S] -> [B, 1, 1, S]
    scores = ctx.Op("Where", {mask, ctx.ConstScalar(-std::numeric_limits<double>::infinity(), dt), scores});
  }
  std::string attn = ctx.Op("Softmax", {scores}, {{"axis", int64_t{-1}}});
  std::string merged = ctx.Op("Transpose", {ctx.Op("MatMul", {attn, v})}, {{"perm", std::vector<int64_t>{0, 2, 1, 3}}});
  merged = ctx.Op("Reshape", {merged, ctx.ConstInt64s({0, 0, embed})});
  std::string proj = ctx.Op("Transpose", {ctx.OperandAs(7, dt)}, {{"perm", std::vector<int64_t>{1, 0}}});
  ctx.SetOutput(0, ctx.Op("Add", {ctx.Op("MatMul", {merged, proj}), ctx.OperandAs(8, dt)}));
  if (ctx.node().outputs.size() < 2) return;
  if (!ctx.ConstBool(10, "need_weights")) {  // PyTorch returns an empty tensor
    ctx.SetOutput(1, ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {0}, {})));
    return;
  }
  bool average = ctx.ConstBool(11, "average_attn_weights");
  ctx.SetOutput(1, average ? Reduce(ctx, "ReduceMean", attn, {1}, false) : attn);
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
void TranslateFlashAttentionForCpu(TranslationContext& ctx) {
  SdpaResult r = ScaledDotProductAttention(ctx, {5, 3, 4, 6, -1});
  ctx.SetOutput(0, r.output);
  if (ctx.node().outputs.size() > 1) {
    std::string lse = Reduce(ctx, "ReduceLogSumExp", r.scores, {-1}, false);
    ctx.SetOutput(1, ctx.Cast(lse, ctx.OutDType(0), ctx.OutDType(1)));
  }
}

}  // namespace

void RegisterAttention(Registry& r) {
  r.SetFamily("attention");
  r.Add("aten::_native_multi_head_attention", TranslateNativeMultiHeadAttention);
  r.Add("aten::scaled_dot_product_attention", TranslateScaledDotProductAttention);
  r.Add("aten::_scaled_dot_product_flash_attention_for_cpu", TranslateFlashAttentionForCpu);
}

}  // namespace t2o
