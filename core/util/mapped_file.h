// A whole file mapped read-only into memory. Weights read from it are views into the
// mapping (no copy, and no resident memory until something touches them), and the writer
// can copy them into the ONNX file from the same descriptor without reading them at all.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace t2o {

class MappedFile {
 public:
  // Throws InputError naming the file when it cannot be opened or mapped.
  static std::shared_ptr<const MappedFile> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  MappedFile() = default;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  int fd_ = -1;
  std::string path_;
};

// Where a range of bytes lies in a mapped file (so it can be copied file to file).
struct FileSpan {
  std::shared_ptr<const MappedFile> file;
  uint64_t offset = 0;
};

}  // namespace t2o
