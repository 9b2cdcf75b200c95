// The ONNX-level optimizer (--optimize, on by default). Capture already folds everything
// static at the ATen level; these passes clean up what translation leaves behind:
// constant folding, no-op removal, common-subexpression elimination and dead-code
// elimination, run to a fixed point, in subgraphs too.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/onnx/model.h"

namespace t2o::optimize {

struct OptimizeOptions {
  size_t max_folded_bytes = size_t{1} << 20;  // larger results stay computed (model size)
  int max_rounds = 8;
};

// What one pass did over all rounds.
struct PassStats {
  std::string pass;
  int nodes_removed = 0;
  int nodes_added = 0;
  int initializers_added = 0;
  int initializers_removed = 0;
  std::map<std::string, int> counts;  // what was removed/merged/folded, by op type
  std::string detail;                 // human-readable summary, for the report
};

struct OptimizeResult {
  std::vector<PassStats> passes;
  size_t nodes_before = 0;
  size_t nodes_after = 0;
  int rounds = 0;
};

OptimizeResult OptimizeModel(onnx::OnnxModel& model, const OptimizeOptions& options = {});

}  // namespace t2o::optimize
