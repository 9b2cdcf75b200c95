#include "cli/batch.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/util/process.h"

namespace t2o::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Job {
  std::string model;
  pid_t pid = -1;
  std::string summary_path, log_path;
  std::chrono::steady_clock::time_point start;
  bool killed_at_deadline = false;
  double seconds = 0;
  int exit_code = -1;
  json summary;
};

std::string SelfPath(const char* argv0) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : self.string();
}

std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(signal);
}

class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), tty_(enabled && isatty(STDERR_FILENO)), enabled_(enabled) {}
  void Update(size_t done, size_t running, const Job* finished) {
    if (!enabled_) return;
    if (tty_) std::fprintf(stderr, "\r\033[K");
    if (finished)
      std::fprintf(stderr, "[%zu/%zu] %s %s (%.1fs)%s", done, total_, finished->model.c_str(),
                   finished->exit_code == 0 ? "ok" : "FAILED", finished->seconds, tty_ ? "\n" : "\n");
    if (tty_ && done < total_) std::fprintf(stderr, "[%zu/%zu done, %zu running]", done, total_, running);
    std::fflush(stderr);
  }
  void Finish() {
    if (enabled_ && tty_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  size_t total_;
  bool tty_, enabled_;
};

}  // namespace

int RunBatch(const CliFlags& flags, int argc, char** argv) {
  if (!flags.output.empty()) throw UsageError("-o names one file; with several models use --output-dir");
  if (flags.jobs < 1) throw UsageError("--jobs must be at least 1");
  std::map<std::string, std::string> outputs;  // output path -> model, to refuse collisions
  for (const auto& model : flags.models) {
    std::string out = fs::weakly_canonical(OutputPathFor(flags, model)).string();
    if (outputs.count(out))
      throw UsageError("'" + model + "' and '" + outputs[out] + "' would both be written to '" + out +
                       "'; rename one or convert them separately");
    outputs[out] = model;
  }
  if (!flags.output_dir.empty()) fs::create_directories(flags.output_dir);

  RemoveStaleTemporaries(fs::temp_directory_path().string(), "torch2onnx-batch-");
  fs::path work = fs::temp_directory_path() / ("torch2onnx-batch-" + std::to_string(::getpid()));
  fs::create_directories(work);
  TerminationCleanup remove_on_interruption(work.string());
  // Each child stops itself at --timeout; one that cannot (stuck in a system call) is
  // killed with its process group a little later.
  const auto deadline = std::chrono::duration<double>(flags.timeout_seconds + 10);
  std::string exe = SelfPath(argv[0]);
  std::vector<Job> jobs(flags.models.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    jobs[i].model = flags.models[i];
    jobs[i].summary_path = (work / ("summary_" + std::to_string(i) + ".json")).string();
    jobs[i].log_path = (work / ("log_" + std::to_string(i) + ".txt")).string();
  }

  Progress progress(jobs.size(), !flags.quiet && !flags.json);
  std::map<pid_t, size_t> running;
  size_t next = 0, done = 0;
  while (done < jobs.size()) {
    while (running.size() < static_cast<size_t>(flags.jobs) && next < jobs.size()) {
      Job& job = jobs[next];
      std::vector<std::string> args(argv, argv + argc);
      args[0] = exe;
      args.insert(args.end(), {"--batch-index", std::to_string(next), "--summary-file", job.summary_path});
      job.start = std::chrono::steady_clock::now();
      SpawnOptions io;
      io.stdout_path = io.stderr_path = job.log_path;
      io.own_process_group = true;  // a kill at the deadline takes its ONNX Runtime run with it
      job.pid = SpawnProcess(args, io);
      running[job.pid] = next++;
      progress.Update(done, running.size(), nullptr);
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid < 0) break;
    if (pid == 0) {
      auto now = std::chrono::steady_clock::now();
      for (auto& [child, index] : running) {
        Job& job = jobs[index];
        if (flags.timeout_seconds > 0 && !job.killed_at_deadline && now - job.start > deadline) {
          ::kill(-child, SIGKILL);
          job.killed_at_deadline = true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    ForgetChild(pid);
    Job& job = jobs[it->second];
    running.erase(it);
    job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - job.start).count();
    job.exit_code = WIFEXITED(status)      ? WEXITSTATUS(status)
                    : job.killed_at_deadline ? static_cast<int>(ExitCode::kTimeout)
                                             : static_cast<int>(ExitCode::kExportFailed);
    std::ifstream summary(job.summary_path);
    if (summary) {
      try {
        summary >> job.summary;
      } catch (const std::exception&) {
      }
    }
    if (job.summary.is_null()) {
      std::string why = job.killed_at_deadline ? "timed out: killed " + std::to_string(10) + " s after --timeout"
                        : WIFSIGNALED(status)    ? "crashed (" + SignalName(WTERMSIG(status)) + ")"
                                                 : LastLine(job.log_path);
      const std::string prefix = "torch2onnx: error: ";
      if (why.compare(0, prefix.size(), prefix) == 0) why.erase(0, prefix.size());
      job.summary = {{"status", "failed"}, {"exit_code", job.exit_code}, {"model", job.model}, {"error", why}};
    }
    ++done;
    progress.Update(done, running.size(), &job);
  }
  progress.Finish();
  std::error_code ec;
  fs::remove_all(work, ec);

  int exit_code = 0;
  for (const auto& job : jobs)
    if (job.exit_code != 0 && exit_code == 0) exit_code = job.exit_code;
  size_t failed = 0;
  for (const auto& job : jobs) failed += job.exit_code != 0;

  if (flags.json) {
    json all = json::array();
    for (auto& job : jobs) {
      job.summary["seconds"] = job.seconds;
      all.push_back(job.summary);
    }
    std::printf("%s\n", json{{"status", failed ? "failed" : "ok"}, {"models", all}}.dump(2).c_str());
    return exit_code;
  }
  if (!flags.quiet) {
    std::printf("\n%-32s %-7s %8s %10s  %s\n", "model", "status", "seconds", "ONNX nodes", "output / error");
    for (const auto& job : jobs) {
      const json& s = job.summary;
      bool ok = job.exit_code == 0;
      std::string detail = ok && s.contains("output") ? s["output"]["model"].get<std::string>()
                                                       : s.value("error", std::string("?"));
      auto newline = detail.find('\n');
      if (newline != std::string::npos) detail = detail.substr(0, newline) + " ...";
      std::printf("%-32s %-7s %8.2f %10s  %s\n", fs::path(job.model).filename().c_str(), ok ? "ok" : "FAILED",
                  job.seconds, s.contains("onnx_nodes") ? std::to_string(s["onnx_nodes"].get<size_t>()).c_str() : "-",
                  detail.c_str());
    }
    std::printf("%zu of %zu models converted\n", jobs.size() - failed, jobs.size());
  }
  return exit_code;
}

}  // namespace t2o::cli
