#include "tests/support/catch.h"

#include "core/translate/context.h"
#include "core/translate/registry.h"

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
