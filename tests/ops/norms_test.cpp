// Vector norms (translators/aten/norms.cpp): p = 0, 1, 2, inf, -inf, 3, 'fro'; dims and keepdim.
#include <catch2/catch.hpp>

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
