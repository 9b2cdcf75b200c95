#include "tests/support/catch.h"

#include "core/capture/input_spec.h"
#include "core/util/json_numbers.h"
#include "core/ir/ir.h"
#include "core/util/errors.h"

using namespace t2o;

TEST_CASE("dtype tables round-trip", "[ir]") {
  for (DType d : {DType::kFloat32, DType::kFloat64, DType::kFloat16, DType::kInt8, DType::kInt32, DType::kInt64,
                  DType::kUInt8, DType::kBool}) {
    CHECK(DTypeFromOnnx(DTypeToOnnx(d)) == d);
    CHECK(DTypeFromTorch(DTypeToTorch(d)) == d);
    CHECK(DTypeFromName(DTypeName(d)) == d);
  }
  CHECK(DTypeFromName("long") == DType::kInt64);
  CHECK_FALSE(DTypeFromName("int4").has_value());
}

TEST_CASE("type promotion follows PyTorch", "[ir]") {
  CHECK(PromoteTypes(DType::kInt64, DType::kFloat32) == DType::kFloat32);
  CHECK(PromoteTypes(DType::kBool, DType::kInt32) == DType::kInt32);
  CHECK(PromoteTypes(DType::kUInt8, DType::kInt8) == DType::kInt16);
  CHECK(PromoteTypes(DType::kFloat16, DType::kFloat32) == DType::kFloat32);
  CHECK(PromoteTypes(DType::kFloat16, DType::kBFloat16) == DType::kFloat32);
}

TEST_CASE("graph values get unique names and printable form", "[ir]") {
  ir::Graph g;
  ir::Value* a = g.NewValue(ir::ValueKind::kTensor, "x");
  ir::Value* b = g.NewValue(ir::ValueKind::kTensor, "x");
  CHECK(a->name != b->name);
  a->meta = {DType::kFloat32, {int64_t{2}, std::string("batch")}, true};
  g.inputs.push_back({a, ir::InputKind::kUserInput, "x", true, std::nullopt});
  ir::Node* n = g.AppendNode(g.top, "aten::relu", "", {a}, 1);
  g.outputs.push_back({n->outputs[0], ir::OutputKind::kUserOutput, "y"});
  g.RebuildUses();
  CHECK(a->uses.size() == 1);
  CHECK(g.CountNodes() == 1);
  std::string text = ir::PrintGraph(g);
  CHECK(text.find("float32[2, batch]") != std::string::npos);
  CHECK(text.find("aten::relu") != std::string::npos);
  CHECK_FALSE(a->meta.IsStatic());
  CHECK(a->meta.StaticDim(-2) == 2);
}

TEST_CASE("input shapes parse and reject garbage", "[ir]") {
  CHECK(ParseShape("1,3,224,224") == std::vector<int64_t>{1, 3, 224, 224});
  CHECK(ParseShape("1x3x8") == std::vector<int64_t>{1, 3, 8});
  CHECK(ParseShape("[2, 5]") == std::vector<int64_t>{2, 5});
  CHECK(ParseShape("scalar").empty());
  CHECK_THROWS_AS(ParseShape("1,a,3"), UsageError);
  CHECK_THROWS_AS(ParseShape("1,-3"), UsageError);
}

TEST_CASE("input spec JSON keeps structure and key order", "[ir]") {
  auto trees = ParseInputSpecJson(R"([{"shape":[97,8]}, {"zeta": "1,2", "alpha": {"shape":[3], "dtype":"int64"}}, ["4,5"]])");
  REQUIRE(trees.size() == 3);
  CHECK(trees[0].kind == InputTree::Kind::kTensor);
  CHECK(trees[1].kind == InputTree::Kind::kDict);
  CHECK(trees[1].keys == std::vector<std::string>{"zeta", "alpha"});
  CHECK(trees[1].children[1].tensor.dtype == DType::kInt64);
  CHECK(trees[2].kind == InputTree::Kind::kList);
  CHECK(trees[2].children[0].tensor.shape == std::vector<int64_t>{4, 5});
  CHECK_THROWS_AS(ParseInputSpecJson("{not json"), UsageError);
  CHECK_THROWS_AS(ParseInputSpecJson(R"({"a": 1})"), UsageError);
}

TEST_CASE("input spec shapes hold exact, countable, non-negative integers", "[ir]") {
  // A literal too big for int64 parses as a double; casting it back was undefined (fuzzer finding).
  CHECK_THROWS_AS(ParseInputSpecJson(R"([{"shape":[29223372036854775807, 3]}])"), UsageError);
  CHECK_THROWS_AS(ParseInputSpecJson(R"([{"shape":[18446744073709551615]}])"), UsageError);
  CHECK_THROWS_AS(ParseInputSpecJson(R"([{"shape":[2.5, 3]}])"), UsageError);
  CHECK_THROWS_AS(ParseInputSpecJson(R"([{"shape":[-1, 3]}])"), UsageError);
  CHECK_THROWS_AS(ParseInputSpecJson(R"([{"shape":[4611686018427387904, 4]}])"), UsageError);
  CHECK_THROWS_AS(ParseShape("4611686018427387904,4"), UsageError);
  CHECK(ParseInputSpecJson(R"([{"shape":[9223372036854775807]}])")[0].tensor.shape[0] == INT64_MAX);
  CHECK(ExactInt64(nlohmann::json::parse("-7")) == -7);
  CHECK_THROWS_AS(ExactInt(nlohmann::json::parse("4294967296")), nlohmann::json::type_error);
}

TEST_CASE("npy files round-trip", "[ir]") {
  auto data = TensorData::FromVector<float>(DType::kFloat32, {2, 3}, {1, 2, 3, 4, 5, 6});
  std::string path = std::string(T2O_BINARY_DIR) + "/test-output-roundtrip.npy";
  WriteNpy(path, data);
  TensorData back = ReadNpy(path);
  CHECK(back.shape == data.shape);
  CHECK(back.dtype == DType::kFloat32);
  CHECK(back.ElementAsDouble(5) == 6.0);
  CHECK_THROWS_AS(ReadNpy(std::string(T2O_BINARY_DIR) + "/does-not-exist.npy"), InputError);
  // 1-D arrays: numpy writes the shape as "(4,)"; 0-d as "()".
  for (std::vector<int64_t> shape : {std::vector<int64_t>{4}, std::vector<int64_t>{}}) {
    int64_t n = shape.empty() ? 1 : shape[0];
    auto ints = TensorData::FromVector<int64_t>(DType::kInt64, shape, std::vector<int64_t>(n, 7));
    WriteNpy(path, ints);
    TensorData round = ReadNpy(path);
    CHECK(round.shape == shape);
    CHECK(round.ElementAsInt(n - 1) == 7);
  }
}
