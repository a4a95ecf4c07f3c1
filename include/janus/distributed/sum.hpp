// janus/distributed/sum.hpp: sum, values added up over every process, in
// place: for metrics such as the loss and the number of right answers.
#pragma once

#include <mpi.h>

#include <span>

#include "janus/distributed/mpi_type.hpp"

namespace janus::distributed {

/// Every process of `communicator` calls it with the same number of values;
/// each ends with their sums, element by element.
template <class T>
void sum(std::span<T> values, MPI_Comm communicator = MPI_COMM_WORLD) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), mpi_count(values.size()), mpi_type<T>(), MPI_SUM, communicator);
}

}  // namespace janus::distributed
