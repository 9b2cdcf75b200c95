// Indexing and masking (translators/aten/indexing.cpp).
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {
TensorSpec Index34() { return IntData({3, 2}, {0, 3, 2, 1, 1, 0}); }
}  // namespace

TEST_CASE("aten::scatter with a tensor source, a scalar and a smaller index", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_src", "torch.scatter(x, 1, y, z)", {Shape({3, 4}), Index34(), Shape({3, 2})}));
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_src_larger", "torch.scatter(x, 1, y, z)",
                           {Shape({3, 4}), Index34(), Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_value", "torch.scatter(x, 1, y, 2.5)", {Shape({3, 4}), Index34()}));
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_dim0", "torch.scatter(x, 0, y, z)",
                           {Shape({4, 2}), IntData({2, 2}, {3, 0, 1, 2}), Shape({2, 2})}));
}

TEST_CASE("aten::scatter_add needs opset 16, and says so below", "[ops][indexing]") {
  std::vector<TensorSpec> inputs{Shape({3, 4}), IntData({3, 2}, {0, 0, 2, 2, 1, 3}), Shape({3, 2})};
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_add", "torch.scatter_add(x, 1, y, z)", inputs));
  auto r = RunBody("indexing", "scatter_add_op15", "torch.scatter_add(x, 1, y, z)", inputs, {}, AtOpset(15));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::scatter_add") && ContainsText("16-26"));
}

TEST_CASE("aten::index_put: x[idx] = v, x[i, j] = v, x[mask] = v, accumulate", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_rows", "x[y] = z\nreturn x",
                           {Shape({5, 3}), IntData({2}, {4, 1}), Shape({2, 3})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_scalar", "x[y] = 7.0\nreturn x", {Shape({5, 3}), IntData({2}, {0, 3})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_pairs", "x[y, z] = 1.5\nreturn x",
                           {Shape({4, 4}), IntData({3}, {0, 2, 3}), IntData({3}, {1, 1, 0})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_mask", "x[x > 0.0] = 0.0\nreturn x", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_accumulate",
                           "return torch.index_put(x, [y], z, True)",
                           {Shape({4, 2}), IntData({3}, {1, 1, 3}), Shape({3, 2})}));
}

TEST_CASE("aten::masked_select with same-shape and broadcast masks", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "masked_select", "torch.masked_select(x, x > 0.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "masked_select_bcast", "torch.masked_select(x, y > 0.0)", {Shape({3, 4}), Shape({4})}));
}

TEST_CASE("aten::flip, tril/triu (opset 14), diag", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "flip", "torch.flip(x, [0, 2])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "flip_last", "torch.flip(x, [-1])", {Shape({5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "tril", "torch.tril(x)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "triu_k", "torch.triu(x, 1) + torch.tril(x, -2)", {Shape({2, 4, 4})}));
  auto r = RunBody("indexing", "tril_op13", "torch.tril(x)", {Shape({3, 3})}, {}, AtOpset(13));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::tril") && ContainsText("14-26"));
  REQUIRE_VERIFIED(RunBody("indexing", "diag_vec", "torch.diag(x) + torch.diag(x, 0)", {Shape({4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "diag_vec_k", "torch.diag(x, 2)", {Shape({3})}));
  REQUIRE_VERIFIED(RunBody("indexing", "diag_vec_neg_k", "torch.diag(x, -1)", {Shape({3})}));
  REQUIRE_VERIFIED(RunBody("indexing", "diag_mat", "torch.diag(x, 1)", {Shape({3, 4})}));
}

TEST_CASE("aten::slice_scatter with start, end, step and negative bounds", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "slice_scatter", "torch.slice_scatter(x, y, 1, 1, 3)", {Shape({3, 5}), Shape({3, 2})}));
  REQUIRE_VERIFIED(RunBody("indexing", "slice_scatter_step", "torch.slice_scatter(x, y, 0, 0, 6, 2)", {Shape({6, 2}), Shape({3, 2})}));
  REQUIRE_VERIFIED(RunBody("indexing", "slice_scatter_neg", "torch.slice_scatter(x, y, -1, -2)", {Shape({2, 3, 4}), Shape({2, 3, 2})}));
}

TEST_CASE("aten::slice_scatter along a dynamic dim, and in-place updates of a slice of a dynamic batch", "[ops][indexing]") {
  VerifyOptions dynamic;
  dynamic.dynamic_shapes = R"([{"0": "n"}])";
  dynamic.verify_dims = {{{"n", 7}}};
  REQUIRE_VERIFIED(RunBody("indexing", "slice_scatter_dyn", "torch.slice_scatter(x, x[1:-1] * 2, 0, 1, -1)", {Shape({5, 3})},
                           {}, dynamic));
  REQUIRE_VERIFIED(RunBody("indexing", "slice_scatter_dyn_step", "torch.slice_scatter(x, x[::2] * 2, 0, 0, 99, 2)",
                           {Shape({5, 3})}, {}, dynamic));
  dynamic.dynamic_shapes = R"([{"0": "n"}, {"0": "n"}])";
  dynamic.verify_dims = {{{"n", 4}}};
  // What timm's GhostNet does: `x = cat(...)[:, :c]; x += shortcut` (functionalized into
  // slice_scatter along the batch and the channels).
  REQUIRE_VERIFIED(RunBody("indexing", "slice_inplace_dyn", "c = torch.cat([x, x], 1)\nz = c[:, :3]\nz += y\nreturn c",
                           {Shape({2, 2}), Shape({2, 3})}, {}, dynamic));
}

TEST_CASE("aten::diagonal with offsets and dims; multi-dim boolean masks in index / index_put", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "diagonal", "torch.diagonal(x)", {Shape({4, 5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "diagonal_offset", "torch.diagonal(x, 1) + torch.diagonal(x, -2).sum()", {Shape({4, 5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "diagonal_dims", "torch.diagonal(x, -1, 2, 0)", {Shape({3, 2, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "mask_2d", "x[y > 0]", {Shape({4, 6, 3}), Shape({4, 6})}));
  REQUIRE_VERIFIED(RunBody("indexing", "mask_full", "x[x > 0.5]", {Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_mask_2d", "torch.index_put(x, [y > 0], torch.tensor(-1.0))",
                           {Shape({4, 6, 3}), Shape({4, 6})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_put_mask_rows", "torch.index_put(x, [y > 0], z, True)",
                           {Shape({4, 6, 3}), Shape({4, 6}), Shape({3})}));
}

TEST_CASE("aten::scatter with reduce='add'/'multiply' and aten::scatter_reduce (sum, prod, mean; include_self)",
          "[ops][indexing]") {
  // Repeated targets in a row (0 and 3 twice) so that the reductions matter.
  TensorSpec index = IntData({3, 3}, {0, 3, 0, 2, 2, 1, 3, 3, 3});
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_reduce_add", "torch.scatter(x, 1, y, z, reduce='add')",
                           {Shape({3, 4}), index, Shape({3, 3})}));
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_reduce_mul", "torch.scatter(x, 1, y, 1.5, reduce='multiply')",
                           {Shape({3, 4}), index}));
  for (const char* reduce : {"sum", "prod", "mean"})
    for (bool include_self : {true, false}) {
      std::string name = std::string("scatter_reduce_") + reduce + (include_self ? "_self" : "");
      std::string body = std::string("torch.scatter_reduce(x, 1, y, z, '") + reduce + "', include_self=" +
                         (include_self ? "True" : "False") + ")";
      INFO(body);
      REQUIRE_VERIFIED(RunBody("indexing", name, body, {Shape({3, 4}), index, Shape({3, 3})}));
    }
  REQUIRE_VERIFIED(RunBody("indexing", "scatter_reduce_int", "torch.scatter_reduce(x, 0, y, x, 'sum')",
                           {IntData({2, 3}, {1, -2, 3, 4, 5, -6}), IntData({2, 3}, {1, 0, 1, 1, 1, 0})}));
  // amax/amin: ONNX ScatterElements reductions max/min from opset 18.
  for (const char* reduce : {"amax", "amin"})
    for (bool include_self : {true, false}) {
      std::string body = std::string("torch.scatter_reduce(x, 1, y, z, '") + reduce + "', include_self=" +
                         (include_self ? "True" : "False") + ")";
      INFO(body);
      REQUIRE_VERIFIED(RunBody("indexing", std::string("scatter_reduce_") + reduce + (include_self ? "_self" : ""), body,
                               {Shape({3, 4}), index, Shape({3, 3})}));
    }
  auto r = RunBody("indexing", "scatter_reduce_amax_17", "torch.scatter_reduce(x, 1, y, z, 'amax')",
                   {Shape({3, 4}), index, Shape({3, 3})}, {}, AtOpset(17));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("opset 18"));
}

TEST_CASE("aten::index_add / index_copy / index_fill / masked_scatter / take_along_dim / nonzero / where(cond)",
          "[ops][indexing]") {
  TensorSpec rows = IntData({3}, {0, 2, 0});
  REQUIRE_VERIFIED(RunBody("indexing", "index_add", "x.index_add(0, y, z)", {Shape({4, 5}), rows, Shape({3, 5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_add_alpha", "x.index_add(1, y, z, alpha=2.5)",
                           {Shape({2, 4}), IntData({2}, {3, 1}), Shape({2, 2})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_copy", "x.index_copy(1, y, z)", {Shape({2, 4, 3}), IntData({2}, {3, 0}), Shape({2, 2, 3})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_fill", "x.index_fill(1, y, -1.5)", {Shape({2, 4, 3}), IntData({2}, {3, 0})}));
  REQUIRE_VERIFIED(RunBody("indexing", "index_fill_int", "x.index_fill(0, y, 7)", {IntData({3, 2}, {1, 2, 3, 4, 5, 6}), IntData({1}, {1})}));
  REQUIRE_VERIFIED(RunBody("indexing", "masked_scatter", "x.masked_scatter(x > 0, y)", {Shape({3, 4}), Shape({4, 4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "masked_scatter_bcast", "x.masked_scatter(z > 0, y)", {Shape({3, 4}), Shape({12}), Shape({4})}));
  REQUIRE_VERIFIED(RunBody("indexing", "take_along_dim", "torch.take_along_dim(x, torch.argsort(x, 1), 1)", {Shape({3, 5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "take_along_dim_bcast", "torch.take_along_dim(x, y, 0)",
                           {Shape({4, 3}), IntData({2, 1}, {3, 0})}));
  REQUIRE_VERIFIED(RunBody("indexing", "take_along_dim_flat", "torch.take_along_dim(x, y)", {Shape({3, 4}), IntData({3}, {11, 0, 5})}));
  REQUIRE_VERIFIED(RunBody("indexing", "nonzero", "torch.nonzero(x > 0.3)", {Shape({3, 4, 2})}));
  REQUIRE_VERIFIED(RunBody("indexing", "where_cond", "torch.where(x > 0.3)[1] * 10 + torch.where(x > 0.3)[0]", {Shape({4, 5})}));
}

TEST_CASE("aten::select_scatter (functionalized x[:, i] = v), negative indices", "[ops][indexing]") {
  REQUIRE_VERIFIED(RunBody("indexing", "select_scatter", "torch.select_scatter(x, y, 1, 2)", {Shape({3, 4, 2}), Shape({3, 2})}));
  REQUIRE_VERIFIED(RunBody("indexing", "select_scatter_neg", "torch.select_scatter(x, y, 0, -1)", {Shape({3, 4}), Shape({4})}));
}

TEST_CASE("advanced indexing with several index tensors: non-adjacent, broadcast, with slices and None, "
          "in reads and in index_put", "[ops][indexing]") {
  std::vector<TensorSpec> in{Shape({5, 6, 7, 8}), IntData({3}, {0, 2, 4}), IntData({3}, {1, 3, 5})};
  REQUIRE_VERIFIED(RunBody("indexing", "advanced_reads",
                           "return x[y, :, z], x[:, y, None, z], x[y[:, None], z], x[:, :, y, z], x[y, z, :, y], "
                           "x[y, 1:3, 2], x[y[:, None, None], :, z[None, :, None], y[None, None, :]], x[-1, y, ::2, z]",
                           in));
  in.push_back(Shape({3, 6, 8}));
  REQUIRE_VERIFIED(RunBody("indexing", "advanced_writes",
                           "a = x.clone()\na[y, :, z] = u\nb = x.clone()\nb[:, y, z] += 1.0\nc = x.clone()\n"
                           "c[y[:, None], z] = 0.0\nd = x.clone()\nd[y, 1:3, z] = 5.0\ne = x.clone()\ne[:, :, y, z] = -2.0\n"
                           "return a, b, c, d, e",
                           in));
}
