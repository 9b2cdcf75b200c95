#include "core/capture/exported_program/zip_archive.h"

#include <zip.h>

#include <algorithm>

#include "core/util/errors.h"

namespace t2o {

void ZipArchive::Closer::operator()(zip_t* z) const { zip_discard(z); }

ZipArchive::ZipArchive(ZipArchive&&) noexcept = default;
ZipArchive::~ZipArchive() = default;

namespace {

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

std::vector<std::string> ListNames(zip_t* z) {
  std::vector<std::string> names;
  zip_int64_t count = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < count; ++i)
    if (const char* name = zip_get_name(z, i, 0)) names.emplace_back(name);
  return names;
}

}  // namespace

ZipArchive ZipArchive::OpenFile(const std::string& path) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z) throw InputError("'" + path + "': cannot open the zip archive (" + ZipErrorText(err) + ")");
  ZipArchive archive;
  archive.zip_.reset(z);
  archive.names_ = ListNames(z);
  archive.label_ = "'" + path + "'";
  return archive;
}

ZipArchive ZipArchive::OpenBuffer(Bytes data, const std::string& label) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data->data(), data->size(), 0, &error);
  zip_t* z = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (!z) {
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (source) zip_source_free(source);
    throw InputError(label + " is not a readable torch.save archive (" + reason + ")");
  }
  zip_error_fini(&error);
  ZipArchive archive;
  archive.zip_.reset(z);
  archive.buffer_ = std::move(data);
  archive.names_ = ListNames(z);
  archive.label_ = label;
  return archive;
}

bool ZipArchive::Has(const std::string& name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::optional<uint64_t> ZipArchive::Size(const std::string& name) const {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip_.get(), name.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) return std::nullopt;
  return st.size;
}

Bytes ZipArchive::Read(const std::string& name) const {
  auto size = Size(name);
  if (!size) throw InputError(label_ + ": the record '" + name + "' is missing");
  auto bytes = std::make_shared<std::vector<uint8_t>>(*size);
  zip_file_t* f = zip_fopen(zip_.get(), name.c_str(), 0);
  if (!f) throw InputError(label_ + ": cannot read the record '" + name + "'");
  zip_int64_t got = *size ? zip_fread(f, bytes->data(), *size) : 0;
  zip_fclose(f);
  if (got < 0 || static_cast<uint64_t>(got) != *size)
    throw InputError(label_ + ": the record '" + name + "' is damaged (read " + std::to_string(got) + " of " +
                     std::to_string(*size) + " bytes)");
  return bytes;
}

}  // namespace t2o
