// The torch.save reader: a zip holding data.pkl and storages, unpickled with tensors
// rebuilt; the result is described (walked) as the capture walks it.
#include "core/capture/exported_program/torch_pickle.h"
#include "core/util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  t2o::ByteRange bytes;
  bytes.data = data;
  bytes.size = size;
  try {
    t2o::PyRef object = t2o::LoadTorchSave(bytes, "fuzz input");
    volatile size_t sink = object ? object->Describe().size() : 0;
    (void)sink;
  } catch (const t2o::Error&) {
  }
  return 0;
}
