// QR by Householder reflections exactly as LAPACK computes them, so that Q and R carry
// LAPACK's signs (a QR is unique only up to the signs of R's diagonal): geqrf's reflectors
// (dlarfg: for column j, beta = -sign(alpha) |x|, v = x / (alpha - beta) below the
// diagonal, tau = (beta - alpha) / beta; no reflection where the column below the
// diagonal is already zero) and orgqr's product Q = H_0 H_1 ... H_{k-1} applied to the
// identity. Unrolled for static sizes, k = min(m, n) <= kMaxFactorSize steps; batch dims
// may be dynamic. On them: linalg_qr (reduced, complete, r), qr, geqrf,
// linalg_householder_product / orgqr, ormqr.
#include <string>
#include <vector>

#include "translators/aten/factorizations.h"

namespace t2o {
namespace {

// One reflector H = I - tau v v^T: v [..., m] (1 at its step, zeros above), tau [...].
struct Reflector {
  std::string v, tau;
};

std::pair<int64_t, int64_t> QRDims(TranslationContext& ctx, size_t i) {
  return MatrixDims(ctx, i, "QR decomposition", "Householder reflections");
}

// geqrf of [..., m, n] a: the packed result (R on and above the diagonal, the reflectors'
// v below it) and the k reflectors.
struct Householder {
  std::string packed;
  std::vector<Reflector> reflectors;
};

Householder Geqrf(const Matrices& mat, const std::string& a, int64_t m, int64_t n) {
  TranslationContext& ctx = mat.ctx;
  Householder out{a, {}};
  std::string& r = out.packed;
  for (int64_t j = 0; j < std::min(m, n); ++j) {
    std::string below = mat.Mask(m, [&](int64_t i) { return i > j; });
    std::string at = mat.Mask(m, [&](int64_t i) { return i == j; });
    std::string col = mat.Col(r, j);  // [..., m]
    std::string alpha = mat.At(col, j);
    std::string tail = mat.Op("Where", {below, col, mat.c(0)});
    std::string xnorm = mat.Op("Sqrt", {Reduce(ctx, "ReduceSum", mat.Op("Mul", {tail, tail}), {-1}, false)});
    std::string hyp = mat.Op("Sqrt", {mat.Op("Add", {mat.Op("Mul", {alpha, alpha}), mat.Op("Mul", {xnorm, xnorm})})});
    std::string beta = mat.Op("Where", {mat.Op("Less", {alpha, mat.c(0)}), hyp, mat.Op("Neg", {hyp})});
    std::string reflect = mat.Op("Greater", {xnorm, mat.c(0)});
    std::string tau = mat.Op("Where", {reflect, mat.Op("Div", {mat.Op("Sub", {beta, alpha}), beta}), mat.c(0)});
    std::string scale = mat.Op("Where", {reflect, mat.Op("Div", {mat.c(1), mat.Op("Sub", {alpha, beta})}), mat.c(0)});
    std::string v = mat.Op("Where", {at, mat.c(1), mat.Op("Mul", {tail, Unsqueeze(ctx, scale, {-1})})});
    // The later columns: A <- A - tau v (v^T A).
    std::string later = mat.Mask(n, [&](int64_t c) { return c > j; });
    std::string vt_a = mat.Op("MatMul", {Unsqueeze(ctx, v, {-2}), r});  // [..., 1, n]
    std::string update = mat.Op("Mul", {mat.Op("Mul", {Unsqueeze(ctx, v, {-1}), vt_a}), Unsqueeze(ctx, tau, {-1, -2})});
    r = mat.Op("Where", {later, mat.Op("Sub", {r, update}), r});
    // Column j: beta on the diagonal (alpha where nothing was reflected), v below.
    std::string diagonal = mat.Op("Where", {reflect, beta, alpha});
    std::string column = mat.Op("Where", {at, Unsqueeze(ctx, diagonal, {-1}), mat.Op("Where", {below, v, col})});
    r = mat.Op("Where", {mat.Mask(n, [&](int64_t c) { return c == j; }), Unsqueeze(ctx, column, {-1}), r});
    out.reflectors.push_back({v, tau});
  }
  return out;
}

// H_0 ... H_{k-1} times the first `cols` columns of the m x m identity, broadcast over the
// batch of `batch_like` (rank `rank`), accumulated from the last reflector as orgqr does.
std::string FormQ(const Matrices& mat, const std::vector<Reflector>& reflectors, int64_t m, int64_t cols,
                  const std::string& batch_like, int64_t rank) {
  std::vector<double> identity;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < cols; ++j) identity.push_back(i == j ? 1.0 : 0.0);
  std::string q = mat.BroadcastBatch(mat.Matrix(m, cols, identity), batch_like, rank);
  for (auto it = reflectors.rbegin(); it != reflectors.rend(); ++it) {
    std::string vt_q = mat.Op("MatMul", {Unsqueeze(mat.ctx, it->v, {-2}), q});  // [..., 1, cols]
    std::string update = mat.Op("Mul", {mat.Op("Mul", {Unsqueeze(mat.ctx, it->v, {-1}), vt_q}), Unsqueeze(mat.ctx, it->tau, {-1, -2})});
    q = mat.Op("Sub", {q, update});
  }
  return q;
}

// The upper trapezoid (rows < `rows`) of packed [..., m, n].
std::string UpperPart(const Matrices& mat, const std::string& packed, int64_t m, int64_t n, int64_t rows) {
  std::vector<uint8_t> keep;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) keep.push_back(i <= j);
  std::string r = mat.Op("Where", {mat.ctx.Constant(TensorData::FromVector<uint8_t>(DType::kBool, {m, n}, keep)), packed, mat.c(0)});
  return rows == m ? r : mat.Slice(r, 0, rows, -2);
}

// aten::linalg_qr(Tensor A, str mode='reduced') -> (Q, R); aten::qr(Tensor self, bool
// some=True): reduced Q [..., m, k] and R [..., k, n]; complete Q [..., m, m] and R
// [..., m, n]; mode 'r': R alone, Q empty.
void TranslateQR(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = QRDims(ctx, 0);
  std::string mode = "reduced";
  if (ctx.node().op == "aten::qr") {
    if (ctx.NumInputs() > 1 && !ctx.ConstBool(1, "some")) mode = "complete";
  } else if (ctx.NumInputs() > 1 && !ctx.IsNone(1)) {
    mode = ctx.ConstString(1, "mode");
  }
  if (mode != "reduced" && mode != "complete" && mode != "r")
    throw UnsupportedError("mode must be 'reduced', 'complete' or 'r', got '" + mode + "'");
  Matrices mat{ctx, dt};
  int64_t k = std::min(m, n), rank = ctx.Rank(0);
  std::string a = ctx.OperandAs(0, dt);
  Householder h = Geqrf(mat, a, m, n);
  int64_t q_cols = mode == "complete" ? m : k;
  if (mode == "r") {
    if (!ctx.node().outputs[0]->uses.empty())
      ctx.SetOutput(0, mat.Empty());
  } else {
    ctx.SetOutput(0, FormQ(mat, h.reflectors, m, q_cols, a, rank));
  }
  ctx.SetOutput(1, UpperPart(mat, h.packed, m, n, mode == "complete" ? m : k));
}

// aten::geqrf(Tensor self) -> (a, tau): LAPACK's packed form and the reflectors' tau [..., k].
void TranslateGeqrf(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = QRDims(ctx, 0);
  Matrices mat{ctx, dt};
  Householder h = Geqrf(mat, ctx.OperandAs(0, dt), m, n);
  ctx.SetOutput(0, h.packed);
  std::vector<std::string> taus;
  for (const auto& reflector : h.reflectors) taus.push_back(Unsqueeze(ctx, reflector.tau, {-1}));
  ctx.SetOutput(1, taus.size() == 1 ? taus[0] : mat.Op("Concat", taus, {{"axis", int64_t{-1}}}));
}

// The first k reflectors packed below the diagonal of [..., m, n] a, with tau [..., k].
std::vector<Reflector> ReflectorsOf(const Matrices& mat, const std::string& a, const std::string& tau, int64_t m, int64_t k) {
  std::vector<Reflector> reflectors;
  for (int64_t j = 0; j < k; ++j) {
    std::string v = mat.Op("Where", {mat.Mask(m, [&](int64_t i) { return i == j; }), mat.c(1),
                                     mat.Op("Where", {mat.Mask(m, [&](int64_t i) { return i > j; }), mat.Col(a, j), mat.c(0)})});
    reflectors.push_back({v, mat.At(tau, j)});
  }
  return reflectors;
}

// aten::linalg_householder_product(Tensor input, Tensor tau), aten::orgqr: the first n
// columns of H_0 ... H_{k-1}, v_j read below the diagonal of input's column j.
void TranslateHouseholderProduct(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = QRDims(ctx, 0);
  if (n > m) throw UnsupportedError("input must have at least as many rows as columns, got " + std::to_string(m) + "x" + std::to_string(n));
  std::vector<int64_t> tau_dims = StaticTrailingDims(ctx, 1, 1);
  int64_t k = tau_dims[0];
  if (k > n) throw UnsupportedError("tau has " + std::to_string(k) + " reflectors, more than the input's " + std::to_string(n) + " columns");
  Matrices mat{ctx, dt};
  std::string a = ctx.OperandAs(0, dt);
  ctx.SetOutput(0, FormQ(mat, ReflectorsOf(mat, a, ctx.OperandAs(1, dt), m, k), m, n, a, ctx.Rank(0)));
}

// aten::ormqr(Tensor self, Tensor input2, Tensor input3, bool left=True, bool
// transpose=False): Q C, Q^T C, C Q or C Q^T for Q = H_0 ... H_{k-1} of self's reflectors
// (input2: tau) and C = input3, one reflector at a time.
void TranslateOrmqr(TranslationContext& ctx) {
  DType dt = FloatingOut(ctx);
  auto [m, n] = QRDims(ctx, 0);
  int64_t k = StaticTrailingDims(ctx, 1, 1)[0];
  if (k > std::min(m, n)) throw UnsupportedError("tau has " + std::to_string(k) + " reflectors, more than the input allows");
  bool left = ctx.NumInputs() <= 3 || ctx.ConstBool(3, "left");
  bool transpose = ctx.NumInputs() > 4 && ctx.ConstBool(4, "transpose");
  Matrices mat{ctx, dt};
  std::vector<Reflector> reflectors = ReflectorsOf(mat, ctx.OperandAs(0, dt), ctx.OperandAs(1, dt), m, k);
  std::string c = ctx.OperandAs(2, dt);
  // Q C applies H_{k-1} first; Q^T C and C Q apply H_0 first; C Q^T applies H_{k-1} first.
  bool first_to_last = left == transpose;
  for (int64_t step = 0; step < k; ++step) {
    const Reflector& h = reflectors[first_to_last ? step : k - 1 - step];
    std::string tau = Unsqueeze(ctx, h.tau, {-1, -2});
    if (left) {  // C - tau v (v^T C)
      std::string vt_c = mat.Op("MatMul", {Unsqueeze(ctx, h.v, {-2}), c});
      c = mat.Op("Sub", {c, mat.Op("Mul", {mat.Op("Mul", {Unsqueeze(ctx, h.v, {-1}), vt_c}), tau})});
    } else {  // C - tau (C v) v^T
      std::string c_v = mat.Op("MatMul", {c, Unsqueeze(ctx, h.v, {-1})});
      c = mat.Op("Sub", {c, mat.Op("Mul", {mat.Op("Mul", {c_v, Unsqueeze(ctx, h.v, {-2})}), tau})});
    }
  }
  ctx.SetOutput(0, c);
}

}  // namespace

void RegisterQR(Registry& r) {
  r.SetFamily("linalg");
  r.Add("aten::linalg_qr", TranslateQR);
  r.Add("aten::qr", TranslateQR);
  r.Add("aten::geqrf", TranslateGeqrf);
  r.Add("aten::linalg_householder_product", TranslateHouseholderProduct);
  r.Add("aten::orgqr", TranslateHouseholderProduct);
  r.Add("aten::ormqr", TranslateOrmqr);
}

}  // namespace t2o
