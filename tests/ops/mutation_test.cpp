// In-place updates and writes through views (core/ir/functionalize.cpp): scripted models
// whose forward writes into views of a tensor, converted and compared with libtorch.
// Inputs are x, y, z in order; `t` is the tensor written.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {
ConvertResult Mutate(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
  return RunBody("mutation", name, body, std::move(inputs));
}
}  // namespace

TEST_CASE("writes through slices, selects and their chains reach the base", "[ops][mutation]") {
  REQUIRE_VERIFIED(Mutate("slice_fill", "t = x.clone()\nt[1:3] = 7.0\nreturn t * 2", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Mutate("strided_slice", "t = x.clone()\nt[1:3, ::2] = 7.0\nreturn t", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Mutate("select_add", "t = x.clone()\nt[:, 0].add_(1.0)\nt[-1].mul_(3.0)\nreturn t", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Mutate("copy_from_other", "t = x.clone()\nt[0, 1:4].copy_(y[2])\nreturn t",
                          {Shape({4, 6}), Shape({3, 3})}));
  // The view is read again after the write, and another view of the same base too.
  REQUIRE_VERIFIED(Mutate("views_read_after", "t = x.clone()\nv = t[1]\nw = t[:, 2]\nv.fill_(0.5)\nreturn v + 1, w * 2, t",
                          {Shape({4, 6})}));
  // Two writes through nested views, the second reading the first's result.
  REQUIRE_VERIFIED(Mutate("nested", "t = x.clone()\na = t[1:]\nb = a[:, 1:3]\nb.mul_(10.0)\na[0].sub_(b[0, 0].clone())\nreturn t",
                          {Shape({4, 6})}));
}

TEST_CASE("writes through reshapes, transposes and permutes reach the base", "[ops][mutation]") {
  REQUIRE_VERIFIED(Mutate("view_write", "t = x.clone()\nv = t.view(2, 12)\nv[1].zero_()\nreturn t", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Mutate("transpose_write", "t = x.clone()\ns = t.transpose(0, 1)\ns[2] = 4.0\nreturn t", {Shape({4, 6})}));
  REQUIRE_VERIFIED(Mutate("permute_write", "t = x.clone()\np = t.permute(2, 0, 1)\np[1].relu_()\nreturn t",
                          {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Mutate("unsqueeze_write", "t = x.clone()\nu = t.unsqueeze(0)\nu[0, 1] = -1.0\nreturn t", {Shape({3, 4})}));
}

TEST_CASE("in-place ops on whole tensors and index_put_ into views", "[ops][mutation]") {
  REQUIRE_VERIFIED(Mutate("chain_inplace", "t = x * 1.0\nt.add_(y)\nt.clamp_(-0.5, 0.5)\nreturn t + x",
                          {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Mutate("index_put_view", "t = x.clone()\nt[1][y] = 9.0\nreturn t", {Shape({3, 5}), IntData({2}, {0, 3})}));
  REQUIRE_VERIFIED(Mutate("masked_fill_view", "t = x.clone()\nt[:, 1:].masked_fill_(x[:, 1:] > 0, 0.0)\nreturn t",
                          {Shape({3, 5})}));
}

TEST_CASE("a write into an element of split's result is refused, not silently dropped", "[ops][mutation]") {
  auto r = Mutate("split_write", "t = x.clone()\na, b = t.split(2)\na.fill_(1.0)\nreturn t", {Shape({4, 3})});
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::split") && ContainsText("not supported"));
}

TEST_CASE("advanced indexing: indices after ':', separated by ':', masks over inner dims", "[ops][mutation]") {
  TensorSpec x = Shape({3, 4, 5});
  REQUIRE_VERIFIED(Mutate("index_inner_pair", "return x[:, y, z]", {x, IntData({2}, {0, 3}), IntData({2}, {4, 1})}));
  REQUIRE_VERIFIED(Mutate("index_separated", "return x[y, :, z]", {x, IntData({2}, {2, 0}), IntData({2}, {4, 1})}));
  REQUIRE_VERIFIED(Mutate("index_broadcast", "return x[:, y.view(2, 1), z]", {x, IntData({2}, {3, 0}), IntData({3}, {4, 1, 2})}));
  REQUIRE_VERIFIED(Mutate("index_inner_mask", "return x[:, x[0] > 0]", {x}));
  REQUIRE_VERIFIED(Mutate("index_put_inner", "t = x.clone()\nt[:, y, z] = 5.0\nreturn t",
                          {x, IntData({2}, {0, 3}), IntData({2}, {4, 1})}));
  REQUIRE_VERIFIED(Mutate("index_put_separated", "t = x.clone()\nt[y, :, z] = t[y, :, z] * 3\nreturn t",
                          {x, IntData({2}, {2, 0}), IntData({2}, {4, 1})}));
  REQUIRE_VERIFIED(Mutate("index_put_inner_mask", "t = x.clone()\nt[:, x[0] > 0] = -2.0\nreturn t", {x}));
}
