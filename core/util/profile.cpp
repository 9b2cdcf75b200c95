#include "core/util/profile.h"

#include <fstream>
#include <sstream>
#include <string>

namespace t2o {

MemoryReading ReadMemory() {
  MemoryReading reading;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream fields(line);
    std::string key;
    int64_t kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") reading.rss_bytes = kib * 1024;
    if (key == "VmHWM:") reading.peak_bytes = kib * 1024;
  }
  return reading;
}

bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

}  // namespace t2o
