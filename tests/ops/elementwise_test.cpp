// Elementwise arithmetic, math, comparisons and logic (translators/aten/elementwise.cpp):
// each compared between libtorch and ONNX Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("elementwise", name, body, std::move(inputs), std::move(params), options);
}

// Integer operands with every sign combination (and exact multiples) for division tests.
TensorSpec Dividends() { return IntData({2, 6}, {-7, 7, -7, 7, 6, -6, 0, 9, -9, 5, -1, 13}); }
TensorSpec Divisors() { return IntData({2, 6}, {2, 2, -2, -2, 3, 3, 5, -4, 4, -3, 7, -5}); }
}  // namespace

TEST_CASE("aten::add / sub / mul / div with tensors, scalars and broadcasting", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("add", "x + y", {Shape({2, 3, 4}), Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("add_bcast", "x + y", {Shape({2, 3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("add_bcast2", "x + y", {Shape({2, 1, 4}), Shape({3, 1})}));
  REQUIRE_VERIFIED(Run("add_alpha", "torch.add(x, y, alpha=2.5)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("add_scalar", "x + 1.5", {Shape({5})}));
  REQUIRE_VERIFIED(Run("sub", "x - y", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("sub_alpha", "torch.sub(x, y, alpha=0.5)", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("rsub", "1.0 - x", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("rsub_alpha", "torch.rsub(x, y, alpha=3)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("mul", "x * y", {Shape({2, 3, 4, 5}), Shape({1, 3, 1, 5})}));
  REQUIRE_VERIFIED(Run("mul_scalar", "x * -3.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("div", "x / (torch.abs(y) + 0.5)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("div_scalar", "x / 4", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("true_divide", "torch.true_divide(x, torch.abs(y) + 0.5)", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("scalar_0d", "x * 2.0 + 1.0 - x / 3.0", {Shape({})}));
}

TEST_CASE("aten::add / mul / div with integer and mixed dtypes", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("int_add", "x + y", {Shape({2, 3}, DType::kInt64), Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("int_mul_scalar", "x * 3 - 4", {Shape({2, 3}, DType::kInt64)}));
  // int tensor with a float scalar / float tensor promotes to float.
  REQUIRE_VERIFIED(Run("int_plus_float_scalar", "x + 0.5", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("int_plus_float_tensor", "x + y", {Shape({2, 3}, DType::kInt64), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("int_times_float_tensor", "y * x", {Shape({2, 3}, DType::kInt64), Shape({3})}));
  // int / int true division gives float.
  REQUIRE_VERIFIED(Run("int_true_div", "x / y", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("int_true_div_scalar", "x / 4", {Dividends()}));
  // `torch.int64` does not resolve in define()d code: dtypes are passed as ScalarType codes
  // (3 int32, 4 int64, 5 float16, 6 float32, 7 float64, 11 bool).
  REQUIRE_VERIFIED(Run("bool_plus_int", "(x > 0).to(4) + y", {Shape({2, 3}), Shape({2, 3}, DType::kInt64)}));
  // bool with bool stays bool: + is or, * is and.
  REQUIRE_VERIFIED(Run("bool_plus_bool", "(x > 0) + (y > 0.5)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("bool_times_bool", "(x > 0) * (y > -0.5)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("bool_plus_float", "(x > 0) + y", {Shape({3, 4}), Shape({3, 4})}));
}

TEST_CASE("aten::div rounding_mode floor / trunc on floats and int64", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("div_floor_f", "torch.div(x * 4.0, y, rounding_mode='floor')", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("div_trunc_f", "torch.div(x * 4.0, y, rounding_mode='trunc')", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("div_floor_i", "torch.div(x, y, rounding_mode='floor')", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("div_trunc_i", "torch.div(x, y, rounding_mode='trunc')", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("div_floor_i_scalar", "torch.div(x, -3, rounding_mode='floor')", {Dividends()}));
  REQUIRE_VERIFIED(Run("div_trunc_i_scalar", "torch.div(x, 4, rounding_mode='trunc')", {Dividends()}));
  REQUIRE_VERIFIED(Run("div_floor_mixed", "torch.div(x, y * 0.5 + 0.25, rounding_mode='floor')",
                       {Dividends(), Shape({2, 6})}));
}

TEST_CASE("aten::floor_divide / remainder / fmod on int64 and float", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("floor_divide_i", "torch.floor_divide(x, y)", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("floordiv_op_i", "x // y", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("floor_divide_f", "torch.floor_divide(x * 5.0, y)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("remainder_i", "torch.remainder(x, y)", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("remainder_op_i", "x % y", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("remainder_i_scalar", "x % -4", {Dividends()}));
  REQUIRE_VERIFIED(Run("remainder_f", "torch.remainder(x * 5.0, y)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("remainder_f_scalar", "torch.remainder(x * 5.0, 1.5)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("fmod_i", "torch.fmod(x, y)", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("fmod_f", "torch.fmod(x * 5.0, y)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("fmod_f_scalar", "torch.fmod(x * 5.0, -1.5)", {Shape({3, 4})}));
}

TEST_CASE("aten::pow with scalar and tensor exponents", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("pow_2", "x ** 2", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("pow_3", "torch.pow(x, 3.0)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("pow_1", "torch.pow(x, 1)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("pow_half", "torch.pow(torch.abs(x), 0.5)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("pow_neg", "torch.pow(torch.abs(x) + 0.5, -1.5)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("pow_tensor", "torch.pow(torch.abs(x) + 0.1, y)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("pow_tensor_bcast", "torch.pow(torch.abs(x) + 0.1, y)", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("pow_scalar_base", "torch.pow(2.0, x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("pow_int_2", "x ** 2", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("pow_int_3", "torch.pow(x, 3)", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("pow_int_float_exp", "torch.pow(x, 0.5)", {Shape({2, 3}, DType::kInt64)}));
}

TEST_CASE("aten unary math: exp / log / sqrt / rsqrt / trig / rounding", "[ops][elementwise]") {
  auto pos = "torch.abs(x) + 0.1";
  REQUIRE_VERIFIED(Run("neg", "-x", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("negative", "torch.negative(x)", {Shape({4})}));
  REQUIRE_VERIFIED(Run("abs", "torch.abs(x)", {Shape({2, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("abs_int", "torch.abs(x - 5)", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("exp", "torch.exp(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("exp2", "torch.exp2(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("expm1", "torch.expm1(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("log", std::string("torch.log(") + pos + ")", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("log1p", std::string("torch.log1p(") + pos + ")", {Shape({2, 3})}));
  // lgamma: positive, large, and negative non-integer arguments (reflection), float64 too.
  REQUIRE_VERIFIED(Run("lgamma", "torch.lgamma(x * 3.0)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("lgamma_pos", std::string("torch.lgamma((") + pos + ") * 40.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("lgamma_f64", "torch.lgamma(x * 2.0 - 0.25)", {Shape({6}, DType::kFloat64)}));
  // digamma: the reflection below 0.5, the poles (0 -> -inf, negative integers -> NaN).
  REQUIRE_VERIFIED(Run("digamma", "torch.digamma(x * 3.0), ops.aten.special_psi(torch.abs(x) * 50.0 + 0.01)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("digamma_f64", "torch.digamma(x * 2.0 - 0.25)", {Shape({6}, DType::kFloat64)}));
  REQUIRE_VERIFIED(Run("erfinv", "torch.erfinv(torch.tanh(x) * 0.999), ops.aten.special_erfinv(x * 0.01)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("erfinv_edges", "torch.erfinv(x).nan_to_num(7.0, 1e4, -1e4)",
                       {FloatData({6}, {1.0f, -1.0f, 1.5f, 0.0f, 0.9999f, -0.3f})}));
  REQUIRE_VERIFIED(Run("digamma_poles", "torch.digamma(x).nan_to_num(7.0, 1e4, -1e4)",
                       {FloatData({6}, {0.0f, -1.0f, -3.0f, 1.0f, -2.5f, 1e-3f})}));
  REQUIRE_VERIFIED(Run("log2", std::string("torch.log2(") + pos + ")", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("log10", std::string("torch.log10(") + pos + ")", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("sqrt", std::string("torch.sqrt(") + pos + ")", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("rsqrt", std::string("torch.rsqrt(") + pos + ")", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("reciprocal", std::string("torch.reciprocal(") + pos + ")", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("square", "torch.square(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("square_int", "torch.square(x)", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("sin_cos_tan", "torch.sin(x) + torch.cos(x) + torch.tan(x * 0.5)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("asin_acos_atan", "torch.asin(torch.tanh(x)) + torch.acos(torch.tanh(x)) + torch.atan(x)",
                       {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("sinh_cosh", "torch.sinh(x) + torch.cosh(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("asinh_acosh_atanh",
                       "torch.asinh(x) + torch.acosh(torch.abs(x) + 1.0) + torch.atanh(torch.tanh(x))",
                       {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("erf", "torch.erf(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("sign", "torch.sign(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("floor_ceil", "torch.floor(x * 3.0) + torch.ceil(x * 3.0) * 10.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("round", "torch.round(x * 3.0)", {Shape({3, 4})}));
  // Round half to even in both.
  REQUIRE_VERIFIED(Run("round_half", "torch.round(x)", {FloatData({6}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f})}));
  REQUIRE_VERIFIED(Run("trunc", "torch.trunc(x * 3.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("frac", "torch.frac(x * 3.0)", {Shape({3, 4})}));
}

TEST_CASE("aten::maximum / minimum / atan2 / lerp", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("maximum", "torch.maximum(x, y)", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("minimum", "torch.minimum(x, y)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("maximum_int", "torch.maximum(x, y)", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("atan2", "torch.atan2(x, y)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("atan2_quadrants", "torch.atan2(x, y)",
                       {FloatData({4}, {1.0f, 1.0f, -1.0f, -1.0f}), FloatData({4}, {1.0f, -1.0f, 1.0f, -1.0f})}));
  REQUIRE_VERIFIED(Run("lerp_scalar", "torch.lerp(x, y, 0.3)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("lerp_tensor", "torch.lerp(x, y, torch.sigmoid(z))", {Shape({2, 3}), Shape({2, 3}), Shape({3})}));
}

TEST_CASE("aten::eq / ne / lt / le / gt / ge produce bool", "[ops][elementwise]") {
  // Inputs with exact ties so eq/le/ge differ from lt/gt.
  auto a = FloatData({2, 4}, {1.0f, 2.0f, 3.0f, -1.0f, 0.5f, 0.0f, -2.0f, 4.0f});
  auto b = FloatData({2, 4}, {1.0f, 3.0f, 2.0f, -1.0f, 0.0f, 0.0f, -3.0f, 5.0f});
  REQUIRE_VERIFIED(Run("eq", "x == y", {a, b}));
  REQUIRE_VERIFIED(Run("ne", "x != y", {a, b}));
  REQUIRE_VERIFIED(Run("lt", "x < y", {a, b}));
  REQUIRE_VERIFIED(Run("le", "torch.le(x, y)", {a, b}));
  REQUIRE_VERIFIED(Run("gt", "torch.gt(x, y)", {a, b}));
  REQUIRE_VERIFIED(Run("ge", "x >= y", {a, b}));
  REQUIRE_VERIFIED(Run("gt_scalar", "x > 0.5", {a}));
  REQUIRE_VERIFIED(Run("eq_scalar", "torch.eq(x, 0)", {a}));
  REQUIRE_VERIFIED(Run("lt_bcast", "x < y", {Shape({2, 3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("eq_int", "x == y", {Dividends(), Divisors()}));
  REQUIRE_VERIFIED(Run("lt_int_scalar", "x < 3", {Dividends()}));
  // int tensor against a float scalar compares in floating point.
  REQUIRE_VERIFIED(Run("gt_int_float_scalar", "x > 2.5", {Dividends()}));
  REQUIRE_VERIFIED(Run("le_int_float_tensor", "x <= y", {Dividends(), Shape({2, 6})}));
  REQUIRE_VERIFIED(Run("eq_bool", "(x > 0) == (y > 0)", {Shape({3, 4}), Shape({3, 4})}));
  // Compare results used as numbers.
  REQUIRE_VERIFIED(Run("gt_as_float", "(x > y).float() * x", {Shape({3, 4}), Shape({3, 4})}));
}

TEST_CASE("aten::logical_* / bitwise ops on bool / __and__ / __or__", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("logical_and", "torch.logical_and(x > 0, y > 0)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("logical_or", "torch.logical_or(x > 0, y > 0)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("logical_xor", "torch.logical_xor(x > 0, y > 0)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("logical_not", "torch.logical_not(x > 0)", {Shape({3, 4})}));
  // logical ops on non-bool tensors treat non-zero as True.
  REQUIRE_VERIFIED(Run("logical_and_float", "torch.logical_and(x, y)",
                       {FloatData({4}, {0.0f, 0.5f, -2.0f, 0.0f}), FloatData({4}, {1.0f, 0.25f, 0.0f, 0.0f})}));
  REQUIRE_VERIFIED(Run("logical_not_int", "torch.logical_not(x)", {IntData({4}, {0, 1, -3, 0})}));
  REQUIRE_VERIFIED(Run("and_op", "(x > 0) & (y < 0)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("or_op", "(x > 0) | (y < 0)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("xor_op", "(x > 0) ^ (y < 0)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("bitwise_not_bool", "torch.bitwise_not(x > 0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("bool_input", "torch.logical_and(x, y)", {Shape({3, 4}, DType::kBool), Shape({3, 4}, DType::kBool)}));
  REQUIRE_VERIFIED(Run("isnan", "torch.isnan(torch.log(x))", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("isinf", "torch.isinf(1.0 / torch.floor(x))", {Shape({3, 4})}));
}

TEST_CASE("aten::where / masked_fill with bool conditions", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("where", "torch.where(x > 0, x, y)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("where_bcast", "torch.where(x > 0, x, y)", {Shape({2, 3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("where_scalar_other", "torch.where(x > 0, x, 0.5)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("where_scalar_self", "torch.where(x > 0, -1.0, x)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("where_scalars", "torch.where(x > 0, 2.0, -3.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("where_int", "torch.where(x > 4, x, y)", {Shape({3, 4}, DType::kInt64), Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("where_mixed", "torch.where(x > 4, x, y)", {Shape({3, 4}, DType::kInt64), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("where_bool_input", "torch.where(z, x, y)", {Shape({3, 4}), Shape({3, 4}), Shape({3, 4}, DType::kBool)}));
  REQUIRE_VERIFIED(Run("masked_fill", "x.masked_fill(x < 0, -5.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("masked_fill_bcast", "x.masked_fill(y > 0, 2.0)", {Shape({2, 3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("masked_fill_tensor", "x.masked_fill(x < 0, y.sum())", {Shape({3, 4}), Shape({2})}));
  REQUIRE_VERIFIED(Run("masked_fill_int", "x.masked_fill(x > 5, -1)", {Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("masked_fill_neg_inf", "torch.softmax(x.masked_fill(y > 0, float('-inf')), -1)",
                       {Shape({3, 4}), FloatData({4}, {1.0f, -1.0f, -1.0f, 1.0f})}));
}

TEST_CASE("aten::clamp / clip / clamp_min / clamp_max with scalar and tensor bounds", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("clamp", "torch.clamp(x, -0.5, 0.5)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("clamp_min_only", "torch.clamp(x, min=0.1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("clamp_max_only", "torch.clamp(x, max=0.1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("clip", "torch.clip(x, -1, 1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("clamp_min", "torch.clamp_min(x, 0.2)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("clamp_max", "torch.clamp_max(x, -0.2)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("clamp_tensor", "torch.clamp(x, y - 1.0, y + 1.0)", {Shape({2, 3, 4}) , Shape({4})}));
  REQUIRE_VERIFIED(Run("clamp_tensor_min", "torch.clamp(x, min=y)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("clamp_tensor_max", "torch.clamp(x, max=y)", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("clamp_min_tensor_fn", "torch.clamp_min(x, y)", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("clamp_0d_tensor", "torch.clamp(x, y.min(), y.max())", {Shape({3, 4}), Shape({5})}));
  REQUIRE_VERIFIED(Run("clamp_int", "torch.clamp(x, 2, 7)", {Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("clamp_int_float_bounds", "torch.clamp(x, 2.5, 7.5)", {Shape({3, 4}, DType::kInt64)}));
}

TEST_CASE("elementwise ops on float64 / int32 inputs and mixed precision", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("f64_arith", "x * 2.5 + torch.exp(x) / 3.0", {Shape({2, 3}, DType::kFloat64)}));
  REQUIRE_VERIFIED(Run("f64_plus_f32", "x + y", {Shape({2, 3}, DType::kFloat64), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("f64_gt_scalar", "x > 0.25", {Shape({2, 3}, DType::kFloat64)}));
  REQUIRE_VERIFIED(Run("f32_lt_f64", "y < x", {Shape({2, 3}, DType::kFloat64), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("i32_arith", "x * 3 + 1", {Shape({2, 3}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("i32_plus_i64", "x + y", {Shape({2, 3}, DType::kInt32), Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("i32_true_div", "x / 4", {Shape({2, 3}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("i32_floor_div", "torch.div(x - 5, 3, rounding_mode='floor')", {Shape({2, 3}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("i32_remainder", "torch.remainder(x - 5, 3)", {Shape({2, 3}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("i32_clamp", "torch.clamp(x, 2, 6)", {Shape({3, 4}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("i32_where", "torch.where(x > 4, x, 0)", {Shape({3, 4}, DType::kInt32)}));
  REQUIRE_VERIFIED(Run("i32_eq_float", "x == 2.0", {Shape({3, 4}, DType::kInt32)}));
}

TEST_CASE("elementwise ops at opset 13", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("op13_arith", "torch.clamp(x * y + 1.0, -1.0, 2.0) - torch.pow(x, 2)", {Shape({2, 3}), Shape({3})}, {},
                       AtOpset(13)));
  REQUIRE_VERIFIED(Run("op13_divmod", "torch.div(x, y, rounding_mode='floor') + x % y", {Dividends(), Divisors()}, {},
                       AtOpset(13)));
  REQUIRE_VERIFIED(Run("op13_where", "torch.where(x > 0, x, y)", {Shape({3, 4}), Shape({4})}, {}, AtOpset(13)));
}

// ONNX Runtime has no bool Where kernel: bool branches go through uint8.
TEST_CASE("aten::where with bool branches", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("where_bool_out", "torch.where(x > 0, x > 1, y > 0)", {Shape({3, 4}), Shape({3, 4})}));
}

TEST_CASE("aten::masked_fill on a bool tensor", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("masked_fill_bool", "(x > 0).masked_fill(y > 0, 0)", {Shape({3, 4}), Shape({3, 4})}));
}

TEST_CASE("aten::round with decimals and aten::logaddexp", "[ops][elementwise]") {
  REQUIRE_VERIFIED(Run("round_decimals", "torch.round(x * 10.0, decimals=1) + torch.round(x * 100.0, decimals=-1)",
                       {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("logaddexp", "torch.logaddexp(x, y * 30.0)", {Shape({3, 4}), Shape({4})}));
}

TEST_CASE("integer shifts: <<, >> (arithmetic on negatives), bitwise_*_shift", "[ops][elementwise]") {
  TensorSpec values = IntData({2, 4}, {1, -3, 7, -8, 100, -1, 0, 5});
  TensorSpec amounts = IntData({2, 4}, {0, 1, 2, 3, 1, 2, 4, 0});
  REQUIRE_VERIFIED(Run("lshift", "x << y", {values, amounts}));
  REQUIRE_VERIFIED(Run("rshift", "x >> y", {values, amounts}));
  REQUIRE_VERIFIED(Run("rshift_scalar", "x >> 1", {values}));
  REQUIRE_VERIFIED(Run("bitwise_left_shift", "torch.bitwise_left_shift(x, y)", {values, amounts}));
  REQUIRE_VERIFIED(Run("bitwise_right_shift", "torch.bitwise_right_shift(x, 2)", {values}));
}

// No ONNX Bitwise ops before opset 18: computed bit by bit, exact for negatives and extremes.
TEST_CASE("integer bitwise and / or / xor / not (&, |, ^, ~) on int64, int32, uint8", "[ops][elementwise]") {
  TensorSpec a = IntData({2, 4}, {12, -7, 0, -1, 255, -9223372036854775807LL - 1, 9223372036854775807LL, 5});
  TensorSpec b = IntData({2, 4}, {10, 3, -1, -1, 15, -1, -2, -6});
  REQUIRE_VERIFIED(Run("int_and", "x & y", {a, b}));
  REQUIRE_VERIFIED(Run("int_or", "x | y", {a, b}));
  REQUIRE_VERIFIED(Run("int_xor", "x ^ y", {a, b}));
  REQUIRE_VERIFIED(Run("int_bitwise_fns", "torch.bitwise_and(x, 6) + torch.bitwise_or(x, y) * 2 - torch.bitwise_xor(y, 3)",
                       {a, b}));
  REQUIRE_VERIFIED(Run("int_not", "~x + torch.bitwise_not(y)", {a, b}));
  REQUIRE_VERIFIED(Run("int_bcast", "x & y[0]", {a, b}));
  REQUIRE_VERIFIED(Run("int32_xor", "x.int() ^ y.int()", {IntData({4}, {100000, -3, 77, -2147483647}), IntData({4}, {-1, 5, 12, 9})}));
  REQUIRE_VERIFIED(Run("uint8_ops", "(x.byte() & 15) | (~y.byte() ^ 48)",
                       {IntData({4}, {250, 3, 128, 77}), IntData({4}, {1, 255, 16, 0})}));
}

TEST_CASE("rounding integers is the identity; float64 through ops ONNX Runtime runs in float32 only", "[ops][elementwise]") {
  TensorSpec ints = IntData({2, 3}, {-3, 0, 7, 12, -8, 1});
  REQUIRE_VERIFIED(Run("round_int", "torch.round(x) + torch.floor(x) * 2 + torch.ceil(x) * 3 + torch.trunc(x)", {ints}));
  TensorSpec f64 = Shape({3, 4}, DType::kFloat64);
  REQUIRE_VERIFIED(Run("f64_trig", "torch.erf(x) + torch.tan(x) + torch.asin(x * 0.5) + torch.acos(x * 0.5) + torch.atan(x) + "
                                   "torch.sinh(x) + torch.cosh(x) + torch.asinh(x) + torch.acosh(x.abs() + 1) + "
                                   "torch.atanh(x * 0.3) + torch.atan2(x, x + 2)",
                       {f64}));
  REQUIRE_VERIFIED(RunBody("activation", "f64_activations",
                           "torch.gelu(x) + torch.elu(x) + torch.selu(x) + torch.celu(x) + torch.softplus(x) + "
                           "torch.hardsigmoid(x) + torch.hardswish(x) + torch.mish(x) + torch.log_sigmoid(x) + x / (1 + x.abs())",
                           {f64}));
}

TEST_CASE("aten::atan2.out and other out= variants are refused, never translated as the functional op", "[ops][elementwise]") {
  auto r = RunBody("elementwise", "atan2_out", "z = torch.zeros_like(x)\nr = torch.atan2(x, y, out=z)\nreturn z * 2.0 + r",
                   {Shape({3, 4}), Shape({3, 4})});
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::atan2.out (1 node): an out= variant"));
  CHECK_THAT(r.error, ContainsText("call the functional form"));
}
