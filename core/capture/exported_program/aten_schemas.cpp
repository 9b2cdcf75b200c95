#include "core/capture/exported_program/aten_schemas.h"

#include <torch/csrc/jit/frontend/function_schema_parser.h>
#include <torch/csrc/jit/runtime/operator.h>

#include <map>
#include <memory>
#include <mutex>

#include "core/capture/torch_interop.h"

namespace t2o {
namespace {

// Core ATen ops of torch 2.x decompositions that libtorch 1.13 lacks; the reference
// runner implements them with older ops (exported_program/reference.cpp).
const char* kNewerSchemas[] = {
    "aten::_native_batch_norm_legit_no_training(Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, "
    "Tensor running_var, float momentum, float eps) -> (Tensor, Tensor, Tensor)",
    "aten::scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
    "float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor",
    "aten::_scaled_dot_product_flash_attention_for_cpu(Tensor query, Tensor key, Tensor value, float dropout_p=0.0, "
    "bool is_causal=False, *, Tensor? attn_mask=None, float? scale=None) -> (Tensor output, Tensor logsumexp)",
    "aten::_native_batch_norm_legit(Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, "
    "Tensor running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)",
    "aten::_native_batch_norm_legit.no_stats(Tensor input, Tensor? weight, Tensor? bias, bool training, float momentum, "
    "float eps) -> (Tensor, Tensor, Tensor)",
    "aten::_assert_scalar(Scalar self, str assert_msg) -> ()",
    "aten::sym_constrain_range(Scalar size, *, int? min=None, int? max=None) -> ()",
    "aten::sym_constrain_range_for_size(Scalar size, *, int? min=None, int? max=None) -> ()",
};

ir::ValueKind KindOf(const c10::TypePtr& type, bool* optional) {
  using c10::TypeKind;
  if (auto opt = type->cast<c10::OptionalType>()) {
    *optional = true;
    return KindOf(opt->getElementType(), optional);
  }
  switch (type->kind()) {
    case TypeKind::TensorType: return ir::ValueKind::kTensor;
    case TypeKind::IntType:
    case TypeKind::SymIntType: return ir::ValueKind::kInt;
    case TypeKind::FloatType: return ir::ValueKind::kFloat;
    case TypeKind::BoolType: return ir::ValueKind::kBool;
    case TypeKind::StringType: return ir::ValueKind::kString;
    case TypeKind::DeviceObjType: return ir::ValueKind::kDevice;
    case TypeKind::ScalarTypeType:
    case TypeKind::LayoutType:
    case TypeKind::MemoryFormatType: return ir::ValueKind::kInt;
    case TypeKind::ListType: {
      bool element_optional = false;
      ir::ValueKind element = KindOf(type->expectRef<c10::ListType>().getElementType(), &element_optional);
      if (element == ir::ValueKind::kInt) return ir::ValueKind::kIntList;
      if (element == ir::ValueKind::kFloat) return ir::ValueKind::kFloatList;
      if (element == ir::ValueKind::kBool) return ir::ValueKind::kBoolList;
      if (element == ir::ValueKind::kTensor) return ir::ValueKind::kTensorList;
      return ir::ValueKind::kOther;
    }
    default: return ir::ValueKind::kOther;
  }
}

// A schema default as an IR constant; an empty generic list default (`Tensor[] x=[]`)
// becomes an empty int list.
std::optional<ir::Constant> DefaultConstant(const c10::IValue& v) {
  if (auto c = IValueToConstant(v)) return c;
  if (v.isList() && v.toListRef().empty()) return ir::Constant{std::vector<int64_t>{}};
  return std::nullopt;
}

OperatorSchema Convert(const c10::FunctionSchema& s, bool known) {
  OperatorSchema out;
  out.op = s.name();
  out.overload = s.overload_name();
  out.known_to_libtorch = known;
  out.aliasing = AliasingOf(s);
  for (const auto& a : s.arguments()) {
    ArgumentSchema arg;
    arg.name = a.name();
    arg.kind = KindOf(a.type(), &arg.optional);
    arg.kwarg_only = a.kwarg_only();
    if (a.default_value()) arg.default_value = DefaultConstant(*a.default_value());
    out.arguments.push_back(std::move(arg));
  }
  for (const auto& r : s.returns()) {
    bool optional = false;
    out.returns.push_back(KindOf(r.type(), &optional));
  }
  return out;
}

}  // namespace

const OperatorSchema* FindOperatorSchema(const std::string& op, const std::string& overload) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<OperatorSchema>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  std::string key = op + "." + overload;
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  std::unique_ptr<OperatorSchema> found;
  for (const auto& candidate : torch::jit::getAllOperatorsFor(c10::Symbol::fromQualString(op)))
    if (candidate->schema().overload_name() == overload) found = std::make_unique<OperatorSchema>(Convert(candidate->schema(), true));
  if (!found)
    for (const char* text : kNewerSchemas) {
      auto parsed = torch::jit::parseSchema(text);
      if (parsed.name() == op && parsed.overload_name() == overload) found = std::make_unique<OperatorSchema>(Convert(parsed, false));
    }
  return (cache[key] = std::move(found)).get();
}

}  // namespace t2o
