// Shape and view ops (translators/aten/shape.cpp): each compared between libtorch and ONNX
// Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("shape", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace


TEST_CASE("aten::view / reshape / view_as / reshape_as", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("view_flat", "x.view(-1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("view_infer", "x.view(2, -1, 4)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("view_list", "x.view([4, 6])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("reshape", "x.reshape(3, 8)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("reshape_fn", "torch.reshape(x, [2, 2, 3, 2])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("reshape_0d", "x.reshape(1, 1) * 2.0", {Shape({})}));
  REQUIRE_VERIFIED(Run("reshape_to_0d", "x.reshape([]) * 2.0", {Shape({1, 1})}));
  REQUIRE_VERIFIED(Run("reshape_int", "x.reshape(-1, 2)", {Shape({2, 3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("view_as", "x.view_as(y) + y", {Shape({2, 3, 4}), Shape({6, 4})}));
  REQUIRE_VERIFIED(Run("reshape_as", "x.reshape_as(y) * y", {Shape({2, 3, 4}), Shape({4, 3, 2})}));
}

TEST_CASE("aten::flatten / unflatten", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("flatten_all", "x.flatten()", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("flatten_1", "x.flatten(1)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("flatten_1_2", "torch.flatten(x, 1, 2)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("flatten_0_1", "torch.flatten(x, 0, 1)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("flatten_2", "x.flatten(2)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("flatten_neg", "x.flatten(-3, -2)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("flatten_same", "x.flatten(1, 1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("flatten_0d", "x.flatten() * 2.0", {Shape({})}));
  REQUIRE_VERIFIED(Run("flatten_1d", "x.flatten()", {Shape({7})}));
  REQUIRE_VERIFIED(Run("unflatten", "x.unflatten(1, [2, 3])", {Shape({2, 6, 4})}));
  REQUIRE_VERIFIED(Run("unflatten_infer", "torch.unflatten(x, -1, [2, -1])", {Shape({2, 3, 8})}));
  REQUIRE_VERIFIED(Run("unflatten_first", "x.unflatten(0, [2, 2])", {Shape({4, 3})}));
}

TEST_CASE("aten::permute / transpose / swapaxes", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("permute", "x.permute(0, 2, 3, 1)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("permute_neg", "x.permute([-1, 0, 1])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("permute_fn", "torch.permute(x, [1, 0])", {Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("transpose", "x.transpose(1, 2)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("transpose_neg", "x.transpose(-1, 0)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("transpose_same", "x.transpose(1, 1) * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("swapaxes", "torch.swapaxes(x, 0, 2)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("transpose_int", "x.transpose(0, 1)", {Shape({2, 3}, DType::kInt64)}));
}

TEST_CASE("aten::unsqueeze / squeeze", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("unsqueeze_0", "x.unsqueeze(0)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("unsqueeze_neg", "x.unsqueeze(-1)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("unsqueeze_mid", "torch.unsqueeze(x, 1)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("unsqueeze_neg2", "x.unsqueeze(-2)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("unsqueeze_0d", "x.unsqueeze(0) * 2.0", {Shape({})}));
  REQUIRE_VERIFIED(Run("none_index", "x[:, None]", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("squeeze_all", "x.squeeze()", {Shape({1, 3, 1, 4})}));
  REQUIRE_VERIFIED(Run("squeeze_dim", "x.squeeze(2)", {Shape({1, 3, 1, 4})}));
  REQUIRE_VERIFIED(Run("squeeze_neg", "x.squeeze(-2)", {Shape({2, 3, 1, 4})}));
  // Squeezing a dim whose size is not 1 is a no-op.
  REQUIRE_VERIFIED(Run("squeeze_noop", "x.squeeze(1)", {Shape({2, 3, 1, 4})}));
  REQUIRE_VERIFIED(Run("squeeze_none", "x.squeeze() * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("squeeze_to_0d", "x.squeeze() * 2.0", {Shape({1, 1})}));
}

// A KV cache layer before its first update is torch.empty(0); cat skips such tensors.
TEST_CASE("aten::cat skips 1-D empty tensors beside tensors of higher rank", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("cat_legacy_empty", "torch.cat([torch.zeros(0), x], -2)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("cat_legacy_empty_mid", "torch.cat([x, torch.zeros(0), x * 2.0], 0)", {Shape({2, 3})}));
}

TEST_CASE("aten::cat with dims, negative dims and mixed dtypes", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("cat_0", "torch.cat([x, y], 0)", {Shape({2, 3}), Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("cat_1", "torch.cat([x, y, x], 1)", {Shape({2, 3}), Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("cat_neg", "torch.cat([x, y], -1)", {Shape({2, 3, 4}), Shape({2, 3, 1})}));
  REQUIRE_VERIFIED(Run("cat_one", "torch.cat([x], 0) * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("cat_int", "torch.cat([x, y], 0)", {Shape({2, 3}, DType::kInt64), Shape({1, 3}, DType::kInt64)}));
  // float + int64 -> float32
  REQUIRE_VERIFIED(Run("cat_mixed", "torch.cat([x, y], 1)", {Shape({2, 3}), Shape({2, 2}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("cat_mixed_first_int", "torch.cat([y, x], 0)", {Shape({2, 3}), Shape({1, 3}, DType::kInt64)}));
  // bool + int64 -> int64
  REQUIRE_VERIFIED(Run("cat_bool_int", "torch.cat([x > 0, y], 0)", {Shape({2, 3}), Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("concat", "torch.concat([x, y], 1)", {Shape({2, 3}), Shape({2, 1})}));
  REQUIRE_VERIFIED(Run("cat_params", "torch.cat([x, self.w], 0)", {Shape({2, 3})}, {{"w", {1, 3}}}));
}

TEST_CASE("aten::stack on several dims", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("stack_0", "torch.stack([x, y], 0)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("stack_1", "torch.stack([x, y, x], 1)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("stack_neg", "torch.stack([x, y], -1)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("stack_one", "torch.stack([x], 0)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("stack_1d", "torch.stack([x, y], 0)", {Shape({4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("stack_0d", "torch.stack([x.sum(), y.sum(), x.mean()], 0)", {Shape({4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("stack_int", "torch.stack([x, y], 2)", {Shape({2, 3}, DType::kInt64), Shape({2, 3}, DType::kInt64)}));
}

// aten::stack promotes mixed dtypes as aten::cat does.
TEST_CASE("aten::stack with mixed dtypes", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("stack_mixed", "torch.stack([x, y], 1)", {Shape({2, 3}), Shape({2, 3}, DType::kInt64)}));
}

TEST_CASE("aten::split / split_with_sizes / chunk / unbind", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("split_even", "x.split(2, 1)[1]", {Shape({2, 6})}));
  REQUIRE_VERIFIED(Run("split_uneven", "a, b, c = x.split(2, 1)\nreturn a, b, c", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("split_dim0", "a, b = torch.split(x, 3)\nreturn b, a", {Shape({5, 2})}));
  REQUIRE_VERIFIED(Run("split_sizes", "a, b, c = torch.split(x, [1, 3, 1], 1)\nreturn a, b * 2.0, c", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("split_with_sizes", "a, b = x.split_with_sizes([2, 1], -1)\nreturn a, b", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("chunk_even", "a, b = x.chunk(2, 1)\nreturn a * b", {Shape({2, 8})}));
  REQUIRE_VERIFIED(Run("chunk_uneven", "a, b, c = x.chunk(3, 1)\nreturn a, b, c", {Shape({2, 7})}));
  // chunk(4) of 6 gives three chunks of 2.
  REQUIRE_VERIFIED(Run("chunk_fewer", "a, b, c = torch.chunk(x, 4, 0)\nreturn a, b, c", {Shape({6, 2})}));
  REQUIRE_VERIFIED(Run("chunk_neg", "a, b = x.chunk(2, -1)\nreturn a - b", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("unbind_0", "a, b = x.unbind(0)\nreturn a, b", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("unbind_1", "a, b, c = torch.unbind(x, 1)\nreturn a + b * c", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("unbind_neg", "l = x.unbind(-1)\nreturn l[0], l[3]", {Shape({2, 4})}));
}

// A list returned straight from split/chunk/unbind becomes one ONNX output per element.
TEST_CASE("aten::split returned as a list", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("split_list_out", "x.split(2, 1)", {Shape({2, 5})}));
}

TEST_CASE("aten::chunk returned as a list", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("chunk_list_out", "torch.chunk(x, 2, 0)", {Shape({4, 3})}));
}

TEST_CASE("aten::unbind returned as a list", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("unbind_list_out", "x.unbind(1)", {Shape({2, 3})}));
}

TEST_CASE("aten::select / slice with steps and negative indices", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("select", "x.select(1, 2)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("select_neg", "x[:, -1]", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("select_fn", "torch.select(x, 0, 1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("select_1d", "x[2] * 2.0", {Shape({5})}));
  REQUIRE_VERIFIED(Run("select_int", "x[1]", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("slice", "x[:, 1:3]", {Shape({2, 5, 4})}));
  REQUIRE_VERIFIED(Run("slice_step", "x[:, ::2]", {Shape({2, 5, 4})}));
  REQUIRE_VERIFIED(Run("slice_step3", "x[1:, 1::3]", {Shape({3, 8})}));
  REQUIRE_VERIFIED(Run("slice_neg", "x[..., -3:]", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("slice_neg_end", "x[:, :-2]", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("slice_neg_both_step", "x[1:-1, -4:-1:2]", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Run("slice_past_end", "x[:, 2:100]", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("slice_full", "x[:] * 2.0", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("slice_mixed", "x[0, 1:, -1]", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("slice_ellipsis", "x[..., 1]", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("slice_fn", "torch.slice(x, 1, 1, 4, 2)", {Shape({2, 6})}));
}

TEST_CASE("aten::narrow", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("narrow", "x.narrow(1, 1, 2)", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("narrow_0", "torch.narrow(x, 0, 0, 1)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("narrow_neg_dim", "x.narrow(-1, 2, 3)", {Shape({2, 3, 6})}));
  REQUIRE_VERIFIED(Run("narrow_neg_start_mid", "x.narrow(1, -4, 2)", {Shape({2, 6})}));
}

// x.narrow(1, -2, 2) == x[:, -2:]: the start wraps before the end is computed.
TEST_CASE("aten::narrow with a negative start up to the end", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("narrow_neg_start_end", "x.narrow(1, -2, 2)", {Shape({2, 6})}));
}

TEST_CASE("aten::expand / expand_as / repeat", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("expand", "x.expand(3, 4)", {Shape({3, 1})}));
  REQUIRE_VERIFIED(Run("expand_keep", "x.expand(-1, 4)", {Shape({3, 1})}));
  REQUIRE_VERIFIED(Run("expand_new_dims", "x.expand(2, 3, 4)", {Shape({3, 1})}));
  REQUIRE_VERIFIED(Run("expand_new_keep", "x.expand(2, -1, 5)", {Shape({3, 1})}));
  REQUIRE_VERIFIED(Run("expand_1d", "x.expand(3, 4)", {Shape({4})}));
  REQUIRE_VERIFIED(Run("expand_same", "x.expand(2, 3) * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("expand_0d", "x.expand(2, 3)", {Shape({})}));
  REQUIRE_VERIFIED(Run("expand_as", "x.expand_as(y) + y", {Shape({1, 3}), Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("repeat", "x.repeat(2, 3)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("repeat_extra", "x.repeat(2, 1, 2)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("repeat_ones", "x.repeat(1, 1) * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("repeat_int", "x.repeat(3)", {Shape({4}, DType::kInt64)}));
}

// DeBERTa-v2 repeats its relative-position tensor by the batch size: repeats computed at
// run time (ONNX Tile with a computed repeats input).
TEST_CASE("aten::repeat with repeats computed at run time", "[ops][shape]") {
  VerifyOptions dynamic;
  dynamic.dynamic_shapes = R"([{}, {"0": "n"}])";
  dynamic.verify_dims = {{{"n", 5}}};
  REQUIRE_VERIFIED(Run("repeat_dyn", "x.repeat(y.size(0), 2)", {Shape({2, 3}), Shape({3})}, {}, dynamic));
  REQUIRE_VERIFIED(Run("repeat_dyn_extra", "x.repeat(y.size(0), 1, 2)", {Shape({2, 3}), Shape({2})}, {}, dynamic));
}

TEST_CASE("aten::roll on one dim, several dims and flattened", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("roll_1", "torch.roll(x, [1], [1])", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("roll_int_args", "torch.roll(x, 2, 0)", {Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("roll_neg", "torch.roll(x, [-2], [-1])", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("roll_multi", "torch.roll(x, [2, -1], [0, 2])", {Shape({3, 2, 4})}));
  REQUIRE_VERIFIED(Run("roll_big", "torch.roll(x, [7], [1])", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("roll_zero", "torch.roll(x, [5], [1]) * 2.0", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("roll_flat", "torch.roll(x, [3])", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("roll_flat_neg", "torch.roll(x, -4)", {Shape({3, 2, 2})}));
}

TEST_CASE("aten::constant_pad_nd", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("cpad_1d", "torch.constant_pad_nd(x, [1, 2])", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("cpad_value", "torch.constant_pad_nd(x, [1, 2], 1.5)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("cpad_2d", "torch.constant_pad_nd(x, [1, 1, 2, 0], -1.0)", {Shape({2, 3, 4, 4})}));
  REQUIRE_VERIFIED(Run("cpad_3d", "torch.constant_pad_nd(x, [0, 1, 1, 0, 2, 2])", {Shape({1, 2, 3, 3})}));
  REQUIRE_VERIFIED(Run("cpad_crop", "torch.constant_pad_nd(x, [-1, 2])", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("cpad_int", "torch.constant_pad_nd(x, [2, 1], 7)", {Shape({2, 3}, DType::kInt64)}));
}

TEST_CASE("aten::reflection_pad / replication_pad / pad", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("reflect1d", "torch.reflection_pad1d(x, [2, 1])", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("reflect2d", "torch.reflection_pad2d(x, [1, 2, 2, 1])", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("reflect2d_unbatched", "torch.reflection_pad2d(x, [1, 1, 1, 1])", {Shape({3, 4, 5})}));
  REQUIRE_VERIFIED(Run("replicate1d", "torch.replication_pad1d(x, [3, 0])", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("replicate2d", "torch.replication_pad2d(x, [1, 2, 0, 3])", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("replicate3d", "torch.replication_pad3d(x, [1, 1, 0, 1, 2, 0])", {Shape({1, 2, 3, 3, 3})}));
  REQUIRE_VERIFIED(Run("reflect3d", "torch.reflection_pad3d(x, [1, 1, 1, 0, 0, 1])", {Shape({1, 2, 3, 3, 3})}));
}

TEST_CASE("aten::pad with circular mode, 1-D to 3-D", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("pad_circular1d", "torch.pad(x, [2, 1], 'circular', None)", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("pad_circular2d", "torch.pad(x, [1, 2, 0, 3], 'circular', None)", {Shape({1, 2, 4, 5})}));
  REQUIRE_VERIFIED(Run("pad_circular3d", "torch.pad(x, [1, 1, 2, 0, 0, 1], 'circular', None)", {Shape({1, 2, 3, 3, 3})}));
  REQUIRE_VERIFIED(Run("pad_circular_int", "torch.pad(x, [1, 3], 'circular', None)", {Shape({2, 2, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("pad_circular_private", "torch._pad_circular(x, [1, 2])", {Shape({2, 3, 5})}));
}

TEST_CASE("aten::pad with constant / reflect / replicate modes", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("pad_constant", "torch.pad(x, [1, 2], 'constant', 0.5)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("pad_constant_none", "torch.pad(x, [1, 1, 1, 1], 'constant', None)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("pad_reflect", "torch.pad(x, [2, 2], 'reflect', None)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("pad_replicate", "torch.pad(x, [1, 0, 0, 2], 'replicate', None)", {Shape({1, 2, 3, 4})}));
}

TEST_CASE("aten::unsafe_split / unsafe_split_with_sizes / unsafe_chunk (RNN decompositions)", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("unsafe_split", "torch.unsafe_split(x, 2, 1)[1]", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("unsafe_split_sizes", "torch.unsafe_split_with_sizes(x, [1, 4], 1)[1]", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("unsafe_chunk", "torch.unsafe_chunk(x, 3, -1)[2]", {Shape({2, 4, 6})}));
}

TEST_CASE("aten::as_strided: reshapes, overlapping windows, transposed reads, offsets", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("as_strided_reshape", "torch.as_strided(x * 2, [4, 3], [3, 1])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("as_strided_keepdim", "torch.as_strided(x.mean([2, 3], keepdim=True), [2, 5, 1, 1], [5, 1, 5, 5])",
                       {Shape({2, 5, 3, 3})}));
  REQUIRE_VERIFIED(Run("as_strided_windows", "torch.as_strided(x + 1, [5, 3], [2, 1])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("as_strided_transposed", "torch.as_strided(x - 1, [4, 3], [1, 4])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("as_strided_offset", "torch.as_strided(x * 3, [2, 2], [4, 2], 1)", {Shape({3, 4})}));
  auto r = Run("as_strided_past_end", "torch.as_strided(x * 3, [3, 4], [4, 1], 2)", {Shape({3, 4})});
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("as_strided reads element"));
  REQUIRE_VERIFIED(Run("as_strided_scatter",
                       "return torch.as_strided_scatter(x, y, [2, 2], [4, 2], 1), torch.as_strided_scatter(x * 2, y.mT, [2, 2], [1, 4]), "
                       "torch.as_strided_scatter(x.double(), y.int(), [2, 2], [4, 2], 1)",
                       {Shape({3, 4}), Shape({2, 2})}));
  auto overlap = Run("as_strided_scatter_overlap", "torch.as_strided_scatter(x, y, [2, 2], [1, 1])", {Shape({3, 4}), Shape({2, 2})});
  REQUIRE_FALSE(overlap.ok);
  CHECK_THAT(overlap.error, ContainsText("overlaps itself"));
}

TEST_CASE("aten::resize_ shrinking and growing (the new elements are not compared)", "[ops][shape]") {
  REQUIRE_VERIFIED(Run("resize_shrink", "y = x * 2.0\ny.resize_([2, 5])\nreturn y", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("resize_grow", "y = x + 1.0\ny.resize_([4, 4])\nreturn y.flatten()[:12], y.size(0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("resize_dynamic", "y = x - 1.0\ny.resize_([x.size(1), x.size(0)])\nreturn y", {Shape({2, 6})}));
}
