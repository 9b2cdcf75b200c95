#include "tests/support/catch.h"
#include "tests/support/harness.h"
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "core/onnx/writer.h"
#include "core/util/errors.h"

using namespace t2o;
namespace t2onnx = t2o::onnx;
namespace fs = std::filesystem;

namespace {
t2onnx::OnnxModel TinyAddModel() {
  t2onnx::OnnxModel m;
  m.graph.inputs.push_back({"x", DType::kFloat32, std::vector<ir::Dim>{int64_t{2}, std::string("batch")}, {}});
  // "batch" must be 600 to broadcast with w; the checker cannot tell, ORT would.
  m.graph.outputs.push_back({"y", DType::kFloat32, std::vector<ir::Dim>{int64_t{2}, int64_t{600}}, {}});
  std::vector<float> w(2 * 600, 0.5f);
  m.graph.initializers.push_back({"w", TensorData::FromVector<float>(DType::kFloat32, {2, 600}, w), {{"k", "v"}}, true});
  t2onnx::OnnxNode n;
  n.op_type = "Add";
  n.inputs = {"x", "w"};
  n.outputs = {"y"};
  n.metadata = {{"namespace", "test"}};
  m.graph.nodes.push_back(n);
  return m;
}
std::string Dir() { return t2o::testing::OutputDir("writer"); }
}  // namespace

TEST_CASE("writer produces a checked model with metadata_props", "[writer]") {
  auto m = TinyAddModel();
  std::string path = Dir() + "/add.onnx";
  auto result = t2onnx::WriteModel(m, path, {});
  CHECK(fs::exists(path));
  CHECK_FALSE(result.external_data);
  ::onnx::ModelProto proto;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(proto.ParseFromIstream(&in));
  REQUIRE(proto.graph().node(0).metadata_props_size() == 1);
  CHECK(proto.graph().node(0).metadata_props(0).key() == "namespace");
  CHECK(proto.graph().input(0).type().tensor_type().shape().dim(1).dim_param() == "batch");
}

TEST_CASE("writer stores weights externally on request", "[writer]") {
  auto m = TinyAddModel();
  std::string path = Dir() + "/add_ext.onnx";
  t2onnx::WriteOptions options;
  options.external_data = true;
  auto result = t2onnx::WriteModel(m, path, options);
  CHECK(result.external_data);
  CHECK(fs::file_size(path + ".data") >= 2 * 600 * 4);
  CHECK(fs::file_size(path) < 1000);
}

TEST_CASE("writer switches to external data above the protobuf limit, unless forbidden", "[writer]") {
  auto m = TinyAddModel();
  t2onnx::WriteOptions options;
  options.protobuf_limit_bytes = 1000;  // the 4800-byte weight is "too large"
  std::string path = Dir() + "/add_auto.onnx";
  auto result = t2onnx::WriteModel(m, path, options);
  CHECK(result.external_data);
  CHECK(fs::exists(path + ".data"));
  options.forbid_external_data = true;
  std::string forbidden = Dir() + "/add_forbidden.onnx";
  CHECK_THROWS_WITH(t2onnx::WriteModel(m, forbidden, options), ContainsText("exceed the 2 GB protobuf limit"));
  CHECK_FALSE(fs::exists(forbidden));
  CHECK_FALSE(fs::exists(forbidden + ".data"));
}

TEST_CASE("writer leaves no file behind when the checker fails", "[writer]") {
  auto m = TinyAddModel();
  m.graph.nodes[0].op_type = "NoSuchOp";
  std::string path = Dir() + "/bad.onnx";
  fs::remove(path);
  CHECK_THROWS_AS(t2onnx::WriteModel(m, path, {}), ExportError);
  CHECK_FALSE(fs::exists(path));
  for (const auto& entry : fs::directory_iterator(Dir())) CHECK(entry.path().string().find("bad.onnx") == std::string::npos);
}

TEST_CASE("writer refuses a missing directory with a clear error", "[writer]") {
  auto m = TinyAddModel();
  CHECK_THROWS_WITH(t2onnx::WriteModel(m, Dir() + "/no/such/dir/m.onnx", {}), ContainsText("does not exist"));
}
