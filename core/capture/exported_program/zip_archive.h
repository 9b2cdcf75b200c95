// Read-only access to the records of a zip archive (a .pt2 or TorchScript file, or a
// torch.save blob nested inside one), by name. The file is memory-mapped: a stored record
// is a view into the mapping (weights are never copied), a deflated one is inflated into
// memory. Every offset and size the archive declares is checked against the bytes that
// are there before it is used. No libtorch, no libzip.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/util/mapped_file.h"

namespace t2o {

// The most a file may make the tool allocate for one record before the bytes are there to
// check it against: an inflated (deflated) record, or the zeros of an empty "fake" weight.
constexpr uint64_t kMaxUncheckedAllocationBytes = uint64_t{1} << 30;

// A read-only range of bytes kept alive by `owner`; `span.file` is set when the bytes are
// an unmodified range of a mapped file (the writer can then copy them file to file).
struct ByteRange {
  std::shared_ptr<const void> owner;
  const uint8_t* data = nullptr;
  size_t size = 0;
  FileSpan span;

  bool empty() const { return size == 0; }
};
using Bytes = ByteRange;

class ZipArchive {
 public:
  // `label` names the archive in error messages ("'model.pt2'", "serialized_state_dict.pt").
  static ZipArchive OpenFile(const std::string& path);
  static ZipArchive OpenBuffer(ByteRange data, const std::string& label);

  const std::vector<std::string>& names() const { return names_; }
  bool Has(const std::string& name) const { return entries_.count(name) > 0; }
  std::optional<uint64_t> Size(const std::string& name) const;
  // The record's bytes; throws InputError naming the archive when it is missing or damaged.
  ByteRange Read(const std::string& name) const;
  const std::string& label() const { return label_; }

 private:
  struct Entry {
    uint64_t local_header = 0;
    uint64_t compressed = 0;
    uint64_t size = 0;
    uint16_t method = 0;
    uint16_t flags = 0;
  };
  ZipArchive() = default;
  void ReadDirectory(bool is_file);

  ByteRange data_;
  std::vector<std::string> names_;  // in directory order
  std::map<std::string, Entry> entries_;
  std::string label_;
};

}  // namespace t2o
