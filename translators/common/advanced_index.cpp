#include "translators/common/advanced_index.h"

#include <numeric>

namespace t2o {
namespace {

std::vector<int64_t> Inverse(const std::vector<int64_t>& perm) {
  std::vector<int64_t> inv(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) inv[perm[k]] = static_cast<int64_t>(k);
  return inv;
}

bool IsIdentity(const std::vector<int64_t>& perm) {
  for (size_t k = 0; k < perm.size(); ++k)
    if (perm[k] != static_cast<int64_t>(k)) return false;
  return true;
}

std::string Transposed(TranslationContext& ctx, const std::string& x, const std::vector<int64_t>& perm) {
  if (IsIdentity(perm)) return x;
  return ctx.Op("Transpose", {x}, {{"perm", perm}});
}

// GatherND/ScatterND work on [*B, *rest] (the indexed dims taken from the front of the
// transposed x). With adjacent indexed dims after some leading ':' dims, PyTorch puts B
// where the indexed dims were: this permutation takes [*B, *rest] to that layout.
std::vector<int64_t> ToTorchLayout(const AdvancedIndex& index) {
  int64_t nb = index.index_rank, nrest = static_cast<int64_t>(index.rest.size());
  int64_t lead = index.adjacent ? index.indexed.front() : 0;
  std::vector<int64_t> perm;
  for (int64_t k = 0; k < lead; ++k) perm.push_back(nb + k);
  for (int64_t k = 0; k < nb; ++k) perm.push_back(k);
  for (int64_t k = lead; k < nrest; ++k) perm.push_back(nb + k);
  return perm;
}

std::vector<int64_t> IndexedFirst(const AdvancedIndex& index) {
  std::vector<int64_t> perm = index.indexed;
  perm.insert(perm.end(), index.rest.begin(), index.rest.end());
  return perm;
}

}  // namespace

AdvancedIndex PrepareAdvancedIndex(TranslationContext& ctx, const std::vector<const ir::Value*>& entries,
                                   const std::vector<std::string>& names, int64_t rank) {
  AdvancedIndex index;
  index.rank = rank;
  std::vector<std::string> per_dim;  // int64 index for each indexed dim
  std::vector<bool> is_indexed(rank, false);
  int64_t dim = 0, last_entry = -1;
  for (size_t e = 0; e < entries.size(); ++e) {
    const ir::Value* v = entries[e];
    if (!v || v->IsNone() || v->kind == ir::ValueKind::kNone) {
      ++dim;
      continue;
    }
    if (last_entry >= 0 && static_cast<size_t>(last_entry) + 1 != e) index.adjacent = false;
    last_entry = static_cast<int64_t>(e);
    DType dt = v->meta.dtype;
    if (dt == DType::kBool || dt == DType::kUInt8) {
      int64_t mask_rank = static_cast<int64_t>(v->meta.rank());
      std::string coords = ctx.Op("NonZero", {ctx.Cast(names[e], dt, DType::kBool)});  // [mask_rank, n]
      for (int64_t q = 0; q < mask_rank; ++q) {
        per_dim.push_back(ctx.Op("Gather", {coords, ctx.ConstInt64(q)}, {{"axis", int64_t{0}}}));
        index.indexed.push_back(dim + q);
      }
      index.index_rank = std::max<int64_t>(index.index_rank, 1);
      dim += mask_rank;
    } else {
      per_dim.push_back(ctx.Cast(names[e], dt, DType::kInt64));
      index.indexed.push_back(dim);
      index.index_rank = std::max<int64_t>(index.index_rank, static_cast<int64_t>(v->meta.rank()));
      ++dim;
    }
  }
  if (per_dim.empty()) throw UnsupportedError("advanced indexing without any index tensor");
  if (dim > rank) throw UnsupportedError("too many indices for a tensor of rank " + std::to_string(rank));
  for (int64_t d : index.indexed) is_indexed[d] = true;
  for (int64_t d = 0; d < rank; ++d)
    if (!is_indexed[d]) index.rest.push_back(d);
  // Broadcast the indices together (Expand broadcasts both ways), stack on a new last axis.
  std::string shape = ShapeOf(ctx, per_dim[0]);
  for (size_t k = 1; k < per_dim.size(); ++k)
    shape = ShapeOf(ctx, ctx.Op("Add", {ctx.Op("Expand", {per_dim[0], shape}), per_dim[k]}));
  index.index_shape = shape;
  std::vector<std::string> parts;
  for (auto& i : per_dim) parts.push_back(Unsqueeze(ctx, ctx.Op("Expand", {i, shape}), {-1}));
  index.stacked = parts.size() == 1 ? parts[0] : ctx.Op("Concat", parts, {{"axis", int64_t{-1}}});
  return index;
}

std::string GatherAdvanced(TranslationContext& ctx, const std::string& x, const AdvancedIndex& index) {
  std::string gathered = ctx.Op("GatherND", {Transposed(ctx, x, IndexedFirst(index)), index.stacked});
  return Transposed(ctx, gathered, ToTorchLayout(index));
}

std::string ScatterAdvanced(TranslationContext& ctx, const std::string& x, const std::string& values,
                            const AdvancedIndex& index, bool accumulate) {
  if (accumulate && ctx.opset() < 16)
    throw UnsupportedError("index_put with accumulate=True needs ONNX ScatterND reductions (opset 16 or later)");
  // values broadcast to x[index]'s shape, then laid out as [*B, *rest] like GatherND's result.
  std::string x_shape = ShapeOf(ctx, x);
  std::string rest_shape = ctx.Op("Gather", {x_shape, ctx.ConstInt64s(index.rest)}, {{"axis", int64_t{0}}});
  std::string scattered_shape = ctx.Op("Concat", {index.index_shape, rest_shape}, {{"axis", int64_t{0}}});
  std::vector<int64_t> to_torch = ToTorchLayout(index);
  std::string torch_shape = IsIdentity(to_torch)
                                ? scattered_shape
                                : ctx.Op("Gather", {scattered_shape, ctx.ConstInt64s(to_torch)}, {{"axis", int64_t{0}}});
  std::string updates = Transposed(ctx, ctx.Op("Expand", {values, torch_shape}), Inverse(to_torch));
  Attrs attrs;
  if (accumulate) attrs.push_back({"reduction", std::string("add")});
  std::vector<int64_t> perm = IndexedFirst(index);
  std::string result = ctx.Op("ScatterND", {Transposed(ctx, x, perm), index.stacked, updates}, attrs);
  return Transposed(ctx, result, Inverse(perm));
}

}  // namespace t2o
