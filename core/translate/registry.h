// The translator registry: ATen/prim op key + opset range -> translator function.
//
// Keys are `namespace::name` (matches every overload) or `namespace::name.overload`
// (exactly one). Lookup prefers the exact overload, then the name-only entry, and picks
// the entry whose opset range contains the target opset — never by registration order.
// Overlapping ranges for one key are refused at registration.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace t2o {

class TranslationContext;
namespace ir {
struct Node;
}

constexpr int kMinOpset = 13;
// The highest opset both the bundled ONNX checker (1.23: 28) and ONNX Runtime 1.30 (26) know.
constexpr int kMaxOpset = 26;
// What torch.onnx.export(dynamo=True) writes by default in torch 2.13
// (torch.onnx._constants.ONNX_DEFAULT_OPSET; e2e.cli.opset checks that they agree).
constexpr int kDefaultOpset = 20;

struct OpsetRange {
  int since = kMinOpset;
  int until = kMaxOpset;  // inclusive
  bool Contains(int opset) const { return opset >= since && opset <= until; }
};

using TranslatorFn = std::function<void(TranslationContext&)>;

// An op the registry refuses with a stated reason instead of translating it.
struct Refusal {
  enum class Kind { kInexpressible, kTrainingOnly };
  Kind kind;
  std::string reason;
  static const char* KindName(Kind kind) { return kind == Kind::kInexpressible ? "inexpressible" : "training-only"; }
};
// The op-name suffix of gradient ops, refused as training-only (Registry::RefusalFor).
inline constexpr const char* kBackwardSuffix = "_backward";
// Nodes whose op writes its result into an argument other than self (ATen's out= variants,
// whose overloads are named out or *_out), unless that exact overload has a translator.
inline constexpr const char* kOutVariantReason =
    "an out= variant (it writes its result into the `out` argument), which the converter does not follow: "
    "call the functional form (y = op(...)) in the model";
inline constexpr const char* kTrainingOnlyReason =
    "training-only op (a gradient computation): the file holds a training graph; export the model for "
    "inference (model.eval(), no backward pass) and convert that";

struct TranslatorEntry {
  std::string key;     // as registered
  OpsetRange range;
  TranslatorFn fn;
  std::string family;  // the translators/ file it lives in, for reports
  // A form for nodes on complex tensors (AddComplex): on the ONNX side a complex64 tensor
  // is a float32 tensor with a trailing axis of 2 (real, imaginary), as ONNX's DFT writes it.
  bool complex = false;
};

class Registry {
 public:
  // Throws std::logic_error on a malformed key or an overlapping range.
  void Add(const std::string& key, OpsetRange range, TranslatorFn fn);
  void Add(const std::string& key, TranslatorFn fn) { Add(key, OpsetRange{}, std::move(fn)); }
  // The form of `key` for nodes with a complex tensor input or output (only these forms
  // see complex tensors; a node on complex tensors without one is unsupported).
  void AddComplex(const std::string& key, OpsetRange range, TranslatorFn fn);
  void AddComplex(const std::string& key, TranslatorFn fn) { AddComplex(key, OpsetRange{}, std::move(fn)); }
  // Add, replacing within `range` every entry of `key` (a name-only key: of all its
  // overloads too): for translations the user supplies (--op-map) in place of built-in ones.
  void Override(const std::string& key, OpsetRange range, TranslatorFn fn);
  void SetFamily(std::string family) { family_ = std::move(family); }
  // An op that no opset this build writes can express exactly (`op` or `op.overload`); a
  // model using it fails with `reason`, which names the opset that would work. Not listed
  // among the supported ops.
  void AddInexpressible(const std::string& key, std::string reason) {
    refusals_[key] = Refusal{Refusal::Kind::kInexpressible, std::move(reason)};
  }
  // Registers `alias` (e.g. aten::view_copy) with every entry of `target` (aten::view,
  // each overload and opset range), for ops that only differ in aliasing semantics.
  // Throws std::logic_error when `target` has no entry yet.
  void AddAlias(const std::string& alias, const std::string& target);
  // Why the op has no translator, when the registry knows: an AddInexpressible entry, or
  // for every op named `*_backward` (convolution_backward, native_dropout_backward, ...) the
  // training-only refusal. nullopt otherwise.
  std::optional<Refusal> RefusalFor(const std::string& op, const std::string& overload) const;
  const std::map<std::string, Refusal>& Refusals() const { return refusals_; }

  // Exact overload first, then name-only; nullptr when none covers `opset`. `complex`:
  // the forms for nodes on complex tensors.
  const TranslatorEntry* Find(const std::string& op, const std::string& overload, int opset,
                              bool complex = false) const;
  // Like Find; for an in-place op (`aten::relu_`) without its own entry, falls back to
  // the out-of-place op and sets *in_place.
  const TranslatorEntry* FindAllowingInPlace(const std::string& op, const std::string& overload,
                                             int opset, bool* in_place, bool complex = false) const;
  // Every entry for the op (any overload, any opset), to explain a miss.
  std::vector<const TranslatorEntry*> EntriesFor(const std::string& op) const;
  std::vector<const TranslatorEntry*> All() const;

 private:
  // Checks the key and that its opset ranges do not overlap, then stores the entry.
  void AddEntry(TranslatorEntry entry);

  std::map<std::string, std::vector<TranslatorEntry>> entries_;
  std::map<std::string, Refusal> refusals_;
  std::string family_;
};

// The registry with every built-in translator (translators/register_all.cpp).
const Registry& BuiltinRegistry();

// Whether a node reads or writes a complex tensor (then only complex forms apply).
bool OnComplexTensors(const ir::Node& node);

}  // namespace t2o
