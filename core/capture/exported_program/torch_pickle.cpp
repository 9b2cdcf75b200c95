#include "core/capture/exported_program/torch_pickle.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "core/util/errors.h"

namespace t2o {

std::string PyObject::Describe() const {
  switch (kind) {
    case Kind::kNone: return "None";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "str";
    case Kind::kList: return "list";
    case Kind::kTuple: return "tuple";
    case Kind::kDict: return "dict";
    case Kind::kTensor: return "tensor " + std::string(DTypeName(tensor.dtype));
    case Kind::kGlobal: return text;
    case Kind::kStorage: return "storage";
  }
  return "?";
}

namespace {

PyRef Make(PyObject::Kind kind) {
  auto o = std::make_shared<PyObject>();
  o->kind = kind;
  return o;
}

DType StorageDType(const std::string& global) {
  static const std::map<std::string, DType> kTypes = {
      {"torch.FloatStorage", DType::kFloat32},   {"torch.DoubleStorage", DType::kFloat64},
      {"torch.HalfStorage", DType::kFloat16},    {"torch.BFloat16Storage", DType::kBFloat16},
      {"torch.LongStorage", DType::kInt64},      {"torch.IntStorage", DType::kInt32},
      {"torch.ShortStorage", DType::kInt16},     {"torch.CharStorage", DType::kInt8},
      {"torch.ByteStorage", DType::kUInt8},      {"torch.BoolStorage", DType::kBool},
      {"torch.ComplexFloatStorage", DType::kComplex64},
  };
  auto it = kTypes.find(global);
  return it == kTypes.end() ? DType::kUndefined : it->second;
}

class Unpickler {
 public:
  Unpickler(const ZipArchive& archive, std::string prefix, const ByteRange& pickle)
      : archive_(archive), prefix_(std::move(prefix)), data_(pickle) {}

  PyRef Run() {
    while (true) {
      uint8_t op = Byte();
      switch (op) {
        case 0x80: Byte(); break;  // PROTO
        case '.': return Pop();    // STOP
        case '(': marks_.push_back(stack_.size()); break;
        case '}': stack_.push_back(Make(PyObject::Kind::kDict)); break;
        case ']': stack_.push_back(Make(PyObject::Kind::kList)); break;
        case ')': stack_.push_back(Make(PyObject::Kind::kTuple)); break;
        case 'N': stack_.push_back(Make(PyObject::Kind::kNone)); break;
        case 0x88: case 0x89: {
          auto b = Make(PyObject::Kind::kBool);
          b->boolean = op == 0x88;
          stack_.push_back(b);
          break;
        }
        case 'J': PushInt(static_cast<int32_t>(Le(4))); break;
        case 'K': PushInt(Le(1)); break;
        case 'M': PushInt(Le(2)); break;
        case 0x8a: PushLong(Le(1)); break;
        case 0x8b: PushLong(Le(4)); break;
        case 'G': {
          uint64_t bits = 0;
          for (int k = 0; k < 8; ++k) bits = (bits << 8) | Byte();
          auto f = Make(PyObject::Kind::kFloat);
          std::memcpy(&f->real, &bits, 8);
          stack_.push_back(f);
          break;
        }
        case 'X': PushString(Le(4)); break;
        case 0x8c: case 'U': PushString(Le(1)); break;
        case 'T': case 'B': PushString(Le(4)); break;
        case 'C': PushString(Le(1)); break;
        case 'q': memo_[Le(1)] = Top(); break;
        case 'r': memo_[Le(4)] = Top(); break;
        case 0x94: memo_[memo_.size()] = Top(); break;
        case 'h': stack_.push_back(Memo(Le(1))); break;
        case 'j': stack_.push_back(Memo(Le(4))); break;
        case 't': {
          auto t = Make(PyObject::Kind::kTuple);
          for (PyRef& item : PopToMark()) Insert(t, std::move(item));
          stack_.push_back(t);
          break;
        }
        case 0x85: case 0x86: case 0x87: {
          size_t n = op - 0x84;
          std::vector<PyRef> items(n);
          for (size_t k = n; k-- > 0;) items[k] = Pop();
          auto t = Make(PyObject::Kind::kTuple);
          for (PyRef& item : items) Insert(t, std::move(item));
          stack_.push_back(t);
          break;
        }
        case 's': {
          PyRef value = Pop(), key = Pop();
          InsertEntry(Dict(Top()), std::move(key), std::move(value));
          break;
        }
        case 'u': {
          auto items = PopToMark();
          PyRef dict = Dict(Top());
          for (size_t k = 0; k + 1 < items.size(); k += 2) InsertEntry(dict, items[k], items[k + 1]);
          break;
        }
        case 'a': {
          PyRef value = Pop();
          Insert(Top(), std::move(value));
          break;
        }
        case 'e': {
          auto items = PopToMark();
          PyRef list = Top();
          for (PyRef& item : items) Insert(list, std::move(item));
          break;
        }
        case 'c': {
          auto g = Make(PyObject::Kind::kGlobal);
          std::string module = Line(), name = Line();
          g->text = module + "." + name;
          stack_.push_back(g);
          break;
        }
        case 'Q': stack_.push_back(PersistentLoad(Pop())); break;
        case 'R': {
          PyRef args = Pop(), callable = Pop();
          stack_.push_back(Reduce(callable, args));
          break;
        }
        case 'b': Pop(); break;  // BUILD: object state (e.g. an OrderedDict's _metadata) is not needed
        default:
          Fail("unsupported pickle opcode 0x" + Hex(op));
      }
    }
  }

 private:
  [[noreturn]] void Fail(const std::string& why) const {
    throw InputError(archive_.label() + ": cannot unpickle data.pkl at byte " + std::to_string(pos_) + ": " + why);
  }
  static std::string Hex(uint8_t b) {
    const char* digits = "0123456789abcdef";
    return {digits[b >> 4], digits[b & 15]};
  }
  uint8_t Byte() {
    if (pos_ >= data_.size) Fail("unexpected end of data");
    return data_.data[pos_++];
  }
  uint64_t Le(int n) {
    uint64_t v = 0;
    for (int k = 0; k < n; ++k) v |= static_cast<uint64_t>(Byte()) << (8 * k);
    return v;
  }
  std::string Line() {
    std::string s;
    for (char c = static_cast<char>(Byte()); c != '\n'; c = static_cast<char>(Byte())) s += c;
    return s;
  }
  void PushInt(int64_t v) {
    auto i = Make(PyObject::Kind::kInt);
    i->integer = v;
    stack_.push_back(i);
  }
  void PushLong(uint64_t n) {
    if (n > 8) Fail("integer wider than 64 bits");
    uint64_t v = Le(static_cast<int>(n));
    if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~0ULL << (8 * n);  // sign-extend
    PushInt(static_cast<int64_t>(v));
  }
  void PushString(uint64_t n) {
    if (n > data_.size || pos_ > data_.size - n) Fail("string past the end of data");
    auto s = Make(PyObject::Kind::kString);
    s->text.assign(reinterpret_cast<const char*>(data_.data + pos_), n);
    pos_ += n;
    stack_.push_back(s);
  }
  PyRef Top() {
    if (stack_.empty()) Fail("stack underflow");
    return stack_.back();
  }
  PyRef Pop() {
    PyRef top = Top();
    stack_.pop_back();
    return top;
  }
  PyRef Memo(uint64_t key) {
    auto it = memo_.find(key);
    if (it == memo_.end()) Fail("unknown memo entry " + std::to_string(key));
    return it->second;
  }
  // Containers nest at most kMaxDepth deep, and one that is inside another can no longer
  // change: a pickle can then neither build a cycle (a list holding itself) nor a
  // nesting deep enough that walking or freeing it overflows the stack. Python's pickler
  // always completes a container before it inserts it into another.
  static constexpr uint32_t kMaxDepth = 1000;
  void Insert(const PyRef& container, PyRef item) {
    Adopt(container, item);
    container->items.push_back(std::move(item));
  }
  void InsertEntry(const PyRef& dict, PyRef key, PyRef value) {
    Adopt(dict, key);
    Adopt(dict, value);
    dict->entries.emplace_back(std::move(key), std::move(value));
  }
  void Adopt(const PyObject* container, PyObject* item) {
    if (container->sealed) Fail("a container changed after it was put into another");
    if (item == container) Fail("a container put into itself");
    item->sealed = true;
  }
  void Adopt(const PyRef& container, const PyRef& item) {
    Adopt(container.get(), item.get());
    container->depth = std::max(container->depth, item->depth + 1);
    if (container->depth > kMaxDepth) Fail("containers nested more than " + std::to_string(kMaxDepth) + " deep");
  }
  PyRef Dict(PyRef o) {
    if (o->kind != PyObject::Kind::kDict) Fail("SETITEM on a " + o->Describe());
    return o;
  }
  std::vector<PyRef> PopToMark() {
    if (marks_.empty()) Fail("no MARK");
    size_t mark = marks_.back();
    marks_.pop_back();
    if (mark > stack_.size()) Fail("the stack was popped below a MARK");
    std::vector<PyRef> items(stack_.begin() + mark, stack_.end());
    stack_.resize(mark);
    return items;
  }

  // ('storage', StorageClass, key, location, numel) -> the storage's bytes in data/<key>.
  PyRef PersistentLoad(PyRef pid) {
    if (pid->kind != PyObject::Kind::kTuple || pid->items.size() < 5 || pid->items[0]->text != "storage")
      Fail("unsupported persistent id");
    auto storage = Make(PyObject::Kind::kStorage);
    storage->storage_dtype = StorageDType(pid->items[1]->text);
    if (storage->storage_dtype == DType::kUndefined) Fail("unsupported storage type " + pid->items[1]->text);
    storage->text = pid->items[2]->text;
    auto cached = storages_.find(storage->text);
    Bytes bytes = cached != storages_.end() ? cached->second : archive_.Read(prefix_ + "data/" + storage->text);
    storages_[storage->text] = bytes;
    storage->tensor.dtype = storage->storage_dtype;
    storage->tensor.bytes = bytes.data;
    storage->tensor.nbytes = bytes.size;
    storage->tensor.owner = bytes.owner;
    storage->tensor.source = bytes.span;
    return storage;
  }

  PyRef Reduce(PyRef callable, PyRef args) {
    const std::string& f = callable->text;
    if (callable->kind != PyObject::Kind::kGlobal) Fail("REDUCE of a " + callable->Describe());
    auto& a = args->items;
    if (f == "torch._utils._rebuild_tensor_v2" && a.size() >= 4) return RebuildTensor(a[0], a[1], a[2], a[3]);
    if ((f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") && !a.empty())
      return a[0];
    if (f == "collections.OrderedDict") {
      return Make(PyObject::Kind::kDict);
    }
    if (f == "torch.Size" && a.size() == 1) return a[0];
    if (f == "torch.device" && !a.empty()) return a[0];
    // Nothing outside the tensor-rebuilding globals above is ever called.
    Fail("refused to call '" + f + "': only the globals that rebuild tensors are allowed");
  }

  PyRef RebuildTensor(PyRef storage, PyRef offset, PyRef size, PyRef stride) {
    if (storage->kind != PyObject::Kind::kStorage) Fail("tensor without storage");
    std::vector<int64_t> shape, strides;
    for (auto& d : size->items) shape.push_back(d->integer);
    for (auto& st : stride->items) strides.push_back(st->integer);
    const TensorData& s = storage->tensor;
    std::optional<uint64_t> needed = CheckedStorageBytes(shape, strides, offset->integer, DTypeSize(s.dtype));
    if (!needed) Fail("impossible tensor metadata (negative, overflowing or mismatched sizes, strides or offset)");
    if (*needed > s.nbytes) Fail("tensor extends past its storage data/" + storage->text);
    auto t = Make(PyObject::Kind::kTensor);
    t->tensor = StridedView(s, shape, strides, offset->integer);
    return t;
  }

  const ZipArchive& archive_;
  std::string prefix_;
  const ByteRange& data_;
  size_t pos_ = 0;
  std::vector<PyRef> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, PyRef> memo_;
  std::map<std::string, Bytes> storages_;
};

}  // namespace

PyRef LoadTorchSave(Bytes data, const std::string& label) {
  ZipArchive archive = ZipArchive::OpenBuffer(std::move(data), label);
  std::string pkl;
  for (const auto& name : archive.names())
    if (name.size() >= 8 && name.compare(name.size() - 8, 8, "data.pkl") == 0 &&
        name.find('/') == name.size() - 9)
      pkl = name;
  if (pkl.empty()) throw InputError(label + " is not a torch.save archive (no data.pkl)");
  std::string prefix = pkl.substr(0, pkl.size() - 8);
  Bytes pickle = archive.Read(pkl);
  return Unpickler(archive, prefix, pickle).Run();
}

}  // namespace t2o
