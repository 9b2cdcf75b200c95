// Error types and the exit codes they map to.
//
// Every error that reaches the user is one line that names the file, op or argument at
// fault. The CLI maps the error's category to a documented exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace t2o {

enum class ExitCode : int {
  kOk = 0,
  kUsage = 2,              // bad command-line arguments
  kInputError = 3,         // model file missing, unreadable or of an unsupported kind
  kExportFailed = 4,       // capture, translation, checking or writing failed
  kVerifyMismatch = 5,     // the ONNX model ran but its outputs differ from PyTorch's
  kTimeout = 6,            // --timeout passed
  kOutOfMemory = 7,        // an allocation failed (--max-memory, or the machine's memory)
  // Interrupted by a signal: 128 + its number (129 SIGHUP, 130 SIGINT, 143 SIGTERM).
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

struct UsageError : Error {
  explicit UsageError(const std::string& m) : Error(ExitCode::kUsage, m) {}
};
struct InputError : Error {
  explicit InputError(const std::string& m) : Error(ExitCode::kInputError, m) {}
};
struct ExportError : Error {
  explicit ExportError(const std::string& m) : Error(ExitCode::kExportFailed, m) {}
};

struct OutOfMemoryError : Error {
  explicit OutOfMemoryError(const std::string& m) : Error(ExitCode::kOutOfMemory, m) {}
};

// Thrown by translators for an argument combination they cannot express; the translate
// driver adds the node and its source location.
struct UnsupportedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace t2o
