// The public torch API as TorchScript graphs keep it (translators/aten/layout.cpp,
// special.cpp and the linalg, recurrent and reduction families): shape helpers, special
// functions, products, cells, nan-aware reductions and sorted-sequence searches, each
// compared between libtorch and ONNX Runtime.
#include <limits>

#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs, Params params = {}) {
  return RunBody("public_api", name, body, std::move(inputs), std::move(params));
}

const std::vector<TensorSpec> kCube{Shape({2, 3, 4})};

}  // namespace

TEST_CASE("aten::movedim / moveaxis / numpy_T / mT / mH / adjoint / ravel", "[ops][layout]") {
  REQUIRE_VERIFIED(Run("movedim", "torch.movedim(x, 0, 2)", kCube));
  REQUIRE_VERIFIED(Run("movedim_list", "torch.movedim(x, [0, 1], [2, 0])", kCube));
  REQUIRE_VERIFIED(Run("moveaxis", "torch.moveaxis(x, -1, 0)", kCube));
  REQUIRE_VERIFIED(Run("numpy_T", "x.T", {Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("mT_mH", "x.mT + x.mH.mT.mT + x.adjoint()", kCube));
  REQUIRE_VERIFIED(Run("ravel", "torch.ravel(x.transpose(0, 2))", kCube));
}

TEST_CASE("aten::hstack / vstack / dstack / column_stack / atleast_1d / atleast_2d / atleast_3d", "[ops][layout]") {
  REQUIRE_VERIFIED(Run("hstack", "torch.hstack([x, x * 2.0])", kCube));
  REQUIRE_VERIFIED(Run("hstack_vectors", "torch.hstack([x[0, 0], x[1, 1]])", kCube));
  REQUIRE_VERIFIED(Run("vstack", "torch.vstack([x[0, 0], x[1]])", kCube));
  REQUIRE_VERIFIED(Run("dstack", "torch.dstack([x[0], x[1]]), torch.dstack([x[0, 0], x[1, 1]])", kCube));
  REQUIRE_VERIFIED(Run("column_stack", "torch.column_stack([x[0, :, 0], x[1], x[0, :, 1]]), torch.column_stack([x[0, 0, 0], x[1, 0, 1]])", kCube));
  REQUIRE_VERIFIED(Run("atleast", "torch.atleast_1d(x[0, 0, 0]), torch.atleast_2d(x[0, 0]), torch.atleast_3d(x[0]), "
                                  "torch.atleast_3d(x[0, 0]), torch.atleast_2d(x)", kCube));
  REQUIRE_VERIFIED(Run("atleast_list", "a = torch.atleast_2d([x[0, 0, 0], x[0], x])\nreturn a[0], a[1], a[2]", kCube));
}

TEST_CASE("aten::fliplr / flipud / rot90 (k = -1 to 4, several dims)", "[ops][layout]") {
  REQUIRE_VERIFIED(Run("flips", "torch.fliplr(x), torch.flipud(x)", kCube));
  for (int k : {-1, 0, 1, 2, 3, 4})
    REQUIRE_VERIFIED(Run("rot90_" + std::to_string(k + 1), "torch.rot90(x, " + std::to_string(k) + ", [1, 2])", kCube));
  REQUIRE_VERIFIED(Run("rot90_reversed_dims", "torch.rot90(x, 1, [2, 0])", kCube));
}

TEST_CASE("aten::xlogy / special_xlog1py / special_entr / erfc / special_ndtr / sinc / logit / heaviside",
          "[ops][special]") {
  REQUIRE_VERIFIED(Run("xlogy", "torch.xlogy(torch.relu(x), x.abs() + 0.5)", kCube));
  REQUIRE_VERIFIED(Run("xlogy_scalar", "torch.xlogy(2.0, x.abs() + 0.5) + torch.xlogy(torch.relu(x), 3.0)", kCube));
  REQUIRE_VERIFIED(Run("xlog1py", "torch.special_xlog1py(torch.relu(x), x.abs())", kCube));
  REQUIRE_VERIFIED(Run("entr", "torch.special_entr(torch.relu(x)) + torch.special_entr(x.abs() + 0.1)", kCube));
  REQUIRE_VERIFIED(Run("erfc_ndtr", "torch.erfc(x) + torch.special_ndtr(x) * 3.0", kCube));
  REQUIRE_VERIFIED(Run("sinc", "torch.sinc(x) + torch.sinc(torch.round(x))", kCube));
  REQUIRE_VERIFIED(Run("logit", "torch.logit(torch.sigmoid(x)), torch.logit(torch.sigmoid(x * 20.0), 1e-3)", kCube));
  REQUIRE_VERIFIED(Run("heaviside", "torch.heaviside(torch.round(x), x[0])", kCube));
}

TEST_CASE("aten::signbit / copysign / hypot / float_power / fmax / fmin / logaddexp2 / ldexp / rad2deg / deg2rad",
          "[ops][special]") {
  REQUIRE_VERIFIED(Run("signbit", "torch.signbit(x), torch.signbit(x * 0.0 - 0.0), torch.signbit((x * 3.0).long())", kCube));
  REQUIRE_VERIFIED(Run("copysign", "torch.copysign(x, x.flip(0)) + torch.copysign(x, -1.0)", kCube));
  REQUIRE_VERIFIED(Run("hypot", "torch.hypot(x, x.flip(0) * 1e20)", kCube));
  REQUIRE_VERIFIED(Run("float_power", "torch.float_power(x.abs(), 2.5) + torch.float_power(x, 2)", kCube));
  REQUIRE_VERIFIED(Run("fmax_fmin", "n = torch.log(x)\nreturn torch.fmax(n, x.flip(0)), torch.fmin(x, n)", kCube));
  REQUIRE_VERIFIED(Run("logaddexp2", "torch.logaddexp2(x * 50.0, x.flip(0))", kCube));
  REQUIRE_VERIFIED(Run("ldexp", "torch.ldexp(x, torch.round(x.flip(0) * 3.0))", kCube));
  REQUIRE_VERIFIED(Run("degrees", "torch.rad2deg(x) + torch.deg2rad(x * 100.0)", kCube));
}

TEST_CASE("aten::nan_to_num / isclose", "[ops][special]") {
  REQUIRE_VERIFIED(Run("nan_to_num", "n = torch.log(x) / torch.round(x.flip(0))\n"
                                     "return torch.nan_to_num(n * 1e30), torch.nan_to_num(n, 1.0, 100.0, -100.0)", kCube));
  REQUIRE_VERIFIED(Run("isclose", "n = torch.log(x)\nreturn torch.isclose(x, x * 1.000001), torch.isclose(n, n, equal_nan=True), "
                                  "torch.isclose(x, x + 0.1, 0.0, 0.2)", kCube));
}

TEST_CASE("aten::outer / ger / addmv / addr / addbmm / kron / matrix_power / linalg_matrix_power / trace / bilinear",
          "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("outer", "torch.outer(x[0, 0], x[1, 1]) + torch.ger(x[0, 1], x[1, 0])", kCube));
  REQUIRE_VERIFIED(Run("addmv", "torch.addmv(x[0, 0, :3], x[0, :, :3].t(), x[1, :, 0], beta=0.5, alpha=2.0)", kCube));
  REQUIRE_VERIFIED(Run("addr", "torch.addr(x[0], x[1, :, 0], x[1, 0], beta=2.0, alpha=0.5)", kCube));
  REQUIRE_VERIFIED(Run("addbmm", "torch.addbmm(x[0, :, :3], x[:, :, :2], x[:, :2, :3], beta=1.5)", kCube));
  REQUIRE_VERIFIED(Run("kron", "torch.kron(x[0], x[1, :2, :2]) , torch.kron(x, x[0, 0])", kCube));
  REQUIRE_VERIFIED(Run("matrix_power", "m = x[:, :3, :3]\nreturn torch.matrix_power(m, 3), torch.linalg_matrix_power(m, 0), "
                                       "torch.matrix_power(m[0], 6), torch.linalg_matrix_power(m, 1)", kCube));
  REQUIRE_VERIFIED(Run("trace", "torch.trace(x[0]) + torch.trace(x[1, :, :3])", kCube));
  Params p{{"w", {5, 4, 3}}, {"b", {5}}};
  REQUIRE_VERIFIED(Run("bilinear", "torch.bilinear(x, x[..., :3], self.w, self.b), torch.bilinear(x[0], x[1, :, :3], self.w, None)",
                       kCube, p));
}

TEST_CASE("aten::linalg_det / det / logdet / slogdet / linalg_slogdet", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("det", "torch.det(x[:, :3, :3]) + torch.linalg_det(x[0, :2, :2])", kCube));
  REQUIRE_VERIFIED(Run("logdet", "m = x[:, :3, :3]\nreturn torch.logdet(m @ m.mT + torch.eye(3)), torch.slogdet(m), "
                                 "torch.linalg_slogdet(m[0])", kCube));
}

TEST_CASE("aten::lstm_cell / gru_cell / rnn_tanh_cell / rnn_relu_cell (nn.LSTMCell, nn.GRUCell, nn.RNNCell)",
          "[ops][recurrent]") {
  Params p{{"w_ih", {20, 4}}, {"w_hh", {20, 5}}, {"b_ih", {20}}, {"b_hh", {20}}, {"g_ih", {15, 4}}, {"g_hh", {15, 5}},
           {"r_ih", {5, 4}}, {"r_hh", {5, 5}}, {"rb", {5}}};
  std::vector<TensorSpec> in{Shape({3, 4}), Shape({3, 5}), Shape({3, 5})};
  REQUIRE_VERIFIED(Run("lstm_cell", "torch.lstm_cell(x, [y, z], self.w_ih, self.w_hh, self.b_ih, self.b_hh)", in, p));
  REQUIRE_VERIFIED(Run("lstm_cell_nobias", "torch.lstm_cell(x, [y, z], self.w_ih, self.w_hh)", in, p));
  REQUIRE_VERIFIED(Run("gru_cell", "torch.gru_cell(x, y, self.g_ih, self.g_hh, self.b_ih[:15], self.b_hh[:15])", in, p));
  REQUIRE_VERIFIED(Run("gru_cell_nobias", "torch.gru_cell(x, y, self.g_ih, self.g_hh)", in, p));
  REQUIRE_VERIFIED(Run("rnn_cells", "torch.rnn_tanh_cell(x, y, self.r_ih, self.r_hh, self.rb, self.rb) + "
                                    "torch.rnn_relu_cell(x, z, self.r_ih, self.r_hh, self.rb, None)", in, p));
}

TEST_CASE("aten::count_nonzero / nansum / nanmean / aminmax", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("count_nonzero", "torch.count_nonzero(torch.relu(x)), torch.count_nonzero(torch.relu(x), 1), "
                                        "torch.count_nonzero(torch.relu(x), [0, 2])", kCube));
  REQUIRE_VERIFIED(Run("nansum_nanmean", "n = torch.log(x)\nreturn torch.nansum(n), torch.nansum(n, 1), torch.nanmean(n, [0, 2], True), "
                                         "torch.nanmean(x.abs().log())", kCube));
  REQUIRE_VERIFIED(Run("aminmax", "a = torch.aminmax(x)\nb = torch.aminmax(x, dim=1, keepdim=True)\nreturn a[0], a[1], b[0], b[1]", kCube));
}

TEST_CASE("aten::bucketize / searchsorted (left, right, side, batched sequences)", "[ops][reduction]") {
  REQUIRE_VERIFIED(Run("bucketize", "b = torch.tensor([-1.0, 0.0, 0.5, 1.0])\n"
                                    "return torch.bucketize(x, b), torch.bucketize(torch.round(x), b, right=True), "
                                    "torch.bucketize(x, b, out_int32=True)", kCube));
  REQUIRE_VERIFIED(Run("searchsorted", "s = torch.sort(x[0], 1)[0]\n"
                                       "return torch.searchsorted(s, x[1]), torch.searchsorted(s, x[1], right=True), "
                                       "torch.searchsorted(s[0], x, side='right')", kCube));
}

TEST_CASE("aten::_trilinear / _linalg_det / _linalg_slogdet (what torch.export leaves of bilinear, det, slogdet)",
          "[ops][linalg]") {
  Params p{{"w", {2, 4, 3}}};
  REQUIRE_VERIFIED(Run("trilinear", "torch._trilinear(x[0], self.w, x[1, :, :3], [1, 3], [0], [1, 2], [2, 3], 1)", kCube, p));
  REQUIRE_VERIFIED(Run("linalg_det_internal", "d = torch._linalg_det(x[:, :3, :3])\ns = torch._linalg_slogdet(x[0, :3, :3])\n"
                                              "return d[0], s[0], s[1]", kCube));
}

TEST_CASE("aten::block_diag / cartesian_prod / diag_embed", "[ops][layout]") {
  REQUIRE_VERIFIED(Run("block_diag", "torch.block_diag([x[0], x[1, :2, 1], x[1, 0, 0], x[1, 1:, :1]])", kCube));
  REQUIRE_VERIFIED(Run("block_diag_int", "torch.block_diag([(x[0] * 4.0).long(), (x[1, :2] * 4.0).int()])", kCube));
  REQUIRE_VERIFIED(Run("cartesian_prod", "torch.cartesian_prod([x[0, 0], x[1, :2, 1], x[0, 1, :3]])", kCube));
  REQUIRE_VERIFIED(Run("cartesian_prod_one", "torch.cartesian_prod([x[0, 0]])", kCube));
  REQUIRE_VERIFIED(Run("diag_embed", "torch.diag_embed(x)", kCube));
  REQUIRE_VERIFIED(Run("diag_embed_offsets", "torch.diag_embed(x, 2, 0, 2), torch.diag_embed(x[0], -1, -1, 0)", kCube));
  REQUIRE_VERIFIED(Run("diag_embed_bool", "torch.diag_embed(x > 0.0, 1).long()", kCube));
}

// Compared exactly: a step of one unit in the last place is the whole result. The float64
// subnormals are products: ONNX Runtime's optimizer drops an Add of a subnormal constant
// as if it were 0.
TEST_CASE("aten::nextafter: both directions, powers of two, zeros, subnormals, the largest values, inf, NaN, every float dtype",
          "[ops][special]") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const float tiny = std::numeric_limits<float>::denorm_min(), smallest_normal = std::numeric_limits<float>::min(),
              largest = std::numeric_limits<float>::max();
  const std::vector<float> from{0.0f, -0.0f, 1.0f, 1.0f, -1.0f, -1.0f, 2.0f, 0.75f, -8.0f, tiny, tiny, -tiny,
                                smallest_normal, smallest_normal, largest, -largest, inf, -inf, inf, 3.0f, nan, 1.5f};
  const std::vector<float> to{1.0f, -1.0f, 2.0f, 0.0f, -2.0f, 5.0f, -inf, inf, 0.0f, 0.0f, 1.0f, -1.0f,
                              0.0f, 1.0f, inf, -inf, 0.0f, 0.0f, inf, 3.0f, 1.0f, nan};
  const size_t n = from.size();
  VerifyOptions exact;
  exact.tolerance = {0.0, 0.0, true};
  exact.require_nonzero_output = true;
  auto pair = std::vector<TensorSpec>{FloatData({static_cast<int64_t>(n)}, from), FloatData({static_cast<int64_t>(n)}, to)};
  REQUIRE_VERIFIED(RunBody("public_api", "nextafter_edges", "torch.nextafter(x, y)", pair, {}, exact));
  REQUIRE_VERIFIED(RunBody("public_api", "nextafter_random", "torch.nextafter(x * 100.0, y), torch.nextafter(x, x[0])",
                           {Shape({2, 3, 4}), Shape({3, 4})}, {}, exact));
  REQUIRE_VERIFIED(RunBody("public_api", "nextafter_double",
                           "d = x.double()\nreturn torch.nextafter(d, y.double()), torch.nextafter(d * 1e-300 * 1e-23, y.double()), "
                           "torch.nextafter(d * 1e-300, y.double() * 1e300)",
                           pair, {}, exact));
  REQUIRE_VERIFIED(RunBody("public_api", "nextafter_half",
                           "return torch.nextafter(x.half(), y.half()), torch.nextafter(x.to(15), y.to(15))",
                           {FloatData({6}, {1.0f, 65504.0f, 6e-8f, 0.0f, -3.0f, 1024.0f}), FloatData({6}, {2.0f, inf, 0.0f, -1.0f, 0.0f, 0.0f})},
                           {}, exact));
}

TEST_CASE("aten::renorm / frexp / polar / linalg_inv", "[ops][special]") {
  REQUIRE_VERIFIED(Run("renorm", "torch.renorm(x, 2.0, 0, 1.5), torch.renorm(x, 1.0, 2, 2.0), torch.renorm(x, 3.0, -1, 0.5)", kCube));
  REQUIRE_VERIFIED(Run("frexp", "m, e = torch.frexp(x * 1000.0)\nreturn m, e", kCube));
  REQUIRE_VERIFIED(Run("frexp_edges", "m, e = torch.frexp(x)\nreturn m.nan_to_num(7.0, 8.0, -8.0), e",
                       {FloatData({9}, {0.0f, 1.0f, -3.5f, 1e-40f, std::numeric_limits<float>::infinity(),
                                        std::numeric_limits<float>::quiet_NaN(), 0.75f, 3.0e38f, 0.5f})}));
  REQUIRE_VERIFIED(Run("frexp_double", "m, e = torch.frexp(x.double() * 1e-300)\nreturn m, e", kCube));
  REQUIRE_VERIFIED(Run("polar", "torch.view_as_real(torch.polar(x.abs(), x * 3.0))", kCube));
  // Well-conditioned matrices: the identity plus a small random part.
  REQUIRE_VERIFIED(Run("linalg_inv", "a = torch.eye(4) * 2.0 + x[..., :4, :4] * 0.3\nreturn torch.linalg_inv(a)", {Shape({2, 4, 4})}));
  REQUIRE_VERIFIED(Run("linalg_inv_ex", "a = torch.eye(3) + x * 0.2\nr = torch.linalg_inv_ex(a)\nreturn r[0], r[1]", {Shape({3, 3})}));
  REQUIRE_VERIFIED(Run("inverse_small", "torch.inverse(x[0, :2, :2] + torch.eye(2) * 3.0), torch.inverse(x[0, :1, :1] + 2.0)", kCube));
}

TEST_CASE("aten::gcd / lcm: signs, zeros, broadcasting, int32 and uint8 (an ONNX Loop)", "[ops][special]") {
  auto a = IntData({2, 5}, {12, -18, 0, 0, 1071, 7, 1000000007, -36, 5, 9});
  auto b = IntData({5}, {8, 27, 5, 0, 462});
  REQUIRE_VERIFIED(Run("gcd", "torch.gcd(x, y), torch.lcm(x, y)", {a, b}));
  REQUIRE_VERIFIED(Run("gcd_int32", "torch.gcd(x.int(), y.int()), torch.lcm(x.int(), y.int())", {a, b}));
  REQUIRE_VERIFIED(Run("gcd_uint8", "torch.gcd(x.abs().byte(), y.byte())", {IntData({4}, {12, 200, 0, 81}), IntData({4}, {18, 150, 7, 27})}));
  REQUIRE_VERIFIED(Run("gcd_fibonacci", "torch.gcd(x, y)", {IntData({1}, {7540113804746346429}), IntData({1}, {4660046610375530309})}));
}

TEST_CASE("aten::addcmul / addcdiv / isfinite / isposinf / isneginf / sgn / angle / isreal / conj_physical / real",
          "[ops][elementwise]") {
  constexpr float kInf = std::numeric_limits<float>::infinity(), kNaN = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_VERIFIED(Run("addcmul", "torch.addcmul(x, x * 2.0, x + 1.0, value=0.5)", kCube));
  REQUIRE_VERIFIED(Run("addcdiv", "torch.addcdiv(x, x, x.abs() + 1.0, value=-2.0)", kCube));
  REQUIRE_VERIFIED(Run("addcmul_int", "torch.addcmul(x, x, x + 1, value=3)", {IntData({2, 3}, {1, -2, 3, 0, 5, -6})}));
  TensorSpec special = FloatData({2, 4}, {1.5f, kInf, -kInf, kNaN, 0.0f, -2.0f, kInf, 3.0f});
  REQUIRE_VERIFIED(Run("isfinite", "torch.isfinite(x), torch.isposinf(x), torch.isneginf(x), torch.isreal(x)", {special}));
  REQUIRE_VERIFIED(Run("isfinite_int", "torch.isfinite(x), torch.isposinf(x), torch.isneginf(x)", {IntData({3}, {1, -2, 0})}));
  REQUIRE_VERIFIED(Run("sgn_angle", "torch.sgn(x), torch.angle(x).nan_to_num(7.0), torch.conj_physical(x) + torch.real(x)",
                       {special}));
  REQUIRE_VERIFIED(Run("angle_int", "torch.angle(x)", {IntData({4}, {3, -2, 0, -7})}));
}

TEST_CASE("aten::inner / tensordot / vdot / linalg_vecdot / dist / matrix_H", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("inner", "torch.inner(x, y)", {Shape({2, 3, 4}), Shape({5, 4})}));
  REQUIRE_VERIFIED(Run("inner_vectors", "torch.inner(x[0, 0], y[0]), torch.inner(x[0, 0, 0], y)", {Shape({2, 3, 4}), Shape({5, 4})}));
  REQUIRE_VERIFIED(Run("inner_int", "torch.inner(x, x)", {IntData({2, 3}, {1, -2, 3, 4, 0, 5})}));
  REQUIRE_VERIFIED(Run("tensordot", "torch.tensordot(x, y, [1, 2], [0, 1])", {Shape({2, 3, 4}), Shape({3, 4, 5})}));
  REQUIRE_VERIFIED(Run("tensordot_permuted", "torch.tensordot(x, y, [2, 0], [0, 2])", {Shape({2, 3, 4}), Shape({4, 5, 2})}));
  REQUIRE_VERIFIED(Run("tensordot_outer_full", "torch.tensordot(x, y, [], []), torch.tensordot(x, x, [0, 1], [0, 1])",
                       {Shape({2, 3}), Shape({4})}));
  REQUIRE_VERIFIED(Run("tensordot_int", "torch.tensordot(x, x, [1], [1])", {IntData({2, 3}, {1, -2, 3, 4, 0, 5})}));
  REQUIRE_VERIFIED(Run("vdot_vecdot", "torch.vdot(x[0, 0], y[0]), torch.linalg_vecdot(x, y[1]), torch.linalg_vecdot(x, x, dim=1)",
                       {Shape({2, 3, 4}), Shape({5, 4})}));
  REQUIRE_VERIFIED(Run("dist", "torch.dist(x, y), torch.dist(x, y, 1), torch.dist(x, y, 3.5), torch.dist(x, y, 0)",
                       {Shape({2, 3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(Run("matrix_H", "torch.matrix_H(x)", {Shape({3, 5})}));
}

TEST_CASE("aten::take / put / isin / index_reduce / argwhere / msort / sum_to_size", "[ops][indexing]") {
  REQUIRE_VERIFIED(Run("take", "torch.take(x, torch.tensor([[0, 5], [-1, 23]]))", kCube));
  REQUIRE_VERIFIED(Run("put", "x.put(torch.tensor([0, 5, -1]), torch.tensor([9.0, 8.0, 7.0]))", kCube));
  REQUIRE_VERIFIED(Run("put_accumulate", "x.put(torch.tensor([1, 1, 2]), torch.tensor([1.0, 2.0, 3.0]), True)", kCube));
  TensorSpec ints = IntData({2, 4}, {1, 5, 2, 2, 0, 7, 3, 5});
  REQUIRE_VERIFIED(Run("isin", "torch.isin(x, torch.tensor([2, 5, 9])), torch.isin(x, torch.tensor([2, 5]), invert=True), "
                               "torch.isin(x, 7), torch.isin(x, x[1, 0:2].float())", {ints}));
  for (const char* reduce : {"prod", "mean", "amax", "amin"}) {
    std::string self = std::string("x.index_reduce(1, torch.tensor([0, 2, 0]), y, '") + reduce + "')";
    std::string other = std::string("x.index_reduce(0, torch.tensor([1, 1]), y, '") + reduce + "', include_self=False)";
    REQUIRE_VERIFIED(Run(std::string("index_reduce_") + reduce, self + ", " + other, {Shape({2, 3, 4}), Shape({2, 3, 4})}));
  }
  REQUIRE_VERIFIED(Run("index_reduce_int_mean", "x.index_reduce(0, torch.tensor([0, 0, 1]), x * 3 - 4, 'mean')",
                       {IntData({3, 2}, {5, -7, 2, 3, -1, 4})}));
  REQUIRE_VERIFIED(Run("argwhere", "torch.argwhere(x > 0.3)", kCube));
  REQUIRE_VERIFIED(Run("msort", "torch.msort(x), torch.msort(y)", {Shape({5, 3}), IntData({4}, {3, 1, 3, 0})}));
  REQUIRE_VERIFIED(Run("sum_to_size", "x.sum_to_size([3, 1]), x.sum_to_size([2, 1, 4]), x.sum_to_size([4])", kCube));
}

TEST_CASE("aten::hsplit / vsplit / dsplit / fft_fftshift / fft_ifftshift / _safe_softmax and the copy forms of views",
          "[ops][layout]") {
  REQUIRE_VERIFIED(Run("hsplit", "torch.hsplit(x, [1, 3])[1], torch.hsplit(x[0, 0], 2)[1], torch.vsplit(x, 2)[0], "
                                 "torch.vsplit(x, [1])[1], torch.dsplit(x, [1, 2])[2], torch.dsplit(x, 2)[0]", kCube));
  REQUIRE_VERIFIED(Run("fftshift", "ops.aten.fft_fftshift(x), ops.aten.fft_ifftshift(x), ops.aten.fft_fftshift(x, [1]), "
                                   "ops.aten.fft_ifftshift(x, [0, 2])", {Shape({3, 5, 4})}));
  constexpr float kInf = std::numeric_limits<float>::infinity();
  REQUIRE_VERIFIED(Run("safe_softmax", "ops.aten._safe_softmax(x, -1), ops.aten._safe_softmax(x, 0)",
                       {FloatData({2, 3}, {-kInf, -kInf, -kInf, 1.0f, 2.0f, -kInf})}));
  REQUIRE_VERIFIED(Run("copies", "torch.narrow_copy(x, 1, 1, 2), ops.aten.unfold_copy(x, 2, 2, 1), "
                                 "ops.aten.as_strided_copy(x, [2, 2], [1, 3]), torch.trapz(x), torch.trapz(x, x.cumsum(2)), "
                                 "torch.linalg_diagonal(x), ops.aten.linalg_diagonal(x, offset=1, dim1=0, dim2=2)", kCube));
}

TEST_CASE("aten::mvlgamma / special_multigammaln (p = 1, 2, 5)", "[ops][special]") {
  REQUIRE_VERIFIED(Run("mvlgamma", "torch.mvlgamma(x.abs() + 3.0, 5), torch.mvlgamma(x + 2.0, 1), "
                                   "torch.mvlgamma(x.double().abs() + 1.0, 2)", kCube));
}

TEST_CASE("aten::diagflat / diagonal_scatter / nonzero_static / combinations / linalg_vander / logspace",
          "[ops][layout]") {
  REQUIRE_VERIFIED(Run("diagflat", "torch.diagflat(x[0]), torch.diagflat(x[1, 0], 2), torch.diagflat(x[0, :, :2], -1)", kCube));
  REQUIRE_VERIFIED(Run("diagonal_scatter", "torch.diagonal_scatter(x, y), torch.diagonal_scatter(x, y.t()[:, :3] * 3.0, 1, 1, 2), "
                                           "torch.diagonal_scatter(x, y[:2, :2], -2, -1, 1)", {Shape({2, 3, 4}), Shape({4, 2})}));
  REQUIRE_VERIFIED(Run("nonzero_static", "torch.nonzero_static(x > 0.0, size=30), torch.nonzero_static(x > 0.0, size=2, fill_value=7), "
                                         "torch.nonzero_static(x[0, 0, 0] > -9.0, size=3)", kCube));
  REQUIRE_VERIFIED(Run("combinations", "torch.combinations(x[0, 0]), torch.combinations(x[0, 0], 3), "
                                       "torch.combinations(x[1, 1], 2, True)", kCube));
  REQUIRE_VERIFIED(Run("vander", "torch.linalg_vander(x[0]), torch.linalg_vander(x[1], N=6), torch.linalg_vander(y)",
                       {Shape({2, 3, 4}), IntData({3}, {2, -3, 0})}));
  REQUIRE_VERIFIED(Run("logspace", "torch.logspace(x[0, 0, 0], x[0, 0, 1] + 2.0, 5) + torch.logspace(-1.0, 2.0, 4, 2.0).sum()",
                       kCube));
}
