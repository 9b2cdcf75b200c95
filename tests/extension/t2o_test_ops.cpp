// A custom-op library as users build them (TORCH_LIBRARY, loaded with
// torch.ops.load_library), for the tests of --load-library and --op-map
// (tests/e2e/custom_ops_test.sh). The kernels are CompositeExplicitAutograd: they serve
// the CPU (eager runs, --verify's reference) and the Meta tensors torch.export traces with.
#include <ATen/ATen.h>
#include <torch/library.h>

namespace {

at::Tensor QuickGelu(const at::Tensor& x, double alpha) { return x * at::sigmoid(x * alpha); }

// Bias first, as an op from another library might order them (the op map reorders).
at::Tensor BiasGelu(const at::Tensor& bias, const at::Tensor& x) { return at::gelu(x + bias); }

at::Tensor HardSigmoid(const at::Tensor& x, double alpha, double beta) { return at::clamp(x * alpha + beta, 0, 1); }

at::Tensor Unmapped(const at::Tensor& x) { return at::sin(x) * 2; }

// A kernel with a bug that crashes the process (batch robustness: one model whose run
// kills its converter must not take the other conversions down).
at::Tensor Segfault(const at::Tensor& x) {
  volatile int* nowhere = nullptr;
  *nowhere = 1;
  return x;
}

}  // namespace

TORCH_LIBRARY(t2o_test, m) {
  m.def("quick_gelu(Tensor x, float alpha=1.702) -> Tensor");
  m.def("bias_gelu(Tensor bias, Tensor x) -> Tensor");
  m.def("hard_sigmoid(Tensor x, float alpha, float beta) -> Tensor");
  m.def("unmapped(Tensor x) -> Tensor");
  m.def("segfault(Tensor x) -> Tensor");
}

TORCH_LIBRARY_IMPL(t2o_test, CompositeExplicitAutograd, m) {
  m.impl("quick_gelu", &QuickGelu);
  m.impl("bias_gelu", &BiasGelu);
  m.impl("hard_sigmoid", &HardSigmoid);
  m.impl("unmapped", &Unmapped);
  m.impl("segfault", &Segfault);
}
