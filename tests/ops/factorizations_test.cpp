// LU, Cholesky and triangular solves unrolled for static sizes
// (translators/aten/factorizations.cpp), compared between libtorch (LAPACK) and ONNX
// Runtime: pivoting, zero pivots and their info, vector and batched right-hand sides,
// left=False, float64; the inverses built on LU.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs) {
  return RunBody("factorizations", name, body, std::move(inputs));
}

const std::vector<TensorSpec> kSystems{Shape({3, 4, 4}), Shape({3, 4, 2})};

}  // namespace

TEST_CASE("aten::linalg_lu_factor / lu_factor_ex / linalg_lu: LAPACK's pivots, zero pivots", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("lu_factor", "lu, pivots = torch.linalg_lu_factor(x)\nreturn lu, pivots", kSystems));
  // Column 1 vanishes: the second pivot is 0, LAPACK reports info = 2 and leaves it unscaled.
  REQUIRE_VERIFIED(Run("lu_factor_ex", "lu, pivots, info = torch.linalg_lu_factor_ex(x * torch.tensor([1.0, 0.0, 1.0, 1.0]))\n"
                                       "lu2, pivots2, info2 = torch.linalg_lu_factor_ex(x.double())\n"
                                       "return lu, pivots, info, lu2, pivots2, info2 + 1",
                       kSystems));
  REQUIRE_VERIFIED(Run("lu", "p, l, u = torch.linalg_lu(x)\nreturn p, l, u", kSystems));
  // Non-square: min(m, n) steps, L [m, k] and U [k, n].
  REQUIRE_VERIFIED(Run("lu_rectangular",
                       "lu, pivots = torch.linalg_lu_factor(x)\n"
                       "p, l, u = torch.linalg_lu(x)\n"
                       "pw, lw, uw = torch.linalg_lu(x.mT)\n"
                       "lu2, pivots2, info = torch.linalg_lu_factor_ex(x.mT.double())\n"
                       "P, L, U = torch.lu_unpack(lu, pivots)\n"
                       "return lu, pivots, p, l, u, pw, lw, uw, lu2, pivots2, info, P, L, U",
                       {Shape({3, 6, 4})}));
}

TEST_CASE("aten::linalg_solve / solve_ex / lu_solve: matrix and vector right-hand sides, left=False, broadcasting",
          "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("solve", "a = x + torch.eye(4) * 3.0\n"
                                "return torch.linalg_solve(a, y), torch.linalg_solve(a, y[..., 0]), "
                                "torch.linalg_solve(a, y.mT, left=False), torch.linalg_solve(a[0], y), "
                                "torch.linalg_solve(a.double(), y.double())",
                       kSystems));
  REQUIRE_VERIFIED(Run("solve_ex", "r, info = torch.linalg_solve_ex(x + torch.eye(4) * 3.0, y)\nreturn r, info + 1", kSystems));
  REQUIRE_VERIFIED(Run("lu_solve", "lu, pivots = torch.linalg_lu_factor(x + torch.eye(4) * 2.0)\n"
                                   "return torch.linalg_lu_solve(lu, pivots, y), torch.linalg_lu_solve(lu, pivots, y, adjoint=True), "
                                   "torch.linalg_lu_solve(lu, pivots, y.mT, left=False), "
                                   "torch.linalg_lu_solve(lu, pivots, y.mT, left=False, adjoint=True)",
                       kSystems));
}

TEST_CASE("aten::linalg_solve_triangular: upper, lower, left=False, unitriangular", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("solve_triangular",
                       "u = x + torch.eye(4) * 4.0\n"
                       "return torch.linalg_solve_triangular(u, y, upper=True), "
                       "torch.linalg_solve_triangular(u, y, upper=False), "
                       "torch.linalg_solve_triangular(u, y.mT, upper=True, left=False), "
                       "torch.linalg_solve_triangular(x, y, upper=False, unitriangular=True)",
                       kSystems));
}

TEST_CASE("aten::linalg_cholesky / cholesky_ex: lower, upper, not positive-definite", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("cholesky", "spd = x @ x.mT + torch.eye(4)\n"
                                   "return torch.linalg_cholesky(spd), torch.linalg_cholesky(spd, upper=True), "
                                   "torch.linalg_cholesky(spd.double())",
                       kSystems));
  REQUIRE_VERIFIED(Run("cholesky_ex", "spd = x @ x.mT + torch.eye(4)\n"
                                      "l, info = torch.linalg_cholesky_ex(spd)\n"
                                      "return l, info + 1, torch.linalg_cholesky_ex(-spd)[1]",
                       kSystems));
}

TEST_CASE("inverses by LU: linalg_inv above 8x8, inv_ex info, matrix_power n < 0, cholesky_inverse, tensorinv",
          "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("inverse_lu",
                       "a = x + torch.eye(12) * 4.0\n"
                       "inv, info = torch.linalg_inv_ex(a * torch.tensor([1.0] * 5 + [0.0] + [1.0] * 6))\n"
                       "return torch.linalg_inv(a), torch.linalg_inv(a.double()), info + 1, "
                       "torch.linalg_matrix_power(a, -3), torch.matrix_power(a[0, :4, :4], -1)",
                       {Shape({2, 12, 12})}));
  REQUIRE_VERIFIED(Run("cholesky_inverse",
                       "spd = x @ x.mT + torch.eye(4)\n"
                       "return torch.cholesky_inverse(torch.linalg_cholesky(spd)), "
                       "torch.cholesky_inverse(torch.linalg_cholesky(spd, upper=True), upper=True), "
                       "torch.cholesky_inverse(torch.linalg_cholesky(spd.double()))",
                       kSystems));
  REQUIRE_VERIFIED(Run("tensorinv",
                       "a = x.reshape(4, 2, 8) + torch.eye(8).reshape(4, 2, 8) * 3.0\n"
                       "return torch.linalg_tensorinv(a, 2), torch.linalg_tensorinv(a.reshape(8, 8) + 0.0, 1)",
                       {Shape({64})}));
}

TEST_CASE("aten::linalg_eigvalsh / linalg_eigh: Jacobi sweeps, both triangles, sizes 1 to 32", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("eigh",
                       "L, V = torch.linalg_eigh(x + x.mT)\n"
                       "Lu, Vu = torch.linalg_eigh(x.double(), UPLO='U')\n"
                       "return L, Lu, torch.linalg_eigvalsh(x)",
                       {Shape({3, 5, 5})}));
  REQUIRE_VERIFIED(Run("eigvalsh_sizes",
                       "return torch.linalg_eigvalsh(x[..., :1, :1]), torch.linalg_eigvalsh(x[..., :2, :2]), "
                       "torch.linalg_eigvalsh(x[..., :8, :8], 'U'), torch.linalg_eigvalsh(x.double()), torch.linalg_eigvalsh(x)",
                       {Shape({2, 32, 32})}));
  // Eigenvectors, unique only up to sign, are refused wherever the graph reads them.
  for (const char* body : {"L, V = torch.linalg_eigh(x)\nreturn L, V.abs()", "return torch.linalg_eigh(x)"}) {
    ConvertResult r = Run("eigh_vectors", body, {Shape({2, 4, 4})});
    REQUIRE_FALSE(r.ok);
    CHECK_THAT(r.error, ContainsText("unique only up to sign"));
  }
}

TEST_CASE("singular values by one-sided Jacobi: linalg_svdvals, svd's S, matrix_norm 2 / -2 / nuc, linalg_cond", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("svdvals",
                       "U, S, Vh = torch.linalg_svd(x, full_matrices=False)\n"
                       "return torch.linalg_svdvals(x), torch.linalg_svdvals(x.mT), S, torch.svd(x.double())[1], "
                       "torch.linalg_svdvals(x[..., :1, :]), torch.linalg_svdvals(x[..., :3, :3] * torch.tensor([1.0, 0.0, 1.0]))",
                       {Shape({3, 6, 4})}));
  // compute_uv=False: aten::svd's U and V are zeros of the full shapes, _linalg_svd's empty.
  VerifyOptions zeros_allowed;
  zeros_allowed.require_nonzero_output = false;
  REQUIRE_VERIFIED(RunBody("factorizations", "svd_no_uv",
                           "u, s, v = torch.svd(x, compute_uv=False)\n"
                           "u2, s2, vh2 = torch._linalg_svd(x, compute_uv=False)\n"
                           "return u + 1.0, s, v, u2.shape[0], s2, vh2.numel()",
                           {Shape({3, 6, 4})}, {}, zeros_allowed));
  REQUIRE_VERIFIED(Run("svdvals_sizes", "return torch.linalg_svdvals(x), torch.linalg_svdvals(x.double().mT[..., :5, :])",
                       {Shape({2, 40, 32})}));
  REQUIRE_VERIFIED(Run("matrix_norm_singular",
                       "return torch.linalg_matrix_norm(x, 2), torch.linalg_matrix_norm(x, -2), torch.linalg_matrix_norm(x, 'nuc'), "
                       "torch.linalg_matrix_norm(x, 2, dim=(0, 2), keepdim=True), torch.linalg_norm(x.double(), 'nuc', dim=(2, 1))",
                       {Shape({3, 5, 4})}));
  REQUIRE_VERIFIED(Run("cond",
                       "s = x * torch.tensor([1.0, 0.0, 1.0, 1.0])\n"
                       "return torch.linalg_cond(x), torch.linalg_cond(x, -2), torch.linalg_cond(x.double(), 'fro'), "
                       "torch.linalg_cond(x, 'nuc'), torch.linalg_cond(x, float('inf')), torch.linalg_cond(x, 1), "
                       "torch.linalg_cond(x, -1), torch.linalg_cond(x[:, :3, :], 2), torch.isinf(torch.linalg_cond(s, 'fro'))",
                       {Shape({3, 4, 4})}));
  // The singular vectors, unique only up to sign, are refused wherever the graph reads them.
  for (const char* body : {"U, S, Vh = torch.linalg_svd(x)\nreturn S, U.abs()", "return torch.svd(x)"}) {
    ConvertResult r = Run("svd_vectors", body, {Shape({2, 4, 3})});
    REQUIRE_FALSE(r.ok);
    CHECK_THAT(r.error, ContainsText("unique only up to sign"));
  }
  ConvertResult large = Run("svdvals_large", "return torch.linalg_svdvals(x)", {Shape({40, 40})});
  REQUIRE_FALSE(large.ok);
  CHECK_THAT(large.error, ContainsText("smaller side is at most 32"));
}

TEST_CASE("linalg_matrix_rank and linalg_pinv / pinverse from one-sided Jacobi: tolerances, hermitian, tall and wide",
          "[ops][linalg]") {
  // Two columns zeroed: rank 3 of 5, the pseudoinverse's threshold drops the zero singular values.
  REQUIRE_VERIFIED(Run("matrix_rank",
                       "d = x * torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0])\n"
                       "return torch.linalg_matrix_rank(x), torch.linalg_matrix_rank(d), torch.linalg_matrix_rank(d.double()), "
                       "torch.linalg_matrix_rank(x, atol=1.0), torch.linalg_matrix_rank(x, atol=0.5, rtol=0.3), "
                       "torch.linalg_matrix_rank(x, hermitian=True), torch.linalg_matrix_rank(x.mT[..., :3, :]), "
                       "torch.linalg_matrix_rank(x, rtol=torch.tensor([0.1, 0.5, 0.9]))",
                       {Shape({3, 5, 5})}));
  REQUIRE_VERIFIED(Run("pinv",
                       "d = x[..., :5] * torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0])\n"
                       "return torch.linalg_pinv(x), torch.linalg_pinv(x.mT), torch.linalg_pinv(d), torch.linalg_pinv(x.double()), "
                       "torch.linalg_pinv(x[..., :5], hermitian=True), torch.linalg_pinv(x, atol=1.0), "
                       "torch.linalg_pinv(x, rtol=0.4), torch.pinverse(x), torch.pinverse(x, 0.3)",
                       {Shape({3, 5, 7})}));
}

TEST_CASE("Householder QR with LAPACK's signs: linalg_qr (reduced, complete, r), qr, geqrf, householder_product",
          "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("qr",
                       "q, r = torch.linalg_qr(x)\n"
                       "qc, rc = torch.linalg_qr(x, mode='complete')\n"
                       "qw, rw = torch.linalg_qr(x.mT)\n"
                       "q2, r2 = torch.qr(x.double(), some=False)\n"
                       "return q, r, qc, rc, torch.linalg_qr(x, mode='r')[1], qw, rw, q2, r2",
                       {Shape({3, 6, 4})}));
  // A zero column below the diagonal reflects nothing (tau = 0), as LAPACK's dlarfg.
  REQUIRE_VERIFIED(Run("qr_zero_column",
                       "z = x * torch.tensor([0.0, 1.0, 1.0, 1.0])\n"
                       "q, r = torch.linalg_qr(z)\n"
                       "a, tau = torch.geqrf(z)\n"
                       "return q, r, a, tau",
                       {Shape({2, 4, 4})}));
  REQUIRE_VERIFIED(Run("householder_product",
                       "a, tau = torch.geqrf(x)\n"
                       "return a, tau, torch.linalg_householder_product(a, tau), torch.orgqr(a, tau), "
                       "torch.linalg_householder_product(a[..., :3], tau[..., :2])",
                       {Shape({3, 7, 5})}));
  REQUIRE_VERIFIED(Run("qr_large", "q, r = torch.linalg_qr(x)\nreturn q, r", {Shape({40, 32})}));
}

TEST_CASE("the older spellings: cholesky, cholesky_solve, lu (_lu_with_info), lu_solve, lu_unpack, triangular_solve, ormqr",
          "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("old_cholesky",
                       "spd = x @ x.mT + torch.eye(4)\n"
                       "l = torch.cholesky(spd)\n"
                       "u = torch.cholesky(spd, upper=True)\n"
                       "return l, u, torch.cholesky_solve(y, l), torch.cholesky_solve(y, u, upper=True), "
                       "torch.cholesky_solve(y.double(), l.double())",
                       kSystems));
  REQUIRE_VERIFIED(Run("old_lu",
                       "lu, pivots, info0 = torch._lu_with_info(x)\n"
                       "lu2, pivots2, info = torch._lu_with_info(x * torch.tensor([1.0, 0.0, 1.0, 1.0]), check_errors=False)\n"
                       "p, l, u = torch.lu_unpack(lu, pivots)\n"
                       "return lu, pivots, lu2, info, torch.lu_solve(y, lu, pivots), p, l, u, "
                       "torch.lu_unpack(lu, pivots, unpack_data=False)[0]",
                       kSystems));
  REQUIRE_VERIFIED(Run("old_triangular_solve",
                       "a = x + torch.eye(4) * 3.0\n"
                       "s, c = torch.triangular_solve(y, a)\n"
                       "return s, c, torch.triangular_solve(y, a, upper=False)[0], "
                       "torch.triangular_solve(y, a, transpose=True)[0], torch.triangular_solve(y, a, False, True, True)[0]",
                       kSystems));
  REQUIRE_VERIFIED(Run("ormqr",
                       "a, tau = torch.geqrf(x)\n"
                       "c = x[..., :3].mT\n"
                       "return torch.ormqr(a, tau, x), torch.ormqr(a, tau, x, transpose=True), "
                       "torch.ormqr(a, tau, c, left=False), torch.ormqr(a, tau, c, left=False, transpose=True), "
                       "torch.ormqr(a[..., :2], tau[..., :2], x.double().double().float())",
                       {Shape({3, 5, 5})}));
}

// Rank-deficient only with gelsd: LAPACK's gelsy (the CPU default) misjudges the rank of a
// matrix with a zero column (rank 1 of 3 here, differing between equal batch entries).
TEST_CASE("linalg_lstsq: the minimum-norm least-squares solution, tall, wide, rank-deficient, drivers", "[ops][linalg]") {
  REQUIRE_VERIFIED(Run("lstsq",
                       "d = x * torch.tensor([1.0, 0.0, 1.0, 1.0])\n"
                       "s = torch.linalg_lstsq(x, y)\n"
                       "w = torch.linalg_lstsq(x.mT[..., :3, :], y[..., :3, :])\n"
                       "g = torch.linalg_lstsq(x.double(), y.double(), driver='gelsd')\n"
                       "r = torch.linalg_lstsq(d, y, rcond=1e-4, driver='gelsd')\n"
                       "return s.solution, s.rank, w.solution, g.solution, g.rank, g.singular_values, r.solution, r.rank, "
                       "torch.linalg_lstsq(x, y, driver='gels').solution",
                       {Shape({3, 6, 4}), Shape({3, 6, 2})}));
}

TEST_CASE("linalg_matrix_exp: scaling and squaring, per-matrix squarings, float64", "[ops][linalg]") {
  // Norms from about 0.1 to 40: no squaring up to many, differing within the batch.
  REQUIRE_VERIFIED(Run("matrix_exp",
                       "s = x * torch.tensor([0.05, 0.5, 3.0]).reshape(3, 1, 1)\n"
                       "return torch.linalg_matrix_exp(s), torch.linalg_matrix_exp(s[0, :1, :1]), "
                       "torch.linalg_matrix_exp(torch.zeros_like(s))",
                       {Shape({3, 5, 5})}));
  // float64 at 1e-12: a Taylor polynomial of degree 6 instead of 18 fails it.
  VerifyOptions tight;
  tight.tolerance = {1e-13, 1e-12, true};
  REQUIRE_VERIFIED(RunBody("factorizations", "matrix_exp_double",
                           "s = x.double() * torch.tensor([0.05, 0.5, 3.0]).double().reshape(3, 1, 1)\n"
                           "return torch.matrix_exp(s), torch.linalg_matrix_exp(s * 2.0)",
                           {Shape({3, 5, 5})}, {}, tight));
}
