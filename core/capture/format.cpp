#include <zip.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "core/capture/capture.h"
#include "core/util/errors.h"

namespace t2o {

std::string_view ModelFormatName(ModelFormat format) {
  switch (format) {
    case ModelFormat::kTorchScript: return "TorchScript";
    case ModelFormat::kExportedProgramFlat: return "ExportedProgram (flat layout)";
    case ModelFormat::kExportedProgramArchive: return "ExportedProgram (pt2 archive)";
  }
  return "?";
}

namespace {

// A zip archive starts with a local file header; one that libzip cannot open was cut short
// or damaged (torch.save writes the central directory last).
bool StartsLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

}  // namespace

ModelFormat DetectModelFormat(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError("'" + path + "': no such file");
  if (std::filesystem::is_directory(path, ec)) throw InputError("'" + path + "' is a directory, not a model file");
  int err = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err),
                                                         &zip_discard);
  if (!archive) {
    zip_error_t error;
    zip_error_init_with_code(&error, err);
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (err == ZIP_ER_NOZIP && StartsLikeZip(path))
      throw InputError("'" + path + "' is a damaged or truncated zip archive (" + reason + ")");
    if (err == ZIP_ER_NOZIP)
      throw InputError("'" + path + "' is not a PyTorch model: not a zip archive (expected a torch.jit.save or torch.export.save file)");
    throw InputError("'" + path + "' is not a readable zip archive (" + reason + "); the file may be truncated or corrupt");
  }
  std::set<std::string> leaf_names;  // names with the top-level folder stripped
  zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive.get(), i, 0);
    if (!name) continue;
    std::string n = name;
    leaf_names.insert(n);
    auto slash = n.find('/');
    if (slash != std::string::npos) leaf_names.insert(n.substr(slash + 1));
  }
  auto has = [&](const std::string& n) { return leaf_names.count(n) > 0; };
  auto has_prefix = [&](const std::string& p) {
    for (const auto& n : leaf_names)
      if (n.rfind(p, 0) == 0) return true;
    return false;
  };
  if (has("archive_format") && has_prefix("models/")) return ModelFormat::kExportedProgramArchive;
  if (has("serialized_exported_program.json")) return ModelFormat::kExportedProgramFlat;
  if (has("data.pkl") && (has("constants.pkl") || has_prefix("code/"))) return ModelFormat::kTorchScript;
  if (has("data.pkl"))
    throw InputError("'" + path + "' was written by torch.save (a pickled module or state dict), not torch.jit.save or torch.export.save; "
                     "save the model with torch.jit.script/trace + torch.jit.save, or torch.export.save");
  std::string listing;
  int shown = 0;
  for (const auto& n : leaf_names) {
    if (n.find('/') != std::string::npos) continue;
    listing += (shown ? ", " : "") + n;
    if (++shown == 5) break;
  }
  throw InputError("'" + path + "' is a zip archive but not a PyTorch model (found: " + listing + ")");
}

}  // namespace t2o
