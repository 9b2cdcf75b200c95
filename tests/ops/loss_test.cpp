// Loss functions (translators/aten/loss.cpp), each with reductions none / mean / sum
// (0 / 1 / 2 in define()d code), compared between libtorch and ONNX Runtime.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

// `body` with REDUCTION replaced by 0, 1 and 2, each converted and verified.
void RequireEveryReduction(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
  for (int reduction : {0, 1, 2}) {
    std::string text = body;
    for (size_t at; (at = text.find("REDUCTION")) != std::string::npos;) text.replace(at, 9, std::to_string(reduction));
    INFO("reduction " << reduction);
    REQUIRE_VERIFIED(RunBody("loss", name + "_" + std::to_string(reduction), text, inputs));
  }
}

const std::vector<TensorSpec> kPair{Shape({4, 5}), Shape({4, 5})};

}  // namespace

TEST_CASE("aten::mse_loss / l1_loss / smooth_l1_loss / huber_loss", "[ops][loss]") {
  RequireEveryReduction("mse", "torch.mse_loss(x, y, REDUCTION)", kPair);
  RequireEveryReduction("l1", "torch.l1_loss(x, y, REDUCTION)", kPair);
  RequireEveryReduction("smooth_l1", "torch.smooth_l1_loss(x, y, REDUCTION, 0.5)", kPair);
  RequireEveryReduction("smooth_l1_beta0", "torch.smooth_l1_loss(x, y, REDUCTION, 0.0)", kPair);
  RequireEveryReduction("huber", "torch.huber_loss(x, y, REDUCTION, 0.7)", kPair);
}

TEST_CASE("aten::kl_div / poisson_nll_loss (log and linear input, full)", "[ops][loss]") {
  RequireEveryReduction("kl_div", "torch.kl_div(torch.log_softmax(x, 1), torch.softmax(y, 1), REDUCTION)", kPair);
  RequireEveryReduction("kl_div_zero_target", "torch.kl_div(x, torch.relu(y), REDUCTION)", kPair);
  RequireEveryReduction("kl_div_log_target", "torch.kl_div(x, torch.log_softmax(y, 1), REDUCTION, log_target=True)", kPair);
  RequireEveryReduction("poisson", "torch.poisson_nll_loss(x, y.abs(), True, False, 1e-8, REDUCTION)", kPair);
  RequireEveryReduction("poisson_full", "torch.poisson_nll_loss(x.abs() + 0.1, y.abs() * 3.0, False, True, 1e-8, REDUCTION)",
                        kPair);
}

TEST_CASE("aten::binary_cross_entropy / binary_cross_entropy_with_logits (weight, pos_weight)", "[ops][loss]") {
  RequireEveryReduction("bce", "torch.binary_cross_entropy(torch.sigmoid(x), torch.sigmoid(y), None, REDUCTION)", kPair);
  RequireEveryReduction("bce_weight_saturated",
                        "torch.binary_cross_entropy(torch.clamp(torch.sigmoid(x * 5.0), 0.0, 1.0), (y > 0).float(), "
                        "torch.linspace(0.5, 1.5, 5), REDUCTION)",
                        kPair);
  RequireEveryReduction("bce_logits", "torch.binary_cross_entropy_with_logits(x * 4.0, torch.sigmoid(y), None, None, REDUCTION)",
                        kPair);
  RequireEveryReduction("bce_logits_weights",
                        "torch.binary_cross_entropy_with_logits(x, (y > 0).float(), torch.linspace(0.5, 1.5, 5), "
                        "torch.linspace(2.0, 0.5, 5), REDUCTION)",
                        kPair);
}

TEST_CASE("aten::margin_ranking_loss / cosine_embedding_loss / triplet_margin_loss / hinge_embedding_loss / soft_margin_loss",
          "[ops][loss]") {
  RequireEveryReduction("margin_ranking", "torch.margin_ranking_loss(x[:, 0], y[:, 0], torch.sign(y[:, 1]), 0.2, REDUCTION)",
                        kPair);
  RequireEveryReduction("cosine_embedding", "torch.cosine_embedding_loss(x, y, torch.sign(y[:, 0]), 0.1, REDUCTION)", kPair);
  RequireEveryReduction("cosine_embedding_1d", "torch.cosine_embedding_loss(x[0], y[0], torch.sign(y[0, :1]).squeeze(), 0.0, REDUCTION)",
                        kPair);
  RequireEveryReduction("triplet", "torch.triplet_margin_loss(x, y, x.flip(0), 1.0, 2.0, 1e-6, False, REDUCTION)", kPair);
  RequireEveryReduction("triplet_p1_swap", "torch.triplet_margin_loss(x, y, x.flip(0) * 0.5, 2.0, 1.0, 1e-6, True, REDUCTION)",
                        kPair);
  RequireEveryReduction("triplet_p3", "torch.triplet_margin_loss(x, y, y.flip(1), 0.5, 3.0, 1e-6, False, REDUCTION)", kPair);
  RequireEveryReduction("hinge", "torch.hinge_embedding_loss(x, torch.sign(y), 1.0, REDUCTION)", kPair);
  RequireEveryReduction("soft_margin", "torch.soft_margin_loss(x, torch.sign(y), REDUCTION)", kPair);
}

TEST_CASE("aten::nll_loss / nll_loss2d / nll_loss_nd / cross_entropy_loss / multi_margin_loss: classes, weights, "
          "ignore_index, label smoothing, probabilities, spatial and unbatched",
          "[ops][loss]") {
  std::vector<TensorSpec> in{Shape({4, 5}), IntData({4}, {1, 0, 4, 2})};
  RequireEveryReduction("nll", "torch.nll_loss(torch.log_softmax(x, 1), y, None, REDUCTION, -100)", in);
  RequireEveryReduction("nll_weight_ignore", "torch.nll_loss(torch.log_softmax(x, 1), y, torch.linspace(0.5, 1.5, 5), REDUCTION, 4)",
                        in);
  RequireEveryReduction("nll_nd", "torch.nll_loss_nd(torch.log_softmax(x, 1), y, None, REDUCTION, -100)", in);
  RequireEveryReduction("nll_unbatched", "torch.nll_loss_nd(torch.log_softmax(x[0], 0), y[2], None, REDUCTION, -100)", in);
  RequireEveryReduction("cross_entropy", "torch.cross_entropy_loss(x, y, None, REDUCTION, -100, 0.0)", in);
  RequireEveryReduction("cross_entropy_smoothing", "torch.cross_entropy_loss(x, y, None, REDUCTION, -100, 0.2)", in);
  RequireEveryReduction("cross_entropy_weight_smoothing_ignore",
                        "torch.cross_entropy_loss(x, y, torch.linspace(0.5, 1.5, 5), REDUCTION, 0, 0.3)", in);
  RequireEveryReduction("cross_entropy_probabilities",
                        "torch.cross_entropy_loss(x, torch.softmax(x.flip(0), 1), torch.linspace(0.5, 1.5, 5), REDUCTION, -100, 0.1)",
                        in);
  RequireEveryReduction("cross_entropy_unbatched", "torch.cross_entropy_loss(x[1], y[0], None, REDUCTION, -100, 0.1)", in);
  std::vector<TensorSpec> spatial{Shape({2, 5, 3, 2}), IntData({2, 3, 2}, {0, 1, 2, 3, 4, 0, 4, 3, 2, 1, 0, 2})};
  RequireEveryReduction("nll2d", "torch.nll_loss2d(torch.log_softmax(x, 1), y, None, REDUCTION, 3)", spatial);
  RequireEveryReduction("cross_entropy_spatial", "torch.cross_entropy_loss(x, y, torch.linspace(0.5, 1.5, 5), REDUCTION, 2, 0.25)",
                        spatial);
  RequireEveryReduction("multi_margin", "torch.multi_margin_loss(x, y, 1, 1.0, None, REDUCTION)", in);
  RequireEveryReduction("multi_margin_p2_weight", "torch.multi_margin_loss(x, y, 2, 0.5, torch.linspace(0.5, 1.5, 5), REDUCTION)",
                        in);
  RequireEveryReduction("multi_margin_unbatched", "torch.multi_margin_loss(x[3], y[1], 1, 1.0, None, REDUCTION)", in);
}

TEST_CASE("aten::broadcast_tensors / broadcast_to", "[ops][shape]") {
  REQUIRE_VERIFIED(RunBody("loss", "broadcast_tensors", "a, b, c = torch.broadcast_tensors(x, y, x[0, :1])\nreturn a + 1.0, b * 2.0, c",
                           {Shape({3, 1, 4}), Shape({5, 1})}));
  REQUIRE_VERIFIED(RunBody("loss", "broadcast_to", "torch.broadcast_to(x, [2, 3, 4]) * 2.0", {Shape({3, 1})}));
}

TEST_CASE("aten::multilabel_margin_loss: targets ended by -1, repeated, full and unbatched", "[ops][loss]") {
  std::vector<TensorSpec> in{Shape({3, 4}), IntData({3, 4}, {1, 2, -1, 0, 3, -1, 0, 0, 0, 1, 2, 3})};
  RequireEveryReduction("multilabel_margin", "torch.multilabel_margin_loss(x, y, REDUCTION)", in);
  RequireEveryReduction("multilabel_margin_repeated", "torch.multilabel_margin_loss(x * 0.2, y.flip(1), REDUCTION)", in);
  RequireEveryReduction("multilabel_margin_unbatched", "torch.multilabel_margin_loss(x[0] * 0.3, y[1], REDUCTION)", in);
}

// log_probs [T=6, N=3, C=5]: element 1 has a shorter input, element 2 an empty target.
TEST_CASE("aten::ctc_loss: padded and concatenated targets, length lists and tensors, blank, zero_infinity", "[ops][loss]") {
  const std::vector<TensorSpec> padded{Shape({6, 3, 5}), IntData({3, 4}, {1, 2, 3, 4, 2, 4, 9, 9, 3, 1, 1, 2}),
                                       IntData({3}, {6, 5, 4}), IntData({3}, {4, 2, 0})};
  RequireEveryReduction("ctc", "torch.ctc_loss(torch.log_softmax(x, 2), y, z, u, 0, REDUCTION, False)", padded);
  RequireEveryReduction("ctc_lists", "torch.ctc_loss(torch.log_softmax(x, 2), y, [6, 5, 4], [4, 2, 1], 0, REDUCTION, False)",
                        {Shape({6, 3, 5}), IntData({3, 4}, {1, 2, 3, 4, 2, 4, 0, 0, 3, 0, 0, 0})});
  // The concatenated form: 3 + 2 + 1 labels.
  RequireEveryReduction("ctc_concatenated", "torch.ctc_loss(torch.log_softmax(x, 2), y, [6, 6, 3], [3, 2, 1], 0, REDUCTION, False)",
                        {Shape({6, 3, 5}), IntData({6}, {1, 2, 3, 4, 2, 2})});
  // Blank 4, labels 0..3, repeated labels (which need a blank between them).
  RequireEveryReduction("ctc_blank", "torch.ctc_loss(torch.log_softmax(x, 2), y, z, u, 4, REDUCTION, False)",
                        {Shape({7, 2, 5}), IntData({2, 3}, {0, 0, 1, 3, 3, 3}), IntData({2}, {7, 6}), IntData({2}, {3, 3})});
  // Impossible alignments (4 labels in 2 frames, 3 repeats in 4 frames) give inf, or 0
  // with zero_infinity; the batch still has one finite loss.
  const std::vector<TensorSpec> impossible{Shape({4, 3, 5}), IntData({3, 4}, {1, 2, 3, 4, 2, 2, 2, 0, 1, 3, 0, 0}),
                                           IntData({3}, {2, 4, 4}), IntData({3}, {4, 3, 2})};
  REQUIRE_VERIFIED(RunBody("loss", "ctc_inf", "torch.ctc_loss(torch.log_softmax(x, 2), y, z, u, 0, 0, False)", impossible));
  RequireEveryReduction("ctc_zero_infinity", "torch.ctc_loss(torch.log_softmax(x, 2), y, z, u, 0, REDUCTION, True)", impossible);
  REQUIRE_VERIFIED(RunBody("loss", "ctc_unbatched",
                           "torch.ctc_loss(torch.log_softmax(x, 1), y, z, u, 0, 0, False) + "
                           "torch.ctc_loss(torch.log_softmax(x, 1), y, [5], [3], 0, 1, False)",
                           {Shape({5, 4}), IntData({3}, {1, 3, 3}), IntData({}, {5}), IntData({}, {3})}));
  REQUIRE_VERIFIED(RunBody("loss", "ctc_float64", "torch.ctc_loss(torch.log_softmax(x, 2), y, z, u, 0, 0, False)",
                           {Shape({6, 3, 5}, DType::kFloat64), padded[1], padded[2], padded[3]}));
}
