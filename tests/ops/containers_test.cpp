// TorchScript containers and scalar <-> tensor conversions (translators/prim/containers.cpp):
// tuples / lists / dicts as outputs and intermediates, getitem, unpack, size() arithmetic.
// Each compared between libtorch and ONNX Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("containers", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace


TEST_CASE("prim::TupleConstruct / ListConstruct / DictConstruct as outputs", "[ops][containers]") {
  REQUIRE_VERIFIED(Run("tuple_out", "x + 1.0, x * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("tuple_out_mixed", "x, (x > 0).long(), x > 0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("list_out", "[x, y, x - y]", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("dict_out", "{'a': x, 'b': y * 2.0}", {Shape({2, 3}), Shape({4})}));
  REQUIRE_VERIFIED(Run("nested_out", "(x, (y, x.sum() + y))", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("list_in_tuple_out", "[x, y], x.mean()", {Shape({2, 3}), Shape({3})}));
  REQUIRE_VERIFIED(Run("same_twice_out", "x * 2.0, x * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("input_passthrough_out", "x, y + 1.0", {Shape({2, 3}), Shape({3})}));
}

TEST_CASE("aten::__getitem__ / prim::TupleIndex / ListUnpack / TupleUnpack", "[ops][containers]") {
  REQUIRE_VERIFIED(Run("list_getitem", "l = [x, y, x * y]\nreturn l[1] + l[-1]", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("tuple_getitem", "t = (x, y * 3.0)\nreturn t[1]", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("dict_getitem", "d = {'a': x, 'b': y}\nreturn d['b'] * 2.0 + d['a']", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("tuple_unpack", "a, b = (x + 1.0, y)\nreturn a - b", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("list_unpack", "a, b, c = [x, y, x]\nreturn a * b + c", {Shape({2, 3}), Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("split_getitem", "x.split(2, 1)[-1]", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("chunk_getitem", "p = x.chunk(3, 0)\nreturn p[0] + p[2]", {Shape({6, 2})}));
  REQUIRE_VERIFIED(Run("max_tuple_getitem", "r = x.max(1)\nreturn r[0] * r[1].float()", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("list_len", "l = x.split(2, 1)\nreturn x * len(l)", {Shape({2, 5})}));
  REQUIRE_VERIFIED(Run("list_cat", "l = [x, y]\nreturn torch.cat(l, 1)", {Shape({2, 3}), Shape({2, 2})}));
}

TEST_CASE("aten::size / NumToTensor arithmetic in view / reshape", "[ops][containers]") {
  REQUIRE_VERIFIED(Run("view_size0", "x.view(x.size(0), -1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("reshape_shape_mul", "x.reshape(x.shape[0] * 2, -1)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("view_neg_size", "x.view(-1, x.size(-1))", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("size_list", "s = x.size()\nreturn x.view(s[0], s[1] * s[2])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("size_unpack", "b, c, h, w = x.shape\nreturn x.reshape(b, c * h * w)", {Shape({2, 3, 2, 2})}));
  REQUIRE_VERIFIED(Run("size_floordiv", "h = x.size(2) // 2\nreturn x[:, :, :h]", {Shape({2, 3, 6})}));
  REQUIRE_VERIFIED(Run("size_scalar_mul", "n = x.size(1)\nreturn x * n", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("size_float", "x / float(x.size(1))", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("numel", "x * x.numel()", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("dim", "x * x.dim()", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("num_to_tensor", "torch.tensor(x.size(1)) + x.sum()", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("size_expand", "y.expand(x.size(0), y.size(0))", {Shape({4, 3}), Shape({3})}));
}

TEST_CASE("scalars computed from tensor data (aten::Int / Float / ScalarImplicit)", "[ops][containers]") {
  REQUIRE_VERIFIED(Run("int_slice_end", "k = int(y[0]) * 2 + 1\nreturn x[:, :k]", {Shape({2, 8}), IntData({2}, {2, 5})}));
  REQUIRE_VERIFIED(Run("int_view", "return x.view(int(y[0]), -1)", {Shape({2, 6}), IntData({1}, {4})}));
  REQUIRE_VERIFIED(Run("int_narrow", "return x.narrow(1, int(y[0]), 2)", {Shape({2, 6}), IntData({1}, {3})}));
  REQUIRE_VERIFIED(Run("int_select", "return x[int(y[1])]", {Shape({4, 3}), IntData({2}, {0, 2})}));
  REQUIRE_VERIFIED(Run("float_scale", "return x * float(y.max())", {Shape({2, 3}), Shape({4})}));
  REQUIRE_VERIFIED(Run("int_add", "n = int(y.sum()) + x.size(0)\nreturn x * n", {Shape({2, 3}), IntData({2}, {1, 4})}));
}

TEST_CASE("aten::item as a scalar", "[ops][containers]") {
  REQUIRE_VERIFIED(Run("item_scale", "return x * y.max().item()", {Shape({2, 3}), Shape({4})}));
}

TEST_CASE("aten::_local_scalar_dense, and aten::sym_numel / sym_stride / stride / sym_storage_offset / is_contiguous on inputs",
          "[ops][containers]") {
  REQUIRE_VERIFIED(Run("local_scalar_dense", "return x * ops.aten._local_scalar_dense(y.max())", {Shape({2, 3}), Shape({4})}));
  VerifyOptions dynamic;
  dynamic.dynamic_shapes = R"([{"0": "a", "1": "b", "2": "c"}])";
  dynamic.verify_dims = {{{"a", 2}, {"b", 5}, {"c", 3}}};
  REQUIRE_VERIFIED(RunBody("containers", "layout_queries",
                           "n = ops.aten.sym_numel(x) + ops.aten.sym_stride(x, 0) * 10 + x.stride(1) * 100 + "
                           "x.stride(-1)\n"
                           "o = ops.aten.sym_storage_offset(x) + x.storage_offset()\n"
                           "return x * n + o, x.is_contiguous()",
                           {Shape({4, 3, 2})}, {}, dynamic));
  // A computed tensor's strides follow PyTorch's view semantics, which ONNX does not keep.
  auto r = Run("stride_of_view", "return x * x.t().stride(0)", {Shape({3, 4})});
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::stride.int of a tensor computed in the graph"));
}
