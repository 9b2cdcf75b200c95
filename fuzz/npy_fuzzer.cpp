// .npy input files (--input-data, --input-spec {"npy": ...}).
#include "core/capture/input_spec.h"
#include "core/util/errors.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  t2o::fuzz::MemoryFile file(data, size);
  try {
    t2o::TensorData tensor = t2o::ReadNpy(file.path());
    volatile int64_t sink = tensor.numel();
    (void)sink;
  } catch (const t2o::Error&) {
  }
  return 0;
}
