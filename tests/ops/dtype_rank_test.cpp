// Dtypes ONNX Runtime has no kernel for (core/translate/ort_legalize.cpp widens them) and 0-d
// operands of ops that work along a dim (core/ir/scalar_dim_ops.cpp), compared with libtorch.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {
ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
  return RunBody("dtype_rank", name, body, std::move(inputs));
}
const std::vector<TensorSpec> kInts{IntData({2, 4}, {5, -3, 9, 1, 0, 8, -2, 7}), IntData({2, 4}, {1, 4, -9, 2, 0, -8, 3, 3})};
}  // namespace

TEST_CASE("ops on int8/int16/uint8/bool where ONNX Runtime lacks the kernel: computed wider, exactly", "[ops][dtype_rank]") {
  REQUIRE_VERIFIED(Run("where_int16", "torch.where(x > y, x.short(), y.short())", kInts));
  REQUIRE_VERIFIED(Run("minimum_int16", "torch.minimum(x.short(), y.short()), torch.maximum(x.short(), y.short())", kInts));
  REQUIRE_VERIFIED(Run("clamp_int16", "torch.clamp(x.short(), -2, 4)", kInts));
  REQUIRE_VERIFIED(Run("triu_int8", "torch.triu(x.char()), torch.tril(y.char(), -1)", kInts));
  REQUIRE_VERIFIED(Run("cumsum_int8_wraps", "torch.cumsum(x.char() * 20, 1, dtype=1)", kInts));
  REQUIRE_VERIFIED(Run("sum_int16", "(x.short() * 1000).sum(1, dtype=2)", kInts));
  REQUIRE_VERIFIED(Run("amax_int16", "torch.amax(x.short(), 1), torch.argmax(y.short(), 0)", kInts));
  REQUIRE_VERIFIED(Run("mm_int8", "torch.mm(x.char(), y.char().t())", kInts));
}

TEST_CASE("float64 ops ONNX Runtime only runs in float32 (conv, pooling) and float64 nonzero", "[ops][dtype_rank]") {
  REQUIRE_VERIFIED(Run("conv2d_f64", "w = torch.ones(2, 1, 2, 2).double() * 0.25\n"
                                     "return ops.aten.conv2d(x.double(), w)", {Shape({1, 1, 5, 5})}));
  REQUIRE_VERIFIED(Run("avg_pool_f64", "ops.aten.avg_pool2d(x.double(), [2, 2])", {Shape({1, 2, 4, 4})}));
  REQUIRE_VERIFIED(Run("det_inverse_f64", "a = x.double() * 0.3 + torch.eye(3).double() * 2.0\n"
                                         "return torch.det(a), torch.linalg_inv(a)", {Shape({2, 3, 3})}));
  REQUIRE_VERIFIED(Run("nonzero_f64_tiny", "torch.nonzero(x.double() * 1e-300)",
                       {FloatData({5}, {0.0f, 1.0f, 0.0f, -2.0f, 3.0f})}));
}

TEST_CASE("0-d tensors in ops along a dim: PyTorch treats them as one-element vectors", "[ops][dtype_rank]") {
  const std::vector<TensorSpec> scalar{Shape({})};
  REQUIRE_VERIFIED(Run("cumsum_0d", "torch.cumsum(x, 0), torch.cumprod(x, -1), torch.logcumsumexp(x, 0)", scalar));
  REQUIRE_VERIFIED(Run("max_dim_0d", "v, i = torch.max(x, 0)\nw, j = torch.min(x, -1, True)\nreturn v, i, w, j, torch.argmax(x, 0)", scalar));
  REQUIRE_VERIFIED(Run("norm_0d", "ops.aten.linalg_vector_norm(x, 2.0, [0]), torch.logsumexp(x, [0]), torch.softmax(x, 0)", scalar));
  REQUIRE_VERIFIED(Run("gather_0d", "i = torch.zeros([]).long()\nreturn torch.gather(x, 0, i), "
                                    "torch.scatter_add(x, 0, i, x * 2.0), torch.index_select(x, 0, i.view(1))", scalar));
  REQUIRE_VERIFIED(Run("topk_0d", "v, i = torch.topk(x, 1)\nreturn v, i, torch.argsort(x, 0)", scalar));
}

TEST_CASE("integer addmm/linear, int64 relu, float64 silu, bool scatter_reduce, integer trapezoids", "[ops][dtype_rank]") {
  REQUIRE_VERIFIED(Run("addmm_int64", "torch.addmm(x[:, :2], x, y.t()[:4, :2]), torch.addmm(x[:, :2], x, y.t()[:4, :2], beta=2, alpha=3)", kInts));
  REQUIRE_VERIFIED(Run("relu_int64", "torch.relu(x), torch.relu(y.short())", kInts));
  REQUIRE_VERIFIED(Run("silu_f64", "ops.aten.silu(x.double() * 3.0)", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("scatter_reduce_bool", "i = torch.tensor([[0, 1, 0, 1], [1, 1, 0, 0]])\n"
                                              "return torch.scatter_reduce(x > 0, 0, i, y > 0, 'amin'), "
                                              "torch.scatter_reduce(x > 0, 0, i, y > 0, 'sum', include_self=False)", kInts));
  REQUIRE_VERIFIED(Run("cumulative_trapezoid_uint8", "torch.cumulative_trapezoid(x.byte() * 50), "
                                                     "torch.cumulative_trapezoid(x.byte() * 50, y.byte() * 7), "
                                                     "torch.trapezoid(x.byte() * 50, y.byte() * 7)", kInts));
  REQUIRE_VERIFIED(Run("cov_one_row", "torch.cov(x[:1].float()), torch.corrcoef(x[:1].float())", kInts));
  REQUIRE_VERIFIED(Run("cosine_similarity_0d", "torch.cosine_similarity(x.float()[0, 0], y.float()[0, 0], 0)", kInts));
}
