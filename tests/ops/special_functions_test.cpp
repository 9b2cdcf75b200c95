// torch.special's orthogonal polynomials and Bessel-type functions
// (translators/aten/orthogonal_polynomials.cpp, bessel.cpp), compared between libtorch and
// ONNX Runtime over the values each kernel special-cases: the interval ends, the degrees
// where it switches to trigonometric forms, negative and truncated degrees, the branch
// points of the series.
#include <limits>

#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

ConvertResult Run(const std::string& name, const std::string& body, std::vector<TensorSpec> inputs,
                  VerifyOptions options = {}) {
  return RunBody("special_functions", name, body, std::move(inputs), {}, std::move(options));
}

// x: the interval ends of both the plain (+-1) and the shifted (0, 1) polynomials, points
// inside and outside; n: negative, 0 and 1, the recurrence, the trigonometric forms past 4,
// 6 and 8, and a fractional degree that truncates.
const std::vector<TensorSpec> kPoints{
    FloatData({3, 15}, {1.0f,  -1.0f, 0.0f,  0.5f,  -0.5f, 1.5f,  -1.5f, 2.0f,  -2.0f, 0.99f, -0.99f, 0.3f, -0.3f, 0.75f, 0.25f,
                        0.9f,  -0.7f, 0.1f,  -0.1f, 1.1f,  -1.1f, 0.6f,  -0.6f, 0.45f, 0.15f, 0.85f, 1.2f, -0.2f, 0.05f, 0.95f,
                        -1.0f, 1.0f,  0.0f,  1.0f,  0.0f,  0.2f,  0.8f,  -0.4f, 0.4f,  1.3f,  -1.3f, 0.65f, 0.35f, 0.55f, -0.9f}),
    FloatData({15}, {-1.0f, 0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 5.7f})};

}  // namespace

TEST_CASE("aten::special_chebyshev_polynomial_t / u / v / w and their shifted forms", "[ops][special]") {
  for (std::string kind : {"t", "u", "v", "w"}) {
    REQUIRE_VERIFIED(Run("chebyshev_" + kind,
                         "return torch.special_chebyshev_polynomial_" + kind + "(x, y), torch.special_chebyshev_polynomial_" +
                             kind + "(x, 3), torch.special_chebyshev_polynomial_" + kind + "(0.5, y)",
                         kPoints));
    REQUIRE_VERIFIED(Run("shifted_chebyshev_" + kind,
                         "return torch.special_shifted_chebyshev_polynomial_" + kind +
                             "(x, y), torch.special_shifted_chebyshev_polynomial_" + kind + "(x, 9)",
                         kPoints));
  }
}

TEST_CASE("aten::special_hermite_polynomial_h / he, laguerre_polynomial_l, legendre_polynomial_p", "[ops][special]") {
  REQUIRE_VERIFIED(Run("hermite", "return torch.special_hermite_polynomial_h(x, y), torch.special_hermite_polynomial_he(x, y)",
                       kPoints));
  // Past degree 128 PyTorch's float32 kernel gives NaN; integer degrees promote to float32.
  REQUIRE_VERIFIED(Run("hermite_limit", "return torch.special_hermite_polynomial_h(x * 0.01, y * 11.0), "
                                        "torch.special_hermite_polynomial_he(x, z)",
                       {kPoints[0], kPoints[1], IntData({15}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 129, 130, -3})}));
  REQUIRE_VERIFIED(Run("laguerre_legendre", "return torch.special_laguerre_polynomial_l(x, y), "
                                            "torch.special_legendre_polynomial_p(x, y), torch.special_legendre_polynomial_p(x, 4)",
                       kPoints));
}

TEST_CASE("aten::i0 / special_i0e / special_i1 / special_i1e / special_modified_bessel_i0 / i1", "[ops][special]") {
  // Both series of each function (|x| <= 8 and beyond), both signs.
  std::vector<TensorSpec> in{FloatData({2, 8}, {0.0f, 0.5f, -1.5f, 3.0f, -7.9f, 8.0f, 8.5f, -12.0f,
                                                20.0f, -30.0f, 2.5f, -0.25f, 6.0f, 50.0f, -5.0f, 1.0f})};
  REQUIRE_VERIFIED(Run("bessel_i", "return torch.i0(x), torch.special_i0e(x), torch.special_i1(x), torch.special_i1e(x), "
                                   "torch.special_modified_bessel_i0(x), torch.special_modified_bessel_i1(x)",
                       in));
}

TEST_CASE("aten::special_bessel_j0 / j1 / y0 / y1", "[ops][special]") {
  // 0 (-inf for Y), negative (NaN for Y, even J0, odd J1), both sides of 5, tiny and large.
  std::vector<TensorSpec> in{FloatData({2, 8}, {0.0f, -1.0f, 1e-6f, 0.5f, 2.4f, 4.99f, 5.0f, 5.5f,
                                                -7.0f, 12.0f, 3.8f, 40.0f, -0.3f, 9.0f, 1.5f, 100.0f})};
  REQUIRE_VERIFIED(Run("bessel_jy", "return torch.special_bessel_j0(x), torch.special_bessel_j1(x), "
                                    "torch.special_bessel_y0(x), torch.special_bessel_y1(x)",
                       in));
}

TEST_CASE("aten::special_modified_bessel_k0 / k1, scaled_modified_bessel_k0 / k1, spherical_bessel_j0, ndtri",
          "[ops][special]") {
  // 0 (inf), negative (NaN), both sides of 2, large arguments.
  std::vector<TensorSpec> in{FloatData({2, 8}, {0.0f, -1.0f, 0.1f, 1.0f, 1.99f, 2.0f, 2.5f, 7.0f,
                                                30.0f, 0.5f, 4.0f, 12.0f, 0.01f, 3.3f, 1.5f, 60.0f})};
  REQUIRE_VERIFIED(Run("bessel_k", "return torch.special_modified_bessel_k0(x), torch.special_modified_bessel_k1(x), "
                                   "torch.special_scaled_modified_bessel_k0(x), torch.special_scaled_modified_bessel_k1(x)",
                       in));
  REQUIRE_VERIFIED(Run("spherical_j0", "return torch.special_spherical_bessel_j0(x - 3.0), "
                                       "torch.special_spherical_bessel_j0(x * 0.02), torch.special_spherical_bessel_j0(x / 0.0) + x",
                       in));
  // The central approximation, both tails, the ends and outside [0, 1].
  std::vector<TensorSpec> p{FloatData({2, 8}, {0.0f, 1.0f, 0.5f, 0.2f, 0.8f, 0.1f, 0.9f, 1e-3f,
                                               0.999f, 1e-20f, 0.3f, -0.1f, 1.5f, 0.6f, 0.13f, 0.87f})};
  REQUIRE_VERIFIED(Run("ndtri", "return torch.special_ndtri(x)", p));
}

TEST_CASE("aten::special_zeta, polygamma", "[ops][special]") {
  // x: 1 (inf), below 1 (NaN), integer and not; q: positive, a nonpositive integer (inf),
  // negative non-integers (NaN for non-integer x, else the longer direct sum), past 9.
  std::vector<TensorSpec> in{FloatData({2, 8}, {2.0f, 3.0f, 1.0f, 0.5f, 4.5f, 2.0f, 3.0f, 6.0f,
                                                1.5f, 2.0f, 30.0f, 2.0f, 5.0f, 3.0f, 1.01f, 2.5f}),
                             FloatData({2, 8}, {1.0f, 0.5f, 2.0f, 1.0f, 1e-3f, -2.0f, -3.5f, -12.25f,
                                                12.0f, 100.0f, 0.7f, 9.0f, -0.5f, 2.5f, 1.0f, -1.5f})};
  // Computed as the kernel does, in float64: a few float32 ulps at most.
  VerifyOptions tight;
  tight.tolerance = {1e-6, 1e-6, true};
  REQUIRE_VERIFIED(Run("zeta", "return torch.special_zeta(x, y), torch.special_zeta(x.double(), y.double()), "
                               "torch.special_zeta(x, 2.0), torch.special_zeta(3.0, y)",
                       in, tight));
  // n = 0 (digamma), 1 (trigamma: the reflection below 0.5), 2, 3, 5 (zeta).
  std::vector<TensorSpec> x{FloatData({2, 8}, {0.1f, 0.5f, 1.0f, 2.5f, 7.0f, 20.0f, -0.5f, -2.3f,
                                               0.3f, 1.7f, 3.0f, 0.05f, 12.0f, -1.25f, 4.4f, 0.9f})};
  REQUIRE_VERIFIED(Run("polygamma", "return torch.polygamma(0, x), torch.polygamma(1, x), torch.polygamma(2, x), "
                                    "torch.special_polygamma(3, x), torch.polygamma(5, x.double())",
                       x, tight));
}

TEST_CASE("aten::special_erfcx, special_log_ndtr", "[ops][special]") {
  // 0, tiny, the interval polynomials, both sides of 50 and 5e7 (the continued fraction),
  // below -6.1 and -26.7 (inf), and log_ndtr on both sides of -1, deep in both tails.
  std::vector<TensorSpec> in{FloatData({3, 8}, {0.0f,   1e-9f, 0.3f,  1.0f,   3.7f,  12.0f, 49.9f,  50.5f,
                                                1e3f,   6e7f,  -0.2f, -1.0f,  -3.0f, -6.0f, -6.2f,  -9.0f,
                                                -30.0f, 2.0f,  -1.5f, -0.99f, 8.0f,  -12.0f, -40.0f, 25.0f})};
  VerifyOptions tight;
  tight.tolerance = {1e-12, 1e-6, true};
  REQUIRE_VERIFIED(Run("erfcx", "return torch.special_erfcx(x), torch.special_erfcx(x.double() * 0.5), "
                                "torch.special_log_ndtr(x), torch.special_log_ndtr(x.double())",
                       in, tight));
}

TEST_CASE("aten::special_airy_ai", "[ops][special]") {
  // Both asymptotic forms (beyond +-2.09), the series between (0, both ends), past 8.32
  // and 103.892 (0), and +-inf (NaN).
  std::vector<TensorSpec> in{FloatData({2, 8}, {0.0f, 1.0f, -1.0f, 2.08f, 2.1f, -2.08f, -2.1f, 5.0f,
                                                9.0f, -7.5f, -30.0f, 104.0f, 0.5f, -0.4f, 1.0f / 0.0f, -1.0f / 0.0f})};
  VerifyOptions tight;
  tight.tolerance = {1e-9, 1e-6, true};
  REQUIRE_VERIFIED(Run("airy_ai", "return torch.special_airy_ai(x), torch.special_airy_ai(x.double())", in, tight));
}

// a and x over every branch of PyTorch's kernel: the power series of P, the small-x series
// of Q (both sides of -0.4 / log x and 1.1 x), the continued fraction, the region where
// the kernel uses Temme's expansion (20 < a < 200 with x within 30% of a; a > 200 within
// 4.5 sqrt(a)), and the special cases (0, inf, negative, NaN).
TEST_CASE("aten::igamma / igammac / special_gammainc / special_gammaincc", "[ops][special]") {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<TensorSpec> in{
      FloatData({4, 10}, {0.5f,  1.0f,  2.5f,   0.01f,  0.3f,   3.0f,   1e-3f,  0.9f,   5.0f,   10.0f,
                          25.0f, 60.0f, 150.0f, 199.0f, 250.0f, 1e3f,   4e3f,   1e4f,   1e4f,   30.0f,
                          0.2f,  0.7f,  2.0f,   1.5f,   40.0f,  100.0f, 0.05f,  7.0f,   3.5f,   12.0f,
                          0.0f,  0.0f,  inf,    inf,    2.0f,   2.0f,   -1.0f,  nan,    2.0f,   1e-6f}),
      FloatData({4, 10}, {0.3f,  2.0f,  1.0f,   0.2f,   0.45f,  0.8f,   0.4f,   1.05f,  12.0f,  3.0f,
                          28.0f, 50.0f, 170.0f, 190.0f, 260.0f, 1010.0f, 3900.0f, 1.0025e4f, 9.8e3f, 45.0f,
                          1.08f, 0.9f,  5.0f,   0.6f,   80.0f,  40.0f,  0.01f,  30.0f,  1.2f,   11.0f,
                          1.0f,  0.0f,  1.0f,   inf,    0.0f,   inf,    1.0f,   1.0f,   nan,    0.5f})};
  REQUIRE_VERIFIED(Run("igamma", "return torch.igamma(x, y), torch.igammac(x, y), torch.special_gammainc(x, y * 0.5), "
                                 "torch.special_gammaincc(x * 2.0, y)",
                       in));
  // float64: where the kernel uses Temme's expansion its float64 values are good to about
  // 1e-9 relative (ours, from the series, agree with 40-digit mpmath to 1e-15: P(25, 28) =
  // 0.740095812922737 where PyTorch gives 0.7400958126183), elsewhere to rounding.
  VerifyOptions tight;
  tight.tolerance = {1e-12, 5e-9, true};
  REQUIRE_VERIFIED(Run("igamma_double", "return torch.igamma(x.double(), y.double()), torch.igammac(x.double(), y.double())",
                       in, tight));
  // Random operands, also in half precision.
  REQUIRE_VERIFIED(Run("igamma_random", "return torch.igamma(x.abs() * 4.0, y.abs() * 4.0), torch.igammac(x.abs() * 30.0, 30.0 + y * 5.0), "
                                        "torch.igamma(x.abs().half() * 3.0, y.abs().half())",
                       {Shape({3, 8}), Shape({3, 8})}));
}
