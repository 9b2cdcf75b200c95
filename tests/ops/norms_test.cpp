// Vector norms (translators/aten/norms.cpp): p = 0, 1, 2, inf, -inf, 3, 'fro'; dims and keepdim.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

TEST_CASE("aten::norm with p = 1, 2, inf, -inf, 0, 3 and dims", "[ops][norms]") {
  REQUIRE_VERIFIED(RunBody("norms", "norm_all", "torch.norm(x)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "norm_p1_dim", "torch.norm(x, 1, [1])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "norm_p2_keep", "torch.norm(x, 2, [0, 2], True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "norm_inf", "torch.norm(x, float('inf'), [1]) + torch.norm(x, float('-inf'), [1])",
                           {Shape({3, 5})}));
  REQUIRE_VERIFIED(RunBody("norms", "norm_p3", "torch.norm(x, 3.0, [-1])", {Shape({2, 6})}));
  REQUIRE_VERIFIED(RunBody("norms", "norm_p0", "torch.norm(torch.relu(x), 0.0, [1])", {Shape({4, 6})}));
}

TEST_CASE("aten::frobenius_norm, linalg_vector_norm, F.normalize", "[ops][norms]") {
  REQUIRE_VERIFIED(RunBody("norms", "fro", "torch.frobenius_norm(x, [0, 1])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "vector_norm", "torch.linalg_vector_norm(x, 1.0, [1], False)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "vector_norm_all", "torch.linalg_vector_norm(x)", {Shape({2, 3, 2})}));
  // F.normalize as TorchScript compiles it.
  REQUIRE_VERIFIED(RunBody("norms", "normalize", "x / torch.clamp_min(torch.norm(x, 2.0, [1], True), 1e-12)", {Shape({3, 4})}));
}

TEST_CASE("aten::linalg_norm / linalg_matrix_norm (vector and matrix ords), cosine_similarity, pairwise_distance",
          "[ops][norms]") {
  REQUIRE_VERIFIED(RunBody("norms", "linalg_norm", "torch.linalg_norm(x)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "linalg_norm_vec", "torch.linalg_norm(x, 3.0, [1], True)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "linalg_norm_mat1", "torch.linalg_norm(x, 1.0, [0, 1])", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "linalg_norm_matinf", "torch.linalg_norm(x, float('inf'), [2, 1], True)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "linalg_norm_fro", "torch.linalg_norm(x, 'fro', [0, 2])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "matrix_norm", "torch.linalg_matrix_norm(x, -1.0) + torch.linalg_matrix_norm(x, float('-inf'))",
                           {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "matrix_norm_fro", "torch.linalg_matrix_norm(x, 'fro', [0, 1], True)", {Shape({3, 4, 2})}));
  REQUIRE_VERIFIED(RunBody("norms", "matrix_norm_2", "torch.linalg_matrix_norm(x, 2.0)", {Shape({3, 4})}));
  // Singular values are unrolled for matrices whose smaller side is at most 32.
  auto r = RunBody("norms", "matrix_norm_2_large", "torch.linalg_matrix_norm(x, 2.0)", {Shape({40, 33})});
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("smaller side is at most 32"));
  REQUIRE_VERIFIED(RunBody("norms", "cosine_similarity", "torch.cosine_similarity(x, y, 1, 1e-8)", {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "cosine_similarity_bcast", "torch.cosine_similarity(x, y, -1, 1e-8)",
                           {Shape({2, 3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(RunBody("norms", "pairwise_distance", "torch.pairwise_distance(x, y, 2.0, 1e-6, False)",
                           {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "pairwise_distance_p1", "torch.pairwise_distance(x, y, 1.0, 1e-6, True)",
                           {Shape({2, 3, 4}), Shape({3, 4})}));
}

TEST_CASE("aten::_cdist_forward / _pdist_forward (torch.cdist, F.pdist) with p = 0, 1, 2, 3, inf", "[ops][norms]") {
  REQUIRE_VERIFIED(RunBody("norms", "cdist", "torch.cdist(x, y)", {Shape({5, 3}), Shape({4, 3})}));
  REQUIRE_VERIFIED(RunBody("norms", "cdist_batched_p1", "torch.cdist(x, y, 1.0)", {Shape({2, 5, 3}), Shape({2, 6, 3})}));
  REQUIRE_VERIFIED(RunBody("norms", "cdist_broadcast_inf", "torch.cdist(x, y, float('inf'))",
                           {Shape({2, 5, 3}), Shape({4, 3})}));
  REQUIRE_VERIFIED(RunBody("norms", "cdist_p0_p3", "torch.cdist(torch.round(x), torch.round(y), 0.0) + torch.cdist(x, y, 3.0)",
                           {Shape({3, 4}), Shape({5, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "cdist_direct", "torch._cdist_forward(x, y, 2.0, None)", {Shape({3, 4}), Shape({2, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "pdist", "torch.pdist(x)", {Shape({6, 3})}));
  REQUIRE_VERIFIED(RunBody("norms", "pdist_p1_inf", "torch.pdist(x, 1.0) + torch.pdist(x, float('inf'))", {Shape({5, 4})}));
  REQUIRE_VERIFIED(RunBody("norms", "pdist_p_half", "torch._pdist_forward(x, 0.5)", {Shape({4, 2})}));
  // The row count computed at run time.
  VerifyOptions dynamic;
  dynamic.dynamic_shapes = R"([{"0": "rows"}])";
  dynamic.verify_dims = {{{"rows", 3}}, {{"rows", 9}}};
  REQUIRE_VERIFIED(RunBody("norms", "pdist_dynamic", "torch.pdist(x)", {Shape({6, 3})}, {}, dynamic));
}
