// What the unrolled matrix algorithms share (factorizations.cpp, eigen.cpp, linalg.cpp, norms.cpp):
// the batch-of-matrices building blocks, the size and dtype checks, and the inverse by LU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/translate/context.h"
#include "translators/common/helpers.h"

namespace t2o {

// The largest static matrix size the factorizations are unrolled for.
constexpr int64_t kMaxFactorSize = 32;

// A batch of matrices [..., rows, cols] of one dtype and the elementwise pieces the
// unrolled algorithms are written in.
struct Matrices {
  TranslationContext& ctx;
  DType dt;

  std::string Op(const std::string& type, std::vector<std::string> in, std::vector<onnx::Attr> attrs = {}) const {
    return ctx.Op(type, in, std::move(attrs));
  }
  std::string c(double v) const { return ctx.ConstScalar(v, dt); }
  std::string Index(int64_t k) const { return ctx.ConstInt64(k); }
  // Row k as [..., cols] / column k as [..., rows].
  std::string Row(const std::string& a, int64_t k) const { return Op("Gather", {a, Index(k)}, {{"axis", int64_t{-2}}}); }
  std::string Col(const std::string& a, int64_t k) const { return Op("Gather", {a, Index(k)}, {{"axis", int64_t{-1}}}); }
  std::string At(const std::string& vector, int64_t k) const {
    return Op("Gather", {vector, Index(k)}, {{"axis", int64_t{-1}}});
  }
  // Rows [begin, end) along axis -2, or columns along axis -1.
  std::string Slice(const std::string& a, int64_t begin, int64_t end, int64_t axis) const {
    return Op("Slice", {a, ctx.ConstInt64s({begin}), ctx.ConstInt64s({end}), ctx.ConstInt64s({axis})});
  }
  // A constant bool vector [n] true where `keep(i)`.
  template <typename Keep>
  std::string Mask(int64_t n, Keep keep) const {
    std::vector<uint8_t> values;
    for (int64_t i = 0; i < n; ++i) values.push_back(keep(i) ? 1 : 0);
    return ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {n}, values));
  }
  // A constant [rows, cols] matrix of the dtype, from row-major values.
  std::string Matrix(int64_t rows, int64_t cols, const std::vector<double>& values) const {
    return ctx.Cast(ctx.Constant(TensorData::FromVector<double>(DType::kFloat64, {rows, cols}, values)), DType::kFloat64, dt);
  }
  // An empty [0] tensor of the dtype: what PyTorch returns for outputs it does not compute.
  std::string Empty() const {
    return ctx.Cast(ctx.Constant(TensorData::FromVector<double>(DType::kFloat64, {0}, {})), DType::kFloat64, dt);
  }
  // The last two dims of a rank-`rank` a swapped.
  std::string Transpose(const std::string& a, int64_t rank) const {
    std::vector<int64_t> perm;
    for (int64_t k = 0; k < rank; ++k) perm.push_back(k);
    std::swap(perm[rank - 2], perm[rank - 1]);
    return Op("Transpose", {a}, {{"perm", perm}});
  }
  // The lower (`lower`) or upper triangle of [..., n, n] `a`, with the diagonal when
  // `diagonal`, zeros elsewhere (a constant mask: Trilu needs opset 14).
  std::string Triangle(const std::string& a, int64_t n, bool lower, bool diagonal) const {
    std::vector<uint8_t> keep;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) keep.push_back(i == j ? diagonal : (lower ? i > j : i < j));
    return Op("Where", {ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {n, n}, keep)), a, c(0)});
  }
  std::string Identity(int64_t n) const {
    std::vector<double> values;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) values.push_back(i == j ? 1.0 : 0.0);
    return Matrix(n, n, values);
  }
  // b [..., n, k] broadcast against the batch dims of a [..., n, n].
  std::string BroadcastBatch(const std::string& b, const std::string& a, int64_t rank_a) const {
    std::string shape = Op("Concat", {ShapeSlice(ctx, a, 0, rank_a - 2), ShapeSlice(ctx, b, -2)}, {{"axis", int64_t{0}}});
    return Op("Expand", {b, shape});
  }
};

// The square n of input i's last two dims, which must be static and at most `max_size`
// (no limit when nullopt); `algorithm` names what ONNX lacks in the refusal ("matrix
// inverse").
int64_t SquareSize(TranslationContext& ctx, size_t i, const std::string& algorithm = "matrix factorization",
                   std::optional<int64_t> max_size = kMaxFactorSize);

// The static [m, n] of input i's last two dims, the smaller at most kMaxFactorSize (the
// other any size); the refusal says "ONNX has no `algorithm`; the converter unrolls
// `unrolled` for matrices whose smaller side is at most ...".
std::pair<int64_t, int64_t> MatrixDims(TranslationContext& ctx, size_t i, const std::string& algorithm,
                                       const std::string& unrolled);

// Output 0's dtype / input i's dtype, which must be float32 or float64 (what PyTorch's
// LAPACK-backed ops take, complex aside).
DType FloatingOut(TranslationContext& ctx);
DType FloatingIn(TranslationContext& ctx, size_t i);

// The inverse of [..., n, n] `a` (rank `rank`, n <= kMaxFactorSize) by LU with partial
// pivoting, as LAPACK's getrf then getri: U^-1 L^-1 P. `info` (when given): [...] int32,
// 1 + the first zero pivot, 0 for an invertible matrix.
std::string InverseByLU(TranslationContext& ctx, const std::string& a, int64_t n, int64_t rank, DType dt,
                        std::string* info = nullptr);

// The singular values, descending, of [..., m, n] `a` (static m and n, the smaller at most
// kMaxFactorSize): [..., min(m, n)], by one-sided Jacobi rotations (eigen.cpp).
std::string SingularValues(TranslationContext& ctx, const std::string& a, int64_t m, int64_t n, int64_t rank, DType dt);

}  // namespace t2o
