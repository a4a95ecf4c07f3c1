// examples/run_program.hpp: runs a helper program (dot, gnuplot) without a
// shell, so that a path given on the command line is passed as one argument
// and never read as shell syntax.
#pragma once

#include <spawn.h>
#include <fcntl.h>
#include <sys/wait.h>

#include <string>
#include <vector>

extern char** environ;

namespace examples {

/// Runs `arguments[0]` (found on PATH) with the rest as its arguments, in
/// `directory` when one is given, and waits for it; with `quiet`, its output
/// goes to /dev/null. True when it started and exited with status 0.
inline bool run_program(const std::vector<std::string>& arguments, bool quiet = false,
                        const std::string& directory = {}) {
  if (arguments.empty()) return false;
  std::vector<char*> argv;
  for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  if (!directory.empty()) posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
  pid_t pid = 0;
  const int started = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (started != 0) return false;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace examples
