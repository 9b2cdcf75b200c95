#include "core/translate/op_list.h"

#include <algorithm>
#include <set>

#include <map>
#include <sstream>
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
     << "; a key without an overload covers every overload of the op.\n";
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
