// The built-in translator registry: one Register<Family> call per file in translators/.
#include <string>

#include "core/translate/registry.h"

namespace t2o {

void RegisterActivation(Registry& r);
void RegisterAttention(Registry& r);
void RegisterConvPool(Registry& r);
void RegisterFractionalPool(Registry& r);
void RegisterElementwise(Registry& r);
void RegisterLinalg(Registry& r);
void RegisterNormalization(Registry& r);
void RegisterReduction(Registry& r);
void RegisterShape(Registry& r);
void RegisterTensorOps(Registry& r);
void RegisterSorting(Registry& r);
void RegisterStatistics(Registry& r);
void RegisterQuantization(Registry& r);
void RegisterQdq(Registry& r);
void RegisterIndexing(Registry& r);
void RegisterRearrange(Registry& r);
void RegisterNorms(Registry& r);
void RegisterRecurrent(Registry& r);
void RegisterSampling(Registry& r);
void RegisterRandom(Registry& r);
void RegisterLoss(Registry& r);
void RegisterCtcLoss(Registry& r);
void RegisterSpecial(Registry& r);
void RegisterOrthogonalPolynomials(Registry& r);
void RegisterBessel(Registry& r);
void RegisterZeta(Registry& r);
void RegisterIncompleteGamma(Registry& r);
void RegisterErrorFunction(Registry& r);
void RegisterFactorizations(Registry& r);
void RegisterEigen(Registry& r);
void RegisterQR(Registry& r);
void RegisterLayout(Registry& r);
void RegisterSpectral(Registry& r);
void RegisterContainers(Registry& r);
void RegisterControlFlow(Registry& r);
void RegisterTorchvisionOps(Registry& r);

const Registry& BuiltinRegistry() {
  static const Registry registry = [] {
    Registry r;
    RegisterActivation(r);
    RegisterAttention(r);
    RegisterConvPool(r);
    RegisterFractionalPool(r);
    RegisterElementwise(r);
    RegisterLinalg(r);
    RegisterNormalization(r);
    RegisterReduction(r);
    RegisterShape(r);
    RegisterTensorOps(r);
    RegisterSorting(r);
    RegisterStatistics(r);
    RegisterQuantization(r);
    RegisterQdq(r);
    RegisterIndexing(r);
    RegisterRearrange(r);
    RegisterNorms(r);
    RegisterRecurrent(r);
    RegisterSampling(r);
    RegisterRandom(r);
    RegisterLoss(r);
    RegisterCtcLoss(r);
    RegisterSpecial(r);
    RegisterOrthogonalPolynomials(r);
    RegisterBessel(r);
    RegisterZeta(r);
    RegisterIncompleteGamma(r);
    RegisterErrorFunction(r);
    RegisterFactorizations(r);
    RegisterEigen(r);
    RegisterQR(r);
    RegisterLayout(r);
    RegisterSpectral(r);
    RegisterContainers(r);
    RegisterControlFlow(r);
    RegisterTorchvisionOps(r);
    // The *_copy forms (functionalized views) and _unsafe_ forms compute the same values.
    for (const char* view : {"view", "expand", "permute", "squeeze", "unsqueeze", "select", "slice", "transpose", "t",
                             "split", "split_with_sizes", "unbind", "alias", "detach", "diagonal"})
      r.AddAlias(std::string("aten::") + view + "_copy", std::string("aten::") + view);
    r.AddAlias("aten::_unsafe_index", "aten::index");
    for (const char* op : {"split", "split_with_sizes", "chunk"})  // RNN decompositions
      r.AddAlias(std::string("aten::unsafe_") + op, std::string("aten::") + op);
    r.AddAlias("aten::_unsafe_index_put", "aten::index_put");
    // Other names of the same computation (on real tensors, for vdot and matrix_H).
    for (auto [alias, target] : std::initializer_list<std::pair<const char*, const char*>>{
             {"aten::narrow_copy", "aten::narrow"}, {"aten::unfold_copy", "aten::unfold"},
             {"aten::as_strided_copy", "aten::as_strided"}, {"aten::argwhere", "aten::nonzero"},
             {"aten::trapz", "aten::trapezoid"}, {"aten::linalg_diagonal", "aten::diagonal"},
             {"aten::vdot", "aten::dot"}, {"aten::matrix_H", "aten::mH"}})
      r.AddAlias(alias, target);
    return r;
  }();
  return registry;
}

}  // namespace t2o
