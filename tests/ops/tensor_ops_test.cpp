// Identity-like ops, dtype conversion, tensor creation and indexing
// (translators/aten/tensor_ops.cpp): each compared between libtorch and ONNX Runtime on a
// tiny scripted model.
//
// `torch.int64` etc. do not resolve in define()d code: dtypes are passed as ScalarType
// codes (3 int32, 4 int64, 5 float16, 6 float32, 7 float64, 11 bool).
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("tensor_ops", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace


TEST_CASE("aten::to(dtype) / float / long / int / bool / double / type_as", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("to_int64", "(x * 3.0).to(4)", {Shape({3, 4})}));  // truncates toward zero
  REQUIRE_VERIFIED(Run("to_int32", "(x * 3.0).to(3)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("to_float64", "x.to(7) * 2.0", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("to_bool", "x.to(11)", {FloatData({4}, {0.0f, 0.5f, -2.0f, 0.0f})}));
  REQUIRE_VERIFIED(Run("int_to_float", "x.to(6) / 3.0", {Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("long", "(x * 5.0).long()", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("int", "(x * 5.0).int()", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("float", "(x > 0).float()", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("double", "x.double()", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("int_to_bool", "x.to(11)", {IntData({4}, {0, 3, -1, 0})}));
  REQUIRE_VERIFIED(Run("bool_to_int", "(x > 0).long() * 3", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("type_as", "x.type_as(y) + y", {Shape({3, 4}), Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("to_other", "y.to(x) * x", {Shape({3, 4}), Shape({3, 4}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("to_same", "x.to(6) * 2.0", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("to_kw", "x.to(dtype=4)", {Shape({3, 4}, DType::kInt64)}));
}

TEST_CASE("aten::to(float16) round trip", "[ops][tensor_ops]") {
  VerifyOptions loose;
  loose.tolerance.atol = 1e-2;
  loose.tolerance.rtol = 1e-2;
  REQUIRE_VERIFIED(Run("half", "x.half().float() * 2.0", {Shape({3, 4})}, {}, loose));
}

// float16 outputs are read as numbers by the verifier (not as zeros).
TEST_CASE("aten::to(float16) as a model output", "[ops][tensor_ops]") {
  VerifyOptions loose;
  loose.tolerance.atol = 1e-2;
  loose.tolerance.rtol = 1e-2;
  REQUIRE_VERIFIED(Run("to_half", "x.to(5)", {Shape({3, 4})}, {}, loose));
}

// Factories that only read `self`'s shape are static: in the shape-only capture run
// `self` is a meta tensor, and the factory must still produce real data to export.
TEST_CASE("aten::fill with a scalar or a 0-d tensor value", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("fill_scalar", "torch.fill(x, 2.5) + x", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("fill_tensor", "torch.fill(x, y.sum()) * x", {Shape({2, 3}), Shape({4})}));
  REQUIRE_VERIFIED(Run("fill_int", "torch.fill(x, 3) + x", {Shape({5}, DType::kInt64)}));
}

TEST_CASE("aten::zeros_like / ones_like / full_like", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("zeros_like", "x + torch.zeros_like(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("ones_like", "torch.ones_like(x)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("ones_like_int", "torch.ones_like(x) + x", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("zeros_like_int", "torch.zeros_like(x)", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("full_like", "torch.full_like(x, 3.5)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("full_like_int", "torch.full_like(x, 7)", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("ones_like_dtype", "torch.ones_like(x, dtype=4)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("full_like_dtype", "torch.full_like(x, 2, dtype=6)", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("ones_like_bool", "torch.ones_like(x > 0)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("ones_like_0d", "torch.ones_like(x.sum()) * 2.0", {Shape({2, 3})}));
}

TEST_CASE("aten::zeros / ones / full", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("zeros", "x + torch.zeros([2, 3])", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("ones", "x * torch.ones([3])", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("full", "x + torch.full([2, 3], 2.5)", {Shape({2, 3})}));
  // Sizes taken from the input's shape.
  REQUIRE_VERIFIED(Run("zeros_size", "torch.zeros([x.size(0), x.size(1) * 2]) + 3.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("ones_shape", "torch.ones(x.shape) + x", {Shape({2, 3})}));
}

TEST_CASE("aten::new_zeros / new_ones / new_full", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("new_zeros", "x.new_zeros([4, 2]) + 1.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("new_ones", "x.new_ones([3])", {Shape({2, 3}, DType::kInt64)}));
  REQUIRE_VERIFIED(Run("new_full", "x.new_full([2, 2], -1.5)", {Shape({2, 3})}));
}

TEST_CASE("aten::zeros / full / arange with run-time sizes", "[ops][tensor_ops]") {
  // The sizes come from the data of an int input, so they are not known at export time.
  REQUIRE_VERIFIED(Run("zeros_dynamic", "torch.zeros([int(x.sum()), 2]) + 1.0", {IntData({2}, {1, 2})}));
  REQUIRE_VERIFIED(Run("full_dynamic", "torch.full([int(x[0])], 4.5)", {IntData({2}, {3, 2})}));
  REQUIRE_VERIFIED(Run("arange_dynamic", "torch.arange(int(x.sum()))", {IntData({2}, {3, 2})}));
  REQUIRE_VERIFIED(Run("arange_start_dynamic", "torch.arange(int(x[0]), int(x[1]))", {IntData({2}, {-2, 4})}));
  REQUIRE_VERIFIED(Run("arange_step_dynamic", "torch.arange(int(x[0]), int(x[1]), 3)", {IntData({2}, {1, 11})}));
  REQUIRE_VERIFIED(Run("arange_static", "x + torch.arange(4)", {Shape({2, 4})}));
  REQUIRE_VERIFIED(Run("linspace_dynamic", "torch.linspace(-1.0, float(x[1]), int(x[0]))", {IntData({2}, {5, 3})}));
  REQUIRE_VERIFIED(Run("linspace_static", "x + torch.linspace(0.0, 1.0, 4)", {Shape({2, 4})}));
  REQUIRE_VERIFIED(Run("eye_dynamic", "torch.eye(int(x[0])) * 2.0", {IntData({2}, {3, 4})}));
  REQUIRE_VERIFIED(Run("eye_m_dynamic", "torch.eye(int(x[0]), int(x[1]), dtype=4)", {IntData({2}, {3, 4})}));
}

TEST_CASE("aten::contiguous / clone / detach / dropout (inference)", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("contiguous", "x.transpose(0, 1).contiguous()", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("clone", "torch.clone(x) * 2.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("detach", "x.detach() + 1.0", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("dropout", "torch.dropout(x, 0.5, False)", {Shape({2, 3})}));
  REQUIRE_VERIFIED(Run("feature_dropout", "torch.feature_dropout(x, 0.2, False)", {Shape({2, 3, 4})}));
}

TEST_CASE("aten::index_select / gather", "[ops][tensor_ops]") {
  auto idx = IntData({3}, {2, 0, 2});
  REQUIRE_VERIFIED(Run("index_select_1", "torch.index_select(x, 1, y)", {Shape({2, 4, 3}), idx}));
  REQUIRE_VERIFIED(Run("index_select_0", "x.index_select(0, y)", {Shape({4, 3}), idx}));
  REQUIRE_VERIFIED(Run("index_select_neg", "x.index_select(-1, y)", {Shape({2, 3}), idx}));
  REQUIRE_VERIFIED(Run("index_select_int", "x.index_select(0, y)", {Shape({3, 2}, DType::kInt64), idx}));
  REQUIRE_VERIFIED(Run("gather_1", "torch.gather(x, 1, y)", {Shape({2, 4}), IntData({2, 3}, {0, 3, 3, 1, 2, 0})}));
  REQUIRE_VERIFIED(Run("gather_0", "x.gather(0, y)", {Shape({3, 2}), IntData({2, 2}, {2, 0, 1, 1})}));
  REQUIRE_VERIFIED(Run("gather_neg", "torch.gather(x, -1, y)", {Shape({2, 2, 3}), IntData({2, 2, 1}, {0, 2, 1, 1})}));
  REQUIRE_VERIFIED(Run("gather_argmax", "torch.gather(x, 1, x.argmax(1, True))", {Shape({3, 5})}));
}

TEST_CASE("aten::embedding", "[ops][tensor_ops]") {
  Params p{{"w", {10, 4}}};
  REQUIRE_VERIFIED(Run("embedding", "torch.embedding(self.w, x)", {Shape({2, 5}, DType::kInt64)}, p));
  REQUIRE_VERIFIED(Run("embedding_1d", "torch.embedding(self.w, x)", {IntData({3}, {9, 0, 4})}, p));
  REQUIRE_VERIFIED(Run("embedding_padding_idx", "torch.embedding(self.w, x, 0, False, False)", {IntData({4}, {0, 1, 0, 2})}, p));
  REQUIRE_VERIFIED(Run("embedding_0d", "torch.embedding(self.w, x[0])", {IntData({2}, {3, 1})}, p));
}

TEST_CASE("aten::index with int64 index tensors (x[idx], x[:, idx], x[i, j])", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("index_dim0", "x[y]", {Shape({4, 3}), IntData({3}, {3, 0, 3})}));
  REQUIRE_VERIFIED(Run("index_dim1", "x[:, y]", {Shape({2, 4, 3}), IntData({2}, {1, 3})}));
  REQUIRE_VERIFIED(Run("index_dim2", "x[:, :, y]", {Shape({2, 3, 4}), IntData({3}, {0, 3, 1})}));
  REQUIRE_VERIFIED(Run("index_2d_idx", "x[y]", {Shape({5, 2}), IntData({2, 2}, {0, 4, 2, 2})}));
  REQUIRE_VERIFIED(Run("index_negative", "x[y]", {Shape({4, 3}), IntData({2}, {-1, 1})}));
  REQUIRE_VERIFIED(Run("index_two", "x[y, z]", {Shape({3, 4, 2}), IntData({3}, {0, 2, 1}), IntData({3}, {3, 0, 1})}));
  REQUIRE_VERIFIED(Run("index_two_bcast", "x[y, z]", {Shape({3, 4}), IntData({2, 1}, {0, 2}), IntData({3}, {3, 0, 1})}));
  REQUIRE_VERIFIED(Run("index_int_data", "x[y]", {Shape({5}, DType::kInt64), IntData({2}, {4, 0})}));
  REQUIRE_VERIFIED(Run("index_computed", "x[torch.argmax(x, 0)]", {Shape({4})}));
}

TEST_CASE("aten::index with a 1-D boolean mask", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("mask_1d", "x[x > 0]", {FloatData({6}, {1.0f, -2.0f, 3.0f, -0.5f, 0.0f, 2.5f})}));
  REQUIRE_VERIFIED(Run("mask_rows", "x[y > 0]", {Shape({4, 3}), FloatData({4}, {1.0f, -1.0f, 2.0f, 3.0f})}));
  REQUIRE_VERIFIED(Run("mask_input", "x[y]", {Shape({5}), Shape({5}, DType::kBool)}));
}

TEST_CASE("aten::one_hot with given and inferred class counts", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("one_hot", "torch.one_hot(x, 5)", {IntData({2, 3}, {0, 4, 2, 1, 1, 3})}));
  REQUIRE_VERIFIED(Run("one_hot_infer", "torch.one_hot(x)", {IntData({4}, {2, 0, 3, 1})}));
}

TEST_CASE("*_copy view forms, empty_strided, native_dropout in eval", "[ops][tensor_ops]") {
  REQUIRE_VERIFIED(Run("view_copy", "torch.view_copy(x, [6, 2]) + 1.0", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("permute_copy", "torch.permute_copy(x, [2, 0, 1])", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("expand_copy", "torch.expand_copy(x, [2, 3, 4])", {Shape({3, 1})}));
  REQUIRE_VERIFIED(Run("select_copy", "torch.select_copy(x, 0, -1) + torch.slice_copy(x, 0, 1, 3)[0]", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("empty_strided", "torch.empty_strided([3, 4], [4, 1]).fill_(1.5) + x", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("native_dropout_eval", "torch.native_dropout(x, 0.5, False)[0] * 2.0", {Shape({3, 4})}));
}

TEST_CASE("aten::embedding_bag: sum / mean / max, per_sample_weights, include_last_offset, padding_idx, empty bags",
          "[ops][tensor_ops]") {
  Params p{{"w", {10, 4}}};
  TensorSpec indices = IntData({8}, {1, 2, 4, 5, 4, 3, 2, 9});
  TensorSpec offsets = IntData({4}, {0, 3, 3, 5});  // bag 1 is empty
  for (int mode : {0, 1, 2}) {
    std::string body = "torch.embedding_bag(self.w, x, y, False, " + std::to_string(mode) + ", False, None, False, None)[0]";
    INFO(body);
    REQUIRE_VERIFIED(Run("embedding_bag_" + std::to_string(mode), body, {indices, offsets}, p));
  }
  REQUIRE_VERIFIED(Run("embedding_bag_weights", "torch.embedding_bag(self.w, x, y, False, 0, False, z, False, None)[0]",
                       {indices, offsets, Shape({8})}, p));
  REQUIRE_VERIFIED(Run("embedding_bag_last", "torch.embedding_bag(self.w, x, y, False, 1, False, None, True, None)[0]",
                       {indices, IntData({3}, {0, 2, 8})}, p));
  REQUIRE_VERIFIED(Run("embedding_bag_padding", "torch.embedding_bag(self.w, x, y, False, 1, False, None, False, 4)[0]",
                       {indices, offsets}, p));
}

TEST_CASE("training graphs: aten::convolution_backward / _adaptive_avg_pool2d_backward / avg_pool2d_backward / "
          "max_pool2d_with_indices_backward / embedding_dense_backward / native_layer_norm_backward / "
          "native_group_norm_backward refused all at once",
          "[ops][tensor_ops]") {
  // x: an image [1, 2, 6, 6]; g: the gradient of a 3x3 convolution of it with 4 filters.
  const std::string body =
      "w = torch.ones(4, 2, 3, 3)\n"
      "g = torch.ones(1, 4, 4, 4)\n"
      "dconv = ops.aten.convolution_backward(g, x, w, [4], [1, 1], [0, 0], [1, 1], False, [0, 0], 1, [True, True, True])\n"
      "dadaptive = ops.aten._adaptive_avg_pool2d_backward(torch.ones(1, 2, 3, 3), x)\n"
      "davg = ops.aten.avg_pool2d_backward(torch.ones(1, 2, 3, 3), x, [2, 2], [2, 2], [0, 0], False, True, None)\n"
      "pooled, where = torch.max_pool2d_with_indices(x, [2, 2], [2, 2])\n"
      "dmax = ops.aten.max_pool2d_with_indices_backward(torch.ones(1, 2, 3, 3), x, [2, 2], [2, 2], [0, 0], [1, 1], False, where)\n"
      "demb = ops.aten.embedding_dense_backward(x[0, 0, :3], torch.tensor([0, 2, 1]), 4, -1, False)\n"
      "ln = torch.native_layer_norm(x, [6], None, None, 1e-5)\n"
      "dln = ops.aten.native_layer_norm_backward(x, x, [6], ln[1], ln[2], None, None, [True, False, False])\n"
      "gn = torch.native_group_norm(x, None, None, 1, 2, 36, 2, 1e-5)\n"
      "dgn = ops.aten.native_group_norm_backward(x, x, gn[1], gn[2], None, 1, 2, 36, 2, [True, False, False])\n"
      "return dconv[1] + dadaptive.sum() + davg.sum() + dmax.sum() + demb.sum() + dln[0].sum() + dgn[0].sum()";
  auto r = RunBody("tensor_ops", "training_graph", body, {Shape({1, 2, 6, 6})});
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("7 operators cannot be converted"));
  for (const char* op : {"aten::convolution_backward", "aten::_adaptive_avg_pool2d_backward", "aten::avg_pool2d_backward",
                         "aten::max_pool2d_with_indices_backward", "aten::embedding_dense_backward",
                         "aten::native_layer_norm_backward", "aten::native_group_norm_backward"})
    CHECK_THAT(r.error, ContainsText(std::string(op) + " (1 node): training-only op"));
  CHECK_THAT(r.error, ContainsText("export the model for inference"));
}
