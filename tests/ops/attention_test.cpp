// Attention ops (translators/aten/attention.cpp): tiny scripted models, ONNX Runtime vs libtorch.
#include "tests/support/catch.h"

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

// torch 2.x's F.scaled_dot_product_attention (aten::scaled_dot_product_attention) and the
// CPU decomposition torch.export leaves of it (_scaled_dot_product_flash_attention_for_cpu).
TEST_CASE("aten::scaled_dot_product_attention: masks, causal, scale, GQA, ranks", "[ops][attention]") {
  auto sdpa = [](const std::string& mask, bool causal, const std::string& extra = "") {
    return "torch.scaled_dot_product_attention(q, k, v, " + mask + ", 0.0, " + (causal ? "True" : "False") +
           extra + ")";
  };
  TensorSpec q = Shape({2, 3, 5, 8}), kv = Shape({2, 3, 7, 8}), v = Shape({2, 3, 7, 4});
  auto run = [](const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
    TinyModel m;
    m.forward = "def forward(self, q, k, v):\n    return " + body + "\n";
    m.inputs = std::move(inputs);
    return ConvertTiny(m, "attention_" + name);
  };
  REQUIRE_VERIFIED(run("sdpa", sdpa("None", false), {q, kv, v}));
  REQUIRE_VERIFIED(run("sdpa_causal", sdpa("None", true), {Shape({2, 6, 8}), Shape({2, 6, 8}), Shape({2, 6, 8})}));
  REQUIRE_VERIFIED(run("sdpa_causal_rect", sdpa("None", true), {q, kv, v}));
  REQUIRE_VERIFIED(run("sdpa_scale", sdpa("None", false, ", scale=0.3"), {q, kv, v}));
  // A bool mask: True takes part; a float mask is added to the scores.
  REQUIRE_VERIFIED(run("sdpa_bool_mask", sdpa("(torch.arange(7) < 5).expand(5, 7)", false), {q, kv, v}));
  REQUIRE_VERIFIED(run("sdpa_float_mask", sdpa("torch.arange(35).reshape(5, 7) * 0.1", false), {q, kv, v}));
  REQUIRE_VERIFIED(run("sdpa_rank3", sdpa("None", false), {Shape({4, 5, 8}), Shape({4, 6, 8}), Shape({4, 6, 3})}));
  // Grouped-query attention: 6 query heads share 2 key/value heads.
  REQUIRE_VERIFIED(run("sdpa_gqa", sdpa("None", true, ", enable_gqa=True"),
                       {Shape({2, 6, 5, 8}), Shape({2, 2, 7, 8}), Shape({2, 2, 7, 4})}));
  auto flash = [](const std::string& mask, bool causal, int output) {
    return "torch._scaled_dot_product_flash_attention_for_cpu(q, k, v, 0.0, " + std::string(causal ? "True" : "False") +
           ", attn_mask=" + mask + ")[" + std::to_string(output) + "]";
  };
  REQUIRE_VERIFIED(run("flash_cpu", flash("None", false, 0), {q, kv, Shape({2, 3, 7, 8})}));
  REQUIRE_VERIFIED(run("flash_cpu_lse", flash("None", true, 1), {q, kv, Shape({2, 3, 7, 8})}));
  REQUIRE_VERIFIED(run("flash_cpu_mask", flash("torch.arange(35).reshape(5, 7) * 0.1", false, 0),
                       {q, kv, Shape({2, 3, 7, 8})}));
}
