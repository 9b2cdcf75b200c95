// libt2o_torch.so's entry point: the TorchBackend over libtorch.
#include "core/capture/exported_program/reference.h"
#include "core/capture/torch_backend.h"
#include "core/capture/torchscript/capture.h"

namespace t2o {
namespace {

class LibtorchBackend : public TorchBackend {
 public:
  CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options,
                                     std::vector<CaptureAttempt>* attempts) const override {
    return torchscript::CaptureModule(path, options, attempts);
  }
  std::unique_ptr<ReferenceModel> MakeIrReference(const ir::Graph& graph) const override {
    return MakeLibtorchIrReference(graph);
  }
  std::vector<std::pair<std::string, TensorData>> LoadTorchScriptWeights(const std::string& path) const override {
    return torchscript::LoadModuleWeights(path);
  }
};

}  // namespace
}  // namespace t2o

extern "C" const t2o::TorchBackend* t2o_torch_backend() {
  static const t2o::LibtorchBackend backend;
  return &backend;
}
