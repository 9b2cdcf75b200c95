// The .pt2 reader: both layouts, the program JSON, weight configs and payloads, the
// example inputs; then the program is built into the IR.
#include "core/capture/capture.h"
#include "core/util/errors.h"
#include "core/util/log.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  t2o::SetLogLevel(spdlog::level::off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  t2o::fuzz::MemoryFile file(data, size);
  for (t2o::ModelFormat layout : {t2o::ModelFormat::kExportedProgramArchive, t2o::ModelFormat::kExportedProgramFlat}) {
    try {
      t2o::CaptureOptions options;
      t2o::CaptureExportedProgram(file.path(), layout, options, nullptr);
    } catch (const t2o::Error&) {
    }
  }
  return 0;
}
