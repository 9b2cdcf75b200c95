// Sorting (translators/aten/sorting.cpp): values and indices compared with libtorch.
#include <limits>

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

TEST_CASE("aten::sort in PyTorch's order: ties stable both ways, NaN above +inf, narrow dtypes", "[ops][sorting]") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  auto data = FloatData({2, 6}, {nan, inf, 1.0f, -inf, 1.0f, nan, 2.0f, 2.0f, -1.0f, 2.0f, inf, nan});
  // The indices say where each value came from: exact only if ties and NaNs are ordered as PyTorch does.
  REQUIRE_VERIFIED(RunBody("sorting", "sort_nan_inf", "v, i = torch.sort(x)\nreturn v.nan_to_num(9.0, 8.0, -8.0), i", {data}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_nan_inf_desc", "v, i = torch.sort(x, descending=True)\nreturn v.nan_to_num(9.0, 8.0, -8.0), i",
                           {data}));
  REQUIRE_VERIFIED(RunBody("sorting", "argsort_stable_desc", "torch.argsort(x, dim=0, descending=True, stable=True)",
                           {IntData({5, 2}, {1, 2, 1, 2, 3, 1, 1, 2, 3, 3})}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_uint8_bool", "a = torch.sort(x.byte(), 1)\nb = torch.sort(x > 1, 1, True)\n"
                           "return a[0], a[1], b[0], b[1]", {IntData({2, 5}, {3, 1, 3, 0, 2, 2, 2, 5, 1, 2})}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_half", "v, i = torch.sort(x.half(), 0)\nreturn v.float(), i", {Shape({7, 3})}));
  REQUIRE_VERIFIED(RunBody("sorting", "sort_scalar", "v, i = torch.sort(x[0, 0])\nreturn v * 2.0, i", {Shape({2, 2})}));
  REQUIRE_VERIFIED(RunBody("sorting", "topk_int8", "v, i = torch.topk(x.char(), 2)\nreturn v, i",
                           {IntData({2, 4}, {5, -3, 9, 1, 0, 8, -2, 7})}));
}
