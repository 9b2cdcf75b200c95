#include "tests/support/catch.h"
#include "tests/support/harness.h"
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "core/onnx/module_functions.h"
#include "core/onnx/writer.h"
#include "core/util/errors.h"

using namespace t2o;
namespace t2onnx = t2o::onnx;
namespace fs = std::filesystem;

namespace {

// The ATen node a translator emitted from: here only its module metadata matters.
ir::Node ModuleCall(const std::string& scope, const std::string& call) {
  ir::Node node;
  node.location.module_scopes = {"", scope};
  node.location.module_classes = {"pkg.Net", "pkg.Block"};
  node.location.module_calls = {"", call};
  return node;
}

t2onnx::OnnxNode Node(const std::string& op, std::vector<std::string> inputs, std::string output,
                      const ir::Node* origin) {
  t2onnx::OnnxNode node;
  node.op_type = op;
  node.name = output;
  node.inputs = std::move(inputs);
  node.outputs = {std::move(output)};
  node.origin = origin;
  return node;
}

// x -> block_a(x) -> block_b -> y, each block Relu, Mul by its own weight, Reshape to the
// shape of x; the Shape(x) of block_a is read by block_b as well (as CSE leaves it).
struct TwoBlocks {
  ir::Node a = ModuleCall("block_a", "block_a");
  ir::Node b = ModuleCall("block_b", "block_b");
  t2onnx::OnnxModel model;

  TwoBlocks() {
    using Dims = std::vector<ir::Dim>;
    model.opset = 18;
    model.graph.inputs.push_back({"x", DType::kFloat32, Dims{int64_t{2}, int64_t{3}}, {}});
    model.graph.outputs.push_back({"y", DType::kFloat32, Dims{int64_t{2}, int64_t{3}}, {}});
    for (const char* w : {"w_a", "w_b"})
      model.graph.initializers.push_back(
          {w, TensorData::FromVector<float>(DType::kFloat32, {2, 3}, std::vector<float>(6, 0.5f)), {}, true});
    auto& nodes = model.graph.nodes;
    nodes.push_back(Node("Shape", {"x"}, "shape_x", &a));
    nodes.push_back(Node("Relu", {"x"}, "a1", &a));
    nodes.push_back(Node("Mul", {"a1", "w_a"}, "a2", &a));
    nodes.push_back(Node("Reshape", {"a2", "shape_x"}, "a3", &a));
    nodes.push_back(Node("Relu", {"a3"}, "b1", &b));
    nodes.push_back(Node("Mul", {"b1", "w_b"}, "b2", &b));
    nodes.push_back(Node("Reshape", {"b2", "shape_x"}, "y", &b));
  }
};

std::string Dir() { return t2o::testing::OutputDir("module_functions"); }

}  // namespace

TEST_CASE("modules-as-functions selections parse", "[module_functions]") {
  using Kind = t2onnx::ModuleSelection::Kind;
  CHECK(t2onnx::ModuleSelection::Parse("all").kind == Kind::kAll);
  CHECK(t2onnx::ModuleSelection::Parse("leaves").kind == Kind::kLeaves);
  auto classes = t2onnx::ModuleSelection::Parse("Block,torch.nn.modules.linear.Linear");
  CHECK(classes.kind == Kind::kClasses);
  CHECK(classes.classes == std::vector<std::string>{"Block", "torch.nn.modules.linear.Linear"});
  CHECK_THROWS_AS(t2onnx::ModuleSelection::Parse("Block,,Linear"), UsageError);
  CHECK_THROWS_AS(t2onnx::ModuleSelection::Parse("Block,"), UsageError);
}

TEST_CASE("equal module calls share one function; shared shape arithmetic moves out", "[module_functions]") {
  TwoBlocks blocks;
  auto result = t2onnx::WithModulesAsFunctions(blocks.model, t2onnx::ModuleSelection::Parse("Block"));
  REQUIRE(result.functions.size() == 1);
  CHECK(result.functions[0].calls == 2);
  CHECK(result.functions[0].domain == "pkg");
  CHECK(result.functions[0].name == "Block");
  CHECK(result.functions[0].body_nodes == 3);
  const auto& graph = result.model.graph;
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].op_type == "Shape");  // hoisted: without it the calls' bodies would differ
  CHECK(graph.nodes[1].op_type == "Block");
  CHECK(graph.nodes[1].inputs == std::vector<std::string>{"x", "w_a", "shape_x"});
  CHECK(graph.nodes[2].inputs == std::vector<std::string>{"a3", "w_b", "shape_x"});
  CHECK(graph.nodes[2].outputs == std::vector<std::string>{"y"});
  CHECK(graph.initializers.size() == 2);  // the weights stay initializers, passed in as inputs
  CHECK(blocks.model.graph.nodes.size() == 7);  // the flat model is left as it was

  std::string path = Dir() + "/two_blocks.onnx";
  t2onnx::WriteModel(result.model, path, {});  // runs the full check
  ::onnx::ModelProto proto;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(proto.ParseFromIstream(&in));
  REQUIRE(proto.functions_size() == 1);
  CHECK(proto.functions(0).node_size() == 3);
  bool imports_pkg = false;
  for (const auto& opset : proto.opset_import()) imports_pkg = imports_pkg || opset.domain() == "pkg";
  CHECK(imports_pkg);
}

TEST_CASE("module calls that differ get their own functions", "[module_functions]") {
  TwoBlocks blocks;
  blocks.model.graph.nodes[4].op_type = "Sigmoid";  // block_b's body differs now
  auto result = t2onnx::WithModulesAsFunctions(blocks.model, t2onnx::ModuleSelection::Parse("all"));
  REQUIRE(result.functions.size() == 2);
  CHECK(result.functions[0].name == "Block");
  CHECK(result.functions[1].name == "Block_2");
  t2onnx::WriteModel(result.model, Dir() + "/two_blocks_differ.onnx", {});
}

TEST_CASE("a class the model lacks is a usage error naming the classes it has", "[module_functions]") {
  TwoBlocks blocks;
  CHECK_THROWS_WITH(t2onnx::WithModulesAsFunctions(blocks.model, t2onnx::ModuleSelection::Parse("Conv2d")),
                    ContainsText("no call of a module of class 'Conv2d' (its classes: pkg.Block)"));
}
