#include "core/capture/torchscript/dynamic.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>

#include "core/capture/torch_interop.h"
#include "core/util/errors.h"

namespace t2o::torchscript {
namespace {

struct Symbol {
  std::string name;
  int64_t first, second;  // its size in the two runs
};

// Names a dim that was `a` in the first run and `b` in the second.
class DimNamer {
 public:
  explicit DimNamer(std::vector<Symbol> symbols) : symbols_(std::move(symbols)) {}

  std::string Name(int64_t a, int64_t b) {
    for (const auto& s : symbols_)
      if (s.first == a && s.second == b) return s.name;
    for (const auto& s : symbols_) {
      if (s.first > 0 && a % s.first == 0 && b == (a / s.first) * s.second) return std::to_string(a / s.first) + "*" + s.name;
      if (a > 0 && s.first % a == 0 && s.second % (s.first / a) == 0 && b == s.second / (s.first / a))
        return s.name + "/" + std::to_string(s.first / a);
      if (b - a == s.second - s.first) {
        int64_t offset = a - s.first;
        return s.name + (offset < 0 ? "-" : "+") + std::to_string(std::abs(offset));
      }
    }
    auto [it, inserted] = unnamed_.try_emplace({a, b}, "s" + std::to_string(unnamed_.size()));
    return it->second;
  }

 private:
  std::vector<Symbol> symbols_;
  std::map<std::pair<int64_t, int64_t>, std::string> unnamed_;
};

}  // namespace

std::string LeafName(const jit::Value* leaf) {
  std::string hint = leaf->hasDebugName() ? leaf->debugNameBase() : "";
  if (hint.empty() || std::all_of(hint.begin(), hint.end(), ::isdigit)) hint = "input";
  return hint;
}

std::vector<AxisSymbols> DynamicLeafAxes(const CaptureOptions& options, const std::vector<InputTree>& trees,
                                         const std::vector<std::string>& arg_names,
                                         const std::vector<jit::Value*>& leaves,
                                         const std::vector<TensorData>& example_inputs) {
  std::vector<AxisSymbols> axes(leaves.size());
  if (!options.dynamic_shapes.empty() && !options.dynamic_axes.empty())
    throw UsageError("give --dynamic-shapes or --dynamic-axes, not both");
  std::vector<std::vector<int64_t>> shapes;
  for (const auto& t : example_inputs) shapes.push_back(t.shape);
  if (!options.dynamic_shapes.empty()) {
    axes = ResolveDynamicShapes(options.dynamic_shapes, trees, arg_names, shapes);
    axes.resize(leaves.size());  // state inputs (after the arguments' leaves) stay static
  }
  for (size_t i = 0; i < leaves.size() && !options.dynamic_axes.empty(); ++i) {
    std::string name = i < options.input_names.size() ? options.input_names[i] : LeafName(leaves[i]);
    auto found = options.dynamic_axes.find(name);
    if (found == options.dynamic_axes.end()) continue;
    for (const auto& [axis, symbol] : found->second)
      axes[i][CheckAxis(axis, shapes[i].size(), "dynamic_axes['" + name + "']")] = symbol;
  }
  return axes;
}

std::vector<TensorData> GrowDynamicAxes(const std::vector<TensorData>& inputs, const std::vector<AxisSymbols>& axes) {
  std::map<std::string, int64_t> factors;  // 2 for the first symbol, 3 for the second, ...
  for (const auto& leaf : axes)
    for (const auto& [axis, symbol] : leaf) factors.try_emplace(symbol.name, static_cast<int64_t>(factors.size()) + 2);
  std::vector<TensorData> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (axes[i].empty()) {
      out.push_back(inputs[i]);
      continue;
    }
    at::Tensor t = DataToTensor(inputs[i]);
    for (const auto& [axis, symbol] : axes[i]) {
      std::vector<at::Tensor> copies(factors.at(symbol.name), t);
      t = at::cat(copies, axis);
    }
    out.push_back(TensorToData(t.contiguous()));
  }
  return out;
}

SymbolicShapes NameVaryingDims(const Interpreter& first, const Interpreter& second,
                               const std::vector<jit::Value*>& leaves, const std::vector<AxisSymbols>& leaf_axes,
                               DynamicDims* varying) {
  std::vector<Symbol> symbols;
  SymbolicShapes shapes;
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (leaf_axes[i].empty()) continue;
    const at::Tensor& a = first.values.at(leaves[i]).toTensor();
    const at::Tensor& b = second.values.at(leaves[i]).toTensor();
    for (const auto& [axis, symbol] : leaf_axes[i]) {
      auto known = std::find_if(symbols.begin(), symbols.end(), [&](const Symbol& s) { return s.name == symbol.name; });
      if (known != symbols.end() && known->first != a.size(axis))
        throw UsageError("dynamic dim '" + symbol.name + "' names axes of different sizes (" +
                         std::to_string(known->first) + " and " + std::to_string(a.size(axis)) + ") in the example inputs");
      if (known == symbols.end()) symbols.push_back({symbol.name, a.size(axis), b.size(axis)});
    }
  }
  DimNamer namer(symbols);
  for (const auto& [value, a] : first.values) {
    if (!a.isTensor()) continue;
    auto other = second.values.find(value);
    if (other == second.values.end() || !other->second.isTensor()) continue;
    const at::Tensor& ta = a.toTensor();
    const at::Tensor& tb = other->second.toTensor();
    if (ta.dim() != tb.dim()) continue;
    std::vector<bool> differs(ta.dim(), false);
    std::vector<ir::Dim> dims;
    bool any = false;
    for (int64_t d = 0; d < ta.dim(); ++d) {
      if (ta.size(d) == tb.size(d)) {
        dims.emplace_back(ta.size(d));
        continue;
      }
      differs[d] = any = true;
      dims.emplace_back(namer.Name(ta.size(d), tb.size(d)));
    }
    if (!any) continue;
    (*varying)[value] = differs;
    shapes[value] = std::move(dims);
  }
  // Inputs carry exactly the names the user gave.
  for (size_t i = 0; i < leaves.size(); ++i)
    for (const auto& [axis, symbol] : leaf_axes[i]) {
      auto& dims = shapes[leaves[i]];
      if (dims.empty()) {
        const at::Tensor& t = first.values.at(leaves[i]).toTensor();
        for (int64_t d = 0; d < t.dim(); ++d) dims.emplace_back(t.size(d));
        (*varying)[leaves[i]] = std::vector<bool>(t.dim(), false);
      }
      dims[axis] = symbol.name;
      (*varying)[leaves[i]][axis] = true;
    }
  return shapes;
}

}  // namespace t2o::torchscript
