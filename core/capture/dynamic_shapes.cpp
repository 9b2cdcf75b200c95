#include "core/capture/dynamic_shapes.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/util/errors.h"
#include "core/util/json_numbers.h"

namespace t2o {
namespace {

using nlohmann::json;

json ParseJson(const std::string& text_or_file, const std::string& flag) {
  std::string text = ReadTextArgument(text_or_file);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw UsageError(flag + ": malformed JSON (" + JsonErrorText(e) + ")");
  }
}

int64_t ParseAxisKey(const std::string& key, const std::string& where) {
  size_t used = 0;
  int64_t axis = 0;
  try {
    axis = std::stoll(key, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != key.size()) throw UsageError(where + ": '" + key + "' is not an axis number");
  return axis;
}

// A symbol: "batch", or {"name": "batch", "min": 1, "max": 64}.
SymbolicDim ParseSymbol(const json& value, const std::string& where) {
  SymbolicDim dim;
  if (value.is_string()) {
    dim.name = value.get<std::string>();
  } else if (value.is_object() && value.contains("name") && value["name"].is_string()) {
    dim.name = value["name"].get<std::string>();
    if (value.contains("min")) dim.range.min = ExactInt64(value["min"]);
    if (value.contains("max") && !value["max"].is_null()) dim.range.max = ExactInt64(value["max"]);
    if (dim.range.max && *dim.range.max < dim.range.min)
      throw UsageError(where + ": max " + std::to_string(*dim.range.max) + " is below min " + std::to_string(dim.range.min));
  } else {
    throw UsageError(where + ": expected a dimension name or {\"name\": ..., \"min\": ..., \"max\": ...}, got " +
                     value.dump());
  }
  if (dim.name.empty()) throw UsageError(where + ": empty dimension name");
  return dim;
}

std::string KindName(InputTree::Kind kind) {
  switch (kind) {
    case InputTree::Kind::kTensor: return "a tensor";
    case InputTree::Kind::kList: return "a list";
    case InputTree::Kind::kTuple: return "a tuple";
    case InputTree::Kind::kDict: return "a dict";
    case InputTree::Kind::kNone: return "None";
  }
  return "?";
}

void Resolve(const json& spec, const InputTree& tree, const std::string& where,
             const std::vector<std::vector<int64_t>>& leaf_shapes, size_t& next, std::vector<AxisSymbols>& out) {
  if (tree.kind == InputTree::Kind::kTensor) {
    AxisSymbols axes;
    size_t rank = leaf_shapes.at(next).size();
    if (spec.is_object()) {
      for (const auto& [key, value] : spec.items()) {
        std::string entry = where + "['" + key + "']";
        if (value.is_null()) continue;
        int64_t axis = CheckAxis(ParseAxisKey(key, entry), rank, entry);
        axes[axis] = ParseSymbol(value, entry);
      }
    } else if (spec.is_array()) {  // a list of axes, or one name per axis (null = static)
      for (size_t i = 0; i < spec.size(); ++i) {
        std::string entry = where + "[" + std::to_string(i) + "]";
        if (spec[i].is_null()) continue;
        if (spec.size() == rank && (spec[i].is_string() || spec[i].is_object())) {
          axes[static_cast<int64_t>(i)] = ParseSymbol(spec[i], entry);
        } else if (spec[i].is_number_integer()) {
          throw UsageError(entry + ": a bare axis number has no name; use {\"" + std::to_string(ExactInt64(spec[i])) +
                           "\": \"name\"} (bare axes are accepted by --dynamic-axes)");
        } else {
          throw UsageError(entry + ": expected one entry per axis of the rank-" + std::to_string(rank) + " input");
        }
      }
    } else if (!spec.is_null()) {
      throw UsageError(where + ": expected {axis: name} for a tensor input, got " + spec.dump());
    }
    out.push_back(std::move(axes));
    ++next;
    return;
  }
  if (tree.kind == InputTree::Kind::kNone && !spec.is_null())
    throw UsageError(where + ": the argument is None (not given); it has no dims to make dynamic");
  if (spec.is_null()) {  // the whole container is static
    std::vector<AxisSymbols> empty(tree.CountLeaves());
    for (auto& e : empty) out.push_back(std::move(e)), ++next;
    return;
  }
  if (tree.kind == InputTree::Kind::kDict) {
    if (!spec.is_object()) throw UsageError(where + ": the input is a dict; expected a JSON object keyed like it");
    for (const auto& [key, value] : spec.items())
      if (std::find(tree.keys.begin(), tree.keys.end(), key) == tree.keys.end())
        throw UsageError(where + ": the input dict has no key '" + key + "'");
    for (size_t i = 0; i < tree.children.size(); ++i) {
      const std::string& key = tree.keys[i];
      Resolve(spec.contains(key) ? spec[key] : json(nullptr), tree.children[i], where + "['" + key + "']", leaf_shapes,
              next, out);
    }
    return;
  }
  if (!spec.is_array())
    throw UsageError(where + ": the input is " + KindName(tree.kind) + "; expected a JSON array with one entry per element");
  if (spec.size() != tree.children.size())
    throw UsageError(where + ": has " + std::to_string(spec.size()) + " entries but the input " + KindName(tree.kind) +
                     " has " + std::to_string(tree.children.size()) + " elements");
  for (size_t i = 0; i < tree.children.size(); ++i)
    Resolve(spec[i], tree.children[i], where + "[" + std::to_string(i) + "]", leaf_shapes, next, out);
}

}  // namespace

int64_t CheckAxis(int64_t axis, size_t rank, const std::string& where) {
  int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r)
    throw UsageError(where + ": axis " + std::to_string(axis) + " is out of range for a rank-" + std::to_string(rank) +
                     " tensor");
  return axis < 0 ? axis + r : axis;
}

namespace {

// The JSON holding a value of the wrong type where a number or string belongs.
template <typename Parse>
auto WrongTypesAsUsageErrors(const std::string& flag, Parse&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const json::exception& e) {
    throw UsageError(flag + ": " + JsonErrorText(e));
  }
}

DynamicAxes ParseDynamicAxesUnchecked(const std::string& text_or_file) {
  json spec = ParseJson(text_or_file, "--dynamic-axes");
  if (!spec.is_object()) throw UsageError("--dynamic-axes: expected a JSON object keyed by input/output names");
  DynamicAxes out;
  for (const auto& [name, value] : spec.items()) {
    std::string where = "dynamic_axes['" + name + "']";
    AxisSymbols axes;
    if (value.is_object()) {
      for (const auto& [key, symbol] : value.items()) {
        std::string entry = where + "['" + key + "']";
        axes[ParseAxisKey(key, entry)] = ParseSymbol(symbol, entry);
      }
    } else if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_number_integer())
          throw UsageError(where + "[" + std::to_string(i) + "]: expected an axis number");
        axes[ExactInt64(value[i])] = SymbolicDim{name + "_dynamic_axes_" + std::to_string(i + 1), {}};
      }
    } else {
      throw UsageError(where + ": expected {axis: name} or a list of axes");
    }
    out[name] = std::move(axes);
  }
  return out;
}

std::vector<AxisSymbols> ResolveDynamicShapesUnchecked(const std::string& text_or_file,
                                                       const std::vector<InputTree>& trees,
                                                       const std::vector<std::string>& arg_names,
                                                       const std::vector<std::vector<int64_t>>& leaf_shapes) {
  json spec = ParseJson(text_or_file, "--dynamic-shapes");
  std::vector<AxisSymbols> out;
  size_t next = 0;
  auto is_arg = [&](const std::string& key) {
    return std::find(arg_names.begin(), arg_names.end(), key) != arg_names.end();
  };
  bool keyed_by_arg = spec.is_object() && !spec.empty();
  if (keyed_by_arg)
    for (const auto& [key, value] : spec.items()) keyed_by_arg = keyed_by_arg && is_arg(key);
  if (spec.is_object() && !keyed_by_arg && trees.size() == 1) {  // the one argument's spec
    Resolve(spec, trees[0], "dynamic_shapes[0]", leaf_shapes, next, out);
    return out;
  }
  if (spec.is_object()) {  // keyed by argument name
    for (const auto& [key, value] : spec.items())
      if (!is_arg(key)) throw UsageError("dynamic_shapes['" + key + "']: forward() has no argument '" + key + "'");
    for (size_t i = 0; i < trees.size(); ++i)
      Resolve(spec.contains(arg_names[i]) ? spec[arg_names[i]] : json(nullptr), trees[i],
              "dynamic_shapes['" + arg_names[i] + "']", leaf_shapes, next, out);
    return out;
  }
  if (!spec.is_array())
    throw UsageError("--dynamic-shapes: expected a JSON array with one entry per forward() argument (or an object keyed by argument name)");
  if (spec.size() != trees.size())
    throw UsageError("--dynamic-shapes has " + std::to_string(spec.size()) + " entries but forward() takes " +
                     std::to_string(trees.size()) + " argument" + (trees.size() == 1 ? "" : "s"));
  for (size_t i = 0; i < trees.size(); ++i)
    Resolve(spec[i], trees[i], "dynamic_shapes[" + std::to_string(i) + "]", leaf_shapes, next, out);
  return out;
}

}  // namespace

DynamicAxes ParseDynamicAxes(const std::string& text_or_file) {
  return WrongTypesAsUsageErrors("--dynamic-axes", [&] { return ParseDynamicAxesUnchecked(text_or_file); });
}

std::vector<AxisSymbols> ResolveDynamicShapes(const std::string& text_or_file, const std::vector<InputTree>& trees,
                                              const std::vector<std::string>& arg_names,
                                              const std::vector<std::vector<int64_t>>& leaf_shapes) {
  return WrongTypesAsUsageErrors("--dynamic-shapes", [&] {
    return ResolveDynamicShapesUnchecked(text_or_file, trees, arg_names, leaf_shapes);
  });
}

}  // namespace t2o
