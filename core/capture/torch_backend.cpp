#include "core/capture/torch_backend.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>

#include "core/util/errors.h"
#include "core/util/log.h"

namespace t2o {
namespace {

using Entry = const TorchBackend* (*)();

const TorchBackend* Load() {
  // Linked in already (the test programs link libt2o_torch.so directly)?
  if (auto entry = reinterpret_cast<Entry>(dlsym(RTLD_DEFAULT, "t2o_torch_backend"))) return entry();
  // It sits next to libt2o.so (this code), wherever that was loaded from.
  Dl_info self{};
  if (!dladdr(reinterpret_cast<void*>(&Load), &self) || !self.dli_fname)
    throw ExportError("cannot find where libt2o.so was loaded from");
  std::filesystem::path library = std::filesystem::path(self.dli_fname).parent_path() / "libt2o_torch.so";
  Log().debug("loading {}", library.string());
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw ExportError(std::string("cannot load the libtorch support library: ") + dlerror());
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "t2o_torch_backend"));
  if (!entry) throw ExportError(library.string() + " has no t2o_torch_backend()");
  return entry();
}

// Runs the captured graph with libtorch only when verification first asks for it.
class LazyIrReference : public ReferenceModel {
 public:
  explicit LazyIrReference(const ir::Graph& graph) : graph_(graph) {}
  std::vector<TensorData> Run(const std::vector<TensorData>& inputs) override { return Get().Run(inputs); }
  std::vector<std::pair<std::string, TensorData>> RunIntermediates(const std::vector<TensorData>& inputs) override {
    return Get().RunIntermediates(inputs);
  }

 private:
  ReferenceModel& Get() {
    if (!real_) real_ = Torch().MakeIrReference(graph_);
    return *real_;
  }
  const ir::Graph& graph_;
  std::unique_ptr<ReferenceModel> real_;
};

}  // namespace

const TorchBackend& Torch() {
  static std::once_flag once;
  static const TorchBackend* backend = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    try {
      backend = Load();
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  if (!backend) throw ExportError(failure);
  return *backend;
}

CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options,
                                   std::vector<CaptureAttempt>* attempts) {
  return Torch().CaptureTorchScript(path, options, attempts);
}

std::vector<std::pair<std::string, TensorData>> LoadTorchScriptWeights(const std::string& path) {
  return Torch().LoadTorchScriptWeights(path);
}

std::unique_ptr<ReferenceModel> MakeLazyIrReference(const ir::Graph& graph) {
  return std::make_unique<LazyIrReference>(graph);
}

}  // namespace t2o
