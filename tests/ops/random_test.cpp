// Random ops (translators/aten/random.cpp): ONNX Runtime draws other values than libtorch,
// so --verify compares the outputs that depend on them by shape, dtype and value range
// (CompareRandomTensors) and the others exactly; these tests check both, and that the
// values ONNX Runtime drew (its outputs in the verification's test data) have the
// distribution's properties: supports, means, permutations.
//
// dtypes are ScalarType codes in define()d code (4 int64, 5 float16, 6 float32, 7 float64).
#include "tests/support/catch.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "core/verify/ort_runner.h"
#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
  return RunBody("random", name, body, std::move(inputs));
}

// Verified, with exactly the outputs flagged in `random` compared as random.
void RequireRandomOutputs(const ConvertResult& r, const std::vector<bool>& random) {
  INFO("error: " << r.error);
  REQUIRE(r.ok);
  REQUIRE(r.verified);
  REQUIRE(r.comparisons.size() >= random.size());
  for (size_t k = 0; k < r.comparisons.size(); ++k) {
    INFO("output " << r.comparisons[k].name);
    CHECK(r.comparisons[k].random == random[k % random.size()]);
  }
  REQUIRE_THAT(r.verify_note, ContainsText("depend on random ops"));
}

// Output k of ONNX Runtime's verification run (at the default opset) of model `name`.
std::vector<double> OrtValues(const std::string& name, size_t k = 0) {
  namespace fs = std::filesystem;
  TensorData t = ReadTensorPb((fs::path(OutputDir()) / ("random_" + name + "_test_data_set_0") /
                               ("output_" + std::to_string(k) + ".pb")).string());
  std::vector<double> values;
  for (int64_t i = 0; i < t.numel(); ++i) values.push_back(t.ElementAsDouble(i));
  return values;
}

bool AllIn(const std::vector<double>& v, double low, double high_exclusive) {
  return std::all_of(v.begin(), v.end(), [&](double x) { return x >= low && x < high_exclusive; });
}

double Mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }

}  // namespace

TEST_CASE("aten::rand / randn / rand_like / randn_like: shapes, dtypes and ranges", "[ops][random]") {
  RequireRandomOutputs(Run("rand", "torch.rand(64, 64)", {Shape({2, 3})}), {true});
  auto uniform = OrtValues("rand");
  CHECK(uniform.size() == 4096);
  CHECK(AllIn(uniform, 0.0, 1.0));
  CHECK(std::abs(Mean(uniform) - 0.5) < 0.03);
  RequireRandomOutputs(Run("rand_float64", "torch.rand([x.size(0), 4], dtype=7)", {Shape({2, 3})}), {true});
  // float16 (ScalarType 5) is drawn as float32: ONNX Runtime has no float16 generator kernel.
  RequireRandomOutputs(Run("rand_float16", "torch.rand([x.size(0), 4], dtype=5), torch.randn_like(x.half())", {Shape({2, 3})}),
                       {true, true});
  CHECK(AllIn(OrtValues("rand_float16"), 0.0, 1.0));
  RequireRandomOutputs(Run("randn", "torch.randn(64, 64) * 0.5 + 3.0", {Shape({2, 3})}), {true});
  CHECK(std::abs(Mean(OrtValues("randn")) - 3.0) < 0.05);
  RequireRandomOutputs(Run("rand_like", "torch.rand_like(x) - x", {Shape({2, 3})}), {true});
  RequireRandomOutputs(Run("randn_like", "(torch.randn_like(x), x * 2.0)", {Shape({2, 3})}), {true, false});
}

TEST_CASE("aten::randint / randint_like / randperm", "[ops][random]") {
  RequireRandomOutputs(Run("randint", "torch.randint(3, 9, [40, 50])", {Shape({2, 3})}), {true});
  auto integers = OrtValues("randint");
  CHECK(AllIn(integers, 3, 9));
  CHECK(std::count(integers.begin(), integers.end(), 3.0) > 0);
  CHECK(std::count(integers.begin(), integers.end(), 8.0) > 0);
  RequireRandomOutputs(Run("randint_high", "torch.randint(7, [x.size(1), 2])", {Shape({2, 3})}), {true});
  RequireRandomOutputs(Run("randint_like", "torch.randint_like(x, 10)", {Shape({2, 3})}), {true});
  RequireRandomOutputs(Run("randint_like_low", "torch.randint_like(x, -4, 4)", {Shape({2, 3})}), {true});
  RequireRandomOutputs(Run("randperm", "torch.randperm(x.size(0) * 3)", {Shape({3, 2})}), {true});
  auto permutation = OrtValues("randperm");
  std::sort(permutation.begin(), permutation.end());
  CHECK(permutation == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("aten::bernoulli / normal / uniform_ / normal_ / exponential_ / multinomial", "[ops][random]") {
  RequireRandomOutputs(Run("bernoulli", "torch.bernoulli(torch.sigmoid(x))", {Shape({3, 4})}), {true});
  RequireRandomOutputs(Run("bernoulli_p", "torch.zeros(64, 64).bernoulli(0.3) + x.sum() * 0.0", {Shape({3, 4})}), {true});
  auto coins = OrtValues("bernoulli_p");
  CHECK(std::all_of(coins.begin(), coins.end(), [](double c) { return c == 0 || c == 1; }));
  CHECK(std::abs(Mean(coins) - 0.3) < 0.03);
  RequireRandomOutputs(Run("bernoulli_inplace", "y = x.clone()\ny.bernoulli_(0.5)\nreturn y - x", {Shape({3, 4})}),
                       {true});
  RequireRandomOutputs(Run("normal_tensor_float", "torch.normal(x, 0.5)", {Shape({3, 4})}), {true});
  RequireRandomOutputs(Run("normal_float_float", "torch.normal(2.0, 3.0, [3, 4]) + x", {Shape({3, 4})}), {true});
  RequireRandomOutputs(Run("normal_tensor_tensor", "torch.normal(x, x.abs() + 0.1)", {Shape({3, 4})}), {true});
  RequireRandomOutputs(Run("normal_inplace", "y = x.clone()\ny.normal_(1.0, 2.0)\nreturn y", {Shape({3, 4})}), {true});
  RequireRandomOutputs(Run("uniform_inplace", "y = x.clone()\ny.uniform_(-2.0, 3.0)\nreturn y", {Shape({30, 40})}), {true});
  CHECK(AllIn(OrtValues("uniform_inplace"), -2.0, 3.0));
  RequireRandomOutputs(Run("exponential_inplace", "y = x.clone()\ny.exponential_(2.0)\nreturn y", {Shape({64, 64})}),
                       {true});
  CHECK(std::abs(Mean(OrtValues("exponential_inplace")) - 0.5) < 0.05);  // 1 / lambda
  RequireRandomOutputs(Run("multinomial", "torch.multinomial(x.abs() + 0.1, 3)", {Shape({2, 6})}), {true});
  RequireRandomOutputs(Run("multinomial_1d", "torch.multinomial(x.abs() + 0.1, 4)", {Shape({6})}), {true});
  RequireRandomOutputs(Run("multinomial_replacement", "torch.multinomial(x.abs() + 0.1, 9, True)", {Shape({2, 5})}),
                       {true});
  // Without replacement every class is drawn once.
  RequireRandomOutputs(Run("multinomial_all", "torch.multinomial(x.abs() + 0.1, 5)", {Shape({3, 5})}), {true});
  auto draws = OrtValues("multinomial_all");
  for (size_t row = 0; row < 3; ++row) {
    std::vector<double> classes(draws.begin() + row * 5, draws.begin() + row * 5 + 5);
    std::sort(classes.begin(), classes.end());
    CHECK(classes == std::vector<double>{0, 1, 2, 3, 4});
  }
  // A class of probability 0 is never drawn.
  RequireRandomOutputs(Run("multinomial_zero", "torch.multinomial(torch.relu(x) * 0.0 + torch.tensor([0.0, 1.0, 2.0]), 50, True)",
                           {Shape({3})}), {true});
  auto picks = OrtValues("multinomial_zero");
  CHECK(AllIn(picks, 1, 3));
}

TEST_CASE("aten::dropout / feature_dropout / native_dropout in training mode", "[ops][random]") {
  for (int opset : {13, 21}) {  // inference forms run at every opset; training needs random ops (up to 21)
    auto at = AtOpset(opset);
    RequireRandomOutputs(RunBody("random", "dropout_train", "torch.dropout(torch.ones(64, 64) + x.sum() * 0.0, 0.25, True)",
                                 {Shape({4, 8})}, {}, at), {true});
    auto kept = OrtValues("dropout_train");  // 0 or 1 / (1 - p), a quarter dropped
    CHECK(std::all_of(kept.begin(), kept.end(), [](double v) { return v == 0 || std::abs(v - 4.0 / 3.0) < 1e-6; }));
    CHECK(std::abs(std::count(kept.begin(), kept.end(), 0.0) / 4096.0 - 0.25) < 0.03);
    RequireRandomOutputs(RunBody("random", "feature_dropout_train", "torch.feature_dropout(x, 0.5, True)",
                                 {Shape({2, 6, 3, 3})}, {}, at), {true});
    RequireRandomOutputs(RunBody("random", "native_dropout_train", "torch.native_dropout(x, 0.25, True)", {Shape({4, 5})},
                                 {}, at), {true, true});
  }
  // p = 0 and train=False stay exact, at every opset.
  REQUIRE_VERIFIED(Run("dropout_p0", "torch.dropout(x, 0.0, True) * 2.0", {Shape({4, 8})}));
  auto r = RunBody("random", "dropout_train_22", "torch.dropout(x, 0.3, True)", {Shape({4, 8})}, {}, AtOpset(22));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::dropout in training mode at opset 22 or later needs ONNX's random ops"));
}

TEST_CASE("random ops at opset 22 or later: refused, naming opset 21", "[ops][random]") {
  auto r = RunBody("random", "rand_22", "torch.rand(3, 4) + x", {Shape({3, 4})}, {}, AtOpset(23));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::rand at opset 22 or later needs ONNX's random ops of opset 22"));
  CHECK_THAT(r.error, ContainsText("--opset 21 or lower"));
}
