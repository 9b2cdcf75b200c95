// The built-in translator registry: one Register<Family> call per file in translators/.
#include "core/translate/registry.h"

namespace t2o {

void RegisterActivation(Registry& r);
void RegisterAttention(Registry& r);
void RegisterConvPool(Registry& r);
void RegisterElementwise(Registry& r);
void RegisterLinalg(Registry& r);
void RegisterNormalization(Registry& r);
void RegisterReduction(Registry& r);
void RegisterShape(Registry& r);
void RegisterTensorOps(Registry& r);
void RegisterSorting(Registry& r);
void RegisterIndexing(Registry& r);
void RegisterRearrange(Registry& r);
void RegisterNorms(Registry& r);
void RegisterRecurrent(Registry& r);
void RegisterSampling(Registry& r);
void RegisterContainers(Registry& r);
void RegisterControlFlow(Registry& r);

const Registry& BuiltinRegistry() {
  static const Registry registry = [] {
    Registry r;
    RegisterActivation(r);
    RegisterAttention(r);
    RegisterConvPool(r);
    RegisterElementwise(r);
    RegisterLinalg(r);
    RegisterNormalization(r);
    RegisterReduction(r);
    RegisterShape(r);
    RegisterTensorOps(r);
    RegisterSorting(r);
    RegisterIndexing(r);
    RegisterRearrange(r);
    RegisterNorms(r);
    RegisterRecurrent(r);
    RegisterSampling(r);
    RegisterContainers(r);
    RegisterControlFlow(r);
    return r;
  }();
  return registry;
}

}  // namespace t2o
