// Reductions (translators/aten/reduction.cpp): each compared between libtorch and ONNX
// Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("reduction", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace


TEST_CASE("aten::sum over all / some dims, keepdim, int and bool inputs", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("sum_all", "x.sum()", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("sum_dim", "x.sum(1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("sum_dims_keep", "torch.sum(x, [0, 2], True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("sum_neg", "x.sum(-1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("sum_neg_keep", "x.sum([-1, -3], keepdim=True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("sum_empty_dims", "torch.sum(x, [])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("sum_int", "x.sum(1)", {Shape({2, 3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("sum_int_all", "x.sum()", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("sum_bool", "(x > 0).sum(0)", {Shape({5, 3})}));
  REQUIRE_VERIFIED(Run("sum_bool_all", "(x > 0).sum()", {Shape({5, 3})}));
  REQUIRE_VERIFIED(Run("sum_1d", "x.sum(0)", {Shape({7})}));
  REQUIRE_VERIFIED(Run("sum_0d", "x.sum() * 2.0", {Shape({})}));
  REQUIRE_VERIFIED(Run("sum_op13", "x.sum([1, 2], True)", {Shape({2, 3, 4})}, {}, AtOpset(13)));
  // int32 sums to int64; dtype= overrides the accumulation / output type.
  REQUIRE_VERIFIED(Run("sum_int32", "x.sum(0)", {Shape({3, 4}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("sum_dtype", "torch.sum(x, [1], False, dtype=7)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("sum_int_to_float", "torch.sum(x, dtype=6)", {Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("mean_dtype", "torch.mean(x, [0], True, dtype=7)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("cumsum_int32", "torch.cumsum(x, 1)", {Shape({3, 4}, DType::kInt32)}));
}

TEST_CASE("aten::mean / prod with dims and keepdim", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("mean_all", "x.mean()", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("mean_dim", "x.mean(1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("mean_dims_keep", "torch.mean(x, [-1, -2], True)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("mean_op13", "x.mean([0, 2], False)", {Shape({2, 3, 4})}, {}, AtOpset(13)));
  REQUIRE_VERIFIED(Run("prod_all", "torch.prod(x * 0.5 + 1.0)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("prod_dim", "torch.prod(x, 1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("prod_dim_keep", "torch.prod(x, -1, True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("prod_int", "torch.prod(x, 0)", {Shape({3, 4}, DType::kInt64)}));
}

TEST_CASE("aten::amax / amin / max / min (all, .dim with indices, .other)", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("amax", "torch.amax(x, [1, 2])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("amax_keep", "torch.amax(x, -1, True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("amin", "torch.amin(x, 0)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("max_all", "x.max()", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("min_all", "torch.min(x)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("max_all_int", "x.max()", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("max_dim", "torch.max(x, 1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("max_dim_keep", "v, i = torch.max(x, -1, True)\nreturn v, i", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("min_dim", "v, i = x.min(0)\nreturn i, v", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("max_dim_values", "x.max(2)[0] + 1.0", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("max_dim_indices", "x.max(1)[1]", {Shape({2, 5})}));
  // Ties: PyTorch returns the first index of the extreme value.
  REQUIRE_VERIFIED(Run("max_dim_ties", "torch.max(x, 1)",
                       {FloatData({2, 4}, {1.0f, 3.0f, 3.0f, 0.0f, -1.0f, -1.0f, -2.0f, -1.0f})}));
  REQUIRE_VERIFIED(Run("max_other", "torch.max(x, y)", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("min_other", "torch.min(x, y)", {Shape({2, 3}), Shape({2, 3})}));
}

TEST_CASE("aten::argmax / argmin with and without dim", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("argmax_dim", "torch.argmax(x, 1)", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("argmax_keep", "torch.argmax(x, -1, True)", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("argmax_all", "torch.argmax(x)", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("argmax_all_keep", "torch.argmax(x, None, True)", {Shape({2, 5, 3})}));
  REQUIRE_VERIFIED(Run("argmin_dim", "x.argmin(0)", {Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("argmin_all", "x.argmin()", {Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("argmax_ties", "torch.argmax(x, 1)",
                       {FloatData({2, 4}, {1.0f, 3.0f, 3.0f, 0.0f, -1.0f, -1.0f, -2.0f, -1.0f})}));
  REQUIRE_VERIFIED(Run("argmin_ties", "torch.argmin(x, 1)",
                       {FloatData({2, 4}, {1.0f, 0.0f, 3.0f, 0.0f, -1.0f, -2.0f, -2.0f, -1.0f})}));
  REQUIRE_VERIFIED(Run("argmax_int", "torch.argmax(x, 1)", {IntData({2, 4}, {1, 7, 7, 0, -3, 2, 9, 9})}));
}

TEST_CASE("aten::var / std with unbiased True/False, dims, keepdim, correction", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("var_all", "torch.var(x)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("var_all_biased", "torch.var(x, False)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("var_dim", "torch.var(x, [1])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("var_dim_biased_keep", "torch.var(x, [1, 2], False, True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("var_dim_unbiased_keep", "torch.var(x, [-1], True, True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("std_all", "torch.std(x)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("std_all_biased", "x.std(False)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("std_dim", "torch.std(x, [0], True, False)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("std_dim_biased_keep", "torch.std(x, [0, 2], False, True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("var_correction", "torch.var(x, [1], correction=0, keepdim=True)", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("var_correction2", "torch.var(x, [1], correction=2)", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("std_correction", "torch.std(x, None, correction=1)", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("var_op13", "torch.var(x, [1], False, True)", {Shape({2, 5})}, {}, AtOpset(13)));
}

TEST_CASE("aten::logsumexp / cumsum", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("logsumexp", "torch.logsumexp(x, [1])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("logsumexp_keep", "torch.logsumexp(x, [-1, 0], True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("cumsum", "torch.cumsum(x, 1)", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("cumsum_neg", "x.cumsum(-1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("cumsum_int", "torch.cumsum(x, 0)", {Shape({5, 2}, DType::kInt64)}));
}

TEST_CASE("aten::all / any on bool tensors", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("all", "torch.all(x > -1.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("any", "torch.any(x > 1.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("all_dim", "torch.all(x > 0, 1)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("any_dim_keep", "torch.any(x > 0, 0, True)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("all_int", "torch.all(x)", {IntData({4}, {1, -2, 3, 4})}));
  REQUIRE_VERIFIED(Run("any_int_dim", "torch.any(x, 1)", {IntData({2, 3}, {0, 0, 0, 0, 5, 0})}));
}

// aten::all / any on floats: non-zero values in (-1, 1) count as True (they used to be
// truncated to 0 by a cast to int64 before the comparison with zero).
TEST_CASE("aten::all / any on float tensors with fractional values", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("all_float", "torch.all(x)", {FloatData({4}, {0.5f, 2.0f, -0.25f, 1.0f})}));
  REQUIRE_VERIFIED(Run("any_float", "torch.any(x)", {FloatData({3}, {0.0f, 0.5f, 0.0f})}));
  REQUIRE_VERIFIED(Run("all_float_dim", "torch.all(x, 1)", {FloatData({2, 2}, {0.5f, -0.1f, 0.0f, 3.0f})}));
  REQUIRE_VERIFIED(Run("any_float_dim", "torch.any(x, 0, True)", {FloatData({2, 2}, {0.0f, -0.1f, 0.0f, 0.0f})}));
}

TEST_CASE("aten::cumprod along each dim, with a dtype, on integers", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("cumprod_last", "torch.cumprod(x, -1)", {Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("cumprod_dim0", "torch.cumprod(x, 0)", {Shape({4, 2, 3})}));
  REQUIRE_VERIFIED(Run("cumprod_dtype", "torch.cumprod(x, 1, dtype=7)", {Shape({2, 4})}));
  REQUIRE_VERIFIED(Run("cumprod_int", "torch.cumprod(x, 1)", {IntData({2, 4}, {1, -2, 3, 0, 2, 2, -1, 5})}));
}

TEST_CASE("aten::var_mean / std_mean; aten::cummax / cummin with ties, several dims and dtypes", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("var_mean", "torch.var_mean(x, 1)[0] + torch.var_mean(x, 1)[1]", {Shape({3, 4, 5})}));
  REQUIRE_VERIFIED(Run("std_mean_keep", "torch.std_mean(x, [0, 2], keepdim=True, unbiased=False)[1]", {Shape({3, 4, 5})}));
  REQUIRE_VERIFIED(Run("std_mean_all", "torch.std_mean(x)[0]", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("cummax", "torch.cummax(x, 1)[0]", {Shape({3, 7})}));
  REQUIRE_VERIFIED(Run("cummax_idx", "torch.cummax(x, 0)[1]", {Shape({6, 2, 3})}));
  REQUIRE_VERIFIED(Run("cummin_ties", "torch.cummin(x, -1)[1] * 10 + torch.cummin(x, -1)[0]",
                       {IntData({2, 6}, {3, 1, 1, 4, 0, 0, -2, 5, -2, -3, 7, -3})}));
}

// Whisper's decoder takes torch.diff of position ids.
TEST_CASE("aten::diff: n, dim, prepend and append, int and bool", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("diff", "torch.diff(x)", {Shape({3, 6})}));
  REQUIRE_VERIFIED(Run("diff_n2_dim0", "torch.diff(x, 2, 0)", {Shape({5, 3})}));
  REQUIRE_VERIFIED(Run("diff_pre_app", "torch.diff(x, 1, 1, y, y * 2.0)", {Shape({2, 4}), Shape({2, 2})}));
  REQUIRE_VERIFIED(Run("diff_int", "torch.diff((x * 10.0).long(), 1, -1)", {Shape({2, 7})}));
  REQUIRE_VERIFIED(Run("diff_bool", "torch.diff(x > 0.0).long()", {Shape({4, 9})}));
}
