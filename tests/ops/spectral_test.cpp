// torch.fft, torch.stft and complex tensors (translators/aten/spectral.cpp): verified at
// the first and last opset of both DFT forms (17 and 19: axis attribute; 20 and 26: input).
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

TEST_CASE("torch.fft.rfft / irfft / fft / ifft with every norm, n padding and trimming", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "rfft_abs", "torch.fft_rfft(x).abs()", {Shape({2, 16})}));
  REQUIRE_VERIFIED(RunBody("spectral", "rfft_odd_forward", "torch.view_as_real(torch.fft_rfft(x, norm='forward'))",
                           {Shape({3, 2, 15})}));
  REQUIRE_VERIFIED(RunBody("spectral", "fft_ortho_dim", "torch.view_as_real(torch.fft_fft(x, dim=1, norm='ortho'))",
                           {Shape({2, 12, 3})}));
  REQUIRE_VERIFIED(RunBody("spectral", "fft_n", "torch.view_as_real(torch.fft_fft(x, n=20)) + torch.fft_rfft(x, n=10).abs().sum()",
                           {Shape({2, 16})}));
  REQUIRE_VERIFIED(RunBody("spectral", "irfft_roundtrip", "torch.fft_irfft(torch.fft_rfft(x * 3), n=16) - x", {Shape({2, 16})},
                           {}, [] {
                             VerifyOptions o;
                             o.require_nonzero_output = false;  // the round trip is ~0 by design
                             return o;
                           }()));
  REQUIRE_VERIFIED(RunBody("spectral", "irfft_default_n", "torch.fft_irfft(torch.fft_fft(x)[:, :7], norm='ortho')", {Shape({2, 12})}));
  REQUIRE_VERIFIED(RunBody("spectral", "ifft_real", "torch.view_as_real(torch.fft_ifft(x, norm='backward') * 5)", {Shape({4, 9})}));
}

TEST_CASE("torch.fft n-dimensional forms: fft2, ifft2, rfft2, irfft2, fftn, rfftn, irfftn", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "fft2_ifft2", "torch.view_as_real(torch.fft_ifft2(torch.fft_fft2(x) * 2))", {Shape({2, 6, 8})}));
  REQUIRE_VERIFIED(RunBody("spectral", "rfft2_irfft2", "torch.fft_irfft2(torch.fft_rfft2(x) * 1.5, s=[6, 8])", {Shape({2, 6, 8})}));
  REQUIRE_VERIFIED(RunBody("spectral", "fftn_dims", "torch.view_as_real(torch.fft_fftn(x, dim=[0, 2], norm='ortho'))",
                           {Shape({3, 2, 5})}));
  REQUIRE_VERIFIED(RunBody("spectral", "rfftn_irfftn", "torch.fft_irfftn(torch.fft_rfftn(x, s=[4, 10]), s=[4, 10]) + 1",
                           {Shape({4, 8})}));
}

TEST_CASE("torch.fft Hermitian forms: hfft, ihfft, hfft2, ihfft2, hfftn, ihfftn with every norm", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "hfft_n", "torch.fft_hfft(torch.fft_rfft(x, norm='ortho'), n=16)", {Shape({2, 16})}));
  REQUIRE_VERIFIED(RunBody("spectral", "hfft_default_forward", "torch.fft_hfft(torch.fft_fft(x)[:, :7], norm='forward')",
                           {Shape({3, 12})}));
  REQUIRE_VERIFIED(RunBody("spectral", "ihfft", "torch.fft_ihfft(x).imag * 4 + torch.fft_ihfft(x).real", {Shape({2, 3, 15})}));
  REQUIRE_VERIFIED(RunBody("spectral", "ihfft2_ortho", "torch.view_as_real(torch.fft_ihfft2(x, norm='ortho'))", {Shape({2, 6, 8})}));
  REQUIRE_VERIFIED(RunBody("spectral", "hfftn_ihfftn", "torch.fft_hfftn(torch.fft_ihfftn(x, dim=[0, 2]) * 2, s=[3, 10], dim=[0, 2])",
                           {Shape({3, 2, 10})}));
  REQUIRE_VERIFIED(RunBody("spectral", "hfft2_forward", "torch.fft_hfft2(torch.fft_rfft2(x), norm='forward')", {Shape({2, 4, 6})}));
}

TEST_CASE("complex arithmetic and views between transforms", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "complex_arith",
                           "z = torch.complex(x, y)\nw = z * z.conj() / (z + 2) - z * 0.5 + y\nreturn torch.view_as_real(w)",
                           {Shape({3, 4}), Shape({3, 4})}));
  REQUIRE_VERIFIED(RunBody("spectral", "complex_views",
                           "s = torch.fft_rfft(x)\nt = s.transpose(0, 1)[1:, :].reshape(4, 3)\n"
                           "return torch.cat([t.real, t.imag, torch.view_as_real(t.unsqueeze(0)).flatten()[:3].unsqueeze(0)], 0)",
                           {Shape({3, 8})}));
  REQUIRE_VERIFIED(RunBody("spectral", "view_as_complex", "torch.fft_irfft(torch.view_as_complex(x) * torch.fft_rfft(y))",
                           {Shape({2, 5, 2}), Shape({2, 8})}));
}

TEST_CASE("torch.stft: windowed frames, centre padding, normalized, one- and two-sided", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "stft_hann",
                           "return torch.stft(x, 16, 4, window=torch.hann_window(16), return_complex=True).abs()", {Shape({2, 64})}));
  REQUIRE_VERIFIED(RunBody("spectral", "stft_short_window",
                           "return torch.view_as_real(torch.stft(x, 8, 2, 6, torch.hamming_window(6), center=False, "
                           "normalized=True, onesided=False, return_complex=True))",
                           {Shape({30})}));
}

TEST_CASE("aten::unfold: windows along a dim", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "unfold", "x.unfold(1, 4, 3) * 2", {Shape({3, 11, 2})}));
  REQUIRE_VERIFIED(RunBody("spectral", "unfold_last", "x.unfold(-1, 5, 5)", {Shape({2, 10})}));
}

TEST_CASE("complex model inputs and outputs as float32 pairs", "[ops][spectral]") {
  REQUIRE_VERIFIED(RunBody("spectral", "complex_output", "torch.fft_rfft(x)", {Shape({2, 16})}));
  REQUIRE_VERIFIED(RunBody("spectral", "complex_input", "torch.fft_irfft(x * 2, 16)", {Shape({2, 9}, DType::kComplex64)}));
  REQUIRE_VERIFIED(RunBody("spectral", "complex_in_out", "return (x * y).conj(), torch.view_as_real(x).sum(-1)",
                           {Shape({3, 4}, DType::kComplex64), Shape({3, 4}, DType::kComplex64)}));
  REQUIRE_VERIFIED(RunBody("spectral", "neg_view_conj_physical", "return torch._neg_view(x), torch._conj_physical(x) * 2",
                           {Shape({3, 4}, DType::kComplex64)}));
  REQUIRE_VERIFIED(RunBody("spectral", "neg_view_conj_physical_real",
                           "return torch._neg_view(x) + 1, torch._conj_physical(x) * 2", {Shape({3, 4})}));
}

TEST_CASE("FFTs need opset 17 (DFT); other ops on complex tensors are refused", "[ops][spectral]") {
  auto r = RunBody("spectral", "rfft_op16", "torch.fft_rfft(x).abs()", {Shape({2, 16})}, {}, AtOpset(16));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("aten::fft_rfft") && ContainsText("17-19"));
  auto m = RunBody("spectral", "complex_unsupported", "torch.view_as_real(torch.fft_rfft(x).exp())", {Shape({2, 16})});
  REQUIRE_FALSE(m.ok);
  CHECK_THAT(m.error, ContainsText("aten::exp") && ContainsText("complex"));
}
