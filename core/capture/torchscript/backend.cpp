// libt2o_torch.so's entry point: the TorchBackend over libtorch.
#include "core/capture/exported_program/reference.h"
#include "core/capture/torch_backend.h"
#include "core/capture/torchscript/capture.h"
#include "core/capture/torchscript/common.h"
#include "core/capture/quantization_schemas.h"
#include "core/capture/torchvision_schemas.h"
#include "core/util/errors.h"
#include "core/util/log.h"
#include "core/util/process.h"

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

// The line of a libtorch failure that says what went wrong: the first of a c10::Error
// (before its C++ frames), the last of the TorchScript interpreter's report (after its
// TorchScript traceback).
std::string FailureLine(const std::exception& e) {
  if (const auto* c10_error = dynamic_cast<const c10::Error*>(&e)) return torchscript::ErrorLine(*c10_error);
  std::string text = e.what();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// Everything escaping libtorch as one line (the whole message only with -v).
template <typename Call>
auto OneLineErrors(const std::string& what, Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw OutOfMemoryFailure(what);
  } catch (const std::exception& e) {
    Log().debug("{}", e.what());
    std::string line = FailureLine(e);
    if (line.find("can't allocate memory") != std::string::npos) throw OutOfMemoryFailure(what);
    throw ExportError(what + ": libtorch failed: " + line);
  }
}

// The reference run of the original model, its failures reported as one line.
class OneLineReference : public ReferenceModel {
 public:
  explicit OneLineReference(std::unique_ptr<ReferenceModel> inner) : inner_(std::move(inner)) {}
  std::vector<TensorData> Run(const std::vector<TensorData>& flat_inputs) override {
    return OneLineErrors("running the model in libtorch", [&] { return inner_->Run(flat_inputs); });
  }
  std::vector<std::pair<std::string, TensorData>> RunIntermediates(const std::vector<TensorData>& flat_inputs) override {
    return OneLineErrors("running the model in libtorch", [&] { return inner_->RunIntermediates(flat_inputs); });
  }

 private:
  std::unique_ptr<ReferenceModel> inner_;
};

class LibtorchBackend : public TorchBackend {
 public:
  CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options,
                                     std::vector<CaptureAttempt>* attempts) const override {
    RegisterBuiltinExtensionOps();
    CapturedProgram program =
        OneLineErrors("capturing '" + path + "'", [&] { return torchscript::CaptureModule(path, options, attempts); });
    if (program.reference) program.reference = std::make_unique<OneLineReference>(std::move(program.reference));
    return program;
  }
  std::unique_ptr<ReferenceModel> MakeIrReference(const ir::Graph& graph) const override {
    RegisterBuiltinExtensionOps();
    return std::make_unique<OneLineReference>(MakeLibtorchIrReference(graph));
  }
  std::vector<std::pair<std::string, TensorData>> LoadTorchScriptWeights(const std::string& path) const override {
    RegisterBuiltinExtensionOps();
    return OneLineErrors("loading the weights of '" + path + "'", [&] { return torchscript::LoadModuleWeights(path); });
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
