#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "core/capture/capture.h"
#include "core/capture/exported_program/zip_archive.h"
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

ModelFormat DetectModelFormat(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError("'" + path + "': no such file");
  if (std::filesystem::is_directory(path, ec)) throw InputError("'" + path + "' is a directory, not a model file");
  ZipArchive archive = ZipArchive::OpenFile(path);  // says "not a zip" or "damaged" itself
  std::set<std::string> leaf_names;  // names with the top-level folder stripped
  for (const std::string& n : archive.names()) {
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
