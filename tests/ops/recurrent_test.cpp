// Recurrent layers (translators/aten/recurrent.cpp): aten::lstm / gru / rnn_tanh /
// rnn_relu with several layers, both directions, batch_first and given initial states.
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

namespace {

struct Rnn {
  std::string weights_list;  // "[self.w_ih_l0, ...]"
  Params params;
};

// PyTorch's flat weight list: per layer and direction w_ih, w_hh (and b_ih, b_hh; and w_hr
// [proj, hidden] for an LSTM with proj_size, whose outputs are then proj wide).
Rnn Weights(int gates, int64_t input, int64_t hidden, int layers, bool bidirectional, bool biases, int64_t proj = 0) {
  Rnn rnn;
  int directions = bidirectional ? 2 : 1;
  int64_t out = proj > 0 ? proj : hidden;
  rnn.weights_list = "[";
  for (int l = 0; l < layers; ++l)
    for (int d = 0; d < directions; ++d) {
      std::string suffix = "_l" + std::to_string(l) + (d ? "_reverse" : "");
      int64_t in = l == 0 ? input : out * directions;
      std::vector<std::pair<std::string, std::vector<int64_t>>> w{{"w_ih" + suffix, {gates * hidden, in}},
                                                                  {"w_hh" + suffix, {gates * hidden, out}}};
      if (biases) {
        w.push_back({"b_ih" + suffix, {gates * hidden}});
        w.push_back({"b_hh" + suffix, {gates * hidden}});
      }
      if (proj > 0) w.push_back({"w_hr" + suffix, {proj, hidden}});
      for (const auto& [name, shape] : w) {
        rnn.weights_list += (rnn.weights_list.size() > 1 ? ", self." : "self.") + name;
        rnn.params.push_back({name, shape});
      }
    }
  rnn.weights_list += "]";
  return rnn;
}

std::string Flag(bool b) { return b ? "True" : "False"; }

}  // namespace

TEST_CASE("aten::lstm: 2 layers, bidirectional, batch_first, with initial states", "[ops][recurrent]") {
  for (bool batch_first : {false, true}) {
    Rnn w = Weights(4, 3, 5, 2, true, true);
    std::string body = "return torch.lstm(x, [y, z], " + w.weights_list + ", True, 2, 0.0, False, True, " +
                       Flag(batch_first) + ")";
    std::vector<TensorSpec> inputs{batch_first ? Shape({2, 6, 3}) : Shape({6, 2, 3}), Shape({4, 2, 5}), Shape({4, 2, 5})};
    INFO("batch_first " << batch_first);
    REQUIRE_VERIFIED(RunBody("recurrent", std::string("lstm_bi_") + Flag(batch_first), body, inputs, w.params));
  }
}

TEST_CASE("aten::lstm without biases, one direction, 3 layers", "[ops][recurrent]") {
  Rnn w = Weights(4, 3, 4, 3, false, false);
  std::string body = "return torch.lstm(x, [y, z], " + w.weights_list + ", False, 3, 0.0, False, False, False)";
  REQUIRE_VERIFIED(RunBody("recurrent", "lstm_nobias", body, {Shape({5, 2, 3}), Shape({3, 2, 4}), Shape({3, 2, 4})},
                           w.params));
}

TEST_CASE("aten::gru: 2 layers, bidirectional; 1 layer batch_first", "[ops][recurrent]") {
  Rnn w = Weights(3, 4, 5, 2, true, true);
  std::string body = "return torch.gru(x, y, " + w.weights_list + ", True, 2, 0.0, False, True, False)";
  REQUIRE_VERIFIED(RunBody("recurrent", "gru_bi", body, {Shape({7, 2, 4}), Shape({4, 2, 5})}, w.params));
  Rnn w1 = Weights(3, 4, 3, 1, false, true);
  std::string body1 = "return torch.gru(x, y, " + w1.weights_list + ", True, 1, 0.0, False, False, True)";
  REQUIRE_VERIFIED(RunBody("recurrent", "gru_bf", body1, {Shape({2, 5, 4}), Shape({1, 2, 3})}, w1.params));
}

TEST_CASE("aten::rnn_tanh and aten::rnn_relu", "[ops][recurrent]") {
  Rnn w = Weights(1, 3, 4, 2, true, true);
  std::string tanh = "return torch.rnn_tanh(x, y, " + w.weights_list + ", True, 2, 0.0, False, True, False)";
  REQUIRE_VERIFIED(RunBody("recurrent", "rnn_tanh", tanh, {Shape({5, 2, 3}), Shape({4, 2, 4})}, w.params));
  Rnn w1 = Weights(1, 3, 4, 1, false, true);
  std::string relu = "return torch.rnn_relu(x, y, " + w1.weights_list + ", True, 1, 0.0, False, False, True)";
  REQUIRE_VERIFIED(RunBody("recurrent", "rnn_relu", relu, {Shape({2, 5, 3}), Shape({1, 2, 4})}, w1.params));
}

// nn.LSTM(proj_size=P): per direction w_ih [4H, in], w_hh [4H, P], [b_ih, b_hh,] w_hr [P, H].
TEST_CASE("aten::lstm with proj_size (unrolled): 2 layers, bidirectional, batch_first, with and without biases",
          "[ops][recurrent]") {
  for (int output : {0, 1, 2}) {
    Rnn w = Weights(4, 3, 5, 2, true, true, /*proj=*/2);
    std::string body = "return torch.lstm(x, [y, z], " + w.weights_list + ", True, 2, 0.0, False, True, True)[" +
                       std::to_string(output) + "]";
    INFO(body);
    REQUIRE_VERIFIED(RunBody("recurrent", "lstm_proj_" + std::to_string(output), body,
                             {Shape({2, 6, 3}), Shape({4, 2, 2}), Shape({4, 2, 5})}, w.params));
  }
  Rnn w = Weights(4, 4, 3, 1, false, false, /*proj=*/2);
  std::string body = "return torch.lstm(x, [y, z], " + w.weights_list + ", False, 1, 0.0, False, False, False)[0]";
  REQUIRE_VERIFIED(RunBody("recurrent", "lstm_proj_nobias", body, {Shape({5, 2, 4}), Shape({1, 2, 2}), Shape({1, 2, 3})},
                           w.params));
}
