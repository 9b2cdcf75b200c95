// Activations: each compared between libtorch and ONNX Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {
ConvertResult Run(const std::string& name, const std::string& body, std::vector<int64_t> shape = {2, 3, 5}) {
  TinyModel m;
  m.forward = "def forward(self, x):\n    return " + body + "\n";
  m.inputs = {Shape(shape)};
  return ConvertTiny(m, "activation_" + name);
}
}  // namespace

TEST_CASE("aten::relu / relu6 / hardtanh", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("relu", "torch.relu(x)"));
  REQUIRE_VERIFIED(Run("relu6", "torch.relu6(x * 4.0)"));
  REQUIRE_VERIFIED(Run("hardtanh", "torch.hardtanh(x, -0.5, 0.25)"));
}

TEST_CASE("aten::sigmoid / tanh / silu / mish / softsign", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("sigmoid", "torch.sigmoid(x)"));
  REQUIRE_VERIFIED(Run("tanh", "torch.tanh(x)"));
  REQUIRE_VERIFIED(Run("silu", "torch.silu(x)"));
  REQUIRE_VERIFIED(Run("mish", "torch.mish(x)"));
  REQUIRE_VERIFIED(Run("softsign", "x / (torch.abs(x) + 1.0)"));
}

TEST_CASE("aten::gelu (none and tanh)", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("gelu", "torch.gelu(x)"));
  REQUIRE_VERIFIED(Run("gelu_tanh", "torch.gelu(x, approximate='tanh')"));
}

TEST_CASE("aten::hardswish / hardsigmoid", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("hardswish", "torch.hardswish(x * 4.0)"));
  REQUIRE_VERIFIED(Run("hardsigmoid", "torch.hardsigmoid(x * 4.0)"));
}

TEST_CASE("aten::leaky_relu / elu / selu / celu", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("leaky_relu", "torch.leaky_relu(x, 0.2)"));
  REQUIRE_VERIFIED(Run("elu", "torch.elu(x, 0.7)"));
  REQUIRE_VERIFIED(Run("selu", "torch.selu(x)"));
  REQUIRE_VERIFIED(Run("celu", "torch.celu(x, 1.5)"));
}

TEST_CASE("aten::softplus with beta and threshold", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("softplus", "torch.softplus(x)"));
  REQUIRE_VERIFIED(Run("softplus_beta", "torch.softplus(x * 10.0, 2.0, 5.0)"));
}

TEST_CASE("aten::softmax / log_softmax over several dims", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("softmax_last", "torch.softmax(x, -1)"));
  REQUIRE_VERIFIED(Run("softmax_0", "torch.softmax(x, 0)"));
  REQUIRE_VERIFIED(Run("log_softmax", "torch.log_softmax(x, 1)"));
}

TEST_CASE("aten::glu / prelu / threshold / shrink family", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("glu", "torch.glu(x, 1)", {2, 4, 5}));
  REQUIRE_VERIFIED(Run("threshold", "torch.threshold(x, 0.1, 20.0)"));
  REQUIRE_VERIFIED(Run("hardshrink", "torch.hardshrink(x, 0.3)"));
  REQUIRE_VERIFIED(Run("softshrink", "torch.softshrink(x, 0.3)"));
  REQUIRE_VERIFIED(Run("tanhshrink", "x - torch.tanh(x)"));
  REQUIRE_VERIFIED(Run("logsigmoid", "torch.log_sigmoid(x)"));
}

TEST_CASE("aten::rrelu in eval mode, selu", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("rrelu", "torch.rrelu(x, 0.1, 0.3, False)"));
  REQUIRE_VERIFIED(Run("selu", "torch.selu(x)"));
}

TEST_CASE("aten::prelu with one shared and per-channel weights, several ranks", "[ops][activation]") {
  auto prelu = [](const std::string& name, std::vector<int64_t> weight, std::vector<int64_t> shape) {
    return RunBody("activation", name, "torch.prelu(x, self.w)", {Shape(std::move(shape))}, {{"w", std::move(weight)}});
  };
  REQUIRE_VERIFIED(prelu("prelu_shared", {1}, {2, 3, 5}));
  REQUIRE_VERIFIED(prelu("prelu_channels_3d", {3}, {2, 3, 5}));
  REQUIRE_VERIFIED(prelu("prelu_channels_4d", {4}, {2, 4, 3, 3}));
  REQUIRE_VERIFIED(prelu("prelu_channels_2d", {6}, {5, 6}));
  REQUIRE_VERIFIED(prelu("prelu_1d", {1}, {7}));
}

// F.softmin as TorchScript compiles it: softmax of the negated input.
TEST_CASE("softmin (softmax of -x) over several dims", "[ops][activation]") {
  REQUIRE_VERIFIED(Run("softmin_1", "torch.softmax(-x, 1)"));
  REQUIRE_VERIFIED(Run("softmin_last", "(-x).softmax(-1)", {4, 6}));
}
