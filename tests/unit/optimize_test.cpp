// The ONNX optimizer passes on hand-built graphs: what each rewrites, that names of graph
// outputs and weights survive, that subgraph captures are respected, and that the
// optimized model computes what the original does (both run in ONNX Runtime).
#include "tests/support/catch.h"

#include <filesystem>
#include <limits>
#include <map>

#include "core/onnx/writer.h"
#include "core/optimize/optimizer.h"
#include "core/verify/compare.h"
#include "core/verify/ort_runner.h"

using namespace t2o;
namespace fs = std::filesystem;

namespace {

t2o::onnx::OnnxNode Node(std::string op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                    std::vector<t2o::onnx::Attr> attrs = {}) {
  t2o::onnx::OnnxNode n;
  n.op_type = std::move(op);
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  n.attrs = std::move(attrs);
  n.name = "node_" + n.outputs[0];
  n.metadata = {{"namespace", "test: " + n.op_type}};
  return n;
}

t2o::onnx::ValueInfo Info(std::string name, std::vector<int64_t> shape, DType dtype = DType::kFloat32) {
  return {std::move(name), dtype, std::vector<ir::Dim>(shape.begin(), shape.end()), {}};
}

t2o::onnx::Initializer Const(std::string name, std::vector<int64_t> values) {
  int64_t n = static_cast<int64_t>(values.size());
  return {std::move(name), TensorData::FromVector<int64_t>(DType::kInt64, {n}, values), {}, false};
}

t2o::onnx::Initializer Weight(std::string name, std::vector<int64_t> shape, float scale) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> values(n);
  for (int64_t i = 0; i < n; ++i) values[i] = scale * static_cast<float>((i * 7) % 11 - 5);
  return {std::move(name), TensorData::FromVector<float>(DType::kFloat32, shape, values), {}, true};
}

std::map<std::string, int> OpCounts(const t2o::onnx::OnnxGraph& g) {
  std::map<std::string, int> counts;
  for (const auto& n : g.nodes) counts[n.op_type]++;
  return counts;
}

std::string Dir() {
  fs::path d = fs::path(T2O_BINARY_DIR) / "test-output" / "optimize";
  fs::create_directories(d);
  return d.string();
}

TensorData Ramp(std::vector<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> values(n);
  for (int64_t i = 0; i < n; ++i) values[i] = 0.25f * static_cast<float>(i % 13) - 0.6f;
  return TensorData::FromVector<float>(DType::kFloat32, shape, values);
}

// Writes both models (the writer runs the ONNX full check), runs them in ONNX Runtime
// and requires equal outputs.
void RequireSameResults(const t2o::onnx::OnnxModel& before, const t2o::onnx::OnnxModel& after, const std::string& name,
                        const std::vector<TensorData>& inputs) {
  std::string a = Dir() + "/" + name + "_before.onnx", b = Dir() + "/" + name + "_after.onnx";
  t2o::onnx::WriteModel(before, a, {});
  t2o::onnx::WriteModel(after, b, {});
  OrtRunResult ra = RunOnnxRuntime(a, inputs, Dir() + "/" + name + "_before");
  OrtRunResult rb = RunOnnxRuntime(b, inputs, Dir() + "/" + name + "_after");
  REQUIRE(ra.outputs.size() == rb.outputs.size());
  REQUIRE(ra.output_names == rb.output_names);
  for (size_t k = 0; k < ra.outputs.size(); ++k) {
    auto c = CompareTensors(ra.output_names[k], ra.outputs[k], rb.outputs[k], {0.0, 0.0});
    INFO(c.name << " max abs diff " << c.max_abs_diff);
    CHECK(c.passed);
    CHECK(c.expected_abs_max > 0);
  }
}

const optimize::PassStats& Stats(const optimize::OptimizeResult& r, const std::string& pass) {
  for (const auto& p : r.passes)
    if (p.pass == pass) return p;
  FAIL("no pass " << pass);
  return r.passes.front();
}

}  // namespace

TEST_CASE("constant folding turns static shape arithmetic into constants", "[optimize]") {
  t2o::onnx::OnnxModel m;
  auto& g = m.graph;
  g.inputs = {Info("x", {2, 3, 4})};
  g.outputs = {Info("y", {2, 12})};
  g.initializers = {Const("zero", {0}), Const("minus_one", {-1})};
  g.nodes = {Node("Shape", {"x"}, {"shape"}),
             Node("Gather", {"shape", "zero"}, {"batch"}, {{"axis", int64_t{0}}}),
             Node("Concat", {"batch", "minus_one"}, {"target"}, {{"axis", int64_t{0}}}),
             Node("Reshape", {"x", "target"}, {"flat"}),
             Node("Relu", {"flat"}, {"y"})};
  t2o::onnx::OnnxModel original = m;
  auto result = optimize::OptimizeModel(m);
  CHECK(OpCounts(g) == std::map<std::string, int>{{"Reshape", 1}, {"Relu", 1}});
  CHECK(result.nodes_before == 5);
  CHECK(result.nodes_after == 2);
  CHECK(Stats(result, "constant folding").nodes_removed == 3);
  CHECK_THAT(Stats(result, "constant folding").detail, ContainsText("Shape 1"));
  // The folded shape is a constant [2, -1] under the name the Reshape reads.
  const t2o::onnx::Initializer* target = nullptr;
  for (const auto& init : g.initializers)
    if (init.name == "target") target = &init;
  REQUIRE(target);
  CHECK(std::vector<int64_t>(target->data.data<int64_t>(), target->data.data<int64_t>() + 2) == std::vector<int64_t>{2, -1});
  // The inputs of the folded chain are gone.
  for (const auto& init : g.initializers) CHECK(init.name != "zero");
  RequireSameResults(original, m, "fold", {Ramp({2, 3, 4})});
}

TEST_CASE("a symbolic batch stays computed while static dims fold", "[optimize]") {
  t2o::onnx::OnnxModel m;
  auto& g = m.graph;
  g.inputs = {{"x", DType::kFloat32, std::vector<ir::Dim>{std::string("batch"), int64_t{3}, int64_t{4}}, {}}};
  g.outputs = {{"y", DType::kFloat32, std::vector<ir::Dim>{std::string("batch"), int64_t{12}}, {}}};
  g.initializers = {Const("i0", {0}), Const("i1", {1}), Const("i2", {2})};
  g.nodes = {Node("Shape", {"x"}, {"shape"}),
             Node("Gather", {"shape", "i0"}, {"b"}, {{"axis", int64_t{0}}}),
             Node("Gather", {"shape", "i1"}, {"c"}, {{"axis", int64_t{0}}}),
             Node("Gather", {"shape", "i2"}, {"w"}, {{"axis", int64_t{0}}}),
             Node("Mul", {"c", "w"}, {"cw"}),
             Node("Concat", {"b", "cw"}, {"target"}, {{"axis", int64_t{0}}}),
             Node("Reshape", {"x", "target"}, {"y"})};
  t2o::onnx::OnnxModel original = m;
  optimize::OptimizeModel(m);
  // Shape -> Gather(0) -> Concat stay (batch is symbolic); dims 1 and 2 and their product fold.
  CHECK(OpCounts(g) == std::map<std::string, int>{{"Shape", 1}, {"Gather", 1}, {"Concat", 1}, {"Reshape", 1}});
  RequireSameResults(original, m, "symbolic", {Ramp({5, 3, 4})});
}

TEST_CASE("no-op removal keeps the names of graph outputs", "[optimize]") {
  t2o::onnx::OnnxModel m;
  auto& g = m.graph;
  g.inputs = {Info("x", {2, 3})};
  g.outputs = {Info("y", {2, 3}), Info("z", {3, 2})};
  g.nodes = {Node("Relu", {"x"}, {"r"}),
             Node("Identity", {"r"}, {"r_id"}),
             Node("Cast", {"r_id"}, {"r_cast"}, {{"to", int64_t{1}}}),  // float32 -> float32
             Node("Transpose", {"r_cast"}, {"t1"}, {{"perm", std::vector<int64_t>{1, 0}}}),
             Node("Transpose", {"t1"}, {"t2"}, {{"perm", std::vector<int64_t>{1, 0}}}),
             Node("Identity", {"t2"}, {"y"}),
             Node("Transpose", {"r"}, {"z"}, {{"perm", std::vector<int64_t>{1, 0}}})};
  t2o::onnx::OnnxModel original = m;
  auto result = optimize::OptimizeModel(m);
  CHECK(OpCounts(g) == std::map<std::string, int>{{"Relu", 1}, {"Transpose", 1}});
  CHECK(g.outputs[0].name == "y");
  bool relu_renamed = false;
  for (const auto& n : g.nodes)
    if (n.op_type == "Relu") {
      relu_renamed = n.outputs[0] == "y";
      CHECK(n.metadata == t2o::onnx::Metadata{{"namespace", "test: Relu"}});
    }
  CHECK(relu_renamed);
  CHECK_THAT(Stats(result, "no-op removal").detail, ContainsText("Identity 2"));
  RequireSameResults(original, m, "noop", {Ramp({2, 3})});
}

TEST_CASE("an Identity between a graph input and output stays", "[optimize]") {
  t2o::onnx::OnnxModel m;
  m.graph.inputs = {Info("x", {2})};
  m.graph.outputs = {Info("y", {2})};
  m.graph.nodes = {Node("Identity", {"x"}, {"y"})};
  optimize::OptimizeModel(m);
  CHECK(m.graph.nodes.size() == 1);
}

TEST_CASE("common subexpressions are computed once", "[optimize]") {
  t2o::onnx::OnnxModel m;
  auto& g = m.graph;
  g.inputs = {Info("x", {4})};
  g.outputs = {Info("y", {4})};
  g.initializers = {Const("a", {1, 2}), Const("b", {1, 2})};
  g.nodes = {Node("Sigmoid", {"x"}, {"s1"}), Node("Sigmoid", {"x"}, {"s2"}),
             Node("Add", {"s1", "s2"}, {"y"})};
  t2o::onnx::OnnxModel original = m;
  auto result = optimize::OptimizeModel(m);
  CHECK(OpCounts(g) == std::map<std::string, int>{{"Sigmoid", 1}, {"Add", 1}});
  CHECK(Stats(result, "common subexpression elimination").nodes_removed == 1);
  // Two equal unused constants: merged, then removed as dead.
  CHECK(g.initializers.empty());
  RequireSameResults(original, m, "cse", {Ramp({4})});
}

TEST_CASE("random ops are never merged", "[optimize]") {
  t2o::onnx::OnnxModel m;
  m.graph.outputs = {Info("a", {2}), Info("b", {2})};
  m.graph.nodes = {Node("RandomNormal", {}, {"a"}, {{"shape", std::vector<int64_t>{2}}}),
                   Node("RandomNormal", {}, {"b"}, {{"shape", std::vector<int64_t>{2}}})};
  optimize::OptimizeModel(m);
  CHECK(m.graph.nodes.size() == 2);
}

TEST_CASE("dead code goes, values captured by subgraphs stay, weights keep their names", "[optimize]") {
  t2o::onnx::OnnxModel m;
  auto& g = m.graph;
  g.inputs = {Info("x", {2, 3}), Info("cond", {}, DType::kBool)};
  g.outputs = {Info("y", {2, 2})};
  g.initializers = {Weight("fc.weight", {2, 3}, 0.5f), Weight("unused.weight", {4}, 1.0f)};
  auto then_branch = std::make_shared<t2o::onnx::OnnxGraph>();
  then_branch->name = "then";
  then_branch->outputs = {Info("then_out", {2, 2})};
  then_branch->nodes = {Node("Relu", {"mm"}, {"then_out"})};  // reads the outer "mm"
  auto else_branch = std::make_shared<t2o::onnx::OnnxGraph>();
  else_branch->name = "else";
  else_branch->outputs = {Info("else_out", {2, 2})};
  else_branch->nodes = {Node("Neg", {"mm"}, {"else_out"}), Node("Exp", {"mm"}, {"dead_in_branch"})};
  g.nodes = {Node("Transpose", {"fc.weight"}, {"wt"}, {{"perm", std::vector<int64_t>{1, 0}}}),
             Node("MatMul", {"x", "wt"}, {"mm"}),
             Node("Tanh", {"x"}, {"dead"}),
             Node("If", {"cond"}, {"y"}, {{"then_branch", then_branch}, {"else_branch", else_branch}})};
  t2o::onnx::OnnxModel original = m;
  auto result = optimize::OptimizeModel(m);
  CHECK(OpCounts(g) == std::map<std::string, int>{{"Transpose", 1}, {"MatMul", 1}, {"If", 1}});
  CHECK(else_branch->nodes.size() == 1);
  REQUIRE(g.initializers.size() == 1);
  CHECK(g.initializers[0].name == "fc.weight");  // a weight is never folded into a renamed constant
  CHECK_THAT(Stats(result, "dead code elimination").detail, ContainsText("unused weight 1"));
  auto cond_true = TensorData::FromVector<uint8_t>(DType::kBool, {}, {1});
  auto cond_false = TensorData::FromVector<uint8_t>(DType::kBool, {}, {0});
  RequireSameResults(original, m, "dce_then", {Ramp({2, 3}), cond_true});
  RequireSameResults(original, m, "dce_else", {Ramp({2, 3}), cond_false});
}

TEST_CASE("a large folded result is not worth its bytes", "[optimize]") {
  t2o::onnx::OnnxModel m;
  m.graph.inputs = {Info("x", {1})};
  m.graph.outputs = {Info("y", {1024, 1024})};
  m.graph.initializers = {Const("shape", {1024, 1024})};
  t2o::onnx::OnnxNode fill = Node("ConstantOfShape", {"shape"}, {"big"});
  fill.attrs = {{"value", TensorData::FromVector<float>(DType::kFloat32, {1}, {1.0f})}};
  m.graph.nodes = {fill, Node("Add", {"big", "x"}, {"y"})};
  optimize::OptimizeOptions options;
  options.max_folded_bytes = 1 << 16;
  optimize::OptimizeModel(m, options);
  CHECK(m.graph.nodes.size() == 2);
}

TEST_CASE("folded integer arithmetic is ONNX Runtime's: Mod takes the divisor's sign, overflow wraps", "[optimize]") {
  // Mod(-7, 3) = 2 (fmod = 0); int64 max + 6 wraps; Neg and Abs of int64 min wrap to it.
  const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
  t2o::onnx::OnnxModel m;
  auto& g = m.graph;
  g.inputs = {Info("x", {4}, DType::kInt64)};
  g.outputs = {Info("y", {4}, DType::kInt64), Info("z", {4}, DType::kInt64)};
  g.initializers = {Const("a", {-7, 7, -7, max}), Const("b", {3, -3, -3, 6}), Const("c", {min, -5, 5, 0})};
  g.nodes = {Node("Mod", {"a", "b"}, {"mod"}), Node("Add", {"a", "b"}, {"sum"}), Node("Neg", {"c"}, {"neg"}),
             Node("Abs", {"c"}, {"abs"}), Node("Add", {"mod", "x"}, {"y"}),
             Node("Add", {"sum", "neg"}, {"partial"}), Node("Add", {"partial", "abs"}, {"z"})};
  t2o::onnx::OnnxModel original = m;
  optimize::OptimizeModel(m);
  CHECK(OpCounts(g) == std::map<std::string, int>{{"Add", 2}});
  RequireSameResults(original, m, "fold_integers", {TensorData::FromVector<int64_t>(DType::kInt64, {4}, {1, 2, 3, 4})});
}
