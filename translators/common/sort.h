// Sorting as PyTorch orders: shared by aten::sort/argsort/topk and the order statistics.
#pragma once

#include <string>

#include "translators/common/helpers.h"

namespace t2o {

// The keys ONNX TopK orders x (of dtype dt) by: ONNX Runtime's TopK takes float32/float64/
// int32/int64, so narrower types are widened (exactly); NaN becomes +inf.
std::string SortKeys(TranslationContext& ctx, const std::string& x, DType dt);

struct SortedAlong {
  std::string values;   // x's own values (dtype and NaN kept)
  std::string indices;  // int64 positions along the axis
  std::string keys;     // the sort keys (SortKeys), in the same order
};

// x sorted along `axis` exactly as PyTorch's stable sort: ties keep their index order (ONNX
// TopK's documented tie rule, in both directions) and NaN counts as larger than +inf (last
// ascending, first descending; a second, stable pass on the NaN flags places them).
SortedAlong StableSort(TranslationContext& ctx, const std::string& x, DType dt, int64_t axis, bool descending);

}  // namespace t2o
