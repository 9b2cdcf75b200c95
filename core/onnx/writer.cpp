#include "core/onnx/writer.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/unknown_field_set.h>

#include "core/util/errors.h"
#include "core/util/process.h"
#include "core/util/log.h"

namespace t2o::onnx {
namespace fs = std::filesystem;

size_t OnnxModel::InitializerBytes() const {
  size_t total = 0;
  for (const auto& init : graph.initializers) total += init.data.nbytes;
  return total;
}

const Attr* OnnxNode::FindAttr(const std::string& attr_name) const {
  for (const auto& a : attrs)
    if (a.name == attr_name) return &a;
  return nullptr;
}

size_t CountNodes(const OnnxGraph& graph) {
  size_t n = graph.nodes.size();
  for (const auto& node : graph.nodes)
    for (const auto& attr : node.attrs)
      if (auto* g = std::get_if<std::shared_ptr<OnnxGraph>>(&attr.value)) n += CountNodes(**g);
  return n;
}

namespace {

// NodeProto, ValueInfoProto, GraphProto and TensorProto all have `metadata_props`.
template <typename Proto>
void AddMetadata(Proto* proto, const Metadata& metadata) {
  for (const auto& [key, value] : metadata) {
    auto* entry = proto->add_metadata_props();
    entry->set_key(key);
    entry->set_value(value);
  }
}

void FillShape(const std::optional<std::vector<ir::Dim>>& shape, DType dtype,
               ::onnx::TypeProto* type) {
  auto* tensor_type = type->mutable_tensor_type();
  tensor_type->set_elem_type(DTypeToOnnx(dtype));
  if (!shape) return;
  auto* proto_shape = tensor_type->mutable_shape();
  for (const auto& dim : *shape) {
    auto* d = proto_shape->add_dim();
    if (auto* v = std::get_if<int64_t>(&dim))
      d->set_dim_value(*v);
    else if (!std::get<std::string>(dim).empty())  // "" = a dimension of unknown size
      d->set_dim_param(std::get<std::string>(dim));
  }
}

void FillValueInfo(const ValueInfo& info, ::onnx::ValueInfoProto* proto) {
  proto->set_name(info.name);
  FillShape(info.shape, info.dtype, proto->mutable_type());
  AddMetadata(proto, info.metadata);
}

void FillTensor(const TensorData& data, const std::string& name, ::onnx::TensorProto* proto) {
  proto->set_name(name);
  proto->set_data_type(DTypeToOnnx(data.dtype));
  for (int64_t d : data.shape) proto->add_dims(d);
  proto->set_raw_data(data.bytes, data.nbytes);
}

struct ExternalPlan {
  std::string data_file;  // relative location written into the model
  size_t threshold = 0;
  size_t next_offset = 0;
  std::vector<const TensorData*> tensors;  // in file order
  std::vector<size_t> offsets;
};

constexpr size_t kExternalAlignment = 64;

// Initializers whose bytes are not copied into the protobuf: the writer frames them by hand
// and copies the bytes straight from their source into the file.
struct StreamPlan {
  size_t threshold = 64 * 1024;
  std::vector<std::pair<int, const TensorData*>> tensors;  // (index among initializers, data)
};

void FillGraph(const OnnxGraph& graph, const WriteOptions& options, ::onnx::GraphProto* proto);

void FillAttribute(const Attr& attr, const WriteOptions& options, ::onnx::AttributeProto* proto) {
  proto->set_name(attr.name);
  struct Visitor {
    ::onnx::AttributeProto* p;
    const WriteOptions& options;
    void operator()(int64_t v) const {
      p->set_type(::onnx::AttributeProto::INT);
      p->set_i(v);
    }
    void operator()(float v) const {
      p->set_type(::onnx::AttributeProto::FLOAT);
      p->set_f(v);
    }
    void operator()(const std::string& v) const {
      p->set_type(::onnx::AttributeProto::STRING);
      p->set_s(v);
    }
    void operator()(const std::vector<int64_t>& v) const {
      p->set_type(::onnx::AttributeProto::INTS);
      for (auto x : v) p->add_ints(x);
    }
    void operator()(const std::vector<float>& v) const {
      p->set_type(::onnx::AttributeProto::FLOATS);
      for (auto x : v) p->add_floats(x);
    }
    void operator()(const std::vector<std::string>& v) const {
      p->set_type(::onnx::AttributeProto::STRINGS);
      for (const auto& x : v) p->add_strings(x);
    }
    void operator()(const TensorData& v) const {
      p->set_type(::onnx::AttributeProto::TENSOR);
      FillTensor(v, "", p->mutable_t());
    }
    void operator()(const std::shared_ptr<OnnxGraph>& g) const {
      p->set_type(::onnx::AttributeProto::GRAPH);
      // Constants inside subgraphs are small; they always stay inline.
      FillGraph(*g, options, p->mutable_g());
      for (const auto& init : g->initializers) FillTensor(init.data, init.name, p->mutable_g()->add_initializer());
    }
  };
  std::visit(Visitor{proto, options}, attr.value);
}

void FillNode(const OnnxNode& node, const WriteOptions& options, ::onnx::NodeProto* proto) {
  proto->set_op_type(node.op_type);
  if (!node.domain.empty()) proto->set_domain(node.domain);
  if (!node.name.empty()) proto->set_name(node.name);
  for (const auto& in : node.inputs) proto->add_input(in);
  for (const auto& out : node.outputs) proto->add_output(out);
  for (const auto& attr : node.attrs) FillAttribute(attr, options, proto->add_attribute());
  AddMetadata(proto, node.metadata);
}

void FillInitializer(const Initializer& init, ExternalPlan* external, StreamPlan* stream, int index,
                     ::onnx::TensorProto* proto) {
  if (stream && init.data.nbytes >= stream->threshold) {
    proto->set_name(init.name);
    proto->set_data_type(DTypeToOnnx(init.data.dtype));
    for (int64_t d : init.data.shape) proto->add_dims(d);
    stream->tensors.emplace_back(index, &init.data);
  } else if (external && init.data.nbytes >= external->threshold) {
    proto->set_name(init.name);
    proto->set_data_type(DTypeToOnnx(init.data.dtype));
    for (int64_t d : init.data.shape) proto->add_dims(d);
    proto->set_data_location(::onnx::TensorProto::EXTERNAL);
    size_t offset = (external->next_offset + kExternalAlignment - 1) / kExternalAlignment *
                    kExternalAlignment;
    auto add_entry = [&](const std::string& key, const std::string& value) {
      auto* entry = proto->add_external_data();
      entry->set_key(key);
      entry->set_value(value);
    };
    add_entry("location", external->data_file);
    add_entry("offset", std::to_string(offset));
    add_entry("length", std::to_string(init.data.nbytes));
    external->tensors.push_back(&init.data);
    external->offsets.push_back(offset);
    external->next_offset = offset + init.data.nbytes;
  } else {
    FillTensor(init.data, init.name, proto);
  }
  AddMetadata(proto, init.metadata);
}

void FillGraph(const OnnxGraph& graph, const WriteOptions& options, ::onnx::GraphProto* proto) {
  proto->set_name(graph.name);
  for (const auto& in : graph.inputs) FillValueInfo(in, proto->add_input());
  for (const auto& out : graph.outputs) FillValueInfo(out, proto->add_output());
  for (const auto& vi : graph.value_info) FillValueInfo(vi, proto->add_value_info());
  for (const auto& node : graph.nodes) FillNode(node, options, proto->add_node());
  AddMetadata(proto, graph.metadata);
}

void FillTopLevelInitializers(const OnnxGraph& graph, const WriteOptions& options, ExternalPlan* external,
                              StreamPlan* stream, const std::set<std::string>& skip, ::onnx::GraphProto* proto) {
  for (const auto& init : graph.initializers) {
    if (skip.count(init.name)) continue;
    bool is_weight = init.is_weight;
    if (options.keep_initializers_as_inputs && is_weight) {
      ValueInfo info{init.name, init.data.dtype,
                     std::vector<ir::Dim>(init.data.shape.begin(), init.data.shape.end()),
                     init.metadata};
      FillValueInfo(info, proto->add_input());
    }
    if (!options.include_initializers && is_weight) continue;
    int index = proto->initializer_size();
    FillInitializer(init, external, stream, index, proto->add_initializer());
  }
}

// ONNX shape inference reads constant inputs (Unsqueeze's axes, Reshape's shape, Resize's
// sizes) only from the graph it is inferring: in a Loop or If body the main graph's
// initializers have types but no values, every shape after such an op is unknown, and some
// inference functions then fail (Resize on sizes of unknown length). So each subgraph gets
// its own Constant copy of the small constants its nodes read.
void CopySmallConstantsInto(::onnx::GraphProto* sub, const std::map<std::string, ::onnx::TensorProto>& small,
                            std::set<std::string>& copied, int& counter) {
  std::map<std::string, std::string> local;  // main-graph name -> name in this subgraph
  for (auto& node : *sub->mutable_node()) {
    for (auto& input : *node.mutable_input()) {
      if (!small.count(input)) continue;
      auto [entry, added] = local.try_emplace(input, input + "_in_subgraph" + std::to_string(counter));
      if (added) ++counter;
      copied.insert(input);
      input = entry->second;
    }
  }
  for (auto& node : *sub->mutable_node())
    for (auto& attr : *node.mutable_attribute()) {
      if (attr.has_g()) CopySmallConstantsInto(attr.mutable_g(), small, copied, counter);
      for (auto& g : *attr.mutable_graphs()) CopySmallConstantsInto(&g, small, copied, counter);
    }
  auto* nodes = sub->mutable_node();
  for (const auto& [outer, inner] : local) {
    ::onnx::NodeProto* constant = nodes->Add();
    constant->set_op_type("Constant");
    constant->set_name(inner);
    constant->add_output(inner);
    auto* value = constant->add_attribute();
    value->set_name("value");
    value->set_type(::onnx::AttributeProto::TENSOR);
    value->mutable_t()->CopyFrom(small.at(outer));
    value->mutable_t()->clear_name();
    for (int i = nodes->size() - 1; i > 0; --i) nodes->SwapElements(i, i - 1);  // to the front
  }
}

// Returns the constants that only subgraphs read, which the main graph then no longer needs.
std::set<std::string> CopySmallConstantsIntoSubgraphs(const OnnxGraph& graph, ::onnx::GraphProto* proto) {
  std::map<std::string, ::onnx::TensorProto> small;
  for (const auto& init : graph.initializers)
    if (!init.is_weight && init.data.nbytes <= 1024) FillTensor(init.data, init.name, &small[init.name]);
  std::set<std::string> copied;
  int counter = 0;
  for (auto& node : *proto->mutable_node())
    for (auto& attr : *node.mutable_attribute()) {
      if (attr.has_g()) CopySmallConstantsInto(attr.mutable_g(), small, copied, counter);
      for (auto& g : *attr.mutable_graphs()) CopySmallConstantsInto(&g, small, copied, counter);
    }
  for (const auto& node : proto->node())
    for (const auto& input : node.input()) copied.erase(input);
  for (const auto& out : proto->output()) copied.erase(out.name());
  return copied;
}

// The domains other than ai.onnx that nodes use, subgraphs included.
std::set<std::string> NodeDomains(const std::vector<OnnxNode>& nodes) {
  std::set<std::string> domains;
  for (const auto& node : nodes) {
    if (!node.domain.empty() && node.domain != "ai.onnx") domains.insert(node.domain);
    for (const auto& attr : node.attrs)
      if (auto* sub = std::get_if<std::shared_ptr<OnnxGraph>>(&attr.value))
        for (const auto& d : NodeDomains((*sub)->nodes)) domains.insert(d);
  }
  return domains;
}

void AddOpsetImports(const OnnxModel& model, const std::set<std::string>& domains,
                     ::google::protobuf::RepeatedPtrField<::onnx::OperatorSetIdProto>* imports) {
  auto* opset = imports->Add();
  opset->set_domain("");
  opset->set_version(model.opset);
  for (const std::string& domain : domains) {
    auto* import = imports->Add();
    import->set_domain(domain);
    auto version = model.domain_opsets.find(domain);
    import->set_version(version == model.domain_opsets.end() ? 1 : version->second);
  }
}

void FillFunction(const OnnxModel& model, const OnnxFunction& function, const WriteOptions& options,
                  ::onnx::FunctionProto* proto) {
  proto->set_name(function.name);
  proto->set_domain(function.domain);
  if (!function.doc.empty()) proto->set_doc_string(function.doc);
  for (const auto& in : function.inputs) proto->add_input(in);
  for (const auto& out : function.outputs) proto->add_output(out);
  for (const auto& node : function.nodes) FillNode(node, options, proto->add_node());
  AddOpsetImports(model, NodeDomains(function.nodes), proto->mutable_opset_import());
  AddMetadata(proto, function.metadata);
}

void BuildProto(const OnnxModel& model, const WriteOptions& options, const std::string& data_file,
                ::onnx::ModelProto* proto, StreamPlan* stream) {
  ExternalPlan plan;
  plan.data_file = data_file;
  plan.threshold = options.external_threshold_bytes;
  ExternalPlan* external = options.external_data ? &plan : nullptr;

  proto->set_ir_version(model.ir_version);
  proto->set_producer_name(model.producer_name);
  proto->set_producer_version(model.producer_version);
  std::set<std::string> domains = NodeDomains(model.graph.nodes);
  for (const auto& function : model.functions) {
    domains.insert(function.domain);
    for (const auto& d : NodeDomains(function.nodes)) domains.insert(d);
  }
  AddOpsetImports(model, domains, proto->mutable_opset_import());
  for (const auto& [key, value] : model.metadata) {
    auto* entry = proto->add_metadata_props();
    entry->set_key(key);
    entry->set_value(value);
  }
  auto* graph = proto->mutable_graph();
  FillGraph(model.graph, options, graph);
  for (const auto& function : model.functions) FillFunction(model, function, options, proto->add_functions());
  std::set<std::string> only_in_subgraphs = CopySmallConstantsIntoSubgraphs(model.graph, graph);
  FillTopLevelInitializers(model.graph, options, external, stream, only_in_subgraphs, graph);
}

}  // namespace

void BuildModelProto(const OnnxModel& model, const WriteOptions& options,
                     const std::string& data_file, ::onnx::ModelProto* proto) {
  BuildProto(model, options, data_file, proto, nullptr);
}

namespace {

std::string OneLine(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (auto& c : message)
    if (c == '\n') c = ' ';
  return message;
}

// Strict shape inference with type checks (the second half of a full check). It needs the
// initializers' shapes and small constant values, not the weights' bytes, so large
// raw_data is moved out for the duration.
void InferShapesStrict(::onnx::ModelProto& proto) {
  std::vector<std::pair<::onnx::TensorProto*, std::string>> parked;
  for (auto& init : *proto.mutable_graph()->mutable_initializer()) {
    if (init.raw_data().size() > 4096) {
      parked.emplace_back(&init, std::string());
      parked.back().second.swap(*init.mutable_raw_data());
    }
  }
  int value_info_before = proto.graph().value_info_size();
  std::exception_ptr failure;
  try {
    ::onnx::ShapeInferenceOptions options(/*check_type=*/true, /*strict_mode=*/1, /*data_prop=*/false);
    ::onnx::shape_inference::InferShapes(proto, ::onnx::OpSchemaRegistry::Instance(), options);
  } catch (...) {
    failure = std::current_exception();
  }
  for (auto& [tensor, bytes] : parked) tensor->mutable_raw_data()->swap(bytes);
  auto* value_info = proto.mutable_graph()->mutable_value_info();
  value_info->DeleteSubrange(value_info_before, value_info->size() - value_info_before);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

void CheckModelProto(::onnx::ModelProto& proto) {
  try {
    ::onnx::checker::check_model(proto);
    InferShapesStrict(proto);
  } catch (const std::exception& e) {
    throw ExportError("ONNX checker rejected the model: " + OneLine(e.what()));
  }
}

namespace {

// An output file written with write(2) and copy_file_range(2): bytes that lie in a mapped
// model file are copied file to file by the kernel, never read into this process.
class OutputFile {
 public:
  OutputFile(const std::string& path, const std::string& target) : target_(target) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw ExportError("cannot write '" + target + "': " + std::strerror(errno));
  }
  ~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void Write(const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      ssize_t done = ::write(fd_, p, n);
      if (done < 0 && errno == EINTR) continue;
      if (done <= 0) Fail();
      p += done;
      n -= static_cast<size_t>(done);
      written_ += static_cast<size_t>(done);
    }
  }
  void Write(const std::string& bytes) { Write(bytes.data(), bytes.size()); }
  void Zeros(size_t n) {
    static const char kZeros[kExternalAlignment] = {};
    while (n > 0) {
      size_t k = std::min(n, sizeof kZeros);
      Write(kZeros, k);
      n -= k;
    }
  }
  // A tensor's bytes: from its mapped source file when it has one, else from memory.
  void Write(const TensorData& t) {
    size_t done = 0;
    if (t.source.file) {
      loff_t in = static_cast<loff_t>(t.source.offset);
      while (done < t.nbytes) {
        ssize_t k = ::copy_file_range(t.source.file->fd(), &in, fd_, nullptr, t.nbytes - done, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;  // not supported here (or a short source): copy the rest from memory
        done += static_cast<size_t>(k);
        written_ += static_cast<size_t>(k);
      }
    }
    Write(t.bytes + done, t.nbytes - done);
  }
  size_t written() const { return written_; }
  // Reserves the file's blocks up front (the size is known): the copies then only fill them.
  void Reserve(uint64_t bytes) {
    if (bytes) (void)::posix_fallocate(fd_, 0, static_cast<off_t>(bytes));  // a hint: failure is fine
  }
  void Close() {
    if (::close(fd_) != 0) Fail();
    fd_ = -1;
  }

 private:
  [[noreturn]] void Fail() {
    throw ExportError("failed while writing '" + target_ + "': " + std::strerror(errno) + " (disk full?)");
  }
  int fd_ = -1;
  size_t written_ = 0;
  std::string target_;
};

void WriteExternalData(const ExternalPlan& plan, const std::string& path) {
  OutputFile out(path, path);
  if (!plan.tensors.empty()) out.Reserve(plan.offsets.back() + plan.tensors.back()->nbytes);
  for (size_t i = 0; i < plan.tensors.size(); ++i) {
    out.Zeros(plan.offsets[i] - out.written());
    out.Write(*plan.tensors[i]);
  }
  out.Close();
}

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

constexpr uint64_t kPage = 4096;

// A TensorProto doc_string field (field 12) of exactly `n` bytes (n >= 2, n != 130, so that
// its length is a minimal varint): padding that puts the raw bytes after it at the same
// offset within a page as in their source file, which lets the kernel copy whole pages.
std::string PaddingField(size_t n) {
  std::string field(1, static_cast<char>((12 << 3) | 2));
  size_t length = n - 1 - (n - 2 < 128 ? 1 : 2);
  PutVarint(field, length);
  field.append(length, ' ');
  return field;
}

// Serializes `proto` whose streamed initializers hold no bytes yet: the protobuf encoding
// of the model without them, then each of them as an initializer entry (field 5 of the
// graph, field 7 of the model) whose raw_data (field 9) is copied from its source. Fields
// may come in any order in the protobuf wire format, so parsers read the result as one
// ModelProto.
void SerializeStreamed(::onnx::ModelProto& proto, const StreamPlan& plan, const fs::path& file, const std::string& target) {
  ::onnx::GraphProto* graph = proto.mutable_graph();
  size_t count = plan.tensors.size();
  std::vector<std::string> heads(count);
  std::vector<const TensorData*> data(count);
  for (size_t k = count; k-- > 0;) {  // from the back: indices stay valid
    int index = plan.tensors[k].first;
    heads[k] = graph->initializer(index).SerializeAsString();
    data[k] = plan.tensors[k].second;
    graph->mutable_initializer()->DeleteSubrange(index, 1);
  }
  std::string graph_bytes = graph->SerializeAsString();
  std::unique_ptr<::onnx::GraphProto> held(proto.release_graph());
  std::string model_bytes = proto.SerializeAsString();
  proto.set_allocated_graph(held.release());

  // The layout: every length is known before anything is written. The padding depends on
  // where a tensor lands, which depends on the widths of the length varints before it, so
  // the widths are settled by trying them in turn.
  std::vector<size_t> pads(count), tensor_sizes(count);
  size_t graph_width = 1;
  for (;; ++graph_width) {
    uint64_t offset = model_bytes.size() + 1 + graph_width + graph_bytes.size();
    uint64_t graph_size = graph_bytes.size();
    for (size_t k = 0; k < count; ++k) {
      uint64_t n = data[k]->nbytes;
      size_t raw_width = VarintSize(n);
      for (size_t width = 1;; ++width) {
        uint64_t unpadded = offset + 1 + width + heads[k].size() + 1 + raw_width;  // where the bytes would start
        size_t pad = 0;
        if (data[k]->source.file) {
          pad = static_cast<size_t>((data[k]->source.offset % kPage + kPage - unpadded % kPage) % kPage);
          if (pad == 1 || pad == 130) pad += kPage;
        }
        uint64_t size = heads[k].size() + pad + 1 + raw_width + n;
        if (VarintSize(size) == width) {
          pads[k] = pad;
          tensor_sizes[k] = size;
          offset = unpadded + pad + n;
          graph_size += 1 + width + size;
          break;
        }
      }
    }
    if (VarintSize(graph_size) == graph_width) break;
  }

  constexpr char kGraphTag = (7 << 3) | 2, kInitializerTag = (5 << 3) | 2, kRawDataTag = (9 << 3) | 2;
  uint64_t graph_size = graph_bytes.size();
  for (size_t k = 0; k < count; ++k) graph_size += 1 + VarintSize(tensor_sizes[k]) + tensor_sizes[k];
  OutputFile out(file.string(), target);
  out.Reserve(model_bytes.size() + 1 + VarintSize(graph_size) + graph_size);
  std::string frame = model_bytes;
  frame.push_back(kGraphTag);
  PutVarint(frame, graph_size);
  frame += graph_bytes;
  out.Write(frame);
  for (size_t k = 0; k < count; ++k) {
    frame.clear();
    frame.push_back(kInitializerTag);
    PutVarint(frame, tensor_sizes[k]);
    frame += heads[k];
    if (pads[k]) frame += PaddingField(pads[k]);
    frame.push_back(kRawDataTag);
    PutVarint(frame, data[k]->nbytes);
    out.Write(frame);
    out.Write(*data[k]);
  }
  out.Close();
}

// CheckModelProto for a model whose streamed initializers have no bytes yet: the checker
// sees them as external data (a '#' location is not looked up on disk), strict inference
// needs only their shapes. Their byte counts were checked when the plan was made.
void CheckStreamed(::onnx::ModelProto& proto, const StreamPlan& plan) {
  auto* inits = proto.mutable_graph()->mutable_initializer();
  for (const auto& [index, data] : plan.tensors) {
    auto* t = inits->Mutable(index);
    t->set_data_location(::onnx::TensorProto::EXTERNAL);
    auto* location = t->add_external_data();
    location->set_key("location");
    location->set_value("#streamed");
  }
  std::exception_ptr failure;
  try {
    ::onnx::checker::check_model(proto);
  } catch (...) {
    failure = std::current_exception();
  }
  for (const auto& [index, data] : plan.tensors) {
    inits->Mutable(index)->clear_data_location();
    inits->Mutable(index)->clear_external_data();
  }
  try {
    if (failure) std::rethrow_exception(failure);
    InferShapesStrict(proto);
  } catch (const std::exception& e) {
    throw ExportError("ONNX checker rejected the model: " + OneLine(e.what()));
  }
}

// A private directory next to the target; removed with whatever is left in it, also when
// the tool is interrupted (a SIGKILLed run's directory is removed by the next run).
struct TempDir {
  fs::path path;
  TerminationCleanup on_interruption;
  explicit TempDir(fs::path p) : path(std::move(p)), on_interruption(path.string()) {}
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void SerializeTo(const ::onnx::ModelProto& proto, const fs::path& file, const std::string& target) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw ExportError("cannot write '" + target + "': permission denied or bad path");
  if (!proto.SerializeToOstream(&out)) throw ExportError("failed to serialize the ONNX model to '" + target + "'");
  out.flush();
  if (!out) throw ExportError("failed while writing '" + target + "' (disk full?)");
}

fs::path CheckTargetDir(const std::string& path) {
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ExportError("cannot write '" + path + "': directory '" + dir.string() + "' does not exist");
  if (fs::is_directory(target, ec)) throw ExportError("cannot write '" + path + "': it is a directory");
  return dir;
}

TempDir MakeTempDir(const fs::path& dir, const fs::path& target, const std::string& path) {
  std::string prefix = ".torch2onnx-" + target.filename().string() + "-";
  RemoveStaleTemporaries(dir.string(), prefix);
  fs::path temp = dir / (prefix + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(temp, ec);
  if (ec) throw ExportError("cannot write '" + path + "': " + ec.message());
  return TempDir(temp);  // a prvalue: never copied, so the directory is removed once
}

}  // namespace

size_t WriteModelProto(::onnx::ModelProto& proto, const std::string& path) {
  if (proto.ByteSizeLong() > kProtobufLimitBytes)
    throw ExportError("cannot write '" + path + "' as one file: the model exceeds the 2 GB protobuf limit");
  CheckModelProto(proto);
  fs::path target(path);
  fs::path dir = CheckTargetDir(path);
  TempDir temp = MakeTempDir(dir, target, path);
  fs::path model_tmp = temp.path / target.filename();
  SerializeTo(proto, model_tmp, path);
  size_t bytes = fs::file_size(model_tmp);
  std::error_code ec;
  auto commit = LockCommit();
  fs::rename(model_tmp, target, ec);
  if (ec) throw ExportError("cannot move the model into place at '" + path + "': " + ec.message());
  return bytes;
}

WriteResult WriteModel(const OnnxModel& model, const std::string& path, const WriteOptions& options_in) {
  WriteOptions options = options_in;
  if (!options.external_data && model.InitializerBytes() > options.protobuf_limit_bytes) {
    if (options.forbid_external_data)
      throw ExportError("cannot write '" + path + "' without external data: its weights exceed the 2 GB protobuf limit (drop --no-external-data)");
    options.external_data = true;
  }

  fs::path target(path);
  fs::path dir = CheckTargetDir(path);
  std::error_code ec;

  WriteResult result;
  result.model_path = path;
  result.external_data = options.external_data;
  std::string data_name = target.filename().string() + ".data";

  ::onnx::ModelProto proto;
  StreamPlan stream;
  BuildProto(model, options, data_name, &proto, options.external_data ? nullptr : &stream);
  for (const auto& [index, data] : stream.tensors)
    if (data->nbytes != static_cast<size_t>(data->numel()) * DTypeSize(data->dtype))
      throw ExportError("internal: initializer " + proto.graph().initializer(index).name() + " holds " +
                        std::to_string(data->nbytes) + " bytes for its shape");
  // Inline weights: check in memory before anything touches the disk.
  auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  if (!options.external_data) CheckStreamed(proto, stream);
  Log().debug("checked the model in {:.3f} s", seconds());

  // Everything is written into a private directory first and renamed into place at the
  // end, so a failure never leaves a partial model (or data file) at the target.
  TempDir temp = MakeTempDir(dir, target, path);
  fs::path model_tmp = temp.path / target.filename();
  fs::path data_tmp = temp.path / data_name;

  if (options.external_data) {
    ExternalPlan plan;
    size_t i_init = 0;
    for (const auto& init : proto.graph().initializer()) {
      if (init.data_location() != ::onnx::TensorProto::EXTERNAL) continue;
      while (i_init < model.graph.initializers.size() && model.graph.initializers[i_init].name != init.name()) ++i_init;
      if (i_init == model.graph.initializers.size()) throw ExportError("internal: external initializer order mismatch");
      plan.tensors.push_back(&model.graph.initializers[i_init].data);
      for (const auto& entry : init.external_data())
        if (entry.key() == "offset") plan.offsets.push_back(std::stoull(entry.value()));
    }
    WriteExternalData(plan, data_tmp.string());
    result.data_path = (dir / data_name).string();
    result.data_bytes = fs::file_size(data_tmp);
    SerializeTo(proto, model_tmp, path);
  } else {
    SerializeStreamed(proto, stream, model_tmp, path);
  }
  Log().debug("wrote {} ({} initializers streamed from the model file) after {:.3f} s", model_tmp.string(),
              stream.tensors.size(), seconds());
  result.model_bytes = fs::file_size(model_tmp);
  if (options.external_data) {
    // The checker resolves external data relative to the model file: check the copy in
    // the temporary directory, where the data file sits under its final name.
    try {
      ::onnx::checker::check_model(model_tmp.string());
      InferShapesStrict(proto);
    } catch (const std::exception& e) {
      throw ExportError("ONNX checker rejected the model: " + OneLine(e.what()));
    }
  }
  // Two renames cannot be one atomic step: the old model goes first, so that a kill
  // between them leaves no model at the target rather than an old model with new data.
  auto commit = LockCommit();
  if (options.external_data) {
    fs::remove(target, ec);
    fs::rename(data_tmp, result.data_path, ec);
    if (ec) throw ExportError("cannot move external data into place: " + ec.message());
  }
  fs::rename(model_tmp, target, ec);
  if (ec) throw ExportError("cannot move the model into place at '" + path + "': " + ec.message());
  return result;
}

}  // namespace t2o::onnx
