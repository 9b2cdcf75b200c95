// Linear algebra (translators/aten/linalg.cpp): each compared between libtorch and ONNX
// Runtime on a tiny scripted model.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  Params params = {}, VerifyOptions options = {}) {
  return RunBody("linalg", name, body, std::move(inputs), std::move(params), options);
}
}  // namespace


TEST_CASE("aten::linear on 1-D, 2-D, 3-D and 4-D inputs, with and without bias", "[ops][linalg]") {
  Params p{{"w", {4, 5}}, {"b", {4}}};
  REQUIRE_VERIFIED(Run("linear_2d", "torch.linear(x, self.w, self.b)", {Shape({3, 5})}, p));
  REQUIRE_VERIFIED(Run("linear_2d_nobias", "torch.linear(x, self.w, None)", {Shape({3, 5})}, p));
  REQUIRE_VERIFIED(Run("linear_3d", "torch.linear(x, self.w, self.b)", {Shape({2, 3, 5})}, p));
  REQUIRE_VERIFIED(Run("linear_3d_nobias", "torch.linear(x, self.w, None)", {Shape({2, 3, 5})}, p));
  REQUIRE_VERIFIED(Run("linear_4d", "torch.linear(x, self.w, self.b)", {Shape({2, 2, 3, 5})}, p));
  REQUIRE_VERIFIED(Run("linear_1d", "torch.linear(x, self.w, self.b)", {Shape({5})}, p));
  REQUIRE_VERIFIED(Run("linear_op13", "torch.linear(x, self.w, self.b)", {Shape({2, 3, 5})}, p, AtOpset(13)));
  REQUIRE_VERIFIED(Run("linear_input_weight", "torch.linear(x, y, None)", {Shape({3, 5}), Shape({2, 5})}));
}

TEST_CASE("aten::matmul over rank combinations", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("matmul_2x2", "torch.matmul(x, y)", {Shape({3, 4}), Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_op", "x @ y", {Shape({3, 4}), Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_1x1", "torch.matmul(x, y)", {Shape({4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("matmul_1x2", "torch.matmul(x, y)", {Shape({4}), Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_2x1", "torch.matmul(x, y)", {Shape({3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("matmul_3x3", "torch.matmul(x, y)", {Shape({2, 3, 4}), Shape({2, 4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_3x2", "torch.matmul(x, y)", {Shape({2, 3, 4}), Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_2x3", "torch.matmul(x, y)", {Shape({3, 4}), Shape({2, 4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_3x1", "torch.matmul(x, y)", {Shape({2, 3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("matmul_4x4_bcast", "torch.matmul(x, y)", {Shape({2, 1, 3, 4}), Shape({1, 3, 4, 5})}));
  REQUIRE_VERIFIED(Run("matmul_param", "torch.matmul(x, self.w)", {Shape({2, 3, 4})}, {{"w", {4, 6}}}));
  REQUIRE_VERIFIED(Run("matmul_attention", "torch.softmax(torch.matmul(x, x.transpose(-2, -1)) * 0.5, -1) @ x",
                       {Shape({2, 2, 5, 4})}));
}

TEST_CASE("aten::mm / bmm / mv / t", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("mm", "torch.mm(x, y)", {Shape({3, 4}), Shape({4, 5})}));
  REQUIRE_VERIFIED(Run("bmm", "torch.bmm(x, y)", {Shape({2, 3, 4}), Shape({2, 4, 5})}));
  REQUIRE_VERIFIED(Run("mv", "torch.mv(x, y)", {Shape({3, 4}), Shape({4})}));
  REQUIRE_VERIFIED(Run("t_2d", "x.t()", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("t_1d", "x.t() * 2.0", {Shape({4})}));
  REQUIRE_VERIFIED(Run("mm_t", "torch.mm(x, y.t())", {Shape({3, 4}), Shape({5, 4})}));
}

TEST_CASE("aten::addmm / baddbmm with beta and alpha", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("addmm", "torch.addmm(z, x, y)", {Shape({3, 4}), Shape({4, 5}), Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("addmm_bcast", "torch.addmm(z, x, y)", {Shape({3, 4}), Shape({4, 5}), Shape({5})}));
  REQUIRE_VERIFIED(Run("addmm_ab", "torch.addmm(z, x, y, beta=0.5, alpha=2.0)", {Shape({3, 4}), Shape({4, 5}), Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("addmm_beta0", "torch.addmm(z, x, y, beta=0.0, alpha=1.5)", {Shape({3, 4}), Shape({4, 5}), Shape({1, 5})}));
  REQUIRE_VERIFIED(Run("baddbmm", "torch.baddbmm(z, x, y)", {Shape({2, 3, 4}), Shape({2, 4, 5}), Shape({2, 3, 5})}));
  REQUIRE_VERIFIED(Run("baddbmm_ab", "torch.baddbmm(z, x, y, beta=0.5, alpha=-2.0)",
                       {Shape({2, 3, 4}), Shape({2, 4, 5}), Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("baddbmm_beta0", "torch.baddbmm(z, x, y, beta=0.0, alpha=0.5)",
                       {Shape({2, 3, 4}), Shape({2, 4, 5}), Shape({2, 3, 5})}));
}

TEST_CASE("aten::einsum and aten::cross / linalg_cross", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("einsum_mm", "torch.einsum('ij,kj->ik', x, y)", {Shape({3, 4}), Shape({5, 4})}));
  REQUIRE_VERIFIED(Run("einsum_batch", "torch.einsum('bij,bjk->bik', x, y)", {Shape({2, 3, 4}), Shape({2, 4, 2})}));
  REQUIRE_VERIFIED(Run("einsum_trace_like", "torch.einsum('ii->i', x)", {Shape({4, 4})}));
  REQUIRE_VERIFIED(Run("einsum_ellipsis", "torch.einsum('...ij->...ji', x)", {Shape({2, 3, 4})}));
  REQUIRE_VERIFIED(Run("cross", "torch.cross(x, y, 1)", {Shape({4, 3}), Shape({4, 3})}));
  REQUIRE_VERIFIED(Run("cross_default_dim", "torch.cross(x, y)", {Shape({3, 5}), Shape({3, 5})}));
  REQUIRE_VERIFIED(Run("linalg_cross", "torch.linalg_cross(x, y)", {Shape({2, 3}), Shape({1, 3})}));
}

TEST_CASE("aten::dot on float and integer vectors", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("dot", "torch.dot(x, y)", {Shape({7}), Shape({7})}));
  REQUIRE_VERIFIED(Run("dot_int", "torch.dot(x, y)", {IntData({4}, {3, -2, 5, 1}), IntData({4}, {-1, 4, 2, 9})}));
}

TEST_CASE("aten::mv / matmul / addmv of a transposed matrix and a vector (ONNX Runtime's FusedMatMul with a 1-D operand)",
          "[ops][linalg]") {
  REQUIRE_VERIFIED(RunBody("linalg", "mv_transposed", "torch.mv(x.t(), y), torch.matmul(x.t(), y), x.mT @ y",
                           {Shape({3, 4}), Shape({3})}));
  REQUIRE_VERIFIED(RunBody("linalg", "matmul_batched_transposed_vector", "torch.matmul(x.transpose(1, 2), y)",
                           {Shape({2, 3, 4}), Shape({3})}));
  REQUIRE_VERIFIED(RunBody("linalg", "addmv_transposed", "torch.addmv(x[0], x.t(), y, beta=0.5, alpha=2.0)",
                           {Shape({3, 4}), Shape({3})}));
}
