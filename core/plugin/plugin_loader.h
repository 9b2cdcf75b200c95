// Loads --translator-plugin libraries (core/plugin/plugin_api.h) into a registry.
#pragma once

#include <string>

#include "core/translate/registry.h"

namespace t2o {

// Adds the plugin's translators to `registry` (family "plugin <file name>"). Throws
// InputError naming the file when it does not load, is no plugin, or was built for
// another plugin API version.
void LoadTranslatorPlugin(const std::string& path, Registry& registry);

}  // namespace t2o
