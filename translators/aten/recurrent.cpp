// Recurrent layers: aten::lstm, aten::gru, aten::rnn_tanh, aten::rnn_relu (the `.input`
// overloads nn.LSTM/GRU/RNN produce) as ONNX LSTM/GRU/RNN, one ONNX node per layer,
// multi-layer, bidirectional, batch_first, with the given initial states; LSTMs with
// proj_size unrolled over time.
#include "translators/common/helpers.h"

namespace t2o {
namespace {

struct CellKind {
  const char* onnx_op;
  int gates;
  std::vector<int64_t> gate_order;  // ONNX gate k is PyTorch gate gate_order[k]
  const char* activation;           // RNN only
};

// PyTorch packs LSTM gates as (i, f, g, o), ONNX as (i, o, f, c); GRU (r, z, n) vs (z, r, h).
const CellKind kLstm{"LSTM", 4, {0, 3, 1, 2}, nullptr};
const CellKind kGru{"GRU", 3, {1, 0, 2}, nullptr};
const CellKind kRnnTanh{"RNN", 1, {0}, "Tanh"};
const CellKind kRnnRelu{"RNN", 1, {0}, "Relu"};

std::string ReorderGates(TranslationContext& ctx, const std::string& w, const CellKind& kind, int64_t hidden) {
  if (kind.gates == 1) return w;
  auto chunks = ctx.OpMulti("Split", {w, ctx.ConstInt64s(std::vector<int64_t>(kind.gates, hidden))},
                            static_cast<size_t>(kind.gates), {{"axis", int64_t{0}}});
  std::vector<std::string> ordered;
  for (int64_t g : kind.gate_order) ordered.push_back(chunks[g]);
  return ctx.Op("Concat", ordered, {{"axis", int64_t{0}}});
}

std::string StackDirections(TranslationContext& ctx, const std::vector<std::string>& per_direction) {
  std::vector<std::string> parts;
  for (const auto& p : per_direction) parts.push_back(Unsqueeze(ctx, p, {0}));
  return parts.size() == 1 ? parts[0] : ctx.Op("Concat", parts, {{"axis", int64_t{0}}});
}

// The layouts ONNX's recurrent ops use: input [seq, batch, features], states
// [layers * directions, batch, size]; an unbatched call gets a batch of one.
struct SequenceLayout {
  bool unbatched, batch_first;
};

SequenceLayout ToSequenceFirst(TranslationContext& ctx, bool batch_first, std::string& x, std::string& h, std::string* c) {
  SequenceLayout layout{ctx.Rank(0) == 2, batch_first};
  if (layout.unbatched) {
    x = Unsqueeze(ctx, x, {1});
    h = Unsqueeze(ctx, h, {1});
    if (c) *c = Unsqueeze(ctx, *c, {1});
  } else if (batch_first) {
    x = ctx.Op("Transpose", {x}, {{"perm", std::vector<int64_t>{1, 0, 2}}});
  }
  return layout;
}

// Outputs (y, h_n[, c_n]) back in the caller's layout.
void SetSequenceOutputs(TranslationContext& ctx, const SequenceLayout& layout, std::string y, std::string h_n,
                        const std::string& c_n) {
  if (layout.unbatched) {
    y = Squeeze(ctx, y, {1});
    h_n = Squeeze(ctx, h_n, {1});
  } else if (layout.batch_first) {
    y = ctx.Op("Transpose", {y}, {{"perm", std::vector<int64_t>{1, 0, 2}}});
  }
  ctx.SetOutput(0, y);
  ctx.SetOutput(1, h_n);
  if (!c_n.empty()) ctx.SetOutput(2, layout.unbatched ? Squeeze(ctx, c_n, {1}) : c_n);
}

// nn.LSTM(proj_size=P): h_t = W_hr (o * tanh(c_t)) is P wide. ONNX LSTM has no projection,
// so the cells are unrolled over the (static) sequence: per layer and direction the input
// projection for every step at once, then per step the recurrent part (PyTorch gate order
// i, f, g, o). Parameters per direction: w_ih, w_hh, [b_ih, b_hh,] w_hr.
void TranslateProjectedLstm(TranslationContext& ctx, bool has_biases, int64_t layers, bool bidirectional, bool batch_first) {
  int64_t directions = bidirectional ? 2 : 1;
  size_t per_direction = has_biases ? 5 : 3;
  std::vector<std::string> params = ctx.TensorListInput(2);
  const ir::Value& params_value = ctx.InputValue(2);
  if (!params_value.producer || params_value.producer->op != "prim::ListConstruct")
    throw UnsupportedError("recurrent weights must be a list built in the graph");
  auto hidden = params_value.producer->inputs[per_direction - 1]->meta.StaticDim(1);  // w_hr: [P, H]
  if (!hidden) throw UnsupportedError("recurrent hidden size must be static");
  auto steps = ctx.Meta(0).StaticDim(batch_first && ctx.Rank(0) == 3 ? 1 : 0);
  if (!steps) throw UnsupportedError("nn.LSTM with proj_size is unrolled over time and needs a static sequence length");
  std::vector<std::string> hx = ctx.TensorListInput(1);
  if (hx.size() != 2) throw UnsupportedError("LSTM expects (h0, c0)");
  std::string x = ctx.Input(0), h0 = hx[0], c0 = hx[1];
  SequenceLayout layout = ToSequenceFirst(ctx, batch_first, x, h0, &c0);
  auto transposed = [&](const std::string& w) { return ctx.Op("Transpose", {w}, {{"perm", std::vector<int64_t>{1, 0}}}); };
  auto at = [&](const std::string& v, int64_t k) { return ctx.Op("Gather", {v, ctx.ConstInt64(k)}, {{"axis", int64_t{0}}}); };
  std::vector<std::string> final_h, final_c;
  for (int64_t layer = 0; layer < layers; ++layer) {
    std::vector<std::string> layer_out;
    for (int64_t d = 0; d < directions; ++d) {
      size_t base = static_cast<size_t>(layer * directions + d) * per_direction;
      std::string inputs = ctx.Op("MatMul", {x, transposed(params[base])});  // [T, B, 4H]
      if (has_biases) inputs = ctx.Op("Add", {inputs, ctx.Op("Add", {params[base + 2], params[base + 3]})});
      std::string w_hh = transposed(params[base + 1]), w_hr = transposed(params[base + per_direction - 1]);
      std::string h = at(h0, layer * directions + d), c = at(c0, layer * directions + d);
      std::vector<std::string> outputs(static_cast<size_t>(*steps));
      for (int64_t k = 0; k < *steps; ++k) {
        int64_t t = d == 0 ? k : *steps - 1 - k;
        std::string gates = ctx.Op("Add", {at(inputs, t), ctx.Op("MatMul", {h, w_hh})});
        auto g = ctx.OpMulti("Split", {gates, ctx.ConstInt64s({*hidden, *hidden, *hidden, *hidden})}, 4, {{"axis", int64_t{1}}});
        std::string i = ctx.Op("Sigmoid", {g[0]}), f = ctx.Op("Sigmoid", {g[1]}), cell = ctx.Op("Tanh", {g[2]});
        std::string o = ctx.Op("Sigmoid", {g[3]});
        c = ctx.Op("Add", {ctx.Op("Mul", {f, c}), ctx.Op("Mul", {i, cell})});
        h = ctx.Op("MatMul", {ctx.Op("Mul", {o, ctx.Op("Tanh", {c})}), w_hr});
        outputs[static_cast<size_t>(t)] = Unsqueeze(ctx, h, {0});
      }
      layer_out.push_back(ctx.Op("Concat", outputs, {{"axis", int64_t{0}}}));  // [T, B, P]
      final_h.push_back(Unsqueeze(ctx, h, {0}));
      final_c.push_back(Unsqueeze(ctx, c, {0}));
    }
    x = layer_out.size() == 1 ? layer_out[0] : ctx.Op("Concat", layer_out, {{"axis", int64_t{2}}});
  }
  SetSequenceOutputs(ctx, layout, x, ctx.Op("Concat", final_h, {{"axis", int64_t{0}}}),
                     ctx.Op("Concat", final_c, {{"axis", int64_t{0}}}));
}

// aten::lstm.input(Tensor input, Tensor[] hx, Tensor[] params, bool has_biases, int num_layers,
//                  float dropout, bool train, bool bidirectional, bool batch_first) -> (Tensor, Tensor, Tensor)
// aten::gru.input / rnn_tanh.input / rnn_relu.input: the same with `Tensor hx` -> (Tensor, Tensor)
void TranslateRecurrent(TranslationContext& ctx, const CellKind& kind) {
  if (ctx.node().overload != "input")
    throw UnsupportedError("packed sequences (" + ctx.node().Key() + ") are not supported");
  bool is_lstm = std::string(kind.onnx_op) == "LSTM";
  bool has_biases = ctx.ConstBool(3, "has_biases");
  int64_t layers = ctx.ConstInt(4, "num_layers");
  if (ctx.ConstBool(6, "train")) throw UnsupportedError("recurrent layers in training mode (dropout) are not supported");
  bool bidirectional = ctx.ConstBool(7, "bidirectional");
  bool batch_first = ctx.ConstBool(8, "batch_first");
  int64_t directions = bidirectional ? 2 : 1;

  const ir::Value& params_value = ctx.InputValue(2);
  std::vector<std::string> params = ctx.TensorListInput(2);
  size_t per_direction = has_biases ? 4 : 2;
  if (is_lstm && params.size() == (per_direction + 1) * static_cast<size_t>(layers * directions))
    return TranslateProjectedLstm(ctx, has_biases, layers, bidirectional, batch_first);
  if (params.size() != per_direction * static_cast<size_t>(layers * directions))
    throw UnsupportedError("unexpected number of recurrent weights: " + std::to_string(params.size()));
  if (!params_value.producer || params_value.producer->op != "prim::ListConstruct")
    throw UnsupportedError("recurrent weights must be a list built in the graph");
  auto hidden_dim = params_value.producer->inputs[1]->meta.StaticDim(1);  // w_hh: [gates*H, H]
  if (!hidden_dim) throw UnsupportedError("recurrent hidden size must be static");
  int64_t hidden = *hidden_dim;

  std::string h0, c0;
  if (is_lstm) {
    std::vector<std::string> hx = ctx.TensorListInput(1);
    if (hx.size() != 2) throw UnsupportedError("LSTM expects (h0, c0)");
    h0 = hx[0];
    c0 = hx[1];
  } else {
    h0 = ctx.Input(1);
  }

  std::string x = ctx.Input(0);
  SequenceLayout layout = ToSequenceFirst(ctx, batch_first, x, h0, is_lstm ? &c0 : nullptr);

  std::vector<std::string> final_h, final_c;
  for (int64_t layer = 0; layer < layers; ++layer) {
    std::vector<std::string> w, r, b;
    for (int64_t d = 0; d < directions; ++d) {
      size_t base = static_cast<size_t>((layer * directions + d)) * per_direction;
      w.push_back(ReorderGates(ctx, params[base], kind, hidden));
      r.push_back(ReorderGates(ctx, params[base + 1], kind, hidden));
      if (has_biases)
        b.push_back(ctx.Op("Concat", {ReorderGates(ctx, params[base + 2], kind, hidden),
                                      ReorderGates(ctx, params[base + 3], kind, hidden)},
                           {{"axis", int64_t{0}}}));
    }
    auto layer_slice = [&](const std::string& state) {
      return ctx.Op("Slice", {state, ctx.ConstInt64s({layer * directions}), ctx.ConstInt64s({(layer + 1) * directions}),
                              ctx.ConstInt64s({0})});
    };
    std::vector<std::string> inputs{x, StackDirections(ctx, w), StackDirections(ctx, r),
                                    has_biases ? StackDirections(ctx, b) : "", "", layer_slice(h0)};
    if (is_lstm) inputs.push_back(layer_slice(c0));
    Attrs attrs{{"hidden_size", hidden}, {"direction", std::string(bidirectional ? "bidirectional" : "forward")}};
    if (std::string(kind.onnx_op) == "GRU") attrs.push_back({"linear_before_reset", int64_t{1}});
    if (kind.activation) attrs.push_back({"activations", std::vector<std::string>(directions, kind.activation)});
    auto outs = ctx.OpMulti(kind.onnx_op, inputs, is_lstm ? 3 : 2, attrs);
    // Y: [seq, directions, batch, hidden] -> [seq, batch, directions * hidden]
    x = ctx.Op("Transpose", {outs[0]}, {{"perm", std::vector<int64_t>{0, 2, 1, 3}}});
    x = Reshape(ctx, x, {0, 0, -1});
    final_h.push_back(outs[1]);
    if (is_lstm) final_c.push_back(outs[2]);
  }
  auto concat = [&](const std::vector<std::string>& parts) {
    return parts.size() == 1 ? parts[0] : ctx.Op("Concat", parts, {{"axis", int64_t{0}}});
  };
  SetSequenceOutputs(ctx, layout, x, concat(final_h), is_lstm ? concat(final_c) : "");
}

}  // namespace

namespace {

// x @ w^T + b for the cells' gate pre-activations (b optional).
std::string Affine(TranslationContext& ctx, const std::string& x, size_t w, size_t b, DType dt) {
  std::string y = ctx.Op("MatMul", {x, ctx.Op("Transpose", {ctx.OperandAs(w, dt)}, {{"perm", std::vector<int64_t>{1, 0}}})});
  if (auto bias = ctx.OptionalInput(b)) y = ctx.Op("Add", {y, ctx.Cast(*bias, ctx.InDType(b), dt)});
  return y;
}

// aten::lstm_cell(Tensor input, Tensor[] hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih, Tensor? b_hh)
// -> (h', c'): gates i, f, g, o of x W_ih^T + b_ih + h W_hh^T + b_hh.
void TranslateLstmCell(TranslationContext& ctx) {
  DType dt = ctx.OutDType(0);
  std::vector<std::string> state = ctx.TensorListInput(1);
  if (state.size() != 2) throw UnsupportedError("lstm_cell needs hx = (h, c)");
  std::string x = ctx.OperandAs(0, dt);
  std::string gates = ctx.Op("Add", {Affine(ctx, x, 2, 4, dt), Affine(ctx, state[0], 3, 5, dt)});
  std::vector<std::string> g = SplitEvenly(ctx, gates, -1, 4);
  std::string c = ctx.Op("Add", {ctx.Op("Mul", {ctx.Op("Sigmoid", {g[1]}), state[1]}),
                                 ctx.Op("Mul", {ctx.Op("Sigmoid", {g[0]}), ctx.Op("Tanh", {g[2]})})});
  std::string h = ctx.Op("Mul", {ctx.Op("Sigmoid", {g[3]}), ctx.Op("Tanh", {c})});
  ctx.SetOutput(0, h);
  ctx.SetOutput(1, c);
}

// aten::gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih, Tensor? b_hh):
// r, z from both affines; n = tanh(n_x + r n_h); h' = (1 - z) n + z h.
void TranslateGruCell(TranslationContext& ctx) {
  DType dt = ctx.OutDType();
  std::string x = ctx.OperandAs(0, dt), h = ctx.OperandAs(1, dt);
  std::vector<std::string> gx = SplitEvenly(ctx, Affine(ctx, x, 2, 4, dt), -1, 3);
  std::vector<std::string> gh = SplitEvenly(ctx, Affine(ctx, h, 3, 5, dt), -1, 3);
  std::string r = ctx.Op("Sigmoid", {ctx.Op("Add", {gx[0], gh[0]})});
  std::string z = ctx.Op("Sigmoid", {ctx.Op("Add", {gx[1], gh[1]})});
  std::string n = ctx.Op("Tanh", {ctx.Op("Add", {gx[2], ctx.Op("Mul", {r, gh[2]})})});
  ctx.SetOutput(0, ctx.Op("Add", {ctx.Op("Mul", {ctx.Op("Sub", {ctx.ConstScalar(1, dt), z}), n}), ctx.Op("Mul", {z, h})}));
}

// aten::rnn_tanh_cell / rnn_relu_cell(input, hx, w_ih, w_hh, b_ih?, b_hh?).
void TranslateRnnCell(TranslationContext& ctx, const char* activation) {
  DType dt = ctx.OutDType();
  std::string pre = ctx.Op("Add", {Affine(ctx, ctx.OperandAs(0, dt), 2, 4, dt), Affine(ctx, ctx.OperandAs(1, dt), 3, 5, dt)});
  ctx.SetOutput(0, ctx.Op(activation, {pre}));
}

}  // namespace

void RegisterRecurrent(Registry& r) {
  r.SetFamily("recurrent");
  r.Add("aten::lstm", [](TranslationContext& c) { TranslateRecurrent(c, kLstm); });
  r.Add("aten::gru", [](TranslationContext& c) { TranslateRecurrent(c, kGru); });
  r.Add("aten::rnn_tanh", [](TranslationContext& c) { TranslateRecurrent(c, kRnnTanh); });
  r.Add("aten::rnn_relu", [](TranslationContext& c) { TranslateRecurrent(c, kRnnRelu); });
  r.Add("aten::lstm_cell", TranslateLstmCell);
  r.Add("aten::gru_cell", TranslateGruCell);
  r.Add("aten::rnn_tanh_cell", [](TranslationContext& c) { TranslateRnnCell(c, "Tanh"); });
  r.Add("aten::rnn_relu_cell", [](TranslationContext& c) { TranslateRnnCell(c, "Relu"); });
}

}  // namespace t2o
