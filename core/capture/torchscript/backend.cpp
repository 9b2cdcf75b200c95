// libt2o_torch.so's entry point: the TorchBackend over libtorch.
#include "core/capture/exported_program/reference.h"
#include "core/capture/torch_backend.h"
#include "core/capture/torchscript/capture.h"
#include "core/capture/torchscript/common.h"
#include "core/capture/quantization_schemas.h"
#include "core/capture/torchvision_schemas.h"
#include "core/util/errors.h"
#include "core/util/log.h"

#include <c10/util/Exception.h>

#include <dlfcn.h>

#include <filesystem>

namespace t2o {
namespace {

// libtorch's warnings (deprecations of what a saved model calls, say) go to the log at
// debug level: the user sees them with -v, and errors stay one line.
class LogWarnings : public c10::WarningHandler {
 public:
  void process(const c10::Warning& warning) override { Log().debug("libtorch: {}", warning.msg()); }
};

// The operators libt2o_torch defines for extension libraries models call, registered
// after any --load-library libraries so that their own definitions win.
void RegisterBuiltinExtensionOps() {
  static LogWarnings handler;
  c10::WarningUtils::set_warning_handler(&handler);
  RegisterTorchvisionOpsUnlessLoaded();
  RegisterQuantizationOpsUnlessLoaded();
}

// A c10::Error escaping libtorch as one line (its C++ frames only with -v).
template <typename Call>
auto OneLineErrors(const std::string& what, Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const c10::Error& e) {
    Log().debug("{}", e.what());
    throw ExportError(what + ": libtorch failed: " + torchscript::ErrorLine(e));
  }
}

class LibtorchBackend : public TorchBackend {
 public:
  CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options,
                                     std::vector<CaptureAttempt>* attempts) const override {
    RegisterBuiltinExtensionOps();
    return OneLineErrors("capturing '" + path + "'", [&] { return torchscript::CaptureModule(path, options, attempts); });
  }
  std::unique_ptr<ReferenceModel> MakeIrReference(const ir::Graph& graph) const override {
    RegisterBuiltinExtensionOps();
    return MakeLibtorchIrReference(graph);
  }
  std::vector<std::pair<std::string, TensorData>> LoadTorchScriptWeights(const std::string& path) const override {
    RegisterBuiltinExtensionOps();
    return torchscript::LoadModuleWeights(path);
  }
  void LoadExtensionLibraries(const std::vector<std::string>& paths) const override {
    for (const auto& path : paths) {
      if (!std::filesystem::is_regular_file(path))
        throw InputError("--load-library '" + path + "': no such file");
      // Global, as torch.ops.load_library does: the library registers its operators with
      // the libtorch this process has loaded, and later libraries may link against it.
      if (!dlopen(std::filesystem::absolute(path).c_str(), RTLD_NOW | RTLD_GLOBAL))
        throw InputError("--load-library '" + path + "' does not load: " + dlerror());
    }
    RegisterBuiltinExtensionOps();
  }
};

}  // namespace
}  // namespace t2o

extern "C" const t2o::TorchBackend* t2o_torch_backend() {
  static const t2o::LibtorchBackend backend;
  return &backend;
}
