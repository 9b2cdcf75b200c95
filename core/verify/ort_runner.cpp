#include "core/verify/ort_runner.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/util/errors.h"
#include "core/util/log.h"
#include "core/util/process.h"

namespace t2o {
namespace fs = std::filesystem;

std::string OrtRunnerScript() {
  if (const char* env = std::getenv("T2O_ORT_RUNNER")) return env;
  return std::string(T2O_SOURCE_DIR) + "/tools/ort_runner/run.js";
}

void WriteTensorPb(const std::string& path, const TensorData& data, const std::string& name) {
  ::onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(DTypeToOnnx(data.dtype));
  for (int64_t d : data.shape) proto.add_dims(d);
  proto.set_raw_data(data.bytes, data.nbytes);
  std::ofstream out(path, std::ios::binary);
  if (!out || !proto.SerializeToOstream(&out)) throw ExportError("cannot write '" + path + "'");
}

TensorData ReadTensorPb(const std::string& path) {
  ::onnx::TensorProto proto;
  std::ifstream in(path, std::ios::binary);
  if (!in || !proto.ParseFromIstream(&in)) throw ExportError("cannot read tensor file '" + path + "'");
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  DType dtype = DTypeFromOnnx(proto.data_type());
  std::optional<uint64_t> needed =
      dtype == DType::kUndefined ? std::nullopt : CheckedContiguousBytes(shape, DTypeSize(dtype));
  if (!needed || *needed != proto.raw_data().size())
    throw ExportError("tensor file '" + path + "' is malformed: " + std::to_string(proto.raw_data().size()) +
                      " raw bytes for its dtype and shape");
  return TensorData::FromBytes(dtype, shape, proto.raw_data().data(), proto.raw_data().size());
}

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs argv with stdout/stderr redirected to files; returns the exit status.
int RunProcess(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file) {
  SpawnOptions io;
  io.stdout_path = out_file;
  io.stderr_path = err_file;
  try {
    return WaitChild(SpawnProcess(argv, io));
  } catch (const ExportError& e) {
    throw ExportError(std::string(e.what()) + " (is Node.js installed? run scripts/setup.sh)");
  }
}

}  // namespace

OrtRunResult RunOnnxRuntime(const std::string& model_path, const std::vector<TensorData>& inputs,
                            const std::string& work_dir, const std::vector<std::string>& output_names) {
  fs::create_directories(work_dir);
  for (size_t i = 0; i < inputs.size(); ++i)
    WriteTensorPb((fs::path(work_dir) / ("input_" + std::to_string(i) + ".pb")).string(), inputs[i],
                  "input_" + std::to_string(i));
  std::string script = OrtRunnerScript();
  if (!fs::exists(script)) throw ExportError("ONNX Runtime runner not found at '" + script + "' (run scripts/setup.sh)");
  std::vector<std::string> argv{"node", script, model_path, work_dir};
  if (!output_names.empty()) {
    std::string joined;
    for (const auto& n : output_names) joined += (joined.empty() ? "" : ",") + n;
    argv.push_back("--outputs");
    argv.push_back(joined);
  }
  std::string out_file = (fs::path(work_dir) / "ort_stdout.txt").string();
  std::string err_file = (fs::path(work_dir) / "ort_stderr.txt").string();
  Log().debug("running ONNX Runtime: node {} {} {}", script, model_path, work_dir);
  int rc = RunProcess(argv, out_file, err_file);
  if (rc == 2) {  // the runner's event loop emptied before the run finished (run.js): once more
    Log().warn("ONNX Runtime runner ended before finishing; running it again");
    rc = RunProcess(argv, out_file, err_file);
  }
  if (rc == 2) throw ExportError("ONNX Runtime runner ended twice before finishing on '" + model_path + "'");
  if (rc != 0) {
    std::string err = ReadFile(err_file);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    if (err.find("bad_alloc") != std::string::npos || err.find("Failed to allocate memory") != std::string::npos ||
        err.find("out of memory") != std::string::npos)
      throw OutOfMemoryFailure("running '" + model_path + "' in ONNX Runtime");
    throw ExportError("ONNX Runtime failed on '" + model_path + "': " + (err.empty() ? "exit code " + std::to_string(rc) : err));
  }
  OrtRunResult result;
  auto j = nlohmann::json::parse(ReadFile(out_file));
  result.output_names = j["outputs"].get<std::vector<std::string>>();
  result.load_ms = j["load_ms"].get<double>();
  result.run_ms = j["run_ms"].get<double>();
  for (size_t k = 0; k < result.output_names.size(); ++k)
    result.outputs.push_back(ReadTensorPb((fs::path(work_dir) / ("output_" + std::to_string(k) + ".pb")).string()));
  return result;
}

}  // namespace t2o
