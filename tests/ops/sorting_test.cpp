// Sorting (translators/aten/sorting.cpp): values and indices compared with libtorch.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

TEST_CASE("aten::sort ascending/descending, every dim, values and indices", "[ops][sorting]") {
  REQUIRE_VERIFIED(RunBody("sorting", "sort_last", "torch.sort(x)", {Shape({3, 5})}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_dim0_desc", "torch.sort(x, 0, True)", {Shape({4, 3, 2})}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_stable", "torch.sort(x, stable=True, dim=1, descending=False)", {Shape({2, 6})}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_int", "torch.sort(x, -1, True)",
                           {IntData({2, 4}, {5, -3, 9, 1, 0, 8, -2, 7})}));
}

TEST_CASE("aten::argsort and aten::topk (largest/smallest, k, dims)", "[ops][sorting]") {
  REQUIRE_VERIFIED(RunBody("sorting", "argsort", "torch.argsort(x, 1)", {Shape({3, 7})}));
  REQUIRE_VERIFIED(RunBody("sorting", "argsort_desc", "torch.argsort(x, 0, True)", {Shape({5, 2})}));
  REQUIRE_VERIFIED(RunBody("sorting", "topk", "torch.topk(x, 3)", {Shape({4, 8})}));
  REQUIRE_VERIFIED(RunBody("sorting", "topk_smallest_dim0", "torch.topk(x, 2, 0, False)", {Shape({5, 3, 2})}));
  REQUIRE_VERIFIED(RunBody("sorting", "topk_values", "torch.topk(x, 1, -1, True, True)[0] * 2.0", {Shape({6})}));
}
