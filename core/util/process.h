// Process-level safety: what happens when the tool is interrupted, runs out of time or
// memory, and how it starts child processes.
//
// SIGINT, SIGTERM, SIGHUP and the --timeout alarm are taken by one watcher thread (the
// signals are blocked in every other thread), which removes the registered temporary
// paths, stops the registered children and exits with the documented code. The commit
// of an output (the renames into place) holds a lock the watcher waits for, so an
// interruption never lands between the renames of a model and its external data.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/util/errors.h"

namespace t2o {

// Call first in main(), before any thread starts.
void InstallTerminationHandler();

// Names the work in the message printed on interruption or timeout ("'model.pt'").
void SetTerminationLabel(const std::string& label);

// --timeout: the process exits with ExitCode::kTimeout after `seconds`.
void SetTimeout(double seconds);

// --max-memory: a limit on the private writable memory of this process and its children
// (RLIMIT_DATA; mapped model files do not count). Allocations past it fail with
// std::bad_alloc, reported as ExitCode::kOutOfMemory.
void SetMemoryLimit(uint64_t bytes);
std::optional<uint64_t> MemoryLimit();
// "4G", "512M", "1.5GiB", "1000000" (bytes); throws UsageError naming `flag`.
uint64_t ParseByteSize(const std::string& text, const std::string& flag);
std::string FormatByteSize(uint64_t bytes);  // "2 GiB", "512 MiB"
// The error for an allocation that failed `during` some work, naming the limit.
OutOfMemoryError OutOfMemoryFailure(const std::string& during);

// A temporary file or directory removed on interruption; the owner removes it itself
// on every normal path and unregisters it by destroying this object.
class TerminationCleanup {
 public:
  explicit TerminationCleanup(std::string path);
  ~TerminationCleanup();
  TerminationCleanup(const TerminationCleanup&) = delete;
  TerminationCleanup& operator=(const TerminationCleanup&) = delete;

 private:
  std::string path_;
};

// Held while outputs are renamed into place: an interruption waits for the commit.
std::unique_lock<std::mutex> LockCommit();

// Removes entries of `dir` named PREFIX<pid> whose process no longer runs (left by a
// run that was killed with SIGKILL).
void RemoveStaleTemporaries(const std::string& dir, const std::string& prefix);

struct SpawnOptions {
  std::string stdout_path;  // empty: inherit
  std::string stderr_path;  // empty: inherit; equal to stdout_path: both into one file
  bool own_process_group = false;  // so that stopping it stops its children too
};

// Starts argv[0] (searched in PATH) with the default signal mask and registers it to be
// stopped on interruption; throws ExportError when it cannot start.
pid_t SpawnProcess(const std::vector<std::string>& argv, const SpawnOptions& options);
// Unregisters a child that has been waited for.
void ForgetChild(pid_t pid);
// Waits for the child; its exit status, or 128 + the signal that ended it.
int WaitChild(pid_t pid);

}  // namespace t2o
