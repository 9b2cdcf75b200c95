// Order statistics, histograms and integrated sums (translators/aten/statistics.cpp),
// compared with libtorch, ties and NaN included where PyTorch defines the result.
#include <limits>

#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {
ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  VerifyOptions options = {}) {
  return RunBody("statistics", name, body, std::move(inputs), {}, options);
}
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
}  // namespace

TEST_CASE("aten::kthvalue / median / nanmedian, with dims, keepdim, NaN and integers", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("kthvalue", "torch.kthvalue(x, 2, 1)", {Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("kthvalue_dim0_keep", "torch.kthvalue(x, 4, 0, True)", {Shape({5, 2, 3})}));
  REQUIRE_VERIFIED(Run("kthvalue_int", "torch.kthvalue(x, 1)", {IntData({2, 3}, {5, -3, 9, 1, 0, 8})}));
  REQUIRE_VERIFIED(Run("median_all", "torch.median(x)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("median_dim", "torch.median(x, 1)", {Shape({3, 6})}));
  REQUIRE_VERIFIED(Run("median_dim_keep", "torch.median(x, -1, True)", {Shape({2, 3, 7})}));
  REQUIRE_VERIFIED(Run("median_int_ties", "torch.median(x, 1)", {IntData({2, 6}, {0, 0, 2, 2, 7, 7, 3, 1, 3, 2, 1, 5})}));
  std::vector<float> with_nan{1, kNaN, 3, kNaN, 0, 4, 2, 1, 3, 5, -1, 2, kNaN, 6, 0};
  REQUIRE_VERIFIED(Run("median_nan", "torch.median(x, 1)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("median_nan_all", "torch.median(x).nan_to_num(5.0)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("nanmedian", "torch.nanmedian(x, 1)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("nanmedian_all", "torch.nanmedian(x)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("nanmedian_all_nan_row", "torch.nanmedian(x, 1)[0].nan_to_num(-9.0)",
                       {FloatData({2, 4}, {kNaN, kNaN, kNaN, kNaN, 1, 2, 3, 4})}));
  REQUIRE_VERIFIED(Run("median_scalar", "torch.median(x[0, 0], 0)", {Shape({2, 2})}));
}

TEST_CASE("aten::mode: the smallest most frequent value at its last position", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("mode_int", "torch.mode(x, 1)", {IntData({2, 6}, {3, 1, 3, 2, 1, 5, 2, 2, 0, 0, 7, 7})}));
  REQUIRE_VERIFIED(Run("mode_dim0_keep", "torch.mode(x, 0, True)", {IntData({4, 2}, {1, 2, 1, 3, 0, 3, 0, 3})}));
  REQUIRE_VERIFIED(Run("mode_float", "torch.mode(torch.round(x), -1)", {FloatData({2, 5}, {1.2f, 0.9f, 3, 3, 2, -1, -1, 4, 4, 4})}));
}

TEST_CASE("aten::quantile / nanquantile: scalar and tensor q, every interpolation, dims and NaN", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("quantile_all", "torch.quantile(x, 0.3)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("quantile_dim", "torch.quantile(x, 0.75, 1)", {Shape({3, 8})}));
  REQUIRE_VERIFIED(Run("quantile_keep", "torch.quantile(x, 0.5, 0, True)", {Shape({5, 2, 3})}));
  REQUIRE_VERIFIED(Run("quantile_all_keep", "torch.quantile(x, 0.2, keepdim=True)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("quantile_tensor", "torch.quantile(x, torch.tensor([0.1, 0.5, 0.9]), 1)", {Shape({2, 7})}));
  REQUIRE_VERIFIED(Run("quantile_tensor_keep", "torch.quantile(x, torch.tensor([0.25, 1.0]), -1, True)", {Shape({2, 3, 6})}));
  for (const char* mode : {"lower", "higher", "midpoint", "nearest"}) {
    std::string body = std::string("torch.quantile(x, torch.tensor([0.0, 0.3, 0.5, 0.8]), 1, interpolation='") + mode + "')";
    REQUIRE_VERIFIED(Run(std::string("quantile_") + mode, body, {Shape({3, 6})}));
  }
  std::vector<float> with_nan{1, kNaN, 3, kNaN, 0, 4, 2, 1, 3, 5, -1, 2, kNaN, 6, 0};
  REQUIRE_VERIFIED(Run("quantile_nan", "torch.quantile(x, 0.4, 1)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("nanquantile", "torch.nanquantile(x, torch.tensor([0.4, 0.9]), 1)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("nanquantile_all", "torch.nanquantile(x, 0.6)", {FloatData({3, 5}, with_nan)}));
  REQUIRE_VERIFIED(Run("quantile_double", "torch.quantile(x.double(), 0.35, 0)", {Shape({6, 2})}));
}

TEST_CASE("aten::histc / bincount at the one-hot and the scatter form", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("histc_range", "torch.histc(x, 8, -2.0, 2.0)", {Shape({5, 7})}));
  REQUIRE_VERIFIED(Run("histc_data_range", "torch.histc(x, 5)", {FloatData({6}, {0, 1, 2, 2, 5, 3.5f})}));
  REQUIRE_VERIFIED(Run("histc_constant", "torch.histc(x, 3)", {FloatData({2}, {2, 2})}));
  REQUIRE_VERIFIED(Run("histc_outside", "torch.histc(x, 4, 0.0, 1.0)", {FloatData({6}, {-1, 0, 0.3f, 1, 1.5f, 0.99f})}));
  REQUIRE_VERIFIED(Run("bincount", "torch.bincount(x)", {IntData({7}, {1, 1, 3, 0, 5, 1, 3})}));
  REQUIRE_VERIFIED(Run("bincount_minlength", "torch.bincount(x, minlength=9)", {IntData({4}, {1, 1, 3, 0})}));
  REQUIRE_VERIFIED(Run("bincount_weights", "torch.bincount(x, y)", {IntData({4}, {2, 0, 2, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("bincount_int_weights", "torch.bincount(x, x * 3)", {IntData({4}, {2, 1, 2, 4})}));
}

TEST_CASE("aten::logcumsumexp keeps every prefix exact whatever the spread", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("logcumsumexp", "torch.logcumsumexp(x, 1)", {Shape({3, 6})}));
  REQUIRE_VERIFIED(Run("logcumsumexp_dim0", "torch.logcumsumexp(x, 0)", {Shape({5, 2, 3})}));
  REQUIRE_VERIFIED(Run("logcumsumexp_spread", "torch.logcumsumexp(x * 400.0, -1)",
                       {FloatData({2, 4}, {-3, 1, -2, 0.5f, 2, -1, 0.25f, -4})}));
  REQUIRE_VERIFIED(Run("logcumsumexp_inf", "torch.logcumsumexp(torch.log(torch.relu(x)), -1).nan_to_num(-7.0, 9.0, -9.0)",
                       {FloatData({2, 4}, {-3, 1, -2, 0.5f, 2, -1, 0.25f, -4})}));
}

TEST_CASE("aten::trapezoid / cumulative_trapezoid with dx and with x", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("trapezoid", "torch.trapezoid(x)", {Shape({3, 6})}));
  REQUIRE_VERIFIED(Run("trapezoid_dx_dim", "torch.trapezoid(x, dx=0.25, dim=0)", {Shape({5, 2})}));
  REQUIRE_VERIFIED(Run("trapezoid_x", "torch.trapezoid(x, torch.cumsum(y.abs(), 0))", {Shape({2, 6}), Shape({6})}));
  REQUIRE_VERIFIED(Run("cumulative_trapezoid", "torch.cumulative_trapezoid(x)", {Shape({3, 6})}));
  REQUIRE_VERIFIED(Run("cumulative_trapezoid_x", "torch.cumulative_trapezoid(x, y, dim=0)", {Shape({4, 3}), Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("cumulative_trapezoid_int", "torch.cumulative_trapezoid(x, dx=2)", {IntData({2, 3}, {1, 4, 2, 0, -3, 5})}));
}

TEST_CASE("aten::cov (correction, fweights, aweights) / corrcoef", "[ops][statistics]") {
  REQUIRE_VERIFIED(Run("cov", "torch.cov(x)", {Shape({3, 8})}));
  REQUIRE_VERIFIED(Run("cov_vector", "torch.cov(x, correction=0)", {Shape({6})}));
  REQUIRE_VERIFIED(Run("cov_weights", "torch.cov(x, correction=2, fweights=torch.tensor([1, 2, 1, 3, 1, 1]), aweights=y.abs() + 0.1)",
                       {Shape({2, 6}), Shape({6})}));
  REQUIRE_VERIFIED(Run("cov_aweights", "torch.cov(x, aweights=y.abs() + 0.1)", {Shape({2, 6}), Shape({6})}));
  REQUIRE_VERIFIED(Run("corrcoef", "torch.corrcoef(x)", {Shape({4, 9})}));
}
