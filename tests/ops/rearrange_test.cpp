// Rearranging elements (translators/aten/rearrange.cpp).
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

TEST_CASE("aten::tile with fewer, equal and more repeats than dims", "[ops][rearrange]") {
  REQUIRE_VERIFIED(RunBody("rearrange", "tile", "torch.tile(x, [2, 1])", {Shape({2, 3})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "tile_short", "torch.tile(x, [3])", {Shape({2, 3})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "tile_long", "torch.tile(x, [2, 1, 2])", {Shape({2, 3})}));
}

TEST_CASE("aten::repeat_interleave with a repeats tensor", "[ops][rearrange]") {
  REQUIRE_VERIFIED(RunBody("rearrange", "rit_dim0", "torch.repeat_interleave(x, torch.tensor([1, 0, 3]), 0)", {Shape({3, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "rit_dim1", "torch.repeat_interleave(x, torch.tensor([2, 1]), 1)", {Shape({2, 2, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "rit_flat", "torch.repeat_interleave(x, torch.tensor([1, 2, 1, 2]))", {Shape({2, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "rit_single", "torch.repeat_interleave(x, torch.tensor([3]), -1)", {Shape({2, 2})}));
}

TEST_CASE("aten::repeat_interleave with and without dim", "[ops][rearrange]") {
  REQUIRE_VERIFIED(RunBody("rearrange", "ri_dim0", "torch.repeat_interleave(x, 2, 0)", {Shape({3, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "ri_dim1", "torch.repeat_interleave(x, 3, 1)", {Shape({2, 2, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "ri_flat", "torch.repeat_interleave(x, 2)", {Shape({2, 3})}));
}

TEST_CASE("aten::tensor_split by sections and by indices", "[ops][rearrange]") {
  REQUIRE_VERIFIED(RunBody("rearrange", "tsplit_sections", "torch.tensor_split(x, 3, 1)", {Shape({2, 7})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "tsplit_indices", "torch.tensor_split(x, [1, 4], 0)", {Shape({6, 2})}));
}

TEST_CASE("aten::pixel_shuffle / pixel_unshuffle / channel_shuffle", "[ops][rearrange]") {
  REQUIRE_VERIFIED(RunBody("rearrange", "pixel_shuffle", "torch.pixel_shuffle(x, 2)", {Shape({2, 8, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "pixel_shuffle_3d", "torch.pixel_shuffle(x, 3)", {Shape({9, 2, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "pixel_unshuffle", "torch.pixel_unshuffle(x, 2)", {Shape({1, 3, 4, 6})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "roundtrip", "torch.pixel_shuffle(torch.pixel_unshuffle(x, 2), 2) - x + x",
                           {Shape({2, 2, 4, 4})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "channel_shuffle", "torch.channel_shuffle(x, 3)", {Shape({2, 6, 2, 2})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "channel_shuffle_1d", "torch.channel_shuffle(x, 2)", {Shape({1, 4, 5})}));
}

TEST_CASE("aten::repeat_interleave.Tensor (indices from repeats, computed at run time)", "[ops][rearrange]") {
  REQUIRE_VERIFIED(RunBody("rearrange", "ri_indices", "torch.repeat_interleave(x)", {IntData({4}, {2, 0, 3, 1})}));
  REQUIRE_VERIFIED(RunBody("rearrange", "ri_indices_gather", "y.index_select(0, torch.repeat_interleave(x))",
                           {IntData({3}, {1, 3, 2}), Shape({3, 2})}));
}
