// ONNX Loops that translators write themselves: the iterative algorithms (Jacobi sweeps,
// series summed until they converge, recurrences) that have no ONNX operator.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "translators/common/helpers.h"

namespace t2o {

// A value the Loop carries from one iteration to the next; it keeps its dtype.
struct LoopCarried {
  std::string name;  // the body input's name stem, for a readable subgraph
  DType dtype;
  std::string initial;  // its value before the first iteration
};

// What one iteration returns: whether to go on ("" passes the incoming condition on) and
// the next carried values, in the order of the LoopCarried list.
struct LoopStep {
  std::string go_on;
  std::vector<std::string> carried;
};
// One iteration, from the iteration number (0-d int64) and the carried values.
using LoopStepFn = std::function<LoopStep(const std::string& iteration, const std::vector<std::string>& carried)>;

// An ONNX Loop of at most `trips` iterations ("" for no limit) that starts when `go_on`
// holds ("" for always). Returns the carried values after the last iteration.
inline std::vector<std::string> RunLoop(TranslationContext& ctx, const std::string& name, const std::string& trips,
                                        const std::string& go_on, const std::vector<LoopCarried>& carried,
                                        const LoopStepFn& step) {
  const std::vector<ir::Dim> scalar{};
  std::vector<onnx::ValueInfo> inputs{{"i", DType::kInt64, scalar, {}}, {"cond_in", DType::kBool, scalar, {}}};
  std::vector<std::string> loop_inputs{trips, go_on};
  for (const auto& c : carried) {
    inputs.push_back({c.name, c.dtype, std::nullopt, {}});
    loop_inputs.push_back(c.initial);
  }
  auto body = ctx.BuildSubgraph(name, inputs, [&](const std::vector<std::string>& in) {
    LoopStep next = step(in[0], std::vector<std::string>(in.begin() + 2, in.end()));
    if (next.carried.size() != carried.size())
      throw std::logic_error("Loop " + name + ": the step returned " + std::to_string(next.carried.size()) +
                             " carried values for " + std::to_string(carried.size()));
    std::vector<onnx::ValueInfo> outputs{{next.go_on.empty() ? in[1] : next.go_on, DType::kBool, scalar, {}}};
    for (size_t k = 0; k < carried.size(); ++k) outputs.push_back({next.carried[k], carried[k].dtype, std::nullopt, {}});
    return outputs;
  });
  return ctx.OpMulti("Loop", loop_inputs, carried.size(), {{"body", body}});
}

}  // namespace t2o
