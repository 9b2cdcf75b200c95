// What needs libtorch: TorchScript capture, the .pt2 reference run of --verify, and
// TorchScript weights for apply-weights. That code lives in libt2o_torch.so (next to
// libt2o.so), loaded on first use, so that a .pt2 conversion without --verify never
// loads libtorch (its start-up alone costs a third of a second and 100 MB).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/capture/capture.h"

namespace t2o {

class TorchBackend {
 public:
  virtual ~TorchBackend() = default;
  virtual CapturedProgram CaptureTorchScript(const std::string& path, const CaptureOptions& options,
                                             std::vector<CaptureAttempt>* attempts) const = 0;
  virtual std::unique_ptr<ReferenceModel> MakeIrReference(const ir::Graph& graph) const = 0;
  virtual std::vector<std::pair<std::string, TensorData>> LoadTorchScriptWeights(const std::string& path) const = 0;
  // Loads custom-op libraries (--load-library; what torch.ops.load_library does), then the
  // built-in torchvision operators they did not bring. Call it before the first capture:
  // the other calls register the built-in operators themselves. Throws InputError naming
  // the library that does not load.
  virtual void LoadExtensionLibraries(const std::vector<std::string>& paths) const = 0;
};

// The backend, loaded on the first call; throws ExportError saying why when it cannot be.
const TorchBackend& Torch();

}  // namespace t2o

// What libt2o_torch.so exports.
extern "C" const t2o::TorchBackend* t2o_torch_backend();
