// The native ONNX ops of newer opsets: each op written as one node from the opset that has
// it and composed (or refused, naming that opset) just below; verified at both.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

struct FormCase {
  std::string name, body;
  std::vector<TensorSpec> inputs;
  Params params;
  std::string onnx_op;  // written from `since` on, absent below
  int since;
};

int CountAt(const FormCase& c, int opset) {
  auto r = RunBody("forms", c.name + "_" + std::to_string(opset), c.body, c.inputs, c.params, AtOpset(opset));
  INFO(c.name << " at opset " << opset << ": " << r.error);
  REQUIRE(r.ok);
  REQUIRE(r.verified);
  auto counts = CountOps(r.written.model_path);
  return counts.count(c.onnx_op) ? counts.at(c.onnx_op) : 0;
}

}  // namespace

TEST_CASE("one native node from the opset that has it, composed below", "[ops][forms]") {
  std::string causal = "(torch.ones(5, 5).triu(1) > 0).expand(2, 4, 5, 5)";
  Params mha{{"w", {48, 16}}, {"b", {48}}, {"pw", {16, 16}}, {"pb", {16}}};
  std::vector<FormCase> cases{
      {"gelu", "torch.gelu(x)", {Shape({2, 7})}, {}, "Gelu", 20},
      {"gelu_tanh", "torch.gelu(x, approximate='tanh')", {Shape({3, 4})}, {}, "Gelu", 20},
      {"mish", "torch.mish(x)", {Shape({2, 7})}, {}, "Mish", 18},
      {"hardswish", "torch.hardswish(x)", {Shape({2, 7})}, {}, "HardSwish", 14},
      {"bitwise_xor", "torch.bitwise_xor(x.long(), 1234567)", {Shape({2, 7})}, {}, "BitwiseXor", 18},
      {"group_norm", "torch.group_norm(x, 2, self.w, self.b, 1e-5)", {Shape({2, 6, 5})}, {{"w", {6}}, {"b", {6}}},
       "GroupNormalization", 21},
      {"rms_norm", "torch.rms_norm(x, [8], self.w, 1e-6)", {Shape({2, 5, 8})}, {{"w", {8}}}, "RMSNormalization", 23},
      {"sdpa_causal", "torch.scaled_dot_product_attention(x, y, z, None, 0.0, True)",
       {Shape({2, 3, 5, 8}), Shape({2, 3, 5, 8}), Shape({2, 3, 5, 8})}, {}, "Attention", 23},
      {"sdpa_gqa", "torch.scaled_dot_product_attention(x, y, z, None, 0.0, False, enable_gqa=True)",
       {Shape({1, 4, 3, 8}), Shape({1, 2, 6, 8}), Shape({1, 2, 6, 8})}, {}, "Attention", 23},
      // Masks ONNX Runtime's kernel does not broadcast itself ([1, S], [B, 1, 1, S]).
      {"sdpa_key_mask", "torch.scaled_dot_product_attention(x, y, z, (torch.arange(6) < 4).reshape(1, 6))",
       {Shape({2, 3, 5, 8}), Shape({2, 3, 6, 8}), Shape({2, 3, 6, 8})}, {}, "Attention", 23},
      {"sdpa_float_mask", "torch.scaled_dot_product_attention(x, y, z, (torch.arange(12) % 5 == 0).float().reshape(2, 1, 1, 6) * -3.0)",
       {Shape({2, 3, 5, 8}), Shape({2, 3, 6, 8}), Shape({2, 3, 6, 8})}, {}, "Attention", 23},
      {"mha", "torch._native_multi_head_attention(x, x, x, 16, 4, self.w, self.b, self.pw, self.pb, None, False)[0]",
       {Shape({2, 5, 16})}, mha, "Attention", 23},
      {"mha_weights", "torch._native_multi_head_attention(x, x, x, 16, 4, self.w, self.b, self.pw, self.pb, " + causal +
                          ", True, True, 2)[1]",
       {Shape({2, 5, 16})}, mha, "Attention", 23},
  };
  for (const auto& c : cases) {
    CHECK(CountAt(c, c.since - 1) == 0);
    CHECK(CountAt(c, c.since) == 1);
  }
}

TEST_CASE("ops refused below the opset that can express them name that opset", "[ops][forms]") {
  struct Refused {
    std::string name, body;
    std::vector<TensorSpec> inputs;
    int since;
  };
  std::vector<Refused> cases{
      {"scatter_amax", "torch.scatter_reduce(x, 1, torch.tensor([[0, 1, 0], [2, 2, 1]]), y, 'amax')",
       {Shape({2, 4}), Shape({2, 3})}, 18},
      {"grid_sample_3d", "torch.grid_sampler(x, y, 0, 0, False)", {Shape({1, 2, 3, 4, 5}), Shape({1, 2, 2, 3, 3})}, 20},
  };
  for (const auto& c : cases) {
    auto below = RunBody("forms", c.name + "_below", c.body, c.inputs, {}, AtOpset(c.since - 1));
    REQUIRE_FALSE(below.ok);
    CHECK_THAT(below.error, ContainsText(std::to_string(c.since)));
    REQUIRE_VERIFIED(RunBody("forms", c.name, c.body, c.inputs, {}, AtOpset(c.since)));
  }
}
