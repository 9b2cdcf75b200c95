// The --input-spec, --dynamic-shapes and --dynamic-axes JSON parsers. The first byte
// picks the parser; text starting with '@' (a file indirection) is skipped.
#include <string>

#include "core/capture/dynamic_shapes.h"
#include "core/capture/input_spec.h"
#include "core/util/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!text.empty() && text[0] == '@') return 0;
  try {
    switch (data[0] % 3) {
      case 0: {
        std::vector<t2o::InputTree> trees = t2o::ParseInputSpecJson(text);
        std::vector<const t2o::TensorSpec*> leaves;
        for (const auto& tree : trees) t2o::CollectLeafSpecs(tree, leaves);
        break;
      }
      case 1: {
        t2o::InputTree leaf;
        leaf.tensor.shape = {4, 8, 3};
        std::vector<t2o::InputTree> trees{leaf, leaf};
        t2o::ResolveDynamicShapes(text, trees, {"x", "y"}, {{4, 8, 3}, {4, 8, 3}});
        break;
      }
      default:
        t2o::ParseDynamicAxes(text);
    }
  } catch (const t2o::Error&) {
  }
  return 0;
}
