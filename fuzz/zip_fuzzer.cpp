// The zip reader: directory parsing and every record read (stored and deflated).
#include "core/capture/exported_program/zip_archive.h"
#include "core/util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  t2o::ByteRange bytes;
  bytes.data = data;
  bytes.size = size;
  try {
    t2o::ZipArchive zip = t2o::ZipArchive::OpenBuffer(bytes, "fuzz input");
    for (const auto& name : zip.names()) {
      try {
        t2o::ByteRange record = zip.Read(name);
        volatile uint8_t sink = record.size ? record.data[record.size - 1] : 0;
        (void)sink;
      } catch (const t2o::Error&) {
      }
    }
  } catch (const t2o::Error&) {
  }
  return 0;
}
