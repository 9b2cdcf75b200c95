// What the CLI prints: human-readable lines, the --profile table, and the --json summary.
#pragma once

#include <nlohmann/json.hpp>

#include "core/pipeline.h"

namespace t2o::cli {

nlohmann::json ConvertSummaryJson(const ConvertOptions& options, const ConvertResult& result);
void PrintConvertHuman(const ConvertOptions& options, const ConvertResult& result, bool quiet);
void PrintProfile(const ConvertResult& result);  // stderr

nlohmann::json InspectSummaryJson(const ConvertOptions& options, const InspectResult& result);
void PrintInspectHuman(const ConvertOptions& options, const InspectResult& result);

}  // namespace t2o::cli
