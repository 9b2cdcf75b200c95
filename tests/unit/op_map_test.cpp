#include "tests/support/catch.h"

#include <filesystem>
#include <fstream>

#include "core/translate/op_map.h"
#include "core/util/errors.h"

using namespace t2o;

namespace {
std::string WriteMap(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string ErrorOf(const std::string& text) {
  try {
    ReadOpMap(WriteMap("t2o_op_map_test.json", text));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

// Catch2 v2 and v3 name their substring matcher differently.
#define CHECK_SAYS(text, part)                                 \
  do {                                                         \
    std::string said = text;                                   \
    INFO(said);                                                \
    CHECK(said.find(part) != std::string::npos);               \
  } while (0)

TEST_CASE("op map (--op-map) entries: inputs, attributes from arguments and literals, opset ranges", "[op_map]") {
  auto m = ReadOpMap(WriteMap("t2o_op_map_ok.json", R"({"version": 1, "ops": {
    "lib::a": {"domain": "com.microsoft", "domain_version": 2, "op_type": "QuickGelu", "inputs": [0, null, 2],
               "attributes": {"alpha": {"argument": 1}, "k": {"value": 3}, "s": {"value": "x"},
                              "f": {"value": [1, 2.5]}, "i": {"value": [1, 2]}, "g": {"value": 2, "type": "float"}}},
    "aten::gelu": {"op_type": "Gelu", "domain": "ai.onnx", "since_opset": 20}}})"));
  REQUIRE(m.size() == 2);
  const OpMapping& gelu = m[0].key == "aten::gelu" ? m[0] : m[1];
  const OpMapping& a = m[0].key == "lib::a" ? m[0] : m[1];
  CHECK(gelu.domain.empty());
  CHECK(gelu.opsets.since == 20);
  CHECK(!gelu.inputs);
  CHECK(a.domain_version == 2);
  REQUIRE(a.inputs);
  CHECK(a.inputs->size() == 3);
  CHECK(!(*a.inputs)[1]);
  std::map<std::string, const OpMapAttribute*> attrs;
  for (const auto& attr : a.attributes) attrs[attr.name] = &attr;
  CHECK(*attrs["alpha"]->argument == 1);
  CHECK(std::get<int64_t>(*attrs["k"]->literal) == 3);
  CHECK(std::get<std::string>(*attrs["s"]->literal) == "x");
  CHECK(std::get<std::vector<float>>(*attrs["f"]->literal) == std::vector<float>{1, 2.5});
  CHECK(std::get<std::vector<int64_t>>(*attrs["i"]->literal) == std::vector<int64_t>{1, 2});
  CHECK(std::get<float>(*attrs["g"]->literal) == 2.0f);
}

TEST_CASE("op map (--op-map) errors name the entry and the field", "[op_map]") {
  CHECK_SAYS(ErrorOf("{"), "is not valid JSON");
  CHECK_SAYS(ErrorOf(R"({"ops": []})"), "expected {\"version\": 1");
  CHECK_SAYS(ErrorOf(R"({"version": 2, "ops": {}})"), "version 2");
  CHECK_SAYS(ErrorOf(R"({"ops": {"lib::a": {}}})"), "entry 'lib::a': 'op_type'");
  CHECK_SAYS(ErrorOf(R"({"ops": {"lib::a": {"op_type": "X", "inputs": [-1]}}})"), "expected an argument position");
  CHECK_SAYS(ErrorOf(R"({"ops": {"lib::a": {"op_type": "X", "attributes": {"k": {"argument": 0, "value": 1}}}}})"), "attribute 'k': give exactly one");
  CHECK_SAYS(ErrorOf(R"({"ops": {"lib::a": {"op_type": "X", "attributes": {"k": {"value": "s", "type": "int"}}}}})"), "cannot write \"s\" as a int attribute");
  CHECK_SAYS(ErrorOf(R"({"ops": {"lib::a": {"op_type": "X", "since_opset": 12}}})"), "outside the opsets");
  CHECK_SAYS(ErrorOf(R"({"ops": {"lib::a": {"op_type": "X", "domain_version": 2}}})"), "for custom domains");
  CHECK_SAYS(ErrorOf(R"({"ops": {"a.b": {"op_type": "X"}}})"), "namespace::op");
}
