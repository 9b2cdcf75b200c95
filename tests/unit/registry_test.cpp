#include "tests/support/catch.h"

#include "core/translate/context.h"
#include "core/translate/registry.h"
#include "core/translate/type_constraints.h"

using namespace t2o;

namespace {
void Noop(TranslationContext&) {}
}  // namespace

TEST_CASE("registry resolves exact overload before name-only entries", "[registry]") {
  Registry r;
  r.Add("aten::add", Noop);
  r.Add("aten::add.Tensor", Noop);
  CHECK(r.Find("aten::add", "Tensor", 17)->key == "aten::add.Tensor");
  CHECK(r.Find("aten::add", "Scalar", 17)->key == "aten::add");
  CHECK(r.Find("aten::mul", "", 17) == nullptr);
}

TEST_CASE("registry picks the entry whose opset range contains the target", "[registry]") {
  Registry r;
  r.Add("aten::layer_norm", OpsetRange{13, 16}, Noop);
  r.Add("aten::layer_norm", OpsetRange{17, 17}, Noop);
  CHECK(r.Find("aten::layer_norm", "", 13)->range.until == 16);
  CHECK(r.Find("aten::layer_norm", "", 17)->range.since == 17);
  CHECK(r.Find("aten::layer_norm", "", 12) == nullptr);
  CHECK(r.EntriesFor("aten::layer_norm").size() == 2);
}

TEST_CASE("registry refuses malformed keys and overlapping ranges", "[registry]") {
  Registry r;
  CHECK_THROWS_AS(r.Add("relu", Noop), std::logic_error);
  CHECK_THROWS_AS(r.Add("aten::relu.default", Noop), std::logic_error);
  r.Add("aten::relu", OpsetRange{13, 15}, Noop);
  CHECK_THROWS_AS(r.Add("aten::relu", OpsetRange{15, 17}, Noop), std::logic_error);
  CHECK_THROWS_AS(r.Add("aten::gelu", OpsetRange{17, 13}, Noop), std::logic_error);
}

TEST_CASE("in-place ops fall back to their functional translator", "[registry]") {
  Registry r;
  r.Add("aten::relu", Noop);
  bool in_place = false;
  CHECK(r.FindAllowingInPlace("aten::relu_", "", 17, &in_place) != nullptr);
  CHECK(in_place);
  CHECK(r.FindAllowingInPlace("aten::__and__", "", 17, &in_place) == nullptr);
}

TEST_CASE("the built-in registry covers every opset the CLI accepts", "[registry]") {
  const Registry& r = BuiltinRegistry();
  for (int opset = kMinOpset; opset <= kMaxOpset; ++opset) {
    CHECK(r.Find("aten::linear", "", opset) != nullptr);
    CHECK(r.Find("aten::_convolution", "", opset) != nullptr);
    CHECK(r.Find("prim::If", "", opset) != nullptr);
  }
  CHECK(r.All().size() > 150);
}

TEST_CASE("Override replaces entries inside its opset range only, overloads included", "[registry]") {
  Registry r;
  r.SetFamily("builtin");
  r.Add("aten::gelu", OpsetRange{13, 26}, Noop);
  r.Add("aten::gelu.out", OpsetRange{13, 26}, Noop);
  r.Add("aten::relu", Noop);
  r.SetFamily("op-map");
  r.Override("aten::gelu", OpsetRange{20, 22}, Noop);
  CHECK(r.Find("aten::gelu", "", 19)->family == "builtin");
  CHECK(r.Find("aten::gelu", "", 20)->family == "op-map");
  CHECK(r.Find("aten::gelu", "out", 21)->family == "op-map");  // the overload's entry gave way
  CHECK(r.Find("aten::gelu", "out", 23)->family == "builtin");
  CHECK(r.Find("aten::gelu", "", 26)->family == "builtin");
  CHECK(r.Find("aten::relu", "", 20)->family == "builtin");
  r.Override("mylib2::op", OpsetRange{}, Noop);  // digits in the namespace: a custom library
  CHECK(r.Find("mylib2::op", "", 13) != nullptr);
}

TEST_CASE("inputs one ONNX type parameter binds must share a dtype", "[translate]") {
  ir::Node origin;
  origin.op = "aten::add";
  origin.overload = "Tensor";
  onnx::OnnxModel model;
  model.opset = 20;
  auto node = [&](std::string op, std::vector<std::string> inputs, std::string output) {
    onnx::OnnxNode n;
    n.op_type = std::move(op);
    n.inputs = std::move(inputs);
    n.outputs = {std::move(output)};
    n.origin = &origin;
    return n;
  };
  model.graph.nodes = {node("Add", {"x", "i"}, "bad"), node("Add", {"x", "y"}, "good"),
                       node("Reshape", {"x", "i"}, "reshaped"), node("Concat", {"x", "y", "i"}, "joined")};
  model.graph.nodes[3].attrs = {{"axis", int64_t{0}}};
  std::map<std::string, optimize::ValueType> types = {
      {"x", {DType::kFloat32, {}}}, {"y", {DType::kFloat32, {}}}, {"i", {DType::kInt64, {}}}};
  auto issues = FindInconsistentInputTypes(model, types);
  // The float + int64 Add and the mixed Concat; Reshape's shape is tensor(int64) by schema.
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].op == "aten::add.Tensor");
  CHECK(issues[0].message.find("ONNX Add was built with float32 input 0 and int64 input 1") != std::string::npos);
  CHECK(issues[1].message.find("ONNX Concat") != std::string::npos);
  model.graph.nodes.erase(model.graph.nodes.begin());
  model.graph.nodes.pop_back();
  CHECK(FindInconsistentInputTypes(model, types).empty());
}
