// janus/distributed/mpi_type.hpp: mpi_type, the MPI datatype of a C++
// element type, and mpi_count, an element count as MPI takes it.
#pragma once

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace janus::distributed {

template <class T>
MPI_Datatype mpi_type() {
  if constexpr (std::is_same_v<T, float>) return MPI_FLOAT;
  else if constexpr (std::is_same_v<T, double>) return MPI_DOUBLE;
  else if constexpr (std::is_same_v<T, std::int64_t>) return MPI_INT64_T;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return MPI_UINT64_T;
  else static_assert(sizeof(T) == 0, "janus::distributed sends float, double, std::int64_t and std::uint64_t");
}

/// MPI counts elements in an int; a larger buffer is refused rather than
/// sent short.
inline int mpi_count(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX))
    throw std::length_error("janus::distributed: " + std::to_string(count) +
                            " elements in one buffer; MPI takes at most " + std::to_string(INT_MAX));
  return static_cast<int>(count);
}

}  // namespace janus::distributed
