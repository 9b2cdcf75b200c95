#include "core/plugin/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>

#include "core/plugin/plugin_api.h"
#include "core/util/errors.h"
#include "core/util/log.h"

namespace t2o {

void LoadTranslatorPlugin(const std::string& path, Registry& registry) {
  std::string where = "--translator-plugin '" + path + "'";
  if (!std::filesystem::is_regular_file(path)) throw InputError(where + ": no such file");
  // Never closed: the registry keeps the plugin's translators.
  void* handle = dlopen(std::filesystem::absolute(path).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw InputError(where + " does not load: " + dlerror());
  using VersionFn = int (*)();
  using RegisterFn = void (*)(PluginRegistrar&);
  auto version = reinterpret_cast<VersionFn>(dlsym(handle, "t2o_plugin_api_version"));
  auto register_translators = reinterpret_cast<RegisterFn>(dlsym(handle, "t2o_plugin_register"));
  if (!version || !register_translators)
    throw InputError(where + " is not a translator plugin (no T2O_PLUGIN entry points; see core/plugin/plugin_api.h)");
  if (version() != T2O_PLUGIN_API_VERSION)
    throw InputError(where + " was built for plugin API version " + std::to_string(version()) + "; this tool has " +
                     std::to_string(T2O_PLUGIN_API_VERSION) + ": rebuild it against this version's headers");
  registry.SetFamily("plugin " + std::filesystem::path(path).filename().string());
  PluginRegistrar registrar(registry);
  try {
    register_translators(registrar);
  } catch (const std::exception& e) {
    throw InputError(where + ": registering its translators failed: " + e.what());
  }
  Log().debug("loaded translator plugin {}", path);
}

}  // namespace t2o
