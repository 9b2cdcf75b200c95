#include "core/capture/exported_program/aten_schemas.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "core/capture/quantization_schemas.h"
#include "core/capture/torchvision_schemas.h"

namespace t2o {
namespace {

// Every schema libtorch registers (generated at build time by scripts/gen_aten_schemas.py).
const char* const kSchemas[] = {
#include "aten_schemas.inc"
};

struct TypeInfo {
  std::string base;            // "Tensor", "int", "SymInt", "Scalar", ...
  bool list = false;           // `T[]`, `T[2]`
  std::optional<size_t> size;  // the N of `T[N]`
  bool optional = false;       // `T?` (the list itself for `T[]?`)
  std::string alias;           // "a", "a!", "a -> *"
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

[[noreturn]] void Fail(const std::string& why, std::string_view text) {
  throw std::invalid_argument(why + " in schema '" + std::string(text) + "'");
}

// Splits at commas outside brackets, parentheses and quotes.
std::vector<std::string_view> SplitTopLevel(std::string_view s) {
  std::vector<std::string_view> parts;
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(' || c == '[') {
      ++depth;
    } else if (c == ')' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 0) {
      parts.push_back(Trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::string_view last = Trim(s.substr(start));
  if (!last.empty() || !parts.empty()) parts.push_back(last);
  return parts;
}

// A type at the start of `s`; `s` keeps what follows it.
TypeInfo ParseType(std::string_view& s, std::string_view text) {
  TypeInfo t;
  size_t i = 0;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  if (i == 0) Fail("expected a type", text);
  t.base = std::string(s.substr(0, i));
  for (;;) {
    if (i < s.size() && s[i] == '(') {
      size_t close = s.find(')', i);
      if (close == std::string_view::npos) Fail("unclosed alias annotation", text);
      t.alias = std::string(Trim(s.substr(i + 1, close - i - 1)));
      i = close + 1;
    } else if (i < s.size() && s[i] == '?') {
      t.optional = true;
      ++i;
    } else if (i < s.size() && s[i] == '[') {
      size_t close = s.find(']', i);
      if (close == std::string_view::npos) Fail("unclosed list type", text);
      std::string_view n = s.substr(i + 1, close - i - 1);
      if (!n.empty()) t.size = std::stoul(std::string(n));
      t.list = true;
      t.optional = false;  // `Tensor?[]`: the elements are optional, the list is not
      i = close + 1;
    } else {
      break;
    }
  }
  s = Trim(s.substr(i));
  return t;
}

ir::ValueKind KindOf(const TypeInfo& t) {
  const std::string& b = t.base;
  bool integer = b == "int" || b == "SymInt";
  if (t.list) {
    if (integer) return ir::ValueKind::kIntList;
    if (b == "float") return ir::ValueKind::kFloatList;
    if (b == "bool") return ir::ValueKind::kBoolList;
    if (b == "Tensor") return ir::ValueKind::kTensorList;
    return ir::ValueKind::kOther;
  }
  if (b == "Tensor") return ir::ValueKind::kTensor;
  if (integer || b == "ScalarType" || b == "Layout" || b == "MemoryFormat" || b == "DeviceIndex") return ir::ValueKind::kInt;
  if (b == "float") return ir::ValueKind::kFloat;
  if (b == "bool") return ir::ValueKind::kBool;
  if (b == "str") return ir::ValueKind::kString;
  if (b == "Device") return ir::ValueKind::kDevice;
  return ir::ValueKind::kOther;  // Scalar, Generator, Dimname, Any, ...
}

bool LooksFloating(std::string_view v) {
  return v.find_first_of(".eE") != std::string_view::npos || v.find("inf") != std::string_view::npos ||
         v.find("nan") != std::string_view::npos;
}

double ParseDouble(std::string_view v, std::string_view text) {
  std::string s(v);
  try {
    size_t used = 0;
    double d = std::stod(s, &used);
    if (used != s.size()) Fail("bad number '" + s + "'", text);
    return d;
  } catch (const std::logic_error&) {
    Fail("bad number '" + s + "'", text);
  }
}

int64_t ParseInt(std::string_view v, std::string_view text) {
  std::string s(v);
  try {
    size_t used = 0;
    int64_t i = std::stoll(s, &used);
    if (used != s.size()) Fail("bad integer '" + s + "'", text);
    return i;
  } catch (const std::logic_error&) {
    Fail("bad integer '" + s + "'", text);
  }
}

std::string Unquote(std::string_view v, std::string_view text) {
  if (v.size() < 2 || (v.front() != '"' && v.front() != '\'') || v.back() != v.front()) Fail("bad string default", text);
  std::string out;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 2 < v.size()) {
      char e = v[++i];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'r': out += '\r'; break;
        default: out += e; break;
      }
    } else {
      out += c;
    }
  }
  return out;
}

ir::Constant ParseDefault(std::string_view v, const TypeInfo& t, ir::ValueKind kind, std::string_view text) {
  if (v == "None") return ir::NoneValue{};
  if (t.list) {
    std::vector<std::string_view> items;
    if (!v.empty() && v.front() == '[') {
      if (v.back() != ']') Fail("bad list default", text);
      items = SplitTopLevel(v.substr(1, v.size() - 2));
      if (items.size() == 1 && items[0].empty()) items.clear();
    } else {
      items.assign(t.size.value_or(1), v);  // `int[2] stride=1` is [1, 1]
    }
    if (kind == ir::ValueKind::kFloatList) {
      std::vector<double> out;
      for (auto item : items) out.push_back(ParseDouble(item, text));
      return out;
    }
    if (kind == ir::ValueKind::kBoolList) {
      std::vector<bool> out;
      for (auto item : items) out.push_back(item == "True");
      return out;
    }
    std::vector<int64_t> out;  // int lists; an empty list of anything else
    if (kind == ir::ValueKind::kIntList)
      for (auto item : items) out.push_back(ParseInt(item, text));
    else if (!items.empty())
      Fail("unsupported list default", text);
    return out;
  }
  switch (kind) {
    case ir::ValueKind::kBool: return v == "True";
    case ir::ValueKind::kInt: return ParseInt(v, text);
    case ir::ValueKind::kFloat: return ParseDouble(v, text);
    case ir::ValueKind::kString: return Unquote(v, text);
    case ir::ValueKind::kDevice: return std::string(v.front() == '"' || v.front() == '\'' ? Unquote(v, text) : v);
    default: break;
  }
  if (v == "True" || v == "False") return v == "True";
  if (!v.empty() && (v.front() == '"' || v.front() == '\'')) return Unquote(v, text);
  return LooksFloating(v) ? ir::Constant{ParseDouble(v, text)} : ir::Constant{ParseInt(v, text)};
}

// The alias sets an annotation names before any "!" or "->": "a! -> a|b" gives "a".
std::string AliasSet(const std::string& alias) {
  size_t end = alias.find_first_of("!-");
  return std::string(Trim(std::string_view(alias).substr(0, end)));
}

ir::Aliasing AliasingOf(const TypeInfo& self, const std::vector<TypeInfo>& returns) {
  if (self.alias.empty()) return ir::Aliasing::kNone;
  if (self.alias.find('!') != std::string::npos) return ir::Aliasing::kInPlace;
  if (returns.empty() || returns[0].alias.empty() || AliasSet(returns[0].alias) != AliasSet(self.alias))
    return ir::Aliasing::kNone;
  return returns[0].list ? ir::Aliasing::kViewList : ir::Aliasing::kView;
}

}  // namespace

OperatorSchema ParseOperatorSchema(const std::string& text_in) {
  std::string_view text(text_in);
  size_t open = text.find('(');
  size_t arrow = text.rfind("->");
  if (open == std::string_view::npos || arrow == std::string_view::npos || arrow < open) Fail("no argument list", text);
  size_t close = text.rfind(')', arrow);
  if (close == std::string_view::npos || close < open) Fail("unclosed argument list", text);
  OperatorSchema schema;
  std::string_view name = Trim(text.substr(0, open));
  size_t ns = name.find("::");
  size_t dot = name.find('.', ns == std::string_view::npos ? 0 : ns + 2);
  schema.op = std::string(name.substr(0, dot));
  if (dot != std::string_view::npos) schema.overload = std::string(name.substr(dot + 1));

  TypeInfo first;
  bool kwarg_only = false;
  for (std::string_view piece : SplitTopLevel(text.substr(open + 1, close - open - 1))) {
    if (piece.empty()) continue;
    if (piece == "*") {
      kwarg_only = true;
      continue;
    }
    std::string_view rest = piece;
    TypeInfo type = ParseType(rest, text);
    if (schema.arguments.empty()) first = type;
    ArgumentSchema arg;
    size_t eq = rest.find('=');
    arg.name = std::string(Trim(rest.substr(0, eq)));
    arg.kind = KindOf(type);
    arg.optional = type.optional;
    arg.kwarg_only = kwarg_only;
    if (eq != std::string_view::npos) arg.default_value = ParseDefault(Trim(rest.substr(eq + 1)), type, arg.kind, text);
    schema.arguments.push_back(std::move(arg));
  }

  std::string_view returns = Trim(text.substr(arrow + 2));
  std::vector<std::string_view> parts;
  if (!returns.empty() && returns.front() == '(') {
    if (returns.back() != ')') Fail("unclosed return list", text);
    parts = SplitTopLevel(returns.substr(1, returns.size() - 2));
    if (parts.size() == 1 && parts[0].empty()) parts.clear();
  } else {
    parts.push_back(returns);
  }
  std::vector<TypeInfo> return_types;
  for (std::string_view part : parts) {
    std::string_view rest = part;
    return_types.push_back(ParseType(rest, text));
    schema.returns.push_back(KindOf(return_types.back()));
  }
  schema.aliasing = schema.arguments.empty() ? ir::Aliasing::kNone : AliasingOf(first, return_types);
  return schema;
}

const OperatorSchema* FindOperatorSchema(const std::string& op, const std::string& overload) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<OperatorSchema>> parsed;
  std::lock_guard<std::mutex> lock(mutex);
  std::string key = overload.empty() ? op : op + "." + overload;
  if (auto it = parsed.find(key); it != parsed.end()) return it->second.get();
  // The table is sorted, and '(' sorts before every character of a name, so ordering the
  // schemas by their text orders them by "ns::name.overload": a binary search finds one.
  auto name_of = [](const char* text) { return std::string_view(text, std::strchr(text, '(') - text); };
  const char* const* end = kSchemas + sizeof(kSchemas) / sizeof(kSchemas[0]);
  const char* const* it = std::lower_bound(kSchemas, end, key, [&](const char* text, const std::string& k) {
    return name_of(text) < std::string_view(k);
  });
  std::unique_ptr<OperatorSchema> schema;
  if (it != end && name_of(*it) == key) schema = std::make_unique<OperatorSchema>(ParseOperatorSchema(*it));
  // Extension operators libt2o_torch defines: not in libtorch's registry at table-generation time.
  auto look_in = [&](const auto& table) {
    for (const char* text : table) {
      if (!schema && name_of(text) == key) schema = std::make_unique<OperatorSchema>(ParseOperatorSchema(text));
    }
  };
  look_in(kTorchvisionSchemas);
  look_in(kQuantizedDecomposedSchemas);
  look_in(kTorchaoSchemas);
  return (parsed[key] = std::move(schema)).get();
}

}  // namespace t2o
