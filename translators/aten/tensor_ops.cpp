// Identity-like ops, dtype conversion, tensor creation and indexing.
#include <limits>

#include "translators/common/advanced_index.h"
#include "translators/common/helpers.h"

namespace t2o {
namespace {

void TranslateIdentity(TranslationContext& ctx) { ctx.SetOutput(0, ctx.Input(0)); }

// aten::alpha_dropout(Tensor input, float p, bool train) -> Tensor (feature_alpha_dropout):
// identity in inference. (The other dropouts, also in training mode: random.cpp.)
void TranslateAlphaDropout(TranslationContext& ctx) {
  if (ctx.NumInputs() > 2 && ctx.IsConstant(2) && ctx.ConstBool(2, "train") && ctx.ConstDouble(1, "p") > 0)
    throw UnsupportedError(ctx.node().Key() + " in training mode is not supported (call model.eval() before saving)");
  ctx.SetOutput(0, ctx.Input(0));
}

// aten::to.dtype / to.device / to.other / type_as / float() ...: a Cast to the captured dtype.
void TranslateCastToOutput(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Cast(ctx.Input(0), ctx.InDType(0), ctx.OutDType()));
}

// A tensor of the output's shape filled with `value`.
std::string Filled(TranslationContext& ctx, const std::string& shape, double value) {
  DType dt = ctx.OutDType();
  std::string fill = ctx.ConstScalar(value, dt);
  return ctx.Op("Expand", {fill, shape});
}

// aten::zeros_like(Tensor self, *, dtype=None, ...) -> Tensor (ones_like, full_like)
void TranslateFullLike(TranslationContext& ctx, std::optional<double> value) {
  double v = value ? *value : ctx.ConstDouble(1, "fill_value");
  ctx.SetOutput(0, Filled(ctx, ShapeOf(ctx, ctx.Input(0)), v));
}

// aten::fill.Scalar(Tensor self, Scalar value) / fill.Tensor(Tensor self, Tensor value):
// a tensor like self, every element the value (functionalized `x[...] = v`).
void TranslateFill(TranslationContext& ctx) {
  std::string value = ctx.OperandAs(1, ctx.OutDType());
  ctx.SetOutput(0, ctx.Op("Expand", {value, ShapeOf(ctx, ctx.Input(0))}));
}

// aten::zeros(SymInt[] size, *, dtype=None, ...) / ones / full(size, fill_value, ...) /
// new_zeros(self, size, ...) -- with run-time sizes (static ones are folded at capture).
void TranslateFull(TranslationContext& ctx, size_t size_index, std::optional<double> value) {
  double v = value ? *value : ctx.ConstDouble(size_index + 1, "fill_value");
  ctx.SetOutput(0, Filled(ctx, ctx.IntListInput(size_index), v));
}

// aten::index_select(Tensor self, int dim, Tensor index) -> Tensor
void TranslateIndexSelect(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ctx.Op("Gather", {ctx.Input(0), ctx.Input(2)}, {{"axis", dim}}));
}

// aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor
void TranslateGather(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ctx.Op("GatherElements", {ctx.Input(0), ctx.Input(2)}, {{"axis", dim}}));
}

// aten::embedding(Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False,
//                 bool sparse=False) -> Tensor
void TranslateEmbedding(TranslationContext& ctx) {
  ctx.SetOutput(0, ctx.Op("Gather", {ctx.Input(0), ctx.Input(1)}, {{"axis", int64_t{0}}}));
}

// aten::embedding_bag(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq,
//     int mode, bool sparse, Tensor? per_sample_weights, bool include_last_offset,
//     [int? padding_idx]) -> (Tensor, Tensor offset2bag, Tensor bag_size, Tensor max_indices)
// (also _embedding_bag). indices are 1-D, bag b starting at offsets[b]; mode 0 sums, 1
// averages, 2 takes the max of each bag's rows (empty bags give zeros); indices equal to
// padding_idx do not count. A [bags, N] membership matrix does the per-bag reductions.
// The other outputs only serve the backward pass and are left empty.
void TranslateEmbeddingBag(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  if (ctx.Rank(1) != 1 || ctx.Rank(2) != 1) throw UnsupportedError("embedding_bag: indices and offsets must be 1-D");
  int64_t mode = ctx.ConstInt(4, "mode");
  if (mode < 0 || mode > 2) throw UnsupportedError("embedding_bag: unknown mode " + std::to_string(mode));
  bool include_last = ctx.ConstBool(7, "include_last_offset");
  std::optional<int64_t> padding_idx;
  if (ctx.NumInputs() > 8 && !ctx.IsNone(8)) {
    int64_t p = ctx.ConstInt(8, "padding_idx");
    if (p >= 0) padding_idx = p;  // _embedding_bag spells "none" as -1
  }
  std::string indices = ctx.Cast(ctx.Input(1), ctx.InDType(1), DType::kInt64);
  std::string offsets = ctx.Cast(ctx.Input(2), ctx.InDType(2), DType::kInt64);
  if (include_last) offsets = ctx.Op("Slice", {offsets, ctx.ConstInt64s({0}), ctx.ConstInt64s({-1}), ctx.ConstInt64s({0})});
  std::string rows = ctx.Op("Gather", {ctx.OperandAs(0, dt), indices}, {{"axis", int64_t{0}}});  // [N, D]
  if (!ctx.IsNone(6)) {
    if (mode != 0) throw UnsupportedError("embedding_bag: per_sample_weights are only allowed with mode='sum'");
    rows = ctx.Op("Mul", {rows, Unsqueeze(ctx, ctx.OperandAs(6, dt), {1})});
  }
  // Bag of position p: the number of bag starts <= p, minus one.
  std::string positions = Arange(ctx, DimOf(ctx, indices, 0));
  std::string started = ctx.Op("LessOrEqual", {Unsqueeze(ctx, offsets, {0}), Unsqueeze(ctx, positions, {1})});  // [N, B]
  std::string bag = ctx.Op("Sub", {Reduce(ctx, "ReduceSum", ctx.Cast(started, DType::kBool, DType::kInt64), {1}, false),
                                   ctx.ConstInt64(1)});
  std::string bag_ids = Arange(ctx, DimOf(ctx, offsets, 0));
  std::string member = ctx.Op("Equal", {Unsqueeze(ctx, bag_ids, {1}), Unsqueeze(ctx, bag, {0})});  // [B, N]
  if (padding_idx)
    member = ctx.Op("And", {member, Unsqueeze(ctx, ctx.Op("Not", {ctx.Op("Equal", {indices, ctx.ConstInt64(*padding_idx)})}), {0})});
  std::string weights = ctx.Cast(member, DType::kBool, dt);
  std::string counts = Reduce(ctx, "ReduceSum", weights, {1}, true);  // [B, 1]
  std::string out;
  if (mode == 2) {
    std::string candidates = ctx.Op("Where", {Unsqueeze(ctx, member, {2}), Unsqueeze(ctx, rows, {0}),
                                              ctx.ConstScalar(-std::numeric_limits<double>::infinity(), dt)});
    std::string largest = Reduce(ctx, "ReduceMax", candidates, {1}, false);
    out = ctx.Op("Where", {ctx.Op("Greater", {counts, ctx.ConstScalar(0, dt)}), largest, ctx.ConstScalar(0, dt)});
  } else {
    out = ctx.Op("MatMul", {weights, rows});
    if (mode == 1) out = ctx.Op("Div", {out, ctx.Op("Max", {counts, ctx.ConstScalar(1, dt)})});
  }
  ctx.SetOutput(0, out);
  for (size_t j = 1; j < ctx.node().outputs.size(); ++j)
    ctx.SetOutput(j, ctx.Constant(TensorData::FromVector<int64_t>(DType::kInt64, {0}, {})));
}

// aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor: one integer index at some
// dim is a Gather; everything else (several indices, ':' between them, boolean masks) is
// general advanced indexing through GatherND.
void TranslateIndex(TranslationContext& ctx) {
  const ir::Node* list = ctx.InputValue(1).producer;
  if (!list || list->op != "prim::ListConstruct")
    throw UnsupportedError("aten::index with indices built at run time");
  std::vector<size_t> present;
  for (size_t k = 0; k < list->inputs.size(); ++k)
    if (!list->inputs[k]->IsNone() && list->inputs[k]->kind != ir::ValueKind::kNone) present.push_back(k);
  auto names = ctx.TensorListInput(1);
  std::string x = ctx.Input(0);
  if (present.size() == 1) {
    size_t k = present[0];
    const ir::Value* index = list->inputs[k];
    DType dt = index->meta.dtype;
    if (dt != DType::kBool && dt != DType::kUInt8)
      return ctx.SetOutput(0, ctx.Op("Gather", {x, ctx.Cast(names[k], dt, DType::kInt64)}, {{"axis", static_cast<int64_t>(k)}}));
    if (index->meta.rank() == 1)  // a 1-D mask: the positions where it holds along dim k
      return ctx.SetOutput(0, ctx.Op("Gather", {x, Squeeze(ctx, ctx.Op("NonZero", {ctx.Cast(names[k], dt, DType::kBool)}), {0})},
                                     {{"axis", static_cast<int64_t>(k)}}));
  }
  std::vector<const ir::Value*> entries(list->inputs.begin(), list->inputs.end());
  ctx.SetOutput(0, GatherAdvanced(ctx, x, PrepareAdvancedIndex(ctx, entries, names, ctx.Rank(0))));
}

// aten::masked_select etc. would need dynamic output sizes; aten::arange with run-time bounds:
// aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, ...) -> Tensor
void TranslateArange(TranslationContext& ctx) {
  // ONNX Range takes float, double, int16, int32 and int64: other dtypes count in int64 or
  // float32 and are cast.
  const DType out = ctx.OutDType();
  const bool native = out == DType::kFloat32 || out == DType::kFloat64 || out == DType::kInt16 ||
                      out == DType::kInt32 || out == DType::kInt64;
  const DType dt = native ? out : IsFloating(out) ? DType::kFloat32 : DType::kInt64;
  const std::string& overload = ctx.node().overload;
  std::string start, end, step;
  if (overload.empty() || ctx.NumInputs() == 5) {  // arange(end, dtype, layout, device, pin_memory)
    start = ctx.ConstScalar(0, dt);
    end = ctx.ScalarInput(0, dt);
    step = ctx.ConstScalar(1, dt);
  } else if (overload == "start" || ctx.NumInputs() == 6) {
    start = ctx.ScalarInput(0, dt);
    end = ctx.ScalarInput(1, dt);
    step = ctx.ConstScalar(1, dt);
  } else {
    start = ctx.ScalarInput(0, dt);
    end = ctx.ScalarInput(1, dt);
    step = ctx.ScalarInput(2, dt);
  }
  ctx.SetOutput(0, ctx.Cast(ctx.Op("Range", {start, end, step}), dt, out));
}

}  // namespace

namespace {

// start + i * (end - start) / (steps - 1) for i < steps (inputs 0, 1, 2), in float64 like
// PyTorch's CPU kernel.
std::string LinspaceFloat64(TranslationContext& c) {
  std::string start = c.ScalarInput(0, DType::kFloat64), end = c.ScalarInput(1, DType::kFloat64);
  std::string steps = c.ScalarInput(2, DType::kInt64);
  std::string index = c.Cast(c.Op("Range", {c.ConstInt64(0), steps, c.ConstInt64(1)}), DType::kInt64, DType::kFloat64);
  std::string intervals = c.Cast(c.Op("Max", {c.Op("Sub", {steps, c.ConstInt64(1)}), c.ConstInt64(1)}), DType::kInt64,
                                 DType::kFloat64);
  std::string delta = c.Op("Div", {c.Op("Sub", {end, start}), intervals});
  return c.Op("Add", {start, c.Op("Mul", {index, delta})});
}

}  // namespace

void RegisterTensorOps(Registry& r) {
  r.SetFamily("tensor_ops");
  for (const char* op : {"aten::contiguous", "aten::clone", "aten::detach", "aten::alias", "aten::lift_fresh",
                         "aten::lift_fresh_copy", "aten::positive", "aten::resolve_conj", "aten::resolve_neg"})
    r.Add(op, TranslateIdentity);
  for (const char* op : {"aten::alpha_dropout", "aten::feature_alpha_dropout"})
    r.Add(op, TranslateAlphaDropout);
  for (const char* op : {"aten::to", "aten::type_as", "aten::_to_copy", "aten::float", "aten::double", "aten::half",
                         "aten::int", "aten::long", "aten::bool", "aten::byte", "aten::char", "aten::short"})
    r.Add(op, TranslateCastToOutput);
  r.Add("aten::zeros_like", [](TranslationContext& c) { TranslateFullLike(c, 0.0); });
  r.Add("aten::ones_like", [](TranslationContext& c) { TranslateFullLike(c, 1.0); });
  r.Add("aten::empty_like", [](TranslationContext& c) { TranslateFullLike(c, 0.0); });
  r.Add("aten::zero", [](TranslationContext& c) { TranslateFullLike(c, 0.0); });  // functional zero_()
  r.Add("aten::full_like", [](TranslationContext& c) { TranslateFullLike(c, std::nullopt); });
  r.Add("aten::fill", TranslateFill);
  r.Add("aten::zeros", [](TranslationContext& c) { TranslateFull(c, 0, 0.0); });
  r.Add("aten::ones", [](TranslationContext& c) { TranslateFull(c, 0, 1.0); });
  r.Add("aten::empty", [](TranslationContext& c) { TranslateFull(c, 0, 0.0); });
  r.Add("aten::full", [](TranslationContext& c) { TranslateFull(c, 0, std::nullopt); });
  r.Add("aten::new_zeros", [](TranslationContext& c) { TranslateFull(c, 1, 0.0); });
  r.Add("aten::new_ones", [](TranslationContext& c) { TranslateFull(c, 1, 1.0); });
  r.Add("aten::new_empty", [](TranslationContext& c) { TranslateFull(c, 1, 0.0); });
  r.Add("aten::new_full", [](TranslationContext& c) { TranslateFull(c, 1, std::nullopt); });
  r.Add("aten::empty_strided", [](TranslationContext& c) { TranslateFull(c, 0, 0.0); });  // (size, stride, ...)
  // (size, physical_layout, ...): what empty_like decomposes to; the layout is a stride order.
  r.Add("aten::empty_permuted", [](TranslationContext& c) { TranslateFull(c, 0, 0.0); });
  r.Add("aten::new_empty_strided", [](TranslationContext& c) { TranslateFull(c, 1, 0.0); });
  // aten::copy(Tensor self, Tensor src, bool non_blocking=False): functionalized `self.copy_(src)`,
  // src broadcast to self's shape in self's dtype.
  r.Add("aten::copy", [](TranslationContext& c) {
    DType dt = c.OutDType();
    c.SetOutput(0, c.Op("Expand", {c.OperandAs(1, dt), c.Op("Shape", {c.Input(0)})}));
  });
  // aten::is_pinned(Tensor self, Device? device=None) -> bool: no ONNX tensor lives in
  // page-locked host memory (TorchScript's torch.normal(mean, std, size) asks).
  r.Add("aten::is_pinned", [](TranslationContext& c) {
    c.SetOutput(0, c.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {}, {0})));
  });
  // Run-time checks torch.export records (asserts, size constraints) have no outputs; like
  // torch.onnx.export, the ONNX model leaves them out.
  for (const char* op : {"aten::_assert_async", "aten::_assert_scalar", "aten::_assert_tensor_metadata",
                         "aten::_linalg_check_errors", "aten::sym_constrain_range", "aten::sym_constrain_range_for_size"})
    r.Add(op, [](TranslationContext&) {});
  // aten::linspace(Scalar start, Scalar end, int steps, *, dtype, layout, device, pin_memory)
  // with run-time arguments (static ones are folded at capture):
  // start + i * (end - start) / (steps - 1), in float64 like PyTorch's CPU kernel, then cast.
  r.Add("aten::linspace", [](TranslationContext& c) { c.SetOutput(0, c.Cast(LinspaceFloat64(c), DType::kFloat64, c.OutDType())); });
  // aten::logspace(Scalar start, Scalar end, int steps, float base=10.0, *, dtype, ...) (and the
  // Tensor_Tensor / Tensor_Scalar / Scalar_Tensor overloads): base ** linspace, in float64.
  r.Add("aten::logspace", [](TranslationContext& c) {
    std::string base = c.ConstScalar(c.ConstDouble(3, "base"), DType::kFloat64);
    c.SetOutput(0, c.Cast(c.Op("Pow", {base, LinspaceFloat64(c)}), DType::kFloat64, c.OutDType()));
  });
  // aten::eye(int n, *, dtype, ...) / eye.m(int n, int m, *, dtype, ...) with run-time sizes.
  r.Add("aten::eye", [](TranslationContext& c) {
    DType dt = c.OutDType();
    std::string n = Unsqueeze(c, c.ScalarInput(0, DType::kInt64), {0});
    std::string m = c.node().overload == "m" ? Unsqueeze(c, c.ScalarInput(1, DType::kInt64), {0}) : n;
    std::string zeros = c.Op("ConstantOfShape", {c.Op("Concat", {n, m}, {{"axis", int64_t{0}}})});
    c.SetOutput(0, c.Cast(c.Op("EyeLike", {zeros}), DType::kFloat32, dt));
  });
  r.Add("aten::index_select", TranslateIndexSelect);
  // aten::one_hot(Tensor self, int num_classes=-1) -> Tensor (int64)
  r.Add("aten::one_hot", [](TranslationContext& c) {
    std::string indices = c.Cast(c.Input(0), c.InDType(0), DType::kInt64);
    const bool scalar = c.Rank(0) == 0;  // ONNX OneHot wants indices of rank >= 1
    if (scalar) indices = c.Op("Reshape", {indices, c.ConstInt64s({1})});
    int64_t classes = c.ConstInt(1, "num_classes");
    std::string depth = classes >= 0 ? c.ConstInt64s({classes})
                                     : Reshape(c, c.Op("Add", {Reduce(c, "ReduceMax", indices, {}, false),
                                                               c.ConstInt64(1)}), {1});
    std::string hot = c.Op("OneHot", {indices, depth, c.ConstInt64s({0, 1})}, {{"axis", int64_t{-1}}});
    c.SetOutput(0, scalar ? Squeeze(c, hot, {0}) : hot);
  });
  r.Add("aten::gather", TranslateGather);
  r.Add("aten::embedding", TranslateEmbedding);
  r.Add("aten::embedding_bag", TranslateEmbeddingBag);
  r.Add("aten::_embedding_bag", TranslateEmbeddingBag);
  r.Add("aten::index", TranslateIndex);
  r.Add("aten::arange", TranslateArange);
}

}  // namespace t2o
