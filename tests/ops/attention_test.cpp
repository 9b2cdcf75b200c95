// Attention ops (translators/aten/attention.cpp): tiny scripted models, ONNX Runtime vs libtorch.
#include <catch2/catch.hpp>

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  VerifyOptions options = {}) {
  Params p{{"w", {48, 16}}, {"b", {48}}, {"pw", {16, 16}}, {"pb", {16}}};
  return RunBody("attention", name, body, std::move(inputs), p, options);
}

std::string Mha(const std::string& qkv, const std::string& mask, bool need_weights, bool average,
                const std::string& mask_type, int output) {
  return "torch._native_multi_head_attention(" + qkv + ", 16, 4, self.w, self.b, self.pw, self.pb, " + mask + ", " +
         (need_weights ? "True" : "False") + ", " + (average ? "True" : "False") + ", " + mask_type + ")[" +
         std::to_string(output) + "]";
}

}  // namespace

// libtorch 1.13's kernel requires query, key and value of one shape.
TEST_CASE("aten::_native_multi_head_attention (nn.MultiheadAttention's fast path)", "[ops][attention]") {
  REQUIRE_VERIFIED(Run("mha_self", Mha("x, x, x", "None", false, true, "None", 0), {Shape({2, 5, 16})}));
  REQUIRE_VERIFIED(Run("mha_cross", Mha("x, y, y", "None", false, true, "None", 0), {Shape({2, 5, 16}), Shape({2, 5, 16})}));
  REQUIRE_VERIFIED(Run("mha_weights_avg", Mha("x, y, z", "None", true, true, "None", 1),
                       {Shape({3, 4, 16}), Shape({3, 4, 16}), Shape({3, 4, 16})}));
  REQUIRE_VERIFIED(Run("mha_weights_heads", Mha("x, x, x", "None", true, false, "None", 1), {Shape({2, 5, 16})}));
  REQUIRE_VERIFIED(Run("mha_out_with_weights", Mha("x, x, x", "None", true, true, "None", 0), {Shape({1, 3, 16})}));
}

TEST_CASE("aten::_native_multi_head_attention with key padding and attention masks", "[ops][attention]") {
  // Key padding mask [B, S] (mask_type 1): the last key of every batch element is ignored.
  std::string padding = "torch.arange(6).unsqueeze(0).expand(2, 6) >= 5";
  REQUIRE_VERIFIED(Run("mha_key_padding", Mha("x, y, y", padding, false, true, "1", 0), {Shape({2, 6, 16}), Shape({2, 6, 16})}));
  // A merged causal mask [B, H, L, S] (mask_type 2).
  std::string causal = "(torch.ones(5, 5).triu(1) > 0).expand(2, 4, 5, 5)";
  REQUIRE_VERIFIED(Run("mha_causal", Mha("x, x, x", causal, true, true, "2", 1), {Shape({2, 5, 16})}));
}
