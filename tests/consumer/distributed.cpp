// Uses the installed janus::distributed: sums a number over the processes of
// the job (run it with mpirun; one process prints 1).
#include <janus/distributed.hpp>

#include <array>
#include <cstdio>
#include <span>

int main(int argc, char** argv) {
  const janus::distributed::environment mpi(argc, argv);
  std::array<double, 1> one{1.0};
  janus::distributed::sum(std::span<double>(one));
  if (mpi.rank() == 0) std::printf("consumer_distributed: %g processes\n", one[0]);
  return one[0] == static_cast<double>(mpi.size()) ? 0 : 1;
}
