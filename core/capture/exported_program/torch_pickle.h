// A reader for torch.save archives (the nested state dict, constants and example inputs
// of a .pt2 file): the pickle subset torch.save writes (protocol 2) with tensors rebuilt
// from the archive's storages. libtorch 1.13's unpickler cannot read some of what newer
// PyTorch writes (SETITEM of one-entry dicts, newer storage classes), hence our own.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/capture/exported_program/zip_archive.h"
#include "core/ir/tensor_data.h"

namespace t2o {

struct PyObject;
using PyRef = std::shared_ptr<PyObject>;

struct PyObject {
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kList, kTuple, kDict, kTensor, kGlobal, kStorage };
  Kind kind = Kind::kNone;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string text;                           // strings; "module.name" for globals; storage key
  std::vector<PyRef> items;                   // lists and tuples
  std::vector<std::pair<PyRef, PyRef>> entries;  // dicts, in insertion order
  TensorData tensor;
  DType storage_dtype = DType::kUndefined;
  uint32_t depth = 0;   // containers nested inside (the unpickler bounds it)
  bool sealed = false;  // inside another container: no longer changed

  std::string Describe() const;  // "dict", "tensor float32[2, 3]", ...
};

// Loads the object of a torch.save archive held in `data`; `label` names it in errors.
PyRef LoadTorchSave(Bytes data, const std::string& label);

}  // namespace t2o
