// NumPy-style advanced indexing shared by aten::index and aten::index_put: index tensors at
// some dims of x and ':' (None) at the others, e.g. x[:, i, j] or x[i, :, mask].
#pragma once

#include <string>
#include <vector>

#include "translators/common/helpers.h"

namespace t2o {

struct AdvancedIndex {
  int64_t rank = 0;                // x's rank
  std::vector<int64_t> indexed;    // x's dims that are indexed, in order
  std::vector<int64_t> rest;       // the other dims, in order
  std::string stacked;             // [*B, k] int64: the broadcast indices on a new last axis
  std::string index_shape;         // B, 1-D int64
  int64_t index_rank = 0;          // rank of B
  // Indexed dims next to each other: B replaces them in the result (x[:, i, j] -> [n0, *B, ...]);
  // otherwise B comes first (x[i, :, j] -> [*B, n1, ...]), as in PyTorch.
  bool adjacent = true;
};

// `entries` are the index list's elements (nullptr or a None value for ':'), `names` their
// ONNX values. A bool (or uint8) mask stands for the coordinates where it holds, one index
// per dim it covers.
AdvancedIndex PrepareAdvancedIndex(TranslationContext& ctx, const std::vector<const ir::Value*>& entries,
                                   const std::vector<std::string>& names, int64_t rank);

// x[index] in PyTorch's layout.
std::string GatherAdvanced(TranslationContext& ctx, const std::string& x, const AdvancedIndex& index);

// x[index] = values (values broadcast to the shape of x[index]); accumulate adds instead.
std::string ScatterAdvanced(TranslationContext& ctx, const std::string& x, const std::string& values,
                            const AdvancedIndex& index, bool accumulate);

}  // namespace t2o
