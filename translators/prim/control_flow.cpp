// Control flow of scripted modules: prim::If -> ONNX If, prim::Loop -> ONNX Loop.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

onnx::ValueInfo InfoFor(const ir::Value& v, const std::string& name) {
  onnx::ValueInfo info;
  info.name = name;
  info.dtype = v.IsTensor() ? v.meta.dtype : TranslationContext::ScalarDType(v.kind);
  if (info.dtype == DType::kUndefined)
    throw UnsupportedError("control flow over a " + std::string(ir::ValueKindName(v.kind)) + " value is not supported");
  return info;
}

// prim::If(bool cond) -> (outputs...) with blocks [then, else].
void TranslateIf(TranslationContext& ctx) {
  const ir::Node& node = ctx.node();
  if (ctx.IsConstant(0)) {
    // Decided at export time (e.g. `if self.training`): inline the branch taken.
    const ir::Block& taken = *node.blocks[ctx.ConstBool(0, "cond") ? 0 : 1];
    ctx.TranslateBlockNodes(taken);
    for (size_t j = 0; j < node.outputs.size(); ++j) {
      const ir::Value* out = taken.outputs[j];
      if (const Binding* b = ctx.Find(out))
        ctx.SetOutputBinding(j, *b);
      else
        ctx.SetOutputBinding(j, Binding{ctx.Materialize(*out), {}, false});
    }
    return;
  }
  std::string cond = ctx.OperandAs(0, DType::kBool);
  auto then_graph = ctx.TranslateSubgraph(*node.blocks[0], {}, "then_branch");
  auto else_graph = ctx.TranslateSubgraph(*node.blocks[1], {}, "else_branch");
  auto outs = ctx.OpMulti("If", {cond}, node.outputs.size(), {{"then_branch", then_graph}, {"else_branch", else_graph}});
  for (size_t j = 0; j < outs.size(); ++j) ctx.SetOutput(j, outs[j]);
}

// prim::Loop(int max_trip_count, bool initial_condition, carried...) with body
// block(iter, carried...) -> (condition, carried...). ONNX Loop has the same shape plus a
// condition input to the body.
void TranslateLoop(TranslationContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Block& body = *node.blocks[0];
  std::string max_trip = ctx.IsConstant(0) ? ctx.ConstInt64(ctx.ConstInt(0, "max_trip_count")) : ctx.ScalarInput(0, DType::kInt64);
  std::string cond = ctx.OperandAs(1, DType::kBool);
  std::vector<std::string> inputs{max_trip, cond};
  std::vector<TranslationContext::SubgraphInput> body_inputs;
  body_inputs.push_back({body.inputs[0], onnx::ValueInfo{"iter", DType::kInt64, std::vector<ir::Dim>{}, {}}});
  body_inputs.push_back({nullptr, onnx::ValueInfo{"cond_in", DType::kBool, std::vector<ir::Dim>{}, {}}});
  for (size_t k = 2; k < ctx.NumInputs(); ++k) {
    inputs.push_back(ctx.Materialize(ctx.InputValue(k)));
    body_inputs.push_back({body.inputs[k - 1], InfoFor(*body.inputs[k - 1], body.inputs[k - 1]->name)});
  }
  auto body_graph = ctx.TranslateSubgraph(body, body_inputs, "loop_body");
  // The body's first output is its condition: a bool.
  body_graph->outputs[0].dtype = DType::kBool;
  auto outs = ctx.OpMulti("Loop", inputs, node.outputs.size(), {{"body", body_graph}});
  for (size_t j = 0; j < outs.size(); ++j) ctx.SetOutput(j, outs[j]);
}

}  // namespace

void RegisterControlFlow(Registry& r) {
  r.SetFamily("control_flow");
  r.Add("prim::If", TranslateIf);
  r.Add("prim::Loop", TranslateLoop);
}

}  // namespace t2o
