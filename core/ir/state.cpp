#include "core/ir/state.h"

#include <algorithm>

namespace t2o::ir {

std::vector<StateBuffer> LiftStateBuffers(Graph& graph) {
  std::vector<StateBuffer> state;
  std::vector<GraphInput> lifted;
  for (auto& out : graph.outputs) {
    if (out.kind != OutputKind::kBufferMutation) continue;
    auto in = std::find_if(graph.inputs.begin(), graph.inputs.end(), [&](const GraphInput& i) {
      return i.kind != InputKind::kUserInput && i.target == out.name;
    });
    if (in == graph.inputs.end()) continue;
    state.push_back({out.name, *in->data});
    GraphInput input = *in;
    graph.inputs.erase(in);
    input.kind = InputKind::kUserInput;
    input.target = StateInputName(out.name);
    input.data.reset();
    input.value->name = StateInputName(out.name);
    lifted.push_back(input);
  }
  auto after_users = std::find_if(graph.inputs.begin(), graph.inputs.end(),
                                  [](const GraphInput& i) { return i.kind != InputKind::kUserInput; });
  graph.inputs.insert(after_users, lifted.begin(), lifted.end());
  return state;
}

}  // namespace t2o::ir
