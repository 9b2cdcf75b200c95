// Normalization layers (translators/aten/normalization.cpp): each compared between libtorch
// and ONNX Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("normalization", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace

// Random running_var parameters are made positive in the graph.
const char* kVar = "torch.abs(self.rv) + 0.5";

TEST_CASE("aten::batch_norm (inference) on 2-D, 3-D, 4-D and 5-D inputs", "[ops][normalization]") {
  Params p4{{"w", {3}}, {"b", {3}}, {"rm", {3}}, {"rv", {3}}};
  std::string bn = std::string("torch.batch_norm(x, self.w, self.b, self.rm, ") + kVar + ", False, 0.1, 1e-5, False)";
  REQUIRE_VERIFIED(Run("bn2d", bn, {Shape({2, 3, 8, 8})}, p4));
  REQUIRE_VERIFIED(Run("bn1d_2d", bn, {Shape({4, 3})}, p4));
  REQUIRE_VERIFIED(Run("bn1d_3d", bn, {Shape({2, 3, 7})}, p4));
  REQUIRE_VERIFIED(Run("bn3d", bn, {Shape({2, 3, 2, 4, 4})}, p4));
  REQUIRE_VERIFIED(Run("bn_eps", std::string("torch.batch_norm(x, self.w, self.b, self.rm, ") + kVar + ", False, 0.1, 0.25, True)",
                       {Shape({2, 3, 4, 4})}, p4));
  REQUIRE_VERIFIED(Run("bn_op13", bn, {Shape({2, 3, 4, 4})}, p4, AtOpset(13)));
}

// training=True normalizes by the batch statistics, with or without running ones; timm's
// weight-standardized convolutions (nf_resnet, BiT) call it on their weights in eval mode.
TEST_CASE("aten::batch_norm with training=True uses the batch statistics", "[ops][normalization]") {
  Params p{{"w", {4, 3, 3}}, {"g", {4}}, {"rm", {3}}, {"rv", {3}}};
  REQUIRE_VERIFIED(Run("bn_train_weights",
                       "torch.conv1d(x, torch.batch_norm(self.w.reshape(1, 4, -1), self.g, None, None, None, True, 0.0, "
                       "1e-5, False).reshape(4, 3, 3))",
                       {Shape({2, 3, 9})}, p));
  REQUIRE_VERIFIED(Run("bn_train_running",
                       std::string("torch.batch_norm(x, None, None, self.rm.clone(), ") + kVar + ", True, 0.1, 1e-5, False)",
                       {Shape({4, 3, 5})}, p));
}

TEST_CASE("aten::batch_norm without affine parameters", "[ops][normalization]") {
  Params p{{"rm", {4}}, {"rv", {4}}};
  REQUIRE_VERIFIED(Run("bn_noaffine", std::string("torch.batch_norm(x, None, None, self.rm, ") + kVar + ", False, 0.1, 1e-5, False)",
                       {Shape({2, 4, 5, 5})}, p));
  REQUIRE_VERIFIED(Run("bn_weight_only", std::string("torch.batch_norm(x, self.w, None, self.rm, ") + kVar + ", False, 0.1, 1e-5, False)",
                       {Shape({2, 4, 5})}, {{"w", {4}}, {"rm", {4}}, {"rv", {4}}}));
}

TEST_CASE("aten::layer_norm over one and several trailing dims", "[ops][normalization]") {
  REQUIRE_VERIFIED(Run("ln_last", "torch.layer_norm(x, [5], self.w, self.b, 1e-5, False)", {Shape({2, 3, 5})},
                       {{"w", {5}}, {"b", {5}}}));
  REQUIRE_VERIFIED(Run("ln_two", "torch.layer_norm(x, [3, 5], self.w, self.b, 1e-5, False)", {Shape({2, 3, 5})},
                       {{"w", {3, 5}}, {"b", {3, 5}}}));
  REQUIRE_VERIFIED(Run("ln_all", "torch.layer_norm(x, [4, 6], None, None, 1e-3, False)", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Run("ln_noaffine", "torch.layer_norm(x, [8], None, None, 1e-5, False)", {Shape({2, 4, 8})}));
  REQUIRE_VERIFIED(Run("ln_weight_only", "torch.layer_norm(x, [8], self.w, None, 1e-5, False)", {Shape({2, 4, 8})}, {{"w", {8}}}));
  REQUIRE_VERIFIED(Run("ln_4d", "torch.layer_norm(x, [6], self.w, self.b, 1e-6, False)", {Shape({2, 3, 4, 6})},
                       {{"w", {6}}, {"b", {6}}}));
}

TEST_CASE("aten::native_layer_norm with its mean and rstd outputs", "[ops][normalization]") {
  REQUIRE_VERIFIED(Run("nln", "torch.native_layer_norm(x, [5], self.w, self.b, 1e-5)", {Shape({2, 3, 5})},
                       {{"w", {5}}, {"b", {5}}}));
  REQUIRE_VERIFIED(Run("nln_two", "torch.native_layer_norm(x, [3, 5], None, None, 1e-3)", {Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("nln_op13", "torch.native_layer_norm(x, [5], self.w, None, 1e-5)", {Shape({4, 5})},
                       {{"w", {5}}}, AtOpset(13)));
}

TEST_CASE("aten::layer_norm at opset 13 (decomposed)", "[ops][normalization]") {
  REQUIRE_VERIFIED(Run("ln_op13", "torch.layer_norm(x, [5], self.w, self.b, 1e-5, False)", {Shape({2, 3, 5})},
                       {{"w", {5}}, {"b", {5}}}, AtOpset(13)));
  REQUIRE_VERIFIED(Run("ln_two_op13", "torch.layer_norm(x, [3, 5], None, None, 1e-5, False)", {Shape({2, 3, 5})}, {},
                       AtOpset(13)));
}

TEST_CASE("aten::group_norm with and without affine, several ranks", "[ops][normalization]") {
  Params p{{"w", {6}}, {"b", {6}}};
  REQUIRE_VERIFIED(Run("gn", "torch.group_norm(x, 2, self.w, self.b, 1e-5, False)", {Shape({2, 6, 4, 4})}, p));
  REQUIRE_VERIFIED(Run("gn_3", "torch.group_norm(x, 3, self.w, self.b, 1e-5, False)", {Shape({2, 6, 5})}, p));
  REQUIRE_VERIFIED(Run("gn_1", "torch.group_norm(x, 1, self.w, self.b, 1e-5, False)", {Shape({2, 6, 3, 3})}, p));
  REQUIRE_VERIFIED(Run("gn_6", "torch.group_norm(x, 6, self.w, self.b, 1e-5, False)", {Shape({2, 6, 3, 3})}, p));
  REQUIRE_VERIFIED(Run("gn_noaffine", "torch.group_norm(x, 2, None, None, 1e-5, False)", {Shape({2, 6, 4, 4})}));
  REQUIRE_VERIFIED(Run("gn_2d", "torch.group_norm(x, 3, self.w, self.b, 1e-5, False)", {Shape({4, 6})}, p));
  REQUIRE_VERIFIED(Run("gn_5d", "torch.group_norm(x, 2, self.w, self.b, 1e-5, False)", {Shape({1, 6, 2, 3, 3})}, p));
  REQUIRE_VERIFIED(Run("gn_op13", "torch.group_norm(x, 2, self.w, self.b, 1e-5, False)", {Shape({2, 6, 4, 4})}, p, AtOpset(13)));
}

TEST_CASE("aten::instance_norm with input statistics and with running statistics", "[ops][normalization]") {
  Params p{{"w", {3}}, {"b", {3}}};
  REQUIRE_VERIFIED(Run("in2d", "torch.instance_norm(x, self.w, self.b, None, None, True, 0.1, 1e-5, False)",
                       {Shape({2, 3, 5, 5})}, p));
  REQUIRE_VERIFIED(Run("in1d", "torch.instance_norm(x, self.w, self.b, None, None, True, 0.1, 1e-5, False)",
                       {Shape({2, 3, 7})}, p));
  REQUIRE_VERIFIED(Run("in_noaffine", "torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)",
                       {Shape({2, 3, 4, 4})}));
  REQUIRE_VERIFIED(Run("in_running",
                       std::string("torch.instance_norm(x, self.w, self.b, self.rm, ") + kVar + ", False, 0.1, 1e-5, False)",
                       {Shape({2, 3, 4, 4})}, {{"w", {3}}, {"b", {3}}, {"rm", {3}}, {"rv", {3}}}));
}

// What torch.export leaves of instance_norm without running stats and of group_norm.
TEST_CASE("aten::native_batch_norm (batch statistics and running statistics), aten::native_group_norm", "[ops][normalization]") {
  Params p{{"w", {3}}, {"b", {3}}};
  REQUIRE_VERIFIED(Run("native_bn_train", "torch.native_batch_norm(x, self.w, self.b, None, None, True, 0.1, 1e-5)[0]",
                       {Shape({2, 3, 4, 5})}, p));
  REQUIRE_VERIFIED(Run("native_bn_train_stats", "torch.native_batch_norm(x, None, None, None, None, True, 0.1, 1e-3)[2] + 1.0",
                       {Shape({4, 3, 6})}));
  REQUIRE_VERIFIED(Run("native_bn_eval",
                       "torch.native_batch_norm(x, self.w, self.b, torch.zeros(3) + 0.2, torch.ones(3) * 1.5, False, 0.1, 1e-5)[0]",
                       {Shape({2, 3, 4})}, p));
  Params g{{"w", {6}}, {"b", {6}}};
  REQUIRE_VERIFIED(Run("native_gn", "torch.native_group_norm(x, self.w, self.b, 2, 6, 20, 3, 1e-5)[0]", {Shape({2, 6, 4, 5})}, g));
  REQUIRE_VERIFIED(Run("native_gn_stats", "torch.native_group_norm(x, None, None, 2, 6, 4, 2, 1e-5)[2]", {Shape({2, 6, 4})}));
}

TEST_CASE("aten::rms_norm: with and without weight and eps, one and several dims (RMSNormalization at 23)",
          "[ops][normalization]") {
  Params p{{"w", {8}}, {"w2", {3, 8}}};
  REQUIRE_VERIFIED(Run("rms", "torch.rms_norm(x, [8], self.w, 1e-6)", {Shape({2, 5, 8})}, p));
  REQUIRE_VERIFIED(Run("rms_default_eps", "torch.rms_norm(x, [8], self.w, None)", {Shape({2, 5, 8})}, p));
  REQUIRE_VERIFIED(Run("rms_no_weight", "torch.rms_norm(x, [8], None, 1e-5)", {Shape({4, 8})}, p));
  REQUIRE_VERIFIED(Run("rms_two_dims", "torch.rms_norm(x, [3, 8], self.w2, 1e-5)", {Shape({2, 3, 8})}, p));
  REQUIRE_VERIFIED(Run("rms_f64", "torch.rms_norm(x, [8], None, None)", {Shape({3, 8}, DType::kFloat64)}));
}

// nn.utils.weight_norm / parametrizations.weight_norm (wav2vec2's positional convolution).
TEST_CASE("aten::_weight_norm over every dim but one", "[ops][normalization]") {
  Params p{{"v", {4, 3, 5}}, {"g0", {4, 1, 1}}, {"g2", {1, 1, 5}}};
  REQUIRE_VERIFIED(Run("weight_norm_0", "torch.conv1d(x, torch._weight_norm(self.v, self.g0, 0))", {Shape({2, 3, 9})}, p));
  REQUIRE_VERIFIED(Run("weight_norm_2", "torch.conv1d(x, torch._weight_norm(self.v, self.g2, 2))", {Shape({2, 3, 9})}, p));
}

TEST_CASE("aten::_native_batch_norm_legit_functional: eval, and training with updated running statistics",
          "[ops][normalization]") {
  Params p{{"g", {3}}, {"b", {3}}, {"rm", {3}}, {"rv", {3}}};
  REQUIRE_VERIFIED(Run("bn_functional_eval",
                       std::string("ops.aten._native_batch_norm_legit_functional(x, self.g, self.b, self.rm * 0.1, ") +
                           kVar + ", False, 0.1, 1e-5)",
                       {Shape({4, 3, 5})}, p));
  REQUIRE_VERIFIED(Run("bn_functional_train",
                       std::string("ops.aten._native_batch_norm_legit_functional(x, self.g, None, self.rm * 0.1, ") +
                           kVar + ", True, 0.1, 1e-5)",
                       {Shape({4, 3, 5, 2})}, p));
}
