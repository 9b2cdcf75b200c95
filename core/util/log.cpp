#include "core/util/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace t2o {

spdlog::logger& Log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("torch2onnx");
    l->set_pattern("[torch2onnx] %^%l%$: %v");
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return *logger;
}

void SetLogLevel(spdlog::level::level_enum level) { Log().set_level(level); }

}  // namespace t2o
