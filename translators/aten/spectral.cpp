// torch.fft and the complex tensors it makes.
//
// On the ONNX side a complex64 tensor is a float32 tensor with a trailing axis of 2 (real,
// imaginary), the layout ONNX's DFT reads and writes; its IR shape (the logical one) has no
// such axis, so logical axis d is ONNX axis d. Only the forms registered with AddComplex
// see complex tensors: an op without one fails clearly instead of reading the pairs as
// numbers. Model inputs and outputs are never complex (translate.cpp says to use
// view_as_real).
//
// DFT computes one axis at a time, unscaled forward and scaled by 1/n inverse; torch's
// normalization codes (0: none, 1: 1/sqrt(n), 2: 1/n, over the product n of the signal
// sizes) are applied afterwards. DFT takes its axis as an attribute at opsets 17-19 and
// as an input from 20: two registered forms.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/translate/context.h"
#include "translators/common/helpers.h"

namespace t2o {
namespace {

enum class DftForm { kAxisAttribute, kAxisInput };

std::string RealPart(TranslationContext& ctx, const std::string& z) {
  return ctx.Op("Gather", {z, ctx.ConstInt64(0)}, {{"axis", int64_t{-1}}});
}
std::string ImagPart(TranslationContext& ctx, const std::string& z) {
  return ctx.Op("Gather", {z, ctx.ConstInt64(1)}, {{"axis", int64_t{-1}}});
}
std::string MakeComplex(TranslationContext& ctx, const std::string& re, const std::string& im) {
  return ctx.Op("Concat", {Unsqueeze(ctx, re, {-1}), Unsqueeze(ctx, im, {-1})}, {{"axis", int64_t{-1}}});
}
// (re, -im): a multiplication by [1, -1] along the pair axis.
std::string Conjugate(TranslationContext& ctx, const std::string& z) {
  return ctx.Op("Mul", {z, ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {2}, {1.0f, -1.0f}))});
}

bool IsComplex(const TranslationContext& ctx, size_t i) { return ctx.InDType(i) == DType::kComplex64; }

// Input i as a complex tensor: complex as it is, real (tensor or scalar) with a zero imaginary part.
std::string ComplexOperand(TranslationContext& ctx, size_t i) {
  if (IsComplex(ctx, i)) return ctx.Input(i);
  std::string re = ctx.OperandAs(i, DType::kFloat32);
  return MakeComplex(ctx, re, ctx.Op("ConstantOfShape", {ShapeOf(ctx, re)}));
}

std::string Dft(TranslationContext& ctx, DftForm form, const std::string& x, int64_t axis, bool inverse,
                bool onesided = false) {
  Attrs attrs{{"inverse", int64_t{inverse}}, {"onesided", int64_t{onesided}}};
  if (form == DftForm::kAxisInput) return ctx.Op("DFT", {x, "", ctx.ConstInt64(axis)}, attrs);
  attrs.push_back({"axis", axis});
  return ctx.Op("DFT", {x}, attrs);
}

// z * n^power for n the product of `signal`'s sizes along `dims` (static when known).
std::string ScaleBySignalSize(TranslationContext& ctx, const std::string& z, const std::string& signal,
                              const std::vector<std::optional<int64_t>>& sizes, const std::vector<int64_t>& dims,
                              double power) {
  if (power == 0) return z;
  bool known = true;
  double n = 1;
  for (const auto& s : sizes) {
    known = known && s.has_value();
    if (s) n *= static_cast<double>(*s);
  }
  if (known) return ctx.Op("Mul", {z, ctx.ConstScalar(std::pow(n, power), DType::kFloat32)});
  std::string count = Reduce(ctx, "ReduceProd", ctx.Op("Gather", {ShapeOf(ctx, signal), ctx.ConstInt64s(dims)}, {{"axis", int64_t{0}}}),
                             {}, false);
  std::string factor = ctx.Op("Pow", {ctx.Cast(count, DType::kInt64, DType::kFloat32), ctx.ConstScalar(power, DType::kFloat32)});
  return ctx.Op("Mul", {z, factor});
}

std::vector<int64_t> NormalizedDims(const std::vector<int64_t>& dims, int64_t rank) {
  std::vector<int64_t> out;
  for (int64_t d : dims) out.push_back(NormalizeAxis(d, rank));
  return out;
}

std::vector<std::optional<int64_t>> SizesAlong(const ir::TensorMeta& meta, const std::vector<int64_t>& dims) {
  std::vector<std::optional<int64_t>> sizes;
  for (int64_t d : dims) sizes.push_back(meta.StaticDim(d));
  return sizes;
}

// torch's normalization code -> the power of n that ONNX's result is scaled by.
double ForwardPower(int64_t norm) { return norm == 0 ? 0 : norm == 1 ? -0.5 : -1; }
double InversePower(int64_t norm) { return norm == 0 ? 1 : norm == 1 ? 0.5 : 0; }  // ONNX already divides by n

// Real x (logical rank = its rank) -> its DFT over `dims`, one-sided along the last of them.
std::string RealToComplex(TranslationContext& ctx, DftForm form, const std::string& x, const ir::TensorMeta& meta,
                          const std::vector<int64_t>& dims, int64_t norm, bool onesided) {
  std::string z = Dft(ctx, form, Unsqueeze(ctx, x, {-1}), dims.back(), false, onesided);
  for (size_t k = 0; k + 1 < dims.size(); ++k) z = Dft(ctx, form, z, dims[k], false);
  return ScaleBySignalSize(ctx, z, x, SizesAlong(meta, dims), dims, ForwardPower(norm));
}

std::string ComplexToComplex(TranslationContext& ctx, DftForm form, const std::string& z, const ir::TensorMeta& meta,
                             const std::vector<int64_t>& dims, int64_t norm, bool forward) {
  std::string y = z;
  for (int64_t d : dims) y = Dft(ctx, form, y, d, !forward);
  return ScaleBySignalSize(ctx, y, z, SizesAlong(meta, dims), dims, forward ? ForwardPower(norm) : InversePower(norm));
}

// The inverse of a one-sided spectrum: the other dims transformed back first, then the
// last one's full Hermitian spectrum of length n rebuilt (X[n - k] = conj(X[k])) and
// transformed back, keeping the real part (as PyTorch, which ignores the imaginary parts
// of the zero and Nyquist bins).
std::string ComplexToReal(TranslationContext& ctx, DftForm form, const std::string& z, const ir::TensorMeta& meta,
                          const std::vector<int64_t>& dims, int64_t norm, int64_t n) {
  std::string y = z;
  for (size_t k = 0; k + 1 < dims.size(); ++k) y = Dft(ctx, form, y, dims[k], true);
  int64_t last = dims.back();
  auto have = meta.StaticDim(last);
  if (!have) throw UnsupportedError("inverse real FFT along a dynamic dim");
  int64_t half = n / 2 + 1;
  std::string axes = ctx.ConstInt64s({last});
  if (*have < half) {  // zero-padded, as PyTorch does
    int64_t onnx_rank = meta.rank() + 1;
    std::vector<int64_t> pads(2 * onnx_rank, 0);
    pads[onnx_rank + last] = half - *have;
    y = ctx.Op("Pad", {y, ctx.ConstInt64s(pads)});
  }
  std::string head = ctx.Op("Slice", {y, ctx.ConstInt64s({0}), ctx.ConstInt64s({half}), axes});
  std::string tail = ctx.Op("Slice", {y, ctx.ConstInt64s({n - half}), ctx.ConstInt64s({0}), axes, ctx.ConstInt64s({-1})});
  std::string full = ctx.Op("Concat", {head, Conjugate(ctx, tail)}, {{"axis", last}});
  std::string x = RealPart(ctx, Dft(ctx, form, full, last, true));
  std::vector<std::optional<int64_t>> sizes = SizesAlong(meta, dims);
  sizes.back() = n;
  return ScaleBySignalSize(ctx, x, x, sizes, dims, InversePower(norm));
}

// --- the core ATen ops (.pt2 programs) ------------------------------------------------

// aten::_fft_r2c(Tensor self, int[] dim, int normalization, bool onesided)
void FftR2C(TranslationContext& ctx, DftForm form) {
  auto dims = NormalizedDims(ctx.ConstInts(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, RealToComplex(ctx, form, ctx.OperandAs(0, DType::kFloat32), ctx.Meta(0), dims,
                                 ctx.ConstInt(2, "normalization"), ctx.ConstBool(3, "onesided")));
}

// aten::_fft_c2c(Tensor self, SymInt[] dim, int normalization, bool forward)
void FftC2C(TranslationContext& ctx, DftForm form) {
  auto dims = NormalizedDims(ctx.ConstInts(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ComplexToComplex(ctx, form, ctx.Input(0), ctx.Meta(0), dims, ctx.ConstInt(2, "normalization"),
                                    ctx.ConstBool(3, "forward")));
}

// aten::_fft_c2r(Tensor self, int[] dim, int normalization, SymInt last_dim_size)
void FftC2R(TranslationContext& ctx, DftForm form) {
  auto dims = NormalizedDims(ctx.ConstInts(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ComplexToReal(ctx, form, ctx.Input(0), ctx.Meta(0), dims, ctx.ConstInt(2, "normalization"),
                                 ctx.ConstInt(3, "last_dim_size")));
}

// --- the public torch.fft functions (TorchScript graphs keep them) ---------------------

// norm=None/"backward"/"ortho"/"forward" -> torch's normalization code for the direction.
int64_t NormCode(TranslationContext& ctx, size_t i, bool forward) {
  std::string norm = ctx.IsNone(i) ? "backward" : ctx.ConstString(i, "norm");
  if (norm == "ortho") return 1;
  if (norm == "backward") return forward ? 0 : 2;
  if (norm == "forward") return forward ? 2 : 0;
  throw UnsupportedError("fft norm '" + norm + "' (want backward, ortho or forward)");
}

// The signal trimmed or zero-padded to `n` along logical `axis` (the `n`/`s` arguments).
std::string ResizeSignal(TranslationContext& ctx, const std::string& x, int64_t onnx_rank, const ir::TensorMeta& meta,
                         int64_t axis, int64_t n) {
  auto have = meta.StaticDim(axis);
  if (!have) throw UnsupportedError("fft with a signal length over a dynamic dim");
  if (n < *have) return ctx.Op("Slice", {x, ctx.ConstInt64s({0}), ctx.ConstInt64s({n}), ctx.ConstInt64s({axis})});
  if (n == *have) return x;
  std::vector<int64_t> pads(2 * onnx_rank, 0);
  pads[onnx_rank + axis] = n - *have;
  return ctx.Op("Pad", {x, ctx.ConstInt64s(pads)});
}

// kHermitian: hfft (a one-sided spectrum to a real signal: irfft of the conjugate, with
// the forward transform's scaling); kHermitianInverse: ihfft (the conjugate of rfft, with
// the inverse transform's scaling).
enum class Direction { kForward, kInverse, kRealForward, kRealInverse, kHermitian, kHermitianInverse };

// fft_fft / fft_ifft / fft_rfft / fft_irfft (self, n, dim, norm) when `one_dim`, else the
// n-dimensional forms (self, s, dim, norm); `default_dims` for dim=None (all, or the last two).
void PublicFft(TranslationContext& ctx, DftForm form, Direction direction, bool one_dim, int default_last_dims) {
  int64_t rank = ctx.Rank(0);
  std::vector<int64_t> dims;
  if (one_dim) {
    dims = {NormalizeAxis(ctx.ConstInt(2, "dim"), rank)};
  } else if (!ctx.IsNone(2)) {
    dims = NormalizedDims(ctx.ConstInts(2, "dim"), rank);
  } else {
    int64_t count = default_last_dims > 0 ? default_last_dims : rank;
    if (!ctx.IsNone(1)) count = static_cast<int64_t>(ctx.ConstInts(1, "s").size());
    for (int64_t d = rank - count; d < rank; ++d) dims.push_back(d);
  }
  std::vector<std::optional<int64_t>> lengths(dims.size());
  if (!ctx.IsNone(1)) {
    auto given = one_dim ? std::vector<int64_t>{ctx.ConstInt(1, "n")} : ctx.ConstInts(1, "s");
    if (given.size() != dims.size()) throw UnsupportedError("fft: s and dim have different lengths");
    for (size_t k = 0; k < dims.size(); ++k)
      if (given[k] != -1) lengths[k] = given[k];
  }
  bool forward = direction == Direction::kForward || direction == Direction::kRealForward ||
                 direction == Direction::kHermitian;
  int64_t norm = NormCode(ctx, 3, forward);
  ir::TensorMeta meta = ctx.Meta(0);
  bool complex_in = IsComplex(ctx, 0);
  std::string x = complex_in ? ctx.Input(0) : ctx.OperandAs(0, DType::kFloat32);
  int64_t onnx_rank = rank + (complex_in ? 1 : 0);
  // The inverse real transform's last length is its output length: resized separately.
  bool to_real = direction == Direction::kRealInverse || direction == Direction::kHermitian;
  size_t resized = to_real ? dims.size() - 1 : dims.size();
  for (size_t k = 0; k < resized; ++k)
    if (lengths[k]) {
      x = ResizeSignal(ctx, x, onnx_rank, meta, dims[k], *lengths[k]);
      meta.shape[static_cast<size_t>(dims[k])] = *lengths[k];
    }
  switch (direction) {
    case Direction::kRealForward:
    case Direction::kHermitianInverse: {
      if (complex_in) throw UnsupportedError("rfft/ihfft of a complex tensor");
      std::string spectrum = RealToComplex(ctx, form, x, meta, dims, norm, true);
      return ctx.SetOutput(0, direction == Direction::kRealForward ? spectrum : Conjugate(ctx, spectrum));
    }
    case Direction::kRealInverse:
    case Direction::kHermitian: {
      if (!complex_in) x = MakeComplex(ctx, x, ctx.Op("ConstantOfShape", {ShapeOf(ctx, x)}));
      else if (direction == Direction::kHermitian) x = Conjugate(ctx, x);
      auto have = meta.StaticDim(dims.back());
      if (!lengths.back() && !have) throw UnsupportedError("irfft/hfft along a dynamic dim");
      int64_t n = lengths.back() ? *lengths.back() : 2 * (*have - 1);
      return ctx.SetOutput(0, ComplexToReal(ctx, form, x, meta, dims, norm, n));
    }
    default:
      if (!complex_in) {  // a real signal: its full (two-sided) spectrum
        if (forward) return ctx.SetOutput(0, RealToComplex(ctx, form, x, meta, dims, norm, false));
        x = MakeComplex(ctx, x, ctx.Op("ConstantOfShape", {ShapeOf(ctx, x)}));
      }
      return ctx.SetOutput(0, ComplexToComplex(ctx, form, x, meta, dims, norm, forward));
  }
}

// aten::stft(Tensor self, int n_fft, int? hop_length, int? win_length, Tensor? window,
// bool normalized=False, bool? onesided, bool? return_complex) and
// aten::stft.center(.., Tensor? window, bool center=True, str pad_mode="reflect",
// bool normalized, bool? onesided, bool? return_complex): frames of n_fft samples every
// hop_length (with `center`, after padding n_fft / 2 on both sides), times the window
// (centred in n_fft), each transformed; [.., n_fft / 2 + 1, frames].
void Stft(TranslationContext& ctx, DftForm form) {
  int64_t rank = ctx.Rank(0);
  if (IsComplex(ctx, 0)) throw UnsupportedError("stft of a complex signal");
  const bool has_center = ctx.node().overload == "center";
  const size_t normalized_arg = has_center ? 7 : 5, onesided_arg = normalized_arg + 1, complex_arg = normalized_arg + 2;
  if (!ctx.IsNone(complex_arg) && !ctx.ConstBool(complex_arg, "return_complex"))
    throw UnsupportedError("stft with return_complex=False (deprecated in PyTorch): use return_complex=True");
  int64_t n_fft = ctx.ConstInt(1, "n_fft");
  int64_t hop = ctx.IsNone(2) ? n_fft / 4 : ctx.ConstInt(2, "hop_length");
  int64_t win_length = ctx.IsNone(3) ? n_fft : ctx.ConstInt(3, "win_length");
  bool onesided = ctx.IsNone(onesided_arg) ? true : ctx.ConstBool(onesided_arg, "onesided");
  std::string signal = ctx.OperandAs(0, DType::kFloat32);
  if (has_center && ctx.ConstBool(5, "center")) {
    std::string mode = ctx.ConstString(6, "pad_mode");
    const std::map<std::string, std::string> onnx_modes{{"reflect", "reflect"}, {"constant", "constant"},
                                                        {"replicate", "edge"}};
    auto onnx_mode = onnx_modes.find(mode);
    if (onnx_mode == onnx_modes.end()) throw UnsupportedError("stft pad_mode '" + mode + "'");
    std::vector<int64_t> pads(2 * rank, 0);
    pads[rank - 1] = pads[2 * rank - 1] = n_fft / 2;
    signal = ctx.Op("Pad", {signal, ctx.ConstInt64s(pads)}, {{"mode", onnx_mode->second}});
  }
  std::string frames = SlidingWindows(ctx, signal, rank - 1, n_fft, hop);  // [.., F, n_fft]
  if (auto window = ctx.OptionalInput(4)) {
    std::string w = ctx.Cast(*window, ctx.InDType(4), DType::kFloat32);
    if (win_length < n_fft) {
      int64_t left = (n_fft - win_length) / 2;
      w = ctx.Op("Pad", {w, ctx.ConstInt64s({left, n_fft - win_length - left})});
    }
    frames = ctx.Op("Mul", {frames, w});
  } else if (win_length < n_fft) {
    int64_t left = (n_fft - win_length) / 2;
    std::vector<float> ones(static_cast<size_t>(n_fft), 0.0f);
    for (int64_t k = left; k < left + win_length; ++k) ones[static_cast<size_t>(k)] = 1.0f;
    frames = ctx.Op("Mul", {frames, ctx.Constant(TensorData::FromVector<float>(DType::kFloat32, {n_fft}, ones))});
  }
  std::string spectrum = Dft(ctx, form, Unsqueeze(ctx, frames, {-1}), rank, false, onesided);  // [.., F, bins, 2]
  if (ctx.ConstBool(normalized_arg, "normalized"))
    spectrum = ctx.Op("Mul", {spectrum, ctx.ConstScalar(1.0 / std::sqrt(static_cast<double>(n_fft)), DType::kFloat32)});
  std::vector<int64_t> perm;
  for (int64_t d = 0; d + 1 < rank; ++d) perm.push_back(d);
  perm.insert(perm.end(), {rank, rank - 1, rank + 1});  // [.., bins, F, 2]
  ctx.SetOutput(0, ctx.Op("Transpose", {spectrum}, {{"perm", perm}}));
}

// aten::hann_window / hamming_window / blackman_window / bartlett_window(int window_length,
// [bool periodic=True, [float alpha, [float beta]]], dtype, ...): computed here as a constant
// (a periodic window of length L is the symmetric one of length L + 1 without its last point).
void Window(TranslationContext& ctx, const std::string& kind) {
  const std::string& overload = ctx.node().overload;
  int64_t length = ctx.ConstInt(0, "window_length");
  bool periodic = overload.rfind("periodic", 0) == 0 ? ctx.ConstBool(1, "periodic") : true;
  double alpha = overload == "periodic_alpha" || overload == "periodic_alpha_beta" ? ctx.ConstDouble(2, "alpha") : 0.54;
  double beta = overload == "periodic_alpha_beta" ? ctx.ConstDouble(3, "beta") : 0.46;
  const double pi = std::acos(-1.0);
  double n_span = static_cast<double>(periodic ? length : length - 1);
  std::vector<double> values(static_cast<size_t>(std::max<int64_t>(length, 0)), 1.0);
  for (int64_t k = 0; length > 1 && k < length; ++k) {
    double t = static_cast<double>(k) / n_span;
    double& v = values[static_cast<size_t>(k)];
    if (kind == "hann") v = 0.5 - 0.5 * std::cos(2 * pi * t);
    if (kind == "hamming") v = alpha - beta * std::cos(2 * pi * t);
    if (kind == "blackman") v = 0.42 - 0.5 * std::cos(2 * pi * t) + 0.08 * std::cos(4 * pi * t);
    if (kind == "bartlett") v = 1.0 - std::fabs(2.0 * t - 1.0);
  }
  ctx.SetOutput(0, ctx.Constant(TensorData::FromDoubles(ctx.OutDType(), {length}, values)));
}

// --- complex forms of ordinary ops --------------------------------------------------

// (a + bi)(c + di) = (ac - bd) + (ad + bc)i; a real factor scales both parts.
void ComplexMul(TranslationContext& ctx) {
  if (!IsComplex(ctx, 0) || !IsComplex(ctx, 1)) {
    size_t z = IsComplex(ctx, 0) ? 0 : 1;
    std::string real = Unsqueeze(ctx, ctx.OperandAs(1 - z, DType::kFloat32), {-1});
    return ctx.SetOutput(0, ctx.Op("Mul", {ctx.Input(z), real}));
  }
  std::string x = ctx.Input(0), y = ctx.Input(1);
  std::string a = RealPart(ctx, x), b = ImagPart(ctx, x), c = RealPart(ctx, y), d = ImagPart(ctx, y);
  std::string re = ctx.Op("Sub", {ctx.Op("Mul", {a, c}), ctx.Op("Mul", {b, d})});
  std::string im = ctx.Op("Add", {ctx.Op("Mul", {a, d}), ctx.Op("Mul", {b, c})});
  ctx.SetOutput(0, MakeComplex(ctx, re, im));
}

// x / y: by a real y both parts; by a complex y, x * conj(y) / |y|^2.
void ComplexDiv(TranslationContext& ctx) {
  std::string x = ComplexOperand(ctx, 0);
  if (!IsComplex(ctx, 1))
    return ctx.SetOutput(0, ctx.Op("Div", {x, Unsqueeze(ctx, ctx.OperandAs(1, DType::kFloat32), {-1})}));
  std::string y = ctx.Input(1);
  std::string a = RealPart(ctx, x), b = ImagPart(ctx, x), c = RealPart(ctx, y), d = ImagPart(ctx, y);
  std::string denom = ctx.Op("Add", {ctx.Op("Mul", {c, c}), ctx.Op("Mul", {d, d})});
  std::string re = ctx.Op("Div", {ctx.Op("Add", {ctx.Op("Mul", {a, c}), ctx.Op("Mul", {b, d})}), denom});
  std::string im = ctx.Op("Div", {ctx.Op("Sub", {ctx.Op("Mul", {b, c}), ctx.Op("Mul", {a, d})}), denom});
  ctx.SetOutput(0, MakeComplex(ctx, re, im));
}

// add/sub(self, other, alpha=1): componentwise, real operands with a zero imaginary part.
void ComplexAddSub(TranslationContext& ctx, const char* op) {
  std::string other = ComplexOperand(ctx, 1);
  if (ctx.NumInputs() > 2 && !ctx.IsNone(2) && ctx.ConstDouble(2, "alpha") != 1.0)
    other = ctx.Op("Mul", {other, ctx.ConstScalar(ctx.ConstDouble(2, "alpha"), DType::kFloat32)});
  ctx.SetOutput(0, ctx.Op(op, {ComplexOperand(ctx, 0), other}));
}

// A view or copy that only moves elements: the ONNX op with the pair axis kept last.
void ComplexPermute(TranslationContext& ctx, std::vector<int64_t> perm) {
  perm.push_back(static_cast<int64_t>(perm.size()));
  ctx.SetOutput(0, ctx.Op("Transpose", {ctx.Input(0)}, {{"perm", perm}}));
}

void ComplexReshape(TranslationContext& ctx) {
  std::string shape = ctx.IntListInput(1);
  shape = ctx.Op("Concat", {shape, ctx.ConstInt64s({2})}, {{"axis", int64_t{0}}});
  ctx.SetOutput(0, ctx.Op("Reshape", {ctx.Input(0), shape}));
}

// aten::slice.Tensor(self, dim, start, end, step) along a logical dim.
void ComplexSlice(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  auto bound = [&](size_t i, int64_t absent) {
    if (ctx.IsNone(i)) return ctx.ConstInt64s({absent});
    if (ctx.IsConstant(i)) return ctx.ConstInt64s({ctx.ConstInt(i, i == 2 ? "start" : "end")});
    return Unsqueeze(ctx, ctx.ScalarInput(i, DType::kInt64), {0});
  };
  std::string start = bound(2, 0), end = bound(3, std::numeric_limits<int64_t>::max());
  ctx.SetOutput(0, ctx.Op("Slice", {ctx.Input(0), start, end, ctx.ConstInt64s({dim}),
                                    ctx.ConstInt64s({ctx.ConstInt(4, "step")})}));
}

void ComplexSelect(TranslationContext& ctx) {
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.Rank(0));
  ctx.SetOutput(0, ctx.Op("Gather", {ctx.Input(0), ctx.ScalarInput(2, DType::kInt64)}, {{"axis", dim}}));
}

void ComplexCat(TranslationContext& ctx) {
  auto parts = ctx.TensorListInput(0);
  int64_t dim = NormalizeAxis(ctx.ConstInt(1, "dim"), ctx.OutMeta(0).rank());
  ctx.SetOutput(0, ctx.Op("Concat", parts, {{"axis", dim}}));
}

void RegisterFft(Registry& r, OpsetRange range, DftForm form) {
  r.AddComplex("aten::_fft_r2c", range, [form](TranslationContext& c) { FftR2C(c, form); });
  r.AddComplex("aten::_fft_c2c", range, [form](TranslationContext& c) { FftC2C(c, form); });
  r.AddComplex("aten::_fft_c2r", range, [form](TranslationContext& c) { FftC2R(c, form); });
  r.AddComplex("aten::stft", range, [form](TranslationContext& c) { Stft(c, form); });
  struct Public {
    const char* name;
    Direction direction;
    bool one_dim;
    int default_last_dims;  // n-dimensional forms with dim=None: 0 = all dims
  };
  for (const Public& p : {Public{"fft_fft", Direction::kForward, true, 0}, Public{"fft_ifft", Direction::kInverse, true, 0},
                          Public{"fft_rfft", Direction::kRealForward, true, 0},
                          Public{"fft_irfft", Direction::kRealInverse, true, 0},
                          Public{"fft_fft2", Direction::kForward, false, 2}, Public{"fft_ifft2", Direction::kInverse, false, 2},
                          Public{"fft_rfft2", Direction::kRealForward, false, 2},
                          Public{"fft_irfft2", Direction::kRealInverse, false, 2},
                          Public{"fft_fftn", Direction::kForward, false, 0}, Public{"fft_ifftn", Direction::kInverse, false, 0},
                          Public{"fft_rfftn", Direction::kRealForward, false, 0},
                          Public{"fft_irfftn", Direction::kRealInverse, false, 0},
                          Public{"fft_hfft", Direction::kHermitian, true, 0},
                          Public{"fft_ihfft", Direction::kHermitianInverse, true, 0},
                          Public{"fft_hfft2", Direction::kHermitian, false, 2},
                          Public{"fft_ihfft2", Direction::kHermitianInverse, false, 2},
                          Public{"fft_hfftn", Direction::kHermitian, false, 0},
                          Public{"fft_ihfftn", Direction::kHermitianInverse, false, 0}})
    r.AddComplex(std::string("aten::") + p.name, range,
                 [form, p](TranslationContext& c) { PublicFft(c, form, p.direction, p.one_dim, p.default_last_dims); });
}

}  // namespace

void RegisterSpectral(Registry& r) {
  r.SetFamily("spectral");
  RegisterFft(r, {17, 19}, DftForm::kAxisAttribute);
  RegisterFft(r, {20, kMaxOpset}, DftForm::kAxisInput);

  for (const char* kind : {"hann", "hamming", "blackman", "bartlett"})
    r.Add(std::string("aten::") + kind + "_window", [kind](TranslationContext& c) { Window(c, kind); });

  // Complex tensors in and out of the real world.
  r.AddComplex("aten::view_as_real", [](TranslationContext& c) { c.SetOutput(0, c.Input(0)); });
  r.AddComplex("aten::view_as_complex", [](TranslationContext& c) { c.SetOutput(0, c.OperandAs(0, DType::kFloat32)); });
  r.AddComplex("aten::real", [](TranslationContext& c) { c.SetOutput(0, RealPart(c, c.Input(0))); });
  r.AddComplex("aten::imag", [](TranslationContext& c) { c.SetOutput(0, ImagPart(c, c.Input(0))); });
  r.AddComplex("aten::abs", [](TranslationContext& c) { c.SetOutput(0, Reduce(c, "ReduceL2", c.Input(0), {-1}, false)); });
  // aten::polar(Tensor abs, Tensor angle): abs * (cos angle, sin angle).
  r.AddComplex("aten::polar", [](TranslationContext& c) {
    std::string abs = c.OperandAs(0, DType::kFloat32), angle = c.OperandAs(1, DType::kFloat32);
    c.SetOutput(0, MakeComplex(c, c.Op("Mul", {abs, c.Op("Cos", {angle})}), c.Op("Mul", {abs, c.Op("Sin", {angle})})));
  });
  r.AddComplex("aten::complex", [](TranslationContext& c) {
    c.SetOutput(0, MakeComplex(c, c.OperandAs(0, DType::kFloat32), c.OperandAs(1, DType::kFloat32)));
  });
  for (const char* op : {"aten::conj", "aten::_conj", "aten::conj_physical", "aten::_conj_physical"})
    r.AddComplex(op, [](TranslationContext& c) { c.SetOutput(0, Conjugate(c, c.Input(0))); });
  for (const char* op : {"aten::resolve_conj", "aten::resolve_neg", "aten::clone", "aten::contiguous", "aten::alias",
                         "aten::detach", "aten::lift_fresh_copy"})
    r.AddComplex(op, [](TranslationContext& c) { c.SetOutput(0, c.Input(0)); });

  // dtype conversions to, from and between complex tensors (to a real dtype PyTorch drops
  // the imaginary part).
  for (const char* op : {"aten::_to_copy", "aten::to"})
    r.AddComplex(op, [](TranslationContext& c) {
      bool in = IsComplex(c, 0), out = c.OutDType() == DType::kComplex64;
      if (in && out) return c.SetOutput(0, c.Input(0));
      if (out) return c.SetOutput(0, ComplexOperand(c, 0));
      c.SetOutput(0, c.Cast(RealPart(c, c.Input(0)), DType::kFloat32, c.OutDType()));
    });
  r.AddComplex("aten::mul", ComplexMul);
  r.AddComplex("aten::div", ComplexDiv);
  r.AddComplex("aten::add", [](TranslationContext& c) { ComplexAddSub(c, "Add"); });
  r.AddComplex("aten::sub", [](TranslationContext& c) { ComplexAddSub(c, "Sub"); });
  for (const char* op : {"aten::neg", "aten::_neg_view"})  // _neg_view: a negated view (imag of a conj)
    r.AddComplex(op, [](TranslationContext& c) { c.SetOutput(0, c.Op("Neg", {c.Input(0)})); });

  r.AddComplex("aten::permute", [](TranslationContext& c) {
    std::vector<int64_t> perm;
    for (int64_t d : c.ConstInts(1, "dims")) perm.push_back(NormalizeAxis(d, c.Rank(0)));
    ComplexPermute(c, perm);
  });
  r.AddComplex("aten::transpose", [](TranslationContext& c) {
    int64_t rank = c.Rank(0);
    std::vector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d) perm.push_back(d);
    std::swap(perm[NormalizeAxis(c.ConstInt(1, "dim0"), rank)], perm[NormalizeAxis(c.ConstInt(2, "dim1"), rank)]);
    ComplexPermute(c, perm);
  });
  for (const char* op : {"aten::reshape", "aten::view", "aten::_reshape_alias"}) r.AddComplex(op, ComplexReshape);
  r.AddComplex("aten::unsqueeze", [](TranslationContext& c) {
    c.SetOutput(0, Unsqueeze(c, c.Input(0), {NormalizeAxis(c.ConstInt(1, "dim"), c.Rank(0) + 1)}));
  });
  r.AddComplex("aten::slice", ComplexSlice);
  r.AddComplex("aten::select", ComplexSelect);
  r.AddComplex("aten::cat", ComplexCat);
}

}  // namespace t2o
