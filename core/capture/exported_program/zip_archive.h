// Read-only access to the records of a zip archive (a .pt2 file, or a torch.save blob
// nested inside one), by name. No libtorch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

typedef struct zip zip_t;

namespace t2o {

using Bytes = std::shared_ptr<const std::vector<uint8_t>>;

class ZipArchive {
 public:
  // `label` names the archive in error messages ("'model.pt2'", "serialized_state_dict.pt").
  static ZipArchive OpenFile(const std::string& path);
  static ZipArchive OpenBuffer(Bytes data, const std::string& label);
  ZipArchive(ZipArchive&&) noexcept;
  ~ZipArchive();

  const std::vector<std::string>& names() const { return names_; }
  bool Has(const std::string& name) const;
  std::optional<uint64_t> Size(const std::string& name) const;
  // The record's bytes; throws InputError naming the archive when it is missing or unreadable.
  Bytes Read(const std::string& name) const;
  const std::string& label() const { return label_; }

 private:
  ZipArchive() = default;
  struct Closer {
    void operator()(zip_t* z) const;
  };
  std::unique_ptr<zip_t, Closer> zip_;
  Bytes buffer_;  // keeps an in-memory archive alive
  std::vector<std::string> names_;
  std::string label_;
};

}  // namespace t2o
