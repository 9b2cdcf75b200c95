#include "core/translate/op_list.h"

#include <algorithm>
#include <set>

#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace t2o {

std::string FormatOpList(const Registry& registry, std::optional<int> opset, bool markdown) {
  // key -> its entries (a key may have several opset ranges)
  std::map<std::string, std::vector<const TranslatorEntry*>> by_key;
  for (const TranslatorEntry* e : registry.All())
    if (!opset || e->range.Contains(*opset)) by_key[e->key + (e->complex ? " (complex)" : "")].push_back(e);
  auto ranges = [](const std::vector<const TranslatorEntry*>& entries) {
    std::string text;
    for (const auto* e : entries)
      text += (text.empty() ? "" : ", ") + std::to_string(e->range.since) + "-" + std::to_string(e->range.until);
    return text;
  };
  std::ostringstream os;
  if (!markdown) {
    for (const auto& [key, entries] : by_key)
      os << key << std::string(key.size() < 44 ? 44 - key.size() : 1, ' ') << ranges(entries) << "  "
         << entries.front()->family << "\n";
    os << by_key.size() << " ops" << (opset ? " at opset " + std::to_string(*opset) : "") << "\n";
    os << FormatCoverage(registry, opset.value_or(kDefaultOpset), false);
    return os.str();
  }
  std::map<std::string, std::vector<std::string>> by_family;
  for (const auto& [key, entries] : by_key)
    by_family[entries.front()->family].push_back("`" + key + "` (" + ranges(entries) + ")");
  os << "| family | ops | supported ATen/prim ops (opsets) |\n|---|---:|---|\n";
  for (const auto& [family, ops] : by_family) {
    os << "| " << family << " | " << ops.size() << " | ";
    for (size_t i = 0; i < ops.size(); ++i) os << (i ? ", " : "") << ops[i];
    os << " |\n";
  }
  os << "\n" << by_key.size() << " ops in all" << (opset ? " at opset " + std::to_string(*opset) : "")
     << "; a key without an overload covers every overload of the op.\n\n";
  os << FormatCoverage(registry, opset.value_or(kDefaultOpset), true);
  return os.str();
}

namespace {

struct CoreOverload {
  const char* key;         // aten::add.Tensor
  const char* not_needed;  // why no translator is needed; "" when one is
};

const std::vector<CoreOverload>& CoreOverloads() {
  static const std::vector<CoreOverload> table{
#include "core/translate/core_aten_ops.inc"
  };
  return table;
}

struct PublicOp {
  const char* name;  // OpInfo's: nn.functional.conv2d
  const char* ns;    // torch.nn.functional
  std::vector<std::string> aten_ops;  // with the overload where the schema names one
};

const std::vector<PublicOp>& PublicOps() {
  static const std::vector<PublicOp> table{
#include "core/translate/public_ops.inc"
  };
  return table;
}

// "aten::add.Tensor" -> ("aten::add", "Tensor"); no overload -> "".
std::pair<std::string, std::string> SplitKey(const std::string& key) {
  auto dot = key.find('.');
  if (dot == std::string::npos) return {key, ""};
  return {key.substr(0, dot), key.substr(dot + 1)};
}

bool Translated(const Registry& registry, const std::string& op, const std::string& overload, int opset) {
  bool in_place = false;
  return registry.FindAllowingInPlace(op, overload, opset, &in_place) ||
         registry.FindAllowingInPlace(op, overload, opset, &in_place, /*complex=*/true);
}

struct Coverage {
  std::map<std::string, int> core_by_status;  // translated, training-only, ...
  std::map<std::string, int> core_by_family;  // of the translated ones
  size_t core_total = 0;
  std::map<std::string, std::pair<int, int>> public_by_namespace;  // covered, total
  int public_covered = 0;
  size_t public_total = 0;
};

Coverage Measure(const Registry& registry, int opset) {
  Coverage c;
  for (const auto& core : CoreOverloads()) {
    auto [op, overload] = SplitKey(core.key);
    std::string status;
    bool out_variant = overload == "out" || (overload.size() > 4 && overload.compare(overload.size() - 4, 4, "_out") == 0);
    if (out_variant) {
      status = "out-variant";
    } else if (Translated(registry, op, overload, opset)) {
      status = "translated";
      bool in_place = false;
      const TranslatorEntry* e = registry.FindAllowingInPlace(op, overload, opset, &in_place);
      if (!e) e = registry.FindAllowingInPlace(op, overload, opset, &in_place, true);
      ++c.core_by_family[e->family];
    } else if (auto refusal = registry.RefusalFor(op, overload)) {
      status = Refusal::KindName(refusal->kind);
    } else if (!registry.EntriesFor(op).empty()) {
      status = "needing another opset";  // translated at other opsets: the error names them
    } else {
      status = *core.not_needed ? "not needed" : "without translator";
    }
    ++c.core_by_status[status];
  }
  c.core_total = CoreOverloads().size();
  for (const auto& p : PublicOps()) {
    bool covered = std::all_of(p.aten_ops.begin(), p.aten_ops.end(), [&](const std::string& qualified) {
      auto [op, overload] = SplitKey(qualified);  // the overload the traced graph calls
      return Translated(registry, op, overload, opset);
    });
    auto& [covered_n, total] = c.public_by_namespace[p.ns];
    covered_n += covered;
    ++total;
    c.public_covered += covered;
  }
  c.public_total = PublicOps().size();
  return c;
}

std::string CountsText(const std::map<std::string, int>& counts) {
  std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text;
  for (const auto& [name, n] : sorted) text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  return text;
}

}  // namespace

std::string FormatCoverage(const Registry& registry, int opset, bool markdown) {
  Coverage c = Measure(registry, opset);
  std::ostringstream os;
  std::string family_text;
  for (const auto& [family, n] : c.core_by_family) family_text += (family_text.empty() ? "" : ", ") + family + " " + std::to_string(n);
  std::string ns_text;
  for (const auto& [ns, counts] : c.public_by_namespace)
    ns_text += (ns_text.empty() ? "" : ", ") + ns + " " + std::to_string(counts.first) + "/" + std::to_string(counts.second);
  const std::string bullet = markdown ? "- " : "  ";
  os << (markdown ? "Coverage at opset " : "coverage at opset ") << opset << ":\n"
     << bullet << "core ATen (the " << c.core_total << " core-tagged overloads of torch 2.13): " << CountsText(c.core_by_status)
     << "; translated by family: " << family_text << "\n"
     << bullet << "public API (" << c.public_total << " op variants of PyTorch's OpInfo database): " << c.public_covered
     << " with a translator for every ATen op of their traced graphs; by namespace: " << ns_text << "\n";
  return os.str();
}

std::string FormatOpListJson(const Registry& registry) {
  using nlohmann::json;
  std::map<std::pair<std::string, bool>, json> translators;  // (key, complex) -> entry
  for (const TranslatorEntry* e : registry.All()) {
    json& entry = translators[{e->key, e->complex}];
    if (entry.is_null()) entry = {{"key", e->key}, {"family", e->family}, {"complex", e->complex}, {"opsets", json::array()}};
    entry["opsets"].push_back({e->range.since, e->range.until});
  }
  json out = {{"translators", json::array()}, {"refusals", json::array()}};
  for (auto& [key, entry] : translators) out["translators"].push_back(std::move(entry));
  for (const auto& [key, refusal] : registry.Refusals())
    out["refusals"].push_back({{"key", key}, {"kind", Refusal::KindName(refusal.kind)}, {"reason", refusal.reason}});
  out["refusal_rules"] = json::array({{{"suffix", kBackwardSuffix},
                                       {"kind", Refusal::KindName(Refusal::Kind::kTrainingOnly)},
                                       {"reason", kTrainingOnlyReason}},
                                      {{"overload_suffix", "out"}, {"kind", "out-variant"}, {"reason", kOutVariantReason}}});
  Coverage c = Measure(registry, kDefaultOpset);
  json public_api = json::object();
  for (const auto& [ns, counts] : c.public_by_namespace) public_api[ns] = {counts.first, counts.second};
  out["coverage"] = {{"opset", kDefaultOpset}, {"core_aten", c.core_by_status}, {"core_aten_total", c.core_total},
                     {"public_api", public_api}, {"public_api_covered", c.public_covered}, {"public_api_total", c.public_total}};
  return out.dump(1) + "\n";
}

namespace {

bool Covers(const Registry& registry, const std::vector<OpKey>& ops, int opset) {
  for (const auto& [op, overload] : ops) {
    bool in_place = false;  // the op-level view: a real or a complex form
    if (!registry.FindAllowingInPlace(op, overload, opset, &in_place) &&
        !registry.FindAllowingInPlace(op, overload, opset, &in_place, /*complex=*/true))
      return false;
  }
  return true;
}

}  // namespace

std::vector<int> ConvertibleOpsets(const Registry& registry, const std::vector<OpKey>& ops) {
  std::vector<int> opsets;
  for (int opset = kMinOpset; opset <= kMaxOpset; ++opset)
    if (Covers(registry, ops, opset)) opsets.push_back(opset);
  return opsets;
}

std::vector<int> FormBoundaryOpsets(const Registry& registry, const std::vector<OpKey>& ops) {
  std::set<int> candidates{kMinOpset, kMaxOpset};
  for (const auto& [op, overload] : ops)
    for (const TranslatorEntry* e : registry.EntriesFor(op)) {
      candidates.insert(std::max(e->range.since, kMinOpset));
      candidates.insert(std::min(e->range.until, kMaxOpset));
    }
  std::vector<int> opsets;
  for (int opset : candidates)
    if (Covers(registry, ops, opset)) opsets.push_back(opset);
  return opsets;
}

std::vector<OpKey> GraphOps(const ir::Graph& graph) {
  std::set<OpKey> ops;
  ir::ForEachNode(graph.top, [&](const ir::Node& n) { ops.emplace(n.op, n.overload); });
  return {ops.begin(), ops.end()};
}

}  // namespace t2o
