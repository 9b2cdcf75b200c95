// TorchScript capture (libtorch): a torch.jit.save'd module -> our IR, with the module
// itself as the reference for --verify. Part of libt2o_torch.so (core/capture/torch_backend.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/capture/capture.h"

namespace t2o::torchscript {

CapturedProgram CaptureModule(const std::string& path, const CaptureOptions& options,
                              std::vector<CaptureAttempt>* attempts);

// Parameters and buffers by fully qualified name (apply-weights).
std::vector<std::pair<std::string, TensorData>> LoadModuleWeights(const std::string& path);

}  // namespace t2o::torchscript
