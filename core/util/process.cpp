#include "core/util/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "core/util/errors.h"

extern char** environ;

namespace t2o {
namespace fs = std::filesystem;

namespace {

struct TerminationState {
  std::mutex mutex;  // guards the fields below
  std::multiset<std::string> paths;
  std::map<pid_t, bool> children;  // pid -> has its own process group
  std::string label;
  double timeout_seconds = 0;
  std::optional<uint64_t> memory_limit;
  std::mutex commit;
};

TerminationState& State() {
  static TerminationState* state = new TerminationState;  // never destroyed: the watcher may outlive main()
  return *state;
}

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGALRM}) sigaddset(&set, s);
  return set;
}

void StopChildren(TerminationState& state) {
  for (const auto& [pid, group] : state.children) ::kill(group ? -pid : pid, SIGTERM);
  // Children clean up after themselves on SIGTERM; give them a moment, then make sure.
  for (int i = 0; i < 30 && !state.children.empty(); ++i) {
    bool any = false;
    for (const auto& [pid, group] : state.children) any |= ::waitpid(pid, nullptr, WNOHANG) == 0;
    if (!any) break;
    ::usleep(100 * 1000);
  }
  for (const auto& [pid, group] : state.children) ::kill(group ? -pid : pid, SIGKILL);
}

// Stops the children and removes the temporary paths; leaves the process locked for exit.
void CleanUpForExit() {
  TerminationState& state = State();
  static std::unique_lock<std::mutex>* commit = new std::unique_lock<std::mutex>(state.commit);  // never between the renames of a commit
  (void)commit;
  std::lock_guard<std::mutex> lock(state.mutex);
  StopChildren(state);
  for (const auto& path : state.paths) {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
}

std::string Where() {
  std::lock_guard<std::mutex> lock(State().mutex);
  return State().label.empty() ? "" : State().label + ": ";
}

[[noreturn]] void ExitWith(int code, const std::string& message) {
  std::string where = Where();
  CleanUpForExit();
  std::fprintf(stderr, "torch2onnx: error: %s%s\n", where.c_str(), message.c_str());
  std::fflush(stderr);
  ::_exit(code);
}

[[noreturn]] void Terminate(int signal) {
  if (signal == SIGALRM) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", State().timeout_seconds);
    ExitWith(static_cast<int>(ExitCode::kTimeout),
             std::string("timed out after ") + seconds + " s (--timeout); nothing was written");
  }
  const char* abbrev = sigabbrev_np(signal);
  ExitWith(128 + signal, std::string("interrupted (") + (abbrev ? "SIG" + std::string(abbrev) : "a signal") +
                             "); nothing was written");
}

// An exception nothing can catch (thrown by a static initializer of a library being
// loaded, or out of a thread): a one-line error and a clean exit rather than an abort.
[[noreturn]] void OnTerminate() {
  std::exception_ptr current = std::current_exception();
  try {
    if (current) std::rethrow_exception(current);
  } catch (const std::bad_alloc&) {
    OutOfMemoryError e = OutOfMemoryFailure("loading libraries or starting work");
    ExitWith(static_cast<int>(e.code()), e.what());
  } catch (const std::exception& e) {
    ExitWith(static_cast<int>(ExitCode::kExportFailed), std::string("internal error: ") + e.what());
  } catch (...) {
  }
  CleanUpForExit();
  std::fprintf(stderr, "torch2onnx: error: %sinternal error (terminate called)\n", Where().c_str());
  std::abort();
}

}  // namespace

void InstallTerminationHandler() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  State();
  std::set_terminate(OnTerminate);
  std::thread([set] {
    for (;;) {
      int signal = 0;
      if (sigwait(&set, &signal) == 0) Terminate(signal);
    }
  }).detach();
}

void SetTerminationLabel(const std::string& label) {
  std::lock_guard<std::mutex> lock(State().mutex);
  State().label = label;
}

void SetTimeout(double seconds) {
  if (!(seconds > 0)) throw UsageError("--timeout must be a positive number of seconds");
  State().timeout_seconds = seconds;
  itimerval timer{};
  timer.it_value.tv_sec = static_cast<time_t>(seconds);
  timer.it_value.tv_usec = static_cast<suseconds_t>((seconds - std::floor(seconds)) * 1e6);
  setitimer(ITIMER_REAL, &timer, nullptr);
}

void SetMemoryLimit(uint64_t bytes) {
  rlimit limit{};
  getrlimit(RLIMIT_DATA, &limit);
  if (limit.rlim_max != RLIM_INFINITY && bytes > limit.rlim_max)
    throw UsageError("--max-memory " + FormatByteSize(bytes) + " is above this shell's limit of " +
                     FormatByteSize(limit.rlim_max));
  limit.rlim_cur = bytes;
  if (setrlimit(RLIMIT_DATA, &limit) != 0)
    throw UsageError(std::string("--max-memory: cannot set the limit: ") + std::strerror(errno));
  State().memory_limit = bytes;
}

std::optional<uint64_t> MemoryLimit() { return State().memory_limit; }

uint64_t ParseByteSize(const std::string& text, const std::string& flag) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = text.substr(used);
  if (!unit.empty() && unit[0] == ' ') unit.erase(0, 1);
  static const std::map<std::string, double> kUnits = {
      {"", 1}, {"B", 1}, {"K", 1024.0}, {"KB", 1e3}, {"KiB", 1024.0}, {"M", 1048576.0}, {"MB", 1e6},
      {"MiB", 1048576.0}, {"G", 1073741824.0}, {"GB", 1e9}, {"GiB", 1073741824.0}, {"T", 1099511627776.0},
      {"TB", 1e12}, {"TiB", 1099511627776.0}};
  auto it = kUnits.find(unit);
  if (used == 0 || it == kUnits.end() || !(value > 0) || value * it->second > 1.8e19)
    throw UsageError(flag + " '" + text + "' is not a size (examples: 4G, 512M, 1.5GiB, 1000000)");
  return static_cast<uint64_t>(value * it->second);
}

std::string FormatByteSize(uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) value /= 1024, ++unit;
  char text[48];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.3g %s", value, units[unit]);
  return text;
}

OutOfMemoryError OutOfMemoryFailure(const std::string& during) {
  std::optional<uint64_t> limit = MemoryLimit();
  return OutOfMemoryError("out of memory while " + during +
                          (limit ? " (--max-memory " + FormatByteSize(*limit) + ")" : " (the machine's memory is exhausted)"));
}

TerminationCleanup::TerminationCleanup(std::string path) : path_(std::move(path)) {
  std::lock_guard<std::mutex> lock(State().mutex);
  State().paths.insert(path_);
}

TerminationCleanup::~TerminationCleanup() {
  std::lock_guard<std::mutex> lock(State().mutex);
  auto it = State().paths.find(path_);
  if (it != State().paths.end()) State().paths.erase(it);
}

std::unique_lock<std::mutex> LockCommit() { return std::unique_lock<std::mutex>(State().commit); }

void RemoveStaleTemporaries(const std::string& dir, const std::string& prefix) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still running (or not ours)
    std::error_code remove_ec;
    fs::remove_all(it->path(), remove_ec);
  }
}

pid_t SpawnProcess(const std::vector<std::string>& argv, const SpawnOptions& options) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!options.stdout_path.empty())
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
  if (options.stderr_path == options.stdout_path && !options.stdout_path.empty())
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  else if (!options.stderr_path.empty())
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
  // The child starts with no signal blocked (this process blocks the termination
  // signals in every thread but the watcher) and their default actions.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults = TerminationSignals();
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (options.own_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  posix_spawnattr_setflags(&attributes, flags);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  std::lock_guard<std::mutex> lock(State().mutex);  // registered before an interruption can miss it
  int rc = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) throw ExportError("cannot start '" + argv[0] + "': " + std::strerror(rc));
  State().children[pid] = options.own_process_group;
  return pid;
}

void ForgetChild(pid_t pid) {
  std::lock_guard<std::mutex> lock(State().mutex);
  State().children.erase(pid);
}

int WaitChild(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ForgetChild(pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace t2o
