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

}  // namespace

void RegisterAttention(Registry& r) {
  r.SetFamily("attention");
  r.Add("aten::_native_multi_head_attention", TranslateNativeMultiHeadAttention);
}

}  // namespace t2o
