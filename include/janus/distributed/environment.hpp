// janus/distributed/environment.hpp: environment, MPI for the life of a
// program: this process's rank, the number of processes, and the end of the
// whole job when one process fails.
#pragma once

#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace janus::distributed {

/// Initialises MPI on construction and finalises it on destruction; one per
/// program, made first thing in main (MPI reads its own arguments there).
/// Only the thread that made it may call MPI (MPI_THREAD_FUNNELED): BLAS may
/// run threads of its own, which never do.
class environment {
 public:
  environment(int& argc, char**& argv) {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (initialised != 0) throw std::logic_error("janus::distributed::environment: MPI is already initialised");
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~environment() {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised == 0) MPI_Finalize();
  }
  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;

  /// This process's rank in MPI_COMM_WORLD, 0 to size() - 1.
  int rank() const noexcept { return rank_; }
  /// The number of processes in the job (mpirun -np K: K).
  int size() const noexcept { return size_; }
  /// Rank 0: the one that prints and writes files.
  bool is_root() const noexcept { return rank_ == 0; }

  /// Ends the whole job after printing "PROGRAM: rank R of K: WHY" on
  /// standard error. A process that simply exited would leave the others
  /// waiting forever in their next collective for its share; MPI_Abort
  /// stops every process of the job, wherever it waits.
  [[noreturn]] void abort(std::string_view program, std::string_view why) const {
    std::fflush(stdout);
    std::fprintf(stderr, "%.*s: rank %d of %d: %.*s\n", static_cast<int>(program.size()), program.data(), rank_,
                 size_, static_cast<int>(why.size()), why.data());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::abort();  // MPI_Abort does not return; this says so to the compiler
  }

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace janus::distributed
