// janus/distributed/broadcast.hpp: broadcast_parameters, one process's
// parameters copied to every other, so that all start from the same model.
#pragma once

#include <mpi.h>

#include "janus/distributed/mpi_type.hpp"
#include "janus/nn/module.hpp"

namespace janus::distributed {

/// Every process of `communicator` calls it with the same architecture; each
/// parameter then holds `root`'s values. Seeded initialisation already
/// agrees; this makes agreement hold whatever each process did before.
template <class T>
void broadcast_parameters(const nn::module<T>& model, int root = 0, MPI_Comm communicator = MPI_COMM_WORLD) {
  for (auto& parameter : model.parameters())
    MPI_Bcast(parameter.data(), mpi_count(parameter.numel()), mpi_type<T>(), root, communicator);
}

}  // namespace janus::distributed
