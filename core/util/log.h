// The project logger (spdlog, to stderr): quiet by default, -v for detail.
#pragma once

#include <spdlog/spdlog.h>

namespace t2o {

spdlog::logger& Log();
void SetLogLevel(spdlog::level::level_enum level);

}  // namespace t2o
