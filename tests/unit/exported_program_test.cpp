// Pieces of the .pt2 reader that need no model file: symbolic expressions, schema unions,
// dtypes and ATen schemas.
#include "tests/support/catch.h"

#include "core/capture/exported_program/aten_schemas.h"
#include "core/capture/exported_program/pt2_reader.h"
#include "core/capture/exported_program/sym_expr.h"
#include "core/util/errors.h"

using namespace t2o;

TEST_CASE("sympy srepr and str expressions become dim_param text", "[unit][pt2]") {
  CHECK(SymExprToText("Symbol('s0', integer=True, positive=True)") == "s0");
  CHECK(SymExprToText("Mul(Integer(2), Symbol('s0', integer=True, positive=True))") == "2*s0");
  CHECK(SymExprToText("Add(Symbol('s1', integer=True), Integer(-1))") == "s1 + -1");
  CHECK(SymExprToText("FloorDiv(Symbol('s0', integer=True, positive=True), Integer(2))") == "(s0//2)");
  CHECK(SymExprToText("Max(Integer(1), Symbol('u0', integer=True))") == "Max(1, u0)");
  CHECK(SymExprToText("2*s0") == "2*s0");  // older writers: str(expr), kept
  CHECK(SymExprToText("s0") == "s0");
  CHECK_THROWS_AS(SymExprToText("Mul(Integer(2), Symbol('s0'"), InputError);
  CHECK(IsSymbolName("s0"));
  CHECK(IsSymbolName("batch_size"));
  CHECK_FALSE(IsSymbolName("2*s0"));
}

TEST_CASE("schema unions, dtypes and versions", "[unit][pt2]") {
  nlohmann::json tensor = nlohmann::json::parse(R"({"as_tensor": {"name": "x"}})");
  auto [kind, value] = UnionMember(tensor, "here");
  CHECK(kind == "as_tensor");
  CHECK(value->at("name") == "x");
  // Schema 1 wrote every member with null for the unused ones.
  nlohmann::json old = nlohmann::json::parse(R"({"as_none": null, "as_int": 3})");
  auto [old_kind, old_value] = UnionMember(old, "here");
  CHECK(old_kind == "as_int");
  CHECK(old_value->get<int>() == 3);
  CHECK(DTypeFromSchema(7, "x") == DType::kFloat32);
  CHECK(DTypeFromSchema(5, "x") == DType::kInt64);
  CHECK(DTypeFromSchema(12, "x") == DType::kBool);
  CHECK_THROWS_WITH(DTypeFromSchema(29, "weight 'w'"), "weight 'w': unsupported dtype float8_e4m3fn");
}

TEST_CASE("the schema table has libtorch's ops, with defaults and alias annotations", "[unit][pt2]") {
  const OperatorSchema* add = FindOperatorSchema("aten::add", "Tensor");
  REQUIRE(add);
  REQUIRE(add->arguments.size() == 3);
  CHECK(add->arguments[2].name == "alpha");
  CHECK(add->arguments[2].kwarg_only);
  REQUIRE(add->arguments[2].default_value);
  CHECK(std::get<int64_t>(*add->arguments[2].default_value) == 1);
  const OperatorSchema* bn = FindOperatorSchema("aten::_native_batch_norm_legit_no_training", "");
  REQUIRE(bn);
  CHECK(bn->returns.size() == 3);
  CHECK(FindOperatorSchema("aten::add", "no_such_overload") == nullptr);
  // Registered in C++ outside native_functions.yaml.
  CHECK(FindOperatorSchema("aten::rrelu_with_noise_functional", "") != nullptr);
  CHECK(FindOperatorSchema("aten::slice", "Tensor")->aliasing == ir::Aliasing::kView);
  CHECK(FindOperatorSchema("aten::add_", "Tensor")->aliasing == ir::Aliasing::kInPlace);
  CHECK(FindOperatorSchema("aten::split", "Tensor")->aliasing == ir::Aliasing::kViewList);
  CHECK(FindOperatorSchema("aten::add", "Tensor")->aliasing == ir::Aliasing::kNone);
}

TEST_CASE("schema parsing: list defaults, optional lists, strings, returns", "[unit][pt2]") {
  OperatorSchema conv = ParseOperatorSchema(
      "aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, "
      "bool ceil_mode=False) -> Tensor");
  CHECK(conv.op == "aten::max_pool2d");
  CHECK(conv.overload.empty());
  REQUIRE(conv.arguments.size() == 6);
  CHECK(conv.arguments[1].kind == ir::ValueKind::kIntList);
  CHECK(std::get<std::vector<int64_t>>(*conv.arguments[2].default_value).empty());
  CHECK(std::get<std::vector<int64_t>>(*conv.arguments[3].default_value) == std::vector<int64_t>{0, 0});
  CHECK(std::get<std::vector<int64_t>>(*conv.arguments[4].default_value) == std::vector<int64_t>{1, 1});
  CHECK_FALSE(std::get<bool>(*conv.arguments[5].default_value));
  OperatorSchema index = ParseOperatorSchema("aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor");
  CHECK(index.overload == "Tensor");
  CHECK(index.arguments[1].kind == ir::ValueKind::kTensorList);
  CHECK_FALSE(index.arguments[1].optional);
  OperatorSchema pad = ParseOperatorSchema(
      R"(aten::pad(Tensor self, SymInt[] pad, str mode="constant", float? value=None) -> Tensor)");
  CHECK(std::get<std::string>(*pad.arguments[2].default_value) == "constant");
  CHECK(pad.arguments[3].optional);
  CHECK(std::holds_alternative<ir::NoneValue>(*pad.arguments[3].default_value));
  OperatorSchema quoted = ParseOperatorSchema(R"(aten::f(Tensor self, str s="\"'\\, x", Scalar a=0.5) -> (Tensor, Tensor b))");
  CHECK(std::get<std::string>(*quoted.arguments[1].default_value) == "\"'\\, x");
  CHECK(std::get<double>(*quoted.arguments[2].default_value) == 0.5);
  CHECK(quoted.returns.size() == 2);
  CHECK(ParseOperatorSchema("aten::_assert_scalar(Scalar self, str assert_msg) -> ()").returns.empty());
  CHECK_THROWS(ParseOperatorSchema("aten::broken(Tensor self"));
}
