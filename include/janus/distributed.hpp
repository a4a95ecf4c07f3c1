// janus/distributed.hpp: data-parallel training over MPI (everything in one
// include): the MPI environment, parameter broadcast, data_parallel with its
// overlapped gradient all-reduce, and sums of metrics. Link janus::distributed.
#pragma once

#include "janus/distributed/broadcast.hpp"
#include "janus/distributed/data_parallel.hpp"
#include "janus/distributed/environment.hpp"
#include "janus/distributed/gradient_hook.hpp"
#include "janus/distributed/mpi_type.hpp"
#include "janus/distributed/sum.hpp"
