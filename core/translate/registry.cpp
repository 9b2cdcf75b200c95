#include "core/translate/registry.h"

#include <regex>
#include <stdexcept>

#include "core/ir/ir.h"

namespace t2o {

void Registry::Add(const std::string& key, OpsetRange range, TranslatorFn fn) {
  AddEntry(TranslatorEntry{key, range, std::move(fn), family_, false});
}

void Registry::AddComplex(const std::string& key, OpsetRange range, TranslatorFn fn) {
  AddEntry(TranslatorEntry{key, range, std::move(fn), family_, true});
}

void Registry::AddEntry(TranslatorEntry entry) {
  const std::string& key = entry.key;
  const OpsetRange& range = entry.range;
  static const std::regex kKeyPattern(R"(^[A-Za-z_][A-Za-z0-9_]*::[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)?$)");
  if (!std::regex_match(key, kKeyPattern))
    throw std::logic_error("malformed translator key '" + key + "' (want ns::name[.overload])");
  if (key.size() > 8 && key.compare(key.size() - 8, 8, ".default") == 0)
    throw std::logic_error("translator key '" + key + "': write the default overload without '.default'");
  if (range.since > range.until)
    throw std::logic_error("translator key '" + key + "': empty opset range");
  auto& list = entries_[key];
  for (const auto& existing : list)
    if (existing.complex == entry.complex && range.since <= existing.range.until && existing.range.since <= range.until)
      throw std::logic_error("translator key '" + key + "' registered twice for overlapping opsets");
  list.push_back(std::move(entry));
}

void Registry::Override(const std::string& key, OpsetRange range, TranslatorFn fn) {
  // Inside `range` the new entry replaces the key's entries (a name-only key's per-overload
  // entries too, which lookup would prefer); outside it they stay.
  bool name_only = key.find('.', key.find("::")) == std::string::npos;
  for (auto& [existing_key, list] : entries_) {
    if (existing_key != key && !(name_only && existing_key.rfind(key + ".", 0) == 0)) continue;
    std::vector<TranslatorEntry> kept;
    for (auto& entry : list) {
      if (entry.range.until < range.since || entry.range.since > range.until) {
        kept.push_back(entry);
        continue;
      }
      if (entry.range.since < range.since) {
        kept.push_back(entry);
        kept.back().range.until = range.since - 1;
      }
      if (entry.range.until > range.until) {
        kept.push_back(entry);
        kept.back().range.since = range.until + 1;
      }
    }
    list = std::move(kept);
  }
  for (auto it = entries_.begin(); it != entries_.end();) it = it->second.empty() ? entries_.erase(it) : std::next(it);
  Add(key, range, std::move(fn));
}

const TranslatorEntry* Registry::Find(const std::string& op, const std::string& overload,
                                      int opset, bool complex) const {
  auto search = [&](const std::string& key) -> const TranslatorEntry* {
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    for (const auto& entry : it->second)
      if (entry.complex == complex && entry.range.Contains(opset)) return &entry;
    return nullptr;
  };
  if (!overload.empty())
    if (auto* exact = search(op + "." + overload)) return exact;
  return search(op);
}

const TranslatorEntry* Registry::FindAllowingInPlace(const std::string& op, const std::string& overload,
                                                     int opset, bool* in_place, bool complex) const {
  *in_place = false;
  if (auto* entry = Find(op, overload, opset, complex)) return entry;
  bool dunder = op.size() > 2 && op.compare(op.size() - 2, 2, "__") == 0;
  if (op.empty() || op.back() != '_' || dunder) return nullptr;
  auto* entry = Find(op.substr(0, op.size() - 1), overload, opset, complex);
  *in_place = entry != nullptr;
  return entry;
}

void Registry::AddAlias(const std::string& alias, const std::string& target) {
  std::vector<TranslatorEntry> copies;  // collected first: AddEntry changes entries_
  for (const auto& [key, list] : entries_)
    if (key == target || key.rfind(target + ".", 0) == 0)
      for (TranslatorEntry entry : list) {
        entry.key = alias + key.substr(target.size());
        copies.push_back(std::move(entry));
      }
  if (copies.empty()) throw std::logic_error("alias '" + alias + "' of '" + target + "', which has no translator");
  for (auto& entry : copies) AddEntry(std::move(entry));
}

std::optional<Refusal> Registry::RefusalFor(const std::string& op, const std::string& overload) const {
  auto it = refusals_.find(overload.empty() ? op : op + "." + overload);
  if (it == refusals_.end()) it = refusals_.find(op);
  if (it != refusals_.end()) return it->second;
  const std::string suffix = kBackwardSuffix;
  if (op.size() > suffix.size() && op.compare(op.size() - suffix.size(), suffix.size(), suffix) == 0)
    return Refusal{Refusal::Kind::kTrainingOnly, kTrainingOnlyReason};
  return std::nullopt;
}

std::vector<const TranslatorEntry*> Registry::EntriesFor(const std::string& op) const {
  std::vector<const TranslatorEntry*> found;
  for (auto it = entries_.lower_bound(op); it != entries_.end(); ++it) {
    const std::string& key = it->first;
    if (key != op && key.compare(0, op.size() + 1, op + ".") != 0) break;
    for (const auto& entry : it->second) found.push_back(&entry);
  }
  return found;
}

std::vector<const TranslatorEntry*> Registry::All() const {
  std::vector<const TranslatorEntry*> all;
  for (const auto& [key, list] : entries_)
    for (const auto& entry : list) all.push_back(&entry);
  return all;
}

bool OnComplexTensors(const ir::Node& node) {
  for (const auto* list : {&node.inputs, &node.outputs})
    for (const ir::Value* v : *list)
      if (v && v->IsTensor() && v->meta.dtype == DType::kComplex64) return true;
  return false;
}

}  // namespace t2o
