// Process memory readings for --profile: current and peak resident set size, and a way
// to restart the peak so that each pipeline stage gets its own.
#pragma once

#include <cstdint>

namespace t2o {

struct MemoryReading {
  int64_t rss_bytes = 0;   // VmRSS
  int64_t peak_bytes = 0;  // VmHWM since the last ResetPeakRss()
};

MemoryReading ReadMemory();

// Linux lets a process restart its own high-water mark (clear_refs "5"); returns false
// where that is not possible, in which case peaks are process-wide.
bool ResetPeakRss();

}  // namespace t2o
